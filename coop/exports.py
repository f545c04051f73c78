"""Streaming CSV and XLSX export of every filtered row of a list, whatever its size.

Rows are read from the database a chunk at a time and formatted by the list's own
table class, so an export holds the columns a user sees (and the hidden ones)
with the same values, and 50,000 rows never sit in memory at once.

The values are those of django-tables2's `Table.as_values()`, each column's work done once
(`coop.tables.ExportCells`): 50,000 tasks of 20 columns in a few seconds rather than half a minute.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django_tables2.rows import BoundRow
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from coop.tables import ExportCells, table_model
from coop.text import fold

EXPORT_FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000

# Formula injection ("CSV injection"): a cell whose text starts with one of these is read by
# spreadsheets as a formula, `=HYPERLINK(...)` or `=cmd|...` typed into a task's title by anyone
# who may edit it. OWASP's list: the four formula signs, and tab and carriage return before them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The longest text an Excel cell holds.
XLSX_MAX_TEXT = 32_767


def neutralise(value):
    """A CSV cell's value, made inert for spreadsheets: text starting like a formula gets a leading apostrophe.

    Only text is touched. Amounts, counts and dates come from the tables as numbers and dates,
    and are written unchanged (-5 stays -5): the database made them, not a user's typing. A CSV
    file has no types, so the apostrophe, which spreadsheets read as "this is text", is the only
    way to say it (as OWASP recommends); it shows, which is the price of opening safely anywhere.
    XLSX cells do have types: see `xlsx_cell`.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_cell(sheet, value):
    """A value as an XLSX cell: text is always a text cell; numbers and dates keep their types.

    openpyxl would store text starting with "=" as a formula and "#N/A" as an error. Text cells
    are never evaluated, so the text is kept exactly as typed, marked with Excel's quote prefix
    (what Excel itself stores when someone types '=1+1): editing the cell keeps it text. Control
    characters, which XLSX cannot hold, are dropped; text past Excel's 32,767 characters is cut.
    Times are written in the local time zone, which the export is read in (XLSX has no zones).
    """
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_MAX_TEXT])
    cell.data_type = "s"
    if value.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell


def export_rows(table_class, queryset, order_by) -> Iterator[list]:
    """The header, then one list of values per row, formatted by `table_class` as its `as_values()` would."""
    table = table_class(queryset, order_by=order_by)
    columns = [column for column in table.columns.iterall() if not column.column.exclude_from_export]
    yield [str(force_str(column.header, strings_only=True)) for column in columns]
    cells = [ExportCells(table, column, table_model(table)) for column in columns]
    # Read a chunk at a time, so memory stays bounded whatever the number of rows.
    for record in table.data.data.iterator(chunk_size=CHUNK_SIZE):
        bound_row = BoundRow(record, table=table)
        yield [cell_of(bound_row) for cell_of in cells]


class _Echo:
    """A file-like object whose `write` returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    # A byte-order mark so that Excel opens UTF-8 with the diacritics intact.
    yield "\ufeff"
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(["" if value is None else neutralise(value) for value in row])


def xlsx_file(rows: Iterable[list]):
    """An XLSX workbook written row by row (openpyxl's write-only mode) to a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def export_filename(name: str, extension: str) -> str:
    slug = "-".join(fold(name).split()) or "export"
    return "{}-{}.{}".format(slug, timezone.localdate().strftime("%Y%m%d"), extension)


def export_response(*, table_class, queryset, order_by, export_format: str, filename: str, request=None):
    rows = export_rows(table_class, queryset, order_by)
    return rows_response(rows, export_format=export_format, filename=filename)


def values_export_response(*, header: list, rows: list[list], export_format: str, filename: str):
    """A table computed in memory (a summary, not a queryset) as CSV or XLSX, with the same safeguards."""
    return rows_response([header, *rows], export_format=export_format, filename=filename)


def rows_response(rows: Iterable[list], *, export_format: str, filename: str):
    if export_format == "csv":
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="{}"'.format(export_filename(filename, "csv"))
        return response
    return FileResponse(
        xlsx_file(rows),
        as_attachment=True,
        filename=export_filename(filename, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
