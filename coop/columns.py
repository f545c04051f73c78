"""The columns every list table is made of, each written once: how it looks on the page and what it exports.

A column formats its cells for the page in `render()` and gives exports the raw value in
`value()`: money as a whole number of VND, dates as dates, statuses in words, so that a
spreadsheet can add up, sort and filter what the page shows. (django-tables2's own
`Column.value()` calls `render()`, which would put the page's formatting into the export.)

A column also says how exports show its values in `export_format` (`ExportFormat`): the XLSX
export gives its cells the matching number format (`coop.exports`). Columns that do not say are text.
"""

from enum import StrEnum
from functools import lru_cache

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coop.formatting import format_vnd

# Cell classes (static/css/coop.css). `num` right-aligns figures in their header and cells.
NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}
NO_WRAP = {"td": {"class": "text-nowrap"}}
# Long names wrap, but not into a column one word wide: on a phone the table scrolls sideways instead.
WIDE = {"td": {"class": "coop-min-w-16"}}
MEDIUM = {"td": {"class": "coop-min-w-10"}}


class ExportFormat(StrEnum):
    """How an export shows a column's values: the kind of cell, declared by the column rather than guessed."""

    TEXT = "text"
    MONEY = "money"  # whole VND, thousands grouped
    COUNT = "count"  # a whole number, thousands grouped
    PERCENT = "percent"  # a whole percentage, 0–100
    PERCENT_TENTHS = "percent_tenths"  # a percentage to one decimal (a rate: 87.5)
    DATE = "date"
    DATETIME = "datetime"  # a moment, in Hà Nội time


def export_format_of(column) -> ExportFormat:
    """The export format a django-tables2 column declares; text when it declares none."""
    return getattr(column, "export_format", ExportFormat.TEXT)


def field_header(model, field_name: str):
    """A model field's verbose name, capitalised, as a column's header (translated when shown).

    Written on each column rather than left to django-tables2, which finds a field's name only
    when the table holds a queryset: a table of a plain list would print the bare column name.
    """
    return capfirst(model._meta.get_field(field_name).verbose_name)


def short_date(value) -> str:
    """dd/mm/yyyy in Vietnamese (the active language's short date); blank for no date."""
    return short_date_in(value, get_language()) if value else ""


@lru_cache(maxsize=8192)
def short_date_in(value, language: str) -> str:
    """A list writes the same few thousand dates again and again: each is formatted once per language."""
    return date_format(value, "SHORT_DATE_FORMAT")


def the_value_itself(column, value):
    """The `value()` of a column whose exports hold the value itself (a number, a date), not the page's text.

    Shared by those columns, so that exports know they need not call it (`coop.exports.values_column`).
    """
    return value


class MoneyColumn(tables.Column):
    """Whole VND, right-aligned: `1.234.567.000 đ` on the page, the plain number in exports.

    The first click sorts the largest amounts first, unless the column says otherwise.
    """

    export_format = ExportFormat.MONEY

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMBER)
        kwargs.setdefault("initial_sort_descending", True)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_vnd(value)

    value = the_value_itself


class DayColumn(tables.Column):
    """A date shown dd/mm/yyyy; exports keep the date itself (a real date cell in XLSX)."""

    export_format = ExportFormat.DATE

    def render(self, value):
        return short_date(value)

    value = the_value_itself


class PercentColumn(tables.Column):
    """A whole percentage, right-aligned: `85%` on the page, the number in exports."""

    export_format = ExportFormat.PERCENT

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMBER)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"{value}%"

    value = the_value_itself


class CountColumn(tables.Column):
    """A count, right-aligned with grouped thousands (`1.250`), the number itself in exports.

    `unit_accessor` names the record's attribute holding the unit written after the count on
    the page ("12 mô hình"); exports leave the unit to a column of its own.
    """

    export_format = ExportFormat.COUNT

    def __init__(self, *args, unit_accessor: str | None = None, **kwargs):
        kwargs.setdefault("attrs", NUMBER)
        super().__init__(*args, **kwargs)
        self.unit_accessor = tables.A(unit_accessor) if unit_accessor else None

    def render(self, value, record):
        count = number_format(value, force_grouping=True)
        unit = self.unit_accessor.resolve(record) if self.unit_accessor else None
        return format_html("{} {}", count, unit) if unit else count

    value = the_value_itself


class StatusBadgeColumn(tables.Column):
    """A status as a coloured badge that also says it in words (never colour alone); exports write the words.

    `template_name` draws the badge from `status` (the stored value, which picks the colour) and
    `label` (its words); each app keeps its own badge, which its detail pages include too.
    `extra_context` is added to what the template receives.
    """

    def __init__(
        self,
        *args,
        template_name: str,
        extra_context: dict | None = None,
        overdue_attribute: str | None = None,
        overdue_fields: tuple[str, ...] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.template_name = template_name
        self.extra_context = extra_context or {}
        # The record's attribute saying it is overdue ("Quá hạn"), a state of its own shown beside the status.
        self.overdue_attribute = overdue_attribute
        # The fields of the record `value()` reads: those the overdue attribute is computed from (none without
        # one). Exports then read those fields rather than the record (`coop.exports.values_rows`); None, an
        # overdue attribute without its fields, makes them read the records.
        self.record_fields = tuple(overdue_fields) if overdue_fields else (None if overdue_attribute else ())

    def is_overdue(self, record) -> bool:
        return bool(self.overdue_attribute and getattr(record, self.overdue_attribute, False))

    def render(self, value, record, bound_column):
        status, label, overdue = self.cell_key(value, record, bound_column)
        context = {"status": status, "label": label, "overdue": overdue, **self.extra_context}
        return render_to_string(self.template_name, context)

    def cell_key(self, value, record, bound_column):
        """All a badge depends on: a list draws each distinct badge once (`coop.tables.PageCells`).

        `value` is the choice's label (django-tables2 reads get_FOO_display); the accessor gives the stored value.
        """
        return bound_column.accessor.resolve(record), value, self.is_overdue(record)

    def value(self, value, record):
        if self.is_overdue(record):
            return _("%(status)s (overdue)") % {"status": value}
        return value


class CodeTitleColumn(tables.Column):
    """A related object by its code, linked to its page, with its title as the tooltip.

    Titles run to two lines and often begin alike ("Chương trình phối hợp hoạt động giữa Bộ…"):
    the code tells the rows apart and keeps the column narrow. On the page the cell is the link
    around `<span title="Title">CODE</span>`; with `title_on_link` the title sits on the link
    itself (`<a href="…" title="Title">CODE</a>`), for lists that have always written it there.
    Exports write the object's `export_attribute`: its title, or its code where another column
    exports the title.
    """

    def __init__(self, *args, export_attribute: str = "title", title_on_link: bool = False, **kwargs):
        kwargs.setdefault("linkify", True)
        if title_on_link:
            attrs = dict(kwargs.get("attrs") or {})
            # The link fills in "href"; named here first, it keeps its place before the title.
            attrs["a"] = {**attrs.get("a", {}), "href": None, "title": lambda value: value.title}
            kwargs["attrs"] = attrs
        super().__init__(*args, **kwargs)
        self.export_attribute = export_attribute
        self.title_on_link = title_on_link

    def render(self, value):
        if self.title_on_link:
            return value.code
        return format_html('<span title="{}">{}</span>', value.title, value.code)

    def value(self, value):
        return getattr(value, self.export_attribute)
