"""The Word copy of an administrative document, written by python-docx in the format of Decree 30/2020/NĐ-CP.

The drafting unit finishes the wording of a review document in Word, so the copy is built to be
edited: real paragraphs in named styles ("Body Text" for the text, "Heading 1" for the numbered
parts, both restyled in Times New Roman), tables a typist can extend, the register number and
the page numbers as Word writes them. It says what the PDF says (`reports.document_content`),
laid out as `templates/reports/pdf/` and `static/css/report-print.css` lay out the PDF: A4,
margins 20/20/30/15 mm, Times New Roman 13 pt, the two-column header, the page number centred
at the top from page 2, "Nơi nhận" and the signature side by side, the annex on a page of its own.

Unlike the PDF it embeds no font: Word on the drafting unit's computers has Times New Roman, and
a file that must stay editable should not carry a substitute. Rendering happens in the active
language: callers wrap it in `translation.override()`.
"""

import io
import re

from django.utils import timezone
from django.utils.translation import gettext, pgettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt
from docx.table import _Cell

from reports.document_content import ContentTable, DocumentContent, SignatureBlock
from reports.pdf import DocumentHeader

FONT = "Times New Roman"
LANGUAGE = "vi-VN"  # of the text the staff write, whatever the language of the fixed labels
TEXT_WIDTH = Mm(210 - 30 - 15)
# The header's two columns, near the PDF's 42 % and 58 % of the text width: the left one holds
# "BỘ KHOA HỌC VÀ CÔNG NGHỆ" on one line (65 mm in bold 12 pt), the right one "CỘNG HÒA XÃ HỘI CHỦ
# NGHĨA VIỆT NAM" (88 mm), with the cells' margins narrowed. "Nơi nhận" and the signature use the
# same columns, so that the signature stands under the national title.
LEFT_COLUMN = Mm(72)
RIGHT_COLUMN = Mm(93)
CELL_MARGIN = Mm(0.5)
BODY_LINE_SPACING = 1.15  # Word's single spacing is already ~1.15 em: this is the PDF's 1.3 em
BODY_FIRST_LINE_INDENT = Cm(1)
# Lines within a paragraph that start with these are items: each its own paragraph, flush left.
ITEM_MARKERS = ("- ", "+ ")
DRAFT_NUMBER_ROOM = " " * 8  # where the records office writes the number of a draft by hand
# Tables of figures (11 pt): the average width of a character, and a cell's margins with some slack.
TABLE_CHARACTER = Mm(2.1)
TABLE_CELL_PADDING = Mm(3.5)
SIGNATURE_ROOM = 4  # empty lines between the signer's title and name: the signature and the seal

