"""Statements PostgreSQL parses and plans once per database session rather than on every request.

The query of the data's version (`coop.figure_cache.read_versions`) runs on nearly every page: eighteen
`MAX()` subqueries over as many tables. PostgreSQL spent 1.5 of its 2.0 ms parsing and planning it
afresh each time (0.5 ms once prepared, on the national set). Django sends parameters bound on the
client, which psycopg cannot prepare, so the statement is prepared here, in SQL, the first time a
session runs it: `PREPARE` and `EXECUTE` go together, one round trip, so that a page's count of queries
does not depend on whether its connection is new.

A prepared statement lives as long as the session, whatever happens to the transaction that prepared
it; the sessions that have prepared each statement are remembered by their psycopg connection, which
Django replaces when it reconnects. Other databases run the statement as it is.
"""

import hashlib
import weakref

from django.db.backends.utils import CursorWrapper

# Each open psycopg connection, and the names of the statements prepared in its session.
_prepared_in_session: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def execute_planned_once(cursor: CursorWrapper, sql: str) -> None:
    """Run `sql`, a statement without parameters, prepared once per session on PostgreSQL; fetch from `cursor`."""
    database = cursor.db
    if database.vendor != "postgresql":
        cursor.execute(sql)
        return
    name = "coop_" + hashlib.sha256(sql.encode()).hexdigest()[:20]
    prepared = _prepared_in_session.setdefault(database.connection, set())
    if name in prepared:
        cursor.execute(f"EXECUTE {name}")
        return
    cursor.execute(f"PREPARE {name} AS {sql}; EXECUTE {name}")
    cursor.nextset()  # past the result of PREPARE, to the rows of EXECUTE
    prepared.add(name)
