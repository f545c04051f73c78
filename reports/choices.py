"""Choices of the reports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PROGRAMME_REVIEW = "programme_review", _("Programme review report")
    TASK_SHEET = "task_sheet", _("Task sheet")
    TASK_LIST = "task_list", _("Task list")
