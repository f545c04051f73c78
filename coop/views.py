"""The two generic views every page builds on: a filtered, sortable, exportable list and a detail page.

A concrete list view names its `queryset`, `filterset_class` and `table_class`;
both views narrow the queryset to what the user may see with `visible_to(user)`.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.text import capfirst
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from coop.exports import EXPORT_FORMATS, export_response

PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = PER_PAGE_CHOICES[0]
# django-tables2 would read `per_page` from the request itself, unchecked (`-1` breaks the
# page); the view checks it against PER_PAGE_CHOICES and hides the raw one from the table.
UNREAD_PER_PAGE_FIELD = "_per_page_checked_by_the_view"


class BaseListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """A list with its filter form, sorting (`sort=`), pages (`page=`, `per_page=`) and `_export=csv|xlsx`."""

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

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "per_page_field": UNREAD_PER_PAGE_FIELD}

    def get_table_pagination(self, table):
        return {"per_page": self.per_page()}

    def per_page(self) -> int:
        try:
            value = int(self.request.GET.get("per_page", DEFAULT_PER_PAGE))
        except ValueError:
            return DEFAULT_PER_PAGE
        return value if value in PER_PAGE_CHOICES else DEFAULT_PER_PAGE

    def render_to_response(self, context, **kwargs):
        export_format = self.request.GET.get(self.export_param)
        if export_format in EXPORT_FORMATS:
            # Every filtered row in the table's order, not only the page on screen.
            table = context["table"]
            return export_response(
                table_class=type(table),
                queryset=self.object_list,
                order_by=table.order_by,
                export_format=export_format,
                filename=self.export_filename(),
                request=self.request,
            )
        return super().render_to_response(context, **kwargs)

    def export_filename(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            opts=self.model._meta,
            breadcrumbs=[(None, capfirst(self.model._meta.verbose_name_plural))],
            per_page_choices=PER_PAGE_CHOICES,
            per_page=self.per_page(),
            export_formats=EXPORT_FORMATS,
        )
        return context


class BaseDetailView(LoginRequiredMixin, DetailView):
    """One object the user may see; anything outside their scope is a 404, as if it did not exist."""

    @property
    def model(self):
        return self.queryset.model

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opts = self.model._meta
        context["opts"] = opts
        context["breadcrumbs"] = [
            (reverse(f"{opts.model_name}_list"), capfirst(opts.verbose_name_plural)),
            (None, str(self.object)),
        ]
        return context
