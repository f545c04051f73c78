"""Writes of the programmes app: meetings with their attendance and recommendations, follow-ups, attachments,
publishing a programme, and the official list of provinces."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coop.concurrency import ensure_unchanged
from programmes.choices import ProgrammeStatus
from programmes.divisions import official_provinces
from programmes.models import Attachment, Meeting, Programme, Province, Recommendation


def meeting_save(*, form, attendance, recommendations, opened_version: int | None) -> Meeting:
    """Save a meeting and its rows together, or nothing; refused if someone saved it meanwhile.

    The forms have validated every row (and run the models' `full_clean()`); this
    only makes the save one transaction and checks the version under a lock.
    """
    with transaction.atomic():
        if form.instance.pk:
            current = ensure_unchanged(form.instance, opened_version=opened_version)
            form.instance.version = current.version
        meeting = form.save()
        for formset in (attendance, recommendations):
            formset.instance = meeting
            formset.save()
    return meeting


def recommendation_follow_up(
    *, recommendation: Recommendation, status: str, follow_up: str, opened_version: int | None
) -> Recommendation:
    """Record what was done about a recommendation and where it stands."""
    with transaction.atomic():
        recommendation = ensure_unchanged(recommendation, opened_version=opened_version)
        recommendation.status = status
        recommendation.follow_up = follow_up.strip()
        recommendation.full_clean()
        recommendation.save()
    return recommendation


def attachment_add(*, meeting: Meeting, title: str, file) -> Attachment:
    """Attach a document to a meeting: checked (size, kind by content), stored under a random name."""
    attachment = Attachment(meeting=meeting, title=title.strip(), file=file)
    attachment.full_clean()
    try:
        with transaction.atomic():
            attachment.save()
    except Exception:
        # The file was written before the row; without the row nothing would ever find it.
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def attachment_delete(*, attachment: Attachment) -> None:
    """Remove a document from its meeting; the file goes once the removal is committed."""
    storage, name = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


def programme_publish(*, programme: Programme, published: bool) -> Programme:
    """Show the programme to everyone (the public pages and the open data, its verified outputs only) or take it back.

    Only the flag is written, under a lock, so that an edit of the programme saved meanwhile is kept; the history
    records who did it and when. Saying again what already holds changes nothing. A draft programme is not
    published: nothing of a draft is shown to the public.
    """
    with transaction.atomic():
        current = Programme.objects.select_for_update().get(pk=programme.pk)
        if current.published == published:
            return current
        if published and current.status == ProgrammeStatus.DRAFT:
            raise ValidationError(
                _("A draft programme cannot be published. Set its status to active or completed first.")
            )
        current.published = published
        current._change_reason = _("Published for the public") if published else _("Withdrawn from the public")
        current.save(update_fields=["published"])
    return current


@dataclass(frozen=True)
class ProvinceLoad:
    """What `province_load_official` wrote: counts, and every official province by its natural key."""

    created: int
    updated: int
    provinces: dict[tuple[str, datetime.date | None], Province]  # (code, valid_to) → row


def province_load_official() -> ProvinceLoad:
    """Write every province of the official list (`programmes.divisions`): code, name, validity, successor.

    A province is found by its natural key, its code and the last day it existed (empty while it exists: no
    two current provinces share a code, a constraint says so), and saved only when new or different, so a
    second run changes nothing. Rows that are not on the list (typed by hand, or a test's) are left alone;
    a row of an earlier hand-typed list with a current code (the demo's "Hưng Yên") is the same province and
    takes the list's values.
    """
    with transaction.atomic():
        existing = {(row.code, row.valid_to): row for row in Province.objects.select_for_update()}
        written: dict[tuple[str, datetime.date | None], Province] = {}
        created = updated = 0
        for official in official_provinces():
            key = (official.code, official.valid_to)
            values = {
                "name": official.name,
                "valid_from": official.valid_from,
                "valid_to": official.valid_to,
                # Current provinces come first in the list: the successor is written already.
                "successor": written[(official.successor_code, None)] if official.successor_code else None,
            }
            province = existing.get(key) or Province(code=official.code)
            changed = province.pk is None or _differs(province, values)
            if changed:
                created += province.pk is None
                updated += province.pk is not None
                for name, value in values.items():
                    setattr(province, name, value)
                province.full_clean()
                province.save()
            written[key] = province
    return ProvinceLoad(created=created, updated=updated, provinces=written)


def _differs(province: Province, values: dict) -> bool:
    return any(
        (province.successor_id != (value.pk if value else None))
        if name == "successor"
        else getattr(province, name) != value
        for name, value in values.items()
    )
