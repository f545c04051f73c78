"""Form pieces every app shares: Bootstrap styling, dates typed dd/mm/yyyy, money typed as ministry staff write it."""

import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from coop.models import User

DATE_PLACEHOLDER = _("dd/mm/yyyy")


class StyledFormMixin:
    """Gives every widget Bootstrap's class, and marks fields with errors for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        # Every way an error arrives (a field, the form's clean, the model's rules, the service the view calls
        # after validation) ends here: outline the field and say it is invalid to screen readers.
        super().add_error(field, error)
        for name in self._errors:
            if name in self.fields:
                self._mark_invalid(self.fields[name].widget)

    @staticmethod
    def _mark_invalid(widget) -> None:
        widget.attrs["aria-invalid"] = "true"
        classes = widget.attrs.get("class", "").split()
        if "is-invalid" not in classes:
            widget.attrs["class"] = " ".join([*classes, "is-invalid"])


class DateInput(forms.DateInput):
    """A text box for dd/mm/yyyy: a browser's date picker would show and send dates in its own locale."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": DATE_PLACEHOLDER, "autocomplete": "off", **(attrs or {})})


class DateField(forms.DateField):
    widget = DateInput
    default_error_messages = {"invalid": _("Enter the date as dd/mm/yyyy, for example 10/06/2020.")}


class MoneyField(forms.DecimalField):
    """Whole VND as people type it: "1.200.000.000", "1 200 000 000 đ" or "1200000000"."""

    default_error_messages = {
        "invalid": _("Enter an amount in whole đồng, for example 1.200.000.000."),
        "max_decimal_places": _("Amounts are in whole đồng, without decimals."),
        "min_value": _("Amounts cannot be negative."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("min_value", 0)
        super().__init__(localize=True, **kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0]|đ|VND|vnd", "", value)
            # Whole đồng: "." or "," group thousands, whatever the language of the page, but only in groups of
            # three ("1.2.3.4" is a typing error, not 1.234 đồng: Django's localized input would read it so).
            if re.fullmatch(r"\d{1,3}([.,]\d{3})+", value):
                value = re.sub(r"[.,]", "", value)
            elif value and not re.fullmatch(r"-?\d+", value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    """Django's password change, with the application's styling."""


class ProfileForm(StyledFormMixin, forms.ModelForm):
    """What a user decides about their notifications (the language of their e-mails, which kinds come by e-mail)
    and about their exports (the separator of their CSV files)."""

    class Meta:
        model = User
        fields = (
            "language",
            "email_report_reminders",
            "email_recommendation_reminders",
            "email_submissions",
            "email_reviews",
            "email_weekly_digest",
            "csv_separator",
        )
        help_texts = {
            "language": _("Pages follow the language chosen at the top of each page; e-mails follow this one."),
        }
        # Two choices, both worth reading in full: radio buttons, not a drop-down.
        widgets = {"csv_separator": forms.RadioSelect}


class ApiTokenForm(StyledFormMixin, forms.Form):
    """The name of a new API key: what it is for."""

    name = forms.CharField(
        max_length=100,
        label=_("Name of the new key"),
        help_text=_("What the key is for, e.g. the system that uses it."),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the key a name, e.g. the system that uses it."))
        return name


class TableColumnsForm(forms.Form):
    """The columns a user wants in a list, checked against the list's table (`coop.tables.BaseTable`).

    The columns always shown are added whether sent or not; what is kept is in the table's sequence.
    """

    columns = forms.MultipleChoiceField(
        error_messages={
            "required": _("Choose at least one column to show."),
            "invalid_choice": _("This list has no column “%(value)s”."),
        },
    )

    def __init__(self, *args, table_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.table_class = table_class
        self.fields["columns"].choices = [(name, name) for name in table_class.column_names()]

    def clean_columns(self) -> list[str]:
        shown = set(self.cleaned_data["columns"]) | set(self.table_class.always_shown())
        return [name for name in self.table_class.column_names() if name in shown]
