"""What every list page does, checked on each row of the table in tests/generic/cases.py.

Read as a matrix, list × check: an anonymous visitor is sent to log in; each role sees exactly
the rows of its scope on the page and in the CSV and XLSX exports, under the table's headers;
every sortable column sorts both ways within the scope and in the order of its values; every
filter keeps and drops what it must, and a wrong value is named without filtering anything
else; the page size is one of those offered; odd parameters never break the page; the page
and its exports run as many queries for three times the rows, and sorting adds none.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst
from django_filters import (
    BooleanFilter,
    CharFilter,
    ChoiceFilter,
    DateFilter,
    ModelMultipleChoiceFilter,
    MultipleChoiceFilter,
    NumberFilter,
)
from django_tables2 import A

from tests.generic.cases import LIST_CASES, ROLES
from tests.helpers import count_queries, csv_rows, export_rows, list_views, listed, listed_pks, page_title

pytestmark = pytest.mark.django_db

LIST_VIEWS = list_views()
EXPORT_FORMATS = ("csv", "xlsx")
# Every list shows this many rows when asked: the world's rows fit on one page.
ONE_PAGE = 100
# Rows added to count queries: first N, then 2N more.
N = 2
# A list may run one query more than the 15 of issue 7: an unfiltered list reads the data's version to use its
# kept count (coop.views.PrimaryKeyFirstPaginator), a provincial user's the ids of the tasks they may see
# (tasks.models.visible_task_ids); either saves more time in the queries after it than it costs.
QUERY_CEILING = 16
# The first page after a change computes again what it keeps (coop.figure_cache.kept_for_scope: a province's
# count, its rows' order, its totals, the choices of two filters), besides
# reading the data's version; every later page reads the version alone.
FIRST_PAGE_QUERY_CEILING = 20


def sortable(case) -> list[str]:
    table = LIST_VIEWS[case.list].table_class
    return [name for name, column in table.base_columns.items() if column.orderable is not False]


def filter_names(case) -> list[str]:
    return list(LIST_VIEWS[case.list].filterset_class.base_filters)


def invalid_value(a_filter) -> str | None:
    """A value the filter refuses with a message, or None when every value means something (a checkbox)."""
    if isinstance(a_filter, ModelMultipleChoiceFilter):
        return str(2**31 - 1)  # a key some row could have, which none has
    if isinstance(a_filter, ChoiceFilter | MultipleChoiceFilter):
        return "khong-co-lua-chon-nay"
    if isinstance(a_filter, NumberFilter):
        return "nhiều"
    if isinstance(a_filter, DateFilter):
        return "31/02/2021"
    if isinstance(a_filter, CharFilter) and a_filter.extra.get("max_length"):
        return "x" * (a_filter.extra["max_length"] + 1)
    assert isinstance(a_filter, BooleanFilter | CharFilter), a_filter
    return None


CASES = [case for case in LIST_CASES if case.list in LIST_VIEWS]
SORTS = [(case, column) for case in CASES for column in sortable(case)]
FILTERS = [(case, name) for case in CASES for name in case.filters]
WRONG_VALUES = [
    (case, name, value)
    for case in CASES
    for name, a_filter in LIST_VIEWS[case.list].filterset_class.base_filters.items()
    if (value := invalid_value(a_filter)) is not None
]


def ids(cases) -> list[str]:
    return [":".join(str(part) for part in case) for case in cases]


def page(client, case, **params):
    """The list as one page of at most ONE_PAGE rows, holding every row that matches."""
    response = client.get(reverse(case.list), {"per_page": ONE_PAGE, **params})
    assert response.status_code == 200
    assert response.context["table"].paginator.count <= ONE_PAGE, "the world outgrew one page"
    return response


def shown(response) -> set[int]:
    return set(listed_pks(response))


def export_headers(table) -> list[str]:
    """The headers of the table's columns, hidden ones included, as an export writes them."""
    return [str(column.header) for column in table.columns.iterall() if not column.column.exclude_from_export]


# The table holds every list of the application


