"""Reads of tasks and outputs that the list and detail pages (and the reports) share.

Sums over a task's funding are subqueries, never joins: a join to `Funding` would
repeat each task once per funding row and multiply every other sum and count.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, OuterRef, Subquery, Sum, Value
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


def task_totals(*, queryset: models.QuerySet) -> dict:
    """Count and allocated funding per source over every row of `queryset` (annotated by `task_rows`)."""
    # Aliases differ from the annotations they sum: an aggregate named like an annotation replaces it,
    # and Django then sums a column its subquery no longer selects.
    sums = {f"sum_{name}": Coalesce(Sum(name), ZERO, output_field=ZERO.output_field) for name in FUNDING_ANNOTATIONS}
    result = queryset.order_by().aggregate(count=Count("pk"), **sums)
    return {"count": result["count"], **{name: result[f"sum_{name}"] for name in FUNDING_ANNOTATIONS}}


def output_rows(queryset: models.QuerySet | None = None) -> models.QuerySet:
    """Outputs with their task, its programme and its lead agency's province joined."""
    queryset = Output.objects.all() if queryset is None else queryset
    return queryset.select_related("task__programme", "task__lead_agency__province")


def output_totals(*, queryset: models.QuerySet) -> dict:
    """How many output rows, and the sum of their quantities ("12 models" counts 12)."""
    return queryset.order_by().aggregate(count=Count("pk"), quantity=Coalesce(Sum("quantity"), 0))


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
