"""Reads of the reports app: the dashboard's figures and the search across every kind of record.

Every function starts from `visible_to(user)`, so a provincial user's figures and
search results cover their own scope only. Each figure carries the URL of the
filtered list that produces it (the lists' GET parameters are a contract with the
programmes and tasks apps: do not rename them).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, QuerySet, Subquery, Sum, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coop.search import filter_by_words
from coop.text import fold_words
from programmes.choices import OutputKind, ProgrammeStatus, RecommendationStatus
from programmes.models import Agency, Meeting, Person, Programme, Recommendation
from tasks.choices import FundingSource, TaskStatus
from tasks.models import Funding, Output, Task

# The output kinds the dashboard shows one by one; the others add up to "other outputs".
HEADLINE_OUTPUT_KINDS = (OutputKind.MODEL, OutputKind.TECHNOLOGY, OutputKind.BRAND, OutputKind.VARIETY)
OTHER_OUTPUT_KINDS = tuple(kind for kind in OutputKind if kind not in HEADLINE_OUTPUT_KINDS)
OTHER_OUTPUTS = "other_outputs"
# Recommendations still waiting for action; past their due date they are overdue.
PENDING_RECOMMENDATION_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
# How many rows of each kind the search page shows before its "see all" link.
SEARCH_LIMIT = 20
# A search query longer than this is cut: nobody types more, and each word is one more filter.
SEARCH_MAX_LENGTH = 200


@dataclass(frozen=True)
class Figure:
    """A number on the dashboard, its label, and the filtered list that produces it."""

    key: str
    label: str
    value: int | Decimal
    url: str


def list_url(url_name: str, params: Iterable[tuple[str, object]] = ()) -> str:
    """`/tasks/?status=in_progress`: a list page with its filters as GET parameters."""
    query = urlencode([(name, str(value)) for name, value in params])
    return reverse(url_name) + (f"?{query}" if query else "")


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
    counts = dict(Task.objects.visible_to(user).order_by().values_list("status").annotate(count=Count("pk")))
    return [
        Figure(status.value, status.label, counts.get(status.value, 0), list_url("task_list", [("status", status)]))
        for status in TaskStatus
    ]


def funding_by_source(*, user) -> list[Figure]:
    """Allocated funding of the visible tasks by source, in VND.

    Each figure equals `totals["<source>_funding"]` of the task list filtered by
    `funding_source=<source>`: the tasks having funding from the source.
    """
    visible_tasks = Task.objects.visible_to(user)
    fundings = Funding.objects.all()
    if visible_tasks.query.has_filters():
        # Someone who sees every task (Ministry staff) counts every row without matching it to a task.
        fundings = fundings.filter(task__in=visible_tasks.values("pk"))
    sums = dict(fundings.order_by().values_list("source").annotate(total=Sum("allocated")))
    return [
        Figure(
            source.value,
            source.label,
            sums.get(source.value) or Decimal(0),
            list_url("task_list", [("funding_source", source)]),
        )
        for source in FundingSource
    ]


def outputs_by_kind(*, user) -> list[Figure]:
    """Sum of output quantities of the visible tasks: models, technologies, brands, varieties, and the rest."""
    sums = dict(Output.objects.visible_to(user).order_by().values_list("kind").annotate(total=Sum("quantity")))
    figures = [
        Figure(kind.value, kind.label, sums.get(kind.value) or 0, list_url("output_list", [("kind", kind)]))
        for kind in HEADLINE_OUTPUT_KINDS
    ]
    figures.append(
        Figure(
            OTHER_OUTPUTS,
            _("Other outputs"),
            sum(sums.get(kind.value) or 0 for kind in OTHER_OUTPUT_KINDS),
            list_url("output_list", [("kind", kind) for kind in OTHER_OUTPUT_KINDS]),
        )
    )
    return figures


def programmes_ending_soon(*, user, today: datetime.date | None = None, limit: int = 5) -> tuple[Figure, list]:
    """Active programmes whose end year is at the latest next year, and the first few of them.

    One query: the count rides on the rows (see `first_rows_and_count`).
    """
    ending_by = (today or timezone.localdate()).year + 1
    programmes = (
        Programme.objects.visible_to(user)
        .filter(status=ProgrammeStatus.ACTIVE, end_year__lte=ending_by)
        .order_by("end_year", "code", "pk")
    )
    rows, count = first_rows_and_count(programmes, limit)
    url = list_url("programme_list", [("status", ProgrammeStatus.ACTIVE), ("ending_by", ending_by)])
    return Figure("ending_soon", _("Programmes ending soon"), count, url), rows


def overdue_recommendations(*, user, today: datetime.date | None = None) -> Figure:
    """Recommendations past their due date and still open or in progress."""
    count = (
        Recommendation.objects.visible_to(user)
        .filter(due_on__lt=today or timezone.localdate(), status__in=PENDING_RECOMMENDATION_STATUSES)
        .count()
    )
    return Figure(
        "overdue", _("Overdue recommendations"), count, list_url("recommendation_list", [("overdue", "true")])
    )


@dataclass
class Dashboard:
    """Every figure of the dashboard; five queries whatever the number of records."""

    tasks_by_status: list[Figure]
    funding_by_source: list[Figure]
    outputs_by_kind: list[Figure]
    ending_soon: Figure
    ending_soon_programmes: list
    overdue_recommendations: Figure
    ending_by: int
    task_total: Figure = field(init=False)
    ministry_funding: Figure = field(init=False)

    def __post_init__(self):
        self.task_total = Figure(
            "tasks", _("S&T tasks"), sum(figure.value for figure in self.tasks_by_status), list_url("task_list")
        )
        self.ministry_funding = next(f for f in self.funding_by_source if f.key == FundingSource.MINISTRY)

    @property
    def is_empty(self) -> bool:
        return not self.task_total.value


def dashboard(*, user, today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    ending_soon, ending_soon_programmes = programmes_ending_soon(user=user, today=today)
    return Dashboard(
        tasks_by_status=tasks_by_status(user=user),
        funding_by_source=funding_by_source(user=user),
        outputs_by_kind=outputs_by_kind(user=user),
        ending_soon=ending_soon,
        ending_soon_programmes=ending_soon_programmes,
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
        ("outputs", Output.objects.visible_to(user).select_related("task"), "output_list"),
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
                see_all_url=list_url(url_name, [("q", query)]) if url_name else None,
            )
        )
    return groups


def _people(user) -> QuerySet:
    """The directory of people: everyone who has logged in sees it (Person has no `visible_to`)."""
    return Person.objects.all() if user.is_authenticated else Person.objects.none()
