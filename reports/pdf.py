"""PDF documents drawn by WeasyPrint from Django templates, in the format of Decree 30/2020/NĐ-CP.

The templates (`templates/reports/pdf/`) link the print stylesheet `static/css/report-print.css`,
which sets the page (A4, margins, page numbers from page 2) and loads Liberation Serif 2 from
`static/fonts/` by @font-face. WeasyPrint embeds the glyphs it uses, so a report never depends
on the fonts installed on the server. WeasyPrint may read files of `static/` and nothing else:
no network, no other file of the disk, whatever a template or a record holds.

Rendering happens in the active language: callers wrap it in `translation.override()`.

An issued document is drawn as PDF/A-2b (`pdf_variant="pdf/a-2b"`) for the archives, and
`render_pdf_with_anchor` also tells where its signature block left room for the visible digital
signature, which `reports.signing.sign_pdf` then adds there.

WeasyPrint and pypdf are imported by the functions that draw or read a PDF, not by this module:
WeasyPrint alone takes 0.5–0.9 s to import (its Pango bindings and fonts), and this module is
imported by the URLconf, through the views and services, so every process, the development server
and each test run, would pay that before its first answer. A process that draws pays it once, at its
first report (`tests/reports/test_cold_start.py` keeps these libraries out of the URLconf).
"""

import datetime
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit
from urllib.request import url2pathname

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from reports.choices import ReportStage

PRINT_STYLESHEET = "css/report-print.css"
# Symbol of the Ministry's reports ("BC": báo cáo); the records office writes the number before it.
REPORT_SYMBOL = "/BC-BKHCN"

# CSS pixels are 1/96 inch, PDF points 1/72: WeasyPrint writes 1 px as 0.75 pt.
POINTS_PER_PX = 0.75
POINTS_PER_MM = 72 / 25.4
# The visible signature of an issued document: the id of the empty block that
# templates/reports/pdf/signature_block.html leaves for it, and its size (the same as `.signature-stamp`
# of the print stylesheet), between the signer's position and name.
SIGNATURE_ANCHOR = "signature-stamp"
SIGNATURE_WIDTH = 70 * POINTS_PER_MM
SIGNATURE_HEIGHT = 24 * POINTS_PER_MM

_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


@cache
def static_folder() -> Path:
    """The folder holding the print stylesheet and the fonts (the project's `static/`)."""
    stylesheet = finders.find(PRINT_STYLESHEET)
    if stylesheet is None:
        raise FileNotFoundError(f"The print stylesheet {PRINT_STYLESHEET} is missing from the static files.")
    return Path(stylesheet).resolve().parent.parent


def static_files_only(folder: Path):
    """A WeasyPrint URL fetcher that reads the files of `folder` (stylesheet, fonts) and nothing else."""
    return _static_files_only_class()(folder)


@cache
def _static_files_only_class():
    """The class of `static_files_only`, made at the first report: it extends WeasyPrint's, imported only to draw."""
    from weasyprint.urls import URLFetcher

    class StaticFilesOnly(URLFetcher):
        def __init__(self, folder: Path):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)
            self.folder = folder

        def fetch(self, url, headers=None):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self.folder):
                raise ValueError(f"Not a static file of the reports: {url}")
            return super().fetch(url, headers)

    return StaticFilesOnly


