"""The pages that read every app: the dashboard, a programme's and an agency's pages with their figures,
the search across every kind of record, the PDF reports and the archive of issued reports."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.http import MAX_URL_REDIRECT_LENGTH
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from coop.figures import list_url
from coop.roles import Role, user_roles
from coop.tables import related_table
from coop.views import BaseDetailView, BaseListView, SaveWithServiceMixin, breadcrumbs, visible_or_404
from programmes import queries as programme_queries
from programmes.choices import PENDING_RECOMMENDATION_STATUSES, ProgrammeStatus
from programmes.filters import ProgrammeFilter
from programmes.models import Agency, Programme
from programmes.tables import ProgrammeTable, RecommendationTable
from reporting.queries import recommendations_owed, reports_owed
from reports import queries
from reports.annex import ANNEX_PARAMETER, annex_filename
from reports.background import drawn_in_background, report_request_queue, report_request_retry
from reports.charts import dashboard_charts
from reports.choices import DocumentState, ReportKind
from reports.figures import agency_activity, programme_figures
from reports.filters import GeneratedReportFilter
from reports.forms import DocumentReturnForm, ProgrammeReviewForm, ReviewDocumentForm
from reports.models import GeneratedReport, ReportRequest
from reports.pdf import attachment_header
from reports.review_document import recipient_lines, signature_block
from reports.services import (
    programme_review_sheet,
    review_document_correct,
    review_document_create,
    review_document_docx,
    review_document_issue,
    review_document_pdf,
    review_document_return,
    review_document_submit,
    review_document_update,
    task_list_issue,
    task_list_pdf,
    task_sheet_pdf,
    task_sheet_save,
)
from reports.signing import SigningError
from reports.tables import GeneratedReportTable
from tasks.choices import OPEN_TASK_STATUSES, TASK_STATE_OPEN
from tasks.filters import TaskFilter
from tasks.models import Task
from tasks.queries import funded_tasks, programme_tasks, with_funded_task_figures, with_places
from tasks.rules import TASK_STATUSES_TAKING_PROGRESS
from tasks.tables import TaskTable

# The due and overdue reports a provincial department's home page lists; the rest are one click away.
REPORTS_OWED_SHOWN = 10


class DashboardView(LoginRequiredMixin, TemplateView):
    """The figures across the programmes the user may see, each linked to the list that produces it."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dashboard = queries.dashboard(user=self.request.user)
        context.update(dashboard=dashboard, charts=dashboard_charts(dashboard))
        if Role.PROVINCE_STAFF in user_roles(self.request.user):
            context.update(self.reports_owed())
        return context

    def reports_owed(self) -> dict:
        """A provincial department's due and overdue reports, nearest first: where its work starts."""
        tasks = Task.objects.visible_to(self.request.user).filter(status__in=TASK_STATUSES_TAKING_PROGRESS)
        today = timezone.localdate()
        owed, count = reports_owed(tasks=tasks, today=today, limit=REPORTS_OWED_SHOWN)
        recommendations, recommendation_count = recommendations_owed(
            user=self.request.user, today=today, limit=REPORTS_OWED_SHOWN
        )
        return {
            "reports_owed": owed,
            "reports_owed_count": count,
            "recommendations_owed": recommendations,
            "recommendations_owed_count": recommendation_count,
        }


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


class ProgrammeListView(BaseListView):
    """The programmes, with the number and Ministry funding of their own tasks and, for a national programme,
    of the tasks funded through it that the user may see (which is why it is drawn here, beside their pages)."""

    # Without a user (exports drawn outside a request), over every task funded through each programme.
    queryset = with_funded_task_figures(programme_queries.programme_list_rows())
    filterset_class = ProgrammeFilter
    table_class = ProgrammeTable

    def get_queryset(self):
        user = self.request.user
        return with_funded_task_figures(programme_queries.programme_list_rows(), user=user).visible_to(user)


