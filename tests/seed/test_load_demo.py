"""`load_demo`: the article's figures come back out of the database, and a second run changes nothing.

The expected figures are written here from the article (`shared/seed/review-meeting-2020.txt`), not
read from `seed.demo`, so that the tests check the data rather than repeat it.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.http import HttpRequest
from django.test import Client, override_settings
from django.utils import timezone

from coop.search import filter_by_words
from programmes.models import Agency, Meeting, Programme, Province, Recommendation, ReportingPeriod
from seed.demo import load_demo
from tasks.choices import OutputStatus
from tasks.models import Funding, Output, ProgressDisbursement, ProgressReport, Task

pytestmark = pytest.mark.django_db

THAI_BINH_TITLE = (
    "Chương trình phối hợp hoạt động giữa Bộ Khoa học và Công nghệ và Ủy ban nhân dân tỉnh Thái Bình "
    "giai đoạn 2012-2015 và định hướng đến năm 2020"
)
MINISTRY = "Bộ Khoa học và Công nghệ"
UBND_THAI_BINH = "Ủy ban nhân dân tỉnh Thái Bình"
TINH_UY_THAI_BINH = "Tỉnh ủy Thái Bình"
SO_THAI_BINH = "Sở Khoa học và Công nghệ tỉnh Thái Bình"
BILLION = Decimal(10**9)
# Apps whose tables `load_demo` may write; `auth` for the groups a later issue adds to the demo users.
SNAPSHOT_APPS = ("auth", "coop", "programmes", "tasks", "reports")


# The default hasher takes most of a second per demo user; these tests check logins, not hashing.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker) -> str:
    """Load the demo once for the module, inside a transaction rolled back after its last test.

    Each test runs in a savepoint within it (pytest-django's usual per-test transaction),
    so what one test changes is gone before the next one starts.
    """
    out = io.StringIO()
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def programme(demo_output, db) -> Programme:
    return Programme.objects.get(title=THAI_BINH_TITLE)


def output_quantity(programme: Programme, kind: str) -> int:
    return Output.objects.filter(task__programme=programme, kind=kind).aggregate(total=Sum("quantity"))["total"] or 0


# The article's figures


def test_the_programme_is_the_one_the_article_reviews(programme):
    # Active, as at its mid-term review of 10/6/2020 with four tasks running; nothing later is recorded,
    # so today it is overdue (issue 15: it was "completed" while four of its tasks ran).
    assert (programme.kind, programme.status) == ("cooperation", "active")
    assert programme.is_overdue
    assert (programme.start_year, programme.end_year, programme.orientation_year) == (2012, 2015, 2020)
    assert programme.signed_on is None  # the article does not say when it was signed
    assert "động lực của quá trình công nghiệp hóa, hiện đại hóa đất nước" in programme.objectives
    assert "Nghị quyết Đại hội Đại biểu toàn quốc lần thứ XI của Đảng" in programme.legal_basis
    assert "Đảng bộ tỉnh Thái Bình nhiệm kỳ 2010-2015 và nhiệm kỳ 2015-2020" in programme.legal_basis
    parties = {
        (party.agency.name, party.role, party.representative.full_name)
        for party in programme.programme_parties.select_related("agency", "representative")
    }
    assert parties == {
        (MINISTRY, "ministry_side", "Chu Ngọc Anh"),
        (UBND_THAI_BINH, "province_side", "Đặng Trọng Thăng"),
        (SO_THAI_BINH, "coordinator", "Trần Thị Bích Hằng"),
    }
    assert not programme.targets.exists()  # the article gives achievements, not targets


def test_thirty_tasks_mostly_finished_four_still_running(programme):
    tasks = Task.objects.filter(programme=programme)
    assert tasks.count() == 30
    assert tasks.filter(status="in_progress").count() == 4
    assert set(tasks.values_list("status", flat=True)) == {"completed", "accepted", "in_progress"}
    assert tasks.filter(field="agriculture").count() > 15
    assert set(tasks.values_list("field", flat=True)) >= {"agriculture", "industry", "environment", "health", "ict"}
    assert set(tasks.values_list("level", flat=True)) <= {"national", "ministry"}
    assert not tasks.filter(start_on__year__lt=2012).exists()
    assert not tasks.filter(end_on__year__gt=2020).exists()
    assert not tasks.filter(status__in=["completed", "accepted"]).exclude(percent_complete=100).exists()


def test_the_statuses_agree_with_each_other(programme):
    """No closed programme with an open task; every percent comes from an approved report or an acceptance."""
    for closed in Programme.objects.filter(status="completed"):
        assert not closed.tasks.open().exists(), closed.code
    latest_approved = (
        ProgressReport.objects.filter(task=OuterRef("pk"), status="approved")
        .order_by("-as_of", "-pk")
        .values("percent_complete")[:1]
    )
    tasks = Task.objects.annotate(from_report=Subquery(latest_approved))
    for task in tasks.exclude(status__in=["accepted", "completed"]):
        assert task.percent_complete == (task.from_report or 0), task.code
    for task in Task.objects.accepted():
        assert task.percent_complete == 100 and task.accepted_on and task.acceptance_decision, task.code
        assert task.start_on <= task.accepted_on <= datetime.date(2020, 6, 10), task.code
    assert not Task.objects.exclude(status__in=["accepted", "completed"]).filter(accepted_on__isnull=False).exists()


def test_the_programme_and_its_four_running_tasks_are_overdue_and_the_dashboard_says_so(programme):
    from reports.queries import dashboard

    assert set(
        Task.objects.filter(programme=programme).overdue(datetime.date(2026, 1, 15)).values_list("code", flat=True)
    ) == {
        "TB-2012-14",
        "TB-2012-28",
        "TB-2012-29",
        "TB-2012-30",
    }
    ministry = get_user_model().objects.get(username="bo.chuyenvien")
    figures = dashboard(user=ministry, today=datetime.date(2026, 1, 15))
    overdue = {row.code for row in figures.overdue_programme_rows}
    assert {"PH-BKHCN-TB-2012", "PH-BKHCN-ND-2016"} <= overdue  # Nam Định 2016–2020 is overdue, not ending soon
    assert not {row.code for row in figures.ending_soon_programmes} & overdue
    assert figures.overdue_tasks.value == 5  # the four of Thái Bình and ND-2016-05


def test_the_page_of_a_finished_task_shows_its_acceptance_record(programme):
    from tests.helpers import demo_login

    task = Task.objects.get(programme=programme, code="TB-2012-01")
    html = demo_login("bo.chuyenvien").get(task.get_absolute_url(), headers={"accept-language": "vi"}).content.decode()
    assert "Theo biên bản nghiệm thu số 01/BB-NT ngày 29/02/2016." in html
    assert "Chưa có báo cáo tiến độ nào được duyệt." not in html


def test_ministry_support_is_nearly_a_hundred_billion(programme):
    fundings = Funding.objects.filter(task__programme=programme)
    ministry = fundings.filter(source="ministry").aggregate(total=Sum("allocated"))["total"]
    assert 95 * BILLION <= ministry < 100 * BILLION
    assert fundings.filter(source="province").exists()
    assert fundings.filter(source="counterpart").exists()
    # Split by year, within each task's period, for every task.
    assert fundings.filter(source="ministry").values("task").distinct().count() == 30
    for funding in fundings.select_related("task"):
        assert funding.task.start_on.year <= funding.year <= funding.task.end_on.year
        assert funding.disbursed <= funding.allocated


def test_models_technologies_brands_and_the_tbr225_variety(programme):
    assert output_quantity(programme, "model") > 50
    assert output_quantity(programme, "technology") == 20
    assert output_quantity(programme, "brand") == 6
    assert output_quantity(programme, "variety") == 1
    variety = Output.objects.get(task__programme=programme, kind="variety")
    assert "TBR225" in variety.name
    assert variety.achieved_on.year == 2015
    assert "trong và ngoài tỉnh" in variety.description
    # Verified on the recognition the article gives, dated 31/12/2015 (the article gives only the year).
    assert "giống cây trồng quốc gia năm 2015" in variety.evidence_number
    assert variety.evidence_date == datetime.date(2015, 12, 31)
    assert variety.status == OutputStatus.VERIFIED


def test_every_output_is_achieved_within_its_tasks_period(demo_output):
    for output in Output.objects.select_related("task"):
        assert output.task.start_on <= output.achieved_on <= output.task.end_on + datetime.timedelta(days=183), output


def test_tasks_of_the_rural_and_mountainous_areas_programme(programme):
    through_ntmn = Task.objects.filter(
        programme=programme,
        funded_through__kind="national",
        funded_through__title__contains="nông thôn, miền núi",
    )
    assert through_ntmn.exists()
    assert Task.objects.filter(programme=programme, funded_through__kind="national").count() >= 5
    later = Programme.objects.get(title__contains="nông thôn, miền núi, vùng dân tộc thiểu số giai đoạn 2016-2025")
    assert later.previous_phase.start_year == 2011
    assert later.previous_phase.end_year == 2015
    parties = set(later.programme_parties.values_list("agency__short_name", "role"))
    assert parties == {("Bộ KH&CN", "ministry_side"), ("Văn phòng Chương trình NTMN", "coordinator")}


# The review meeting


def test_the_review_meeting_of_10_june_2020_in_hanoi(programme):
    meeting = Meeting.objects.get(programme=programme, held_on=datetime.date(2020, 6, 10))
    assert (meeting.place, meeting.kind) == ("Hà Nội", "periodic_review")
    assert "30 nhiệm vụ" in meeting.summary
    assert "gần trăm tỷ đồng" in meeting.summary
    assert "TBR225" in meeting.summary
    assert "chưa tương xứng với tiềm năng" in meeting.conclusions
    assert "Kết luận số 50-KL/TW ngày 30/5/2019 của Ban Bí thư" in meeting.conclusions
    attendance = {
        (a.person.full_name, a.role, a.person.position, a.person.agency.name)
        for a in meeting.attendances.select_related("person__agency")
    }
    assert attendance == {
        (
            "Chu Ngọc Anh",
            "chair",
            "Ủy viên Ban Chấp hành Trung ương Đảng, Bộ trưởng Bộ Khoa học và Công nghệ",
            MINISTRY,
        ),
        (
            "Ngô Đông Hải",
            "co_chair",
            "Ủy viên dự khuyết Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy Thái Bình",
            TINH_UY_THAI_BINH,
        ),
        ("Trần Thị Bích Hằng", "reporter", "Giám đốc Sở Khoa học và Công nghệ tỉnh Thái Bình", SO_THAI_BINH),
        ("Đặng Trọng Thăng", "attendee", "Chủ tịch Ủy ban nhân dân tỉnh Thái Bình", UBND_THAI_BINH),
    }


@pytest.mark.parametrize(
    ("raised_by", "addressed_to", "words"),
    [
        (MINISTRY, UBND_THAI_BINH, "50-KL/TW"),
        (MINISTRY, TINH_UY_THAI_BINH, "lãnh đạo, chỉ đạo hoạt động KH&CN trên địa bàn tỉnh"),
        (MINISTRY, SO_THAI_BINH, "mang tính đột phá"),
        (MINISTRY, SO_THAI_BINH, "hỗ trợ doanh nghiệp đổi mới công nghệ là trung tâm"),
        (UBND_THAI_BINH, MINISTRY, "hoàn toàn ủng hộ"),
        (TINH_UY_THAI_BINH, MINISTRY, "phối hợp với UBND tỉnh trong công tác chỉ đạo, điều hành"),
        (UBND_THAI_BINH, MINISTRY, "đưa vào các Nghị quyết của tỉnh"),
        (UBND_THAI_BINH, MINISTRY, "giai đoạn tiếp theo"),
    ],
)
def test_each_recommendation_names_who_raised_it_and_to_whom(programme, raised_by, addressed_to, words):
    recommendations = Recommendation.objects.filter(meeting__programme=programme, text__contains=words)
    assert recommendations.count() == 1
    recommendation = recommendations.get()
    assert (recommendation.raised_by.name, recommendation.addressed_to.name) == (raised_by, addressed_to)
    assert recommendation.status in {"open", "in_progress"}


def test_seven_recommendations(programme):
    assert Recommendation.objects.filter(meeting__programme=programme).count() == 7


def test_the_recommendations_are_tracked_actions_due_by_the_end_of_2020_and_overdue_today(programme):
    """Each has its responsible agency and a due date; the two feeding the provincial Party Congress of October 2020
    by the end of September. Nothing later is recorded: today every one is overdue, as the dashboard counts them."""
    from reports.queries import dashboard

    recommendations = Recommendation.objects.filter(meeting__programme=programme)
    due = {(recommendation.addressed_to.name, recommendation.due_on) for recommendation in recommendations}
    assert {day for _agency, day in due} == {datetime.date(2020, 9, 30), datetime.date(2020, 12, 31)}
    assert (SO_THAI_BINH, datetime.date(2020, 9, 30)) in due
    assert not recommendations.filter(due_on__isnull=True).exists()
    assert not recommendations.filter(due_on__lte=datetime.date(2020, 6, 10)).exists()
    figures = dashboard(user=get_user_model().objects.get(username="bo.chuyenvien"), today=datetime.date(2026, 1, 15))
    assert figures.overdue_recommendations.value == 7


def test_two_recommendations_were_followed_up_at_the_review_and_their_history_says_by_whom(programme):
    followed = Recommendation.objects.filter(meeting__programme=programme, status="in_progress").order_by("pk")
    assert [(row.addressed_to.name, row.follow_up.startswith("Tại buổi làm việc")) for row in followed] == [
        (UBND_THAI_BINH, True),
        (MINISTRY, True),
    ]
    for recommendation, username in zip(followed, ["so.thaibinh", "bo.chuyenvien"], strict=True):
        history = list(recommendation.history.order_by("history_date", "history_id"))
        assert [(row.history_type, row.status, row.follow_up, row.history_user) for row in history] == [
            ("+", "open", "", None),
            ("~", "in_progress", recommendation.follow_up, get_user_model().objects.get(username=username)),
        ]
        # Recorded by someone who may record it: the department for its People's Committee, the Ministry's staff.
        assert history[-1].history_user.has_perm("programmes.follow_up_recommendation", recommendation)
    others = Recommendation.objects.filter(meeting__programme=programme, status="open")
    assert others.count() == 5
    assert not others.exclude(follow_up="").exists()
    assert {recommendation.history.count() for recommendation in others} == {1}


def test_the_meeting_page_shows_the_overdue_recommendations_and_their_follow_up_history(programme):
    from tests.helpers import demo_login

    meeting = Meeting.objects.get(programme=programme, held_on=datetime.date(2020, 6, 10))
    html = demo_login("bo.chuyenvien").get(meeting.get_absolute_url(), headers={"accept-language": "en"})
    text = html.content.decode()
    assert text.count("coop-overdue") == 7
    assert text.count("coop-follow-up-history") == 2
    assert "Phạm Thu Trang" in text and "Nguyễn Thị Mai" in text  # who recorded each follow-up


# The reporting calendar


THAI_BINH_PERIODS = [
    # starts on, ends on, due on, final
    (datetime.date(2019, 7, 1), datetime.date(2019, 12, 31), datetime.date(2019, 12, 15), False),
    (datetime.date(2020, 1, 1), datetime.date(2020, 6, 30), datetime.date(2020, 6, 15), False),
    (datetime.date(2020, 7, 1), datetime.date(2020, 12, 31), datetime.date(2020, 12, 15), True),
]


def test_the_programme_reports_every_six_months_by_the_15th_from_the_second_half_of_2019(programme):
    schedule = (
        programme.reporting_frequency,
        programme.reporting_due_day,
        programme.reporting_due_months_after,
        programme.reminder_days_before,
    )
    assert schedule == ("half_yearly", 15, 0, 7)
    periods = programme.reporting_periods.order_by("ends_on")
    assert list(periods.values_list("starts_on", "ends_on", "due_on", "is_final")) == THAI_BINH_PERIODS
    assert [period.label for period in periods][:2] == ["6 tháng cuối năm 2019", "6 tháng đầu năm 2020"]
    # The other programmes have no schedule, and their pages work all the same.
    assert not ReportingPeriod.objects.exclude(programme=programme).exists()
    from tests.helpers import demo_login

    nam_dinh = Programme.objects.get(code="PH-BKHCN-ND-2016")
    client = demo_login("so.namdinh")
    for url in (nam_dinh.get_absolute_url(), nam_dinh.tasks.get(code="ND-2016-05").get_absolute_url()):
        assert client.get(url).status_code == 200, url


def test_every_report_answers_for_the_period_of_its_date_and_keeps_the_day_it_was_first_sent(programme):
    reports = ProgressReport.objects.select_related("period", "task__programme")
    assert reports.count() == 7
    for report in reports:
        assert report.first_submitted_on == timezone.localdate(report.submitted_at), report
        if report.task.programme == programme:
            assert report.period.starts_on <= report.as_of <= report.period.ends_on, report
            report.full_clean()  # the period is one of its programme's
        else:
            assert report.period is None, report  # Nam Định has no schedule


def test_the_year_end_reports_of_2019_came_in_late_those_of_may_2020_on_time(programme):
    reports = ProgressReport.objects.filter(task__programme=programme)
    late = reports.filter(first_submitted_on__gt=F("period__due_on"))
    on_time = reports.filter(first_submitted_on__lte=F("period__due_on"))
    assert set(late.values_list("task__code", "as_of", "first_submitted_on")) == {
        ("TB-2012-14", datetime.date(2019, 12, 31), datetime.date(2020, 1, 5)),
        ("TB-2012-28", datetime.date(2019, 12, 31), datetime.date(2020, 1, 5)),
    }
    assert set(on_time.values_list("task__code", flat=True)) == {"TB-2012-14", "TB-2012-28", "TB-2012-29", "TB-2012-30"}
    assert set(on_time.values_list("first_submitted_on", flat=True)) == {datetime.date(2020, 6, 5)}


def test_the_calendar_counts_on_time_late_and_missing_reports(programme):
    from reporting.queries import compliance_rows

    rows = compliance_rows(tasks=Task.objects.all(), grouping="period", today=datetime.date(2026, 1, 15))
    counts = {row.key: (row.expected, row.on_time, row.late, row.missing, row.pending) for row in rows}
    assert counts[datetime.date(2019, 12, 31)][1:3] == (0, 2)
    assert counts[datetime.date(2020, 6, 30)][1:3] == (4, 0)
    # Nothing was recorded after the review: the four running tasks' reports of the second half of 2020 are missing.
    assert counts[datetime.date(2020, 12, 31)] == (4, 0, 0, 4, 0)
    before_the_due_day = compliance_rows(tasks=Task.objects.all(), grouping="period", today=datetime.date(2020, 6, 10))
    first_half = next(row for row in before_the_due_day if row.key == datetime.date(2020, 6, 30))
    assert (first_half.on_time, first_half.pending) == (4, first_half.expected - 4)


# Provinces and agencies, and the mergers of 2025


@pytest.mark.parametrize(
    ("code", "name", "successor_code", "successor_name"),
    [("34", "Thái Bình", "33", "Hưng Yên"), ("36", "Nam Định", "37", "Ninh Bình")],
)
def test_merged_provinces_keep_their_name_and_point_to_their_successor(
    demo_output, code, name, successor_code, successor_name
):
    province = Province.objects.get(code=code, name=name)
    assert province.valid_to == datetime.date(2025, 6, 30)
    assert (province.successor.code, province.successor.name, province.successor.valid_to) == (
        successor_code,
        successor_name,
        None,
    )
    assert Province.objects.filter(code="01", name="Hà Nội", valid_to=None).exists()


@pytest.mark.parametrize(
    ("name", "valid_to", "successor"),
    [
        ("Bộ Thông tin và Truyền thông", datetime.date(2025, 2, 28), MINISTRY),
        (UBND_THAI_BINH, datetime.date(2025, 6, 30), "Ủy ban nhân dân tỉnh Hưng Yên"),
        (TINH_UY_THAI_BINH, datetime.date(2025, 6, 30), "Tỉnh ủy Hưng Yên"),
        (SO_THAI_BINH, datetime.date(2025, 6, 30), "Sở Khoa học và Công nghệ tỉnh Hưng Yên"),
        ("Ủy ban nhân dân tỉnh Nam Định", datetime.date(2025, 6, 30), "Ủy ban nhân dân tỉnh Ninh Bình"),
        (
            "Sở Khoa học và Công nghệ tỉnh Nam Định",
            datetime.date(2025, 6, 30),
            "Sở Khoa học và Công nghệ tỉnh Ninh Bình",
        ),
    ],
)
def test_merged_agencies_keep_their_name_and_point_to_their_successor(demo_output, name, valid_to, successor):
    agency = Agency.objects.get(name=name)
    assert agency.valid_to == valid_to
    assert agency.successor.name == successor
    assert agency.successor.valid_to is None


def test_agencies_of_the_article(demo_output):
    ministry = Agency.objects.get(name=MINISTRY)
    assert (ministry.kind, ministry.short_name) == ("ministry", "Bộ KH&CN")
    department = Agency.objects.get(name=SO_THAI_BINH)
    assert (department.kind, department.short_name, department.parent.name) == (
        "department",
        "Sở KH&CN Thái Bình",
        UBND_THAI_BINH,
    )
    assert department.province.name == "Thái Bình"
    assert Agency.objects.get(name=UBND_THAI_BINH).short_name == "UBND tỉnh Thái Bình"
    assert Agency.objects.get(name=TINH_UY_THAI_BINH).kind == "party_committee"
    assert Agency.objects.get(name="Công ty Cổ phần Tập đoàn ThaiBinh Seed").kind == "enterprise"
    assert Agency.objects.filter(kind="ministry_unit", parent=ministry).count() >= 2


# The smaller Nam Định programme, so that provincial scoping can be seen


def test_the_thai_binh_programme_alone_is_published_for_everyone(programme):
    assert set(Programme.objects.filter(published=True)) == {programme}
    response = Client().get(f"/public/programmes/{programme.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Giống lúa TBR225" in html  # a verified output
    nam_dinh = Programme.objects.get(title__contains="Ủy ban nhân dân tỉnh Nam Định")
    assert Client().get(f"/public/programmes/{nam_dinh.pk}/").status_code == 404


def test_a_run_publishes_the_thai_binh_programme_again_if_it_was_taken_back(programme):
    Programme.objects.filter(pk=programme.pk).update(published=False)
    summary = load_demo()
    assert (summary.created, summary.updated) == (0, 1)
    programme.refresh_from_db()
    assert programme.published


def test_nam_dinh_programme_stays_in_nam_dinh(demo_output):
    programme = Programme.objects.get(title__contains="Ủy ban nhân dân tỉnh Nam Định")
    tasks = Task.objects.filter(programme=programme)
    assert tasks.count() == 5
    assert programme.targets.count() >= 3
    assert Output.objects.filter(task__programme=programme).exists()
    assert Funding.objects.filter(task__programme=programme, source="ministry").exists()
    assert set(programme.programme_parties.values_list("agency__name", flat=True)) == {
        MINISTRY,
        "Ủy ban nhân dân tỉnh Nam Định",
        "Sở Khoa học và Công nghệ tỉnh Nam Định",
    }
    assert set(tasks.values_list("lead_agency__province__name", flat=True)) == {"Nam Định"}
    thai_binh_leads = Task.objects.filter(programme__title=THAI_BINH_TITLE).values_list("lead_agency__province__name")
    assert ("Nam Định",) not in set(thai_binh_leads)


# Progress reports and the demo users


def test_running_tasks_show_their_latest_approved_report(programme):
    running = Task.objects.filter(programme=programme, status="in_progress")
    for task in running:
        latest = task.progress_reports.filter(status="approved").order_by("-as_of").first()
        assert latest is not None, task
        assert task.percent_complete == latest.percent_complete
    reports = ProgressReport.objects.filter(task__programme=programme)
    assert set(reports.values_list("status", "submitted_by__username", "reviewed_by__username")) == {
        ("approved", "so.thaibinh", "bo.chuyenvien")
    }
    assert not reports.filter(reviewed_at__lte=F("submitted_at")).exists()
    assert not reports.filter(reviewed_at__date__gt=datetime.date(2020, 6, 10)).exists()


def test_each_report_gives_what_was_disbursed_on_each_funding_row_as_the_rows_record_it(programme):
    """The latest approved report of a task gives every funding row of its years as the row records it; the
    report's total is the sum of its rows. TB-2012-28's 2020 provincial row: 160 million đồng."""
    reports = ProgressReport.objects.filter(task__programme=programme)
    assert reports.exists()
    for report in reports.prefetch_related("disbursements__funding"):
        rows = list(report.disbursements.all())
        assert rows, report
        assert {row.funding.year for row in rows} == set(
            report.task.fundings.filter(year__lte=report.as_of.year).values_list("year", flat=True)
        )
        assert all(row.disbursed_to_date == row.funding.disbursed for row in rows), report
        assert report.disbursed_to_date == sum(row.disbursed_to_date for row in rows)
    tb_2012_28 = ProgressDisbursement.objects.get(
        report__task__code="TB-2012-28",
        report__as_of=datetime.date(2020, 5, 31),
        funding__source="province",
        funding__year=2020,
    )
    assert tb_2012_28.disbursed_to_date == 160 * 10**6


@pytest.mark.parametrize(
    ("username", "agency", "is_superuser"),
    [
        ("admin", MINISTRY, True),
        ("bo.chuyenvien", "Vụ Phát triển khoa học và công nghệ địa phương", False),
        # Since 1/7/2025 the provincial demo users work for the departments that carry on the merged ones.
        ("so.thaibinh", "Sở Khoa học và Công nghệ tỉnh Hưng Yên", False),
        ("so.namdinh", "Sở Khoa học và Công nghệ tỉnh Ninh Bình", False),
        ("lanhdao", MINISTRY, False),
    ],
)
def test_demo_users_log_in_with_the_demo_password(demo_output, username, agency, is_superuser):
    user = get_user_model().objects.get(username=username)
    assert user.agency.name == agency
    assert (user.is_superuser, user.is_staff) == (is_superuser, is_superuser)
    assert user.first_name and user.last_name
    assert Client().login(request=HttpRequest(), username=username, password="demo12345")
    assert username in demo_output


def test_the_command_prints_the_figures_and_says_what_is_illustrative(demo_output):
    assert "PH-BKHCN-TB-2012" in demo_output
    assert "Giống lúa TBR225" in demo_output
    assert "illustrative" in demo_output or "minh họa" in demo_output
    assert "demo12345" in demo_output


# Search


def test_search_text_is_filled(programme):
    found = Task.objects.filter(search_text__contains="thai binh")
    assert set(found.values_list("pk", flat=True)) >= set(programme.tasks.values_list("pk", flat=True))
    assert Output.objects.filter(search_text__contains="giong lua tbr225", kind="variety").count() == 1
    # Found by a party's short name, typed the way users type it.
    assert list(filter_by_words(Programme.objects.all(), "sở kh&cn thái bình")) == [programme]
    assert filter_by_words(Meeting.objects.all(), "so ket thai binh").exists()


# Running it again


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table `load_demo` may write, without the columns a login changes."""
    tables = {}
    for app in SNAPSHOT_APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            columns = [
                field.attname
                for field in model._meta.concrete_fields
                if field.name != "last_login"
                and not getattr(field, "auto_now", False)
                and not getattr(field, "auto_now_add", False)
            ]
            tables[model._meta.label] = list(model.objects.order_by("pk").values_list(*columns))
    return tables


def test_a_second_run_changes_nothing(demo_output):
    before = snapshot()
    assert len(before["tasks.Task"]) == 35
    summary = load_demo()
    assert (summary.created, summary.updated) == (0, 0)
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_a_run_restores_changed_rows_and_keeps_passwords(programme):
    task = programme.tasks.get(code="TB-2012-01")
    Task.objects.filter(pk=task.pk).update(title="Đã sửa", search_text="")
    user = get_user_model().objects.get(username="so.thaibinh")
    user.set_password("mật khẩu riêng")
    user.save()
    summary = load_demo()
    assert (summary.created, summary.updated) == (0, 1)
    task.refresh_from_db()
    assert "TBR225" in task.title
    assert "tbr225" in task.search_text
    user.refresh_from_db()
    assert user.check_password("mật khẩu riêng")
