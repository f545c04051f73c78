"""Every list's GET parameters, hostile: the page answers, says what is wrong, and never shows raw markup.

The lists are found in the URL configuration (every view built on `BaseListView`) and their
parameters in each FilterSet's own `base_filters`, so a new list or a new filter is covered
without touching this file. Besides the filters: `sort=`, `page=`, `per_page=`, `_export=`
and parameters nobody knows.
"""

import csv
import io

import django_filters
import openpyxl
import pytest
from django.urls import reverse
from django.urls.converters import IntConverter
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import list_views, url_patterns
from tests.hostile.strategies import (
    contains_raw_markup,
    either,
    hostile_number,
    hostile_text,
    hostile_value,
    unknown_params,
)

pytestmark = [
    pytest.mark.django_db,
    # django-tables2 warns about a "." in an unknown `sort=` value before ignoring it: hostile values hold many.
    pytest.mark.filterwarnings("ignore:Use '__' to separate path components:DeprecationWarning"),
]

# Each list is read by a user who sees everything and by one whose scope is narrowed on the
# queryset: the hostile parameters go through both kinds of query.
ROLES = ("ministry", "province")
# Every list of the URLs (tests/generic checks that the discovery misses none).
LIST_VIEWS = list_views()
# Pages addressed by the id of a row: /tasks/<int:pk>/, /tasks/<int:task_pk>/outputs/add/, …
PAGES_OF_ONE_ROW = sorted(
    pattern.name
    for pattern in url_patterns()
    if pattern.pattern.converters
    and all(isinstance(converter, IntConverter) for converter in pattern.pattern.converters.values())
)


def values_of(a_filter, world) -> st.SearchStrategy[str]:
    """What one filter may receive: a value it offers (a choice, a row of the world) or anything hostile."""
    if isinstance(a_filter, django_filters.ModelMultipleChoiceFilter | django_filters.ModelChoiceFilter):
        ids = [world.programme.pk, world.other_programme.pk, world.task.pk, world.task.lead_agency_id]
        return st.one_of(st.sampled_from([str(pk) for pk in ids]), hostile_number(), hostile_text())
    choices = a_filter.extra.get("choices")
    if choices and not callable(choices):
        return st.one_of(st.sampled_from([str(value) for value, _ in choices]), hostile_value())
    if isinstance(a_filter, django_filters.NumberFilter):
        return st.one_of(st.sampled_from(["2016", "1000000000"]), hostile_number())
    if isinstance(a_filter, django_filters.BooleanFilter):
        return st.one_of(st.sampled_from(["true", "false", "on", "unknown"]), hostile_value())
    return hostile_value()


def list_params(view_class, world) -> st.SearchStrategy[dict]:
    """A query string for the list: some of its filters, sorting, paging, an export, unknown parameters."""
    table = view_class.table_class
    table_columns = [name for name, column in table.base_columns.items() if column.orderable is not False] or ["pk"]
    filters = {
        name: st.lists(values_of(a_filter, world), min_size=1, max_size=3)
        for name, a_filter in view_class.filterset_class.base_filters.items()
    }
    filters.update(
        sort=st.lists(
            st.one_of(st.sampled_from(table_columns + [f"-{name}" for name in table_columns]), hostile_text()),
            min_size=1,
            max_size=2,
        ),
        page=st.lists(either("1", hostile_number()), min_size=1, max_size=2),
        per_page=st.lists(either("50", hostile_number()), min_size=1, max_size=2),
        _export=st.lists(st.sampled_from(["csv", "xlsx", "pdf", "CSV", "", "csv\x00"]), min_size=1, max_size=1),
    )
    chosen = st.fixed_dictionaries({}, optional=filters)
    return st.builds(lambda known, unknown: {**unknown, **known}, chosen, unknown_params())


def check_list_response(response) -> None:
    """A page of the list or an export that opens; a page never holds raw markup."""
    assert response.status_code == 200, response.status_code
    content_type = response["Content-Type"]
    if content_type.startswith("text/csv"):
        body = b"".join(response.streaming_content).decode("utf-8")
        assert list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    elif content_type.startswith("application/vnd.openxmlformats"):
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        assert next(workbook.active.iter_rows(values_only=True))
    else:
        assert content_type.startswith("text/html")
        assert not contains_raw_markup(response.content.decode())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(LIST_VIEWS))
def test_a_list_answers_any_query_string(world, url_name, role):
    @given(params=list_params(LIST_VIEWS[url_name], world))
    def property_(params):
        check_list_response(world.client(role).get(reverse(url_name), params))

    property_()


@given(params=st.fixed_dictionaries({}, optional={"q": st.lists(hostile_text(), min_size=1, max_size=2)}))
def test_the_search_answers_any_query(world, params):
    response = world.client("province").get(reverse("search"), params)
    assert response.status_code == 200
    assert not contains_raw_markup(response.content.decode())


@given(params=unknown_params())
def test_the_dashboard_ignores_any_query_string(world, params):
    response = world.client("ministry").get(reverse("dashboard"), params)
    assert response.status_code == 200


# Numbers past every range, not numbers, NUL, a digit int() reads but the database does not, a day
# that does not exist, and three thousand words (one condition each, if a search took them all).
CLASSIC = (
    "-1",
    str(10**30),
    "99999999999999999999",
    str(2**63),
    "9" * 5000,
    "1e309",
    "NaN",
    "a\x00b",
    "٣",
    "31/02/2020",
    " ".join(f"w{number}" for number in range(3000)),
)


@pytest.mark.parametrize("url_name", sorted(LIST_VIEWS))
@pytest.mark.parametrize("value", CLASSIC)
def test_a_list_answers_the_classic_values_in_every_parameter_at_once(world, url_name, value):
    view_class = LIST_VIEWS[url_name]
    names = [*view_class.filterset_class.base_filters, "sort", "page", "per_page"]
    response = world.client("ministry").get(reverse(url_name), {name: value for name in names})
    check_list_response(response)


@pytest.mark.parametrize("url_name", PAGES_OF_ONE_ROW)
@pytest.mark.parametrize("row_id", [0, 2**31, 2**63, 10**30])
def test_an_address_with_an_id_no_row_can_have_is_not_found(world, url_name, row_id):
    pattern = next(pattern for pattern in url_patterns() if pattern.name == url_name)
    url = reverse(url_name, kwargs=dict.fromkeys(pattern.pattern.converters, row_id))
    # Actions that only take a POST (retrying a report) are asked that way. REST framework's viewsets answer the
    # methods their URL maps to actions (the API's details: GET).
    view_class = getattr(pattern.callback, "view_class", None)
    actions = getattr(pattern.callback, "actions", None)
    answers_get = "get" in actions if actions else hasattr(view_class, "get")
    send = world.client("ministry").get if answers_get else world.client("ministry").post
    assert send(url).status_code == 404
