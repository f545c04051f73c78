"""The charts of the dashboard and of the PDF reports, drawn on the server as SVG with pygal.

No JavaScript: the page embeds the SVG inline, pygal's scripts are left out
(`js=[]`, and the inline configuration script it always writes is removed), and on
screen every bar or slice is a plain SVG link to the filtered list that produces its
figure. Labels are the translated choice labels; numbers are written the Vietnamese way
("1.234", "98,5 tỷ đồng") through Django's number formatting.

The PDF reports draw the same charts with `PRINT` (the report's serif font, no links):
WeasyPrint draws inline SVG with the fonts of the document, so the charts' text is in
the embedded font too.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import pygal
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from pygal.style import Style

from coop.figures import Figure
from coop.formatting import BILLION, format_billions

# pygal writes a <script> with its configuration even when no JavaScript is loaded.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)
_DEFAULT_TITLE = "<title>Pygal</title>"
# The group pygal's script would fill with tooltips: empty without the script, and its
# style="" attribute is refused by the Content-Security-Policy of the pages.
_TOOLTIP_STYLE = ' style="opacity: 0" class="tooltip"'
# SVG anchors text at "start", "middle" or "end"; pygal writes "left" on a pie chart's printed values.
_TEXT_ANCHOR_LEFT = 'text-anchor="left"'
# pygal leaves the width out of a bar whose value is 0; SVG requires it.
_RECT_WITHOUT_WIDTH = re.compile(r"<rect\b(?![^>]*\swidth=)")


# The chart's own coordinate system; the page scales it to the width of its card.
# Narrow enough that the text stays legible on a 375 px phone.
WIDTH = 440
ROW_HEIGHT = 34
MARGINS_HEIGHT = 50

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#adb5bd",
    opacity="0.9",
    opacity_hover="1",
    font_family='system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif',
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=15,
    value_label_font_size=15,
    legend_font_size=15,
    tooltip_font_size=15,
    colors=("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#dc3545", "#6c757d"),
)


# What the PDF reports draw with: the font of the print stylesheet (static/css/report-print.css),
# black text, and a wider coordinate system so that the text is about 9 pt once scaled to 150 mm.
PRINT_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#000000",
    foreground_strong="#000000",
    foreground_subtle="#9a9a9a",
    opacity="1",
    opacity_hover="1",
    font_family='"LiberationSerif Embedded"',
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    value_label_font_size=14,
    legend_font_size=14,
    title_font_size=15,
    tooltip_font_size=14,
    colors=STYLE.colors,
)


@dataclass(frozen=True)
class Look:
    """Where a chart is shown: its style, the width of its coordinate system, and whether bars are links."""

    style: Style
    width: int
    links: bool


SCREEN = Look(STYLE, WIDTH, links=True)
PRINT = Look(PRINT_STYLE, 640, links=False)


def format_number(value) -> str:
    """A count the Vietnamese way ("1.234"); axis ticks may be fractional ("2,5")."""
    if value is None:
        return ""
    whole = float(value).is_integer()
    return number_format(Decimal(str(value)), decimal_pos=0 if whole else 1, force_grouping=True)


def format_amount(value) -> str:
    """An amount in VND as billions: "98,5 tỷ đồng"."""
    return "" if value is None else format_billions(Decimal(str(value)))


def short_label(label) -> str:
    """The first clause of a long choice label, to fit a chart axis: "Brand, collective mark, …" → "Brand"."""
    return str(label).split(",")[0]


def _point(figure: Figure, look: Look = SCREEN) -> dict:
    point = {"value": float(figure.value), "label": str(figure.label)}
    if look.links:
        point["xlink"] = {"href": figure.url, "target": "_self"}
    return point


def _finish(chart, title: str) -> str:
    """The SVG markup, without pygal's script, valid SVG, and with the chart's own accessible title."""
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", svg).replace(_TOOLTIP_STYLE, ' class="tooltip"')
    svg = _RECT_WITHOUT_WIDTH.sub('<rect width="0"', svg.replace(_TEXT_ANCHOR_LEFT, 'text-anchor="start"'))
    return svg.replace(_DEFAULT_TITLE, f"<title>{escape(title)}</title>", 1)


def horizontal_bar_chart(
    figures: Sequence[Figure],
    *,
    title: str,
    value_formatter: Callable = format_number,
    label: Callable = str,
    look: Look = SCREEN,
) -> str:
    """One bar per figure, labelled on the left, its value printed on it, linked to its list (on screen)."""
    chart = pygal.HorizontalBar(
        js=[],
        disable_xml_declaration=True,
        style=look.style,
        width=look.width,
        height=MARGINS_HEIGHT + ROW_HEIGHT * len(figures),
        show_legend=False,
        print_values=True,
        print_values_position="top",
        value_formatter=value_formatter,
        margin=8,
        spacing=8,
        # The values are printed on the bars: the value axis would only crowd a narrow screen.
        # (pygal swaps the axes of a horizontal chart: "x" is the value axis here.)
        show_x_labels=False,
        show_x_guides=False,
        show_y_guides=False,
        # Room after the longest bar for its printed value.
        range=(0, max(float(figure.value) for figure in figures) * 1.15 or 1),
    )
    # pygal draws a horizontal chart's first label at the bottom; reverse so it reads top-down.
    ordered = list(reversed(figures))
    chart.x_labels = [label(figure.label) for figure in ordered]
    chart.add(str(title), [_point(figure, look) for figure in ordered])
    return _finish(chart, title)


def pie_chart(figures: Sequence[Figure], *, title: str, value_formatter: Callable = format_amount) -> str:
    """A ring of the figures with a value, each slice linked to its list; the legend names them."""
    chart = pygal.Pie(
        js=[],
        disable_xml_declaration=True,
        style=STYLE,
        width=WIDTH,
        height=WIDTH,
        inner_radius=0.45,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        print_values=True,
        value_formatter=value_formatter,
        margin=8,
        truncate_legend=-1,
    )
    for figure in figures:
        if figure.value:
            chart.add(str(figure.label), [_point(figure)])
    return _finish(chart, title)


def with_units(figures: Sequence[Figure]) -> list[Figure]:
    """Output figures labelled with their unit, one bar each: "Demonstration model (mô hình)".

    Bars of one kind in two units stand side by side, never stacked or added.
    """
    return [replace(figure, label=f"{short_label(figure.label)} ({figure.unit})") for figure in figures]


def has_data(figures: Sequence[Figure]) -> bool:
    return any(figure.value for figure in figures)


def dashboard_charts(dashboard) -> dict[str, str]:
    """The dashboard's three charts as SVG markup, by name; a chart without data is left out."""
    charts = {}
    if has_data(dashboard.tasks_by_status):
        charts["tasks"] = horizontal_bar_chart(dashboard.tasks_by_status, title=_("S&T tasks by status"))
    if has_data(dashboard.funding_by_source):
        charts["funding"] = pie_chart(dashboard.funding_by_source, title=_("Allocated funding by source"))
    if has_data(dashboard.outputs_by_kind):
        charts["outputs"] = horizontal_bar_chart(
            with_units(dashboard.outputs_by_kind), title=_("Verified outputs by kind and unit")
        )
    return charts


