"""Admin of the open data downloads: listed for administrators, made only by `manage.py export_open_data`."""

from django.contrib import admin

from opendata.models import OpenDataDump


@admin.register(OpenDataDump)
class OpenDataDumpAdmin(admin.ModelAdmin):
    """Read only: a download is the file the command wrote, with its checksum. One may be deleted (a download
    made by mistake), and its file with it."""

    list_display = ("created_at", "file", "size", "sha256")
    date_hierarchy = "created_at"
    fields = ("created_at", "file", "size", "sha256", "row_counts")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        storage, name = obj.file.storage, obj.file.name
        super().delete_model(request, obj)
        storage.delete(name)

    def delete_queryset(self, request, queryset):
        files = [(dump.file.storage, dump.file.name) for dump in queryset]
        super().delete_queryset(request, queryset)
        for storage, name in files:
            storage.delete(name)
