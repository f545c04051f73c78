"""Checking and writing big files in the background worker (`manage.py db_worker`), as reports are drawn.

A small file is checked and written within the request; a big one (`checked_in_background`) is queued,
and its page follows the worker's progress. The queue is a table of the same database, and a job is
queued only once its batch is saved with the status the job looks for.
"""

import logging

from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task

from imports.choices import ImportStatus
from imports.models import ImportBatch
from imports.services import checked_in_background, import_batch_apply, import_batch_check

logger = logging.getLogger(__name__)


def check_now_or_later(batch: ImportBatch) -> ImportBatch:
    """Check a queued batch at once if it is small, else queue it for the worker."""
    if checked_in_background(batch):
        check_import_batch.enqueue(batch.pk)
        return batch
    return _run(batch, import_batch_check)


def apply_now_or_later(batch: ImportBatch) -> ImportBatch:
    """Write a confirmed batch at once if it is small, else queue it for the worker."""
    if checked_in_background(batch):
        apply_import_batch.enqueue(batch.pk)
        return batch
    return _run(batch, import_batch_apply)


@task()
def check_import_batch(batch_id: int) -> None:
    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.QUEUED).first()
    if batch is not None:
        _run(batch, import_batch_check)


@task()
def apply_import_batch(batch_id: int) -> None:
    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.APPLYING).first()
    if batch is not None:
        _run(batch, import_batch_apply)


def _run(batch: ImportBatch, step) -> ImportBatch:
    """Run a step in the language of the page the file came from; an unexpected error fails the batch, logged."""
    with translation.override(batch.language):
        try:
            return step(batch=batch)
        except Exception as error:
            logger.exception("Import %s failed", batch.pk)
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportStatus.FAILED,
                error_message=gettext(
                    "The file could not be processed because of an unexpected error (%(error)s); nothing was "
                    "imported. Try again; if it fails again, tell an administrator."
                )
                % {"error": type(error).__name__},
            )
            batch.refresh_from_db()
            return batch
