"""Forms of the reporting calendar: what `/reporting/` shows, and a programme's reporting schedule."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from coop.concurrency import VersionedFormMixin
from coop.filters import ChosenOnlySelect, QuickSelect
from coop.forms import DateField, StyledFormMixin
from programmes.models import Programme, Province, ReportingPeriod, period_label
from tasks.filters import task_province_choices

MAX_PERIODS_PER_SAVE = 200


class ComplianceFilterForm(StyledFormMixin, forms.Form):
    """The period, programme and province `/reporting/` counts; every field may stay blank."""

    period = forms.TypedChoiceField(
        label=_("Period ending"),
        required=False,
        coerce=forms.DateField().to_python,
        empty_value=None,
    )
    # A thousand programmes at national scale: the programme is chosen by a link (a row of the table by
    # programme, the programme's page), and the form shows it once chosen, so that it can be cleared.
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=ChosenOnlySelect,
    )
    province = forms.ModelChoiceField(
        label=_("Province of the lead agency"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )

    def __init__(self, *args, period_rows=(), user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("The latest period due"))] + [
            (row.key.isoformat(), row.label) for row in period_rows
        ]
        with_periods = ReportingPeriod.objects.values("programme")
        programmes = Programme.objects.visible_to(user).filter(pk__in=with_periods).only("pk", "code", "title")
        self.fields["programme"].queryset = programmes.order_by("-start_year", "code", "pk")
        self.fields["programme"].label_from_instance = lambda programme: Truncator(
            f"{programme.code} – {programme.title}"
        ).chars(90)
        # The provinces of the lead agencies of the tasks the user sees, those merged since included: a
        # task keeps the province it was signed under.
        self.fields["province"].queryset = task_province_choices(user)


class ReportingScheduleForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm):
    """The rule of a programme's schedule: how often its provinces report, when, and how early they are reminded."""

    class Meta:
        model = Programme
        fields = ["reporting_frequency", "reporting_due_day", "reporting_due_months_after", "reminder_days_before"]


class ReportingPeriodForm(StyledFormMixin, forms.ModelForm):
    starts_on = DateField(label=_("period starts on"))
    ends_on = DateField(label=_("period ends on"))
    due_on = DateField(label=_("report due on"))

    class Meta:
        model = ReportingPeriod
        fields = ["starts_on", "ends_on", "due_on", "is_final"]

    def period_name(self) -> str:
        if self.instance.pk:
            return period_label(self.instance.starts_on, self.instance.ends_on, is_final=self.instance.is_final)
        return ""


class BaseReportingPeriodFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """Periods of one programme never overlap: a report's date must fall in one period only."""
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("starts_on")
        ]
        kept.sort(key=lambda data: data["starts_on"])
        for earlier, later in zip(kept, kept[1:], strict=False):
            if earlier.get("ends_on") and later["starts_on"] <= earlier["ends_on"]:
                raise ValidationError(
                    _("The periods ending %(first)s and %(second)s overlap.")
                    % {
                        "first": earlier["ends_on"].strftime("%d/%m/%Y"),
                        "second": later["ends_on"].strftime("%d/%m/%Y"),
                    }
                )


ReportingPeriodFormSet = forms.inlineformset_factory(
    Programme,
    ReportingPeriod,
    form=ReportingPeriodForm,
    formset=BaseReportingPeriodFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_PERIODS_PER_SAVE,
    absolute_max=MAX_PERIODS_PER_SAVE,
    validate_max=True,
)
