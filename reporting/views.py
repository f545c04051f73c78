"""Pages of the reporting calendar: who is late (`/reporting/`) and a programme's reporting schedule."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.generic import TemplateView

from coop.columns import ExportFormat
from coop.exports import EXPORT_FORMATS, filter_conditions, values_export_response
from coop.views import SaveWithServiceMixin, add_service_errors, breadcrumbs, visible_or_404
from programmes.models import Programme, Recommendation
from reporting import services
from reporting.forms import ComplianceFilterForm, ReportingPeriodFormSet, ReportingScheduleForm
from reporting.queries import ComplianceFigures, compliance_totals, latest_due_period
from tasks.choices import ComplianceFigure
from tasks.models import Task

# The figures of each row, in the order of the columns; "due" is on time + late + missing.
FIGURES = (
    ComplianceFigure.EXPECTED,
    ComplianceFigure.DUE,
    ComplianceFigure.ON_TIME,
    ComplianceFigure.LATE,
    ComplianceFigure.MISSING,
    ComplianceFigure.PENDING,
    ComplianceFigure.APPROVED,
)
# The programmes listed on the page, those missing most reports first; the export holds them all.
PROGRAMMES_SHOWN = 25
TABLE_TITLES = {
    "period": gettext_lazy("By period"),
    "province": gettext_lazy("By province"),
    "programme": gettext_lazy("By programme"),
}


class ReportingView(LoginRequiredMixin, TemplateView):
    """Who is late: per period, province and programme, the reports due, on time, late and missing.

    Every figure links to the task list that produces it; each table exports as CSV or XLSX
    (`?_export=xlsx&table=province`). Scoped like every page: a province sees its own tasks.
    """

    template_name = "reporting/compliance.html"

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        tasks = Task.objects.visible_to(request.user)
        figures = ComplianceFigures(tasks=tasks, today=today)
        every_period = figures.table("period")
        form = ComplianceFilterForm(request.GET or None, period_rows=every_period, user=request.user)
        chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
        if chosen.get("programme") or chosen.get("province"):
            figures = ComplianceFigures(tasks=self.narrowed(tasks, chosen), today=today)
        tables, period_end = self.tables(figures, chosen, today=today)
        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            return self.export(
                tables,
                request.GET.get("table"),
                export_format,
                period_end=period_end,
                request=request,
                conditions=filter_conditions(form) if form.is_bound and form.is_valid() else [],
            )
        context = self.get_context_data(
            form=form,
            tables=self.shown_tables(tables, period_end=period_end, filters=self.filters(chosen)),
            programme_count=len(tables.get("programme", ())),
            programmes_shown=PROGRAMMES_SHOWN,
            period_end=period_end,
            period_label=next((row.label for row in every_period if row.key == period_end), ""),
            figures=[(figure, figure.label) for figure in FIGURES],
            overdue_recommendations=self.overdue_recommendations(today, programme=chosen.get("programme")),
            export_formats=EXPORT_FORMATS,
            page_title=_("Reporting calendar"),
            breadcrumbs=[(None, _("Reporting calendar"))],
        )
        return self.render_to_response(context)

    @staticmethod
    def tables(figures, chosen, *, today):
        """The three tables (periods; provinces and programmes for one period), and that period."""
        period_rows = figures.table("period")
        period_end = chosen.get("period") or latest_due_period(period_rows, today=today)
        tables = {"period": period_rows}
        if period_end is not None:
            for grouping in ("province", "programme"):
                tables[grouping] = figures.table(grouping, period_end)
        return tables, period_end

    def shown_tables(self, tables, *, period_end, filters) -> list:
        """(grouping, title, rows shown, total row) for the page, each row with its cells (figure, link).

        At national scale a thousand programmes owe reports: the page lists those missing most
        first, and the total and the export count them all.
        """
        task_list = reverse("task_list")
        shown = []
        for grouping, rows in tables.items():
            total = compliance_totals(rows)
            if grouping != "period":  # the total of a period's provinces or programmes is the period's own
                total.links = self.links("total", total, period_end=period_end, filters=filters, task_list=task_list)
            if grouping == "programme" and len(rows) > PROGRAMMES_SHOWN:
                rows = sorted(rows, key=lambda row: (-row.missing, -row.late, row.label))[:PROGRAMMES_SHOWN]
            for row in rows:
                row.links = self.links(grouping, row, period_end=period_end, filters=filters, task_list=task_list)
            for row in [*rows, total]:
                row.cells = [(row.figure(figure), row.links.get(figure)) for figure in FIGURES]
            shown.append((grouping, TABLE_TITLES[grouping], rows, total))
        return shown

    @staticmethod
    def filters(chosen) -> dict:
        """The page's filters as parameters of the task list."""
        return {
            "programme": chosen["programme"].pk if chosen.get("programme") else None,
            "province": chosen["province"].pk if chosen.get("province") else None,
        }

    @staticmethod
    def narrowed(tasks, chosen):
        if chosen.get("programme"):
            tasks = tasks.filter(programme=chosen["programme"])
        if chosen.get("province"):
            tasks = tasks.filter(lead_agency__province=chosen["province"])
        return tasks

    @staticmethod
    def links(grouping, row, *, period_end, filters, task_list) -> dict:
        """The task list behind each figure of the row: its period, province or programme, and the page's filters."""
        if grouping == "province" and row.key is None:
            return {}  # the task list has no filter for lead agencies without a province
        params = {name: value for name, value in filters.items() if value is not None}
        if grouping in ("province", "programme"):
            params[grouping] = row.key
        end = row.key if grouping == "period" else period_end
        params["report_period"] = end.isoformat()
        query = urlencode(params)
        return {figure: f"{task_list}?{query}&report_figure={figure}" for figure in FIGURES}

    def overdue_recommendations(self, today, *, programme):
        recommendations = Recommendation.objects.visible_to(self.request.user).overdue(today)
        if programme is not None:
            recommendations = recommendations.filter(meeting__programme=programme)
        return recommendations.count()

    @staticmethod
    def export(tables, grouping, export_format, *, period_end, request, conditions):
        grouping = grouping if grouping in tables else "period"
        first_column = {
            "period": pgettext("reporting period", "Period"),
            "province": _("Province"),
            "programme": _("Programme"),
        }[grouping]
        header = [first_column, *(str(figure.label) for figure in FIGURES), _("Compliance rate (%)")]
        rows = [
            [row.label, *(row.figure(figure) for figure in FIGURES), row.compliance_percent] for row in tables[grouping]
        ]
        name = _("reporting %(table)s") % {"table": TABLE_TITLES[grouping]}
        if grouping != "period" and period_end is not None:
            name += " " + period_end.strftime("%Y%m%d")
        formats = [ExportFormat.TEXT, *(ExportFormat.COUNT for _figure in FIGURES), ExportFormat.PERCENT_TENTHS]
        return values_export_response(
            header=header,
            rows=rows,
            export_format=export_format,
            filename=name,
            formats=formats,
            request=request,
            conditions=conditions,
        )


