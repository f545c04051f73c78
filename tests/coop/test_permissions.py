"""Who may change what: the four roles as groups, the object rules, accounts and sessions.

Read as a matrix: each role (its group's permissions) × each rule of `tasks/rules.py` and
`programmes/rules.py` × an object inside or outside the Thái Bình department's scope.
Then the rules a matrix cannot show (leadership changes nothing, nobody reviews their
own report), the role in the header, the command that creates accounts, idle sessions,
and the account pages in Vietnamese first.
"""

import io
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rules.permissions import permissions as registered_rules

from coop.middleware import IdleSessionMiddleware
from coop.roles import ADMINISTRATOR_APPS, ROLE_PERMISSIONS, Role, sync_role_groups
from programmes.models import Attendance, Meeting, Recommendation
from tasks import services
from tasks.choices import OutputStatus, ReportStatus, TaskStatus
from tasks.models import Funding, Output, ProgressReport, Task
from tests.conftest import join_group, logged_in
from tests.factories import (
    TEST_PASSWORD,
    MeetingFactory,
    OutputFactory,
    ProgressReportFactory,
    RecommendationFactory,
    UserFactory,
    review_document,
)
from tests.helpers import database_state, in_language, shows, vietnamese

pytestmark = pytest.mark.django_db


# Helpers


def permission_names(group: Group) -> set[str]:
    return {
        f"{app}.{codename}" for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


# The rows the write pages could touch.
WRITTEN = (Task, Funding, ProgressReport, Output, Meeting, Attendance, Recommendation)


# The groups after migrating


def test_the_four_role_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) == set(Role.values)


@pytest.mark.parametrize("role", [Role.MINISTRY_STAFF, Role.PROVINCE_STAFF, Role.LEADERSHIP])
def test_each_group_holds_exactly_its_roles_permissions(role):
    assert permission_names(Group.objects.get(name=role)) == set(ROLE_PERMISSIONS[role])


def test_the_administrator_group_holds_every_permission_of_the_projects_apps():
    expected = set(
        Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS).values_list("pk", flat=True)
    )
    group = Group.objects.get(name=Role.ADMINISTRATOR)
    assert set(group.permissions.values_list("pk", flat=True)) == expected
    assert "tasks.review_progressreport" in permission_names(group)


def test_syncing_again_puts_a_hand_edited_group_back_to_its_list():
    group = Group.objects.get(name=Role.PROVINCE_STAFF)
    group.permissions.remove(Permission.objects.get(codename="add_progressreport"))
    group.permissions.add(Permission.objects.get(codename="delete_task"))
    sync_role_groups(MigrationLoader(connection).project_state().apps)
    assert permission_names(group) == set(ROLE_PERMISSIONS[Role.PROVINCE_STAFF])


def test_leadership_holds_no_permission_to_change_anything():
    """Reading, saving a copy of a report, and signing or returning the documents submitted to them is all
    leadership does."""
    held = permission_names(Group.objects.get(name=Role.LEADERSHIP))
    assert {name for name in held if ".view_" not in name} == {
        "reports.add_generatedreport",
        "reports.issue_document",
        "reports.return_document",
    }


# The matrix: role × rule × inside / outside the Thái Bình department's scope

ROLES = ("ministry", "province", "other province", "leadership", "administrator")
USERS = {
    "ministry": "ministry_user",
    "province": "province_user",
    "other province": "other_province_user",
    "leadership": "leadership_user",
    "administrator": "administrator_user",
}
SIDES = ("inside", "outside")

