"""Hypothesis profiles and the rows that every hostile test reads.

Profiles: "ci" (the default) runs a few dozen examples per test, the same ones on every run
(`derandomize`), without a deadline (a page drawn while the machine is busy is not a failure)
and without an example database, so that CI is reproducible. "thorough" runs many more,
randomly, and keeps failing examples in `.hypothesis/` to replay them:

    HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/hostile

The rows are built once per test module (`world`), inside a transaction that is rolled back
when the module ends. Each test still runs in pytest-django's own transaction, and each
example that writes runs in a savepoint of its own (`example_rolled_back`): Hypothesis calls
a test's body many times within one call of its fixtures, so nothing an example saves may be
left for the next one. No function-scoped fixture is handed to a `@given` test, so Hypothesis's
`function_scoped_fixture` health check stays on: it would catch a fixture that such a test
wrongly expects to be fresh for every example.
"""

import os
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import settings

from coop.roles import Role
from programmes.choices import AgencyKind, PartyRole, RecommendationStatus
from tasks.choices import ReportStatus, TaskStatus
from tests.conftest import logged_in
from tests.factories import (
    AgencyFactory,
    AttendanceFactory,
    FundingFactory,
    GeneratedReportFactory,
    MeetingFactory,
    OutputFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgrammePartyFactory,
    ProgressReportFactory,
    RecommendationFactory,
    TaskFactory,
    UserFactory,
)

settings.register_profile("ci", max_examples=30, deadline=None, derandomize=True, database=None, print_blob=True)
settings.register_profile("thorough", max_examples=400, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@dataclass
class World:
    """Two provinces' programmes with a task, an output, reports, a meeting, and a user of each role."""

    ministry_user: object
    province_user: object
    leadership_user: object
    programme: object
    other_programme: object
    task: object
    other_task: object
    person: object
    output: object
    draft_report: object
    submitted_report: object
    meeting: object
    recommendation: object
    clients: dict = field(default_factory=dict)

    def client(self, role: str) -> Client:
        """The client logged in, once per module, as the user of `role` ("ministry", "province", "leadership")."""
        return self.clients[role]


def build_world() -> World:
    """The rows of `tests/conftest.py`'s `scope`, with roles, and one of each record the forms edit."""
    ministry = AgencyFactory(name="Bộ Khoa học và Công nghệ", kind=AgencyKind.MINISTRY, province=None)
    unit = AgencyFactory(name="Vụ Phát triển KH&CN địa phương", kind=AgencyKind.MINISTRY_UNIT, parent=ministry)
    committee = AgencyFactory(name="Ủy ban nhân dân tỉnh Thái Bình", kind=AgencyKind.PEOPLE_COMMITTEE)
    department = AgencyFactory(
        name="Sở KH&CN Thái Bình", kind=AgencyKind.DEPARTMENT, parent=committee, province=committee.province
    )
    other_committee = AgencyFactory(name="Ủy ban nhân dân tỉnh Nam Định", kind=AgencyKind.PEOPLE_COMMITTEE)
    programme = ProgrammeFactory(title="Chương trình phối hợp với tỉnh Thái Bình", start_year=2012, end_year=2020)
    ProgrammePartyFactory(programme=programme, agency=ministry, role=PartyRole.MINISTRY_SIDE)
    ProgrammePartyFactory(programme=programme, agency=committee, role=PartyRole.PROVINCE_SIDE)
    other_programme = ProgrammeFactory(title="Chương trình phối hợp với tỉnh Nam Định")
    ProgrammePartyFactory(programme=other_programme, agency=other_committee, role=PartyRole.PROVINCE_SIDE)
    task = TaskFactory(programme=programme, lead_agency=department, status=TaskStatus.APPROVED)
    FundingFactory(task=task, year=2016)
    other_task = TaskFactory(programme=other_programme, lead_agency=other_committee)

    def user(username, agency, role):
        member = UserFactory(username=username, agency=agency)
        member.groups.add(Group.objects.get(name=role))
        return member

    ministry_user = user("bo.hostile", unit, Role.MINISTRY_STAFF)
    province_user = user("so.hostile", department, Role.PROVINCE_STAFF)
    leadership_user = user("lanhdao.hostile", ministry, Role.LEADERSHIP)
    meeting = MeetingFactory(programme=programme)
    person = PersonFactory(agency=department)
    AttendanceFactory(meeting=meeting, person=person)
    GeneratedReportFactory(programme=programme, created_by=leadership_user)
    world = World(
        ministry_user=ministry_user,
        province_user=province_user,
        leadership_user=leadership_user,
        programme=programme,
        other_programme=other_programme,
        task=task,
        other_task=other_task,
        person=person,
        output=OutputFactory(task=task),
        draft_report=ProgressReportFactory(task=task, status=ReportStatus.DRAFT),
        submitted_report=ProgressReportFactory(
            task=task,
            status=ReportStatus.SUBMITTED,
            submitted_by=province_user,
            submitted_at=timezone.now(),
        ),
        meeting=meeting,
        recommendation=RecommendationFactory(
            meeting=meeting, raised_by=ministry, addressed_to=department, status=RecommendationStatus.OPEN
        ),
    )
    # Logged in with the module's rows: a session saved inside a test would be rolled back after it.
    world.clients = {role: logged_in(getattr(world, f"{role}_user")) for role in ("ministry", "province", "leadership")}
    return world


FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One `World` per test module, rolled back when the module ends.

    Passwords hash fast and the archived PDF goes to a temporary folder, as the autouse
    fixture of tests/conftest.py arranges for each test (it runs too late for a module's rows).
    """
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHING, MEDIA_ROOT=media):
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


@contextmanager
def example_rolled_back():
    """One Hypothesis example in a savepoint of its own: what it saved is gone before the next one."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
