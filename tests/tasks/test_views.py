"""The rules of the tasks app's pages that only they have: funding columns and totals, the exported values
of tasks and outputs, the detail pages of a task and an output, and the demo's figures.

Who may open these pages, sorting by every column, each filter, exports in scope and the query
count of the lists are checked for every list at once in tests/generic (the rows of these two
lists are in tests/generic/cases.py).
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from programmes.choices import OutputKind, ProgrammeKind
from programmes.models import Programme
from tasks.choices import FundingSource, ReportStatus, TaskStatus
from tasks.tables import OutputTable, TaskTable
from tests.conftest import logged_in
from tests.factories import (
    AgencyFactory,
    OutputFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgressReportFactory,
    ProvinceFactory,
    TaskFactory,
    UserFactory,
    fund,
)
from tests.helpers import count_queries, csv_rows, demo_login, listed, listed_pks, vietnamese, xlsx_rows

pytestmark = pytest.mark.django_db

BILLION = Decimal(10**9)
# 16 since the header's counts of work waiting are kept: a page reads the data's version, and a province's the
# programmes it sees (`tasks.models.task_scope_key`), to find them.
QUERY_LIMIT = 16


# Helpers


def column_names(table_class) -> list[str]:
    """Every column in the order exports write them (hidden ones included, those kept from exports left out)."""
    return [column.name for column in table_class([]).columns.iterall() if not column.column.exclude_from_export]


# Task list


def test_a_provincial_user_sees_the_tasks_their_agency_leads_in_another_programme(scope):
    """Such a task is in scope, but its programme is not: the page names it without linking to a 404."""
    led = TaskFactory(programme=scope.other_programme, lead_agency=scope.department, title="Nhiệm vụ được giao")
    client = logged_in(scope.province_user)
    assert led.pk in listed_pks(client.get(reverse("task_list")))
    response = client.get(reverse("task_detail", args=[led.pk]))
    assert response.status_code == 200
    assert scope.other_programme.title in response.content.decode()
    assert reverse("programme_detail", args=[scope.other_programme.pk]) not in response.content.decode()


def test_filter_choices_offer_only_what_the_user_sees(scope):
    form = logged_in(scope.province_user).get(reverse("task_list")).context["filter"].form
    assert list(form.fields["programme"].queryset) == [scope.programme]
    assert list(form.fields["lead_agency"].queryset) == [scope.department]
    assert list(form.fields["province"].queryset) == [scope.department.province]


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
    first = dict(zip(names, rows[1], strict=True))
    as_number = Decimal if export_format == "csv" else (lambda value: value)
    assert first["code"] == "TB-00"
    # Words, no badge; suspended past its end date, the task is also overdue, which the export says too.
    assert first["status"] == f"{TaskStatus.SUSPENDED.label} (quá hạn)"
    assert as_number(first["ministry_funding"]) == BILLION
    assert as_number(first["counterpart_funding"]) == 300_000_000
    assert as_number(first["total_funding"]) == 1_300_000_000
    assert as_number(first["percent_complete"]) == 40
    assert "period" not in first  # the start and the end have their own columns
    assert first["province"] == "Thái Bình"
    assert first["lead_agency"] == "Sở KH&CN Thái Bình"
    assert first["programme"] == programme.title
    start_on = first["start_on"]
    assert (start_on if export_format == "csv" else start_on.date().isoformat()) == (
        "01/03/2016" if export_format == "csv" else "2016-03-01"
    )
    second = dict(zip(names, rows[2], strict=True))
    # Never a formula: the apostrophe in CSV, a text cell keeping the text as typed in XLSX
    # (tests/hostile/test_stored_markup.py checks the cell's type).
    assert second["location"] == ("'=HYPERLINK(1)" if export_format == "csv" else "=HYPERLINK(1)")
    total = sum(as_number(dict(zip(names, row, strict=True))["ministry_funding"]) for row in rows[1:])
    assert total == 30 * BILLION + sum(range(30))
    assert not any("<" in str(cell) for row in rows for cell in row)


# Output list


def test_the_review_queue_shows_when_a_report_was_sent_in_ha_noi_time(admin_client, scope):
    """Sent at 02:00 UTC is 09:00 in Hà Nội: the page and the exports say 09:00."""
    sent = datetime.datetime(2025, 7, 5, 2, 0, tzinfo=datetime.UTC)
    ProgressReportFactory(task=scope.task, status=ReportStatus.SUBMITTED, submitted_at=sent)
    url = reverse("progress_report_list")
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "09:00 05/07/2025" in page
    assert "02:00 05/07/2025" not in page
    header, row = csv_rows(admin_client.get(url, {"_export": "csv"}))
    assert row[header.index(vietnamese("submitted at").capitalize())] == "05/07/2025 09:00"
    xlsx_header, xlsx_row = xlsx_rows(admin_client.get(url, {"_export": "xlsx"}))
    assert xlsx_row[xlsx_header.index(vietnamese("submitted at").capitalize())] == datetime.datetime(2025, 7, 5, 9, 0)


def test_output_totals_add_up_quantities_of_every_filtered_row(admin_client):
    for _ in range(30):
        OutputFactory(kind=OutputKind.MODEL, quantity=2)
    OutputFactory(kind=OutputKind.BRAND, quantity=7)
    response = admin_client.get(reverse("output_list"), {"kind": "model"})
    assert len(listed(response)) == 25
    totals = response.context["totals"]
    assert (totals["count"], totals["quantity"], totals["pending"]) == (30, 60, 0)


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
        name="Giống lúa TBR225",
        kind="variety",
        evidence_number="123/QĐ-BNN",
        unit="giống",
        location="Thái Bình",
    )
    html = admin_client.get(reverse("output_detail", args=[output.pk])).content.decode()
    for text in (
        "Giống lúa TBR225",
        "123/QĐ-BNN",
        reverse("task_detail", args=[output.task_id]),
        reverse("programme_detail", args=[output.task.programme_id]),
        reverse("agency_detail", args=[output.task.lead_agency_id]),
    ):
        assert text in html, text


def test_detail_pages_have_empty_states_that_say_what_happens_next(admin_client, scope):
    html = admin_client.get(reverse("task_detail", args=[scope.task.pk])).content.decode()
    assert html.count('class="alert alert-secondary"') == 3  # no funding, no progress report, no output


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
