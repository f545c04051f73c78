"""The name under a figure says one or many as English does ("1 S&T task", "53 Demonstration models"); Vietnamese
has one form. The dashboard's cards and a programme's figures name what they count so."""

import pytest
from django.urls import reverse
from django.utils import translation

from programmes.choices import COUNTED_LABELS, OutputKind, TargetMetric, counted_label
from tests.conftest import logged_in
from tests.factories import OutputFactory
from tests.helpers import shows

pytestmark = pytest.mark.django_db


def test_every_output_kind_and_the_tasks_have_a_name_for_one_and_for_many():
    assert set(COUNTED_LABELS) == {TargetMetric.TASKS, *OutputKind}


@pytest.mark.parametrize(
    ("key", "count", "english", "vietnamese"),
    [
        (TargetMetric.TASKS, 1, "S&T task", "Nhiệm vụ KH&CN"),
        (TargetMetric.TASKS, 35, "S&T tasks", "Nhiệm vụ KH&CN"),
        (OutputKind.MODEL, 1, "Demonstration model", "Mô hình trình diễn"),
        (OutputKind.MODEL, 53, "Demonstration models", "Mô hình trình diễn"),
        (OutputKind.VARIETY, 0, "Crop or livestock varieties", "Giống cây trồng, vật nuôi"),
    ],
)
def test_a_figures_name_follows_its_number_in_the_language_of_the_page(key, count, english, vietnamese):
    label = counted_label(key, count)
    with translation.override("en"):
        assert str(label) == english
    with translation.override("vi"):
        assert str(label) == vietnamese


def test_the_dashboard_and_the_programme_name_their_figures_for_their_numbers_in_english(roles):
    OutputFactory(task=roles.task, kind=OutputKind.MODEL, quantity=53)
    OutputFactory(task=roles.task, kind=OutputKind.VARIETY, quantity=1)
    client = logged_in(roles.ministry_user, language="en")
    dashboard = client.get(reverse("dashboard"))
    figures = dashboard.context["dashboard"]
    names = {figure.key: str(figure.label) for figure in [figures.task_total, *figures.headline_outputs]}
    assert names[TargetMetric.TASKS] == "S&T tasks"  # the two tasks of the world
    assert names[OutputKind.MODEL] == "Demonstration models"
    assert names[OutputKind.VARIETY] == "Crop or livestock variety"
    assert shows(dashboard, "Demonstration models")
    programme = client.get(reverse("programme_detail", args=[roles.programme.pk]))
    assert str(programme.context["figures"].tasks.label) == "S&T task"  # its one task
    assert shows(programme, "Demonstration models")
