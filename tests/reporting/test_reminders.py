"""`manage.py send_reminders`: reports and recommendations due soon or overdue, the weekly digest; each sent once,
after a crash in the middle too, to active users who have not turned them off, in their language."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coop.models import EmailStatus, Notification, NotificationKind, SentReminder
from reporting.reminders import send_reminders
from tests.factories import MeetingFactory, RecommendationFactory, TaskFactory
from tests.helpers import vietnamese

D = datetime.date
# Five days before the first half of 2021 is due (15/07/2021): within the programme's 7 days of notice.
NOTICE_DAY = D(2021, 7, 10)
DIGEST_SUBJECT = "Weekly digest: %(missing)d reports missing, %(recommendations)d recommendations overdue"


@pytest.fixture
def mailboxes(calendar, settings):
    """The calendar's users with e-mail addresses, and e-mails kept in memory."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://nhiemvu.most.gov.vn"
    for user in (calendar.province_user, calendar.other_province_user, calendar.ministry_user):
        user.email = f"{user.username}@example.vn"
        user.save()
    return calendar


def run(today) -> str:
    out = io.StringIO()
    call_command("send_reminders", today=today.isoformat(), stdout=out)
    return out.getvalue()


def sent_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def test_a_reminder_is_sent_once_across_two_runs(mailboxes):
    output = run(NOTICE_DAY)
    assert "e-mails sent" in output
    (notice,) = Notification.objects.filter(recipient=mailboxes.province_user, kind=NotificationKind.REPORT_DUE)
    # T1 owes the first half of 2021; T2's draft answers for nothing; T6's report was submitted.
    assert "T1" in notice.body and "T2" in notice.body and "T6" not in notice.body
    assert len(sent_to(mailboxes.province_user)) == 1
    assert len(sent_to(mailboxes.ministry_user)) == 1  # the weekly digest
    assert sent_to(mailboxes.other_province_user) == []

    mail.outbox.clear()
    run(NOTICE_DAY)
    run(NOTICE_DAY + datetime.timedelta(days=1))
    assert mail.outbox == []
    assert SentReminder.objects.filter(recipient=mailboxes.province_user).count() == 2  # T1 and T2, once each


def test_the_email_links_to_the_report_form_of_the_period(mailboxes):
    run(NOTICE_DAY)
    (message,) = sent_to(mailboxes.province_user)
    period = mailboxes.periods[2]
    link = f"https://nhiemvu.most.gov.vn/tasks/{mailboxes.t1.pk}/progress/add/?period={period.pk}"
    assert link in message.body
    html, content_type = message.alternatives[0]
    assert content_type == "text/html"
    assert link.replace("&", "&amp;") in html or link in html


def test_an_overdue_report_is_reminded_once_after_its_due_date(mailboxes):
    run(NOTICE_DAY)
    mail.outbox.clear()
    run(D(2021, 7, 16))
    (message,) = sent_to(mailboxes.province_user)
    overdue = Notification.objects.get(recipient=mailboxes.province_user, kind=NotificationKind.REPORT_OVERDUE)
    assert overdue.subject == message.subject
    mail.outbox.clear()
    run(D(2021, 7, 17))
    assert sent_to(mailboxes.province_user) == []


class CrashingBackend(EmailBackend):
    """Delivers one message, then the process is stopped (Ctrl-C, or SIGTERM as the command turns it)."""

    delivered = 0

    def send_messages(self, messages):
        if CrashingBackend.delivered >= 1:
            raise KeyboardInterrupt
        CrashingBackend.delivered += 1
        return super().send_messages(messages)


def test_a_run_stopped_half_way_sends_the_rest_next_time_and_nothing_twice(mailboxes, settings):
    CrashingBackend.delivered = 0
    settings.EMAIL_BACKEND = "tests.reporting.test_reminders.CrashingBackend"
    with pytest.raises(CommandError):
        run(NOTICE_DAY)
    assert len(mail.outbox) == 1
    # Every reminder is in the ledger; one e-mail went out, the other waits.
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 1
    assert Notification.objects.filter(email_status=EmailStatus.PENDING).count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run(NOTICE_DAY)
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([mailboxes.province_user.email, mailboxes.ministry_user.email])
    assert not Notification.objects.filter(email_status=EmailStatus.PENDING).exists()


