"""Pages of spreadsheet imports: `/imports/` (templates, upload), a file's preview and its confirmation."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from coop.exports import export_filename
from imports import background, services
from imports.choices import PROVINCE_KINDS, ImportKind, ImportStatus, RowAction
from imports.forms import ImportConfirmForm, ImportUploadForm, importable_kinds
from imports.kinds import KINDS
from imports.models import ImportBatch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_PAGE = 100
RECENT_IMPORTS = 20
# How often the page of a file being checked or written in the background reloads itself.
REFRESH_SECONDS = 2


def kind_or_404(kind: str, user):
    if kind not in KINDS:
        raise Http404
    if not KINDS[kind].may_import(user):
        raise PermissionDenied
    return KINDS[kind]


class ImportMixin(LoginRequiredMixin):
    """Import pages are for users who may import some kind (Ministry staff, provincial departments)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not importable_kinds(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportView(ImportMixin, TemplateView):
    """The templates to download, the form to upload a file, and the user's recent imports."""

    template_name = "imports/import_list.html"

    def post(self, request, *args, **kwargs):
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        batch = services.import_batch_upload(
            kind=form.cleaned_data["kind"], file=form.cleaned_data["file"], user=request.user, language=get_language()
        )
        background.check_now_or_later(batch)
        return redirect(batch)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        kinds = importable_kinds(user)
        context.update(
            form=kwargs.get("form") or ImportUploadForm(user=user, initial={"kind": self.request.GET.get("kind")}),
            kinds=[(name, label, ImportKind(name) in PROVINCE_KINDS) for name, label in kinds],
            batches=ImportBatch.objects.visible_to(user).select_related("uploaded_by")[:RECENT_IMPORTS],
            breadcrumbs=[(None, _("Import from Excel"))],
        )
        return context


class ImportTemplateView(ImportMixin, View):
    """The XLSX template of a kind, made for the user (the drop-down lists hold what they may name)."""

    def get(self, request, kind):
        from imports.workbook import template_workbook  # here, not at start: see coop/xlsx.py

        workbook = template_workbook(kind_or_404(kind, request.user), user=request.user)
        return FileResponse(workbook, as_attachment=True, filename=_filename(_("template"), kind), content_type=XLSX)


class ImportDataView(ImportMixin, View):
    """The user's records of a kind in the template's layout: edited in Excel and imported back."""

    def get(self, request, kind):
        from imports.workbook import data_workbook  # here, not at start: see coop/xlsx.py

        import_kind = kind_or_404(kind, request.user)
        records = import_kind.records(request.user).iterator(chunk_size=2000)
        workbook = data_workbook(import_kind, records, user=request.user)
        return FileResponse(workbook, as_attachment=True, filename=_filename(_("data"), kind), content_type=XLSX)


def _filename(prefix: str, kind: str) -> str:
    return export_filename(f"{prefix} {KINDS[kind].sheet_title}", "xlsx")


class ImportDetailView(ImportMixin, TemplateView):
    """A file's preview: what confirming would do with each row, errors first; its progress while it is worked on."""

    template_name = "imports/import_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = get_object_or_404(ImportBatch.objects.visible_to(self.request.user), pk=kwargs["pk"])
        action = self.request.GET.get("action")
        rows = batch.rows.order_by("number")
        if action in RowAction.values:
            rows = rows.filter(action=action)
        elif batch.counts.get(RowAction.ERROR):
            action = RowAction.ERROR
            rows = rows.filter(action=action)
        else:
            rows = rows.exclude(action=RowAction.UNCHANGED)
        page = Paginator(rows, ROWS_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            batch=batch,
            page=page,
            action=action,
            actions=[(value, label, batch.counts.get(value, 0)) for value, label in RowAction.choices],
            confirm_form=ImportConfirmForm(),
            asks_about_review=ImportKind(batch.kind) in PROVINCE_KINDS,
            refresh_seconds=None if batch.is_finished else REFRESH_SECONDS,
            may_recheck=batch.status in (ImportStatus.CHECKED, ImportStatus.INVALID, ImportStatus.FAILED),
            may_cancel=batch.status in (ImportStatus.CHECKED, ImportStatus.INVALID, ImportStatus.FAILED),
            breadcrumbs=[(reverse("imports"), _("Import from Excel")), (None, batch.original_name)],
        )
        return context


class BatchActionView(ImportMixin, View):
    """A POST on one of the user's files; a refusal is shown on the file's page, never as an error page."""

    def post(self, request, pk):
        batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
        try:
            self.act(batch)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(batch)


class ImportConfirmView(BatchActionView):
    def act(self, batch):
        form = ImportConfirmForm(self.request.POST)
        form.is_valid()
        batch = services.import_batch_confirm(
            batch=batch, user=self.request.user, submit_for_review=form.cleaned_data.get("submit_for_review", False)
        )
        batch = background.apply_now_or_later(batch)
        if batch.status == ImportStatus.APPLIED:
            messages.success(self.request, _("The file was imported."))


class ImportRecheckView(BatchActionView):
    def act(self, batch):
        background.check_now_or_later(services.import_batch_recheck(batch=batch, user=self.request.user))


class ImportCancelView(BatchActionView):
    def act(self, batch):
        services.import_batch_cancel(batch=batch, user=self.request.user)
