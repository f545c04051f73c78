"""The "Lịch sử thay đổi" tab: who changed what and when, old value → new value.

Reads the tables django-simple-history keeps. A page passes one or more
`HistorySource`s (the record itself, and the rows that belong to it such as a
task's funding); each is read in one query, consecutive versions of the same row
are compared in Python, and foreign keys are named with one query per related model.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from coop.formatting import format_vnd

# The longest reason the historical tables keep (django-simple-history's default column).
REASON_MAX_LENGTH = 100
# Who writes, and why, while `recorded_as` is in force: (user, reason), or None.
_recorded_as: ContextVar[tuple | None] = ContextVar("recorded_as", default=None)

# Columns every historical row has that are not the record's own data.
NOT_SHOWN = {"id", "version", "search_text"}
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
LONG_TEXT = 200


@dataclass(frozen=True)
class HistorySource:
    """Historical rows to show, and how to name each row in the log ("Funding: Local budget 2014")."""

    records: models.QuerySet
    describe: Callable[[object], str] | None = None
    # The first record of each row is only what later changes are compared with.
    first_is_baseline: bool = False
    # Only the changes of these fields are shown (a recommendation's follow-up: its status, follow-up text, due
    # date); a save that changed none of them is left out. None: every field.
    fields: tuple[str, ...] | None = None


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    row_id: object = None  # the primary key of the row that changed


def change_log(sources: list[HistorySource], *, limit: int = 100) -> list[HistoryEntry]:
    """The newest `limit` changes across the sources, newest first."""
    entries: list[HistoryEntry] = []
    for source in sources:
        entries.extend(_entries_of(source))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def change_logs_by_row(source: HistorySource) -> dict[object, list[HistoryEntry]]:
    """The changes of each row of `source`, newest first, by the row's primary key.

    One query for every row (and one per model its shown foreign keys point to): a page that lists rows shows
    the history of each with a fixed number of queries.
    """
    by_row: dict[object, list[HistoryEntry]] = defaultdict(list)
    for entry in sorted(_entries_of(source), key=lambda entry: entry.when, reverse=True):
        by_row[entry.row_id].append(entry)
    return dict(by_row)


def changes_since(instance, version: int) -> list[HistoryEntry]:
    """What was saved to `instance` after `version`, oldest change last (for an edit conflict)."""
    records = type(instance).history.filter(id=instance.pk, version__gte=version)
    return change_log([HistorySource(records, first_is_baseline=True)])


def _entries_of(source: HistorySource) -> list[HistoryEntry]:
    records = list(source.records.select_related("history_user").order_by("id", "history_date", "history_id"))
    if not records:
        return []
    fields = _shown_fields(records[0])
    if source.fields is not None:
        fields = [f for f in fields if f.name in source.fields]
    names = _related_names(fields, records)
    previous_by_row: dict[int, object] = {}
    entries = []
    for record in records:
        previous = previous_by_row.get(record.id)
        changes = [] if previous is None else _changes(previous, record, fields, names)
        previous_by_row[record.id] = record
        if previous is None and source.first_is_baseline:
            continue
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing a person would see
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                action=ACTIONS.get(record.history_type, record.history_type),
                subject=_subject(record, source),
                changes=changes,
                reason=record.history_change_reason or "",
                row_id=record.id,
            )
        )
    return entries


def _shown_fields(record) -> list[models.Field]:
    tracked = record.instance_type._meta.get_fields()
    tracked_names = {f.name for f in tracked if getattr(f, "concrete", False)}
    return [
        f
        for f in record._meta.concrete_fields
        if f.name in tracked_names and f.name not in NOT_SHOWN and not f.name.startswith("history_")
    ]


def _related_names(fields, records) -> dict[tuple[type, object], str]:
    """`{(model, pk): str(obj)}` for every foreign key value in the records, one query per model."""
    wanted: dict[type, set] = defaultdict(set)
    for f in fields:
        if f.is_relation:
            for record in records:
                value = getattr(record, f.attname)
                if value is not None:
                    wanted[f.related_model].add(value)
    names = {}
    for model, pks in wanted.items():
        for obj in model._base_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj)
    return names


def _changes(previous, record, fields, names) -> list[Change]:
    changes = []
    for f in fields:
        old, new = getattr(previous, f.attname), getattr(record, f.attname)
        if old != new:
            changes.append(
                Change(
                    label=capfirst(f.verbose_name),
                    old=_display(f, old, names),
                    new=_display(f, new, names),
                )
            )
    return changes


def _display(f: models.Field, value, names) -> str:
    """A value as a person reads it: labels for choices, names for links, dd/mm/yyyy, grouped VND."""
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, Decimal) and getattr(f, "decimal_places", None) == 0:
        return format_vnd(value)
    return Truncator(str(value)).chars(LONG_TEXT)


def _subject(record, source: HistorySource) -> str:
    label = capfirst(record.instance_type._meta.verbose_name)
    if source.describe is None:
        return label
    return f"{label}: {source.describe(record)}"


@contextmanager
def recorded_as(*, user, reason: str):
    """Every historical row written inside names `user` and, unless the write gave its own, `reason`.

    For writes made outside a web request or through services that save several rows (an import runs in the
    background worker, through the same services as the forms): the history still says who and why.
    """
    token = _recorded_as.set((user, Truncator(reason).chars(REASON_MAX_LENGTH)))
    try:
        yield
    finally:
        _recorded_as.reset(token)


def name_author_and_reason(sender, history_instance, **kwargs):
    """django-simple-history's `pre_create_historical_record`: fills in what `recorded_as` holds."""
    recorded = _recorded_as.get()
    if recorded is None:
        return
    user, reason = recorded
    history_instance.history_user = user
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = reason
