"""The figures of a programme and of an agency, computed once for the pages and the PDF reports.

A programme's page shows its figures as they stand now; its review report shows them as they
stood at the end of a chosen day (`as_of`). Both call `programme_figures`, so a report as of
today prints the figures of the page. This module reads tasks, funding and outputs, which the
programmes app may not import; that is why it lives here, with the pages that show it.

Every function counts over what the user may see (`visible_to(user)`) and runs a fixed number
of queries, however many rows there are.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coop.figures import Figure, TargetFigure, list_url
from programmes.choices import (
    COUNTED_LABELS,
    OUTPUT_DEFAULT_UNITS,
    OutputKind,
    ProgrammeKind,
    TargetMetric,
    counted_label,
)
from programmes.models import Agency, Programme, ProgrammeParty, Target
from programmes.queries import DETAIL_ROWS, choice_order
from tasks.choices import PENDING_OUTPUT_STATUSES, FundingSource, OutputStatus, TaskStatus
from tasks.models import Funding, Output, Task, TaskPlace
from tasks.queries import UnitQuantity, quantities_by_kind_and_unit, unit_quantities

# Counts and sums shared by the dashboard, the programme and agency pages and the PDF reports.


def count_by_status(tasks: QuerySet) -> dict[str, int]:
    """Status → number of tasks; one query. Statuses without a task are absent."""
    # COUNT(*), not COUNT(id): PostgreSQL then counts from the status index alone (7 ms instead of
    # 44 for 50,000 tasks), as it needs no column but the status.
    return dict(tasks.order_by().values_list("status").annotate(count=Count("*")))


def allocated_by_source_and_year(fundings: QuerySet) -> dict[tuple[str, int], Decimal]:
    """(funding source, year) → allocated VND; one query."""
    rows = fundings.order_by().values_list("source", "year").annotate(total=Sum("allocated"))
    return {(source, year): total for source, year, total in rows}


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the site's time zone: what happened before it happened by `day`."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def counted_and_pending_as_of(as_of: datetime.date | None) -> tuple[Q | None, Q | None]:
    """Which outputs counted, and which were waiting, at the end of `as_of` (None: as they stand now).

    An output counts once verified, and only from then on: one verified on 15/6 did not count on 10/6,
    it was waiting. The defaults of `quantities_by_kind_and_unit` are the figures as they stand now.
    """
    if as_of is None:
        return None, None
    end = end_of_day(as_of)
    counted = Q(status=OutputStatus.VERIFIED, reviewed_at__lt=end)
    pending = Q(status__in=PENDING_OUTPUT_STATUSES) | Q(status=OutputStatus.VERIFIED, reviewed_at__gte=end)
    return counted, pending


def output_figures(quantities: dict, **params) -> list[Figure]:
    """One figure per (kind, unit) of `quantities_by_kind_and_unit`, in the order of the kinds: the verified
    quantity, linked to the verified outputs of the output list filtered by `params`, kind and unit, and
    beside it the pending quantity, linked to the recorded and submitted ones."""
    return [output_figure(row, **params) for row in unit_quantities(quantities)]


def output_figure(row: UnitQuantity, **params) -> Figure:
    filters = {**params, "kind": row.kind, "unit": row.unit}
    return Figure(
        key=row.kind,
        label=counted_label(row.kind, row.verified) if row.kind in COUNTED_LABELS else row.label,
        value=row.verified,
        url=list_url("output_list", **filters, status=OutputStatus.VERIFIED),
        unit=row.unit,
        pending=row.pending,
        pending_url=list_url("output_list", **filters, status=list(PENDING_OUTPUT_STATUSES)),
    )


# A programme's figures


@dataclass(frozen=True)
class FundingYear:
    """One year of the funding table: a cell per source (in the order of `funding_by_source`), and their total."""

    year: int
    cells: list[Figure]
    total: Decimal
    url: str  # the tasks running that year


@dataclass
class ProgrammeFigures:
    """The figures that speak for themselves ("những con số biết nói"), each linked to its list.

    `as_of` is None for the figures as they stand now, else the day they were counted up to.
    """

    as_of: datetime.date | None
    tasks: Figure
    tasks_by_status: list[Figure]
    ministry_funding: Figure
    funding_by_source: list[Figure]
    funding_by_year: list[FundingYear]
    funding_total: Decimal
    outputs_by_kind: list[Figure]
    targets: list[TargetFigure] = field(default_factory=list)
    # For a national programme: the tasks of other programmes funded through it (`funded_through_figures`),
    # apart from the tasks it owns, which the figures above count. None for other programmes.
    funded_through: "FundedThroughFigures | None" = None


def programme_figure_tasks(*, programme: Programme, user, as_of: datetime.date | None = None) -> QuerySet:
    """The programme's tasks the user may see, and of those only the ones started by `as_of` if given."""
    tasks = Task.objects.visible_to(user).filter(programme=programme)
    return tasks if as_of is None else tasks.filter(start_on__lte=as_of)


