"""What a request works out once (coop/request_memo.py) is kept for that request only, and forgotten on a write."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coop.request_memo import RequestMemoMiddleware, remembered
from tasks.models import Task
from tests.factories import TaskFactory


def within_a_request(view):
    """Run `view()` as the view of one request, through the middleware."""
    answers = []

    def get_response(request):
        answers.append(view())
        return HttpResponse()

    RequestMemoMiddleware(get_response)(RequestFactory().get("/"))
    return answers[0]


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


def test_outside_a_request_nothing_is_kept():
    compute, calls = counter()
    assert remembered("key", compute) == 1
    assert remembered("key", compute) == 2


def test_within_a_request_a_value_is_worked_out_once_and_dropped_with_the_request():
    compute, calls = counter()
    assert within_a_request(lambda: [remembered("key", compute), remembered("key", compute)]) == [1, 1]
    assert within_a_request(lambda: remembered("key", compute)) == 2


@pytest.mark.django_db
def test_a_row_saved_during_the_request_forgets_what_was_kept():
    compute, calls = counter()

    def view():
        before = remembered("key", compute)
        TaskFactory()
        return before, remembered("key", compute)

    assert within_a_request(view) == (1, 2)


@pytest.mark.django_db
def test_a_provinces_pages_see_the_same_tasks_as_the_subquery_and_read_them_once(scope, client):
    own = TaskFactory(programme=scope.programme, lead_agency=scope.department)
    led_elsewhere = TaskFactory(programme=scope.other_programme, lead_agency=scope.department)
    hidden = TaskFactory(programme=scope.other_programme)
    expected = set(Task.objects.visible_to(scope.province_user).values_list("pk", flat=True))
    assert {own.pk, led_elsewhere.pk} <= expected
    assert hidden.pk not in expected

    client.force_login(scope.province_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("task_list"))
    assert {row.record.pk for row in response.context["table"].page.object_list} == expected
    # The union of the tasks of their programmes and those their agency leads, once, not in every query.
    visible_tasks = [
        sql
        for sql in (query["sql"] for query in queries.captured_queries)
        if "UNION" in sql and '"tasks_task"' in sql and "programmeparty" in sql
    ]
    assert len(visible_tasks) == 1
