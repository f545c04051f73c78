"""The reporting calendar end to end: a department starts from its overdue reports on its home page and reports
one in a click; the Ministry sees who is late and opens the tasks behind a figure."""

import re

from reporting.queries import reports_owed
from tasks.models import ProgressReport, Task
from tasks.rules import TASK_STATUSES_TAKING_PROGRESS
from tests.e2e.helpers import expect, log_in, main, menu, row_count


def test_department_reports_an_overdue_report_from_its_home_page(page, shot):
    from django.utils import timezone

    tasks = Task.objects.filter(programme__code="PH-BKHCN-TB-2012", status__in=TASK_STATUSES_TAKING_PROGRESS)
    owed, count = reports_owed(tasks=tasks, today=timezone.localdate())
    first = owed[0]
    assert first.state == "overdue"

    log_in(page, "so.thaibinh")
    listed = main(page).locator("#reports-owed li")
    expect(main(page).locator("#owed-heading")).to_contain_text(f"{count} báo cáo tiến độ")
    expect(listed.first).to_contain_text(first.task_code)
    expect(listed.first).to_contain_text("Quá hạn")
    shot(page, "home-owed")

    listed.first.get_by_role("link", name="Báo cáo ngay").click()
    expect(page).to_have_url(re.compile(rf"/tasks/{first.task_id}/progress/add/\?period={first.period_id}$"))
    expect(page.locator("#id_period")).to_have_value(str(first.period_id))
    page.locator("#id_as_of").fill(first.ends_on.strftime("%d/%m/%Y"))
    page.locator("#id_percent_complete").fill("95")
    page.locator("#id_summary").fill("Đã hoàn thành các nội dung, chuẩn bị hồ sơ nghiệm thu.")
    shot(page, "form")
    main(page).get_by_role("button", name="Gửi để duyệt").click()
    expect(main(page)).to_contain_text("Đã gửi")

    report = ProgressReport.objects.get(task_id=first.task_id, period_id=first.period_id, status="submitted")
    assert report.first_submitted_on == timezone.localdate()

    # The report came in after its due date: late, and no longer owed.
    page.goto(f"/tasks/{first.task_id}/")
    period_row = main(page).locator("#task-period-table tbody tr", has_text=first.period_label)
    expect(period_row).to_contain_text("Nộp muộn")
    page.goto("/")
    expect(main(page).locator("#owed-heading")).to_contain_text(f"{count - 1} báo cáo tiến độ")
    shot(page, "home-after")


def test_ministry_sees_who_is_late_and_opens_the_tasks_behind_a_figure(page, shot):
    log_in(page, "bo.chuyenvien")
    menu(page).get_by_role("link", name="Lịch báo cáo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch báo cáo")
    provinces = main(page).locator("#compliance-province")
    thai_binh = provinces.locator("tbody tr", has_text="Thái Bình")
    missing_cell = thai_binh.locator("td").nth(4)  # expected, due, on time, late, missing
    missing = int(missing_cell.inner_text())
    assert missing > 0
    shot(page, "reporting")

    missing_cell.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/tasks/\?.*report_figure=missing"))
    assert row_count(page) == missing
    shot(page, "missing-tasks")
