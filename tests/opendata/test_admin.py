"""Administrators see the open data downloads in the admin and may delete one, its file with it; nobody adds or
changes one there."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from opendata.models import OpenDataDump

pytestmark = pytest.mark.django_db


@pytest.fixture
def dump(published) -> OpenDataDump:
    call_command("export_open_data", stdout=io.StringIO())
    return OpenDataDump.objects.get()


def test_the_downloads_are_listed_and_read_only(admin_client, dump):
    listing = admin_client.get(reverse("admin:opendata_opendatadump_changelist"))
    assert listing.status_code == 200
    assert dump.sha256 in listing.content.decode()
    assert admin_client.get(reverse("admin:opendata_opendatadump_add")).status_code == 403
    page = admin_client.get(reverse("admin:opendata_opendatadump_change", args=[dump.pk]))
    assert page.status_code == 200
    assert 'name="sha256"' not in page.content.decode()  # shown, not editable


def test_deleting_a_download_deletes_its_file(admin_client, dump):
    path = Path(dump.file.path)
    assert path.exists()
    response = admin_client.post(reverse("admin:opendata_opendatadump_delete", args=[dump.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not OpenDataDump.objects.exists()
    assert not path.exists()
