"""Exports that open ready to use in Excel: named sheets, a frozen bold header with a filter, widths, real numbers
and dates with their formats, the filters written down beside the rows, and CSV in the user's separator."""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from coop import exports, xlsx
from coop.columns import ExportFormat
from coop.models import CsvSeparator
from tasks.choices import FundingSource, ReportStatus, TaskStatus
from tasks.tables import TaskTable
from tests.conftest import logged_in
from tests.factories import OutputFactory, ProgressReportFactory, TaskFactory, fund
from tests.helpers import body

BIG_MONEY = Decimal("6500000000")  # 6,5E+09 in a "General" cell


@pytest.fixture
def tasks(world):
    """Three tasks the ministry's staff export (two in Thái Bình, one in Nam Định); the first has 6.5 billion
    đồng from the Ministry."""
    world.task.status = TaskStatus.IN_PROGRESS
    world.task.start_on, world.task.end_on = datetime.date(2013, 1, 1), datetime.date(2015, 12, 31)
    world.task.percent_complete = 85
    world.task.save()
    fund(world.task, FundingSource.MINISTRY, 2014, BIG_MONEY)
    world.second_task = TaskFactory(
        programme=world.programme,
        lead_agency=world.department,
        title="Xây dựng mô hình sản xuất nấm ăn, nấm dược liệu theo chuỗi giá trị tại tỉnh Thái Bình " * 2,
        status=TaskStatus.SUSPENDED,
    )
    world.ministry_user.first_name, world.ministry_user.last_name = "Lan", "Nguyễn Thị"
    world.ministry_user.save()
    return world


