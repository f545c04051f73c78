"""Reads of tasks and outputs that the list and detail pages (and the reports) share.

Sums over a task's funding are subqueries, never joins: a join to `Funding` would
repeat each task once per funding row and multiply every other sum and count.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from programmes.models import Programme
from tasks.choices import FundingSource, ReportStatus
from tasks.models import Funding, Output, ProgressReport, Task

ZERO = Value(Decimal(0), output_field=models.DecimalField(max_digits=18, decimal_places=0))

# Annotation name → funding source it sums (None: every source).
FUNDING_ANNOTATIONS = {
    "ministry_funding": FundingSource.MINISTRY,
    "province_funding": FundingSource.PROVINCE,
    "counterpart_funding": FundingSource.COUNTERPART,
    "other_funding": FundingSource.OTHER,
    "total_funding": None,
}


def allocated_funding(source: str | None = None) -> Coalesce:
    """The task's allocated funding from `source` (or from all sources), 0 when there is none."""
    rows = Funding.objects.filter(task=OuterRef("pk"))
    if source is not None:
        rows = rows.filter(source=source)
    total = rows.order_by().values("task").annotate(total=Sum("allocated")).values("total")
    return Coalesce(Subquery(total), ZERO, output_field=ZERO.output_field)


def task_rows(queryset: models.QuerySet | None = None) -> models.QuerySet:
    """Tasks with what their table shows: related rows joined, funding per source annotated."""
    queryset = Task.objects.all() if queryset is None else queryset
    annotations = {name: allocated_funding(source) for name, source in FUNDING_ANNOTATIONS.items()}
    return queryset.select_related(
        "programme",
        "lead_agency__province",
        "investigator",
        "funded_through",
    ).annotate(**annotations)


def order_by_funding(queryset: models.QuerySet, *, source: str | None, descending: bool) -> models.QuerySet:
    """Tasks sorted by allocated funding from `source` (or from every source), then by pk.

    Sorting needs the sum of every matching task, not only of the rows on the page. Summed
    over a join to `Funding` in one pass (GROUP BY task), that costs a fraction of the
    per-task subqueries `task_rows` annotates, which then run for the page's rows only. The
    join is safe here: no other multi-valued relation is joined, so no row is counted twice.
    """
    rows = None if source is None else Q(fundings__source=source)
    queryset = queryset.alias(funding_order=Coalesce(Sum("fundings__allocated", filter=rows), ZERO))
    order = F("funding_order").desc() if descending else F("funding_order").asc()
    return queryset.order_by(order, "pk")


def task_totals(*, queryset: models.QuerySet, count: int | None = None) -> dict:
    """Count and allocated funding per source over every row of `queryset`.

    The sums are taken over the funding rows of the matching tasks, in one pass, rather
    than by adding up the per-task subqueries of `task_rows`: those would run once for
    each of 50,000 tasks. `count`, when the caller has it already (the paginator's), saves a query.
    """
    fundings = Funding.objects.order_by()
    if queryset.query.has_filters():
        # Unfiltered (Ministry staff, no filter), every funding row counts: no need to match them to tasks.
        fundings = fundings.filter(task__in=queryset.order_by().values("pk"))
    sums = {
        name: Coalesce(Sum("allocated", filter=None if source is None else Q(source=source)), ZERO)
        for name, source in FUNDING_ANNOTATIONS.items()
    }
    totals = fundings.aggregate(**sums)
    totals["count"] = queryset.order_by().count() if count is None else count
    return totals


def output_rows(queryset: models.QuerySet | None = None) -> models.QuerySet:
    """Outputs with their task, its programme and its lead agency's province joined."""
    queryset = Output.objects.all() if queryset is None else queryset
    return queryset.select_related("task__programme", "task__lead_agency__province")


def output_totals(*, queryset: models.QuerySet, count: int | None = None) -> dict:
    """How many output rows, and the sum of their quantities ("12 models" counts 12).

    `count`, when the caller has it already (the paginator's), saves counting the rows again.
    """
    if count is None:
        return queryset.order_by().aggregate(count=Count("pk"), quantity=Coalesce(Sum("quantity"), 0))
    return {"count": count, **queryset.order_by().aggregate(quantity=Coalesce(Sum("quantity"), 0))}


@dataclass
class FundingCell:
    allocated: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)

    def add(self, allocated: Decimal, disbursed: Decimal) -> None:
        self.allocated += allocated
        self.disbursed += disbursed


@dataclass
class FundingYear:
    year: int
    cells: list[FundingCell]
    total: FundingCell


@dataclass
class FundingGrid:
    """A task's funding, one row per year and one column per source, with totals both ways."""

    sources: list[tuple[str, str]] = field(default_factory=list)
    years: list[FundingYear] = field(default_factory=list)
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
    by_year: dict[int, FundingYear] = {}
    for year, source, allocated, disbursed in fundings:
        row = by_year.get(year)
        if row is None:
            row = by_year[year] = FundingYear(year=year, cells=[FundingCell() for _ in sources], total=FundingCell())
            grid.years.append(row)
        for cell in (row.cells[column[source]], row.total, grid.totals[column[source]], grid.total):
            cell.add(allocated, disbursed)
    return grid


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