def test_every_list_page_is_in_the_table():
    assert sorted(LIST_VIEWS) == sorted(case.list for case in LIST_CASES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_filter_of_the_list_has_a_case(world, case):
    named = {name for build in case.filters.values() for name in build()[0]}
    assert set(filter_names(case)) <= named


# Who sees what


@pytest.mark.parametrize("export", [None, *EXPORT_FORMATS])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_anonymous_visitor_is_sent_to_log_in(world, case, export):
    url = reverse(case.list)
    response = Client().get(url, {"_export": export} if export else {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=" + url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_role_lists_exactly_the_rows_of_its_scope(world, case, role):
    response = page(world.clients[role], case)
    expected = case.expected(world, role)
    assert shown(response) == expected
    assert response.context["table"].paginator.count == len(expected)
    totals = response.context.get("totals")
    if totals:  # the figures under the table count the same rows
        assert totals["count"] == len(expected)


@pytest.mark.parametrize("export_format", EXPORT_FORMATS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_role_exports_exactly_the_rows_of_its_scope_under_the_tables_headers(world, case, role, export_format):
    client = world.clients[role]
    table = page(client, case).context["table"]
    rows = export_rows(client.get(reverse(case.list), {"_export": export_format}), export_format)
    assert [str(cell) for cell in rows[0]] == export_headers(table)
    expected = case.expected(world, role)
    assert len(rows) - 1 == len(expected)
    cells = {str(cell) for row in rows[1:] for cell in row}
    for row in world.rows[case.list]:
        assert (case.label(row) in cells) == (row.pk in expected), case.label(row)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_page_is_titled_with_the_name_of_its_rows(world, case):
    response = page(world.clients["ministry"], case)
    with translation.override("vi"):
        name = str(capfirst(response.context["opts"].verbose_name_plural))
    assert page_title(response).startswith(escape(name) + " ·")


# Sorting


@pytest.mark.parametrize(("case", "column"), SORTS, ids=ids(SORTS))
def test_sorting_by_each_column_keeps_the_rows_of_the_scope(world, case, column):
    client = world.clients["province"]
    for sort in (column, f"-{column}"):
        response = page(client, case, sort=sort)
        assert shown(response) == case.expected(world, "province"), sort


def sort_key(case, table, column: str):
    """The values a column sorts by, read from a row as the page lists it."""
    if column in case.sort_keys:
        return case.sort_keys[column]
    accessors = [str(accessor).lstrip("-") for accessor in table.columns[column].order_by]
    accessors = [accessor for accessor in accessors if accessor != "pk"]
    return lambda record: tuple(A(accessor).resolve(record, quiet=True) for accessor in accessors)


@pytest.mark.parametrize(("case", "column"), SORTS, ids=ids(SORTS))
def test_sorting_by_each_column_orders_the_rows_by_its_values_both_ways(world, case, column):
    client = world.clients["ministry"]
    ascending = page(client, case, sort=column)
    descending = page(client, case, sort=f"-{column}")
    table = ascending.context["table"]
    assert table.columns[column].orderable
    # The rows made to differ in every column come in the order of their values; empty values
    # sort first or last depending on the database, and are left out.
    varied = {row.pk for row in world.varied[case.list]}
    key = sort_key(case, table, column)
    keys = [key(record) for record in listed(ascending) if record.pk in varied]
    known = [value for value in keys if None not in value]
    assert len(set(known)) >= 2, f"the varied rows of {case} must differ in {column}"
    assert known == sorted(known)
    # Ties are broken by the primary key in the direction of the sort: descending is the exact reverse.
    records = listed(ascending)
    ties = [(one.pk, other.pk) for one, other in zip(records, records[1:], strict=False) if key(one) == key(other)]
    assert all(one < other for one, other in ties)
    assert listed_pks(descending) == listed_pks(ascending)[::-1]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_column_sorts_but_long_texts_and_links(world, case):
    table = page(world.clients["ministry"], case).context["table"]
    assert {column.name for column in table.columns.iterall() if not column.orderable} == case.unsortable


# Filters


@pytest.mark.parametrize(("case", "name"), FILTERS, ids=ids(FILTERS))
def test_each_filter_keeps_and_drops_what_it_must_on_the_page_and_in_the_export(world, case, name):
    client = world.clients["ministry"]
    params, kept, dropped = case.filters[name]()
    assert {row.pk for row in kept + dropped} <= shown(page(client, case))
    response = page(client, case, **params)
    assert not response.context["filter"].form.errors
    rows = shown(response)
    assert {row.pk for row in kept} <= rows
    assert not {row.pk for row in dropped} & rows
    totals = response.context.get("totals")
    if totals:  # the figures under the table count the filtered rows
        assert totals["count"] == len(rows)
    # The export holds the same rows.
    exported = csv_rows(client.get(reverse(case.list), {**params, "_export": "csv"}))
    assert len(exported) - 1 == len(rows)
    cells = {cell for row in exported[1:] for cell in row}
    assert all(case.label(row) in cells for row in kept)
    assert not any(case.label(row) in cells for row in dropped)


@pytest.mark.parametrize(("case", "name", "value"), WRONG_VALUES, ids=ids(WRONG_VALUES))
def test_a_wrong_filter_value_is_named_on_the_form_and_filters_nothing(world, case, name, value):
    client = world.clients["ministry"]
    everything = shown(page(client, case))
    response = page(client, case, **{name: value})
    errors = response.context["filter"].form.errors
    assert list(errors) == [name]
    html = response.content.decode()
    assert all(escape(message) in html for message in errors[name])
    assert shown(response) == everything


# Paging and odd parameters


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_page_size_is_one_of_those_offered(world, case):
    client = world.clients["ministry"]
    for asked, size in [("50", 50), ("100", 100), ("7", 25), ("100000", 25), ("-1", 25), ("abc", 25)]:
        response = client.get(reverse(case.list), {"per_page": asked})
        assert response.status_code == 200
        assert response.context["table"].paginator.per_page == size, asked


@pytest.mark.parametrize("case", CASES, ids=str)
def test_odd_parameters_never_break_the_list(world, case):
    client = world.clients["province"]
    for query in ("page=999", "page=abc", "sort=nonexistent", "sort=-", "_export=pdf", "unknown=1"):
        response = client.get(f"{reverse(case.list)}?{query}")
        assert response.status_code == 200, query
        assert response["Content-Type"].startswith("text/html"), query


# Queries


def queries(client, case) -> dict[str, int]:
    """The queries of the page (no figure kept, then figures kept) and of each export."""
    url = reverse(case.list)
    cache.clear()
    counts = {"page": count_queries(client, url, {"per_page": ONE_PAGE})}
    counts["page, figures kept"] = count_queries(client, url, {"per_page": ONE_PAGE})
    for export_format in EXPORT_FORMATS:
        counts[export_format] = count_queries(client, url, {"_export": export_format})
    return counts


@pytest.mark.parametrize("role", ["ministry", "province"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_queries_do_not_grow_with_the_rows_nor_with_sorting(world, case, role):
    client = world.clients[role]
    url = reverse(case.list)
    client.get(url)  # the session's idle stamp, when due, is written now rather than counted
    case.more(world, N)
    few = queries(client, case)
    case.more(world, 2 * N)
    many = queries(client, case)
    assert few == many
    assert many["page"] <= FIRST_PAGE_QUERY_CEILING, many
    assert max(count for name, count in many.items() if name != "page") <= QUERY_CEILING, many
    # A sort costs at most the query reading its rows' order, which is kept when every table it goes through
    # keeps history (coop.views.every_key_in_order); the page's other figures stay kept.
    sorted_pages = {
        column: count_queries(client, url, {"per_page": ONE_PAGE, "sort": column}) for column in sortable(case)
    }
    assert max(sorted_pages.values()) <= many["page, figures kept"] + 1, sorted_pages


# The queries a list adds when every column is shown: the task list reads its tasks' places for their column only.
QUERIES_OF_EVERY_COLUMN = {"task_list": 1}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_column_chosen_costs_no_query_per_row(world, case):
    """Every column of a list reads what its rows carry: showing all of them (the column chooser,
    `User.table_columns`) adds no query per row, however many rows there are."""
    client, user = world.clients["ministry"], world.ministry_user
    url = reverse(case.list)
    every = LIST_VIEWS[case.list].table_class.column_names()
    client.get(url)  # the session's idle stamp, when due, is written now rather than counted
    case.more(world, N)
    count_queries(client, url, {"per_page": ONE_PAGE})  # figures kept from now on
    default = count_queries(client, url, {"per_page": ONE_PAGE})
    type(user).objects.filter(pk=user.pk).update(table_columns={case.list: every})
    few = count_queries(client, url, {"per_page": ONE_PAGE})
    case.more(world, 2 * N)
    response = client.get(url, {"per_page": ONE_PAGE})
    assert [column.name for column in response.context["table"].columns] == every
    assert (
        few == count_queries(client, url, {"per_page": ONE_PAGE}) == default + QUERIES_OF_EVERY_COLUMN.get(case.list, 0)
    )


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_column_chosen_alone_costs_no_query_per_row(world, case):
    """A list that reads a related row only for the columns shown (`tasks.queries.task_rows`) reads it for each
    of them, shown alone beside those always shown."""
    client, user = world.clients["ministry"], world.ministry_user
    url = reverse(case.list)
    table_class = LIST_VIEWS[case.list].table_class
    client.get(url)  # the session's idle stamp, when due, is written now rather than counted
    case.more(world, N)
    count_queries(client, url, {"per_page": ONE_PAGE})  # figures kept from now on

    def queries_of_each_column() -> dict[str, int]:
        counts = {}
        for column in table_class.column_names():
            type(user).objects.filter(pk=user.pk).update(table_columns={case.list: [column]})
            counts[column] = count_queries(client, url, {"per_page": ONE_PAGE})
        return counts

    few = queries_of_each_column()
    case.more(world, 2 * N)
    count_queries(client, url, {"per_page": ONE_PAGE})  # the figures of the new rows, kept
    assert queries_of_each_column() == few
