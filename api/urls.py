"""The read-only API: /api/v1/… (one path per list and detail), the OpenAPI schema and its documentation."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views

LIST = {"get": "list"}
DETAIL = {"get": "retrieve"}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves its start-up script as a file: the site's Content-Security-Policy allows no inline script.
    # A visitor who has not logged in is sent to the login page, as on every page of the site.
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api_schema")), name="api_docs"),
    path("v1/", views.ApiRootView.as_view(), name="api_root"),
    path("v1/programmes/", views.ProgrammeViewSet.as_view(LIST), name="api_programme_list"),
    path("v1/programmes/<int:pk>/", views.ProgrammeViewSet.as_view(DETAIL), name="api_programme_detail"),
    path("v1/agencies/", views.AgencyViewSet.as_view(LIST), name="api_agency_list"),
    path("v1/agencies/<int:pk>/", views.AgencyViewSet.as_view(DETAIL), name="api_agency_detail"),
    path("v1/people/", views.PersonViewSet.as_view(LIST), name="api_person_list"),
    path("v1/people/<int:pk>/", views.PersonViewSet.as_view(DETAIL), name="api_person_detail"),
    path("v1/tasks/", views.TaskViewSet.as_view(LIST), name="api_task_list"),
    path("v1/tasks/<int:pk>/", views.TaskViewSet.as_view(DETAIL), name="api_task_detail"),
    path("v1/outputs/", views.OutputViewSet.as_view(LIST), name="api_output_list"),
    path("v1/outputs/<int:pk>/", views.OutputViewSet.as_view(DETAIL), name="api_output_detail"),
    path("v1/progress-reports/", views.ProgressReportViewSet.as_view(LIST), name="api_progress_report_list"),
    path(
        "v1/progress-reports/<int:pk>/",
        views.ProgressReportViewSet.as_view(DETAIL),
        name="api_progress_report_detail",
    ),
    path("v1/meetings/", views.MeetingViewSet.as_view(LIST), name="api_meeting_list"),
    path("v1/meetings/<int:pk>/", views.MeetingViewSet.as_view(DETAIL), name="api_meeting_detail"),
    path("v1/documents/", views.DocumentViewSet.as_view(LIST), name="api_document_list"),
    path("v1/documents/<int:pk>/", views.DocumentViewSet.as_view(DETAIL), name="api_document_detail"),
    path("v1/documents/<int:pk>/issued.pdf", views.DocumentFileView.as_view(), name="api_document_file"),
    path("v1/<path:rest>", views.ApiNotFoundView.as_view(), name="api_not_found"),
]