def test_a_user_who_turned_reminders_off_gets_the_notification_but_no_email(mailboxes):
    mailboxes.province_user.email_report_reminders = False
    mailboxes.province_user.save()
    run(NOTICE_DAY)
    notice = Notification.objects.get(recipient=mailboxes.province_user, kind=NotificationKind.REPORT_DUE)
    assert notice.email_status == EmailStatus.NOT_SENT
    assert sent_to(mailboxes.province_user) == []
    assert len(sent_to(mailboxes.ministry_user)) == 1


def test_inactive_users_get_nothing(mailboxes):
    mailboxes.province_user.is_active = False
    mailboxes.province_user.save()
    run(NOTICE_DAY)
    assert not Notification.objects.filter(recipient=mailboxes.province_user).exists()
    assert sent_to(mailboxes.province_user) == []


def test_recommendations_remind_the_staff_of_the_agency_they_are_addressed_to(mailboxes):
    meeting = MeetingFactory(programme=mailboxes.programme, held_on=D(2021, 6, 1))
    recommendation = RecommendationFactory(
        meeting=meeting,
        raised_by=mailboxes.ministry,
        addressed_to=mailboxes.committee,  # the People's Committee: its department's staff act for it
        due_on=D(2021, 7, 12),
        text="Bố trí vốn đối ứng cho các nhiệm vụ năm 2021.",
    )
    run(NOTICE_DAY)
    notice = Notification.objects.get(recipient=mailboxes.province_user, kind=NotificationKind.RECOMMENDATION_DUE)
    assert "Bố trí vốn đối ứng" in notice.body
    assert notice.url == f"/recommendations/{recommendation.pk}/follow-up/"
    assert not Notification.objects.filter(
        recipient=mailboxes.other_province_user, kind__startswith="recommendation"
    ).exists()
    run(D(2021, 7, 13))
    run(D(2021, 7, 14))
    overdue = Notification.objects.filter(
        recipient=mailboxes.province_user, kind=NotificationKind.RECOMMENDATION_OVERDUE
    )
    assert overdue.count() == 1


def test_the_weekly_digest_goes_once_a_week_to_ministry_staff(mailboxes):
    monday, wednesday, next_monday = D(2021, 7, 19), D(2021, 7, 21), D(2021, 7, 26)
    for day in (monday, wednesday, next_monday):
        run(day)
    digests = Notification.objects.filter(kind=NotificationKind.WEEKLY_DIGEST)
    assert [notice.recipient for notice in digests] == [mailboxes.ministry_user] * 2
    latest = digests.first()
    # The first half of 2021, as counted by hand: 2 of 3 reports due are missing.
    assert "2" in latest.subject and latest.url == "/reporting/"


def test_each_recipient_reads_their_own_language(mailboxes):
    mailboxes.province_user.language = "en"
    mailboxes.province_user.save()
    run(NOTICE_DAY)
    (english,) = sent_to(mailboxes.province_user)
    assert english.subject == "2 progress reports due soon"
    assert "First half of 2021" in english.body
    # The latest period due on 10/07/2021 is the second half of 2020: t2 missing.
    (digest,) = sent_to(mailboxes.ministry_user)
    assert digest.subject == vietnamese(DIGEST_SUBJECT, missing=1, recommendations=0)


def test_the_queries_of_a_run_do_not_grow_with_the_number_of_reminders(mailboxes):
    def queries_of_a_run(today) -> int:
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            send_reminders(today=today)
        return len(queries)

    for number in range(30):
        TaskFactory(
            programme=mailboxes.programme,
            code=f"X{number}",
            start_on=D(2020, 1, 1),
            end_on=D(2021, 12, 31),
            lead_agency=mailboxes.department,
        )
    few = queries_of_a_run(D(2021, 1, 10))  # the second half of 2020: t1, t2 and 30 more
    for number in range(60):
        TaskFactory(
            programme=mailboxes.programme,
            code=f"Y{number}",
            start_on=D(2020, 1, 1),
            end_on=D(2021, 12, 31),
            lead_agency=mailboxes.department,
        )
    many = queries_of_a_run(D(2021, 7, 10))  # the first half of 2021: 92 more reports due
    assert SentReminder.objects.filter(occasion=f"period:{mailboxes.periods[2].pk}").count() > 90
    assert many == few
