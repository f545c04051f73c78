"""Pages of the tasks app: task and output lists and details, progress reports and their review, outputs."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from coop.history import HistorySource
from coop.roles import ended_agency, ended_agency_message
from coop.views import (
    BaseDetailView,
    BaseListView,
    ObjectPermissionMixin,
    SaveWithServiceMixin,
    breadcrumbs,
    visible_or_404,
)
from tasks import services
from tasks.choices import OUTPUT_STATUSES_OPEN_FOR_EDITS, PENDING_OUTPUT_STATUSES, OutputStatus, ReportStatus
from tasks.filters import OutputFilter, ProgressReportFilter, TaskFilter
from tasks.forms import OutputForm, OutputReviewForm, ProgressReportForm, ProgressReviewForm, TaskAcceptanceForm
from tasks.models import Funding, Output, ProgressDisbursement, ProgressReport, Task, TaskPlace
from tasks.queries import (
    funding_grid,
    latest_approved_report,
    output_rows,
    output_totals,
    programme_periods,
    report_disbursement_rows,
    task_fundings,
    task_periods,
    task_progress_reports,
    task_rows,
    task_totals,
    visible_programme_ids,
    with_places,
)
from tasks.tables import OutputTable, ProgressReportTable, TaskTable


class TaskListView(BaseListView):
    queryset = Task.objects.all()
    filterset_class = TaskFilter
    table_class = TaskTable
    template_name = "tasks/task_list.html"

    def get_queryset(self):
        return task_rows(super().get_queryset(), columns=self.columns_read())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Sums over every filtered row, not only the page on screen; the paginator has counted them already.
        context["totals"] = task_totals(queryset=self.object_list, count=context["table"].paginator.count)
        return context


class TaskDetailView(BaseDetailView):
    queryset = with_places(
        Task.objects.select_related(
            "programme",
            "lead_agency__province",
            "investigator",
            "funded_through",
        )
    )

    def get_context_data(self, **kwargs):
        task = self.object
        user = self.request.user
        reports = list(task_progress_reports(task=task))
        context = super().get_context_data(
            funding=funding_grid(task=task),
            progress_reports=reports,
            # An accepted task's percent comes from its acceptance record, not from a report.
            percent_source=None if task.is_accepted else latest_approved_report(reports),
            reporting_periods=task_periods(task=task, today=timezone.localdate(), reports=reports),
            outputs=Output.objects.visible_to(user)
            .filter(task=task)
            .select_related("submitted_by")
            .order_by("achieved_on", "kind", "name", "pk"),
            linked_programmes=visible_programme_ids(user=user, ids=[task.programme_id, task.funded_through_id]),
            ended_agency_notice=_ended_agency_notice(user),
            **kwargs,
        )
        return context

    def history_sources(self):
        task = self.object
        return [
            *super().history_sources(),
            HistorySource(Funding.history.filter(task_id=task.pk), describe=_describe_funding),
            HistorySource(
                TaskPlace.history.filter(task_id=task.pk).select_related("province"), describe=_describe_place
            ),
            HistorySource(ProgressReport.history.filter(task_id=task.pk), describe=_describe_report),
            HistorySource(
                ProgressDisbursement.history.filter(report__task_id=task.pk).select_related("funding", "report"),
                describe=_describe_disbursement,
            ),
            HistorySource(Output.history.filter(task_id=task.pk), describe=lambda record: record.name),
        ]


class OutputListView(BaseListView):
    """Every output the user may see, whatever its review; the totals count verified ones only, per kind and
    unit, with what is pending beside them. Filtered by status=submitted, the Ministry's review queue."""

    queryset = output_rows()
    filterset_class = OutputFilter
    table_class = OutputTable
    template_name = "tasks/output_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = output_totals(queryset=self.object_list, count=context["table"].paginator.count)
        totals["by_unit"] = [self.linked(row) for row in totals["by_unit"]]
        context["totals"] = totals
        return context

    def linked(self, row) -> dict:
        """A line of the totals with the lists of its verified and of its pending rows (the filters kept)."""
        params = self.request.GET.copy()
        for name in ("page", "_export", "sort"):
            params.pop(name, None)
        params.setlist("kind", [row.kind])
        params["unit"] = row.unit

        def url(statuses) -> str:
            params.setlist("status", statuses)
            return f"{reverse('output_list')}?{params.urlencode()}"

        return {
            "row": row,
            "verified_url": url([OutputStatus.VERIFIED]),
            "pending_url": url(list(PENDING_OUTPUT_STATUSES)),
        }


