"""Admin of provinces, agencies, people, programmes and meetings."""

from django.contrib import admin
from django.db import models
from django.forms import Textarea
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from coop.admin import FoldedSearchAdminMixin, PreloadedInlineMixin, year_column
from programmes.models import (
    Agency,
    Attachment,
    Attendance,
    Meeting,
    Person,
    Programme,
    ProgrammeParty,
    Province,
    Recommendation,
    ReportingPeriod,
    Target,
)

# Long texts in table rows: a few lines each, so a meeting's recommendations fit on a screen.
COMPACT_TEXT = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 40})}}


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    """Provinces are never renamed: a merger sets `valid to` and a successor on the old row."""

    list_display = ("code", "name", "valid_from", "valid_to", "successor")
    list_display_links = ("code", "name")
    list_filter = (("valid_to", admin.EmptyFieldListFilter),)
    list_select_related = ("successor",)
    search_fields = ("name", "code")
    autocomplete_fields = ("successor",)


@admin.register(Agency)
class AgencyAdmin(FoldedSearchAdminMixin, admin.ModelAdmin):
    """Agencies are never renamed either: a merger sets `valid to` and a successor."""

    list_display = ("name", "short_name", "kind", "province", "parent", "valid_to", "successor")
    list_filter = (
        "kind",
        ("province", admin.RelatedOnlyFieldListFilter),
        ("valid_to", admin.EmptyFieldListFilter),
    )
    list_select_related = ("province", "parent", "successor")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("parent", "province", "successor")
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "parent", "province")}),
        (_("Validity and successor"), {"fields": ("valid_to", "successor")}),
    )


@admin.register(Person)
class PersonAdmin(FoldedSearchAdminMixin, admin.ModelAdmin):
    list_display = ("full_name", "position", "agency")
    list_filter = (
        ("agency__province", admin.RelatedOnlyFieldListFilter),
        ("agency", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("agency",)
    search_fields = ("full_name", "position")
    autocomplete_fields = ("agency",)


class ProgrammePartyInline(PreloadedInlineMixin, admin.TabularInline):
    model = ProgrammeParty
    fields = ("agency", "role", "representative")
    autocomplete_fields = ("agency", "representative")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency", "representative")


class TargetInline(PreloadedInlineMixin, admin.TabularInline):
    model = Target
    fields = ("metric", "value", "note")
    extra = 0


class ReportingPeriodInline(admin.TabularInline):
    """The periods of the programme's reporting schedule; `/programmes/<pk>/reporting-schedule/` draws them by rule."""

    model = ReportingPeriod
    fields = ("starts_on", "ends_on", "due_on", "is_final")
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    """Parties and targets are edited on the programme's own page; its search text includes the parties."""

    list_display = (
        "code",
        "title",
        "kind",
        "start_year_column",
        "end_year_column",
        "orientation_year_column",
        "status",
    )
    list_display_links = ("code", "title")
    list_filter = ("kind", "status", "start_year", "end_year")
    search_fields = ("code", "title")
    autocomplete_fields = ("previous_phase",)
    fieldsets = (
        (None, {"fields": ("code", "title", "kind", "status", "previous_phase")}),
        (_("Period"), {"fields": ("start_year", "end_year", "orientation_year", "signed_on")}),
        (_("Objectives and legal basis"), {"fields": ("objectives", "legal_basis")}),
        (
            _("Reporting schedule"),
            {
                "fields": (
                    "reporting_frequency",
                    "reporting_due_day",
                    "reporting_due_months_after",
                    "reminder_days_before",
                )
            },
        ),
    )
    inlines = (ProgrammePartyInline, TargetInline, ReportingPeriodInline)

    start_year_column = year_column(Programme, "start_year")
    end_year_column = year_column(Programme, "end_year")
    orientation_year_column = year_column(Programme, "orientation_year")


class AttendanceInline(PreloadedInlineMixin, admin.TabularInline):
    model = Attendance
    fields = ("person", "role")
    autocomplete_fields = ("person",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class RecommendationInline(PreloadedInlineMixin, admin.TabularInline):
    model = Recommendation
    fields = ("text", "raised_by", "addressed_to", "due_on", "status", "follow_up")
    autocomplete_fields = ("raised_by", "addressed_to")
    formfield_overrides = COMPACT_TEXT
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("raised_by", "addressed_to")


class AttachmentInline(PreloadedInlineMixin, admin.TabularInline):
    model = Attachment
    fields = ("title", "file", "original_name")
    readonly_fields = ("original_name",)
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    """Attendance, recommendations and attachments are edited on the meeting's own page."""

    list_display = ("held_on", "title", "programme", "kind", "place")
    list_display_links = ("held_on", "title")
    list_filter = ("kind", ("programme", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("programme",)
    date_hierarchy = "held_on"
    search_fields = ("title", "place")
    autocomplete_fields = ("programme",)
    fields = ("programme", "held_on", "place", "kind", "title", "summary", "conclusions")
    inlines = (AttendanceInline, RecommendationInline, AttachmentInline)


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    """Its own list, so that open recommendations can be followed up by whom they are addressed to."""

    list_display = ("__str__", "meeting", "raised_by", "addressed_to", "due_on", "status")
    list_filter = (
        "status",
        ("addressed_to", admin.RelatedOnlyFieldListFilter),
        ("raised_by", admin.RelatedOnlyFieldListFilter),
        ("meeting__programme", admin.RelatedOnlyFieldListFilter),
        "due_on",
    )
    list_select_related = ("meeting", "raised_by", "addressed_to")
    search_fields = ("text", "follow_up")
    autocomplete_fields = ("meeting", "raised_by", "addressed_to")
    fields = ("meeting", "text", "raised_by", "addressed_to", "due_on", "status", "follow_up")
