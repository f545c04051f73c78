"""The base of every list table, and its cells on the page and in exports, with the work of each column done once.

`BaseTable` gives every list the same look, sorting that ends with the primary key, and the
columns shown on the page (`Meta.default_columns`); the columns themselves are in `coop.columns`.

For every cell django-tables2 works out again which function gives its content, which
arguments that function takes (`inspect.signature`), and, for a field with choices, its
label through `get_FOO_display`, which translates every label of the field each time. A
`ColumnCells` settles those once per column and then takes, for each row, the steps of
`BoundRow._get_and_render_with`: the same content, a fraction of the time (a page of the task
list's table: 24 ms → 13 ms; the export of 50,000 tasks: 33 s → 6 s). Tests compare both
with the library's own output on every list (`tests/coop/test_tables.py`, `test_exports.py`).
"""

import html

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.utils.encoding import force_str
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2 import Column, Table
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.utils import Accessor, AttributeDict, OrderByTuple, signature


class BaseTable(Table):
    """The table every list derives from.

    - `Meta.attrs`: one look for every list. django-tables2 reads only a table's own `Meta`, so a
      table writes `class Meta(BaseTable.Meta)` (checked when the class is made).
    - Sorting: each column sorts by its `order_by` (by default its accessor) and then by the
      primary key, added here, so that rows with equal values keep their page. A column names
      in `order_by` only what it sorts by when that is not its accessor: `("programme__code",)`.
    - `Meta.default_columns`: the names of the columns shown on the page, in the order of
      `Meta.sequence`; the other columns are hidden there and still exported (exports write
      every column). None shows them all.
    - `Meta.required_columns`: the columns a user cannot take off the page in the list's column
      chooser, those that name the row and lead to its page. None: the first column of the sequence.
    - A user's own choice of columns (`User.table_columns`) is read with `columns_to_show`.
    """

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        default_columns = None
        required_columns = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not issubclass(cls.Meta, BaseTable.Meta):
            raise ImproperlyConfigured(f"{cls.__name__}.Meta must derive from BaseTable.Meta.")
        for name, column in cls.base_columns.items():
            end_ordering_with_pk(name, column)
        for option in ("default_columns", "required_columns"):
            unknown = set(getattr(cls.Meta, option) or ()) - set(cls.base_columns)
            if unknown:
                raise ImproperlyConfigured(f"{cls.__name__}.Meta.{option} names no column {sorted(unknown)}.")

    def __init__(self, *args, shown_columns: tuple[str, ...] | None = None, **kwargs):
        """`shown_columns` names the columns to show instead of `Meta.default_columns` (see `related_table`)."""
        super().__init__(*args, **kwargs)
        shown = shown_columns if shown_columns is not None else self.Meta.default_columns
        if shown_columns is not None and set(shown_columns) - set(self.base_columns):
            unknown = sorted(set(shown_columns) - set(self.base_columns))
            raise ImproperlyConfigured(f"{type(self).__name__} has no column {unknown}.")
        if shown is not None:
            for name in self.columns.names():
                if name not in shown:
                    self.columns.hide(name)  # on this table's own copy of the column

    @classmethod
    def column_names(cls) -> list[str]:
        """Every column's name in the table's sequence: those shown by default and those only exported.

        Worked out once per table class (from an empty table, as the library orders them): every list
        request asks for it."""
        if "_column_names" not in cls.__dict__:
            cls._column_names = tuple(column.name for column in cls([]).columns.iterall())
        return list(cls._column_names)

    @classmethod
    def always_shown(cls) -> tuple[str, ...]:
        """The columns every user's page shows (`Meta.required_columns`, else the first column)."""
        return tuple(cls.Meta.required_columns or cls.column_names()[:1])

    @classmethod
    def columns_to_show(cls, chosen) -> tuple[str, ...] | None:
        """The columns a user's stored choice shows: the ones the table still has, with those always shown, in
        the table's sequence. None, the default columns, when the choice names none of them (never made, or
        made before its columns were renamed)."""
        if not isinstance(chosen, list):
            return None
        known = {name for name in chosen if isinstance(name, str)} & set(cls.base_columns)
        if not known:
            return None
        shown = known | set(cls.always_shown())
        return tuple(name for name in cls.column_names() if name in shown)


