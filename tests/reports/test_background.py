"""Reports too long for a web request: queued, drawn by the worker, followed on their own page.

The threshold is lowered to a few tasks so that a small programme stands in for a large one;
the worker is django-tasks' own `db_worker`, run for real over the database queue. What goes to the
worker: a review document of a large programme when its signer issues it, a long task list saved in
the archive, and the review reports asked for before there were documents, still in the queue. A
GET queues nothing: the data sheet of a large programme leaves its task table out, a long task list
is saved by POST.
"""

import datetime
import hashlib
import re
import signal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from coop.roles import Role, sync_role_groups
from reports.background import report_request_queue
from reports.choices import DocumentState, ReportKind, ReportRequestStatus, ReportStage, SigningAuthority
from reports.models import DocumentRegister, GeneratedReport, ReportRequest
from reports.services import (
    review_document_create,
    review_document_return,
    review_document_submit,
    review_document_update,
    review_parameters,
)
from tests.conftest import logged_in
from tests.factories import FundingFactory, PersonFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AS_OF = datetime.date(2020, 6, 10)
REVIEW_OPTIONS = {"as_of": "10/06/2020", "language": "vi", "include_tasks": "on"}


@pytest.fixture
def world(scope, settings):
    """`scope` with roles, three more tasks in its programme (a large one at this threshold), and what its review
    document needs: the Ministry's document code and a leader linked to a person, who signs."""
    # A transactional test before this one may have emptied every table, the role groups included.
    sync_role_groups(apps)
    settings.REPORT_BACKGROUND_MIN_TASKS = 3
    settings.DOCUMENT_SIGNING_PKCS12 = ""  # issued unsigned here; tests/reports/test_signing.py signs
    for user, role in ((scope.ministry_user, Role.MINISTRY_STAFF), (scope.leadership_user, Role.LEADERSHIP)):
        user.groups.add(Group.objects.get(name=role))
    for number in range(3):
        task = TaskFactory(programme=scope.programme, lead_agency=scope.department, title=f"Nhiệm vụ dài {number}")
        FundingFactory(task=task)
    scope.ministry.document_code = "BKHCN"
    scope.ministry.save()
    scope.leadership_user.person = PersonFactory(
        full_name="Đỗ Quang Vinh", position="Thứ trưởng", agency=scope.ministry
    )
    scope.leadership_user.save()
    return scope


def submitted_document(world) -> GeneratedReport:
    """A review document of the programme with its table of tasks, waiting for the leader's signature."""
    document = review_document_create(
        programme=world.programme, user=world.ministry_user, as_of=AS_OF, language="vi", include_tasks=True
    )
    document = review_document_update(
        document=document,
        user=world.ministry_user,
        data={"signer": world.leadership_user, "signing_authority": SigningAuthority.DEPUTY},
        opened_version=None,
    )
    return review_document_submit(document=document, user=world.ministry_user)


def ask_to_issue(client, document):
    return client.post(reverse("document_issue", args=[document.pk]))


def queue_old_review(world, user) -> ReportRequest:
    """A review report asked for before documents existed, still waiting in the queue."""
    return report_request_queue(
        kind=ReportKind.PROGRAMME_REVIEW,
        programme=world.programme,
        parameters=review_parameters(as_of=AS_OF, language="vi", include_tasks=True),
        user=user,
    )


