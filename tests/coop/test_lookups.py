"""`IsAnyOf`: a condition on a list of values as one array (PostgreSQL) or an `IN (…)` (SQLite)."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from coop.lookups import IsAnyOf
from tasks.models import Task
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_the_rows_of_the_ids_given_and_no_others():
    first, second, _third = TaskFactory(), TaskFactory(), TaskFactory()
    chosen = Task.objects.filter(IsAnyOf(F("pk"), [second.pk, first.pk, 10**15]))
    assert set(chosen) == {first, second}
    assert not Task.objects.filter(IsAnyOf(F("pk"), [])).exists()


def test_whole_numbers_go_as_the_text_of_one_array_on_postgresql():
    task = TaskFactory()
    with CaptureQueriesContext(connection) as queries:
        assert list(Task.objects.filter(IsAnyOf(F("programme_id"), [task.programme_id, 7]))) == [task]
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert f"= ANY('{{{task.programme_id},7}}'::bigint[])" in sql
    else:
        assert " IN (" in sql


def test_other_values_go_as_they_are():
    task = TaskFactory(code="NV-'Thái Bình'")
    assert list(Task.objects.filter(IsAnyOf(F("code"), ["NV-'Thái Bình'", "{1,2}"]))) == [task]
