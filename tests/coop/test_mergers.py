"""Mergers carry access: an agency's staff see and report on what the agencies it carries on led or were party to,
and the staff of an agency that ceased to exist enter nothing more.

The world is `roles` (tests/conftest.py) after 1/7/2025: Thái Bình's People's Committee and department were
merged into Hưng Yên's, whose department has a user of its own; Nam Định's department stays as it was.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from coop.roles import Role, ended_agency, lineage_agency_ids, own_agency_ids, sees_every_programme
from programmes.choices import AgencyKind
from programmes.models import Agency, Programme
from tasks import services
from tasks.choices import OutputStatus, ReportStatus
from tasks.models import Output, ProgressReport, Task
from tasks.rules import TASK_STATUSES_TAKING_PROGRESS
from tests.conftest import join_group, logged_in
from tests.factories import AgencyFactory, OutputFactory, ProgrammeFactory, TaskFactory, UserFactory
from tests.helpers import count_queries, demo_login, listed_pks, shows, vietnamese

pytestmark = pytest.mark.django_db

LAST_DAY = datetime.date(2025, 6, 30)
ENDED_WITH_SUCCESSOR = (
    "%(agency)s no longer exists after %(day)s: its progress reports and outputs are entered by the staff "
    "of %(successor)s, which carries on its work. Ask an administrator to move your account there."
)
ENDED_WITHOUT_SUCCESSOR = (
    "%(agency)s no longer exists after %(day)s and enters no more progress reports or outputs. "
    "Ask an administrator to move your account to the agency that carries on its work."
)


def report_form() -> dict:
    return {
        "as_of": "15/05/2026",
        "percent_complete": "60",
        "summary": "Đã xây dựng xong 3 mô hình trình diễn.",
        "problems": "",
        "next_steps": "",
        "disbursed_to_date": "0",
        "action": "submit",
    }


def output_form() -> dict:
    return {
        "kind": "model",
        "name": "Mô hình trồng nấm rơm",
        "quantity": "3",
        "unit": "mô hình",
        "achieved_on": "20/11/2025",
        "location": "xã Vũ Thư",
        "recognition": "",
    }


def merge(agency: Agency, into: Agency, last_day: datetime.date = LAST_DAY) -> None:
    agency.valid_to, agency.successor = last_day, into
    agency.save()


@pytest.fixture
def merged(roles):
    """Thái Bình's committee and department merged into Hưng Yên's; `successor_user` works for Hưng Yên's.

    `led_elsewhere` is a task the Thái Bình department led in a programme Thái Bình was no party to
    (a national one): the successor reaches it through the lead alone.
    """
    world = roles
    world.new_committee = AgencyFactory(name="Ủy ban nhân dân tỉnh Hưng Yên", kind=AgencyKind.PEOPLE_COMMITTEE)
    world.new_department = AgencyFactory(
        name="Sở Khoa học và Công nghệ tỉnh Hưng Yên",
        kind=AgencyKind.DEPARTMENT,
        parent=world.new_committee,
        province=world.new_committee.province,
    )
    merge(world.committee, world.new_committee)
    merge(world.department, world.new_department)
    world.national_programme = ProgrammeFactory(title="Chương trình Nông thôn miền núi")
    world.led_elsewhere = TaskFactory(programme=world.national_programme, lead_agency=world.department)
    world.successor_user = join_group(
        UserFactory(username="so.hungyen.test", agency=world.new_department), Role.PROVINCE_STAFF
    )
    return world


# Scope


def test_the_successors_staff_see_what_the_predecessor_led_or_was_party_to(merged):
    user = merged.successor_user
    assert set(Programme.objects.visible_to(user)) == {merged.programme}
    assert set(Task.objects.visible_to(user)) == {merged.task, merged.led_elsewhere}
    client = logged_in(user)
    assert client.get(reverse("programme_detail", args=[merged.programme.pk])).status_code == 200
    assert client.get(reverse("task_detail", args=[merged.led_elsewhere.pk])).status_code == 200
    assert set(listed_pks(client.get(reverse("task_list")))) == {merged.task.pk, merged.led_elsewhere.pk}


def test_another_provinces_staff_still_see_none_of_it(merged):
    user = merged.other_province_user
    assert merged.programme not in Programme.objects.visible_to(user)
    assert not Task.objects.visible_to(user).filter(pk__in=[merged.task.pk, merged.led_elsewhere.pk]).exists()
    client = logged_in(user)
    for url in (
        reverse("task_detail", args=[merged.task.pk]),
        reverse("progress_report_add", args=[merged.task.pk]),
        reverse("output_add", args=[merged.led_elsewhere.pk]),
    ):
        assert client.get(url).status_code == 404, url
    # Nor does a merger give the predecessor's staff the successor's own work.
    own_task = TaskFactory(lead_agency=merged.new_department)
    assert own_task not in Task.objects.visible_to(merged.province_user)


def test_records_keep_the_name_they_were_signed_under(merged):
    merged.task.refresh_from_db()
    assert merged.task.lead_agency == merged.department
    assert merged.department.name == "Sở KH&CN Thái Bình"
    response = logged_in(merged.successor_user).get(reverse("task_detail", args=[merged.task.pk]))
    assert shows(response, "Sở KH&CN Thái Bình")


def test_successors_are_followed_through_any_number_of_mergers(merged):
    """Thái Bình → Hưng Yên (2025) → a later merger: the last one still carries the first one's work."""
    later = AgencyFactory(name="Sở KH&CN liên tỉnh", kind=AgencyKind.DEPARTMENT)
    merge(merged.new_department, later, last_day=datetime.date(2030, 12, 31))
    user = join_group(UserFactory(username="so.lientinh.test", agency=later), Role.PROVINCE_STAFF)
    assert set(lineage_agency_ids(user)) == {later.pk, merged.new_department.pk, merged.department.pk}
    assert {merged.committee.pk, merged.new_committee.pk} <= set(own_agency_ids(user))
    assert set(Task.objects.visible_to(user)) == {merged.task, merged.led_elsewhere}
    assert set(Programme.objects.visible_to(user)) == {merged.programme}


