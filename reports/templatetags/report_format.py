"""Figures in the tables of the PDF reports, where the unit is written once above the table.

`{{ amount|in_billions }}` → `97,60` under "Unit: billion VND"; `{{ amount|in_millions }}` →
`6.500` under "Unit: million VND". Numbers follow the active language ("1.234,5" or "1,234.5").
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

BILLION = Decimal(10**9)
MILLION = Decimal(10**6)


def _in_unit(amount, unit: Decimal, decimal_pos: int) -> str:
    if amount is None:
        return ""
    value = (Decimal(amount) / unit).quantize(Decimal(1).scaleb(-decimal_pos), rounding=ROUND_HALF_UP)
    return number_format(value, decimal_pos=decimal_pos, force_grouping=True)


@register.filter
def in_billions(amount, decimal_pos=2):
    """An amount in VND as billions, without the unit: `97_600_000_000` → `97,60`."""
    return _in_unit(amount, BILLION, int(decimal_pos))


@register.filter
def in_millions(amount):
    """An amount in VND as millions, without the unit, with a decimal only when needed: `6.500`, `2.166,7`."""
    if amount is None:
        return ""
    whole = Decimal(amount) % MILLION == 0
    return _in_unit(amount, MILLION, 0 if whole else 1)
