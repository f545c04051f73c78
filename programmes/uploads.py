"""What may be attached to a meeting: documents and pictures, recognised by their content.

A file's name says nothing reliable about it: a web page renamed "bien-ban.pdf" would be
served back to colleagues. The first bytes (and, for the ZIP-based office formats, the
declared main part) say what the file is, and the name's extension must agree with it.
The size is checked before the content is read. Stored names are random; the name the user
gave is kept only to offer it back on download.
"""

import posixpath
import re
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word, Excel and PowerPoint before 2007
ZIP = b"PK\x03\x04"
OOXML_MAIN_PART = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
ODF_MIMETYPE = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


KINDS = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": ODF_MIMETYPE[".odt"],
    ".ods": ODF_MIMETYPE[".ods"],
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
ALLOWED_NAMES = "PDF, Word, Excel, PowerPoint, OpenDocument, JPEG, PNG"
# Enough of a file's start to recognise every kind above.
HEAD_BYTES = 8


def extension(name: str) -> str:
    return posixpath.splitext(name.replace("\\", "/"))[1].lower()


def content_matches(file, ext: str) -> bool:
    """Whether the file's content is of the kind its extension `ext` names."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if ext == ".pdf":
        return head.startswith(b"%PDF-")
    if ext in {".doc", ".xls", ".ppt"}:
        return head.startswith(OLE)
    if ext in {".jpg", ".jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if ext == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in OOXML_MAIN_PART or ext in ODF_MIMETYPE:
        return head.startswith(ZIP) and zip_declares(file, ext)
    return False


def zip_declares(file, ext: str) -> bool:
    """An office ZIP says what it is: OOXML in [Content_Types].xml, OpenDocument in `mimetype`."""
    try:
        with zipfile.ZipFile(file) as archive:
            if ext in ODF_MIMETYPE:
                return archive.read("mimetype").decode("ascii", "replace").strip() == ODF_MIMETYPE[ext]
            # Read at most 1 MB: a real [Content_Types].xml is a few kilobytes.
            with archive.open("[Content_Types].xml") as part:
                declared = part.read(1_000_000).decode("utf-8", "replace")
            return f'ContentType="{OOXML_MAIN_PART[ext]}"' in declared
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return False
    finally:
        file.seek(0)


def validate_attachment(file) -> None:
    """The model field's validator: the size, then the kind by content (admin and form alike)."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB, the most a meeting document may be."),
            code="too_large",
            params={"limit": number_format(limit / 1_000_000, decimal_pos=0 if limit % 1_000_000 == 0 else 1)},
        )
    ext = extension(file.name)
    if ext not in KINDS:
        raise ValidationError(
            _("Only these kinds of file can be attached: %(kinds)s."), code="kind", params={"kinds": ALLOWED_NAMES}
        )
    if not content_matches(file, ext):
        raise ValidationError(
            _("The content of this file is not a %(extension)s document, whatever its name says."),
            code="content",
            params={"extension": ext.lstrip(".").upper()},
        )


def content_type(name: str) -> str:
    return KINDS.get(extension(name), "application/octet-stream")


def safe_original_name(name: str) -> str:
    """The user's file name without folders or control characters, for the download only."""
    base = posixpath.basename(name.replace("\\", "/"))
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip(" .") or "tep-dinh-kem"
    return base[-200:]


def stored_name(meeting_id: int, original: str) -> str:
    """A random name in the meeting's folder, keeping only the (checked) extension."""
    return f"meetings/{meeting_id}/{uuid.uuid4().hex}{extension(original)}"
