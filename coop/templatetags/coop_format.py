"""Template filters for the way ministry documents write money, years and percentages."""

from django import template
from django.utils.html import format_html

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


@register.simple_tag
def figure_data(key, value):
    """` data-figure="<key>" data-value="<value>"` on the element that shows a headline figure.

    The exact value, printed from the same variable as the visible text, for the audit of figures
    (`manage.py check_figures`, reports/figure_audit.py) to compare with the rows.
    """
    return format_html(' data-figure="{}" data-value="{}"', key, "" if value is None else value)
