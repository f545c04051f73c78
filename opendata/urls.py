from django.contrib.sitemaps.views import sitemap
from django.urls import path

from opendata import views
from opendata.sitemaps import SITEMAPS

# The only pages without login (besides logging in itself): published programmes and their open data.
urlpatterns = [
    path("public/", views.PublicProgrammeListView.as_view(), name="public_programme_list"),
    path("public/programmes/<int:pk>/", views.PublicProgrammeDetailView.as_view(), name="public_programme_detail"),
    path("public/language/", views.PublicLanguageView.as_view(), name="public_language"),
    path("open-data/", views.OpenDataView.as_view(), name="open_data"),
    path("open-data/latest.zip", views.OpenDataLatestView.as_view(), name="open_data_latest"),
    path("open-data/<int:pk>/download/", views.OpenDataDownloadView.as_view(), name="open_data_download"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