def programme_figure_outputs(*, tasks: QuerySet, as_of: datetime.date | None = None) -> QuerySet:
    """The outputs of `tasks` whatever their review, and of those only the ones achieved by `as_of` if given.

    What counts of them is chosen in the sums (`counted_and_pending_as_of`); `review_outputs` keeps
    the verified ones for the report's list.
    """
    outputs = Output.objects.filter(task__in=tasks.values("pk"))
    return outputs if as_of is None else outputs.filter(achieved_on__lte=as_of)


def programme_figures(*, programme: Programme, user, as_of: datetime.date | None = None) -> ProgrammeFigures:
    """Tasks by status, allocated funding by source and year, outputs by kind and unit, and the targets.

    Only verified outputs count; each output figure (one per kind and unit: units are never added up)
    carries the quantity still pending beside it. With `as_of`, the figures as they stood at the end of
    that day: only tasks started by then, funding allocated for the years up to its year (a year is
    allocated as it opens), and outputs achieved and verified by then. Four queries (tasks, funding,
    outputs, targets), whatever the programme's size.
    """
    tasks = programme_figure_tasks(programme=programme, user=user, as_of=as_of)
    figures = figures_of_tasks(programme=programme, tasks=tasks, as_of=as_of)
    if programme.kind == ProgrammeKind.NATIONAL:
        figures.funded_through = funded_through_figures(programme=programme, user=user, as_of=as_of)
    return figures


def published_programme_figures(*, programme: Programme) -> ProgrammeFigures:
    """The figures of a published programme as anyone may read them (the public pages): every task of its own and
    their funding, and its verified outputs alone: nothing waiting for verification is counted or shown, and the
    tasks of other programmes funded through a national programme are left out (they may not be published).
    Four queries. The figures' links lead to the lists behind the login; the public pages do not show them."""
    tasks = Task.objects.filter(programme=programme)
    return figures_of_tasks(programme=programme, tasks=tasks, verified_only=True)


def figures_of_tasks(
    *, programme: Programme, tasks: QuerySet, as_of: datetime.date | None = None, verified_only: bool = False
) -> ProgrammeFigures:
    """`programme_figures` over `tasks`, the programme's tasks someone may see; with `verified_only`, outputs
    not verified are left out altogether rather than shown as pending."""
    pk = programme.pk
    status_counts = count_by_status(tasks)
    tasks_by_status = [
        Figure(
            key=value, label=label, value=status_counts[value], url=list_url("task_list", programme=pk, status=value)
        )
        for value, label in TaskStatus.choices
        if status_counts.get(value)
    ]

    fundings = Funding.objects.filter(task__in=tasks.values("pk"))
    if as_of is not None:
        fundings = fundings.filter(year__lte=as_of.year)
    funding_by_source, funding_by_year = _funding_figures(allocated_by_source_and_year(fundings), pk)
    ministry = next((figure.value for figure in funding_by_source if figure.key == FundingSource.MINISTRY), Decimal(0))

    counted, pending = counted_and_pending_as_of(as_of)
    outputs = programme_figure_outputs(tasks=tasks, as_of=as_of)
    if verified_only:
        outputs = outputs.counted()
    quantities = quantities_by_kind_and_unit(outputs, counted=counted, pending=pending)

    task_count = sum(status_counts.values())
    figures = ProgrammeFigures(
        as_of=as_of,
        tasks=tasks_figure(programme=programme, count=task_count),
        tasks_by_status=tasks_by_status,
        ministry_funding=ministry_funding_figure(programme=programme, amount=ministry),
        funding_by_source=funding_by_source,
        funding_by_year=funding_by_year,
        funding_total=sum((figure.value for figure in funding_by_source), Decimal(0)),
        outputs_by_kind=output_figures(quantities, programme=pk),
    )
    figures.targets = programme_targets(programme=programme, figures=figures)
    return figures


