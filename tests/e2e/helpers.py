"""Steps shared by the journeys."""

import re

from seed.demo_data import DEMO_PASSWORD

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the `browser` fixture skips (or fails) with the reason
    Page, expect = object, None


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login page, as a person does, and land on the overview."""
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1, name="Tổng quan")).to_be_visible()


def main(page: Page):
    """The page's content, below the header (whose menu repeats some link names)."""
    return page.locator("main")


def row_count(page: Page) -> int:
    """The number of rows the list says match, from its "N rows match" line."""
    text = page.locator("#result-count").inner_text()
    return int("".join(ch for ch in text.split()[0] if ch.isdigit()))


def unfold(page: Page, button_name: str, panel_selector: str) -> None:
    """Press a button that unfolds a panel (phone width) and wait until it has opened.

    Bootstrap animates the panel open; a click on a control still sliding in can land on
    whatever lies beneath it, so the journey waits for the animation to end.
    """
    main(page).get_by_role("button", name=button_name).click()
    expect(page.locator(panel_selector)).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def menu(page: Page):
    """The header's menu of sections."""
    return page.locator("#main-nav")
