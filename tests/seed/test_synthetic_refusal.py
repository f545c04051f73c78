"""`generate_synthetic` on a database that holds other programmes: refused unless forced.

Apart from `test_synthetic.py`, whose module-wide synthetic set would be refused first.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from programmes.choices import AgencyKind
from programmes.models import Agency, Programme, Province
from tests.factories import AgencyFactory, ProgrammeFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_a_database_with_other_programmes_unless_forced():
    ProgrammeFactory(code="PH-REAL-1")
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_synthetic", "--scale", "small", stdout=io.StringIO())
    assert Programme.objects.count() == 1
    call_command("generate_synthetic", "--scale", "small", "--force", stdout=io.StringIO())
    assert Programme.objects.count() == 21
    assert Programme.objects.filter(code="PH-REAL-1").exists()


def test_it_reuses_provinces_and_agencies_that_exist():
    """The demo's Ministry and provinces are not repeated, so that loaders finding them by name still can."""
    thai_binh = ProvinceFactory(code="34", name="Thái Bình")
    other = ProvinceFactory(code="01", name="Thủ đô")
    ministry = AgencyFactory(name="Bộ Khoa học và Công nghệ", kind=AgencyKind.MINISTRY, province=None)
    call_command("generate_synthetic", "--scale", "small", "--force", stdout=io.StringIO())
    assert Agency.objects.get(name="Bộ Khoa học và Công nghệ") == ministry
    assert Province.objects.get(name="Thái Bình") == thai_binh
    assert thai_binh.agencies.exists()
    assert other.agencies.exists()  # the province coded 01 under another name
    assert Province.objects.count() == 63
