"""Meeting documents: what may be attached (checked by content), where it is stored, who gets it back.

Files are built here byte by byte as the programs that make them write them (a PDF header,
an Office ZIP with its [Content_Types].xml, an OLE header, PNG and JPEG signatures), and
the dangerous ones are what an attacker would upload: a web page or an SVG with a script
renamed .pdf, a Windows program renamed .docx.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from programmes.models import Attachment
from tests.conftest import logged_in
from tests.factories import AttachmentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20) + b"\xff\xd9"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
HTML = b"<!doctype html><html><body><script>fetch('/admin/')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56)

OOXML_MAIN = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}


def office_file(kind: str) -> bytes:
    """A minimal Office Open XML package, as Word, Excel or PowerPoint write it."""
    part, content_type = OOXML_MAIN[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/{part}" ContentType="{content_type}"/></Types>',
        )
        package.writestr(part, "<document/>")
    return buffer.getvalue()


def open_document(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", mimetype)
        package.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


ACCEPTED = {
    "bien-ban-hop.pdf": PDF,
    "bao-cao.docx": office_file("docx"),
    "so-lieu.xlsx": office_file("xlsx"),
    "trinh-chieu.pptx": office_file("pptx"),
    "cong-van-cu.doc": OLE,
    "bang-tinh-cu.xls": OLE,
    "van-ban.odt": open_document("application/vnd.oasis.opendocument.text"),
    "bang-tinh.ods": open_document("application/vnd.oasis.opendocument.spreadsheet"),
    "anh-hoi-nghi.jpg": JPEG,
    "so-do.png": PNG,
}

REFUSED_BY_CONTENT = {
    "web page renamed .pdf": ("bien-ban.pdf", HTML),
    "SVG with a script renamed .png": ("so-do.png", SVG),
    "program renamed .docx": ("bao-cao.docx", EXE),
    "a ZIP that is no Office file": ("bao-cao.xlsx", open_document("application/zip")),
    "a Word file named .xlsx": ("so-lieu.xlsx", office_file("docx")),
    "a PDF named .jpg": ("anh.jpg", PDF),
}


def upload(client, meeting, name: str, content: bytes, title: str = "Biên bản hội nghị"):
    return client.post(
        reverse("attachment_add", args=[meeting.pk]), {"title": title, "file": SimpleUploadedFile(name, content)}
    )


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize("name", ACCEPTED)
def test_each_kind_of_document_is_accepted_and_stored_under_a_random_name(world, settings, name):
    response = upload(logged_in(world.ministry_user), world.meeting, name, ACCEPTED[name])
    assert response.status_code == 302
    attachment = Attachment.objects.get(meeting=world.meeting)
    assert attachment.original_name == name
    folder, stored = attachment.file.name.rsplit("/", 1)
    assert folder == f"meetings/{world.meeting.pk}"
    assert name.rsplit(".", 1)[0] not in stored
    assert Path(stored).suffix == Path(name).suffix
    assert (Path(settings.MEDIA_ROOT) / attachment.file.name).read_bytes() == ACCEPTED[name]


@pytest.mark.parametrize("case", REFUSED_BY_CONTENT)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(world, settings, case):
    name, content = REFUSED_BY_CONTENT[case]
    response = upload(logged_in(world.ministry_user), world.meeting, name, content)
    assert response.status_code == 200
    extension = Path(name).suffix.lstrip(".").upper()
    assert f"Nội dung tệp này không phải là tài liệu {extension}" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("name", ["trang.html", "so-do.svg", "cai-dat.exe", "tep", "nen.zip"])
def test_other_kinds_of_file_are_refused_by_name_too(world, name):
    response = upload(logged_in(world.ministry_user), world.meeting, name, PDF)
    assert response.status_code == 200
    assert "Chỉ được đính kèm các loại tệp: PDF, Word, Excel, PowerPoint" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 1_000_000
    response = upload(logged_in(world.ministry_user), world.meeting, "lon.pdf", PDF + bytes(1_000_000))
    assert response.status_code == 200
    assert "Tệp lớn hơn 1 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_name_that_climbs_out_of_the_folder_is_harmless(world, settings):
    response = upload(logged_in(world.ministry_user), world.meeting, "../../etc/passwd.pdf", PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert ".." not in attachment.file.name
    assert attachment.file.name.startswith(f"meetings/{world.meeting.pk}/")
    assert attachment.original_name == "passwd.pdf"
    assert [path.parent for path in stored_files(settings)] == [
        Path(settings.MEDIA_ROOT) / "meetings" / str(world.meeting.pk)
    ]


def test_the_admin_checks_uploads_the_same_way(world, admin_client):
    """The check is the model field's validator, which the admin's inline form runs too."""
    attachment = Attachment(meeting=world.meeting, title="Biên bản", file=SimpleUploadedFile("bien-ban.pdf", HTML))
    with translation.override("vi"), pytest.raises(ValidationError, match="không phải là tài liệu PDF"):
        attachment.full_clean()


# Download: only through the view, only in scope.


def test_a_document_is_downloaded_under_its_own_name_with_its_checked_type(world):
    upload(logged_in(world.ministry_user), world.meeting, "Biên bản họp 10-6-2020.pdf", PDF)
    attachment = Attachment.objects.get()
    response = logged_in(world.province_user).get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_a_document_of_another_province_is_not_found(world):
    attachment = AttachmentFactory(meeting=world.other_meeting)
    assert logged_in(world.province_user).get(attachment.get_absolute_url()).status_code == 404
    # Nor through a meeting of their own province with the other document's number.
    url = reverse("attachment_download", args=[world.meeting.pk, attachment.pk])
    assert logged_in(world.ministry_user).get(url).status_code == 404


def test_downloading_needs_a_login(world):
    attachment = AttachmentFactory(meeting=world.meeting)
    response = Client().get(attachment.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_no_address_serves_the_media_folder(world, settings):
    attachment = AttachmentFactory(meeting=world.meeting)
    public = f"/{settings.MEDIA_URL.strip('/')}/{attachment.file.name}"
    assert logged_in(world.ministry_user).get(public).status_code == 404


# Who may attach and remove: whoever may edit the meeting.


@pytest.mark.parametrize(
    ("who", "status"),
    [("ministry_user", 200), ("province_user", 403), ("leadership_user", 403), ("other_province_user", 404)],
)
def test_who_may_open_the_attach_page(world, who, status):
    response = logged_in(getattr(world, who)).get(reverse("attachment_add", args=[world.meeting.pk]))
    assert response.status_code == status


@pytest.mark.parametrize("who", ["province_user", "leadership_user"])
def test_others_cannot_attach_or_remove(world, who):
    attachment = AttachmentFactory(meeting=world.meeting)
    client = logged_in(getattr(world, who))
    assert upload(client, world.meeting, "x.pdf", PDF).status_code == 403
    url = reverse("attachment_delete", args=[world.meeting.pk, attachment.pk])
    assert client.post(url).status_code == 403
    assert Attachment.objects.count() == 1


def test_removing_a_document_asks_first_then_deletes_the_file(world, settings, django_capture_on_commit_callbacks):
    client = logged_in(world.ministry_user)
    upload(client, world.meeting, "bien-ban.pdf", PDF)
    attachment = Attachment.objects.get()
    stored = Path(settings.MEDIA_ROOT) / attachment.file.name
    url = reverse("attachment_delete", args=[world.meeting.pk, attachment.pk])
    assert "Xóa tài liệu" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not stored.exists()


def test_the_meeting_page_lists_documents_and_offers_the_form_only_to_editors(world):
    AttachmentFactory(meeting=world.meeting, title="Biên bản hội nghị", original_name="bien-ban.pdf")
    ministry_page = logged_in(world.ministry_user).get(world.meeting.get_absolute_url()).content.decode()
    province_page = logged_in(world.province_user).get(world.meeting.get_absolute_url()).content.decode()
    for page in (ministry_page, province_page):
        assert "Biên bản hội nghị" in page
        assert "bien-ban.pdf" in page
    assert reverse("attachment_add", args=[world.meeting.pk]) in ministry_page
    assert reverse("attachment_add", args=[world.meeting.pk]) not in province_page


def test_the_meeting_page_costs_the_same_queries_with_more_documents(world):
    client = logged_in(world.ministry_user)
    url = world.meeting.get_absolute_url()
    AttachmentFactory(meeting=world.meeting)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    AttachmentFactory.create_batch(10, meeting=world.meeting)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
