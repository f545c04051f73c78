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

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from coop.models import EMAIL_SWITCH, EmailStatus, Notification

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
    if deliver_now and created:
        ids = [notification.pk for notification in created if notification.pk is not None]
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
    sent_count = 0
    while True:
        sent_in_batch, more = _deliver_batch(pending, fail_silently=fail_silently)
        sent_count += sent_in_batch
        if not more:
            return sent_count


def _deliver_batch(pending, *, fail_silently: bool) -> tuple[int, bool]:
    """Send one batch; (how many were sent, whether a full batch was taken and more may wait)."""
    sent_ids, skipped_ids, failure = [], [], None
    with transaction.atomic():
        batch = list(
            pending.select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:DELIVERY_BATCH]
        )
        if not batch:
            return 0, False
        connection = get_connection(fail_silently=fail_silently)
        try:
            connection.open()
            for notification in batch:
                if email_status_for(notification.recipient, notification.kind) != EmailStatus.PENDING:
                    skipped_ids.append(notification.pk)
                    continue
                if connection.send_messages([email_message(notification, connection)]):
                    sent_ids.append(notification.pk)
        except BaseException as error:  # noqa: B036 — what went out is recorded before stopping
            failure = error
        finally:
            connection.close()
        now = timezone.now()
        Notification.objects.filter(pk__in=sent_ids).update(email_status=EmailStatus.SENT, emailed_at=now)
        Notification.objects.filter(pk__in=skipped_ids).update(email_status=EmailStatus.NOT_SENT)
    if failure is not None and not fail_silently:
        raise failure
    if failure is not None:
        return len(sent_ids), False
    return len(sent_ids), len(batch) == DELIVERY_BATCH


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
