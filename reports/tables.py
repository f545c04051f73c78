"""The table of the archive: review documents and saved copies of reports."""

import django_tables2 as tables
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coop.columns import CodeTitleColumn, CountColumn, DayColumn, field_header
from coop.tables import BaseTable
from reports.annex import ANNEX_PARAMETER
from reports.choices import DocumentState
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
    """Documents and saved copies, newest first: an issued document by its number, a draft by its state."""

    number = tables.Column(
        accessor="number_label",
        verbose_name=field_header(GeneratedReport, "number"),
        order_by=("register_year", "symbol", "number"),
        linkify=True,
        attrs={"td": {"class": "text-nowrap"}},
    )
    created_at = tables.DateTimeColumn(verbose_name=_("Date"))  # sorted by the day it shows: `order_created_at`
    kind = tables.Column(verbose_name=field_header(GeneratedReport, "kind"))
    # The code keeps the column narrow on a phone; the title shows on hover and goes into the export.
    programme = CodeTitleColumn(
        verbose_name=field_header(GeneratedReport, "programme"),
        title_on_link=True,
        attrs={"a": {"class": "text-nowrap"}},
        order_by="programme__code",
    )
    task = tables.Column(
        verbose_name=field_header(GeneratedReport, "task"),
        accessor="task__code",
        order_by="task__code",
    )
    as_of = DayColumn(verbose_name=field_header(GeneratedReport, "as_of"))
    language = tables.Column(verbose_name=field_header(GeneratedReport, "language"))
    state = tables.Column(verbose_name=field_header(GeneratedReport, "state"))
    signer = tables.Column(
        verbose_name=field_header(GeneratedReport, "signer"),
        order_by=("signer__last_name", "signer__first_name", "signer__username"),
    )
    created_by = tables.Column(
        verbose_name=_("Created by"),
        order_by=("created_by__last_name", "created_by__first_name", "created_by__username"),
    )
    page_count = CountColumn(verbose_name=field_header(GeneratedReport, "page_count"))
    sha256 = ShortHashColumn(verbose_name=_("SHA-256"))
    # A link on screen only: exports describe the documents, they do not carry them.
    download = tables.Column(
        accessor="pk",
        verbose_name=_("File"),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(BaseTable.Meta):
        model = GeneratedReport
        fields = (
            "number",
            "created_at",
            "kind",
            "programme",
            "task",
            "as_of",
            "language",
            "state",
            "signer",
            "created_by",
            "page_count",
            "sha256",
        )
        sequence = (*fields, "download")
        order_by = ("-created_at",)
        # What fits beside the filters on a 1366-pixel screen; the others are a tick away in the column chooser.
        default_columns = (
            "number",
            "created_at",
            "kind",
            "programme",
            "task",
            "as_of",
            "state",
            "signer",
            "page_count",
            "download",
        )
        # The number leads to the document (none yet on a draft), the file to what was issued or saved.
        required_columns = ("number", "download")

    def render_number(self, value, record):
        return value if record.number else "—"

    def value_number(self, value, record):
        return value if record.number else ""

    def render_created_at(self, value, record):
        return date_format(timezone.localtime(record.issued_at or value), "SHORT_DATETIME_FORMAT")

    def order_created_at(self, queryset, is_descending):
        # By the day the column shows: an issued document's, else the day the row was made (a draft, a saved copy).
        day = Coalesce("issued_at", "created_at")
        ordering = (day.desc(), "-pk") if is_descending else (day.asc(), "pk")
        return queryset.order_by(*ordering), True

    def value_created_at(self, value, record):
        """Local time, the way the page writes it; spreadsheets take no time zone."""
        return timezone.localtime(record.issued_at or value).strftime(EXPORT_DATETIME_FORMAT)

    def render_state(self, record):
        return render_to_string("reports/_document_state_badge.html", {"document": record})

    def value_state(self, record):
        return record.get_state_display()

    def render_signer(self, record):
        person = record.signer.person if record.signer_id else None
        return person.full_name if person else record.signer

    def render_download(self, record):
        if record.state == DocumentState.ISSUED:
            url, label = reverse("document_issued_pdf", args=[record.pk]), "PDF"
        elif record.is_document:
            url, label = record.get_absolute_url(), _("Open")
        else:
            url, label = record.get_absolute_url(), "PDF"
        link = format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}" title="{}">{}</a>', url, _("Open or download"), label
        )
        if not record.parameters.get(ANNEX_PARAMETER):
            return link
        # The lists too long for the PDF, filed beside it (reports/annex.py).
        return format_html(
            '{} <a class="btn btn-sm btn-outline-primary" href="{}" title="{}">XLSX</a>',
            link,
            reverse("report_annex", args=[record.pk]),
            _("The annex: the lists too long for the PDF"),
        )
