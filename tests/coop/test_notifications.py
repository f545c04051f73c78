"""Notifications: written when something happens, listed in the application, e-mailed once.

Read as their life: `notify()` writes one per active recipient in the recipient's language;
`deliver()` sends each e-mail exactly once, however often it runs and wherever it is stopped;
a recipient who turned the kind off still finds the notification in the application. The
e-mail has a text and an HTML part with absolute links. Then the pages: the count in the
header, the list, opening one (a POST that marks it read and never leads outside the
application), the settings page. Last, the events of the review workflow that notify the
Ministry's reviewers and the submitter.
"""

import datetime
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coop import notifications
from coop.models import EmailStatus, Notification, NotificationKind
from coop.notifications import deliver, notify
from coop.roles import Role
from programmes.choices import OutputKind
from tasks import services
from tasks.choices import ReportStatus
from tests.conftest import join_group, logged_in
from tests.factories import NotificationFactory, ProgressReportFactory, UserFactory
from tests.helpers import count_queries, shows, vietnamese

pytestmark = pytest.mark.django_db

SITE = "https://khcn-phoihop.example.vn"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE + "/"  # a trailing slash in the setting gives no "//" in links
    settings.EMAIL_BACKEND = LOCMEM


def person(**fields):
    """A user with an e-mail address, Vietnamese unless told otherwise."""
    fields.setdefault("email", f"{fields.get('username', 'nguoidung')}@example.vn")
    return UserFactory(**fields)


def reviewed(subject="Progress report approved: %(task)s", body="Status: %(status)s"):
    """A composer of a review's notification from catalogued messages, in whatever language it is called in."""

    def compose(recipient):
        return _(subject) % {"task": "NV-01"}, _(body) % {"status": ReportStatus.APPROVED.label}

    return compose


def fixed(subject: str, body: str):
    return lambda recipient: (subject, body)


def told(users, kind=NotificationKind.REVIEWED, compose=None, url="/tasks/12/", deliver_now=False):
    return notify(recipients=users, kind=kind, compose=compose or reviewed(), url=url, deliver_now=deliver_now)


def status_of(notification) -> str:
    notification.refresh_from_db()
    return notification.email_status


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


# Delivery: each e-mail exactly once


def test_each_notification_is_e_mailed_once_however_often_delivery_runs(db):
    users = [person(username=f"so.tinh{number}") for number in range(3)]
    written = told(users)
    assert [item.email_status for item in written] == [EmailStatus.PENDING] * 3
    assert mail.outbox == []  # not before delivery

    assert deliver() == 3
    assert deliver() == 0
    assert sent_to() == sorted(user.email for user in users)
    assert all(status_of(item) == EmailStatus.SENT for item in written)
    assert all(item.emailed_at is not None for item in written)


def test_notify_delivers_once_the_transaction_commits(db, django_capture_on_commit_callbacks):
    user = person(username="so.thaibinh")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (notification,) = told([user], deliver_now=True)
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert sent_to() == [user.email]
    assert status_of(notification) == EmailStatus.SENT
    assert deliver() == 0


class StoppedOnThirdMessage(LocmemBackend):
    """The locmem backend, stopped (Ctrl-C) when the third message of its life is about to go out."""

    messages_seen = 0

    def send_messages(self, messages):
        for _message in messages:
            type(self).messages_seen += 1
            if type(self).messages_seen == 3:
                raise KeyboardInterrupt
        return super().send_messages(messages)


@pytest.fixture
def stopped_on_third_message(settings):
    StoppedOnThirdMessage.messages_seen = 0
    settings.EMAIL_BACKEND = f"{__name__}.StoppedOnThirdMessage"


