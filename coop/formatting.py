"""Money and number formatting the way ministry documents write them.

Amounts are whole VND. In tables: `1.234.567.000 đ`; in summaries, billions:
`98,5 tỷ đồng`. English keeps the same units with English separators.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

BILLION = Decimal(10**9)


def format_vnd(amount: Decimal | int | None) -> str:
    """`1234567000` → `1.234.567.000 đ` (grouped in the active language)."""
    if amount is None:
        return ""
    whole = int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{grouped(whole)} đ"


def grouped(whole: int) -> str:
    """A whole number with the active language's thousands separator: `1.234.567` (`1,234,567` in English).

    What `number_format(whole, force_grouping=True)` gives, written directly when the language groups
    by threes (both of ours): a list prints hundreds of amounts, and Django's general path costs 10×.
    """
    if get_format("NUMBER_GROUPING") != 3:
        return number_format(whole, decimal_pos=0, force_grouping=True)
    return f"{whole:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def format_billions(amount: Decimal | int | None, decimal_pos: int = 1) -> str:
    """`98_500_000_000` → `98,5 tỷ đồng`, for summaries and charts."""
    if amount is None:
        return ""
    billions = (Decimal(amount) / BILLION).quantize(Decimal(1).scaleb(-decimal_pos), rounding=ROUND_HALF_UP)
    figure = number_format(billions, decimal_pos=decimal_pos, force_grouping=True)
    return _("{amount} billion VND").format(amount=figure)