def related_table(
    table_class: type[BaseTable], rows, *, columns: tuple[str, ...], html_id: str, **table_options
) -> BaseTable:
    """A list's own table on the page of a related row (a programme's tasks): the same columns, cells and
    links as the list, a few of them shown, not sortable (sorting and the other columns are the list's,
    one link away). `table_options` go to the table as they are (`follow_up_by=user`)."""
    return table_class(
        rows,
        shown_columns=columns,
        orderable=False,
        attrs={**BaseTable.Meta.attrs, "id": html_id},
        **table_options,
    )


def end_ordering_with_pk(name: str, column: Column) -> None:
    """Make a sortable column sort by its keys (its `order_by`, else its accessor) and then by `pk`."""
    if column.orderable is False:
        return
    keys = column.order_by if column.order_by is not None else (column.accessor or name,)
    if "pk" not in keys:
        column.order_by = OrderByTuple((*keys, "pk"))


# What django-tables2 offers the function of a cell, by name.
CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


class ColumnCells:
    """One column's cells, row by row, as `BoundRow.get_cell` (or `get_cell_value`) would give them.

    Subclasses say which function gives the content, what an empty cell shows and what is done
    with the function's result. A column this class does not follow (a many-to-many column, a
    function asking for an argument no cell offers, rows that are not model instances) is left
    to the library, cell by cell (`by_library`).
    """

    def __init__(self, table, bound_column, model: type[models.Model] | None):
        self.table = table
        self.bound_column = bound_column
        self.column = bound_column.column
        self.name = bound_column.name
        self.accessor = Accessor(bound_column.accessor)
        self.path = self.accessor.bits
        self.function = self.cell_function()
        arguments, keywords = signature(self.function)
        self.arguments = CELL_ARGUMENTS if keywords else tuple(arguments)
        self.by_library = (
            model is None
            or isinstance(self.column, ManyToManyColumn)
            or any(argument not in CELL_ARGUMENTS for argument in self.arguments)
        )
        self.labels = None if self.by_library else self.choice_labels(model)

    def cell_function(self):
        raise NotImplementedError

    def empty(self):
        """What a cell without a value holds."""
        raise NotImplementedError

    def finish(self, content, cell: dict):
        return content

    def library_cell(self, bound_row):
        raise NotImplementedError

    def choice_labels(self, model) -> dict | None:
        """Value → label when the column shows a field with choices (as `get_FOO_display` would), else None."""
        field = self.accessor.get_field(model)
        if field is None or not getattr(field, "choices", None) or field.name != self.path[-1]:
            return None
        return {value: force_str(label) for value, label in field.flatchoices}

    def __call__(self, bound_row):
        if self.by_library:
            return self.library_cell(bound_row)
        try:
            value = self.resolve(bound_row.record)
        except Exception:
            # As django-tables2 does: a column with no value behind it (a link column with a fixed text).
            if isinstance(self.column, BaseLinkColumn) and self.column.text is not None:
                return self.call(bound_row, None)
            value = None
        if value in self.column.empty_values:
            return self.empty()
        return self.call(bound_row, value)

    def resolve(self, record):
        """The value at the column's accessor, or the label of its choice; None past an empty relation."""
        current = record
        for bit in self.path[:-1]:
            current = getattr(current, bit)
            if current is None:
                return None
        if not isinstance(current, models.Model):
            return self.accessor.resolve(record)  # dictionaries, lists, callables: the library's rules
        value = getattr(current, self.path[-1])
        if self.labels is not None:
            return self.labels.get(value, value)
        if callable(value):
            return self.accessor.resolve(record)
        return value

    def call(self, bound_row, value):
        cell = {
            "value": value,
            "record": bound_row.record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": bound_row,
            "table": self.table,
        }
        return self.finish(self.function(**{name: cell[name] for name in self.arguments}), cell)


class ExportCells(ColumnCells):
    """The value a column exports (`Table.as_values()`): its `value_<name>`, `render_<name>` or `Column.value`."""

    def cell_function(self):
        function = self.bound_column.value
        if getattr(function, "__func__", None) is Column.value:
            return self.column.render  # Column.value only passes its arguments on to render
        return function

    def empty(self):
        return None

    def finish(self, content, cell):
        return force_str(content, strings_only=True)

    def library_cell(self, bound_row):
        return bound_row.get_cell_value(self.name)


