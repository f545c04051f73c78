"""Reads of tasks and outputs that the list and detail pages (and the reports) share.

A task's allocated funding, per source and in all, is kept summed on the task (`FUNDING_SUMS`);
sums over a task's funding rows that the task does not keep (up to a year, say) are subqueries,
never joins: a join to `Funding` would repeat each task once per funding row and multiply every
other sum and count.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from coop.figure_cache import kept_for_scope
from programmes.choices import OUTPUT_DEFAULT_UNITS, OutputKind
from programmes.models import Programme, ReportingPeriod
from tasks.choices import (
    PENDING_OUTPUT_STATUSES,
    REPORT_STATUSES_ANSWERING,
    TASK_STATUSES_OWING_REPORTS,
    ComplianceFigure,
    FundingSource,
    OutputStatus,
    ReportState,
    ReportStatus,
)
from tasks.models import FUNDING_SUMS, ZERO, Funding, Output, ProgressDisbursement, ProgressReport, Task, TaskPlace
from tasks.tables import TaskTable


def with_places(tasks: models.QuerySet) -> models.QuerySet:
    """`tasks` with their places of implementation and provinces read in one more query, by province name:
    `Task.place_rows()` and `Task.places_label()` then read no query per task.

    Kept as a list on each task (`to_attr`) rather than as the cache of `task.places.all()`, for which Django
    builds a queryset per task: 4 ms of a 100-row task list.
    """
    places = TaskPlace.objects.select_related("province").order_by(*TaskPlace.ORDER_ON_PAGES)
    return tasks.prefetch_related(Prefetch("places", queryset=places, to_attr=Task.PLACES_READ_WITH_TASK))


# What each column of the task table reads beyond the task's own row: the related rows it joins.
RELATED_ROWS_OF_COLUMNS = {
    "programme": "programme",
    "province": "lead_agency__province",
    "lead_agency": "lead_agency",
    "investigator": "investigator",
    "funded_through": "funded_through",
}


def task_rows(queryset: models.QuerySet | None = None, *, columns: Iterable[str] | None = None) -> models.QuerySet:
    """Tasks with what the task table's `columns` show joined, every column's when None; their funding per source
    is summed on the task itself.

    The task list shows none of the related rows by default: reading its 100 tasks with their programme, agency,
    province, investigator, funding programme and places took a fifth of its page.
    """
    queryset = Task.objects.all() if queryset is None else queryset
    columns = (RELATED_ROWS_OF_COLUMNS.keys() | {"places"}) if columns is None else set(columns)
    related = [path for column, path in RELATED_ROWS_OF_COLUMNS.items() if column in columns]
    if related:  # select_related() without names would follow every relation
        queryset = queryset.select_related(*related)
    return with_places(queryset) if "places" in columns else queryset


def task_ordering(tasks: models.QuerySet, sort: str | None) -> models.QuerySet:
    """`tasks` in the order the task list shows them for `?sort=` (its table's sort keys), by code without one."""
    return TaskTable(tasks, order_by=sort or None).data.data


def funding_sums() -> dict:
    """The aggregates of the allocated funding per source and in all, named as in `FUNDING_SUMS`."""
    return {name: Coalesce(Sum(name), ZERO) for name in FUNDING_SUMS}


def funding_totals(tasks: models.QuerySet) -> dict:
    """Allocated funding per source and in all over `tasks`, summed over the sums each task keeps:
    one pass over the tasks rather than over their 150,000 funding rows. Over every task, kept
    between requests until tasks or funding change."""
    return kept_for_scope(
        tasks,
        name="funding_totals",
        tables=[Task, Funding],
        compute=add_up_funding,
    )


def add_up_funding(tasks: models.QuerySet) -> dict:
    """The sums of `funding_totals`, added up now."""
    return tasks.order_by().aggregate(**funding_sums())


def task_totals(*, queryset: models.QuerySet, count: int | None = None) -> dict:
    """Count and allocated funding per source over every row of `queryset` (`funding_totals`).

    `count`, when the caller has it already (the paginator's), is taken as it is; otherwise
    it is counted in the same query as the sums.
    """
    if count is None:
        return queryset.order_by().aggregate(count=Count("pk"), **funding_sums())
    return {**funding_totals(queryset), "count": count}


def output_rows(queryset: models.QuerySet | None = None) -> models.QuerySet:
    """Outputs with their task, its programme and its lead agency's province joined."""
    queryset = Output.objects.all() if queryset is None else queryset
    return queryset.select_related("task__programme", "task__lead_agency__province")


@dataclass(frozen=True)
class UnitQuantity:
    """The quantity of one kind of output in one unit: verified (what counts) and pending (recorded or submitted)."""

    kind: str
    label: str
    unit: str
    verified: int
    pending: int


def quantities_by_kind_and_unit(outputs: models.QuerySet, *, counted: Q | None = None, pending: Q | None = None):
    """(kind, unit) → (verified quantity, pending quantity) over `outputs`; one query.

    Quantities are summed within one kind and one unit only: "2 cơ sở dữ liệu" and "12 doanh
    nghiệp" are two entries, never 14. `counted` and `pending` say which rows count and which wait
    (by default verified ones, and recorded or submitted ones, as they stand now).
    """
    counted = Q(status=OutputStatus.VERIFIED) if counted is None else counted
    pending = Q(status__in=PENDING_OUTPUT_STATUSES) if pending is None else pending
    rows = (
        outputs.order_by()
        .values_list("kind", "unit")
        .annotate(
            verified=Coalesce(Sum("quantity", filter=counted), 0),
            waiting=Coalesce(Sum("quantity", filter=pending), 0),
        )
    )
    return {(kind, unit): (verified, waiting) for kind, unit, verified, waiting in rows}


def unit_quantities(quantities: dict) -> list[UnitQuantity]:
    """`quantities_by_kind_and_unit` as a list in the order of the kinds, each kind's default unit first,
    leaving out what neither counts nor waits."""
    labels = dict(OutputKind.choices)
    kinds = list(labels)

    def order(key):
        kind, unit = key
        position = kinds.index(kind) if kind in kinds else len(kinds)
        return (position, unit != OUTPUT_DEFAULT_UNITS.get(kind), unit)

    return [
        UnitQuantity(kind, labels.get(kind, kind), unit, verified, pending)
        for (kind, unit), (verified, pending) in sorted(quantities.items(), key=lambda item: order(item[0]))
        if verified or pending
    ]


def output_totals(*, queryset: models.QuerySet, count: int | None = None) -> dict:
    """How many output rows, and the quantities of the verified ones per kind and unit ("12 models" counts 12).

    `by_unit` lists each (kind, unit) with its verified and pending quantity; `quantity` is the verified
    quantity when the rows hold a single kind and unit (a sum that means something), else None, and
    `pending` the quantity waiting beside it. `count`, when the caller has it already (the paginator's),
    saves counting the rows again.
    """
    if count is None:
        count = queryset.order_by().count()
    # Over every output (the unfiltered list) the sums are kept between requests, the dashboard's own: 250,000 rows.
    quantities = kept_for_scope(
        queryset, name="outputs_by_kind_and_unit", tables=[Output], compute=quantities_by_kind_and_unit
    )
    by_unit = unit_quantities(quantities)
    single = by_unit[0] if len(by_unit) == 1 else None
    return {
        "count": count,
        "by_unit": by_unit,
        "quantity": single.verified if single else (0 if not by_unit else None),
        "pending": single.pending if single else (0 if not by_unit else None),
    }


@dataclass
class FundingCell:
    allocated: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)

    def add(self, allocated: Decimal, disbursed: Decimal) -> None:
        self.allocated += allocated
        self.disbursed += disbursed


