from django.urls import path

from reporting import views

urlpatterns = [
    path("reporting/", views.ReportingView.as_view(), name="reporting"),
    path(
        "programmes/<int:pk>/reporting-schedule/",
        views.ReportingScheduleView.as_view(),
        name="reporting_schedule",
    ),
]
