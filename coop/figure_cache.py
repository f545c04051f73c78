"""Figures over every record, kept between requests until the records they add up change.

The dashboard of someone who sees every task, and the totals under the unfiltered task list,
add up 50,000 tasks and 250,000 outputs on every request, although they change only when one
of those rows does. A province's department asks the same of its own rows: those are kept for
its scope, shared by everyone who sees the same tasks (`kept_for_scope`). A kept figure is filed
under the data's version: the newest primary key of each table it reads and the newest row of
that table's history (django-simple-history writes one on every save and delete made through the
application: forms, services, the admin). Reading the version is one query of a few index lookups,
planned once per database session (`coop.prepared`); a new version files the figure afresh, and
figures of older versions expire. Writes that leave neither a new row nor a history row (an UPDATE
run by hand, `manage.py refresh_funding_sums`) show within KEPT_FOR_SECONDS at the latest.

The cache is Django's default (in the memory of each application process) unless CACHES says
otherwise; each process keeps its own figures, all of them checked against the same version.
"""

import functools
from collections.abc import Callable, Iterable

from django.apps import apps
from django.core.cache import cache
from django.db import connection, models
from django.db.models.sql.where import AND
from simple_history.manager import HistoryManager

from coop.lookups import IsInScope
from coop.prepared import execute_planned_once
from coop.request_memo import remembered

KEPT_FOR_SECONDS = 10 * 60


def data_version(tables: Iterable[type[models.Model]]) -> str:
    """The newest primary key and the newest history row of each model's table; for a model without history,
    its newest primary key and its number of rows.

    Within a request the versions are read once (`coop.request_memo`): the first figure a request keeps reads
    those of every table in `READ_TOGETHER` at once, so that a page keeping its count, its order, its totals
    and its filters' choices asks for them in one query, whichever figure comes first.
    """
    tables = list(tables)
    known = remembered("table_versions", dict)
    missing = [model for model in tables if model not in known]
    if missing:
        wanted = {*missing, *(model for model in tables_read_together() if model not in known)}
        known.update(read_versions(sorted(wanted, key=lambda model: model._meta.label)))
    return ":".join(known[model] for model in tables)


# The tables whose figures are kept on list pages and dashboards: the lists' rows (their counts and order), and
# what the totals add up. A table not named here has its version read on its own when a figure asks for it.
READ_TOGETHER = (
    "tasks.Task",
    "tasks.Funding",
    "tasks.Output",
    "tasks.ProgressReport",
    "tasks.TaskPlace",
    "programmes.Programme",
    "programmes.Meeting",
    "programmes.Recommendation",
    "reports.GeneratedReport",
)


@functools.cache
def tables_read_together() -> tuple[type[models.Model], ...]:
    return tuple(apps.get_model(label) for label in READ_TOGETHER)


@functools.cache
def history_of(model: type[models.Model]) -> type[models.Model] | None:
    """The model of `model`'s history rows (django-simple-history), None when it keeps none.

    Asked on every request: django-simple-history builds a new manager each time `model.history` is read."""
    manager = getattr(model, "history", None)
    return manager.model if isinstance(manager, HistoryManager) else None


def read_versions(tables: list[type[models.Model]]) -> dict[type[models.Model], str]:
    with connection.cursor() as cursor:
        execute_planned_once(cursor, versions_query(tuple(tables)))
        values = [str(value) for value in cursor.fetchone()]
    return {model: f"{values[2 * index]}:{values[2 * index + 1]}" for index, model in enumerate(tables)}


@functools.cache
def versions_query(tables: tuple[type[models.Model], ...]) -> str:
    """The SQL of `read_versions`: two figures per table, in the order of `tables`."""
    quote = connection.ops.quote_name
    parts = []
    for model in tables:
        table = quote(model._meta.db_table)
        parts.append(f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {table})")
        history = history_of(model)
        if history is None:
            parts.append(f"(SELECT COUNT(*) FROM {table})")
        else:
            history_meta = history._meta
            parts.append(f"(SELECT MAX({quote(history_meta.pk.column)}) FROM {quote(history_meta.db_table)})")
    return "SELECT " + ", ".join(parts)


def kept_key(name: str, *, tables: Iterable[type[models.Model]]) -> str:
    """The key under which figures named `name` are kept (`cache`) for the present version of `tables`."""
    return f"figures:{name}:{data_version(tables)}"


def kept_figures(name: str, *, tables: Iterable[type[models.Model]], compute: Callable[[], object]):
    """`compute()`, or what it gave before if none of `tables` has changed since."""
    key = kept_key(name, tables=tables)
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, KEPT_FOR_SECONDS)
    return figures


def kept_for_scope(queryset: models.QuerySet, *, name: str, tables, compute: Callable[[models.QuerySet], object]):
    """`compute(queryset)`, kept (`kept_figures`) when `queryset` holds every row of its table, or every row a
    user may see of it and nothing narrower (a province's unfiltered list, its dashboard).

    Every row: the figure is the same for everyone who asks. A user's rows (`scope_of`): it is filed under
    their scope, the digest of the ids they may see, read afresh on each request, so that a change of scope
    files it afresh at once. A filtered list computes it on each request.
    """
    scope = scope_of(queryset)
    if scope is None:
        return compute(queryset)
    if scope == "":
        return kept_figures(name, tables=tables, compute=lambda: compute(queryset))
    return kept_figures(f"{name}:{scope.scope}", tables=tables, compute=lambda: compute(queryset))


def scope_of(queryset: models.QuerySet) -> IsInScope | str | None:
    """Whose rows `queryset` holds: "" for every row, the user's scope condition (`IsInScope`) when it is
    narrowed by that alone, None when anything else narrows it."""
    where = queryset.query.where
    if not where.children:
        return ""
    if len(where.children) == 1 and where.connector == AND and not where.negated:
        condition = where.children[0]
        if isinstance(condition, IsInScope):
            return condition
    return None
