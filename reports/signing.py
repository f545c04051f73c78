"""The digital signature of issued documents: PAdES (baseline B-B) with pyHanko, visible on the page.

An issued review document is drawn as PDF/A-2b (`reports.pdf.render_pdf_with_anchor`), which tells
where its signature block left room for the signature; `sign_pdf` adds the signature there as an
incremental update, so that the bytes drawn stay untouched under it and the file still is PDF/A-2b.

The key and the certificate come from a PKCS#12 file named by the settings `DOCUMENT_SIGNING_PKCS12`
and `DOCUMENT_SIGNING_PASSPHRASE` (read from the environment in coop/settings.py). In development,
`manage.py create_demo_certificate` makes a demo one, outside the repository, that no one trusts
but its own demo root.

The stamp is written with Liberation Serif (the reports' font, `static/fonts/`), embedded as a subset
by pyHanko's OpenType support, so that Vietnamese names keep their diacritics.

pyHanko (with aiohttp and its cryptography) and fontTools are imported by the functions that sign,
not by this module, which the URLconf imports through the views (for `SigningError`): they take about
0.4 s to import, which every process would otherwise pay before its first answer.
"""

from __future__ import annotations

import asyncio
import datetime
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.pdf import SignatureBox, static_folder

if TYPE_CHECKING:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.stamp import TextStampStyle

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "Signature1"
STAMP_FONT = "fonts/liberation-serif/LiberationSerif-Regular.ttf"
# Points. Four lines of this size fill the 24 mm stamp; a longer line is shrunk to fit its width.
STAMP_FONT_SIZE = 9
# Dark red, the colour Vietnamese readers know from the seal and from the stamps of signed files.
STAMP_COLOUR = (0.6, 0.0, 0.0)


class SigningError(Exception):
    """The document could not be signed; `str(error)` says why, in the active language, for the user."""


def signing_configured() -> bool:
    """Whether a signing key is configured: issued documents are signed only then."""
    return bool(getattr(settings, "DOCUMENT_SIGNING_PKCS12", ""))


def sign_pdf(
    pdf: bytes,
    *,
    box: SignatureBox,
    signer_name: str,
    position: str,
    agency: str,
    signed_at: datetime.datetime,
    reason: str,
    location: str,
) -> bytes:
    """`pdf` signed with the configured key, the signature visible in `box`; raises `SigningError`.

    The stamp shows the signer's name, position and agency and `signed_at` (in the site's time zone);
    `reason` and `location` go into the signature dictionary ("Ban hành báo cáo", "Hà Nội"). The
    signature is an incremental update: the bytes of `pdf` are the start of the result, unchanged.
    """
    # Here rather than at the top of the module: see the module's docstring.
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError as PyHankoSigningError

    signer = _configured_signer()
    _check_validity(signer)
    stamp_lines = [
        _("Signed by: %(name)s") % {"name": signer_name},
        _("Position: %(position)s") % {"position": position} if position else "",
        _("Agency: %(agency)s") % {"agency": agency} if agency else "",
        _("Signed at: %(time)s") % {"time": _stamp_time(signed_at)},
    ]
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        name=signer_name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        # PAdES baseline B-B: the subfilter ETSI.CAdES.detached, the signer's certificate bound into the
        # signed attributes, the signing time in the signature dictionary.
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    field_spec = fields.SigFieldSpec(
        sig_field_name=SIGNATURE_FIELD,
        on_page=box.page_index,
        box=tuple(round(value, 2) for value in box.rectangle),
    )
    pdf_signer = signers.PdfSigner(metadata, signer, stamp_style=_stamp_style(), new_field_spec=field_spec)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        _let_producer_agree(writer)
        output = run_to_completion(
            pdf_signer.async_sign_pdf(
                writer,
                # Our own text, not pyHanko's "%(ts)s": the lines are already filled in.
                appearance_text_params={"stamp": "\n".join(line for line in stamp_lines if line)},
            )
        )
    except (PdfError, PyHankoSigningError) as error:
        logger.exception("The document could not be signed")
        raise SigningError(_("The document could not be signed; the reason is in the server's log.")) from error
    return output.getvalue()


def run_to_completion(coroutine):
    """Run pyHanko's signing coroutine to its end, whether or not this thread already runs an event loop.

    pyHanko's synchronous `sign_pdf` calls `asyncio.run()`, which refuses to start inside a running
    loop (an ASGI server, a worker, the browser tests' Playwright): there the coroutine runs in a
    thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _configured_signer() -> signers.SimpleSigner:
    """The key and certificate of the configured PKCS#12 file; `SigningError` when they cannot be read."""
    from pyhanko.sign import signers

    if not signing_configured():
        raise SigningError(_("Documents cannot be signed: no signing certificate is configured."))
    path = Path(settings.DOCUMENT_SIGNING_PKCS12)
    try:
        data = path.read_bytes()
    except OSError as error:
        logger.error("The signing certificate %s cannot be read: %s", path, error)
        raise SigningError(
            _("The signing certificate (DOCUMENT_SIGNING_PKCS12) cannot be read: ask the administrator to check it.")
        ) from error
    passphrase = getattr(settings, "DOCUMENT_SIGNING_PASSPHRASE", "") or ""
    try:
        # load_pkcs12_data raises on a wrong passphrase; load_pkcs12 would only log it and return None.
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=passphrase.encode() or None)
    except ValueError as error:
        logger.error("The signing certificate %s cannot be opened: %s", path, error.__cause__ or error)
        raise SigningError(
            _(
                "The signing certificate cannot be opened: the passphrase (DOCUMENT_SIGNING_PASSPHRASE) is wrong "
                "or the file is not a PKCS#12 file."
            )
        ) from error


