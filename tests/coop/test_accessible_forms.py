"""What forms tell assistive technologies (issue 19, item 9): help and errors that inputs point to, a summary of
the errors that leads to each field, a refused login marked on its fields.

The pages are the site's main pages, also with forms refused, as tests/pages.py lists them. That the
page opens on the summary (the focus moves to it) is a browser's matter: tests/e2e/test_accessibility.py.
"""

from html.parser import HTMLParser

import pytest

# The error summary's opening tag: focusable by the script (not by Tab), announced, marked for static/js/coop.js.
# The pages are drawn from the demo data in the test database, which must exist when these tests run alone.
pytestmark = pytest.mark.django_db

SUMMARY_TAG = '<div class="alert alert-danger" role="alert" tabindex="-1" id="form-errors" data-error-summary>'
# Attributes whose value is a list of ids of the same page.
ID_REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "for")


class PageOutline(HTMLParser):
    """The ids of a page, the ids its attributes refer to, its links within the page, and its inputs."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)
        self.anchors: list[str] = []
        self.inputs: dict[str, dict[str, str]] = {}  # id → attributes
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ID_REFERENCES:
            for reference in attributes.get(name, "").split():
                self.references.append((tag, name, reference))
        href = attributes.get("href", "")
        if href.startswith("#") and len(href) > 1:
            self.anchors.append(href[1:])
        if tag in ("input", "select", "textarea") and "id" in attributes:
            self.inputs[attributes["id"]] = attributes


def test_every_id_a_page_refers_to_is_on_the_page(site_pages_html):
    """Inputs' aria-describedby (help: id_<name>_helptext, errors: id_<name>_error), labels and in-page links."""
    missing = []
    for name, html in site_pages_html.items():
        outline = PageOutline(html)
        missing += [
            f"{name}: <{tag} {attribute}> names #{ref}"
            for tag, attribute, ref in outline.references
            if ref not in outline.ids
        ]
        missing += [f"{name}: a link to #{anchor}" for anchor in outline.anchors if anchor not in outline.ids]
    assert missing == []


def test_inputs_point_to_their_help_and_their_errors(site_pages_html):
    """The references the test above checks are there: to a filter's help, to a field's error."""
    tasks = PageOutline(site_pages_html["bo.chuyenvien: tasks"])
    assert tasks.inputs["id_q"]["aria-describedby"] == "id_q_helptext"
    assert "id_q_helptext" in tasks.ids
    refused = PageOutline(site_pages_html["so.thaibinh: progress report refused"])
    percent = refused.inputs["id_percent_complete"]
    assert percent["aria-invalid"] == "true"
    assert "id_percent_complete_error" in percent["aria-describedby"].split()
    assert "id_percent_complete_error" in refused.ids
    meeting = PageOutline(site_pages_html["bo.chuyenvien: meeting refused"])
    assert (
        "id_recommendations-0-raised_by_error" in meeting.inputs["id_recommendations-0-raised_by"]["aria-describedby"]
    )


@pytest.mark.parametrize(
    ("page", "fields"),
    [
        ("so.thaibinh: progress report refused", ["id_as_of", "id_percent_complete"]),
        ("so.thaibinh: output refused", ["id_quantity"]),
        ("bo.chuyenvien: meeting refused", ["id_title", "id_recommendations-0-raised_by"]),
        ("bo.chuyenvien: profile refused", ["id_language", "id_csv_separator_0"]),
        ("bo.chuyenvien: password change refused", ["id_old_password", "id_new_password1"]),
        ("so.thaibinh: import refused", ["id_file"]),
    ],
)
def test_a_refused_form_opens_on_a_summary_linking_to_each_field_in_error(site_pages_html, page, fields):
    html = site_pages_html[page]
    # Focusable by the script (not by Tab), announced, marked for static/js/coop.js.
    start = html.index(
        '<div class="alert alert-danger" role="alert" tabindex="-1" id="form-errors" data-error-summary>'
    )
    summary = html[start : html.index("</div>", start)]
    for field in fields:
        assert f'href="#{field}"' in summary, field


def test_a_wrong_password_marks_both_fields_as_invalid(site_pages_html):
    login = PageOutline(site_pages_html["anonymous: login refused"])
    assert "login-error" in login.ids
    for field in ("id_username", "id_password"):
        attributes = login.inputs[field]
        assert attributes["aria-invalid"] == "true"
        assert attributes["aria-describedby"].split() == ["login-error"]
        assert "is-invalid" in attributes["class"].split()
        assert "autofocus" not in attributes  # the page opens on the alert instead
    html = site_pages_html["anonymous: login refused"]
    assert 'id="login-error" data-error-summary' in html


def test_the_login_page_before_any_attempt_marks_nothing(site_pages_html):
    login = PageOutline(site_pages_html["anonymous: login"])
    assert "aria-invalid" not in login.inputs["id_username"]
    assert "autofocus" in login.inputs["id_username"]
    assert "data-error-summary" not in site_pages_html["anonymous: login"]
