"""The lists read a page by its primary keys first (coop.views.PrimaryKeyFirstPaginator), not by the library's slice.

The paginator reads the ordered queryset behind django-tables2's rows (`BoundRows.data.data`);
should a new version of the library move it, the paginator would quietly fall back to slicing
the rows, with the same answers and the deep pages' old cost. This test says so instead.
"""

import pytest
from django.db.models import Count
from django.urls import reverse

from coop.views import PER_PAGE_CHOICES, ordering_tables, rows_of_keys
from programmes.models import Programme
from tasks.choices import TaskStatus
from tasks.models import Output, Task
from tasks.queries import task_rows
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_a_page_of_a_list_is_read_by_its_primary_keys_first(admin_client):
    for _ in range(PER_PAGE_CHOICES[0] + 5):
        TaskFactory()
    response = admin_client.get(reverse("task_list"), {"page": 2})
    rows = response.context["table"].page.object_list
    assert type(rows.data) is list  # the rows the paginator read itself, in the order of the keys
    assert [row.record.pk for row in rows] == [task.pk for task in task_rows()[PER_PAGE_CHOICES[0] :]]


def test_a_pages_rows_are_read_by_their_keys_alone_unless_a_count_depends_on_the_conditions():
    tasks = [TaskFactory(status=TaskStatus.IN_PROGRESS) for _ in range(3)]
    in_progress = Task.objects.filter(status=TaskStatus.IN_PROGRESS).select_related("programme")
    keys = [task.pk for task in tasks[:2]]

    rows = rows_of_keys(in_progress, keys)
    assert "in_progress" not in str(rows.query)  # found by the keys: the list's conditions are not asked again
    assert sorted(row.pk for row in rows) == sorted(keys)
    assert all("programme" in row._state.fields_cache for row in rows)  # with the list's joins

    counted = in_progress.annotate(funding_rows=Count("fundings"))
    assert "in_progress" in str(rows_of_keys(counted, keys).query)  # the count per row follows the conditions


def test_a_lists_order_is_kept_only_when_every_table_it_reads_keeps_history():
    assert ordering_tables(Task.objects.order_by("-programme__start_year", "code")) == [Programme, Task]
    assert ordering_tables(Output.objects.order_by("task__code", "pk")) == [Output, Task]
    assert ordering_tables(Task.objects.order_by("lead_agency__name")) is None  # agencies keep no history
    assert ordering_tables(Task.objects.annotate(n=Count("fundings")).order_by("n")) is None