# Characters XML 1.0 does not allow (python-docx refuses them): control characters other than tab
# and line feed, lone surrogates and the two non-characters.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Children of <w:pPr>, <w:rPr>, <w:trPr> and <w:tblPr> that must follow the one inserted (the
# schema fixes their order and Word refuses a file that breaks it).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct")
_AFTER_PBDR += ("w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd")
_AFTER_PBDR += ("w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents")
_AFTER_PBDR += ("w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap")
_AFTER_PBDR += ("w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_BDR = ("w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout")
_AFTER_BDR += ("w:specVanish", "w:oMath")
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del")
_AFTER_TBL_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
_AFTER_TBL_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def document_docx(content: DocumentContent) -> bytes:
    """The Word file (.docx) of `content`, in the active language.

    Page header with the page number from page 2 and, on a draft, "DỰ THẢO" in a box on every
    page; the two-column header of the decree; the kind of document, subject and scope; each
    section's heading and paragraphs; recipients beside the signature; the annex tables on pages
    of their own. Any text is accepted: characters XML cannot hold are left out.
    """
    document = Document()
    _set_up_styles(document)
    _set_up_settings(document)
    _set_up_page(document, is_draft=content.is_draft)
    _write_header(document, content.header)
    _write_title(document, content)
    for section in content.sections:
        if section.heading.strip():
            document.add_paragraph(_xml_text(section.heading.strip()), style="Heading 1")
        for paragraph in section.paragraphs:
            _write_paragraph(document, paragraph)
    _write_closing(document, content.recipients, content.signature)
    if content.annex_tables:
        _write_annex(document, content)
    _set_properties(document, content)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# Styles and page


def _set_up_styles(document) -> None:
    """Times New Roman 13 pt everywhere, Vietnamese proofing; body text and headings as the decree wants."""
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    default_run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(default_run)
    _set_language(default_run)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    body = styles["Body Text"]
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = BODY_FIRST_LINE_INDENT
    body.paragraph_format.line_spacing = BODY_LINE_SPACING
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.widow_control = True
    body.next_paragraph_style = body

    # A part's heading ("I. …") is a "Heading 1", so that Word's navigation pane lists the parts.
    # Headings 2 and 3 are not written but ready for "1." and "a)" (bold, bold italic, as in the
    # PDF): the template's blue theme fonts would not do in an administrative document.
    for name, italic in (("Heading 1", False), ("Heading 2", False), ("Heading 3", True)):
        heading = styles[name]
        heading_run = heading.element.get_or_add_rPr()
        _set_fonts(heading_run)
        heading_run.remove_all("w:color")
        heading.font.size = Pt(13)
        heading.font.bold = True
        heading.font.italic = italic
        heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        heading.paragraph_format.line_spacing = BODY_LINE_SPACING
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
        heading.next_paragraph_style = body

    # The page header holds the page number in the middle and the draft mark at the right.
    header = styles["Header"]
    header.paragraph_format.tab_stops.clear_all()
    header.paragraph_format.tab_stops.add_tab_stop(Length(TEXT_WIDTH // 2), WD_TAB_ALIGNMENT.CENTER)
    header.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)


def _set_up_settings(document) -> None:
    settings = document.settings.element
    # The template tells Word its spelling was checked: let Word check this document's.
    settings.remove_all("w:proofState")
    # A line of the text that ends with a line break is not stretched to the full width.
    compatibility = settings.find(qn("w:compat"))
    if compatibility is not None:
        compatibility.insert(0, OxmlElement("w:doNotExpandShiftReturn"))


def _set_fonts(run_properties) -> None:
    """Times New Roman for every script of `run_properties` (<w:rPr>), theme fonts removed.

    Word picks the font of a character by its script: Vietnamese letters are "ascii"/"hAnsi",
    but a run Word takes for East Asian or complex script would fall back on the theme's font.
    """
    fonts = run_properties.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)


def _set_language(run_properties) -> None:
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.insert_element_before(language, *_AFTER_LANG)
    language.set(qn("w:val"), LANGUAGE)


def _set_up_page(document, *, is_draft: bool) -> None:
    """A4 upright, the decree's margins; page numbers from page 2, the draft mark on every page."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)
    section.left_margin = Mm(30)
    section.right_margin = Mm(15)
    # The page number stands in the top margin, its foot about 5 mm above the text (as in the PDF).
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True

    first = section.first_page_header.paragraphs[0]
    if is_draft:
        first.add_run("\t\t")
        _add_draft_mark(first)

    following = section.header.paragraphs[0]
    following.add_run("\t")
    _add_page_number(following)
    if is_draft:
        following.add_run("\t")
        _add_draft_mark(following)


def _add_draft_mark(paragraph) -> None:
    """ "DỰ THẢO" in bold capitals inside a box (a border around the run, as Word's Borders > Box does)."""
    run = paragraph.add_run("\u00a0{}\u00a0".format(pgettext("mark on a draft document", "DRAFT")))
    run.bold = True
    border = OxmlElement("w:bdr")
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), "8")  # eighths of a point
    border.set(qn("w:space"), "1")
    border.set(qn("w:color"), "auto")
    run._r.get_or_add_rPr().insert_element_before(border, *_AFTER_BDR)