class PageCells(ColumnCells):
    """What a column shows on the page: its `render_<name>` or `render`, in its link when it has one.

    Two things the library does again for every cell are done once here:
    - A link to the row's own page (`linkify=True`) whose `<a>` attributes no row changes: the
      attributes are written once, and each cell asks only its target for `get_absolute_url()`.
      When some are functions of the cell (a title from the value), which arguments each takes is
      settled once, not by inspecting its signature in every row.
    - A column that says its cell depends on a few values only (`cell_key(value, record, bound_column)`,
      a status badge) is drawn once per distinct key, not once per row.
    """

    def __init__(self, table, bound_column, model):
        super().__init__(table, bound_column, model)
        link = self.bound_column.link
        self.link_address = CellFunction(link.url) if link is not None and callable(link.url) else None
        self.link_attributes = self.fixed_link_attributes()
        self.link_attributes_of_cell = None if self.link_attributes is not None else self.cell_link_attributes()
        if self.link_attributes is not None or self.link_attributes_of_cell is not None:
            self.link_accessor = Accessor(self.bound_column.link.accessor or self.name)
        # A linked cell differs by its row's address, whatever its key.
        self.cell_key = None if self.bound_column.link else getattr(self.column, "cell_key", None)
        self.drawn = {}

    def cell_function(self):
        return self.bound_column.render

    def empty(self):
        return self.bound_column.default

    def call(self, bound_row, value):
        if self.cell_key is None:
            return super().call(bound_row, value)
        key = self.cell_key(value=value, record=bound_row.record, bound_column=self.bound_column)
        if key not in self.drawn:
            self.drawn[key] = super().call(bound_row, value)
        return self.drawn[key]

    def finish(self, content, cell):
        if self.link_attributes is not None:
            address = escape(self.link_target(cell["record"]))
            return mark_safe(f'<a {self.link_attributes}href="{address}">{conditional_escape(content)}</a>')
        if self.link_attributes_of_cell is not None:
            attributes = {
                name: value(cell) if isinstance(value, CellFunction) else value
                for name, value in self.link_attributes_of_cell.items()
            }
            address = self.link_address(cell) if self.link_address is not None else self.link_target(cell["record"])
            attributes["href"] = address
            if address is None:
                return content
            return mark_safe(f"<a {attributes_html(attributes)}>{conditional_escape(content)}</a>")
        return self.bound_column.link(content, **cell) if self.bound_column.link else content

    def library_cell(self, bound_row):
        return bound_row.get_cell(self.name)

    def fixed_link_attributes(self) -> SafeString | None:
        """The `<a>` attributes before `href` (with a trailing space when there are any), when the column
        links to its target's `get_absolute_url()` with attributes no row changes; else None."""
        link = self.bound_column.link
        if self.by_library or link is None or link.url is not None or link.reverse_args:
            return None
        attributes = link.attrs or {}
        if "href" in attributes or holds_a_function(attributes):
            return None
        written = AttributeDict(attributes).as_html()
        return mark_safe(f"{written} ") if written else mark_safe("")

    def cell_link_attributes(self) -> dict | None:
        """The `<a>` attributes, each a value or a `CellFunction`, when the column links to its target's
        `get_absolute_url()`, or to the address a function of the cell gives (`linkify=lambda record: …`, kept as
        `link_address`), and some attributes are functions of the cell (none nested); else None."""
        link = self.bound_column.link
        if self.by_library or link is None or link.reverse_args:
            return None
        if link.url is not None and self.link_address is None:
            return None
        attributes = link.attrs or {}
        if any(isinstance(value, dict) for value in attributes.values()):
            return None
        return {name: CellFunction(value) if callable(value) else value for name, value in attributes.items()}

    def link_target(self, record) -> str:
        """The address `LinkTransform.compose_url` gives: the object at the link's accessor, else the row."""
        target = self.link_accessor.resolve(record)
        if not hasattr(target, "get_absolute_url"):
            target = record
        return target.get_absolute_url()


