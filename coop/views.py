"""The two generic views every page builds on: a filtered, sortable, exportable list and a detail page;
and the pages of the user's own: their notifications and their notification settings.

A concrete list view names its `queryset`, `filterset_class` and `table_class`;
both views narrow the queryset to what the user may see with `visible_to(user)`.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.db.models.sql.where import WhereNode
from django.http import FileResponse, Http404, HttpRequest, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import NoReverseMatch, resolve, reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, RedirectView, TemplateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.rows import BoundRows
from rest_framework.exceptions import ValidationError as DRFValidationError
from rules.contrib.views import PermissionRequiredMixin

from coop.api_tokens import api_token_create, api_token_revoke
from coop.background import export_request_queue, written_in_background
from coop.concurrency import EditConflict
from coop.exports import EXPORT_FORMATS, export_file, export_filename, export_response, filter_conditions
from coop.figure_cache import history_of, kept_for_scope
from coop.filters import AUTOCOMPLETE_LIMIT, choice_pairs, find_rows, is_searchable
from coop.forms import ApiTokenForm, ProfileForm, TableColumnsForm
from coop.history import HistorySource, change_log, changes_since
from coop.lookups import IsAnyOf, IsInScope
from coop.models import ApiToken, ExportRequest, Notification
from coop.notifications import notification_mark_all_read, notification_mark_read
from coop.search import SEARCH_MAX_LENGTH
from coop.services import user_table_columns_reset, user_table_columns_save

PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = PER_PAGE_CHOICES[0]
# django-tables2 would read `per_page` from the request itself, unchecked (`-1` breaks the
# page); the view checks it against PER_PAGE_CHOICES and hides the raw one from the table.
UNREAD_PER_PAGE_FIELD = "_per_page_checked_by_the_view"


class PrimaryKeyFirstPaginator(Paginator):
    """Reads a page of a table in two queries: the primary keys of its rows, then those rows.

    The first query carries only what the filters and the sort need, so a deep page
    (OFFSET 50,000) skips narrow index entries instead of joined rows with their
    annotations, which the database would otherwise compute for every row it skips.
    The second fetches the page's rows with every join and annotation the table shows.
    """

    @cached_property
    def count(self):
        """The number of rows; over every row of a table, or every row the user may see (an unfiltered list),
        kept between requests (`coop.figure_cache`): counting 400,000 progress reports takes longer than
        drawing their page."""
        queryset = getattr(self.object_list.data, "data", None)
        if not isinstance(queryset, QuerySet):
            return super().count
        model = queryset.model
        if history_of(model) is None:
            return super().count  # without history rows, reading the data's version would count the rows too
        return kept_for_scope(
            queryset, name=f"row_count:{model._meta.label}", tables=[model], compute=lambda rows: rows.count()
        )

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        queryset = getattr(rows.data, "data", None)
        if not isinstance(queryset, QuerySet):
            return self._get_page(rows[bottom:top], number, self)
        keys = self.page_keys(queryset, bottom, top)
        by_key = {record.pk: record for record in rows_of_keys(queryset, keys)} if keys else {}
        records = [by_key[key] for key in keys if key in by_key]
        return self._get_page(BoundRows(data=records, table=rows.table), number, self)

    def page_keys(self, queryset: QuerySet, bottom: int, top: int) -> list:
        """The primary keys of the page's rows, in the list's order.

        Of a province's few thousand rows, every key is read, sorted, and the page's taken. Asked for a page
        of them (LIMIT 100), PostgreSQL would walk the sort's index and test each row against the scope's
        list of ids (`visible_to`), whose size it cannot guess: 12 ms against 2 for the sort. Rows not
        narrowed to a scope (the Ministry's) come from the sort's index, a page at a time.
        """
        if self.count <= EVERY_KEY_READ_UP_TO and is_narrowed_to_a_scope(queryset):
            return every_key_in_order(queryset)[bottom:top]
        return list(queryset.values_list("pk", flat=True)[bottom:top])


# The most rows whose keys a page reads all of (`PrimaryKeyFirstPaginator.page_keys`): a province's lists, whose
# largest (the progress reports of a province's busiest department) holds about 10,000.
EVERY_KEY_READ_UP_TO = 20_000


def is_narrowed_to_a_scope(queryset: QuerySet) -> bool:
    """Whether `queryset` holds only what a user may see of a province's rows (`IsInScope`), filtered or not."""
    return any(isinstance(condition, IsInScope) for condition in queryset.query.where.children)


def every_key_in_order(queryset: QuerySet) -> list:
    """Every primary key of `queryset`, in its order; for an unfiltered list, kept (`kept_for_scope`) until a
    row of a table its order reads changes: sorting a province's 6,000 outputs by programme, task and name
    takes 28 ms, reading the kept keys none."""

    def read(rows):
        return list(rows.values_list("pk", flat=True))

    tables = ordering_tables(queryset)
    if tables is None:
        return read(queryset)
    order = ",".join(queryset.query.order_by)
    return kept_for_scope(queryset, name=f"keys:{queryset.model._meta.label}:{order}", tables=tables, compute=read)


def ordering_tables(queryset: QuerySet) -> list[type[models.Model]] | None:
    """The models whose rows decide the order of `queryset`: its own and those its sort keys go through. None
    when that cannot be told for sure (a sort by an annotation, an expression), or one of them keeps no
    history, by which a change to a row would show (`coop.figure_cache.data_version`)."""
    tables = {queryset.model}
    for item in queryset.query.order_by or queryset.model._meta.ordering:
        if not isinstance(item, str):
            return None
        opts = queryset.model._meta
        for bit in item.lstrip("-").split("__"):
            if bit == "pk":
                break
            try:
                field = opts.get_field(bit)
            except FieldDoesNotExist:
                return None
            if not field.is_relation:
                break
            tables.add(field.related_model)
            opts = field.related_model._meta
    if any(history_of(model) is None for model in tables):
        return None
    return sorted(tables, key=lambda model: model._meta.label)


def rows_of_keys(queryset: QuerySet, keys: list) -> QuerySet:
    """The rows of `queryset` whose primary keys are `keys`, with every join and annotation it has, found by
    their keys alone.

    The keys were read through the queryset's conditions (its filters and the user's scope); asked again, those
    conditions make PostgreSQL expect three rows where there are a hundred and join them row by row (25 ms
    against 4 for a province's page of tasks). Without aggregates, a row's values do not depend on the
    conditions, so they are dropped; with them (a count per row), they are kept, as they decide what is counted.
    """
    rows = queryset.order_by()
    query = rows.query
    counts_rows = any(getattr(value, "contains_aggregate", False) for value in query.annotations.values())
    if query.group_by is None and not counts_rows:
        query.where = WhereNode()
    return rows.filter(IsAnyOf(models.F("pk"), keys))


def visible_or_404(queryset, user, **lookups):
    """The row of `queryset` that `lookups` name, if `user` may see it; else a 404, as if it did not exist.

    Views keep what it returns in a `cached_property`, so that the permission check, the form and
    the page read the same row once.
    """
    return get_object_or_404(queryset.visible_to(user), **lookups)


def breadcrumbs(model: type[models.Model], *steps, list_url_name: str | None = None) -> list[tuple[str | None, str]]:
    """The trail above a page: the list of `model`, then each step.

    A step is a row (linked to its page, named as it prints), a `(url, label)` pair, or, last,
    the page's own title (not linked). The list is `<model>_list` unless `list_url_name` says otherwise.
    """
    opts = model._meta
    crumbs = [(reverse(list_url_name or f"{opts.model_name}_list"), capfirst(opts.verbose_name_plural))]
    for step in steps:
        if isinstance(step, models.Model):
            crumbs.append((step.get_absolute_url(), str(step)))
        elif isinstance(step, tuple):
            crumbs.append(step)
        else:
            crumbs.append((None, step))
    return crumbs


class BaseListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """A list with its filter form, sorting (`sort=`), pages (`page=`, `per_page=`) and `_export=csv|xlsx`.

    The page shows the columns the user chose for this list (`User.table_columns` under the list's URL
    name, saved by `TableColumnsView`), else the table's default columns; exports write every column.
    """

    template_name = "coop/object_list.html"
    export_param = "_export"
    # Filters are optional: an unbound form must still list everything.
    strict = False

    @property
    def model(self):
        # A concrete view names only its queryset.
        return self.queryset.model

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    # Set for a request that writes every column, whatever the page shows: the background worker's export.
    reads_every_column = False

    def get_table_kwargs(self):
        return {
            **super().get_table_kwargs(),
            "per_page_field": UNREAD_PER_PAGE_FIELD,
            "shown_columns": self.get_table_class().columns_to_show(self.chosen_columns()),
        }

    def columns_read(self) -> tuple[str, ...] | None:
        """The columns whose values this request reads: those the page shows, or every column (None) for an export.
        A list whose rows join related rows for some columns only joins those (`tasks.queries.task_rows`)."""
        if self.reads_every_column or self.request.GET.get(self.export_param) in EXPORT_FORMATS:
            return None
        table_class = self.get_table_class()
        return table_class.columns_to_show(self.chosen_columns()) or table_class.Meta.default_columns

    @property
    def list_name(self) -> str | None:
        """The list's URL name ("task_list"), under which the user's choice of its columns is kept
        (None for a view called without its URL, as some tests do)."""
        match = self.request.resolver_match
        return match.url_name if match else None

    def chosen_columns(self):
        """What the user chose for this list, as it was stored (None if nothing); read with the user, no query."""
        chosen = self.request.user.table_columns
        return chosen.get(self.list_name) if isinstance(chosen, dict) and self.list_name else None

    def column_chooser(self, table) -> dict | None:
        """The column chooser above the table: every column in the table's sequence, those shown ticked."""
        if not self.list_name:
            return None
        always = set(type(table).always_shown())
        return {
            "action": reverse("table_columns", args=[self.list_name]),
            "options": [
                {"name": column.name, "header": column.header, "shown": column.visible, "always": column.name in always}
                for column in table.columns.iterall()
            ],
        }

    def get_table_pagination(self, table):
        if self.request.GET.get(self.export_param) in EXPORT_FORMATS:
            return False  # an export writes every row: no page of them is read for it
        return {"per_page": self.per_page(), "paginator_class": PrimaryKeyFirstPaginator}

    def per_page(self) -> int:
        try:
            value = int(self.request.GET.get("per_page", DEFAULT_PER_PAGE))
        except ValueError:
            return DEFAULT_PER_PAGE
        return value if value in PER_PAGE_CHOICES else DEFAULT_PER_PAGE

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get(self.export_param)
        if export_format not in EXPORT_FORMATS:
            return super().get(request, *args, **kwargs)
        # An export: every filtered row in the table's order, not only the page on screen; the page's own
        # figures (its rows, its totals) are not read for it.
        self.filterset = self.get_filterset(self.get_filterset_class())
        valid = not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict()
        self.object_list = self.filterset.qs if valid else self.filterset.queryset.none()
        table = self.get_table(**self.get_table_kwargs())
        row_count = self.object_list.count()
        if written_in_background(row_count):
            return self.offer_background_export(export_format, row_count)
        return export_response(
            table_class=type(table),
            queryset=self.object_list,
            order_by=table.order_by,
            export_format=export_format,
            filename=self.export_filename(),
            request=self.request,
            filter_form=self.filterset.form,
        )

    def export_filename(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def offer_background_export(self, export_format: str, row_count: int):
        """The page that offers to write a long export in the background (a GET writes nothing: its button posts)."""
        context = {
            "title": self.export_filename(),
            "row_count": row_count,
            "export_format": export_format,
            "list_name": self.list_name,
            "query": export_query(self.request.GET),
            "list_url": list_url_with(self.request.path, export_query(self.request.GET)),
            "conditions": filter_conditions(self.filterset.form),
            "breadcrumbs": [
                (self.request.path, capfirst(self.model._meta.verbose_name_plural)),
                (None, _("Export")),
            ],
        }
        return TemplateResponse(self.request, "coop/export_request_offer.html", context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            opts=self.model._meta,
            breadcrumbs=[(None, capfirst(self.model._meta.verbose_name_plural))],
            per_page_choices=PER_PAGE_CHOICES,
            per_page=self.per_page(),
            export_formats=EXPORT_FORMATS,
            column_chooser=self.column_chooser(context["table"]),
        )
        return context


# What a list's query string holds that is not its filters or sort: an export rewrites it.
NOT_EXPORTED_PARAMETERS = ("_export", "page", "per_page")


def export_query(params) -> str:
    """A list's filters and sort as a query string ("status=approved&sort=-code"), without the export and page."""
    kept = params.copy()
    for name in NOT_EXPORTED_PARAMETERS:
        kept.pop(name, None)
    return kept.urlencode()


def list_url_with(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


class ListRefused(Exception):
    """The list asked for cannot be read (it is gone, or its filters no longer apply); the message says why."""


@dataclass
class ListExport:
    """What a list exports for a user: its table, its rows as filtered and sorted, and the filter form."""

    table_class: type
    queryset: QuerySet
    order_by: tuple | None
    filter_form: object
    title: str
    user: object

    def file(self, *, export_format: str, on_rows=None):
        return export_file(
            table_class=self.table_class,
            queryset=self.queryset,
            order_by=self.order_by,
            export_format=export_format,
            title=self.title,
            user=self.user,
            filter_form=self.filter_form,
            on_rows=on_rows,
        )

    def filename(self, extension: str) -> str:
        return export_filename(self.title, extension)


def list_export(*, list_name: str, query: str, user) -> ListExport:
    """The export of the list named `list_name` with the filters and sort of `query`, as `user` may see it now.

    The background worker reads a list this way: the list's own view, given a request of `user` for its page,
    does what it does for the page (the user's scope, the filters, the sort), so the file holds what the
    user's export would have held had it been written while they waited.
    """
    try:
        url, _table_class = list_table(list_name)
    except Http404 as unknown:
        raise ListRefused(_("This list no longer exists.")) from unknown
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = url
    request.GET = QueryDict(query)
    request.user = user
    request.resolver_match = resolve(url)
    view = request.resolver_match.func.view_class(reads_every_column=True)
    view.setup(request)
    view.filterset = view.get_filterset(view.get_filterset_class())
    filterset = view.filterset
    valid = not filterset.is_bound or filterset.is_valid() or not view.get_strict()
    view.object_list = filterset.qs if valid else filterset.queryset.none()
    table = view.get_table_class()(data=view.object_list, **view.get_table_kwargs())
    RequestConfig(request, paginate=False).configure(table)
    return ListExport(
        table_class=type(table),
        queryset=view.object_list,
        order_by=table.order_by,
        filter_form=view.filterset.form,
        title=view.export_filename(),
        user=user,
    )


def list_view_class(list_name: str) -> tuple[str, type[BaseListView]]:
    """The URL and the view class of the list page named `list_name` ("task_list"); a 404 for any other name."""
    try:
        url = reverse(list_name)
    except NoReverseMatch as unknown:
        raise Http404("No list has this name.") from unknown
    view_class = getattr(resolve(url).func, "view_class", None)
    if view_class is None or not issubclass(view_class, BaseListView) or view_class.table_class is None:
        raise Http404("No list has this name.")
    return url, view_class


def list_table(list_name: str) -> tuple[str, type]:
    """The URL and the table class of the list page named `list_name` ("task_list"); a 404 for any other name."""
    url, view_class = list_view_class(list_name)
    return url, view_class.table_class


def back_to_list(request, list_url: str) -> str:
    """The list page the form was sent from, with its filters, sort and page (`next`); else the bare list."""
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return back if safe and urlsplit(back).path == list_url else list_url


class TableColumnsView(LoginRequiredMixin, View):
    """Save the columns the user wants in a list (the list's "Columns shown" form), or go back to its defaults.

    Only for the user themselves: the choice is kept on their own row (`User.table_columns`).
    """

    http_method_names = ["post"]

    def post(self, request, list_name):
        list_url, table_class = list_table(list_name)
        back = back_to_list(request, list_url)
        if "reset" in request.POST:
            user_table_columns_reset(user=request.user, list_name=list_name)
            messages.success(request, _("The list shows its default columns again."))
            return redirect(back)
        form = TableColumnsForm(request.POST, table_class=table_class)
        if not form.is_valid():
            for error in form.errors["columns"]:
                messages.error(request, error)
            return redirect(back)
        user_table_columns_save(user=request.user, list_name=list_name, columns=form.cleaned_data["columns"])
        messages.success(request, _("The list shows the columns you chose."))
        return redirect(back)


class FilterChoicesView(LoginRequiredMixin, View):
    """The rows a list's filter offers that match the words typed in its box (static/js/autocomplete.js), as JSON.

    `?q=thai binh` → `{"results": [{"value": "12", "label": "…"}, …], "more": false}`: at most
    `AUTOCOMPLETE_LIMIT` rows whose folded search text holds every word (diacritics and case ignored), in the
    filter's own order; `more` when there are others. The rows are those of the filter's own queryset, built for
    the user as on the list page (`visible_to(user)`), so the box never offers a row the list's filter would refuse.
    No words: no rows. Words longer than the search takes: 400 with a message. Unknown list or filter: 404.
    """

    http_method_names = ["get"]

    def get(self, request, list_name, filter_name):
        _url, view_class = list_view_class(list_name)
        filterset = view_class.filterset_class(queryset=view_class.queryset.none(), request=request)
        field = filterset.form.fields.get(filter_name)
        rows = getattr(field, "queryset", None)
        if rows is None or not isinstance(field, forms.ModelMultipleChoiceField) or not is_searchable(rows.model):
            raise Http404("This list has no such filter.")
        words = request.GET.get("q", "")
        if len(words) > SEARCH_MAX_LENGTH:
            message = _("Type at most %(limit)d characters.") % {"limit": SEARCH_MAX_LENGTH}
            return JsonResponse({"error": message, "results": [], "more": False}, status=400)
        pairs = choice_pairs(field, find_rows(rows, words))
        results = [{"value": key, "label": label} for key, label in pairs[:AUTOCOMPLETE_LIMIT]]
        return JsonResponse({"results": results, "more": len(pairs) > AUTOCOMPLETE_LIMIT})


class BaseDetailView(LoginRequiredMixin, DetailView):
    """One object the user may see; anything outside their scope is a 404, as if it did not exist.

    `?tab=history` shows the "Lịch sử thay đổi" tab instead of the details: the history
    is read only when asked for, so the details page keeps its few queries.
    """

    HISTORY_TAB = "history"
    # The list the breadcrumbs lead back to; by default `<model>_list`.
    list_url_name = None

    @property
    def model(self):
        return self.queryset.model

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opts = self.model._meta
        context["opts"] = opts
        context["breadcrumbs"] = breadcrumbs(self.model, str(self.object), list_url_name=self.list_url_name)
        asked_for_history = self.request.GET.get("tab") == self.HISTORY_TAB and hasattr(self.model, "history")
        context["tab"] = self.HISTORY_TAB if asked_for_history else "details"
        if context["tab"] == self.HISTORY_TAB:
            context["history"] = change_log(self.history_sources())
        return context

    def history_sources(self) -> list[HistorySource]:
        """The object's own history; pages add the rows that belong to it (a task's funding, …)."""
        return [HistorySource(self.model.history.filter(id=self.object.pk))]


class ObjectPermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """A rule of an app's rules.py checked on the object, after the queryset has scoped it.

    Outside the user's scope the object is a 404 (the view's queryset is `visible_to`);
    inside it but without the right, a 403 that says so.
    """

    # Anonymous visitors (a session that expired while filling a form) go to the login
    # page; a logged-in user without the right gets a 403.
    raise_exception = False


class SaveWithServiceMixin:
    """Form views whose save is a service call: its refusals become messages on the form.

    A `ValidationError` lands on the fields it names; an `EditConflict` keeps the
    user's input, says what the other person changed and lets the next save go
    through deliberately.
    """

    def save_or_show_errors(self, form, save):
        try:
            return save()
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            form.add_error(
                None,
                _(
                    "Someone else saved this record after you opened it. Their changes are shown below; "
                    "your input is kept. Check it and save again to keep yours."
                ),
            )
            form.accept_current_version(conflict.current.version)
            self.conflict_changes = changes_since(conflict.current, conflict.opened_version)
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conflict_changes"] = getattr(self, "conflict_changes", None)
        return context


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the fields it names, and on the form when it names none the form has."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# The user's own pages: notifications and their settings.


class NotificationListView(LoginRequiredMixin, ListView):
    """The user's notifications, newest first, unread ones marked; each opened (and marked read) by a POST."""

    template_name = "coop/notification_list.html"
    context_object_name = "notifications"
    paginate_by = DEFAULT_PER_PAGE

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user).order_by("-created_at", "-pk")

    def paginate_queryset(self, queryset, page_size):
        # A page number out of range or not a number shows the nearest page rather than an error.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        title = capfirst(Notification._meta.verbose_name_plural)
        return super().get_context_data(page_title=title, breadcrumbs=[(None, title)], **kwargs)


def local_path(url: str) -> str | None:
    """`url` if it is a path of this application ("/tasks/12/"), else None: a notification never leads elsewhere."""
    if not url.startswith("/") or any(char.isspace() or ord(char) < 32 for char in url):
        return None
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else None


class NotificationOpenView(LoginRequiredMixin, View):
    """Open a notification: mark it read and go to what it is about. Only a POST: opening a page never writes."""

    def post(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        notification_mark_read(notification=notification)
        if not notification.url:
            return redirect("notification_list")
        target = local_path(notification.url)
        if target is None:
            messages.error(request, _("This notification's link does not lead to a page of the application."))
            return redirect("notification_list")
        return redirect(target)


class NotificationReadAllView(LoginRequiredMixin, View):
    """Mark every notification of the user read."""

    def post(self, request):
        if notification_mark_all_read(recipient=request.user):
            messages.success(request, _("All your notifications are marked read."))
        return redirect("notification_list")


class ProfileView(LoginRequiredMixin, UpdateView):
    """The user's notification settings: the language of their e-mails and which kinds of notification they get by
    e-mail. Notifications appear in the application's list whatever these say."""

    form_class = ProfileForm
    template_name = "coop/profile.html"
    success_url = reverse_lazy("profile")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        # Only the form's fields: a password changed or a login recorded meanwhile is not written back.
        self.object = form.save(commit=False)
        self.object.save(update_fields=form.Meta.fields)
        messages.success(self.request, _("Your notification settings were saved."))
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        title = _("Notification settings")
        return super().get_context_data(
            page_title=title,
            breadcrumbs=[(None, title)],
            api_tokens=self.request.user.api_tokens.all(),
            api_token_form=kwargs.pop("api_token_form", None) or ApiTokenForm(),
            **kwargs,
        )


class ApiTokenCreateView(LoginRequiredMixin, View):
    """Make an API key: the profile page shows the key this once, and never again."""

    def post(self, request):
        form = ApiTokenForm(request.POST)
        new_key = None
        if form.is_valid():
            try:
                _token, new_key = api_token_create(user=request.user, name=form.cleaned_data["name"])
            except DRFValidationError as refused:
                form.add_error(None, [str(message) for message in refused.detail])
        profile = ProfileView(request=request, kwargs={}, object=request.user)
        context = profile.get_context_data(form=ProfileForm(instance=request.user), api_token_form=form)
        context["new_api_key"] = new_key
        status = 200 if new_key else 400
        return profile.render_to_response(context, status=status)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    """Revoke one of the user's own keys (anyone else's is a 404)."""

    def post(self, request, pk: int):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        api_token_revoke(token=token)
        messages.success(request, _("The API key “%(name)s” was revoked.") % {"name": token.name})
        return redirect(reverse("profile") + "#api-keys")


class FaviconView(RedirectView):
    """/favicon.ico, which browsers and tools ask for whatever the page links: the site's icon in static/.

    Not permanent: the icon's address carries a hash of its content in production.
    """

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.ico")


# Exports written in the background (coop/background.py)


class ExportRequestCreateView(LoginRequiredMixin, View):
    """`POST /exports/`: queue a list's export (`list_name`, its `query`, `export_format`) and go to its page."""

    http_method_names = ["post"]

    def post(self, request):
        list_name = request.POST.get("list_name", "")
        list_url, _table_class = list_table(list_name)
        query = export_query(QueryDict(request.POST.get("query", "")))
        export_format = request.POST.get("export_format", "")
        if export_format not in EXPORT_FORMATS:
            messages.error(request, _("Choose CSV or XLSX for the export."))
            return redirect(list_url_with(list_url, query))
        try:
            export = list_export(list_name=list_name, query=query, user=request.user)
        except ListRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(list_url)
        export_request = export_request_queue(
            list_name=list_name, query=query, export_format=export_format, title=export.title, user=request.user
        )
        return redirect(export_request)


class ExportRequestDetailView(LoginRequiredMixin, TemplateView):
    """`/exports/<pk>/`: where an export written in the background stands, then its file.

    Only its requester may open it. While it is not finished the page reloads itself every few seconds
    (a `<meta http-equiv="refresh">`: no script).
    """

    template_name = "coop/exportrequest_detail.html"
    refresh_seconds = 3

    def get(self, request, pk):
        export_request = visible_or_404(ExportRequest.objects, request.user, pk=pk)
        try:
            list_url = list_url_with(list_table(export_request.list_name)[0], export_request.query)
        except Http404:
            list_url = None
        return self.render_to_response(
            {
                "export_request": export_request,
                "refresh_seconds": None if export_request.is_finished else self.refresh_seconds,
                "list_url": list_url,
                "breadcrumbs": [(list_url, capfirst(export_request.title)), (None, _("Export"))],
            }
        )


class ExportRequestDownloadView(LoginRequiredMixin, View):
    """`/exports/<pk>/download/`: the file of a finished export, for its requester only."""

    def get(self, request, pk):
        export_request = visible_or_404(ExportRequest.objects, request.user, pk=pk)
        if not export_request.file:
            return redirect(export_request)
        try:
            stored_file = export_request.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404("The file of this export is missing.") from missing
        response = FileResponse(
            stored_file,
            as_attachment=True,
            filename=export_filename(export_request.title, export_request.export_format),
            content_type=EXPORT_CONTENT_TYPES[export_request.export_format],
        )
        # The file holds what its requester's scope allowed: no shared cache may keep a copy.
        response["Cache-Control"] = "private, no-store"
        return response


EXPORT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
