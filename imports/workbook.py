"""The XLSX template of each kind, made from its columns (and so from the model): it never drifts.

Sheet 1 has the headers, in bold and frozen, and one example row, which the import recognises and skips;
each column carries Excel's data validation: a drop-down list (the choices, or the agencies, programmes
and units on record, kept on a hidden sheet "Danh mục"), whole numbers ≥ 0 for money, dates. Sheet 2
explains each column. `data_rows` writes the user's own records in the same layout, to edit and import back.
"""

import datetime
import tempfile
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from coop.exports import sheet_name
from imports.columns import CHOICE, DATE, MONEY, WHOLE, Column
from imports.kinds import Kind
from imports.references import References
from imports.spreadsheet import LIST_SHEET_NAMES, MAX_ROWS

MONEY_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
# Dates a template accepts: Excel's serial numbers of 1/1/1990 and 31/12/2100.
FIRST_DATE, LAST_DATE = datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)
BOLD = Font(bold=True)
EXAMPLE = Font(italic=True, color="666666")


def sheet_title(text) -> str:
    """A sheet name Excel accepts, as the exports name theirs."""
    return sheet_name(text, fallback="Data")


def template_workbook(kind: Kind, *, user):
    """The template of `kind` for `user` (the lists hold what the user may name), as a temporary file."""
    refs = References(user)
    columns = kind.columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(kind.sheet_title)
    sheet.append([str(column.header) for column in columns])
    sheet.append([column.example_value() for column in columns])
    lists = workbook.create_sheet(LIST_SHEET_NAMES[0])
    lists.sheet_state = "hidden"
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = column.width
        sheet.cell(row=1, column=position).font = BOLD
        example = sheet.cell(row=2, column=position)
        example.font = EXAMPLE
        _number_format(example, column)
        validation = _validation(column, refs, lists, position)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.freeze_panes = "A2"
    instructions = workbook.create_sheet(sheet_title(_("Instructions")))
    _instructions(instructions, kind, columns)
    workbook.move_sheet(instructions, offset=-1)  # before the hidden lists
    return _saved(workbook)


def _number_format(cell, column: Column) -> None:
    if column.cell_type == MONEY:
        cell.number_format = MONEY_FORMAT
    elif column.cell_type == DATE:
        cell.number_format = DATE_FORMAT


def _validation(column: Column, refs, lists, position: int) -> DataValidation | None:
    header = str(column.header)
    if column.cell_type == MONEY:
        validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        validation.error = _("Write whole đồng, without decimals, for example 1234567.")
    elif column.cell_type == WHOLE:
        minimum, maximum = column.whole_range
        validation = DataValidation(
            type="whole",
            operator="between",
            formula1=str(minimum or 0),
            formula2=str(maximum if maximum is not None else 2_000_000_000),
        )
        validation.error = _("Write a whole number.")
    elif column.cell_type == DATE:
        validation = DataValidation(
            type="date", operator="between", formula1=_serial(FIRST_DATE), formula2=_serial(LAST_DATE)
        )
        validation.error = _("Write a date as dd/mm/yyyy, for example 10/06/2020.")
    else:
        values = column.list_values(refs)
        if not values:
            return None
        letter = get_column_letter(position)
        lists.cell(row=1, column=position, value=header)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=position, value=value)
        reference = f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(values) + 1}"
        # Choices are a closed list; programmes, agencies and units suggest what is on record, and a new unit
        # may still be typed (the import checks the names).
        validation = DataValidation(type="list", formula1=reference, allow_blank=True)
        validation.showErrorMessage = column.cell_type == CHOICE
        validation.error = _("Choose a value from the list.")
    validation.errorTitle = header
    validation.showErrorMessage = validation.showErrorMessage or column.cell_type != CHOICE
    validation.allow_blank = True
    validation.promptTitle = header
    validation.prompt = str(column.help_text)[:255] if column.help_text else None
    validation.showInputMessage = bool(column.help_text)
    return validation


def _serial(day: datetime.date) -> str:
    return str((day - datetime.date(1899, 12, 30)).days)


def _instructions(sheet, kind: Kind, columns: list[Column]) -> None:
    sheet.append([_("Column"), _("Required"), _("What to write"), _("Example")])
    for cell in sheet[1]:
        cell.font = BOLD
    for column in columns:
        required = column.required or column.name in kind.key_columns
        needed = _("yes") if required else (_("to create") if column.name in kind.create_columns else "")
        sheet.append([str(column.header), needed, _describe(column), _example_text(column)])
    sheet.append([])
    sheet.append([_("Rows are matched by their code: importing the same file twice changes nothing the second time.")])
    sheet.append([_("The example row (row 2) is skipped when it is left as it is.")])
    for letter, width in zip("ABCD", (30, 12, 60, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def _describe(column: Column) -> str:
    if column.cell_type == CHOICE:
        labels = "; ".join(str(label) for _value, label in column.choices.choices)
        described = _("One of the list: %(choices)s.") % {"choices": labels}
    else:
        described = {
            MONEY: _("Whole đồng: 1.234.567 or 1234567."),
            WHOLE: _("A whole number."),
            DATE: _("A date, dd/mm/yyyy."),
        }.get(column.cell_type, "")
    return " ".join(part for part in (str(column.help_text or ""), described) if part)


def _example_text(column: Column) -> str:
    value = column.example_value()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def data_workbook(kind: Kind, records, *, user):
    """The user's records of `kind` in the template's layout, streamed (write-only) to a temporary file."""
    columns = kind.columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(kind.sheet_title))
    sheet.freeze_panes = "A2"
    for position, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    for record in records:
        values = kind.current(record)
        sheet.append([_data_cell(sheet, column, values.get(column.name)) for column in columns])
    return _saved(workbook)


def _data_cell(sheet, column: Column, value):
    if value is None or value == "" or value == ():
        return None
    if column.cell_type in (MONEY, WHOLE) and isinstance(value, int | Decimal):
        cell = WriteOnlyCell(sheet, value=int(value))
        if column.cell_type == MONEY:
            cell.number_format = MONEY_FORMAT
        return cell
    if column.cell_type == DATE:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    cell = WriteOnlyCell(sheet, value=column.shown(value))
    cell.data_type = "s"  # text is text, even when it starts with "=" (never a formula)
    return cell


def _saved(workbook):
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output
