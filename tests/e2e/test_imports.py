"""Spreadsheet imports in a real browser: the Ministry edits a task's title in its data file and imports it back, a
department imports a progress report through the template; each sees the preview before anything is written."""

import datetime
import re

from openpyxl import load_workbook

from imports.choices import ImportStatus
from imports.kinds import KINDS
from imports.models import ImportBatch
from tasks.choices import ReportStatus
from tasks.models import ProgressReport, Task
from tests.e2e.helpers import expect, log_in, main

# After the demo's latest reports (31/05/2020) and the task's start, and not in the future.
AS_OF = datetime.date(2020, 10, 31)


def header(kind: str, name: str) -> str:
    return str(next(column.header for column in KINDS[kind].columns() if column.name == name))


def column_of(sheet, text: str) -> int:
    """The position (from 1) of the column headed `text` in the first row."""
    for cell in sheet[1]:
        if cell.value == text:
            return cell.column
    raise AssertionError(f"no column {text!r} in {[cell.value for cell in sheet[1]]}")


def download(page, link_id: str, tmp_path):
    with page.expect_download() as download_info:
        main(page).locator(f"#{link_id}").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    return saved


def upload(page, kind: str, path) -> ImportBatch:
    main(page).locator("#id_kind").select_option(kind)
    main(page).locator("#id_file").set_input_files(str(path))
    main(page).locator("#import-upload button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    return ImportBatch.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def test_ministry_edits_a_title_in_the_data_file_and_imports_it_back(page, shot, tmp_path):
    task = Task.objects.get(code="TB-2012-28")
    old_title, new_title = task.title, task.title + " (tên đã sửa)"
    log_in(page, "bo.chuyenvien")
    page.goto("/imports/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "imports")

    saved = download(page, "data-tasks", tmp_path)
    workbook = load_workbook(saved)
    sheet = workbook.worksheets[0]
    code, title = column_of(sheet, header("tasks", "code")), column_of(sheet, header("tasks", "title"))
    rows = [row for row in sheet.iter_rows(min_row=2) if row[code - 1].value == task.code]
    assert len(rows) == 1
    rows[0][title - 1].value = new_title
    edited = tmp_path / "nhiem-vu-da-sua.xlsx"
    workbook.save(edited)

    batch = upload(page, "tasks", edited)
    assert batch.status == ImportStatus.CHECKED, (batch.file_errors, list(batch.rows.values("number", "errors")))
    assert batch.counts == {"create": 0, "update": 1, "unchanged": batch.counts["unchanged"], "error": 0}
    preview = main(page).locator("#import-rows")
    expect(preview).to_contain_text(task.code)
    expect(preview.locator("del")).to_have_text(old_title)
    expect(preview.locator("ins")).to_have_text(new_title)
    task.refresh_from_db()
    assert task.title == old_title  # nothing written before the confirmation
    shot(page, "preview")

    main(page).locator("#import-confirm button[type=submit]").click()
    expect(main(page).locator("#import-confirm")).to_have_count(0)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    expect(main(page).locator("#import-status")).to_contain_text(batch.applied_at.astimezone().strftime("%d/%m/%Y"))
    shot(page, "imported")

    page.goto(task.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(new_title)
    record = task.history.order_by("-history_date").first()
    assert record.history_user.username == "bo.chuyenvien"
    assert saved.name not in record.history_change_reason and edited.name in record.history_change_reason


def test_department_imports_a_progress_report_through_the_template(page, shot, tmp_path):
    task = Task.objects.get(code="TB-2012-28")
    log_in(page, "so.thaibinh")
    page.goto("/imports/")
    # A department imports its progress and outputs, not tasks.
    expect(main(page).locator("#template-tasks")).to_have_count(0)
    saved = download(page, "template-progress", tmp_path)

    workbook = load_workbook(saved)
    sheet = workbook.worksheets[0]
    values = {
        "programme": task.programme.code,
        "task": task.code,
        "as_of": AS_OF.strftime("%d/%m/%Y"),
        "percent_complete": 85,
        "summary": "Đã hoàn thiện phần mềm, nhập từ tệp Excel.",
    }
    for name, value in values.items():
        sheet.cell(row=3, column=column_of(sheet, header("progress", name)), value=value)
    filled = tmp_path / "bao-cao-tien-do.xlsx"
    workbook.save(filled)

    batch = upload(page, "progress", filled)
    assert batch.status == ImportStatus.CHECKED, (batch.file_errors, list(batch.rows.values("number", "errors")))
    assert batch.counts == {"create": 1, "update": 0, "unchanged": 0, "error": 0}  # the example row is skipped
    expect(main(page).locator("#import-notices")).to_contain_text("2")
    expect(main(page).locator("#import-rows")).to_contain_text(values["summary"])
    assert not ProgressReport.objects.filter(task=task, as_of=AS_OF).exists()
    shot(page, "preview")

    main(page).locator("#import-confirm button[type=submit]").click()
    expect(main(page).locator("#import-confirm")).to_have_count(0)
    report = ProgressReport.objects.get(task=task, as_of=AS_OF)
    assert report.status == ReportStatus.DRAFT  # "submit for review" was left unticked
    assert report.percent_complete == 85 and report.summary == values["summary"]
    shot(page, "imported")
    page.goto(report.get_absolute_url())
    expect(main(page)).to_contain_text(values["summary"])
