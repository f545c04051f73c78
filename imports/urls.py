from django.urls import path

from imports import views

urlpatterns = [
    path("imports/", views.ImportView.as_view(), name="imports"),
    path("imports/templates/<str:kind>.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
    path("imports/data/<str:kind>.xlsx", views.ImportDataView.as_view(), name="import_data"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("imports/<int:pk>/recheck/", views.ImportRecheckView.as_view(), name="import_recheck"),
    path("imports/<int:pk>/cancel/", views.ImportCancelView.as_view(), name="import_cancel"),
]
