"""Choices of the tasks app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTED = "accepted", _("Accepted")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class FundingSource(models.TextChoices):
    MINISTRY = "ministry", _("Central S&T budget (Ministry)")
    PROVINCE = "province", _("Local budget")
    COUNTERPART = "counterpart", _("Counterpart funds")
    OTHER = "other", _("Other sources")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