@pytest.mark.parametrize("fail_silently", [False, True], ids=["raising", "silent"])
def test_delivery_stopped_midway_keeps_what_went_out_and_the_next_run_sends_only_the_rest(
    db, settings, stopped_on_third_message, fail_silently
):
    users = [person(username=f"so.tinh{number}") for number in range(5)]
    written = told(users)
    # An interruption stops delivery even when failures to send are to be silent.
    with pytest.raises(KeyboardInterrupt):
        deliver(fail_silently=fail_silently)
    assert [status_of(item) for item in written] == [EmailStatus.SENT] * 2 + [EmailStatus.PENDING] * 3
    assert sent_to() == sorted(user.email for user in users[:2])

    settings.EMAIL_BACKEND = LOCMEM
    assert deliver() == 3
    assert sent_to() == sorted(user.email for user in users)  # each exactly once
    assert [status_of(item) for item in written] == [EmailStatus.SENT] * 5


class MailServerDown(LocmemBackend):
    """A backend that declines every message without raising, as Django's SMTP backend does with fail_silently."""

    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += len(messages)
        return 0


def test_a_mail_server_that_declines_everything_leaves_all_pending_and_delivery_ends(db, settings, monkeypatch):
    MailServerDown.attempts = 0
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    monkeypatch.setattr(notifications, "DELIVERY_BATCH", 2)
    written = told([person(username=f"so.tinh{number}") for number in range(5)])
    assert deliver(fail_silently=True) == 0
    assert MailServerDown.attempts == 5  # each tried once in this run, none taken again and again
    assert [status_of(item) for item in written] == [EmailStatus.PENDING] * 5


