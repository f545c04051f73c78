"""Checking an uploaded file completely, and writing it once confirmed: all of it in one transaction, or nothing.

`plan_file` reads every row, finds the record each describes, and says what confirming would do: create,
update (with old → new for each changed cell), leave unchanged, or nothing because of an error, each
error naming the row, the column and what is wrong. It writes nothing. `apply_plan` writes the rows to
create or update through the services of the forms; confirming plans the file again first and writes
only if the plan is still the one the user was shown.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from imports.cells import CellError, is_blank, shown
from imports.choices import RowAction
from imports.kinds import KINDS, Kind
from imports.references import References
from imports.spreadsheet import FileRefused, Table, read_table


@dataclass
class PlannedRow:
    number: int
    action: str = RowAction.UNCHANGED
    key_label: str = ""
    values: dict = field(default_factory=dict)
    instance: object = None
    changes: list[list[str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[PlannedRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {action: 0 for action in RowAction.values}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.action == RowAction.ERROR for row in self.rows)

    def digest(self) -> str:
        """The same for two plans that would write the same changes."""
        summary = [[row.number, row.action, row.key_label, row.changes] for row in self.rows]
        return hashlib.sha256(json.dumps(summary, ensure_ascii=False, default=str).encode()).hexdigest()


def cell_message(number: int, header: str, message: str) -> str:
    return _("Row %(row)d, column '%(column)s': %(message)s") % {"row": number, "column": header, "message": message}


# How often checking tells the progress page how far it got, in rows.
PROGRESS_EVERY = 250


def row_message(number: int, message: str) -> str:
    return _("Row %(row)d: %(message)s") % {"row": number, "message": message}


def plan_file(file, name: str, *, kind: str, user, progress=None, validate: bool = True) -> Plan:
    """What importing `file` would do, row by row; `progress(done, total)` is told as rows are checked.

    `validate=False` leaves out the model's rules: confirming plans again only to see that the plan is the one
    the user saw, and the services it writes through apply those rules to each record anyway.
    """
    plan = Plan()
    try:
        table = read_table(file, name)
    except FileRefused as refused:
        plan.file_errors.append(str(refused))
        return plan
    plan.notices.extend(table.notices)
    return plan_table(table, kind=KINDS[kind], user=user, plan=plan, progress=progress, validate=validate)


def plan_table(table: Table, *, kind: Kind, user, plan: Plan, progress=None, validate: bool = True) -> Plan:
    """Read each row, find the record it describes, then say what confirming would do with it."""
    columns = _columns_by_position(table.header, kind, plan)
    if plan.file_errors:
        return plan
    refs = References(user)
    kind.prepare(refs, _raw_cells_by_column(table, columns))
    keyed_rows: dict[tuple, PlannedRow] = {}
    for index, (number, cells) in enumerate(table.rows):
        if _is_example(cells, columns):
            plan.notices.append(_("Row %(row)d is the template's example and was skipped.") % {"row": number})
            continue
        row = PlannedRow(number=number)
        plan.rows.append(row)
        _read_cells(row, cells, columns, refs)
        key = None if row.errors else _key_of(row, kind, refs)
        if key in keyed_rows:
            row.errors.append(
                row_message(number, _("the same record as row %(row)d") % {"row": keyed_rows[key].number})
            )
        elif key is not None:
            keyed_rows[key] = row
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index, len(table.rows))
    existing = kind.existing(list(keyed_rows))
    header_of = {column.name: str(column.header) for column in columns.values()}
    for key, row in keyed_rows.items():
        _plan_row(row, existing.get(key), kind=kind, user=user, header_of=header_of, validate=validate)
    for row in plan.rows:
        if row.errors:
            row.action = RowAction.ERROR
    if progress is not None:
        progress(len(table.rows), len(table.rows))
    return plan


def _raw_cells_by_column(table: Table, columns: dict) -> dict[str, list]:
    """Each column's cells as typed, for the lookups a kind prepares in one query."""
    return {
        column.name: [cells[position] if position < len(cells) else None for _number, cells in table.rows]
        for position, column in columns.items()
    }


def _key_of(row: PlannedRow, kind: Kind, refs: References) -> tuple | None:
    """The key of the record the row describes; None, with the row's error, when it names nothing the user sees."""
    try:
        key = kind.key(row.values, refs)
    except CellError as error:
        row.errors.append(row_message(row.number, str(error)))
        return None
    row.key_label = kind.key_label(row.values)
    return key