class OutputDetailView(SaveWithServiceMixin, BaseDetailView):
    """An output as recorded, with its evidence and where its review stands; Ministry staff verify or return it
    here (POST)."""

    queryset = output_rows().select_related("task__lead_agency", "submitted_by", "reviewed_by")

    def get_context_data(self, **kwargs):
        output = self.object
        user = self.request.user
        kwargs.setdefault("review_form", OutputReviewForm())
        context = super().get_context_data(
            linked_programmes=visible_programme_ids(user=user, ids=[output.task.programme_id]),
            may_review=user.has_perm("tasks.review_output", output),
            may_edit=user.has_perm("tasks.change_output", output),
            may_submit=may_submit(user, output),
            **kwargs,
        )
        # Outputs › the task › the output, so that the way back to the task is one click.
        task = output.task
        context["breadcrumbs"].insert(1, (task.get_absolute_url(), task.code))
        return context

    def post(self, request, *args, **kwargs):
        self.object = output = self.get_object()
        if not request.user.has_perm("tasks.review_output", output):
            raise PermissionDenied(
                _("You may not review this output: it is not waiting for verification, or you submitted it.")
            )
        form = OutputReviewForm(request.POST)
        reviewed = form.is_valid() and self.save_or_show_errors(form, lambda: self.review(form))
        if not reviewed:
            return self.render_to_response(self.get_context_data(review_form=form))
        if reviewed.status == OutputStatus.VERIFIED:
            message = _("Verified: the output now counts in the figures.")
        else:
            message = _("Returned to the province with your note.")
        messages.success(request, message)
        return redirect(f"{reverse('output_list')}?status={OutputStatus.SUBMITTED}")

    def review(self, form):
        if form.cleaned_data["decision"] == form.RETURN:
            return services.output_return(
                output=self.object, reviewer=self.request.user, note=form.cleaned_data["note"]
            )
        return services.output_verify(output=self.object, reviewer=self.request.user, note=form.cleaned_data["note"])


def may_submit(user, output) -> bool:
    """Submitting is a change of the output: one the user may change, recorded or returned to them."""
    return output.status in OUTPUT_STATUSES_OPEN_FOR_EDITS and user.has_perm("tasks.change_output", output)


class OutputSubmitView(LoginRequiredMixin, View):
    """Send a recorded or returned output to the Ministry for verification (POST from its page)."""

    def post(self, request, pk: int):
        output = visible_or_404(Output.objects.select_related("task"), request.user, pk=pk)
        if not may_submit(request.user, output):
            raise PermissionDenied(_("This output cannot be submitted: it is waiting for review or verified."))
        try:
            services.output_submit(output=output, author=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The output was submitted to the Ministry for verification."))
        return redirect(output)


class OutputEvidenceView(LoginRequiredMixin, View):
    """An output's evidence file, to whoever may see the output: never from a public address.

    Sent as a download under the name it was uploaded with, with the type its content was checked to be.
    """

    def get(self, request, pk: int):
        output = visible_or_404(Output.objects.all(), request.user, pk=pk)
        if not output.evidence_file:
            raise Http404(_("This output has no evidence file."))
        try:
            handle = output.evidence_file.open("rb")
        except OSError as missing:
            raise Http404(_("The evidence file is missing; ask the administrator.")) from missing
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=output.evidence_original_name or output.evidence_file.name.rsplit("/", 1)[-1],
            content_type=output.evidence_content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


def _ended_agency_notice(user) -> str:
    """Why the buttons to report are missing, for a province's staff whose agency ceased to exist."""
    agency = ended_agency(user)
    if agency is None or not user.has_perm("tasks.add_progressreport"):
        return ""
    return ended_agency_message(agency)


class EndedAgencyRefusalMixin:
    """A refused form says so when the reason is that the user's agency ceased to exist (the 403 page shows it)."""

    def get_permission_denied_message(self):
        agency = ended_agency(self.request.user)
        return ended_agency_message(agency) if agency is not None else super().get_permission_denied_message()


def _describe_funding(record) -> str:
    return f"{record.get_source_display()} {record.year}"


def _describe_place(record) -> str:
    return record.province.name


def _describe_report(record) -> str:
    return record.as_of.strftime("%d/%m/%Y")


def _describe_disbursement(record) -> str:
    """The report's date and the funding row its figure is on ("30/06/2017 · Ngân sách địa phương 2016")."""
    report, funding = record.report, record.funding
    return f"{report.as_of:%d/%m/%Y} · {funding.get_source_display()} {funding.year}"


class TaskFormMixin(EndedAgencyRefusalMixin, SaveWithServiceMixin):
    """A form about one task the user may see (404 otherwise) and may work on (403 otherwise).

    Listed before ObjectPermissionMixin so that its `get_permission_object()` is the one used.
    """

    @cached_property
    def task(self) -> Task:
        return visible_or_404(Task.objects, self.request.user, pk=self.kwargs["task_pk"])

    def get_permission_object(self):
        return self.task

    def get_context_data(self, **kwargs):
        task = self.task
        crumbs = breadcrumbs(Task, (task.get_absolute_url(), task.code), self.page_title)
        return super().get_context_data(task=task, breadcrumbs=crumbs, page_title=self.page_title, **kwargs)


def progress_form_context(form: ProgressReportForm) -> dict:
    """What the department needs beside the progress form: the latest approved report of the task, and the
    task's allocation with what was approved as disbursed so far (from the funding rows the form lists)."""
    return {
        "last_approved": services.latest_approved_progress(form.task),
        "allocated_total": sum(funding.allocated for funding in form.fundings),
        "approved_disbursed_total": sum(funding.disbursed for funding in form.fundings),
    }


class ProgressReportCreateView(TaskFormMixin, ObjectPermissionMixin, FormView):
    permission_required = "tasks.add_progressreport"
    form_class = ProgressReportForm
    template_name = "tasks/progressreport_form.html"

    @property
    def page_title(self):
        return _("New progress report")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "task": self.task,
            "fundings": task_fundings(task=self.task),
            "periods": programme_periods(programme=self.task.programme),
        }

    def get_initial(self):
        """The period a reminder, the home page or the task's periods linked (`?period=`); else none is chosen
        and the report answers for the period its date falls in."""
        linked = self.request.GET.get("period", "")
        period = (
            programme_periods(programme=self.task.programme).filter(pk=linked).first() if linked.isdigit() else None
        )
        return {**super().get_initial(), "period": period.pk} if period else super().get_initial()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **progress_form_context(context["form"])}

    def form_valid(self, form):
        submit = self.request.POST.get("action") == "submit"
        report = self.save_or_show_errors(
            form,
            lambda: services.progress_report_save(
                task=self.task, author=self.request.user, data=form.cleaned_data, submit=submit
            ),
        )
        if report is None:
            return self.form_invalid(form)
        messages.success(self.request, _submitted_or_saved(report))
        return redirect(report)


