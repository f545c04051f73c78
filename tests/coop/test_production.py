"""Production settings, security headers, the health check.

The production settings are loaded in a separate process, as an application server loads
them: they refuse to start when misconfigured, and Django's deployment checks pass.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.utils import ConnectionHandler
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

from coop import health
from tests.factories import TEST_PASSWORD

PROJECT = Path(settings.BASE_DIR)
# The deployment checks do not connect to the database; the URL only has to name PostgreSQL.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "coop.settings_production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgres://coop@127.0.0.1:5432/coop",
    "ALLOWED_HOSTS": "coop.example.gov.vn",
}


# Set for the tests (the browser tests allow the ORM in Playwright's event loop), never on a server.
TEST_ONLY = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in {*TEST_ONLY, *PRODUCTION_ENV}}
    environment.update(PRODUCTION_ENV)
    environment.update(env)
    environment = {key: value for key, value in environment.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


# The production settings.


def test_deployment_checks_pass_with_the_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    [None, "", "short-key", "insecure-development-key-change-me", "a" * 60],
    ids=["missing", "empty", "short", "the development key", "one character repeated"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    result = manage("check", SECRET_KEY=secret_key)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = manage("check", DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG is on in the production settings" in result.stderr


def test_production_refuses_sqlite():
    result = manage("check", DATABASE_URL="sqlite:///tmp/coop.sqlite3")
    assert result.returncode != 0
    assert "Production runs on PostgreSQL" in result.stderr


def test_an_application_server_gets_the_production_settings_by_default():
    for entry_point in ("wsgi", "asgi"):
        source = (PROJECT / "coop" / f"{entry_point}.py").read_text()
        assert '"DJANGO_SETTINGS_MODULE", "coop.settings_production"' in source


def production_setting(name: str, **env: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print(repr(settings.{name}))"
    environment = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    environment.update({**PRODUCTION_ENV, **env})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cookies_are_secure_and_https_is_enforced_behind_tls():
    assert production_setting("SESSION_COOKIE_SECURE") == "True"
    assert production_setting("CSRF_COOKIE_SECURE") == "True"
    assert production_setting("SECURE_HSTS_SECONDS") == str(365 * 24 * 60 * 60)
    assert production_setting("SECURE_PROXY_SSL_HEADER") == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_a_loopback_run_without_tls_neither_redirects_nor_sends_hsts():
    assert production_setting("SECURE_SSL_REDIRECT", HTTPS="0") == "False"
    assert production_setting("SECURE_HSTS_SECONDS", HTTPS="0") == "0"


def test_static_files_are_served_with_hashed_names_by_whitenoise(tmp_path, db):
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    storages = {
        "default": settings.STORAGES["default"],
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(MIDDLEWARE=middleware, STORAGES=storages, STATIC_ROOT=tmp_path / "static", DEBUG=False):
        call_command("collectstatic", "--no-input", verbosity=0)
        url = static("css/coop.css")
        assert re.fullmatch(r"/static/css/coop\.[0-9a-f]{12}\.css", url)
        response = Client().get(url)
        assert response.status_code == 200
        assert "immutable" in response["Cache-Control"]
        assert b".coop-progress" in b"".join(response.streaming_content)
        # The login page links the hashed names.
        assert url in Client().get(reverse("login")).content.decode()


# Security headers, on every page.


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_send_the_security_headers(client, db):
    response = client.get(reverse("login"))
    policy = csp_directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"][0] == "'self'"
    assert all(source.startswith("'nonce-") for source in policy["style-src"][1:])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_and_csrf_cookies_are_http_only(db, scope):
    client = Client()
    client.get(reverse("login"))
    assert client.cookies[settings.CSRF_COOKIE_NAME]["httponly"]
    response = client.post(reverse("login"), {"username": scope.ministry_user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b([^>]*)>", re.IGNORECASE)


@pytest.fixture
def demo_pages(db):
    call_command("load_demo", verbosity=0)
    from programmes.models import Agency, Meeting, Programme
    from tasks.models import Task

    programme = Programme.objects.get(code="PH-BKHCN-TB-2012")
    return [
        reverse("dashboard"),
        reverse("programme_list"),
        programme.get_absolute_url(),
        reverse("task_list"),
        Task.objects.filter(programme=programme).first().get_absolute_url(),
        reverse("output_list"),
        reverse("meeting_list"),
        Meeting.objects.filter(programme=programme).first().get_absolute_url(),
        reverse("agency_list"),
        Agency.objects.filter(short_name__isnull=False).first().get_absolute_url(),
        reverse("progress_report_list"),
        reverse("report_list"),
        reverse("search") + "?q=thai+binh",
        reverse("programme_review", args=[programme.pk]),
    ]


def test_no_page_needs_an_inline_script_or_style(demo_pages):
    """What the policy would refuse: an inline <script>, a style="" attribute, a <style> without the nonce."""
    from coop.models import User

    client = logged_in_demo(User.objects.get(username="bo.chuyenvien"))
    for url in demo_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        assert not INLINE_SCRIPT.search(html), url
        assert not STYLE_ATTRIBUTE.search(html), url
        for attributes in STYLE_ELEMENT.findall(html):
            assert nonce and f'nonce="{nonce.group(1)}"' in attributes, url


def logged_in_demo(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The health check.


def test_healthz_answers_ok_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_unavailable_while_migrations_are_missing(client, db, monkeypatch):
    monkeypatch.setattr(health, "_migrations_known_applied", False)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'tasks'")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "database": "ok", "migrations": "failed"}


def test_healthz_says_unavailable_when_the_database_is_unreachable(client, db, monkeypatch):
    # A real connection to a port where no database listens.
    unreachable = ConnectionHandler(
        {
            "default": {
                **connection.settings_dict,
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": "9",
                "NAME": "coop",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    monkeypatch.setattr(health, "connections", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "database": "failed", "migrations": "failed"}
    unreachable.close_all()


def test_healthz_only_answers_get(client, db):
    assert client.post("/healthz").status_code == 405
