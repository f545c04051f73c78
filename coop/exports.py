"""Streaming CSV and XLSX export of every filtered row of a list, whatever its size, ready to use in Excel.

Rows are read from the database a chunk at a time and formatted by the list's own
table class, so an export holds the columns a user sees (and the hidden ones)
with the same values, and 50,000 rows never sit in memory at once.

The values are those of django-tables2's `Table.as_values()`, each column's work done once
(`coop.tables.ExportCells`, `column_reader`). When every column allows it, the rows are read as plain
values (`values_rows`: the fields the columns show, each joined row once) rather than as model
instances: the CSV of 50,000 tasks in about three times what PostgreSQL's own `COPY` of the same columns
takes (tests/bench/bench_exports.py). A list longer than `settings.EXPORT_BACKGROUND_MIN_ROWS` is
written by the background worker instead (`coop.background`), so that no export meets gunicorn's timeout.

What Excel shows:
- XLSX (`coop.xlsx`): a sheet named after the list, a bold header row that stays in view, a filter on every
  column, widths estimated from the header and the first rows, and each column's values as its
  `export_format` says (`coop.columns.ExportFormat`): money and counts as numbers with grouped
  thousands, percentages as numbers, dates and moments as date cells shown dd/mm/yyyy. A second
  sheet says what the rows are: the filters, the sort, who exported them, when, and how many.
- CSV: the user's separator (`User.csv_separator`: a semicolon for Excel in Vietnamese), dates
  dd/mm/yyyy and moments dd/mm/yyyy HH:MM in Hà Nội time, a byte-order mark for the diacritics.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_tables2 import Column
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundRow

from coop.columns import ExportFormat, export_format_of, the_value_itself
from coop.lookups import IsAnyOf
from coop.models import CsvSeparator
from coop.tables import ExportCells, table_model
from coop.text import fold

EXPORT_FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000

# Formula injection ("CSV injection"): a cell whose text starts with one of these is read by
# spreadsheets as a formula, `=HYPERLINK(...)` or `=cmd|...` typed into a task's title by anyone
# who may edit it. OWASP's list: the four formula signs, and tab and carriage return before them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_DATE = "%d/%m/%Y"
CSV_DATETIME = "%d/%m/%Y %H:%M"

# Excel's rules for a sheet's name: at most 31 characters, none of these, no apostrophe at either end.
SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = str.maketrans({char: " " for char in "\\/?*[]:"})


def neutralise(value):
    """A CSV cell's value, made inert for spreadsheets: text starting like a formula gets a leading apostrophe.

    Only text is touched. Amounts, counts and dates come from the tables as numbers and dates,
    and are written unchanged (-5 stays -5): the database made them, not a user's typing. A CSV
    file has no types, so the apostrophe, which spreadsheets read as "this is text", is the only
    way to say it (as OWASP recommends); it shows, which is the price of opening safely anywhere.
    XLSX cells do have types: see `coop.xlsx.xlsx_cell`.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def local_naive(moment: datetime.datetime) -> datetime.datetime:
    """A moment as the clock in Hà Nội showed it, without a zone (neither XLSX nor CSV carries one)."""
    if timezone.is_aware(moment):
        return timezone.localtime(moment).replace(tzinfo=None)
    return moment


def csv_value(value, *, decimal_comma: bool):
    """A value as CSV text: dates dd/mm/yyyy, moments dd/mm/yyyy HH:MM, fractions with the separator's decimal mark.

    Excel in Vietnamese, whose list separator is the semicolon, reads "87,5" as a number and "87.5"
    as text; Excel in English the other way round. Whole numbers (every amount) have no mark.
    """
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return local_naive(value).strftime(CSV_DATETIME)
    if isinstance(value, datetime.date):
        return value.strftime(CSV_DATE)
    if isinstance(value, Decimal):
        value = format(value, "f")  # 6500000000, never 6.5E+9
        return value.replace(".", ",") if decimal_comma else value
    if isinstance(value, float):
        return repr(value).replace(".", ",") if decimal_comma else repr(value)
    return neutralise(value)


def sheet_name(title: str, *, fallback: str) -> str:
    """`title` as Excel allows a sheet's name: without \\ / ? * [ ] :, at most 31 characters, no apostrophe
    at either end; `fallback` when nothing is left."""
    name = " ".join(str(title).translate(SHEET_NAME_FORBIDDEN).split()).strip("'").strip()
    name = capfirst(name[:SHEET_NAME_MAX]).rstrip().rstrip("'")
    return name or fallback