class ProgressReportEditView(EndedAgencyRefusalMixin, ObjectPermissionMixin, SaveWithServiceMixin, FormView):
    """Correct a draft, or a report returned by the ministry, and submit it again."""

    permission_required = "tasks.change_progressreport"
    form_class = ProgressReportForm
    template_name = "tasks/progressreport_form.html"

    @cached_property
    def report(self) -> ProgressReport:
        return visible_or_404(ProgressReport.objects.select_related("task"), self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.report

    @property
    def page_title(self):
        return _("Correct the progress report")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.report,
            "task": self.report.task,
            "fundings": task_fundings(task=self.report.task),
            "periods": programme_periods(programme=self.report.task.programme),
        }

    def get_context_data(self, **kwargs):
        report = self.report
        crumbs = breadcrumbs(Task, (report.task.get_absolute_url(), report.task.code), report, self.page_title)
        context = super().get_context_data(
            task=report.task, report=report, page_title=self.page_title, breadcrumbs=crumbs, **kwargs
        )
        return {**context, **progress_form_context(context["form"])}

    def form_valid(self, form):
        submit = self.request.POST.get("action") == "submit"
        report = self.save_or_show_errors(
            form,
            lambda: services.progress_report_save(
                task=self.report.task,
                author=self.request.user,
                data=form.cleaned_data,
                submit=submit,
                report=self.report,
                opened_version=form.cleaned_data.get("opened_version"),
            ),
        )
        if report is None:
            return self.form_invalid(form)
        messages.success(self.request, _submitted_or_saved(report))
        return redirect(report)


def _submitted_or_saved(report) -> str:
    if report.status == ReportStatus.SUBMITTED:
        return _("The progress report was submitted to the Ministry for review.")
    return _("The progress report was saved as a draft. Submit it when it is ready.")


