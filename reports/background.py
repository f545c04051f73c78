"""Reports too long to draw within a web request, drawn by a worker in the background.

A page that asks for such a report (`drawn_in_background()` says which) queues it with
`report_request_queue`: a `ReportRequest` row and a job on the queue of django-tasks' database
backend, written in one transaction. The worker (`manage.py db_worker`, beside the web server)
runs `draw_report_request`: it draws the report with the services that draw immediate reports, so
that it is filed in the archive the same way (file, SHA-256, page count), and writes into the
request the step it has reached. The requester follows it on `/reports/requests/<pk>/`, which
offers the file when it is ready, or says why it failed and lets them try again.

The life of a request: queued → running → done, or → failed (and queued again by a retry).
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from programmes.models import Programme
from reports import queries
from reports.choices import STAGE_PROGRESS, ReportKind, ReportRequestStatus
from reports.models import GeneratedReport, ReportRequest
from reports.services import programme_review_issue, review_document_issue, task_list_issue

logger = logging.getLogger(__name__)


def drawn_in_background(task_count: int) -> bool:
    """Whether a report of `task_count` tasks takes too long to draw within a request (see settings)."""
    return task_count >= settings.REPORT_BACKGROUND_MIN_TASKS


class ReportRefused(Exception):
    """The worker may no longer draw a request as it was asked; the message, in the request's language, says why."""


def report_request_queue(*, kind: str, programme: Programme | None, parameters: dict, user) -> ReportRequest:
    """Queue a report to be drawn in the background, and return the request that follows it.

    The same report asked for again while the first is still waiting or being drawn (a second
    click, the back button) is not queued twice: its request is returned.
    """
    with transaction.atomic():
        pending = (
            ReportRequest.objects.unfinished()
            .filter(requested_by=user, kind=kind, programme=programme, parameters=parameters)
            .first()
        )
        if pending is not None:
            return pending
        report_request = ReportRequest(kind=kind, programme=programme, parameters=parameters, requested_by=user)
        report_request.full_clean()
        report_request.save()
        enqueue(report_request)
    return report_request


def report_request_retry(*, report_request: ReportRequest) -> ReportRequest:
    """Queue a failed request again, from the first step. A request that has not failed is left as it is."""
    with transaction.atomic():
        locked = ReportRequest.objects.select_for_update().get(pk=report_request.pk)
        if locked.status != ReportRequestStatus.FAILED:
            return locked
        locked.status = ReportRequestStatus.QUEUED
        locked.stage = ""
        locked.progress = 0
        locked.stage_log = []
        locked.started_at = locked.finished_at = None
        locked.error_message = ""
        locked.full_clean()
        locked.save()
        enqueue(locked)
    return locked


def enqueue(report_request: ReportRequest) -> None:
    """Put the drawing of `report_request` on the worker's queue, in the caller's transaction.

    The queue is a table of the same database, so the job and the request are committed together:
    the worker never sees a job whose request is missing.
    """
    job = draw_report_request.enqueue(report_request.pk)
    report_request.task_result_id = str(job.id)
    report_request.save(update_fields=["task_result_id"])


@task()
def draw_report_request(report_request_id: int) -> int | None:
    """The worker's job: draw the requested report, file it, and say so on the request.

    Returns the id of the issued report (kept by django-tasks as the job's result), or None when the
    request was refused or is no longer waiting. An unexpected error marks the request failed, is
    logged with its traceback, and is raised again so that the job is recorded as failed too.
    """
    report_request = report_request_start(report_request_id=report_request_id)
    if report_request is None:
        return None
    with translation.override(report_request.language):
        try:
            report = draw(report_request, on_stage=StageRecorder(report_request))
        except ReportRefused as refusal:
            logger.warning("Report request %s refused: %s", report_request.pk, refusal)
            report_request_fail(report_request=report_request, message=str(refusal))
            return None
        except Exception as error:
            logger.exception("Report request %s failed", report_request.pk)
            report_request_fail(report_request=report_request, message=unexpected_failure_message(error))
            raise
    report_request_finish(report_request=report_request, report=report)
    return report.pk


