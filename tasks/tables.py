"""Tables of the task and output lists, on screen and in CSV/XLSX exports.

Every column renders HTML for the page and a plain value for exports (`value()` or
`value_<column>`): money as a whole number of VND, dates as dates, statuses in words.
Sorting by any column ends with `pk` so that rows with equal values keep their page.
"""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from coop.formatting import format_vnd
from tasks.choices import FundingSource
from tasks.models import Output, ProgressReport, Task

NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}
NO_WRAP = {"td": {"class": "text-nowrap"}}
# Long names wrap, but not into a column one word wide.
WIDE = {"td": {"class": "coop-min-w-16"}}
MEDIUM = {"td": {"class": "coop-min-w-10"}}


def header(model, name: str):
    """A field's verbose name as a column header, translated when shown."""
    return capfirst(model._meta.get_field(name).verbose_name)


def stable(*fields: str) -> tuple[str, ...]:
    """Sort keys of a column, ending with pk so that pages are stable."""
    return (*fields, "pk")


def short_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def status_badge(value: str, label: str, *, report: bool = False) -> str:
    """A coloured badge that also says the status in words (never colour alone)."""
    return render_to_string("tasks/_status_badge.html", {"status": value, "label": label, "report": report})


class MoneyColumn(tables.Column):
    """Whole VND, right-aligned: `1.234.567.000 đ` on screen, the plain number in exports."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMBER)
        kwargs.setdefault("initial_sort_descending", True)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_vnd(value)

    def value(self, value):
        return value


class DayColumn(tables.Column):
    """A date shown dd/mm/yyyy; exports keep the date itself (a real date cell in XLSX)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NO_WRAP)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return short_date(value)

    def value(self, value):
        return value