class ReportingScheduleView(LoginRequiredMixin, SaveWithServiceMixin, TemplateView):
    """Ministry staff set when a programme's provinces report: the rule, and the periods it draws or typed by hand."""

    template_name = "reporting/schedule_form.html"

    @cached_property
    def programme(self) -> Programme:
        return visible_or_404(Programme.objects.all(), self.request.user, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("programmes.change_reportingperiod"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def forms(self, data=None):
        form = ReportingScheduleForm(data, instance=self.programme)
        periods = ReportingPeriodFormSet(data, instance=self.programme, prefix="periods")
        return form, periods

    def get(self, request, *args, **kwargs):
        form, periods = self.forms()
        return self.render_to_response(self.get_context_data(form=form, periods=periods))

    def post(self, request, *args, **kwargs):
        form, periods = self.forms(request.POST)
        if request.POST.get("action") == "draw":
            # Drawing replaces the periods, so the rows typed below are not read.
            if form.is_valid() and self.draw(form):
                return redirect("reporting_schedule", pk=self.programme.pk)
            form, periods = form, ReportingPeriodFormSet(instance=self.programme, prefix="periods")
        elif form.is_valid() and periods.is_valid() and self.save(form, periods):
            return redirect("reporting_schedule", pk=self.programme.pk)
        return self.render_to_response(self.get_context_data(form=form, periods=periods))

    def draw(self, form) -> bool:
        result = self.save_or_show_errors(
            form,
            lambda: services.reporting_schedule_draw(
                programme=self.programme, data=form.cleaned_data, opened_version=form.cleaned_data.get("opened_version")
            ),
        )
        if result is None:
            return False
        kept, placed = result
        messages.success(self.request, _("The periods were drawn from the rule."))
        if kept:
            messages.warning(
                self.request,
                ngettext(
                    "%(count)d period outside the rule was kept because reports answer for it.",
                    "%(count)d periods outside the rule were kept because reports answer for them.",
                    kept,
                )
                % {"count": kept},
            )
        self.say_placed(placed)
        return True

    def save(self, form, periods) -> bool:
        try:
            placed = self.save_or_show_errors(
                form,
                lambda: services.reporting_schedule_save(
                    programme=self.programme,
                    data=form.cleaned_data,
                    periods_formset=periods,
                    opened_version=form.cleaned_data.get("opened_version"),
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return False
        if placed is None:
            return False
        messages.success(self.request, _("The reporting schedule was saved."))
        self.say_placed(placed)
        return True

    def say_placed(self, placed: int) -> None:
        if placed:
            messages.info(
                self.request,
                ngettext(
                    "%(count)d progress report was placed in the period its date falls in.",
                    "%(count)d progress reports were placed in the periods their dates fall in.",
                    placed,
                )
                % {"count": placed},
            )

    def get_context_data(self, **kwargs):
        programme = self.programme
        title = _("Reporting schedule")
        crumbs = breadcrumbs(Programme, (programme.get_absolute_url(), programme.code), title)
        return super().get_context_data(programme=programme, page_title=title, breadcrumbs=crumbs, **kwargs)