def attributes_html(attributes: dict) -> str:
    """What `AttributeDict(attributes).as_html()` writes for attributes already computed: each but those that are
    None or name a part of the table, escaped, `name="value"`; without `format_html_join`'s steps (67 µs a link)."""
    return " ".join(
        f'{conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attributes.items()
        if value is not None and name not in AttributeDict.blacklist
    )


class CellFunction:
    """A function of a cell's attribute, called as django-tables2 calls it (`call_with_appropriate`): with the
    arguments it names among the cell's, every one of them if it takes `**kwargs`, not at all (None) if it names
    another. Its signature is read once, not for every row."""

    def __init__(self, function):
        self.function = function
        names, takes_any = signature(function)
        self.takes_any = bool(takes_any)
        self.names = tuple(names)
        self.callable = self.takes_any or all(name in CELL_ARGUMENTS for name in self.names)

    def __call__(self, cell: dict):
        if self.takes_any:
            return self.function(**cell)
        if not self.callable:
            return None
        return self.function(**{name: cell[name] for name in self.names})


def table_model(table) -> type[models.Model] | None:
    """The model of the table's rows: its queryset's, or its `Meta.model` when it holds a list of those
    rows (a related list on a detail page, read before the table is made); else None."""
    model = getattr(table.data, "model", None)
    if model is not None:
        return model
    declared, rows = table._meta.model, table.data.data
    if declared is not None and isinstance(rows, list) and all(isinstance(row, declared) for row in rows):
        return declared
    return None


def table_rows_html(table, context) -> SafeString:
    """The `<tr>` rows of the table's current page, the markup of django-tables2's template.

    Per cell as its `bootstrap5.html` writes it: the column's `td` attributes, worked out after
    the cell when they depend on the record or the value (once per column when they do not), and
    the content localised and escaped as `{{ cell }}`, `{{ cell|localize }}` or `{{ cell|unlocalize }}` would.
    """
    columns = list(table.columns)
    model = table_model(table)
    cells = [PageCells(table, column, model) for column in columns]
    fixed_td = [None if td_attributes_vary_by_row(column) else column.attrs["td"].as_html() for column in columns]
    # Rows differ only by "even" and "odd" unless a function computes their attributes from the record.
    row_attributes = None if holds_a_function(table.row_attrs) else {}
    rows = []
    for bound_row in table.paginated_rows:
        tds = []
        for column, cell_of, td in zip(columns, cells, fixed_td, strict=True):
            content = cell_of(bound_row)
            if td is None:
                column.current_value = content
                column.current_record = bound_row.record
                td = column.attrs["td"].as_html()
            # Both parts are escaped already (`as_html`, `shown`): joined as they are, not escaped again.
            tds.append(f"<td {td}>{shown(content, column, context)}</td>")
        if row_attributes is None:
            tr = bound_row.attrs.as_html()
        else:
            parity = bound_row.get_even_odd_css_class()
            tr = row_attributes.get(parity) or row_attributes.setdefault(parity, bound_row.attrs.as_html())
        rows.append(f"<tr {tr}>{''.join(tds)}</tr>")
    if not rows and table.empty_text:
        return format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), table.empty_text)
    return mark_safe("".join(rows))


def td_attributes_vary_by_row(bound_column) -> bool:
    """Whether a column's cell attributes are computed from the row: a function among them, at any depth
    (django-tables2 calls those with the record and the value of each cell)."""
    attrs = {**bound_column._table.attrs, **bound_column.column.attrs}
    return holds_a_function(attrs.get("td", attrs.get("cell", {})))


def holds_a_function(attrs) -> bool:
    if callable(attrs):
        return True
    return isinstance(attrs, dict) and any(holds_a_function(value) for value in attrs.values())


def shown(content, column, context) -> SafeString:
    """A cell's content as the template prints it; `render_value_in_context` escapes it already.

    Most cells hold text already: marked safe (a link, a badge) it is printed as it is, and plain it is escaped
    as `escape()` does, without the steps between (most of a cell's time in a 100-row table).
    """
    if column.localize is None and context.autoescape:
        if content.__class__ is SafeString:
            return content
        if content.__class__ is str:
            return SafeString(html.escape(content))
    if column.localize is not None:
        content = localize(content) if column.localize else unlocalize(content)
    return mark_safe(render_value_in_context(content, context))
