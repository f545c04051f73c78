"""The layout of the PDF reports, read from the boxes WeasyPrint laid out: no text runs out of its table cell.

Read as: a row of the longest values every column may hold, drawn in the review report (with its
tables of tasks), the task sheet and the task list, in Vietnamese and in English, with no text outside
its cell; then the faults a reader of the demo's reports found, each fixed: a code broken at its
hyphens, the heading "Bộ lọc", field and level on one line, allocated and disbursed in one cell, and
tables that left half a page empty before them or after their first rows.
"""

import datetime
import io
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest
import weasyprint
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.formats import localize
from django.utils.translation import gettext
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from programmes.choices import OutputKind, PartyRole, ProgrammeKind
from programmes.models import Programme
from reports import queries
from reports.services import programme_review_pdf, task_list_pdf, task_sheet_pdf
from reports.templatetags.report_format import in_millions
from tasks.choices import FundingSource, ReportStatus, TaskField, TaskLevel, TaskStatus
from tests.conftest import World, rolled_back_afterwards, two_provinces
from tests.factories import (
    AgencyFactory,
    FundingFactory,
    OutputFactory,
    ProgrammeFactory,
    ProgrammePartyFactory,
    ProgressReportFactory,
    ProvinceFactory,
    TaskFactory,
    UserFactory,
    carried_out_in,
)

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2024, 12, 31)
DEMO_PROGRAMME = "PH-BKHCN-TB-2012"
PROGRAMME_CODE = "PH-BKHCN-HCM-2021"  # a cooperation programme with Hồ Chí Minh City: the longest kind of code
NATIONAL_CODE = "NTMN-2016-2025"
TASK_CODES = ("NTMN.ĐP.37-2019", "NTMN.ĐP.38-2021")  # the codes of the Rural and Mountainous Areas Programme
LONG_TITLE = (
    "Nghiên cứu ứng dụng và chuyển giao công nghệ sản xuất giống, nuôi trồng thương phẩm và chế biến sâu các "
    "sản phẩm từ cây dược liệu bản địa theo chuỗi giá trị, gắn với phát triển du lịch cộng đồng tại các xã "
    "khó khăn vùng đồng bào dân tộc tỉnh Hà Giang"
)
LONG_AGENCY = (
    "Trung tâm Nghiên cứu và Phát triển Công nghệ Sinh học Nông nghiệp Công nghệ cao thuộc Viện Khoa học "
    "Nông nghiệp Việt Nam"
)
LONG_OUTPUT = (
    "Cơ sở dữ liệu số hóa nguồn gen cây dược liệu bản địa và bản đồ vùng trồng phục vụ quản lý, truy xuất "
    "nguồn gốc và phát triển sản phẩm theo chuỗi giá trị của các hợp tác xã vùng đồng bào dân tộc thiểu số"
)
LONG_UNIT = "bộ cơ sở dữ liệu chuyên ngành"
LARGEST_AMOUNT = Decimal("999999999999")  # 999.999.999.999 đ, from each of the four sources
TOLERANCE = 0.5  # CSS pixels: what rounding in the layout may leave


# Reading the layout back


@contextmanager
def layouts_kept():
    """The WeasyPrint documents the reports lay out inside the block, in order.

    `reports.pdf.render_pdf` lays out its HTML and writes the PDF from that layout; this keeps the
    laid-out document it writes from, so that a test can read where each box went. Nothing is
    replaced: the layout is WeasyPrint's own.
    """
    documents = []

    class KeptHTML(HTML):
        def render(self, *args, **kwargs):
            document = super().render(*args, **kwargs)
            documents.append(document)
            return document

    with pytest.MonkeyPatch.context() as patch:
        # reports.pdf imports WeasyPrint's HTML when it draws (not at its import), so it finds this one.
        patch.setattr(weasyprint, "HTML", KeptHTML)
        yield documents


def text_of_box(box) -> str:
    """The text a box holds: its runs (one a line, or more where a line mixes styles) joined by single spaces."""
    return " ".join(" ".join(part.text for part in box.descendants() if isinstance(part, boxes.TextBox)).split())


