"""The Django admin: every model reachable, every page answering, a fixed number of queries, folded search."""

import datetime

import factory
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from simple_history.admin import SimpleHistoryAdmin

from coop.models import ApiToken, ExportRequest, Notification, SentReminder
from opendata.models import OpenDataDump
from programmes.choices import PartyRole, TargetMetric
from programmes.models import Agency, Meeting, Person, Programme, Province, Recommendation
from reports.models import DocumentRegister, GeneratedReport, ReportRequest
from tasks.choices import ReportStatus
from tasks.models import Funding, Output, ProgressReport, Task
from tests import factories
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

User = get_user_model()


class GroupFactory(factory.django.DjangoModelFactory):
    """Django registers its groups in the admin too; only these tests need them."""

    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Nhóm {n}")


class AccessLogFactory(factory.django.DjangoModelFactory):
    """django-axes' record of a login; the admin is where an administrator reads and clears them."""

    class Meta:
        model = AccessLog

    username = factory.Sequence(lambda n: f"so.tinh{n}")
    ip_address = "203.0.113.7"
    user_agent = "Mozilla/5.0"
    http_accept = "text/html"
    path_info = "/accounts/login/"


class AccessFailureLogFactory(AccessLogFactory):
    class Meta:
        model = AccessFailureLog


class AccessAttemptFactory(AccessLogFactory):
    """Failed logins of one user name from one address: deleting it unlocks them."""

    class Meta:
        model = AccessAttempt

    get_data = ""
    post_data = "username=so.tinh"
    failures_since_start = 5


class DBTaskResultFactory(factory.django.DjangoModelFactory):
    """A job on the queue of the background reports (django-tasks' database backend registers it in the admin)."""

    class Meta:
        model = DBTaskResult

    task_path = "reports.background.draw_report_request"
    args_kwargs = factory.Sequence(lambda n: {"args": [n], "kwargs": {}})
    backend_name = "default"
    run_after = factory.LazyFunction(timezone.now)


FACTORIES = {
    Group: GroupFactory,
    User: factories.UserFactory,
    Province: factories.ProvinceFactory,
    Agency: factories.AgencyFactory,
    Person: factories.PersonFactory,
    Programme: factories.ProgrammeFactory,
    Meeting: factories.MeetingFactory,
    Recommendation: factories.RecommendationFactory,
    Task: factories.TaskFactory,
    Funding: factories.FundingFactory,
    ProgressReport: factories.ProgressReportFactory,
    Output: factories.OutputFactory,
    GeneratedReport: factories.GeneratedReportFactory,
    AccessAttempt: AccessAttemptFactory,
    AccessFailureLog: AccessFailureLogFactory,
    AccessLog: AccessLogFactory,
    ReportRequest: factories.ReportRequestFactory,
    DocumentRegister: factories.DocumentRegisterFactory,
    DBTaskResult: DBTaskResultFactory,
    Notification: factories.NotificationFactory,
    SentReminder: factories.SentReminderFactory,
    OpenDataDump: factories.OpenDataDumpFactory,
    ApiToken: factories.ApiTokenFactory,
    ExportRequest: factories.ExportRequestFactory,
}

# Issued reports come only from the application, which computes their checksum; login records
# only from logins; report requests and their jobs only from the report pages; notifications
# and the reminders they carry only from the events they tell of.
NO_ADD_PAGE = {
    Notification,
    SentReminder,
    GeneratedReport,
    DocumentRegister,
    AccessAttempt,
    AccessFailureLog,
    AccessLog,
    ReportRequest,
    DBTaskResult,
    # Downloads of the open data, only from `export_open_data`, which computes their checksum.
    OpenDataDump,
    # API keys, only from their user's profile page, which shows the key once and keeps its SHA-256.
    ApiToken,
    # Long exports, only from a list's export button, which queues the job that writes them.
    ExportRequest,
}

OUR_APPS = ("coop", "programmes", "tasks", "reports", "opendata")

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def label(model) -> str:
    return model._meta.label


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


# Coverage: no model forgotten.