class Unreachable(LocmemBackend):
    """A mail server that cannot be reached."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_failing_mail_server_is_silent_when_asked_and_leaves_the_rest_pending(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.Unreachable"
    written = told([person(username="so.tinh1"), person(username="so.tinh2")])
    assert deliver(fail_silently=True) == 0
    with pytest.raises(ConnectionRefusedError):
        deliver()
    assert [status_of(item) for item in written] == [EmailStatus.PENDING] * 2


class RefusesOneAddress(LocmemBackend):
    """A mail server that refuses one address for good (550: no such mailbox) and takes the others."""

    def send_messages(self, messages):
        if any("so.tinh1" in address for message in messages for address in message.to):
            raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such mailbox")})
        return super().send_messages(messages)


def test_an_address_the_server_refuses_is_not_tried_again_and_the_others_go_out(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusesOneAddress"
    refused, taken = told([person(username="so.tinh1"), person(username="so.tinh2")])
    assert deliver() == 1
    assert (status_of(refused), status_of(taken)) == (EmailStatus.NOT_SENT, EmailStatus.SENT)
    assert deliver() == 0


# Who gets what


def test_a_recipient_who_turned_the_kind_off_gets_the_notification_but_no_e_mail(db):
    quiet = person(username="so.tinh1", email_reviews=False)
    (notification,) = told([quiet])
    assert notification.email_status == EmailStatus.NOT_SENT
    assert deliver() == 0
    assert mail.outbox == []
    assert Notification.objects.get().recipient == quiet  # still in the application's list


def test_a_kind_turned_off_after_the_notification_was_written_is_not_e_mailed(db):
    user = person(username="so.tinh1")
    (notification,) = told([user])
    user.email_reviews = False
    user.save()
    assert deliver() == 0
    assert mail.outbox == []
    assert status_of(notification) == EmailStatus.NOT_SENT


def test_a_user_without_an_address_gets_the_notification_only(db):
    (notification,) = told([UserFactory(email="")])
    assert notification.email_status == EmailStatus.NOT_SENT
    assert deliver() == 0


def test_an_inactive_user_gets_nothing(db):
    told([person(username="da.nghi", is_active=False)])
    assert not Notification.objects.exists()
    assert deliver() == 0
    assert mail.outbox == []


def test_a_recipient_listed_twice_is_told_once(db):
    user = person(username="so.tinh1")
    told([user, user])
    assert Notification.objects.count() == 1


# The e-mail: the recipient's language, text and HTML, absolute links


def test_each_recipient_reads_the_e_mail_in_their_own_language(db):
    english = person(username="english", first_name="Anna", last_name="Smith", language="en")
    vietnamese_user = person(username="tieng.viet", first_name="Trang", last_name="Phạm Thu", language="vi")
    by_user = {item.recipient: item for item in told([english, vietnamese_user])}
    assert by_user[english].subject == "Progress report approved: NV-01"
    assert by_user[english].body == "Status: Approved"
    assert by_user[vietnamese_user].subject == vietnamese("Progress report approved: %(task)s", task="NV-01")

    deliver()
    messages = {message.to[0]: message for message in mail.outbox}
    in_english, in_vietnamese = messages[english.email], messages[vietnamese_user.email]
    assert in_english.subject == "Progress report approved: NV-01"
    assert in_english.body.startswith("Hello Smith Anna,")
    assert "To turn such e-mails off, change your notification settings:" in in_english.body
    assert '<html lang="en">' in html_of(in_english)
    assert in_vietnamese.subject == vietnamese("Progress report approved: %(task)s", task="NV-01")
    assert '<html lang="vi">' in html_of(in_vietnamese)
    assert "Phạm Thu Trang" in in_vietnamese.body


def test_the_e_mail_has_text_and_html_with_absolute_links_and_escapes_the_html(db):
    user = person(username="so.tinh1", language="en")
    body = 'Reports due <soon> & "late":\n- NV-01 – Nấm rơm\n- NV-02 – Lúa\n\nSee the list.'
    told([user], compose=fixed("Due <b>today</b>", body), url="/progress-reports/7/")
    deliver()
    (message,) = mail.outbox
    link = SITE + "/progress-reports/7/"
    assert message.subject == "Due <b>today</b>"

    text = message.body
    assert link in text
    assert body in text  # plain text as written, nothing escaped
    assert SITE + reverse("notification_list") in text
    assert SITE + reverse("profile") in text
    assert "//progress-reports" not in text

    html = html_of(message)
    assert html.startswith("<!doctype html>")
    assert f'href="{link}"' in html
    assert f'href="{SITE}{reverse("notification_list")}"' in html
    assert f'href="{SITE}{reverse("profile")}"' in html
    assert "Reports due &lt;soon&gt; &amp; &quot;late&quot;:" in html
    assert re.search(r"<li[^>]*>NV-01 – Nấm rơm</li>\s*<li[^>]*>NV-02 – Lúa</li>", html)
    assert re.search(r"<p[^>]*>See the list.</p>", html)
    assert "Due &lt;b&gt;today&lt;/b&gt;" in html and "<b>today</b>" not in html


def test_a_notification_without_a_link_has_no_button(db):
    told([person(username="so.tinh1", language="en")], url="")
    deliver()
    (message,) = mail.outbox
    assert "Open it in the application" not in message.body
    assert "Open it in the application" not in html_of(message)


def test_the_body_is_split_into_paragraphs_and_lists():
    blocks = notifications.body_blocks("Hai nhiệm vụ quá hạn:\n- NV-01\n- NV-02\n\nXin cảm ơn.\nBộ KH&CN")
    assert blocks == [
        {"kind": "paragraph", "lines": ["Hai nhiệm vụ quá hạn:"]},
        {"kind": "list", "lines": ["NV-01", "NV-02"]},
        {"kind": "paragraph", "lines": ["Xin cảm ơn.", "Bộ KH&CN"]},
    ]
    assert notifications.body_blocks("") == []


# The pages: the header's count, the list, opening one


def unread_badge(response) -> str:
    html = response.content.decode()
    bell = html[html.index('id="notification-bell"') :]
    return bell[: bell.index("</a>")]


def test_the_header_counts_the_unread_notifications_and_opening_one_marks_it_read(roles):
    user = roles.province_user
    first = NotificationFactory(recipient=user, url="/tasks/")
    NotificationFactory(recipient=user)
    NotificationFactory(recipient=user, read_at=timezone.now())
    NotificationFactory(recipient=roles.ministry_user)  # someone else's
    client = logged_in(user)

    page = client.get(reverse("dashboard"))
    assert page.context["unread_notifications"] == 2
    bell = unread_badge(page)
    assert f'href="{reverse("notification_list")}"' in bell
    assert re.search(r'badge[^"]*">2<span class="visually-hidden"> [^<]+</span>', bell)
    assert "Notifications" in unread_badge(logged_in(user, language="en").get(reverse("dashboard")))

    # Looking at the address never marks it read: only the list's button (a POST) does.
    assert client.get(reverse("notification_open", args=[first.pk])).status_code == 405
    first.refresh_from_db()
    assert first.read_at is None

    opened = client.post(reverse("notification_open", args=[first.pk]))
    assert (opened.status_code, opened["Location"]) == (302, "/tasks/")
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.get(reverse("dashboard")).context["unread_notifications"] == 1

    read_at = first.read_at
    client.post(reverse("notification_open", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at == read_at  # the first reading is kept


def test_no_badge_without_unread_notifications(roles):
    NotificationFactory(recipient=roles.province_user, read_at=timezone.now())
    page = logged_in(roles.province_user).get(reverse("dashboard"))
    assert page.context["unread_notifications"] == 0
    assert "badge" not in unread_badge(page)


def test_another_users_notification_is_not_found(roles):
    theirs = NotificationFactory(recipient=roles.ministry_user)
    response = logged_in(roles.province_user).post(reverse("notification_open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/tasks/", "/\\evil.example", "javascript:alert(1)", "tasks/1/", "/a\nb"],
)
def test_opening_never_leads_outside_the_application(roles, url):
    notification = NotificationFactory(recipient=roles.province_user, url=url)
    client = logged_in(roles.province_user, language="en")
    response = client.post(reverse("notification_open", args=[notification.pk]), follow=True)
    assert response.redirect_chain == [(reverse("notification_list"), 302)]
    assert shows(response, "This notification's link does not lead to a page of the application.")


def test_a_notification_without_a_link_is_marked_read_and_the_list_shown_again(roles):
    notification = NotificationFactory(recipient=roles.province_user, url="")
    response = logged_in(roles.province_user).post(reverse("notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("notification_list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_marks_only_the_users_own(roles):
    NotificationFactory.create_batch(3, recipient=roles.province_user)
    theirs = NotificationFactory(recipient=roles.ministry_user)
    client = logged_in(roles.province_user)
    assert client.get(reverse("notification_read_all")).status_code == 405
    response = client.post(reverse("notification_read_all"), follow=True)
    assert response.redirect_chain == [(reverse("notification_list"), 302)]
    assert not Notification.objects.filter(recipient=roles.province_user).unread().exists()
    assert Notification.objects.filter(pk=theirs.pk).unread().exists()
    assert response.context["unread_notifications"] == 0


def test_the_list_shows_the_users_own_newest_first_unread_emphasised(roles):
    user = roles.province_user
    older = NotificationFactory(recipient=user, subject="Cũ hơn", read_at=timezone.now())
    newer = NotificationFactory(recipient=user, subject="Mới hơn <script>", body="Dòng một\n- mục A")
    NotificationFactory(recipient=roles.ministry_user, subject="Của người khác")
    response = logged_in(user).get(reverse("notification_list"))
    assert response.status_code == 200
    assert list(response.context["notifications"]) == [newer, older]
    html = response.content.decode()
    assert "Của người khác" not in html
    assert "Mới hơn &lt;script&gt;" in html and "<script>" not in html.split("<main", 1)[1]

    def item(notification) -> tuple[str, str]:
        """The classes of the notification's entry, and the entry."""
        found = re.search(rf'<li class="([^"]*)" id="notification-{notification.pk}">(.*?)</form>', html, re.S)
        return found.group(1), found.group(2)

    unread_classes, unread = item(newer)
    read_classes, _read = item(older)
    assert "list-group-item-primary" in unread_classes and "list-group-item-primary" not in read_classes
    assert "<strong>Mới hơn &lt;script&gt;</strong>" in unread and "<li>mục A</li>" in unread
    assert f'action="{reverse("notification_open", args=[newer.pk])}"' in unread