def text_outside_its_box(document) -> list[str]:
    """Every run of text drawn beyond the content box of its table cell, or beyond the page's margins.

    WeasyPrint says nothing public about where it put each box, so this walks its layout: each page's
    root box (the private `Page._page_box`), down to the table cells (`TableCellBox`) and the runs of
    text inside them (`TextBox`), whose `position_x` and `width` are in CSS pixels. A text that does
    not fit its cell is drawn out of the cell's content box: over its padding and border and into the
    next column (a left-aligned text to the right, a right-aligned one to the left).
    """
    found = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        checked = set()
        cells = [box for box in page_box.descendants() if isinstance(box, boxes.TableCellBox)]
        for box, where in [*((cell, "its cell") for cell in cells), (page_box, "the page's margins")]:
            left = box.content_box_x()
            right = left + box.width
            for text in box.descendants():
                if not isinstance(text, boxes.TextBox) or id(text) in checked:
                    continue
                checked.add(id(text))
                if text.position_x < left - TOLERANCE or text.position_x + text.width > right + TOLERANCE:
                    found.append(f"page {number}: {text.text!r} runs out of {where}")
    return found


def data_tables(document, table_id: str | None = None) -> list[tuple[int, object]]:
    """(page number, table box) of every piece of the data tables on each page, with `table_id` if given."""
    pieces = []
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableBox) and "data" in (box.element.get("class") or "").split():
                if table_id is None or box.element.get("id") == table_id:
                    pieces.append((number, box))
    return pieces


def body_rows(table) -> list:
    """The rows of a table's bodies on one page: neither its header rows nor its footer."""
    return [
        row
        for group in table.children
        if isinstance(group, boxes.TableRowGroupBox) and not (group.is_header or group.is_footer)
        for row in group.children
    ]


def cells_of(table, *, header: bool = False) -> list[list[str]]:
    """The texts of a table piece's cells, row by row: of its header rows, or of its other rows."""
    return [
        [text_of_box(cell) for cell in row.children]
        for group in table.children
        if isinstance(group, boxes.TableRowGroupBox) and group.is_header == header
        for row in group.children
    ]


def room_at_the_foot(page) -> float:
    """The height left empty below the last line, row or picture of a page, in CSS pixels."""
    page_box = page._page_box
    top = page_box.content_box_y()
    lowest = max(
        box.position_y + box.margin_height()
        for box in page_box.descendants()
        if isinstance(box, (boxes.LineBox, boxes.TableRowBox, boxes.ReplacedBox)) and box.position_y >= top
    )
    return top + page_box.height - lowest


def rows_pushed_without_need(document) -> list[str]:
    """Page breaks before a table's row that would have fitted at the foot of the page before.

    A row goes to the next page only when it does not fit there: the room left at the foot of the page
    before is less than the row, if its table goes on from that page (its header is there already), or
    less than all that opens the new page down to the row, if the table starts the page (its heading,
    caption and header keep with its first row). A table or heading asked to keep whole breaks this,
    as does a row too tall for its columns.
    """
    found = []
    pieces = [(number, table) for number, table in data_tables(document) if body_rows(table)]
    for number, table in pieces:
        if number == 1:
            continue
        first = body_rows(table)[0]
        page_box = document.pages[number - 1]._page_box
        top = page_box.content_box_y()
        if any(page == number - 1 and other.element is table.element for page, other in pieces):
            needed = first.height
        elif opens_its_page(page_box, first):
            # At the foot of the page before, what opens this page would also take its top margin,
            # which a page break drops.
            margin = max(
                box.style["margin_top"].value
                for box in page_box.descendants()
                if isinstance(box, boxes.BlockLevelBox)
                and abs(box.position_y - top) < 1
                and getattr(box.style["margin_top"], "unit", None) == "px"
            )
            needed = first.position_y + first.height - top + margin
        else:
            continue
        room = room_at_the_foot(document.pages[number - 2])
        if room > needed + 1:  # a pixel for the border under the last row
            found.append(f"page {number - 1} leaves {room:.0f} px empty before a row of {needed:.0f} px")
    return found


def opens_its_page(page_box, row) -> bool:
    """Whether nothing but headings, a caption and a table's header stand above a row on its page."""
    for line in page_box.descendants():
        if isinstance(line, boxes.LineBox) and page_box.content_box_y() <= line.position_y < row.position_y:
            tags = {part.element_tag.split(":")[0] for part in line.descendants() if isinstance(part, boxes.TextBox)}
            if not tags <= {"h2", "h3", "h4", "caption", "th"}:
                return False
    return True


