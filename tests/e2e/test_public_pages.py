"""A visitor who has not logged in reads the published Thái Bình programme, in Vietnamese and in English, on a
computer and on a phone; the pages pass axe-core's checks (WCAG 2.2 AA). Anything else asks them to log in."""

import re

import pytest

from programmes.models import Programme
from tests.e2e.helpers import expect, main, menu

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # the `browser` fixture skips (or fails) with the reason
    Axe = None

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def accessibility_violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [f"{item['id']}: {item['help']} ({len(item['nodes'])})" for item in results.response["violations"]]


def fits_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_visitor_reads_the_published_programme_and_its_verified_outputs(page, shot):
    programme = Programme.objects.get(published=True)
    page.goto("/public/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    # The header of a visitor: the site's name, the language switch and a way to log in; no menu of the application.
    expect(page.locator(".navbar-brand")).to_contain_text("Chương trình phối hợp KH&CN")
    expect(menu(page).get_by_role("button", name="EN")).to_be_visible()
    expect(menu(page).get_by_role("link", name="Đăng nhập")).to_be_visible()
    expect(menu(page).get_by_role("link", name="Nhiệm vụ", exact=True)).to_have_count(0)
    expect(page.locator("#public-programmes tbody tr")).to_have_count(1)
    shot(page, "list")
    assert accessibility_violations(page) == []

    main(page).get_by_role("link", name=programme.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(programme.title)
    expect(page.locator("#public-outputs")).to_contain_text("Giống lúa TBR225")
    expect(page.locator("#parties")).to_contain_text("Chu Ngọc Anh")
    expect(page.locator("#public-tasks tbody tr")).to_have_count(30)
    shot(page, "programme")
    assert accessibility_violations(page) == []

    programme_url = page.url
    menu(page).get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == programme_url  # the same page, in the other language
    shot(page, "programme-english")

    page.goto("/open-data/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert accessibility_violations(page) == []


@pytest.mark.parametrize("width", [375])
def test_the_public_pages_fit_a_phone(new_page, shot, width):
    page = new_page(width=width, height=800)
    programme = Programme.objects.get(published=True)
    page.goto("/public/")
    assert fits_width(page), "the list of published programmes scrolls sideways"
    page.goto(f"/public/programmes/{programme.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(programme.title)
    shot(page, "programme-phone")
    assert fits_width(page), "the programme's public page scrolls sideways"


def test_anything_else_asks_a_visitor_to_log_in(page):
    page.goto("/tasks/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/tasks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