class ProgrammeDetailView(BaseDetailView):
    """A programme: its facts and parties, its figures (`reports.figures`), tasks, meetings and open recommendations."""

    queryset = Programme.objects.select_related("previous_phase")
    template_name = "programmes/programme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme, user = self.object, self.request.user
        previous_phase, next_phases = programme_queries.programme_phases(programme=programme, user=user)
        figures = programme_figures(programme=programme, user=user)
        open_tasks = sum(figure.value for figure in figures.tasks_by_status if figure.key in OPEN_TASK_STATUSES)
        context.update(
            parties=programme_queries.programme_parties(programme=programme),
            figures=figures,
            # Open tasks are worth a warning once the programme is closed (records from before the rule) or overdue.
            open_tasks=open_tasks if programme.status == ProgrammeStatus.COMPLETED or programme.is_overdue else 0,
            open_tasks_url=list_url("task_list", programme=programme.pk, state=TASK_STATE_OPEN),
            tasks=related_table(
                TaskTable,
                list(programme_tasks(programme=programme, user=user, limit=programme_queries.DETAIL_ROWS)),
                columns=("code", "title", "lead_agency", "places", "status", "percent_complete", "ministry_funding"),
                html_id="programme-tasks",
            ),
            funded_tasks=funded_tasks_table(programme=programme, user=user, figures=figures),
            task_limit=programme_queries.DETAIL_ROWS,
            meetings=programme_queries.programme_meetings(programme=programme, user=user),
            open_recommendations=related_table(
                RecommendationTable,
                list(programme_queries.programme_open_recommendations(programme=programme, user=user)),
                columns=("text", "meeting", "raised_by", "addressed_to", "due_on", "status"),
                html_id="open-recommendations",
            ),
            open_recommendations_url=list_url(
                "recommendation_list", programme=programme.pk, status=list(PENDING_RECOMMENDATION_STATUSES)
            ),
            previous_phase=previous_phase,
            next_phases=next_phases,
        )
        return context


def funded_tasks_table(*, programme: Programme, user, figures):
    """The table of the tasks funded through a national programme (its first rows); None for other programmes."""
    if not figures.funded_through:
        return None
    rows = funded_tasks(programme=programme, user=user, limit=programme_queries.DETAIL_ROWS)
    return related_table(
        TaskTable,
        list(rows),
        columns=("code", "title", "programme", "lead_agency", "places", "status", "ministry_funding", "total_funding"),
        html_id="funded-tasks",
    )


class AgencyDetailView(BaseDetailView):
    """An agency: its place among agencies, its people, the programmes it is party to and the tasks it leads."""

    queryset = Agency.objects.select_related("province", "parent", "successor")
    template_name = "programmes/agency_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency, user = self.object, self.request.user
        activity = agency_activity(agency=agency, user=user)
        context.update(
            children=agency.children.visible_to(user).order_by("name", "pk"),
            predecessors=agency.predecessors.visible_to(user).order_by("valid_to", "name", "pk"),
            activity=activity,
            tasks=related_table(
                TaskTable, activity.tasks, columns=("code", "title", "programme", "status"), html_id="agency-tasks"
            ),
            people=agency.people.order_by("full_name", "pk"),
        )
        return context


class GeneratedReportListView(BaseListView):
    queryset = GeneratedReport.objects.select_related("programme", "task", "signer__person", "created_by")
    filterset_class = GeneratedReportFilter
    table_class = GeneratedReportTable
    template_name = "reports/generatedreport_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Above the archive: the user's own reports still being drawn in the background, or that failed lately.
        context["report_requests"] = queries.open_report_requests(user=self.request.user)
        return context


# The PDF reports. Each is drawn on request, filed in the archive, and served from the filed copy.


def pdf_download(report: GeneratedReport) -> FileResponse:
    """The filed copy of an issued report, as a download named after its kind, programme and day."""
    try:
        stored_file = report.pdf.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file of this report is missing from the archive.") from missing
    return private_download(FileResponse(stored_file, content_type="application/pdf"), report.download_name())


def private_download(response, filename: str):
    """`response` as a download named `filename`. Reports hold what the user's scope allows: no shared cache may
    keep a copy."""
    response["Content-Disposition"] = attachment_header(filename)
    response["Cache-Control"] = "private, no-store"
    return response


