"""Fixtures shared by every test folder."""

import io
import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import transaction
from django.http import HttpRequest
from django.test import Client, override_settings
from django.utils import translation

from coop.middleware import IdleSessionMiddleware
from tests.factories import TEST_PASSWORD, UserFactory

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    settings.PASSWORD_HASHERS = FAST_HASHING


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a page requested in English leaves English active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """No figure kept by one test is read by the next (a rolled-back test's row ids come again on SQLite), and
    no request counted by one test's key is charged to the next."""
    for alias in settings.CACHES:
        caches[alias].clear()


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


class World:
    """Rows a test builds, as attributes (`world.task`, `world.province_user`, …)."""


def two_provinces(world=None) -> World:
    """Two provinces' worlds: what a provincial user may see, and what lies outside their scope.

    `ministry_user` works for a Ministry unit and sees everything; `province_user` works
    for a provincial department whose People's Committee is a party to `programme`
    (inside) but not to `other_programme` (outside); `task` and `other_task` are one task
    of each. `leadership_user` works for the Ministry itself. Nobody has a role yet.
    """
    from programmes.choices import AgencyKind, PartyRole
    from tests.factories import AgencyFactory, ProgrammeFactory, ProgrammePartyFactory, TaskFactory

    world = world or World()
    world.ministry = AgencyFactory(name="Bộ Khoa học và Công nghệ", kind=AgencyKind.MINISTRY, province=None)
    world.unit = AgencyFactory(
        name="Vụ Phát triển KH&CN địa phương", kind=AgencyKind.MINISTRY_UNIT, parent=world.ministry, province=None
    )
    world.committee = AgencyFactory(name="Ủy ban nhân dân tỉnh Thái Bình", kind=AgencyKind.PEOPLE_COMMITTEE)
    world.department = AgencyFactory(
        name="Sở KH&CN Thái Bình",
        kind=AgencyKind.DEPARTMENT,
        parent=world.committee,
        province=world.committee.province,
    )
    world.other_committee = AgencyFactory(name="Ủy ban nhân dân tỉnh Nam Định", kind=AgencyKind.PEOPLE_COMMITTEE)
    world.programme = ProgrammeFactory(title="Chương trình phối hợp với tỉnh Thái Bình")
    ProgrammePartyFactory(programme=world.programme, agency=world.ministry, role=PartyRole.MINISTRY_SIDE)
    ProgrammePartyFactory(programme=world.programme, agency=world.committee, role=PartyRole.PROVINCE_SIDE)
    world.other_programme = ProgrammeFactory(title="Chương trình phối hợp với tỉnh Nam Định")
    ProgrammePartyFactory(programme=world.other_programme, agency=world.other_committee, role=PartyRole.PROVINCE_SIDE)
    world.task = TaskFactory(programme=world.programme, lead_agency=world.department, title="Nhiệm vụ của Thái Bình")
    world.other_task = TaskFactory(
        programme=world.other_programme, lead_agency=world.other_committee, title="Nhiệm vụ của Nam Định"
    )
    world.ministry_user = UserFactory(username="bo.test", agency=world.unit)
    world.leadership_user = UserFactory(username="lanhdao.test", agency=world.ministry)
    world.province_user = UserFactory(username="so.test", agency=world.department)
    return world


def join_group(user, role: str):
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=role))
    return user


def give_roles(world: World) -> World:
    """Each user of `two_provinces` in their role's group, a Nam Định department's staff and an administrator.

    `other_province_user` works for a department under Nam Định's People's Committee: their
    scope is the mirror image of `province_user`'s. `administrator_user` works for the
    Ministry unit and is in the administrators' group.
    """
    from coop.roles import Role
    from programmes.choices import AgencyKind
    from tests.factories import AgencyFactory

    join_group(world.ministry_user, Role.MINISTRY_STAFF)
    join_group(world.province_user, Role.PROVINCE_STAFF)
    join_group(world.leadership_user, Role.LEADERSHIP)
    world.other_department = AgencyFactory(
        name="Sở KH&CN Nam Định",
        kind=AgencyKind.DEPARTMENT,
        parent=world.other_committee,
        province=world.other_committee.province,
    )
    world.other_province_user = join_group(
        UserFactory(username="so.namdinh.test", agency=world.other_department), Role.PROVINCE_STAFF
    )
    world.administrator_user = join_group(UserFactory(username="quantri.test", agency=world.unit), Role.ADMINISTRATOR)
    return world


@pytest.fixture
def scope(db) -> World:
    """`two_provinces()`: one task and one programme inside a provincial user's scope, one of each outside it."""
    return two_provinces()


@pytest.fixture
def roles(scope) -> World:
    """`scope` with every user in their role's group, a Nam Định department's staff and an administrator."""
    return give_roles(scope)


@pytest.fixture
def world(roles) -> World:
    """`roles` with a meeting on each side of the provincial user's scope; test modules add what they need."""
    from tests.factories import MeetingFactory

    roles.meeting = MeetingFactory(programme=roles.programme, title="Hội nghị sơ kết Thái Bình")
    roles.other_meeting = MeetingFactory(programme=roles.other_programme, title="Hội nghị sơ kết Nam Định")
    return roles


@contextmanager
def rolled_back_afterwards(django_db_blocker, **settings):
    """Rows written inside are kept for the tests of a module or class, and rolled back after the last one.

    Each test runs in a savepoint within the transaction (pytest-django's usual per-test
    transaction), so what one test writes is gone before the next one. Passwords hash fast and
    `settings` hold, as `isolated_media_and_fast_hashing` arranges for each test, too late for these rows.
    """
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHING, **settings):
        with transaction.atomic():
            yield
            transaction.set_rollback(True)


@pytest.fixture(scope="class")
def demo_data(django_db_setup, django_db_blocker):
    """The demo loaded once for the class of tests that read it, rolled back after them."""
    with rolled_back_afterwards(django_db_blocker):
        call_command("load_demo", stdout=io.StringIO())
        yield


@pytest.fixture(scope="module")
def demo_with_gaps(django_db_setup, django_db_blocker):
    """The demo data, and rows with what the demo always fills left empty (no investigator, no
    short name), loaded once for the module and rolled back after its last test.
    """
    from programmes.models import Agency
    from tasks.models import Task
    from tests.factories import AgencyFactory, TaskFactory

    with rolled_back_afterwards(django_db_blocker):
        call_command("load_demo", stdout=io.StringIO())
        agency = Agency.objects.order_by("pk").first()
        task = Task.objects.order_by("pk").first()
        TaskFactory(programme=task.programme, lead_agency=agency, investigator=None, funded_through=None, location="")
        AgencyFactory(province=agency.province, short_name="", parent=None)
        yield


@pytest.fixture(scope="session")
def site_pages_html(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, str]:
    """The HTML of the site's main pages on the demo data (tests/pages.py), by "who: page".

    Rendered once for the session; the demo data is rolled back as soon as the pages are drawn.
    """
    from tests.pages import render_pages

    with rolled_back_afterwards(django_db_blocker, MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        cache.clear()
        call_command("load_demo", stdout=io.StringIO())
        pages = render_pages()
    cache.clear()
    return pages