@dataclass
class ExportNotes:
    """What the second sheet of an XLSX export says about its rows (the row count is added as they are written)."""

    title: str
    conditions: list[tuple[str, str]] = field(default_factory=list)
    sort: str | None = None
    user: models.Model | None = None

    def rows(self, row_count: int, *, exported_at: datetime.datetime) -> list[tuple[str, object]]:
        rows = [(_("List"), capfirst(str(self.title)))]
        rows += self.conditions or [(_("Filters"), _("None: every row you may see"))]
        if self.sort is not None:
            rows.append((_("Sort"), self.sort))
        if self.user is not None:
            name = self.user.get_full_name()
            rows.append((_("Exported by"), f"{name} ({self.user.username})" if name else self.user.username))
        rows.append((_("Exported at (Hà Nội time)"), exported_at.strftime(CSV_DATETIME)))
        rows.append((_("Rows"), row_count))
        return rows


def filter_conditions(form) -> list[tuple[str, str]]:
    """The filters a bound form applied, each as its label and the value as the user chose it.

    Rows chosen by id read as their names ("Thái Bình", not 34), choices as their labels, dates
    dd/mm/yyyy. Only what validated counts: a list ignores a filter it could not read, and so does this.
    """
    conditions = []
    cleaned = getattr(form, "cleaned_data", None) or {}
    for name, form_field in form.fields.items():
        value = cleaned.get(name)
        if isinstance(value, models.QuerySet):
            value = list(value)  # the rows chosen, read once
        if value in (None, "", [], ()):
            continue
        conditions.append((str(form_field.label or capfirst(name)), condition_text(form_field, value)))
    return conditions


def condition_text(form_field, value) -> str:
    """One filter's value in words: rows by their names, choices by their labels, several joined by "; "."""
    if isinstance(value, models.QuerySet | list | tuple | set):
        return "; ".join(condition_text(form_field, item) for item in value)
    if isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in flat_choices(form_field.choices)}
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return local_naive(value).strftime(CSV_DATETIME)
    if isinstance(value, datetime.date):
        return value.strftime(CSV_DATE)
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=0 if value == value.to_integral() else None, force_grouping=True)
    return str(value)


