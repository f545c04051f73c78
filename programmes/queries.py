"""Reads of the programmes app: the rows of its lists and the related lists of its detail pages.

Dependencies run reports → tasks → programmes → coop, so nothing here reads tasks, beyond the
two columns of the programme list that count a programme's tasks and sum their Ministry funding
(lookups through `Programme.tasks`). The figures of a programme, which count its tasks, funding
and outputs, are computed in `reports.figures`.

Every function that shows rows to a user takes the user and narrows its querysets with
`visible_to(user)`. Each runs a fixed number of queries, however many rows there are.
"""

import datetime

from django.db import models
from django.db.models import Case, Count, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from coop.history import HistoryEntry, HistorySource, change_logs_by_row
from programmes.choices import PENDING_RECOMMENDATION_STATUSES, AttendanceRole, PartyRole, ProgrammeStatus
from programmes.models import Agency, Meeting, Programme, ProgrammeParty, Recommendation, overdue_recommendation

# Rows of a related list shown on a detail page; the rest are one link away on the filtered list.
DETAIL_ROWS = 100

MONEY = models.DecimalField(max_digits=20, decimal_places=0)
COUNT = models.IntegerField()


def per_row(model: type[models.Model], aggregate, output_field: models.Field):
    """`aggregate` over the rows related to each outer row of `model`, as a correlated subquery.

    Aggregating over a join in the outer query would multiply its rows (a programme with
    30 tasks and 120 funding rows); inside the subquery the join is confined to one row.
    """
    inner = (
        model._base_manager.filter(pk=OuterRef("pk")).order_by().values("pk").annotate(value=aggregate).values("value")
    )
    return Coalesce(Subquery(inner, output_field=output_field), Value(0), output_field=output_field)


def choice_order(field_name: str, choices: type[models.Choices]) -> Case:
    """An ordering expression that follows the order in which `choices` are declared."""
    whens = [When(**{field_name: value}, then=Value(position)) for position, value in enumerate(choices.values)]
    return Case(*whens, default=Value(len(whens)), output_field=models.IntegerField())


def public_programmes() -> models.QuerySet:
    """The programmes anyone may read, without logging in (the public pages, the open data, the sitemap): those
    Ministry staff published, unless they are drafts (a programme set back to draft after publishing is hidden)."""
    return Programme.objects.filter(published=True).exclude(status=ProgrammeStatus.DRAFT)


# The rows of the lists. The base list view narrows each with `visible_to(request.user)`.


def programme_list_rows() -> models.QuerySet:
    """Programmes with their province-side parties, number of tasks and Ministry funding."""
    province_side = ProgrammeParty.objects.filter(role=PartyRole.PROVINCE_SIDE)
    # Long texts no column shows stay in the database.
    return (
        Programme.objects.defer("search_text", "objectives", "legal_basis")
        .annotate(
            task_count=per_row(Programme, Count("tasks"), COUNT),
            # Over the Ministry funding each task keeps summed, not over every funding row.
            ministry_funding=per_row(Programme, Sum("tasks__ministry_funding"), MONEY),
            # For sorting by the parties column: the first province-side agency.
            province_side_name=Subquery(
                province_side.filter(programme=OuterRef("pk")).order_by("pk").values("agency__name")[:1]
            ),
        )
        .prefetch_related(
            Prefetch(
                "programme_parties",
                queryset=province_side.select_related("agency").order_by("pk"),
                to_attr="province_parties",
            )
        )
    )


def agency_list_rows() -> models.QuerySet:
    return Agency.objects.select_related("province", "parent", "successor")


def meeting_list_rows() -> models.QuerySet:
    return (
        Meeting.objects.select_related("programme")
        .defer("search_text", "summary", "conclusions")
        .annotate(
            attendee_count=per_row(Meeting, Count("attendances"), COUNT),
            recommendation_count=per_row(Meeting, Count("recommendations"), COUNT),
        )
    )


def recommendation_list_rows() -> models.QuerySet:
    return Recommendation.objects.select_related("meeting__programme", "raised_by", "addressed_to")


# The related lists of a programme


def programme_parties(*, programme: Programme) -> models.QuerySet:
    """The parties in the order of their roles: Ministry side, province side, coordinator, members."""
    return programme.programme_parties.select_related("agency", "representative").order_by(
        choice_order("role", PartyRole), "pk"
    )


def programme_meetings(*, programme: Programme, user) -> models.QuerySet:
    """The programme's meetings, oldest first: a timeline."""
    return meeting_list_rows().visible_to(user).filter(programme=programme).order_by("held_on", "pk")


def programme_open_recommendations(*, programme: Programme, user) -> models.QuerySet:
    """Recommendations of the programme's meetings still open or in progress, the most pressing first."""
    return (
        Recommendation.objects.visible_to(user)
        .filter(meeting__programme=programme, status__in=PENDING_RECOMMENDATION_STATUSES)
        .select_related("meeting", "raised_by", "addressed_to")
        .order_by(F("due_on").asc(nulls_last=True), "meeting__held_on", "pk")
    )


def programme_phases(*, programme: Programme, user) -> tuple[Programme | None, list[Programme]]:
    """The previous phase and the next phases the user may see, in one query."""
    phases = Programme.objects.visible_to(user).filter(Q(previous_phase=programme))
    if programme.previous_phase_id:
        phases = phases | Programme.objects.visible_to(user).filter(pk=programme.previous_phase_id)
    previous, following = None, []
    for phase in phases.order_by("start_year", "code", "pk"):
        if phase.pk == programme.previous_phase_id:
            previous = phase
        else:
            following.append(phase)
    return previous, following


# A meeting's page


def meeting_attendances(*, meeting: Meeting) -> models.QuerySet:
    """Who attended, in protocol order: chair, co-chair, reporter, attendees."""
    return meeting.attendances.select_related("person__agency").order_by(
        choice_order("role", AttendanceRole), "person__full_name", "pk"
    )


def meeting_recommendations(*, meeting: Meeting, user, today: datetime.date) -> models.QuerySet:
    """The meeting's recommendations in the order they were raised, each saying whether it is overdue."""
    recommendations = (
        Recommendation.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("raised_by", "addressed_to")
        .order_by("pk")
    )
    return with_overdue(recommendations, today=today)


def with_overdue(recommendations: models.QuerySet, *, today: datetime.date) -> models.QuerySet:
    """`recommendations` annotated `is_overdue`: still open or in progress past their due date, as the dashboard
    and the recommendation list's "overdue" filter count them."""
    overdue = overdue_recommendation(today)
    return recommendations.annotate(is_overdue=ExpressionWrapper(overdue, output_field=models.BooleanField()))


# What a recommendation's follow-up history shows of its changes.
FOLLOW_UP_FIELDS = ("status", "follow_up", "due_on")


def follow_up_history(recommendations) -> dict[int, list[HistoryEntry]]:
    """Who changed the status, the follow-up or the due date of each recommendation, and when, newest first,
    by recommendation; a recommendation never changed since it was recorded has none.

    Read in one query for all of them, from the history django-simple-history keeps.
    """
    pks = [recommendation.pk for recommendation in recommendations]
    if not pks:
        return {}
    source = HistorySource(Recommendation.history.filter(id__in=pks), fields=FOLLOW_UP_FIELDS)
    return {
        pk: entries for pk, entries in change_logs_by_row(source).items() if any(entry.changes for entry in entries)
    }
