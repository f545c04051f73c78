"""Reads of the reports app: the dashboard's figures, the search across every kind of record, and the
contents of the PDF reports (a programme's figures as they stood on a given day, a task's sheet, the
tasks of a filtered list).

Every function starts from `visible_to(user)`, so a provincial user's figures and
search results cover their own scope only. Each figure carries the URL of the
filtered list that produces it (the lists' GET parameters are a contract with the
programmes and tasks apps: do not rename them).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext, ngettext_lazy

from coop.figure_cache import kept_for_scope
from coop.figures import Figure, list_url
from coop.search import SEARCH_MAX_LENGTH, filter_by_words
from coop.text import fold, fold_words
from programmes.choices import (
    OUTPUT_DEFAULT_UNITS,
    PROGRAMME_STATE_ON_SCHEDULE,
    PROGRAMME_STATE_OVERDUE,
    AttendanceRole,
    OutputKind,
    PartyRole,
    ProgrammeKind,
    ProgrammeStatus,
    TargetMetric,
    counted_label,
)
from programmes.models import (
    PERIOD_END_YEAR,
    Agency,
    Attendance,
    Meeting,
    Person,
    Programme,
    Province,
    Recommendation,
)
from programmes.queries import choice_order, programme_parties
from reports.choices import ReportRequestStatus
from reports.figures import (
    ProgrammeFigures,
    count_by_status,
    counted_and_pending_as_of,
    end_of_day,
    funded_through_tasks,
    output_figure,
    output_figures,
    programme_figure_outputs,
    programme_figure_tasks,
    programme_figures,
)
from reports.filters import describe_filters
from reports.models import ReportRequest
from tasks.choices import TASK_STATE_OVERDUE, FundingSource, ReportStatus, TaskStatus
from tasks.filters import TaskFilter
from tasks.models import FUNDING_SUMS, Funding, Output, ProgressReport, Task, allocated_funding
from tasks.queries import (
    FundingGrid,
    UnitQuantity,
    add_up_funding,
    funding_grid,
    latest_approved_report,
    quantities_by_kind_and_unit,
    task_ordering,
    task_progress_reports,
    task_rows,
    task_totals,
    with_places,
)

# The output kinds the dashboard shows on its cards, in their default unit even when none is verified.
HEADLINE_OUTPUT_KINDS = (OutputKind.MODEL, OutputKind.TECHNOLOGY, OutputKind.BRAND, OutputKind.VARIETY)
# How many rows of each kind the search page shows before its "see all" link.
SEARCH_LIMIT = 20
# Outputs a task sheet lists, so that it keeps to one page; the others are one click away on the task's page.
SHEET_OUTPUTS = 8


def first_rows_and_count(queryset: QuerySet, limit: int) -> tuple[list, int]:
    """The first `limit` rows and the number of all rows, in one query.

    The count rides on every row as a scalar subquery, so a page shows "20 of 340"
    without a second COUNT query; no row means a count of 0. Being uncorrelated, the
    subquery runs once, with its own plan (the trigram index for a search), while the
    rows may be read in order and stop at `limit`. (A window count would need every
    matching row before the first, and PostgreSQL 15 underestimates that cost: it
    walked 50,000 tasks in order to find 20 outputs, 175 ms instead of 20.)
    """
    # Grouped by a constant, which Django leaves out of GROUP BY: one row, the count of them all.
    matching = queryset.order_by().values(one=Value(1)).annotate(n=Count("pk")).values("n")
    rows = list(queryset.annotate(matching_rows=Subquery(matching))[:limit])
    return rows, (rows[0].matching_rows if rows else 0)


# The dashboard


def tasks_by_status(*, user) -> list[Figure]:
    """How many visible tasks stand in each status, every status listed (0 included)."""
    tasks = Task.objects.visible_to(user)
    counts = kept_for_scope(tasks, name="tasks_by_status", tables=[Task], compute=count_by_status)
    return [
        Figure(status.value, status.label, counts.get(status.value, 0), list_url("task_list", status=status))
        for status in TaskStatus
    ]


def funding_by_source(*, user) -> list[Figure]:
    """Allocated funding of the visible tasks by source, in VND.

    Each figure equals `totals["<source>_funding"]` of the task list filtered by
    `funding_source=<source>`: the tasks having funding from the source. Summed over the sums
    each task keeps, not over every funding row: one pass over the tasks' covering index.
    """
    kept = {source: name for name, source in FUNDING_SUMS.items() if source is not None}
    sums = kept_for_scope(
        Task.objects.visible_to(user), name="funding_totals", tables=[Task, Funding], compute=add_up_funding
    )
    return [
        Figure(
            source.value,
            source.label,
            sums[kept[source.value]],
            list_url("task_list", funding_source=source),
        )
        for source in FundingSource
    ]


def outputs_by_kind(*, user) -> list[Figure]:
    """Verified quantities of the visible tasks' outputs, one figure per kind and unit, with what is pending.

    The headline kinds (models, technologies, brands, varieties) always show in their default unit, 0 when
    none is verified; every other kind and unit that has outputs follows. Quantities of different units
    are never added up: "Khác" may be listed as 12 doanh nghiệp, 2 cơ sở dữ liệu and 1 phần mềm.
    """
    outputs = Output.objects.visible_to(user)
    quantities = kept_for_scope(
        outputs, name="outputs_by_kind_and_unit", tables=[Output], compute=quantities_by_kind_and_unit
    )
    figures = output_figures(quantities)
    shown_at_zero = [
        output_figure(UnitQuantity(kind.value, kind.label, OUTPUT_DEFAULT_UNITS[kind], 0, 0))
        for kind in HEADLINE_OUTPUT_KINDS
        if not any(figure.key == kind and figure.unit == OUTPUT_DEFAULT_UNITS[kind] for figure in figures)
    ]
    return sorted([*figures, *shown_at_zero], key=_kind_order)


def _kind_order(figure: Figure) -> tuple:
    kinds = list(OutputKind.values)
    return (kinds.index(figure.key), figure.unit != OUTPUT_DEFAULT_UNITS.get(figure.key), figure.unit)


def programmes_ending_soon(*, user, today: datetime.date | None = None, limit: int = 5) -> tuple[Figure, list]:
    """Active programmes not overdue whose period (with its orientation) ends by next year, and the first few.

    Overdue programmes are apart (`overdue_programmes`). One query: the count rides on the rows
    (see `first_rows_and_count`).
    """
    today = today or timezone.localdate()
    ending_by = today.year + 1
    programmes = (
        Programme.objects.visible_to(user)
        .filter(status=ProgrammeStatus.ACTIVE)
        .not_overdue(today)
        .period_ending_by(ending_by)
        .order_by(PERIOD_END_YEAR, "code", "pk")
    )
    rows, count = first_rows_and_count(programmes, limit)
    url = list_url(
        "programme_list", status=ProgrammeStatus.ACTIVE, state=PROGRAMME_STATE_ON_SCHEDULE, ending_by=ending_by
    )
    label = ngettext_lazy("Programme ending soon", "Programmes ending soon", count)
    return Figure("ending_soon", label, count, url), rows


def overdue_programmes(*, user, today: datetime.date | None = None, limit: int = 5) -> tuple[Figure, list]:
    """Programmes still active after their period (`ProgrammeQuerySet.overdue`), the longest overdue first."""
    programmes = (
        Programme.objects.visible_to(user)
        .overdue(today or timezone.localdate())
        .order_by(PERIOD_END_YEAR, "code", "pk")
    )
    rows, count = first_rows_and_count(programmes, limit)
    url = list_url("programme_list", state=PROGRAMME_STATE_OVERDUE)
    label = ngettext_lazy("Overdue programme", "Overdue programmes", count)
    return Figure("overdue_programmes", label, count, url), rows


def overdue_tasks(*, user, today: datetime.date | None = None) -> Figure:
    """Tasks not finished past their end date (`TaskQuerySet.overdue`)."""
    count = Task.objects.visible_to(user).overdue(today or timezone.localdate()).count()
    label = ngettext_lazy("Overdue task", "Overdue tasks", count)
    return Figure("overdue_tasks", label, count, list_url("task_list", state=TASK_STATE_OVERDUE))


def overdue_recommendations(*, user, today: datetime.date | None = None) -> Figure:
    """Recommendations past their due date and still open or in progress."""
    count = Recommendation.objects.visible_to(user).overdue(today or timezone.localdate()).count()
    label = ngettext_lazy("Overdue recommendation", "Overdue recommendations", count)
    return Figure("overdue", label, count, list_url("recommendation_list", overdue="true"))


@dataclass
class Dashboard:
    """Every figure of the dashboard; seven queries whatever the number of records."""

    tasks_by_status: list[Figure]
    funding_by_source: list[Figure]
    outputs_by_kind: list[Figure]
    ending_soon: Figure
    ending_soon_programmes: list
    overdue_programmes: Figure
    overdue_programme_rows: list
    overdue_tasks: Figure
    overdue_recommendations: Figure
    ending_by: int
    task_total: Figure = field(init=False)
    ministry_funding: Figure = field(init=False)

    def __post_init__(self):
        count = sum(figure.value for figure in self.tasks_by_status)
        self.task_total = Figure("tasks", counted_label(TargetMetric.TASKS, count), count, list_url("task_list"))
        self.ministry_funding = next(f for f in self.funding_by_source if f.key == FundingSource.MINISTRY)

    @property
    def is_empty(self) -> bool:
        return not self.task_total.value

    @property
    def headline_outputs(self) -> list[Figure]:
        """The cards: the headline kinds in their default unit."""
        return [
            figure
            for figure in self.outputs_by_kind
            if figure.key in HEADLINE_OUTPUT_KINDS and figure.unit == OUTPUT_DEFAULT_UNITS[figure.key]
        ]


def dashboard(*, user, today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    ending_soon, ending_soon_programmes = programmes_ending_soon(user=user, today=today)
    overdue, overdue_rows = overdue_programmes(user=user, today=today)
    return Dashboard(
        tasks_by_status=tasks_by_status(user=user),
        funding_by_source=funding_by_source(user=user),
        outputs_by_kind=outputs_by_kind(user=user),
        ending_soon=ending_soon,
        ending_soon_programmes=ending_soon_programmes,
        overdue_programmes=overdue,
        overdue_programme_rows=overdue_rows,
        overdue_tasks=overdue_tasks(user=user, today=today),
        overdue_recommendations=overdue_recommendations(user=user, today=today),
        ending_by=today.year + 1,
    )


# The search


@dataclass(frozen=True)
class SearchGroup:
    """The matches of one kind of record: the first few rows, how many in all, and the full list's URL."""

    key: str
    label: str
    rows: list
    count: int
    see_all_url: str | None  # None where no list page exists (people)

    @property
    def is_cut(self) -> bool:
        return self.count > len(self.rows)


