"""The sitemap (/sitemap.xml): the public pages and every published programme's page, nothing behind the login."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programmes.queries import public_programmes


class PublicPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["public_programme_list", "open_data"]

    def location(self, item):
        return reverse(item)


class PublishedProgrammeSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return public_programmes().order_by("pk").only("pk")

    def location(self, programme):
        return reverse("public_programme_detail", args=[programme.pk])


SITEMAPS = {"public": PublicPagesSitemap, "programmes": PublishedProgrammeSitemap}
