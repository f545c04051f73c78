"""What every page of one row does, checked on each row of the table in tests/generic/cases.py that names one.

An anonymous visitor is sent to log in; each role opens the row of its scope and gets a 404 for
the other, as if it did not exist; the page is titled with what names the row.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.generic.cases import LIST_CASES, ROLES
from tests.helpers import page_title

pytestmark = pytest.mark.django_db

CASES = [case for case in LIST_CASES if case.detail]
SIDES = ("inside", "outside")


def url_of(case, world, side: str) -> str:
    inside, outside = world.rows[case.list]
    return reverse(case.detail, args=[(inside if side == "inside" else outside).pk])


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_anonymous_visitor_is_sent_to_log_in(world, case):
    url = url_of(case, world, "inside")
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=" + url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_role_opens_the_rows_of_its_scope_and_gets_404_for_the_others(world, case, role):
    client = world.clients[role]
    for side in SIDES:
        response = client.get(url_of(case, world, side))
        assert response.status_code == (200 if case.opens(role, side) else 404), side


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_page_is_titled_with_what_names_its_row(world, case):
    inside, _outside = world.rows[case.list]
    response = world.clients["province"].get(url_of(case, world, "inside"))
    assert response.status_code == 200
    if response.streaming:  # a file rather than a page: an issued report
        assert response["Content-Disposition"].startswith("attachment")
    else:
        assert escape(case.label(inside)) in page_title(response)
