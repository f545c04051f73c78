"""The "Lịch sử thay đổi" tab and optimistic locking.

History: each detail page's `?tab=history` names who changed what, with the value before
and after as a person reads it (a choice's label, a date dd/mm/yyyy, money in đồng), and
reads the same number of queries for 5 changes as for 50.

Locking: two people open the same form; the second save is refused with the other's
changes shown and the user's own input kept; saving again goes through deliberately.
"""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from coop.roles import Role
from programmes.choices import MeetingKind, OutputKind, ProgrammeStatus, RecommendationStatus
from programmes.models import Meeting, Programme, Recommendation
from tasks.choices import FundingSource, OutputStatus, ReportStatus, TaskStatus
from tasks.models import Funding, Output, ProgressReport, Task
from tests.conftest import join_group, logged_in
from tests.factories import (
    AttendanceFactory,
    FundingFactory,
    MeetingFactory,
    OutputFactory,
    PersonFactory,
    ProgressReportFactory,
    RecommendationFactory,
    UserFactory,
)
from tests.helpers import opened_version, shows, vietnamese

pytestmark = pytest.mark.django_db


# Helpers


def label(model, field: str) -> str:
    """A field's name as the history tab heads its row."""
    return capfirst(vietnamese(model._meta.get_field(field).verbose_name))