def search_query(raw: str | None) -> str:
    """The query as the user typed it, trimmed to a sensible length."""
    return (raw or "").strip()[:SEARCH_MAX_LENGTH]


def site_search(*, user, query: str, limit: int = SEARCH_LIMIT) -> list[SearchGroup]:
    """Programmes, tasks, outputs, agencies, people and meetings matching every word of `query`.

    Words match the folded `search_text`, so case and diacritics do not matter.
    One query per kind of record; an empty (or punctuation-only) query searches nothing.
    People have no scope of their own: everyone who has logged in sees the directory.
    """
    if not fold_words(query):
        return []
    sources = (
        ("programmes", Programme.objects.visible_to(user), "programme_list"),
        ("tasks", Task.objects.visible_to(user).select_related("programme", "lead_agency"), "task_list"),
        # Grouped by task in the order of the output list's index (task, kind, name), not by programme:
        # sorting by the programme made PostgreSQL walk every programme against a province's matches.
        (
            "outputs",
            Output.objects.visible_to(user).select_related("task").order_by("task_id", "kind", "name", "pk"),
            "output_list",
        ),
        ("agencies", Agency.objects.visible_to(user).select_related("province"), "agency_list"),
        ("people", _people(user).select_related("agency"), None),
        ("meetings", Meeting.objects.visible_to(user).select_related("programme"), "meeting_list"),
    )
    groups = []
    for key, queryset, url_name in sources:
        rows, count = first_rows_and_count(filter_by_words(queryset, query), limit)
        groups.append(
            SearchGroup(
                key=key,
                label=str(queryset.model._meta.verbose_name_plural),
                rows=rows,
                count=count,
                see_all_url=list_url(url_name, q=query) if url_name else None,
            )
        )
    return groups


