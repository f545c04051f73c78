"""The pages of the tasks app: task and output lists (filters, sorting, exports, totals) and their detail pages.

Read as a matrix: who may see which page (anonymous, outside scope, inside scope, each role);
what each filter parameter keeps; that every sortable column sorts; that exports hold every
filtered row with plain values; that no page runs more queries with more rows.
"""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from programmes.choices import OutputKind, ProgrammeKind
from programmes.models import Programme
from tasks.choices import FundingSource, ReportStatus, TaskField, TaskLevel, TaskStatus
from tasks.models import Output, Task
from tasks.tables import OutputTable, TaskTable
from tests.conftest import logged_in
from tests.factories import (
    AgencyFactory,
    FundingFactory,
    OutputFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgressReportFactory,
    ProvinceFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BILLION = Decimal(10**9)
QUERY_LIMIT = 15
DEMO_PASSWORD = "demo12345"  # the README's demo password


# Helpers


def listed(response) -> list:
    """The records on the page, in the table's order."""
    return [row.record for row in response.context["table"].page.object_list]


def listed_pks(response) -> list[int]:
    return [record.pk for record in listed(response)]


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def xlsx_rows(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def column_names(table_class) -> list[str]:
    """Every column in the order exports write them (hidden ones included)."""
    return [column.name for column in table_class([]).columns.iterall()]


def page_title(response) -> str:
    html = response.content.decode()
    return html[html.index("<title>") + len("<title>") : html.index("</title>")]


def fund(task, source=FundingSource.MINISTRY, year=2016, allocated=BILLION, disbursed=Decimal(0)):
    return FundingFactory(task=task, source=source, year=year, allocated=allocated, disbursed=disbursed)


# Who sees what: every page, every role


def inside_and_outside(scope, model):
    """The object of `model` a provincial user may see, and one they may not."""
    if model is Task:
        return scope.task, scope.other_task
    return OutputFactory(task=scope.task), OutputFactory(task=scope.other_task)


LIST_PAGES = [("task_list", Task), ("output_list", Output)]
DETAIL_PAGES = [("task_detail", Task), ("output_detail", Output)]


@pytest.mark.parametrize("url_name", ["task_list", "output_list"])
def test_an_anonymous_visitor_is_sent_to_log_in_from_a_list(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("url_name", "model"), DETAIL_PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in_from_a_detail_page(client, scope, url_name, model):
    inside, _outside = inside_and_outside(scope, model)
    response = client.get(reverse(url_name, args=[inside.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("url_name", "model"), DETAIL_PAGES)
def test_a_provincial_user_opens_what_is_in_scope_and_gets_404_outside(scope, url_name, model):
    inside, outside = inside_and_outside(scope, model)
    client = logged_in(scope.province_user)
    assert client.get(reverse(url_name, args=[inside.pk])).status_code == 200
    assert client.get(reverse(url_name, args=[outside.pk])).status_code == 404


@pytest.mark.parametrize(("url_name", "model"), LIST_PAGES)
def test_a_provincial_user_lists_and_exports_only_what_is_in_scope(scope, url_name, model):
    inside, outside = inside_and_outside(scope, model)
    client = logged_in(scope.province_user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert listed_pks(response) == [inside.pk]
    assert response.context["totals"]["count"] == 1
    for export_format, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        rows = read(client.get(reverse(url_name), {"_export": export_format}))
        cells = {str(cell) for row in rows[1:] for cell in row}
        assert len(rows) == 2, export_format
        name = (lambda obj: obj.title) if model is Task else (lambda obj: obj.name)
        assert name(inside) in cells
        assert name(outside) not in cells


@pytest.mark.parametrize("role", ["ministry_user", "leadership_user"])
@pytest.mark.parametrize(("url_name", "model"), LIST_PAGES)
def test_ministry_and_leadership_list_both_provinces(scope, role, url_name, model):
    inside, outside = inside_and_outside(scope, model)
    response = logged_in(getattr(scope, role)).get(reverse(url_name))
    assert response.status_code == 200
    assert set(listed_pks(response)) == {inside.pk, outside.pk}


@pytest.mark.parametrize("role", ["ministry_user", "leadership_user"])
@pytest.mark.parametrize(("url_name", "model"), DETAIL_PAGES)
def test_ministry_and_leadership_open_both_provinces(scope, role, url_name, model):
    inside, outside = inside_and_outside(scope, model)
    client = logged_in(getattr(scope, role))
    for obj in (inside, outside):
        assert client.get(reverse(url_name, args=[obj.pk])).status_code == 200


def test_a_provincial_user_sees_the_tasks_their_agency_leads_in_another_programme(scope):
    """Such a task is in scope, but its programme is not: the page names it without linking to a 404."""
    led = TaskFactory(programme=scope.other_programme, lead_agency=scope.department, title="Nhiệm vụ được giao")
    client = logged_in(scope.province_user)
    assert led.pk in listed_pks(client.get(reverse("task_list")))
    response = client.get(reverse("task_detail", args=[led.pk]))
    assert response.status_code == 200
    assert scope.other_programme.title in response.content.decode()
    assert reverse("programme_detail", args=[scope.other_programme.pk]) not in response.content.decode()


@translation.override("vi")
@pytest.mark.parametrize(("url_name", "model"), LIST_PAGES)
def test_list_pages_have_a_title(admin_client, url_name, model):
    title = page_title(admin_client.get(reverse(url_name)))
    assert str(capfirst(model._meta.verbose_name_plural)).replace("&", "&amp;") in title


def test_detail_pages_have_a_title(admin_client, scope):
    output = OutputFactory(task=scope.task, name="Mô hình trồng nấm rơm")
    assert scope.task.code in page_title(admin_client.get(reverse("task_detail", args=[scope.task.pk])))
    assert "Mô hình trồng nấm rơm" in page_title(admin_client.get(reverse("output_detail", args=[output.pk])))


# Task list: each filter narrows


def task_filter_case(name):
    """Rows for one filter: returns (GET parameters, the tasks they must keep); other tasks must go."""

    def q():
        keep = TaskFactory(title="Sản xuất nấm rơm")
        TaskFactory(title="Nuôi tôm thẻ chân trắng")
        return {"q": "NAM ROM"}, [keep]

    def programme():
        keep = TaskFactory()
        TaskFactory()
        return {"programme": keep.programme_id}, [keep]

    def province():
        keep = TaskFactory()
        TaskFactory()
        return {"province": keep.lead_agency.province_id}, [keep]

    def lead_agency():
        keep = TaskFactory()
        TaskFactory()
        return {"lead_agency": keep.lead_agency_id}, [keep]

    def field():
        keep = TaskFactory(field=TaskField.HEALTH)
        TaskFactory(field=TaskField.AGRICULTURE)
        return {"field": "health"}, [keep]

    def level():
        keep = TaskFactory(level=TaskLevel.NATIONAL)
        TaskFactory(level=TaskLevel.PROVINCE)
        return {"level": "national"}, [keep]

    def status():
        keep = TaskFactory(status=TaskStatus.SUSPENDED)
        also = TaskFactory(status=TaskStatus.CANCELLED)
        TaskFactory(status=TaskStatus.IN_PROGRESS)
        return {"status": ["suspended", "cancelled"]}, [keep, also]

    def funded_through():
        national = ProgrammeFactory(kind=ProgrammeKind.NATIONAL)
        keep = TaskFactory(funded_through=national)
        TaskFactory(funded_through=ProgrammeFactory(kind=ProgrammeKind.NATIONAL))
        TaskFactory()
        return {"funded_through": national.pk}, [keep]

    def year_from():
        # Running in 2015 or later: a task of 2010–2016 overlaps, one of 2010–2014 does not.
        keep = TaskFactory(start_on=datetime.date(2016, 1, 1), end_on=datetime.date(2018, 12, 31))
        overlapping = TaskFactory(start_on=datetime.date(2010, 1, 1), end_on=datetime.date(2015, 1, 31))
        TaskFactory(start_on=datetime.date(2010, 1, 1), end_on=datetime.date(2014, 12, 31))
        return {"year_from": 2015}, [keep, overlapping]

    def year_to():
        keep = TaskFactory(start_on=datetime.date(2010, 1, 1), end_on=datetime.date(2012, 12, 31))
        overlapping = TaskFactory(start_on=datetime.date(2013, 12, 31), end_on=datetime.date(2018, 12, 31))
        TaskFactory(start_on=datetime.date(2014, 1, 1), end_on=datetime.date(2018, 12, 31))
        return {"year_to": 2013}, [keep, overlapping]

    def funding_min():
        keep = TaskFactory()
        fund(keep, FundingSource.MINISTRY, 2016, 2 * BILLION)
        fund(keep, FundingSource.PROVINCE, 2016, 1 * BILLION)
        small = TaskFactory()
        fund(small, FundingSource.MINISTRY, 2016, 2 * BILLION)
        TaskFactory()
        return {"funding_min": 3 * BILLION}, [keep]

    def funding_max():
        keep = TaskFactory()
        fund(keep, FundingSource.MINISTRY, 2016, 2 * BILLION)
        unfunded = TaskFactory()
        big = TaskFactory()
        fund(big, FundingSource.MINISTRY, 2016, 2 * BILLION)
        fund(big, FundingSource.COUNTERPART, 2017, 2 * BILLION)
        return {"funding_max": 3 * BILLION}, [keep, unfunded]

    def funding_source():
        keep = TaskFactory()
        fund(keep, FundingSource.MINISTRY, 2016)
        fund(keep, FundingSource.COUNTERPART, 2016)
        fund(keep, FundingSource.COUNTERPART, 2017)
        ministry_only = TaskFactory()
        fund(ministry_only, FundingSource.MINISTRY, 2016)
        return {"funding_source": "counterpart"}, [keep]

    return locals()[name]


TASK_FILTERS = [
    "q",
    "programme",
    "province",
    "lead_agency",
    "field",
    "level",
    "status",
    "funded_through",
    "year_from",
    "year_to",
    "funding_min",
    "funding_max",
    "funding_source",
]


def test_every_filter_of_the_task_list_is_tested():
    from tasks.filters import TaskFilter

    assert sorted(TaskFilter.base_filters) == sorted(TASK_FILTERS)


@pytest.mark.parametrize("name", TASK_FILTERS)
def test_each_task_filter_narrows_the_list(admin_client, name):
    params, expected = task_filter_case(name)()
    response = admin_client.get(reverse("task_list"), params)
    assert response.status_code == 200
    assert not response.context["filter"].form.errors
    assert sorted(listed_pks(response)) == sorted(task.pk for task in expected)
    assert response.context["totals"]["count"] == len(expected)
    # The export holds the same rows.
    rows = csv_rows(admin_client.get(reverse("task_list"), {**params, "_export": "csv"}))
    code = column_names(TaskTable).index("code")
    assert sorted(row[code] for row in rows[1:]) == sorted(task.code for task in expected)


def test_bad_filter_input_gets_a_message_and_filters_nothing_else(admin_client):
    TaskFactory()
    response = admin_client.get(reverse("task_list"), {"funding_min": "nhiều", "year_from": "1800"})
    assert response.status_code == 200
    assert set(response.context["filter"].form.errors) == {"funding_min", "year_from"}
    assert len(listed(response)) == 1


def test_filter_choices_offer_only_what_the_user_sees(scope):
    form = logged_in(scope.province_user).get(reverse("task_list")).context["filter"].form
    assert list(form.fields["programme"].queryset) == [scope.programme]
    assert list(form.fields["lead_agency"].queryset) == [scope.department]
    assert list(form.fields["province"].queryset) == [scope.department.province]


# Task list: funding columns and totals


def test_funding_columns_sum_each_source_without_multiplying_rows(admin_client):
    task = TaskFactory(code="NV-01")
    fund(task, FundingSource.MINISTRY, 2016, 2 * BILLION)
    fund(task, FundingSource.MINISTRY, 2017, 3 * BILLION)
    fund(task, FundingSource.PROVINCE, 2016, 1 * BILLION)
    fund(task, FundingSource.PROVINCE, 2017, 1 * BILLION)
    fund(task, FundingSource.COUNTERPART, 2016, 4 * BILLION)
    fund(task, FundingSource.OTHER, 2016, Decimal(500_000_000))
    TaskFactory(code="NV-02")  # no funding: zeros, not blanks
    response = admin_client.get(reverse("task_list"), {"sort": "code"})
    first, second = listed(response)
    assert (first.ministry_funding, first.province_funding, first.counterpart_funding) == (
        5 * BILLION,
        2 * BILLION,
        4 * BILLION,
    )
    assert (first.other_funding, first.total_funding) == (Decimal(500_000_000), Decimal(11_500_000_000))
    assert (second.ministry_funding, second.total_funding) == (0, 0)
    assert response.context["totals"] == {
        "count": 2,
        "ministry_funding": 5 * BILLION,
        "province_funding": 2 * BILLION,
        "counterpart_funding": 4 * BILLION,
        "other_funding": Decimal(500_000_000),
        "total_funding": Decimal(11_500_000_000),
    }
    html = response.content.decode()
    assert "5.000.000.000 đ" in html  # formatted on screen, Vietnamese grouping
    assert "11.500.000.000 đ" in html


def test_totals_cover_every_filtered_row_not_only_the_page(admin_client):
    programme = ProgrammeFactory()
    for _ in range(30):
        fund(TaskFactory(programme=programme), FundingSource.MINISTRY, 2016, BILLION)
    TaskFactory()
    response = admin_client.get(reverse("task_list"), {"programme": programme.pk})
    assert len(listed(response)) == 25
    assert response.context["totals"]["count"] == 30
    assert response.context["totals"]["ministry_funding"] == 30 * BILLION
    assert 'id="totals"' in response.content.decode()


def test_the_status_is_a_badge_with_words_on_screen(admin_client):
    TaskFactory(status=TaskStatus.SUSPENDED)
    with translation.override("vi"):
        label = str(TaskStatus.SUSPENDED.label)
    html = admin_client.get(reverse("task_list")).content.decode()
    assert f'<span class="badge text-bg-warning">{label}</span>' in html


# Task list: sorting by every column


def sortable(table_class) -> list[str]:
    return [column.name for column in table_class([]).columns if column.orderable] + [
        column.name for column in table_class([]).columns.iterall() if column.orderable and not column.visible
    ]


# Three values per column, each column in an order of its own (never the order of creation).
THREE_TASKS = {
    "code": ("B-2", "C-3", "A-1"),
    "title": ("Bravo", "Alpha", "Charlie"),
    "programme": ("P-2", "P-0", "P-1"),
    "province": ("Charlie", "Alpha", "Bravo"),
    "lead_agency": ("Alpha", "Charlie", "Bravo"),
    "field": ("health", "agriculture", "ict"),
    "level": ("province", "ministry", "national"),
    "status": ("in_progress", "suspended", "completed"),
    "start_year": (2014, 2012, 2016),
    "end_year": (2016, 2018, 2017),
    "percent_complete": (50, 90, 10),
    "investigator": ("Charlie", "Alpha", "Bravo"),
    "funded_through": ("N-3", "N-1", "N-2"),
    "location": ("Bravo", "Charlie", "Alpha"),
    "funding": (3, 1, 2),
}


@pytest.fixture
def three_tasks():
    tasks = []
    for n in range(3):
        value = {column: values[n] for column, values in THREE_TASKS.items()}
        task = TaskFactory(
            programme=ProgrammeFactory(code=value["programme"]),
            code=value["code"],
            title=value["title"],
            lead_agency=AgencyFactory(name=value["lead_agency"], province=ProvinceFactory(name=value["province"])),
            field=value["field"],
            level=value["level"],
            status=value["status"],
            start_on=datetime.date(value["start_year"], 1, 1),
            end_on=datetime.date(value["end_year"], 12, 31),
            percent_complete=value["percent_complete"],
            investigator=PersonFactory(full_name=value["investigator"]),
            funded_through=ProgrammeFactory(code=value["funded_through"], kind=ProgrammeKind.NATIONAL),
            location=value["location"],
        )
        for offset, source in enumerate(FundingSource.values):
            # A different order per source, so that each funding column is really sorted by itself.
            fund(task, source, 2016, BILLION * ((value["funding"] + offset) % 3 + 1))
        tasks.append(task)
    return tasks


TASK_SORT_KEYS = {
    "code": lambda t: t.code,
    "title": lambda t: t.title,
    "programme": lambda t: t.programme.code,
    "province": lambda t: t.lead_agency.province.name,
    "lead_agency": lambda t: t.lead_agency.name,
    "field": lambda t: t.field,
    "level": lambda t: t.level,
    "status": lambda t: t.status,
    "period": lambda t: (t.start_on, t.end_on),
    "ministry_funding": lambda t: t.ministry_funding,
    "total_funding": lambda t: t.total_funding,
    "percent_complete": lambda t: t.percent_complete,
    "investigator": lambda t: t.investigator.full_name,
    "funded_through": lambda t: t.funded_through.code,
    "location": lambda t: t.location,
    "province_funding": lambda t: t.province_funding,
    "counterpart_funding": lambda t: t.counterpart_funding,
    "other_funding": lambda t: t.other_funding,
    "start_on": lambda t: t.start_on,
    "end_on": lambda t: t.end_on,
}


def test_every_sortable_task_column_has_a_sort_check():
    assert sorted(sortable(TaskTable)) == sorted(TASK_SORT_KEYS)


@pytest.mark.parametrize("column", sorted(TASK_SORT_KEYS))
def test_sorting_the_task_list_by_each_column(admin_client, three_tasks, column):
    ascending = admin_client.get(reverse("task_list"), {"sort": column})
    descending = admin_client.get(reverse("task_list"), {"sort": f"-{column}"})
    assert (ascending.status_code, descending.status_code) == (200, 200)
    records = listed(ascending)
    key = TASK_SORT_KEYS[column]
    assert len({key(record) for record in records}) == 3, "the fixture must give three different values"
    assert records == sorted(records, key=key)
    assert listed_pks(descending) == listed_pks(ascending)[::-1]


def test_sorting_is_stable_across_pages(admin_client):
    """Equal values keep one order (ending with pk), so no row shows on two pages or none."""
    for _ in range(30):
        TaskFactory(status=TaskStatus.IN_PROGRESS)
    first = listed_pks(admin_client.get(reverse("task_list"), {"sort": "status"}))
    second = listed_pks(admin_client.get(reverse("task_list"), {"sort": "status", "page": 2}))
    assert sorted(first + second) == sorted(Task.objects.values_list("pk", flat=True))


# Task list: exports


@pytest.fixture
def thirty_funded_tasks():
    programme = ProgrammeFactory()
    province = ProvinceFactory(name="Thái Bình")
    lead = AgencyFactory(name="Sở KH&CN Thái Bình", province=province)
    tasks = []
    for n in range(30):
        task = TaskFactory(
            programme=programme,
            code=f"TB-{n:02d}",
            lead_agency=lead,
            status=TaskStatus.SUSPENDED if n == 0 else TaskStatus.IN_PROGRESS,
            start_on=datetime.date(2016, 3, 1),
            end_on=datetime.date(2018, 12, 31),
            percent_complete=40,
            location="=HYPERLINK(1)" if n == 1 else "huyện Vũ Thư",
        )
        fund(task, FundingSource.MINISTRY, 2016, BILLION + n)
        fund(task, FundingSource.COUNTERPART, 2017, Decimal(300_000_000))
        tasks.append(task)
    TaskFactory(code="KHAC-01")  # another programme: filtered out
    return programme, tasks


@translation.override("vi")
@pytest.mark.parametrize(("export_format", "read"), [("csv", csv_rows), ("xlsx", xlsx_rows)])
def test_task_export_holds_every_filtered_row_with_plain_values(admin_client, thirty_funded_tasks, export_format, read):
    programme, tasks = thirty_funded_tasks
    response = admin_client.get(
        reverse("task_list"), {"programme": programme.pk, "sort": "code", "_export": export_format}
    )
    assert response.status_code == 200
    rows = read(response)
    names = column_names(TaskTable)
    assert len(rows) == 31
    assert [str(cell) for cell in rows[0]] == [str(column.header) for column in TaskTable([]).columns.iterall()]
    assert "Ministry funding" in rows[0] or str(TaskTable.base_columns["ministry_funding"].verbose_name) in rows[0]
    first = dict(zip(names, rows[1], strict=True))
    as_number = Decimal if export_format == "csv" else (lambda value: value)
    assert first["code"] == "TB-00"
    assert first["status"] == str(TaskStatus.SUSPENDED.label)  # words, no badge
    assert as_number(first["ministry_funding"]) == BILLION
    assert as_number(first["counterpart_funding"]) == 300_000_000
    assert as_number(first["total_funding"]) == 1_300_000_000
    assert as_number(first["percent_complete"]) == 40
    assert first["period"] == "01/03/2016–31/12/2018"
    assert first["province"] == "Thái Bình"
    assert first["lead_agency"] == "Sở KH&CN Thái Bình"
    assert first["programme"] == programme.title
    start_on = first["start_on"]
    assert (start_on if export_format == "csv" else start_on.date().isoformat()) == "2016-03-01"
    second = dict(zip(names, rows[2], strict=True))
    # Never a formula: the apostrophe in CSV, a text cell keeping the text as typed in XLSX
    # (tests/hostile/test_stored_markup.py checks the cell's type).
    assert second["location"] == ("'=HYPERLINK(1)" if export_format == "csv" else "=HYPERLINK(1)")
    total = sum(as_number(dict(zip(names, row, strict=True))["ministry_funding"]) for row in rows[1:])
    assert total == 30 * BILLION + sum(range(30))
    assert not any("<" in str(cell) for row in rows for cell in row)


# Output list


def output_filter_case(name):
    def q():
        keep = OutputFactory(name="Giống lúa TBR225")
        OutputFactory(name="Mô hình nuôi tôm")
        return {"q": "giong lua"}, [keep]

    def kind():
        keep = OutputFactory(kind=OutputKind.VARIETY)
        also = OutputFactory(kind=OutputKind.BRAND)
        OutputFactory(kind=OutputKind.MODEL)
        return {"kind": ["variety", "brand"]}, [keep, also]

    def programme():
        keep = OutputFactory()
        OutputFactory()
        return {"programme": keep.task.programme_id}, [keep]

    def province():
        keep = OutputFactory()
        OutputFactory()
        return {"province": keep.task.lead_agency.province_id}, [keep]

    def task():
        keep = OutputFactory()
        OutputFactory()
        return {"task": keep.task_id}, [keep]

    def year():
        keep = OutputFactory(achieved_on=datetime.date(2015, 12, 31))
        OutputFactory(achieved_on=datetime.date(2016, 1, 1))
        OutputFactory(achieved_on=datetime.date(2014, 12, 31))
        return {"year": 2015}, [keep]

    return locals()[name]


OUTPUT_FILTERS = ["q", "kind", "programme", "province", "task", "year"]


def test_every_filter_of_the_output_list_is_tested():
    from tasks.filters import OutputFilter

    assert sorted(OutputFilter.base_filters) == sorted(OUTPUT_FILTERS)


@pytest.mark.parametrize("name", OUTPUT_FILTERS)
def test_each_output_filter_narrows_the_list(admin_client, name):
    params, expected = output_filter_case(name)()
    response = admin_client.get(reverse("output_list"), params)
    assert response.status_code == 200
    assert not response.context["filter"].form.errors
    assert sorted(listed_pks(response)) == sorted(output.pk for output in expected)
    assert response.context["totals"]["count"] == len(expected)


def test_output_totals_add_up_quantities_of_every_filtered_row(admin_client):
    for _ in range(30):
        OutputFactory(kind=OutputKind.MODEL, quantity=2)
    OutputFactory(kind=OutputKind.BRAND, quantity=7)
    response = admin_client.get(reverse("output_list"), {"kind": "model"})
    assert len(listed(response)) == 25
    assert response.context["totals"] == {"count": 30, "quantity": 60}


THREE_OUTPUTS = {
    "name": ("Bravo", "Alpha", "Charlie"),
    "kind": ("model", "variety", "brand"),
    "quantity": (3, 1, 2),
    "task": ("T-2", "T-3", "T-1"),
    "programme": ("P-3", "P-1", "P-2"),
    "province": ("Alpha", "Charlie", "Bravo"),
    "achieved_year": (2016, 2014, 2015),
    "recognition": ("QD-2", "QD-3", "QD-1"),
    "unit": ("cai", "giong", "mo hinh"),
    "task_title": ("Charlie", "Alpha", "Bravo"),
    "location": ("Charlie", "Bravo", "Alpha"),
}


@pytest.fixture
def three_outputs():
    outputs = []
    for n in range(3):
        value = {column: values[n] for column, values in THREE_OUTPUTS.items()}
        task = TaskFactory(
            code=value["task"],
            title=value["task_title"],
            programme=ProgrammeFactory(code=value["programme"]),
            lead_agency=AgencyFactory(province=ProvinceFactory(name=value["province"])),
        )
        outputs.append(
            OutputFactory(
                task=task,
                name=value["name"],
                kind=value["kind"],
                quantity=value["quantity"],
                achieved_on=datetime.date(value["achieved_year"], 6, 30),
                recognition=value["recognition"],
                unit=value["unit"],
                location=value["location"],
            )
        )
    return outputs


OUTPUT_SORT_KEYS = {
    "name": lambda o: o.name,
    "kind": lambda o: o.kind,
    "quantity": lambda o: o.quantity,
    "task": lambda o: o.task.code,
    "programme": lambda o: o.task.programme.code,
    "province": lambda o: o.task.lead_agency.province.name,
    "achieved_on": lambda o: o.achieved_on,
    "recognition": lambda o: o.recognition,
    "unit": lambda o: o.unit,
    "task_title": lambda o: o.task.title,
    "location": lambda o: o.location,
}


def test_every_sortable_output_column_has_a_sort_check():
    assert sorted(sortable(OutputTable)) == sorted(OUTPUT_SORT_KEYS)


@pytest.mark.parametrize("column", sorted(OUTPUT_SORT_KEYS))
def test_sorting_the_output_list_by_each_column(admin_client, three_outputs, column):
    ascending = admin_client.get(reverse("output_list"), {"sort": column})
    descending = admin_client.get(reverse("output_list"), {"sort": f"-{column}"})
    assert (ascending.status_code, descending.status_code) == (200, 200)
    records = listed(ascending)
    key = OUTPUT_SORT_KEYS[column]
    assert len({key(record) for record in records}) == 3
    assert records == sorted(records, key=key)
    assert listed_pks(descending) == listed_pks(ascending)[::-1]


@translation.override("vi")
@pytest.mark.parametrize(("export_format", "read"), [("csv", csv_rows), ("xlsx", xlsx_rows)])
def test_output_export_holds_every_filtered_row_with_plain_values(admin_client, export_format, read):
    task = TaskFactory(code="TB-01", title="Ứng dụng tiến bộ KH&CN")
    for n in range(30):
        OutputFactory(
            task=task,
            kind=OutputKind.MODEL,
            name=f"Mô hình {n:02d}",
            quantity=n + 1,
            unit="mô hình",
            achieved_on=datetime.date(2018, 6, 1),
        )
    OutputFactory(kind=OutputKind.BRAND)
    response = admin_client.get(reverse("output_list"), {"kind": "model", "sort": "name", "_export": export_format})
    rows = read(response)
    names = column_names(OutputTable)
    assert len(rows) == 31
    first = dict(zip(names, rows[1], strict=True))
    as_number = int if export_format == "csv" else (lambda value: value)
    assert first["name"] == "Mô hình 00"
    assert first["kind"] == str(OutputKind.MODEL.label)
    assert as_number(first["quantity"]) == 1
    assert first["unit"] == "mô hình"
    assert first["task"] == "TB-01"
    assert first["task_title"] == "Ứng dụng tiến bộ KH&CN"
    assert first["programme"] == task.programme.title
    assert sum(as_number(dict(zip(names, row, strict=True))["quantity"]) for row in rows[1:]) == sum(range(1, 31))
    assert not any("<" in str(cell) for row in rows for cell in row)


# Detail pages


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer.test")


def test_task_detail_shows_funding_by_source_and_year_with_totals(admin_client, scope):
    fund(scope.task, FundingSource.MINISTRY, 2016, 2 * BILLION, BILLION)
    fund(scope.task, FundingSource.MINISTRY, 2017, 3 * BILLION, 0)
    fund(scope.task, FundingSource.PROVINCE, 2017, BILLION, BILLION)
    response = admin_client.get(reverse("task_detail", args=[scope.task.pk]))
    grid = response.context["funding"]
    assert [value for value, _label in grid.sources] == ["ministry", "province"]
    assert [row.year for row in grid.years] == [2016, 2017]
    assert [(row.total.allocated, row.total.disbursed) for row in grid.years] == [
        (2 * BILLION, BILLION),
        (4 * BILLION, BILLION),
    ]
    assert [(cell.allocated, cell.disbursed) for cell in grid.totals] == [(5 * BILLION, BILLION), (BILLION, BILLION)]
    assert (grid.total.allocated, grid.total.disbursed) == (6 * BILLION, 2 * BILLION)
    html = response.content.decode()
    assert "6.000.000.000 đ" in html
    assert ">2016<" in html  # a year, never "2.016"


def test_task_detail_shows_every_progress_report_and_which_one_counts(admin_client, scope, reviewer):
    reviewed = {"reviewed_by": reviewer, "reviewed_at": timezone.now()}
    older = ProgressReportFactory(
        task=scope.task, as_of=datetime.date(2017, 6, 30), percent_complete=40, status=ReportStatus.APPROVED, **reviewed
    )
    latest_approved = ProgressReportFactory(
        task=scope.task,
        as_of=datetime.date(2017, 12, 31),
        percent_complete=60,
        status=ReportStatus.APPROVED,
        **reviewed,
    )
    returned = ProgressReportFactory(
        task=scope.task,
        as_of=datetime.date(2018, 3, 31),
        percent_complete=70,
        status=ReportStatus.RETURNED,
        review_note="Thiếu số liệu giải ngân.",
        problems="Chậm giải ngân.",
        next_steps="Hoàn thiện mô hình.",
        **reviewed,
    )
    draft = ProgressReportFactory(
        task=scope.task, as_of=datetime.date(2018, 6, 30), percent_complete=90, status=ReportStatus.DRAFT
    )
    response = admin_client.get(reverse("task_detail", args=[scope.task.pk]))
    assert response.context["progress_reports"] == [draft, returned, latest_approved, older]
    assert response.context["percent_source"] == latest_approved
    html = response.content.decode()
    for text in ("Thiếu số liệu giải ngân.", "Chậm giải ngân.", "Hoàn thiện mô hình.", "31/12/2017"):
        assert text in html
    assert "text-bg-danger" in html and "text-bg-success" in html  # returned and approved, with their words


def test_task_detail_lists_its_outputs_linking_to_each(admin_client, scope):
    outputs = [OutputFactory(task=scope.task, name=f"Mô hình {n}") for n in range(3)]
    OutputFactory(task=scope.other_task, name="Kết quả của nhiệm vụ khác")
    response = admin_client.get(reverse("task_detail", args=[scope.task.pk]))
    html = response.content.decode()
    assert list(response.context["outputs"]) == outputs
    for output in outputs:
        assert reverse("output_detail", args=[output.pk]) in html
    assert "Kết quả của nhiệm vụ khác" not in html


def test_task_detail_shows_everything_of_the_task(admin_client):
    national = ProgrammeFactory(kind=ProgrammeKind.NATIONAL, title="Chương trình Nông thôn miền núi")
    investigator = PersonFactory(full_name="Phạm Văn Minh", position="Kỹ sư nông nghiệp")
    task = TaskFactory(
        investigator=investigator,
        funded_through=national,
        location="huyện Vũ Thư",
        percent_complete=75,
        start_on=datetime.date(2016, 3, 1),
        end_on=datetime.date(2018, 12, 31),
    )
    html = admin_client.get(reverse("task_detail", args=[task.pk])).content.decode()
    for text in (
        task.code,
        task.title,
        "Phạm Văn Minh, Kỹ sư nông nghiệp",
        "huyện Vũ Thư",
        "01/03/2016–31/12/2018",
        'value="75"',
        reverse("programme_detail", args=[task.programme_id]),
        reverse("programme_detail", args=[national.pk]),
        reverse("agency_detail", args=[task.lead_agency_id]),
    ):
        assert text in html, text


def test_output_detail_shows_its_task_programme_and_lead_agency(admin_client):
    output = OutputFactory(
        name="Giống lúa TBR225", recognition="Quyết định 123/QĐ-BNN", unit="giống", location="Thái Bình"
    )
    html = admin_client.get(reverse("output_detail", args=[output.pk])).content.decode()
    for text in (
        "Giống lúa TBR225",
        "Quyết định 123/QĐ-BNN",
        reverse("task_detail", args=[output.task_id]),
        reverse("programme_detail", args=[output.task.programme_id]),
        reverse("agency_detail", args=[output.task.lead_agency_id]),
    ):
        assert text in html, text


def test_detail_pages_have_empty_states_that_say_what_happens_next(admin_client, scope):
    html = admin_client.get(reverse("task_detail", args=[scope.task.pk])).content.decode()
    assert html.count('class="alert alert-secondary"') == 3  # no funding, no progress report, no output


# Query budget: the same number of queries with 5 rows and with 50


def make_task_rows(programme, lead, count):
    national = ProgrammeFactory(kind=ProgrammeKind.NATIONAL)
    for _ in range(count):
        task = TaskFactory(programme=programme, lead_agency=lead, investigator=PersonFactory(), funded_through=national)
        fund(task, FundingSource.MINISTRY, 2016)
        fund(task, FundingSource.PROVINCE, 2016)
        OutputFactory(task=task)


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["ministry_user", "province_user"])
@pytest.mark.parametrize("url_name", ["task_list", "output_list"])
def test_list_pages_run_as_many_queries_for_50_rows_as_for_5(scope, role, url_name):
    client = logged_in(getattr(scope, role))
    params = {"per_page": 100, "status": "in_progress"} if url_name == "task_list" else {"per_page": 100}
    make_task_rows(scope.programme, scope.department, 4)
    with_5 = count_queries(client, reverse(url_name), params)
    make_task_rows(scope.programme, scope.department, 45)
    with_50 = count_queries(client, reverse(url_name), params)
    assert with_5 == with_50
    assert with_50 < QUERY_LIMIT


def count_export_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        b"".join(response.streaming_content)  # the rows are read while the file streams
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("url_name", ["task_list", "output_list"])
def test_exports_run_as_many_queries_for_50_rows_as_for_5(scope, url_name, export_format):
    client = logged_in(scope.province_user)
    make_task_rows(scope.programme, scope.department, 4)
    with_5 = count_export_queries(client, reverse(url_name), {"_export": export_format})
    make_task_rows(scope.programme, scope.department, 45)
    with_50 = count_export_queries(client, reverse(url_name), {"_export": export_format})
    assert with_5 == with_50


def test_task_detail_runs_as_many_queries_for_50_rows_as_for_5(scope, reviewer):
    client = logged_in(scope.province_user)
    task = scope.task

    def add(n, start):
        for i in range(start, start + n):
            fund(task, FundingSource.values[i % 4], 1990 + i // 4)
            ProgressReportFactory(
                task=task,
                as_of=datetime.date(2000, 1, 1) + datetime.timedelta(days=i),
                status=ReportStatus.APPROVED,
                reviewed_by=reviewer,
                reviewed_at=timezone.now(),
                submitted_by=scope.province_user,
            )
            OutputFactory(task=task)

    add(5, 0)
    with_5 = count_queries(client, reverse("task_detail", args=[task.pk]))
    add(45, 5)
    with_50 = count_queries(client, reverse("task_detail", args=[task.pk]))
    assert with_5 == with_50
    assert with_50 < QUERY_LIMIT


def test_output_detail_stays_within_the_query_budget(scope):
    output = OutputFactory(task=scope.task)
    assert count_queries(logged_in(scope.province_user), reverse("output_detail", args=[output.pk])) < QUERY_LIMIT


# The demo: the article's figures come out of the pages


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return Programme.objects.get(code="PH-BKHCN-TB-2012")


def demo_login(username: str) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)
    return client


def test_the_demo_figures_on_the_lists(demo):
    client = demo_login("bo.chuyenvien")
    tasks = client.get(reverse("task_list"), {"programme": demo.pk})
    assert tasks.context["totals"]["count"] == 30
    assert tasks.context["totals"]["ministry_funding"] == Decimal("97600000000")
    assert "97.600.000.000 đ" in tasks.content.decode()
    models = client.get(reverse("output_list"), {"kind": "model", "programme": demo.pk})
    assert models.context["totals"]["quantity"] == 53


def test_the_thai_binh_department_sees_the_demo_figures_of_its_province(demo):
    client = demo_login("so.thaibinh")
    # The Nam Định programme's models are outside the department's scope.
    assert client.get(reverse("output_list"), {"kind": "model"}).context["totals"]["quantity"] == 53
    assert client.get(reverse("task_list")).context["totals"]["count"] == 30


def test_the_demo_export_holds_all_thirty_tasks_and_the_ministry_total(admin_client, demo):
    response = admin_client.get(reverse("task_list"), {"programme": demo.pk, "per_page": 25, "_export": "csv"})
    rows = csv_rows(response)
    ministry = column_names(TaskTable).index("ministry_funding")
    assert len(rows[1:]) == 30
    assert sum(Decimal(row[ministry]) for row in rows[1:]) == Decimal("97600000000")


@pytest.mark.parametrize("url_name", ["task_list", "output_list"])
@pytest.mark.parametrize(("asked", "shown"), [("50", 50), ("100", 100), ("7", 25), ("100000", 25), ("-1", 25)])
def test_the_page_size_is_one_of_the_offered_choices(admin_client, url_name, asked, shown):
    response = admin_client.get(reverse(url_name), {"per_page": asked})
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == shown