def _is_example(cells: list, columns: dict) -> bool:
    """Whether a row is the template's example row, left as it was (every column's cell as the template wrote it)."""
    for position, column in columns.items():
        raw = cells[position] if position < len(cells) else None
        example = column.example_value()
        if (is_blank(raw) and example is None) or (not is_blank(raw) and shown(raw) == shown(example)):
            continue
        return False
    return True


def _columns_by_position(header: list[str], kind: Kind, plan: Plan) -> dict:
    """The kind's columns by their position in the file; unknown headers are listed, missing key columns refused."""
    columns, ignored = {}, []
    for position, text in enumerate(header):
        column = next((column for column in kind.columns() if column.matches(text)), None)
        if column is None:
            ignored.append(text)
        elif column.name in {found.name for found in columns.values()}:
            plan.file_errors.append(_("The column '%(column)s' appears twice.") % {"column": text})
        else:
            columns[position] = column
    found = {column.name for column in columns.values()}
    missing = [column for column in kind.columns() if column.name in kind.key_columns and column.name not in found]
    if missing:
        plan.file_errors.append(
            _(
                "The file lacks the column(s) %(missing)s. The first row must hold the headers of the template: "
                "%(expected)s."
            )
            % {
                "missing": ", ".join(f"'{column.header}'" for column in missing),
                "expected": ", ".join(f"'{column.header}'" for column in kind.columns()),
            }
        )
    if ignored:
        plan.notices.append(
            _("These columns are not imported (computed, or not part of the template): %(columns)s.")
            % {"columns": ", ".join(f"'{text}'" for text in ignored)}
        )
    return columns


def _read_cells(row: PlannedRow, cells: list, columns: dict, refs: References) -> None:
    for position, column in columns.items():
        raw = cells[position] if position < len(cells) else None
        try:
            row.values[column.name] = column.value_of(raw, refs)
        except CellError as error:
            row.errors.append(cell_message(row.number, str(column.header), str(error)))


def _plan_row(row: PlannedRow, instance, *, kind: Kind, user, header_of: dict, validate: bool) -> None:
    """What confirming does with a row whose record was looked up: create, update or nothing; and whether the user
    may, and the model's rules allow it."""
    row.instance = instance
    if instance is None:
        _plan_creation(row, kind=kind, header_of=header_of)
    else:
        _plan_update(row, instance, kind=kind, header_of=header_of)
    if row.errors or row.action == RowAction.UNCHANGED:
        return
    refusal = kind.refusal(user, row.values, instance)
    if refusal:
        row.errors.append(row_message(row.number, refusal))
        return
    if not validate:
        return
    try:
        kind.validate(row.values, instance)
    except ValidationError as error:
        row.errors.extend(_validation_messages(error, row.number, header_of, kind.model))


def _plan_creation(row: PlannedRow, *, kind: Kind, header_of: dict) -> None:
    lacking = [name for name in kind.create_columns if is_blank(row.values.get(name))]
    for name in lacking:
        header = header_of.get(name) or str(kind.column(name).header)
        row.errors.append(cell_message(row.number, header, _("a new record needs this column filled in")))
    row.action = RowAction.CREATE
    row.changes = [
        [header_of[name], "", _shown(kind, name, value)] for name, value in row.values.items() if not _empty(value)
    ]


def _plan_update(row: PlannedRow, instance, *, kind: Kind, header_of: dict) -> None:
    for name in names_kept_when_blank(kind):
        if _empty(row.values.get(name)):
            row.values.pop(name, None)
    current = kind.current(instance)
    row.changes = [
        [header_of[name], _shown(kind, name, current.get(name)), _shown(kind, name, value)]
        for name, value in row.values.items()
        if not _same(current.get(name), value)
    ]
    row.action = RowAction.UPDATE if row.changes else RowAction.UNCHANGED


def names_kept_when_blank(kind: Kind) -> list[str]:
    return [column.name for column in kind.columns() if column.keep_when_blank]


def _empty(value) -> bool:
    return value in (None, "", ())


def _same(old, new) -> bool:
    return (_empty(old) and _empty(new)) or old == new


def _shown(kind: Kind, name: str, value) -> str:
    return kind.column(name).shown(value) if value is not None else ""


def _validation_messages(error: ValidationError, number: int, header_of: dict, model) -> list[str]:
    """The model's messages, each on the column of its field: the file's header, else the field's name (a field
    the file has no column for); a rule of the whole record on the row."""
    if not hasattr(error, "error_dict"):
        return [row_message(number, message) for message in error.messages]
    fields = {field.name: capfirst(field.verbose_name) for field in model._meta.fields}
    messages = []
    for name, errors in error.message_dict.items():
        header = header_of.get(name) or fields.get(name)
        for message in errors:
            messages.append(cell_message(number, str(header), message) if header else row_message(number, message))
    return messages