def in_vietnamese(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


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


def test_a_large_programmes_review_document_is_queued_not_issued_in_the_request(world):
    document = submitted_document(world)
    response = ask_to_issue(logged_in(world.leadership_user), document)
    report_request = ReportRequest.objects.get()
    assert response.status_code == 302
    assert response.url == report_request.get_absolute_url()
    assert report_request.status == ReportRequestStatus.QUEUED
    assert (report_request.kind, report_request.programme) == (ReportKind.PROGRAMME_REVIEW, world.programme)
    assert report_request.parameters == {"document": document.pk, "language": "vi"}
    document.refresh_from_db()
    assert (document.state, document.number, document.pdf.name) == (DocumentState.SUBMITTED, None, "")
    assert DBTaskResult.objects.filter(pk=report_request.task_result_id).exists()

    page = logged_in(world.leadership_user).get(report_request.get_absolute_url()).content.decode()
    assert "Đang chờ trong hàng đợi" in page
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', page)


def test_the_data_sheet_of_a_large_programme_is_drawn_without_its_task_table_and_nothing_is_queued(world):
    client = logged_in(world.leadership_user)
    url = reverse("programme_review_pdf", args=[world.programme.pk])
    response = client.get(url, REVIEW_OPTIONS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    with translation.override("vi"):
        expected = gettext(
            "The programme has %(count)s tasks: their table is too long to draw while you wait. Leave it out, or "
            "create a review document, which is issued in the background."
        ) % {"count": world.programme.tasks.count()}
    assert response.context["form"].errors == {"include_tasks": [expected]}
    without_tasks = client.get(url, {**REVIEW_OPTIONS, "include_tasks": ""})
    assert without_tasks.status_code == 200
    assert without_tasks["Content-Type"] == "application/pdf"
    assert not ReportRequest.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not GeneratedReport.objects.exists()


def test_asking_twice_while_it_waits_queues_it_once(world):
    client = logged_in(world.leadership_user)
    document = submitted_document(world)
    first, second = ask_to_issue(client, document), ask_to_issue(client, document)
    assert first.url == second.url
    assert ReportRequest.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_the_worker_issues_the_document_and_the_page_offers_its_file(world):
    client = logged_in(world.leadership_user)
    document = submitted_document(world)
    ask_to_issue(client, document)
    run_worker()

    report_request = ReportRequest.objects.select_related("report").get()
    assert report_request.status == ReportRequestStatus.DONE
    assert report_request.progress == 100
    assert [step["stage"] for step in report_request.stage_log] == [stage.value for stage in ReportStage]
    assert [step["progress"] for step in report_request.stage_log] == sorted(
        step["progress"] for step in report_request.stage_log
    )
    # The request's report is the document itself, issued by its signer under the register's first number.
    report = report_request.report
    assert report.pk == document.pk
    assert (report.state, report.number_label, report.issued_by) == (
        DocumentState.ISSUED,
        "1/BC-BKHCN",
        world.leadership_user,
    )
    assert DocumentRegister.objects.get(agency=world.ministry).last_number == 1
    pdf = report.pdf.open("rb").read()
    assert pdf.startswith(b"%PDF-")
    assert report.sha256 == hashlib.sha256(pdf).hexdigest()
    assert report.page_count >= 1
    assert (report.programme, report.created_by) == (world.programme, world.ministry_user)

    page = client.get(report_request.get_absolute_url()).content.decode()
    assert reverse("report_download", args=[report.pk]) in page
    assert 'http-equiv="refresh"' not in page
    download = client.get(reverse("report_download", args=[report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf
    assert b"".join(client.get(reverse("document_issued_pdf", args=[report.pk])).streaming_content) == pdf


def test_a_request_to_issue_by_someone_who_is_not_the_signer_is_refused_with_a_message(world):
    """Queued by hand: the page queues only its signer's request, but the worker checks again."""
    document = submitted_document(world)
    other_leader = UserFactory(agency=world.ministry)
    other_leader.groups.add(Group.objects.get(name=Role.LEADERSHIP))
    report_request = report_request_queue(
        kind=ReportKind.PROGRAMME_REVIEW,
        programme=world.programme,
        parameters={"document": document.pk, "language": "vi"},
        user=other_leader,
    )
    run_worker()

    report_request.refresh_from_db()
    assert report_request.status == ReportRequestStatus.FAILED
    message = in_vietnamese("This document can no longer be issued by you: open it to see where it stands.")
    assert report_request.error_message == message
    assert report_request.report is None
    document.refresh_from_db()
    assert (document.state, document.number, document.pdf.name) == (DocumentState.SUBMITTED, None, "")
    assert not DocumentRegister.objects.exists()
    assert message in logged_in(other_leader).get(report_request.get_absolute_url()).content.decode()


def test_a_document_returned_to_draft_while_its_request_waits_is_not_issued(world):
    client = logged_in(world.leadership_user)
    document = submitted_document(world)
    ask_to_issue(client, document)
    review_document_return(document=document, user=world.ministry_user, note="Bổ sung số liệu năm 2020.")
    run_worker()

    report_request = ReportRequest.objects.get()
    assert report_request.status == ReportRequestStatus.FAILED
    page = client.get(report_request.get_absolute_url()).content.decode()
    assert in_vietnamese("This document can no longer be issued by you: open it to see where it stands.") in page
    document.refresh_from_db()
    assert (document.state, document.number) == (DocumentState.DRAFT, None)


def test_a_small_programmes_document_is_still_issued_within_the_request(world, settings):
    settings.REPORT_BACKGROUND_MIN_TASKS = 100
    document = submitted_document(world)
    response = ask_to_issue(logged_in(world.leadership_user), document)
    assert response.status_code == 302
    assert response.url == reverse("document_detail", args=[document.pk])
    document.refresh_from_db()
    assert (document.state, document.number_label) == (DocumentState.ISSUED, "1/BC-BKHCN")
    assert not ReportRequest.objects.exists()


def test_a_small_programmes_data_sheet_holds_its_task_table(world, settings):
    settings.REPORT_BACKGROUND_MIN_TASKS = 100
    response = logged_in(world.leadership_user).get(
        reverse("programme_review_pdf", args=[world.programme.pk]), REVIEW_OPTIONS
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert not ReportRequest.objects.exists()


def test_the_worker_still_draws_a_review_report_asked_for_before_documents(world):
    """A request queued before review documents existed is drawn as it was asked: a saved copy of the report."""
    client = logged_in(world.leadership_user)
    report_request = queue_old_review(world, world.leadership_user)
    run_worker()

    report_request.refresh_from_db()
    assert report_request.status == ReportRequestStatus.DONE
    assert [step["stage"] for step in report_request.stage_log] == [stage.value for stage in ReportStage]
    report = report_request.report
    assert (report.kind, report.state, report.programme, report.created_by) == (
        ReportKind.PROGRAMME_REVIEW,
        DocumentState.SAVED,
        world.programme,
        world.leadership_user,
    )
    assert (report.as_of, report.language) == (AS_OF, "vi")
    pdf = report.pdf.open("rb").read()
    assert report.sha256 == hashlib.sha256(pdf).hexdigest()
    assert report.page_count >= 1
    assert b"".join(client.get(reverse("report_download", args=[report.pk])).streaming_content) == pdf


def test_a_request_that_can_no_longer_be_drawn_says_why_and_can_be_tried_again(world):
    client = logged_in(world.province_user)
    world.province_user.groups.add(Group.objects.get(name=Role.PROVINCE_STAFF))
    queue_old_review(world, world.province_user)
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
    ask_to_issue(logged_in(world.leadership_user), submitted_document(world))
    url = ReportRequest.objects.get().get_absolute_url()
    assert logged_in(world.ministry_user).get(url).status_code == 404
    assert logged_in(UserFactory()).get(url).status_code == 404
    assert admin_client.get(url).status_code == 200


def test_the_archive_lists_the_users_reports_still_being_drawn(world):
    client = logged_in(world.leadership_user)
    ask_to_issue(client, submitted_document(world))
    report_request = ReportRequest.objects.get()
    page = client.get(reverse("report_list")).content.decode()
    assert report_request.get_absolute_url() in page
    assert (
        report_request.get_absolute_url()
        not in logged_in(world.ministry_user).get(reverse("report_list")).content.decode()
    )


def test_a_long_task_list_pdf_is_queued_and_drawn_by_the_worker_when_saved(world):
    client = logged_in(world.ministry_user)
    params = {"programme": world.programme.pk}
    # Asked for to read (GET), it is not drawn: the list says to save it instead.
    response = client.get(reverse("task_list_pdf"), params, follow=True)
    assert response.redirect_chain == [(reverse("task_list") + f"?programme={world.programme.pk}", 302)]
    with translation.override("vi"):
        message = gettext(
            "%(count)s tasks match: a PDF this long is drawn in the background. Press “Save to the archive” and "
            "follow it on its page."
        ) % {"count": world.programme.tasks.count()}
    assert message in response.content.decode()
    assert not ReportRequest.objects.exists()
    # Saved (POST), it goes to the worker.
    response = client.post(reverse("task_list_pdf") + f"?programme={world.programme.pk}")
    report_request = ReportRequest.objects.get()
    assert response.url == report_request.get_absolute_url()
    assert report_request.parameters["filters"] == {"programme": [str(world.programme.pk)]}
    run_worker()
    report_request.refresh_from_db()
    assert report_request.status == ReportRequestStatus.DONE
    assert (report_request.report.kind, report_request.report.state) == (ReportKind.TASK_LIST, DocumentState.SAVED)
    assert report_request.report.programme == world.programme


def test_a_province_cannot_ask_for_another_provinces_report(world):
    world.province_user.groups.add(Group.objects.get(name=Role.PROVINCE_STAFF))
    client = logged_in(world.province_user)
    response = client.get(reverse("programme_review_pdf", args=[world.other_programme.pk]), REVIEW_OPTIONS)
    assert response.status_code == 404
    assert client.post(reverse("task_list_pdf") + f"?programme={world.other_programme.pk}").status_code == 302
    assert not ReportRequest.objects.exists()


@pytest.mark.parametrize("status", ["queued", "running", "done", "failed"])
def test_the_progress_page_needs_no_inline_script_or_style(world, status):
    ask_to_issue(logged_in(world.leadership_user), submitted_document(world))
    ReportRequest.objects.update(status=status, stage=ReportStage.LAYOUT, progress=2, error_message="Lỗi")
    page = logged_in(world.leadership_user).get(ReportRequest.objects.get().get_absolute_url()).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"<[^>]+\sstyle\s*=", page)
    if status == "running":
        assert '<progress class="w-100 mb-2" id="report-progress" value="2" max="100">' in page
        assert "Đang dàn trang" in page