def _people(user) -> QuerySet:
    """The directory of people: everyone who has logged in sees it (Person has no `visible_to`)."""
    return Person.objects.all() if user.is_authenticated else Person.objects.none()


# The PDF reports: a programme's figures as they stood at the end of a given day


@dataclass(frozen=True)
class OutputGroup:
    """The outputs of one kind, by name, and the sum of their quantities in each unit (never across units)."""

    kind: str
    label: str
    quantities: list[tuple[str, int]]  # (unit, quantity), the kind's default unit first
    outputs: list


# A review report lists by name at most this many verified outputs, and at most this many rows in each of its
# tables of tasks (`REVIEW_REPORT_ROW_LIMIT` in the settings changes it). Past it, that list or table goes to the
# annex spreadsheet filed with the report, and the PDF shows a summary by kind and by province instead: WeasyPrint
# holds every page in memory while it lays a document out, and the largest national programme (6,212 tasks,
# 30,892 outputs) listed in full made 1,958 pages, 9 minutes and 5.3 GB. 1,000 rows are about 40 pages of
# outputs or 80 of tasks. The figures are counted over every row either way.
REVIEW_REPORT_ROW_LIMIT = 1000


def review_row_limit() -> int:
    """How many rows a review report lists in each long list before sending it to the annex."""
    return getattr(settings, "REVIEW_REPORT_ROW_LIMIT", REVIEW_REPORT_ROW_LIMIT)