# Each cell: the rule's answer for the Thái Bình record (inside the province user's scope),
# then for the Nam Định one (outside it; inside the other province user's). y: allowed, -: refused.
# fmt: off
MATRIX = {
    #                                  ministry province other province leadership administrator
    "tasks.add_progressreport":       ("--",    "y-",    "-y",          "--",      "yy"),
    "tasks.change_progressreport":    ("--",    "y-",    "-y",          "--",      "yy"),
    "tasks.review_progressreport":    ("yy",    "--",    "--",          "--",      "yy"),
    "tasks.add_output":               ("yy",    "y-",    "-y",          "--",      "yy"),
    "tasks.accept_task":              ("yy",    "--",    "--",          "--",      "yy"),
    "tasks.change_output":            ("yy",    "y-",    "-y",          "--",      "yy"),
    "tasks.review_output":            ("yy",    "--",    "--",          "--",      "yy"),
    "programmes.add_meeting":         ("yy",    "--",    "--",          "--",      "yy"),
    "programmes.change_meeting":      ("yy",    "--",    "--",          "--",      "yy"),
    # Publishing a programme (opendata): Ministry staff change any programme; a province none, even its own.
    "programmes.change_programme":    ("yy",    "--",    "--",          "--",      "yy"),
    "programmes.follow_up_recommendation": ("yy",    "y-",    "-y",          "--",      "yy"),
}
# fmt: on


def rule_object(rule: str, world, side: str):
    """The record a rule is asked about, on the Thái Bình (inside) or Nam Định (outside) side."""
    inside = side == "inside"
    task = world.task if inside else world.other_task
    submitter = world.province_user if inside else world.other_province_user
    programme = world.programme if inside else world.other_programme
    addressee = world.committee if inside else world.other_task.lead_agency
    return {
        "tasks.add_progressreport": lambda: task,
        "tasks.change_progressreport": lambda: ProgressReportFactory(task=task, submitted_by=submitter),
        "tasks.review_progressreport": lambda: ProgressReportFactory(
            task=task, submitted_by=submitter, submitted_at=timezone.now(), status=ReportStatus.SUBMITTED
        ),
        "tasks.add_output": lambda: task,
        "tasks.accept_task": lambda: task,
        "tasks.change_output": lambda: OutputFactory(task=task, status=OutputStatus.RECORDED),
        "tasks.review_output": lambda: OutputFactory(task=task, status=OutputStatus.SUBMITTED, submitted_by=submitter),
        "programmes.add_meeting": lambda: None,
        "programmes.change_meeting": lambda: MeetingFactory(programme=programme),
        "programmes.change_programme": lambda: programme,
        "programmes.follow_up_recommendation": lambda: RecommendationFactory(
            meeting=MeetingFactory(programme=programme), addressed_to=addressee
        ),
    }[rule]()


def test_the_matrix_covers_every_rule_of_the_apps():
    assert sorted(name for name in registered_rules if name.startswith(("tasks.", "programmes."))) == sorted(MATRIX)
    assert sorted(name for name in registered_rules if name.startswith("reports.")) == sorted(DOCUMENT_MATRIX)


def test_each_rule_of_the_apps_bears_the_name_of_a_model_permission():
    """One vocabulary: a rule narrows a permission of Django's to one object and is named as it is."""
    existing = {
        f"{app}.{codename}" for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    rules_of_apps = {name for name in registered_rules if name.startswith(("tasks.", "programmes.", "reports."))}
    assert rules_of_apps <= existing


@pytest.mark.parametrize("rule", [name for name in MATRIX if name.startswith("tasks.")])
def test_asked_without_an_object_a_rule_says_whether_a_role_grants_its_permission(roles, rule):
    for role, user in ((Role.MINISTRY_STAFF, roles.ministry_user), (Role.PROVINCE_STAFF, roles.province_user)):
        assert user.has_perm(rule) is (rule in ROLE_PERMISSIONS[role]), (role, rule)
    assert not roles.leadership_user.has_perm(rule)
    assert roles.administrator_user.has_perm(rule)


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule", list(MATRIX))
def test_permission_matrix(roles, rule, role, side):
    user = getattr(roles, USERS[role])
    expected = MATRIX[rule][ROLES.index(role)][SIDES.index(side)] == "y"
    assert user.has_perm(rule, rule_object(rule, roles, side)) is expected


def test_a_user_without_a_role_may_change_nothing_even_in_scope(scope):
    user = scope.province_user  # in the Thái Bình department, but in no group
    assert not user.has_perm("tasks.add_progressreport", scope.task)
    assert not user.has_perm("tasks.add_output", scope.task)
    assert not user.has_perm("tasks.change_output", OutputFactory(task=scope.task))


@pytest.mark.parametrize("status", [TaskStatus.PROPOSED, TaskStatus.COMPLETED, TaskStatus.CANCELLED])
def test_a_task_not_under_way_takes_no_progress_report(roles, status):
    roles.task.status = status
    assert not roles.province_user.has_perm("tasks.add_progressreport", roles.task)
    assert roles.province_user.has_perm("tasks.add_output", roles.task)


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.APPROVED])
def test_a_report_under_review_or_approved_cannot_be_edited(roles, status):
    report = ProgressReportFactory(
        task=roles.task,
        status=status,
        submitted_by=roles.province_user,
        reviewed_by=roles.ministry_user,
        reviewed_at=timezone.now(),
    )
    assert not roles.province_user.has_perm("tasks.change_progressreport", report)


