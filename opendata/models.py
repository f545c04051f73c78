"""The bulk downloads of the open data (`manage.py export_open_data`), listed at /open-data/."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpenDataDump(models.Model):
    """One zip of the published programmes' data: a CSV and a JSON Lines file per entity and a datapackage.json.

    The file is written whole before its row is saved, so a dump listed is a dump complete; its SHA-256
    lets a downloader check what arrived.
    """

    created_at = models.DateTimeField(
        auto_now_add=True,
        db_index=True,
        verbose_name=_("created at"),
    )
    file = models.FileField(
        upload_to="open-data/",
        verbose_name=_("file"),
    )
    size = models.PositiveBigIntegerField(
        verbose_name=_("size (bytes)"),
    )
    sha256 = models.CharField(
        max_length=64,
        verbose_name=_("SHA-256"),
    )
    # Rows written per entity, e.g. {"programmes": 1, "tasks": 30}.
    row_counts = models.JSONField(
        default=dict,
        verbose_name=_("rows per entity"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("open data download")
        verbose_name_plural = _("open data downloads")

    def __str__(self):
        return self.file.name