@dataclass(frozen=True)
class OutputKindSummary:
    """The verified outputs of one kind, in a report that leaves their list by name to its annex."""

    label: str
    count: int  # outputs (rows), not quantities
    quantities: list[tuple[str, int]]  # (unit, quantity), the kind's default unit first


@dataclass(frozen=True)
class ProvinceSummary:
    """The tasks and outputs of a programme led by the agencies of one province, in a report with an annex."""

    label: str
    tasks: int
    ministry_funding: Decimal
    total_funding: Decimal
    verified_outputs: int
    pending_outputs: int


@dataclass
class ProgrammeReview:
    """Everything the programme review report shows, as it stood at the end of `as_of`."""

    programme: Programme
    as_of: datetime.date
    parties: list
    figures: ProgrammeFigures
    output_groups: list[OutputGroup]
    meetings: list
    tasks: list | None  # None when the report leaves the table of tasks out
    # A national programme's tasks funded through it (not its own), when the table of tasks is included.
    funded_tasks: list | None = None
    # Past `row_limit` rows, a list goes to the annex spreadsheet: `output_groups`, `tasks` or `funded_tasks` is
    # then empty, and the report says how many rows the annex holds and shows the summaries below instead.
    row_limit: int = REVIEW_REPORT_ROW_LIMIT
    verified_outputs: int = 0  # verified outputs counted, listed by name or not
    outputs_in_annex: bool = False
    task_rows: int = 0  # rows of the table of tasks, listed or not (0 when the table is left out)
    tasks_in_annex: bool = False
    funded_task_rows: int = 0
    funded_tasks_in_annex: bool = False
    output_summary: list[OutputKindSummary] = field(default_factory=list)
    province_summary: list[ProvinceSummary] = field(default_factory=list)

    @property
    def has_annex(self) -> bool:
        """Whether a list of the report is too long for it and goes to the annex spreadsheet."""
        return self.outputs_in_annex or self.tasks_in_annex or self.funded_tasks_in_annex

    @property
    def issuing_party(self):
        """The Ministry-side party: the report is issued in its name."""
        return next((party for party in self.parties if party.role == PartyRole.MINISTRY_SIDE), None)

    @property
    def is_final_review(self) -> bool:
        """Past the programme's last year (that of its orientation, if any), the review is final ("tổng kết")."""
        return self.as_of.year > self.programme.period_end_year


def review_outputs(*, tasks: QuerySet, as_of: datetime.date) -> QuerySet:
    """The outputs of `tasks` achieved and verified by the end of `as_of` (those the figures count), in the
    order of the kinds, then by unit and name."""
    counted, _pending = counted_and_pending_as_of(as_of)
    return (
        programme_figure_outputs(tasks=tasks, as_of=as_of)
        .filter(counted)
        .select_related("task")
        .defer("search_text", "task__search_text")
        .order_by(choice_order("kind", OutputKind), "unit", "name", "pk")
    )


