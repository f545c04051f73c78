"""What an administrative document says, apart from how it is drawn.

The review document is written out twice from the same content: as a PDF by WeasyPrint
(`templates/reports/pdf/`) and as a Word file by python-docx (`reports.docx`), for the
drafting unit that finishes the wording in Word. Both read a `DocumentContent`, so that
the two copies cannot say different things.
"""

from dataclasses import dataclass, field

from reports.pdf import DocumentHeader


@dataclass(frozen=True)
class SignatureBlock:
    """The block under the text, right column (Decree 30/2020/NĐ-CP, Appendix I).

    `authority` is the capacity in which the signer signs ("KT. BỘ TRƯỞNG", "BỘ TRƯỞNG",
    "TL. BỘ TRƯỞNG"), `position` the signer's own title ("THỨ TRƯỞNG"), both in capitals;
    between them and the name there is room for the signature and the seal.
    """

    authority: str
    position: str
    name: str


@dataclass(frozen=True)
class ContentTable:
    """A table of figures: a title above it, its column heads, its rows of cells already formatted as text."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""  # the unit, under the title: "Đơn vị: tỷ đồng"
    numeric_columns: tuple[int, ...] = ()  # indexes of the columns aligned right


@dataclass(frozen=True)
class ContentSection:
    """A numbered part of the text: "I. Kết quả đạt được" and its paragraphs (blank lines separate them)."""

    heading: str
    text: str

    @property
    def paragraphs(self) -> list[str]:
        return [paragraph.strip() for paragraph in self.text.replace("\r\n", "\n").split("\n\n") if paragraph.strip()]


@dataclass(frozen=True)
class DocumentContent:
    """A document as it is issued: header, title, subject, numbered sections, signature, recipients, annex."""

    header: DocumentHeader
    kind_title: str  # "BÁO CÁO"
    subject: str  # "Sơ kết thực hiện Chương trình phối hợp …"
    scope: str  # "(Số liệu tính đến ngày 10/06/2020)"
    sections: tuple[ContentSection, ...]
    signature: SignatureBlock | None
    recipients: tuple[str, ...]  # each line of "Nơi nhận", the last "Lưu: VT, PTKHCNĐP."
    annex_title: str = ""  # "Phụ lục"
    annex_reference: str = ""  # "(Kèm theo Báo cáo số 15/BC-BKHCN ngày 10/6/2020 của Bộ KH&CN)"
    annex_tables: tuple[ContentTable, ...] = field(default=())
    is_draft: bool = False  # a draft is marked "DỰ THẢO" on every page
    digitally_signed: bool = False  # an issued copy without a digital signature says so under the signature block
