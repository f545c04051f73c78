"""Writes of the shared pieces: what a user keeps for themselves (the columns of their lists)."""

from collections.abc import Sequence

from django.db import transaction

from coop.models import User

# Every field of a user but their columns: a choice of columns is checked on its own, whatever else the row holds.
_NOT_COLUMNS = [field.name for field in User._meta.concrete_fields if field.name != "table_columns"]


def user_table_columns_save(*, user: User, list_name: str, columns: Sequence[str]) -> None:
    """Keep the columns `user` chose for the list named `list_name` (its URL name, "task_list").

    The row is locked while it is read and written, so that two lists saved at once from two tabs
    both keep their choice.
    """
    _write_table_columns(user=user, change=lambda chosen: {**chosen, list_name: list(columns)})


def user_table_columns_reset(*, user: User, list_name: str) -> None:
    """Show `user` the default columns of the list named `list_name` again; their other lists keep their choice."""
    _write_table_columns(
        user=user,
        change=lambda chosen: {key: value for key, value in chosen.items() if key != list_name},
    )


def _write_table_columns(*, user: User, change) -> None:
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        chosen = locked.table_columns if isinstance(locked.table_columns, dict) else {}
        locked.table_columns = change(chosen)
        locked.clean_fields(exclude=_NOT_COLUMNS)
        locked.save(update_fields=["table_columns"])
    user.table_columns = locked.table_columns
