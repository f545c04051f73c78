"""Beyond one machine: two application servers, one PostgreSQL (docs/deploy.md).

Two gunicorn processes run the production settings on two loopback ports against one
database of their own, filled with the demo. A province enters a progress report through
the first; the Ministry approves it through the second; each sees the other's work, and a
session opened on one server is valid on the other (sessions live in the database and
both servers share SECRET_KEY), as behind a load balancer that does not pin users.
"""

import datetime
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

PROJECT = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).parent / "gunicorn"
AS_OF = datetime.date(2020, 9, 30)  # after the demo's latest approved reports, as in the browser tests


def server_url() -> str | None:
    """The PostgreSQL server of the test run, or None when the tests run on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[0] if url.startswith(("postgres://", "postgresql://")) else None


pytestmark = pytest.mark.skipif(server_url() is None, reason="needs PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.fixture(scope="module")
def shared_database():
    """A database of its own, migrated and holding the demo, dropped afterwards."""
    name = f"coop_two_servers_{secrets.token_hex(4)}"
    with psycopg.connect(f"{server_url()}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{server_url()}/{name}"
    try:
        for command in (["migrate", "--no-input"], ["load_demo"], ["collectstatic", "--no-input"]):
            subprocess.run(
                [sys.executable, "manage.py", *command, "--verbosity", "0"],
                cwd=PROJECT,
                env=production_environment(url),
                check=True,
                timeout=300,
            )
        yield url
    finally:
        with psycopg.connect(f"{server_url()}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SECRET_KEY = secrets.token_urlsafe(50)


def production_environment(database_url: str) -> dict:
    # Not what the tests set for themselves: DEBUG, or the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE.
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="coop.settings_production",
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY,  # the same on every server, as deploy.md says
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",  # loopback: no TLS proxy in front
        PROXY_COUNT="0",
        LOG_LEVEL="WARNING",
    )
    return environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def two_servers(shared_database):
    servers, processes = [], []
    try:
        for _ in range(2):
            port = free_port()
            processes.append(
                subprocess.Popen(
                    [
                        str(GUNICORN),
                        "coop.wsgi:application",
                        "--config",
                        "gunicorn.conf.py",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--access-logfile",
                        "/dev/null",
                    ],
                    cwd=PROJECT,
                    env=production_environment(shared_database),
                )
            )
            servers.append(f"http://127.0.0.1:{port}")
        for url in servers:
            wait_until_healthy(url)
        yield servers
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def wait_until_healthy(base_url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the server starts
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


class FormFields(HTMLParser):
    """The inputs of the forms in the page's <main> (not the header's language switch), to post
    back what a browser would, CSRF token included."""

    def __init__(self):
        super().__init__()
        self.values = {}
        self.in_main = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.in_main = self.in_main or tag == "main"
        if not (self.in_main and tag == "input" and attrs.get("name")):
            return
        if attrs.get("type") not in {"submit", "radio", "checkbox"}:
            self.values.setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        self.in_main = self.in_main and tag != "main"


class Browser:
    """A person's browser: cookies kept, forms read and posted; no redirects followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), self.NoRedirect)

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def submit(self, url: str, fields: dict) -> tuple[int, str]:
        """Open the form at `url` and post it with `fields` typed in; returns the status and Location."""
        status, page = self.get(url)
        assert status == 200, (url, status)
        parser = FormFields()
        parser.feed(page)
        data = urllib.parse.urlencode({**parser.values, **fields}).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")

    def log_in(self, base_url: str, username: str) -> None:
        status, location = self.submit(f"{base_url}/accounts/login/", {"username": username, "password": "demo12345"})
        assert (status, location) == (302, "/"), "the login was refused"


def task_pk(database_url: str, code: str) -> int:
    with psycopg.connect(database_url) as connection:
        return connection.execute("SELECT id FROM tasks_task WHERE code = %s", [code]).fetchone()[0]


def test_a_report_entered_on_one_server_is_approved_on_the_other(two_servers, shared_database):
    first, second = two_servers
    task = task_pk(shared_database, "TB-2012-28")

    department = Browser()
    department.log_in(first, "so.thaibinh")
    status, location = department.submit(
        f"{first}/tasks/{task}/progress/add/",
        {
            "as_of": AS_OF.strftime("%d/%m/%Y"),
            "percent_complete": "80",
            "summary": "Đã hoàn thiện phần mềm và tập huấn người dùng tại Sở.",
            "action": "submit",
        },
    )
    assert status == 302, "the report was not accepted"
    report_url = re.fullmatch(r"/progress-reports/(\d+)/", location).group(0)

    ministry = Browser()
    ministry.log_in(second, "bo.chuyenvien")
    status, queue = ministry.get(f"{second}/progress-reports/?status=submitted")
    assert report_url in queue, "the second server does not see the report entered on the first"
    status, _ = ministry.submit(f"{second}{report_url}", {"decision": "approve", "note": "Đồng ý."})
    assert status == 302, "the approval was not accepted"

    # The first server shows the task as the approval left it.
    status, task_page = department.get(f"{first}/tasks/{task}/")
    assert status == 200
    assert 'value="80"' in task_page
    with psycopg.connect(shared_database) as connection:
        assert connection.execute("SELECT percent_complete FROM tasks_task WHERE id = %s", [task]).fetchone() == (80,)


def test_a_session_opened_on_one_server_is_valid_on_the_other(two_servers):
    first, second = two_servers
    person = Browser()
    person.log_in(first, "lanhdao")
    status, page = person.get(f"{second}/")
    assert status == 200
    assert "Tổng quan" in page
