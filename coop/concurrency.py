"""Optimistic locking: a save is refused when the row changed after the form was opened.

Forms of versioned models carry the version they were opened at (`VersionedFormMixin`);
the service that saves calls `ensure_unchanged()` inside its transaction. On a conflict
the view shows the form again with the user's input and what the other person changed.
"""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _


class EditConflict(Exception):
    """The record was saved by someone else after this user opened it."""

    def __init__(self, current, opened_version: int):
        super().__init__(f"{current!r} is at version {current.version}, the form was opened at {opened_version}")
        self.current = current
        self.opened_version = opened_version


def ensure_unchanged(instance, *, opened_version: int | None):
    """Lock the row and raise EditConflict if its version is no longer the one the form was opened at.

    Must run inside `transaction.atomic()`; the row stays locked (on PostgreSQL)
    until the caller's save commits, so two saves cannot both pass the check.
    Returns the locked, current row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ensure_unchanged() must run inside transaction.atomic()")
    current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    if opened_version is not None and current.version != opened_version:
        raise EditConflict(current, opened_version)
    return current


class VersionedFormMixin(forms.Form):
    """Adds the hidden `opened_version` field to a ModelForm of a VersionedModel."""

    opened_version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={"invalid": _("The form was damaged; open the page again.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.fields["opened_version"].initial = instance.version

    def clean(self):
        # An edit that does not say which version it was opened at could overwrite anything: refuse it
        # rather than skip the check. New records have no version yet.
        cleaned_data = super().clean()
        instance = getattr(self, "instance", None)
        editing = instance is not None and instance.pk is not None
        if editing and cleaned_data.get("opened_version") is None and "opened_version" not in self.errors:
            raise forms.ValidationError(_("The form was damaged; open the page again."), code="missing_version")
        return cleaned_data

    def accept_current_version(self, version: int) -> None:
        """After a conflict: keep the user's input but let the next save go over the version shown."""
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = str(version)