class ProgrammeReviewFormView(LoginRequiredMixin, TemplateView):
    """`/reports/programmes/<pk>/review/`: the options of the review report of a programme the user sees.

    GET shows them; the data sheet is drawn from them by `review.pdf` (GET, nothing kept), and a review
    document is created from them by POST here, for Ministry staff: a draft, which opens on its page.
    """

    template_name = "reports/programme_review_form.html"

    def get(self, request, pk):
        programme = visible_or_404(Programme.objects, request.user, pk=pk)
        initial = {"as_of": timezone.localdate(), "language": translation.get_language(), "include_tasks": True}
        form = ProgrammeReviewForm(initial=initial, programme=programme)
        return self.render_to_response(review_form_context(programme, form, request.user))

    def post(self, request, pk):
        programme = visible_or_404(Programme.objects, request.user, pk=pk)
        if not request.user.has_perm("reports.draft_document"):
            raise PermissionDenied(_("Only Ministry staff draft review documents."))
        form = ProgrammeReviewForm(request.POST, programme=programme)
        if not form.is_valid():
            return self.render_to_response(review_form_context(programme, form, request.user))
        document = review_document_create(programme=programme, user=request.user, **form.cleaned_data)
        messages.success(request, _("The draft was created from the records: complete its text, then submit it."))
        return redirect(document)


def review_form_context(programme: Programme, form: ProgrammeReviewForm, user) -> dict:
    return {
        "programme": programme,
        "form": form,
        "may_draft": user.has_perm("reports.draft_document"),
        "breadcrumbs": breadcrumbs(Programme, (programme.get_absolute_url(), programme.code), _("Review report (PDF)")),
    }


class ProgrammeReviewPdfView(LoginRequiredMixin, TemplateView):
    """`/reports/programmes/<pk>/review.pdf?as_of=dd/mm/yyyy&language=vi&include_tasks=on`: the data sheet.

    Drawn and streamed, never kept: the copy a meeting takes is a review document, issued and numbered.
    Without parameters it sends the user to the form; with wrong ones it shows the form again with
    what to correct. The table of tasks of a programme too large to draw within a request is drawn
    only in an issued document (in the background).
    """

    template_name = "reports/programme_review_form.html"

    def get(self, request, pk):
        programme = visible_or_404(Programme.objects, request.user, pk=pk)
        if not request.GET:
            return redirect("programme_review", pk=programme.pk)
        form = ProgrammeReviewForm(request.GET, programme=programme)
        if form.is_valid() and form.cleaned_data["include_tasks"] and drawn_in_background(programme.tasks.count()):
            form.add_error("include_tasks", too_long_for_a_sheet_message(programme))
        if not form.is_valid():
            return self.render_to_response(review_form_context(programme, form, request.user))
        options = form.cleaned_data
        pdf = programme_review_sheet(programme=programme, user=request.user, **options)
        return pdf_stream(pdf, filename=f"{_('Data sheet')} {programme.code} {options['as_of']:%d-%m-%Y}.pdf")


def too_long_for_a_sheet_message(programme: Programme) -> str:
    return _(
        "The programme has %(count)s tasks: their table is too long to draw while you wait. Leave it out, or create "
        "a review document, which is issued in the background."
    ) % {"count": number_format(programme.tasks.count(), force_grouping=True)}


def pdf_stream(pdf: bytes, *, filename: str) -> HttpResponse:
    """A PDF drawn for this request only, as a download: nothing of it is kept."""
    return private_download(HttpResponse(pdf, content_type="application/pdf"), filename)


def sheet_task(request, pk) -> Task:
    tasks = with_places(
        Task.objects.select_related("programme", "lead_agency__province", "investigator", "funded_through")
    )
    return visible_or_404(tasks, request.user, pk=pk)


class TaskSheetPdfView(LoginRequiredMixin, View):
    """`/tasks/<pk>/sheet.pdf`: the one-page sheet of a task the user sees, in the language of the page.

    GET draws and streams it; POST saves a copy in the archive and serves the saved copy.
    """

    def get(self, request, pk):
        task = sheet_task(request, pk)
        pdf = task_sheet_pdf(task=task, user=request.user, language=translation.get_language())
        return pdf_stream(pdf, filename=f"{_('Task sheet')} {task.programme.code} {task.code}.pdf")

    def post(self, request, pk):
        if not request.user.has_perm("reports.add_generatedreport"):
            raise PermissionDenied(_("You may not save reports in the archive."))
        task = sheet_task(request, pk)
        return pdf_download(task_sheet_save(task=task, user=request.user, language=translation.get_language()))


