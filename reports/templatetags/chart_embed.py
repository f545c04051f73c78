"""Embedding the server-drawn SVG charts in a page under the Content-Security-Policy.

A pygal chart carries its own <style> element (its colours and fonts, scoped to the chart's
id). The policy allows no inline style, except one carrying the nonce of the response:
`{{ charts.tasks|with_csp_nonce:request.csp_nonce }}` gives the chart's stylesheet that nonce.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def with_csp_nonce(svg: str, nonce: str) -> str:
    """The chart's markup (drawn by reports/charts.py, not typed by a user) with its style allowed."""
    return mark_safe(svg.replace("<style", f'<style nonce="{escape(nonce)}"'))
