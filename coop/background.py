"""Exports of lists too long to write within a web request, written by the worker in the background.

As long reports are (`reports.background`): a list asked to export more rows than
`settings.EXPORT_BACKGROUND_MIN_ROWS` shows a page that offers to write the file in the background;
its button queues an `ExportRequest` and a job on django-tasks' database queue, in one transaction.
The worker (`manage.py db_worker`) runs `write_export_request`: it reads the list again as the
requester may see it today, with the filters and sort they chose (`coop.views.list_export`), writes
the file into storage, and says on the request how far it has come. The requester follows it on
`/exports/<pk>/`, which offers the file when it is ready; only they may download it.

The life of a request: queued → running → done, or → failed.
"""

import logging

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from coop.models import ExportRequest, ExportRequestStatus

logger = logging.getLogger(__name__)


def written_in_background(row_count: int) -> bool:
    """Whether an export of `row_count` rows takes too long to write within a request (see settings)."""
    return row_count >= settings.EXPORT_BACKGROUND_MIN_ROWS


class ExportRefused(Exception):
    """The list can no longer be exported as it was asked; the message, in the request's language, says why."""


def export_request_queue(*, list_name: str, query: str, export_format: str, title: str, user) -> ExportRequest:
    """Queue an export to be written in the background, and return the request that follows it.

    The same export asked for again while the first is still waiting or being written (a second click,
    the back button) is not queued twice: its request is returned.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        pending = (
            ExportRequest.objects.unfinished()
            .filter(requested_by=user, list_name=list_name, query=query, export_format=export_format, language=language)
            .first()
        )
        if pending is not None:
            return pending
        export_request = ExportRequest(
            list_name=list_name,
            query=query,
            export_format=export_format,
            language=language,
            title=title[:200],
            requested_by=user,
        )
        export_request.full_clean()
        export_request.save()
        job = write_export_request.enqueue(export_request.pk)
        export_request.task_result_id = str(job.id)
        export_request.save(update_fields=["task_result_id"])
    return export_request


@task()
def write_export_request(export_request_id: int) -> int | None:
    """The worker's job: write the requested export into storage and say so on the request.

    Returns the number of rows written, or None when the request was refused or is no longer waiting.
    An unexpected error marks the request failed, is logged with its traceback, and is raised again so
    that the job is recorded as failed too.
    """
    export_request = export_request_start(export_request_id=export_request_id)
    if export_request is None:
        return None
    with translation.override(export_request.language):
        try:
            row_count = write(export_request)
        except ExportRefused as refusal:
            logger.warning("Export request %s refused: %s", export_request.pk, refusal)
            export_request_fail(export_request=export_request, message=str(refusal))
            return None
        except Exception as error:
            logger.exception("Export request %s failed", export_request.pk)
            export_request_fail(
                export_request=export_request,
                message=gettext(
                    "The file could not be written because of an unexpected error (%(error)s). The administrators "
                    "can find the details in the log. Ask for it again; if it fails again, tell an administrator."
                )
                % {"error": type(error).__name__},
            )
            raise
    return row_count


def write(export_request: ExportRequest) -> int:
    """Write the file of a request, as its requester may see the list today; the number of rows written."""
    from coop.views import ListRefused, list_export  # the views queue requests: imported here, not above

    try:
        export = list_export(
            list_name=export_request.list_name, query=export_request.query, user=export_request.requested_by
        )
    except ListRefused as refusal:
        raise ExportRefused(str(refusal)) from refusal
    row_count = export.queryset.count()
    ExportRequest.objects.filter(pk=export_request.pk).update(row_count=row_count)

    def on_rows(count: int) -> None:
        # One short write, outside any transaction, so that the requester's page sees it at once.
        progress = min(99, count * 100 // max(row_count, 1))
        ExportRequest.objects.filter(pk=export_request.pk).update(progress=progress)

    output = export.file(export_format=export_request.export_format, on_rows=on_rows)
    with output:
        export_request.file.save(export.filename(export_request.export_format), File(output), save=False)
    export_request.status = ExportRequestStatus.DONE
    export_request.progress = 100
    export_request.row_count = row_count
    export_request.finished_at = timezone.now()
    export_request.full_clean()
    export_request.save()
    return row_count


def export_request_start(*, export_request_id: int) -> ExportRequest | None:
    """Mark a queued request as being written; None if it is not waiting (written already, or gone)."""
    started = ExportRequest.objects.filter(pk=export_request_id, status=ExportRequestStatus.QUEUED).update(
        status=ExportRequestStatus.RUNNING, started_at=timezone.now()
    )
    if not started:
        logger.info("Export request %s is no longer waiting: nothing to write", export_request_id)
        return None
    return ExportRequest.objects.select_related("requested_by__agency").get(pk=export_request_id)


def export_request_fail(*, export_request: ExportRequest, message: str) -> None:
    export_request.status = ExportRequestStatus.FAILED
    export_request.error_message = message
    export_request.finished_at = timezone.now()
    export_request.full_clean()
    export_request.save()