def tasks_figure(*, programme: Programme, count: int) -> Figure:
    """The number of the programme's tasks, linked to the task list filtered by the programme."""
    return Figure(
        key=TargetMetric.TASKS,
        label=counted_label(TargetMetric.TASKS, count),
        value=count,
        url=list_url("task_list", programme=programme.pk),
    )


def ministry_funding_figure(*, programme: Programme, amount: Decimal) -> Figure:
    """The funding allocated by the Ministry to the programme's tasks, linked to the tasks it funds."""
    return Figure(
        key=FundingSource.MINISTRY,
        label=TargetMetric.MINISTRY_FUNDING.label,
        value=amount,
        url=list_url("task_list", programme=programme.pk, funding_source=FundingSource.MINISTRY),
    )


@dataclass
class HeadlineFigures:
    """A published programme's figures in brief, as the list of published programmes shows them: its tasks, its
    Ministry funding, its verified outputs by kind and unit, and its targets beside them."""

    tasks: Figure
    ministry_funding: Figure
    outputs_by_kind: list[Figure]
    targets: list[TargetFigure] = field(default_factory=list)


def published_programme_headlines(programmes: list[Programme]) -> dict[int, HeadlineFigures]:
    """The headline figures of each of `programmes` (published ones, annotated `task_count` and `ministry_funding` as
    `programmes.queries.programme_list_rows` does), by primary key. Verified outputs only. Two queries for them all."""
    pks = [programme.pk for programme in programmes]
    quantities = defaultdict(dict)
    verified = (
        Output.objects.counted()
        .filter(task__programme__in=pks)
        .order_by()
        .values_list("task__programme", "kind", "unit")
        .annotate(total=Sum("quantity"))
    )
    for programme_id, kind, unit, total in verified:
        quantities[programme_id][kind, unit] = (total, 0)
    targets = defaultdict(list)
    for target in Target.objects.filter(programme__in=pks).order_by("programme", *target_order()):
        targets[target.programme_id].append(target)
    headlines = {}
    for programme in programmes:
        figures = HeadlineFigures(
            tasks=tasks_figure(programme=programme, count=programme.task_count),
            ministry_funding=ministry_funding_figure(programme=programme, amount=programme.ministry_funding),
            outputs_by_kind=output_figures(quantities[programme.pk], programme=programme.pk),
        )
        figures.targets = programme_targets(programme=programme, figures=figures, targets=targets[programme.pk])
        headlines[programme.pk] = figures
    return headlines


