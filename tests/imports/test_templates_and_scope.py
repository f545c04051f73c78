"""The templates, read back with openpyxl: headers from the model, one example row, Excel's validation; and who
may import what (a province its progress reports and outputs, within its scope)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from coop.columns import field_header
from imports.kinds import KINDS
from imports.spreadsheet import LIST_SHEET_NAMES, MAX_ROWS
from tasks.choices import FundingSource, TaskField, TaskStatus
from tasks.models import Funding, Task
from tests.conftest import logged_in
from tests.helpers import body, demo_login
from tests.imports.conftest import errors_of, upload, xlsx


def template(client, kind) -> openpyxl.Workbook:
    response = client.get(reverse("import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mau-')
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def validations(sheet) -> dict[str, object]:
    """Each validation by the column letter of the range it covers."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation
    return found


@pytest.mark.usefixtures("demo_data")
class TestTemplates:
    def test_the_task_template_has_the_models_headers_an_example_and_drop_down_lists(self, db):
        workbook = template(demo_login("bo.chuyenvien"), "tasks")
        sheet = workbook.worksheets[0]
        assert sheet.title == "Nhiệm vụ KH&CN"
        headers = [cell.value for cell in sheet[1]]
        assert headers[:3] == ["Chương trình", str(field_header(Task, "code")), "Tên"]
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
        assert [cell.value for cell in sheet[2]][1] == "TB-01"  # the example row
        lists = workbook[LIST_SHEET_NAMES[0]]
        assert lists.sheet_state == "hidden"
        by_column = validations(sheet)
        field_list = by_column["D"]
        assert field_list.type == "list" and field_list.formula1.startswith("'Danh mục'!$D$2")
        listed = [row[0] for row in lists.iter_rows(min_col=4, max_col=4, min_row=2, values_only=True) if row[0]]
        assert listed == [str(label) for _value, label in TaskField.choices]
        statuses = [row[0] for row in lists.iter_rows(min_col=13, max_col=13, min_row=2, values_only=True) if row[0]]
        assert statuses == [str(label) for _value, label in TaskStatus.choices]
        agencies = [row[0] for row in lists.iter_rows(min_col=6, max_col=6, min_row=2, values_only=True) if row[0]]
        assert "Sở Khoa học và Công nghệ tỉnh Thái Bình" in agencies or any("Thái Bình" in name for name in agencies)
        assert by_column["K"].type == "date" and by_column["L"].type == "date"
        assert str(by_column["D"].sqref) == f"D2:D{MAX_ROWS + 1}"
        assert workbook.worksheets[1].title == "Hướng dẫn"

    def test_money_columns_take_whole_numbers_from_zero(self, db):
        sheet = template(demo_login("bo.chuyenvien"), "funding").worksheets[0]
        by_column = validations(sheet)
        allocated = by_column["E"]
        assert (allocated.type, allocated.operator, allocated.formula1) == ("whole", "greaterThanOrEqual", "0")
        assert sheet["E2"].number_format == "#,##0"
        sources = by_column["C"]
        assert sources.type == "list" and sources.showErrorMessage

    def test_an_untouched_template_imports_nothing_and_says_its_example_was_skipped(self, db):
        client = demo_login("bo.chuyenvien")
        for kind in KINDS:
            content = body(client.get(reverse("import_template", args=[kind])))
            response, batch = upload(client, kind, content, "mau.xlsx")
            assert batch is not None, response.context["form"].errors
            assert batch.file_errors == [] and sum(batch.counts.values()) == 0
            assert "Dòng 2 là dòng ví dụ của mẫu nên được bỏ qua." in batch.notices


def test_the_template_follows_the_choices_of_the_model(db, roles):
    sheet = template(logged_in(roles.ministry_user), "funding")[LIST_SHEET_NAMES[0]]
    assert [row[0] for row in sheet.iter_rows(min_col=3, max_col=3, min_row=2, values_only=True)] == [
        str(label) for _value, label in FundingSource.choices
    ]


def test_who_may_import_what(roles):
    ministry, province, leadership = (
        logged_in(user) for user in (roles.ministry_user, roles.province_user, roles.leadership_user)
    )
    assert ministry.get(reverse("imports")).status_code == 200
    page = province.get(reverse("imports"))
    assert [value for value, _label in page.context["form"].fields["kind"].choices] == ["outputs", "progress"]
    assert province.get(reverse("import_template", args=["tasks"])).status_code == 403
    assert province.get(reverse("import_data", args=["funding"])).status_code == 403
    assert province.get(reverse("import_template", args=["progress"])).status_code == 200
    assert ministry.get(reverse("import_template", args=["nothing"])).status_code == 404
    assert leadership.get(reverse("imports")).status_code == 403
    anonymous = logged_in(roles.ministry_user)
    anonymous.logout()
    assert anonymous.get(reverse("imports")).status_code == 302
    # A province cannot post a kind it may not import.
    before = Task.objects.count()
    response, _batch = upload(province, "tasks", xlsx([["Chương trình", "Mã", "Tên"], ["X", "Y", "Z"]]))
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    assert Task.objects.count() == before


def test_a_province_cannot_import_into_a_task_outside_its_scope(roles):
    from tests.factories import fund

    fund(roles.task)
    fund(roles.other_task)
    province = logged_in(roles.province_user)
    rows = [
        ["Chương trình", "Mã nhiệm vụ", "Tính đến ngày", "Tỷ lệ hoàn thành (%)", "Tóm tắt tiến độ"],
        [roles.other_task.programme.code, roles.other_task.code, "30/06/2017", 50, "Đã xong 50%"],
        ["", roles.other_task.code, "30/06/2017", 50, "Đã xong 50%"],
        [roles.task.programme.code, roles.task.code, "30/06/2017", 50, "Đã xong 50%"],
    ]
    _response, batch = upload(province, "progress", xlsx(rows))
    # The other province's programme and task are not named: for this user they do not exist.
    programme, code = roles.other_task.programme.code, roles.other_task.code
    assert errors_of(batch) == [
        f"Dòng 2, cột 'Chương trình': '{programme}': không có chương trình nào trong phạm vi của anh/chị mang mã này",
        f"Dòng 3: không có nhiệm vụ nào trong phạm vi của anh/chị mang mã {code}",
    ]
    assert batch.counts["create"] == 1
    assert not Funding.objects.filter(task=roles.other_task, reported_disbursements__isnull=False).exists()