def _add_page_number(paragraph) -> None:
    """A PAGE field, which Word fills in on each page ("2" stands in the file until it does)."""
    _add_field_character(paragraph, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    _add_field_character(paragraph, "separate")
    paragraph.add_run("2")
    _add_field_character(paragraph, "end")


def _add_field_character(paragraph, kind: str) -> None:
    character = OxmlElement("w:fldChar")
    character.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(character)


# The document's parts


def _write_header(document, header: DocumentHeader) -> None:
    """The decree's two columns: issuer and number on the left, national title, motto, place and date on the right."""
    table = _borderless_table(document, (LEFT_COLUMN, RIGHT_COLUMN))
    issuer, nation = table.rows[0].cells

    if header.parent:
        _add_line(issuer, header.parent.upper(), size=12)
    _add_line(issuer, header.issuer.upper(), size=12, bold=True)
    _add_rule(issuer, width=Mm(25), within=LEFT_COLUMN - 2 * CELL_MARGIN)
    if header.number:
        # A number that starts with the symbol is a draft's: the records office writes the number in.
        number = DRAFT_NUMBER_ROOM + header.number if header.number.startswith("/") else " " + header.number
        _add_line(issuer, pgettext("number of a document", "No.:") + number)

    _add_line(nation, gettext("SOCIALIST REPUBLIC OF VIET NAM"), size=12, bold=True)
    _add_line(nation, gettext("Independence - Freedom - Happiness"), bold=True)
    _add_rule(nation, width=Mm(56), within=RIGHT_COLUMN - 2 * CELL_MARGIN)
    _add_line(nation, _place_and_date(header), italic=True)
    document.add_paragraph().paragraph_format.space_after = Pt(6)


def _place_and_date(header: DocumentHeader) -> str:
    """ "Hà Nội, ngày 05 tháng 02 năm 2023": the template's message, so that both copies read the same.

    Without a date of issue (not yet issued) the day, month and year are left blank to be written in.
    """
    if header.issued_on is None:
        day, month, year = " " * 4, " " * 4, " " * 6
    else:
        day, month, year = header.day, header.month, header.year
    return gettext("%(place)s, %(day)s/%(month)s/%(year)s") % {
        "place": gettext("Hanoi"),
        "day": day,
        "month": month,
        "year": year,
    }


def _write_title(document, content: DocumentContent) -> None:
    """The kind of document and its subject, centred in bold 14 pt; a short rule; the scope in italics."""
    if content.kind_title:
        _add_line(document, content.kind_title, size=14, bold=True)
    if content.subject:
        subject = _add_line(document, content.subject, size=14, bold=True)
        subject.paragraph_format.left_indent = Mm(8)
        subject.paragraph_format.right_indent = Mm(8)
    _add_rule(document, width=Mm(58), within=TEXT_WIDTH)
    if content.scope:
        _add_line(document, content.scope, italic=True).paragraph_format.space_after = Pt(12)


def _write_paragraph(document, text: str) -> None:
    """One paragraph of a section: its lines run on (a line break between them), but each line
    that starts with "- " or "+ " is an item, a paragraph of its own without the first-line indent.
    """
    current = None
    for line in _xml_text(text).split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith(ITEM_MARKERS) or current is None:
            current = document.add_paragraph(style="Body Text")
            if line.startswith(ITEM_MARKERS):
                current.paragraph_format.first_line_indent = Pt(0)
            current.add_run(line)
        else:
            current.add_run("\n" + line)


def _write_closing(document, recipients: tuple[str, ...], signature: SignatureBlock | None) -> None:
    """ "Nơi nhận" and its lines on the left; on the right the signature block, or nothing to sign yet."""
    document.add_paragraph().paragraph_format.space_after = Pt(6)
    table = _borderless_table(document, (LEFT_COLUMN, RIGHT_COLUMN))
    recipients_cell, signature_cell = table.rows[0].cells
    table.rows[0]._tr.get_or_add_trPr().insert_element_before(OxmlElement("w:cantSplit"), *_AFTER_CANT_SPLIT)

    if recipients:
        _add_line(recipients_cell, gettext("Recipients:"), size=12, bold=True, italic=True, align="left")
        for recipient in map(_xml_text, recipients):
            if recipient.strip():
                _add_line(recipients_cell, recipient.strip(), size=11, align="left")

    if signature is not None:
        # The minister signing in person has an authority ("BỘ TRƯỞNG") and no other position.
        for line in map(_xml_text, (signature.authority, signature.position)):
            if line.strip():
                _add_line(signature_cell, line.strip(), bold=True)
        for _ in range(SIGNATURE_ROOM):
            _add_line(signature_cell, "")
        _add_line(signature_cell, signature.name, bold=True)


def _write_annex(document, content: DocumentContent) -> None:
    """The annex on a new page: its title, what it belongs to, then each table."""
    title = _add_line(document, content.annex_title or gettext("Annex"), bold=True)
    title.paragraph_format.page_break_before = True
    if content.annex_reference:
        _add_line(document, content.annex_reference, italic=True)
    for table in content.annex_tables:
        _write_table(document, table)


def _write_table(document, content: ContentTable) -> None:
    """A table of figures in 11 pt: its title, its unit at the right, grid borders, the header row
    bold and repeated at the top of each page, figures aligned right, no row split across pages.
    """
    title = _add_line(document, content.title, bold=True, align="left")
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.keep_with_next = True
    if content.caption:
        caption = _add_line(document, content.caption, size=11, italic=True, align="right")
        caption.paragraph_format.keep_with_next = True

    column_count = max([len(content.columns), *(len(row) for row in content.rows)], default=0)
    if column_count == 0:
        return
    widths = _column_widths(content, column_count)
    table = document.add_table(rows=1 + len(content.rows), cols=column_count, style="Table Grid")
    table.autofit = False
    for index, width in enumerate(widths):
        table.columns[index].width = width
    _set_cell_margins(table, top=Mm(0.7), side=Mm(1.5))

    for row_index, row in enumerate(table.rows):
        is_head = row_index == 0
        texts = content.columns if is_head else content.rows[row_index - 1]
        properties = row._tr.get_or_add_trPr()
        properties.insert_element_before(OxmlElement("w:cantSplit"), *_AFTER_CANT_SPLIT)
        if is_head:
            properties.insert_element_before(OxmlElement("w:tblHeader"), *_AFTER_TBL_HEADER)
        for column_index, cell in enumerate(row.cells):
            cell.width = widths[column_index]
            text = texts[column_index] if column_index < len(texts) else ""
            if is_head:
                cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
                align = "centre"
            else:
                align = "right" if column_index in content.numeric_columns else "left"
            _add_line(cell, text, size=11, bold=is_head or None, align=align)


def _column_widths(content: ContentTable, column_count: int) -> list[Length]:
    """Widths sharing the text width as Word's "AutoFit to contents" would, but fixed, so that
    the file looks the same in every word processor.

    A column's natural width holds its longest cell on one line (up to 40 characters: longer
    ones wrap) and the longest word of its head. Columns whose natural width is less than their
    share (numbers, codes, dates) get it; the others share the rest by their natural widths.
    """
    natural = []
    for index in range(column_count):
        head = str(content.columns[index]) if index < len(content.columns) else ""
        cells = [str(row[index]) for row in content.rows if index < len(row)]
        # A head is bold, often in capitals ("STT"): a third wider than the same number of characters.
        longest = max([len(word) * 4 // 3 for word in head.split()] + [len(cell) for cell in cells], default=0)
        natural.append(min(max(longest, 3), 40) * TABLE_CHARACTER + TABLE_CELL_PADDING)
    if sum(natural) <= TEXT_WIDTH:
        return [Length(width * TEXT_WIDTH // sum(natural)) for width in natural]
    fixed: set[int] = set()
    while True:
        room = TEXT_WIDTH - sum(natural[index] for index in fixed)
        flexible = [index for index in range(column_count) if index not in fixed]
        flexible_total = sum(natural[index] for index in flexible)
        if room <= 0 or not flexible:
            # Too many columns to give the short ones their width: all shrink alike.
            return [Length(width * TEXT_WIDTH // sum(natural)) for width in natural]
        shares = {index: natural[index] * room // flexible_total for index in flexible}
        newly_fixed = {index for index in flexible if natural[index] <= shares[index]}
        if not newly_fixed:
            return [Length(natural[index] if index in fixed else shares[index]) for index in range(column_count)]
        fixed |= newly_fixed


def _set_properties(document, content: DocumentContent) -> None:
    """Title, author, language and dates of the file; no trace of the library's own template."""
    properties = document.core_properties
    properties.title = _xml_text(content.subject)
    properties.subject = _xml_text(content.kind_title)
    properties.author = _xml_text(content.header.issuer)
    properties.last_modified_by = _xml_text(content.header.issuer)
    properties.comments = ""
    properties.language = LANGUAGE
    properties.revision = 1
    now = timezone.now().replace(microsecond=0)
    properties.created = now
    properties.modified = now
    # The template's thumbnail would show a page that is not this document.
    package = document.part.package
    for relationship_id, relationship in list(package.rels.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[relationship_id]


# Building blocks


def _xml_text(text: str) -> str:
    """`text` with line ends made "\\n" and the characters XML cannot hold left out."""
    text = "" if text is None else str(text)
    return _NOT_IN_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


_ALIGNMENTS = {
    "centre": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _add_line(container, text: str, *, size: int | None = None, bold=None, italic=None, align: str = "centre"):
    """A paragraph of one run in `container` (the document or a table cell), without indent or spacing.

    A cell is created with one empty paragraph: the first line goes into it.
    """
    if isinstance(container, _Cell) and len(container.paragraphs) == 1 and not container.paragraphs[0].runs:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = _ALIGNMENTS[align]
    paragraph.paragraph_format.first_line_indent = Pt(0)
    run = paragraph.add_run(_xml_text(text))
    run.bold = bold
    run.italic = italic
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def _add_rule(container, *, width: Length, within: Length) -> None:
    """A short horizontal line, centred: the bottom border of an empty paragraph narrowed by its indents.

    `within` is the width of the text where it is drawn (in a cell, the cell's less its margins).
    """
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    indent = Length(max((within - width) // 2, 0))
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.line_spacing = Pt(2)
    paragraph.paragraph_format.space_after = Pt(5)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")  # eighths of a point: the PDF's 0.75 pt
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "auto")
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def _borderless_table(document, widths: tuple[Length, ...]):
    """A one-row table of fixed column widths with the document's default table style (no borders)."""
    table = document.add_table(rows=1, cols=len(widths))
    table.autofit = False
    _set_cell_margins(table, top=Mm(0), side=CELL_MARGIN)
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = width
        cell.width = width
    return table


def _set_cell_margins(table, *, top: Length, side: Length) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge, length in (("top", top), ("left", side), ("bottom", top), ("right", side)):
        margin = OxmlElement("w:" + edge)
        margin.set(qn("w:w"), str(length.twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, *_AFTER_TBL_CELL_MAR)
