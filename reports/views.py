"""The dashboard, the search across every kind of record, the PDF reports and the archive of issued reports."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.http import MAX_URL_REDIRECT_LENGTH
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from coop.views import BaseListView
from programmes.models import Programme
from reports import queries
from reports.charts import dashboard_charts
from reports.filters import GeneratedReportFilter, describe_filters
from reports.forms import ProgrammeReviewForm
from reports.models import GeneratedReport
from reports.pdf import attachment_header
from reports.services import programme_review_issue, task_list_issue, task_sheet_issue
from reports.tables import GeneratedReportTable
from tasks.filters import TaskFilter
from tasks.models import Task
from tasks.queries import task_rows, task_totals
from tasks.tables import TaskTable


class DashboardView(LoginRequiredMixin, TemplateView):
    """The figures across the programmes the user may see, each linked to the list that produces it."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dashboard = queries.dashboard(user=self.request.user)
        context.update(dashboard=dashboard, charts=dashboard_charts(dashboard))
        return context


class SearchView(LoginRequiredMixin, TemplateView):
    """`/search/?q=`: programmes, tasks, outputs, agencies, people and meetings matching every word."""

    template_name = "reports/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = queries.search_query(self.request.GET.get("q"))
        groups = queries.site_search(user=self.request.user, query=query)
        context.update(
            query=query,
            groups=groups,
            total=sum(group.count for group in groups),
            search_limit=queries.SEARCH_LIMIT,
            breadcrumbs=[(None, _("Search"))],
        )
        return context


class GeneratedReportListView(BaseListView):
    queryset = GeneratedReport.objects.select_related("programme", "created_by")
    filterset_class = GeneratedReportFilter
    table_class = GeneratedReportTable
    template_name = "reports/generatedreport_list.html"


# The PDF reports. Each is drawn on request, filed in the archive, and served from the filed copy.


def pdf_download(report: GeneratedReport) -> FileResponse:
    """The filed copy of an issued report, as a download named after its kind, programme and day."""
    try:
        stored_file = report.pdf.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file of this report is missing from the archive.") from missing
    response = FileResponse(stored_file, content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(report.download_name())
    # Reports hold what the user's scope allows: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


class ProgrammeReviewFormView(LoginRequiredMixin, TemplateView):
    """`/reports/programmes/<pk>/review/`: the options of the review report of a programme the user sees."""

    template_name = "reports/programme_review_form.html"

    def get(self, request, pk):
        programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk)
        initial = {"as_of": timezone.localdate(), "language": translation.get_language(), "include_tasks": True}
        form = ProgrammeReviewForm(initial=initial, programme=programme)
        return self.render_to_response(review_form_context(programme, form))


def review_form_context(programme: Programme, form: ProgrammeReviewForm) -> dict:
    return {
        "programme": programme,
        "form": form,
        "breadcrumbs": [
            (reverse("programme_list"), capfirst(Programme._meta.verbose_name_plural)),
            (programme.get_absolute_url(), programme.code),
            (None, _("Review report (PDF)")),
        ],
    }


class ProgrammeReviewPdfView(LoginRequiredMixin, TemplateView):
    """`/reports/programmes/<pk>/review.pdf?as_of=dd/mm/yyyy&language=vi&include_tasks=on`.

    Draws and files the report, then serves the filed copy. Without parameters it sends the user
    to the form; with wrong ones it shows the form again with what to correct (nothing is filed).
    """

    template_name = "reports/programme_review_form.html"

    def get(self, request, pk):
        programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk)
        if not request.GET:
            return redirect("programme_review", pk=programme.pk)
        form = ProgrammeReviewForm(request.GET, programme=programme)
        if not form.is_valid():
            return self.render_to_response(review_form_context(programme, form))
        report = programme_review_issue(
            programme=programme,
            user=request.user,
            as_of=form.cleaned_data["as_of"],
            language=form.cleaned_data["language"],
            include_tasks=form.cleaned_data["include_tasks"],
        )
        return pdf_download(report)


class TaskSheetPdfView(LoginRequiredMixin, View):
    """`/tasks/<pk>/sheet.pdf`: the one-page sheet of a task the user sees, in the language of the page."""

    def get(self, request, pk):
        tasks = Task.objects.visible_to(request.user).select_related(
            "programme", "lead_agency__province", "investigator", "funded_through"
        )
        task = get_object_or_404(tasks, pk=pk)
        return pdf_download(task_sheet_issue(task=task, user=request.user, language=translation.get_language()))


# A PDF of 1,000 tasks takes about 12 s to draw (docs/benchmarks.md): more would hold a web request
# too long. Longer lists go to the CSV and XLSX exports, which stream.
TASK_LIST_PDF_MAX_ROWS = 1000


def too_many_rows_message(count: int) -> str:
    return _(
        "%(count)s tasks match: a PDF holds at most %(limit)s. Narrow the filters, or export every row as CSV or XLSX."
    ) % {
        "count": number_format(count, force_grouping=True),
        "limit": number_format(TASK_LIST_PDF_MAX_ROWS, force_grouping=True),
    }


def task_list_url(params: QueryDict) -> str:
    """The task list with the list's own parameters of `params`, which it shows again with what to correct.

    Parameters the list does not know are left out. An address too long for a redirect (only
    typed by hand: the list's form and links never build one) leads to the list without filters.
    """
    known = set(TaskFilter.base_filters) | {"sort", "per_page"}
    query = QueryDict(mutable=True)
    for name in sorted(known & set(params)):
        query.setlist(name, params.getlist(name))
    url = reverse("task_list") + (f"?{query.urlencode()}" if query else "")
    return url if len(url) <= MAX_URL_REDIRECT_LENGTH else reverse("task_list")


class TaskListPdfView(LoginRequiredMixin, View):
    """`/reports/tasks.pdf?<the filters of /tasks/>`: every task of the filtered list, with its totals.

    The same filters, scope and order as the task list: the user's visible tasks only. Wrong
    filters send the user back to the list, which says what to correct.
    """

    def get(self, request):
        back_to_the_list = redirect(task_list_url(request.GET))
        filterset = TaskFilter(request.GET, queryset=task_rows(Task.objects.visible_to(request.user)), request=request)
        if not filterset.is_valid():
            return back_to_the_list
        rows = filterset.qs
        totals = task_totals(queryset=rows)
        if totals["count"] > TASK_LIST_PDF_MAX_ROWS:
            messages.error(request, too_many_rows_message(totals["count"]))
            return back_to_the_list
        # The table orders the rows as the list page does for the same `sort=`.
        ordered = TaskTable(rows, order_by=request.GET.get("sort") or None).data.data
        programmes = filterset.form.cleaned_data.get("programme")
        report = task_list_issue(
            rows=ordered,
            totals=totals,
            filters=describe_filters(filterset),
            parameters={"filters": {key: request.GET.getlist(key) for key in sorted(request.GET)}},
            programme=programmes[0] if programmes is not None and len(programmes) == 1 else None,
            user=request.user,
            language=translation.get_language(),
        )
        return pdf_download(report)


class GeneratedReportDownloadView(LoginRequiredMixin, View):
    """`/reports/<pk>/download/`: a filed report, for those who may see its programme (or who issued it)."""

    def get(self, request, pk):
        report = get_object_or_404(GeneratedReport.objects.visible_to(request.user).select_related("programme"), pk=pk)
        return pdf_download(report)
