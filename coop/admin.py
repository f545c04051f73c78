"""The admin of the user, their API keys and notifications, and the admin pieces every app shares."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from coop.api_tokens import api_token_revoke
from coop.models import ApiToken, ExportRequest, Notification, SentReminder, User
from coop.search import filter_by_words

SEARCH_HELP_TEXT = _('Diacritics and case do not matter: "thai binh" finds "Thái Bình".')


class FoldedSearchAdminMixin:
    """Searches the folded `search_text` column, so that admins can type without diacritics.

    Django only shows the search box when `search_fields` is not empty; the model
    admin lists its fields there, but the words are matched against `search_text`,
    which the autocomplete widgets pointing at the model use as well.
    """

    search_help_text = SEARCH_HELP_TEXT

    def get_search_results(self, request, queryset, search_term):
        # A filter on the row's own column cannot duplicate rows.
        return filter_by_words(queryset, search_term), False


def year_column(model, field_name: str):
    """A changelist column for a year: with thousand separators on, Django would print 2016 as "2.016".

    Assign it to a model admin attribute and name that attribute in `list_display`.
    """

    @admin.display(description=model._meta.get_field(field_name).verbose_name, ordering=field_name)
    def column(model_admin, obj):
        value = getattr(obj, field_name)
        return None if value is None else str(value)

    return column


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its current value from an object the page has already loaded.

    Django's widget runs one query per rendered widget to find that label, so an
    inline of fifty rows would run fifty queries for each autocomplete column.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        obj = self.preloaded
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        # A re-rendered form with another value typed in still needs Django's lookup.
        if obj is None or selected != {str(obj.pk)}:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(obj)
        options.append(self.create_option(name, obj.pk, label, True, len(options)))
        return [(None, options, 0)]


class PreloadedInlineFormSet(BaseInlineFormSet):
    """Hands each row's already-loaded related objects to its widgets and its `__str__`."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django sets only the parent's id on each row, so a `__str__` that reads the
        # parent (e.g. `Funding`: "… – task code") would query it once per row.
        setattr(form.instance, self.fk.name, self.instance)
        if form.instance.pk is None:
            return
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # unwrap the add/change links
            if isinstance(widget, PreloadedAutocompleteSelect):
                model_field = form.instance._meta.get_field(name)
                if model_field.is_cached(form.instance):
                    widget.preloaded = getattr(form.instance, name)


class PreloadedInlineMixin:
    """For inlines: render every row without a query per row.

    The inline's `get_queryset()` must `select_related()` the foreign keys it shows
    (its autocomplete and read-only fields); the formset passes those objects on.
    """

    formset = PreloadedInlineFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, plus the agency that decides what a provincial user may see."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "agency", "person")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "agency")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "agency", "is_staff", "is_active")
    list_filter = (
        "is_staff",
        "is_superuser",
        "is_active",
        "groups",
        ("agency__province", admin.RelatedOnlyFieldListFilter),
        ("agency", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("agency",)
    search_fields = ("username", "first_name", "last_name", "email", "agency__name", "agency__short_name")
    # The person a leader is among the records: documents they sign show that person's name and position.
    autocomplete_fields = ("agency", "person")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What users were told, to see whether an e-mail went out (read only: notifications come from events).

    Deleting a pending notification stops its e-mail.
    """

    list_display = ("created_at", "recipient", "kind", "subject", "read_at", "email_status", "emailed_at")
    list_filter = ("kind", "email_status")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    search_fields = ("subject", "recipient__username", "recipient__last_name", "recipient__first_name")
    readonly_fields = [field.name for field in Notification._meta.fields if field.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """The ledger of reminders sent (read only): a row deleted would let its reminder go out a second time."""

    list_display = ("created_at", "recipient", "kind", "item_type", "item_id", "occasion", "notification")
    list_filter = ("kind", "notification__email_status")
    list_select_related = ("recipient", "item_type", "notification")
    date_hierarchy = "created_at"
    search_fields = ("occasion", "recipient__username", "recipient__last_name", "recipient__first_name")
    readonly_fields = [field.name for field in SentReminder._meta.fields if field.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every user's API keys, to see which are in use and to revoke one (a key is made by its user, on their
    profile page, and shown to them alone; only its SHA-256 is kept)."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username", "user__last_name", "user__first_name")
    readonly_fields = [field.name for field in ApiToken._meta.fields if field.name != "id"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected API keys"), permissions=["delete"])
    def revoke(self, request, queryset):
        for token in queryset.active():
            api_token_revoke(token=token)
        self.message_user(request, _("The selected API keys were revoked."))


@admin.register(ExportRequest)
class ExportRequestAdmin(admin.ModelAdmin):
    """Long exports written in the background, to see what failed and why (read only).

    Requests come from the lists' export buttons, which queue the job that writes them; the job itself (with
    the traceback of a failure) is under "Tasks Database Backend", by its id. The file is the requester's
    alone: it is downloaded from the requester's own page, not from here.
    """

    list_display = ("requested_at", "title", "export_format", "requested_by", "status", "row_count", "finished_at")
    list_filter = ("status", "export_format")
    list_select_related = ("requested_by",)
    date_hierarchy = "requested_at"
    search_fields = ("title", "list_name", "requested_by__username", "task_result_id")
    exclude = ("file",)
    readonly_fields = [field.name for field in ExportRequest._meta.fields if field.name not in ("id", "file")]

    def has_add_permission(self, request):
        return False
