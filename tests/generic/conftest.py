"""The world every generic view test reads, built once for the folder.

`two_provinces()` with roles and a meeting on each side, then for each row of the table
(tests/generic/cases.py) its row inside the Thái Bình department's scope, its row outside it
and its varied rows; a client logged in per role. It is built in a transaction rolled back
after the folder's last test; each test runs in a savepoint of its own, so what a test adds
(filter cases, rows to count queries with) is gone before the next one.
"""

import pytest

from coop.roles import Role
from programmes.models import Province
from tests.conftest import FAST_HASHING, World, give_roles, join_group, logged_in, rolled_back_afterwards, two_provinces
from tests.factories import MeetingFactory, ProvinceFactory, UserFactory
from tests.generic.cases import LIST_CASES, ROLES


def next_province_code() -> int:
    """The next code ProvinceFactory may give: codes are two digits, unique among current provinces."""
    return max((int(code) for code in Province.objects.values_list("code", flat=True)), default=-1) + 1


def build_world() -> World:
    ProvinceFactory.reset_sequence(next_province_code())
    world = give_roles(two_provinces())
    # The administrator as `createsuperuser` makes one: in no agency.
    administrator = UserFactory(username="quantri.generic", agency=None, is_superuser=True, is_staff=True)
    world.administrator_user = join_group(administrator, Role.ADMINISTRATOR)
    world.meeting = MeetingFactory(programme=world.programme, title="Hội nghị sơ kết Thái Bình")
    world.other_meeting = MeetingFactory(programme=world.other_programme, title="Hội nghị sơ kết Nam Định")
    world.rows = {case.list: (case.inside(world), case.outside(world)) for case in LIST_CASES}
    world.varied = {case.list: case.varied(world) for case in LIST_CASES}
    # Logged in with the folder's rows: a session saved inside a test would be rolled back after it.
    world.clients = {role: logged_in(getattr(world, user)) for role, user in ROLES.items()}
    world.province_code = next_province_code()
    return world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world of this folder (see the module's docstring), rolled back after its last test."""
    media = tmp_path_factory.mktemp("media")
    with rolled_back_afterwards(django_db_blocker, MEDIA_ROOT=media):
        built = build_world()
        built.media = media
        yield built


@pytest.fixture(autouse=True)
def isolated_media_and_fast_hashing(world, settings):
    """As tests/conftest.py's, but the media folder is the world's: its issued reports are downloaded."""
    settings.MEDIA_ROOT = world.media
    settings.PASSWORD_HASHERS = FAST_HASHING


@pytest.fixture(autouse=True)
def province_codes_the_world_leaves_free(world):
    """Provinces a test makes take codes the world's provinces do not hold (two digits: a hundred in all)."""
    ProvinceFactory.reset_sequence(world.province_code)
