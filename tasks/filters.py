"""Filter forms of the task and output lists; GET parameter names are a contract with other pages."""

import datetime

import django_filters
from django import forms
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coop.figure_cache import kept_for_scope
from coop.filters import (
    AutocompleteSelectMultiple,
    BaseFilterSet,
    LinkedOnlyDateInput,
    LinkedOnlySelect,
    RowsFilter,
    YearRangeFilter,
)
from coop.search import filter_by_words
from programmes.choices import OutputKind
from programmes.models import Agency, Programme, Province
from tasks.choices import (
    TASK_STATE_OPEN,
    TASK_STATE_OVERDUE,
    ComplianceFigure,
    FundingSource,
    OutputStatus,
    ReportStatus,
    TaskField,
    TaskLevel,
    TaskStatus,
)
from tasks.models import Funding, Output, ProgressReport, Task, TaskPlace
from tasks.queries import tasks_by_compliance_figure


def checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def visible_tasks(user):
    return Task.objects.visible_to(user)


# The choices of each foreign-key filter are what the user's rows refer to, not whole tables.
# Names of a programme that funds a task, or of a lead agency's province, belong to tasks the
# user sees; listing them reveals nothing the list itself does not show.


def programme_choices(user):
    # A thousand programmes at national scale: their filters read only the title their options show.
    return Programme.objects.visible_to(user).order_by("-start_year", "code", "pk")


# The choices of the province filters are the provinces some of the user's tasks name: a handful of values read over
# every task they see (50,000 for the Ministry, where the database reads all of them for it: 20–30 ms), and the same
# until those tasks change. They are kept for the user's scope (`kept_for_scope`), the Ministry's for everyone.
# An agency moved to another province (rare, and agencies keep no history to tell it by) shows within
# `coop.figure_cache.KEPT_FOR_SECONDS`.


def provinces_of(tasks, *, name: str, with_outputs: bool = False) -> models.QuerySet:
    """The provinces of the lead agencies of `tasks`, by name; of those tasks with outputs when `with_outputs`."""
    keys = kept_for_scope(
        tasks,
        name=name,
        tables=[Task, Output] if with_outputs else [Task],
        compute=lambda tasks: lead_province_keys(tasks, with_outputs=with_outputs),
    )
    return Province.objects.filter(pk__in=keys).order_by("name", "pk")


def lead_province_keys(tasks, *, with_outputs: bool) -> list[int]:
    of_every_task = not tasks.query.has_filters()
    if with_outputs:
        tasks = tasks.filter(Exists(Output.objects.filter(task=OuterRef("pk"))))
    if of_every_task:
        # One "is a task led there?" per province; PostgreSQL may still read every task (20–30 ms): kept.
        led_there = tasks.filter(lead_agency__province=OuterRef("pk"))
        return list(Province.objects.filter(Exists(led_there)).values_list("pk", flat=True))
    return values_of(tasks, "lead_agency__province")


def values_of(rows: models.QuerySet, field: str) -> list:
    """The values of `field` over `rows`, each once, in order."""
    return sorted(set(rows.order_by().values_list(field, flat=True)) - {None})


def task_province_choices(user):
    return provinces_of(visible_tasks(user), name="task_lead_provinces")


def place_choices(user):
    """The provinces where the user's visible tasks are carried out, by name (kept as `provinces_of`'s are)."""
    keys = kept_for_scope(
        visible_tasks(user), name="task_place_provinces", tables=[Task, TaskPlace], compute=place_keys
    )
    return Province.objects.filter(pk__in=keys).order_by("name", "pk")


def place_keys(tasks) -> list[int]:
    if not tasks.query.has_filters():
        # For every task, each province asks whether a place of it exists (an index lookup each).
        return list(
            Province.objects.filter(Exists(TaskPlace.objects.filter(province=OuterRef("pk")))).values_list(
                "pk", flat=True
            )
        )
    return values_of(TaskPlace.objects.filter(task__in=tasks.values("pk")), "province")


def carried_out_in(provinces, task_key: str = "pk") -> Exists:
    """Whether the task (its key at `task_key` of the row filtered) is carried out in any of `provinces`.

    A condition, not a join: a task carried out in two of the provinces is listed once.
    """
    return Exists(TaskPlace.objects.filter(task=OuterRef(task_key), province__in=provinces))