def percent_complete_as_of(as_of: datetime.date) -> Case:
    """A task's percent complete as it stood at the end of `as_of`, from the same two sources as today's.

    100 if the task was accepted by then (its acceptance record); else its latest progress report
    approved by then: only approved reports count, and only once approved (a report as of 31/5
    approved on 15/6 did not count on 10/6); 0 without one.
    """
    approved = ProgressReport.objects.filter(task=OuterRef("pk"), status=ReportStatus.APPROVED)
    counted = approved.filter(as_of__lte=as_of, reviewed_at__lt=end_of_day(as_of)).order_by("-as_of", "-pk")
    return Case(
        When(accepted_on__lte=as_of, then=Value(100)),
        default=Coalesce(Subquery(counted.values("percent_complete")[:1]), Value(0)),
        output_field=IntegerField(),
    )


def review_task_rows(*, tasks: QuerySet, as_of: datetime.date) -> QuerySet:
    """The rows of the report's table of tasks: funding up to the year of `as_of`, percent complete as of then.

    Not the funding sums the task keeps: those count every year, later ones included.
    """
    return with_places(
        tasks.select_related("lead_agency")
        .defer("search_text", "lead_agency__search_text")
        .annotate(
            ministry_funding_as_of=allocated_funding(FundingSource.MINISTRY, up_to_year=as_of.year),
            total_funding_as_of=allocated_funding(up_to_year=as_of.year),
            percent_as_of=percent_complete_as_of(as_of),
        )
        .order_by("code", "pk")
    )


def review_meetings(*, programme: Programme, user, as_of: datetime.date) -> list[Meeting]:
    """The programme's meetings held by `as_of`, oldest first, with who attended and what was recommended.

    Three queries whatever the number of meetings. Recommendations keep the status and follow-up
    recorded today: the records keep no dated history of them.
    """
    attendances = Attendance.objects.select_related("person").order_by(
        choice_order("role", AttendanceRole), "person__full_name", "pk"
    )
    recommendations = Recommendation.objects.visible_to(user).select_related("raised_by", "addressed_to").order_by("pk")
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(programme=programme, held_on__lte=as_of)
        .defer("search_text")
        .order_by("held_on", "pk")
        .prefetch_related(
            Prefetch("attendances", queryset=attendances, to_attr="attendance_list"),
            Prefetch("recommendations", queryset=recommendations, to_attr="recommendation_list"),
        )
    )
    return list(meetings)


def group_outputs(outputs: Iterable[Output]) -> list[OutputGroup]:
    """Outputs (ordered by kind) gathered by kind, each group with the sum of its quantities per unit."""
    labels = dict(OutputKind.choices)
    groups: dict[str, list[Output]] = {}
    for output in outputs:
        groups.setdefault(output.kind, []).append(output)
    result = []
    for kind, rows in groups.items():
        by_unit: dict[str, int] = {}
        for output in rows:
            by_unit[output.unit] = by_unit.get(output.unit, 0) + output.quantity
        units = sorted(by_unit, key=lambda unit: (unit != OUTPUT_DEFAULT_UNITS.get(kind), unit))
        result.append(OutputGroup(kind, labels.get(kind, kind), [(unit, by_unit[unit]) for unit in units], rows))
    return result