class TaskTable(tables.Table):
    code = tables.Column(verbose_name=header(Task, "code"), linkify=True, attrs=NO_WRAP, order_by=stable("code"))
    title = tables.Column(verbose_name=header(Task, "title"), linkify=True, attrs=WIDE, order_by=stable("title"))
    programme = tables.Column(
        verbose_name=header(Task, "programme"),
        linkify=True,
        attrs=NO_WRAP,
        order_by=stable("programme__code"),
    )
    province = tables.Column(
        accessor="lead_agency__province",
        verbose_name=capfirst(_("province")),
        order_by=stable("lead_agency__province__name"),
    )
    lead_agency = tables.Column(
        verbose_name=header(Task, "lead_agency"),
        linkify=True,
        attrs=MEDIUM,
        order_by=stable("lead_agency__name"),
    )
    field = tables.Column(verbose_name=header(Task, "field"), order_by=stable("field"))
    level = tables.Column(verbose_name=header(Task, "level"), visible=False, order_by=stable("level"))
    status = tables.Column(verbose_name=header(Task, "status"), order_by=stable("status"))
    period = tables.Column(
        accessor="start_on",
        verbose_name=_("Period"),
        attrs=NO_WRAP,
        order_by=stable("start_on", "end_on"),
    )
    ministry_funding = MoneyColumn(verbose_name=_("Ministry funding"), order_by=stable("ministry_funding"))
    total_funding = MoneyColumn(verbose_name=_("Total funding"), order_by=stable("total_funding"))
    percent_complete = tables.Column(
        verbose_name=header(Task, "percent_complete"),
        attrs=NUMBER,
        order_by=stable("percent_complete"),
    )
    # Hidden on screen, present in exports.
    investigator = tables.Column(
        verbose_name=header(Task, "investigator"),
        visible=False,
        order_by=stable("investigator__full_name"),
    )
    funded_through = tables.Column(
        verbose_name=header(Task, "funded_through"),
        visible=False,
        order_by=stable("funded_through__code"),
    )
    location = tables.Column(verbose_name=header(Task, "location"), visible=False, order_by=stable("location"))
    province_funding = MoneyColumn(
        verbose_name=FundingSource.PROVINCE.label,
        visible=False,
        order_by=stable("province_funding"),
    )
    counterpart_funding = MoneyColumn(
        verbose_name=FundingSource.COUNTERPART.label,
        visible=False,
        order_by=stable("counterpart_funding"),
    )
    other_funding = MoneyColumn(
        verbose_name=FundingSource.OTHER.label,
        visible=False,
        order_by=stable("other_funding"),
    )
    start_on = DayColumn(verbose_name=header(Task, "start_on"), visible=False, order_by=stable("start_on"))
    end_on = DayColumn(verbose_name=header(Task, "end_on"), visible=False, order_by=stable("end_on"))

    class Meta:
        model = Task
        fields = (
            "code",
            "title",
            "programme",
            "lead_agency",
            "field",
            "level",
            "status",
            "percent_complete",
            "investigator",
            "funded_through",
            "location",
            "start_on",
            "end_on",
        )
        sequence = (
            "code",
            "title",
            "programme",
            "province",
            "lead_agency",
            "field",
            "level",
            "status",
            "period",
            "ministry_funding",
            "total_funding",
            "percent_complete",
            "investigator",
            "funded_through",
            "location",
            "province_funding",
            "counterpart_funding",
            "other_funding",
            "start_on",
            "end_on",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_programme(self, value):
        # Programme titles run to two lines of their own; the code is enough on screen, the title in the tooltip.
        return format_html('<span title="{}">{}</span>', value.title, value.code)

    def value_programme(self, value):
        return value.title

    def render_status(self, value, record):
        return status_badge(record.status, value)

    def value_status(self, value):
        return value

    def render_period(self, record):
        return f"{short_date(record.start_on)}–{short_date(record.end_on)}"

    def value_period(self, record):
        return self.render_period(record)

    def render_percent_complete(self, value):
        return f"{value}%"

    def value_percent_complete(self, value):
        return value


class OutputTable(tables.Table):
    name = tables.Column(verbose_name=header(Output, "name"), linkify=True, attrs=WIDE, order_by=stable("name"))
    kind = tables.Column(verbose_name=header(Output, "kind"), attrs=MEDIUM, order_by=stable("kind"))
    quantity = tables.Column(
        verbose_name=header(Output, "quantity"),
        attrs=NUMBER,
        initial_sort_descending=True,
        order_by=stable("quantity"),
    )
    task = tables.Column(
        verbose_name=header(Output, "task"),
        linkify=True,
        attrs=NO_WRAP,
        order_by=stable("task__code"),
    )
    programme = tables.Column(
        accessor="task__programme",
        verbose_name=header(Task, "programme"),
        linkify=True,
        attrs=NO_WRAP,
        order_by=stable("task__programme__code"),
    )
    province = tables.Column(
        accessor="task__lead_agency__province",
        verbose_name=capfirst(_("province")),
        order_by=stable("task__lead_agency__province__name"),
    )
    achieved_on = DayColumn(verbose_name=header(Output, "achieved_on"), order_by=stable("achieved_on"))
    recognition = tables.Column(
        verbose_name=header(Output, "recognition"),
        attrs=MEDIUM,
        order_by=stable("recognition"),
    )
    # Hidden on screen (the unit shows beside the quantity), present in exports.
    unit = tables.Column(verbose_name=header(Output, "unit"), visible=False, order_by=stable("unit"))
    task_title = tables.Column(
        accessor="task__title",
        verbose_name=_("Task title"),
        visible=False,
        order_by=stable("task__title"),
    )
    location = tables.Column(verbose_name=header(Output, "location"), visible=False, order_by=stable("location"))
    description = tables.Column(verbose_name=header(Output, "description"), visible=False, orderable=False)

    class Meta:
        model = Output
        fields = (
            "name",
            "kind",
            "quantity",
            "unit",
            "task",
            "achieved_on",
            "recognition",
            "location",
            "description",
        )
        sequence = (
            "name",
            "kind",
            "quantity",
            "task",
            "programme",
            "province",
            "achieved_on",
            "recognition",
            "unit",
            "task_title",
            "location",
            "description",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_quantity(self, value, record):
        quantity = number_format(value, force_grouping=True)
        return format_html("{} {}", quantity, record.unit) if record.unit else quantity

    def value_quantity(self, value):
        return value

    def render_task(self, value):
        # The code is enough on screen; the title is in the link's tooltip.
        return format_html('<span title="{}">{}</span>', value.title, value.code)

    def value_task(self, value):
        return value.code

    def render_programme(self, value):
        return format_html('<span title="{}">{}</span>', value.title, value.code)

    def value_programme(self, value):
        return value.title


class ProgressReportTable(tables.Table):
    """The review queue: what each report says, whose it is, where it stands."""

    as_of = DayColumn(
        verbose_name=header(ProgressReport, "as_of"),
        linkify=True,
        order_by=stable("as_of"),
    )
    task = tables.Column(verbose_name=header(ProgressReport, "task"), linkify=True, order_by=stable("task__code"))
    task_title = tables.Column(
        accessor="task__title",
        verbose_name=_("Task title"),
        attrs=WIDE,
        order_by=stable("task__title"),
    )
    lead_agency = tables.Column(
        accessor="task__lead_agency",
        verbose_name=capfirst(_("lead agency")),
        attrs=MEDIUM,
        order_by=stable("task__lead_agency__name"),
    )
    percent_complete = tables.Column(
        verbose_name=header(ProgressReport, "percent_complete"),
        attrs=NUMBER,
        order_by=stable("percent_complete"),
    )
    status = tables.Column(verbose_name=header(ProgressReport, "status"), order_by=stable("status"))
    submitted_by = tables.Column(
        verbose_name=header(ProgressReport, "submitted_by"),
        order_by=stable("submitted_by__last_name", "submitted_by__first_name"),
    )
    submitted_at = tables.Column(
        verbose_name=header(ProgressReport, "submitted_at"),
        attrs=NO_WRAP,
        order_by=stable("submitted_at"),
    )
    reviewed_by = tables.Column(
        verbose_name=header(ProgressReport, "reviewed_by"),
        visible=False,
        order_by=stable("reviewed_by__last_name", "reviewed_by__first_name"),
    )
    review_note = tables.Column(verbose_name=header(ProgressReport, "review_note"), visible=False, orderable=False)
    disbursed_to_date = MoneyColumn(
        verbose_name=header(ProgressReport, "disbursed_to_date"),
        visible=False,
        order_by=stable("disbursed_to_date"),
    )

    class Meta:
        model = ProgressReport
        fields = (
            "as_of",
            "task",
            "percent_complete",
            "status",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "review_note",
            "disbursed_to_date",
        )
        sequence = (
            "as_of",
            "task",
            "task_title",
            "lead_agency",
            "percent_complete",
            "status",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "review_note",
            "disbursed_to_date",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_task(self, value):
        return value.code

    def value_task(self, value):
        return value.code

    def render_percent_complete(self, value):
        return f"{value}%"

    def value_percent_complete(self, value):
        return value

    def render_status(self, value, record):
        return status_badge(record.status, value, report=True)

    def value_status(self, value):
        return value

    def render_submitted_at(self, value):
        return date_format(value, "SHORT_DATETIME_FORMAT") if value else ""

    def value_submitted_at(self, value):
        return value
