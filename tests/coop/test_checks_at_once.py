"""`coop.models.ChecksAtOnceModel`: a record's check constraints are asked in one query, and when one fails the
errors are Django's own, word for word."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CheckConstraint
from django.test.utils import CaptureQueriesContext

from coop.models import ChecksAtOnceModel
from tasks.models import Task
from tests.factories import TaskFactory


def django_errors(task, exclude=None) -> dict:
    """What Django's own `validate_constraints` says of `task` (the loop the mixin replaces)."""
    try:
        super(ChecksAtOnceModel, task).validate_constraints(exclude=exclude)
    except ValidationError as error:
        return error.message_dict
    return {}


def selects(queries) -> list[str]:
    """The queries themselves, without the savepoints around each within a transaction."""
    return [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]


def our_errors(task, exclude=None) -> dict:
    try:
        task.validate_constraints(exclude=exclude)
    except ValidationError as error:
        return error.message_dict
    return {}


def test_a_valid_task_is_checked_in_one_query_besides_its_uniqueness(db):
    task = TaskFactory.build(programme=TaskFactory().programme, lead_agency=TaskFactory().lead_agency)
    checks = [constraint for constraint in Task._meta.constraints if isinstance(constraint, CheckConstraint)]
    assert len(checks) > 3
    with CaptureQueriesContext(connection) as ours:
        task.validate_constraints()
    with CaptureQueriesContext(connection) as djangos:
        django_errors(task)
    # One for every check constraint together, one for the unique (programme, code); Django asks one a constraint.
    assert len(selects(ours)) == 2
    assert len(selects(djangos)) == len(checks) + 1


@pytest.mark.parametrize(
    "broken",
    [
        {"end_on": datetime.date(2000, 1, 1)},
        {"percent_complete": 120},
        {"status": "accepted", "accepted_on": None},
        {"end_on": datetime.date(2000, 1, 1), "percent_complete": 120},
    ],
)
def test_a_broken_rule_gives_djangos_own_errors(db, broken):
    task = TaskFactory.build(programme=TaskFactory().programme, lead_agency=TaskFactory().lead_agency, **broken)
    assert our_errors(task) == django_errors(task) != {}


def test_a_rule_on_an_excluded_field_is_skipped_as_django_skips_it(db):
    task = TaskFactory.build(
        programme=TaskFactory().programme, lead_agency=TaskFactory().lead_agency, end_on=datetime.date(2000, 1, 1)
    )
    assert our_errors(task, exclude={"end_on"}) == django_errors(task, exclude={"end_on"}) == {}
