"""`detail_url` and `page_url` give the address `reverse()` gives, under any script prefix."""

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from coop.links import detail_url, page_url

ROW_PAGES = ("task_detail", "output_detail", "progress_report_detail", "programme_detail", "agency_detail")


@pytest.mark.parametrize("view_name", ROW_PAGES)
@pytest.mark.parametrize("pk", [1, 7, 42, 123_456_789])
def test_the_address_is_the_one_reverse_gives(view_name, pk):
    assert detail_url(view_name, pk) == reverse(view_name, args=[pk])


def test_a_site_served_under_a_sub_path_keeps_it_in_the_address():
    set_script_prefix("/khcn/")
    try:
        assert detail_url("task_detail", 5) == reverse("task_detail", args=[5]) == "/khcn/tasks/5/"
    finally:
        clear_script_prefix()
    assert detail_url("task_detail", 5) == "/tasks/5/"


def test_an_unsaved_row_has_no_address():
    with pytest.raises(NoReverseMatch):
        detail_url("task_detail", None)


@pytest.mark.parametrize("view_name", ["task_list", "output_list", "progress_report_list", "programme_list"])
def test_a_lists_address_is_the_one_reverse_gives(view_name):
    assert page_url(view_name) == reverse(view_name)


def test_a_list_served_under_a_sub_path_keeps_it_in_the_address():
    set_script_prefix("/khcn/")
    try:
        assert page_url("task_list") == reverse("task_list") == "/khcn/tasks/"
    finally:
        clear_script_prefix()
    assert page_url("task_list") == "/tasks/"
