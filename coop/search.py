"""Keeping `search_text` right for rows written in bulk, and matching against it."""

from django.db import models

from coop.text import fold_words

BATCH_SIZE = 2000
# The longest search query taken: nobody types more, and each word is one more condition of the query
# (three thousand words would pass SQLite's limit of 1,000 nested conditions, and take long anywhere).
# The search page cuts a longer query; the lists' filter forms refuse it with a message.
SEARCH_MAX_LENGTH = 200


def refresh_search_text(queryset: models.QuerySet, *, batch_size: int = BATCH_SIZE) -> int:
    """Recompute `search_text` for every row of `queryset`; returns how many rows changed.

    For bulk paths that bypass `save()`. Works in batches so that a national
    data set never sits in memory at once.
    """
    changed = 0
    model = queryset.model
    batch = []
    rows = queryset.select_related(*model.search_select_related).order_by("pk")
    for obj in rows.iterator(chunk_size=batch_size):
        text = obj.build_search_text()
        if text != obj.search_text:
            obj.search_text = text
            batch.append(obj)
        if len(batch) >= batch_size:
            model.objects.bulk_update(batch, ["search_text"])
            changed += len(batch)
            batch = []
    if batch:
        model.objects.bulk_update(batch, ["search_text"])
        changed += len(batch)
    return changed


def filter_by_words(queryset: models.QuerySet, query: str | None, field: str = "search_text") -> models.QuerySet:
    """Rows whose folded `search_text` (or the one `field` names) contains every folded word of `query`.

    Blank input returns the queryset untouched. On PostgreSQL `icontains` is
    served by the trigram GIN index on `search_text`.
    """
    for word in fold_words(query):
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset
