"""Admin of S&T tasks, their funding, progress reports and outputs."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from coop.admin import FoldedSearchAdminMixin, PreloadedInlineMixin, year_column
from coop.formatting import format_vnd
from tasks import services
from tasks.models import Funding, Output, ProgressDisbursement, ProgressReport, Task, TaskPlace


class TaskPlaceInline(PreloadedInlineMixin, admin.TabularInline):
    """Where the task is carried out: one row per province, the commune(s) optional."""

    model = TaskPlace
    fields = ("province", "commune")
    autocomplete_fields = ("province",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("province")


class FundingInline(PreloadedInlineMixin, admin.TabularInline):
    """Saved by `TaskAdmin.save_formset` through the funding service, which sums the task's funding again."""

    model = Funding
    fields = ("year", "source", "allocated", "disbursed")
    extra = 0


class ProgressReportInline(PreloadedInlineMixin, admin.TabularInline):
    """Read-only here: a report's review (reviewer, time, reason for a return) is edited on its own page.

    Editing the status in a row without the reviewer fields would break the rule that
    an approved or returned report names who reviewed it.
    """

    model = ProgressReport
    fields = ("as_of", "percent_complete", "status", "submitted_by", "reviewed_by")
    readonly_fields = fields
    show_change_link = True
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submitted_by", "reviewed_by")


class ProgressDisbursementInline(PreloadedInlineMixin, admin.TabularInline):
    """Read-only here: the figures per funding row are written by the province's form through the service,
    which keeps the report's total (`disbursed_to_date`) their sum."""

    model = ProgressDisbursement
    fields = ("funding", "disbursed_to_date")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("funding__task")


class OutputInline(PreloadedInlineMixin, admin.TabularInline):
    """The main columns only; description, location, evidence and review are on the output's own page."""

    model = Output
    fields = ("kind", "name", "quantity", "unit", "achieved_on", "status")
    readonly_fields = ("status",)
    show_change_link = True
    extra = 0


@admin.register(Task)
class TaskAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    """`percent complete` is read-only: it comes from the acceptance record or the latest approved progress
    report (`services.task_save`, through which every save here goes)."""

    list_display = (
        "code",
        "title",
        "programme",
        "lead_agency",
        "field",
        "level",
        "status",
        "start_on",
        "end_on",
        "percent_complete",
    )
    list_display_links = ("code", "title")
    list_filter = (
        "status",
        "field",
        "level",
        ("programme", admin.RelatedOnlyFieldListFilter),
        ("funded_through", admin.RelatedOnlyFieldListFilter),
        ("places__province", admin.RelatedOnlyFieldListFilter),
        ("lead_agency__province", admin.RelatedOnlyFieldListFilter),
        ("lead_agency", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("programme", "lead_agency")
    date_hierarchy = "start_on"
    search_fields = ("code", "title")
    autocomplete_fields = ("programme", "lead_agency", "investigator", "funded_through")
    fieldsets = (
        (None, {"fields": ("programme", "code", "title", "field", "level", "funded_through")}),
        (_("Execution"), {"fields": ("lead_agency", "investigator", "location", "start_on", "end_on")}),
        (_("Progress"), {"fields": ("status", "percent_complete")}),
        (
            _("Acceptance (nghiệm thu)"),
            {"fields": ("accepted_on", "acceptance_decision", "acceptance_backfilled")},
        ),
    )
    readonly_fields = ("percent_complete", "acceptance_backfilled")
    inlines = (TaskPlaceInline, FundingInline, ProgressReportInline, OutputInline)

    def save_model(self, request, obj, form, change):
        # A number entered confirms a record the data migration had created without one.
        if obj.acceptance_decision:
            obj.acceptance_backfilled = False
        services.task_save(task=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Funding:
            super().save_formset(request, form, formset, change)
            return
        # The rows added, changed and deleted, written together by the service that keeps the task's sums.
        saved = formset.save(commit=False)
        services.funding_save_many(saved=saved, deleted=formset.deleted_objects)
        formset.save_m2m()


@admin.register(Funding)
class FundingAdmin(SimpleHistoryAdmin):
    """Every write goes through the funding services, which sum the task's funding again (a revert too)."""

    list_display = ("task", "source", "funding_year_column", "allocated_column", "disbursed_column")
    list_filter = ("source", "year", ("task__programme", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("task",)
    search_fields = ("task__code", "task__title")
    autocomplete_fields = ("task",)
    fields = ("task", "source", "year", "allocated", "disbursed")

    funding_year_column = year_column(Funding, "year")

    @admin.display(description=_("allocated (VND)"), ordering="allocated")
    def allocated_column(self, obj):
        return format_vnd(obj.allocated)

    @admin.display(description=_("disbursed (VND)"), ordering="disbursed")
    def disbursed_column(self, obj):
        return format_vnd(obj.disbursed)

    def save_model(self, request, obj, form, change):
        services.funding_save(funding=obj)

    def delete_model(self, request, obj):
        services.funding_delete(funding=obj)

    def delete_queryset(self, request, queryset):
        services.funding_delete_many(fundings=queryset)


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    """Changes here bypass the review workflow: nobody is e-mailed and the task's percent is not updated."""

    list_display = (
        "task",
        "as_of",
        "percent_complete",
        "disbursed_to_date_column",
        "status",
        "submitted_by",
        "reviewed_by",
    )
    list_filter = ("status", ("task__programme", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("task", "submitted_by", "reviewed_by")
    date_hierarchy = "as_of"
    search_fields = ("task__code", "task__title")
    autocomplete_fields = ("task", "submitted_by", "reviewed_by")
    readonly_fields = ("disbursed_to_date",)
    inlines = (ProgressDisbursementInline,)
    fieldsets = (
        (None, {"fields": ("task", "as_of", "percent_complete", "disbursed_to_date")}),
        (_("Content of the report"), {"fields": ("summary", "problems", "next_steps")}),
        (
            _("Submission and review"),
            {"fields": ("status", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "review_note")},
        ),
    )

    @admin.display(description=_("disbursed to date (VND)"), ordering="disbursed_to_date")
    def disbursed_to_date_column(self, obj):
        return format_vnd(obj.disbursed_to_date) or None


@admin.register(Output)
class OutputAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    """Changes here bypass the review workflow: nobody is e-mailed; the constraints still hold."""

    list_display = ("name", "kind", "quantity", "unit", "task", "achieved_on", "status")
    list_filter = (
        "status",
        "kind",
        ("task__programme", admin.RelatedOnlyFieldListFilter),
        ("task__lead_agency__province", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("task",)
    date_hierarchy = "achieved_on"
    search_fields = ("name",)
    autocomplete_fields = ("task", "submitted_by", "reviewed_by")
    fieldsets = (
        (None, {"fields": ("task", "kind", "name", "description", "quantity", "unit", "achieved_on", "location")}),
        (_("Evidence"), {"fields": ("evidence_number", "evidence_date", "evidence_file")}),
        (
            _("Submission and review"),
            {"fields": ("status", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "review_note")},
        ),
    )
