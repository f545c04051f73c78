"""The accessibility checks of the browser tests: axe-core on every page, and the focus indicator along the Tab order.

axe-core (shipped by the axe-playwright-python package) checks the rules of WCAG 2.0, 2.1 and 2.2 at levels A
and AA on the page as the browser shows it. Loaded into every document of the tests' browser contexts, it
checks each page once it has loaded (tests/e2e/axe_runner.js); `tests/e2e/conftest.py` collects what each
page reports and fails the test on any violation; `axe_violations(page)` reads the report of one page.

The focus check follows WCAG 2.4.7, 2.4.11 and 1.4.11: whatever receives the focus from the keyboard shows it,
by an outline or a shadow that it did not have unfocused, of a colour at least 3:1 against what lies around it.
"""

import json
from dataclasses import dataclass
from pathlib import Path

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
# What starts the console message in which a page reports its violations (tests/e2e/axe_runner.js).
AXE_REPORT_PREFIX = "coop-axe-report "

# A focus indicator's least contrast against the colours next to it (WCAG 1.4.11, non-text contrast).
FOCUS_CONTRAST_MIN = 3.0
# Tab stops followed on one page at most: the header, the filters and the first rows of a list are well within.
TAB_STOPS_MAX = 250

HERE = Path(__file__).parent


def axe_init_script() -> str:
    """axe-core and the script that runs it once each page has loaded, to load into every document of a context."""
    # Imported here: without the package the `browser` fixture skips (or fails) with the reason.
    from axe_playwright_python.base import AXE_SCRIPT

    runner = (HERE / "axe_runner.js").read_text(encoding="utf-8")
    runner = runner.replace("OPTIONS_JSON", json.dumps(AXE_OPTIONS))
    runner = runner.replace("REPORT_PREFIX", json.dumps(AXE_REPORT_PREFIX))
    return f"{AXE_SCRIPT}\n{runner}"


def axe_report(text: str) -> list[str] | None:
    """The violations a page reported in a console message; None for any other message."""
    if not text.startswith(AXE_REPORT_PREFIX):
        return None
    return json.loads(text[len(AXE_REPORT_PREFIX) :])


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page, once loaded: one line per element with the page, rule, impact, selector."""
    if not page.evaluate("() => window.__coopAxeReport !== undefined"):
        raise AssertionError(f"{page.url}: axe-core was not loaded (open pages with the `new_page` fixture)")
    return page.evaluate("() => window.__coopAxeReport")


def assert_accessible(page) -> None:
    """Fail with the list of axe-core's violations on the page, if there is any."""
    violations = axe_violations(page)
    assert violations == [], "axe-core violations:\n" + "\n".join(violations)


# The focus indicator

# Loaded into a page to measure its focus indicators (window.__coopFocus).
FOCUS_SCRIPT = (HERE / "focus.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class FocusStop:
    """One element the Tab key reached, and how its focus shows."""

    element: str
    changed: bool
    contrast: float
    outline: str
    box_shadow: str

    def fault(self) -> str | None:
        if not self.changed:
            return f"{self.element}: focus changes nothing visible (outline {self.outline}, shadow {self.box_shadow})"
        if self.contrast < FOCUS_CONTRAST_MIN:
            return (
                f"{self.element}: focus indicator {self.contrast:.2f}:1 against its background, under "
                f"{FOCUS_CONTRAST_MIN}:1 (outline {self.outline}, shadow {self.box_shadow})"
            )
        return None


def tab_through(page) -> list[FocusStop]:
    """Press Tab from the top of the page until the focus leaves it, measuring the focus at every stop."""
    # axe-core checks the page once loaded: let it finish before the keys are pressed.
    page.evaluate("() => window.__coopAxeReport")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.evaluate(FOCUS_SCRIPT)
    page.evaluate("() => window.__coopFocus.rememberUnfocused()")
    stops = []
    for _ in range(TAB_STOPS_MAX):
        page.keyboard.press("Tab")
        measured = page.evaluate("() => window.__coopFocus.measure()")
        if measured is None:
            break
        measured["box_shadow"] = measured.pop("boxShadow")
        stops.append(FocusStop(**measured))
    return stops


def focus_faults(page) -> list[str]:
    """What is wrong with the focus indicators along the page's Tab order, one line per element."""
    stops = tab_through(page)
    assert stops, f"{page.url}: the Tab key reached nothing"
    return [f"{page.url}: {fault}" for stop in stops if (fault := stop.fault())]
