"""The reminders `manage.py send_reminders` sends: reports due soon or overdue, recommendations due soon or
overdue, and the weekly digest of what is overdue for Ministry staff.

A run finds every reminder due today, keeps those the ledger (`SentReminder`, unique per recipient,
kind, item and occasion) does not hold yet, and writes them to the ledger together with their
notifications, in one transaction: a reminder is recorded once or not at all. Only then are the
e-mails sent (`coop.notifications.deliver`), which also sends whatever an earlier run or a web
request left pending. Running it again, or after it was stopped half-way, sends nothing twice.

Each recipient gets one notification per kind and run, listing every item it reminds of.
The queries do not grow with the number of reminders: a handful for the candidates, two per user
who may receive reminders (their agency's lineage and programmes: `coop.roles`), one insert per
table, and the e-mails in batches.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from coop.models import Notification, NotificationKind, SentReminder
from coop.notifications import absolute_url, deliver, email_status_for
from coop.roles import Role, ended_agency, lineage_agency_ids, own_agency_ids
from programmes.choices import PENDING_RECOMMENDATION_STATUSES
from programmes.models import Programme, Recommendation, period_label
from reporting.queries import (
    LONGEST_NOTICE_DAYS,
    compliance_rows,
    compliance_totals,
    latest_due_period,
    recommendation_state,
    unanswered_reports,
)
from tasks.choices import ReportState
from tasks.models import Task

# Overdue items are reminded of once, if their due day passed at most this long ago: the first run on a
# database with years of history does not send reminders of reports owed since 2013.
OVERDUE_LOOK_BACK_DAYS = 30
# Lines of items in one notification; the rest is summed up with a link to the whole list.
ITEMS_LISTED = 20
# The advisory lock that keeps two runs at the same time from writing the same reminders (PostgreSQL).
ADVISORY_LOCK_KEY = 1_600_016

# The reminder of an item in each state that calls for one.
REPORT_REMINDERS = {ReportState.DUE: NotificationKind.REPORT_DUE, ReportState.OVERDUE: NotificationKind.REPORT_OVERDUE}
RECOMMENDATION_REMINDERS = {
    ReportState.DUE: NotificationKind.RECOMMENDATION_DUE,
    ReportState.OVERDUE: NotificationKind.RECOMMENDATION_OVERDUE,
}

# The line of each item, translated when the recipient's notification is written.
REPORT_LINE = gettext_noop("%(task)s – %(title)s: %(period)s, due %(due)s")
RECOMMENDATION_LINE = gettext_noop("%(text)s (meeting of %(held)s), due %(due)s")


@dataclass(frozen=True)
class Reminder:
    """One reminder to one recipient: of an item (a task's report for a period, a recommendation, a digest)."""

    recipient_id: int
    kind: str
    item_model: type
    item_id: int
    occasion: str
    # (text pattern, its parameters): composed in the recipient's language when the notification is written.
    line: tuple[str, dict] = ("", {})
    url: str = ""


@dataclass
class RunSummary:
    reminders: int = 0
    notifications: int = 0
    emails: int = 0
    by_kind: dict = field(default_factory=dict)


def send_reminders(*, today: datetime.date) -> RunSummary:
    """Write the reminders due today that were never sent, then send every pending e-mail."""
    summary = RunSummary()
    with transaction.atomic():
        _lock_against_a_second_run()
        users = {user.pk: user for user in _recipients()}
        candidates = [
            *report_reminders(today=today, users=users),
            *recommendation_reminders(today=today, users=users),
            *weekly_digests(today=today, users=users),
        ]
        new = _not_sent_before(candidates)
        notifications = _write(new, users)
        summary.reminders = len(new)
        summary.notifications = len(notifications)
        for reminder in new:
            summary.by_kind[reminder.kind] = summary.by_kind.get(reminder.kind, 0) + 1
    summary.emails = deliver()
    return summary


def _lock_against_a_second_run() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def _recipients():
    """Every active user with an agency; their roles are read with them."""
    return (
        get_user_model()
        .objects.filter(is_active=True, agency__isnull=False)
        .select_related("agency")
        .prefetch_related("groups")
        .order_by("pk")
    )


def _has_role(user, role: str) -> bool:
    return any(group.name == role for group in user.groups.all())


# Reports


def report_reminders(*, today: datetime.date, users: dict) -> list[Reminder]:
    """To the province staff who report on each task: its report due within the programme's notice, or overdue."""
    reporters = [
        user for user in users.values() if _has_role(user, Role.PROVINCE_STAFF) and ended_agency(user, on=today) is None
    ]
    if not reporters:
        return []
    scopes = {user.pk: _reporting_scope(user) for user in reporters}
    owed = unanswered_reports(
        Task.objects.all(),
        due_from=today - datetime.timedelta(days=OVERDUE_LOOK_BACK_DAYS),
        due_to=today + datetime.timedelta(days=LONGEST_NOTICE_DAYS),
    )
    reminders = []
    for report in owed:
        kind = REPORT_REMINDERS.get(report.state_on(today))
        if kind is None:
            continue
        line = (
            REPORT_LINE,
            {
                "task": report.task_code,
                "title": report.task_title,
                "period": (report.starts_on, report.ends_on, report.is_final),
                "due": report.due_on.strftime("%d/%m/%Y"),
            },
        )
        url = reverse("progress_report_add", args=[report.task_id]) + f"?period={report.period_id}"
        for user_id, (programme_ids, lead_agency_ids) in scopes.items():
            if report.programme_id in programme_ids or report.lead_agency_id in lead_agency_ids:
                reminders.append(Reminder(user_id, kind, Task, report.task_id, f"period:{report.period_id}", line, url))
    return reminders


def _reporting_scope(user) -> tuple[set[int], set[int]]:
    """The programmes a user sees and the agencies whose tasks they report on (`Task.objects.visible_to`)."""
    programmes = set(Programme.objects.visible_to(user).values_list("pk", flat=True))
    return programmes, set(lineage_agency_ids(user))


# Recommendations


def recommendation_reminders(*, today: datetime.date, users: dict) -> list[Reminder]:
    """To the staff of the agency a recommendation is addressed to: due within the notice, or overdue."""
    pending = (
        Recommendation.objects.filter(
            status__in=PENDING_RECOMMENDATION_STATUSES,
            due_on__gte=today - datetime.timedelta(days=OVERDUE_LOOK_BACK_DAYS),
            due_on__lte=today + datetime.timedelta(days=LONGEST_NOTICE_DAYS),
        )
        .select_related("meeting__programme")
        .order_by("due_on", "pk")
    )
    pending = list(pending)
    if not pending:
        return []
    agencies_of = {user.pk: set(own_agency_ids(user)) for user in users.values()}
    reminders = []
    kinds = {
        ReportState.DUE: NotificationKind.RECOMMENDATION_DUE,
        ReportState.OVERDUE: NotificationKind.RECOMMENDATION_OVERDUE,
    }
    for recommendation in pending:
        kind = kinds.get(recommendation_state(recommendation, today=today))
        if kind is None:
            continue
        line = (
            RECOMMENDATION_LINE,
            {
                "text": str(recommendation),
                "held": recommendation.meeting.held_on.strftime("%d/%m/%Y"),
                "due": recommendation.due_on.strftime("%d/%m/%Y"),
            },
        )
        url = reverse("recommendation_follow_up", args=[recommendation.pk])
        occasion = f"due:{recommendation.due_on.isoformat()}"
        for user_id, agency_ids in agencies_of.items():
            if recommendation.addressed_to_id in agency_ids:
                reminders.append(Reminder(user_id, kind, Recommendation, recommendation.pk, occasion, line, url))
    return reminders


# The weekly digest


def weekly_digests(*, today: datetime.date, users: dict) -> list[Reminder]:
    """Once a week, to each Ministry staff member: the reports missing for the latest period due, by province,
    and the recommendations overdue."""
    staff = [user for user in users.values() if _has_role(user, Role.MINISTRY_STAFF)]
    if not staff:
        return []
    tasks = Task.objects.all()
    period_end = latest_due_period(compliance_rows(tasks=tasks, grouping="period", today=today), today=today)
    provinces = []
    if period_end is not None:
        provinces = compliance_rows(tasks=tasks, grouping="province", today=today, period_end=period_end)
    totals = compliance_totals(provinces)
    year, week, _weekday = today.isocalendar()
    digest = {
        "period_end": period_end,
        "missing": totals.missing,
        "due": totals.due,
        "compliance": totals.compliance,
        "provinces": _most_missing(provinces),
        "recommendations": Recommendation.objects.overdue(today).count(),
    }
    return [
        Reminder(
            user.pk,
            NotificationKind.WEEKLY_DIGEST,
            get_user_model(),
            user.pk,
            f"{year}-W{week:02d}",
            ("", digest),
            reverse("reporting"),
        )
        for user in staff
    ]


def _most_missing(provinces) -> list[tuple[str | None, int]]:
    """(province, reports missing) of the provinces missing most, most first; None for the central agencies, named
    in each recipient's language when their digest is written."""
    missing = sorted((row for row in provinces if row.missing), key=lambda row: (-row.missing, row.label))
    return [(row.label if row.key is not None else None, row.missing) for row in missing[:ITEMS_LISTED]]


# Writing


def _not_sent_before(candidates: list[Reminder]) -> list[Reminder]:
    """The candidates the ledger does not hold, each once."""
    if not candidates:
        return []
    types = {model: ContentType.objects.get_for_model(model) for model in {c.item_model for c in candidates}}
    occasions = {c.occasion for c in candidates}
    sent = set(
        SentReminder.objects.filter(occasion__in=occasions, item_type__in=types.values()).values_list(
            "recipient_id", "kind", "item_type_id", "item_id", "occasion"
        )
    )
    new, seen = [], set()
    for reminder in candidates:
        key = (reminder.recipient_id, reminder.kind, types[reminder.item_model].pk, reminder.item_id, reminder.occasion)
        if key not in sent and key not in seen:
            seen.add(key)
            new.append(reminder)
    return new


def _write(reminders: list[Reminder], users: dict) -> list[Notification]:
    """One notification per recipient and kind, and a ledger row per reminder pointing to it."""
    grouped = defaultdict(list)
    for reminder in reminders:
        grouped[(reminder.recipient_id, reminder.kind)].append(reminder)
    notifications = []
    for (recipient_id, kind), items in grouped.items():
        recipient = users[recipient_id]
        subject, body, url = compose_reminder(recipient, kind, items)
        notifications.append(
            Notification(
                recipient=recipient,
                kind=kind,
                subject=subject[:300],
                body=body,
                url=url,
                email_status=email_status_for(recipient, kind),
            )
        )
    created = Notification.objects.bulk_create(notifications)
    types = {model: ContentType.objects.get_for_model(model) for model in {r.item_model for r in reminders}}
    ledger = []
    for notification, items in zip(created, grouped.values(), strict=True):
        for reminder in items:
            ledger.append(
                SentReminder(
                    recipient_id=reminder.recipient_id,
                    kind=reminder.kind,
                    item_type=types[reminder.item_model],
                    item_id=reminder.item_id,
                    occasion=reminder.occasion,
                    notification=notification,
                )
            )
    SentReminder.objects.bulk_create(ledger)
    return created


def compose_reminder(recipient, kind: str, items: list[Reminder]) -> tuple[str, str, str]:
    """Subject, text and link of the notification of `items`, in the recipient's language."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        if kind == NotificationKind.WEEKLY_DIGEST:
            return _digest_text(items[0])
        subject = _subject(kind, len(items))
        lines = [_line(item) for item in items[:ITEMS_LISTED]]
        if len(items) > ITEMS_LISTED:
            lines.append(_("… and %(count)d more.") % {"count": len(items) - ITEMS_LISTED})
        body = "\n\n".join([_intro(kind), "\n".join(f"- {line}" for line in lines)])
        url = items[0].url if len(items) == 1 else reverse("dashboard")
        return subject, body, url


def _subject(kind: str, count: int) -> str:
    subjects = {
        NotificationKind.REPORT_DUE: ngettext(
            "%(count)d progress report due soon", "%(count)d progress reports due soon", count
        ),
        NotificationKind.REPORT_OVERDUE: ngettext(
            "%(count)d progress report overdue", "%(count)d progress reports overdue", count
        ),
        NotificationKind.RECOMMENDATION_DUE: ngettext(
            "%(count)d recommendation due soon", "%(count)d recommendations due soon", count
        ),
        NotificationKind.RECOMMENDATION_OVERDUE: ngettext(
            "%(count)d recommendation overdue", "%(count)d recommendations overdue", count
        ),
    }
    return subjects[kind] % {"count": count}


def _intro(kind: str) -> str:
    intros = {
        NotificationKind.REPORT_DUE: _("These progress reports are due soon. Each link opens the report form."),
        NotificationKind.REPORT_OVERDUE: _("These progress reports are past their due date and not yet submitted."),
        NotificationKind.RECOMMENDATION_DUE: _(
            "These recommendations addressed to your agency are due soon. Record what was done on each."
        ),
        NotificationKind.RECOMMENDATION_OVERDUE: _(
            "These recommendations addressed to your agency are past their due date."
        ),
    }
    return intros[kind]


def _line(item: Reminder) -> str:
    pattern, params = item.line
    params = dict(params)
    if "period" in params:
        # The period's name is in the recipient's language too: "6 tháng đầu năm 2020", "First half of 2020".
        starts_on, ends_on, is_final = params["period"]
        params["period"] = period_label(starts_on, ends_on, is_final=is_final)
    return _(pattern) % params + "\n  " + absolute_url(item.url)


def _digest_text(item: Reminder) -> tuple[str, str, str]:
    digest = item.line[1]
    central_agencies = _("Central agencies (no province)")
    subject = _("Weekly digest: %(missing)d reports missing, %(recommendations)d recommendations overdue") % {
        "missing": digest["missing"],
        "recommendations": digest["recommendations"],
    }
    paragraphs = []
    if digest["period_end"] is not None:
        rate = "—" if digest["compliance"] is None else f"{digest['compliance'] * 100:.0f}%"
        paragraphs.append(
            _("Period ending %(end)s: %(missing)d of %(due)d reports due are missing; %(rate)s came in on time.")
            % {
                "end": digest["period_end"].strftime("%d/%m/%Y"),
                "missing": digest["missing"],
                "due": digest["due"],
                "rate": rate,
            }
        )
    if digest["provinces"]:
        paragraphs.append(
            _("Reports missing by province:")
            + "\n"
            + "\n".join(f"- {name or central_agencies}: {count}" for name, count in digest["provinces"])
        )
    paragraphs.append(
        ngettext(
            "%(count)d recommendation is past its due date.",
            "%(count)d recommendations are past their due date.",
            digest["recommendations"],
        )
        % {"count": digest["recommendations"]}
    )
    return subject, "\n\n".join(paragraphs), item.url
