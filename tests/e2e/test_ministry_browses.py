"""Ministry staff find tasks: filters, sorting, the header search, a task's page and the XLSX export."""

import re

import openpyxl

from tasks.choices import TaskStatus
from tasks.models import Task
from tests.e2e.helpers import expect, log_in, main, menu, row_count


def test_ministry_staff_filter_sort_search_and_export(page, shot, tmp_path):
    log_in(page, "bo.chuyenvien")
    shot(page, "overview")

    menu(page).get_by_role("link", name="Chương trình").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Chương trình", re.I))
    expect(main(page).get_by_role("link", name=re.compile("Thái Bình")).first).to_be_visible()
    shot(page, "programmes")

    menu(page).get_by_role("link", name="Nhiệm vụ", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Nhiệm vụ", re.I))
    # The filter, not the box of the same name in the column chooser.
    page.get_by_role("listbox", name="Tỉnh của cơ quan chủ trì").select_option(label="Thái Bình")
    main(page).get_by_role("group", name="Trạng thái").get_by_label("Đang thực hiện").check()
    main(page).get_by_role("button", name="Lọc", exact=True).click()
    expect(page).to_have_url(re.compile(r"status=in_progress"))

    expected = Task.objects.filter(lead_agency__province__name="Thái Bình", status=TaskStatus.IN_PROGRESS)
    assert expected.count() > 1
    assert row_count(page) == expected.count()
    table = main(page).locator("table").first
    expect(table.locator("tbody tr")).to_have_count(expected.count())
    shot(page, "filtered")

    # Funding sorts the largest first; the rows follow the database's sums.
    table.get_by_role("link", name="Kinh phí Bộ hỗ trợ").click()
    expect(page).to_have_url(re.compile(r"sort=-?ministry_funding"))
    descending = "sort=-" in page.url
    codes_on_page = table.locator("tbody tr td:first-child").all_inner_texts()
    funding = {task.code: task.ministry_total for task in _with_ministry_funding(expected)}
    amounts = [funding[code.strip()] for code in codes_on_page]
    assert amounts == sorted(amounts, reverse=descending)
    assert row_count(page) == expected.count()
    shot(page, "sorted-by-funding")

    with page.expect_download() as download_info:
        main(page).get_by_role("link", name="XLSX", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = openpyxl.load_workbook(saved, read_only=True).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(cell is not None for cell in row)]
    header, body = rows[0], rows[1:]
    assert len(body) == row_count(page)
    code_column = header.index("Mã")
    assert [row[code_column] for row in body] == [code.strip() for code in codes_on_page]

    # The header search folds diacritics: "thai binh" finds Thái Bình's programme and tasks.
    page.locator("#site-search").fill("thai binh")
    page.locator("#site-search").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=thai\+binh"))
    expect(page.locator("#search-count")).to_contain_text("thai binh")
    shot(page, "search")
    first_task = main(page).locator("#results-tasks li a").first
    title = first_task.inner_text().strip()
    first_task.click()
    task = Task.objects.select_related("programme").get(title=title)
    assert "thai binh" in task.search_text
    expect(page).to_have_url(re.compile(rf"/tasks/{task.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(task.title)
    expect(main(page)).to_contain_text(task.code)
    shot(page, "task")


def _with_ministry_funding(tasks):
    from decimal import Decimal

    from django.db.models import Q, Sum, Value
    from django.db.models.functions import Coalesce

    from tasks.choices import FundingSource

    return tasks.annotate(
        ministry_total=Coalesce(
            Sum("fundings__allocated", filter=Q(fundings__source=FundingSource.MINISTRY)),
            Value(Decimal(0)),
        )
    )
