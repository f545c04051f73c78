"""Streaming export: every row, in chunks, with values a spreadsheet cannot mistake for formulas."""

import csv
import io

import django_tables2 as tables
import openpyxl
import pytest
from django.utils import translation

from coop import exports
from programmes.models import Agency
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


class AgencyExportTable(tables.Table):
    class Meta:
        model = Agency
        fields = ("name", "short_name")
        order_by = ("name",)


def export(export_format, queryset):
    return exports.export_response(
        table_class=AgencyExportTable,
        queryset=queryset,
        order_by=("name",),
        export_format=export_format,
        filename="Cơ quan, đơn vị",
    )


@translation.override("vi")
def test_csv_streams_every_row_in_chunks_with_a_byte_order_mark(monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    for n in range(7):
        AgencyFactory(name=f"Sở số {n}", short_name=f"S{n}")
    response = export("csv", Agency.objects.all())
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["Tên", "Tên viết tắt"]  # the headers of the page, in the user's language
    assert [row[0] for row in rows[1:]] == [f"Sở số {n}" for n in range(7)]
    assert 'filename="co-quan-don-vi-' in response["Content-Disposition"]


def test_xlsx_holds_every_row_with_diacritics_intact():
    AgencyFactory(name="Ủy ban nhân dân tỉnh Thái Bình", short_name="UBND tỉnh Thái Bình")
    response = export("xlsx", Agency.objects.all())
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1] == ("Ủy ban nhân dân tỉnh Thái Bình", "UBND tỉnh Thái Bình")


def test_an_empty_export_still_has_its_header():
    response = export("csv", Agency.objects.none())
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    assert len(list(csv.reader(io.StringIO(body)))) == 1


@pytest.mark.parametrize("dangerous", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("http://x")'])
def test_cells_that_spreadsheets_would_run_as_formulas_are_neutralised(dangerous):
    AgencyFactory(name=dangerous, short_name="ok")
    body = b"".join(export("csv", Agency.objects.all()).streaming_content).decode("utf-8").lstrip("\ufeff")
    cell = list(csv.reader(io.StringIO(body)))[1][0]
    assert cell == "'" + dangerous


def test_numbers_are_not_touched():
    assert exports.neutralise(-5) == -5
    assert exports.neutralise("Thái Bình") == "Thái Bình"
