"""Uploading files to `/imports/` as a user would, and reading back what the import kept."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportBatch
from tests.helpers import body

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, kind: str, content: bytes, name: str = "nhap.xlsx"):
    """POST a file to the import page; the batch it made (checked, since test files are small)."""
    before = ImportBatch.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(reverse("imports"), {"kind": kind, "file": SimpleUploadedFile(name, content)})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        return response, None  # the form refused the file: `response.context["form"].errors` say why
    batch = ImportBatch.objects.filter(pk__gt=before).order_by("-pk").first()
    return response, batch


def confirm(client, batch, **data):
    response = client.post(reverse("import_confirm", args=[batch.pk]), data)
    assert response.status_code == 302
    batch.refresh_from_db()
    return batch


def workbook_of(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def saved(workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx(rows: list[list]) -> bytes:
    """A one-sheet workbook of `rows`, the header first."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    return saved(workbook)


def errors_of(batch) -> list[str]:
    return [*batch.file_errors, *(error for row in batch.rows.order_by("number") for error in row.errors)]
