"""Fixtures shared by every test folder."""

import io
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.http import HttpRequest
from django.test import Client

from coop.middleware import IdleSessionMiddleware
from tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin.test", is_staff=True, is_superuser=True, agency=None)


@pytest.fixture
def admin_client(admin_user) -> Client:
    return logged_in(admin_user)


@pytest.fixture(autouse=True)
def isolated_media_and_fast_hashing(settings, tmp_path):
    """Uploaded files go to a temporary folder, never the project's media/; passwords hash fast."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """No figure kept by one test is read by the next: a rolled-back test's row ids come again on SQLite."""
    cache.clear()


def logged_in(user, language: str | None = None) -> Client:
    """A client logged in as `user`; with `language`, as if they had used the language switch."""
    client = Client()
    assert client.login(request=HttpRequest(), username=user.username, password=TEST_PASSWORD)
    # As after the first page a user opens: the idle-expiry stamp is set, so that
    # counting a page's queries does not count the one-off session write.
    session = client.session
    session[IdleSessionMiddleware.KEY] = int(time.time())
    session.save()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def scope(db):
    """Two provinces' worlds: what a provincial user may see, and what lies outside their scope.

    `scope.ministry_user` works for a Ministry unit and sees everything;
    `scope.province_user` works for a provincial department whose People's Committee
    is a party to `scope.programme` (inside) but not to `scope.other_programme` (outside).
    """
    from programmes.choices import AgencyKind, PartyRole
    from tests.factories import (
        AgencyFactory,
        ProgrammeFactory,
        ProgrammePartyFactory,
        TaskFactory,
    )

    ministry = AgencyFactory(name="Bộ Khoa học và Công nghệ", kind=AgencyKind.MINISTRY, province=None)
    unit = AgencyFactory(
        name="Vụ Phát triển KH&CN địa phương", kind=AgencyKind.MINISTRY_UNIT, parent=ministry, province=None
    )
    committee = AgencyFactory(name="Ủy ban nhân dân tỉnh Thái Bình", kind=AgencyKind.PEOPLE_COMMITTEE)
    department = AgencyFactory(
        name="Sở KH&CN Thái Bình", kind=AgencyKind.DEPARTMENT, parent=committee, province=committee.province
    )
    other_committee = AgencyFactory(name="Ủy ban nhân dân tỉnh Nam Định", kind=AgencyKind.PEOPLE_COMMITTEE)
    programme = ProgrammeFactory(title="Chương trình phối hợp với tỉnh Thái Bình")
    ProgrammePartyFactory(programme=programme, agency=ministry, role=PartyRole.MINISTRY_SIDE)
    ProgrammePartyFactory(programme=programme, agency=committee, role=PartyRole.PROVINCE_SIDE)
    other_programme = ProgrammeFactory(title="Chương trình phối hợp với tỉnh Nam Định")
    ProgrammePartyFactory(programme=other_programme, agency=other_committee, role=PartyRole.PROVINCE_SIDE)

    class Scope:
        pass

    world = Scope()
    world.ministry, world.committee, world.department = ministry, committee, department
    world.programme, world.other_programme = programme, other_programme
    world.task = TaskFactory(programme=programme, lead_agency=department, title="Nhiệm vụ của Thái Bình")
    world.other_task = TaskFactory(
        programme=other_programme, lead_agency=other_committee, title="Nhiệm vụ của Nam Định"
    )
    world.ministry_user = UserFactory(username="bo.test", agency=unit)
    world.leadership_user = UserFactory(username="lanhdao.test", agency=ministry)
    world.province_user = UserFactory(username="so.test", agency=department)
    return world


@pytest.fixture(scope="module")
def demo_with_gaps(django_db_setup, django_db_blocker):
    """The demo data, and rows with what the demo always fills left empty (no investigator, no
    short name), loaded once for the module in a transaction rolled back after its last test.
    """
    from programmes.models import Agency
    from tasks.models import Task
    from tests.factories import AgencyFactory, TaskFactory

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        agency = Agency.objects.order_by("pk").first()
        task = Task.objects.order_by("pk").first()
        TaskFactory(programme=task.programme, lead_agency=agency, investigator=None, funded_through=None, location="")
        AgencyFactory(province=agency.province, short_name="", parent=None)
        yield
        transaction.set_rollback(True)
