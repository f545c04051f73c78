"""Streaming CSV and XLSX export of every filtered row of a list, whatever its size.

Rows are read from the database a chunk at a time and formatted by the list's own
table class, so an export holds the columns a user sees (and the hidden ones)
with the same values, and 50,000 rows never sit in memory at once.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from coop.text import fold

EXPORT_FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000
# A cell starting with one of these is read by spreadsheets as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell inert for spreadsheets; numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_rows(table_class, queryset, order_by) -> Iterator[list]:
    """The header, then one list of values per row, formatted by `table_class`."""
    table = table_class(queryset, order_by=order_by)
    # The header comes from the table over the queryset, where columns know their model's
    # verbose names; the rows from tables over one chunk each, so memory stays bounded.
    yield [str(name) for name in next(iter(table.as_values()))]
    rows = table.data.data.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        values = iter(table_class(chunk).as_values())
        next(values)  # the chunk's own header
        for row in values:
            yield [neutralise(value) for value in row]


class _Echo:
    """A file-like object whose `write` returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    # A byte-order mark so that Excel opens UTF-8 with the diacritics intact.
    yield "\ufeff"
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(["" if value is None else value for value in row])


def xlsx_file(rows: Iterable[list]):
    """An XLSX workbook written row by row (openpyxl's write-only mode) to a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def export_filename(name: str, extension: str) -> str:
    slug = "-".join(fold(name).split()) or "export"
    return "{}-{}.{}".format(slug, timezone.localdate().strftime("%Y%m%d"), extension)


def export_response(*, table_class, queryset, order_by, export_format: str, filename: str, request=None):
    rows = export_rows(table_class, queryset, order_by)
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
