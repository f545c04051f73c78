"""The header's counts of work waiting (`tasks.context_processors`): kept between requests until a progress report or
an output changes, for each user, and never behind what the lists show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tasks import services
from tasks.choices import OutputStatus, ReportStatus
from tests.conftest import logged_in
from tests.factories import OutputFactory, ProgressReportFactory
from tests.tasks.test_output_review import submitted

pytestmark = pytest.mark.django_db


def submitted_report(world, task=None, submitted_by=None):
    return ProgressReportFactory(
        task=task or world.task,
        submitted_by=submitted_by or world.province_user,
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )


def header_counts(client, url_name="dashboard") -> tuple[int, int]:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response.context["progress_work"]["count"], response.context["output_work"]["count"]


def header_query(client) -> str:
    """The SQL of the query that counts the header's figures, on a page that reads nothing else of them."""
    with CaptureQueriesContext(connection) as queries:
        header_counts(client)
    [query] = [query["sql"] for query in queries.captured_queries if "coop_notification" in query["sql"]]
    return query


def test_a_reviewers_counts_follow_each_report_and_output_submitted_and_reviewed(world):
    reviewer = logged_in(world.ministry_user)
    assert header_counts(reviewer) == (0, 0)
    report = submitted_report(world)
    assert header_counts(reviewer) == (1, 0)
    output = submitted(world)
    assert header_counts(reviewer) == (1, 1)
    services.progress_report_approve(report=report, reviewer=world.ministry_user)
    assert header_counts(reviewer) == (0, 1)
    services.output_verify(output=output, reviewer=world.ministry_user)
    assert header_counts(reviewer, "output_list") == (0, 0)


def test_kept_between_requests_until_an_output_changes(world):
    submitted(world)
    reviewer = logged_in(world.ministry_user)
    assert "tasks_output" in header_query(reviewer)
    assert "tasks_output" not in header_query(reviewer)  # read as kept: only the notifications are counted
    submitted(world, name="Mô hình nuôi cá")
    assert "tasks_output" in header_query(reviewer)
    assert header_counts(reviewer) == (0, 2)


def test_kept_for_each_reviewer_apart(world):
    """Nobody verifies what they submitted themselves: the output waits for the other reviewer only."""
    output = OutputFactory(task=world.task, name="Mô hình của Bộ", status=OutputStatus.RECORDED)
    services.output_submit(output=output, author=world.ministry_user)
    assert header_counts(logged_in(world.ministry_user)) == (0, 0)
    assert header_counts(logged_in(world.administrator_user)) == (0, 1)
    assert header_counts(logged_in(world.ministry_user)) == (0, 0)


def test_a_department_counts_what_is_returned_among_its_own_tasks(world):
    department = logged_in(world.province_user)
    other_department = logged_in(world.other_province_user)
    assert header_counts(department) == (0, 0)
    services.output_return(output=submitted(world), reviewer=world.ministry_user, note="Thiếu biên bản.")
    assert header_counts(department) == (0, 1)
    assert header_counts(other_department) == (0, 0)
    report = submitted_report(world, task=world.other_task, submitted_by=world.other_province_user)
    services.progress_report_return(report=report, reviewer=world.ministry_user, note="Thiếu số liệu năm 2017.")
    assert header_counts(other_department) == (1, 0)
    assert header_counts(department) == (0, 1)


def test_a_department_whose_scope_grows_counts_at_once(world):
    """The counts are kept for the tasks a department sees: a programme it joins names another scope."""
    from programmes.choices import PartyRole
    from tests.factories import ProgrammePartyFactory

    report = submitted_report(world, task=world.other_task, submitted_by=world.other_province_user)
    services.progress_report_return(report=report, reviewer=world.ministry_user, note="Thiếu số liệu năm 2017.")
    department = logged_in(world.province_user)
    assert header_counts(department) == (0, 0)
    ProgrammePartyFactory(programme=world.other_programme, agency=world.committee, role=PartyRole.MEMBER)
    assert header_counts(department) == (1, 0)
