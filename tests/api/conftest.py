"""The world the API tests read, built once for the folder: the world of the pages' generic tests
(tests/generic: two provinces, every role, a row inside and outside the Thái Bình department's scope for
each list page, and varied rows), with what the API adds to each record: a programme's parties, targets
and previous phase, a task's funding and places, a report's figures per funding row, a meeting's
attendance and recommendations, issued review documents on each side. Each role has an API key.

It is built in a transaction rolled back after the folder's last test; each test runs in a savepoint.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coop.api_tokens import api_token_create
from programmes.choices import AttendanceRole, OutputKind, TargetMetric
from programmes.models import ReportingPeriod
from reports.choices import DocumentState
from tasks.choices import FundingSource, ReportStatus
from tests.conftest import FAST_HASHING, rolled_back_afterwards
from tests.factories import (
    AttendanceFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgressReportFactory,
    ProvinceFactory,
    RecommendationFactory,
    TargetFactory,
    carried_out_in,
    fund,
    review_document,
)
from tests.generic.cases import ROLES
from tests.generic.conftest import build_world, next_province_code

BILLION = Decimal(10**9)


def with_api_records(world):
    """What the API shows beyond the list pages' rows, on the Thái Bình side and on the Nam Định side."""
    world.director = PersonFactory(full_name="Nguyễn Văn Giám Đốc", position="Giám đốc Sở", agency=world.department)
    world.minister = PersonFactory(full_name="Chu Ngọc Anh", position="Bộ trưởng", agency=world.ministry)
    party = world.programme.programme_parties.get(agency=world.committee)
    party.representative = world.director
    party.save()
    TargetFactory(programme=world.programme, metric=OutputKind.MODEL, value=Decimal(12))
    TargetFactory(programme=world.programme, metric=TargetMetric.MINISTRY_FUNDING, value=98_500_000_000)
    # A previous phase the Thái Bình department was no party to: its page does not name it to them.
    world.earlier_phase = ProgrammeFactory(title="Giai đoạn trước, của Bộ", start_year=2008, end_year=2011)
    world.programme.previous_phase = world.earlier_phase
    world.programme.save()

    world.ministry_funding = fund(world.task, FundingSource.MINISTRY, 2016, allocated=2 * BILLION, disbursed=BILLION)
    world.province_funding = fund(world.task, FundingSource.PROVINCE, 2017, allocated=BILLION)
    world.task.investigator = world.director
    world.task.save()
    carried_out_in(world.task, world.department.province, commune="xã Vũ Hội")

    period = ReportingPeriod.objects.create(
        programme=world.programme,
        starts_on=datetime.date(2017, 1, 1),
        ends_on=datetime.date(2017, 6, 30),
        due_on=datetime.date(2017, 7, 15),
    )
    world.approved_report = ProgressReportFactory(
        task=world.task,
        period=period,
        status=ReportStatus.APPROVED,
        submitted_by=world.province_user,
        submitted_at=timezone.now(),
        reviewed_by=world.ministry_user,
        reviewed_at=timezone.now(),
        disbursements={world.ministry_funding: 800_000_000},
    )
    world.draft_report = ProgressReportFactory(task=world.task, status=ReportStatus.DRAFT, summary="Bản nháp của Sở")
    world.other_draft_report = ProgressReportFactory(task=world.other_task, status=ReportStatus.DRAFT)

    AttendanceFactory(meeting=world.meeting, person=world.minister, role=AttendanceRole.CHAIR)
    AttendanceFactory(meeting=world.meeting, person=world.director, role=AttendanceRole.REPORTER)
    # Someone of no agency at a Nam Định meeting: the directory of people names them to everyone all the same.
    AttendanceFactory(meeting=world.other_meeting, person=PersonFactory(agency=None, full_name="Khách mời"))
    RecommendationFactory(meeting=world.meeting, raised_by=world.committee, addressed_to=world.ministry)

    signer = world.leadership_user
    signer.person = world.minister
    signer.save()
    world.document = review_document(
        world.programme, DocumentState.ISSUED, signer=signer, as_of=datetime.date(2020, 6, 10), page_count=3
    )
    world.correction = review_document(world.programme, DocumentState.ISSUED, replaces=world.document)
    world.other_document = review_document(world.other_programme, DocumentState.ISSUED)
    world.draft_document = review_document(world.programme, DocumentState.DRAFT)
    return world


def with_api_keys(world):
    """An API key for the user of each role, and a client that sends it."""
    world.keys = {}
    world.api = {}
    for role, attribute in ROLES.items():
        _token, key = api_token_create(user=getattr(world, attribute), name=f"Hệ thống thử ({role})")
        world.keys[role] = key
        world.api[role] = Client(headers={"Authorization": f"Bearer {key}"})
    return world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world of this folder (see the module's docstring), rolled back after its last test."""
    media = tmp_path_factory.mktemp("media")
    with rolled_back_afterwards(django_db_blocker, MEDIA_ROOT=media):
        built = with_api_keys(with_api_records(build_world()))
        built.media = media
        built.province_code = next_province_code()
        yield built


@pytest.fixture(autouse=True)
def isolated_media_and_fast_hashing(world, settings):
    """As tests/conftest.py's, but the media folder is the world's: its issued documents are downloaded."""
    settings.MEDIA_ROOT = world.media
    settings.PASSWORD_HASHERS = FAST_HASHING


@pytest.fixture(autouse=True)
def province_codes_the_world_leaves_free(world):
    """Provinces a test makes take codes the world's provinces do not hold (two digits: a hundred in all)."""
    ProvinceFactory.reset_sequence(world.province_code)


def read_all(client, url: str, **params) -> list[dict]:
    """Every row of a list, following its cursor from page to page."""
    rows = []
    response = client.get(url, {"page_size": 1000, **params})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        response = client.get(body["next"])


def list_url(name: str) -> str:
    return reverse(f"api_{name}_list")