def test_only_a_submitted_report_can_be_reviewed(roles):
    draft = ProgressReportFactory(task=roles.task, submitted_by=roles.province_user)
    assert not roles.ministry_user.has_perm("tasks.review_progressreport", draft)


def test_a_recommendation_to_the_ministry_is_not_the_departments_to_follow_up(roles):
    to_ministry = RecommendationFactory(meeting=MeetingFactory(programme=roles.programme), addressed_to=roles.ministry)
    assert not roles.province_user.has_perm("programmes.follow_up_recommendation", to_ministry)
    assert roles.ministry_user.has_perm("programmes.follow_up_recommendation", to_ministry)


# Nobody reviews their own report


def test_nobody_reviews_their_own_report(roles):
    """An administrator may both report and review, but never their own report."""
    admin = roles.administrator_user
    report = services.progress_report_save(
        task=roles.task,
        author=admin,
        data={
            "as_of": roles.task.start_on,
            "percent_complete": 30,
            "summary": "Đã triển khai.",
            "problems": "",
            "next_steps": "",
            "disbursed_to_date": None,
        },
        submit=True,
    )
    assert not admin.has_perm("tasks.review_progressreport", report)
    with pytest.raises(ValidationError) as refused:
        services.progress_report_approve(report=report, reviewer=admin)
    assert vietnamese("Nobody may review their own progress report.") in refused.value.messages
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.reviewed_by is None
    roles.task.refresh_from_db()
    assert roles.task.percent_complete == 0


# Leadership reads everything and changes nothing, on every write page

FORMSET_PREFIXES = ("attendance", "recommendations")


def write_request(world, page: str) -> tuple[str, dict]:
    """The URL of a page that changes something, and data that would change it."""
    meeting = MeetingFactory(programme=world.programme)
    report = {"as_of": "15/05/2017", "percent_complete": "60", "summary": "Đã xong.", "action": "submit"}
    output = {"kind": "model", "name": "Mô hình mới", "quantity": "2", "unit": "mô hình", "achieved_on": "01/06/2018"}
    meeting_data = {
        "programme": world.programme.pk,
        "held_on": "12/06/2020",
        "place": "Thái Bình",
        "kind": "working_session",
        "title": "Buổi làm việc",
        **{f"{prefix}-{count}": "0" for prefix in FORMSET_PREFIXES for count in ("TOTAL_FORMS", "INITIAL_FORMS")},
    }
    if page == "progress_report_add":
        return reverse(page, args=[world.task.pk]), report
    if page == "progress_report_edit":
        draft = ProgressReportFactory(task=world.task, submitted_by=world.province_user)
        return reverse(page, args=[draft.pk]), {**report, **EDITED_AT_VERSION_1}
    if page == "progress_report_detail":
        submitted = ProgressReportFactory(
            task=world.task,
            as_of=world.task.start_on,
            status=ReportStatus.SUBMITTED,
            submitted_by=world.province_user,
            submitted_at=timezone.now(),
        )
        return reverse(page, args=[submitted.pk]), {"decision": "approve", "note": ""}
    if page == "output_add":
        return reverse(page, args=[world.task.pk]), output
    if page == "output_edit":
        return reverse(page, args=[OutputFactory(task=world.task).pk]), {**output, **EDITED_AT_VERSION_1}
    if page == "meeting_add":
        return reverse(page), meeting_data
    if page == "meeting_edit":
        return reverse(page, args=[meeting.pk]), {**meeting_data, **EDITED_AT_VERSION_1}
    recommendation = RecommendationFactory(meeting=meeting, addressed_to=world.committee)
    return reverse(page, args=[recommendation.pk]), {
        "status": "done",
        "follow_up": "Đã hoàn thành.",
        **EDITED_AT_VERSION_1,
    }


