"""The dashboard, the search across every kind of record, and the archive of issued reports."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from coop.views import BaseListView
from reports import queries
from reports.charts import dashboard_charts
from reports.filters import GeneratedReportFilter
from reports.models import GeneratedReport
from reports.tables import GeneratedReportTable


class DashboardView(LoginRequiredMixin, TemplateView):
    """The figures across the programmes the user may see, each linked to the list that produces it."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dashboard = queries.dashboard(user=self.request.user)
        context.update(dashboard=dashboard, charts=dashboard_charts(dashboard))
        return context


class SearchView(LoginRequiredMixin, TemplateView):
    """`/search/?q=`: programmes, tasks, outputs, agencies, people and meetings matching every word."""

    template_name = "reports/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = queries.search_query(self.request.GET.get("q"))
        groups = queries.site_search(user=self.request.user, query=query)
        context.update(
            query=query,
            groups=groups,
            total=sum(group.count for group in groups),
            search_limit=queries.SEARCH_LIMIT,
            breadcrumbs=[(None, _("Search"))],
        )
        return context


class GeneratedReportListView(BaseListView):
    queryset = GeneratedReport.objects.select_related("programme", "created_by")
    filterset_class = GeneratedReportFilter
    table_class = GeneratedReportTable
    template_name = "reports/generatedreport_list.html"
