"""The pages anyone may read without logging in: the published programmes (/public/), the open data downloads
(/open-data/), and what search engines read (/sitemap.xml, /robots.txt).

Only published data reaches them (`opendata.queries`, `opendata.dump`). An anonymous visitor's page carries
nothing of theirs (its language switch is a plain link, `PublicLanguageView`, not a form with a token), so
browsers and proxies may keep it for `PUBLIC_MAX_AGE` seconds; a logged-in user's is theirs alone
(`coop.middleware.PrivateCacheMiddleware`). The content of the public pages is kept on the server too, filed
under the version of the data (`coop.figure_cache`): a change to a programme, its tasks, funding or outputs
shows on the next request.
"""

import base64
import binascii
from collections.abc import Callable

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from coop.figure_cache import kept_figures
from opendata import queries
from opendata.dump import ENTITIES, LICENSE
from opendata.models import OpenDataDump
from opendata.services import DUMPS_KEPT
from programmes.queries import public_programmes

# How long a browser or a proxy may keep an anonymous visitor's public page, in seconds.
PUBLIC_MAX_AGE = 120
# The longest meta description search engines show.
DESCRIPTION_LENGTH = 300


class PublicPageMixin:
    """A page without login: its anonymous answers may be kept by browsers and proxies for a short while."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # The page differs by language (a cookie) and between visitors and logged-in users (the session cookie).
        patch_vary_headers(response, ["Cookie"])
        if not request.user.is_authenticated and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response


def kept_html(name: str, render: Callable[[], str]) -> str:
    """HTML that `render()` draws from published data, kept in the active language until the data changes."""
    return kept_figures(f"public:{name}:{translation.get_language()}", tables=queries.PUBLIC_TABLES, compute=render)


class PublicProgrammeListView(PublicPageMixin, TemplateView):
    """/public/: the published programmes, newest first, with their headline figures (verified outputs only)."""

    template_name = "opendata/public_programme_list.html"

    def get_context_data(self, **kwargs):
        number = queries.page_number(self.request.GET.get("page"))

        def render() -> str:
            page, rows = queries.public_programme_page(number=number)
            return render_to_string("opendata/_public_programme_list.html", {"page": page, "rows": rows})

        return super().get_context_data(
            content=kept_html(f"programmes:{number}", render),
            meta_description=_(
                "The S&T cooperation programmes of the Ministry of Science and Technology with the provinces, and "
                "the national S&T programmes: their tasks, funding and the outputs the Ministry verified."
            ),
            **kwargs,
        )


class PublicProgrammeDetailView(PublicPageMixin, TemplateView):
    """/public/programmes/<pk>/: a published programme, its parties, targets and verified results, tasks and
    verified outputs; a programme that is not published is not found."""

    template_name = "opendata/public_programme_detail.html"

    def get_context_data(self, **kwargs):
        programme = get_object_or_404(public_programmes(), pk=self.kwargs["pk"])
        tasks_page = queries.page_number(self.request.GET.get("tasks_page"))
        outputs_page = queries.page_number(self.request.GET.get("outputs_page"))

        def render() -> str:
            public = queries.public_programme(programme=programme, tasks_page=tasks_page, outputs_page=outputs_page)
            return render_to_string("opendata/_public_programme_detail.html", {"public": public})

        description = _(
            "%(title)s (%(period)s): its parties, targets, S&T tasks, funding and the outputs the Ministry of "
            "Science and Technology verified."
        ) % {"title": programme.title, "period": programme.period_label}
        return super().get_context_data(
            programme=programme,
            content=kept_html(f"programme:{programme.pk}:{tasks_page}:{outputs_page}", render),
            meta_description=Truncator(description).chars(DESCRIPTION_LENGTH),
            **kwargs,
        )


class OpenDataView(PublicPageMixin, TemplateView):
    """/open-data/: the latest bulk downloads with their date, size and SHA-256, what they hold and on what terms."""

    template_name = "opendata/open_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            dumps=list(OpenDataDump.objects.order_by("-created_at", "-pk")[:DUMPS_KEPT]),
            entities=ENTITIES,
            license=LICENSE,
            meta_description=_(
                "Bulk downloads of the published S&T cooperation programmes: programmes, parties, targets, "
                "agencies, tasks, funding, places, verified outputs, meetings and recommendations, as CSV and JSON "
                "Lines with a Frictionless Data Package description, free to reuse under CC BY 4.0."
            ),
            **kwargs,
        )


def repr_digest(sha256_hex: str) -> str:
    """The `Repr-Digest` header (RFC 9530) of a file whose SHA-256 is `sha256_hex`."""
    try:
        digest = base64.b64encode(binascii.unhexlify(sha256_hex)).decode("ascii")
    except (binascii.Error, ValueError):
        return ""
    return f"sha-256=:{digest}:"


class OpenDataDownloadView(PublicPageMixin, View):
    """One download, as a file under its own name, with its SHA-256 in the headers so that a script can check it."""

    def get(self, request, pk: int):
        dump = get_object_or_404(OpenDataDump, pk=pk)
        try:
            handle = dump.file.open("rb")
        except OSError as missing:
            raise Http404(_("The file of this download is missing; ask the administrator.")) from missing
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=dump.file.name.rsplit("/", 1)[-1],
            content_type="application/zip",
        )
        response["X-Checksum-SHA256"] = dump.sha256
        digest = repr_digest(dump.sha256)
        if digest:
            response["Repr-Digest"] = digest
        return response


class OpenDataLatestView(View):
    """/open-data/latest.zip: the newest download, for scripts that fetch it on a schedule."""

    def get(self, request):
        dump = OpenDataDump.objects.order_by("-created_at", "-pk").first()
        if dump is None:
            raise Http404(_("No open data download has been made yet."))
        response = redirect("open_data_download", pk=dump.pk)
        response["Cache-Control"] = "no-cache"
        return response


class PublicLanguageView(View):
    """The language switch of visitors who have not logged in: a link that sets the language cookie and goes back.

    A plain GET without a form token, so that the public pages hold nothing of one visitor and may be kept by
    proxies; it changes nothing but the visitor's own cookie. Logged-in users switch with Django's `set_language`.
    """

    def get(self, request):
        language = request.GET.get("language")
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
            next_url = reverse("public_programme_list")
        response = HttpResponseRedirect(next_url)
        if language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        response["Cache-Control"] = "private, no-store"
        return response


def robots_txt(request):
    """Search engines may read the public pages and the open data, and nothing else."""
    lines = [
        "User-agent: *",
        f"Allow: {reverse('public_programme_list')}",
        f"Allow: {reverse('open_data')}",
        f"Allow: {reverse('sitemap')}",
        # The pages' styles, so that a search engine sees them as people do.
        f"Allow: /{settings.STATIC_URL.lstrip('/')}",
        f"Disallow: {reverse('public_language')}",
        "Disallow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response
