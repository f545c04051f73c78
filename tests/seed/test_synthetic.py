"""`generate_synthetic --scale small`: the counts, the rules of the data, the search column, the seed,
the refusal to run twice, and that every list page works on it.
"""

import csv
import datetime
import hashlib
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coop.models import SearchableModel
from coop.search import refresh_search_text
from programmes.choices import PENDING_RECOMMENDATION_STATUSES, AgencyKind
from programmes.models import Agency, Meeting, Person, Programme, Province, Recommendation, ReportingPeriod
from seed.synthetic import CODE_PREFIX, SCALES
from tasks.choices import ReportStatus, TaskStatus
from tasks.models import FUNDING_SUMS, Funding, Output, ProgressDisbursement, ProgressReport, Task, allocated_funding
from tests.conftest import logged_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SMALL = SCALES["small"]
# 16 for a user without a role: the header's count of their unread notifications is then a query of its own.
QUERY_LIMIT = 16
# The first time a list is asked after its rows change, it reads afresh what it keeps until they change again
# (`coop.figure_cache`: its filters' choices), a query or two each, before reading them as every later request does.
QUERIES_TO_KEEP_FIGURES = 3
# A page that keeps no figure of its own reads the data's version for the header's counts of work waiting, kept
# until reports or outputs change (`tasks.context_processors`): a list page reads it already.
DETAIL_QUERY_LIMIT = QUERY_LIMIT + 1


def digest() -> str:
    """A fingerprint of the generated rows by their natural keys (primary keys differ between runs)."""
    parts = [
        Programme.objects.order_by("code").values_list("code", "title", "start_year", "status"),
        Task.objects.order_by("programme__code", "code").values_list(
            "programme__code", "code", "title", "lead_agency__name", "start_on", "end_on", "status", "percent_complete"
        ),
        Funding.objects.order_by("task__programme__code", "task__code", "source", "year").values_list(
            "task__code", "source", "year", "allocated", "disbursed"
        ),
        Output.objects.order_by("task__programme__code", "task__code", "name", "achieved_on", "quantity").values_list(
            "task__code", "kind", "name", "quantity", "achieved_on"
        ),
        ProgressReport.objects.order_by("task__programme__code", "task__code", "as_of", "status").values_list(
            "task__code", "as_of", "percent_complete", "status", "period__ends_on", "first_submitted_on"
        ),
    ]
    return hashlib.sha256(repr([list(rows) for rows in parts]).encode()).hexdigest()


