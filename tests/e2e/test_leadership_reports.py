"""Leadership: the overview's figures open the lists they count, and the programme review report as a PDF."""

import re

import pypdf

from programmes.models import Programme
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
        main(page).get_by_role("button", name="Xuất báo cáo PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    reader = pypdf.PdfReader(saved)
    assert len(reader.pages) >= 1
    text = " ".join(" ".join((page_.extract_text() or "").split()) for page_ in reader.pages)
    assert " ".join(programme.title.split()) in text
    issued = GeneratedReport.objects.get(programme=programme)
    assert issued.created_by.username == "lanhdao"
