from django.urls import path

from reports import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("reports/", views.GeneratedReportListView.as_view(), name="report_list"),
]
