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
def figure_data(*parts, value):
    """` data-figure="<key>" data-value="<value>"` on the element that shows a headline figure.

    The key joins the parts that are given (`{% figure_data "outputs" figure.key figure.unit value=figure.value %}`
    → `outputs:model:mô hình`); the value is the exact one, printed from the same variable as the
    visible text, for the audit of figures (`manage.py check_figures`, reports/figure_audit.py).
    """
    key = ":".join(str(part) for part in parts if part not in (None, ""))
    return format_html(' data-figure="{}" data-value="{}"', key, "" if value is None else value)
