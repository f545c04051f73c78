"""The options of a programme review report, and the forms of a review document's life."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coop.concurrency import VersionedFormMixin
from coop.forms import StyledFormMixin
from programmes.models import Agency, Programme
from reports.models import GeneratedReport, signers
from reports.review_document import SECTION_FIELDS

DATE_INPUT = "%d/%m/%Y"
NARRATIVE_ROWS = 8


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


class ReviewDocumentForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm):
    """A draft's narrative, recipients and signer, as the drafting unit writes them.

    Recipients are chosen among the programme's parties (`parties`) and typed for anyone else; the
    signer among the active leadership users linked to a person, whose position the signature shows.
    """

    class Meta:
        model = GeneratedReport
        fields = [
            "results",
            "shortcomings",
            "causes",
            "directions",
            "proposals",
            "recipient_agencies",
            "other_recipients",
            "drafting_unit",
            "signer",
            "signing_authority",
        ]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": NARRATIVE_ROWS}) for name in SECTION_FIELDS},
            "other_recipients": forms.Textarea(attrs={"rows": 3}),
            "recipient_agencies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_agencies"].queryset = Agency.objects.filter(
            pk__in=[party.agency_id for party in parties]
        ).order_by("name", "pk")
        self.fields["signer"].queryset = signers()
        self.fields["signer"].label_from_instance = signer_label
        self.fields["signing_authority"].required = True


def signer_label(user) -> str:
    return f"{user.person.full_name} – {user.person.position}"


class DocumentReturnForm(StyledFormMixin, forms.Form):
    """Why a document waiting for signature goes back to its drafting unit."""

    note = forms.CharField(
        label=_("What needs changing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what needs changing before the document is signed.")},
    )
