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