# The programme review report (PDF)


def format_billions_number(value) -> str:
    """A chart's axis in billions of VND, the unit being in the chart's caption: "12,5"."""
    return "" if value is None else number_format(Decimal(str(value)), decimal_pos=1, force_grouping=True)


def funding_by_year_chart(figures, *, title: str, look: Look = PRINT) -> str:
    """Allocated funding by year, one stacked bar per year, one colour per source, in billions of VND."""
    chart = pygal.StackedBar(
        js=[],
        disable_xml_declaration=True,
        style=look.style,
        width=look.width,
        height=look.width * 0.6,
        legend_at_bottom=True,
        # Source names are long ("Ngân sách trung ương (Bộ hỗ trợ)"): one per line, never cut.
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        value_formatter=format_billions_number,
        margin=8,
        show_x_guides=False,
    )
    chart.x_labels = [str(row.year) for row in figures.funding_by_year]
    for column, source in enumerate(figures.funding_by_source):
        chart.add(str(source.label), [float(row.cells[column].value / BILLION) for row in figures.funding_by_year])
    return _finish(chart, title)


def review_charts(figures) -> dict[str, str]:
    """The charts of a programme's figures in its report: tasks by status, funding by year, outputs by kind.

    A chart without data is left out.
    """
    charts = {}
    if has_data(figures.tasks_by_status):
        charts["tasks"] = horizontal_bar_chart(figures.tasks_by_status, title=_("S&T tasks by status"), look=PRINT)
    if figures.funding_by_year:
        charts["funding"] = funding_by_year_chart(figures, title=_("Allocated funding by source and year"))
    if has_data(figures.outputs_by_kind):
        charts["outputs"] = horizontal_bar_chart(
            with_units(figures.outputs_by_kind), title=_("Verified outputs by kind and unit"), look=PRINT
        )
    return charts
