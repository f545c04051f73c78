"""The Word copy of a review document: real python-docx output, opened again with python-docx.

Read as: the page and the font (Decree 30/2020/NĐ-CP), the two-column header and its number,
the draft mark and the page numbers in the page header, the title and the sections in order,
recipients and signature, the annex tables, the English copy, the file's properties, and
hostile text.
"""

import dataclasses
import datetime
import io
import re
import zipfile
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn

from reports.document_content import ContentSection, ContentTable, DocumentContent, SignatureBlock
from reports.docx import document_docx
from reports.pdf import DocumentHeader

MINISTRY = "Bộ Khoa học và Công nghệ"
SUBJECT = (
    "Sơ kết thực hiện Chương trình phối hợp hoạt động giữa Bộ Khoa học và Công nghệ và Ủy ban nhân dân "
    "tỉnh Thái Bình giai đoạn 2012-2015 và định hướng đến năm 2020"
)
RECIPIENTS = ("- Như trên;", "- Bộ trưởng (để b/c);", "- UBND tỉnh Thái Bình;", "- Lưu: VT, PTKHCNĐP.")
FIRST_SECTION = (
    "Hai bên đã ký kết Chương trình phối hợp ngày 15/3/2012.\n"
    "Trong giai đoạn 2012-2015, các nội dung chính gồm:\n"
    "- Triển khai 20 nhiệm vụ KH&CN;\n"
    "+ 5 nhiệm vụ cấp quốc gia;\n"
    "+ 15 nhiệm vụ cấp tỉnh.\n"
    "\n"
    "Tổng kinh phí thực hiện gần trăm tỷ đồng, trong đó ngân sách trung ương hỗ trợ 32,5 tỷ đồng."
)
# A long part: 25 paragraphs, each of several sentences, running over two pages.
LONG_PARAGRAPHS = [
    f"Đoạn {number}: nhiệm vụ ứng dụng tiến bộ kỹ thuật xây dựng mô hình sản xuất lúa chất lượng cao tại huyện "
    f"Vũ Thư đã hoàn thành đúng tiến độ; mô hình được nhân rộng ra {number} xã, năng suất tăng 12–15%. " * 3
    for number in range(1, 26)
]
TASK_ROWS = tuple(
    (
        str(number),
        f"Ứng dụng tiến bộ kỹ thuật sản xuất giống lúa chất lượng cao, mô hình số {number}",
        "Viện Lúa đồng bằng sông Cửu Long",
        f"{number * 1.25:.2f}".replace(".", ","),
    )
    for number in range(1, 61)
)


def content(**changes) -> DocumentContent:
    """The mid-term review of the Thái Bình programme as issued on 5/2/2023, changed by `changes`."""
    document = DocumentContent(
        header=DocumentHeader(issuer=MINISTRY, number="15/BC-BKHCN", issued_on=datetime.date(2023, 2, 5)),
        kind_title="BÁO CÁO",
        subject=SUBJECT,
        scope="(Số liệu tính đến ngày 10/06/2020)",
        sections=(
            ContentSection("I. Tình hình thực hiện", FIRST_SECTION),
            ContentSection("II. Kết quả đạt được", "\n\n".join(LONG_PARAGRAPHS)),
            ContentSection("III. Kiến nghị, đề xuất", "Đề nghị Bộ tiếp tục hỗ trợ tỉnh giai đoạn 2021-2025."),
        ),
        signature=SignatureBlock(authority="KT. BỘ TRƯỞNG", position="THỨ TRƯỞNG", name="Trần Văn Tùng"),
        recipients=RECIPIENTS,
        annex_title="Phụ lục",
        annex_reference="(Kèm theo Báo cáo số 15/BC-BKHCN ngày 05/02/2023 của Bộ KH&CN)",
        annex_tables=(
            ContentTable(
                title="Bảng 1. Nhiệm vụ KH&CN đã triển khai",
                columns=("STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Kinh phí"),
                rows=TASK_ROWS,
                caption="Đơn vị: tỷ đồng",
                numeric_columns=(0, 3),
            ),
        ),
    )
    return dataclasses.replace(document, **changes)


