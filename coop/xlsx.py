"""The XLSX workbooks of exports: what Excel shows of a list's rows (see `coop.exports` for the rows).

Kept apart from `coop.exports` so that openpyxl (with numpy, which it loads, a fifth of a second) is
imported when a workbook is written, not when a server starts: `coop.exports` imports this module
inside the functions that write one (`tests/reports/test_cold_start.py` keeps it so).
"""

import datetime
import tempfile
from collections.abc import Callable, Iterable
from decimal import Decimal
from itertools import chain, islice

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from coop.columns import ExportFormat
from coop.exports import FORMULA_PREFIXES, ExportNotes, local_naive, sheet_name

# The longest text an Excel cell holds.
XLSX_MAX_TEXT = 32_767
# Text openpyxl would store as a formula ("=") or an error ("#N/A"), besides the formula prefixes.
TEXT_NEEDING_A_CELL = (*FORMULA_PREFIXES, "#")

# Excel's number formats. The thousands separator and the decimal mark in a format are placeholders:
# Excel shows those of the computer's regional settings (1.234.567 in Vietnamese, 1,234,567 in English).
NUMBER_FORMATS = {
    ExportFormat.MONEY: "#,##0",
    ExportFormat.COUNT: "#,##0",
    # The value is the whole number of percent (85), not a fraction (0.85): Excel's "%" would show 8500%.
    ExportFormat.PERCENT: '0"%"',
    ExportFormat.PERCENT_TENTHS: '0.0"%"',
    ExportFormat.DATE: "dd/mm/yyyy",
    ExportFormat.DATETIME: "dd/mm/yyyy hh:mm",
}
NUMBER_TYPES = (int, float, Decimal)

# Column widths, in characters: estimated from the header and the first rows (a write-only sheet writes its
# widths before its rows, so they cannot be measured afterwards), never wider than a screen's third.
WIDTH_SAMPLE_ROWS = 100
WIDTH_MIN = 6
WIDTH_MAX = 60
# The header's room for the filter's drop-down arrow, and bold letters' extra width.
HEADER_EXTRA_WIDTH = 4
WIDTH_BY_FORMAT = {ExportFormat.DATE: len("31/12/2020"), ExportFormat.DATETIME: len("31/12/2020 23:59")}


def xlsx_text(sheet, value: str):
    """Text as `xlsx_cell` writes it, but as the bare string when openpyxl would store it as text anyway.

    Most text is plain: handed over as it is, openpyxl writes it in a cell it reuses, instead of a cell
    made for it (what halves the time of the task list's 11 text columns). Only text that openpyxl
    would read as a formula or an error ("=…", "#N/A"), or that needs cleaning or cutting, gets its own cell.
    """
    if value.startswith(TEXT_NEEDING_A_CELL) or len(value) > XLSX_MAX_TEXT or ILLEGAL_CHARACTERS_RE.search(value):
        return xlsx_cell(sheet, value)
    return value


def xlsx_cell(sheet, value):
    """A value as an XLSX cell: text is always a text cell; numbers and dates keep their types.

    openpyxl would store text starting with "=" as a formula and "#N/A" as an error. Text cells
    are never evaluated, so the text is kept exactly as typed, marked with Excel's quote prefix
    (what Excel itself stores when someone types '=1+1): editing the cell keeps it text. Control
    characters, which XLSX cannot hold, are dropped; text past Excel's 32,767 characters is cut.
    Times are written in the local time zone, which the export is read in (XLSX has no zones).
    """
    if isinstance(value, datetime.datetime):
        return local_naive(value)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_MAX_TEXT])
    cell.data_type = "s"
    if value.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell


