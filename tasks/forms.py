"""Forms of the tasks app: a progress report, its review, an output and its review, a task's acceptance."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coop.concurrency import VersionedFormMixin
from coop.forms import DateField, MoneyField, StyledFormMixin
from programmes.choices import OUTPUT_DEFAULT_UNITS
from tasks.models import Output, ProgressReport, disbursement_field, exceeds_allocation, report_date_error

TEXTAREA_ROWS = 4


class ProgressReportForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm):
    """What a provincial department reports: where the task stands on a date, and what was disbursed to date
    on each funding row (source and year) of the task, as its accounts know it.

    `fundings` are the task's funding rows, one input each; a blank input gives no figure for that row
    (approval then leaves what was approved before). `cleaned_data["disbursements"]` maps each row's
    key to the amount typed, or None. With the `task`, the rules that need it are checked here too, so
    that every error shows at once (the service checks them again when it saves).
    """

    as_of = DateField(label=_("as of"), help_text=_("The date the figures describe, as dd/mm/yyyy."))

    class Meta:
        model = ProgressReport
        fields = ["period", "as_of", "percent_complete", "summary", "problems", "next_steps"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
            "problems": forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
            "next_steps": forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
        }
        help_texts = {"percent_complete": _("A whole number from 0 to 100.")}

    def __init__(self, *args, task=None, fundings=(), periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        self._limit_periods(periods)
        percent = self.fields["percent_complete"]
        percent.widget.attrs.update({"min": 0, "max": 100, "inputmode": "numeric"})
        percent.error_messages["invalid"] = _("Enter a whole number from 0 to 100.")
        # The form field's own lower bound (a positive field's) speaks as the model's range does.
        percent.error_messages["min_value"] = _("Percent complete must be between 0 and 100.")
        self.fundings = list(fundings)
        reported = {}
        if self.instance.pk:
            reported = {row.funding_id: row.disbursed_to_date for row in self.instance.disbursements.all()}
        for funding in self.fundings:
            field = MoneyField(
                label=_("%(source)s %(year)s: disbursed to date (VND)")
                % {"source": funding.get_source_display(), "year": funding.year},
                required=False,
                error_messages={"min_value": _("Amounts cannot be negative.")},
            )
            field.widget.attrs.update({"class": "form-control text-end", "autocomplete": "off"})
            field.initial = reported.get(funding.pk)
            self.fields[disbursement_field(funding.pk)] = field

    def _limit_periods(self, periods) -> None:
        """Offer the periods of the task's programme; a programme without a schedule asks for none."""
        if periods is None or not periods.exists():
            del self.fields["period"]
            return
        period = self.fields["period"]
        period.queryset = periods
        # Left blank, the report answers for the period its date falls in (`progress_report_save`).
        period.empty_label = _("The period the report's date falls in")
        period.label_from_instance = lambda row: (
            _("%(period)s (due %(date)s)")
            % {
                "period": row.label,
                "date": row.due_on.strftime("%d/%m/%Y"),
            }
        )
        period.help_text = _("The period of the programme's reporting schedule this report answers for.")

    def visible_fields(self):
        """The report's own fields; the inputs per funding row are laid out in a table (`disbursement_rows`)."""
        names = {disbursement_field(funding.pk) for funding in self.fundings}
        return [field for field in super().visible_fields() if field.name not in names]

    def disbursement_rows(self) -> list[tuple]:
        """(funding row, its input) for each funding row of the task, oldest year first."""
        return [(funding, self[disbursement_field(funding.pk)]) for funding in self.fundings]

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        error = report_date_error(self.task, as_of) if self.task is not None and as_of else None
        if error:
            raise forms.ValidationError(error)
        return as_of

    def clean(self):
        cleaned = super().clean()
        amounts = {}
        for funding in self.fundings:
            name = disbursement_field(funding.pk)
            if name not in cleaned:
                continue  # refused already (not a number, negative)
            amount = cleaned[name]
            if amount is not None and amount > funding.allocated:
                self.add_error(name, exceeds_allocation(funding.allocated))
            amounts[funding.pk] = amount
        cleaned["disbursements"] = amounts
        return cleaned


class ProgressReviewForm(StyledFormMixin, forms.Form):
    """Ministry staff's decision on a submitted report."""

    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (RETURN, _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the province"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning: say what to correct."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why the report is returned, so that the province can correct it."))
        return cleaned


class OutputForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm):
    """An output of a task: "12 mô hình trình diễn" is one row with quantity 12, in its unit."""

    achieved_on = DateField(label=_("achieved on"))
    evidence_date = DateField(
        label=_("evidence date"),
        required=False,
        help_text=_("The date of that document, as dd/mm/yyyy."),
    )

    class Meta:
        model = Output
        fields = [
            "kind",
            "name",
            "description",
            "quantity",
            "unit",
            "achieved_on",
            "location",
            "evidence_number",
            "evidence_date",
            "evidence_file",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": TEXTAREA_ROWS})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        self.fields["quantity"].error_messages["invalid"] = _("Enter a whole number, at least 1.")
        self.fields["quantity"].error_messages["min_value"] = _("The quantity must be at least 1.")
        unit = self.fields["unit"]
        unit.error_messages["required"] = _("Say what the quantity counts: its unit.")
        unit.help_text = _("What the quantity counts, e.g. %(examples)s. Only quantities of one unit add up.") % {
            "examples": ", ".join(dict.fromkeys(OUTPUT_DEFAULT_UNITS.values()))
        }


class OutputReviewForm(StyledFormMixin, forms.Form):
    """Ministry staff's decision on a submitted output."""

    VERIFY = "verify"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(VERIFY, _("Verify")), (RETURN, _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the province"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning: say what to correct."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why the output is returned, so that the province can correct it."))
        return cleaned


class TaskAcceptanceForm(StyledFormMixin, forms.Form):
    """The acceptance record of a task ("biên bản / quyết định nghiệm thu"): its date and number."""

    accepted_on = DateField(label=_("accepted on"), help_text=_("Date of the acceptance record, as dd/mm/yyyy."))
    acceptance_decision = forms.CharField(
        label=_("acceptance record number"),
        max_length=100,
        help_text=_("Number of the acceptance minutes or decision, e.g. 15/QĐ-SKHCN."),
    )