def opened(document: DocumentContent, language: str = "vi"):
    with translation.override(language):
        data = document_docx(document)
    assert data[:2] == b"PK"
    return Document(io.BytesIO(data))


def lines(cell_or_document) -> list[str]:
    """The texts of its paragraphs, empty ones left out."""
    return [paragraph.text for paragraph in cell_or_document.paragraphs if paragraph.text.strip()]


def first_run(paragraph):
    return paragraph.runs[0]


def paragraph_of(container, text: str):
    return next(paragraph for paragraph in container.paragraphs if paragraph.text == text)


def part_texts(data: bytes) -> dict[str, str]:
    """Every XML part of the file by name: the main text, the page headers, the properties …"""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")}


# The page and the font


def test_the_page_is_a4_with_the_decrees_margins():
    section = opened(content()).sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)
    assert section.top_margin.mm == pytest.approx(20, abs=0.1)
    assert section.bottom_margin.mm == pytest.approx(20, abs=0.1)
    assert section.left_margin.mm == pytest.approx(30, abs=0.1)
    assert section.right_margin.mm == pytest.approx(15, abs=0.1)


def test_the_text_is_times_new_roman_13_for_every_script():
    document = opened(content())
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 13
    fonts = normal.element.rPr.rFonts
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(script)) == "Times New Roman", script
    # No theme font left in the defaults for Word to fall back on.
    default_fonts = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert {default_fonts.get(qn(script)) for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {
        "Times New Roman"
    }
    assert not [name for name in default_fonts.attrib if "Theme" in name or "theme" in name]


def test_paragraphs_are_justified_with_a_first_line_indent():
    document = opened(content())
    body = document.styles["Body Text"].paragraph_format
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.first_line_indent.cm == pytest.approx(1, abs=0.05)
    assert 1.15 <= body.line_spacing <= 1.3
    paragraph = paragraph_of(document, LONG_PARAGRAPHS[0].strip())
    assert paragraph.style.name == "Body Text"
    heading = document.styles["Heading 1"]
    assert heading.font.bold and heading.font.size.pt == 13
    assert heading.element.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert heading.element.rPr.find(qn("w:color")) is None  # not the template's blue


# The header


def test_the_header_names_the_issuer_in_capitals_and_the_number():
    document = opened(content())
    issuer, nation = document.tables[0].rows[0].cells
    assert lines(issuer) == ["BỘ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 15/BC-BKHCN"]
    assert first_run(paragraph_of(issuer, "BỘ KHOA HỌC VÀ CÔNG NGHỆ")).bold
    assert lines(nation) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 05 tháng 02 năm 2023",
    ]
    assert first_run(paragraph_of(nation, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).bold
    assert first_run(paragraph_of(nation, "Độc lập - Tự do - Hạnh phúc")).bold
    assert first_run(paragraph_of(nation, "Hà Nội, ngày 05 tháng 02 năm 2023")).italic
    for cell in (issuer, nation):
        assert {paragraph.alignment for paragraph in cell.paragraphs} == {WD_ALIGN_PARAGRAPH.CENTER}
        # A short rule under the issuer and under the motto: the bottom border of an empty paragraph.
        assert len(cell._tc.xpath(".//w:pBdr/w:bottom")) == 1
    # Borderless: the document's plain table style, no borders of its own.
    assert document.tables[0].style.name == "Normal Table"
    assert not document.tables[0]._tbl.xpath(".//w:tblBorders")


def test_the_header_has_the_parent_agency_above_the_issuer_and_the_decrees_date():
    header = DocumentHeader(
        issuer="Sở Khoa học và Công nghệ",
        parent="Ủy ban nhân dân tỉnh Thái Bình",
        number="27/BC-SKHCN",
        issued_on=datetime.date(2020, 6, 10),
    )
    issuer, nation = opened(content(header=header)).tables[0].rows[0].cells
    assert lines(issuer) == ["ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 27/BC-SKHCN"]
    assert not first_run(issuer.paragraphs[0]).bold
    assert first_run(issuer.paragraphs[1]).bold
    # The month from March on has no leading zero; the day always has one below 10.
    assert lines(nation)[-1] == "Hà Nội, ngày 10 tháng 6 năm 2020"


def test_a_drafts_number_leaves_room_for_the_records_office():
    header = DocumentHeader(issuer=MINISTRY, number="/BC-BKHCN", issued_on=datetime.date(2023, 2, 5))
    issuer = opened(content(header=header, is_draft=True)).tables[0].rows[0].cells[0]
    assert re.fullmatch(r"Số: {6,}/BC-BKHCN", lines(issuer)[-1])


def test_a_document_without_a_date_of_issue_leaves_the_date_to_be_written_in():
    header = DocumentHeader(issuer=MINISTRY, number="/BC-BKHCN")
    nation = opened(content(header=header)).tables[0].rows[0].cells[1]
    assert re.fullmatch(r"Hà Nội, ngày +tháng +năm +", lines(nation)[-1])


def test_the_header_reads_as_the_pdfs():
    """Each line of the Word header is a line of the PDF's header, drawn from the same messages."""
    header = DocumentHeader(
        issuer=MINISTRY, parent="Chính phủ", number="15/BC-BKHCN", issued_on=datetime.date(2023, 2, 5)
    )
    for language in ("vi", "en"):
        with translation.override(language):
            html = render_to_string("reports/pdf/document_header.html", {"header": header})
        pdf_text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
        issuer, nation = opened(content(header=header), language).tables[0].rows[0].cells
        for line in lines(issuer) + lines(nation):
            assert " ".join(line.split()) in pdf_text, (language, line)


# The page header: draft mark, page numbers


def test_a_draft_is_marked_in_a_box_in_the_page_header_of_every_page():
    data = document_docx(content(is_draft=True))
    section = Document(io.BytesIO(data)).sections[0]
    for page_header in (section.first_page_header, section.header):
        marked = [paragraph for paragraph in page_header.paragraphs if "DỰ THẢO" in paragraph.text]
        assert marked, page_header
        box = [run for run in marked[0].runs if "DỰ THẢO" in run.text][0]
        assert box.bold
        assert box._r.xpath("./w:rPr/w:bdr[@w:val='single']")
    # In the page headers only, not in the text.
    parts = part_texts(data)
    assert "DỰ THẢO" not in parts["word/document.xml"]
    assert sum("DỰ THẢO" in text for name, text in parts.items() if name.startswith("word/header")) == 2


def test_an_issued_document_carries_no_draft_mark():
    data = document_docx(content())
    assert not [name for name, text in part_texts(data).items() if "DỰ THẢO" in text or "DRAFT" in text]


def test_page_numbers_stand_in_the_page_header_from_page_2():
    section = opened(content()).sections[0]
    assert section.different_first_page_header_footer
    instructions = [text.strip() for text in section.header._element.xpath(".//w:instrText/text()")]
    assert instructions == ["PAGE"]
    # Centred by the Header style's centre tab, which the number follows.
    paragraph = section.header.paragraphs[0]
    centre_tabs = [
        stop.position.mm
        for stop in paragraph.style.paragraph_format.tab_stops
        if stop.alignment == WD_TAB_ALIGNMENT.CENTER
    ]
    assert centre_tabs == [pytest.approx(165 / 2, abs=0.5)]
    assert paragraph.text.startswith("\t")
    assert not section.first_page_header._element.xpath(".//w:instrText")


# The text


def test_the_title_is_centred_in_bold_14_pt_with_the_scope_in_italics():
    document = opened(content())
    title, subject, scope = lines(document)[:3]
    assert (title, subject, scope) == ("BÁO CÁO", SUBJECT, "(Số liệu tính đến ngày 10/06/2020)")
    for text in (title, subject):
        paragraph = paragraph_of(document, text)
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert first_run(paragraph).bold and first_run(paragraph).font.size.pt == 14
    assert paragraph_of(document, scope).alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert first_run(paragraph_of(document, scope)).italic


def test_sections_come_in_order_with_their_paragraphs_and_items():
    document = opened(content())
    texts = lines(document)
    assert texts[3:10] == [
        "I. Tình hình thực hiện",
        # Lines of a paragraph run on, with a line break …
        "Hai bên đã ký kết Chương trình phối hợp ngày 15/3/2012.\nTrong giai đoạn 2012-2015, các nội dung chính gồm:",
        # … but items are paragraphs of their own.
        "- Triển khai 20 nhiệm vụ KH&CN;",
        "+ 5 nhiệm vụ cấp quốc gia;",
        "+ 15 nhiệm vụ cấp tỉnh.",
        "Tổng kinh phí thực hiện gần trăm tỷ đồng, trong đó ngân sách trung ương hỗ trợ 32,5 tỷ đồng.",
        "II. Kết quả đạt được",
    ]
    assert texts[10:35] == [paragraph.strip() for paragraph in LONG_PARAGRAPHS]
    assert texts[35:] == ["III. Kiến nghị, đề xuất", "Đề nghị Bộ tiếp tục hỗ trợ tỉnh giai đoạn 2021-2025.", "Phụ lục",
                          "(Kèm theo Báo cáo số 15/BC-BKHCN ngày 05/02/2023 của Bộ KH&CN)",
                          "Bảng 1. Nhiệm vụ KH&CN đã triển khai", "Đơn vị: tỷ đồng"]  # fmt: skip
    headings = [paragraph.text for paragraph in document.paragraphs if paragraph.style.name == "Heading 1"]
    assert headings == ["I. Tình hình thực hiện", "II. Kết quả đạt được", "III. Kiến nghị, đề xuất"]
    item = paragraph_of(document, "- Triển khai 20 nhiệm vụ KH&CN;")
    assert item.style.name == "Body Text"
    assert item.paragraph_format.first_line_indent == 0
    assert paragraph_of(document, LONG_PARAGRAPHS[3].strip()).paragraph_format.first_line_indent is None


# Recipients and signature


def test_recipients_stand_beside_the_signature():
    document = opened(content())
    recipients, signature = document.tables[1].rows[0].cells
    assert lines(recipients) == ["Nơi nhận:", *RECIPIENTS]
    assert lines(recipients)[-1].startswith("- Lưu: VT,")
    label = first_run(recipients.paragraphs[0])
    assert label.bold and label.italic and label.font.size.pt == 12
    assert {first_run(paragraph).font.size.pt for paragraph in recipients.paragraphs[1:]} == {11}

    assert lines(signature) == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Trần Văn Tùng"]
    texts = [paragraph.text for paragraph in signature.paragraphs]
    # Room for the signature and the seal between the title and the name.
    assert texts[2:-1] == [""] * 4
    for text in lines(signature):
        paragraph = paragraph_of(signature, text)
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert first_run(paragraph).bold
    assert not document.tables[1]._tbl.xpath(".//w:tblBorders")


def test_without_a_signer_the_signature_column_is_empty():
    recipients, signature = opened(content(signature=None)).tables[1].rows[0].cells
    assert lines(recipients)[0] == "Nơi nhận:"
    assert not lines(signature)


# The annex


def test_the_annex_starts_a_page_with_its_tables():
    document = opened(content())
    title = paragraph_of(document, "Phụ lục")
    assert title.paragraph_format.page_break_before
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and first_run(title).bold
    reference = paragraph_of(document, "(Kèm theo Báo cáo số 15/BC-BKHCN ngày 05/02/2023 của Bộ KH&CN)")
    assert reference.alignment == WD_ALIGN_PARAGRAPH.CENTER and first_run(reference).italic
    assert first_run(paragraph_of(document, "Bảng 1. Nhiệm vụ KH&CN đã triển khai")).bold
    caption = paragraph_of(document, "Đơn vị: tỷ đồng")
    assert caption.alignment == WD_ALIGN_PARAGRAPH.RIGHT and first_run(caption).italic


def test_an_annex_table_has_every_row_and_repeats_its_header_row():
    table = opened(content()).tables[2]
    assert table.style.name == "Table Grid"
    assert len(table.rows) == 61
    texts = [tuple(cell.text for cell in row.cells) for row in table.rows]
    assert texts[0] == ("STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Kinh phí")
    assert texts[1:] == list(TASK_ROWS)
    assert texts[60] == ("60", TASK_ROWS[59][1], "Viện Lúa đồng bằng sông Cửu Long", "75,00")

    repeated = [bool(row._tr.xpath("./w:trPr/w:tblHeader")) for row in table.rows]
    assert repeated == [True] + [False] * 60
    assert all(row._tr.xpath("./w:trPr/w:cantSplit") for row in table.rows)
    assert all(first_run(cell.paragraphs[0]).bold for cell in table.rows[0].cells)
    row = table.rows[7].cells
    assert [cell.paragraphs[0].alignment for cell in row] == [
        WD_ALIGN_PARAGRAPH.RIGHT,
        WD_ALIGN_PARAGRAPH.LEFT,
        WD_ALIGN_PARAGRAPH.LEFT,
        WD_ALIGN_PARAGRAPH.RIGHT,
    ]
    assert {first_run(cell.paragraphs[0]).font.size.pt for row in table.rows for cell in row.cells} == {11}
    # The figures' columns get room for their figures, the names the rest of the text width.
    widths = [column.width.mm for column in table.columns]
    assert sum(widths) == pytest.approx(165, abs=0.5)
    assert widths[1] > widths[3] > 10 and widths[0] > 8


def test_without_annex_tables_the_document_ends_with_the_signature():
    document = opened(content(annex_tables=()))
    assert len(document.tables) == 2
    assert "Phụ lục" not in lines(document)


# Both languages, the file's properties


def test_the_english_copy_translates_the_fixed_texts():
    header = DocumentHeader(issuer=MINISTRY, number="15/BC-BKHCN", issued_on=datetime.date(2023, 2, 5))
    document = opened(content(header=header, is_draft=True), "en")
    issuer, nation = document.tables[0].rows[0].cells
    assert lines(issuer)[-1] == "No.: 15/BC-BKHCN"
    assert lines(nation) == [
        "SOCIALIST REPUBLIC OF VIET NAM",
        "Independence - Freedom - Happiness",
        "Hanoi, 05/02/2023",
    ]
    assert lines(document.tables[1].rows[0].cells[0])[0] == "Recipients:"
    assert "DRAFT" in document.sections[0].header.paragraphs[0].text
    # The records' own texts stay as they were written.
    assert lines(document)[0] == "BÁO CÁO"


def test_the_files_properties_name_the_document_and_its_issuer():
    document = opened(content())
    properties = document.core_properties
    assert properties.title == SUBJECT
    assert properties.author == MINISTRY
    assert properties.language == "vi-VN"
    assert "python-docx" not in (properties.comments + properties.last_modified_by)


# Hostile text


def test_markup_characters_and_a_long_unbroken_code_do_not_break_the_file():
    code = "QĐ-" + "X9" * 2500
    text = (
        'Giá trị <b>"đậm"</b> & <script>alert(1)</script> ]]> &amp; — '
        + code
        + "\x00\x07\x0b\x1f\ufffe ký tự điều khiển\r\ndòng sau\rdòng cuối"
    )
    document = opened(
        content(
            subject="Báo cáo <i>&</i>",
            sections=(ContentSection("I. <Kết quả> & tồn tại", text),),
            recipients=("- Lưu: VT, <PTKHCNĐP> & \x00",),
            annex_tables=(ContentTable("Bảng <1> & 2", ("Mã", "Số"), ((code, "1 < 2 & 3"),), numeric_columns=(1,)),),
        )
    )
    texts = lines(document)
    assert "I. <Kết quả> & tồn tại" in texts
    written = paragraph_of(document, next(line for line in texts if line.startswith("Giá trị")))
    assert written.text == (
        'Giá trị <b>"đậm"</b> & <script>alert(1)</script> ]]> &amp; — '
        + code
        + " ký tự điều khiển\ndòng sau\ndòng cuối"
    )
    assert document.core_properties.title == "Báo cáo <i>&</i>"
    assert lines(document.tables[1].rows[0].cells[0])[-1] == "- Lưu: VT, <PTKHCNĐP> &"
    assert [cell.text for cell in document.tables[2].rows[1].cells] == [code, "1 < 2 & 3"]


def test_an_empty_document_still_opens():
    document = opened(
        DocumentContent(
            header=DocumentHeader(issuer=""),
            kind_title="",
            subject="",
            scope="",
            sections=(ContentSection("", ""),),
            signature=None,
            recipients=(),
            annex_tables=(ContentTable("", (), ()),),
        )
    )
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=0.1)
    assert len(document.tables) == 2  # the header and the closing; an annex table without columns is left out
