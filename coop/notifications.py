"""Notifications: written when something happens, listed in the application, sent by e-mail.

`notify()` writes one notification per recipient, in the recipient's language, inside the
caller's transaction; once it commits, `deliver()` sends the e-mails of those notifications.
What could not be sent then (the mail server was down, the process stopped) stays pending and
`manage.py send_reminders` sends it on its next run.

Sending is at most once per notification, in batches: a batch is locked (`SKIP LOCKED`, so two
runs at the same time never take the same rows), sent over one connection and marked sent in
the same transaction. If sending fails or the process is stopped (Ctrl-C, SIGTERM), what went
out is still marked sent and the rest stays pending. Only a hard kill (SIGKILL, power loss)
between the mail server accepting a message and the commit could send a batch's messages again.
"""

import logging
import re
import smtplib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from coop.models import EMAIL_SWITCH, EmailStatus, Notification

logger = logging.getLogger(__name__)

# Messages sent over one connection and marked sent in one transaction.
DELIVERY_BATCH = 200

# compose(recipient) -> (subject, body), called in the recipient's language.
Composer = Callable[[object], tuple[str, str]]


def notify(*, recipients: Iterable, kind: str, compose: Composer, url: str = "", deliver_now: bool = True) -> list:
    """Write a notification of `kind` for each active recipient (each once), in their own language.

    With `deliver_now`, the e-mails go out once the caller's transaction commits (a submitted
    report, a review); reminders of `send_reminders` are delivered by the command in bulk.
    """
    notifications = []
    for recipient in _distinct_active(recipients):
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            subject, body = compose(recipient)
        notifications.append(
            Notification(
                recipient=recipient,
                kind=kind,
                subject=str(subject)[:300],
                body=str(body),
                url=url,
                email_status=email_status_for(recipient, kind),
            )
        )
    created = Notification.objects.bulk_create(notifications)
    # Only what is to go out by e-mail: nothing to do after the commit when every recipient turned the kind off.
    ids = [item.pk for item in created if item.pk is not None and item.email_status == EmailStatus.PENDING]
    if deliver_now and ids:
        transaction.on_commit(lambda: deliver(ids=ids, fail_silently=True))
    return created


def _distinct_active(recipients: Iterable) -> list:
    seen, kept = set(), []
    for recipient in recipients:
        if recipient.is_active and recipient.pk not in seen:
            seen.add(recipient.pk)
            kept.append(recipient)
    return kept


def email_status_for(recipient, kind: str) -> str:
    """Pending when the notification should go out by e-mail, else not sent (and never will be)."""
    wanted = getattr(recipient, EMAIL_SWITCH[kind])
    if wanted and recipient.is_active and recipient.email:
        return EmailStatus.PENDING
    return EmailStatus.NOT_SENT


def deliver(*, ids: Iterable[int] | None = None, fail_silently: bool = False) -> int:
    """Send the pending e-mails (only those of `ids` if given); the number sent.

    A recipient who turned the kind off, was deactivated or has no address since the
    notification was written gets no e-mail: the notification is marked not sent.
    """
    pending = Notification.objects.filter(email_status=EmailStatus.PENDING)
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    sent_count, after = 0, 0
    while True:
        sent_in_batch, after = _deliver_batch(pending.filter(pk__gt=after), fail_silently=fail_silently)
        sent_count += sent_in_batch
        if after is None:
            return sent_count


def _deliver_batch(pending, *, fail_silently: bool) -> tuple[int, int | None]:
    """Send one batch; (how many were sent, the last key taken when a full batch was taken and more may wait).

    The next batch starts after that key: a message the backend declined without raising (a mail
    server down, with `fail_silently`) stays pending for the next run rather than being taken again
    and again by this one.
    """
    sent_ids, skipped_ids, failure = [], [], None
    with transaction.atomic():
        batch = list(
            pending.select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:DELIVERY_BATCH]
        )
        if not batch:
            return 0, None
        connection = get_connection(fail_silently=fail_silently)
        try:
            connection.open()
            for notification in batch:
                if email_status_for(notification.recipient, notification.kind) != EmailStatus.PENDING:
                    skipped_ids.append(notification.pk)
                    continue
                try:
                    sent = connection.send_messages([email_message(notification, connection)])
                except smtplib.SMTPRecipientsRefused:
                    # The server refuses the address for good: retrying on every run would never succeed.
                    logger.warning("E-mail address refused for notification %s; not sent.", notification.pk)
                    skipped_ids.append(notification.pk)
                    continue
                if sent:
                    sent_ids.append(notification.pk)
        except BaseException as error:  # noqa: B036 — what went out is recorded before stopping
            failure = error
        finally:
            connection.close()
        now = timezone.now()
        Notification.objects.filter(pk__in=sent_ids).update(email_status=EmailStatus.SENT, emailed_at=now)
        Notification.objects.filter(pk__in=skipped_ids).update(email_status=EmailStatus.NOT_SENT)
    if failure is not None:
        # An interruption (Ctrl-C, a worker told to exit) always stops the caller; a failure to send
        # only when asked to.
        if not fail_silently or not isinstance(failure, Exception):
            raise failure
        logger.warning("E-mails of notifications not sent, left pending: %s", failure, exc_info=failure)
        return len(sent_ids), None
    return len(sent_ids), (batch[-1].pk if len(batch) == DELIVERY_BATCH else None)


def email_message(notification: Notification, connection=None) -> EmailMultiAlternatives:
    """The e-mail of a notification, plain text and HTML, in the recipient's language."""
    recipient = notification.recipient
    context = {
        "notification": notification,
        "recipient": recipient,
        "link": absolute_url(notification.url) if notification.url else "",
        "notifications_link": absolute_url(reverse("notification_list")),
        "profile_link": absolute_url(reverse("profile")),
    }
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        text = render_to_string("coop/email/notification.txt", context)
        html = render_to_string("coop/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        to=[recipient.email],
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def body_blocks(text: str) -> list[dict]:
    """The body of a notification as blocks to show: paragraphs (lines) and lists ("- item" lines).

    Bodies are plain text, with blank lines between paragraphs; a run of lines starting with "- "
    is a list. An e-mail in HTML and the application's list draw them the same way.
    """
    blocks = []
    for paragraph in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        runs = []
        for line in paragraph.split("\n"):
            line = line.strip()
            if not line:
                continue
            is_item = line.startswith("- ")
            kind = "list" if is_item else "paragraph"
            if not runs or runs[-1]["kind"] != kind:
                runs.append({"kind": kind, "lines": []})
            runs[-1]["lines"].append(line[2:].strip() if is_item else line)
        blocks.extend(runs)
    return blocks


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark a notification read; the time it was first read is kept when it is opened again."""
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    notification.refresh_from_db(fields=["read_at"])
    return notification


def notification_mark_all_read(*, recipient) -> int:
    """Mark every unread notification of `recipient` read; how many were unread."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=recipient).unread().update(read_at=timezone.now())
