"""Each user chooses the columns of each list (`User.table_columns`), through the form above its table.

The choice is checked against the list's table, kept for that user and that list only, shown in the
table's sequence with the columns always shown, and never changes what an export writes.
"""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from coop.models import User
from programmes.tables import MeetingTable
from reports.tables import GeneratedReportTable
from tasks.tables import OutputTable, TaskTable
from tests.conftest import logged_in
from tests.helpers import csv_rows, in_language, list_views, shows

pytestmark = pytest.mark.django_db

TASK_COLUMNS = reverse("table_columns", args=["task_list"])
OUTPUT_COLUMNS = reverse("table_columns", args=["output_list"])
CHECKBOX = re.compile(r'<input class="form-check-input" type="checkbox" name="columns" value="(\w+)" ([^>]*)>')


def shown_columns(client, list_name="task_list", **params) -> list[str]:
    response = client.get(reverse(list_name), params)
    assert response.status_code == 200
    return [column.name for column in response.context["table"].columns]


def stored(user) -> dict:
    user.refresh_from_db()
    return user.table_columns


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def ministry_client(roles):
    return logged_in(roles.ministry_user)


# Saving a choice


def test_the_list_shows_exactly_the_columns_chosen_in_the_tables_sequence(roles, ministry_client):
    response = ministry_client.post(TASK_COLUMNS, {"columns": ["end_on", "lead_agency", "title", "code"]})
    assert response.status_code == 302
    assert stored(roles.ministry_user) == {"task_list": ["code", "title", "lead_agency", "end_on"]}
    assert shown_columns(ministry_client) == ["code", "title", "lead_agency", "end_on"]
    html = ministry_client.get(reverse("task_list")).content.decode()
    headers = re.findall(r'<th [^>]*scope="col">\s*(?:<a [^>]*>)?([^<]+?)\s*<', html)
    chosen = ("code", "title", "lead_agency", "end_on")
    assert headers == [str(TaskTable.base_columns[name].verbose_name) for name in chosen]


def test_the_first_column_stays_whatever_is_sent(roles, ministry_client):
    ministry_client.post(TASK_COLUMNS, {"columns": ["percent_complete"]})
    assert stored(roles.ministry_user)["task_list"] == ["code", "percent_complete"]
    assert shown_columns(ministry_client) == ["code", "percent_complete"]


def test_a_table_may_name_more_columns_that_always_stay(roles, ministry_client):
    """A meeting is named by its day and reached by its title; a saved report by its number and its file."""
    assert MeetingTable.always_shown() == ("held_on", "title")
    assert GeneratedReportTable.always_shown() == ("number", "download")
    ministry_client.post(reverse("table_columns", args=["meeting_list"]), {"columns": ["place"]})
    assert stored(roles.ministry_user)["meeting_list"] == ["held_on", "title", "place"]


def test_the_user_goes_back_to_the_list_as_they_left_it(ministry_client):
    back = reverse("task_list") + "?status=approved&sort=-code&per_page=50"
    response = ministry_client.post(TASK_COLUMNS, {"columns": ["code", "title"], "next": back})
    assert response["Location"] == back
    assert messages_of(response) == [in_language("vi", "The list shows the columns you chose.")]


