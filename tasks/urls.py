from django.urls import path

from tasks import views

urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:task_pk>/progress/add/", views.ProgressReportCreateView.as_view(), name="progress_report_add"),
    path("tasks/<int:task_pk>/accept/", views.TaskAcceptView.as_view(), name="task_accept"),
    path("tasks/<int:task_pk>/outputs/add/", views.OutputCreateView.as_view(), name="output_add"),
    path("progress-reports/", views.ProgressReportListView.as_view(), name="progress_report_list"),
    path("progress-reports/<int:pk>/", views.ProgressReportDetailView.as_view(), name="progress_report_detail"),
    path("progress-reports/<int:pk>/edit/", views.ProgressReportEditView.as_view(), name="progress_report_edit"),
    path("outputs/", views.OutputListView.as_view(), name="output_list"),
    path("outputs/<int:pk>/", views.OutputDetailView.as_view(), name="output_detail"),
    path("outputs/<int:pk>/edit/", views.OutputEditView.as_view(), name="output_edit"),
    path("outputs/<int:pk>/submit/", views.OutputSubmitView.as_view(), name="output_submit"),
    path("outputs/<int:pk>/evidence/", views.OutputEvidenceView.as_view(), name="output_evidence"),
]
