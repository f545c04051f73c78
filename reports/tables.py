"""The table of the archive of issued reports."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from reports.models import GeneratedReport

NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}

# Enough of a SHA-256 to tell two reports apart on screen; the export keeps all 64 digits.
SHORT_HASH_LENGTH = 12
EXPORT_DATETIME_FORMAT = "%d/%m/%Y %H:%M"


def field_label(name: str):
    """The model field's translated name, as a heading.

    Exports build the table from plain lists of rows, where django-tables2 cannot find
    the model's field names, so every column names its heading itself.
    """
    return capfirst(GeneratedReport._meta.get_field(name).verbose_name)


class GeneratedReportTable(tables.Table):
    """Issued reports, newest first; every sort ends with the primary key so that pages are stable."""

    created_at = tables.DateTimeColumn(
        verbose_name=_("Issued at"),
        order_by=("created_at", "pk"),
    )
    kind = tables.Column(
        verbose_name=field_label("kind"),
        order_by=("kind", "pk"),
    )
    programme = tables.Column(
        verbose_name=field_label("programme"),
        order_by=("programme__code", "pk"),
        default="—",
    )
    created_by = tables.Column(
        verbose_name=_("Issued by"),
        order_by=("created_by__last_name", "created_by__first_name", "created_by__username", "pk"),
    )
    page_count = tables.Column(
        verbose_name=field_label("page_count"),
        attrs=NUMBER,
        order_by=("page_count", "pk"),
    )
    sha256 = tables.Column(
        verbose_name=_("SHA-256"),
        order_by=("sha256", "pk"),
    )
    # A link on screen only: exports describe the reports, they do not carry them.
    download = tables.Column(
        accessor="pk",
        verbose_name=_("File"),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = GeneratedReport
        fields = ("created_at", "kind", "programme", "created_by", "page_count", "sha256")
        sequence = ("created_at", "kind", "programme", "created_by", "page_count", "sha256", "download")
        order_by = ("-created_at",)
        attrs = {"class": "table table-sm table-hover align-middle"}

    def value_created_at(self, value):
        """Local time, the way the page writes it; spreadsheets take no time zone."""
        return timezone.localtime(value).strftime(EXPORT_DATETIME_FORMAT)

    def render_programme(self, value):
        # The code keeps the column narrow on a phone; the title shows on hover and goes into the export.
        return format_html(
            '<a class="text-nowrap" href="{}" title="{}">{}</a>', value.get_absolute_url(), value.title, value.code
        )

    def value_programme(self, value):
        return value.title

    def render_page_count(self, value):
        return number_format(value, force_grouping=True)

    def value_page_count(self, value):
        return value

    def render_sha256(self, value):
        return format_html('<code title="{}">{}…</code>', value, value[:SHORT_HASH_LENGTH])

    def value_sha256(self, value):
        return value

    def render_download(self, record):
        return format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}" title="{}">PDF</a>',
            record.get_absolute_url(),
            _("Download the issued copy"),
        )
