"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test starts from the demo data set (`load_demo`, about a second) in a database that
the live server shares with the test, and saves screenshots of its main steps into
`tests/e2e/screenshots/` for a person to look at without running the tests.

Without Chromium or the playwright package the tests are skipped with the reason; with
`E2E_REQUIRED=1` (set by `.ci/run`) they fail instead, so that CI always runs them.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise
# refuse to run (SynchronousOnlyOperation) in the test's own database calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
# Waits for a page or an element; a local server answers far sooner.
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


def _unavailable(reason: str):
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail(f"Browser tests are required (E2E_REQUIRED=1) but cannot run: {reason}", pytrace=False)
    pytest.skip(f"Browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install '.[dev]')")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium is missing at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback, live_server):
    """The demo data set, in the database the live server reads.

    A transactional test ends by emptying every table, the role groups that a migration
    made included; the serialized rollback puts back what the migrations wrote.
    """
    call_command("load_demo", verbosity=0)
    return live_server


@pytest.fixture
def new_page(browser, demo, request):
    """Open pages in fresh browser contexts (no shared cookies): `new_page(width=375)`.

    The browser asks for Vietnamese first, as the users' browsers do. Every journey also
    checks the Content-Security-Policy: anything the browser refused to run or apply
    (an inline script or style, a file from elsewhere) fails the test.
    """
    contexts = []
    refused = []

    def watch_policy(message):
        if "Content Security Policy" in message.text:
            refused.append(f"{message.page.url if message.page else ''}: {message.text}")

    def open_page(*, width: int = 1280, height: int = 900, locale: str = "vi-VN"):
        context = browser.new_context(
            base_url=demo.url,
            viewport={"width": width, "height": height},
            locale=locale,
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", watch_policy)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert refused == [], "the browser refused content under the Content-Security-Policy"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def shot(request):
    """`shot(page, "step")` saves a full-page screenshot named after the test and the step."""
    SCREENSHOTS.mkdir(exist_ok=True)
    test_name = re.sub(r"\W+", "-", request.node.name).strip("-")
    counter = iter(range(1, 100))

    def take(page, step: str):
        path = SCREENSHOTS / f"{test_name}-{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
