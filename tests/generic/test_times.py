"""Every moment a page or an export shows is in Hà Nội time, on every list of tests/generic/cases.py.

Each list's rows are given one moment, 08:07 UTC on 3 December 2026, in every date-and-time column
of their model (and in their history): 15:07 in Hà Nội. The list page, its CSV and XLSX exports, the
row's own page and its history tab must say 15:07 wherever they show that moment, and never 08:07.
"""

import datetime

import pytest
from django.db import models
from django.urls import reverse

from tests.generic.cases import LIST_CASES
from tests.helpers import body, csv_rows, list_views, xlsx_rows

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 12, 3, 8, 7, tzinfo=datetime.UTC)
LOCAL, UTC = "15:07", "08:07"
LIST_VIEWS = list_views()
CASES = [case for case in LIST_CASES if case.list in LIST_VIEWS]


def moment_fields(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if isinstance(field, models.DateTimeField)]


def at_the_moment(world, case):
    """Every row of the list's model at the moment, in every date-and-time column and in its history."""
    model = type(world.rows[case.list][0])
    fields = moment_fields(model)
    if fields:
        model._default_manager.update(**dict.fromkeys(fields, MOMENT))
    if hasattr(model, "history"):
        model.history.update(history_date=MOMENT, **dict.fromkeys(fields, MOMENT))
    return model, fields


def time_columns(case, fields) -> list[str]:
    """The columns of the list's table that show one of the model's date-and-time columns."""
    table = LIST_VIEWS[case.list].table_class
    return [name for name, column in table.base_columns.items() if str(column.accessor or name) in fields]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_list_page_shows_moments_in_ha_noi_time(world, case):
    _model, fields = at_the_moment(world, case)
    response = world.clients["administrator"].get(reverse(case.list), {"per_page": 100})
    html = response.content.decode()
    assert UTC not in html
    table = response.context["table"]
    if any(table.columns[name].visible for name in time_columns(case, fields)):
        assert f"{LOCAL} 03/12/2026" in html


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_exports_hold_moments_in_ha_noi_time(world, case, export_format):
    _model, fields = at_the_moment(world, case)
    response = world.clients["administrator"].get(reverse(case.list), {"_export": export_format})
    header, *rows = csv_rows(response) if export_format == "csv" else xlsx_rows(response)
    assert rows
    table = LIST_VIEWS[case.list].table_class([])
    headers = {name: str(table.columns[name].header) for name in time_columns(case, fields)}
    for name, title in headers.items():
        index = header.index(title)
        for row in rows:
            assert local_time(row[index]), (name, row[index])
    if export_format == "csv":
        assert UTC not in "\n".join(",".join(row) for row in [header, *rows])


def local_time(value) -> bool:
    """An exported cell reads 15:07 on 3 December 2026: a text (a CSV cell, a formatted XLSX cell) or a
    spreadsheet's date and time, which carries no zone and so must be the local one."""
    if isinstance(value, datetime.datetime):
        return (value.date(), value.hour, value.minute) == (MOMENT.date(), 15, 7)
    return isinstance(value, str) and LOCAL in value and UTC not in value


DETAILS = [case for case in CASES if case.detail]


@pytest.mark.parametrize("case", DETAILS, ids=str)
def test_the_rows_page_and_its_history_show_moments_in_ha_noi_time(world, case):
    model, fields = at_the_moment(world, case)
    inside = world.rows[case.list][0]
    url = reverse(case.detail, args=[inside.pk])
    client = world.clients["administrator"]
    response = client.get(url)
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return  # a download (an issued PDF), whose moment is in its own text
    html = body(response).decode()
    assert UTC not in html
    if fields:
        assert LOCAL in html
    if hasattr(model, "history"):
        history = client.get(url, {"tab": "history"}).content.decode()
        assert f"{LOCAL} 03/12/2026" in history
        assert UTC not in history
