"""Fixtures shared by every test folder."""

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin.test", is_staff=True, is_superuser=True, agency=None)


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    assert client.login(username=admin_user.username, password=TEST_PASSWORD)
    return client


@pytest.fixture(autouse=True)
def isolated_media_and_fast_hashing(settings, tmp_path):
    """Uploaded files go to a temporary folder, never the project's media/; passwords hash fast."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