# An edit says which version of the record it was opened at (the form's hidden field).
EDITED_AT_VERSION_1 = {"opened_version": "1"}


# Each write page, and the user who may use it with the data above; everyone else gets 403.
WRITE_PAGES = {
    "progress_report_add": "province_user",
    "progress_report_edit": "province_user",
    "progress_report_detail": "ministry_user",  # the review
    "output_add": "province_user",
    "output_edit": "ministry_user",
    "meeting_add": "ministry_user",
    "meeting_edit": "ministry_user",
    "recommendation_follow_up": "province_user",
}


@pytest.mark.parametrize("page", list(WRITE_PAGES))
def test_leadership_gets_403_on_every_write_page_and_nothing_changes(roles, page):
    url, data = write_request(roles, page)
    client = logged_in(roles.leadership_user)
    before = database_state(*WRITTEN)
    if page != "progress_report_detail":  # reading a report is allowed; reviewing it is not
        assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert database_state(*WRITTEN) == before


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_the_same_requests_change_things_for_the_role_allowed(roles, page):
    """The requests above are real changes: the leadership's 403 is not a broken request."""
    url, data = write_request(roles, page)
    before = database_state(*WRITTEN)
    response = logged_in(getattr(roles, WRITE_PAGES[page])).post(url, data)
    assert response.status_code == 302
    assert database_state(*WRITTEN) != before


# The role in the header


@pytest.mark.parametrize(
    ("user", "role"),
    [
        ("ministry_user", Role.MINISTRY_STAFF),
        ("province_user", Role.PROVINCE_STAFF),
        ("leadership_user", Role.LEADERSHIP),
        ("administrator_user", Role.ADMINISTRATOR),
    ],
)
def test_the_header_names_the_users_role(roles, user, role):
    response = logged_in(getattr(roles, user)).get(reverse("dashboard"))
    assert response.status_code == 200
    assert shows(response, vietnamese(role.label))
    english = logged_in(getattr(roles, user), language="en").get(reverse("dashboard"))
    assert shows(english, in_language("en", role.label))


def test_the_header_says_when_a_user_has_no_role_yet(scope):
    response = logged_in(scope.province_user).get(reverse("dashboard"))
    assert shows(response, vietnamese("No role yet: ask an administrator"))


# Creating accounts


def create_agency_user(*args, **options) -> str:
    out = io.StringIO()
    call_command("create_agency_user", *args, stdout=out, **options)
    return out.getvalue()


def test_create_agency_user_makes_an_account_of_the_agency_in_the_roles_group(scope):
    output = create_agency_user(
        "so.thaibinh",
        agency="Sở KH&CN Thái Bình",
        role=Role.PROVINCE_STAFF,
        email="so@thaibinh.gov.vn",
        full_name="Phạm Thu Trang",
        password="Thai-Binh-2025-lua-gao",
    )
    user = get_user_model().objects.get(username="so.thaibinh")
    assert user.agency == scope.department
    assert list(user.groups.values_list("name", flat=True)) == [Role.PROVINCE_STAFF]
    assert (user.get_full_name(), user.email, user.is_staff) == ("Phạm Thu Trang", "so@thaibinh.gov.vn", False)
    assert user.check_password("Thai-Binh-2025-lua-gao")
    assert "so.thaibinh" in output and scope.department.name in output
    assert user.has_perm("tasks.add_progressreport", scope.task)