def test_every_model_of_the_project_is_registered_or_edited_inline():
    inlined = {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    reachable = set(admin.site._registry) | inlined
    models = [model for app in OUR_APPS for model in apps.get_app_config(app).get_models()]
    # A historical model is reached from its record: the admin's "History" page, and the
    # "Change history" tab of the record's own page.
    models = [model for model in models if not hasattr(model, "instance_type")]
    assert [label(model) for model in models if model not in reachable] == []


def test_history_is_shown_in_the_admin_of_every_tracked_model_it_registers():
    tracked = [model for model in REGISTERED if hasattr(model, "history")]
    assert tracked, "some registered models keep a history"
    assert [label(model) for model in tracked if not isinstance(admin.site._registry[model], SimpleHistoryAdmin)] == []


def test_every_registered_model_has_a_factory_for_these_tests():
    assert [label(model) for model in REGISTERED if model not in FACTORIES] == []


# Every page answers.


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_changelist_answers(admin_client, model):
    FACTORIES[model]()
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_add_page_answers(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == (403 if model in NO_ADD_PAGE else 200)


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_change_page_answers(admin_client, model):
    obj = FACTORIES[model]()
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_anonymous_user_is_sent_to_the_admin_login(client, model):
    url = admin_url(model, "changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


# Query budgets: pages cost the same whatever the number of rows.


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model):
    url = admin_url(model, "changelist")
    FACTORIES[model].create_batch(3)
    admin_client.get(url)  # warm per-process caches (content types, sessions)
    few = count_queries(admin_client, url)
    FACTORIES[model].create_batch(20)
    many = count_queries(admin_client, url)
    assert admin_client.get(url).context["cl"].result_count >= 23
    assert many == few


def programme_with_rows(count: int) -> Programme:
    programme = factories.ProgrammeFactory()
    for metric in list(TargetMetric)[:count]:
        factories.TargetFactory(programme=programme, metric=metric)
    for _ in range(count):
        factories.ProgrammePartyFactory(
            programme=programme,
            role=PartyRole.MEMBER,
            representative=factories.PersonFactory(),
        )
    return programme


def meeting_with_rows(count: int) -> Meeting:
    meeting = factories.MeetingFactory()
    factories.AttendanceFactory.create_batch(count, meeting=meeting)
    factories.RecommendationFactory.create_batch(count, meeting=meeting)
    factories.AttachmentFactory.create_batch(count, meeting=meeting)
    return meeting


def task_with_rows(count: int) -> Task:
    task = factories.TaskFactory()
    factories.FundingFactory.create_batch(count, task=task)
    factories.OutputFactory.create_batch(count, task=task)
    for _ in range(count):
        factories.ProgressReportFactory(
            task=task,
            status=ReportStatus.SUBMITTED,
            submitted_by=factories.UserFactory(),
            reviewed_by=factories.UserFactory(),
            reviewed_at=datetime.datetime(2017, 7, 1, tzinfo=datetime.UTC),
        )
    return task


@pytest.mark.parametrize("build", [programme_with_rows, meeting_with_rows, task_with_rows], ids=lambda f: f.__name__)
def test_change_page_queries_do_not_grow_with_inline_rows(admin_client, build):
    few_rows, many_rows = build(2), build(10)
    model = type(few_rows)
    admin_client.get(admin_url(model, "change", few_rows.pk))  # warm per-process caches
    few = count_queries(admin_client, admin_url(model, "change", few_rows.pk))
    many = count_queries(admin_client, admin_url(model, "change", many_rows.pk))
    assert many == few


# Folded search.


def changelist_results(client, model, query: str) -> list:
    response = client.get(admin_url(model, "changelist"), {"q": query})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_tasks_are_found_without_diacritics(admin_client):
    thai_binh = factories.TaskFactory(title="Ứng dụng tiến bộ kỹ thuật nuôi ngao tại tỉnh Thái Bình")
    factories.TaskFactory(title="Ứng dụng tiến bộ kỹ thuật nuôi ngao tại tỉnh Nam Định")
    assert changelist_results(admin_client, Task, "thai binh") == [thai_binh]
    assert changelist_results(admin_client, Task, "THÁI BÌNH") == [thai_binh]


def test_agencies_are_found_by_their_abbreviation_without_diacritics(admin_client):
    department = factories.AgencyFactory(
        name="Sở Khoa học và Công nghệ tỉnh Thái Bình",
        short_name="Sở KH&CN Thái Bình",
    )
    institute = factories.AgencyFactory(name="Viện Di truyền Nông nghiệp", short_name="AGI")
    for query in ("so kh&cn", "so khcn"):
        found = changelist_results(admin_client, Agency, query)
        assert department in found
        assert institute not in found
    assert changelist_results(admin_client, Agency, "so kh cn thai binh") == [department]


def test_autocomplete_searches_without_diacritics(admin_client):
    thai_binh = factories.TaskFactory(title="Chạm bạc Đồng Xâm, Thái Bình")
    factories.TaskFactory(title="Chạm bạc Huế")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "tasks", "model_name": "funding", "field_name": "task", "term": "dong xam"},
    )
    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(thai_binh.pk)]


