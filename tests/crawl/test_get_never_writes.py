"""GET never writes: every address of the site, read as each role, leaves every table as it was.

The crawl (tests/crawl/addresses.py) requests every URL pattern with the ids of real rows, as nobody,
Ministry staff, the Thái Bình department, another province's department, leadership and the
administrator. Around each request it takes every table's row count and a digest of all its rows
(the site is the demo and a few rows more: a few thousand rows in all), and names the tables a GET changed.
"""

import hashlib
import time

import pytest
from django.db import connection

from tests.crawl.addresses import DRAWN, addresses, missing_arguments
from tests.crawl.conftest import ROLE_LOGINS, keep_session_fresh, signed_in
from tests.helpers import body

pytestmark = pytest.mark.django_db

# Drawn pages (a second or more each) are requested as one who sees everything and as one whose scope is
# narrowed: what drawing writes does not depend on who asks, and nobody else may see more.
DRAWN_FOR = ("ministry", "province")

# The idle-expiry stamp of a session is refreshed every five minutes (coop.middleware.IdleSessionMiddleware):
# stamping it again well before then keeps that refresh out of the crawl.
RESTAMP_AFTER_SECONDS = 60


def plain(value):
    """A column's value as it compares: PostgreSQL's binary columns come back as memoryview objects."""
    return bytes(value) if isinstance(value, memoryview) else value


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of all its rows, whatever their order."""
    fingerprints = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(tuple(plain(value) for value in row)) for row in cursor.fetchall())
            fingerprints[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return fingerprints


def changed_tables(before: dict, after: dict) -> set[str]:
    return {table for table in before.keys() | after.keys() if before.get(table) != after.get(table)}


def test_every_pattern_has_its_addresses():
    assert missing_arguments() == [], "say which rows fill them in ARGUMENTS (tests/crawl/addresses.py)"


@pytest.mark.parametrize("role", ROLE_LOGINS)
def test_no_get_changes_any_table(site, role):
    client = signed_in(site.users[role])
    stamped_at = time.monotonic()
    writes = []
    before = table_fingerprints()
    for address in addresses(site):
        if address.name in DRAWN and role not in DRAWN_FOR:
            continue
        if time.monotonic() - stamped_at > RESTAMP_AFTER_SECONDS:
            keep_session_fresh(client)
            stamped_at = time.monotonic()
            before = table_fingerprints()
        response = client.get(address.url)
        body(response)  # a streamed file is written while it is read, and closed at its end
        after = table_fingerprints()
        changed = changed_tables(before, after)
        if changed:
            writes.append(f"GET {address.url} ({response.status_code}) changed {', '.join(sorted(changed))}")
        before = after
    assert not writes, "\n".join(writes)