def lead_agency_choices(user):
    return Agency.objects.visible_to(user).filter(pk__in=visible_tasks(user).values("lead_agency"))


def funded_through_choices(user):
    keys = kept_for_scope(
        visible_tasks(user),
        name="task_funded_through",
        tables=[Task, Programme],
        compute=lambda tasks: values_of(tasks, "funded_through"),
    )
    return Programme.objects.filter(pk__in=keys).order_by("-start_year", "code", "pk")


def output_task_choices(user):
    visible_outputs = Output.objects.visible_to(user).values("task")
    return visible_tasks(user).filter(pk__in=visible_outputs).order_by("code", "pk")


def output_province_choices(user):
    return provinces_of(visible_tasks(user), name="output_lead_provinces", with_outputs=True)


class TaskFilter(BaseFilterSet):
    programme = RowsFilter(
        queryset=programme_choices,
        label_field="title",
        label=_("Programme"),
    )
    province = RowsFilter(
        field_name="lead_agency__province",
        queryset=task_province_choices,
        label_field="name",
        label=_("Province of the lead agency"),
    )
    place = RowsFilter(
        queryset=place_choices,
        label_field="name",
        method="filter_place",
        label=_("Place of implementation"),
        help_text=_("Tasks carried out in any of these provinces, whoever leads them."),
    )
    lead_agency = RowsFilter(
        queryset=lead_agency_choices,
        label=_("Lead agency"),
        # Thousands of agencies lead tasks: never listed, found by name in the box (their pages link here too).
        widget=AutocompleteSelectMultiple(threshold=0),
    )
    field = django_filters.MultipleChoiceFilter(
        choices=TaskField.choices,
        widget=checkboxes(),
        label=_("Field"),
    )
    level = django_filters.MultipleChoiceFilter(
        choices=TaskLevel.choices,
        widget=checkboxes(),
        label=_("Level"),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=TaskStatus.choices,
        widget=checkboxes(),
        label=_("Status"),
    )
    state = django_filters.ChoiceFilter(
        choices=[(TASK_STATE_OPEN, _("Not finished")), (TASK_STATE_OVERDUE, _("Overdue"))],
        method="filter_state",
        label=_("Not finished or overdue"),
        empty_label=_("All"),
        help_text=_(
            "Not finished: proposed, approved, in progress or suspended. Overdue: not finished past its end date."
        ),
    )
    funded_through = RowsFilter(
        queryset=funded_through_choices,
        label_field="title",
        label=_("Funded through"),
    )
    year_from = YearRangeFilter(
        method="filter_year_from",
        label=_("Running in or after (year)"),
    )
    year_to = YearRangeFilter(
        method="filter_year_to",
        label=_("Running in or before (year)"),
    )
    funding_min = django_filters.NumberFilter(
        field_name="total_funding",
        lookup_expr="gte",
        min_value=0,
        error_messages={"min_value": _("Amounts cannot be negative.")},
        label=_("Total funding at least (VND)"),
    )
    funding_max = django_filters.NumberFilter(
        field_name="total_funding",
        lookup_expr="lte",
        min_value=0,
        error_messages={"min_value": _("Amounts cannot be negative.")},
        label=_("Total funding at most (VND)"),
    )
    funding_source = django_filters.MultipleChoiceFilter(
        choices=FundingSource.choices,
        method="filter_funding_source",
        widget=checkboxes(),
        label=_("Funded from"),
    )
    # The tasks behind a figure of the reporting calendar (`/reporting/` links here): the tasks owing the report
    # of the period ending on `report_period`, narrowed to one figure (missing, late, …).
    report_period = django_filters.DateFilter(
        method="filter_report",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=LinkedOnlyDateInput,
        label=_("Owing the report of the period ending"),
    )
    report_figure = django_filters.ChoiceFilter(
        choices=ComplianceFigure.choices,
        method="filter_report",
        widget=LinkedOnlySelect,
        empty_label=_("All"),
        label=_("Report of the period"),
    )

    class Meta:
        model = Task
        fields = []

    def filter_report(self, queryset, name, value):
        """Both report filters at once, when the period's filter runs; a figure without a period narrows nothing."""
        if name != "report_period":
            return queryset
        figure = self.form.cleaned_data.get("report_figure") or ComplianceFigure.EXPECTED
        return tasks_by_compliance_figure(queryset, figure, period_end=value, today=timezone.localdate())

    def filter_state(self, queryset, name, value):
        """`TaskQuerySet.open()` or `.overdue(today)`: the definitions every page and figure shares."""
        if value == TASK_STATE_OPEN:
            return queryset.open()
        if value == TASK_STATE_OVERDUE:
            return queryset.overdue(timezone.localdate())
        return queryset

    def filter_year_from(self, queryset, name, value):
        """Tasks still running in that year or later: the period overlaps [year, ∞)."""
        return queryset.filter(end_on__gte=datetime.date(int(value), 1, 1))

    def filter_year_to(self, queryset, name, value):
        """Tasks that started in that year or earlier: the period overlaps (−∞, year]."""
        return queryset.filter(start_on__lte=datetime.date(int(value), 12, 31))

    def filter_funding_source(self, queryset, name, value):
        """Tasks with at least one funding row from any of the chosen sources."""
        return queryset.filter(Exists(Funding.objects.filter(task=OuterRef("pk"), source__in=value)))

    def filter_place(self, queryset, name, value):
        return queryset.filter(carried_out_in(value)) if value else queryset


