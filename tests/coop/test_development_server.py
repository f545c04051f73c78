"""`make run HOST=...`: the development server's address decides the links in e-mails and the allowed host names."""

import json
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings

from coop.settings import served_at


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1:8000", ("127.0.0.1", "8000")),
        ("8080", ("127.0.0.1", "8080")),
        ("192.168.1.20:8000", ("192.168.1.20", "8000")),
        ("[::1]:8000", ("[::1]", "8000")),
        ("0.0.0.0:8000", (socket.getfqdn(), "8000")),
        ("0:8000", (socket.getfqdn(), "8000")),
        ("[::]:9000", (socket.getfqdn(), "9000")),
    ],
)
def test_the_address_others_reach_the_server_at(address, expected):
    assert served_at(address) == expected


def settings_for(**env: str) -> dict:
    """SITE_URL and ALLOWED_HOSTS as the development settings read them in a process with this environment."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "ALLOWED_HOSTS", "DEV_SERVER_ADDRESS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="coop.settings")
    code = "import json; from coop import settings as s; print(json.dumps([s.SITE_URL, s.ALLOWED_HOSTS]))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, check=True
    )
    site_url, allowed_hosts = json.loads(result.stdout)
    return {"SITE_URL": site_url, "ALLOWED_HOSTS": allowed_hosts}


def test_by_default_links_point_at_the_default_address():
    assert settings_for()["SITE_URL"] == "http://127.0.0.1:8000"


def test_links_in_emails_and_allowed_hosts_follow_the_address_make_run_was_given():
    served = settings_for(DEV_SERVER_ADDRESS="192.168.1.20:8080")
    assert served["SITE_URL"] == "http://192.168.1.20:8080"
    assert "192.168.1.20" in served["ALLOWED_HOSTS"]
    assert "127.0.0.1" in served["ALLOWED_HOSTS"]


def test_a_server_on_every_interface_is_linked_by_the_machines_name():
    served = settings_for(DEV_SERVER_ADDRESS="0.0.0.0:8000")
    assert served["SITE_URL"] == f"http://{socket.getfqdn()}:8000"
    assert socket.getfqdn() in served["ALLOWED_HOSTS"]


def test_what_the_environment_says_wins():
    served = settings_for(
        DEV_SERVER_ADDRESS="0.0.0.0:8000", SITE_URL="https://coop.example.gov.vn", ALLOWED_HOSTS="a,b"
    )
    assert served == {"SITE_URL": "https://coop.example.gov.vn", "ALLOWED_HOSTS": ["a", "b"]}
