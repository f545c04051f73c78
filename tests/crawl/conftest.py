"""The site the crawls of this folder walk: the demo, and a row in every state a page shows, built once.

`load_demo` gives the Thái Bình and Nam Định programmes with their tasks, funding, outputs, approved
progress reports, the review meeting with its recommendations, an issued and a draft review document,
the reporting periods and the five demo logins. Added here, on a Thái Bình task (in the scope of
`so.thaibinh`) and on a Nam Định one (in the scope of `so.namdinh`): progress reports and outputs in every
state (one output with its evidence file), attachments, a meeting on the Nam Định side, review documents
waiting for signature or returned, saved copies, report requests in every status, imported files
(uploaded through the import page, as users do) and notifications. Built in a transaction rolled back
after the folder's last test.
"""

import datetime
import io
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coop.api_tokens import api_token_create
from coop.middleware import IdleSessionMiddleware
from coop.models import ExportRequest, ExportRequestStatus
from imports.choices import ImportStatus
from opendata.services import open_data_dump_create
from programmes.choices import AgencyKind
from programmes.models import Agency, Meeting, Programme, Recommendation
from reports.choices import DocumentState, ReportKind, ReportRequestStatus
from seed.demo_data import DEMO_PASSWORD, NAM_DINH, NTMN_2, THAI_BINH
from tasks.choices import OutputStatus, ReportStatus
from tasks.models import Task
from tests.conftest import FAST_HASHING, World, rolled_back_afterwards
from tests.factories import (
    AttachmentFactory,
    MeetingFactory,
    NotificationFactory,
    OutputFactory,
    ProgressReportFactory,
    RecommendationFactory,
    ReportRequestFactory,
    issued,
    review_document,
)
from tests.imports.conftest import confirm, errors_of, upload, xlsx

# The role each crawl reads the site as, and the demo login that plays it (None: nobody logged in).
ROLE_LOGINS = {
    "anonymous": None,
    "ministry": "bo.chuyenvien",
    "province": "so.thaibinh",
    "other province": "so.namdinh",
    "leadership": "lanhdao",
    "administrator": "admin",
}


def signed_in(user) -> Client:
    """A client logged in as a demo user, the idle-expiry stamp set as after the first page they open."""
    client = Client()
    if user is None:
        return client
    assert client.login(request=HttpRequest(), username=user.username, password=DEMO_PASSWORD)
    keep_session_fresh(client)
    return client


def keep_session_fresh(client: Client) -> None:
    """Stamp the client's session as just refreshed, so that its next pages do not refresh it.

    `IdleSessionMiddleware` saves a session at most once every five minutes of activity, on whatever
    request comes then: the one write a GET may make by design (tests/coop/test_permissions.py tests it).
    """
    if settings.SESSION_COOKIE_NAME in client.cookies:
        session = client.session
        session[IdleSessionMiddleware.KEY] = int(time.time())
        session.save()