def test_create_agency_user_finds_the_agency_by_id_and_changes_an_existing_users_role(scope):
    create_agency_user(scope.province_user.username, agency=str(scope.ministry_user.agency_id), role=Role.ADMINISTRATOR)
    user = get_user_model().objects.get(pk=scope.province_user.pk)
    assert user.agency == scope.ministry_user.agency
    assert list(user.groups.values_list("name", flat=True)) == [Role.ADMINISTRATOR]
    assert user.is_staff
    assert user.check_password(TEST_PASSWORD)  # no --password: the old one is kept


@pytest.mark.parametrize("agency", ["Sở KH&CN Hưng Yên", "999999"])
def test_create_agency_user_refuses_an_unknown_agency(scope, agency):
    with pytest.raises(CommandError) as refused:
        create_agency_user("so.hungyen", agency=agency, role=Role.PROVINCE_STAFF, password="Hung-Yen-2025-nhan")
    assert "No single agency matches" in str(refused.value)
    assert agency in str(refused.value)
    assert not get_user_model().objects.filter(username="so.hungyen").exists()


def test_create_agency_user_refuses_a_weak_password_saying_why(scope):
    with pytest.raises(CommandError) as refused:
        create_agency_user("so.thaibinh", agency="Sở KH&CN Thái Bình", role=Role.PROVINCE_STAFF, password="12345678")
    with pytest.raises(ValidationError) as validators:
        validate_password("12345678")
    assert len(validators.value.messages) == 2  # too common, entirely numeric
    for message in validators.value.messages:
        assert message in str(refused.value)
    assert not get_user_model().objects.filter(username="so.thaibinh").exists()


# Sessions end after a time without activity


def test_sessions_last_two_hours_without_activity_and_are_refreshed_by_the_middleware():
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    middleware = settings.MIDDLEWARE
    assert middleware.index("coop.middleware.IdleSessionMiddleware") == (
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
    )


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_the_first_page_after_logging_in_stamps_the_session(scope):
    client = Client()
    assert client.login(request=HttpRequest(), username=scope.province_user.username, password=TEST_PASSWORD)
    assert IdleSessionMiddleware.KEY not in client.session
    assert client.get(reverse("dashboard")).status_code == 200
    assert abs(client.session[IdleSessionMiddleware.KEY] - time.time()) < 60


def test_an_active_user_whose_stamp_is_old_gets_a_fresh_expiry(scope):
    client = logged_in(scope.province_user)
    session = client.session
    session[IdleSessionMiddleware.KEY] = int(time.time()) - IdleSessionMiddleware.REFRESH_EVERY_SECONDS - 1
    session.save()
    Session.objects.filter(pk=session.session_key).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get(reverse("dashboard")).status_code == 200
    remaining = session_row(client).expire_date - timezone.now()
    assert remaining > timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert abs(client.session[IdleSessionMiddleware.KEY] - time.time()) < 60


def test_a_recent_stamp_saves_no_session_write(scope):
    client = logged_in(scope.province_user)
    stamp = client.session[IdleSessionMiddleware.KEY]
    soon = timezone.now() + timedelta(minutes=30)
    Session.objects.filter(pk=client.session.session_key).update(expire_date=soon)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.session[IdleSessionMiddleware.KEY] == stamp
    assert session_row(client).expire_date == soon


