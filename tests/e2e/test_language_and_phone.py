"""The language switch, and pages that fit a phone's width."""

import re

import pytest

from tasks.models import Task
from tests.e2e.helpers import expect, log_in, main, menu, unfold


def test_language_switches_to_english_and_back(page, shot):
    log_in(page, "bo.chuyenvien")
    menu(page).get_by_role("link", name="Nhiệm vụ", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    list_url = page.url

    menu(page).get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(menu(page).get_by_role("link", name="Tasks", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("S&T tasks")
    assert page.url == list_url  # the same page, in the other language
    shot(page, "english")

    menu(page).get_by_role("button", name="VI").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(menu(page).get_by_role("link", name="Nhiệm vụ", exact=True)).to_be_visible()
    assert page.url == list_url
    shot(page, "vietnamese")


def fits_width(page) -> bool:
    # Measured once the stylesheets apply: the text a journey waits for may be there before them.
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [375])
def test_phone_width_needs_no_sideways_scrolling(new_page, shot, width):
    page = new_page(width=width, height=800)
    log_in(page, "so.thaibinh")
    task = Task.objects.get(code="TB-2012-28")

    # On a phone the menu and the filters fold behind buttons.
    page.get_by_role("button", name="Mở trình đơn").click()
    expect(menu(page)).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    menu(page).get_by_role("link", name="Nhiệm vụ", exact=True).click()
    expect(page.locator("#result-count")).to_be_visible()
    shot(page, "task-list")
    assert fits_width(page), "the task list scrolls sideways"

    unfold(page, "Bộ lọc", "#list-filters")
    main(page).get_by_role("textbox", name="Tìm kiếm").fill(task.code)
    main(page).get_by_role("button", name="Lọc", exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]q={task.code}(&|$)"))
    expect(page.locator("#result-count")).to_contain_text("1 dòng")
    assert fits_width(page), "the filtered task list scrolls sideways"

    main(page).get_by_role("link", name=task.code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(task.title)
    shot(page, "task")
    assert fits_width(page), "the task page scrolls sideways"

    main(page).get_by_role("link", name="Báo cáo tiến độ", exact=True).click()
    expect(page.locator("#id_as_of")).to_be_visible()
    shot(page, "progress-form")
    assert fits_width(page), "the progress form scrolls sideways"
