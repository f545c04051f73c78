"""Choices of the tasks app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programmes.choices import OutputKind


class TaskField(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    INDUSTRY = "industry", _("Industry")
    ENVIRONMENT = "environment", _("Environment")
    HEALTH = "health", _("Health")
    ICT = "ict", _("ICT")
    SOCIAL = "social", _("Social sciences")
    OTHER = "other", _("Other")


class TaskLevel(models.TextChoices):
    NATIONAL = "national", _("National level")
    MINISTRY = "ministry", _("Ministry level")
    PROVINCE = "province", _("Provincial level")
    INSTITUTION = "institution", _("Institutional level")


class TaskStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("task status", "Proposed")
    APPROVED = "approved", pgettext_lazy("task status", "Approved")
    IN_PROGRESS = "in_progress", pgettext_lazy("task status", "In progress")
    ACCEPTED = "accepted", pgettext_lazy("task status", "Accepted")
    COMPLETED = "completed", pgettext_lazy("task status", "Completed")
    SUSPENDED = "suspended", pgettext_lazy("task status", "Suspended")
    CANCELLED = "cancelled", pgettext_lazy("task status", "Cancelled")


# The statuses of a task, in three groups (docs/decisions.md, "Statuses that agree with each other"):
# - open: the task is still to be carried out or finished; past its end date it is overdue, and a
#   programme with an open task cannot be closed;
# - accepted: the task passed its acceptance ("nghiệm thu", then "thanh lý" for completed): it has an
#   acceptance record (date, number of the decision or minutes) and is 100% complete;
# - cancelled: closed without acceptance.
OPEN_TASK_STATUSES = (TaskStatus.PROPOSED, TaskStatus.APPROVED, TaskStatus.IN_PROGRESS, TaskStatus.SUSPENDED)
ACCEPTED_TASK_STATUSES = (TaskStatus.ACCEPTED, TaskStatus.COMPLETED)
# A task may be accepted while it is carried out, or suspended and now finished.
STATUSES_ACCEPTED_FROM = (TaskStatus.IN_PROGRESS, TaskStatus.SUSPENDED)
# What `TaskFilter.state` offers: the open tasks, and of those the ones past their end date.
TASK_STATE_OPEN = "open"
TASK_STATE_OVERDUE = "overdue"


class FundingSource(models.TextChoices):
    MINISTRY = "ministry", _("Central S&T budget (Ministry)")
    PROVINCE = "province", _("Local budget")
    COUNTERPART = "counterpart", _("Counterpart funds")
    OTHER = "other", _("Other sources")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("progress report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("progress report status", "Submitted")
    RETURNED = "returned", pgettext_lazy("progress report status", "Returned")
    APPROVED = "approved", pgettext_lazy("progress report status", "Approved")


class OutputStatus(models.TextChoices):
    """Where an output stands in its review: only verified outputs count in figures."""

    RECORDED = "recorded", pgettext_lazy("output status", "Recorded")
    SUBMITTED = "submitted", pgettext_lazy("output status", "Submitted")
    VERIFIED = "verified", pgettext_lazy("output status", "Verified")
    RETURNED = "returned", pgettext_lazy("output status", "Returned")


# Outputs not counted yet that are on their way to be: shown beside the figures ("+3 chờ xác nhận").
# A returned output waits for the province's correction and is neither counted nor pending.
PENDING_OUTPUT_STATUSES = (OutputStatus.RECORDED, OutputStatus.SUBMITTED)
# What the province may still correct; a submitted output waits for review, a verified one is settled.
OUTPUT_STATUSES_OPEN_FOR_EDITS = (OutputStatus.RECORDED, OutputStatus.RETURNED)


def _evidence(number, date):
    return {"number": number, "date": date}


# What proves an output, by kind: the document whose number and date the province gives, labelled
# as the ministry names it. Kinds not listed are proved by a document of any sort.
EVIDENCE_LABELS = {
    OutputKind.VARIETY: _evidence(_("Recognition decision number"), _("Recognition decision date")),
    OutputKind.BRAND: _evidence(_("Certificate number"), _("Certificate date")),
    OutputKind.PATENT: _evidence(_("Certificate number"), _("Certificate date")),
    OutputKind.TECHNOLOGY: _evidence(_("Transfer contract number"), _("Transfer contract date")),
    OutputKind.MODEL: _evidence(_("Acceptance record number"), _("Acceptance record date")),
}
OTHER_EVIDENCE_LABELS = _evidence(_("Document number"), _("Document date"))

# Kinds that exist only once an authority has recognised them or granted a certificate: a variety
# (the Ministry of Agriculture's recognition decision), a brand, collective or certification mark or
# geographical indication, and a patent or utility solution (the certificate of the IP Office).
# An output of these kinds is verified only with the decision's or certificate's number and date.
KINDS_VERIFIED_ONLY_WITH_EVIDENCE = (OutputKind.VARIETY, OutputKind.BRAND, OutputKind.PATENT)


def evidence_labels(kind: str) -> dict:
    """The labels of an output's evidence number and date for its kind: {"number": …, "date": …}."""
    return EVIDENCE_LABELS.get(kind, OTHER_EVIDENCE_LABELS)


# The reporting calendar: a task owes a report for each period of its programme's schedule from the period
# it starts in to the last one that ends before its acceptance (whose record is its final account); a proposed
# or cancelled task owes none.
TASK_STATUSES_OWING_REPORTS = (
    TaskStatus.APPROVED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.SUSPENDED,
    TaskStatus.ACCEPTED,
    TaskStatus.COMPLETED,
)
# The reports that answer for a period: submitted (waiting for review) or approved. A returned report
# answers for nothing until it is submitted again; its first submission still decides whether it was on time.
REPORT_STATUSES_ANSWERING = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


class ReportState(models.TextChoices):
    """Where the report a task owes for a period stands (`reporting.queries`)."""

    NOT_DUE = "not_due", pgettext_lazy("report state", "Not due yet")
    DUE = "due", pgettext_lazy("report state", "Due")
    ON_TIME = "on_time", pgettext_lazy("report state", "Submitted on time")
    LATE = "late", pgettext_lazy("report state", "Submitted late")
    OVERDUE = "overdue", pgettext_lazy("report state", "Overdue")
    APPROVED = "approved", pgettext_lazy("report state", "Approved")


class ComplianceFigure(models.TextChoices):
    """The figures of the compliance tables; each is also a filter of the task list (`report_figure`)."""

    EXPECTED = "expected", _("Reports expected")
    DUE = "due", _("Reports due")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")
    PENDING = "pending", _("Not due yet")
    APPROVED = "approved", _("Approved")
