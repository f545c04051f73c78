"""Tables of the task, output and progress-report lists, on screen and in CSV/XLSX exports.

Each column renders HTML for the page and a plain value for exports (see `coop.columns`):
money as a whole number of VND, dates as dates, statuses in words.
"""

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from coop.columns import (
    MEDIUM,
    NO_WRAP,
    WIDE,
    CodeTitleColumn,
    CountColumn,
    DayColumn,
    ExportFormat,
    MoneyColumn,
    PercentColumn,
    StatusBadgeColumn,
    field_header,
    short_date,
)
from coop.tables import BaseTable
from tasks.choices import FundingSource
from tasks.models import Output, ProgressReport, Task, TaskPlace, is_one_of

# The badges of tasks, of progress reports (the template's `report`) and of outputs (`output`), as on their pages.
STATUS_BADGE = "tasks/_status_badge.html"


class LocalTimeColumn(tables.Column):
    """A moment shown as its short date and time in the site's time zone (Hà Nội), as a template would
    show it; exports keep the moment in the same time zone (dd/mm/yyyy HH:MM in CSV, a date-time cell in XLSX)."""

    export_format = ExportFormat.DATETIME

    def render(self, value):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")

    def value(self, value):
        return timezone.localtime(value)


class PlacesColumn(tables.Column):
    """A task's places of implementation in one line ("Thái Bình (xã Vũ Hội); Nam Định"), the same in exports.

    Read from the places prefetched with the rows (`tasks.queries.with_places`): no query per row.
    Not sortable: a task may have several places; the list filters by place instead.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, record):
        return record.places_label() or "—"

    def value(self, record):
        return record.places_label()

    def values_for(self, keys: list) -> dict:
        """`value()` of the tasks whose keys are `keys`, their places read in one query of plain values (for
        exports): each place's label as `TaskPlace.label` writes it, in the order of `tasks.queries.with_places`."""
        labels = {key: [] for key in keys}
        places = (
            TaskPlace.objects.filter(is_one_of("task_id", list(keys)))
            .order_by("province__name", "pk")
            .values_list("task_id", "province__name", "commune")
        )
        for task_id, province, commune in places:
            labels[task_id].append(f"{province} ({commune})" if commune else province)
        return {key: "; ".join(task_labels) for key, task_labels in labels.items()}


