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
from tests.helpers import list_views

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
    """Without a user (no request), the separator is the semicolon of Excel in Vietnamese."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    for n in range(7):
        AgencyFactory(name=f"Sở số {n}", short_name=f"S{n}")
    response = export("csv", Agency.objects.all())
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
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
    assert len(list(csv.reader(io.StringIO(body), delimiter=";"))) == 1


@pytest.mark.parametrize("dangerous", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("http://x")'])
def test_cells_that_spreadsheets_would_run_as_formulas_are_neutralised(dangerous):
    AgencyFactory(name=dangerous, short_name="ok")
    body = b"".join(export("csv", Agency.objects.all()).streaming_content).decode("utf-8").lstrip("\ufeff")
    cell = list(csv.reader(io.StringIO(body), delimiter=";"))[1][0]
    assert cell == "'" + dangerous


def test_numbers_are_not_touched():
    assert exports.neutralise(-5) == -5
    assert exports.neutralise("Thái Bình") == "Thái Bình"


# The export's own column readers give what django-tables2's `as_values()` gives, on every list.


def library_values(table_class, queryset, order_by):
    rows = table_class(queryset, order_by=order_by).as_values()
    return [[str(name) for name in next(rows)], *rows]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("view", list_views().values(), ids=lambda view: view.__name__)
def test_every_list_exports_the_values_django_tables2_would(demo_with_gaps, db, view, language):
    queryset = view.queryset.all()
    table_class = view.table_class
    with translation.override(language):
        order_by = table_class._meta.order_by
        ours = list(exports.export_rows(table_class, queryset, order_by))
        assert len(ours) == queryset.count() + 1
        assert ours == library_values(table_class, queryset, order_by)


class LibraryPathsTable(tables.Table):
    """Columns whose values this module leaves to django-tables2, cell by cell."""

    name = tables.Column()
    counter = tables.TemplateColumn("{{ row_counter }}:{{ value }}", accessor="name")
    by_row = tables.Column(accessor="short_name")
    kind = tables.Column()
    province = tables.Column(accessor="province__name")

    class Meta:
        model = Agency
        fields = ("name", "kind", "province")

    def value_by_row(self, value, bound_row):
        return f"{bound_row.record.pk}-{value}"


def test_columns_that_need_the_row_itself_are_read_by_the_library(db):
    AgencyFactory(name="Sở Khoa học và Công nghệ Thái Bình", short_name="Sở Thái Bình")
    AgencyFactory(name="Viện Di truyền Nông nghiệp", short_name="AGI", province=None)
    queryset = Agency.objects.select_related("province").order_by("name")
    ours = list(exports.export_rows(LibraryPathsTable, queryset, None))
    assert ours == library_values(LibraryPathsTable, queryset, None)
    names = [row[0] for row in ours[1:]]
    assert [row[3] for row in ours[1:]] == [f"{counter}:{name}" for counter, name in enumerate(names)]
    assert "Sở Khoa học và Công nghệ Thái Bình" in names
