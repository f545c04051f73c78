"""Accessibility in the browser: axe-core on every main page, the focus indicator along the Tab order, and what a
refused form or a wrong password does with the focus (WCAG 2.2 AA)."""

import re

from tasks.models import Task
from tests.e2e.accessibility import axe_violations, focus_faults
from tests.e2e.helpers import expect, log_in, main
from tests.pages import (
    MINISTRY,
    OUTSIDER,
    PROVINCE,
    TASK_CODE,
    ministry_pages,
    outsider_pages,
    province_pages,
    visitor_pages,
)


def visit_and_check(page, site_pages) -> list[str]:
    """axe-core's violations on each page, and any page that answered with another status than expected."""
    found = []
    for site_page in site_pages:
        response = page.goto(site_page.url)
        if response.status != site_page.status:
            found.append(f"{site_page.name} ({site_page.url}): status {response.status}, not {site_page.status}")
            continue
        found += axe_violations(page)
    return found


def test_every_main_page_passes_axe_core_for_each_role(new_page):
    anonymous = new_page()
    anonymous.goto("/accounts/login/")
    found = axe_violations(anonymous)
    anonymous.get_by_label("Tên đăng nhập").fill(MINISTRY)
    anonymous.get_by_label("Mật khẩu").fill("not the password")
    main(anonymous).get_by_role("button", name="Đăng nhập").click()
    expect(main(anonymous).get_by_role("alert")).to_be_visible()
    found += axe_violations(anonymous)
    found += visit_and_check(anonymous, visitor_pages())

    for username, site_pages in ((MINISTRY, ministry_pages()), (PROVINCE, province_pages())):
        page = new_page()
        log_in(page, username)
        found += visit_and_check(page, site_pages)

    outsider = new_page()
    log_in(outsider, OUTSIDER)
    found += visit_and_check(outsider, outsider_pages())
    expect(main(outsider).locator(".alert-secondary")).to_contain_text("Chưa có văn bản nào")

    assert found == [], "\n".join(found)


def test_every_focused_element_shows_an_indicator_of_at_least_3_to_1(new_page):
    anonymous = new_page()
    anonymous.goto("/accounts/login/")
    faults = focus_faults(anonymous)

    staff = new_page()
    log_in(staff, MINISTRY)
    meeting_edit = next(site_page.url for site_page in ministry_pages() if site_page.name == "meeting edit")
    for url in ("/", "/tasks/?status=in_progress", meeting_edit):
        staff.goto(url)
        faults += focus_faults(staff)

    department = new_page()
    log_in(department, PROVINCE)
    department.goto(f"/tasks/{Task.objects.get(code=TASK_CODE).pk}/progress/add/")
    faults += focus_faults(department)

    assert faults == [], "\n".join(faults)


def test_a_refused_form_opens_on_its_error_summary_which_leads_to_each_field(page):
    task = Task.objects.get(code=TASK_CODE)
    log_in(page, PROVINCE)
    page.goto(f"/tasks/{task.pk}/progress/add/")
    page.locator("#id_percent_complete").fill("150")
    main(page).get_by_role("button", name="Gửi để duyệt").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Chưa lưu được")
    # Each error links to its field, whose description is the error itself.
    summary.get_by_role("link", name=re.compile("tỷ lệ hoàn thành", re.I)).click()
    percent = page.locator("#id_percent_complete")
    expect(percent).to_be_focused()
    expect(percent).to_have_attribute("aria-invalid", "true")
    described_by = percent.get_attribute("aria-describedby").split()
    assert "id_percent_complete_error" in described_by
    expect(page.locator("#id_percent_complete_error")).to_be_visible()


def test_a_wrong_password_marks_both_fields_and_opens_on_the_alert(page):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(MINISTRY)
    page.get_by_label("Mật khẩu").fill("not the password")
    main(page).get_by_role("button", name="Đăng nhập").click()

    alert = main(page).get_by_role("alert")
    expect(alert).to_be_focused()
    for field in (page.get_by_label("Tên đăng nhập"), page.get_by_label("Mật khẩu")):
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", re.compile(r"\blogin-error\b"))
        expect(field).to_have_class(re.compile(r"\bis-invalid\b"))