def workbook_of(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def csv_text(response) -> str:
    assert response.status_code == 200
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return text.removeprefix("\ufeff")


def column(sheet, header: str) -> list:
    """The cells under `header` in the first sheet (the header row excluded)."""
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


def notes(workbook) -> dict:
    """The second sheet as label → value."""
    return {label: value for label, value in workbook.worksheets[1].iter_rows(values_only=True)}


# XLSX


def test_the_task_xlsx_has_named_sheets_a_bold_frozen_header_a_filter_and_widths(tasks):
    client = logged_in(tasks.ministry_user, language="vi")
    workbook = workbook_of(client.get(reverse("task_list"), {"sort": "code", "_export": "xlsx"}))
    with translation.override("vi"):
        assert workbook.sheetnames == ["Nhiệm vụ KH&CN", pgettext("sheet of an export", "Filters")]
    sheet = workbook.worksheets[0]
    header = sheet[1]
    assert all(cell.font.b for cell in header)
    assert sheet.freeze_panes == "A2"
    last_column = openpyxl.utils.get_column_letter(len(header))
    assert sheet.auto_filter.ref == f"A1:{last_column}4"  # the header and the three tasks
    widths = [sheet.column_dimensions[openpyxl.utils.get_column_letter(n)].width for n in range(1, len(header) + 1)]
    assert all(xlsx.WIDTH_MIN <= width <= xlsx.WIDTH_MAX for width in widths)
    headers = [cell.value for cell in header]
    with translation.override("vi"):
        table = TaskTable([])
        title_width = widths[headers.index(str(table.columns["title"].header))]
        code_width = widths[headers.index(str(table.columns["code"].header))]
    assert title_width == xlsx.WIDTH_MAX  # the long title, capped
    assert code_width < 20


@pytest.mark.parametrize("language", ["vi", "en"])
def test_money_dates_and_percentages_are_numbers_and_dates_with_their_formats(tasks, language):
    client = logged_in(tasks.ministry_user, language=language)
    workbook = workbook_of(client.get(reverse("task_list"), {"sort": "code", "_export": "xlsx"}))
    sheet = workbook.worksheets[0]
    with translation.override(language):
        table = TaskTable([])
        names = ("ministry_funding", "start_on", "percent_complete")
        header = {name: str(table.columns[name].header) for name in names}
        period = str(table.columns["period"].header)
    assert period not in [cell.value for cell in sheet[1]]  # the start and the end have their own columns
    money = column(sheet, header["ministry_funding"])[0]
    assert isinstance(money.value, int | Decimal) and money.value == BIG_MONEY
    assert money.data_type == "n"
    assert money.number_format == "#,##0"
    start = column(sheet, header["start_on"])[0]
    assert start.value == datetime.datetime(2013, 1, 1)
    assert start.is_date and start.number_format == "dd/mm/yyyy"
    percent = column(sheet, header["percent_complete"])[0]
    assert percent.value == 85 and percent.data_type == "n"
    assert percent.number_format == '0"%"'


def test_moments_are_date_times_and_counts_whole_numbers(tasks):
    sent = datetime.datetime(2025, 7, 5, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Hà Nội
    ProgressReportFactory(task=tasks.task, status=ReportStatus.SUBMITTED, submitted_at=sent)
    OutputFactory(task=tasks.task, quantity=1250, unit="mô hình")
    client = logged_in(tasks.ministry_user, language="en")
    reports = workbook_of(client.get(reverse("progress_report_list"), {"_export": "xlsx"})).worksheets[0]
    submitted = column(reports, "Submitted at")[0]
    assert submitted.value == datetime.datetime(2025, 7, 5, 9, 0)
    assert submitted.number_format == "dd/mm/yyyy hh:mm"
    outputs = workbook_of(client.get(reverse("output_list"), {"_export": "xlsx"})).worksheets[0]
    quantity = column(outputs, "Quantity")[0]
    assert quantity.value == 1250 and quantity.data_type == "n"
    assert quantity.number_format == "#,##0"


def test_the_filter_sheet_names_the_filters_the_sort_the_user_the_time_and_the_rows(tasks):
    client = logged_in(tasks.ministry_user, language="en")
    province = tasks.department.province
    before = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    response = client.get(
        reverse("task_list"),
        {
            "province": province.pk,
            "status": [TaskStatus.IN_PROGRESS, TaskStatus.SUSPENDED],
            "funding_min": "1000000000",
            "sort": "-total_funding",
            "_export": "xlsx",
        },
    )
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["S&T tasks", "Filters"]
    written = notes(workbook)
    assert written["List"] == "S&T tasks"
    assert written["Province of the lead agency"] == province.name  # its name, not its id
    assert written["Status"] == "In progress; Suspended"
    assert written["Total funding at least (VND)"] == "1,000,000,000"
    assert written["Sort"] == "Total funding, descending"
    assert written["Exported by"] == "Nguyễn Thị Lan (bo.test)"  # a Vietnamese name, family name first
    exported_at = datetime.datetime.strptime(written["Exported at (Hà Nội time)"], "%d/%m/%Y %H:%M")
    assert before <= exported_at <= before + datetime.timedelta(minutes=2)
    assert written["Rows"] == 1  # the task with 6.5 billion; the other has no funding
    assert workbook.worksheets[0].max_row == 2
    assert all(cell.font.b for cell in workbook.worksheets[1]["A"])


def test_an_unfiltered_export_says_it_holds_every_row_in_the_lists_order(tasks):
    client = logged_in(tasks.ministry_user, language="en")
    written = notes(workbook_of(client.get(reverse("task_list"), {"_export": "xlsx"})))
    assert written["Filters"] == "None: every row you may see"
    assert written["Sort"] == "The list's default order"
    assert written["Rows"] == 3


def test_the_reporting_tables_export_with_the_same_looks():
    response = exports.values_export_response(
        header=["Tỉnh", "Đến hạn", "Tỷ lệ đúng hạn (%)"],
        rows=[["Thái Bình", 1250, 87.5], ["Nam Định", 3, None]],
        export_format="xlsx",
        filename="Báo cáo theo tỉnh: kỳ [1/2021]",
        formats=[ExportFormat.TEXT, ExportFormat.COUNT, ExportFormat.PERCENT_TENTHS],
        conditions=[("Kỳ báo cáo", "Sáu tháng đầu năm 2021")],
    )
    workbook = workbook_of(response)
    sheet = workbook.worksheets[0]
    assert workbook.sheetnames[0] == "Báo cáo theo tỉnh kỳ 1 2021"  # no ":", "[" or "]" in a sheet's name
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C3"
    assert [cell.number_format for cell in sheet[2]] == ["General", "#,##0", '0.0"%"']
    assert notes(workbook)["Kỳ báo cáo"] == "Sáu tháng đầu năm 2021"


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("nhiệm vụ KH&CN", "Nhiệm vụ KH&CN"),
        ("a/b\\c?d*e[f]g:h", "A b c d e f g h"),
        ("'kiến nghị'", "Kiến nghị"),
        ("Chương trình phối hợp giữa Bộ KH&CN và tỉnh Thái Bình", "Chương trình phối hợp giữa Bộ K"),
        ("[]", "Rows"),
    ],
)
def test_a_sheet_is_named_as_excel_allows(title, name):
    assert exports.sheet_name(title, fallback="Rows") == name
    assert len(name) <= 31


def test_the_xlsx_export_still_writes_text_typed_like_a_formula_as_text(tasks):
    tasks.task.location = "=HYPERLINK(1)"
    tasks.task.save()
    client = logged_in(tasks.ministry_user, language="en")
    sheet = workbook_of(client.get(reverse("task_list"), {"sort": "code", "_export": "xlsx"})).worksheets[0]
    location = column(sheet, "Location")[0]
    assert location.value == "=HYPERLINK(1)"
    assert location.data_type == "s" and location.quotePrefix


# CSV