def test_a_blank_search_lists_everything(admin_client):
    tasks = factories.TaskFactory.create_batch(3)
    assert set(changelist_results(admin_client, Task, " ")) == set(tasks)


# What the administrator reads and saves.


def test_money_is_shown_in_vnd_and_years_without_thousand_separators(admin_client):
    factories.FundingFactory(year=2016, allocated=1_234_567_000, disbursed=0)
    page = admin_client.get(admin_url(Funding, "changelist")).content.decode()
    assert "1.234.567.000 đ" in page
    assert ">2016<" in page
    assert "2.016" not in page


def test_a_party_added_on_the_programme_page_makes_the_programme_findable_by_its_name(admin_client):
    programme = factories.ProgrammeFactory(title="Chương trình phối hợp giai đoạn 2016-2020")
    agency = factories.AgencyFactory(name="Ủy ban nhân dân tỉnh Thái Bình")
    inline_management = {
        f"{prefix}-{key}": value
        for prefix in ("programme_parties", "targets", "reporting_periods")
        for key, value in {
            "TOTAL_FORMS": "0",
            "INITIAL_FORMS": "0",
            "MIN_NUM_FORMS": "0",
            "MAX_NUM_FORMS": "1000",
        }.items()
    }
    response = admin_client.post(
        admin_url(Programme, "change", programme.pk),
        {
            "code": programme.code,
            "title": programme.title,
            "kind": programme.kind,
            "status": programme.status,
            "start_year": "2016",
            "end_year": "2020",
            "reporting_frequency": programme.reporting_frequency,
            "reporting_due_day": "15",
            "reporting_due_months_after": "1",
            "reminder_days_before": "7",
            **inline_management,
            "programme_parties-TOTAL_FORMS": "1",
            "programme_parties-0-agency": str(agency.pk),
            "programme_parties-0-role": PartyRole.PROVINCE_SIDE,
            "targets-TOTAL_FORMS": "1",
            "targets-0-metric": TargetMetric.MODEL,
            "targets-0-value": "12",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(programme.parties.all()) == [agency]
    assert programme.targets.get().value == 12
    assert changelist_results(admin_client, Programme, "uy ban nhan dan thai binh") == [programme]


def test_a_user_is_added_with_an_agency(admin_client):
    agency = factories.AgencyFactory()
    response = admin_client.post(
        admin_url(User, "add"),
        {
            "username": "so.thaibinh.test",
            "usable_password": "true",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
            "agency": str(agency.pk),
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="so.thaibinh.test").agency == agency


def test_the_admin_does_not_let_an_issued_report_file_be_replaced(admin_client):
    report = factories.GeneratedReportFactory()
    form = admin_client.get(admin_url(GeneratedReport, "change", report.pk)).context["adminform"].form
    assert {"pdf", "sha256", "page_count", "created_at"}.isdisjoint(form.fields)


def test_a_task_is_added_with_its_funding_on_one_page(admin_client):
    programme = factories.ProgrammeFactory()
    agency = factories.AgencyFactory()
    management = {
        f"{prefix}-{key}": value
        for prefix in ("places", "fundings", "progress_reports", "outputs")
        for key, value in {
            "TOTAL_FORMS": "0",
            "INITIAL_FORMS": "0",
            "MIN_NUM_FORMS": "0",
            "MAX_NUM_FORMS": "1000",
        }.items()
    }
    response = admin_client.post(
        admin_url(Task, "add"),
        {
            "programme": str(programme.pk),
            "code": "NV-TB-01",
            "title": "Nuôi ngao thương phẩm tại Thái Thụy",
            "field": "agriculture",
            "level": "ministry",
            "lead_agency": str(agency.pk),
            "start_on": "01/01/2016",
            "end_on": "31/12/2018",
            "status": "in_progress",
            "percent_complete": "0",
            **management,
            "fundings-TOTAL_FORMS": "1",
            "fundings-0-year": "2016",
            "fundings-0-source": "ministry",
            "fundings-0-allocated": "1500000000",
            "fundings-0-disbursed": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    task = Task.objects.get(code="NV-TB-01")
    assert task.fundings.get().allocated == 1_500_000_000
    assert "nuoi ngao thuong pham" in task.search_text
