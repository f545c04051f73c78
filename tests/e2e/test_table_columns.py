"""Tables that fit: the default columns of every list fit a 1366-pixel screen beside the filters; each user
chooses the columns of a list and goes back to its defaults; a table wider than its box says so and keeps
its first column in view while it scrolls.

The new controls are found by their place in the page (`#column-chooser`), their boxes by the columns'
headings: the tests read the same whatever words the catalogue gives the controls.
"""

import re

from django.urls import reverse

from tests.e2e.helpers import expect, log_in, main

LISTS = (
    "task_list",
    "output_list",
    "progress_report_list",
    "agency_list",
    "meeting_list",
    "recommendation_list",
    "programme_list",
    "report_list",
)
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 800}


def table_and_box(page) -> dict:
    """The list table's full width and the width of the box it scrolls in."""
    return page.evaluate(
        """() => {
            const table = document.querySelector("main .coop-table-scroll table");
            const box = table.closest(".table-responsive");
            return {table: table.scrollWidth, box: box.clientWidth};
        }"""
    )


def chooser(page):
    return page.locator("#column-chooser")


def open_chooser_with_the_keyboard(page):
    """Focus the chooser's button, which is in the order of the Tab key, and open it with Enter."""
    summary = chooser(page).locator("summary")
    assert summary.evaluate("element => element.tabIndex") == 0
    summary.focus()
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(chooser(page)).to_have_attribute("open", "")


def headings(page) -> list[str]:
    return [text.strip() for text in main(page).locator("table thead th").all_inner_texts()]


def test_the_default_columns_of_every_list_fit_a_1366_pixel_screen(new_page, shot):
    page = new_page(**LAPTOP)
    log_in(page, "bo.chuyenvien")
    for list_name in LISTS:
        page.goto(reverse(list_name))
        expect(main(page).locator(".coop-table-scroll table")).to_be_visible()
        widths = table_and_box(page)
        assert widths["table"] <= widths["box"], f"{list_name}: {widths}"
        expect(main(page).locator(".coop-scroll-hint")).to_be_hidden()
        if list_name == "task_list":
            shot(page, "tasks")


def test_a_user_chooses_the_columns_of_a_list_then_goes_back_to_the_defaults(new_page, shot):
    page = new_page(**LAPTOP)
    log_in(page, "bo.chuyenvien")
    page.goto(reverse("task_list") + "?status=completed&sort=-code")
    defaults = headings(page)
    assert "Cơ quan chủ trì" not in defaults and "Kinh phí Bộ hỗ trợ" in defaults

    open_chooser_with_the_keyboard(page)
    boxes = chooser(page).get_by_role("group")
    expect(boxes.get_by_role("checkbox", name="Mã")).to_be_checked()
    expect(boxes.get_by_role("checkbox", name="Mã")).to_be_disabled()  # the first column always stays
    boxes.get_by_role("checkbox", name="Cơ quan chủ trì", exact=True).check()
    boxes.get_by_role("checkbox", name="Kinh phí Bộ hỗ trợ", exact=True).uncheck()
    shot(page, "chooser")
    chooser(page).locator("button[type=submit]:not([name=reset])").click()

    # Back on the same filtered, sorted page, with the columns chosen in the table's order.
    expect(page).to_have_url(re.compile(r"/tasks/\?status=completed&sort=-code$"))
    chosen = headings(page)
    assert "Kinh phí Bộ hỗ trợ" not in chosen
    assert chosen.index("Tên") < chosen.index("Cơ quan chủ trì") < chosen.index("Trạng thái")
    widths = table_and_box(page)
    assert widths["table"] <= widths["box"], widths
    shot(page, "chosen")

    # The choice is kept for the user: it is there on their next visit.
    page.goto(reverse("task_list"))
    assert headings(page) == chosen

    # The default columns again.
    chooser(page).locator("summary").click()
    chooser(page).locator("button[name=reset]").click()
    expect(page).to_have_url(re.compile(r"/tasks/$"))
    assert headings(page) == defaults


def test_a_wider_table_says_so_and_keeps_its_first_column_in_view(new_page, shot):
    page = new_page(**LAPTOP)
    log_in(page, "bo.chuyenvien")
    page.goto(reverse("task_list"))
    chooser(page).locator("summary").click()
    for box in chooser(page).get_by_role("group").get_by_role("checkbox").all():
        if box.is_enabled():
            box.check()
    chooser(page).locator("button[type=submit]:not([name=reset])").click()
    expect(main(page).locator(".coop-scroll-hint")).to_be_visible()
    widths = table_and_box(page)
    assert widths["table"] > widths["box"], widths
    shot(page, "every-column")


def test_on_a_phone_the_hint_shows_and_the_first_column_stays_while_the_table_scrolls(new_page, shot):
    page = new_page(**PHONE)
    log_in(page, "so.thaibinh")
    page.goto(reverse("task_list"))
    scroll_box = main(page).locator(".coop-table-scroll")
    expect(scroll_box.locator(".coop-scroll-hint")).to_be_visible()
    expect(scroll_box).to_have_class(re.compile(r"\bis-overflowing\b"))
    first_cell = scroll_box.locator("tbody tr").first.locator("td").first
    code = first_cell.inner_text()
    left_before = first_cell.bounding_box()["x"]
    shot(page, "before-scrolling")

    # Scrolled to the last column: the code is still where it was, on top of the columns passing under it.
    scroll_box.locator(".table-responsive").evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    expect(scroll_box).to_have_class(re.compile(r"\bis-at-end\b"))
    assert abs(first_cell.bounding_box()["x"] - left_before) < 1
    expect(first_cell.get_by_role("link", name=code)).to_be_in_viewport()
    topmost = first_cell.evaluate(
        """cell => {
            const box = cell.getBoundingClientRect();
            const found = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return cell.contains(found);
        }"""
    )
    assert topmost, "a scrolled column covers the first one"
    last_heading = scroll_box.locator("thead th").last
    expect(last_heading).to_be_in_viewport()
    shot(page, "scrolled")
