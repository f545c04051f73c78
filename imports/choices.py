from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    """What a spreadsheet holds; each kind has its template (imports/kinds.py)."""

    TASKS = "tasks", _("S&T tasks")
    FUNDING = "funding", _("Funding by source and year")
    OUTPUTS = "outputs", _("Outputs")
    PROGRESS = "progress", _("Progress reports")


# What a province imports: the progress and the outputs of the tasks in its scope. The rest is the Ministry's.
PROVINCE_KINDS = (ImportKind.OUTPUTS, ImportKind.PROGRESS)


class ImportStatus(models.TextChoices):
    """The life of an uploaded file: checked completely, then applied in one transaction, or nothing."""

    QUEUED = "queued", _("waiting to be checked")
    CHECKING = "checking", _("being checked")
    CHECKED = "checked", _("checked, waiting for confirmation")
    INVALID = "invalid", _("has errors, nothing imported")
    APPLYING = "applying", _("being imported")
    APPLIED = "applied", _("imported")
    FAILED = "failed", _("not imported")
    CANCELLED = "cancelled", _("cancelled")


UNFINISHED_STATUSES = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.APPLYING)


class RowAction(models.TextChoices):
    """What confirming does with one row of the file."""

    CREATE = "create", _("to create")
    UPDATE = "update", _("to update")
    UNCHANGED = "unchanged", _("unchanged")
    ERROR = "error", _("error")
