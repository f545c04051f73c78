"""Forms of the programmes app: a meeting with its attendance and recommendations, a follow-up."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coop.concurrency import VersionedFormMixin
from coop.forms import DateField, StyledFormMixin
from coop.roles import MINISTRY_AGENCY_KINDS
from programmes.choices import PENDING_RECOMMENDATION_STATUSES, RecommendationStatus
from programmes.models import Agency, Attachment, Attendance, Meeting, Person, Programme, Recommendation

TEXTAREA_ROWS = 4
# Rows of attendance or recommendations saved with one meeting form. Django would build up to
# 2,000 forms for whatever count the page claims to send; a real meeting needs far fewer.
MAX_ROWS_PER_SAVE = 200


class MeetingForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm):
    held_on = DateField(label=_("held on"))

    class Meta:
        model = Meeting
        fields = ["programme", "held_on", "place", "kind", "title", "summary", "conclusions"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
            "conclusions": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user).order_by("-start_year", "code")


def agencies_of(programme: Programme | None):
    """Who takes part in a programme's meetings: its parties, their units, and the Ministry's side."""
    ministry = Q(kind__in=MINISTRY_AGENCY_KINDS)
    if programme is None:
        return Agency.objects.filter(ministry).order_by("name")
    parties = programme.parties.values("pk")
    return Agency.objects.filter(ministry | Q(pk__in=parties) | Q(parent__in=parties)).order_by("name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        parts = [person.full_name, person.position, person.agency.short_name or person.agency.name]
        return " – ".join(part for part in parts if part)


class AttendanceForm(StyledFormMixin, forms.ModelForm):
    person = PersonChoiceField(queryset=Person.objects.none(), label=_("person"))

    class Meta:
        model = Attendance
        fields = ["person", "role"]

    def validate_unique(self):
        """Also the constraint "one row per person and meeting", against the rows already saved.

        Django leaves out of a row's validation the constraints that involve the foreign key of
        an inline formset (`meeting`), and compares the rows only with each other: a person
        already listed but not among the rows posted (a page opened before someone else added
        them) would reach the database and fail there.
        """
        super().validate_unique()
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)


class RecommendationForm(StyledFormMixin, forms.ModelForm):
    """A recommendation as a tracked action: the agency responsible for it and the date it is due.

    Both are asked for as long as it waits for someone to act (open or in progress): without a due date
    it could never be overdue. A recommendation done or dropped may keep none.
    """

    due_on = DateField(label=_("due on"), required=False)

    class Meta:
        model = Recommendation
        fields = ["text", "raised_by", "addressed_to", "due_on", "status", "follow_up"]
        labels = {"addressed_to": _("Responsible agency")}
        error_messages = {"addressed_to": {"required": _("Choose the agency responsible for the recommendation.")}}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        pending = cleaned.get("status") in PENDING_RECOMMENDATION_STATUSES
        # A date typed wrong has its own message already.
        if pending and not cleaned.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", _("Enter the date the recommendation is due: one open or in progress needs it."))
        return cleaned


class BaseMeetingFormSet(forms.BaseInlineFormSet):
    """Rows whose choices are the programme's agencies and people, read once for every row.

    The counts of the management form come from the page, so they are checked: a damaged
    count or more than MAX_ROWS_PER_SAVE rows get a message, never thousands of forms.
    """

    default_error_messages = {
        "missing_management_form": _("The form was damaged; open the page again."),
        "too_many_forms": _("At most %(num)d rows can be saved at once."),
    }

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = agencies_of(programme)
        people = Person.objects.filter(agency__in=agencies).select_related("agency").order_by("full_name")
        for form in self.forms + [self.empty_form]:
            for name, queryset in (("person", people), ("raised_by", agencies), ("addressed_to", agencies)):
                if name in form.fields:
                    form.fields[name].queryset = queryset
        # One list of choices for every row instead of one query per row.
        for name in ("person", "raised_by", "addressed_to"):
            fields = [form.fields[name] for form in self.forms if name in form.fields]
            if fields:
                choices = list(fields[0].choices)
                for field in fields:
                    field.choices = choices


AttendanceFormSet = forms.inlineformset_factory(
    Meeting,
    Attendance,
    form=AttendanceForm,
    formset=BaseMeetingFormSet,
    extra=3,
    can_delete=True,
    max_num=MAX_ROWS_PER_SAVE,
    absolute_max=MAX_ROWS_PER_SAVE,
    validate_max=True,
)
RecommendationFormSet = forms.inlineformset_factory(
    Meeting,
    Recommendation,
    form=RecommendationForm,
    formset=BaseMeetingFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_ROWS_PER_SAVE,
    absolute_max=MAX_ROWS_PER_SAVE,
    validate_max=True,
)


class FollowUpForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm):
    """What the agency a recommendation is addressed to has done about it."""

    status = forms.ChoiceField(
        label=_("status"),
        choices=[
            (RecommendationStatus.OPEN, RecommendationStatus.OPEN.label),
            (RecommendationStatus.IN_PROGRESS, RecommendationStatus.IN_PROGRESS.label),
            (RecommendationStatus.DONE, RecommendationStatus.DONE.label),
        ],
    )

    class Meta:
        model = Recommendation
        fields = ["status", "follow_up"]
        widgets = {"follow_up": forms.Textarea(attrs={"rows": TEXTAREA_ROWS})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") != RecommendationStatus.OPEN and not cleaned.get("follow_up", "").strip():
            self.add_error("follow_up", _("Say what has been done, so that the Ministry can follow it."))
        return cleaned


class AttachmentForm(StyledFormMixin, forms.ModelForm):
    """A document for a meeting; the model's validator checks its size and what it really is."""

    class Meta:
        model = Attachment
        fields = ["title", "file"]
        help_texts = {
            "file": _("PDF, Word, Excel, PowerPoint, OpenDocument, JPEG or PNG."),
        }
