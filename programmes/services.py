"""Writes of the programmes app: meetings with their attendance and recommendations, follow-ups, attachments."""

from django.db import transaction

from coop.concurrency import ensure_unchanged
from programmes.models import Attachment, Meeting, Recommendation


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
