"""`manage.py load_provinces`: the official provinces and their mergers of 1/7/2025, from `vietnamadminunits`.

The expected lists are read here straight from the package's own tables, not through `programmes.divisions`,
so that the test checks the loader against the package rather than repeat it.
"""

import datetime
import io
import socket

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation
from vietnamadminunits.database import query

from programmes.models import Province
from tests.factories import AgencyFactory, ProvinceFactory
from tests.helpers import vietnamese

pytestmark = pytest.mark.django_db

LAST_DAY = datetime.date(2025, 6, 30)
MERGER_DAY = datetime.date(2025, 7, 1)
UNCHANGED_BY_THE_RESOLUTION = {
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
}


def package_provinces(table: str) -> set[tuple[str, str]]:
    """(code, short name) of every province of one of the package's tables."""
    return {
        (row["provinceCode"], row["provinceShort"]) for row in query(f"SELECT provinceCode, provinceShort FROM {table}")
    }


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection to another machine fails the test: the data must ship in the package."""
    real_connect = socket.socket.connect

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"load_provinces tried to reach {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def load_provinces() -> str:
    out = io.StringIO()
    call_command("load_provinces", stdout=out)
    return out.getvalue()


def rows() -> list[tuple]:
    return list(
        Province.objects.order_by("pk").values_list("pk", "code", "name", "valid_from", "valid_to", "successor")
    )


def test_the_provinces_before_and_after_the_merger_are_the_packages(no_network):
    load_provinces()
    before = package_provinces("admin_units_legacy")
    after = package_provinces("admin_units")
    assert (len(before), len(after)) == (63, 34)
    existed_before = Province.objects.exclude(valid_from=MERGER_DAY)
    assert set(existed_before.values_list("code", "name")) == before
    assert existed_before.count() == 63
    current = Province.objects.filter(valid_to=None)
    assert set(current.values_list("code", "name")) == after
    assert current.count() == 34
    # Resolution 202/2025/QH15 left 11 provinces as they were: one row each, valid before and after.
    unchanged = Province.objects.filter(valid_from=None, valid_to=None)
    assert set(unchanged.values_list("name", flat=True)) == UNCHANGED_BY_THE_RESOLUTION
    assert Province.objects.count() == 63 + 34 - 11
    ended = Province.objects.filter(valid_to__isnull=False)
    assert set(ended.values_list("valid_to", flat=True)) == {LAST_DAY}
    assert not ended.filter(successor=None).exists()
    assert not ended.exclude(successor__valid_to=None).exists()


@pytest.mark.parametrize(
    ("code", "name", "successor_code", "successor_name"),
    [
        ("34", "Thái Bình", "33", "Hưng Yên"),
        ("36", "Nam Định", "37", "Ninh Bình"),
        ("33", "Hưng Yên", "33", "Hưng Yên"),
    ],
)
def test_a_merged_province_ends_on_30_6_2025_and_names_the_new_one(code, name, successor_code, successor_name):
    load_provinces()
    province = Province.objects.get(code=code, valid_to=LAST_DAY)
    assert province.name == name
    successor = province.successor
    assert (successor.code, successor.name, successor.valid_from, successor.valid_to) == (
        successor_code,
        successor_name,
        MERGER_DAY,
        None,
    )


def test_a_province_left_as_it_was_is_one_row():
    load_provinces()
    assert list(Province.objects.filter(code="01").values_list("name", "valid_from", "valid_to", "successor")) == [
        ("Hà Nội", None, None, None)
    ]


def test_a_second_run_changes_nothing():
    first = load_provinces()
    before = rows()
    second = load_provinces()
    assert rows() == before
    assert "86" in first and "34" in first
    assert (
        vietnamese(
            "Provinces loaded from vietnamadminunits %(version)s: %(total)s on the list, %(current)s "
            "existing today; %(created)s created, %(updated)s updated.",
            version="1.0.4",
            total=86,
            current=34,
            created=0,
            updated=0,
        )
        in second.strip()
    )


def test_a_changed_province_is_put_back_and_nothing_else_is_written():
    load_provinces()
    Province.objects.filter(code="34").update(name="Thái Bình (sửa)")
    before = rows()
    load_provinces()
    after = rows()
    assert [row for row in after if row not in before] == [row for row in after if row[1] == "34"]
    assert Province.objects.get(code="34").name == "Thái Bình"


def test_a_hand_typed_current_province_becomes_the_official_one_in_place():
    """A database loaded by the former hand-typed demo keeps its rows and what points at them."""
    hung_yen = ProvinceFactory(code="33", name="Hưng Yên")
    department = AgencyFactory(name="Sở KH&CN Hưng Yên", province=hung_yen)
    load_provinces()
    hung_yen.refresh_from_db()
    assert (hung_yen.valid_from, hung_yen.valid_to) == (MERGER_DAY, None)
    department.refresh_from_db()
    assert department.province == hung_yen
    assert Province.objects.get(code="34").successor == hung_yen


def test_two_provinces_with_one_code_cannot_end_on_the_same_day():
    ProvinceFactory(code="34", name="Thái Bình", valid_to=LAST_DAY)
    twin = Province(code="34", name="Thái Bình", valid_to=LAST_DAY)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        twin.full_clean()
    with translation.override("vi"):
        assert refused.value.messages == [vietnamese("Another province with this code ended on the same day.")]