@dataclass
class FundingGridRow:
    """One year of a task's funding grid: allocated and disbursed per source, and in all.

    Not a programme's `reports.figures.FundingYear`, whose cells are linked figures of allocated money only.
    """

    year: int
    cells: list[FundingCell]
    total: FundingCell


@dataclass
class FundingGrid:
    """A task's funding, one row per year and one column per source, with totals both ways."""

    sources: list[tuple[str, str]] = field(default_factory=list)
    years: list[FundingGridRow] = field(default_factory=list)
    totals: list[FundingCell] = field(default_factory=list)
    total: FundingCell = field(default_factory=FundingCell)

    def __bool__(self) -> bool:
        return bool(self.years)


def funding_grid(*, task: Task) -> FundingGrid:
    """The task's funding by year (rows) and source (columns), allocated and disbursed; one query."""
    fundings = list(
        Funding.objects.filter(task=task)
        .order_by("year", "source")
        .values_list("year", "source", "allocated", "disbursed")
    )
    # Sources in the order of the choices, only those the task has.
    present = {source for _year, source, _allocated, _disbursed in fundings}
    sources = [(value, label) for value, label in FundingSource.choices if value in present]
    column = {value: index for index, (value, _label) in enumerate(sources)}
    grid = FundingGrid(sources=sources, totals=[FundingCell() for _ in sources])
    by_year: dict[int, FundingGridRow] = {}
    for year, source, allocated, disbursed in fundings:
        row = by_year.get(year)
        if row is None:
            row = by_year[year] = FundingGridRow(year=year, cells=[FundingCell() for _ in sources], total=FundingCell())
            grid.years.append(row)
        for cell in (row.cells[column[source]], row.total, grid.totals[column[source]], grid.total):
            cell.add(allocated, disbursed)
    return grid


