"""Nothing behind the login is kept by a browser's or a proxy's cache: every page, export and file a logged-in
user gets says `Cache-Control: private, no-store`."""

import pytest
from django.urls import reverse

from tests.conftest import logged_in


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    ("url_name", "args", "params"),
    [
        ("dashboard", [], {}),
        ("task_list", [], {}),
        ("task_list", [], {"_export": "csv"}),
        ("task_list", [], {"_export": "xlsx"}),
        ("output_list", [], {"_export": "xlsx"}),
        ("reporting", [], {}),
        ("imports", [], {}),
        ("import_template", ["tasks"], {}),
        ("profile", [], {}),
    ],
)
def test_what_a_logged_in_user_gets_is_private_and_not_stored(roles, url_name, args, params):
    response = logged_in(roles.ministry_user).get(reverse(url_name, args=args), params)
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_a_page_of_a_record_is_private_and_not_stored(roles):
    response = logged_in(roles.province_user).get(reverse("task_detail", args=[roles.task.pk]))
    assert {"private", "no-store"} <= cache_control(response)