def _funding_figures(amounts: dict[tuple[str, int], Decimal], pk: int) -> tuple[list[Figure], list[FundingYear]]:
    """Allocated funding by source (only the sources that funded something, in their declared order) and by year."""
    by_source = defaultdict(Decimal)
    for (source, _year), amount in amounts.items():
        by_source[source] += amount
    sources = [(value, label) for value, label in FundingSource.choices if value in by_source]
    funding_by_source = [
        Figure(
            key=value,
            label=label,
            value=by_source[value],
            url=list_url("task_list", programme=pk, funding_source=value),
        )
        for value, label in sources
    ]
    funding_by_year = []
    for year in sorted({year for _source, year in amounts}):
        cells = [
            Figure(
                key=value,
                label=label,
                value=amounts.get((value, year), Decimal(0)),
                url=list_url("task_list", programme=pk, funding_source=value, year_from=year, year_to=year),
            )
            for value, label in sources
        ]
        funding_by_year.append(
            FundingYear(
                year=year,
                cells=cells,
                total=sum((cell.value for cell in cells), Decimal(0)),
                url=list_url("task_list", programme=pk, year_from=year, year_to=year),
            )
        )
    return funding_by_source, funding_by_year


# The tasks a national programme funds


@dataclass
class FundedThroughFigures:
    """The tasks funded through a national programme ("thuộc chương trình", `Task.funded_through`), which other
    programmes own (a cooperation programme with a province): how many, by status, where they are carried
    out, and their allocated funding by source. Each figure links to the task list filtered by
    `funded_through` (and by status, place or funding source)."""

    tasks: Figure
    tasks_by_status: list[Figure]
    tasks_by_place: list[Figure]  # a task carried out in two provinces counts in each
    funding_by_source: list[Figure]
    funding_total: Figure

    def __bool__(self) -> bool:
        return bool(self.tasks.value)


def funded_through_tasks(*, programme: Programme, user, as_of: datetime.date | None = None) -> QuerySet:
    """The tasks funded through `programme` that the user may see, whichever programme owns them; with
    `as_of`, only those started by then (as `programme_figure_tasks`)."""
    tasks = Task.objects.visible_to(user).filter(funded_through=programme)
    return tasks if as_of is None else tasks.filter(start_on__lte=as_of)


def funded_through_figures(*, programme: Programme, user, as_of: datetime.date | None = None) -> FundedThroughFigures:
    """Counts and allocated funding of the tasks funded through `programme` (`funded_through_tasks`).

    Funding is the allocation of every funding row of those tasks (with `as_of`, of the years up to its
    year), by source, as for the tasks a programme owns. Three queries, whatever the number of tasks.
    """
    pk = programme.pk
    tasks = funded_through_tasks(programme=programme, user=user, as_of=as_of)
    status_counts = count_by_status(tasks)
    fundings = Funding.objects.filter(task__in=tasks.values("pk"))
    if as_of is not None:
        fundings = fundings.filter(year__lte=as_of.year)
    by_source = dict(fundings.order_by().values_list("source").annotate(total=Sum("allocated")))
    places = (
        TaskPlace.objects.filter(task__in=tasks.values("pk"))
        .order_by()
        .values_list("province", "province__name")
        .annotate(count=Count("task", distinct=True))
    )
    return FundedThroughFigures(
        tasks=Figure(
            key="funded_tasks",
            label=_("Tasks funded through the programme"),
            value=sum(status_counts.values()),
            url=list_url("task_list", funded_through=pk),
        ),
        tasks_by_status=[
            Figure(value, label, status_counts[value], list_url("task_list", funded_through=pk, status=value))
            for value, label in TaskStatus.choices
            if status_counts.get(value)
        ],
        tasks_by_place=[
            Figure(str(province), name, count, list_url("task_list", funded_through=pk, place=province))
            for province, name, count in sorted(places, key=lambda row: (row[1], row[0]))
        ],
        funding_by_source=[
            Figure(value, label, by_source[value], list_url("task_list", funded_through=pk, funding_source=value))
            for value, label in FundingSource.choices
            if value in by_source
        ],
        funding_total=Figure(
            key="funded_total",
            label=_("Allocated funding of the tasks funded through the programme"),
            value=sum(by_source.values(), Decimal(0)),
            url=list_url("task_list", funded_through=pk),
        ),
    )


