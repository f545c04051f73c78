"""Leadership: the overview's figures open the lists they count, the programme's data sheet as a PDF, and the
review document's life: drafted by Ministry staff, submitted, then signed and issued by its signer."""

import re

import pypdf

from programmes.models import Programme
from reports.choices import DocumentState
from reports.models import GeneratedReport
from seed.demo_data import THAI_BINH
from tests.e2e.helpers import expect, log_in, main, menu, row_count


def test_leadership_follows_a_figure_and_downloads_the_review_report(page, shot, tmp_path):
    log_in(page, "lanhdao")
    shot(page, "overview")

    # The first figure is the number of tasks; its list counts the same rows.
    figure = main(page).locator(".figure-card .figure-value").first
    shown = int(re.sub(r"\D", "", figure.inner_text()))
    assert shown > 0
    figure.click()
    expect(page.locator("#result-count")).to_be_visible()
    assert row_count(page) == shown
    shot(page, "figure-list")

    programme = Programme.objects.get(code=THAI_BINH)
    menu(page).get_by_role("link", name="Chương trình", exact=True).click()
    main(page).get_by_role("link", name=programme.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(programme.title)
    main(page).get_by_role("link", name="Báo cáo sơ kết (PDF)").click()
    expect(page).to_have_url(re.compile(rf"/reports/programmes/{programme.pk}/review/$"))
    page.locator("#id_as_of").fill("10/06/2020")
    shot(page, "review-form")
    with page.expect_download() as download_info:
        main(page).get_by_role("button", name="Xuất bảng số liệu (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    reader = pypdf.PdfReader(saved)
    assert len(reader.pages) >= 1
    text = " ".join(" ".join((page_.extract_text() or "").split()) for page_ in reader.pages)
    assert " ".join(programme.title.split()) in text
    # Drawn for the reader and kept nowhere: the archive holds the demo's two documents only.
    assert GeneratedReport.objects.filter(programme=programme).count() == 2


def test_staff_draft_a_review_document_and_its_signer_issues_it(new_page, shot):
    programme = Programme.objects.get(code=THAI_BINH)
    staff = new_page()
    log_in(staff, "bo.chuyenvien")
    staff.goto(f"/reports/programmes/{programme.pk}/review/")
    staff.locator("#document-id_as_of").fill("30/06/2020")
    main(staff).get_by_role("button", name="Tạo dự thảo").click()
    expect(staff).to_have_url(re.compile(r"/reports/documents/\d+/$"))
    document = GeneratedReport.objects.get(programme=programme, state=DocumentState.DRAFT, as_of="2020-06-30")
    shot(staff, "draft")

    staff.locator("#id_causes").fill("Kinh phí đối ứng của địa phương còn hạn chế.")
    staff.locator("#id_signer").select_option(label="Đỗ Quang Vinh – Thứ trưởng")
    main(staff).get_by_role("button", name="Lưu dự thảo").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    main(staff).get_by_role("button", name="Trình ký").click()
    expect(staff.locator(".badge", has_text="Chờ ký")).to_be_visible()
    shot(staff, "submitted")

    leader = new_page()
    log_in(leader, "lanhdao")
    leader.goto(f"/reports/documents/{document.pk}/")
    main(leader).get_by_role("button", name="Ký và ban hành").click()
    expect(leader.locator("#document-number")).to_have_text(re.compile(r"^\d+/BC-BKHCN$"))
    shot(leader, "issued")
    document.refresh_from_db()
    assert document.state == DocumentState.ISSUED and document.number >= 1
    with leader.expect_download() as download_info:
        main(leader).get_by_role("link", name="Bản đã ban hành (PDF)").click()
    saved = download_info.value
    assert saved.suggested_filename.startswith(f"{document.number}-BC-BKHCN ")
    text = " ".join((page_.extract_text() or "") for page_ in pypdf.PdfReader(saved.path()).pages)
    assert "Kinh phí đối ứng của địa phương còn hạn chế." in text
