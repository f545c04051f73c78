"""Choices of the reports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportKind(models.TextChoices):
    PROGRAMME_REVIEW = "programme_review", _("Programme review report")
    TASK_SHEET = "task_sheet", _("Task sheet")
    TASK_LIST = "task_list", _("Task list")


class DocumentState(models.TextChoices):
    """Where a document of the archive stands (Decree 30/2020/NĐ-CP: drafted, signed, numbered, issued)."""

    DRAFT = "draft", pgettext_lazy("document state", "Draft")
    SUBMITTED = "submitted", _("Waiting for signature")
    ISSUED = "issued", _("Issued")
    SAVED = "saved", _("Saved copy")


# The states of a document that has its file: frozen, and readable beyond the Ministry.
FILED_STATES = (DocumentState.ISSUED, DocumentState.SAVED)


class SigningAuthority(models.TextChoices):
    """In what capacity the signer signs, as Decree 30/2020/NĐ-CP (Appendix I) writes it above the signature.

    The head of the agency signs in their own name; a deputy signs for the head ("KT.", ký thay);
    the head of a unit signs by the head's order ("TL.", thừa lệnh) or by authorisation ("TUQ.").
    """

    HEAD = "head", _("The head of the agency signs")
    DEPUTY = "deputy", _("A deputy signs for the head (KT.)")
    BY_ORDER = "by_order", _("Signed by order of the head (TL.)")
    BY_AUTHORISATION = "by_authorisation", _("Signed by authorisation of the head (TUQ.)")


# The line above the signer's position, in the document's language: "KT. BỘ TRƯỞNG" (%(head)s is the head's title).
AUTHORITY_LINE = {
    SigningAuthority.HEAD: "%(head)s",
    SigningAuthority.DEPUTY: _("FOR THE %(head)s"),
    SigningAuthority.BY_ORDER: _("BY ORDER OF THE %(head)s"),
    SigningAuthority.BY_AUTHORISATION: _("BY AUTHORISATION OF THE %(head)s"),
}

# The title of the head of an agency, by the kind of agency (`programmes.choices.AgencyKind`).
HEAD_TITLE_BY_AGENCY_KIND = {
    "ministry": _("Minister"),
    "ministry_unit": _("Director General"),
    "department": _("Director"),
    "people_committee": _("Chairman"),
    "institute": _("Director"),
    "university": _("Rector"),
}


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
