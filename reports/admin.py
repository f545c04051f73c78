"""Admin of the archive of issued PDF reports."""

from django.contrib import admin

from reports.models import GeneratedReport


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