# A PDF of 1,000 tasks runs to some 80 pages and takes about 12 s to draw (docs/benchmarks.md), in the
# background. Longer lists go to the CSV and XLSX exports, which stream any number of rows.
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
    url = list_url("task_list", **{name: params.getlist(name) for name in sorted(known & set(params))})
    return url if len(url) <= MAX_URL_REDIRECT_LENGTH else reverse("task_list")


class TaskListPdfView(LoginRequiredMixin, View):
    """`/reports/tasks.pdf?<the filters of /tasks/>`: every task of the filtered list, with its totals.

    The same filters, scope and order as the task list: the user's visible tasks only. Wrong filters
    send the user back to the list, which says what to correct. GET draws a short list and streams it,
    keeping nothing; POST saves it in the archive, and a long list is drawn in the background (the user
    follows it on its page).
    """

    def selection_or_redirect(self, request):
        back_to_the_list = redirect(task_list_url(request.GET))
        selection = queries.task_list_selection(user=request.user, params=request.GET)
        if selection is None:
            return None, back_to_the_list
        count = selection.totals["count"]
        if count > TASK_LIST_PDF_MAX_ROWS:
            messages.error(request, too_many_rows_message(count))
            return None, back_to_the_list
        return selection, None

    def get(self, request):
        selection, refusal = self.selection_or_redirect(request)
        if refusal:
            return refusal
        if drawn_in_background(selection.totals["count"]):
            messages.info(request, too_long_to_wait_message(selection.totals["count"]))
            return redirect(task_list_url(request.GET))
        pdf = task_list_pdf(
            rows=selection.rows,
            totals=selection.totals,
            filters=selection.filters,
            user=request.user,
            language=translation.get_language(),
        )
        return pdf_stream(pdf, filename=f"{_('Task list')} {timezone.localtime():%d-%m-%Y %H%M}.pdf")

    def post(self, request):
        if not request.user.has_perm("reports.add_generatedreport"):
            raise PermissionDenied(_("You may not save reports in the archive."))
        selection, refusal = self.selection_or_redirect(request)
        if refusal:
            return refusal
        language = translation.get_language()
        if drawn_in_background(selection.totals["count"]):
            report_request = report_request_queue(
                kind=ReportKind.TASK_LIST,
                programme=selection.programme,
                parameters={**selection.parameters, "language": language},
                user=request.user,
            )
            return redirect(report_request)
        report = task_list_issue(
            rows=selection.rows,
            totals=selection.totals,
            filters=selection.filters,
            parameters=selection.parameters,
            programme=selection.programme,
            user=request.user,
            language=language,
        )
        return pdf_download(report)


def too_long_to_wait_message(count: int) -> str:
    return _(
        "%(count)s tasks match: a PDF this long is drawn in the background. Press “Save to the archive” and follow "
        "it on its page."
    ) % {"count": number_format(count, force_grouping=True)}


class GeneratedReportDownloadView(LoginRequiredMixin, View):
    """`/reports/<pk>/download/`: a filed report, for those who may see its programme (or who issued it)."""

    def get(self, request, pk):
        report = visible_or_404(GeneratedReport.objects.select_related("programme"), request.user, pk=pk)
        if not report.pdf:
            # A document not issued yet has no file: its page shows where it stands.
            return redirect(report.get_absolute_url())
        return pdf_download(report)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class GeneratedReportAnnexView(LoginRequiredMixin, View):
    """`/reports/<pk>/annex.xlsx`: the annex spreadsheet filed with a report whose lists were too long for its
    PDF (`reports.annex`), for whoever may download the report; 404 for a report without one."""

    def get(self, request, pk):
        report = visible_or_404(GeneratedReport.objects.select_related("programme", "task"), request.user, pk=pk)
        name = report.parameters.get(ANNEX_PARAMETER) if report.pdf else None
        if not name:
            raise Http404("This report has no annex spreadsheet.")
        try:
            stored_file = default_storage.open(name, "rb")
        except FileNotFoundError as missing:
            raise Http404("The annex of this report is missing from the archive.") from missing
        response = FileResponse(stored_file, content_type=XLSX_TYPE)
        return private_download(response, annex_filename(report.download_name()))


