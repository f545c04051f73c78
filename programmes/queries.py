"""Reads of the programmes app: the rows of its lists and the figures of its detail pages.

Dependencies run reports → tasks → programmes → coop, so nothing here imports the tasks
app: its models are reached through the reverse relations (`Programme.tasks`,
`Task.fundings`, `Task.outputs`) and through lookups such as `tasks__fundings__allocated`.

Every function that shows rows to a user takes the user and narrows its querysets with
`visible_to(user)`. Each runs a fixed number of queries, however many rows there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db import models
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse

from programmes.choices import AttendanceRole, OutputKind, PartyRole, RecommendationStatus, TargetMetric
from programmes.models import Agency, Meeting, Programme, ProgrammeParty, Recommendation

# `tasks.choices.FundingSource.MINISTRY`, which this app may not import: "Ministry funding"
# is the money allocated from the central S&T budget.
MINISTRY_SOURCE = "ministry"
# Recommendations that still wait for someone to act on them.
PENDING_RECOMMENDATION = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
# Rows of a related list shown on a detail page; the rest are one link away on the filtered list.
DETAIL_ROWS = 100

MONEY = models.DecimalField(max_digits=20, decimal_places=0)
COUNT = models.IntegerField()


def task_model() -> type[models.Model]:
    """`tasks.Task`, reached through the reverse relation so that programmes does not import tasks."""
    return Programme._meta.get_field("tasks").related_model


def choice_labels(model: type[models.Model], field_name: str) -> dict[str, str]:
    """Value → label of a choice field, in the order the choices are declared."""
    return dict(model._meta.get_field(field_name).choices)


def filtered_list_url(viewname: str, **params) -> str:
    """The URL of a list filtered by `params` (a list value repeats the parameter)."""
    query = urlencode({name: value for name, value in params.items() if value is not None}, doseq=True)
    return f"{reverse(viewname)}?{query}" if query else reverse(viewname)


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


# The figures of a programme


@dataclass(frozen=True)
class Figure:
    """A number on screen, with what it counts and the filtered list that produces it."""

    label: str
    value: int | Decimal
    url: str
    key: str = ""


@dataclass(frozen=True)
class TargetFigure:
    """A target beside the figure computed from the records."""

    label: str
    target: Decimal
    actual: int | Decimal
    url: str
    note: str = ""
    is_money: bool = False

    @property
    def percent(self) -> int | None:
        """How much of the target is reached, in whole percent."""
        if not self.target:
            return None
        return int(Decimal(self.actual) * 100 / self.target)


@dataclass(frozen=True)
class FundingYear:
    year: int
    cells: list[Figure]  # one per source of `ProgrammeFigures.funding_by_source`, in that order
    total: Decimal
    url: str  # the tasks running that year


@dataclass
class ProgrammeFigures:
    """The figures that speak for themselves ("những con số biết nói"), each linked to its list."""

    tasks: Figure
    tasks_by_status: list[Figure] = field(default_factory=list)
    ministry_funding: Figure | None = None
    funding_by_source: list[Figure] = field(default_factory=list)
    funding_by_year: list[FundingYear] = field(default_factory=list)
    funding_total: Decimal = Decimal(0)
    outputs_by_kind: list[Figure] = field(default_factory=list)
    targets: list[TargetFigure] = field(default_factory=list)


def programme_figures(*, programme: Programme, user) -> ProgrammeFigures:
    """Tasks by status, allocated funding by source and year, outputs by kind, and the targets.

    Four queries (tasks, funding, outputs, targets), whatever the size of the programme.
    Counted over the tasks the user may see: for a programme they may see, every task of it.
    """
    Task = task_model()
    tasks = Task.objects.visible_to(user).filter(programme=programme).order_by()
    pk = programme.pk

    status_counts = dict(tasks.values_list("status").annotate(count=Count("pk")))
    tasks_by_status = [
        Figure(label, status_counts[value], filtered_list_url("task_list", programme=pk, status=value), value)
        for value, label in choice_labels(Task, "status").items()
        if status_counts.get(value)
    ]
    task_total = sum(status_counts.values())

    amounts = defaultdict(Decimal)  # (source, year) → allocated
    rows = tasks.values_list("fundings__source", "fundings__year").annotate(total=Sum("fundings__allocated"))
    for source, year, total in rows:
        if source is not None:
            amounts[source, year] += total or 0
    Funding = Task._meta.get_field("fundings").related_model
    by_source = defaultdict(Decimal)
    for (source, _year), amount in amounts.items():
        by_source[source] += amount
    # The sources that funded something, in the order they are declared.
    sources = [(value, label) for value, label in choice_labels(Funding, "source").items() if value in by_source]
    funding_by_source = [
        Figure(label, by_source[value], filtered_list_url("task_list", programme=pk, funding_source=value), value)
        for value, label in sources
    ]
    funding_by_year = []
    for year in sorted({year for _source, year in amounts}):
        cells = [
            Figure(
                label,
                amounts.get((value, year), Decimal(0)),
                filtered_list_url("task_list", programme=pk, funding_source=value, year_from=year, year_to=year),
                value,
            )
            for value, label in sources
        ]
        funding_by_year.append(
            FundingYear(
                year,
                cells,
                sum(cell.value for cell in cells),
                filtered_list_url("task_list", programme=pk, year_from=year, year_to=year),
            )
        )
    ministry = by_source.get(MINISTRY_SOURCE, Decimal(0))

    quantities = {
        kind: total
        for kind, total in tasks.values_list("outputs__kind").annotate(total=Sum("outputs__quantity"))
        if kind is not None
    }
    outputs_by_kind = [
        Figure(label, quantities[value], filtered_list_url("output_list", programme=pk, kind=value), value)
        for value, label in OutputKind.choices
        if quantities.get(value)
    ]

    figures = ProgrammeFigures(
        tasks=Figure(TargetMetric.TASKS.label, task_total, filtered_list_url("task_list", programme=pk)),
        tasks_by_status=tasks_by_status,
        ministry_funding=Figure(
            TargetMetric.MINISTRY_FUNDING.label,
            ministry,
            filtered_list_url("task_list", programme=pk, funding_source=MINISTRY_SOURCE),
            MINISTRY_SOURCE,
        ),
        funding_by_source=funding_by_source,
        funding_by_year=funding_by_year,
        funding_total=sum(by_source.values(), Decimal(0)),
        outputs_by_kind=outputs_by_kind,
    )
    targets = programme.targets.order_by(choice_order("metric", TargetMetric), "pk")
    figures.targets = [_target_figure(target, figures, quantities) for target in targets]
    return figures


def _target_figure(target, figures: ProgrammeFigures, quantities: dict[str, int]) -> TargetFigure:
    pk = target.programme_id
    if target.metric == TargetMetric.TASKS:
        actual, url = figures.tasks.value, figures.tasks.url
    elif target.metric == TargetMetric.MINISTRY_FUNDING:
        actual, url = figures.ministry_funding.value, figures.ministry_funding.url
    else:
        actual = quantities.get(target.metric, 0)
        url = filtered_list_url("output_list", programme=pk, kind=target.metric)
    return TargetFigure(
        label=target.get_metric_display(),
        target=target.value,
        actual=actual,
        url=url,
        note=target.note,
        is_money=target.metric == TargetMetric.MINISTRY_FUNDING,
    )


# The related lists of a programme


def programme_parties(*, programme: Programme) -> models.QuerySet:
    """The parties in the order of their roles: Ministry side, province side, coordinator, members."""
    return programme.programme_parties.select_related("agency", "representative").order_by(
        choice_order("role", PartyRole), "pk"
    )


def programme_tasks(*, programme: Programme, user, limit: int | None = DETAIL_ROWS) -> models.QuerySet:
    """The programme's tasks the user may see (each keeps its Ministry funding summed)."""
    tasks = programme.tasks.visible_to(user).select_related("lead_agency").order_by("code", "pk")
    return tasks[:limit] if limit else tasks


