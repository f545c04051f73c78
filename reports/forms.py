"""The options a user chooses before a programme review report is drawn."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme

DATE_INPUT = "%d/%m/%Y"


class ProgrammeReviewForm(forms.Form):
    """As of which day the figures stand, in which language the report is written, and whether it lists the tasks."""

    as_of = forms.DateField(
        label=_("Figures as of"),
        input_formats=[DATE_INPUT],
        widget=forms.DateInput(format=DATE_INPUT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        help_text=_("dd/mm/yyyy. Tasks, funding, outputs, meetings and progress approved after this day are left out."),
        error_messages={
            "required": _("Type the day the figures should stand at, as dd/mm/yyyy."),
            "invalid": _("Type the date as dd/mm/yyyy, for example 10/06/2020."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": _("Choose Vietnamese or English.")},
    )
    include_tasks = forms.BooleanField(
        label=_("Include the table of S&T tasks"),
        required=False,
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean_as_of(self) -> datetime.date:
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(
                _("Figures cannot be taken as of a day still to come: choose today or an earlier day.")
            )
        if as_of.year < self.programme.start_year:
            raise forms.ValidationError(
                _("The programme starts in %(year)s: choose a day from 01/01/%(year)s on."),
                params={"year": self.programme.start_year},
            )
        return as_of
