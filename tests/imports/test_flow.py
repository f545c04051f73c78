"""Upload → preview → confirm: what the preview says, what confirming writes (all or nothing), the history."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from imports.choices import ImportStatus, RowAction
from imports.models import ImportBatch
from tasks.choices import OutputStatus, ReportStatus, TaskStatus
from tasks.models import Funding, Output, ProgressReport, Task
from tests.conftest import logged_in
from tests.helpers import database_state, demo_login, vietnamese
from tests.imports.conftest import confirm, errors_of, saved, upload, workbook_of, xlsx

RECORDS = (Task, Funding, Output, ProgressReport)
PROGRAMME = "PH-BKHCN-TB-2012"
DISBURSED = "Lũy kế giải ngân theo dòng kinh phí"


def data_workbook(client, kind):
    return workbook_of(client.get(reverse("import_data", args=[kind])))


def task_in_row(sheet, number: int) -> Task:
    return Task.objects.get(
        programme__code=sheet.cell(row=number, column=1).value, code=sheet.cell(row=number, column=2).value
    )


def column(sheet, header: str) -> int:
    """The 1-based position of the column with `header` in row 1."""
    return [cell.value for cell in sheet[1]].index(header) + 1


@pytest.mark.usefixtures("demo_data")
class TestTasks:
    def test_the_preview_lists_creations_and_changes_old_to_new_and_confirming_writes_them(self, db):
        client = demo_login("bo.chuyenvien")
        workbook = data_workbook(client, "tasks")
        sheet = workbook.active
        task = task_in_row(sheet, 2)
        sheet.cell(row=2, column=column(sheet, "Tên"), value=task.title + " (điều chỉnh)")
        sheet.cell(row=2, column=column(sheet, "Ngày kết thúc"), value="30/06/2016")
        new = [None] * sheet.max_column
        for header, value in {
            "Chương trình": PROGRAMME,
            "Mã": "TB-2021-01",
            "Tên": "Ứng dụng công nghệ cao trong sản xuất nấm ăn",
            "Lĩnh vực": "Nông nghiệp",
            "Cấp quản lý": "Cấp tỉnh",
            "Cơ quan chủ trì": task.lead_agency.name,
            "Địa bàn thực hiện": "Thái Bình (xã Vũ Hội)",
            "Ngày bắt đầu": "01/01/2021",
            "Ngày kết thúc": "31/12/2022",
        }.items():
            new[column(sheet, header) - 1] = value
        sheet.append(new)

        response, batch = upload(client, "tasks", saved(workbook), "nhiem-vu.xlsx")
        assert batch.status == ImportStatus.CHECKED, errors_of(batch)
        assert batch.counts == {"create": 1, "update": 1, "unchanged": Task.objects.count() - 1, "error": 0}
        change = batch.rows.get(action=RowAction.UPDATE)
        assert change.number == 2
        assert ["Tên", task.title, task.title + " (điều chỉnh)"] in change.changes
        assert ["Ngày kết thúc", task.end_on.strftime("%d/%m/%Y"), "30/06/2016"] in change.changes
        page = client.get(response["Location"]).content.decode()
        assert "(điều chỉnh)" in page and "<del>" in page
        assert Task.objects.filter(code="TB-2021-01").count() == 0  # nothing written before confirming

        batch = confirm(client, batch)
        assert batch.status == ImportStatus.APPLIED, batch.error_message
        task.refresh_from_db()
        assert task.title.endswith("(điều chỉnh)") and task.end_on == datetime.date(2016, 6, 30)
        created = Task.objects.get(programme__code=PROGRAMME, code="TB-2021-01")
        assert created.status == TaskStatus.PROPOSED
        assert created.places_label() == "Thái Bình (xã Vũ Hội)"
        for record in (task, created):
            latest = record.history.first()
            assert latest.history_user.username == "bo.chuyenvien"
            assert latest.history_change_reason == "Nhập từ tệp nhiem-vu.xlsx"

        # The same file again: every row unchanged.
        _response, again = upload(client, "tasks", saved(workbook), "nhiem-vu.xlsx")
        assert again.counts == {"create": 0, "update": 0, "unchanged": Task.objects.count(), "error": 0}, [
            (row.number, row.changes) for row in again.rows.exclude(action=RowAction.UNCHANGED)
        ]

    def test_a_file_with_errors_names_row_and_column_and_cannot_be_confirmed(self, db):
        client = demo_login("bo.chuyenvien")
        workbook = data_workbook(client, "tasks")
        sheet = workbook.active
        sheet.cell(row=3, column=column(sheet, "Ngày bắt đầu"), value="31/02/2020")
        sheet.cell(row=4, column=column(sheet, "Lĩnh vực"), value="Thiên văn")
        sheet.cell(row=5, column=column(sheet, "Cơ quan chủ trì"), value="Sở không tồn tại")
        before = database_state(*RECORDS)
        response, batch = upload(client, "tasks", saved(workbook))
        assert batch.status == ImportStatus.INVALID
        assert errors_of(batch) == [
            "Dòng 3, cột 'Ngày bắt đầu': '31/02/2020' không phải là ngày; hãy ghi theo dạng dd/mm/yyyy, "
            "ví dụ 10/06/2020",
            "Dòng 4, cột 'Lĩnh vực': 'Thiên văn' không có trong danh sách lựa chọn",
            "Dòng 5, cột 'Cơ quan chủ trì': 'Sở không tồn tại': không có cơ quan nào mang tên này",
        ]
        page = client.get(response["Location"])
        assert "import-confirm" not in page.content.decode()
        refused = client.post(reverse("import_confirm", args=[batch.pk]))
        assert refused.status_code == 302
        assert database_state(*RECORDS) == before

    def test_a_rule_of_the_model_is_an_error_of_its_row(self, db):
        client = demo_login("bo.chuyenvien")
        workbook = data_workbook(client, "tasks")
        sheet = workbook.active
        sheet.cell(row=2, column=column(sheet, "Ngày kết thúc"), value="01/01/2000")
        _response, batch = upload(client, "tasks", saved(workbook))
        assert batch.status == ImportStatus.INVALID
        [row] = batch.rows.filter(action=RowAction.ERROR)
        # The constraint's own message, in the user's language (tasks.models: task_end_not_before_start).
        assert (row.number, row.errors) == (
            2,
            ["Dòng 2: " + vietnamese("The end date cannot be before the start date.")],
        )

    def test_records_changed_after_the_check_stop_the_whole_file(self, db):
        client = demo_login("bo.chuyenvien")
        workbook = data_workbook(client, "tasks")
        sheet = workbook.active
        task = task_in_row(sheet, 2)
        sheet.cell(row=2, column=column(sheet, "Tên"), value="Tên mới")
        sheet.cell(row=3, column=column(sheet, "Tên"), value="Tên mới khác")
        _response, batch = upload(client, "tasks", saved(workbook))
        assert batch.counts["update"] == 2
        # Someone else edits a task the file changes, between the preview and the confirmation.
        Task.objects.filter(pk=task.pk).update(title="Sửa bởi người khác")
        before = database_state(*RECORDS)
        batch = confirm(client, batch)
        assert batch.status == ImportStatus.FAILED
        assert "Dữ liệu đã thay đổi" in batch.error_message
        assert database_state(*RECORDS) == before


@pytest.mark.usefixtures("demo_data")
class TestFundingOutputsAndProgress:
    def test_funding_rows_are_created_and_changed_and_the_task_sums_follow(self, db):
        client = demo_login("bo.chuyenvien")
        task = Task.objects.filter(programme__code=PROGRAMME).order_by("code").first()
        rows = [
            ["Chương trình", "Mã nhiệm vụ", "Nguồn kinh phí", "Năm", "Kinh phí được giao (đồng)"],
            [PROGRAMME, task.code, "Nguồn khác", 2015, "1.500.000.000"],
        ]
        _response, batch = upload(client, "funding", xlsx(rows), "kinh-phi.xlsx")
        assert batch.counts["create"] == 1, errors_of(batch)
        confirm(client, batch)
        task.refresh_from_db()
        assert task.other_funding == Decimal("1500000000")
        rows[1][4] = 1_000_000_000
        _response, batch = upload(client, "funding", xlsx(rows), "kinh-phi.xlsx")
        assert batch.rows.get(action=RowAction.UPDATE).changes == [
            ["Kinh phí được giao (đồng)", "1.500.000.000 đ", "1.000.000.000 đ"]
        ]
        confirm(client, batch)
        task.refresh_from_db()
        assert task.other_funding == Decimal("1000000000")

    def test_text_in_a_money_column_is_refused_in_the_words_of_the_issue(self, db):
        client = demo_login("bo.chuyenvien")
        task = Task.objects.filter(programme__code=PROGRAMME).order_by("code").first()
        rows = [
            ["Chương trình", "Mã nhiệm vụ", "Nguồn kinh phí", "Năm", "Kinh phí được giao (đồng)"],
            *[[PROGRAMME, task.code, "Nguồn khác", 2000 + n, 1000] for n in range(12)],
            [PROGRAMME, task.code, "Nguồn khác", 2014, "3,2 tỷ"],
        ]
        _response, batch = upload(client, "funding", xlsx(rows))
        assert errors_of(batch) == [
            "Dòng 14, cột 'Kinh phí được giao (đồng)': '3,2 tỷ' không phải là số; hãy ghi số đồng, ví dụ 1.234.567 "
            "hoặc 1234567"
        ]

    def test_a_province_imports_progress_reports_of_its_tasks_with_disbursement_by_funding_row(self, db):
        client = demo_login("so.thaibinh")
        task = Task.objects.filter(programme__code=PROGRAMME, status=TaskStatus.IN_PROGRESS).order_by("code").first()
        funding = task.fundings.order_by("year", "source").first()
        rows = [
            ["Mã nhiệm vụ", "Tính đến ngày", "Tỷ lệ hoàn thành (%)", "Tóm tắt tiến độ", DISBURSED],
            [
                task.code,
                "30/11/2026",
                75,
                "Đã hoàn thành 3 mô hình",
                "{} {}: {}".format(funding.get_source_display(), funding.year, "1.000"),
            ],
        ]
        _response, batch = upload(client, "progress", xlsx(rows), "tien-do.xlsx")
        assert batch.counts["create"] == 1, errors_of(batch)
        batch = confirm(client, batch, submit_for_review="on")
        assert batch.status == ImportStatus.APPLIED, batch.error_message
        report = ProgressReport.objects.get(task=task, as_of=datetime.date(2026, 11, 30))
        assert report.status == ReportStatus.SUBMITTED
        assert report.percent_complete == 75
        assert [(row.funding, row.disbursed_to_date) for row in report.disbursements.all()] == [(funding, 1000)]
        assert report.history.first().history_change_reason == "Nhập từ tệp tien-do.xlsx"

    def test_outputs_are_recorded_as_drafts_unless_submitted_and_matched_by_task_kind_and_name(self, db):
        client = demo_login("so.thaibinh")
        task = Task.objects.filter(programme__code=PROGRAMME).order_by("code").first()
        rows = [
            ["Mã nhiệm vụ", "Loại", "Tên", "Số lượng", "Đơn vị tính", "Ngày đạt được"],
            [task.code, "Mô hình (trình diễn)", "Mô hình nuôi ngao giống", 2, "mô hình", "15/10/2015"],
        ]
        _response, batch = upload(client, "outputs", xlsx(rows))
        assert batch.counts["create"] == 1, errors_of(batch)
        confirm(client, batch)
        output = Output.objects.get(task=task, name="Mô hình nuôi ngao giống")
        assert output.status == OutputStatus.RECORDED and output.quantity == 2
        rows[1][3] = 3
        _response, batch = upload(client, "outputs", xlsx(rows))
        assert batch.counts["update"] == 1 and batch.counts["create"] == 0


def test_only_the_uploader_sees_and_confirms_a_file(roles, admin_client):
    owner = logged_in(roles.ministry_user)
    _response, batch = upload(owner, "tasks", xlsx([["Chương trình", "Mã"]]))
    assert owner.get(reverse("import_detail", args=[batch.pk])).status_code == 200
    assert admin_client.get(reverse("import_detail", args=[batch.pk])).status_code == 200
    for someone in (roles.administrator_user, roles.province_user, roles.other_province_user):
        client = logged_in(someone)
        assert client.get(reverse("import_detail", args=[batch.pk])).status_code in (403, 404)
        assert client.post(reverse("import_confirm", args=[batch.pk])).status_code in (403, 404)
    assert ImportBatch.objects.get(pk=batch.pk).status == batch.status
