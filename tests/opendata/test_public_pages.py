"""The pages without login: the published programmes (/public/), the open data (/open-data/), the sitemap and
robots.txt. Anyone reads what is published and nothing else; every other page sends a visitor to log in."""

import hashlib
import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils.html import escape

from opendata import queries
from opendata.models import OpenDataDump
from programmes import services as programme_services
from programmes.choices import ProgrammeStatus
from tasks import services as task_services
from tasks.choices import OutputStatus
from tasks.models import Task
from tests.conftest import logged_in
from tests.factories import OutputFactory
from tests.helpers import in_language, shows, url_patterns, vietnamese
from tests.opendata.conftest import HIDDEN

pytestmark = pytest.mark.django_db


def public_url(programme) -> str:
    return reverse("public_programme_detail", args=[programme.pk])


def page(url: str, client: Client | None = None) -> str:
    response = (client or Client()).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


# What anyone reads


def test_the_list_shows_the_published_programmes_with_their_verified_figures(published):
    html = page(reverse("public_programme_list"))
    assert escape(published.programme.title) in html
    assert HIDDEN not in html
    row = re.search(rf'<tr id="programme-{published.programme.pk}">.*?</tr>', html, re.S).group(0)
    # Two tasks, 1.5 billion from the Ministry, 12 models verified of the 10 agreed (the 21 unverified never count).
    assert '<td class="num">2</td>' in row
    assert "1,5" in row
    assert "<strong>12</strong> mô hình" in row
    assert "<strong>12</strong> / 10 (120%)" in row
    assert "<strong>2</strong> / 3 (66%)" in row


def test_a_published_programme_shows_its_parties_targets_tasks_and_verified_outputs(published):
    html = page(public_url(published.programme))
    for text in (
        published.programme.title,
        published.programme.objectives,
        published.ministry.name,
        published.committee.name,
        "Chu Ngọc Anh",  # the Minister, who represents the Ministry's side
        "Bộ trưởng Bộ KH&CN",
        published.task.code,
        published.task.title,
        published.department.name,  # its lead agency
        "Chọn tạo giống lúa chịu mặn",
        "Mô hình lúa TBR225",
        "Giống lúa TBR225",
        "12/QĐ-TEST",  # the variety's recognition decision
    ):
        assert escape(text) in html, text
    targets = re.search(r'<table[^>]*id="targets".*?</table>', html, re.S).group(0)
    assert re.search(r"<td>Mô hình trình diễn.*?<td class=\"num\">10</td>\s*<td class=\"num\">12</td>", targets, re.S)
    assert 'id="figure-output-model-mo-hinh"' in html


def test_nothing_hidden_reaches_a_public_page(published):
    """Progress reports, outputs not verified, people at meetings, e-mails, unpublished programmes and drafts."""
    for url in (reverse("public_programme_list"), public_url(published.programme)):
        html = page(url)
        assert HIDDEN not in html and HIDDEN.lower() not in html, url
        assert "@" not in html
        assert published.report.summary not in html


@pytest.mark.parametrize("which", ["other_programme", "published_draft", "hidden_previous"])
def test_a_programme_not_published_or_a_draft_is_not_found(published, which):
    response = Client().get(public_url(getattr(published, which)))
    assert response.status_code == 404
    assert HIDDEN not in response.content.decode()


def test_a_programme_that_does_not_exist_is_not_found(published):
    assert Client().get(reverse("public_programme_detail", args=[10**9])).status_code == 404


def test_the_tasks_and_outputs_of_a_large_programme_come_in_pages(published, monkeypatch):
    monkeypatch.setattr(queries, "ROWS_PER_PAGE", 1)
    first = page(public_url(published.programme))
    second = page(public_url(published.programme) + "?tasks_page=2&outputs_page=1")
    assert "Chọn tạo giống lúa chịu mặn" not in first and "Chọn tạo giống lúa chịu mặn" in second
    assert escape("?tasks_page=2&outputs_page=1#tasks-heading") in first


# The frame of a visitor's page


