"""`execute_planned_once`: a statement prepared once per database session on PostgreSQL, run as it is elsewhere."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from coop.figure_cache import read_versions, tables_read_together, versions_query
from coop.prepared import execute_planned_once
from tasks.models import Task
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="statements are prepared on PostgreSQL")
# A test that closes its connection to begin a new session runs outside the test's transaction.
NEW_SESSIONS = pytest.mark.django_db(transaction=True, serialized_rollback=True)
COUNT_TASKS = 'SELECT COUNT(*), MAX("id") FROM "tasks_task"'


def run(sql: str):
    with connection.cursor() as cursor:
        execute_planned_once(cursor, sql)
        return cursor.fetchone()


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_rows_of_the_statement_every_time():
    task = TaskFactory()
    assert run(COUNT_TASKS) == (1, task.pk)
    second = TaskFactory()
    assert run(COUNT_TASKS) == (2, second.pk)


@ON_POSTGRESQL
@NEW_SESSIONS
def test_prepared_with_its_first_run_in_one_round_trip_then_only_executed():
    connection.close()  # a new session, which has prepared nothing
    with CaptureQueriesContext(connection) as first:
        run(COUNT_TASKS)
    with CaptureQueriesContext(connection) as second:
        run(COUNT_TASKS)
    assert [query["sql"].split()[0] for query in first.captured_queries] == ["PREPARE"]
    assert [query["sql"].split()[0] for query in second.captured_queries] == ["EXECUTE"]
    assert sum(COUNT_TASKS in statement for statement in prepared_statements()) == 1


@ON_POSTGRESQL
@NEW_SESSIONS
def test_prepared_again_in_a_new_session():
    run(COUNT_TASKS)
    connection.close()
    TaskFactory()
    assert run(COUNT_TASKS)[0] == 1
    assert sum(COUNT_TASKS in statement for statement in prepared_statements()) == 1


@ON_POSTGRESQL
@NEW_SESSIONS
def test_a_rolled_back_transaction_keeps_the_statement():
    connection.close()
    with pytest.raises(RuntimeError), transaction.atomic():
        run(COUNT_TASKS)
        raise RuntimeError("the transaction that prepared it is rolled back")
    assert run(COUNT_TASKS) == (0, None)


def test_other_databases_run_the_statement_as_it_is():
    if connection.vendor == "postgresql":
        pytest.skip("the plain path is SQLite's")
    with CaptureQueriesContext(connection) as queries:
        run(COUNT_TASKS)
    assert [query["sql"] for query in queries.captured_queries] == [COUNT_TASKS]


def test_the_versions_are_those_of_the_plain_query():
    TaskFactory()
    tables = sorted(tables_read_together(), key=lambda model: model._meta.label)
    with connection.cursor() as cursor:
        cursor.execute(versions_query(tuple(tables)))
        plain = [str(value) for value in cursor.fetchone()]
    versions = read_versions(tables)
    assert versions[Task] == f"{plain[2 * tables.index(Task)]}:{plain[2 * tables.index(Task) + 1]}"
    assert [versions[model] for model in tables] == [f"{plain[2 * i]}:{plain[2 * i + 1]}" for i in range(len(tables))]