def headings_left_at_the_foot(document) -> list[str]:
    """Pages (but the last) whose last line is a heading or a caption, parted from what it heads."""
    found = []
    for number, page in enumerate(document.pages[:-1], start=1):
        page_box = page._page_box
        lines = [
            line
            for line in page_box.descendants()
            if isinstance(line, boxes.LineBox) and line.position_y >= page_box.content_box_y()
        ]
        last = max(lines, key=lambda line: line.position_y + line.height)
        tags = {part.element_tag.split(":")[0] for part in last.descendants() if isinstance(part, boxes.TextBox)}
        if tags and tags <= {"h2", "h3", "h4", "caption"}:
            found.append(f"page {number} ends with {text_of_box(last)!r}")
    return found


def layout_faults(document) -> list[str]:
    """Text out of its box, rows pushed to the next page without need, headings parted from what they head."""
    return text_outside_its_box(document) + rows_pushed_without_need(document) + headings_left_at_the_foot(document)


def table_cells(document, table_id: str, *, header: bool = False) -> list[list[str]]:
    """The texts of the cells of the table `table_id` (header rows, or body and footer rows), over every page."""
    rows = []
    for _number, table in data_tables(document, table_id):
        rows += cells_of(table, header=header)
    return rows


def facts(document) -> dict[str, str]:
    """The label → value rows of the facts tables of a document."""
    found = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableRowBox) and len(box.children) == 2:
                label, value = (text_of_box(cell) for cell in box.children)
                found[label] = value
    return found


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page as pypdf extracts it (composed, one line of the page a line)."""
    return [unicodedata.normalize("NFC", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def no_space(text: str) -> str:
    """A text without its spaces: a cell's runs are joined by spaces, and a word may wrap inside a narrow cell."""
    return "".join(text.split())


@dataclass
class Drawn:
    """A report as issued (its PDF) and as laid out (the WeasyPrint document it was written from)."""

    pdf: bytes
    document: object

    @property
    def lines(self) -> list[str]:
        return [line for text in page_texts(self.pdf) for line in text.splitlines()]

    def rows(self) -> list[list[str]]:
        """The texts of the cells of every body and footer row of the data tables, row by row."""
        return [row for _number, table in data_tables(self.document) for row in cells_of(table)]

    def cells(self) -> list[str]:
        return [cell for row in self.rows() for cell in row]


def draw_review(world, programme, *, language: str, as_of: datetime.date) -> Drawn:
    """The review data sheet of `programme` with its tables of tasks, as `review.pdf` draws it."""
    review = queries.programme_review(programme=programme, user=world.ministry_user, as_of=as_of, include_tasks=True)
    with layouts_kept() as documents:
        pdf = programme_review_pdf(review=review, user=world.ministry_user, language=language, issued_at=timezone.now())
    return Drawn(pdf, documents[0])


def draw_sheet(world, task, *, language: str) -> Drawn:
    with layouts_kept() as documents:
        pdf = task_sheet_pdf(task=task, user=world.ministry_user, language=language)
    return Drawn(pdf, documents[0])


def draw_list(world, *, language: str, **filters) -> Drawn:
    """The list of the tasks of /tasks/ with `filters`, as `TaskListPdfView` draws it."""
    params = QueryDict(mutable=True)
    params.update(filters)
    with translation.override(language):
        selection = queries.task_list_selection(user=world.ministry_user, params=params)
    with layouts_kept() as documents:
        pdf = task_list_pdf(
            rows=selection.rows,
            totals=selection.totals,
            filters=selection.filters,
            user=world.ministry_user,
            language=language,
        )
    return Drawn(pdf, documents[0])


# The longest values


