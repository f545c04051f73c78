"""Statuses that agree with each other (docs/decisions.md): where a task's percent comes from, the
acceptance record, a programme closed only without open tasks, and "overdue" as a state of its own.

Read as the list of rules: the acceptance service and its refusals, the constraints, the admin, the
programme's closing, the overdue querysets and filters, the dashboard, and the pages' wording.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from programmes.choices import ProgrammeStatus
from programmes.models import Programme
from reports.queries import dashboard
from tasks import services
from tasks.choices import ReportStatus, TaskStatus
from tasks.models import Task
from tests.conftest import logged_in
from tests.factories import (
    ProgrammeFactory,
    ProgrammePartyFactory,
    ProgressReportFactory,
    TaskFactory,
    UserFactory,
)
from tests.helpers import shows, vietnamese

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def approved_report(task, percent, as_of=datetime.date(2018, 6, 30)):
    """An approved report, as the review leaves it (`reviewed_by` set), written straight to the table."""
    reviewer = UserFactory()
    return ProgressReportFactory(
        task=task,
        as_of=as_of,
        percent_complete=percent,
        status=ReportStatus.APPROVED,
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
    )


def refusal(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


# Acceptance ("nghiệm thu"): the only way to 100% other than an approved report


def test_accepting_a_task_records_the_acceptance_and_makes_it_complete(world):
    task = world.task
    approved_report(task, 70)
    accepted = services.task_accept(
        task=task, accepted_on=datetime.date(2019, 3, 15), decision=" 12/QĐ-SKHCN ", by=world.ministry_user
    )
    accepted.refresh_from_db()
    assert (accepted.status, accepted.percent_complete) == (TaskStatus.ACCEPTED, 100)
    assert (accepted.accepted_on, accepted.acceptance_decision) == (datetime.date(2019, 3, 15), "12/QĐ-SKHCN")
    assert accepted.history.first().history_user == world.ministry_user


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"status": TaskStatus.PROPOSED}, "status", "Chỉ nghiệm thu được nhiệm vụ đang thực hiện hoặc tạm dừng"),
        ({"accepted_on": TOMORROW}, "accepted_on", "Ngày nghiệm thu không thể ở tương lai."),
        ({"accepted_on": datetime.date(2015, 12, 31)}, "accepted_on", "trước ngày nhiệm vụ bắt đầu (01/01/2016)"),
        ({"accepted_on": None}, "accepted_on", "Hãy nhập ngày của biên bản nghiệm thu."),
        ({"decision": "  "}, "acceptance_decision", "Hãy nhập số biên bản hoặc quyết định nghiệm thu."),
    ],
)
def test_acceptance_is_refused_with_the_reason_in_vietnamese(world, change, field, message):
    task = world.task
    if "status" in change:
        Task.objects.filter(pk=task.pk).update(status=change["status"])
    arguments = {"accepted_on": datetime.date(2019, 3, 15), "decision": "12/QĐ-SKHCN", **change}
    arguments.pop("status", None)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.task_accept(task=task, by=world.ministry_user, **arguments)
    assert message in refusal(refused.value, field)
    task.refresh_from_db()
    assert task.accepted_on is None and task.status != TaskStatus.ACCEPTED


def test_ministry_staff_record_the_acceptance_on_the_task_page(world):
    client = logged_in(world.ministry_user, language="vi")
    page = client.get(world.task.get_absolute_url())
    assert 'id="task-accept"' in page.content.decode()
    url = reverse("task_accept", args=[world.task.pk])
    response = client.post(url, {"accepted_on": "15/03/2019", "acceptance_decision": "12/QĐ-SKHCN"})
    assert response.status_code == 302
    world.task.refresh_from_db()
    assert (world.task.status, world.task.percent_complete) == (TaskStatus.ACCEPTED, 100)
    # A bad date is a message on its field, nothing is saved.
    other = TaskFactory(programme=world.programme, lead_agency=world.department)
    response = client.post(
        reverse("task_accept", args=[other.pk]), {"accepted_on": "15/03/2015", "acceptance_decision": "1/BB"}
    )
    assert response.status_code == 200
    assert "trước ngày nhiệm vụ bắt đầu" in " ".join(response.context["form"].errors["accepted_on"])


def test_province_staff_may_not_record_an_acceptance(world):
    client = logged_in(world.province_user)
    response = client.post(
        reverse("task_accept", args=[world.task.pk]), {"accepted_on": "15/03/2019", "acceptance_decision": "1/BB"}
    )
    assert response.status_code == 403
    assert 'id="task-accept"' not in client.get(world.task.get_absolute_url()).content.decode()


def test_an_accepted_task_takes_no_more_progress_reports_and_keeps_its_100_percent(world):
    task = world.task
    pending = ProgressReportFactory(
        task=task,
        as_of=datetime.date(2018, 6, 30),
        percent_complete=60,
        status=ReportStatus.SUBMITTED,
        submitted_by=world.province_user,
        submitted_at=timezone.now(),
    )
    services.task_accept(task=task, accepted_on=datetime.date(2019, 3, 15), decision="12/BB", by=world.ministry_user)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.progress_report_save(
            task=Task.objects.get(pk=task.pk),
            author=world.province_user,
            data={"as_of": datetime.date(2019, 1, 31), "percent_complete": 80, "summary": "Tiếp tục"},
            submit=True,
        )
    assert "Nhiệm vụ đã được nghiệm thu ngày 15/03/2019" in " ".join(refused.value.messages)
    # A report sent before the acceptance may still be approved, for the record: the percent stays 100.
    services.progress_report_approve(report=pending, reviewer=world.ministry_user)
    task.refresh_from_db()
    assert task.percent_complete == 100


# The constraints, in the database and with their messages


@pytest.mark.parametrize(
    "fields",
    [
        {"status": TaskStatus.ACCEPTED, "percent_complete": 100},  # no record
        {"status": TaskStatus.IN_PROGRESS, "accepted_on": datetime.date(2019, 1, 1), "acceptance_decision": "1/BB"},
        {"status": TaskStatus.COMPLETED, "accepted_on": datetime.date(2019, 1, 1), "acceptance_decision": ""},
        {
            "status": TaskStatus.ACCEPTED,
            "accepted_on": datetime.date(2019, 1, 1),
            "acceptance_decision": "1/BB",
            "percent_complete": 80,
        },
        {
            "status": TaskStatus.ACCEPTED,
            "accepted_on": datetime.date(2015, 1, 1),
            "acceptance_decision": "1/BB",
            "percent_complete": 100,
        },
    ],
)
def test_the_database_refuses_a_status_without_its_acceptance_record_and_the_reverse(world, fields):
    task = world.task
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(**fields)
    for name, value in fields.items():
        setattr(task, name, value)
    with translation.override("vi"), pytest.raises(ValidationError):
        task.full_clean()


def test_the_constraint_messages_are_in_vietnamese():
    messages = {constraint.name: constraint.violation_error_message for constraint in Task._meta.constraints}
    assert "phải có biên bản nghiệm thu" in vietnamese(messages["task_accepted_has_acceptance_record"])
    assert "hoàn thành 100 phần trăm" in vietnamese(messages["task_accepted_is_complete"])
    vietnamese(messages["task_acceptance_record_only_when_accepted"])
    vietnamese(messages["task_acceptance_record_has_number"])
    vietnamese(messages["task_accepted_not_before_start"])


# The admin: percent complete is read-only and follows its sources


def admin_task_form(task, **changes) -> dict:
    management = {
        f"{prefix}-{key}": value
        for prefix in ("places", "fundings", "progress_reports", "outputs")
        for key, value in {
            "TOTAL_FORMS": "0",
            "INITIAL_FORMS": "0",
            "MIN_NUM_FORMS": "0",
            "MAX_NUM_FORMS": "1000",
        }.items()
    }
    data = {
        "programme": str(task.programme_id),
        "code": task.code,
        "title": task.title,
        "field": task.field,
        "level": task.level,
        "lead_agency": str(task.lead_agency_id),
        "start_on": "01/01/2016",
        "end_on": "31/12/2018",
        "status": task.status,
        "accepted_on": "",
        "acceptance_decision": "",
        "percent_complete": "95",  # read-only: ignored
        **management,
    }
    data.update(changes)
    return data


def test_the_admin_cannot_type_a_percent_and_acceptance_there_needs_its_record(admin_client, world):
    task = world.task
    approved_report(task, 40)
    url = reverse("admin:tasks_task_change", args=[task.pk])
    assert admin_client.post(url, admin_task_form(task)).status_code == 302
    task.refresh_from_db()
    assert task.percent_complete == 40  # from the approved report, not the 95 posted
    response = admin_client.post(
        url, admin_task_form(task, status=TaskStatus.ACCEPTED), headers={"accept-language": "vi"}
    )
    assert response.status_code == 200
    assert "phải có biên bản nghiệm thu" in str(response.context["adminform"].form.errors)
    response = admin_client.post(
        url, admin_task_form(task, status=TaskStatus.ACCEPTED, accepted_on="15/03/2019", acceptance_decision="7/BB")
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.percent_complete, task.acceptance_decision) == (TaskStatus.ACCEPTED, 100, "7/BB")
    # Reopened, with the record removed: back to the approved report's percent.
    assert admin_client.post(url, admin_task_form(task, status=TaskStatus.IN_PROGRESS)).status_code == 302
    task.refresh_from_db()
    assert (task.percent_complete, task.accepted_on) == (40, None)


# A programme is closed only without open tasks


def test_a_programme_with_open_tasks_cannot_be_closed_and_the_message_counts_and_links_them(world):
    programme = world.programme
    TaskFactory(programme=programme, code="TB-02", status=TaskStatus.SUSPENDED)
    TaskFactory(programme=programme, code="TB-03", status=TaskStatus.COMPLETED)
    programme.status = ProgrammeStatus.COMPLETED
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        programme.full_clean()
    message = refusal(refused.value, "status")
    assert "Chưa thể kết thúc chương trình: còn 2 nhiệm vụ chưa kết thúc" in message
    assert world.task.code in message and "TB-02" in message and "TB-03" not in message
    assert f"/tasks/?programme={programme.pk}&state=open" in message
    # The list it points to holds those two.
    client = logged_in(world.ministry_user)
    listed = client.get("/tasks/", {"programme": programme.pk, "state": "open"}).context["table"].paginator.count
    assert listed == 2


def test_a_programme_whose_tasks_are_settled_closes(world):
    Task.objects.filter(pk=world.task.pk).update(status=TaskStatus.CANCELLED)
    programme = Programme.objects.get(pk=world.programme.pk)
    programme.status = ProgrammeStatus.COMPLETED
    programme.full_clean()


def test_the_admin_refuses_to_close_a_programme_with_open_tasks(admin_client, world):
    programme = world.programme
    data = {
        "code": programme.code,
        "title": programme.title,
        "kind": programme.kind,
        "status": ProgrammeStatus.COMPLETED,
        "start_year": programme.start_year,
        "end_year": programme.end_year,
        **{
            f"{prefix}-{key}": value
            for prefix in ("programme_parties", "targets")
            for key, value in {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            }.items()
        },
    }
    response = admin_client.post(
        reverse("admin:programmes_programme_change", args=[programme.pk]), data, headers={"accept-language": "vi"}
    )
    assert response.status_code == 200
    assert "còn 1 nhiệm vụ chưa kết thúc" in str(response.context["adminform"].form.errors)
    assert Programme.objects.get(pk=programme.pk).status != ProgrammeStatus.COMPLETED


def test_a_task_of_a_closed_programme_cannot_be_reopened(world):
    closed = ProgrammeFactory(status=ProgrammeStatus.COMPLETED)
    task = TaskFactory(programme=closed, status=TaskStatus.CANCELLED)
    task.status = TaskStatus.IN_PROGRESS
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        task.full_clean()
    assert "đã kết thúc" in refusal(refused.value, "status")


# Overdue: a state of its own


def test_overdue_tasks_are_open_past_their_end_date(world):
    running = world.task  # ended 31/12/2018
    later = TaskFactory(end_on=TOMORROW)
    ends_today = TaskFactory(end_on=TODAY)
    suspended = TaskFactory(status=TaskStatus.SUSPENDED)
    done = TaskFactory(status=TaskStatus.COMPLETED)
    cancelled = TaskFactory(status=TaskStatus.CANCELLED)
    overdue = set(Task.objects.overdue(TODAY))
    assert overdue >= {running, suspended}
    assert not overdue & {later, ends_today, done, cancelled}
    for task in Task.objects.all():
        assert task.is_overdue == (task in overdue), task


def test_overdue_programmes_are_active_after_their_period_with_its_orientation():
    year = TODAY.year
    overdue = ProgrammeFactory(status=ProgrammeStatus.ACTIVE, start_year=2016, end_year=year - 1)
    oriented = ProgrammeFactory(
        status=ProgrammeStatus.ACTIVE, start_year=2012, end_year=year - 5, orientation_year=year
    )
    oriented_past = ProgrammeFactory(
        status=ProgrammeStatus.ACTIVE, start_year=2012, end_year=2015, orientation_year=year - 1
    )
    closed = ProgrammeFactory(status=ProgrammeStatus.COMPLETED, start_year=2016, end_year=2020)
    draft = ProgrammeFactory(status=ProgrammeStatus.DRAFT, start_year=2016, end_year=2020)
    running = ProgrammeFactory(status=ProgrammeStatus.ACTIVE, start_year=year, end_year=year + 2)
    assert set(Programme.objects.overdue(TODAY)) == {overdue, oriented_past}
    assert set(Programme.objects.not_overdue(TODAY)) == {oriented, closed, draft, running}
    for programme in Programme.objects.all():
        assert programme.is_overdue == (programme in {overdue, oriented_past}), programme


def test_the_lists_show_overdue_beside_the_status_and_filter_by_it(world):
    client = logged_in(world.ministry_user, language="vi")
    response = client.get("/tasks/", {"state": "overdue"})
    assert response.context["table"].paginator.count == 2  # both tasks ended in 2018
    html = response.content.decode()
    assert "Quá hạn" in html and "coop-overdue" in html
    Programme.objects.filter(pk=world.programme.pk).update(status=ProgrammeStatus.ACTIVE, end_year=2020)
    response = client.get("/programmes/", {"state": "overdue"})
    assert [row.record for row in response.context["table"].page.object_list] == [world.programme]
    assert "coop-overdue" in response.content.decode()
    exported = client.get("/programmes/", {"state": "overdue", "_export": "csv"})
    export = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert "Đang thực hiện (quá hạn)" in export


# The dashboard: overdue apart from ending soon, each figure opening its list


def test_the_dashboard_shows_overdue_programmes_and_tasks_apart_from_those_ending_soon(world):
    year = TODAY.year
    Programme.objects.filter(pk=world.programme.pk).update(status=ProgrammeStatus.ACTIVE, end_year=year - 3)
    ending = ProgrammeFactory(status=ProgrammeStatus.ACTIVE, start_year=year - 2, end_year=year + 1)
    ProgrammePartyFactory(programme=ending, agency=world.committee)
    figures = dashboard(user=world.province_user, today=TODAY)
    assert figures.overdue_programmes.value == 1
    assert figures.overdue_programme_rows == [world.programme]
    assert figures.ending_soon.value == 1 and figures.ending_soon_programmes == [ending]
    assert figures.overdue_tasks.value == 1  # the province user's own task, ended in 2018
    assert figures.overdue_programmes.url == "/programmes/?state=overdue"
    assert figures.overdue_tasks.url == "/tasks/?state=overdue"
    assert figures.ending_soon.url == f"/programmes/?status=active&state=on_schedule&ending_by={year + 1}"
    client = logged_in(world.province_user, language="vi")
    html = client.get("/").content.decode()
    for figure in (figures.overdue_programmes, figures.overdue_tasks, figures.ending_soon):
        assert f'href="{figure.url.replace("&", "&amp;")}"' in html
        assert client.get(figure.url).context["table"].paginator.count == figure.value
    assert "Chương trình quá hạn" in html and "Nhiệm vụ quá hạn" in html


# The pages say where the percent comes from


def test_the_task_page_says_where_its_percent_comes_from(world):
    client = logged_in(world.ministry_user, language="vi")
    task = world.task
    page = client.get(task.get_absolute_url())
    assert shows(page, "Chưa có báo cáo tiến độ nào được duyệt.") and task.percent_complete == 0
    approved_report(task, 75, as_of=datetime.date(2018, 5, 31))
    services.task_save(task=Task.objects.get(pk=task.pk))
    page = client.get(task.get_absolute_url())
    assert shows(page, "Theo báo cáo tiến độ đã duyệt tính đến ngày 31/05/2018.")
    services.task_accept(task=task, accepted_on=datetime.date(2019, 3, 15), decision="12/BB-NT", by=world.ministry_user)
    page = client.get(task.get_absolute_url())
    assert shows(page, "Theo biên bản nghiệm thu số 12/BB-NT ngày 15/03/2019.")
    assert not shows(page, "Chưa có báo cáo tiến độ nào được duyệt.")
    assert "Quá hạn" not in page.content.decode()


def test_the_task_page_of_an_overdue_task_says_so(world):
    page = logged_in(world.ministry_user, language="vi").get(world.task.get_absolute_url())
    assert shows(page, "Chưa kết thúc dù đã qua ngày kết thúc (31/12/2018).")
    assert "coop-overdue" in page.content.decode()


def test_the_programme_page_counts_the_tasks_not_finished_when_it_is_closed_or_overdue(world):
    client = logged_in(world.ministry_user, language="vi")
    programme = world.programme
    Programme.objects.filter(pk=programme.pk).update(status=ProgrammeStatus.ACTIVE, end_year=TODAY.year + 1)
    assert 'id="open-tasks"' not in client.get(programme.get_absolute_url()).content.decode()
    Programme.objects.filter(pk=programme.pk).update(end_year=TODAY.year - 1)
    page = client.get(programme.get_absolute_url())
    assert shows(page, "1 nhiệm vụ chưa kết thúc") and "coop-overdue" in page.content.decode()
    assert f"/tasks/?programme={programme.pk}&amp;state=open" in page.content.decode()
    # A programme closed before the rule, with an open task (the data migration leaves it so): counted too.
    Programme.objects.filter(pk=programme.pk).update(status=ProgrammeStatus.COMPLETED)
    assert shows(client.get(programme.get_absolute_url()), "1 nhiệm vụ chưa kết thúc")