class TaskTable(BaseTable):
    code = tables.Column(verbose_name=field_header(Task, "code"), linkify=True, attrs=NO_WRAP)
    title = tables.Column(verbose_name=field_header(Task, "title"), linkify=True, attrs=WIDE)
    programme = CodeTitleColumn(verbose_name=field_header(Task, "programme"), attrs=NO_WRAP, order_by="programme__code")
    # The lead agency's province, which may not be where the task is carried out (`places`).
    province = tables.Column(
        accessor="lead_agency__province",
        verbose_name=_("Province of the lead agency"),
        order_by="lead_agency__province__name",
    )
    lead_agency = tables.Column(
        verbose_name=field_header(Task, "lead_agency"),
        linkify=True,
        attrs=MEDIUM,
        order_by="lead_agency__name",
    )
    places = PlacesColumn(accessor="pk", verbose_name=_("Place of implementation"), attrs=MEDIUM)
    field = tables.Column(verbose_name=field_header(Task, "field"))
    level = tables.Column(verbose_name=field_header(Task, "level"))
    status = StatusBadgeColumn(
        verbose_name=field_header(Task, "status"),
        template_name=STATUS_BADGE,
        overdue_attribute="is_overdue",
        overdue_fields=("status", "end_on"),  # what `Task.is_overdue` reads
    )
    # Exports leave the period out: the start and the end have date columns of their own. On a narrow
    # page it breaks after the dash, one date a line, so that the default columns fit a laptop's width.
    period = tables.Column(
        accessor="start_on",
        verbose_name=_("Period"),
        order_by=("start_on", "end_on"),
        exclude_from_export=True,
    )
    ministry_funding = MoneyColumn(verbose_name=_("Ministry funding"))
    total_funding = MoneyColumn(verbose_name=_("Total funding"))
    percent_complete = PercentColumn(verbose_name=field_header(Task, "percent_complete"))
    investigator = tables.Column(
        verbose_name=field_header(Task, "investigator"),
        order_by="investigator__full_name",
    )
    # Long texts, shown when a user chooses them: a column wide enough to read rather than a word a line.
    funded_through = tables.Column(
        verbose_name=field_header(Task, "funded_through"),
        attrs=MEDIUM,
        order_by="funded_through__code",
    )
    location = tables.Column(verbose_name=field_header(Task, "location"), attrs=MEDIUM)
    province_funding = MoneyColumn(verbose_name=FundingSource.PROVINCE.label)
    counterpart_funding = MoneyColumn(verbose_name=FundingSource.COUNTERPART.label)
    other_funding = MoneyColumn(verbose_name=FundingSource.OTHER.label)
    start_on = DayColumn(verbose_name=field_header(Task, "start_on"))
    end_on = DayColumn(verbose_name=field_header(Task, "end_on"))

    class Meta(BaseTable.Meta):
        model = Task
        fields = (
            "code",
            "title",
            "programme",
            "lead_agency",
            "places",
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
            "places",
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
        # What fits beside the filters on a 1366-pixel screen (tests/e2e/test_table_columns.py); the
        # programme, the lead agency and the places are a tick away in the list's column chooser.
        default_columns = (
            "code",
            "title",
            "status",
            "period",
            "ministry_funding",
            "total_funding",
            "percent_complete",
        )

    def render_period(self, record):
        return f"{short_date(record.start_on)}–{short_date(record.end_on)}"


class OutputTable(BaseTable):
    name = tables.Column(verbose_name=field_header(Output, "name"), linkify=True, attrs=WIDE)
    kind = tables.Column(verbose_name=field_header(Output, "kind"), attrs=MEDIUM)
    quantity = CountColumn(
        verbose_name=field_header(Output, "quantity"),
        unit_accessor="unit",
        initial_sort_descending=True,
    )
    # The code is enough on screen, with the title in the tooltip; the title has its own column in exports.
    task = CodeTitleColumn(
        verbose_name=field_header(Output, "task"),
        attrs=NO_WRAP,
        export_attribute="code",
        order_by="task__code",
    )
    programme = CodeTitleColumn(
        accessor="task__programme",
        verbose_name=field_header(Task, "programme"),
        attrs=NO_WRAP,
        order_by="task__programme__code",
    )
    province = tables.Column(
        accessor="task__lead_agency__province",
        verbose_name=capfirst(_("province")),
        order_by="task__lead_agency__province__name",
    )
    achieved_on = DayColumn(verbose_name=field_header(Output, "achieved_on"), attrs=NO_WRAP)
    status = StatusBadgeColumn(
        verbose_name=field_header(Output, "status"),
        template_name=STATUS_BADGE,
        extra_context={"output": True},
    )
    evidence_number = tables.Column(verbose_name=field_header(Output, "evidence_number"), attrs=MEDIUM)
    evidence_date = DayColumn(verbose_name=field_header(Output, "evidence_date"), attrs=NO_WRAP)
    unit = tables.Column(verbose_name=field_header(Output, "unit"))
    # Long texts, shown when a user chooses them: a column wide enough to read rather than a word a line.
    task_title = tables.Column(accessor="task__title", verbose_name=_("Task title"), attrs=MEDIUM)
    location = tables.Column(verbose_name=field_header(Output, "location"), attrs=MEDIUM)
    description = tables.Column(verbose_name=field_header(Output, "description"), orderable=False, attrs=WIDE)

    class Meta(BaseTable.Meta):
        model = Output
        fields = (
            "name",
            "kind",
            "quantity",
            "unit",
            "task",
            "achieved_on",
            "status",
            "evidence_number",
            "evidence_date",
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
            "status",
            "evidence_number",
            "evidence_date",
            "unit",
            "task_title",
            "location",
            "description",
        )
        # The unit shows beside the quantity on screen. What fits beside the filters on a 1366-pixel screen:
        # the programme is the task's, one link away, and a tick away in the column chooser.
        default_columns = ("name", "kind", "quantity", "task", "province", "achieved_on", "status")


class ProgressReportTable(BaseTable):
    """The review queue: what each report says, whose it is, where it stands."""

    as_of = DayColumn(verbose_name=field_header(ProgressReport, "as_of"), linkify=True, attrs=NO_WRAP)
    task = tables.Column(verbose_name=field_header(ProgressReport, "task"), linkify=True, order_by="task__code")
    task_title = tables.Column(accessor="task__title", verbose_name=_("Task title"), attrs=WIDE)
    lead_agency = tables.Column(
        accessor="task__lead_agency",
        verbose_name=capfirst(_("lead agency")),
        attrs=MEDIUM,
        order_by="task__lead_agency__name",
    )
    percent_complete = PercentColumn(verbose_name=field_header(ProgressReport, "percent_complete"))
    status = StatusBadgeColumn(
        verbose_name=field_header(ProgressReport, "status"),
        template_name=STATUS_BADGE,
        extra_context={"report": True},
    )
    submitted_by = tables.Column(
        verbose_name=field_header(ProgressReport, "submitted_by"),
        order_by=("submitted_by__last_name", "submitted_by__first_name"),
    )
    submitted_at = LocalTimeColumn(verbose_name=field_header(ProgressReport, "submitted_at"), attrs=NO_WRAP)
    reviewed_by = tables.Column(
        verbose_name=field_header(ProgressReport, "reviewed_by"),
        order_by=("reviewed_by__last_name", "reviewed_by__first_name"),
    )
    review_note = tables.Column(
        verbose_name=field_header(ProgressReport, "review_note"),
        orderable=False,
        attrs=MEDIUM,
    )
    disbursed_to_date = MoneyColumn(verbose_name=field_header(ProgressReport, "disbursed_to_date"))

    class Meta(BaseTable.Meta):
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
        # What fits beside the filters on a 1366-pixel screen, in either language; who submitted a report is
        # on its page, and a tick away in the column chooser.
        default_columns = (
            "as_of",
            "task",
            "task_title",
            "lead_agency",
            "percent_complete",
            "status",
            "submitted_at",
        )

    def render_task(self, value):
        # The task's title has a column of its own beside it.
        return value.code
