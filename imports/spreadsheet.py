"""Reading an uploaded spreadsheet (XLSX or CSV) into a header and rows, refusing what is not safe to read.

Everything a file could do to the server is bounded before the work is done: the size first, then for
XLSX the number of entries of the zip (read from its last bytes, before the zip is opened) and their
unpacked size, macros and formulas, hidden sheets, then at most `MAX_ROWS` rows, and the reading stops
after `MAX_BLANK_RUN` empty rows in a row (a sheet formatted down to row 1,048,576 holds nothing after
its data). Each refusal is a `FileRefused` with a message in the user's language; nothing is written
before the whole file is read.
"""

import codecs
import csv
import io
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from imports.cells import is_blank

# The name of the template's sheet of drop-down lists, hidden in the template: the one hidden sheet accepted.
LIST_SHEET_NAMES = ("Danh mục", "Lists")
# Sheets the application writes beside the data: a template's instructions, an export's filters. Not data.
NOTE_SHEET_NAMES = ("Hướng dẫn", "Instructions", "Điều kiện lọc", "Filters")
MAX_ROWS = 10_000
MAX_COLUMNS = 100
MAX_BLANK_RUN = 1_000
# An XLSX file is a zip of a few dozen parts; a workbook with thousands is not one a person made.
MAX_ZIP_ENTRIES = 2_000
MAX_UNPACKED_BYTES = 50 * 1000 * 1000
# A sheet of MAX_ROWS rows of a template's columns is a few MB of XML. A bigger one is rows of nothing (a
# million formatted rows), which openpyxl would parse whole on opening when the sheet does not state its size.
MAX_SHEET_BYTES = 30 * 1000 * 1000
# XML of real data packs about ten to one; a part packed a hundred to one and more is mostly repetition.
MAX_PACKING_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1000 * 1000
ZIP_MAGIC = b"PK\x03\x04"
# The end of a zip's central directory: its signature, then the number of entries at offset 10.
END_OF_DIRECTORY = b"PK\x05\x06"
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlsb")


class FileRefused(Exception):
    """What makes the whole file unreadable, in the user's language; nothing of it is imported."""


@dataclass
class Table:
    """A sheet as read: its header (row 1) and the data rows with their row numbers in the sheet."""

    header: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    sheet_name: str = ""
    notices: list[str] = field(default_factory=list)


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def check_size(size: int) -> None:
    limit = max_upload_bytes()
    if size > limit:
        raise FileRefused(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported. Split it into smaller files.")
            % {"size": _megabytes(size), "limit": _megabytes(limit)}
        )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",")


def read_table(file, name: str) -> Table:
    """The header and rows of the uploaded `file` (a binary file object) named `name`."""
    file.seek(0, io.SEEK_END)
    check_size(file.tell())
    file.seek(0)
    suffix = PurePath(name).suffix.lower()
    if suffix in MACRO_EXTENSIONS:
        raise FileRefused(
            _("Files with macros (%(suffix)s) are not imported. Save the workbook as “Excel Workbook (*.xlsx)”.")
            % {"suffix": suffix}
        )
    if suffix == ".xls":
        raise FileRefused(_("The old Excel format (.xls) is not read. Save the workbook as “Excel Workbook (*.xlsx)”."))
    head = file.read(4)
    file.seek(0)
    if suffix == ".xlsx":
        if head != ZIP_MAGIC:
            raise FileRefused(_("The file is named .xlsx but is not an Excel workbook."))
        return _read_xlsx(file)
    if suffix == ".csv":
        if head == ZIP_MAGIC:
            raise FileRefused(_("The file is named .csv but is an Excel workbook: name it .xlsx, or save it as CSV."))
        return _read_csv(file)
    raise FileRefused(_("Only Excel workbooks (.xlsx) and CSV files (.csv) can be imported."))


