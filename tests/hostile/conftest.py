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

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import settings

from programmes.choices import RecommendationStatus
from tasks.choices import ReportStatus, TaskStatus
from tests.conftest import World, give_roles, logged_in, rolled_back_afterwards, two_provinces
from tests.factories import (
    AttendanceFactory,
    FundingFactory,
    GeneratedReportFactory,
    MeetingFactory,
    OutputFactory,
    PersonFactory,
    ProgressReportFactory,
    RecommendationFactory,
)

settings.register_profile("ci", max_examples=30, deadline=None, derandomize=True, database=None, print_blob=True)
settings.register_profile("thorough", max_examples=400, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


class HostileWorld(World):
    """`two_provinces()` with roles, one of each record the forms edit, and a client per role logged in once."""

    def client(self, role: str) -> Client:
        """The client logged in, once per module, as the user of `role` ("ministry", "province", "leadership")."""
        return self.clients[role]


def build_world() -> HostileWorld:
    """The rows of `tests/conftest.py`'s `roles`, and one of each record the forms edit."""
    world = give_roles(two_provinces(HostileWorld()))
    programme, task = world.programme, world.task
    programme.start_year, programme.end_year = 2012, 2020
    programme.save()
    task.status = TaskStatus.APPROVED
    task.save()
    FundingFactory(task=task, year=2016)
    world.meeting = MeetingFactory(programme=programme)
    world.person = PersonFactory(agency=world.department)
    AttendanceFactory(meeting=world.meeting, person=world.person)
    GeneratedReportFactory(programme=programme, created_by=world.leadership_user)
    world.output = OutputFactory(task=task)
    world.draft_report = ProgressReportFactory(task=task, status=ReportStatus.DRAFT)
    world.submitted_report = ProgressReportFactory(
        task=task, status=ReportStatus.SUBMITTED, submitted_by=world.province_user, submitted_at=timezone.now()
    )
    world.recommendation = RecommendationFactory(
        meeting=world.meeting, raised_by=world.ministry, addressed_to=world.department, status=RecommendationStatus.OPEN
    )
    # Logged in with the module's rows: a session saved inside a test would be rolled back after it.
    world.clients = {role: logged_in(getattr(world, f"{role}_user")) for role in ("ministry", "province", "leadership")}
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One `World` per test module, rolled back when the module ends.

    Passwords hash fast and the archived PDF goes to a temporary folder, as the autouse
    fixture of tests/conftest.py arranges for each test (it runs too late for a module's rows).
    """
    with rolled_back_afterwards(django_db_blocker, MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield build_world()


@contextmanager
def example_rolled_back():
    """One Hypothesis example in a savepoint of its own: what it saved is gone before the next one."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