def task_fundings(*, task: Task) -> list[Funding]:
    """The task's funding rows as a progress report lists them: oldest year first, by source within a year."""
    return list(Funding.objects.filter(task=task).order_by("year", "source", "pk"))


@dataclass(frozen=True)
class ReportedDisbursement:
    """One funding row of a report's task: what the report gives as disbursed on it (None: nothing), beside
    what the row was allocated and what is approved on it now."""

    funding: Funding
    reported: Decimal | None


def report_disbursement_rows(*, report: ProgressReport) -> list[ReportedDisbursement]:
    """Every funding row of the report's task with the report's figure on it; one query."""
    fundings = Funding.objects.filter(task_id=report.task_id).order_by("year", "source", "pk")
    fundings = fundings.annotate(
        reported=models.Subquery(
            ProgressDisbursement.objects.filter(report=report, funding=models.OuterRef("pk")).values(
                "disbursed_to_date"
            )[:1]
        )
    )
    return [ReportedDisbursement(funding=funding, reported=funding.reported) for funding in fundings]


def task_progress_reports(*, task: Task) -> models.QuerySet:
    """The task's progress reports, newest first, with who submitted and reviewed them."""
    return (
        ProgressReport.objects.filter(task=task).select_related("submitted_by", "reviewed_by").order_by("-as_of", "-pk")
    )


def latest_approved_report(reports) -> ProgressReport | None:
    """The report the task's percent complete comes from: the latest approved one."""
    approved = [report for report in reports if report.status == ReportStatus.APPROVED]
    return max(approved, key=lambda report: (report.as_of, report.pk), default=None)


def visible_programme_ids(*, user, ids) -> set[int]:
    """Which of these programmes the user may open, so that a page links only to pages that answer.

    A provincial user sees the tasks their agency leads even in a programme they are not a
    party to, and a task's funding programme is often a national one: its name is part of the
    task, but its page is a 404 to them.
    """
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return set()
    return set(Programme.objects.visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))


def programme_tasks(*, programme: Programme, user, limit: int | None = None) -> models.QuerySet:
    """The programme's tasks the user may see, by code, with their lead agency (each keeps its funding summed)."""
    tasks = with_places(
        Task.objects.visible_to(user).filter(programme=programme).select_related("lead_agency").order_by("code", "pk")
    )
    return tasks[:limit] if limit else tasks


def funded_tasks(*, programme: Programme, user, limit: int | None = None) -> models.QuerySet:
    """The tasks funded through `programme` (a national programme) that the user may see, by programme and
    code, with their own programme, lead agency and places; tasks of every programme, not those it owns."""
    tasks = with_places(
        Task.objects.visible_to(user)
        .filter(funded_through=programme)
        .select_related("programme", "lead_agency")
        .order_by("programme__code", "code", "pk")
    )
    return tasks[:limit] if limit else tasks


def with_funded_task_figures(programmes: models.QuerySet, *, user=None) -> models.QuerySet:
    """`programmes` with the tasks funded through each (`Task.funded_through`: the tasks of other programmes
    a national programme funds) that `user` may see (every task without a user): their number
    (`funded_task_count`) and Ministry funding (`funded_ministry_funding`, over the sums each task keeps)."""
    tasks = Task.objects.all() if user is None else Task.objects.visible_to(user)
    funded = tasks.filter(funded_through=OuterRef("pk")).order_by().values("funded_through")
    count = models.IntegerField()
    return programmes.annotate(
        funded_task_count=Coalesce(
            Subquery(funded.annotate(n=Count("*")).values("n"), output_field=count), Value(0), output_field=count
        ),
        funded_ministry_funding=Coalesce(
            Subquery(funded.annotate(total=Sum("ministry_funding")).values("total")),
            ZERO,
            output_field=ZERO.output_field,
        ),
    )


# The reporting calendar, for one period end across programmes: each programme has at most one period ending
# on a day (`reporting_period_unique_end`). `reporting/queries.py` counts the same pairs in SQL over every
# period at once; a test keeps the two in step.