def programme_review(*, programme: Programme, user, as_of: datetime.date, include_tasks: bool) -> ProgrammeReview:
    """The programme's figures, outputs and meetings as they stood at the end of `as_of`.

    The figures are those of the programme's page (`programme_figures`) counted up to `as_of`;
    beside them the report lists the outputs one by one, the meetings held by then and, if asked,
    the table of tasks. A list longer than `review_row_limit()` is not read here: the report shows
    summaries by kind and province instead, and `review_annex_xlsx` writes the list for the annex.
    About ten queries, whatever the programme's size (four more with an annex).
    """
    limit = review_row_limit()
    tasks = programme_figure_tasks(programme=programme, user=user, as_of=as_of)
    outputs = review_outputs(tasks=tasks, as_of=as_of)
    verified_outputs = outputs.count()
    outputs_in_annex = verified_outputs > limit
    task_rows = tasks.count() if include_tasks else 0
    tasks_in_annex = task_rows > limit
    funded = review_funded_task_rows(programme=programme, user=user, as_of=as_of) if include_tasks else None
    funded_task_rows = funded.count() if funded is not None else 0
    funded_tasks_in_annex = funded_task_rows > limit
    review = ProgrammeReview(
        programme=programme,
        as_of=as_of,
        parties=list(programme_parties(programme=programme)),
        figures=programme_figures(programme=programme, user=user, as_of=as_of),
        output_groups=[] if outputs_in_annex else group_outputs(outputs),
        meetings=review_meetings(programme=programme, user=user, as_of=as_of),
        tasks=None if not include_tasks else [] if tasks_in_annex else list(review_task_rows(tasks=tasks, as_of=as_of)),
        funded_tasks=None if funded is None else [] if funded_tasks_in_annex else list(funded),
        row_limit=limit,
        verified_outputs=verified_outputs,
        outputs_in_annex=outputs_in_annex,
        task_rows=task_rows,
        tasks_in_annex=tasks_in_annex,
        funded_task_rows=funded_task_rows,
        funded_tasks_in_annex=funded_tasks_in_annex,
    )
    if outputs_in_annex:
        review.output_summary = output_kind_summary(outputs)
    if review.has_annex:
        review.province_summary = province_summary(tasks=tasks, as_of=as_of)
    return review


def output_kind_summary(outputs: QuerySet) -> list[OutputKindSummary]:
    """The number of `outputs` of each kind and their quantities in each unit, in the order of the kinds (one query)."""
    rows = outputs.order_by().values("kind", "unit").annotate(count=Count("pk"), quantity=Sum("quantity"))
    by_kind: dict[str, dict[str, tuple[int, int]]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], {})[row["unit"]] = (row["count"], row["quantity"])
    labels = dict(OutputKind.choices)
    summary = []
    for kind in (kind for kind in OutputKind.values if kind in by_kind):
        units = sorted(by_kind[kind], key=lambda unit: (unit != OUTPUT_DEFAULT_UNITS.get(kind), unit))
        summary.append(
            OutputKindSummary(
                label=labels[kind],
                count=sum(count for count, _quantity in by_kind[kind].values()),
                quantities=[(unit, by_kind[kind][unit][1]) for unit in units],
            )
        )
    return summary


def province_summary(*, tasks: QuerySet, as_of: datetime.date) -> list[ProvinceSummary]:
    """The tasks, the funding allocated up to the year of `as_of` and the outputs (verified by then, and pending)
    of `tasks`, by the province of their lead agency, by province name (three queries).

    The lead agency's province, one per task, so that the rows add up to the programme's figures; a task's
    places of implementation may be several.
    """
    province = "lead_agency__province"
    task_counts = {row[province]: row["count"] for row in tasks.order_by().values(province).annotate(count=Count("pk"))}
    funding = (
        Funding.objects.filter(task__in=tasks.values("pk"), year__lte=as_of.year)
        .order_by()
        .values(f"task__{province}")
        .annotate(
            ministry=Sum("allocated", filter=Q(source=FundingSource.MINISTRY)),
            total=Sum("allocated"),
        )
    )
    funding_by_province = {row[f"task__{province}"]: (row["ministry"] or 0, row["total"] or 0) for row in funding}
    counted, pending = counted_and_pending_as_of(as_of)
    outputs = (
        programme_figure_outputs(tasks=tasks, as_of=as_of)
        .order_by()
        .values(f"task__{province}")
        .annotate(verified=Count("pk", filter=counted), pending=Count("pk", filter=pending))
    )
    outputs_by_province = {row[f"task__{province}"]: (row["verified"], row["pending"]) for row in outputs}
    names = dict(Province.objects.filter(pk__in=[pk for pk in task_counts if pk is not None]).values_list("pk", "name"))
    rows = [
        ProvinceSummary(
            label=names[pk] if pk is not None else gettext("No province"),
            tasks=count,
            ministry_funding=funding_by_province.get(pk, (0, 0))[0],
            total_funding=funding_by_province.get(pk, (0, 0))[1],
            verified_outputs=outputs_by_province.get(pk, (0, 0))[0],
            pending_outputs=outputs_by_province.get(pk, (0, 0))[1],
        )
        for pk, count in task_counts.items()
    ]
    return sorted(rows, key=lambda row: (row.label == gettext("No province"), fold(row.label)))