@pytest.mark.parametrize(
    "next_url",
    ["https://elsewhere.example/tasks/", "//elsewhere.example/tasks/", "/outputs/", "javascript:alert(1)", ""],
)
def test_the_way_back_leads_to_the_list_and_nowhere_else(ministry_client, next_url):
    response = ministry_client.post(TASK_COLUMNS, {"columns": ["code"], "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("task_list")


def test_the_page_and_its_filters_stay_while_exports_write_every_column(roles, ministry_client):
    ministry_client.post(TASK_COLUMNS, {"columns": ["code", "title"]})
    exported = csv_rows(ministry_client.get(reverse("task_list"), {"_export": "csv"}))
    every = [str(column.header) for column in TaskTable([]).columns.iterall() if not column.column.exclude_from_export]
    assert exported[0] == every
    assert any(roles.task.code in row for row in exported[1:])


# What is refused


def test_a_column_the_list_does_not_have_is_refused_with_its_name(roles, ministry_client):
    ministry_client.post(TASK_COLUMNS, {"columns": ["code", "title"]}, follow=True)  # its message read on the list
    response = ministry_client.post(TASK_COLUMNS, {"columns": ["code", "password"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("task_list")
    assert messages_of(response) == [in_language("vi", "This list has no column “%(value)s”.", value="password")]
    assert stored(roles.ministry_user) == {"task_list": ["code", "title"]}  # the previous choice stays


def test_choosing_no_column_is_refused(roles, ministry_client):
    response = ministry_client.post(TASK_COLUMNS, {"next": reverse("task_list")})
    assert response.status_code == 302
    assert messages_of(response) == [in_language("vi", "Choose at least one column to show.")]
    assert stored(roles.ministry_user) == {}
    assert shown_columns(ministry_client) == list(TaskTable.Meta.default_columns)


def test_the_message_of_a_refusal_shows_on_the_list(ministry_client):
    response = ministry_client.post(TASK_COLUMNS, {"columns": ["nonsense"]}, follow=True)
    assert response.redirect_chain == [(reverse("task_list"), 302)]
    message = in_language("vi", "This list has no column “%(value)s”.", value="nonsense")
    assert shows(response, message)


@pytest.mark.parametrize("list_name", ["no_such_list", "dashboard", "task_detail", "notification_list", "login"])
def test_a_name_that_is_not_a_list_is_not_found(roles, ministry_client, list_name):
    response = ministry_client.post(reverse("table_columns", args=[list_name]), {"columns": ["code"]})
    assert response.status_code == 404
    assert stored(roles.ministry_user) == {}


def test_columns_are_chosen_by_a_post_only(ministry_client):
    assert ministry_client.get(TASK_COLUMNS, {"columns": ["code"]}).status_code == 405


def test_an_anonymous_visitor_is_sent_to_log_in_and_nothing_is_kept(roles):
    response = Client().post(TASK_COLUMNS, {"columns": ["code", "title"]})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not User.objects.exclude(table_columns={}).exists()


def test_a_post_without_the_forms_csrf_token_is_refused(roles):
    client = logged_in(roles.ministry_user)
    client.handler.enforce_csrf_checks = True
    assert client.post(TASK_COLUMNS, {"columns": ["code", "title"]}).status_code == 403
    assert stored(roles.ministry_user) == {}
    # The form on the list page carries its token.
    html = client.get(reverse("task_list")).content.decode()
    chooser = html[html.index('id="column-chooser"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', chooser).group(1)
    response = client.post(TASK_COLUMNS, {"columns": ["code", "title"], "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert stored(roles.ministry_user) == {"task_list": ["code", "title"]}


# Whose choice, which list


def test_a_users_choice_never_changes_another_users_list(roles, ministry_client):
    ministry_client.post(TASK_COLUMNS, {"columns": ["code", "title"]})
    province_client = logged_in(roles.province_user)
    assert shown_columns(province_client) == list(TaskTable.Meta.default_columns)
    assert stored(roles.province_user) == {}
    province_client.post(TASK_COLUMNS, {"columns": ["code", "places"]})
    assert shown_columns(ministry_client) == ["code", "title"]
    assert shown_columns(province_client) == ["code", "places"]


def test_each_list_keeps_its_own_choice(roles, ministry_client):
    ministry_client.post(TASK_COLUMNS, {"columns": ["code", "title"]})
    ministry_client.post(OUTPUT_COLUMNS, {"columns": ["name", "unit"]})
    assert stored(roles.ministry_user) == {"task_list": ["code", "title"], "output_list": ["name", "unit"]}
    assert shown_columns(ministry_client) == ["code", "title"]
    assert shown_columns(ministry_client, "output_list") == ["name", "unit"]
    assert shown_columns(ministry_client, "meeting_list") == list(MeetingTable.Meta.default_columns)


def test_the_default_button_brings_back_the_default_columns_of_that_list_only(roles, ministry_client):
    ministry_client.post(TASK_COLUMNS, {"columns": ["code", "title"]})
    ministry_client.post(OUTPUT_COLUMNS, {"columns": ["name", "unit"]})
    back = reverse("task_list") + "?sort=title"
    response = ministry_client.post(TASK_COLUMNS, {"columns": ["code"], "reset": "1", "next": back})
    assert response["Location"] == back
    assert stored(roles.ministry_user) == {"output_list": ["name", "unit"]}
    assert shown_columns(ministry_client) == list(TaskTable.Meta.default_columns)
    assert shown_columns(ministry_client, "output_list") == ["name", "unit"]


@pytest.mark.parametrize(
    "kept",
    [
        {"task_list": ["renamed_long_ago"]},
        {"task_list": "code,title"},
        {"task_list": [["code"], {"title": 1}, 7]},
        {"task_list": []},
        ["task_list"],
    ],
    ids=["gone", "text", "odd values", "empty", "not a mapping"],
)
def test_a_choice_naming_no_column_the_list_still_has_shows_the_defaults(roles, ministry_client, kept):
    User.objects.filter(pk=roles.ministry_user.pk).update(table_columns=kept)
    assert shown_columns(ministry_client) == list(TaskTable.Meta.default_columns)


def test_a_choice_keeps_the_columns_the_list_still_has(roles, ministry_client):
    User.objects.filter(pk=roles.ministry_user.pk).update(table_columns={"task_list": ["title", "renamed", "end_on"]})
    assert shown_columns(ministry_client) == ["code", "title", "end_on"]


# The form


def test_the_form_lists_every_column_in_the_tables_sequence_with_those_shown_ticked(roles, ministry_client):
    ministry_client.post(OUTPUT_COLUMNS, {"columns": ["name", "unit", "task"]})
    html = ministry_client.get(reverse("output_list")).content.decode()
    boxes = CHECKBOX.findall(html)
    assert [name for name, _attributes in boxes] == OutputTable.column_names()
    ticked = [name for name, attributes in boxes if "checked" in attributes]
    assert ticked == ["name", "task", "unit"]
    assert [name for name, attributes in boxes if "disabled" in attributes] == ["name"]
    # The column always shown is sent although its box cannot be unticked.
    assert '<input type="hidden" name="columns" value="name">' in html
    for name, _attributes in boxes:
        assert f'id="column-choice-{name}"' in html
        assert f'<label class="form-check-label small" for="column-choice-{name}">' in html
    chooser = html[html.index('id="column-chooser"') : html.index("</details>")]
    assert "<fieldset" in chooser and "<legend" in chooser
    assert f'action="{OUTPUT_COLUMNS}"' in chooser
    assert 'name="reset"' in chooser


@pytest.mark.parametrize("list_name", sorted(list_views()))
def test_every_list_offers_its_columns(admin_client, list_name):
    html = admin_client.get(reverse(list_name)).content.decode()
    table_class = list_views()[list_name].table_class
    assert [name for name, _attributes in CHECKBOX.findall(html)] == table_class.column_names()
    assert f'action="{reverse("table_columns", args=[list_name])}"' in html
