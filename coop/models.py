"""Pieces every app shares: the user, the folded search column and the edit version."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from coop.text import fold


class User(AbstractUser):
    """A person who logs in, attached to the agency they work for.

    The agency decides what a provincial department user may see and change;
    ministry staff and leadership work for a ministry agency.
    """

    agency = models.ForeignKey(
        "programmes.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )
    # Who the user is among the people the records name: a leader signs documents under this name and position.
    person = models.OneToOneField(
        "programmes.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("person"),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Vietnamese names run family, middle, given: "Phạm Thu" + "Trang" → "Phạm Thu Trang".
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()


class SearchableModel(models.Model):
    """A model with a folded `search_text` column, kept up to date on every save.

    Subclasses list the texts a user may search them by in `search_parts()`.
    Bulk paths (`bulk_create`, `update`) bypass `save()`: they call
    `coop.search.refresh_search_text()` on the rows they touched.
    """

    search_text = models.TextField(
        editable=False,
        blank=True,
        default="",
        verbose_name=_("search text"),
    )

    # Relations `search_parts()` reads, for bulk refreshes to fetch in the same query.
    search_select_related: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def search_parts(self) -> Iterable[object]:
        raise NotImplementedError

    def build_search_text(self) -> str:
        return fold(" ".join(str(part) for part in self.search_parts() if part not in (None, "")))


class VersionedModel(models.Model):
    """A model whose rows carry a version number, raised on every save.

    A form remembers the version it was opened at; `coop.concurrency.ensure_unchanged()`
    refuses a save when the row has moved on since, so that a second user's edit never
    silently overwrites the first one's (optimistic locking).
    """

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        verbose_name=_("version"),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "version" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "version"]
        super().save(*args, **kwargs)