def test_a_loop_of_successors_typed_by_mistake_ends(merged):
    Agency.objects.filter(pk=merged.new_department.pk).update(successor=merged.department)
    user = merged.successor_user
    assert set(lineage_agency_ids(user)) == {merged.new_department.pk, merged.department.pk}


def test_a_user_without_an_agency_sees_nothing_of_the_provinces(merged):
    user = join_group(UserFactory(username="khong.co.quan.test", agency=None), Role.PROVINCE_STAFF)
    assert not Task.objects.visible_to(user).exists()
    assert not Programme.objects.visible_to(user).exists()


def test_the_predecessors_are_read_once_per_user_and_again_for_another_agency(merged):
    user = merged.successor_user
    with CaptureQueriesContext(connection) as queries:
        own_agency_ids(user)
        lineage_agency_ids(user)
        list(Task.objects.visible_to(user))
    assert sum("RECURSIVE" in query["sql"] for query in queries) == 1
    # The same query loads the user's agency: a page's scope costs no more than it did before mergers.
    fresh = get_user_model().objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        assert not sees_every_programme(fresh)
        own_agency_ids(fresh)
        assert fresh.agency == merged.new_department
    assert len(queries) == 1
    user.agency = merged.other_department
    assert lineage_agency_ids(user) == [merged.other_department.pk]


@pytest.mark.parametrize("url_name", ["task_list", "programme_list", "progress_report_list", "output_list"])
def test_a_successors_pages_do_not_grow_with_the_predecessors_rows(merged, url_name):
    client = logged_in(merged.successor_user)
    url = reverse(url_name)
    client.get(url)
    TaskFactory.create_batch(3, programme=merged.programme, lead_agency=merged.department)
    few = count_queries(client, url)
    TaskFactory.create_batch(30, programme=merged.national_programme, lead_agency=merged.department)
    assert count_queries(client, url) == few


# Reporting on the predecessor's tasks


def test_the_successors_staff_report_progress_and_record_outputs_on_the_predecessors_tasks(merged):
    client = logged_in(merged.successor_user)
    for task in (merged.task, merged.led_elsewhere):
        response = client.post(reverse("progress_report_add", args=[task.pk]), report_form())
        assert response.status_code == 302, response.content.decode()[:2000]
        report = ProgressReport.objects.get(task=task)
        assert (report.status, report.submitted_by) == (ReportStatus.SUBMITTED, merged.successor_user)
        assert client.post(reverse("output_add", args=[task.pk]), output_form()).status_code == 302
        assert Output.objects.filter(task=task).count() == 1
    assert Task.objects.get(pk=merged.task.pk).lead_agency == merged.department


# An agency that ceased to exist enters nothing more


def ended_message(agency: Agency) -> str:
    return vietnamese(ENDED_WITH_SUCCESSOR, agency=agency.name, day="30/06/2025", successor=agency.successor.name)