def tasks_owing_report(tasks: models.QuerySet, *, period_end) -> models.QuerySet:
    """The tasks that owe a report for their programme's period ending on `period_end`, annotated with that
    period (`report_period`) and its due day (`report_due_on`).

    One join: a programme has at most one period ending on a day (`reporting_period_unique_end`).
    """
    period = FilteredRelation(
        "programme__reporting_periods", condition=Q(programme__reporting_periods__ends_on=period_end)
    )
    return (
        tasks.annotate(owed_period=period)
        .filter(owed_period__isnull=False, status__in=TASK_STATUSES_OWING_REPORTS, start_on__lte=period_end)
        .filter(Q(accepted_on__isnull=True) | Q(accepted_on__gt=period_end))
        .annotate(report_period=F("owed_period__id"), report_due_on=F("owed_period__due_on"))
    )


def tasks_by_compliance_figure(tasks: models.QuerySet, figure: str, *, period_end, today) -> models.QuerySet:
    """The tasks behind one figure of the compliance tables (`ComplianceFigure`), for the period ending on a day.

    Written as conditions on the reports (EXISTS), which the database answers as one pass over them,
    rather than as a subquery per task: the first submission of the reports answering for the period
    is on time if any of them came in by the due day.
    """
    owing = tasks_owing_report(tasks, period_end=period_end)
    answering = ProgressReport.objects.filter(
        task=OuterRef("pk"), period=OuterRef("report_period"), status__in=REPORT_STATUSES_ANSWERING
    )
    answered = Exists(answering)
    in_time = Exists(answering.filter(first_submitted_on__lte=OuterRef("report_due_on")))
    past_due = Q(report_due_on__lt=today)
    conditions = {
        ComplianceFigure.EXPECTED: Q(),
        ComplianceFigure.DUE: Q(answered) | past_due,
        ComplianceFigure.ON_TIME: Q(in_time),
        ComplianceFigure.LATE: Q(answered) & ~Q(in_time),
        ComplianceFigure.MISSING: ~Q(answered) & past_due,
        ComplianceFigure.PENDING: ~Q(answered) & ~past_due,
        ComplianceFigure.APPROVED: Q(Exists(answering.filter(status=ReportStatus.APPROVED))),
    }
    return owing.filter(conditions[figure])


def report_state(*, due_on, first_on, approved: bool, today, reminder_days: int) -> str:
    """The state of one owed report (`ReportState`), as the compliance figures count it."""
    if approved:
        return ReportState.APPROVED
    if first_on is not None:
        return ReportState.ON_TIME if first_on <= due_on else ReportState.LATE
    if due_on < today:
        return ReportState.OVERDUE
    if due_on - datetime.timedelta(days=reminder_days) <= today:
        return ReportState.DUE
    return ReportState.NOT_DUE


@dataclass(frozen=True)
class OwedReport:
    """The report a task owes for a period, where it stands, and the report answering for it if any."""

    task: Task
    period: ReportingPeriod
    state: str
    report: ProgressReport | None

    @property
    def due_on(self):
        return self.period.due_on


def task_periods(*, task: Task, today, reports: list[ProgressReport] | None = None) -> list[OwedReport]:
    """Each period of the task's programme it owes a report for, oldest first, with its state.

    `reports` are the task's progress reports when the page has read them already.
    """
    if task.status not in TASK_STATUSES_OWING_REPORTS:
        return []
    periods = ReportingPeriod.objects.filter(programme=task.programme_id, ends_on__gte=task.start_on)
    periods = periods.order_by("ends_on")
    if task.accepted_on:
        periods = periods.filter(ends_on__lt=task.accepted_on)
    if reports is None:
        reports = list(task.progress_reports.all())
    by_period = {}
    for report in sorted(reports, key=lambda report: (report.as_of, report.pk)):
        if report.period_id is not None:
            by_period.setdefault(report.period_id, []).append(report)
    owed = []
    for period in periods:
        of_period = by_period.get(period.pk, [])
        answering = [report for report in of_period if report.status in REPORT_STATUSES_ANSWERING]
        first_on = min((report.first_submitted_on for report in answering if report.first_submitted_on), default=None)
        state = report_state(
            due_on=period.due_on,
            first_on=first_on,
            approved=any(report.status == ReportStatus.APPROVED for report in answering),
            today=today,
            reminder_days=task.programme.reminder_days_before,
        )
        shown = answering[-1] if answering else (of_period[-1] if of_period else None)
        owed.append(OwedReport(task=task, period=period, state=state, report=shown))
    return owed


def programme_periods(*, programme: Programme) -> models.QuerySet:
    return ReportingPeriod.objects.filter(programme=programme).order_by("ends_on", "pk")
