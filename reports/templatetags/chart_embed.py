"""Embedding the server-drawn SVG charts in a page under the Content-Security-Policy.

A pygal chart carries its own <style> element (its colours and fonts, scoped to the chart's
id). The policy allows no inline style, except one carrying the nonce of the response; and
HTML allows a nonce on an HTML <style>, not on an SVG one. So the page's head gets one
<style> with the nonce and every chart's stylesheet (`{% chart_stylesheet charts %}`), and
each chart is embedded without its own (`{{ charts.tasks|without_stylesheet }}`).
"""

import html
import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL)


@register.simple_tag(takes_context=True)
def chart_stylesheet(context, charts: dict[str, str]) -> str:
    """A <style> with the response's nonce and the stylesheets of the charts (drawn by reports/charts.py)."""
    rules = [rule for svg in charts.values() for rule in _STYLE.findall(svg)]
    if not rules:
        return ""
    # The rules are pygal's, from the chart styles of reports/charts.py: nothing a user typed. In the SVG they are
    # XML text ("&gt;" for ">"); an HTML <style> holds them as they are.
    css = html.unescape("\n".join(rules))
    nonce = escape(context["request"].csp_nonce)
    return mark_safe(f'<style nonce="{nonce}">{css}</style>')


@register.filter
def without_stylesheet(svg: str) -> str:
    """The chart's markup (drawn by reports/charts.py, not typed by a user) without its <style>."""
    return mark_safe(_STYLE.sub("", svg))
