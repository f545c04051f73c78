"""The helpers every view shares: the breadcrumbs above a page and finding a row in the user's scope."""

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from coop.figures import list_url
from coop.views import breadcrumbs, visible_or_404
from reports.models import GeneratedReport
from tasks.models import Task
from tests.factories import OutputFactory


def test_breadcrumbs_lead_from_the_list_through_rows_to_the_page_title(scope):
    output = OutputFactory(task=scope.task, name="Mô hình lúa TBR225")
    task = output.task
    with translation.override("vi"):
        crumbs = breadcrumbs(Task, (task.get_absolute_url(), task.code), output, "Sửa kết quả")
    assert crumbs == [
        (reverse("task_list"), "Nhiệm vụ KH&CN"),
        (task.get_absolute_url(), task.code),
        (output.get_absolute_url(), str(output)),
        (None, "Sửa kết quả"),
    ]


def test_breadcrumbs_take_the_list_a_model_does_not_name_after_itself(db):
    crumbs = breadcrumbs(GeneratedReport, "Báo cáo", list_url_name="report_list")
    assert crumbs[0][0] == reverse("report_list")
    assert crumbs[-1] == (None, "Báo cáo")


def test_a_row_outside_the_users_scope_is_not_found(scope):
    assert visible_or_404(Task.objects, scope.province_user, pk=scope.task.pk) == scope.task
    with pytest.raises(Http404):
        visible_or_404(Task.objects, scope.province_user, pk=scope.other_task.pk)
    assert visible_or_404(Task.objects, scope.ministry_user, pk=scope.other_task.pk) == scope.other_task


def test_a_figures_link_repeats_list_values_and_leaves_out_none():
    url = list_url("output_list", programme=3, kind=["model", "brand"], task=None)
    assert url == reverse("output_list") + "?programme=3&kind=model&kind=brand"
    assert list_url("task_list") == reverse("task_list")