def test_the_ended_agencys_staff_are_refused_with_the_successors_name(merged):
    user = merged.province_user
    assert ended_agency(user) == merged.department
    client = logged_in(user, language="vi")
    for url, data in (
        (reverse("progress_report_add", args=[merged.task.pk]), report_form()),
        (reverse("output_add", args=[merged.task.pk]), output_form()),
    ):
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 403
            assert shows(response, ended_message(merged.department))
    assert not ProgressReport.objects.exists() and not Output.objects.exists()
    # The task page says why there is no button to report.
    page = client.get(reverse("task_detail", args=[merged.task.pk]))
    assert shows(page, ended_message(merged.department))
    assert not shows(page, reverse("progress_report_add", args=[merged.task.pk]))


def test_a_report_or_output_of_the_ended_agency_cannot_be_corrected_either(merged):
    user = merged.province_user
    report = ProgressReport.objects.create(
        task=merged.task,
        as_of=datetime.date(2025, 5, 31),
        percent_complete=40,
        disbursed_to_date=0,
        status=ReportStatus.RETURNED,
        submitted_by=user,
        submitted_at=timezone.now(),
        first_submitted_on=timezone.localdate(),
        reviewed_by=merged.ministry_user,
        reviewed_at=timezone.now(),
        review_note="Bổ sung số liệu.",
    )
    output = OutputFactory(task=merged.task, name="Mô hình", status=OutputStatus.RECORDED)
    assert not user.has_perm("tasks.change_progressreport", report)
    assert not user.has_perm("tasks.change_output", output)
    assert merged.successor_user.has_perm("tasks.change_progressreport", report)
    assert merged.successor_user.has_perm("tasks.change_output", output)
    client = logged_in(user, language="vi")
    assert shows(client.get(reverse("progress_report_edit", args=[report.pk])), ended_message(merged.department))


@pytest.mark.parametrize("write", ["report", "output", "output_update"])
def test_the_services_refuse_the_ended_agencys_staff(merged, write):
    user = merged.province_user
    calls = {
        "report": lambda: services.progress_report_save(
            task=merged.task,
            author=user,
            data={"as_of": datetime.date(2026, 5, 15), "percent_complete": 60, "disbursed_to_date": 0},
            submit=True,
        ),
        "output": lambda: services.output_record(
            task=merged.task, author=user, data={"kind": "model", "name": "Mô hình", "quantity": 1}
        ),
        "output_update": lambda: services.output_update(
            output=OutputFactory(task=merged.task, name="Mô hình"),
            author=user,
            data={"kind": "model", "name": "Mô hình đã sửa", "quantity": 2, "unit": "mô hình"},
            opened_version=None,
        ),
    }
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        calls[write]()
    with translation.override("vi"):
        assert refused.value.messages == [ended_message(merged.department)]
    assert not ProgressReport.objects.exists()
    assert not Output.objects.exclude(name="Mô hình").exists()


def test_an_agency_reports_until_its_last_day(merged):
    today = timezone.localdate()
    merged.department.valid_to = today
    merged.department.save()
    user = merged.province_user
    assert ended_agency(user) is None
    assert user.has_perm("tasks.add_progressreport", merged.task)
    assert ended_agency(user, on=today + datetime.timedelta(days=1)) == merged.department


def test_without_a_successor_the_message_says_to_ask_an_administrator(merged):
    Agency.objects.filter(pk=merged.department.pk).update(successor=None)
    client = logged_in(merged.province_user, language="vi")
    response = client.get(reverse("progress_report_add", args=[merged.task.pk]))
    assert response.status_code == 403
    assert shows(response, vietnamese(ENDED_WITHOUT_SUCCESSOR, agency="Sở KH&CN Thái Bình", day="30/06/2025"))


def test_the_demo_thai_binh_login_works_for_hung_yen_and_reports_on_thai_binh(demo_data):
    user = get_user_model().objects.get(username="so.thaibinh")
    assert user.agency.name == "Sở Khoa học và Công nghệ tỉnh Hưng Yên"
    programme = Programme.objects.get(code="PH-BKHCN-TB-2012")
    task = (
        Task.objects.filter(
            programme=programme, status__in=TASK_STATUSES_TAKING_PROGRESS, lead_agency__province__code="34"
        )
        .select_related("lead_agency")
        .first()
    )
    assert task.lead_agency.province.valid_to == LAST_DAY
    response = demo_login("so.thaibinh").post(reverse("progress_report_add", args=[task.pk]), report_form())
    assert response.status_code == 302
    report = ProgressReport.objects.filter(task=task).latest("pk")
    assert (report.submitted_by, report.submitted_by.agency.name) == (user, "Sở Khoa học và Công nghệ tỉnh Hưng Yên")
    assert (
        not Programme.objects.visible_to(get_user_model().objects.get(username="so.namdinh"))
        .filter(pk=programme.pk)
        .exists()
    )
