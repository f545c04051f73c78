"""Template filters for the way ministry documents write money, years and percentages."""

from django import template

from coop.formatting import format_billions, format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """`{{ amount|vnd }}` → `1.234.567.000 đ`."""
    return format_vnd(amount)


@register.filter
def billions(amount, decimal_pos=1):
    """`{{ amount|billions }}` → `98,5 tỷ đồng`."""
    return format_billions(amount, decimal_pos=int(decimal_pos))


@register.filter
def year(value):
    """A year as typed, never with a thousand separator ("2.016")."""
    return "" if value is None else str(value)
