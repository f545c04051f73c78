"""Reports too long for a web request: queued, drawn by the worker, followed on their own page.

The threshold is lowered to a few tasks so that a small programme stands in for a large one;
the worker is django-tasks' own `db_worker`, run for real over the database queue.
"""

import hashlib
import re
import signal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from coop.roles import Role, sync_role_groups
from reports.choices import ReportRequestStatus, ReportStage
from reports.models import GeneratedReport, ReportRequest
from tests.conftest import logged_in
from tests.factories import FundingFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REVIEW_OPTIONS = {"as_of": "10/06/2020", "language": "vi", "include_tasks": "on"}


@pytest.fixture
def world(scope, settings):
    # A transactional test before this one may have emptied every table, the role groups included.
    sync_role_groups(apps)
    settings.REPORT_BACKGROUND_MIN_TASKS = 3
    for user, role in ((scope.ministry_user, Role.MINISTRY_STAFF), (scope.leadership_user, Role.LEADERSHIP)):
        user.groups.add(Group.objects.get(name=role))
    for number in range(3):
        task = TaskFactory(programme=scope.programme, lead_agency=scope.department, title=f"Nhiệm vụ dài {number}")
        FundingFactory(task=task)
    return scope


def ask_for_review(client, programme):
    return client.get(reverse("programme_review_pdf", args=[programme.pk]), REVIEW_OPTIONS)


def run_worker():
    """django-tasks' worker over the queue until it is empty, as `manage.py db_worker --batch` runs.

    The worker installs its own handlers of SIGINT, SIGTERM and SIGQUIT; they are put back after,
    so that Ctrl-C or a CI timeout still stops pytest.
    """
    stop_signals = [signal.SIGINT, signal.SIGTERM, *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])]
    handlers = {number: signal.getsignal(number) for number in stop_signals}
    try:
        # call_command takes destinations: `startup_delay`, not the `--no-startup-delay` flag.
        call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def test_a_large_programmes_review_is_queued_not_drawn_in_the_request(world):
    response = ask_for_review(logged_in(world.leadership_user), world.programme)
    report_request = ReportRequest.objects.get()
    assert response.status_code == 302
    assert response.url == report_request.get_absolute_url()
    assert report_request.status == ReportRequestStatus.QUEUED
    assert report_request.parameters == {"as_of": "2020-06-10", "language": "vi", "include_tasks": True}
    assert not GeneratedReport.objects.exists()
    assert DBTaskResult.objects.filter(pk=report_request.task_result_id).exists()

    page = logged_in(world.leadership_user).get(report_request.get_absolute_url()).content.decode()
    assert "Đang chờ trong hàng đợi" in page
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', page)


def test_asking_twice_while_it_waits_queues_it_once(world):
    client = logged_in(world.leadership_user)
    first, second = ask_for_review(client, world.programme), ask_for_review(client, world.programme)
    assert first.url == second.url
    assert ReportRequest.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_the_worker_draws_it_files_it_and_the_page_offers_the_file(world):
    client = logged_in(world.leadership_user)
    ask_for_review(client, world.programme)
    run_worker()

    report_request = ReportRequest.objects.select_related("report").get()
    assert report_request.status == ReportRequestStatus.DONE
    assert report_request.progress == 100
    assert [step["stage"] for step in report_request.stage_log] == [stage.value for stage in ReportStage]
    assert [step["progress"] for step in report_request.stage_log] == sorted(
        step["progress"] for step in report_request.stage_log
    )
    report = report_request.report
    pdf = report.pdf.open("rb").read()
    assert pdf.startswith(b"%PDF-")
    assert report.sha256 == hashlib.sha256(pdf).hexdigest()
    assert report.page_count >= 1
    assert (report.programme, report.created_by) == (world.programme, world.leadership_user)

    page = client.get(report_request.get_absolute_url()).content.decode()
    assert reverse("report_download", args=[report.pk]) in page
    assert 'http-equiv="refresh"' not in page
    download = client.get(reverse("report_download", args=[report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf


def test_a_small_programme_is_still_drawn_within_the_request(world, settings):
    settings.REPORT_BACKGROUND_MIN_TASKS = 100
    response = ask_for_review(logged_in(world.leadership_user), world.programme)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert not ReportRequest.objects.exists()


def test_a_request_that_can_no_longer_be_drawn_says_why_and_can_be_tried_again(world):
    client = logged_in(world.province_user)
    world.province_user.groups.add(Group.objects.get(name=Role.PROVINCE_STAFF))
    ask_for_review(client, world.programme)
    # Before the worker gets to it, the department leaves the programme's province side.
    world.programme.parties.remove(world.committee)
    run_worker()

    report_request = ReportRequest.objects.get()
    assert report_request.status == ReportRequestStatus.FAILED
    page = client.get(report_request.get_absolute_url()).content.decode()
    assert "Bạn không còn quyền xem chương trình này" in page
    assert reverse("report_request_retry", args=[report_request.pk]) in page

    client.post(reverse("report_request_retry", args=[report_request.pk]))
    report_request.refresh_from_db()
    assert report_request.status == ReportRequestStatus.QUEUED
    assert report_request.error_message == ""


def test_only_the_requester_and_administrators_follow_a_request(world, admin_client):
    ask_for_review(logged_in(world.leadership_user), world.programme)
    url = ReportRequest.objects.get().get_absolute_url()
    assert logged_in(world.ministry_user).get(url).status_code == 404
    assert logged_in(UserFactory()).get(url).status_code == 404
    assert admin_client.get(url).status_code == 200


def test_the_archive_lists_the_users_reports_still_being_drawn(world):
    client = logged_in(world.leadership_user)
    ask_for_review(client, world.programme)
    report_request = ReportRequest.objects.get()
    page = client.get(reverse("report_list")).content.decode()
    assert report_request.get_absolute_url() in page
    assert (
        report_request.get_absolute_url()
        not in logged_in(world.ministry_user).get(reverse("report_list")).content.decode()
    )


def test_a_long_task_list_pdf_is_queued_and_drawn_by_the_worker(world):
    client = logged_in(world.ministry_user)
    response = client.get(reverse("task_list_pdf"), {"programme": world.programme.pk})
    report_request = ReportRequest.objects.get()
    assert response.url == report_request.get_absolute_url()
    assert report_request.parameters["filters"] == {"programme": [str(world.programme.pk)]}
    run_worker()
    report_request.refresh_from_db()
    assert report_request.status == ReportRequestStatus.DONE
    assert report_request.report.programme == world.programme


def test_a_province_cannot_ask_for_another_provinces_report(world):
    world.province_user.groups.add(Group.objects.get(name=Role.PROVINCE_STAFF))
    response = ask_for_review(logged_in(world.province_user), world.other_programme)
    assert response.status_code == 404
    assert not ReportRequest.objects.exists()


@pytest.mark.parametrize("status", ["queued", "running", "done", "failed"])
def test_the_progress_page_needs_no_inline_script_or_style(world, status):
    ask_for_review(logged_in(world.leadership_user), world.programme)
    ReportRequest.objects.update(status=status, stage=ReportStage.LAYOUT, progress=2, error_message="Lỗi")
    page = logged_in(world.leadership_user).get(ReportRequest.objects.get().get_absolute_url()).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"<[^>]+\sstyle\s*=", page)
    if status == "running":
        assert '<progress class="w-100 mb-2" id="report-progress" value="2" max="100">' in page
        assert "Đang dàn trang" in page