@pytest.fixture(scope="module")
def synthetic(django_db_setup, django_db_blocker):
    """The small set, generated once for the module in a transaction rolled back after its last test.

    It is generated twice with the same seed, the first time in a savepoint rolled back at once,
    so that a test can compare the two.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with transaction.atomic():
            call_command("generate_synthetic", "--scale", "small", "--seed", "7", stdout=io.StringIO())
            first_run = digest()
            transaction.set_rollback(True)
        out = io.StringIO()
        call_command("generate_synthetic", "--scale", "small", "--seed", "7", stdout=out)
        yield {"output": out.getvalue(), "first_run": first_run}
        transaction.set_rollback(True)


@pytest.fixture
def ministry_client(synthetic):
    unit = Agency.objects.get(name="Vụ Phát triển khoa học và công nghệ địa phương")
    return logged_in(UserFactory(username="bo.synthetic", agency=unit))


# What is written


def test_the_counts_are_about_those_of_the_scale(synthetic):
    expected = SMALL.expected
    assert Programme.objects.count() == SMALL.programmes
    assert Task.objects.count() == SMALL.tasks
    assert Meeting.objects.count() == SMALL.meetings
    assert Person.objects.count() == SMALL.people
    assert Agency.objects.count() == SMALL.agencies
    for model, name in ((Funding, "fundings"), (Output, "outputs"), (ProgressReport, "progress reports")):
        assert model.objects.count() == pytest.approx(expected[name], rel=0.1), name
    assert "rows written" in synthetic["output"]


def test_the_same_seed_gives_the_same_rows(synthetic):
    assert digest() == synthetic["first_run"]


def test_every_province_of_before_the_2025_merger_with_its_successor(synthetic):
    assert Province.objects.count() == 63
    merged = Province.objects.filter(valid_to__isnull=False)
    assert merged.count() == 29
    assert not merged.filter(successor__isnull=True).exists()
    assert not merged.filter(successor__valid_to__isnull=False).exists()
    thai_binh = Province.objects.get(name="Thái Bình")
    assert (thai_binh.code, thai_binh.successor.name) == ("34", "Hưng Yên")
    assert Agency.objects.values("province").distinct().count() == 64  # 63 provinces and the central agencies
    # The bodies of a merged province name the body that carries on.
    committee = Agency.objects.get(name="Ủy ban nhân dân tỉnh Thái Bình")
    assert committee.successor.name == "Ủy ban nhân dân tỉnh Hưng Yên"
    assert committee.valid_to == datetime.date(2025, 6, 30)


def test_names_are_vietnamese_and_agencies_unique(synthetic):
    assert Agency.objects.values("name").distinct().count() == Agency.objects.count()
    assert Task.objects.filter(title__contains="ệ").exists() or Task.objects.filter(title__contains="ạ").exists()
    assert Person.objects.filter(full_name__regex=r"[ĐđƯưƠơ]").exists()


def test_some_programmes_are_much_larger_than_most(synthetic):
    sizes = sorted(Programme.objects.annotate(n=Count("tasks")).values_list("n", flat=True))
    assert sizes[-1] >= 5 * sizes[len(sizes) // 2]
    assert 10 <= sizes[len(sizes) // 2] <= 50
    assert set(Programme.objects.values_list("code", flat=True)) == {
        code for code in Programme.objects.values_list("code", flat=True) if code.startswith(CODE_PREFIX)
    }


# The rules of the data


def test_the_rules_of_the_data_hold(synthetic):
    assert not Funding.objects.filter(Q(disbursed__gt=F("allocated")) | Q(allocated__lt=0)).exists()
    assert not Output.objects.filter(quantity__lt=1).exists()
    assert not Task.objects.filter(Q(end_on__lt=F("start_on")) | Q(percent_complete__gt=100)).exists()
    assert not ProgressReport.objects.filter(percent_complete__gt=100).exists()
    reviewed = ProgressReport.objects.filter(status__in=[ReportStatus.APPROVED, ReportStatus.RETURNED])
    assert not reviewed.filter(Q(reviewed_by__isnull=True) | Q(reviewed_by=F("submitted_by"))).exists()
    assert not ProgressReport.objects.filter(status=ReportStatus.RETURNED, review_note="").exists()
    # A recommendation still waiting for someone to act has its due date, as the meeting form asks.
    assert Recommendation.objects.filter(due_on__isnull=False).exists()
    assert not Recommendation.objects.filter(status__in=PENDING_RECOMMENDATION_STATUSES, due_on__isnull=True).exists()
    # Constraints the database checks are checked by the models too: a sample passes full_clean().
    for model in (Task, Funding, Output, ProgressReport, Programme, Meeting, ReportingPeriod, Recommendation):
        for obj in model.objects.order_by("?")[:20]:
            obj.full_clean()


def test_each_reports_figures_per_funding_row_are_within_the_rows_and_add_up_to_its_total(synthetic):
    rows = ProgressDisbursement.objects.all()
    assert rows.exists()
    assert not rows.filter(disbursed_to_date__gt=F("funding__allocated")).exists()
    assert not rows.exclude(funding__task=F("report__task")).exists()
    assert not rows.filter(funding__year__gt=F("report__as_of__year")).exists()
    totals = rows.filter(report=OuterRef("pk")).order_by().values("report").annotate(total=Sum("disbursed_to_date"))
    reports = ProgressReport.objects.annotate(total=Subquery(totals.values("total")))
    assert not reports.exclude(disbursed_to_date=F("total")).exclude(disbursed_to_date=None, total=None).exists()


def test_a_tasks_percent_is_that_of_its_latest_approved_report(synthetic):
    approved = ProgressReport.objects.filter(task=OuterRef("pk"), status=ReportStatus.APPROVED).order_by("-as_of")
    tasks = Task.objects.annotate(latest=Subquery(approved.values("percent_complete")[:1]))
    assert not tasks.filter(latest__isnull=False).exclude(percent_complete=F("latest")).exists()
    finished = tasks.filter(status__in=[TaskStatus.COMPLETED, TaskStatus.ACCEPTED])
    assert finished.exists()
    assert set(finished.values_list("percent_complete", flat=True)) == {100}
    assert not Task.objects.filter(status=TaskStatus.PROPOSED).annotate(n=Count("progress_reports")).filter(n__gt=0)


def test_the_statuses_agree_with_each_other(synthetic):
    """No closed programme with an open task; accepted tasks have their record; no percent without a source."""
    closed = Programme.objects.filter(status="completed")
    assert closed.exists()
    assert not Task.objects.open().filter(programme__in=closed).exists()
    accepted = Task.objects.accepted()
    assert accepted.exists()
    assert not accepted.filter(Q(accepted_on__isnull=True) | Q(acceptance_decision="")).exists()
    assert not accepted.filter(accepted_on__lt=F("start_on")).exists()
    assert not Task.objects.exclude(status__in=[TaskStatus.COMPLETED, TaskStatus.ACCEPTED]).filter(
        accepted_on__isnull=False
    )
    approved = ProgressReport.objects.filter(task=OuterRef("pk"), status=ReportStatus.APPROVED)
    unsourced = Task.objects.exclude(status__in=[TaskStatus.COMPLETED, TaskStatus.ACCEPTED]).filter(
        ~Exists(approved), percent_complete__gt=0
    )
    assert not unsourced.exists()


def test_every_funding_row_is_within_the_years_of_its_task(synthetic):
    rows = Funding.objects.annotate(first=F("task__start_on__year"), last=F("task__end_on__year"))
    assert not rows.filter(Q(year__lt=F("first")) | Q(year__gt=F("last"))).exists()
    assert Funding.objects.values("task", "source", "year").annotate(n=Count("pk")).aggregate(m=Max("n"))["m"] == 1


def test_every_task_keeps_the_sums_of_its_funding_rows(synthetic):
    summed = Task.objects.annotate(
        **{f"from_rows_{name}": allocated_funding(source) for name, source in FUNDING_SUMS.items()}
    )
    for name in FUNDING_SUMS:
        assert not summed.exclude(**{name: F(f"from_rows_{name}")}).exists(), name
    assert Task.objects.filter(total_funding__gt=0).count() == Task.objects.count()


def test_the_search_column_is_filled_as_save_would_fill_it(synthetic):
    for model in apps.get_models():
        if issubclass(model, SearchableModel):
            assert not model.objects.filter(search_text="").exists(), model
            assert refresh_search_text(model.objects.all()) == 0, model


# The reporting calendar


def test_every_programme_reports_every_six_months_over_the_last_five_years_of_its_period(synthetic):
    programmes = Programme.objects.annotate(
        periods=Count("reporting_periods"),
        finals=Count("reporting_periods", filter=Q(reporting_periods__is_final=True)),
    )
    assert set(programmes.values_list("periods", "finals")) == {(10, 1)}
    for programme in Programme.objects.prefetch_related("reporting_periods"):
        periods = sorted(programme.reporting_periods.all(), key=lambda period: period.ends_on)
        last_year = programme.orientation_year or programme.end_year
        assert (periods[0].starts_on, periods[-1].ends_on) == (
            datetime.date(last_year - 4, 1, 1),
            datetime.date(last_year, 12, 31),
        )
        assert periods[-1].is_final
        for period, following in zip(periods, periods[1:], strict=False):
            assert following.starts_on == period.ends_on + datetime.timedelta(days=1)
        for period in periods:
            month_after = period.ends_on + datetime.timedelta(days=1)
            assert (period.starts_on.month - 1) % 6 == 0 and period.ends_on.month - period.starts_on.month == 5
            assert period.due_on == month_after.replace(day=15)  # the 15th of the month after the period


def test_each_report_answers_for_the_period_of_its_date_and_keeps_its_first_submission_day(synthetic):
    reports = ProgressReport.objects.all()
    placed = reports.filter(period__isnull=False)
    assert placed.count() > reports.count() / 2
    assert not placed.exclude(as_of__gte=F("period__starts_on"), as_of__lte=F("period__ends_on")).exists()
    assert not placed.exclude(period__programme=F("task__programme")).exists()
    # A report with no period is dated before its programme's calendar.
    calendar_start = ReportingPeriod.objects.filter(programme=OuterRef("task__programme")).order_by("starts_on")
    unplaced = reports.filter(period__isnull=True).annotate(start=Subquery(calendar_start.values("starts_on")[:1]))
    assert unplaced.exists()
    assert not unplaced.filter(as_of__gte=F("start")).exists()
    for status, submitted_at, first_submitted_on in reports.values_list("status", "submitted_at", "first_submitted_on"):
        if status == ReportStatus.DRAFT:
            assert (submitted_at, first_submitted_on) == (None, None)
        else:
            assert first_submitted_on == timezone.localdate(submitted_at)


def test_the_calendar_shows_mostly_reports_on_time_some_late_some_missing_and_some_only_drafts(synthetic):
    from reporting.queries import compliance_rows, compliance_totals
    from seed.synthetic_data import REFERENCE_DAY

    totals = compliance_totals(compliance_rows(tasks=Task.objects.all(), grouping="period", today=REFERENCE_DAY))
    assert totals.on_time > totals.due / 2
    assert 0 < totals.late < totals.on_time / 3
    assert 0 < totals.missing < totals.on_time
    assert totals.pending > 0  # the periods not due by the day the data stops
    sent = ProgressReport.objects.filter(
        task=OuterRef("task"), period=OuterRef("period"), status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED]
    )
    drafts_only = ProgressReport.objects.filter(status=ReportStatus.DRAFT, period__isnull=False).filter(~Exists(sent))
    assert drafts_only.exists()


# Running it again


def test_it_refuses_a_second_synthetic_set(synthetic):
    with pytest.raises(CommandError, match="already holds a synthetic data set"):
        call_command("generate_synthetic", "--scale", "small", "--force", stdout=io.StringIO())
    out = io.StringIO()
    call_command("generate_synthetic", "--scale", "small", "--if-missing", stdout=out)
    assert "nothing to do" in out.getvalue()

    # A database with other data (here, the set itself) is refused too without --force:
    # test_synthetic_refusal.py checks that on a database without a synthetic set.


# The pages on it


def largest_programme() -> Programme:
    return Programme.objects.annotate(n=Count("tasks")).order_by("-n", "pk").first()


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("dashboard", {}),
        ("programme_list", {}),
        ("task_list", {}),
        ("task_list", {"status": "in_progress", "sort": "-total_funding"}),
        ("task_list", {"q": "thai binh"}),
        ("task_list", {"page": 40}),
        ("output_list", {}),
        ("meeting_list", {}),
        ("agency_list", {}),
        ("recommendation_list", {}),
        ("search", {"q": "thai binh"}),
    ],
)
def test_the_pages_work_on_it(ministry_client, url_name, params):
    for asked, limit in (("first", QUERY_LIMIT + QUERIES_TO_KEEP_FIGURES), ("again", QUERY_LIMIT)):
        with CaptureQueriesContext(connection) as queries:
            response = ministry_client.get(reverse(url_name), params)
        assert response.status_code == 200
        assert len(queries) <= limit, asked


def test_searching_without_diacritics_finds_thai_binh(ministry_client):
    response = ministry_client.get(reverse("task_list"), {"q": "thai binh"})
    assert response.context["totals"]["count"] > 0
    rows = [row.record for row in response.context["table"].page.object_list]
    assert all("thai" in task.search_text and "binh" in task.search_text for task in rows)
    assert Task.objects.filter(title__contains="Thái Bình", search_text__contains="thai binh").exists()


def test_the_detail_pages_of_the_largest_programme_and_of_a_task_work(ministry_client):
    programme = largest_programme()
    for url in (
        reverse("programme_detail", args=[programme.pk]),
        reverse("task_detail", args=[programme.tasks.order_by("pk").first().pk]),
        reverse("agency_detail", args=[programme.tasks.order_by("pk").first().lead_agency_id]),
    ):
        with CaptureQueriesContext(connection) as queries:
            response = ministry_client.get(url)
        assert response.status_code == 200, url
        assert len(queries) <= DETAIL_QUERY_LIMIT, url


def test_the_export_holds_every_task(ministry_client):
    response = ministry_client.get(reverse("task_list"), {"_export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    assert len(list(csv.reader(io.StringIO(body)))) == SMALL.tasks + 1


def test_provincial_users_see_their_own_part(synthetic):
    department = Agency.objects.get(name="Sở Khoa học và Công nghệ tỉnh Thái Bình", kind=AgencyKind.DEPARTMENT)
    client = logged_in(UserFactory(username="so.synthetic", agency=department))
    response = client.get(reverse("task_list"))
    assert response.status_code == 200
    assert 0 < response.context["totals"]["count"] < SMALL.tasks