def _check_validity(signer: signers.SimpleSigner) -> None:
    """`SigningError` when the signing certificate is not valid now: every reader would reject the signature.

    Now, not the `signed_at` shown on the stamp: the signature carries the time it is made, and readers
    check the certificate at that time.
    """
    validity = signer.signing_cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if not not_before <= timezone.now() <= not_after:
        raise SigningError(
            _("The signing certificate is valid from %(start)s to %(end)s only: ask the administrator to renew it.")
            % {"start": _stamp_time(not_before), "end": _stamp_time(not_after)}
        )


def _let_producer_agree(writer: IncrementalPdfFileWriter) -> None:
    """Keeps the document information and the XMP metadata saying the same producer, as PDF/A requires.

    pyHanko writes its own name as the XMP producer but appends it to the document information's
    (giving "WeasyPrint 70.0; pyHanko 0.38.0" against "pyHanko 0.38.0"); without a producer in the
    document information it writes there its own name alone, the same as in the XMP.
    """
    from pyhanko.pdf_utils import generic

    if "/Info" not in writer.trailer:
        return
    info_reference = writer.trailer.raw_get("/Info")
    if isinstance(info_reference, generic.IndirectObject):
        writer.mark_update(info_reference)
    info = writer.trailer["/Info"]
    if "/Producer" in info:
        del info["/Producer"]


def _stamp_time(signed_at: datetime.datetime) -> str:
    """dd/mm/yyyy HH:MM:SS and the UTC offset, in the site's time zone: "10/06/2020 09:30:00 +07:00"."""
    if timezone.is_aware(signed_at):
        signed_at = timezone.localtime(signed_at)
        offset = signed_at.strftime("%z")
        return "{} {}:{}".format(signed_at.strftime("%d/%m/%Y %H:%M:%S"), offset[:3], offset[3:])
    return signed_at.strftime("%d/%m/%Y %H:%M:%S")


@cache
def _thousand_unit_font_factory():
    """The font factory of the stamp, made at the first signature: it extends pyHanko's, imported only to sign."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class ThousandUnitFontFactory(GlyphAccumulatorFactory):
        """pyHanko's OpenType font support, given the font scaled to 1000 units per em.

        pyHanko 0.38 writes a font's glyph widths (/W) and kerning in the font's own units, which a PDF
        reads as thousandths of an em: right for most OpenType (CFF) fonts, 2.048 times too wide for
        Liberation Serif and other TrueType fonts of 2048 units, whose letters then stand apart and run out
        of the stamp (and PDF/A wants those widths to agree with the font's). Scaled to 1000, both agree.
        """

        def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(_font_in_thousand_units(self.font_file)),
                font_size=self.font_size,
                ot_script_tag=self.ot_script_tag,
                ot_language_tag=self.ot_language_tag,
                writing_direction=self.writing_direction,
                bcp47_lang_code=self.bcp47_lang_code,
                obj_stream=obj_stream,
            )

    return ThousandUnitFontFactory


@cache
def _font_in_thousand_units(path: str) -> bytes:
    """The TrueType font at `path` scaled to 1000 units per em, without its hinting (made once per process)."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(path)
    scale_upem(font, 1000)
    # The hinting instructions speak of the old units: scaled glyphs with them would be distorted at small sizes.
    for table in ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX"):
        if table in font:
            del font[table]
    glyphs = font["glyf"]
    for name in font.getGlyphOrder():
        glyphs[name].removeHinting()
    scaled = io.BytesIO()
    font.save(scaled)
    return scaled.getvalue()


def _stamp_style() -> TextStampStyle:
    """The look of the visible signature: the lines of text, left-aligned in a thin dark red frame."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    font = _thousand_unit_font_factory()(font_file=str(static_folder() / STAMP_FONT), font_size=STAMP_FONT_SIZE)
    return TextStampStyle(
        stamp_text="%(stamp)s",
        text_box_style=TextBoxStyle(
            font=font,
            font_size=STAMP_FONT_SIZE,
            leading=STAMP_FONT_SIZE + 2,
            text_color=STAMP_COLOUR,
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(4),
        ),
        border_width=1,
        border_color=STAMP_COLOUR,
        # No picture behind the text: pyHanko's default one is semi-transparent and says "pyHanko".
        background=None,
    )
