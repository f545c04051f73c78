"""An uploaded spreadsheet and what checking it found, row by row, until it is confirmed or dropped."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from imports.choices import UNFINISHED_STATUSES, ImportKind, ImportStatus, RowAction


def import_file_path(instance, filename):
    """Uploaded files are kept under a random name: the name the user gave is `original_name`."""
    return f"imports/{instance.uploaded_by_id}/{uuid.uuid4().hex}"


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportBatchQuerySet":
        """Each user sees the files they uploaded; the administrators see every file."""
        if user.is_superuser:
            return self
        return self.filter(uploaded_by=user)

    def unfinished(self) -> "ImportBatchQuerySet":
        return self.filter(status__in=UNFINISHED_STATUSES)


class ImportBatch(models.Model):
    """One uploaded file of one kind: checked completely first (its rows below), written only once confirmed.

    Checking and writing run in the web request for small files and in the background worker for big ones
    (`imports.background`); `rows_done` of `rows_total` tells the progress page how far it got.
    """

    kind = models.CharField(
        max_length=20,
        choices=ImportKind.choices,
        verbose_name=_("kind"),
    )
    file = models.FileField(
        upload_to=import_file_path,
        verbose_name=_("file"),
    )
    original_name = models.CharField(
        max_length=255,
        verbose_name=_("file name"),
    )
    file_size = models.PositiveBigIntegerField(
        default=0,
        verbose_name=_("size (bytes)"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_batches",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(
        auto_now_add=True,
        verbose_name=_("uploaded at"),
    )
    # The language of the page the file was uploaded from: messages written by the worker are in it.
    language = models.CharField(
        max_length=10,
        default="vi",
        verbose_name=_("language"),
    )
    status = models.CharField(
        max_length=20,
        choices=ImportStatus.choices,
        default=ImportStatus.QUEUED,
        db_index=True,
        verbose_name=_("status"),
    )
    rows_total = models.PositiveIntegerField(
        default=0,
        verbose_name=_("rows"),
    )
    rows_done = models.PositiveIntegerField(
        default=0,
        verbose_name=_("rows done"),
    )
    # Counted when checked: {"create": 3, "update": 1, "unchanged": 26, "error": 0}.
    counts = models.JSONField(
        default=dict,
        blank=True,
        verbose_name=_("rows by action"),
    )
    # What is wrong with the file as a whole (not a spreadsheet, headers missing…), and notices such as
    # columns that are not imported.
    file_errors = models.JSONField(
        default=list,
        blank=True,
        verbose_name=_("errors in the file"),
    )
    notices = models.JSONField(
        default=list,
        blank=True,
        verbose_name=_("notices"),
    )
    # A digest of the planned changes: confirming checks the file again and writes only if the plan is the
    # one the user saw (someone may have changed the records in between).
    plan_digest = models.CharField(
        max_length=64,
        blank=True,
        verbose_name=_("digest of the planned changes"),
    )
    submit_for_review = models.BooleanField(
        default=False,
        verbose_name=_("submit the imported reports and outputs for review"),
    )
    checked_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("checked at"),
    )
    applied_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("imported at"),
    )
    error_message = models.TextField(
        blank=True,
        verbose_name=_("why it was not imported"),
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")) | Q(rows_total=0),
                name="import_batch_done_within_total",
                violation_error_message=_("More rows done than the file has."),
            ),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("import_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status not in UNFINISHED_STATUSES

    @property
    def progress(self) -> int:
        """How far checking or writing got, in percent."""
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def may_be_confirmed(self) -> bool:
        return self.status == ImportStatus.CHECKED and not self.counts.get(RowAction.ERROR)


class ImportRow(models.Model):
    """One data row of an uploaded file, as checking found it: what confirming will do, and why not."""

    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="rows",
        verbose_name=_("imported file"),
    )
    # The row's number in the spreadsheet (the header is row 1), as the user sees it in Excel.
    number = models.PositiveIntegerField(
        verbose_name=_("row"),
    )
    action = models.CharField(
        max_length=20,
        choices=RowAction.choices,
        verbose_name=_("action"),
    )
    # The record the row matches or creates, in words: "TB-01 (CT-TB-2012)".
    key = models.CharField(
        max_length=500,
        blank=True,
        verbose_name=_("record"),
    )
    # [[column header, old value, new value], …] in the file's own words.
    changes = models.JSONField(
        default=list,
        blank=True,
        verbose_name=_("changes"),
    )
    errors = models.JSONField(
        default=list,
        blank=True,
        verbose_name=_("errors"),
    )

    class Meta:
        ordering = ["batch", "number"]
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        indexes = [
            models.Index(fields=["batch", "action", "number"], name="import_row_batch_action"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "number"],
                name="import_row_unique_number",
                violation_error_message=_("The file has this row already."),
            ),
        ]

    def __str__(self):
        return f"{self.batch} – {self.number}"
