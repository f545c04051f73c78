"""The table rows written by coop/tables.py are django-tables2's own, on every list, page and sort."""

import re

import django_tables2 as tables
import pytest
from django.contrib.auth import get_user_model
from django.template import Context
from django.test import Client, RequestFactory
from django.utils import translation

from coop.formatting import format_vnd
from coop.tables import BaseTable, table_model, table_rows_html
from tasks.models import Task
from tests.factories import TaskFactory
from tests.helpers import list_views

LIBRARY_TEMPLATE = "django_tables2/bootstrap5.html"


def listed_table(view, params: dict, user):
    request = RequestFactory().get("/", params)
    request.user = user
    response = view.as_view()(request)
    return request, response.context_data["table"]


def markup(html: str) -> str:
    """The markup without the whitespace between tags, which the template's indentation adds."""
    return re.sub(r">\s+<", "><", html).strip()


def table_element(html: str) -> str:
    """The `<table>` itself: the pagination under it is the project's own (translated, with aria-current)."""
    return html[html.index("<table") : html.index("</table>") + len("</table>")]


def both_renderings(view, params, user) -> tuple[str, str]:
    """The table as this project writes it and as django-tables2's template does, each from a fresh view."""
    request, ours = listed_table(view, params, user)
    request, theirs = listed_table(view, params, user)
    theirs.template_name = LIBRARY_TEMPLATE
    return table_element(markup(ours.as_html(request))), table_element(markup(theirs.as_html(request)))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("view", list_views().values(), ids=lambda view: view.__name__)
@pytest.mark.parametrize(
    "params",
    [{}, {"page": "2", "per_page": "25"}, {"sort": "-pk"}, {"q": "không có dòng nào như thế"}],
    ids=["first-page", "second-page", "sorted", "empty"],
)
def test_every_list_writes_the_markup_of_django_tables2(demo_with_gaps, db, view, params, language):
    user = get_user_model().objects.get(username="bo.chuyenvien")
    with translation.override(language):
        ours, theirs = both_renderings(view, params, user)
    assert "<tbody" in ours
    assert ours == theirs


def test_a_row_links_its_task_and_writes_its_funding_as_the_page_does(demo_with_gaps, db):
    user = get_user_model().objects.get(username="bo.chuyenvien")
    request, table = listed_table(list_views()["task_list"], {"sort": "-total_funding"}, user)
    with translation.override("vi"):
        rows = table_rows_html(table, Context(autoescape=True))
    first = Task.objects.order_by("-total_funding", "-pk").first()
    first_row = rows.split("</tr>")[0]
    assert rows.count("<tr ") == 25
    assert f'<a href="{first.get_absolute_url()}">{first.code}</a>' in first_row
    assert format_vnd(first.total_funding) in first_row


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_related_tables_of_the_detail_pages_write_the_markup_of_django_tables2(demo_with_gaps, db, language):
    """A programme's tasks, an agency's tasks and a meeting's recommendations: lists of rows, not querysets."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="bo.chuyenvien"))
    programme = Task.objects.order_by("pk").first().programme
    meeting = programme.meetings.order_by("-held_on").first()
    pages = [
        (programme.get_absolute_url(), "tasks"),
        (programme.get_absolute_url(), "open_recommendations"),
        (programme.tasks.order_by("pk").first().lead_agency.get_absolute_url(), "tasks"),
        (meeting.get_absolute_url(), "recommendations"),
    ]
    for url, name in pages:
        with translation.override(language):
            table = client.get(url, HTTP_ACCEPT_LANGUAGE=language).context[name]
            request = RequestFactory().get(url)
            ours = markup(table.as_html(request))
            table.template_name = LIBRARY_TEMPLATE
            theirs = markup(table.as_html(request))
        assert table_model(table) is table._meta.model  # written by the project's own cells
        assert "<tbody" in ours
        assert ours == theirs, (url, name)


def test_link_attributes_computed_from_the_cell_are_those_the_library_writes(db):
    class LinkedTable(BaseTable):
        code = tables.Column(
            linkify=True,
            attrs={
                "a": {
                    "href": None,
                    "title": lambda value: f'"{value}" & more',
                    "data-row": lambda record: record.pk,
                    "data-any": lambda **cell: cell["bound_column"].name,
                    "data-never": lambda unknown: "never written",
                    "class": "text-nowrap",
                }
            },
        )

        programme_tasks = tables.Column(
            accessor="pk", linkify=lambda record: f"/tasks/?programme={record.programme_id}&q=<b>", attrs={"a": {}}
        )
        title = tables.Column(linkify=lambda value, table: f"/find/?title={value}&rows={len(table.rows)}")

        class Meta(BaseTable.Meta):
            model = Task
            fields = ("code", "programme_tasks", "title")

    for _ in range(3):
        TaskFactory()
    request = RequestFactory().get("/")
    ours, theirs = LinkedTable(Task.objects.order_by("pk")), LinkedTable(Task.objects.order_by("pk"))
    theirs.template_name = LIBRARY_TEMPLATE
    ours_html, theirs_html = (table_element(markup(table.as_html(request))) for table in (ours, theirs))
    assert 'title="&quot;NV-' in ours_html and "data-never" not in ours_html
    assert "&amp;q=&lt;b&gt;" in ours_html and "&amp;rows=3" in ours_html
    assert ours_html == theirs_html