def longest_rows(world):
    """Two tasks whose every column holds the longest value it may realistically hold.

    A national programme owns the first task and funds the second, which belongs to a cooperation
    programme: the review report of the national programme lists both, the second with its own
    programme's code. Each task has the largest amounts from all four sources, a long title, agency
    and places; the first is overdue (the longest status), the second accepted (100%). The first has
    an output with a long name, a quantity of 99999 and a long unit.
    """
    assert len(LONG_TITLE) == 250
    national = ProgrammeFactory(
        code=NATIONAL_CODE,
        kind=ProgrammeKind.NATIONAL,
        start_year=2016,
        end_year=2025,
        title="Chương trình hỗ trợ ứng dụng và chuyển giao tiến bộ khoa học và công nghệ phục vụ phát triển "
        "kinh tế - xã hội nông thôn, miền núi, vùng dân tộc thiểu số giai đoạn 2016-2025",
    )
    cooperation = ProgrammeFactory(code=PROGRAMME_CODE, start_year=2021, end_year=2025)
    for programme in (national, cooperation):
        ProgrammePartyFactory(programme=programme, agency=world.ministry, role=PartyRole.MINISTRY_SIDE)
    agency = AgencyFactory(name=LONG_AGENCY, short_name="")
    provinces = [ProvinceFactory(name="Hà Giang"), ProvinceFactory(name="Bà Rịa - Vũng Tàu")]
    overdue = TaskFactory(
        programme=national,
        code=TASK_CODES[0],
        title=LONG_TITLE,
        lead_agency=agency,
        level=TaskLevel.NATIONAL,
        start_on=datetime.date(2019, 1, 1),
        end_on=datetime.date(2021, 12, 31),
        status=TaskStatus.IN_PROGRESS,
    )
    accepted = TaskFactory(
        programme=cooperation,
        funded_through=national,
        code=TASK_CODES[1],
        title=LONG_TITLE,
        lead_agency=agency,
        level=TaskLevel.NATIONAL,
        start_on=datetime.date(2021, 1, 1),
        end_on=datetime.date(2023, 12, 31),
        status=TaskStatus.ACCEPTED,
    )
    for task in (overdue, accepted):
        carried_out_in(task, *provinces, commune="xã Lũng Cú, huyện Đồng Văn")
        for source in FundingSource:
            FundingFactory(task=task, source=source, year=2021, allocated=LARGEST_AMOUNT, disbursed=LARGEST_AMOUNT)
    ProgressReportFactory(
        task=overdue,
        as_of=datetime.date(2021, 6, 30),
        percent_complete=75,
        status=ReportStatus.APPROVED,
        reviewed_by=UserFactory(),
        reviewed_at=timezone.make_aware(datetime.datetime(2021, 7, 15)),
    )
    OutputFactory(
        task=overdue,
        kind=OutputKind.OTHER,
        name=LONG_OUTPUT,
        quantity=99999,
        unit=LONG_UNIT,
        achieved_on=datetime.date(2022, 6, 30),
        evidence_number="1234/QĐ-BKHCN-VPCTNTMN",
        evidence_date=datetime.date(2022, 6, 30),
    )
    OutputFactory(task=overdue, kind=OutputKind.OTHER, name="Cơ sở dữ liệu GIS", quantity=2, unit="cơ sở dữ liệu")
    world.national, world.cooperation, world.overdue = national, cooperation, overdue
    return world