def test_the_list_is_paged_and_its_queries_do_not_grow_with_rows(roles, django_assert_max_num_queries):
    user = roles.province_user
    client = logged_in(user)
    url = reverse("notification_list")
    NotificationFactory.create_batch(3, recipient=user)
    client.get(url)  # warm per-process caches
    few = count_queries(client, url)
    NotificationFactory.create_batch(30, recipient=user)
    assert count_queries(client, url) == few
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["notifications"]) == 25
    assert len(client.get(url, {"page": "2"}).context["notifications"]) == 8
    for odd in ("abc", "0", "999", "-1"):  # never an error page
        assert client.get(url, {"page": odd}).status_code == 200


def test_an_empty_list_says_so(roles):
    response = logged_in(roles.province_user, language="en").get(reverse("notification_list"))
    assert shows(response, "You have no notifications yet.")


@pytest.mark.parametrize("name", ["notification_list", "profile"])
def test_anonymous_visitors_are_sent_to_log_in(db, name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The settings page


def test_the_settings_page_saves_the_language_and_the_switches_and_nothing_else(roles):
    user = roles.province_user
    client = logged_in(user, language="en")
    assert f'href="{reverse("profile")}"' in client.get(reverse("dashboard")).content.decode()  # in the header
    page = client.get(reverse("profile"))
    assert page.status_code == 200
    assert page.context["form"].initial["language"] == "vi"
    assert shows(page, "These settings only decide which of them also come to you by e-mail")

    response = client.post(
        reverse("profile"),
        {
            "language": "en",
            "email_report_reminders": "on",
            "email_submissions": "on",
            "csv_separator": ",",
            # the others left unticked: off
            "is_staff": "on",
            "email": "khac@example.vn",
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("profile"), 302)]
    assert shows(response, "Your notification settings were saved.")
    user.refresh_from_db()
    assert user.language == "en"
    assert (
        user.email_report_reminders,
        user.email_recommendation_reminders,
        user.email_submissions,
        user.email_reviews,
        user.email_weekly_digest,
    ) == (True, False, True, False, False)
    assert user.csv_separator == ","
    assert (user.is_staff, user.email) == (False, "")


def test_the_settings_page_refuses_an_unknown_language_with_a_message(roles):
    user = roles.province_user
    response = logged_in(user).post(reverse("profile"), {"language": "fr", "email_reviews": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    user.refresh_from_db()
    assert (user.language, user.email_report_reminders) == ("vi", True)


# Events of the review workflow


@pytest.fixture
def reviewers(roles):
    """The Ministry's reviewers: `roles.ministry_user` (no address), one more with an address, one who left."""
    roles.province_user.email = "so.thaibinh@example.vn"
    roles.province_user.save()
    roles.second_reviewer = join_group(
        person(username="bo.chuyenvien2", agency=roles.unit, language="en"), Role.MINISTRY_STAFF
    )
    roles.former_reviewer = join_group(
        person(username="bo.danghi", agency=roles.unit, is_active=False), Role.MINISTRY_STAFF
    )
    return roles


def notified(kind=NotificationKind.SUBMITTED) -> dict:
    return {item.recipient.username: item for item in Notification.objects.filter(kind=kind)}


def test_the_ministrys_reviewers_are_told_of_a_submitted_progress_report(reviewers, django_capture_on_commit_callbacks):
    world = reviewers
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.progress_report_save(
            task=world.task,
            author=world.province_user,
            data={"as_of": world.task.start_on, "percent_complete": 30, "summary": "Đã triển khai."},
            submit=False,
        )
    assert notified() == {}  # a draft waits for nobody

    with django_capture_on_commit_callbacks(execute=True):
        report = services.progress_report_save(
            task=world.task,
            author=world.province_user,
            data={"as_of": world.task.start_on, "percent_complete": 30, "summary": "Đã triển khai."},
            report=draft,
            opened_version=draft.version,
            submit=True,
        )
    told_ = notified()
    # Not the submitter, not a former colleague, not the provinces, leadership or administrators.
    assert sorted(told_) == ["bo.chuyenvien2", "bo.test"]
    url = reverse("progress_report_detail", args=[report.pk])
    assert {item.url for item in told_.values()} == {url}
    english = told_["bo.chuyenvien2"]
    assert english.subject == f"Progress report submitted for review: {world.task.code}"
    assert f"Task: {world.task}" in english.body
    assert "Submitted by: Nguyễn Thử (Sở KH&CN Thái Bình)" in english.body
    assert told_["bo.test"].email_status == EmailStatus.NOT_SENT  # no address
    (message,) = mail.outbox
    assert message.to == [world.second_reviewer.email]
    assert SITE + url in message.body


def test_the_ministrys_reviewers_are_told_of_a_submitted_output_but_not_the_one_who_submitted_it(reviewers):
    world = reviewers
    data = {
        "kind": OutputKind.MODEL,
        "name": "Mô hình trồng nấm rơm",
        "quantity": 3,
        "unit": "mô hình",
        "achieved_on": datetime.date(2017, 11, 20),
    }
    output = services.output_record(task=world.task, author=world.province_user, data=data)
    assert notified() == {}  # recorded, not yet submitted

    output = services.output_submit(output=output, author=world.province_user)
    told_ = notified()
    assert sorted(told_) == ["bo.chuyenvien2", "bo.test"]
    assert told_["bo.chuyenvien2"].subject == f"Output submitted for verification: {world.task.code}"
    assert "Output: Mô hình trồng nấm rơm" in told_["bo.chuyenvien2"].body
    assert {item.url for item in told_.values()} == {reverse("output_detail", args=[output.pk])}

    # A reviewer's correction is submitted again in their name: the others are told, not them.
    Notification.objects.all().delete()
    services.output_update(
        output=output, author=world.ministry_user, data={**data, "quantity": 4}, opened_version=output.version
    )
    assert sorted(notified()) == ["bo.chuyenvien2"]

    Notification.objects.all().delete()
    services.output_record(task=world.task, author=world.province_user, data=data, submit=True)
    assert sorted(notified()) == ["bo.chuyenvien2", "bo.test"]


def test_the_submitter_is_told_of_the_review_in_their_language_with_the_note(
    reviewers, django_capture_on_commit_callbacks
):
    world = reviewers
    world.province_user.language = "en"
    world.province_user.save()
    report = ProgressReportFactory(task=world.task, status=ReportStatus.SUBMITTED, submitted_by=world.province_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report_return(report=report, reviewer=world.ministry_user, note="Thiếu số liệu năm 2017.")
    (notification,) = Notification.objects.filter(kind=NotificationKind.REVIEWED)
    assert notification.recipient == world.province_user
    assert notification.subject == f"Progress report returned: {world.task.code}"
    assert "Status: Returned" in notification.body
    assert notification.body.endswith("\n\nNote from the reviewer: Thiếu số liệu năm 2017.")
    assert notification.url == reverse("progress_report_detail", args=[report.pk])
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["so.thaibinh@example.vn"], notification.subject)
    assert "Thiếu số liệu năm 2017." in html_of(message)


def test_a_submitter_who_turned_reviews_off_finds_the_result_in_the_application_only(
    reviewers, django_capture_on_commit_callbacks
):
    world = reviewers
    world.province_user.email_reviews = False
    world.province_user.save()
    report = ProgressReportFactory(task=world.task, status=ReportStatus.SUBMITTED, submitted_by=world.province_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report_approve(report=report, reviewer=world.ministry_user)
    (notification,) = Notification.objects.filter(recipient=world.province_user)
    assert notification.email_status == EmailStatus.NOT_SENT
    assert mail.outbox == []
    page = logged_in(world.province_user).get(reverse("notification_list"))
    assert shows(page, notification.subject)