def review_funded_task_rows(*, programme: Programme, user, as_of: datetime.date) -> QuerySet | None:
    """The rows of the report's table of the tasks funded through a national programme, by programme and code;
    None for other programmes."""
    if programme.kind != ProgrammeKind.NATIONAL:
        return None
    tasks = funded_through_tasks(programme=programme, user=user, as_of=as_of).select_related("programme")
    rows = review_task_rows(tasks=tasks, as_of=as_of).order_by("programme__code", "code", "pk")
    return rows.defer("programme__search_text", "programme__objectives", "programme__legal_basis")


# The one-page task sheet


@dataclass
class TaskSheet:
    """What the one-page sheet of a task shows."""

    task: Task
    parties: list
    funding: FundingGrid
    latest_report: ProgressReport | None
    outputs: list  # the first SHEET_OUTPUTS
    output_count: int

    @property
    def outputs_left_out(self) -> int:
        return self.output_count - len(self.outputs)

    @property
    def issuing_party(self):
        return next((party for party in self.parties if party.role == PartyRole.MINISTRY_SIDE), None)


def task_sheet(*, task: Task, user) -> TaskSheet:
    """A task's facts, funding by source and year, latest approved progress and first verified outputs;
    four queries. Outputs not yet verified are left out, as from every figure."""
    outputs = Output.objects.visible_to(user).counted().filter(task=task).order_by("achieved_on", "kind", "name", "pk")
    first_outputs, output_count = first_rows_and_count(outputs, SHEET_OUTPUTS)
    return TaskSheet(
        task=task,
        parties=list(programme_parties(programme=task.programme)),
        funding=funding_grid(task=task),
        latest_report=latest_approved_report(task_progress_reports(task=task)),
        outputs=first_outputs,
        output_count=output_count,
    )


# The PDF of a filtered task list


@dataclass
class TaskListSelection:
    """The tasks of a filtered task list as its PDF prints them, with what narrowed them."""

    rows: QuerySet  # in the order of the list page for the same `sort=`
    totals: dict
    filters: list[tuple[str, str]]  # in words, in the active language
    programme: Programme | None  # set when the filters chose one programme
    parameters: dict  # the GET parameters of the list, as the archive records them


def task_list_selection(*, user, params: QueryDict) -> TaskListSelection | None:
    """The tasks of `/tasks/` for the filters in `params`, within `user`'s scope; None if the filters are wrong.

    Used by the page that asks for the PDF (with its GET parameters) and by the worker that draws it
    in the background (with the parameters the request recorded), so that both print the same rows.
    """
    filterset = TaskFilter(params, queryset=task_rows(Task.objects.visible_to(user)), user=user)
    if not filterset.is_valid():
        return None
    rows = filterset.qs
    programmes = filterset.form.cleaned_data.get("programme")
    return TaskListSelection(
        rows=task_ordering(rows, params.get("sort")),
        totals=task_totals(queryset=rows),
        filters=describe_filters(filterset),
        programme=programmes[0] if programmes is not None and len(programmes) == 1 else None,
        parameters={"filters": {key: params.getlist(key) for key in sorted(params)}},
    )


def query_dict(values: dict[str, list[str]]) -> QueryDict:
    """GET parameters as recorded in JSON (name → values) back into the form a filter set reads."""
    params = QueryDict(mutable=True)
    for key, key_values in values.items():
        params.setlist(key, key_values)
    return params


# Reports drawn in the background

OPEN_REQUESTS_SHOWN = 10
FAILED_REQUESTS_SHOWN_FOR = datetime.timedelta(days=7)


def open_report_requests(*, user) -> list[ReportRequest]:
    """The user's own reports still waiting or being drawn in the background, and those that failed lately."""
    failed_lately = Q(status=ReportRequestStatus.FAILED, finished_at__gte=timezone.now() - FAILED_REQUESTS_SHOWN_FOR)
    unfinished = Q(status__in=[ReportRequestStatus.QUEUED, ReportRequestStatus.RUNNING])
    requests = ReportRequest.objects.filter(unfinished | failed_lately, requested_by=user).select_related("programme")
    return list(requests[:OPEN_REQUESTS_SHOWN])
