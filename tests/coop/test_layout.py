"""The frame of every page: logging in, the language switch, the error pages, the site's icon.

That every list and page of one row needs a login, and the page sizes of every list: tests/generic.
"""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.conftest import logged_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PAGES = ["dashboard", "programme_list", "task_list", "output_list", "meeting_list", "agency_list", "report_list"]


def test_the_login_page_speaks_vietnamese_and_logs_in(client, scope):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Đăng nhập" in page.content.decode()
    response = client.post(reverse("login"), {"username": "bo.test", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_a_wrong_password_is_refused_with_a_message_in_vietnamese(client, scope):
    response = client.post(reverse("login"), {"username": "bo.test", "password": "sai mật khẩu"})
    assert response.status_code == 200
    assert "tên đăng nhập" in response.content.decode().lower()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_the_frame_a_user_expects(scope, name):
    html = logged_in(scope.ministry_user).get(reverse(name)).content.decode()
    assert '<html lang="vi">' in html
    assert "<title>" in html and "</title>" in html
    for label in ("Tổng quan", "Chương trình", "Nhiệm vụ", "Kết quả/Sản phẩm", "Cuộc họp", "Cơ quan", "Báo cáo"):
        assert label in html
    assert 'role="search"' in html
    assert scope.ministry_user.get_full_name() in html


def test_the_language_switch_turns_pages_english_and_back(scope):
    client = logged_in(scope.ministry_user)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("task_list")})
    assert response.status_code == 302
    html = client.get(reverse("task_list")).content.decode()
    assert '<html lang="en">' in html and "Overview" in html
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get(reverse("task_list")).content.decode()


def test_a_page_outside_the_users_scope_is_a_404_in_vietnamese(scope):
    response = logged_in(scope.province_user).get(reverse("task_detail", args=[scope.other_task.pk]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.parametrize("path", ["/no-such-page/", "/tasks/999999999/"], ids=["no such URL", "no such row"])
def test_under_debug_a_missing_page_is_the_sites_own_404_in_vietnamese(scope, path, settings):
    # `make run` sets DEBUG=1; Django's technical page would be in English and list every URL pattern.
    settings.DEBUG = True
    response = logged_in(scope.ministry_user).get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert "URLconf" not in page


def test_vietnamese_is_the_default_whatever_the_browser_asks_for(scope):
    client = logged_in(scope.ministry_user)
    html = client.get(reverse("task_list"), headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in html


def test_the_site_has_an_icon_and_favicon_ico_finds_it(client, scope):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert finders.find(response["Location"].removeprefix("/static/"))
    html = logged_in(scope.ministry_user).get(reverse("dashboard")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.ico" sizes="32x32">' in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("img/favicon.svg")
