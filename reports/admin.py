"""Admin of the archive of issued PDF reports and of the reports drawn in the background."""

from django.contrib import admin

from reports.models import GeneratedReport, ReportRequest


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    """Read-mostly: the archive must keep the exact copy that was issued.

    Reports are issued by the application, which computes the checksum and the page
    count of the PDF it wrote; an upload here would be an unchecked copy, so adding is
    refused and the file itself cannot be replaced. The description (kind, programme,
    parameters) stays editable to correct a mislabelled entry, and a wrong one may be deleted.
    """

    list_display = ("created_at", "kind", "programme", "created_by", "page_count")
    list_filter = ("kind", ("programme", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("programme", "created_by")
    date_hierarchy = "created_at"
    search_fields = ("sha256", "programme__code", "programme__title")
    autocomplete_fields = ("programme",)
    fields = ("kind", "programme", "parameters", "created_by", "created_at", "pdf", "sha256", "page_count")
    readonly_fields = ("created_by", "created_at", "pdf", "sha256", "page_count")

    def has_add_permission(self, request):
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
