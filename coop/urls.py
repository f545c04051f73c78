"""Top-level URLs. Every path is written out in the apps' urls.py so that a reader can grep for it."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from coop.forms import PasswordChangeForm
from coop.health import healthz
from coop.views import (
    FaviconView,
    NotificationListView,
    NotificationOpenView,
    NotificationReadAllView,
    ProfileView,
)

urlpatterns = [
    path("", include("reports.urls")),
    path("", include("programmes.urls")),
    path("", include("tasks.urls")),
    path("", include("reporting.urls")),
    path("", include("imports.urls")),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("accounts/profile/", ProfileView.as_view(), name="profile"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("notifications/", NotificationListView.as_view(), name="notification_list"),
    path("notifications/<int:pk>/open/", NotificationOpenView.as_view(), name="notification_open"),
    path("notifications/read-all/", NotificationReadAllView.as_view(), name="notification_read_all"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]