# Reports drawn in the background (reports/background.py)


class ReportRequestDetailView(LoginRequiredMixin, TemplateView):
    """`/reports/requests/<pk>/`: where a report drawn in the background stands, then its file.

    Only its requester (and administrators) may open it. While the report is not finished the page
    reloads itself every few seconds (a `<meta http-equiv="refresh">`: no script).
    """

    template_name = "reports/reportrequest_detail.html"
    refresh_seconds = 3

    def get(self, request, pk):
        report_request = visible_or_404(
            ReportRequest.objects.select_related("programme", "report"), request.user, pk=pk
        )
        return self.render_to_response(
            {
                "report_request": report_request,
                "refresh_seconds": None if report_request.is_finished else self.refresh_seconds,
                **request_options(report_request),
                "breadcrumbs": breadcrumbs(
                    GeneratedReport, report_request.get_kind_display(), list_url_name="report_list"
                ),
            }
        )


def request_options(report_request: ReportRequest) -> dict:
    """What the user chose when asking for the report: the as-of day and language, or the list's filters."""
    parameters = report_request.parameters
    options = {"language_name": dict(settings.LANGUAGES).get(parameters.get("language"), "")}
    if "as_of" in parameters:
        options["as_of"] = datetime.date.fromisoformat(parameters["as_of"])
    if "filters" in parameters:
        options["list_url"] = list_url("task_list", **parameters["filters"])
    return options


class ReportRequestRetryView(LoginRequiredMixin, View):
    """`POST /reports/requests/<pk>/retry/`: queue a failed request again, and go back to its page."""

    def post(self, request, pk):
        report_request = visible_or_404(ReportRequest.objects, request.user, pk=pk)
        return redirect(report_request_retry(report_request=report_request))


# Review documents: /reports/documents/<pk>/ and its files and actions.

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_queryset():
    return GeneratedReport.objects.filter(kind=ReportKind.PROGRAMME_REVIEW).exclude(state=DocumentState.SAVED)


class ReviewDocumentDetailView(SaveWithServiceMixin, BaseDetailView):
    """A review document: where it stands, its files, and, while a draft, its text, recipients and signer.

    Ministry staff save the draft here (POST) and submit it; its signer issues it or returns it to draft
    with a note. Outside the Ministry only issued documents of the user's programmes can be opened.
    """

    queryset = document_queryset().select_related(
        "programme", "issuing_agency", "signer__person", "submitted_by", "issued_by", "created_by", "replaces"
    )
    template_name = "reports/review_document_detail.html"
    list_url_name = "report_list"

    def get_context_data(self, **kwargs):
        document = self.object
        user = self.request.user
        may_edit = user.has_perm("reports.draft_document", document)
        if may_edit:
            kwargs.setdefault("form", self.document_form())
        kwargs.setdefault("return_form", DocumentReturnForm())
        context = super().get_context_data(
            may_edit=may_edit,
            may_issue=user.has_perm("reports.issue_document", document),
            may_return=user.has_perm("reports.return_document", document),
            may_correct=user.has_perm("reports.correct_document", document),
            replaced_by=document.replaced_by.order_by("pk"),
            signature=signature_block(document),
            recipients=recipient_lines_in(document),
            **kwargs,
        )
        context["breadcrumbs"] = breadcrumbs(
            GeneratedReport,
            (document.programme.get_absolute_url(), document.programme.code),
            str(document) if document.number else document.get_state_display(),
            list_url_name="report_list",
        )
        return context

    def document_form(self, data=None) -> ReviewDocumentForm:
        parties = programme_queries.programme_parties(programme=self.object.programme)
        return ReviewDocumentForm(data, instance=self.object, parties=parties)

    def post(self, request, *args, **kwargs):
        self.object = document = self.get_object()
        if not request.user.has_perm("reports.draft_document", document):
            raise PermissionDenied(_("Only a draft can be changed, by Ministry staff."))
        form = self.document_form(request.POST)
        saved = form.is_valid() and self.save_or_show_errors(
            form,
            lambda: review_document_update(
                document=document,
                user=request.user,
                data=form.cleaned_data,
                opened_version=form.cleaned_data.get("opened_version"),
            ),
        )
        if not saved:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("The draft was saved."))
        return redirect(saved)