def build_site() -> World:
    call_command("load_demo", stdout=io.StringIO())
    site = World()
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLE_LOGINS.values())}
    site.users = {role: users.get(username) for role, username in ROLE_LOGINS.items()}
    ministry, province, other_province = (site.users[role] for role in ("ministry", "province", "other province"))

    site.programme = Programme.objects.get(code=THAI_BINH)
    site.other_programme = Programme.objects.get(code=NAM_DINH)
    site.national_programme = Programme.objects.get(code=NTMN_2)
    site.department = Agency.objects.get(pk=province.agency_id)
    site.other_department = Agency.objects.get(pk=other_province.agency_id)
    site.ministry_unit = Agency.objects.get(pk=ministry.agency_id)
    site.thai_binh_department = Agency.objects.filter(successor=site.department, kind=AgencyKind.DEPARTMENT).first()
    site.task = Task.objects.visible_to(province).filter(programme=site.programme).order_by("pk").first()
    site.other_task = Task.objects.visible_to(other_province).filter(programme=site.other_programme).first()
    site.accepted_task = Task.objects.filter(programme=site.programme, accepted_on__isnull=False).first()

    site.reports = progress_reports(site.task, province, ministry) + progress_reports(
        site.other_task, other_province, ministry
    )
    site.outputs = outputs(site.task, province) + outputs(site.other_task, other_province)

    site.meeting = Meeting.objects.get(programme=site.programme)
    site.other_meeting = MeetingFactory(programme=site.other_programme, title="Hội nghị sơ kết Nam Định 2019")
    RecommendationFactory(meeting=site.other_meeting, raised_by=site.other_department, addressed_to=site.ministry_unit)
    site.recommendations = list(Recommendation.objects.filter(meeting__in=[site.meeting, site.other_meeting]))
    site.attachments = [
        AttachmentFactory(meeting=site.meeting, title="Biên bản hội nghị sơ kết"),
        AttachmentFactory(meeting=site.other_meeting, title="Biên bản làm việc với tỉnh Nam Định"),
    ]

    site.documents = documents(site, ministry, users["lanhdao"])
    site.saved_copies = [
        issued(site.programme, kind=ReportKind.TASK_SHEET, task=site.task, created_by=province),
        issued(site.other_programme, kind=ReportKind.TASK_SHEET, task=site.other_task, created_by=other_province),
        issued(None, kind=ReportKind.TASK_LIST, created_by=ministry),
    ]
    site.report_requests = report_requests(site, ministry, province)
    site.export_requests = export_requests(ministry, province)
    site.import_batches = import_batches(ministry, province)
    site.notifications = [
        NotificationFactory(recipient=user, read_at=read_at, url=reverse("task_detail", args=[site.task.pk]))
        for user in (ministry, province, users["lanhdao"])
        for read_at in (None, timezone.now())
    ]
    site.api_tokens = [api_token_create(user=user, name="Cổng dữ liệu")[0] for user in (ministry, province)]
    site.open_data_dumps = [open_data_dump_create()]
    return site


def progress_reports(task, submitter, reviewer) -> list:
    """A report of `task` in each state a submitter and a reviewer see."""
    submitted = {"submitted_by": submitter, "submitted_at": timezone.now()}
    reviewed = {**submitted, "reviewed_by": reviewer, "reviewed_at": timezone.now()}
    return [
        ProgressReportFactory(task=task, as_of=quarter_end(2019, 1), status=ReportStatus.DRAFT),
        ProgressReportFactory(task=task, as_of=quarter_end(2019, 2), status=ReportStatus.SUBMITTED, **submitted),
        ProgressReportFactory(
            task=task,
            as_of=quarter_end(2019, 3),
            status=ReportStatus.RETURNED,
            review_note="Thiếu số liệu giải ngân.",
            **reviewed,
        ),
        ProgressReportFactory(task=task, as_of=quarter_end(2019, 4), status=ReportStatus.APPROVED, **reviewed),
    ]


def quarter_end(year: int, quarter: int) -> datetime.date:
    return datetime.date(year + quarter // 4, 3 * quarter % 12 + 1, 1) - datetime.timedelta(days=1)


def outputs(task, submitter) -> list:
    """An output of `task` in each state, the verified one with its evidence file."""
    return [
        OutputFactory(task=task, status=OutputStatus.RECORDED, name="Mô hình nuôi cá rô đồng"),
        OutputFactory(task=task, status=OutputStatus.SUBMITTED, name="Mô hình trồng nấm sò"),
        OutputFactory(task=task, status=OutputStatus.RETURNED, name="Quy trình ủ phân hữu cơ"),
        OutputFactory(
            task=task,
            name="Giấy chứng nhận nhãn hiệu tập thể",
            evidence_file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="chung-nhan.pdf"),
        ),
    ]