def programme_meetings(*, programme: Programme, user) -> models.QuerySet:
    """The programme's meetings, oldest first: a timeline."""
    return meeting_list_rows().visible_to(user).filter(programme=programme).order_by("held_on", "pk")


def programme_open_recommendations(*, programme: Programme, user) -> models.QuerySet:
    """Recommendations of the programme's meetings still open or in progress, the most pressing first."""
    return (
        Recommendation.objects.visible_to(user)
        .filter(meeting__programme=programme, status__in=PENDING_RECOMMENDATION)
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


# An agency's page


@dataclass
class AgencyActivity:
    """What an agency is party to and leads, as far as the user may see."""

    parties: list
    tasks: list
    task_count: int
    tasks_url: str
    outputs_by_kind: list[Figure]


def agency_activity(*, agency, user, limit: int = DETAIL_ROWS) -> AgencyActivity:
    """The programmes the agency is party to, the tasks it leads and their outputs by kind.

    Only the programmes and tasks the user may see; three queries, however many tasks.
    """
    Task = task_model()
    parties = list(
        ProgrammeParty.objects.filter(agency=agency, programme__in=Programme.objects.visible_to(user).values("pk"))
        .select_related("programme", "representative")
        .order_by("-programme__start_year", "programme__code", "pk")
    )
    led = Task.objects.visible_to(user).filter(lead_agency=agency)
    tasks = list(led.select_related("programme").order_by("-start_on", "code", "pk")[:limit])
    # One row per task and output kind, and one per task without outputs: every task led is counted here.
    led_ids = set()
    task_ids = defaultdict(set)  # output kind → tasks that produced it
    quantities = defaultdict(int)
    for task_id, kind, total in (
        led.order_by().values_list("pk", "outputs__kind").annotate(total=Sum("outputs__quantity"))
    ):
        led_ids.add(task_id)
        if kind is not None:
            task_ids[kind].add(task_id)
            quantities[kind] += total
    outputs_by_kind = [
        Figure(label, quantities[value], filtered_list_url("output_list", kind=value, task=sorted(task_ids[value])))
        for value, label in OutputKind.choices
        if quantities.get(value)
    ]
    return AgencyActivity(
        parties=parties,
        tasks=tasks,
        task_count=len(led_ids),
        tasks_url=filtered_list_url("task_list", lead_agency=agency.pk),
        outputs_by_kind=outputs_by_kind,
    )


# A meeting's page


def meeting_attendances(*, meeting: Meeting) -> models.QuerySet:
    """Who attended, in protocol order: chair, co-chair, reporter, attendees."""
    return meeting.attendances.select_related("person__agency").order_by(
        choice_order("role", AttendanceRole), "person__full_name", "pk"
    )


def meeting_recommendations(*, meeting: Meeting, user) -> models.QuerySet:
    return (
        Recommendation.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("raised_by", "addressed_to")
        .order_by("pk")
    )