class ProgressReportDetailView(SaveWithServiceMixin, BaseDetailView):
    """A report as submitted; ministry staff approve or return it here (POST)."""

    queryset = ProgressReport.objects.select_related("task__lead_agency", "submitted_by", "reviewed_by")
    list_url_name = "progress_report_list"

    def get_context_data(self, **kwargs):
        report = self.object
        user = self.request.user
        kwargs.setdefault("review_form", ProgressReviewForm())
        context = super().get_context_data(
            may_review=user.has_perm("tasks.review_progressreport", report),
            may_edit=user.has_perm("tasks.change_progressreport", report),
            disbursement_rows=report_disbursement_rows(report=report),
            **kwargs,
        )
        context["breadcrumbs"].insert(1, (report.task.get_absolute_url(), report.task.code))
        return context

    def history_sources(self):
        return [
            *super().history_sources(),
            HistorySource(
                ProgressDisbursement.history.filter(report_id=self.object.pk).select_related("funding"),
                describe=lambda record: f"{record.funding.get_source_display()} {record.funding.year}",
            ),
        ]

    def post(self, request, *args, **kwargs):
        self.object = report = self.get_object()
        if not request.user.has_perm("tasks.review_progressreport", report):
            raise PermissionDenied(_("You may not review this report: it is not waiting for review, or it is yours."))
        form = ProgressReviewForm(request.POST)
        reviewed = form.is_valid() and self.save_or_show_errors(form, lambda: self.review(form))
        if not reviewed:
            return self.render_to_response(self.get_context_data(review_form=form))
        if reviewed.status == ReportStatus.APPROVED:
            message = _("Approved: the task now shows %(percent)s%% complete.") % {"percent": reviewed.percent_complete}
        else:
            message = _("Returned to the province with your note.")
        messages.success(request, message)
        return redirect("progress_report_list")

    def review(self, form):
        service = services.progress_report_approve
        if form.cleaned_data["decision"] == form.RETURN:
            service = services.progress_report_return
        return service(report=self.object, reviewer=self.request.user, note=form.cleaned_data["note"])


class ProgressReportListView(BaseListView):
    """The review queue for the ministry; the provinces' own reports, returned ones first in mind."""

    queryset = ProgressReport.objects.select_related("task__lead_agency", "submitted_by", "reviewed_by")
    filterset_class = ProgressReportFilter
    table_class = ProgressReportTable


class TaskAcceptView(TaskFormMixin, ObjectPermissionMixin, FormView):
    """Record a task's acceptance ("nghiệm thu"): it becomes accepted and 100% complete (`services.task_accept`)."""

    permission_required = "tasks.accept_task"
    form_class = TaskAcceptanceForm
    template_name = "tasks/task_accept_form.html"

    @property
    def page_title(self):
        return _("Record the acceptance")

    def form_valid(self, form):
        task = self.save_or_show_errors(
            form,
            lambda: services.task_accept(
                task=self.task,
                accepted_on=form.cleaned_data["accepted_on"],
                decision=form.cleaned_data["acceptance_decision"],
                by=self.request.user,
            ),
        )
        if task is None:
            return self.form_invalid(form)
        messages.success(self.request, _("The acceptance was recorded: the task is now accepted, complete at 100%."))
        return redirect(task)


def _output_saved(output) -> str:
    if output.status == OutputStatus.SUBMITTED:
        return _("The output was submitted to the Ministry for verification.")
    return _("The output was recorded. It counts in the figures once submitted and verified by the Ministry.")


class OutputCreateView(TaskFormMixin, ObjectPermissionMixin, FormView):
    permission_required = "tasks.add_output"
    form_class = OutputForm
    template_name = "tasks/output_form.html"

    @property
    def page_title(self):
        return _("New output")

    def form_valid(self, form):
        output = self.save_or_show_errors(
            form,
            lambda: services.output_record(
                task=self.task,
                author=self.request.user,
                data=form.cleaned_data,
                submit=self.request.POST.get("action") == "submit",
            ),
        )
        if output is None:
            return self.form_invalid(form)
        messages.success(self.request, _output_saved(output))
        return redirect(output)


class OutputEditView(EndedAgencyRefusalMixin, ObjectPermissionMixin, SaveWithServiceMixin, FormView):
    permission_required = "tasks.change_output"
    form_class = OutputForm
    template_name = "tasks/output_form.html"

    @cached_property
    def output(self) -> Output:
        return visible_or_404(Output.objects.select_related("task"), self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.output

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.output}

    def get_context_data(self, **kwargs):
        title = _("Edit the output")
        crumbs = breadcrumbs(Output, self.output, title)
        return super().get_context_data(
            task=self.output.task, output=self.output, page_title=title, breadcrumbs=crumbs, **kwargs
        )

    def form_valid(self, form):
        output = self.save_or_show_errors(
            form,
            lambda: services.output_update(
                output=self.output,
                author=self.request.user,
                data=form.cleaned_data,
                opened_version=form.cleaned_data.get("opened_version"),
                submit=self.request.POST.get("action") == "submit",
            ),
        )
        if output is None:
            return self.form_invalid(form)
        messages.success(self.request, _output_saved(output))
        return redirect(output)
