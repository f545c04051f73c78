"""The digital signature of issued documents: real WeasyPrint PDF/A-2b, real pyHanko signatures and validation.

Read as: the demo certificate the command makes; where the room for the signature lands on the page;
a signed document that pyHanko's validator finds intact, valid and trusted by the demo root, its
visible signature where the room was and written in Vietnamese, still PDF/A-2b; a changed byte that
breaks it; and the configurations that cannot sign: none, a missing file, a wrong passphrase, an
expired certificate, a file that is not a PDF. Last, the settings read from the environment.
"""

import datetime
import io
import os
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from fontTools.ttLib import TTFont
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from coop.settings import env_secret
from reports.document_content import SignatureBlock
from reports.management.commands.create_demo_certificate import (
    AGENCY_NAME,
    PASSPHRASE_FILE,
    PKCS12_FILE,
    ROOT_FILE,
    ROOT_NAME,
    write_demo_certificate,
)
from reports.pdf import (
    POINTS_PER_MM,
    SIGNATURE_ANCHOR,
    SIGNATURE_HEIGHT,
    SIGNATURE_WIDTH,
    DocumentHeader,
    SignatureBox,
    render_pdf,
    render_pdf_with_anchor,
)
from reports.signing import SigningError, run_to_completion, sign_pdf, signing_configured

PROJECT = Path(settings.BASE_DIR)
TEST_TEMPLATES = Path(__file__).parent / "templates"
DOCUMENT_TEMPLATE = "tests/signed_document.html"
A4 = (595.28, 841.89)  # points
SIGNED_AT = datetime.datetime(2020, 6, 10, 2, 30, tzinfo=datetime.UTC)  # 09:30 in Hà Nội
SIGNER = "Trần Văn Tùng"
SIGNATURE = SignatureBlock(authority="KT. BỘ TRƯỞNG", position="THỨ TRƯỞNG", name=SIGNER)
# Enough paragraphs to push the signature block onto the second page.
LONG = 40


def document_context(*, signature=SIGNATURE, paragraphs: int = 3) -> dict:
    return {
        "document": DocumentHeader(issuer="Bộ Khoa học và Công nghệ", issued_on=datetime.date(2020, 6, 10)),
        "title": "Sơ kết thực hiện Chương trình phối hợp giai đoạn 2012-2015",
        "paragraphs": [
            f"Đoạn {number}: kết quả đạt được của các nhiệm vụ khoa học và công nghệ."
            for number in range(1, paragraphs + 1)
        ],
        "signature": signature,
    }


def with_test_templates():
    """The project's templates and the test's own (tests/reports/templates/)."""
    backend = {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]}
    return override_settings(TEMPLATES=[backend])


def draw(**context) -> tuple[bytes, SignatureBox | None]:
    with with_test_templates(), translation.override("vi"):
        return render_pdf_with_anchor(
            DOCUMENT_TEMPLATE, document_context(**context), anchor=SIGNATURE_ANCHOR, pdf_variant="pdf/a-2b"
        )


def sign(pdf: bytes, box: SignatureBox, **overrides) -> bytes:
    arguments = {
        "box": box,
        "signer_name": SIGNER,
        "position": "Thứ trưởng",
        "agency": AGENCY_NAME,
        "signed_at": SIGNED_AT,
        "reason": "Ban hành báo cáo",
        "location": "Hà Nội",
    }
    with translation.override("vi"):
        return sign_pdf(pdf, **{**arguments, **overrides})


def signing_with(directory: Path, *, passphrase: str | None = None):
    """Settings that sign with the demo certificate in `directory` (its own passphrase unless told another)."""
    if passphrase is None:
        passphrase = (directory / PASSPHRASE_FILE).read_text().strip()
    return override_settings(
        DOCUMENT_SIGNING_PKCS12=str(directory / PKCS12_FILE), DOCUMENT_SIGNING_PASSPHRASE=passphrase
    )


def validation_context(directory: Path) -> ValidationContext:
    return ValidationContext(trust_roots=[load_cert_from_pemder(str(directory / ROOT_FILE))])


def signature_status(pdf: bytes, directory: Path):
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    # pyHanko's validator is a coroutine: run where the browser tests may have left an event loop running.
    return run_to_completion(
        async_validate_pdf_signature(signatures[0], signer_validation_context=validation_context(directory))
    )