@dataclass(frozen=True)
class SignatureBox:
    """Where a visible signature goes: a page (counted from 0) and a rectangle on it.

    In PDF points (1/72 inch), from the page's bottom left corner, as pyHanko and the PDF file want them.
    """

    page_index: int
    x: float
    y: float
    width: float
    height: float

    @property
    def rectangle(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top): a PDF rectangle."""
        return (self.x, self.y, self.x + self.width, self.y + self.height)


def ignore_stage(stage: str) -> None:
    """The progress of a report drawn within a request: nobody follows it."""


def render_pdf(
    template_name: str,
    context: dict,
    *,
    pdf_variant: str | None = None,
    on_stage: Callable[[str], None] = ignore_stage,
) -> bytes:
    """The PDF of `template_name` rendered with `context` in the active language.

    `pdf_variant` is one of WeasyPrint's variants ("pdf/a-2b" for an issued document, which an
    archive must be able to read decades later), or None for a plain PDF.

    `on_stage` is told each step as it starts (`ReportStage`: writing the HTML, laying out the
    pages, writing the PDF), so that a report drawn in the background can show where it is.
    """
    document = _laid_out(template_name, context, on_stage=on_stage)
    on_stage(ReportStage.PDF)
    return document.write_pdf(pdf_variant=pdf_variant)


def render_pdf_with_anchor(
    template_name: str,
    context: dict,
    *,
    anchor: str,
    pdf_variant: str | None = None,
    on_stage: Callable[[str], None] = ignore_stage,
) -> tuple[bytes, SignatureBox | None]:
    """The PDF of `render_pdf`, and where the element with `id="<anchor>"` landed in it.

    The box has the signature's fixed size (`SIGNATURE_WIDTH`, `SIGNATURE_HEIGHT`) and its top left
    corner where the element's is; None when the document has no such element (the signature block
    was left out). The template gives the element the same size (`.signature-stamp` in the print
    stylesheet), so that the visible signature covers exactly the room left for it.
    """
    document = _laid_out(template_name, context, on_stage=on_stage)
    box = anchor_box(document, anchor)
    on_stage(ReportStage.PDF)
    return document.write_pdf(pdf_variant=pdf_variant), box


def _laid_out(template_name: str, context: dict, *, on_stage: Callable[[str], None]):
    """The WeasyPrint document of `template_name`, its pages laid out, not yet written as a PDF."""
    # Here rather than at the top of the module: see the module's docstring.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    folder = static_folder()
    on_stage(ReportStage.WRITING)
    html = render_to_string(template_name, context)
    on_stage(ReportStage.LAYOUT)
    # A font configuration per document: WeasyPrint adds the @font-face fonts to it while rendering.
    fonts = FontConfiguration()
    source = HTML(string=html, base_url=folder.as_uri() + "/", url_fetcher=static_files_only(folder))
    return source.render(font_config=fonts)


def anchor_box(document, anchor: str) -> SignatureBox | None:
    """The signature's box at the first page of a laid-out WeasyPrint `document` that has `anchor`."""
    for index, page in enumerate(document.pages):
        # Page.anchors: name → a point in CSS pixels from the page's top left corner (its first two
        # values; WeasyPrint 70 appends the opposite corner, which the fixed size makes unneeded).
        point = page.anchors.get(anchor)
        if point is None:
            continue
        left, top = point[0] * POINTS_PER_PX, point[1] * POINTS_PER_PX
        page_height = page.height * POINTS_PER_PX
        return SignatureBox(
            page_index=index,
            x=left,
            y=page_height - top - SIGNATURE_HEIGHT,
            width=SIGNATURE_WIDTH,
            height=SIGNATURE_HEIGHT,
        )
    return None


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF, read back from its bytes."""
    from pypdf import PdfReader  # here rather than at the top: see the module's docstring

    return len(PdfReader(io.BytesIO(pdf)).pages)


@dataclass(frozen=True)
class DocumentHeader:
    """The two columns above a Vietnamese administrative document (Decree 30/2020/NĐ-CP, Appendix I).

    Left: the agency above the issuer (if any), the issuing agency, the document's number.
    Right: the national title and motto (in the template), the place and the date of issue.
    """

    issuer: str
    parent: str = ""
    number: str = ""
    issued_on: datetime.date | None = None

    @property
    def day(self) -> str:
        """The day as the decree writes it: with a leading zero below 10 ("ngày 05")."""
        return f"{self.issued_on.day:02d}"

    @property
    def month(self) -> str:
        """The month as the decree writes it: a leading zero for January and February only ("tháng 02", "tháng 6")."""
        month = self.issued_on.month
        return f"{month:02d}" if month < 3 else str(month)

    @property
    def year(self) -> str:
        return str(self.issued_on.year)


def document_header(
    issuing_party, *, default_issuer: str, issued_on: datetime.date, number: str = ""
) -> DocumentHeader:
    """The header of a report issued in the name of `issuing_party`'s agency (a `ProgrammeParty` or None)."""
    agency = issuing_party.agency if issuing_party is not None else None
    return agency_document_header(agency, default_issuer=default_issuer, issued_on=issued_on, number=number)


def agency_document_header(
    agency, *, default_issuer: str, issued_on: datetime.date, number: str = ""
) -> DocumentHeader:
    """The header of a document issued by `agency` (an `Agency`, or None for `default_issuer`)."""
    if agency is None:
        return DocumentHeader(issuer=default_issuer, number=number, issued_on=issued_on)
    # The agency above the issuer heads the column, as the decree wants (a Ministry has none).
    parent = agency.parent.name if agency.parent_id else ""
    return DocumentHeader(issuer=agency.name, parent=parent, number=number, issued_on=issued_on)


def ascii_filename(name: str) -> str:
    """`name` reduced to letters, digits, dots and dashes: "Báo cáo PH-01.pdf" → "Bao-cao-PH-01.pdf".

    Safe on every file system and inside a quoted Content-Disposition parameter.
    """
    without_marks = "".join(
        char
        for char in unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
        if not unicodedata.combining(char)
    )
    return _UNSAFE_IN_FILENAME.sub("-", without_marks).strip("-.") or "report"


def attachment_header(filename: str) -> str:
    """`Content-Disposition` for a download: an ASCII name for old clients, the real name for the others (RFC 6266)."""
    fallback = ascii_filename(filename)
    return "attachment; filename=\"{}\"; filename*=UTF-8''{}".format(fallback, quote(filename, safe=""))
