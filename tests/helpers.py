"""Helpers every test folder shares: reading pages, exports and messages, counting queries, finding the lists.

Fixtures and the rows they build are in tests/conftest.py; the factories in tests/factories.py.
"""

import csv
import datetime
import io
import re
from contextlib import contextmanager

import openpyxl
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from coop.views import BaseListView

DEMO_PASSWORD = "demo12345"  # the README's password of every demo user


def demo_login(username: str) -> Client:
    """A client logged in as a user of `load_demo`, with the password the README gives."""
    client = Client()
    assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)
    return client


# Messages


def in_language(language: str, message, **params) -> str:
    """A message (a msgid or a lazy translation) as a user of `language` reads it."""
    with translation.override(language):
        text = gettext(message) if isinstance(message, str) else str(message)
    return text % params if params else text


def vietnamese(message, **params) -> str:
    """The Vietnamese text of a message, checked to be a translation rather than the English source."""
    text = in_language("vi", message, **params)
    assert text != in_language("en", message, **params), f"not translated: {message!r}"
    return text


# Pages


def shows(response, text: str) -> bool:
    """The text is on the page, as the template escapes it."""
    return escape(text) in response.content.decode()


def page_title(response) -> str:
    html = response.content.decode()
    return html[html.index("<title>") + len("<title>") : html.index("</title>")]


def opened_version(response) -> str:
    """The version a form was opened at, as its hidden field carries it."""
    return re.search(r'name="opened_version" value="(\d+)"', response.content.decode()).group(1)


def dd_mm_yyyy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def listed(response) -> list:
    """The records on the page of a list, in the order shown."""
    assert response.status_code == 200
    return [row.record for row in response.context["table"].page.object_list]


def listed_pks(response) -> list[int]:
    return [record.pk for record in listed(response)]


# Exports


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response, delimiter: str = ";") -> list[list[str]]:
    """The rows of a CSV export, the header first; the file starts with a byte-order mark for Excel.

    Read with the semicolon, the separator of every user who did not choose another (`User.csv_separator`).
    """
    assert response.status_code == 200
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))


def xlsx_rows(response) -> list[list]:
    """The rows of an XLSX export as openpyxl reads their values, the header first."""
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def export_rows(response, export_format: str) -> list[list]:
    return csv_rows(response) if export_format == "csv" else xlsx_rows(response)


@contextmanager
def columns_chosen(client, list_name: str, columns: list[str]):
    """Inside the block, the list named `list_name` shows the client's user `columns`, chosen through the list's
    column chooser; after it, its default columns again (a class's demo data outlives each of its tests)."""
    url = reverse("table_columns", args=[list_name])
    assert client.post(url, {"columns": columns}).status_code == 302
    try:
        yield
    finally:
        client.post(url, {"reset": "1"})


# Queries


def count_queries(client, url: str, params=None) -> int:
    """The queries of one request, a streamed export read to its end (its rows are read while it streams)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        assert response.status_code == 200
        body(response)
    return len(queries)


def database_state(*models) -> dict:
    """Every row of `models`, and how many history rows each has: to show that a refused request changed nothing."""
    state = {}
    for model in models:
        state[model.__name__] = list(model._base_manager.order_by("pk").values())
        state[f"history of {model.__name__}"] = model.history.count()
    return state


# The URL configuration


def url_patterns(patterns=None):
    """Every URL pattern of the application (the admin's left out)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from url_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern


def list_views() -> dict[str, type]:
    """{URL name: view class} of every list page: the views built on `BaseListView`, read from the URLs."""
    found = {}
    for pattern in url_patterns():
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class and issubclass(view_class, BaseListView) and not pattern.pattern.converters:
            found[pattern.name] = view_class
    return found
