"""Markup saved through each form is shown as text everywhere it comes out again.

Pages must hold it escaped (never the raw tag), CSV and XLSX exports must hold it exactly as
typed, and the PDF reports must print it as text (read back with pypdf). Text that a spreadsheet
would run as a formula comes out of the exports inert; numbers and dates keep their types.
"""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from docx import Document as WordDocument
from pypdf import PdfReader

from programmes.choices import AttendanceRole, MeetingKind, RecommendationStatus
from programmes.models import Meeting, Recommendation
from reports.choices import DocumentState, SigningAuthority
from reports.models import GeneratedReport
from tasks import services
from tasks.models import Output, ProgressReport
from tests.helpers import csv_rows, opened_version
from tests.hostile.strategies import contains_raw_markup

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
SHORT_PAYLOAD = '"><img src=x onerror=alert(1)>'  # for fields of 50 characters
FORMULA = '=HYPERLINK("http://example.com","x")'


# Where the text comes out again


def page_shows_escaped(client, url: str, text: str = PAYLOAD) -> None:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(text) in html
    assert not contains_raw_markup(html)


def csv_export(client, url_name: str) -> list[list[str]]:
    return csv_rows(client.get(reverse(url_name), {"_export": "csv"}))


def xlsx_cells(client, url_name: str) -> list[list]:
    """Every cell of the export as openpyxl reads it back (value, data type, quote prefix)."""
    response = client.get(reverse(url_name), {"_export": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows()]


def exports_hold_exactly(client, url_name: str, text: str = PAYLOAD) -> None:
    assert any(text in row for row in csv_export(client, url_name))
    assert any(cell.value == text and cell.data_type == "s" for row in xlsx_cells(client, url_name) for cell in row)


def pdf_text(response) -> str:
    """The text of a PDF response, without its white space (lines wrap where the page ends)."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # Drawn for the request (a sheet, a preview) it comes whole; filed, it is streamed from storage.
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(pdf))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def prints(text: str, pdf: str) -> bool:
    return "".join(text.split()) in pdf


def review_pdf(client, world) -> str:
    today = timezone.localdate().strftime("%d/%m/%Y")
    url = reverse("programme_review_pdf", args=[world.programme.pk])
    return pdf_text(client.get(url, {"as_of": today, "language": "vi", "include_tasks": "on"}))


# Through each form that stores text


def test_an_output(world):
    client = world.client("province")
    response = client.post(
        reverse("output_add", args=[world.task.pk]),
        {
            "kind": "model",
            "name": PAYLOAD,
            "description": PAYLOAD,
            "quantity": "3",
            "unit": SHORT_PAYLOAD,
            "achieved_on": "20/11/2017",
            "location": PAYLOAD,
            "evidence_number": PAYLOAD,
        },
    )
    assert response.status_code == 302
    output = Output.objects.get(name=PAYLOAD)
    page_shows_escaped(client, output.get_absolute_url())
    page_shows_escaped(client, reverse("output_list"))
    page_shows_escaped(client, world.task.get_absolute_url())
    # The search marks the words it found inside the text: the pieces between the marks are escaped.
    found = client.get(reverse("search"), {"q": "onerror"}).content.decode()
    assert '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x <mark class="hit">onerror</mark>' in found
    assert not contains_raw_markup(found)
    exports_hold_exactly(client, "output_list")
    exports_hold_exactly(client, "output_list", SHORT_PAYLOAD)
    # The PDFs print verified outputs only.
    submitted = services.output_submit(output=output, author=world.province_user)
    services.output_verify(output=submitted, reviewer=world.ministry_user)
    sheet = pdf_text(client.get(reverse("task_sheet_pdf", args=[world.task.pk])))
    assert prints(PAYLOAD, sheet) and prints(SHORT_PAYLOAD, sheet)
    assert prints(PAYLOAD, review_pdf(world.client("leadership"), world))


def test_a_progress_report_and_its_review(world):
    province, ministry = world.client("province"), world.client("ministry")
    response = province.post(
        reverse("progress_report_add", args=[world.task.pk]),
        {
            "as_of": "15/05/2017",
            "percent_complete": "60",
            "summary": PAYLOAD,
            "problems": PAYLOAD,
            "next_steps": PAYLOAD,
            "disbursed_to_date": "",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(summary=PAYLOAD)
    page_shows_escaped(province, report.get_absolute_url())
    page_shows_escaped(ministry, report.get_absolute_url())

    response = ministry.post(report.get_absolute_url(), {"decision": "return", "note": PAYLOAD})
    assert response.status_code == 302
    page_shows_escaped(province, report.get_absolute_url())
    exports_hold_exactly(ministry, "progress_report_list")

    # Corrected and approved, the report is the one the task sheet prints.
    edit_url = reverse("progress_report_edit", args=[report.pk])
    response = province.post(
        edit_url,
        {
            "as_of": "15/05/2017",
            "percent_complete": "60",
            "summary": PAYLOAD,
            "action": "submit",
            "opened_version": opened_version(province.get(edit_url)),
        },
    )
    assert response.status_code == 302
    assert ministry.post(report.get_absolute_url(), {"decision": "approve", "note": ""}).status_code == 302
    assert prints(PAYLOAD, pdf_text(ministry.get(reverse("task_sheet_pdf", args=[world.task.pk]))))


def test_a_meeting_with_its_recommendation_and_follow_up(world):
    ministry, province = world.client("ministry"), world.client("province")
    agency = str(world.task.lead_agency_id)
    response = ministry.post(
        reverse("meeting_add"),
        {
            "programme": str(world.programme.pk),
            "held_on": "10/06/2020",
            "place": PAYLOAD,
            "kind": MeetingKind.FINAL_REVIEW,
            "title": PAYLOAD,
            "summary": PAYLOAD,
            "conclusions": PAYLOAD,
            "attendance-TOTAL_FORMS": "1",
            "attendance-INITIAL_FORMS": "0",
            "attendance-0-person": str(world.person.pk),
            "attendance-0-role": AttendanceRole.CHAIR,
            "recommendations-TOTAL_FORMS": "1",
            "recommendations-INITIAL_FORMS": "0",
            "recommendations-0-text": PAYLOAD,
            "recommendations-0-raised_by": agency,
            "recommendations-0-addressed_to": agency,
            "recommendations-0-due_on": "31/12/2020",
            "recommendations-0-status": RecommendationStatus.OPEN,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    meeting = Meeting.objects.get(title=PAYLOAD)
    page_shows_escaped(ministry, meeting.get_absolute_url())
    page_shows_escaped(ministry, reverse("meeting_list"))
    page_shows_escaped(ministry, reverse("recommendation_list"))
    exports_hold_exactly(ministry, "meeting_list")
    exports_hold_exactly(ministry, "recommendation_list")
    assert prints(PAYLOAD, review_pdf(world.client("leadership"), world))

    recommendation = Recommendation.objects.get(meeting=meeting)
    follow_up_url = reverse("recommendation_follow_up", args=[recommendation.pk])
    response = province.post(
        follow_up_url,
        {
            "status": RecommendationStatus.DONE,
            "follow_up": PAYLOAD + " (đã xong)",
            "opened_version": opened_version(province.get(follow_up_url)),
        },
    )
    assert response.status_code == 302
    page_shows_escaped(province, meeting.get_absolute_url(), PAYLOAD + " (đã xong)")
    exports_hold_exactly(ministry, "recommendation_list", PAYLOAD + " (đã xong)")


def test_a_review_document_drafted_from_a_meeting_with_markup(world):
    """The draft takes the meeting's conclusions into its text; what staff type into it comes out as text too."""
    ministry = world.client("ministry")
    world.meeting.conclusions = PAYLOAD
    world.meeting.save()
    response = ministry.post(
        reverse("programme_review", args=[world.programme.pk]),
        {"as_of": timezone.localdate().strftime("%d/%m/%Y"), "language": "vi", "include_tasks": "on"},
    )
    assert response.status_code == 302
    document = GeneratedReport.objects.get(state=DocumentState.DRAFT)
    assert PAYLOAD in document.proposals
    response = ministry.post(
        document.get_absolute_url(),
        {
            **{name: PAYLOAD for name in ("results", "shortcomings", "causes", "directions")},
            "proposals": document.proposals,
            "other_recipients": PAYLOAD,
            "drafting_unit": SHORT_PAYLOAD,
            "signing_authority": SigningAuthority.DEPUTY,
            "opened_version": document.version,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    document.refresh_from_db()
    assert (document.results, document.other_recipients, document.drafting_unit) == (PAYLOAD, PAYLOAD, SHORT_PAYLOAD)
    page_shows_escaped(ministry, document.get_absolute_url())
    preview = pdf_text(ministry.get(reverse("document_preview_pdf", args=[document.pk])))
    assert prints(PAYLOAD, preview) and prints(SHORT_PAYLOAD, preview)
    word = WordDocument(io.BytesIO(ministry.get(reverse("document_draft_docx", args=[document.pk])).content))
    paragraphs = [paragraph.text for paragraph in word.paragraphs]
    assert PAYLOAD in paragraphs
    assert any(SHORT_PAYLOAD in text for text in paragraphs)


# Formulas in the exports


@pytest.mark.parametrize("typed", [FORMULA, "+1+1", "-2+3", "@SUM(A1:A9)"])
def test_text_typed_like_a_formula_comes_out_of_the_exports_inert(world, typed):
    client = world.client("province")
    form = {"kind": "model", "name": typed, "quantity": "3", "unit": "mô hình", "achieved_on": "20/11/2017"}
    assert client.post(reverse("output_add", args=[world.task.pk]), form).status_code == 302

    rows = csv_export(client, "output_list")
    header, row = rows[0], next(row for row in rows if typed in row[0])
    assert row[0] == "'" + typed  # the apostrophe spreadsheets read as "text follows"
    assert row[header.index("Số lượng")] == "3"  # numbers are written unchanged
    assert row[header.index("Ngày đạt được")] == "20/11/2017"

    cells = next(row for row in xlsx_cells(client, "output_list") if row[0].value == typed)
    assert cells[0].data_type == "s" and cells[0].quotePrefix  # a text cell, never a formula
    quantity, achieved_on = cells[2], cells[6]
    assert quantity.value == 3 and quantity.data_type == "n"
    assert achieved_on.value == datetime.datetime(2017, 11, 20) and achieved_on.is_date


def test_characters_that_xlsx_cannot_hold_are_dropped_from_it_and_kept_in_csv(world):
    client = world.client("province")
    form = {
        "kind": "model",
        "name": "Mô hình\x1b[31m\x07 nấm",
        "quantity": "1",
        "unit": "mô hình",
        "achieved_on": "20/11/2017",
    }
    assert client.post(reverse("output_add", args=[world.task.pk]), form).status_code == 302
    assert any(row[0] == "Mô hình\x1b[31m\x07 nấm" for row in csv_export(client, "output_list"))
    assert any(row[0].value == "Mô hình[31m nấm" for row in xlsx_cells(client, "output_list"))


def test_times_come_out_of_the_xlsx_export_in_local_time(world):
    """XLSX has no time zones: a report's submission time is written as the clock in Hà Nội showed it."""
    submitted_at = world.submitted_report.submitted_at
    cells = [cell.value for row in xlsx_cells(world.client("ministry"), "progress_report_list") for cell in row]
    assert timezone.localtime(submitted_at).replace(tzinfo=None, microsecond=0) in [
        value.replace(microsecond=0) for value in cells if isinstance(value, datetime.datetime)
    ]