def page_text(response) -> str:
    """The words on the page, without markup: a change reads "label old new"."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def reads(response, *words) -> bool:
    """The words follow each other on the page (e.g. a field, its old and its new value)."""
    return " ".join(str(word) for word in words) in page_text(response)


def history(client, url: str):
    response = client.get(url, {"tab": "history"})
    assert response.status_code == 200
    assert response.context["tab"] == "history"
    return response


def conflict_message() -> str:
    return vietnamese(
        "Someone else saved this record after you opened it. Their changes are shown below; "
        "your input is kept. Check it and save again to keep yours."
    )


def named(user, full_name: tuple[str, str]):
    user.last_name, user.first_name = full_name
    user.save()
    return user


@pytest.fixture
def world(roles):
    """`roles` with named users, and a colleague of the Thái Bình department."""
    named(roles.ministry_user, ("Trần Thu", "Hà"))
    named(roles.province_user, ("Phạm Văn", "Bình"))
    named(roles.leadership_user, ("Lê Minh", "Tuấn"))
    colleague = join_group(UserFactory(username="so.test.2", agency=roles.department), Role.PROVINCE_STAFF)
    roles.colleague = named(colleague, ("Đỗ Thị", "Lan"))
    return roles


# Who changed what: each detail page's history tab


def test_the_task_history_shows_the_approval_that_moved_its_percent_status_and_money(world):
    world.task.percent_complete, world.task.status = 40, TaskStatus.APPROVED
    world.task.save()
    funding = FundingFactory(task=world.task, source=FundingSource.MINISTRY, year=2016, disbursed=0)
    report = ProgressReportFactory(
        task=world.task,
        percent_complete=60,
        disbursements={funding: Decimal(300_000_000)},
        status=ReportStatus.SUBMITTED,
        submitted_by=world.province_user,
        submitted_at=timezone.now(),
    )
    ministry = logged_in(world.ministry_user)
    approved = ministry.post(reverse("progress_report_detail", args=[report.pk]), {"decision": "approve"})
    assert approved.status_code == 302
    response = history(ministry, reverse("task_detail", args=[world.task.pk]))
    assert reads(response, label(Task, "percent_complete"), "40", "60")
    assert reads(
        response, label(Task, "status"), vietnamese(TaskStatus.APPROVED.label), vietnamese(TaskStatus.IN_PROGRESS.label)
    )
    assert reads(response, label(Funding, "disbursed"), "0 đ", "300.000.000 đ")
    assert reads(
        response,
        label(ProgressReport, "status"),
        vietnamese(ReportStatus.SUBMITTED.label),
        vietnamese(ReportStatus.APPROVED.label),
    )
    assert vietnamese(FundingSource.MINISTRY.label) + " 2016" in page_text(response)  # which funding row
    latest = response.context["history"][0]
    assert latest.who == world.ministry_user
    assert "Trần Thu Hà" in page_text(response)
    assert shows(response, vietnamese("Change history"))


def test_the_output_history_shows_a_kind_a_quantity_and_a_date_changed_by_ministry_staff(world):
    output = OutputFactory(task=world.task, kind=OutputKind.MODEL, quantity=1, achieved_on=datetime.date(2018, 6, 1))
    client = logged_in(world.ministry_user)
    saved = client.post(
        reverse("output_edit", args=[output.pk]),
        {
            "kind": OutputKind.TRAINING,
            "name": output.name,
            "quantity": "12",
            "unit": "lớp",
            "achieved_on": "15/07/2018",
            "opened_version": "1",
        },
    )
    assert saved.status_code == 302
    response = history(logged_in(world.province_user), reverse("output_detail", args=[output.pk]))
    (change, creation) = response.context["history"]
    assert (change.who, creation.who) == (world.ministry_user, None)  # made by a factory: "the system"
    assert reads(response, "Trần Thu Hà")
    assert reads(
        response, label(Output, "kind"), vietnamese(OutputKind.MODEL.label), vietnamese(OutputKind.TRAINING.label)
    )
    assert reads(response, label(Output, "quantity"), "1", "12")
    assert reads(response, label(Output, "achieved_on"), "01/06/2018", "15/07/2018")
    assert reads(response, vietnamese("the system"))


def test_the_programme_history_shows_a_status_label_and_a_signing_date(world):
    programme = world.programme
    programme.status, programme.signed_on = ProgrammeStatus.ACTIVE, datetime.date(2016, 3, 15)
    programme._history_user = world.ministry_user
    programme.save()
    response = history(logged_in(world.leadership_user), reverse("programme_detail", args=[programme.pk]))
    assert response.context["history"][0].who == world.ministry_user
    assert reads(response, "Trần Thu Hà")
    assert reads(
        response,
        label(Programme, "status"),
        vietnamese(ProgrammeStatus.DRAFT.label),
        vietnamese(ProgrammeStatus.ACTIVE.label),
    )
    assert reads(response, label(Programme, "signed_on"), "—", "15/03/2016")


def test_the_meeting_history_shows_its_own_changes_and_its_rows(world):
    meeting = MeetingFactory(programme=world.programme, held_on=datetime.date(2020, 6, 10))
    person = PersonFactory(agency=world.ministry, full_name="Nguyễn Thị Mai")
    client = logged_in(world.ministry_user)
    saved = client.post(
        reverse("meeting_edit", args=[meeting.pk]),
        {
            "programme": world.programme.pk,
            "held_on": "12/06/2020",
            "place": meeting.place,
            "kind": MeetingKind.WORKING_SESSION,
            "title": meeting.title,
            "opened_version": "1",
            "attendance-TOTAL_FORMS": "1",
            "attendance-INITIAL_FORMS": "0",
            "attendance-0-person": person.pk,
            "attendance-0-role": "chair",
            "recommendations-TOTAL_FORMS": "0",
            "recommendations-INITIAL_FORMS": "0",
        },
    )
    assert saved.status_code == 302
    response = history(logged_in(world.province_user), reverse("meeting_detail", args=[meeting.pk]))
    assert reads(response, label(Meeting, "held_on"), "10/06/2020", "12/06/2020")
    assert reads(
        response,
        label(Meeting, "kind"),
        vietnamese(MeetingKind.PERIODIC_REVIEW.label),
        vietnamese(MeetingKind.WORKING_SESSION.label),
    )
    assert reads(response, vietnamese("created"))  # the attendance row
    assert {entry.who for entry in response.context["history"][:2]} == {world.ministry_user}


def test_the_progress_report_history_shows_a_percent_from_40_to_60(world):
    report = ProgressReportFactory(task=world.task, percent_complete=40, submitted_by=world.province_user)
    client = logged_in(world.province_user)
    saved = client.post(
        reverse("progress_report_edit", args=[report.pk]),
        {
            "as_of": "30/06/2017",
            "percent_complete": "60",
            "summary": report.summary,
            "action": "submit",
            "opened_version": "1",
        },
    )
    assert saved.status_code == 302
    response = history(client, reverse("progress_report_detail", args=[report.pk]))
    assert reads(response, label(ProgressReport, "percent_complete"), "40", "60")
    assert reads(
        response,
        label(ProgressReport, "status"),
        vietnamese(ReportStatus.DRAFT.label),
        vietnamese(ReportStatus.SUBMITTED.label),
    )
    assert reads(response, "Phạm Văn Bình")


def test_the_details_tab_reads_no_history(world):
    response = logged_in(world.province_user).get(reverse("task_detail", args=[world.task.pk]))
    assert response.context["tab"] == "details"
    assert "history" not in response.context
    assert f'href="{reverse("task_detail", args=[world.task.pk])}?tab=history"' in response.content.decode()


# The history tab reads as many queries for 50 changes as for 5


def change_output(world, count: int):
    output = getattr(world, "output", None) or OutputFactory(task=world.task)
    world.output = output
    for _ in range(count):
        output.quantity = output.quantity + 1
        output._history_user = UserFactory(agency=world.department)  # a different person each time
        output.save()
    return reverse("output_detail", args=[output.pk])


def change_task(world, count: int):
    task = world.task
    for _ in range(count):
        task.investigator = PersonFactory(agency=world.department)  # a different link each time
        task._history_user = UserFactory(agency=world.department)
        task.save()
        FundingFactory(task=task, year=1950 + Funding.objects.filter(task=task).count())
    return reverse("task_detail", args=[task.pk])


def change_meeting(world, count: int):
    meeting = getattr(world, "meeting", None) or MeetingFactory(programme=world.programme)
    world.meeting = meeting
    for _ in range(count):
        meeting.place = f"Hội trường {meeting.version}"
        meeting._history_user = UserFactory(agency=world.department)
        meeting.save()
        AttendanceFactory(meeting=meeting, person=PersonFactory(agency=world.department))
        RecommendationFactory(meeting=meeting, raised_by=world.committee, addressed_to=world.department)
    return reverse("meeting_detail", args=[meeting.pk])


def change_programme(world, count: int):
    programme = world.programme
    for _ in range(count):
        programme.objectives = f"Mục tiêu {programme.version}"
        programme._history_user = UserFactory(agency=world.department)
        programme.save()
    return reverse("programme_detail", args=[programme.pk])


def change_report(world, count: int):
    report = getattr(world, "report", None) or ProgressReportFactory(task=world.task, submitted_by=world.province_user)
    world.report = report
    for _ in range(count):
        report.percent_complete = (report.percent_complete + 1) % 100
        report._history_user = UserFactory(agency=world.department)
        report.save()
    return reverse("progress_report_detail", args=[report.pk])


def count_history_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        history(client, url)
    return len(queries)


@pytest.mark.parametrize(
    "make_changes",
    [change_output, change_task, change_meeting, change_programme, (change_report)],
)
def test_the_history_tab_reads_as_many_queries_for_50_changes_as_for_5(world, make_changes):
    client = logged_in(world.ministry_user)
    url = make_changes(world, 5)
    with_5 = count_history_queries(client, url)
    make_changes(world, 45)
    with_50 = count_history_queries(client, url)
    assert with_5 == with_50
    # A task's history reads the histories of its places and of its reports' figures per funding row too.
    assert with_50 < 24


# No lost updates: the second save is refused, with what changed and the user's input kept


def test_an_output_saved_meanwhile_by_someone_else_is_not_overwritten(world):
    output = OutputFactory(task=world.task, name="Mô hình trồng nấm rơm", quantity=1, status=OutputStatus.RECORDED)
    url = reverse("output_edit", args=[output.pk])
    first, second = logged_in(world.ministry_user), logged_in(world.province_user)
    form = {"kind": OutputKind.MODEL, "name": output.name, "unit": "mô hình", "achieved_on": "01/06/2018"}

    opened = first.get(url)
    version = opened_version(opened)
    assert version == "1"
    other = second.post(url, {**form, "quantity": "7", "opened_version": opened_version(second.get(url))})
    assert other.status_code == 302

    refused = first.post(url, {**form, "quantity": "5", "opened_version": version})
    assert refused.status_code == 200
    assert shows(refused, conflict_message())
    assert refused.context["form"]["quantity"].value() == "5"  # the first user's input is kept
    assert 'name="quantity" value="5"' in refused.content.decode()
    assert world.province_user in [entry.who for entry in refused.context["conflict_changes"]]
    assert reads(refused, vietnamese("Changed by someone else since you opened the form"))
    assert reads(refused, "Phạm Văn Bình")
    assert reads(refused, label(Output, "quantity"), "1", "7")
    output.refresh_from_db()
    assert (output.quantity, output.version) == (7, 2)

    again = first.post(url, {**form, "quantity": "5", "opened_version": opened_version(refused)})
    assert again.status_code == 302
    output.refresh_from_db()
    assert (output.quantity, output.version) == (5, 3)


def test_a_progress_report_draft_saved_meanwhile_by_a_colleague_is_not_overwritten(world):
    draft = ProgressReportFactory(task=world.task, percent_complete=30, submitted_by=world.province_user)
    url = reverse("progress_report_edit", args=[draft.pk])
    mine, colleague = logged_in(world.province_user), logged_in(world.colleague)
    form = {"as_of": "30/06/2017", "summary": draft.summary, "action": "draft"}

    version = opened_version(mine.get(url))
    saved = colleague.post(
        url, {**form, "percent_complete": "45", "opened_version": opened_version(colleague.get(url))}
    )
    assert saved.status_code == 302

    refused = mine.post(url, {**form, "percent_complete": "60", "opened_version": version})
    assert refused.status_code == 200
    assert shows(refused, conflict_message())
    assert 'name="percent_complete" value="60"' in refused.content.decode()
    assert reads(refused, "Đỗ Thị Lan")
    assert reads(refused, label(ProgressReport, "percent_complete"), "30", "45")
    draft.refresh_from_db()
    assert (draft.percent_complete, draft.submitted_by) == (45, world.colleague)

    again = mine.post(url, {**form, "percent_complete": "60", "opened_version": opened_version(refused)})
    assert again.status_code == 302
    draft.refresh_from_db()
    assert (draft.percent_complete, draft.submitted_by) == (60, world.province_user)


def test_a_follow_up_recorded_meanwhile_by_the_ministry_is_not_overwritten(world):
    recommendation = RecommendationFactory(
        meeting=MeetingFactory(programme=world.programme), addressed_to=world.committee
    )
    url = reverse("recommendation_follow_up", args=[recommendation.pk])
    province, ministry = logged_in(world.province_user), logged_in(world.ministry_user)

    version = opened_version(province.get(url))
    saved = ministry.post(
        url,
        {"status": RecommendationStatus.IN_PROGRESS, "follow_up": "Sở đang khảo sát.", "opened_version": "1"},
    )
    assert saved.status_code == 302

    mine = {"status": RecommendationStatus.DONE, "follow_up": "Đã bàn giao mô hình."}
    refused = province.post(url, {**mine, "opened_version": version})
    assert refused.status_code == 200
    assert shows(refused, conflict_message())
    assert shows(refused, "Đã bàn giao mô hình.")
    assert reads(refused, "Trần Thu Hà")
    assert reads(
        refused,
        label(Recommendation, "status"),
        vietnamese(RecommendationStatus.OPEN.label),
        vietnamese(RecommendationStatus.IN_PROGRESS.label),
    )
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.follow_up) == (RecommendationStatus.IN_PROGRESS, "Sở đang khảo sát.")

    again = province.post(url, {**mine, "opened_version": opened_version(refused)})
    assert again.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.follow_up) == (RecommendationStatus.DONE, "Đã bàn giao mô hình.")


def test_a_conflict_lists_only_what_was_saved_after_the_form_was_opened(world):
    output = OutputFactory(task=world.task, quantity=1, status=OutputStatus.RECORDED)
    url = reverse("output_edit", args=[output.pk])
    form = {
        "kind": OutputKind.MODEL,
        "name": output.name,
        "unit": "mô hình",
        "achieved_on": "01/06/2018",
        "opened_version": "1",
    }
    assert logged_in(world.province_user).post(url, {**form, "quantity": "7"}).status_code == 302
    refused = logged_in(world.ministry_user).post(url, {**form, "quantity": "5"})
    assert [entry.who for entry in refused.context["conflict_changes"]] == [world.province_user]
    assert not reads(refused, vietnamese("created"))


@pytest.mark.parametrize("typed", ["abc", "0", "-3"])
def test_a_damaged_version_field_is_refused_and_saves_nothing(world, typed):
    output = OutputFactory(task=world.task, quantity=1)
    response = logged_in(world.ministry_user).post(
        reverse("output_edit", args=[output.pk]),
        {
            "kind": OutputKind.MODEL,
            "name": output.name,
            "quantity": "4",
            "unit": "mô hình",
            "achieved_on": "01/06/2018",
            "opened_version": typed,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["opened_version"]
    output.refresh_from_db()
    assert (output.quantity, output.version) == (1, 1)


def test_a_damaged_version_field_tells_the_user_to_open_the_page_again(world):
    output = OutputFactory(task=world.task, quantity=1)
    response = logged_in(world.ministry_user).post(
        reverse("output_edit", args=[output.pk]),
        {
            "kind": OutputKind.MODEL,
            "name": output.name,
            "quantity": "4",
            "achieved_on": "01/06/2018",
            "opened_version": "abc",
        },
    )
    assert response.status_code == 200
    assert shows(response, vietnamese("The form was damaged; open the page again."))
    output.refresh_from_db()
    assert output.quantity == 1


def test_an_edit_without_the_version_it_was_opened_at_is_refused_and_saves_nothing(world):
    # Leaving the hidden field out would otherwise skip the conflict check and overwrite a colleague's save.
    output = OutputFactory(task=world.task, quantity=1)
    response = logged_in(world.ministry_user).post(
        reverse("output_edit", args=[output.pk]),
        {
            "kind": OutputKind.MODEL,
            "name": output.name,
            "quantity": "4",
            "unit": "mô hình",
            "achieved_on": "01/06/2018",
        },
    )
    assert response.status_code == 200
    assert shows(response, vietnamese("The form was damaged; open the page again."))
    output.refresh_from_db()
    assert (output.quantity, output.version) == (1, 1)
