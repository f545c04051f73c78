"""Choices of the tasks app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
