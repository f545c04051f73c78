from django.urls import path

from tasks import views

urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("outputs/", views.OutputListView.as_view(), name="output_list"),
    path("outputs/<int:pk>/", views.OutputDetailView.as_view(), name="output_detail"),
]
