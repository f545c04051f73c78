"""Top-level URLs. Every path is written out in the apps' urls.py so that a reader can grep for it."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from coop.forms import PasswordChangeForm
from coop.health import healthz
from coop.views import (
    ApiTokenCreateView,
    ApiTokenRevokeView,
    ExportRequestCreateView,
    ExportRequestDetailView,
    ExportRequestDownloadView,
    FaviconView,
    FilterChoicesView,
    NotificationListView,
    NotificationOpenView,
    NotificationReadAllView,
    ProfileView,
    TableColumnsView,
)

urlpatterns = [
    path("", include("reports.urls")),
    path("", include("programmes.urls")),
    path("", include("tasks.urls")),
    path("", include("reporting.urls")),
    path("", include("imports.urls")),
    # Published programmes, their open data, the sitemap and robots.txt: the pages without login.
    path("", include("opendata.urls")),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/profile/", ProfileView.as_view(), name="profile"),
    path("accounts/api-keys/", ApiTokenCreateView.as_view(), name="api_token_add"),
    path("accounts/api-keys/<int:pk>/revoke/", ApiTokenRevokeView.as_view(), name="api_token_revoke"),
    # Django's other account pages, not its password reset by e-mail: accounts are issued and reset by
    # each agency's administrator (docs/decisions.md, "No password reset by e-mail").
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", NotificationListView.as_view(), name="notification_list"),
    path("notifications/<int:pk>/open/", NotificationOpenView.as_view(), name="notification_open"),
    path("notifications/read-all/", NotificationReadAllView.as_view(), name="notification_read_all"),
    path("api/", include("api.urls")),
    # The columns a user chose for a list, by the list's URL name ("task_list").
    path("lists/<slug:list_name>/columns/", TableColumnsView.as_view(), name="table_columns"),
    # The rows a list's filter offers that match the words typed in its box (static/js/autocomplete.js), as JSON.
    path(
        "lists/<slug:list_name>/filters/<slug:filter_name>/choices/",
        FilterChoicesView.as_view(),
        name="filter_choices",
    ),
    # Exports of long lists, written in the background (coop/background.py).
    path("exports/", ExportRequestCreateView.as_view(), name="export_request_add"),
    path("exports/<int:pk>/", ExportRequestDetailView.as_view(), name="export_request_detail"),
    path("exports/<int:pk>/download/", ExportRequestDownloadView.as_view(), name="export_request_download"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]
