"""Choices of the reports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PROGRAMME_REVIEW = "programme_review", _("Programme review report")
    TASK_SHEET = "task_sheet", _("Task sheet")
    TASK_LIST = "task_list", _("Task list")


class ReportRequestStatus(models.TextChoices):
    """Where a report drawn in the background stands."""

    QUEUED = "queued", _("Waiting in the queue")
    RUNNING = "running", _("Being drawn")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")


class ReportStage(models.TextChoices):
    """The steps of drawing a report, in order; a report drawn in the background shows the one it is at."""

    READING = "reading", _("Gathering the figures")
    WRITING = "writing", _("Writing the document")
    LAYOUT = "layout", _("Laying out the pages")
    PDF = "pdf", _("Writing the PDF file")
    FILING = "filing", _("Filing it in the archive")


# How far along a report is when it reaches each step, in percent: where each step started within
# the worker's time for a programme of 1,000 tasks (tests/bench/bench_reports.py; docs/benchmarks.md).
# Laying out the pages is some 85 % of the work and WeasyPrint reports no progress within it.
STAGE_PROGRESS = {
    ReportStage.READING: 0,
    ReportStage.WRITING: 1,
    ReportStage.LAYOUT: 2,
    ReportStage.PDF: 86,
    ReportStage.FILING: 99,
}
