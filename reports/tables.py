"""The table of the archive of issued reports."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coop.columns import CodeTitleColumn, CountColumn, field_header
from coop.tables import BaseTable
from reports.models import GeneratedReport

# Enough of a SHA-256 to tell two reports apart on screen; the export keeps all 64 digits.
SHORT_HASH_LENGTH = 12
EXPORT_DATETIME_FORMAT = "%d/%m/%Y %H:%M"


class ShortHashColumn(tables.Column):
    """A SHA-256 by its first digits on screen, all of them on hover and in exports."""

    def render(self, value):
        return format_html('<code title="{}">{}…</code>', value, value[:SHORT_HASH_LENGTH])

    def value(self, value):
        return value


class GeneratedReportTable(BaseTable):
    """Issued reports, newest first."""

    created_at = tables.DateTimeColumn(verbose_name=_("Issued at"))
    kind = tables.Column(verbose_name=field_header(GeneratedReport, "kind"))
    # The code keeps the column narrow on a phone; the title shows on hover and goes into the export.
    programme = CodeTitleColumn(
        verbose_name=field_header(GeneratedReport, "programme"),
        title_on_link=True,
        attrs={"a": {"class": "text-nowrap"}},
        order_by="programme__code",
    )
    created_by = tables.Column(
        verbose_name=_("Issued by"),
        order_by=("created_by__last_name", "created_by__first_name", "created_by__username"),
    )
    page_count = CountColumn(verbose_name=field_header(GeneratedReport, "page_count"))
    sha256 = ShortHashColumn(verbose_name=_("SHA-256"))
    # A link on screen only: exports describe the reports, they do not carry them.
    download = tables.Column(
        accessor="pk",
        verbose_name=_("File"),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(BaseTable.Meta):
        model = GeneratedReport
        fields = ("created_at", "kind", "programme", "created_by", "page_count", "sha256")
        sequence = ("created_at", "kind", "programme", "created_by", "page_count", "sha256", "download")
        order_by = ("-created_at",)

    def value_created_at(self, value):
        """Local time, the way the page writes it; spreadsheets take no time zone."""
        return timezone.localtime(value).strftime(EXPORT_DATETIME_FORMAT)

    def render_download(self, record):
        return format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}" title="{}">PDF</a>',
            record.get_absolute_url(),
            _("Download the issued copy"),
        )