class OutputFilter(BaseFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=OutputKind.choices,
        widget=checkboxes(),
        label=_("Kind"),
    )
    # The review queue of outputs is this list filtered by status=submitted; only verified ones count.
    status = django_filters.MultipleChoiceFilter(
        choices=OutputStatus.choices,
        widget=checkboxes(),
        label=_("Status"),
    )
    # Exactly the unit a figure counts in: a figure by kind and unit opens the list of its rows.
    unit = django_filters.CharFilter(
        field_name="unit",
        lookup_expr="exact",
        label=_("Unit"),
    )
    programme = RowsFilter(
        field_name="task__programme",
        queryset=programme_choices,
        label_field="title",
        label=_("Programme"),
    )
    province = RowsFilter(
        field_name="task__lead_agency__province",
        queryset=output_province_choices,
        label_field="name",
        label=_("Province of the lead agency"),
    )
    place = RowsFilter(
        queryset=place_choices,
        label_field="name",
        method="filter_place",
        label=_("Place of implementation"),
        help_text=_("Outputs of tasks carried out in any of these provinces."),
    )
    task = RowsFilter(
        queryset=output_task_choices,
        label=_("S&T task"),
        # Tens of thousands of tasks: never listed, found by code or title in the box (a task links to its outputs).
        widget=AutocompleteSelectMultiple(threshold=0),
    )
    year = YearRangeFilter(
        field_name="achieved_on",
        lookup_expr="year",
        label=_("Year achieved"),
    )

    class Meta:
        model = Output
        fields = []

    def filter_place(self, queryset, name, value):
        return queryset.filter(carried_out_in(value, "task")) if value else queryset


class ProgressReportFilter(BaseFilterSet):
    """The review queue and the provinces' own reports: by status first."""

    status = django_filters.MultipleChoiceFilter(
        choices=ReportStatus.choices,
        widget=checkboxes(),
        label=_("Status"),
    )
    programme = RowsFilter(
        field_name="task__programme",
        queryset=programme_choices,
        label_field="title",
        label=_("Programme"),
    )
    province = RowsFilter(
        field_name="task__lead_agency__province",
        queryset=task_province_choices,
        label_field="name",
        label=_("Province of the lead agency"),
    )
    place = RowsFilter(
        queryset=place_choices,
        label_field="name",
        method="filter_place",
        label=_("Place of implementation"),
        help_text=_("Reports on tasks carried out in any of these provinces."),
    )

    class Meta:
        model = ProgressReport
        fields = []

    def filter_place(self, queryset, name, value):
        return queryset.filter(carried_out_in(value, "task")) if value else queryset

    def filter_words(self, queryset, name, value):
        # Reports are found by their task: code, title, lead agency.
        return filter_by_words(queryset, value, field="task__search_text")