def recipient_lines_in(document: GeneratedReport) -> list[str]:
    with translation.override(document.language):
        return recipient_lines(document)


class ReviewDocumentPreviewView(LoginRequiredMixin, View):
    """`preview.pdf`: the document as it would be issued, marked "DỰ THẢO" on every page; kept nowhere.

    An issued document has no preview: its frozen copy is `issued.pdf`.
    """

    def get(self, request, pk):
        document = visible_or_404(document_queryset(), request.user, pk=pk)
        if document.state == DocumentState.ISSUED:
            return redirect("document_issued_pdf", pk=document.pk)
        pdf, _box = review_document_pdf(document=document, user=request.user)
        return pdf_stream(pdf, filename=f"{_('DRAFT')} {document.download_name()}")


class ReviewDocumentDocxView(LoginRequiredMixin, View):
    """`draft.docx`: the document as a Word file in the same format, for the drafting unit to finish its wording."""

    def get(self, request, pk):
        document = visible_or_404(document_queryset(), request.user, pk=pk)
        response = HttpResponse(review_document_docx(document=document, user=request.user), content_type=DOCX_TYPE)
        return private_download(response, document.download_name().removesuffix(".pdf") + ".docx")


class ReviewDocumentIssuedPdfView(LoginRequiredMixin, View):
    """`issued.pdf`: the frozen copy of an issued document, byte for byte as it was signed."""

    def get(self, request, pk):
        document = visible_or_404(document_queryset().select_related("programme"), request.user, pk=pk)
        if document.state != DocumentState.ISSUED:
            raise Http404(_("This document has not been issued yet."))
        return pdf_download(document)


class DocumentActionView(LoginRequiredMixin, View):
    """A POST that moves a document on (submit, return, issue); the document's page says how it went."""

    permission = ""

    def post(self, request, pk):
        document = visible_or_404(
            document_queryset().select_related("programme", "signer__person", "issuing_agency"), request.user, pk=pk
        )
        if not request.user.has_perm(self.permission, document):
            raise PermissionDenied(self.refusal)
        try:
            response = self.act(document)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("document_detail", pk=document.pk)
        return response or redirect("document_detail", pk=document.pk)


class ReviewDocumentSubmitView(DocumentActionView):
    permission = "reports.draft_document"
    refusal = _("Only a draft can be submitted, by Ministry staff.")

    def act(self, document):
        review_document_submit(document=document, user=self.request.user)
        messages.success(self.request, _("The document was submitted for signature."))


class ReviewDocumentReturnView(DocumentActionView):
    permission = "reports.return_document"
    refusal = _("Only a document waiting for signature can be returned, by its signer or the drafting staff.")

    def act(self, document):
        form = DocumentReturnForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(form.errors["note"])
        review_document_return(document=document, user=self.request.user, note=form.cleaned_data["note"])
        messages.success(self.request, _("The document was returned to draft with your note."))


class ReviewDocumentCorrectView(DocumentActionView):
    """`POST .../correct/`: a new draft that replaces an issued document, which itself stays as it was issued."""

    permission = "reports.correct_document"
    refusal = _("Only Ministry staff correct an issued document, by drafting the one that replaces it.")

    def act(self, document):
        correction = review_document_correct(document=document, user=self.request.user)
        messages.success(
            self.request,
            _("A new draft replaces No. %(number)s: correct it, then submit it.") % {"number": document.number_label},
        )
        return redirect(correction)


class ReviewDocumentIssueView(DocumentActionView):
    permission = "reports.issue_document"
    refusal = _("Only the signer chosen for this document, or an administrator, may issue it.")

    def act(self, document):
        if document.parameters.get("include_tasks") and drawn_in_background(document.programme.tasks.count()):
            report_request = report_request_queue(
                kind=ReportKind.PROGRAMME_REVIEW,
                programme=document.programme,
                parameters={"document": document.pk, "language": document.language},
                user=self.request.user,
            )
            return redirect(report_request)
        try:
            issued = review_document_issue(document=document, user=self.request.user)
        except SigningError as failure:
            raise ValidationError(str(failure)) from failure
        messages.success(self.request, _("Issued as No. %(number)s.") % {"number": issued.number_label})
        return None
