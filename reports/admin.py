"""Admin of the archive of issued PDF reports and of the reports drawn in the background."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.choices import DocumentState
from reports.models import DocumentRegister, GeneratedReport, ReportRequest


@admin.register(GeneratedReport)
class GeneratedReportAdmin(SimpleHistoryAdmin):
    """Read-mostly: the archive must keep the exact copy that was issued or saved.

    Documents are drafted, issued and numbered by the application, which computes the checksum and
    the page count of the PDF it wrote; an upload here would be an unchecked copy, so adding is
    refused, and nothing of an issued document can be changed (a correction is a new document that
    names the one it replaces). The description of a saved copy (kind, programme, parameters) stays
    editable to correct a mislabelled entry, and a wrong one may be deleted; an issued one may not.
    """

    list_display = ("created_at", "number_label", "kind", "state", "programme", "signer", "page_count")
    list_filter = ("kind", "state", ("programme", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("programme", "signer")
    date_hierarchy = "created_at"
    search_fields = ("sha256", "programme__code", "programme__title", "symbol")
    autocomplete_fields = ("programme",)
    fields = (
        "kind",
        "state",
        "programme",
        "task",
        "as_of",
        "language",
        "parameters",
        "number",
        "symbol",
        "register_year",
        "issuing_agency",
        "signer",
        "signing_authority",
        "issued_by",
        "issued_at",
        "digitally_signed",
        "replaces",
        "created_by",
        "created_at",
        "pdf",
        "sha256",
        "page_count",
    )
    # The description a mislabelled saved copy may need corrected; everything else is the application's.
    readonly_fields = tuple(name for name in fields if name not in ("kind", "programme", "parameters"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        frozen = obj is not None and obj.state == DocumentState.ISSUED
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        frozen = obj is not None and obj.state == DocumentState.ISSUED
        return not frozen and super().has_delete_permission(request, obj)


@admin.register(DocumentRegister)
class DocumentRegisterAdmin(admin.ModelAdmin):
    """The registers of outgoing documents: read only, their numbers are given by issuing."""

    list_display = ("agency", "year", "symbol", "last_number")
    list_filter = ("year",)
    readonly_fields = ("agency", "year", "symbol", "last_number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportRequest)
class ReportRequestAdmin(admin.ModelAdmin):
    """Reports asked for and drawn in the background, to see what failed and why (read only).

    Requests come from the report pages, which queue the job that draws them; the job itself
    (with the traceback of a failure) is under "Tasks Database Backend", by its id.
    """

    list_display = ("requested_at", "kind", "programme", "requested_by", "status", "progress", "finished_at")
    list_filter = ("status", "kind")
    list_select_related = ("programme", "requested_by")
    date_hierarchy = "requested_at"
    search_fields = ("programme__code", "programme__title", "requested_by__username", "task_result_id")
    readonly_fields = [field.name for field in ReportRequest._meta.fields if field.name != "id"]

    def has_add_permission(self, request):
        return False
