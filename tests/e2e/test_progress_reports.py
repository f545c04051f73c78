"""Progress reports end to end: a department reports, the Ministry approves or returns, the department reads why."""

import datetime
import re

from django.contrib.auth import get_user_model

from tasks import services
from tasks.choices import ReportStatus
from tasks.models import ProgressReport, Task
from tests.e2e.helpers import expect, log_in, main, menu

# After the demo's latest approved reports (31/05/2020) and the tasks' start, and not in the future.
AS_OF = datetime.date(2020, 9, 30)


def test_department_reports_progress_and_is_refused_another_province(page, shot):
    task = Task.objects.get(code="TB-2012-28")
    log_in(page, "so.thaibinh")

    page.locator("#site-search").fill(task.code)
    page.locator("#site-search").press("Enter")
    main(page).locator("#results-tasks").get_by_role("link", name=task.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(task.title)
    expect(main(page)).to_contain_text(task.lead_agency.name)
    shot(page, "task")

    main(page).get_by_role("link", name="Báo cáo tiến độ", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/tasks/{task.pk}/progress/add/$"))
    page.locator("#id_as_of").fill(AS_OF.strftime("%d/%m/%Y"))
    page.locator("#id_percent_complete").fill("80")
    page.locator("#id_summary").fill("Đã hoàn thiện phần mềm và tập huấn người dùng tại Sở.")
    shot(page, "form-filled")
    main(page).get_by_role("button", name="Gửi để duyệt").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tính đến ngày 30/09/2020")
    expect(main(page)).to_contain_text("Đã gửi")
    expect(main(page)).to_contain_text("Hoàn thành 80%")
    shot(page, "submitted")
    report = ProgressReport.objects.get(task=task, as_of=AS_OF)
    assert report.status == ReportStatus.SUBMITTED
    assert report.percent_complete == 80
    assert report.submitted_by.username == "so.thaibinh"
    assert page.url.endswith(f"/progress-reports/{report.pk}/")
    # Nothing in the task changes before the Ministry approves.
    task.refresh_from_db()
    assert task.percent_complete == 55

    # A Nam Định task is outside the Thái Bình department's scope: not found, not forbidden.
    other = Task.objects.get(code="ND-2016-05")
    response = page.goto(f"/tasks/{other.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(main(page)).not_to_contain_text(other.title)
    shot(page, "other-province-404")


def test_ministry_approves_one_report_and_returns_another(new_page, shot):
    department = get_user_model().objects.get(username="so.thaibinh")
    to_approve = _submitted(department, "TB-2012-28", 80, "Đã hoàn thiện phần mềm.")
    to_return = _submitted(department, "TB-2012-14", 90, "Đã vận hành dây chuyền đóng gói.")

    staff = new_page()
    log_in(staff, "bo.chuyenvien")
    menu(staff).get_by_role("link", name=re.compile("^Báo cáo tiến độ")).click()
    queue = main(staff).locator("table").first
    expect(queue.locator("tbody tr")).to_have_count(2)
    shot(staff, "review-queue")

    # Approve: the task's percent complete follows the report.
    queue.locator("tbody tr", has_text=to_approve.task.code).get_by_role("link", name="30/09/2020").click()
    expect(main(staff)).to_contain_text("Đã hoàn thiện phần mềm.")
    main(staff).get_by_role("radio", name="Duyệt").check()
    shot(staff, "approve")
    main(staff).get_by_role("button", name="Ghi nhận quyết định").click()
    expect(staff.get_by_role("alert")).to_contain_text("80%")
    to_approve.refresh_from_db()
    assert to_approve.status == ReportStatus.APPROVED
    assert to_approve.reviewed_by.username == "bo.chuyenvien"
    task = to_approve.task
    task.refresh_from_db()
    assert task.percent_complete == 80

    staff.goto(task.get_absolute_url())
    expect(staff.locator("#percent-label")).to_have_text("Hoàn thành 80%")
    expect(staff.get_by_role("progressbar")).to_have_attribute("value", "80")
    shot(staff, "task-after-approval")

    # Return the other with a note; its task does not move.
    staff.goto(to_return.get_absolute_url())
    main(staff).get_by_role("radio", name="Trả lại để chỉnh sửa").check()
    note = "Số liệu giải ngân chưa khớp với báo cáo tài chính; đề nghị bổ sung."
    main(staff).get_by_label("Ghi chú gửi địa phương").fill(note)
    main(staff).get_by_role("button", name="Ghi nhận quyết định").click()
    expect(staff.get_by_role("alert")).to_be_visible()
    to_return.refresh_from_db()
    assert to_return.status == ReportStatus.RETURNED
    assert to_return.review_note == note
    assert Task.objects.get(pk=to_return.task_id).percent_complete == 75

    # The department finds the returned report from its menu and reads the note.
    province = new_page()
    log_in(province, "so.thaibinh")
    menu(province).get_by_role("link", name=re.compile("^Báo cáo tiến độ")).click()
    main(province).locator("tbody tr", has_text=to_return.task.code).get_by_role("link", name="30/09/2020").click()
    expect(main(province)).to_contain_text(note)
    main(province).get_by_role("link", name="Chỉnh sửa và gửi lại").click()
    expect(main(province).get_by_role("status")).to_contain_text("Bộ đã trả lại báo cáo với ghi chú:")
    expect(main(province).get_by_role("status")).to_contain_text(note)
    shot(province, "returned-note")


def _submitted(author, code: str, percent: int, summary: str) -> ProgressReport:
    """A report the department has submitted, through the same service the form uses."""
    return services.progress_report_save(
        task=Task.objects.get(code=code),
        author=author,
        data={"as_of": AS_OF, "percent_complete": percent, "summary": summary},
        submit=True,
    )
