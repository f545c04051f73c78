"""Figures over every record, kept between requests until the records they add up change.

The dashboard of someone who sees every task, and the totals under the unfiltered task list,
add up 50,000 tasks and 250,000 outputs on every request, although they change only when one
of those rows does. A kept figure is filed under the data's version: the newest primary key of
each table it reads and the newest row of that table's history (django-simple-history writes one
on every save and delete made through the application: forms, services, the admin). Reading the
version is one query of a few index lookups; a new version files the figure afresh, and figures
of older versions expire. Writes that leave neither a new row nor a history row (an UPDATE run by
hand, `manage.py refresh_funding_sums`) show within KEPT_FOR_SECONDS at the latest.

The cache is Django's default (in the memory of each application process) unless CACHES says
otherwise; each process keeps its own figures, all of them checked against the same version.
"""

from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connection, models

KEPT_FOR_SECONDS = 10 * 60


def data_version(tables: Iterable[type[models.Model]]) -> str:
    """The newest primary key and the newest history row of each model's table, in one query; for a model
    without history, its newest primary key and its number of rows."""
    quote = connection.ops.quote_name
    parts = []
    for model in tables:
        table = quote(model._meta.db_table)
        parts.append(f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {table})")
        history = getattr(model, "history", None)
        if history is None:
            parts.append(f"(SELECT COUNT(*) FROM {table})")
        else:
            history_meta = history.model._meta
            parts.append(f"(SELECT MAX({quote(history_meta.pk.column)}) FROM {quote(history_meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return ":".join(str(value) for value in cursor.fetchone())


def kept_figures(name: str, *, tables: Iterable[type[models.Model]], compute: Callable[[], object]):
    """`compute()`, or what it gave before if none of `tables` has changed since."""
    key = f"figures:{name}:{data_version(tables)}"
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, KEPT_FOR_SECONDS)
    return figures


def kept_over_every_row(queryset: models.QuerySet, *, name: str, tables, compute: Callable[[models.QuerySet], object]):
    """`compute(queryset)`, kept (`kept_figures`) when `queryset` holds every row of its table.

    Only then is the figure the same for everyone who asks; over a narrowed queryset (a
    province's tasks, a filtered list) it is computed on each request.
    """
    if queryset.query.has_filters():
        return compute(queryset)
    return kept_figures(name, tables=tables, compute=lambda: compute(queryset))


def kept_for_user(
    queryset: models.QuerySet, *, user, name: str, tables, scope_tables, compute: Callable[[models.QuerySet], object]
):
    """`compute(queryset)` where `queryset` is all that `user` may see of its table, narrowed by nothing else
    (a dashboard's figures): kept per user as `kept_over_every_row` keeps everyone's.

    Someone who sees every row shares the figure kept for all. Otherwise it is filed under the user and their
    agency, and the version covers `scope_tables` too, the tables their scope is read from (programme parties,
    agencies), so that a change of scope files it afresh.
    """
    if not queryset.query.has_filters():
        return kept_figures(name, tables=tables, compute=lambda: compute(queryset))
    return kept_figures(
        f"{name}:user{user.pk}:agency{user.agency_id}",
        tables=[*tables, *scope_tables],
        compute=lambda: compute(queryset),
    )