def flat_choices(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield key, label


def sort_text(table) -> str:
    """The table's sort in words: each column's header and its direction, or the list's own order."""
    if not table.order_by:
        return _("The list's default order")
    parts = []
    for key in table.order_by:
        name = key.lstrip("-")
        header = str(table.columns[name].header) if name in table.columns.columns else name
        if key.startswith("-"):
            parts.append(_("%(column)s, descending") % {"column": header})
        else:
            parts.append(_("%(column)s, ascending") % {"column": header})
    return "; ".join(parts)


class TableExport:
    """The columns of a table as an export writes them (headers and formats) and its rows, a chunk at a time."""

    def __init__(self, table_class, queryset, order_by):
        self.table = table_class(queryset, order_by=order_by)
        self.columns = [column for column in self.table.columns.iterall() if not column.column.exclude_from_export]
        self.headers = [str(force_str(column.header, strings_only=True)) for column in self.columns]
        self.formats = [export_format_of(column.column) for column in self.columns]

    def rows(self) -> Iterator[list]:
        """One list of values per row, formatted by the table as its `as_values()` would.

        Read as plain values (`values_rows`) when every column can be; else as the table's records.
        """
        values = values_rows(self.table, self.columns)
        if values is not None:
            yield from values
            return
        yield from self.record_rows()

    def record_rows(self) -> Iterator[list]:
        model = table_model(self.table)
        table = self.table
        readers = [column_reader(table, column, model) for column in self.columns]
        # The row django-tables2 hands a cell, made only when a column asks for it: one per row, as the
        # library makes it (it counts the rows it makes, `row_counter`).
        by_row = any(isinstance(read, ExportCells) for read in readers)
        bound_row = None
        # Read a chunk at a time, so memory stays bounded whatever the number of rows.
        for record in table.data.data.iterator(chunk_size=CHUNK_SIZE):
            if by_row:
                bound_row = BoundRow(record, table=table)
            yield [read(bound_row) if read.__class__ is ExportCells else read(record) for read in readers]

    def count(self) -> int:
        return self.table.data.data.count()


def column_reader(table, bound_column, model) -> Callable | ExportCells:
    """The function giving one column's exported value from a row's record: `ExportCells`' value, its work
    settled once for the column.

    `ExportCells` still builds, for each cell, the row django-tables2 hands a cell (`BoundRow`) and the
    arguments the column's function may ask for. Most columns ask only for the value (and some for the
    record): those are read here from the record itself, the function called with just what it asks for,
    and left out when it is django-tables2's own `Column.render`, which gives the value back. The rest
    (a column asking for the row, or left to the library) are read by `ExportCells` itself, from the row.
    """
    cells = ExportCells(table, bound_column, model)
    if cells.by_library or "bound_row" in cells.arguments:
        return cells
    column, function, arguments = cells.column, cells.function, cells.arguments
    fixed = {"column": column, "bound_column": bound_column, "table": table}
    fixed = {name: value for name, value in fixed.items() if name in arguments}
    gives_the_value = getattr(function, "__func__", None) is Column.render
    value_only = arguments == ("value",)
    takes_value, takes_record = "value" in arguments, "record" in arguments
    empty_values = column.empty_values
    link_text = isinstance(column, BaseLinkColumn) and column.text is not None
    resolve = value_reader(cells)

    def content(record, value):
        if gives_the_value:
            result = value
        elif value_only:
            result = function(value=value)
        else:
            keywords = dict(fixed)
            if takes_value:
                keywords["value"] = value
            if takes_record:
                keywords["record"] = record
            result = function(**keywords)
        return result if result.__class__ is str else force_str(result, strings_only=True)

    def read(record):
        try:
            value = resolve(record)
        except Exception:
            # As django-tables2 does: a column with no value behind it (a link column with a fixed text).
            if link_text:
                return content(record, None)
            value = None
        if value in empty_values:
            return None
        return content(record, value)

    return read


# Reading plain values instead of records.
#
# A record of the task list is a task and the four rows it joins (programme, lead agency, its province,
# investigator), five model instances, and its places prefetched: making those took most of an export's
# time. A column whose value is a field of the row or of a row it joins, a choice's label, or a joined row
# named by its key, is read from `values_list()` of exactly those fields; a joined row is read once for
# every row that names it. A column may say how else it is read from values: `record_fields` (the fields
# its function reads from the record, given as a record holding only them) or `values_for(keys)` (its
# values for a chunk of rows, by the value of its accessor). When any column cannot be read from values,
# the export reads records, as before.


@dataclass
class ValuesColumn:
    """How one column is read from values: the fields it needs, then its value from them."""

    fields: tuple[str, ...]
    read: Callable  # the fields' values (a tuple) → the exported value
    prepare: Callable | None = None  # called with each chunk's tuples of `fields` before they are read


def values_rows(table, columns) -> Iterator[list] | None:
    """The table's export rows read from `values_list()`, or None when a column needs the records."""
    queryset = table.data.data
    model = table_model(table)
    if model is None or not isinstance(queryset, models.QuerySet) or queryset._fields is not None:
        return None
    plans, joined = [], {}
    for bound_column in columns:
        plan = values_column(ExportCells(table, bound_column, model), model, queryset.query.annotations, joined)
        if plan is None:
            return None
        plans.append(plan)
    return read_values(queryset, plans)


def read_values(queryset, plans: list[ValuesColumn]) -> Iterator[list]:
    fields, parts = [], []
    for plan in plans:
        # A column of one field is given its value; of several, the tuple of their values.
        parts.append(len(fields) if len(plan.fields) == 1 else slice(len(fields), len(fields) + len(plan.fields)))
        fields.extend(plan.fields)
    # Each field as an expression, selected under a name of its own ("f1"): by its own name, a foreign key the
    # rows are sorted by ("programme") would sort by the key instead of the joined row's own order.
    selected = [models.F(name) for name in fields]
    rows = queryset.prefetch_related(None).values_list(*selected).iterator(chunk_size=CHUNK_SIZE)
    readers = list(zip((plan.read for plan in plans), parts, strict=True))
    preparers = [(plan.prepare, part) for plan, part in zip(plans, parts, strict=True) if plan.prepare]
    while chunk := list(islice(rows, CHUNK_SIZE)):
        for prepare, part in preparers:
            prepare([row[part] for row in chunk])
        for row in chunk:
            yield [read(row[part]) for read, part in readers]


# What `force_str(value, strings_only=True)` gives back as it is, among the values a database gives.
KEPT_AS_THEY_ARE = frozenset({str, int, float, bool, Decimal, datetime.date, datetime.datetime, datetime.time})


def as_exported(value):
    """A field's value as a column that shows it as it is exports it (django-tables2's `Column.render`)."""
    if value is None or value == "":
        return None
    return value if value.__class__ in KEPT_AS_THEY_ARE else force_str(value, strings_only=True)


def values_column(cells: ExportCells, model, annotations, joined: dict) -> ValuesColumn | None:
    """How a column is read from values (see above), or None when it needs the record."""
    column = cells.column
    if cells.by_library or (isinstance(column, BaseLinkColumn) and column.text is not None):
        return None
    accessor = "__".join(cells.path)
    # A column's own recipe describes its own `value()`, not a table's `value_<name>` in its place.
    own_value = getattr(cells.function, "__func__", None) is getattr(type(column), "value", None)
    if own_value and hasattr(column, "values_for"):
        values = {}
        return ValuesColumn(
            fields=(accessor,), read=values.__getitem__, prepare=lambda keys: values.update(column.values_for(keys))
        )
    record_fields = getattr(column, "record_fields", None) if own_value else None
    allowed = {"value", "column", "bound_column", "table", *(["record"] if record_fields is not None else [])}
    if not set(cells.arguments) <= allowed:
        return None
    if len(cells.path) == 1 and accessor in annotations:
        field = None
    else:
        field = forward_field(model, cells.path)
        if field is False:
            return None
    empty_values, labels = column.empty_values, cells.labels
    content = value_content(cells)
    if field is not None and field.is_relation:
        return related_values(cells.path, model, joined, content)
    if record_fields is not None and "record" in cells.arguments:
        return record_values(model, accessor, tuple(record_fields), cells)

    if labels is None and tuple(empty_values) == (None, "") and content is shown_as_it_is:
        return ValuesColumn(fields=(accessor,), read=as_exported)

    def read(value):
        if labels is not None:
            value = labels.get(value, value)
        if value in empty_values:
            return None
        return content(value)

    return ValuesColumn(fields=(accessor,), read=read)


def forward_field(model, path) -> models.Field | None | bool:
    """The field at the end of `path`, each step before it a foreign key of the row; False when the path is
    anything else (a property, a reverse relation, a many-to-many)."""
    opts = model._meta
    for index, bit in enumerate(path):
        try:
            field = opts.pk if bit == "pk" else opts.get_field(bit)
        except FieldDoesNotExist:
            return False
        if not field.concrete or field.many_to_many or field.one_to_many:
            return False
        if index < len(path) - 1:
            if not field.is_relation:
                return False
            opts = field.related_model._meta
    return field


def shown_as_it_is(value):
    return value if value.__class__ is str else force_str(value, strings_only=True)


def value_content(cells: ExportCells) -> Callable:
    """A value → what the column exports of it (its function, given only the value)."""
    function = cells.function
    fixed = {"column": cells.column, "bound_column": cells.bound_column, "table": cells.table}
    fixed = {name: value for name, value in fixed.items() if name in cells.arguments}
    if getattr(function, "__func__", None) in (Column.render, the_value_itself):
        return shown_as_it_is
    takes_value = "value" in cells.arguments

    def content(value):
        result = function(value=value, **fixed) if takes_value else function(**fixed)
        return result if result.__class__ is str else force_str(result, strings_only=True)

    return content


class JoinedRows:
    """The rows of one model that foreign keys of the exported rows name (a task's lead agency), each read once,
    with the rows they name in turn that columns show (the agency's province) joined: one query a chunk for
    every column through such keys."""

    def __init__(self, field):
        self.manager = field.related_model._base_manager
        self.deeper = set()
        self.rows = {}

    def prepare(self, keys):
        missing = set(keys) - self.rows.keys()
        missing.discard(None)
        if missing:
            rows = self.manager.select_related(*self.deeper) if self.deeper else self.manager.all()
            # The keys as one array (`IsAnyOf`), not `in_bulk`'s 2,000 placeholders, which psycopg and
            # PostgreSQL then parse: a seventh of a CSV export's time.
            self.rows.update((row.pk, row) for row in rows.filter(IsAnyOf(models.F("pk"), missing)))


def related_values(path, model, joined: dict, content: Callable) -> ValuesColumn:
    """A joined row, read with the others of its foreign key (`JoinedRows`), exported as the column says
    (once for every row naming it)."""
    first = model._meta.get_field(path[0])
    # One reader for every foreign key to the same model (a task's programme and the programme funding it).
    rows = joined.setdefault(first.related_model, JoinedRows(first))
    rest = path[1:]
    if rest:
        rows.deeper.add("__".join(rest))
    exported = {}  # the key of each row of the first foreign key → what the column exports

    def read(key):
        value = exported.get(key, exported)
        if value is not exported:
            return value
        row = rows.rows.get(key)
        for bit in rest:
            if row is None:
                break
            row = getattr(row, bit)
        value = exported[key] = None if row is None else content(row)
        return value

    return ValuesColumn(fields=(path[0],), read=read, prepare=rows.prepare)


def record_values(model, accessor: str, record_fields: tuple[str, ...], cells: ExportCells) -> ValuesColumn:
    """A column whose function reads a few fields of the record: given a record holding only them, one for
    each different set of their values."""
    function, arguments, column = cells.function, cells.arguments, cells.column
    labels, empty_values = cells.labels, column.empty_values
    fixed = {"column": column, "bound_column": cells.bound_column, "table": cells.table}
    fixed = {name: value for name, value in fixed.items() if name in arguments}
    exported = {}

    def read(row):
        result = exported.get(row, exported)
        if result is not exported:
            return result
        value = labels.get(row[0], row[0]) if labels is not None else row[0]
        if value in empty_values:
            result = None
        else:
            keywords = dict(fixed)
            if "value" in arguments:
                keywords["value"] = value
            keywords["record"] = model(**dict(zip(record_fields, row[1:], strict=True)))
            result = force_str(function(**keywords), strings_only=True)
        exported[row] = result
        return result

    if not record_fields:  # a column of one field is given its value, not a tuple
        return ValuesColumn(fields=(accessor,), read=lambda value: read((value,)))
    return ValuesColumn(fields=(accessor, *record_fields), read=read)


def value_reader(cells: ExportCells) -> Callable:
    """`cells.resolve`, with a column of the record's own attribute read directly (most columns)."""
    if len(cells.path) != 1:
        return cells.resolve
    name, labels, resolve = cells.path[0], cells.labels, cells.resolve

    def read(record):
        if not isinstance(record, models.Model):
            return resolve(record)
        value = getattr(record, name)
        if labels is not None:
            return labels.get(value, value)
        if callable(value):
            return resolve(record)
        return value

    return read


def export_rows(table_class, queryset, order_by) -> Iterator[list]:
    """The header, then one list of values per row, formatted by `table_class` as its `as_values()` would."""
    export = TableExport(table_class, queryset, order_by)
    yield export.headers
    yield from export.rows()


class _Lines:
    """A file-like object collecting what csv.writer writes, handed out a chunk at a time."""

    def __init__(self):
        self.parts = []
        self.write = self.parts.append

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def csv_lines(rows: Iterable[list], *, separator: str = CsvSeparator.SEMICOLON) -> Iterator[str]:
    """The CSV text of `rows`, a chunk of rows at a time (each row's cells as `csv_value` writes them)."""
    # A byte-order mark so that Excel opens UTF-8 with the diacritics intact.
    yield "\ufeff"
    lines = _Lines()
    writer = csv.writer(lines, delimiter=separator)
    to_text = csv_converter(decimal_comma=separator == CsvSeparator.SEMICOLON)
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        writer.writerows([[to_text(value) for value in row] for row in chunk])
        yield lines.take()


def csv_converter(*, decimal_comma: bool) -> Callable:
    """`csv_value` for one export, the most common values first: plain text, amounts, whole numbers, and dates,
    each date written once and remembered (a list of 50,000 tasks has a few thousand different dates)."""
    dates = {}

    def to_text(value):
        kind = value.__class__
        if kind is str:
            return "'" + value if value.startswith(FORMULA_PREFIXES) else value
        if kind is Decimal:
            text = format(value, "f")  # 6500000000, never 6.5E+9
            return text.replace(".", ",") if decimal_comma else text
        if kind is int or value is None:
            return "" if value is None else value
        if kind is datetime.date:
            text = dates.get(value)
            if text is None:
                text = dates[value] = value.strftime(CSV_DATE)
            return text
        return csv_value(value, decimal_comma=decimal_comma)

    return to_text


def export_filename(name: str, extension: str) -> str:
    slug = "-".join(fold(name).split()) or "export"
    return "{}-{}.{}".format(slug, timezone.localdate().strftime("%Y%m%d"), extension)


def csv_separator_of(user) -> str:
    """The separator of the user's CSV files; a semicolon, Excel in Vietnamese's, for anyone else."""
    separator = getattr(user, "csv_separator", None)
    return separator if separator in CsvSeparator.values else CsvSeparator.SEMICOLON


def export_response(
    *,
    table_class,
    queryset,
    order_by,
    export_format: str,
    filename: str,
    request=None,
    filter_form=None,
):
    """Every row of `queryset` as `table_class` exports it; `filter_form` (bound) names the filters applied."""
    export = TableExport(table_class, queryset, order_by)
    user = getattr(request, "user", None) if request is not None else None
    notes = ExportNotes(
        title=filename,
        conditions=filter_conditions(filter_form) if filter_form is not None else [],
        sort=sort_text(export.table),
        user=user if getattr(user, "is_authenticated", False) else None,
    )
    return rows_response(
        export.headers,
        export.rows(),
        formats=export.formats,
        export_format=export_format,
        notes=notes,
        separator=csv_separator_of(user),
    )


def export_file(
    *,
    table_class,
    queryset,
    order_by,
    export_format: str,
    title: str,
    user,
    filter_form=None,
    on_rows: Callable[[int], None] | None = None,
):
    """The file `export_response` would send, written to a temporary file (rewound) for the background worker.

    `on_rows(count)` is told every few thousand rows how many are written, so that the requester sees progress.
    """
    export = TableExport(table_class, queryset, order_by)
    notes = ExportNotes(
        title=title,
        conditions=filter_conditions(filter_form) if filter_form is not None else [],
        sort=sort_text(export.table),
        user=user,
    )
    rows = counted(export.rows(), on_rows) if on_rows is not None else export.rows()
    if export_format != "csv":
        from coop.xlsx import xlsx_file  # openpyxl is imported when a workbook is written (coop/xlsx.py)

        return xlsx_file(headers=export.headers, formats=export.formats, rows=rows, notes=notes)
    output = tempfile.TemporaryFile()
    for text in csv_lines(chain([export.headers], rows), separator=csv_separator_of(user)):
        output.write(text.encode("utf-8"))
    output.seek(0)
    return output


def counted(rows: Iterable[list], on_rows: Callable[[int], None], every: int = 5 * CHUNK_SIZE) -> Iterator[list]:
    count = 0
    for row in rows:
        yield row
        count += 1
        if count % every == 0:
            on_rows(count)


def values_export_response(
    *,
    header: list,
    rows: list[list],
    export_format: str,
    filename: str,
    formats: list[ExportFormat] | None = None,
    request=None,
    conditions: list[tuple[str, str]] | None = None,
):
    """A table computed in memory (a summary, not a queryset) as CSV or XLSX, with the same safeguards and looks.

    `formats` gives each column's `ExportFormat` (text when left out); `conditions` the filters
    that made the table, as `filter_conditions` gives them.
    """
    user = getattr(request, "user", None) if request is not None else None
    notes = ExportNotes(
        title=filename,
        conditions=conditions or [],
        user=user if getattr(user, "is_authenticated", False) else None,
    )
    return rows_response(
        [str(name) for name in header],
        rows,
        formats=formats,
        export_format=export_format,
        notes=notes,
        separator=csv_separator_of(user),
    )


def rows_response(headers, rows: Iterable[list], *, formats, export_format: str, notes: ExportNotes, separator: str):
    if export_format == "csv":
        lines = csv_lines(chain([headers], rows), separator=separator)
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="{}"'.format(export_filename(notes.title, "csv"))
        return response
    from coop.xlsx import xlsx_file  # openpyxl is imported when a workbook is written (coop/xlsx.py)

    return FileResponse(
        xlsx_file(headers=headers, formats=formats, rows=rows, notes=notes),
        as_attachment=True,
        filename=export_filename(notes.title, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