def _read_xlsx(file) -> Table:
    from openpyxl import load_workbook  # here, not at start: see coop/xlsx.py

    _check_zip(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=False, keep_links=False, keep_vba=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file; each means the same to the user
        raise FileRefused(_("The workbook cannot be read; open it in Excel and save it again.")) from error
    try:
        return _read_workbook(workbook)
    except FileRefused:
        raise
    except Exception as error:  # read-only sheets are parsed as their rows are read: damage shows up only then
        raise FileRefused(_("The workbook cannot be read; open it in Excel and save it again.")) from error
    finally:
        workbook.close()


def _check_zip(file) -> None:
    """Refuse a zip with too many entries before opening it (Python reads its whole directory on opening),
    then one that unpacks too big or carries macros."""
    entries = _zip_entry_count(file)
    if entries is not None and entries > MAX_ZIP_ENTRIES:
        raise FileRefused(
            _("The file holds %(count)d parts, far more than any workbook: it is not imported.") % {"count": entries}
        )
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unpacked = sum(member.file_size for member in members)
            content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except Exception as error:  # zipfile raises many kinds for a damaged directory (ValueError, zlib.error…)
        raise FileRefused(_("The file is named .xlsx but is not an Excel workbook.")) from error
    finally:
        file.seek(0)
    if len(members) > MAX_ZIP_ENTRIES:
        raise FileRefused(
            _("The file holds %(count)d parts, far more than any workbook: it is not imported.")
            % {"count": len(members)}
        )
    if unpacked > MAX_UNPACKED_BYTES or any(_too_big(member) for member in members):
        raise FileRefused(
            _(
                "The file unpacks to far more than its data: it is not imported. Copy the rows of data into a new "
                "workbook and import that one."
            )
        )
    if "xl/workbook.xml" not in names:
        raise FileRefused(_("The file is named .xlsx but is not an Excel workbook."))
    if "xl/vbaProject.bin" in names or b"macroEnabled" in content_types:
        raise FileRefused(_("The workbook contains macros and is not imported. Save it as “Excel Workbook (*.xlsx)”."))


def _too_big(member: zipfile.ZipInfo) -> bool:
    """A part of the workbook that would unpack to more than any data of an import: a sheet over MAX_SHEET_BYTES,
    or a big part packed far tighter than data packs."""
    if member.filename.startswith("xl/worksheets/") and member.file_size > MAX_SHEET_BYTES:
        return True
    return member.file_size > RATIO_CHECKED_FROM_BYTES and member.file_size > MAX_PACKING_RATIO * max(
        member.compress_size, 1
    )


def _zip_entry_count(file) -> int | None:
    """The number of entries the zip's last record declares, read from the end of the file; None if not found."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    tail_length = min(size, 65_557)  # the record (22 bytes) and the longest comment a zip may have
    file.seek(size - tail_length)
    tail = file.read(tail_length)
    file.seek(0)
    position = tail.rfind(END_OF_DIRECTORY)
    if position < 0 or position + 22 > len(tail):
        return None
    (entries,) = struct.unpack("<H", tail[position + 10 : position + 12])
    # 0xFFFF means the real count is in the ZIP64 record: more than any workbook needs.
    return entries if entries != 0xFFFF else MAX_ZIP_ENTRIES + 1


def _read_workbook(workbook) -> Table:
    sheets = workbook.worksheets
    hidden = [sheet.title for sheet in sheets if sheet.sheet_state != "visible" and sheet.title not in LIST_SHEET_NAMES]
    if hidden:
        raise FileRefused(
            _(
                "The workbook has hidden sheets (%(sheets)s). Unhide or delete them, so that nothing is imported "
                "that you cannot see."
            )
            % {"sheets": ", ".join(f"“{title}”" for title in hidden)}
        )
    visible = [sheet for sheet in sheets if sheet.sheet_state == "visible"]
    if not visible:
        raise FileRefused(_("The workbook has no sheet to read."))
    sheet = visible[0]
    rows = sheet.iter_rows(max_col=MAX_COLUMNS)
    table = _read_rows(rows, cell_value=_cell_value, sheet_name=sheet.title)
    if any(other.title not in NOTE_SHEET_NAMES for other in visible[1:]):
        table.notices.append(
            _("Only the first sheet, “%(sheet)s”, was read; the other sheets are not imported.")
            % {"sheet": sheet.title}
        )
    return table


def _cell_value(cell):
    if getattr(cell, "data_type", None) == "f":
        raise _FormulaFound(cell)
    return getattr(cell, "value", None)


class _FormulaFound(Exception):
    def __init__(self, cell):
        super().__init__()
        self.cell = cell


def _read_csv(file) -> Table:
    raw = file.read()
    if b"\x00" in raw:
        raise FileRefused(_("The file is named .csv but is not a text file."))
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileRefused(
            _("The CSV file is not in UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited) (*.csv)”.")
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return _read_rows(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), cell_value=lambda value: value
        )
    except csv.Error as error:
        raise FileRefused(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error


def _read_rows(rows, *, cell_value, sheet_name: str = "") -> Table:
    """Row 1 is the header; data rows follow, numbered as in the sheet. Formulas are refused with their cell."""
    table = None
    blank_run = 0
    try:
        for number, row in enumerate(rows, start=1):
            values = [cell_value(cell) for cell in row][:MAX_COLUMNS]
            if table is None:
                table = Table(header=_header(values), sheet_name=sheet_name)
                continue
            if all(is_blank(value) for value in values):
                blank_run += 1
                if blank_run >= MAX_BLANK_RUN:
                    break
                continue
            blank_run = 0
            if len(table.rows) >= MAX_ROWS:
                raise FileRefused(
                    _("The file has more than %(limit)s rows of data; split it into files of at most %(limit)s rows.")
                    % {"limit": f"{MAX_ROWS:,}".replace(",", ".")}
                )
            table.rows.append((number, values))
    except _FormulaFound as found:
        raise FileRefused(
            _(
                "Cell %(cell)s holds a formula. Formulas are not imported: copy the cells and paste them "
                "as values (Paste Special → Values)."
            )
            % {"cell": found.cell.coordinate}
        ) from None
    if table is None or not any(table.header):
        raise FileRefused(_("The file is empty: the first row must hold the column headers."))
    return table


def _header(values: list) -> list[str]:
    """The header row's texts, trailing blanks dropped; a blank between headers is a merged or missing header."""
    header = ["" if is_blank(value) else str(value).strip() for value in values]
    while header and not header[-1]:
        header.pop()
    for position, text in enumerate(header):
        if not text:
            from openpyxl.utils import get_column_letter  # here, not at start: see coop/xlsx.py

            raise FileRefused(
                _(
                    "Column %(column)s of the first row has no header (a merged or empty cell). Each column needs "
                    "its own header, as in the template."
                )
                % {"column": get_column_letter(position + 1)}
            )
    return header