@pytest.fixture(scope="class")
def longest(django_db_setup, django_db_blocker, tmp_path_factory):
    """`longest_rows` and the three reports drawn from them in both languages, once for the class."""
    with rolled_back_afterwards(django_db_blocker, MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        world = longest_rows(two_provinces())
        world.drawn = {
            language: {
                "review": draw_review(world, world.national, language=language, as_of=AS_OF),
                "sheet": draw_sheet(world, world.overdue, language=language),
                "list": draw_list(world, language=language),
            }
            for language in ("vi", "en")
        }
        yield world


class TestTheLongestValues:
    """The review report, the task sheet and the task list of tasks holding the longest values of every column."""

    @pytest.mark.parametrize("language", ["vi", "en"])
    @pytest.mark.parametrize("report", ["review", "sheet", "list"])
    def test_no_text_runs_out_of_its_cell(self, longest, report, language):
        assert text_outside_its_box(longest.drawn[language][report].document) == []

    @pytest.mark.parametrize("language", ["vi", "en"])
    def test_the_cells_checked_hold_the_longest_values(self, longest, language):
        """The check above walked the cells that hold them, each value whole (wrapped over lines at most)."""
        drawn = longest.drawn[language]
        review, task_list, sheet = drawn["review"].cells(), drawn["list"].cells(), drawn["sheet"].cells()
        with translation.override(language):
            overdue = gettext("%(status)s (overdue)") % {"status": TaskStatus.IN_PROGRESS.label}
            largest = in_millions(LARGEST_AMOUNT)  # "1.000.000,0"
            quantity = localize(99999)  # "99.999"
        assert TASK_CODES[0] in review  # the programme's own task
        assert f"{TASK_CODES[1]} {PROGRAMME_CODE}" in review  # funded through it, under its programme's code
        assert f"{TASK_CODES[0]} {NATIONAL_CODE}" in task_list
        assert f"{TASK_CODES[1]} {PROGRAMME_CODE}" in task_list
        places = "Bà Rịa - Vũng Tàu (xã Lũng Cú, huyện Đồng Văn); Hà Giang (xã Lũng Cú, huyện Đồng Văn)"
        for expected in (LONG_TITLE, LONG_AGENCY, places, overdue):
            assert no_space(expected) in map(no_space, task_list), expected
        assert "100%" in task_list and "100%" in review
        assert largest in task_list and largest in review
        # Four sources of the largest amounts, allocated and disbursed, are more than the width of a sheet
        # holds on one line each: there, and only there, an amount wraps inside its cell.
        assert no_space(largest) in map(no_space, sheet)
        for cells in (review, sheet):
            assert no_space(f"{quantity} {LONG_UNIT}") in map(no_space, cells)
            assert no_space(LONG_OUTPUT) in map(no_space, cells)

    @pytest.mark.parametrize("language", ["vi", "en"])
    def test_codes_never_break_at_their_hyphens(self, longest, language):
        """Each code stays whole on one line of the PDF's text, as it is typed and searched for."""
        drawn = longest.drawn[language]
        for report, codes in (
            ("list", (*TASK_CODES, PROGRAMME_CODE, NATIONAL_CODE)),
            ("review", (*TASK_CODES, PROGRAMME_CODE, NATIONAL_CODE)),
            ("sheet", (TASK_CODES[0],)),
        ):
            lines = drawn[report].lines
            for code in codes:
                assert any(code in line for line in lines), (report, code)
        # The programme's code under each task's code, in its own run: "PH-BKHCN-HCM-2021", never "PH-/BKHCN-/…".
        assert [line for line in drawn["list"].lines if line.startswith("PH-")] == [PROGRAMME_CODE]


# The faults found in the demo's reports, one by one


def ordinary_tasks(programme, count: int, *, agency, province) -> list:
    """`count` tasks as the demo has them: titles of about a hundred characters, one place, two sources of
    funding, and a demonstration model each."""
    tasks = []
    for number in range(1, count + 1):
        task = TaskFactory(
            programme=programme,
            code=f"TB-2016-{number:02d}",
            title=f"Ứng dụng tiến bộ khoa học và công nghệ xây dựng mô hình sản xuất lúa chất lượng cao ở xã {number}",
            lead_agency=agency,
            start_on=datetime.date(2016, 1, 1),
            end_on=datetime.date(2030, 12, 31),
        )
        carried_out_in(task, province, commune="xã Vũ Hội, huyện Vũ Thư")
        FundingFactory(task=task, source=FundingSource.MINISTRY, year=2017, allocated=Decimal(3_500_000_000))
        FundingFactory(task=task, source=FundingSource.PROVINCE, year=2017, allocated=Decimal(1_000_000_000))
        OutputFactory(
            task=task,
            name=f"Mô hình sản xuất lúa chất lượng cao theo chuỗi giá trị tại xã số {number}",
            quantity=3,
            achieved_on=datetime.date(2018, 6, 1),
        )
        tasks.append(task)
    return tasks


@pytest.fixture
def many(scope):
    """Thirty ordinary tasks of `scope.programme`."""
    agency = AgencyFactory(name="Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Thái Bình", short_name="")
    ordinary_tasks(scope.programme, 30, agency=agency, province=ProvinceFactory(name="Thái Bình"))
    return scope


def test_the_task_list_fills_its_first_page_then_splits_between_rows(many):
    """In the demo, the list of a programme's tasks held 3 rows on its first page, then blank space: rows
    squeezed into narrow columns grew too tall to fit. Across the page, a row keeps to two or three lines."""
    drawn = draw_list(many, language="vi", programme=str(many.programme.pk))
    pieces = data_tables(drawn.document, "task-table")
    assert [number for number, _table in pieces] == list(range(1, len(drawn.document.pages) + 1))
    assert len(body_rows(pieces[0][1])) > 3
    assert layout_faults(drawn.document) == []
    for _number, table in pieces:  # the header row repeats on every page
        assert cells_of(table, header=True)[0][:2] == ["TT", "Mã"]


def test_the_review_splits_its_tables_and_leaves_no_page_half_empty(many):
    """In the demo, a page of the review report stood half empty before a table that could start on it.
    Tables split between rows, each page as full as its next row allows; headings keep with their tables."""
    drawn = draw_review(many, many.programme, language="vi", as_of=timezone.localdate())
    assert layout_faults(drawn.document) == []
    split = {table.element for _number, table in data_tables(drawn.document)}
    pages_of = {
        element: [n for n, table in data_tables(drawn.document) if table.element is element] for element in split
    }
    assert sum(len(pages) > 1 for pages in pages_of.values()) >= 2  # the tasks, and the models by name
    cells = [no_space(cell) for cell in drawn.cells()]
    assert "TB-2016-30" in cells
    assert no_space("Mô hình sản xuất lúa chất lượng cao theo chuỗi giá trị tại xã số 30") in cells


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_task_list_states_the_scope_of_its_figures(scope, language):
    """A document says "Phạm vi số liệu" where the list page says "Bộ lọc" (filters)."""
    text = " ".join(draw_list(scope, language=language, status=TaskStatus.IN_PROGRESS).lines)
    with translation.override(language):
        assert gettext("Scope of the figures") in text
    expected = {"vi": "Phạm vi số liệu", "en": "Scope of the figures"}[language]
    assert expected in text
    assert "Bộ lọc" not in text and "Filters" not in text


def test_the_task_sheet_gives_field_level_allocated_and_disbursed_apart(scope):
    """The sheet said "Lĩnh vực: Nông nghiệp · Cấp quốc gia" in one row and "2.168 / 2.168" in one cell."""
    task = TaskFactory(
        programme=scope.programme, field=TaskField.AGRICULTURE, level=TaskLevel.NATIONAL, lead_agency=scope.department
    )
    million = Decimal(10**6)
    FundingFactory(
        task=task, source=FundingSource.MINISTRY, year=2013, allocated=2168 * million, disbursed=1500 * million
    )
    FundingFactory(
        task=task, source=FundingSource.PROVINCE, year=2013, allocated=334 * million, disbursed=300 * million
    )
    FundingFactory(task=task, source=FundingSource.MINISTRY, year=2014, allocated=2166 * million, disbursed=0)
    drawn = draw_sheet(scope, task, language="vi")
    sheet_facts = facts(drawn.document)
    assert sheet_facts["Lĩnh vực"] == "Nông nghiệp"
    assert sheet_facts["Cấp quản lý"] == "Cấp quốc gia"
    assert table_cells(drawn.document, "task-funding", header=True) == [
        ["Năm", "Ngân sách trung ương (Bộ hỗ trợ)", "Ngân sách địa phương", "Tổng cộng"],
        ["Được giao", "Đã giải ngân"] * 3,
    ]
    assert table_cells(drawn.document, "task-funding") == [
        ["2013", "2.168", "1.500", "334", "300", "2.502", "1.800"],
        ["2014", "2.166", "0", "0", "0", "2.166", "0"],
        ["Tổng cộng", "4.334", "1.500", "334", "300", "4.668", "1.800"],
    ]
    assert "Đơn vị: triệu đồng" in drawn.lines
    assert len(drawn.document.pages) == 1
    assert layout_faults(drawn.document) == []


class TestTheReportsOfTheDemo:
    """The demo's reports, where a reader found the faults: none is left."""

    @pytest.mark.parametrize("language", ["vi", "en"])
    def test_the_review_report(self, demo_data, language):
        programme = Programme.objects.get(code=DEMO_PROGRAMME)
        world = World()
        world.ministry_user = get_user_model().objects.get(username="bo.chuyenvien")
        drawn = draw_review(world, programme, language=language, as_of=datetime.date(2020, 6, 10))
        assert layout_faults(drawn.document) == []
        # The row of "Khác" that ran "2 cơ sở dữ liệ29/02/2020": the quantity and the date, each in its cell.
        row = next(row for row in drawn.rows() if "Cơ sở dữ liệu GIS đất sản xuất nông nghiệp cấp huyện" in row)
        assert row[3:5] == ["2 cơ sở dữ liệu", "29/02/2020"]

    def test_the_list_of_a_programmes_tasks(self, demo_data):
        programme = Programme.objects.get(code=DEMO_PROGRAMME)
        world = World()
        world.ministry_user = get_user_model().objects.get(username="bo.chuyenvien")
        drawn = draw_list(world, language="vi", programme=str(programme.pk), sort="-code")
        assert layout_faults(drawn.document) == []
        assert len(body_rows(data_tables(drawn.document, "task-table")[0][1])) > 3
        assert sum(line.count(DEMO_PROGRAMME) for line in drawn.lines) == 30  # under each task's code, whole
