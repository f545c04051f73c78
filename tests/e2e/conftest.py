"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test starts from the demo data set (`load_demo`, about a second) in a database that
the live server shares with the test, and saves screenshots of its main steps into
`tests/e2e/screenshots/` for a person to look at without running the tests. Every page a journey
shows is checked with axe-core (tests/e2e/accessibility.py): a violation of WCAG 2.0, 2.1 or 2.2
at level A or AA fails the test.

Without Chromium or the playwright package the tests are skipped with the reason; with
`E2E_REQUIRED=1` (set by `.ci/run`) they fail instead, so that CI always runs them.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.accessibility import axe_init_script, axe_report

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
    try:
        import axe_playwright_python  # noqa: F401  (axe-core, which checks every page)
    except ImportError:
        _unavailable("the axe-playwright-python package is not installed (pip install '.[dev]')")
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


class AccessibilityWatch:
    """Collects what axe-core finds on each page the journey shows, and lets no page go unchecked.

    axe-core runs in each page once it has loaded and reports through the console
    (tests/e2e/accessibility.py). A journey may leave a page sooner: the request that would
    replace it is held (`context.route`) until the page has reported, then let through.
    """

    def __init__(self):
        self.violations: list[str] = []
        # Pages whose document has been parsed and has not reported yet.
        self.unreported = set()

    def watch(self, context) -> None:
        context.add_init_script(script=axe_init_script())
        context.on("page", self.follow)
        context.on("console", self.read_report)
        context.route(lambda url: "/static/" not in url, self.before_leaving)

    def follow(self, page) -> None:
        page.on("domcontentloaded", lambda: self.unreported.add(page))

    def read_report(self, message) -> None:
        violations = axe_report(message.text)
        if violations is not None:
            self.violations += violations
            self.unreported.discard(message.page)

    def before_leaving(self, route) -> None:
        request = route.request
        try:
            if request.is_navigation_request() and request.frame.parent_frame is None:
                self.wait_for_report(request.frame.page)
        finally:
            route.continue_()

    def wait_for_report(self, page) -> None:
        if page not in self.unreported or page.is_closed() or not page.url.startswith("http"):
            return
        try:
            page.context.wait_for_event(
                "console",
                predicate=lambda message: message.page == page and axe_report(message.text) is not None,
                timeout=TIMEOUT_MS,
            )
        except Exception as error:  # a page that cannot be checked is not taken as accessible
            self.violations.append(f"{page.url}: no report from axe-core: {error}")


@pytest.fixture
def new_page(browser, demo, request):
    """Open pages in fresh browser contexts (no shared cookies): `new_page(width=375)`.

    The browser asks for Vietnamese first, as the users' browsers do. Every journey also
    checks the Content-Security-Policy: anything the browser refused to run or apply
    (an inline script or style, a file from elsewhere) fails the test; and axe-core checks
    every page it shows (`AccessibilityWatch`): any violation fails the test.
    """
    contexts = []
    refused = []
    accessibility = AccessibilityWatch()

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
        accessibility.watch(context)
        contexts.append(context)
        page = context.new_page()
        page.on("console", watch_policy)
        return page

    yield open_page
    for context in contexts:
        try:
            for page in context.pages:
                accessibility.wait_for_report(page)
        finally:
            context.close()
    assert refused == [], "the browser refused content under the Content-Security-Policy"
    assert accessibility.violations == [], "axe-core violations:\n" + "\n".join(accessibility.violations)


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