def test_an_idle_session_has_ended_and_the_user_must_log_in_again(scope):
    client = logged_in(scope.province_user)
    Session.objects.filter(pk=client.session.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("task_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Login, logout and password change: Vietnamese first, English on request


@pytest.mark.parametrize(("cookie", "language"), [(None, "vi"), ("en", "en"), ("vi", "vi"), ("fr", "vi")])
def test_the_login_page_answers_in_vietnamese_unless_english_was_chosen(db, cookie, language):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")  # a machine set up in English
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert shows(response, in_language(language, "Log in"))
    assert shows(response, in_language(language, "Password"))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_wrong_password_is_refused_in_the_users_language(scope, language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("login"), {"username": scope.province_user.username, "password": "sai"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    message = "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
    assert shows(response, in_language(language, message, username=in_language(language, "username")))


def test_logging_in_opens_the_dashboard(scope):
    client = Client()
    response = client.post(
        reverse("login"), {"username": scope.province_user.username, "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert response.wsgi_request.user == scope.province_user


@pytest.mark.parametrize("language", ["vi", "en"])
def test_logging_out_returns_to_the_login_page_in_the_users_language(scope, language):
    client = logged_in(scope.province_user, language=None if language == "vi" else language)
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert f'<html lang="{language}">' in response.content.decode()
    assert shows(response, in_language(language, "Log in"))
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_password_change_page_answers_in_the_users_language(scope, language):
    client = logged_in(scope.province_user, language=None if language == "vi" else language)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert shows(page, in_language(language, "Change your password"))
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "sai", "new_password1": "Mat-khau-moi-2025", "new_password2": "Mat-khau-moi-2025"},
    )
    assert wrong.status_code == 200
    expected = in_language(language, "Your old password was entered incorrectly. Please enter it again.")
    assert shows(wrong, expected)
    scope.province_user.refresh_from_db()
    assert scope.province_user.check_password(TEST_PASSWORD)


def test_the_password_change_pages_are_vietnamese_by_default(scope):
    page = logged_in(scope.province_user).get(reverse("password_change"))
    assert shows(page, vietnamese("Change your password"))
    assert shows(page, vietnamese("Log out"))


def test_changing_the_password_keeps_the_user_logged_in_with_the_new_one(scope):
    client = logged_in(scope.province_user)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Mat-khau-moi-2025", "new_password2": "Mat-khau-moi-2025"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert shows(response, vietnamese("Password changed"))
    scope.province_user.refresh_from_db()
    assert scope.province_user.check_password("Mat-khau-moi-2025")
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_account_pages_need_a_login(db):
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The review document's rules: role × the document's state. The signer chosen is the leadership user.
# fmt: off
DOCUMENT_STATES = ("draft", "submitted", "issued")
DOCUMENT_MATRIX = {
    #                            ministry province other province leadership administrator
    "reports.draft_document":  ("y--",   "---",   "---",         "---",     "y--"),
    "reports.return_document": ("-y-",   "---",   "---",         "-y-",     "-y-"),
    "reports.issue_document":  ("---",   "---",   "---",         "-y-",     "-y-"),
    "reports.correct_document": ("--y",  "---",   "---",         "---",     "--y"),
}
# fmt: on


@pytest.mark.parametrize("state", DOCUMENT_STATES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule", list(DOCUMENT_MATRIX))
def test_document_permission_matrix(roles, rule, role, state):
    document = review_document(roles.programme, state, signer=roles.leadership_user)
    expected = DOCUMENT_MATRIX[rule][ROLES.index(role)][DOCUMENT_STATES.index(state)] == "y"
    assert getattr(roles, USERS[role]).has_perm(rule, document) is expected


def test_a_leader_who_is_not_the_documents_signer_neither_issues_nor_returns_it(roles):
    other_leader = join_group(UserFactory(agency=roles.ministry), Role.LEADERSHIP)
    document = review_document(roles.programme, "submitted", signer=roles.leadership_user)
    assert not other_leader.has_perm("reports.issue_document", document)
    assert not other_leader.has_perm("reports.return_document", document)
