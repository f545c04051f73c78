"""The baseline of the list benchmark: Django's admin change list of each list, with the same columns.

The project's own admin (`/admin/`) carries list filters, a date hierarchy and more columns than the
pages show, which makes it slow and an easy baseline. The admins here show what the list pages show
by default (`Meta.default_columns`), with the same related rows joined and the same search (the
folded `search_text`, word by word, as the lists' `?q=`), and nothing else: no list filters, no date
hierarchy, no actions. Sorting is the model's default order, as on the lists.

The benchmark serves them beside the application: `URLCONF` is the application's URLconf plus
`plain-admin/`.
"""

from django.contrib import admin
from django.urls import path

from coop.urls import urlpatterns as application_urlpatterns
from programmes.models import Agency, Meeting, Programme
from programmes.queries import meeting_list_rows, programme_list_rows
from tasks.models import Output, ProgressReport, Task

site = admin.AdminSite(name="plain_admin")


class PlainAdmin(admin.ModelAdmin):
    """100 rows a page, as the benchmark asks of the lists; the exact count of rows, as the lists show."""

    list_per_page = 100
    actions = None
    search_fields = ("search_text",)
    show_full_result_count = False


@admin.register(Task, site=site)
class PlainTaskAdmin(PlainAdmin):
    list_display = (
        "code",
        "title",
        "status",
        "start_on",
        "end_on",
        "ministry_funding",
        "total_funding",
        "percent_complete",
    )
    list_display_links = ("code", "title")
    # Its columns are the task's own, as the list's default ones: neither joins a related row (`task_rows`).


@admin.register(Output, site=site)
class PlainOutputAdmin(PlainAdmin):
    list_display = ("name", "kind", "quantity", "unit", "task", "province", "achieved_on", "status")
    list_select_related = ("task__programme", "task__lead_agency__province")

    @admin.display(description="province")
    def province(self, output):
        return output.task.lead_agency.province


@admin.register(ProgressReport, site=site)
class PlainProgressReportAdmin(PlainAdmin):
    list_display = ("as_of", "task", "task_title", "lead_agency", "percent_complete", "status", "submitted_at")
    list_select_related = ("task__lead_agency", "submitted_by", "reviewed_by")
    search_fields = ("task__search_text",)

    @admin.display(description="task title")
    def task_title(self, report):
        return report.task.title

    @admin.display(description="lead agency")
    def lead_agency(self, report):
        return report.task.lead_agency


@admin.register(Programme, site=site)
class PlainProgrammeAdmin(PlainAdmin):
    """The list's own rows (`programme_list_rows`): the province-side parties, the count of tasks and their funding."""

    list_display = ("code", "title", "parties", "start_year", "end_year", "status", "task_count", "ministry_funding")
    list_display_links = ("code", "title")

    def get_queryset(self, request):
        return programme_list_rows()

    @admin.display(description="province side")
    def parties(self, programme):
        return ", ".join(str(party.agency) for party in programme.province_parties)

    @admin.display(description="tasks")
    def task_count(self, programme):
        return programme.task_count

    @admin.display(description="ministry funding")
    def ministry_funding(self, programme):
        return programme.ministry_funding


@admin.register(Meeting, site=site)
class PlainMeetingAdmin(PlainAdmin):
    """The list's own rows (`meeting_list_rows`): the programme, and the counts of attendees and recommendations."""

    list_display = ("held_on", "title", "programme", "kind", "place", "attendee_count", "recommendation_count")
    list_display_links = ("title",)

    def get_queryset(self, request):
        return meeting_list_rows()

    @admin.display(description="attendees")
    def attendee_count(self, meeting):
        return meeting.attendee_count

    @admin.display(description="recommendations")
    def recommendation_count(self, meeting):
        return meeting.recommendation_count


@admin.register(Agency, site=site)
class PlainAgencyAdmin(PlainAdmin):
    list_display = ("name", "short_name", "kind", "province", "parent", "valid_to")
    list_select_related = ("province", "parent")


urlpatterns = [*application_urlpatterns, path("plain-admin/", site.urls)]