@pytest.mark.parametrize("separator", CsvSeparator.values)
def test_the_csv_uses_the_users_separator(tasks, separator):
    tasks.ministry_user.csv_separator = separator
    tasks.ministry_user.save()
    client = logged_in(tasks.ministry_user, language="en")
    text = csv_text(client.get(reverse("task_list"), {"sort": "code", "_export": "csv"}))
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    columns = len([column for column in TaskTable([]).columns.iterall() if not column.column.exclude_from_export])
    assert [len(row) for row in rows] == [columns] * 4
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Ministry funding"] == "6500000000"
    assert first["Title"] == tasks.task.title  # a title with commas stays in its cell either way
    other = CsvSeparator.COMMA if separator == CsvSeparator.SEMICOLON else CsvSeparator.SEMICOLON
    assert len(next(csv.reader(io.StringIO(text), delimiter=other))) < columns


def test_every_user_starts_with_the_semicolon_of_excel_in_vietnamese(tasks):
    assert tasks.ministry_user.csv_separator == CsvSeparator.SEMICOLON
    text = csv_text(logged_in(tasks.ministry_user).get(reverse("task_list"), {"_export": "csv"}))
    assert text.splitlines()[0].count(";") == text.splitlines()[1].count(";") > 10


def test_csv_dates_read_dd_mm_yyyy_and_moments_dd_mm_yyyy_hh_mm(tasks):
    sent = datetime.datetime(2025, 7, 5, 2, 0, tzinfo=datetime.UTC)
    ProgressReportFactory(task=tasks.task, status=ReportStatus.SUBMITTED, submitted_at=sent)
    client = logged_in(tasks.ministry_user, language="en")
    text = csv_text(client.get(reverse("task_list"), {"sort": "code", "_export": "csv"}))
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["Start date"], first["End date"]) == ("01/01/2013", "31/12/2015")
    assert "Period" not in first
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # one way of writing dates in the whole file
    reports = csv_text(client.get(reverse("progress_report_list"), {"_export": "csv"}))
    header, row = csv.reader(io.StringIO(reports), delimiter=";")
    assert row[header.index("Submitted at")] == "05/07/2025 09:00"


def test_fractions_take_the_decimal_mark_that_goes_with_the_separator():
    assert exports.csv_value(87.5, decimal_comma=True) == "87,5"
    assert exports.csv_value(87.5, decimal_comma=False) == "87.5"
    assert exports.csv_value(Decimal("6.5E+9"), decimal_comma=True) == "6500000000"
    assert exports.csv_value(-5, decimal_comma=True) == -5  # numbers are never neutralised
    assert exports.csv_value("-5", decimal_comma=True) == "'-5"


# The settings page and the list's export menu


def test_the_settings_page_offers_the_separator_as_a_labelled_choice_and_saves_it(tasks):
    user = tasks.province_user
    client = logged_in(user, language="en")
    page = client.get(reverse("profile"))
    html = page.content.decode()
    assert html.count('type="radio" name="csv_separator"') == 2
    assert 'type="checkbox" name="csv_separator"' not in html
    assert "Separator of CSV files" in html
    assert "Excel set to Vietnamese expects a semicolon; set to English, a comma." in html
    user.refresh_from_db()
    assert user.csv_separator == CsvSeparator.SEMICOLON  # GET never writes
    form = {"language": "vi", "email_reviews": "on", "csv_separator": ","}
    assert client.post(reverse("profile"), form).status_code == 302
    user.refresh_from_db()
    assert (user.csv_separator, user.email_reviews, user.email_submissions) == (",", True, False)
    refused = client.post(reverse("profile"), {**form, "csv_separator": "|"})
    assert refused.status_code == 200 and refused.context["form"].errors["csv_separator"]
    user.refresh_from_db()
    assert user.csv_separator == ","


@pytest.mark.parametrize(("separator", "words"), [(";", "semicolon (;)"), (",", "comma (,)")])
def test_the_lists_export_menu_says_which_separator_the_csv_uses(tasks, separator, words):
    tasks.ministry_user.csv_separator = separator
    tasks.ministry_user.save()
    html = logged_in(tasks.ministry_user, language="en").get(reverse("task_list")).content.decode()
    note = re.search(r'<span[^>]*id="csv-separator-note">(.*?)</span>', html, re.S).group(1)
    assert words in note
    assert f'href="{reverse("profile")}#csv-separator"' in note


def test_text_is_always_a_text_cell_however_it_starts():
    """Plain text goes to openpyxl as it is; what openpyxl would take for a formula or an error gets a text cell."""
    texts = ["Thái Bình", "#N/A", "=1+1", "-2", "Mô hình\x07 nấm", "x" * 40_000]
    response = exports.values_export_response(
        header=["Tên"], rows=[[text] for text in texts], export_format="xlsx", filename="t"
    )
    cells = [row[0] for row in workbook_of(response).worksheets[0].iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.value for cell in cells] == [
        "Thái Bình",
        "#N/A",
        "=1+1",
        "-2",
        "Mô hình nấm",
        "x" * xlsx.XLSX_MAX_TEXT,
    ]
    assert [bool(cell.quotePrefix) for cell in cells] == [False, False, True, True, False, False]