def target_output_figure(kind: str, figures: list[Figure]) -> Figure | None:
    """The figure an output target of `kind` is measured by: the kind's quantity in its default unit
    (`OUTPUT_DEFAULT_UNITS`, the unit targets are agreed in), or its only unit; never a sum over units."""
    of_kind = [figure for figure in figures if figure.key == kind]
    default = OUTPUT_DEFAULT_UNITS.get(kind)
    in_default_unit = next((figure for figure in of_kind if figure.unit == default), None)
    if in_default_unit is not None:
        return in_default_unit
    return of_kind[0] if len(of_kind) == 1 else None


def programme_targets(
    *, programme: Programme, figures: ProgrammeFigures | HeadlineFigures, targets=None
) -> list[TargetFigure]:
    """The programme's targets, each beside the figure it is measured by (verified outputs only); one query, none
    when `targets` (the programme's, read already in the order `target_order()`) are given."""
    by_metric = {
        TargetMetric.TASKS: figures.tasks,
        TargetMetric.MINISTRY_FUNDING: figures.ministry_funding,
        **{kind: target_output_figure(kind, figures.outputs_by_kind) for kind in OutputKind.values},
    }
    if targets is None:
        targets = programme.targets.order_by(*target_order())
    target_figures = []
    for target in targets:
        figure = by_metric.get(target.metric)
        target_figures.append(
            TargetFigure(
                label=target.get_metric_display(),
                target=target.value,
                actual=figure.value if figure else 0,
                url=figure.url
                if figure
                else list_url("output_list", programme=programme.pk, kind=target.metric, status=OutputStatus.VERIFIED),
                note=target.note,
                is_money=target.metric == TargetMetric.MINISTRY_FUNDING,
                key=str(target.pk),
            )
        )
    return target_figures


def target_order() -> tuple:
    """Targets in the order of their metrics: tasks, Ministry funding, then the output kinds."""
    return (choice_order("metric", TargetMetric), "pk")


# An agency's figures


@dataclass
class AgencyActivity:
    """What an agency is party to and leads, as far as the user may see."""

    parties: list
    tasks: list
    task_count: int
    tasks_url: str
    outputs_by_kind: list[Figure]


def agency_activity(*, agency: Agency, user, limit: int = DETAIL_ROWS) -> AgencyActivity:
    """The programmes the agency is party to, the tasks it leads and their verified outputs by kind and unit.

    Only the programmes and tasks the user may see; three queries, however many tasks.
    """
    parties = list(
        ProgrammeParty.objects.filter(agency=agency, programme__in=Programme.objects.visible_to(user).values("pk"))
        .select_related("programme", "representative")
        .order_by("-programme__start_year", "programme__code", "pk")
    )
    led = Task.objects.visible_to(user).filter(lead_agency=agency)
    tasks = list(led.select_related("programme").order_by("-start_on", "code", "pk")[:limit])
    # One row per task, output kind and unit, and one per task without outputs: every task led is counted here.
    led_ids = set()
    task_ids = defaultdict(set)  # (output kind, unit) → tasks that produced it
    quantities = defaultdict(lambda: (0, 0))
    rows = (
        led.order_by()
        .values_list("pk", "outputs__kind", "outputs__unit")
        .annotate(
            verified=Sum("outputs__quantity", filter=Q(outputs__status=OutputStatus.VERIFIED)),
            waiting=Sum("outputs__quantity", filter=Q(outputs__status__in=PENDING_OUTPUT_STATUSES)),
        )
    )
    for task_id, kind, unit, verified, waiting in rows:
        led_ids.add(task_id)
        if kind is not None:
            task_ids[kind, unit].add(task_id)
            counted, pending = quantities[kind, unit]
            quantities[kind, unit] = (counted + (verified or 0), pending + (waiting or 0))
    outputs_by_kind = [
        output_figure(row, task=sorted(task_ids[row.kind, row.unit])) for row in unit_quantities(quantities)
    ]
    return AgencyActivity(
        parties=parties,
        tasks=tasks,
        task_count=len(led_ids),
        tasks_url=list_url("task_list", lead_agency=agency.pk),
        outputs_by_kind=outputs_by_kind,
    )
