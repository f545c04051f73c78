"""Fixtures of the reports' tests."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> Path:
    """A demo root and agency certificate (`manage.py create_demo_certificate`) in a folder of the session."""
    directory = tmp_path_factory.mktemp("signing")
    call_command("create_demo_certificate", directory=directory, stdout=io.StringIO())
    return directory