class XlsxStyles:
    """The few cell styles of an export, made once per workbook: a cell takes a copy of one (a small array)."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.number = {}
        for export_format, code in NUMBER_FORMATS.items():
            model = WriteOnlyCell(sheet)
            model.number_format = code
            self.number[export_format] = model._style
        model = WriteOnlyCell(sheet)
        model.font = Font(bold=True)
        self.bold = model._style

    def styled(self, value, style) -> Cell:
        # The style first: a date given to a cell without a date format would get openpyxl's yyyy-mm-dd.
        return Cell(self.sheet, row=1, column=1, value=value, style_array=style)

    def bold_text(self, value) -> Cell:
        cell = xlsx_cell(self.sheet, value)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(self.sheet, value=cell)
        cell.font = Font(bold=True)
        return cell

    def writer(self, export_format: ExportFormat):
        """The function writing one column's values: numbers with the column's number format, dates always as dates.

        A date in a column that did not declare one (a plain column of a date field) is still
        shown dd/mm/yyyy, so that a file shows dates one way.

        Each column keeps one styled cell per kind of value and gives it the next row's value: a
        write-only sheet writes a row's cells as soon as it is appended, so a cell is free again
        by the next row (the way openpyxl itself reuses one cell for unstyled values). Making a
        cell for each of 400,000 amounts and dates took a third of the writing time.
        """
        number_style = self.number.get(export_format) if export_format not in WIDTH_BY_FORMAT else None
        number_cell = self.styled(None, number_style) if number_style is not None else None
        date_cell = self.styled(None, self.number[ExportFormat.DATE])
        datetime_cell = self.styled(None, self.number[ExportFormat.DATETIME])
        sheet = self.sheet

        def write(value):
            if value is None:
                return None
            if isinstance(value, str):
                return xlsx_text(sheet, value)
            if isinstance(value, datetime.datetime):
                cell = datetime_cell
                value = local_naive(value)
            elif isinstance(value, datetime.date):
                cell = date_cell
            elif number_cell is not None and isinstance(value, NUMBER_TYPES) and not isinstance(value, bool):
                cell = number_cell
            else:
                return value
            cell.value = value
            return cell

        return write


def shown_length(value, export_format: ExportFormat) -> int:
    """About how many characters Excel shows for a value in a column of `export_format`."""
    if value is None:
        return 0
    if export_format in WIDTH_BY_FORMAT or isinstance(value, datetime.date):
        return WIDTH_BY_FORMAT.get(export_format, WIDTH_BY_FORMAT[ExportFormat.DATE])
    if isinstance(value, NUMBER_TYPES) and not isinstance(value, bool):
        if export_format in (ExportFormat.MONEY, ExportFormat.COUNT):
            return len(f"{int(value):,}")
        return len(str(value)) + (1 if export_format in (ExportFormat.PERCENT, ExportFormat.PERCENT_TENTHS) else 0)
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(headers: list[str], formats: list[ExportFormat], sample: list[list]) -> list[float]:
    """Each column's width in characters: its header (with room for the filter's arrow) or its longest sampled value."""
    widths = []
    for index, (header, export_format) in enumerate(zip(headers, formats, strict=True)):
        longest = max((shown_length(row[index], export_format) for row in sample), default=0)
        wanted = max(len(str(header)) + HEADER_EXTRA_WIDTH, longest + 2, WIDTH_MIN)
        widths.append(min(wanted, WIDTH_MAX))
    return widths


def xlsx_file(*, headers: list[str], formats: list[ExportFormat] | None, rows: Iterable[list], notes: ExportNotes):
    """An XLSX workbook written row by row (openpyxl's write-only mode) to a temporary file.

    Widths and the frozen header go before the first row (a write-only sheet writes them first);
    the filter's range, which needs the number of rows, goes at the end, where XLSX keeps it.
    """
    formats = list(formats or [ExportFormat.TEXT] * len(headers))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name(notes.title, fallback=_("Rows")))
    sheet._values_to_row = cells_of_row(sheet)
    styles = XlsxStyles(sheet)
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    for index, width in enumerate(column_widths(headers, formats, sample), 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([styles.bold_text(header) for header in headers])
    writers = [styles.writer(export_format) for export_format in formats]
    row_count = 0
    for row in chain(sample, rows):
        sheet.append([write(value) for write, value in zip(writers, row, strict=True)])
        row_count += 1
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{row_count + 1}"
    write_notes(workbook, notes, row_count)
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def cells_of_row(sheet) -> Callable:
    """openpyxl's `_values_to_row` of a write-only sheet, for rows of plain values and cells made beforehand.

    openpyxl first tries every value as a plain one, so a cell made beforehand (every amount, date and
    percentage: 400,000 of the task list's million) fails that try with an error whose message describes the
    cell, and then gets a new spare cell after it: a fifth of the writing. Here a cell goes as it is, and the
    one spare cell for plain values serves every row until a value gives it a style of its own (openpyxl
    gives dates one).
    """
    spare = [WriteOnlyCell(sheet)]

    def values_to_row(values, row_idx):
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                cell = spare[0]
                if cell.has_style or cell.hyperlink:
                    cell = spare[0] = WriteOnlyCell(sheet)
                cell.value = value
            cell.column = col_idx
            cell.row = row_idx
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate
            yield cell

    return values_to_row


def write_notes(workbook, notes: ExportNotes, row_count: int) -> None:
    """The sheet "Điều kiện lọc": what the rows of the first sheet are."""
    sheet = workbook.create_sheet(sheet_name(pgettext("sheet of an export", "Filters"), fallback="2"))
    styles = XlsxStyles(sheet)
    exported_at = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    rows = notes.rows(row_count, exported_at=exported_at)
    label_width = max((len(str(label)) for label, _value in rows), default=0) + 2
    value_width = max((shown_length(value, ExportFormat.TEXT) for _label, value in rows), default=0) + 2
    sheet.column_dimensions["A"].width = min(max(label_width, WIDTH_MIN), WIDTH_MAX)
    sheet.column_dimensions["B"].width = min(max(value_width, WIDTH_MIN), WIDTH_MAX * 2)
    write_count = styles.writer(ExportFormat.COUNT)
    for label, value in rows:
        sheet.append([styles.bold_text(str(label)), write_count(value)])
