"""The lists read a page by its primary keys first (coop.views.PrimaryKeyFirstPaginator), not by the library's slice.

The paginator reads the ordered queryset behind django-tables2's rows (`BoundRows.data.data`);
should a new version of the library move it, the paginator would quietly fall back to slicing
the rows, with the same answers and the deep pages' old cost. This test says so instead.
"""

import pytest
from django.urls import reverse

from coop.views import PER_PAGE_CHOICES
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