def draw(report_request: ReportRequest, *, on_stage) -> GeneratedReport:
    """Draw and file the report a request asks for, as its requester may see the records today."""
    user = report_request.requested_by
    parameters = report_request.parameters
    if report_request.kind == ReportKind.PROGRAMME_REVIEW and "document" in parameters:
        return issue_requested_document(report_request, on_stage=on_stage)
    if report_request.kind == ReportKind.PROGRAMME_REVIEW:
        programme = Programme.objects.visible_to(user).filter(pk=report_request.programme_id).first()
        if programme is None:
            raise ReportRefused(gettext("You no longer have access to this programme, so its report was not drawn."))
        return programme_review_issue(
            programme=programme,
            user=user,
            as_of=datetime.date.fromisoformat(parameters["as_of"]),
            language=parameters["language"],
            include_tasks=parameters["include_tasks"],
            on_stage=on_stage,
        )
    if report_request.kind == ReportKind.TASK_LIST:
        selection = queries.task_list_selection(user=user, params=queries.query_dict(parameters["filters"]))
        if selection is None:
            raise ReportRefused(
                gettext("The filters of this list no longer apply (a programme or an agency left your access).")
            )
        return task_list_issue(
            rows=selection.rows,
            totals=selection.totals,
            filters=selection.filters,
            parameters=selection.parameters,
            programme=selection.programme,
            user=user,
            language=parameters["language"],
            on_stage=on_stage,
        )
    raise ValueError(f"Reports of kind {report_request.kind!r} are not drawn in the background.")


def issue_requested_document(report_request: ReportRequest, *, on_stage) -> GeneratedReport:
    """Issue the review document a request names, as its signer asked (`ReviewDocumentIssueView`)."""
    user = report_request.requested_by
    document = GeneratedReport.objects.visible_to(user).filter(pk=report_request.parameters["document"]).first()
    if document is None or not user.has_perm("reports.issue_document", document):
        raise ReportRefused(gettext("This document can no longer be issued by you: open it to see where it stands."))
    try:
        return review_document_issue(document=document, user=user, on_stage=on_stage)
    except ValidationError as refusal:
        raise ReportRefused(" ".join(refusal.messages)) from refusal


class StageRecorder:
    """Writes into a request each step its report reaches, the share of the work done, and when it started."""

    def __init__(self, report_request: ReportRequest):
        self.report_request = report_request
        self.started = time.monotonic()

    def __call__(self, stage: str) -> None:
        report_request = self.report_request
        seconds = round(time.monotonic() - self.started, 3)
        report_request.stage = stage
        report_request.progress = STAGE_PROGRESS[stage]
        report_request.stage_log = [
            *report_request.stage_log,
            {"stage": stage, "progress": report_request.progress, "seconds": seconds},
        ]
        # One short write, outside any transaction, so that the requester's page sees it at once.
        report_request.save(update_fields=["stage", "progress", "stage_log"])


def report_request_start(*, report_request_id: int) -> ReportRequest | None:
    """Mark a queued request as being drawn; None if it is not waiting (drawn already, or gone)."""
    started = ReportRequest.objects.filter(pk=report_request_id, status=ReportRequestStatus.QUEUED).update(
        status=ReportRequestStatus.RUNNING, started_at=timezone.now()
    )
    if not started:
        logger.info("Report request %s is no longer waiting: nothing to draw", report_request_id)
        return None
    return ReportRequest.objects.select_related("programme", "requested_by__agency").get(pk=report_request_id)


def report_request_finish(*, report_request: ReportRequest, report: GeneratedReport) -> None:
    report_request.status = ReportRequestStatus.DONE
    report_request.progress = 100
    report_request.report = report
    report_request.finished_at = timezone.now()
    report_request.full_clean()
    report_request.save()


def report_request_fail(*, report_request: ReportRequest, message: str) -> None:
    report_request.status = ReportRequestStatus.FAILED
    report_request.error_message = message
    report_request.finished_at = timezone.now()
    report_request.full_clean()
    report_request.save()


def unexpected_failure_message(error: Exception) -> str:
    """What the requester reads when drawing failed for a reason they cannot act on."""
    return gettext(
        "The report could not be drawn because of an unexpected error (%(error)s). The administrators can find "
        "the details in the log. Try again; if it fails again, tell an administrator."
    ) % {"error": type(error).__name__}
