"""Writes of the imports app: an uploaded file is stored, checked into its preview, then written or dropped.

Checking writes only the preview (the batch and its rows). Confirming writes the records in one
transaction: the file is checked again inside it, and written only if the plan is the one the user saw;
any row a service refuses undoes the whole file. Every change is in the records' history under the
importing user and the file's name.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coop.history import recorded_as
from imports.checking import Plan, plan_file, row_message
from imports.choices import ImportStatus, RowAction
from imports.kinds import KINDS
from imports.models import ImportBatch, ImportRow

logger = logging.getLogger(__name__)
ROWS_PER_INSERT = 1000


class ImportRefused(Exception):
    """Confirming wrote nothing; the message, in the batch's language, says why."""


def checked_in_background(batch: ImportBatch) -> bool:
    """Whether a file is big enough to be checked and written by the worker rather than within the request."""
    return batch.file_size >= settings.IMPORT_BACKGROUND_MIN_BYTES


def import_batch_upload(*, kind: str, file, user, language: str) -> ImportBatch:
    """Keep an uploaded file, waiting to be checked. Its size was checked by the form before it was read."""
    batch = ImportBatch(
        kind=kind,
        original_name=file.name[:255],
        file_size=file.size,
        uploaded_by=user,
        language=language,
    )
    batch.file.save(file.name, file, save=False)
    batch.full_clean()
    batch.save()
    return batch


def import_batch_check(*, batch: ImportBatch) -> ImportBatch:
    """Check the whole file and keep the preview: each row's action, changes and errors. Writes no record."""
    batch.status = ImportStatus.CHECKING
    batch.rows_done = batch.rows_total = 0
    batch.save(update_fields=["status", "rows_done", "rows_total"])
    with batch.file.open("rb") as file:
        plan = plan_file(file, batch.original_name, kind=batch.kind, user=batch.uploaded_by, progress=_progress(batch))
    with transaction.atomic():
        batch.rows.all().delete()
        _store_rows(batch, plan)
        batch.counts = plan.counts()
        batch.file_errors = plan.file_errors
        batch.notices = plan.notices
        batch.plan_digest = plan.digest()
        batch.rows_total = batch.rows_done = len(plan.rows)
        batch.status = ImportStatus.INVALID if plan.has_errors else ImportStatus.CHECKED
        batch.checked_at = timezone.now()
        batch.error_message = ""
        batch.full_clean()
        batch.save()
    return batch


def _progress(batch: ImportBatch):
    """Tell the progress page how far checking got (committed at once: the page reads it meanwhile)."""

    def record(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(rows_done=done, rows_total=total)

    return record


def _store_rows(batch: ImportBatch, plan: Plan) -> None:
    rows = [
        ImportRow(
            batch=batch,
            number=row.number,
            action=row.action,
            key=row.key_label[:500],
            changes=row.changes,
            errors=row.errors,
        )
        for row in plan.rows
    ]
    ImportRow.objects.bulk_create(rows, batch_size=ROWS_PER_INSERT)


def import_batch_confirm(*, batch: ImportBatch, user, submit_for_review: bool) -> ImportBatch:
    """The user confirms the preview: the batch waits to be written (by the worker, or at once by the caller)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.uploaded_by_id != user.pk:
            raise ValidationError(_("Only the user who uploaded the file may confirm it."))
        if not batch.may_be_confirmed:
            raise ValidationError(
                _("This file cannot be imported: it is “%(status)s”.") % {"status": batch.get_status_display()}
            )
        batch.status = ImportStatus.APPLYING
        batch.submit_for_review = submit_for_review
        batch.rows_done = 0
        batch.save(update_fields=["status", "submit_for_review", "rows_done"])
    return batch


def import_batch_apply(*, batch: ImportBatch) -> ImportBatch:
    """Write the file, all of it or nothing; the batch says which, and why not."""
    try:
        with transaction.atomic():
            _apply(batch)
    except ImportRefused as refusal:
        logger.info("Import %s not written: %s", batch.pk, refusal)
        batch.status = ImportStatus.FAILED
        batch.error_message = str(refusal)
        batch.save(update_fields=["status", "error_message"])
        return batch
    batch.status = ImportStatus.APPLIED
    batch.applied_at = timezone.now()
    batch.error_message = ""
    batch.rows_done = batch.rows_total
    batch.save(update_fields=["status", "applied_at", "error_message", "rows_done"])
    return batch


def history_reason(batch: ImportBatch) -> str:
    return _("Imported from the file %(name)s") % {"name": batch.original_name}


def _apply(batch: ImportBatch) -> None:
    kind = KINDS[batch.kind]
    user = batch.uploaded_by
    with batch.file.open("rb") as file:
        plan = plan_file(file, batch.original_name, kind=batch.kind, user=user, validate=False)
    if plan.has_errors or plan.digest() != batch.plan_digest:
        raise ImportRefused(
            _(
                "The records changed since the file was checked, so nothing was imported. Check the file again "
                "and confirm the new preview."
            )
        )
    with recorded_as(user=user, reason=history_reason(batch)):
        for row in plan.rows:
            if row.action not in (RowAction.CREATE, RowAction.UPDATE):
                continue
            try:
                kind.apply([row], user=user, submit=batch.submit_for_review)
            except ValidationError as error:
                raise ImportRefused(
                    _("Nothing was imported: %(reason)s")
                    % {"reason": row_message(row.number, " ".join(error.messages))}
                ) from error


def import_batch_recheck(*, batch: ImportBatch, user) -> ImportBatch:
    """Check again a file that failed or waits for confirmation (the records may have changed meanwhile)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.uploaded_by_id != user.pk or batch.status not in (
            ImportStatus.CHECKED,
            ImportStatus.INVALID,
            ImportStatus.FAILED,
        ):
            raise ValidationError(_("This file cannot be checked again now."))
        batch.status = ImportStatus.QUEUED
        batch.save(update_fields=["status"])
    return batch


def import_batch_cancel(*, batch: ImportBatch, user) -> ImportBatch:
    """Drop a file that was not imported; its preview goes with it, the file stays for the record."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.uploaded_by_id != user.pk or batch.status in (ImportStatus.APPLIED, ImportStatus.APPLYING):
            raise ValidationError(_("This file cannot be cancelled now."))
        batch.rows.all().delete()
        batch.status = ImportStatus.CANCELLED
        batch.save(update_fields=["status"])
    return batch
