"""Filter forms of the programme, agency, meeting and recommendation lists.

The GET parameters are a contract with the dashboard and the other apps, which link to
filtered lists: keep their names. Choices that name programmes are narrowed to what the
user may see, so that a filter never reveals a programme outside their scope.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coop.filters import BaseFilterSet, KeyCheckedChoiceMixin, RowsFilter, YearRangeFilter
from coop.search import SEARCH_MAX_LENGTH
from programmes.choices import (
    PROGRAMME_STATE_ON_SCHEDULE,
    PROGRAMME_STATE_OVERDUE,
    AgencyKind,
    MeetingKind,
    ProgrammeKind,
    ProgrammeStatus,
    RecommendationStatus,
)
from programmes.models import Agency, Meeting, Programme, ProgrammeParty, Province, Recommendation


class ProgrammeChoiceField(KeyCheckedChoiceMixin, forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        # The code first: programme titles all begin alike and a narrow list cuts them off.
        return f"{obj.code} – {obj.title}"


class ProgrammeChoiceFilter(RowsFilter):
    field_class = ProgrammeChoiceField


def visible_programmes(user):
    if user is None:
        return Programme.objects.none()
    return Programme.objects.visible_to(user).order_by("-start_year", "code", "pk")


def provinces(user):
    return Province.objects.order_by("name", "pk")


def choice_checkboxes(choices, label):
    """A multiple choice among a few fixed values, shown as checkboxes."""
    return django_filters.MultipleChoiceFilter(
        choices=choices,
        label=label,
        widget=forms.CheckboxSelectMultiple,
    )


class ProgrammeFilter(BaseFilterSet):
    kind = choice_checkboxes(ProgrammeKind.choices, _("Kind"))
    status = choice_checkboxes(ProgrammeStatus.choices, _("Status"))
    province = RowsFilter(
        queryset=provinces,
        label_field="name",
        method="filter_province",
        label=_("Province"),
        help_text=_("Programmes with a party agency in the province."),
    )
    state = django_filters.ChoiceFilter(
        choices=[(PROGRAMME_STATE_OVERDUE, _("Overdue")), (PROGRAMME_STATE_ON_SCHEDULE, _("Not overdue"))],
        method="filter_state",
        label=_("Overdue?"),
        empty_label=_("All"),
        help_text=_("Overdue: still active after the last year of its period (of its orientation, if any)."),
    )
    ending_by = YearRangeFilter(
        method="filter_ending_by",
        label=_("Ending by (year)"),
        help_text=_("The last year of the period, that of the orientation if any."),
    )
    active_in = YearRangeFilter(
        method="filter_active_in",
        label=_("Running in (year)"),
    )

    class Meta:
        model = Programme
        fields = ["q", "kind", "status", "state", "province", "ending_by", "active_in"]

    def filter_state(self, queryset, name, value):
        """`ProgrammeQuerySet.overdue(today)` or every other programme."""
        today = timezone.localdate()
        if value == PROGRAMME_STATE_OVERDUE:
            return queryset.overdue(today)
        if value == PROGRAMME_STATE_ON_SCHEDULE:
            return queryset.not_overdue(today)
        return queryset

    def filter_ending_by(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.period_ending_by(value)

    def filter_province(self, queryset, name, value):
        if not value:
            return queryset
        parties = ProgrammeParty.objects.filter(agency__province__in=value).values("programme_id")
        return queryset.filter(pk__in=parties)

    def filter_active_in(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class AgencyFilter(BaseFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=AgencyKind.choices,
        label=_("Kind"),
    )
    province = RowsFilter(
        queryset=provinces,
        label_field="name",
        label=_("Province"),
    )
    current = django_filters.ChoiceFilter(
        choices=[("true", _("Still existing")), ("false", _("Merged or dissolved"))],
        method="filter_current",
        label=_("Still existing?"),
        empty_label=_("All"),
    )

    class Meta:
        model = Agency
        fields = ["q", "kind", "province", "current"]

    def filter_current(self, queryset, name, value):
        if value == "true":
            return queryset.filter(valid_to__isnull=True)
        if value == "false":
            return queryset.filter(valid_to__isnull=False)
        return queryset


class MeetingFilter(BaseFilterSet):
    programme = ProgrammeChoiceFilter(
        queryset=visible_programmes,
        label=_("Programme"),
    )
    kind = choice_checkboxes(MeetingKind.choices, _("Kind"))
    year = YearRangeFilter(
        field_name="held_on",
        lookup_expr="year",
        label=_("Year held"),
    )

    class Meta:
        model = Meeting
        fields = ["q", "programme", "kind", "year"]


def agencies_addressed(user):
    """Only the agencies that recommendations were ever addressed to: a short list to choose from."""
    if user is None:
        return Agency.objects.none()
    addressed = Recommendation.objects.visible_to(user).values("addressed_to_id")
    return Agency.objects.visible_to(user).filter(pk__in=addressed).order_by("name", "pk")


class RecommendationFilter(BaseFilterSet):
    # Recommendations keep no folded search column, so words must be typed with their diacritics.
    q = django_filters.CharFilter(
        method="filter_words",
        max_length=SEARCH_MAX_LENGTH,
        label=_("Search"),
        help_text=_("Words of the recommendation or its follow-up, with diacritics."),
    )
    programme = ProgrammeChoiceFilter(
        queryset=visible_programmes,
        field_name="meeting__programme",
        label=_("Programme"),
    )
    status = choice_checkboxes(RecommendationStatus.choices, _("Status"))
    addressed_to = RowsFilter(
        queryset=agencies_addressed,
        label=_("Addressed to"),
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Overdue only"),
        help_text=_("Past the due date and not yet done."),
        widget=forms.CheckboxInput(attrs={"value": "true", "class": "form-check-input"}),
    )

    class Meta:
        model = Recommendation
        fields = ["q", "programme", "status", "addressed_to", "overdue"]

    def filter_words(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(text__icontains=word) | Q(follow_up__icontains=word))
        return queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.overdue(timezone.localdate())
