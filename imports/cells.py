"""What a cell of an uploaded spreadsheet says, read as Vietnamese users type it.

A cell comes from openpyxl as a number, a date or text, or from a CSV file as text. Each reader returns
the value or raises `CellError` with what is wrong in the user's language; the checker adds the row
and the column ("Dòng 14, cột 'Tổng kinh phí': '3,2 tỷ' không phải là số").

Money is whole đồng: "1.234.567", "1 234 567 đ" or "1234567", or a number cell. Grouping must be
well formed ("1.2.3.4" is refused, not read as 1.234): a figure read wrong is worse than a figure refused.
"3,2" is refused too: in Vietnamese it is three point two, and đồng have no decimals.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from coop.text import fold

MAX_MONEY_DIGITS = 18
# Longer text is no number a person types; Python also refuses to print an int of more than 4,300 digits.
MAX_NUMBER_LENGTH = 40
# Dates as typed in Vietnam, then the ISO form a machine writes.
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
# Excel's serial day numbers of 1/1/1955 and 31/12/2099: a number in a date column within them is a date
# cell that lost its format; any other number is an error.
EXCEL_SERIAL_RANGE = (20090, 73050)
_SPACES_AND_CURRENCY = re.compile(r"[\s\u00a0\u202f]|đồng|đ|vnd", re.IGNORECASE)
_GROUPED = re.compile(r"\d{1,3}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})*")


class CellError(ValueError):
    """What is wrong with one cell, in the user's language (without the row and the column)."""


def shown(value) -> str:
    """A cell's value as the user typed it, for messages: "'3,2 tỷ'"."""
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value, *, max_length: int | None = None) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as 1 in a number cell is the text "1"
    text = shown(value).strip() if not isinstance(value, str) else value.strip()
    if max_length is not None and len(text) > max_length:
        raise CellError(
            _("the text is %(length)d characters long; at most %(limit)d are kept")
            % {"length": len(text), "limit": max_length}
        )
    return text


def read_whole_number(value, *, minimum: int | None = 0, maximum: int | None = None) -> int | None:
    """A whole number (a quantity, a year, a percentage); None for a blank cell."""
    if is_blank(value):
        return None
    number = _number(value)
    if number is None or number != number.to_integral_value():
        raise CellError(_("'%(value)s' is not a whole number") % {"value": shown(value)})
    number = int(number)
    if minimum is not None and number < minimum:
        raise CellError(_("%(value)s is less than %(minimum)s") % {"value": number, "minimum": minimum})
    if maximum is not None and number > maximum:
        raise CellError(_("%(value)s is more than %(maximum)s") % {"value": number, "maximum": maximum})
    return number


def read_money(value) -> Decimal | None:
    """Whole đồng, not negative; None for a blank cell."""
    if is_blank(value):
        return None
    number = _number(value)
    if number is None:
        raise CellError(
            _("'%(value)s' is not a number; write whole đồng, for example 1.234.567 or 1234567")
            % {"value": shown(value)}
        )
    if number != number.to_integral_value():
        raise CellError(_("'%(value)s' has decimals; amounts are in whole đồng") % {"value": shown(value)})
    if number < 0:
        raise CellError(_("'%(value)s' is negative; amounts cannot be negative") % {"value": shown(value)})
    if len(str(int(number))) > MAX_MONEY_DIGITS:
        raise CellError(_("'%(value)s' is too large for an amount in đồng") % {"value": shown(value)})
    return Decimal(int(number))


def _number(value) -> Decimal | None:
    """A number cell as it is; text as digits, with well-formed grouping by "." or ","; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if not isinstance(value, str):
        return None
    text = _SPACES_AND_CURRENCY.sub("", value)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    if _GROUPED.fullmatch(text):
        text = re.sub(r"[.,]", "", text)
    if not text.isascii() or not text.isdigit() or len(text) > MAX_NUMBER_LENGTH:
        return None
    try:
        return Decimal(sign + text)
    except InvalidOperation:
        return None


def read_date(value) -> datetime.date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]:
            from openpyxl.utils.datetime import from_excel  # here, not at start: see coop/xlsx.py

            return from_excel(value).date()
    elif isinstance(value, str):
        text = value.strip()
        for date_format in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
    raise CellError(
        _("'%(value)s' is not a date; write it as dd/mm/yyyy, for example 10/06/2020") % {"value": shown(value)}
    )


def read_choice(value, choices) -> str | None:
    """One of a TextChoices' values, by its label in either language or by its value; None for a blank cell.

    `choices` maps each folded word that names a choice to the choice's value (`choice_words`).
    """
    if is_blank(value):
        return None
    text = shown(value)
    found = choices.get(fold(text))
    if found is None and text.rstrip().endswith(")"):
        # A list's export adds a remark to some statuses, "Đang thực hiện (quá hạn)": the status is before it.
        found = choices.get(fold(text.rsplit("(", 1)[0]))
    if found is None:
        raise CellError(_("'%(value)s' is not one of the choices of the list") % {"value": shown(value)})
    return found
