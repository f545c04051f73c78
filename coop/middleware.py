"""Vietnamese first (the language a user chose with the switch, otherwise Vietnamese); sessions that end when
idle; nothing behind the login kept by a browser's or a proxy's cache; and the site's own 404 page under DEBUG."""

import time

from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.defaults import page_not_found


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, without following the browser's Accept-Language.

    Ministry staff often work on machines set up in English; the application must
    still open in Vietnamese unless the user switched to English (the switch's cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class IdleSessionMiddleware:
    """Sessions end after SESSION_COOKIE_AGE seconds without activity.

    Django counts a session's age from its last save; saving on every request
    would cost a database write per page. Touching the session once every few
    minutes keeps an active user logged in at the price of one write per interval,
    and lets an idle one expire within that interval of the limit.
    """

    REFRESH_EVERY_SECONDS = 5 * 60
    KEY = "_last_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.REFRESH_EVERY_SECONDS:
                session[self.KEY] = now
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Everything a logged-in user is sent is theirs alone and is not stored: `Cache-Control: private, no-store`.

    Pages, exports and files behind the login carry names, amounts and reports of a province; a shared
    computer's browser cache or an office proxy must not keep them. A response that says otherwise itself
    (a downloaded PDF, static files) keeps its own header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class SiteNotFoundPageMiddleware:
    """Under DEBUG, a page that is not found shows the site's own 404 page, not Django's technical one.

    Django's technical 404 page is in English and lists every URL pattern: a newcomer trying the
    demo (`make run`, which sets DEBUG=1) should see what users see. Only HTML answers are replaced;
    without DEBUG Django renders templates/404.html itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and response.get("Content-Type", "").startswith("text/html"):
            return page_not_found(request, Http404())
        return response