def test_a_visitor_sees_the_site_name_the_language_switch_and_a_login_link_only(published):
    response = Client().get(reverse("public_programme_list"))
    html = response.content.decode()
    assert vietnamese("S&T cooperation programmes") in html
    assert f'href="{reverse("login")}"' in html
    assert f'action="{reverse("public_language")}" method="get"' in html
    assert "csrfmiddlewaretoken" not in html  # nothing of one visitor: the page may be kept by proxies
    for internal in ("task_list", "output_list", "dashboard", "search"):
        assert f'href="{reverse(internal)}"' not in html, internal
    assert 'role="search"' not in html


def test_a_logged_in_user_sees_the_public_page_in_the_usual_frame_kept_private(published):
    client = logged_in(published.province_user)
    response = client.get(public_url(published.programme))
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)
    assert 'role="search"' in response.content.decode()


def test_a_visitors_page_may_be_kept_publicly_for_a_short_while(published):
    for url in (reverse("public_programme_list"), public_url(published.programme), reverse("open_data")):
        response = Client().get(url)
        assert cache_control(response) == {"public", "max-age=120"}, url
        assert "Cookie" in response["Vary"]
        assert not response.cookies  # no token, no session: the same answer for every visitor


def test_the_language_switch_of_a_visitor_sets_the_language_and_returns(published):
    client = Client()
    url = public_url(published.programme)
    response = client.get(reverse("public_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = page(url, client)
    assert '<html lang="en">' in html
    assert escape(in_language("en", "Verified outputs")) in html
    client.get(reverse("public_language"), {"language": "vi", "next": url})
    assert '<html lang="vi">' in page(url, client)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", ""])
def test_the_language_switch_never_leads_away(published, next_url):
    response = Client().get(reverse("public_language"), {"language": "en", "next": next_url})
    assert response["Location"] == reverse("public_programme_list")


# Search engines


def test_each_public_page_has_its_own_description(published):
    descriptions = {}
    for url in (reverse("public_programme_list"), public_url(published.programme), reverse("open_data")):
        found = re.findall(r'<meta name="description" content="([^"]+)">', page(url))
        assert len(found) == 1, url
        descriptions[url] = found[0]
    assert len(set(descriptions.values())) == 3
    assert escape(published.programme.title) in descriptions[public_url(published.programme)]


def test_the_sitemap_lists_the_public_pages_and_only_published_programmes(published):
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    locations = re.findall(r"<loc>http://testserver(.*?)</loc>", response.content.decode())
    assert sorted(locations) == sorted(
        [reverse("public_programme_list"), reverse("open_data"), public_url(published.programme)]
    )


def test_robots_allow_the_public_pages_and_the_open_data_and_nothing_else(published):
    response = Client().get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert {"Allow: /public/", "Allow: /open-data/", "Disallow: /"} <= set(lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines


# Kept, and cleared when the data changes


def test_a_page_kept_is_served_in_a_couple_of_queries(published):
    url = public_url(published.programme)
    page(url)
    with CaptureQueriesContext(connection) as queries:
        page(url)
    assert len(queries) <= 2  # the programme, and the version of the data


def test_a_changed_task_shows_on_the_next_request(published):
    url = public_url(published.programme)
    assert "Mô hình sản xuất lúa TBR225" in page(url)
    task = Task.objects.get(pk=published.task.pk)
    task.title = "Mô hình sản xuất lúa TBR225 mở rộng"
    task_services.task_save(task=task, by=published.ministry_user)
    assert "Mô hình sản xuất lúa TBR225 mở rộng" in page(url)


def test_an_output_verified_shows_on_the_next_request_and_counts(published):
    url = public_url(published.programme)
    submitted = OutputFactory(
        task=published.task,
        status=OutputStatus.SUBMITTED,
        submitted_by=published.province_user,
        name="Mô hình nuôi tôm vừa xác nhận",
        quantity=3,
    )
    before = page(url)
    assert "Mô hình nuôi tôm vừa xác nhận" not in before
    list_before = page(reverse("public_programme_list"))
    assert "<strong>12</strong> mô hình" in list_before
    task_services.output_verify(output=submitted, reviewer=published.ministry_user)
    after = page(url)
    assert "Mô hình nuôi tôm vừa xác nhận" in after
    assert "<strong>15</strong> mô hình" in page(reverse("public_programme_list"))


def test_a_programme_taken_back_is_gone_at_once(published):
    url = public_url(published.programme)
    page(url)
    page(reverse("public_programme_list"))
    programme_services.programme_publish(programme=published.programme, published=False)
    assert Client().get(url).status_code == 404
    assert escape(published.programme.title) not in page(reverse("public_programme_list"))


def test_a_published_programme_set_back_to_draft_is_hidden(published):
    url = public_url(published.programme)
    page(url)
    published.programme.status = ProgrammeStatus.DRAFT
    published.programme.save()
    assert Client().get(url).status_code == 404


# The open data page and its downloads


def test_the_open_data_page_lists_the_downloads_with_date_size_and_sha256(published, settings):
    settings.SITE_URL = "https://chuongtrinh.most.gov.vn"
    call_command("export_open_data", stdout=io.StringIO())
    dump = OpenDataDump.objects.get()
    html = page(reverse("open_data"))
    assert dump.created_at.astimezone().strftime("%d/%m/%Y") in html
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", html)
    assert dump.sha256 in html
    assert reverse("open_data_download", args=[dump.pk]) in html
    assert re.search(r"\d+(,\d)?\xa0KB", html)  # the size, for people
    assert "CC BY 4.0" in html and "https://creativecommons.org/licenses/by/4.0/" in html


def test_a_download_is_the_file_with_its_sha256_in_a_header(published):
    call_command("export_open_data", stdout=io.StringIO())
    dump = OpenDataDump.objects.get()
    response = Client().get(reverse("open_data_download", args=[dump.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == dump.sha256 == response["X-Checksum-SHA256"]
    assert response["Repr-Digest"].startswith("sha-256=:")
    assert response["Content-Disposition"] == f'attachment; filename="{dump.file.name.rsplit("/", 1)[-1]}"'
    assert response["Content-Type"] == "application/zip"
    latest = Client().get(reverse("open_data_latest"))
    assert latest.status_code == 302 and latest["Location"] == reverse("open_data_download", args=[dump.pk])


def test_without_downloads_the_page_says_so_and_latest_is_not_found(published):
    assert shows(
        Client().get(reverse("open_data")),
        in_language("vi", "No download has been made yet. They are made regularly; come back later."),
    )
    assert Client().get(reverse("open_data_latest")).status_code == 404
    assert Client().get(reverse("open_data_download", args=[1])).status_code == 404


# Nothing else without login

# Pages open to everyone; each is checked above or where its app is tested.
OPEN_TO_EVERYONE = {
    "public_programme_list",
    "public_programme_detail",
    "public_language",
    "open_data",
    "open_data_latest",
    "open_data_download",
    "sitemap",
    "robots_txt",
    # Logging in, out and choosing the language, and the load balancer's health check.
    "login",
    "logout",
    "set_language",
    "healthz",
    # The site's icon, which browsers ask for on every page, the login page included.
    "favicon",
}
EXAMPLE_ARGUMENTS = {"int": 1, "str": "tasks", "slug": "tasks", "path": "tasks", "uuid": "1" * 32}


def example_url(pattern, prefix: str) -> str:
    """The pattern's path with an example value in each of its parameters."""
    route = prefix + str(pattern.pattern)
    return "/" + re.sub(
        r"<(?:(\w+):)?\w+>", lambda match: str(EXAMPLE_ARGUMENTS.get(match.group(1) or "str", "1")), route
    ).lstrip("^").rstrip("$")


def patterns_with_prefix(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from patterns_with_prefix(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield pattern, prefix


def test_the_crawl_finds_every_url_pattern():
    assert len(list(patterns_with_prefix())) == len(list(url_patterns()))


def test_every_other_page_sends_a_visitor_to_log_in(published):
    login = reverse("login")
    checked = []
    for pattern, prefix in patterns_with_prefix():
        if pattern.name in OPEN_TO_EVERYONE:
            continue
        url = example_url(pattern, prefix)
        response = Client().get(url)
        if url.startswith("/api/") and pattern.name != "api_docs":
            # The API answers for itself, without redirecting: never with data to someone unknown. Its
            # documentation is a page like the others.
            assert response.status_code in (401, 403), url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(login + "?next="), url
        checked.append(pattern.name)
    assert len(checked) > 50