def signature_widget(pdf: bytes) -> tuple[int, DictionaryObject]:
    """The page index and the annotation of the document's signature field."""
    for index, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/FT") == "/Sig":
                return index, annotation
    raise AssertionError("no signature field")


def stamp_text(pdf: bytes) -> str:
    """The text of the visible signature, read back through its font's ToUnicode map."""
    _, widget = signature_widget(pdf)
    writer = PdfWriter()
    page = writer.add_blank_page(300, 100)
    stamp = widget["/AP"]["/N"].get_object().clone(writer)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Stamp"): stamp.indirect_reference})}
    )
    content = DecodedStreamObject()
    content.set_data(b"/Stamp Do")
    page.replace_contents(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return unicodedata.normalize("NFC", PdfReader(buffer).pages[0].extract_text())


def placed_texts(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of every run of text on a page, in points from the bottom left corner."""
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            runs.append((unicodedata.normalize("NFC", text.strip()), x, y))

    page.extract_text(visitor_text=visit)
    return runs


def pdfa_claim(pdf: bytes) -> tuple[str, str]:
    """(pdfaid:part, pdfaid:conformance) of the document's XMP metadata."""
    metadata = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert metadata is not None, "no XMP metadata"
    return metadata.pdfaid_part, metadata.pdfaid_conformance


# Fixtures: one signed document for the module (signing takes a second); the demo certificate is in conftest.py.


@pytest.fixture(scope="module")
def drawn() -> tuple[bytes, SignatureBox]:
    pdf, box = draw()
    assert box is not None
    return pdf, box


@pytest.fixture(scope="module")
def signed(certificate, drawn) -> bytes:
    pdf, box = drawn
    with signing_with(certificate):
        return sign(pdf, box)


# The demo certificate.


def test_the_command_writes_a_root_and_the_agencys_key_and_certificate_issued_by_it(certificate):
    root = x509.load_pem_x509_certificate((certificate / ROOT_FILE).read_bytes())
    passphrase = (certificate / PASSPHRASE_FILE).read_text().strip()
    key, agency, others = pkcs12.load_key_and_certificates(
        (certificate / PKCS12_FILE).read_bytes(), passphrase.encode()
    )

    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == ROOT_NAME
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert agency.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Bộ Khoa học và Công nghệ"
    assert agency.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "VN"
    usage = agency.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    agency.verify_directly_issued_by(root)
    assert key.public_key() == agency.public_key()
    assert others == [root]


def test_the_key_and_its_passphrase_are_readable_by_their_owner_alone(certificate):
    for name in (PKCS12_FILE, PASSPHRASE_FILE):
        assert stat.S_IMODE((certificate / name).stat().st_mode) == 0o600, name
    assert len((certificate / PASSPHRASE_FILE).read_text().strip()) >= 24


def test_the_command_prints_the_settings_that_would_use_it(tmp_path):
    out = io.StringIO()
    call_command("create_demo_certificate", directory=tmp_path, stdout=out)

    assert f"DOCUMENT_SIGNING_PKCS12={tmp_path / PKCS12_FILE}" in out.getvalue()
    assert f"DOCUMENT_SIGNING_PASSPHRASE_FILE={tmp_path / PASSPHRASE_FILE}" in out.getvalue()


def test_if_missing_leaves_existing_files_alone_and_otherwise_they_are_replaced(tmp_path):
    call_command("create_demo_certificate", directory=tmp_path, stdout=io.StringIO())
    first = {name: (tmp_path / name).read_bytes() for name in (ROOT_FILE, PKCS12_FILE, PASSPHRASE_FILE)}

    call_command("create_demo_certificate", directory=tmp_path, if_missing=True, stdout=io.StringIO())
    assert {name: (tmp_path / name).read_bytes() for name in first} == first

    call_command("create_demo_certificate", directory=tmp_path, stdout=io.StringIO())
    assert all((tmp_path / name).read_bytes() != content for name, content in first.items())


def test_the_default_directory_is_outside_the_repository():
    directory = Path(settings.DOCUMENT_SIGNING_DEMO_DIRECTORY).resolve()

    assert directory.parts[-2:] == ("coop-tracker", "signing")
    assert not directory.is_relative_to(PROJECT.resolve())


# Where the room for the signature lands.


def test_the_anchor_gives_the_room_between_the_signers_position_and_name(drawn):
    pdf, box = drawn
    page = PdfReader(io.BytesIO(pdf)).pages[box.page_index]
    runs = placed_texts(page)
    position_y = next(y for text, _, y in runs if text == "THỨ TRƯỞNG")
    name_y = next(y for text, _, y in runs if text == SIGNER)

    assert (box.width, box.height) == pytest.approx((70 * POINTS_PER_MM, 24 * POINTS_PER_MM))
    assert (box.width, box.height) == (SIGNATURE_WIDTH, SIGNATURE_HEIGHT)
    # Origin bottom left: the position above the box, the name below it, each within a line or two.
    assert box.y + box.height < position_y < box.y + box.height + 30
    assert box.y - 30 < name_y < box.y
    # In the right column of an A4 page, inside its margins (left 30 mm, right 15 mm).
    assert [float(value) for value in page.mediabox] == pytest.approx([0, 0, *A4], abs=0.01)
    assert A4[0] / 2 < box.x and box.x + box.width < A4[0] - 15 * POINTS_PER_MM


def test_the_room_follows_the_signature_block_to_the_next_page():
    pdf, box = draw(paragraphs=LONG)
    reader = PdfReader(io.BytesIO(pdf))

    assert len(reader.pages) >= 2
    assert box.page_index == len(reader.pages) - 1
    runs = placed_texts(reader.pages[box.page_index])
    assert any(text == SIGNER and box.y - 30 < y < box.y for text, _, y in runs)


def test_a_document_without_the_signature_block_has_no_room():
    pdf, box = draw(signature=None)

    assert box is None
    assert pdf.startswith(b"%PDF-")


def test_the_pdf_variant_is_passed_to_weasyprint_and_the_default_is_unchanged(drawn):
    pdf, _ = drawn
    with with_test_templates(), translation.override("vi"):
        plain = render_pdf(DOCUMENT_TEMPLATE, document_context())

    assert pdfa_claim(pdf) == ("2", "B")
    metadata = PdfReader(io.BytesIO(plain)).xmp_metadata
    assert metadata is None or metadata.pdfaid_part is None
    # PDF/A's colour profile (sRGB), in the drawn document alone.
    assert "/OutputIntents" in PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/OutputIntents" not in PdfReader(io.BytesIO(plain)).trailer["/Root"]


# A signed document.


def test_the_signature_is_intact_valid_and_trusted_by_the_demo_root(certificate, signed):
    status = signature_status(signed, certificate)

    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["organization_name"] == AGENCY_NAME


def test_signing_adds_to_the_drawn_document_without_changing_a_byte_of_it(drawn, signed):
    pdf, _ = drawn

    assert signed.startswith(pdf)
    assert len(signed) > len(pdf)


def test_the_signature_field_is_where_the_anchor_was(drawn, signed):
    _, box = drawn
    page_index, widget = signature_widget(signed)

    assert page_index == box.page_index
    assert [float(value) for value in widget["/Rect"]] == pytest.approx(list(box.rectangle), abs=0.01)
    # Printed with the page, as PDF/A wants of every annotation.
    assert int(widget["/F"]) & 4


def test_the_signature_dictionary_carries_the_reason_location_and_pades(signed):
    _, widget = signature_widget(signed)
    value = widget["/V"].get_object()

    assert value["/SubFilter"] == "/ETSI.CAdES.detached"
    assert value["/Reason"] == "Ban hành báo cáo"
    assert value["/Location"] == "Hà Nội"
    assert value["/Name"] == SIGNER


def test_the_visible_signature_shows_signer_position_agency_and_time_in_vietnamese(signed):
    lines = stamp_text(signed).splitlines()

    assert lines == [
        "Người ký: Trần Văn Tùng",
        "Chức vụ: Thứ trưởng",
        "Cơ quan: Bộ Khoa học và Công nghệ",
        "Thời gian ký: 10/06/2020 09:30:00 +07:00",
    ]


def test_the_visible_signature_embeds_its_font_with_the_widths_of_the_font(signed):
    _, widget = signature_widget(signed)
    font = widget["/AP"]["/N"]["/Resources"]["/Font"]["/F1"].get_object()
    descendant = font["/DescendantFonts"][0].get_object()
    program = TTFont(io.BytesIO(descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()))
    units = program["head"].unitsPerEm
    advances = {program.getGlyphID(name): width for name, (width, _) in program["hmtx"].metrics.items()}

    assert "LiberationSerif" in str(descendant["/BaseFont"])
    # /W: [first_cid [w1 w2 …] …] in thousandths of an em; CIDs are glyph ids (/CIDToGIDMap /Identity).
    widths = descendant["/W"]
    checked = 0
    for first, run in zip(widths[::2], widths[1::2], strict=True):
        for offset, width in enumerate(run):
            assert float(width) == pytest.approx(advances[int(first) + offset] * 1000 / units, abs=1)
            checked += 1
    assert checked > 20


def test_the_signed_document_still_claims_pdfa_2b_with_matching_metadata(signed):
    reader = PdfReader(io.BytesIO(signed))
    info = reader.metadata
    xmp = reader.xmp_metadata

    assert pdfa_claim(signed) == ("2", "B")
    assert "/OutputIntents" in reader.trailer["/Root"]
    # PDF/A: every entry of the document information says what the XMP metadata says.
    assert info["/Producer"] == xmp.pdf_producer
    assert info["/Title"] == xmp.dc_title["x-default"]
    assert [info["/Author"]] == xmp.dc_creator
    assert info["/Creator"] == xmp.xmp_creator_tool


def test_changing_one_signed_byte_breaks_the_signature(certificate, signed):
    # The document's language (/Lang (vi)), inside the range the signature covers.
    where = signed.index(b"/Lang (vi)") + len(b"/Lang (v")
    tampered = signed[:where] + b"x" + signed[where + 1 :]

    status = signature_status(tampered, certificate)

    assert not status.intact
    assert not status.bottom_line


def test_a_root_other_than_the_demo_one_does_not_trust_it(signed, tmp_path):
    call_command("create_demo_certificate", directory=tmp_path, stdout=io.StringIO())

    status = signature_status(signed, tmp_path)

    assert status.intact and status.valid
    assert not status.trusted


# Configurations that cannot sign.


def test_without_a_certificate_signing_is_not_configured_and_refused(drawn):
    pdf, box = drawn
    with override_settings(DOCUMENT_SIGNING_PKCS12="", DOCUMENT_SIGNING_PASSPHRASE=""):
        assert not signing_configured()
        with pytest.raises(SigningError, match="chưa cấu hình chứng thư số"):
            sign(pdf, box)


def test_a_configured_certificate_counts_as_configured(certificate):
    with signing_with(certificate):
        assert signing_configured()


def test_a_missing_certificate_file_is_a_clear_error(drawn, tmp_path):
    pdf, box = drawn
    with signing_with(tmp_path, passphrase="whatever"), translation.override("en"):
        assert signing_configured()
        with pytest.raises(SigningError, match=r"\(DOCUMENT_SIGNING_PKCS12\) cannot be read"):
            sign_pdf(
                pdf, box=box, signer_name=SIGNER, position="", agency="", signed_at=SIGNED_AT, reason="", location=""
            )


def test_a_wrong_passphrase_is_a_clear_error_in_the_users_language(certificate, drawn):
    pdf, box = drawn
    with signing_with(certificate, passphrase="not-the-passphrase"):
        with pytest.raises(SigningError, match="mật khẩu \\(DOCUMENT_SIGNING_PASSPHRASE\\) không đúng"):
            sign(pdf, box)
        with translation.override("en"), pytest.raises(SigningError, match="the passphrase .* is wrong"):
            sign_pdf(
                pdf, box=box, signer_name=SIGNER, position="", agency="", signed_at=SIGNED_AT, reason="", location=""
            )


def test_an_expired_certificate_is_refused(drawn, tmp_path):
    pdf, box = drawn
    write_demo_certificate(tmp_path, valid_from=datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC))
    with signing_with(tmp_path), pytest.raises(SigningError, match="chỉ có hiệu lực từ 01/01/2015"):
        sign(pdf, box)


def test_bytes_that_are_not_a_pdf_are_refused_with_a_message(certificate, drawn):
    _, box = drawn
    with signing_with(certificate), pytest.raises(SigningError, match="Không ký số được văn bản"):
        sign(b"%PDF-1.7\nnot really a PDF", box)


# The settings, read from the environment as a server reads them.


def signing_settings(env: dict[str, str], settings_module: str = "coop.settings") -> list[str]:
    """DOCUMENT_SIGNING_PKCS12 and DOCUMENT_SIGNING_PASSPHRASE as a new process with `env` reads them."""
    names = {"DOCUMENT_SIGNING_PKCS12", "DOCUMENT_SIGNING_PASSPHRASE", "DOCUMENT_SIGNING_PASSPHRASE_FILE", "DEBUG"}
    environment = {key: value for key, value in os.environ.items() if key not in names}
    environment.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DOCUMENT_SIGNING_PKCS12); print(settings.DOCUMENT_SIGNING_PASSPHRASE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.fixture
def demo_in_data_home(tmp_path) -> Path:
    """A demo certificate where the development settings look for one, under a temporary XDG_DATA_HOME."""
    directory = tmp_path / "coop-tracker" / "signing"
    directory.mkdir(parents=True)
    write_demo_certificate(directory)
    return directory


def test_in_development_the_demo_certificate_is_used_when_the_environment_names_none(demo_in_data_home, tmp_path):
    pkcs12_path, passphrase = signing_settings({"XDG_DATA_HOME": str(tmp_path)})

    assert pkcs12_path == str(demo_in_data_home / PKCS12_FILE)
    assert passphrase == (demo_in_data_home / PASSPHRASE_FILE).read_text().strip()


def test_the_environment_wins_over_the_demo_certificate(demo_in_data_home, tmp_path):
    passphrase_file = tmp_path / "agency.passphrase"
    passphrase_file.write_text("from the file\n")

    assert signing_settings(
        {
            "XDG_DATA_HOME": str(tmp_path),
            "DOCUMENT_SIGNING_PKCS12": "/etc/coop/agency.p12",
            "DOCUMENT_SIGNING_PASSPHRASE_FILE": str(passphrase_file),
        }
    ) == ["/etc/coop/agency.p12", "from the file"]


def test_production_never_falls_back_to_the_demo_certificate(demo_in_data_home, tmp_path):
    production = {
        "XDG_DATA_HOME": str(tmp_path),
        "SECRET_KEY": "a-long-production-secret-key-for-this-test-only-0123456789abcdef",
        "DATABASE_URL": "postgres://coop@127.0.0.1:5432/coop",
    }

    assert signing_settings(production, "coop.settings_production") == ["", ""]


def test_a_passphrase_is_read_from_the_environment_or_from_the_file_it_names(monkeypatch, tmp_path):
    passphrase_file = tmp_path / "passphrase"
    passphrase_file.write_text("secret in a file\n")
    monkeypatch.delenv("DOCUMENT_SIGNING_PASSPHRASE", raising=False)
    monkeypatch.delenv("DOCUMENT_SIGNING_PASSPHRASE_FILE", raising=False)
    assert env_secret("DOCUMENT_SIGNING_PASSPHRASE") == ""

    monkeypatch.setenv("DOCUMENT_SIGNING_PASSPHRASE_FILE", str(passphrase_file))
    assert env_secret("DOCUMENT_SIGNING_PASSPHRASE") == "secret in a file"

    monkeypatch.setenv("DOCUMENT_SIGNING_PASSPHRASE", "")
    assert env_secret("DOCUMENT_SIGNING_PASSPHRASE") == ""


def test_signing_works_where_an_event_loop_is_already_running(certificate, drawn):
    """As in an ASGI server or under the browser tests: pyHanko's own `sign_pdf` would refuse to start there."""

    async def sign_within_a_loop():
        with signing_with(certificate):
            return sign(*drawn)

    # Run as a coroutine, so that signing happens while its event loop runs (whatever this thread already runs).
    signed_in_loop = run_to_completion(sign_within_a_loop())
    assert signature_status(signed_in_loop, certificate).intact