def documents(site, drafter, signer) -> list:
    """The demo's issued and draft documents, one waiting for signature, one returned, and a Nam Định draft."""
    demo = list(site.programme.generated_reports.filter(kind=ReportKind.PROGRAMME_REVIEW).order_by("pk"))
    waiting = review_document(site.programme, DocumentState.SUBMITTED, created_by=drafter, signer=signer)
    returned = review_document(
        site.programme, DocumentState.DRAFT, created_by=drafter, signer=signer, return_note="Bổ sung số liệu năm 2019."
    )
    other = review_document(site.other_programme, DocumentState.DRAFT, created_by=drafter)
    return [*demo, waiting, returned, other]


def report_requests(site, ministry, province) -> list:
    done = ReportRequestFactory(
        programme=site.programme,
        requested_by=ministry,
        status=ReportRequestStatus.DONE,
        progress=100,
        report=site.documents[0],
        finished_at=timezone.now(),
    )
    return [
        ReportRequestFactory(programme=site.programme, requested_by=ministry),
        ReportRequestFactory(
            programme=site.programme, requested_by=ministry, status=ReportRequestStatus.RUNNING, progress=40
        ),
        done,
        ReportRequestFactory(
            kind=ReportKind.TASK_LIST,
            programme=None,
            requested_by=province,
            status=ReportRequestStatus.FAILED,
            error_message="Hết thời gian chờ.",
            finished_at=timezone.now(),
        ),
    ]


def export_requests(ministry, province) -> list:
    """A long list's export waiting for the worker, one written (with its file), one failed."""
    written = ExportRequest(
        list_name="task_list",
        query="sort=code",
        export_format="csv",
        language="vi",
        title="nhiệm vụ KH&CN",
        requested_by=province,
        status=ExportRequestStatus.DONE,
        progress=100,
        row_count=1,
        finished_at=timezone.now(),
    )
    written.file.save("nhiem-vu.csv", ContentFile("\ufeffMã;Tên\nTB-01;Nhiệm vụ\n".encode()), save=False)
    written.save()
    return [
        ExportRequest.objects.create(
            list_name="task_list", export_format="xlsx", language="vi", title="nhiệm vụ KH&CN", requested_by=ministry
        ),
        written,
        ExportRequest.objects.create(
            list_name="output_list",
            export_format="csv",
            language="vi",
            title="sản phẩm",
            requested_by=ministry,
            status=ExportRequestStatus.FAILED,
            error_message="Hết thời gian chờ.",
            finished_at=timezone.now(),
        ),
    ]


def import_batches(ministry, province) -> list:
    """Files uploaded through the import page as each user would: the data they downloaded, sent back.

    The Ministry's tasks are checked, then imported; the province's progress and outputs are checked and
    wait for confirmation; a sheet without the template's columns is refused with its errors.
    """
    batches = []
    for user, kind in ((ministry, "tasks"), (province, "progress"), (province, "outputs")):
        client = signed_in(user)
        data = client.get(reverse("import_data", args=[kind]))
        _response, batch = upload(client, kind, b"".join(data.streaming_content), f"{kind}.xlsx")
        batches.append(batch)
    batches[0] = confirm(signed_in(ministry), batches[0])
    _response, wrong_columns = upload(signed_in(province), "progress", xlsx([["Mã", "Tỷ lệ"], ["TB-01", 50]]))
    batches.append(wrong_columns)
    assert [batch.status for batch in batches] == [
        ImportStatus.APPLIED,
        ImportStatus.CHECKED,
        ImportStatus.CHECKED,
        ImportStatus.INVALID,
    ], [(batch.status, batch.counts, batch.error_message, errors_of(batch)[:2]) for batch in batches]
    return batches


@pytest.fixture(scope="package")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The site of this folder (see the module's docstring), rolled back after its last test."""
    media = tmp_path_factory.mktemp("media")
    with rolled_back_afterwards(django_db_blocker, MEDIA_ROOT=media):
        built = build_site()
        built.media = media
        yield built


@pytest.fixture(autouse=True)
def isolated_media_and_fast_hashing(site, settings):
    """As tests/conftest.py's, but the media folder is the site's: its attachments and reports are downloaded."""
    settings.MEDIA_ROOT = site.media
    settings.PASSWORD_HASHERS = FAST_HASHING
