"""The PDF reports: real WeasyPrint output read back with pypdf, and the archive that keeps the saved copies.

Read as: what the review data sheet of the demo programme holds (the article's figures and names, the
header of an administrative document, A4, the embedded font, page numbers), what the as-of date
leaves out, the options, the task sheet and task list (streamed on GET, saved in the archive on
POST), the archive and its downloads, who may do what, bad input, and the number of queries.
(The review document, drafted, issued and filed, is tests/reports/test_documents.py.)
"""

import dataclasses
import datetime
import hashlib
import io
import re
import unicodedata
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from coop.figures import list_url
from coop.formatting import format_billions
from programmes.choices import OUTPUT_DEFAULT_UNITS, OutputKind, PartyRole
from programmes.models import Programme
from reports import views
from reports.choices import DocumentState, ReportKind
from reports.figures import end_of_day, programme_figures
from reports.models import GeneratedReport
from reports.pdf import DocumentHeader, attachment_header, static_files_only, static_folder
from reports.queries import programme_review
from tasks.choices import FundingSource, OutputStatus, ReportStatus, TaskStatus
from tasks.models import Funding, Output, Task
from tests.conftest import logged_in
from tests.factories import (
    FundingFactory,
    GeneratedReportFactory,
    MeetingFactory,
    OutputFactory,
    ProgressReportFactory,
    RecommendationFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

THAI_BINH = "PH-BKHCN-TB-2012"
THAI_BINH_TITLE = (
    "Chương trình phối hợp hoạt động giữa Bộ Khoa học và Công nghệ và Ủy ban nhân dân tỉnh Thái Bình "
    "giai đoạn 2012-2015 và định hướng đến năm 2020"
)
REVIEW_DAY = datetime.date(2020, 6, 10)
BILLION = Decimal(10**9)
A4 = (595.28, 841.89)  # points
MM = 72 / 25.4
DIGIT_WIDTH = 6.5  # points: half an em of the 13 pt page numbers
# The most queries drawing a review data sheet may run (session, user, programme, ~10 reads).
REVIEW_QUERY_CEILING = 25


# Reading a PDF back


def pdf_bytes(response) -> bytes:
    assert response.status_code == 200, response.content[:500] if hasattr(response, "content") else response
    assert response["Content-Type"] == "application/pdf"
    # A PDF drawn for the request comes whole; a saved copy is streamed from the archive's storage.
    return b"".join(response.streaming_content) if response.streaming else response.content


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, composed (NFC) and with runs of white space as single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(unicodedata.normalize("NFC", page.extract_text()).split()) for page in reader.pages]


def text_of(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def placed_texts(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of every run of text on a page, in points from the bottom left corner."""
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            runs.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)
    return runs


def embedded_fonts(pdf: bytes) -> list[tuple[str, dict]]:
    """(base font name, font descriptor) of every font every page uses."""
    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fonts.append((str(font["/BaseFont"]), descendant["/FontDescriptor"].get_object()))
    return fonts


def in_vietnamese(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


# The demo: the Thái Bình programme reviewed on 10/6/2020


@pytest.fixture
def demo(demo_data, db):
    users = {user.username: user for user in get_user_model().objects.select_related("agency")}

    class Demo:
        programme = Programme.objects.get(code=THAI_BINH)
        ministry_user = users["bo.chuyenvien"]
        leadership_user = users["lanhdao"]
        province_user = users["so.thaibinh"]
        other_province_user = users["so.namdinh"]

    return Demo


def client_of(user, language: str = "vi") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


# Drawing the demo's report takes about a second: each variant is drawn once for the test session.
_drawn: dict[tuple, bytes] = {}


def review_of_demo(demo, *, as_of=REVIEW_DAY, language="vi", include_tasks=True) -> bytes:
    key = (as_of, language, include_tasks)
    if key not in _drawn:
        params = {"as_of": as_of.strftime("%d/%m/%Y"), "language": language}
        if include_tasks:
            params["include_tasks"] = "on"
        response = client_of(demo.ministry_user).get(reverse("programme_review_pdf", args=[demo.programme.pk]), params)
        _drawn[key] = pdf_bytes(response)
    return _drawn[key]


class TestTheReportsOfTheDemo:
    """The reports of the Thái Bình programme reviewed on 10/6/2020, drawn from the demo data set."""

    def test_the_review_is_an_a4_pdf_with_the_title_and_the_header_of_an_administrative_document(self, demo):
        pdf = review_of_demo(demo)
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) >= 2
        for page in reader.pages:
            assert float(page.mediabox.width) == pytest.approx(A4[0], abs=1)
            assert float(page.mediabox.height) == pytest.approx(A4[1], abs=1)
        first_page = page_texts(pdf)[0]
        assert THAI_BINH_TITLE in first_page
        # The two-column header: issuer on the left, national title, motto, place and date on the right.
        assert "BỘ KHOA HỌC VÀ CÔNG NGHỆ" in first_page
        assert "/BC-BKHCN" in first_page
        today = timezone.localdate()
        header = DocumentHeader(issuer="", issued_on=today)
        with translation.override("vi"):
            expected = [
                gettext("SOCIALIST REPUBLIC OF VIET NAM"),
                gettext("Independence - Freedom - Happiness"),
                gettext("%(place)s, %(day)s/%(month)s/%(year)s")
                % {"place": gettext("Hanoi"), "day": header.day, "month": header.month, "year": header.year},
                gettext("REPORT"),
            ]
        for line in expected:
            assert line in first_page
        assert first_page.index(expected[-1]) < first_page.index(THAI_BINH_TITLE)  # "BÁO CÁO", then the subject

    def test_the_review_report_holds_the_figures_and_names_of_the_review_meeting(self, demo):
        text = text_of(review_of_demo(demo))
        # The article's figures: 30 tasks, nearly 100 billion đồng from the Ministry (97.6 in the demo).
        with translation.override("vi"):
            tasks_sentence = ngettext(
                "By %(date)s, %(counter)s S&T task had started under the programme.",
                "By %(date)s, %(counter)s S&T tasks had started under the programme.",
                30,
            ) % {"date": "10/06/2020", "counter": 30}
            ministry = format_billions(97_600 * 10**6)
        assert tasks_sentence in text
        assert ministry == "97,6 tỷ đồng"
        assert ministry in text
        # Verified outputs by kind and unit, then by name: the TBR225 rice variety by its name and recognition.
        with translation.override("vi"):
            for kind, quantity in ((OutputKind.MODEL, 53), (OutputKind.TECHNOLOGY, 20), (OutputKind.BRAND, 6)):
                unit = OUTPUT_DEFAULT_UNITS[kind]
                assert f"{kind.label} {unit} {quantity}" in text
                assert f"{kind.label}: {quantity} {unit}" in text
            assert f"{OutputKind.VARIETY.label}: 1 giống" in text
        assert "Giống lúa TBR225" in text
        assert "Công nhận giống cây trồng quốc gia năm 2015" in text
        assert 'Nhãn hiệu chứng nhận "Gạo Thái Bình"' in text
        # Parties and their representatives; the meeting, its people, conclusions and recommendations.
        for name in ("Chu Ngọc Anh", "Đặng Trọng Thăng", "Trần Thị Bích Hằng", "Ngô Đông Hải"):
            assert name in text
        assert "Ủy ban nhân dân tỉnh Thái Bình" in text
        assert "Kết luận số 50-KL/TW ngày 30/5/2019 của Ban Bí thư" in text
        assert "Tiếp tục ký kết việc phối hợp giai đoạn tiếp theo" in text
        assert "Tại buổi làm việc, Bộ KH&CN đã giao các đơn vị trực thuộc phối hợp" in text  # a follow-up
        # The annex says as of when, and what the figures are computed from.
        with translation.override("vi"):
            assert gettext("Annex").upper() in text
            assert gettext("Figures as of") in text

    def test_the_font_is_liberation_serif_2_embedded_and_no_other_font_is_used(self, demo):
        fonts = embedded_fonts(review_of_demo(demo))
        assert fonts
        for base_font, descriptor in fonts:
            assert "LiberationSerif" in base_font
            assert "/FontFile2" in descriptor, f"{base_font} is not embedded"
            program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            names = {record.nameID: record.toUnicode() for record in program["name"].names}
            assert names[6].startswith("LiberationSerif")  # the PostScript name of the embedded program
            assert names[5].startswith("Version 2.")  # Liberation 2, with full Vietnamese coverage

    def test_pages_are_numbered_at_the_top_centre_from_the_second_page(self, demo):
        reader = PdfReader(io.BytesIO(review_of_demo(demo)))
        top_margin = A4[1] - 20 * MM
        # Centred between the margins of Decree 30 used here: 30 mm on the left, 15 mm on the right.
        centre = (30 * MM + A4[0] - 15 * MM) / 2
        for number, page in enumerate(reader.pages, start=1):
            in_top_margin = [(text, x) for text, x, y in placed_texts(page) if y > top_margin]
            if number == 1:
                assert in_top_margin == []
            else:
                assert [text for text, _x in in_top_margin] == [str(number)]
                # The run starts half its width left of the centre (a figure is half an em wide at 13 pt).
                text, start = in_top_margin[0]
                assert start + len(text) * DIGIT_WIDTH / 2 == pytest.approx(centre, abs=3)

    def test_the_text_keeps_the_margins_of_decree_30(self, demo):
        """Lines start 30 mm from the left edge and stop above the 20 mm bottom margin (first page: no chart)."""
        first_page = PdfReader(io.BytesIO(review_of_demo(demo))).pages[0]
        runs = placed_texts(first_page)
        assert min(x for _text, x, _y in runs) == pytest.approx(30 * MM, abs=1)
        assert min(y for _text, _x, y in runs) > 20 * MM

    def test_the_as_of_date_leaves_out_what_came_later(self, demo):
        as_of = datetime.date(2014, 12, 31)
        text = text_of(review_of_demo(demo, as_of=as_of))
        started = Task.objects.filter(programme=demo.programme, start_on__lte=as_of)
        assert 0 < started.count() < 30
        ministry = Funding.objects.filter(task__in=started, source=FundingSource.MINISTRY, year__lte=2014).aggregate(
            total=Sum("allocated")
        )["total"]
        # Only what the Ministry had verified by then counts; what it verified later shows as pending.
        outputs = Output.objects.filter(task__in=started, kind=OutputKind.MODEL, achieved_on__lte=as_of)
        verified_by_then = outputs.filter(status=OutputStatus.VERIFIED, reviewed_at__lt=end_of_day(as_of))
        models = verified_by_then.aggregate(total=Sum("quantity"))["total"]
        assert 0 < models < outputs.aggregate(total=Sum("quantity"))["total"]
        with translation.override("vi"):
            tasks_sentence = ngettext(
                "By %(date)s, %(counter)s S&T task had started under the programme.",
                "By %(date)s, %(counter)s S&T tasks had started under the programme.",
                started.count(),
            ) % {"date": "31/12/2014", "counter": started.count()}
            assert tasks_sentence in text
            assert format_billions(ministry) in text
            assert f"{OutputKind.MODEL.label}: {models} mô hình" in text
        assert format_billions(ministry) != "97,6 tỷ đồng"
        # Not yet: the TBR225 variety (recognised on 31/12/2015), the tasks started later, the meeting of 2020.
        assert "Giống lúa TBR225" not in text
        assert "Ứng dụng công nghệ sấy, bảo quản và đóng gói thóc giống" not in text  # TB-2012-14, started 2018
        assert "Ứng dụng tiến bộ KH&CN xây dựng mô hình sản xuất và phát triển giống lúa" in text  # TB-2012-01, 2013
        assert "Chu Ngọc Anh chúc mừng" not in text
        assert "Ngô Đông Hải" not in text

    def test_only_progress_approved_by_the_as_of_date_counts(self, demo):
        """TB-2012-14: 60% as of 31/12/2019 (approved 8/1/2020), 75% as of 31/5/2020 (approved 8/6/2020)."""

        def percent(as_of):
            review = programme_review(
                programme=demo.programme, user=demo.ministry_user, as_of=as_of, include_tasks=True
            )
            return {task.code: task.percent_as_of for task in review.tasks}

        assert percent(datetime.date(2020, 6, 10))["TB-2012-14"] == 75
        assert percent(datetime.date(2020, 6, 1))["TB-2012-14"] == 60  # the report of 31/5 was not approved yet
        assert percent(datetime.date(2020, 1, 1))["TB-2012-14"] == 0  # no report approved yet
        assert percent(datetime.date(2020, 6, 10))["TB-2012-01"] == 100  # finished, recorded without reports
        task = Task.objects.get(programme=demo.programme, code="TB-2012-14")
        task.progress_reports.filter(as_of=datetime.date(2020, 5, 31)).update(status=ReportStatus.SUBMITTED)
        assert percent(datetime.date(2020, 6, 10))["TB-2012-14"] == 60  # a report not approved never counts

    def test_a_review_as_of_today_shows_the_figures_of_the_programme_page(self, demo):
        """The page and the report count with one function; up to today nothing of the demo is left out."""
        review = programme_review(
            programme=demo.programme, user=demo.ministry_user, as_of=timezone.localdate(), include_tasks=False
        )
        screen = programme_figures(programme=demo.programme, user=demo.ministry_user)
        assert review.figures.tasks.value == screen.tasks.value == 30
        assert review.figures.ministry_funding.value == 97_600 * 10**6
        assert dataclasses.replace(review.figures, as_of=None) == screen

    def test_the_table_of_tasks_is_an_option(self, demo):
        title_only_in_the_table = "Ứng dụng cơ giới hóa đồng bộ trong sản xuất lúa"  # TB-2012-06, which has no variety
        with_table = text_of(review_of_demo(demo))
        without_table = text_of(review_of_demo(demo, include_tasks=False))
        assert title_only_in_the_table in with_table
        assert title_only_in_the_table not in without_table
        assert "Giống lúa TBR225" in without_table  # the rest of the report is there

    def test_the_report_in_english(self, demo):
        text = text_of(review_of_demo(demo, language="en"))
        for line in (
            "SOCIALIST REPUBLIC OF VIET NAM",
            "Independence - Freedom - Happiness",
            "REPORT",
            "Mid-term review of the implementation of the " + THAI_BINH_TITLE,
            "I. GENERAL INFORMATION",
            "II. IMPLEMENTATION",
            "By 10/06/2020, 30 S&T tasks had started under the programme.",
            "97.6 billion VND",
            "Demonstration model: 53",
            "Giống lúa TBR225",
        ):
            assert line in text
        assert "97,6 tỷ đồng" in text_of(review_of_demo(demo))  # the Vietnamese one keeps its units

    def test_the_review_is_final_after_the_orientation_year(self, demo):
        review = programme_review(
            programme=demo.programme, user=demo.ministry_user, as_of=datetime.date(2021, 3, 1), include_tasks=False
        )
        assert review.is_final_review
        assert not programme_review(
            programme=demo.programme, user=demo.ministry_user, as_of=REVIEW_DAY, include_tasks=False
        ).is_final_review

    def test_the_task_sheet_is_one_page_with_the_task_its_funding_and_outputs(self, demo):
        task = Task.objects.get(programme=demo.programme, code="TB-2012-01")
        client = client_of(demo.province_user)
        url = reverse("task_sheet_pdf", args=[task.pk])
        archive = set(GeneratedReport.objects.values_list("pk", flat=True))  # the demo's review documents
        pdf = pdf_bytes(client.get(url))
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
        text = text_of(pdf)
        for expected in (task.title, "Công ty Cổ phần Tập đoàn ThaiBinh Seed", "Phạm Văn Minh", "Giống lúa TBR225"):
            assert expected in text
        assert "BỘ KHOA HỌC VÀ CÔNG NGHỆ" in text
        assert set(GeneratedReport.objects.values_list("pk", flat=True)) == archive  # drawn, not kept
        # Saving it (POST) keeps the copy it serves, under the task and its programme.
        saved = pdf_bytes(client.post(url))
        report = GeneratedReport.objects.exclude(pk__in=archive).get()
        assert (report.kind, report.state, report.programme, report.task, report.created_by) == (
            ReportKind.TASK_SHEET,
            DocumentState.SAVED,
            task.programme,
            task,
            demo.province_user,
        )
        assert report.parameters == {"task": task.pk, "task_code": "TB-2012-01", "language": "vi"}
        assert task.title in text_of(saved)
        with report.pdf.open("rb") as stored_file:
            assert stored_file.read() == saved

    def test_the_task_list_pdf_holds_the_filtered_tasks_their_totals_and_the_filters(self, demo):
        params = {"programme": demo.programme.pk, "status": TaskStatus.IN_PROGRESS, "sort": "-code"}
        client = client_of(demo.ministry_user)
        archive = set(GeneratedReport.objects.values_list("pk", flat=True))  # the demo's review documents
        text = text_of(pdf_bytes(client.get(reverse("task_list_pdf"), params)))
        running = Task.objects.filter(programme=demo.programme, status=TaskStatus.IN_PROGRESS).order_by("-code")
        codes = list(running.values_list("code", flat=True))
        assert len(codes) == 4
        positions = [text.index(code) for code in codes]
        assert positions == sorted(positions)  # in the order of `sort=`
        assert "TB-2012-01 " not in text
        ministry = Funding.objects.filter(task__in=running, source=FundingSource.MINISTRY).aggregate(
            total=Sum("allocated")
        )["total"]
        with translation.override("vi"):
            assert format_billions(ministry) in text
            assert str(TaskStatus.IN_PROGRESS.label) in text
            assert gettext("Totals of every matching task") in text
        assert THAI_BINH_TITLE in text  # the programme filter, in words
        assert set(GeneratedReport.objects.values_list("pk", flat=True)) == archive  # drawn, not kept
        # Saving it (POST, with the list's filters in the address) keeps the list with its filters.
        saved = text_of(pdf_bytes(client.post(list_url("task_list_pdf", **params))))
        assert [saved.index(code) for code in codes] == sorted(saved.index(code) for code in codes)
        report = GeneratedReport.objects.exclude(pk__in=archive).get()
        assert (report.kind, report.state, report.programme) == (
            ReportKind.TASK_LIST,
            DocumentState.SAVED,
            demo.programme,
        )
        assert report.parameters["filters"] == {
            "programme": [str(demo.programme.pk)],
            "sort": ["-code"],
            "status": ["in_progress"],
        }


# The task sheet and the task list, within the user's scope


def test_a_task_sheet_keeps_to_one_page_and_says_how_many_outputs_it_leaves_out(scope):
    for index in range(12):
        OutputFactory(task=scope.task, name=f"Mô hình trình diễn số {index:02d}", achieved_on=datetime.date(2018, 1, 1))
    pdf = pdf_bytes(logged_in(scope.province_user).get(reverse("task_sheet_pdf", args=[scope.task.pk])))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = text_of(pdf)
    assert "Mô hình trình diễn số 07" in text
    assert "Mô hình trình diễn số 08" not in text
    with translation.override("vi"):
        left_out = ngettext(
            "And %(counter)s more output, listed on the task's page.",
            "And %(counter)s more outputs, listed on the task's page.",
            4,
        ) % {"counter": 4}
    assert left_out in text


@pytest.mark.parametrize("url", ["task_sheet_pdf", "task_list_pdf"])
def test_the_pdfs_say_when_they_were_issued_in_ha_noi_time(roles, monkeypatch, url):
    """Drawn at 08:07 UTC is 15:07 in Hà Nội, in the PDF, and in the archive that keeps a saved copy."""
    moment = datetime.datetime(2026, 12, 3, 8, 7, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    client = logged_in(roles.ministry_user)
    address = reverse(url, args=[roles.task.pk] if url == "task_sheet_pdf" else [])
    for pdf in (pdf_bytes(client.get(address)), pdf_bytes(client.post(address))):
        text = text_of(pdf)
        assert "15:07 03/12/2026" in text
        assert "08:07" not in text
    assert GeneratedReport.objects.get().created_at == moment  # the POST's copy only
    archive = client.get(reverse("report_list")).content.decode()
    assert "15:07 03/12/2026" in archive and "08:07" not in archive


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_task_list_with_wrong_filters_goes_back_to_the_list(roles, method):
    response = getattr(logged_in(roles.ministry_user), method)(reverse("task_list_pdf") + "?year_from=abc")
    assert response.status_code == 302
    assert response["Location"] == reverse("task_list") + "?year_from=abc"
    assert not GeneratedReport.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_list_too_long_for_a_pdf_goes_back_to_the_list_with_a_message(roles, monkeypatch, method):
    monkeypatch.setattr(views, "TASK_LIST_PDF_MAX_ROWS", 1)
    client = logged_in(roles.ministry_user, language="en")
    response = getattr(client, method)(reverse("task_list_pdf"), follow=True)
    assert response.redirect_chain == [(reverse("task_list"), 302)]
    assert "2 tasks match: a PDF holds at most 1." in response.content.decode()
    assert not GeneratedReport.objects.exists()


@pytest.mark.parametrize("sort", ["nonexistent", "-total_funding", "lead_agency", ""])
def test_odd_sorts_of_the_task_list_never_break_its_pdf(scope, sort):
    response = logged_in(scope.ministry_user).get(reverse("task_list_pdf"), {"sort": sort})
    assert "Nhiệm vụ của Thái Bình" in text_of(pdf_bytes(response))


def test_the_task_list_pdf_covers_only_the_tasks_a_province_sees(scope):
    text = text_of(pdf_bytes(logged_in(scope.province_user).get(reverse("task_list_pdf"))))
    assert "Nhiệm vụ của Thái Bình" in text
    assert "Nhiệm vụ của Nam Định" not in text
    text = text_of(pdf_bytes(logged_in(scope.ministry_user).get(reverse("task_list_pdf"))))
    assert "Nhiệm vụ của Thái Bình" in text
    assert "Nhiệm vụ của Nam Định" in text


# The archive


def review_params(**values) -> dict:
    return {"as_of": "10/06/2020", "language": "vi", "include_tasks": "on", **values}


def test_the_review_data_sheet_is_streamed_and_nothing_is_filed(roles):
    """The data sheet is drawn for whoever asks, as often as they ask: the copy a meeting takes is a document."""
    client = logged_in(roles.ministry_user)
    response = client.get(reverse("programme_review_pdf", args=[roles.programme.pk]), review_params())
    assert len(PdfReader(io.BytesIO(pdf_bytes(response))).pages) >= 2
    assert response["Content-Disposition"].startswith("attachment; ")
    assert roles.programme.code in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert not GeneratedReport.objects.exists()


@pytest.mark.parametrize("url", ["task_sheet_pdf", "task_list_pdf"])
def test_every_saved_copy_is_filed_with_the_hash_and_page_count_of_the_stored_file(roles, url):
    client = logged_in(roles.ministry_user)
    address = reverse(url, args=[roles.task.pk] if url == "task_sheet_pdf" else [])
    served = pdf_bytes(client.post(address))
    report = GeneratedReport.objects.get()
    with report.pdf.open("rb") as stored_file:
        stored = stored_file.read()
    assert stored == served
    assert report.sha256 == hashlib.sha256(stored).hexdigest()
    assert report.page_count == len(PdfReader(io.BytesIO(stored)).pages) >= 1
    assert report.kind == (ReportKind.TASK_SHEET if url == "task_sheet_pdf" else ReportKind.TASK_LIST)
    assert report.state == DocumentState.SAVED
    assert report.created_by == roles.ministry_user
    assert report.language == report.parameters["language"] == "vi"
    assert report.pdf.name.startswith("reports/") and report.pdf.name.endswith(".pdf")
    # The archive lists it, with its download link; the download is the same file.
    page = client.get(reverse("report_list")).content.decode()
    assert reverse("report_download", args=[report.pk]) in page
    download = client.get(reverse("report_download", args=[report.pk]))
    assert pdf_bytes(download) == stored


@pytest.mark.parametrize("url", ["task_sheet_pdf", "task_list_pdf"])
def test_only_a_role_that_may_save_in_the_archive_posts_a_copy(scope, url):
    """`scope`'s users have no role yet: they draw the PDF, but saving a copy is refused."""
    client = logged_in(scope.province_user)
    address = reverse(url, args=[scope.task.pk] if url == "task_sheet_pdf" else [])
    assert client.get(address).status_code == 200
    assert client.post(address).status_code == 403
    assert not GeneratedReport.objects.exists()


def test_a_download_is_an_attachment_with_a_safe_file_name(scope):
    report = GeneratedReportFactory(programme=scope.programme, kind=ReportKind.TASK_SHEET)
    response = logged_in(scope.ministry_user).get(reverse("report_download", args=[report.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    fallback = re.search(r'filename="([^"]*)"', disposition).group(1)
    assert fallback.isascii() and re.fullmatch(r"[A-Za-z0-9._-]+\.pdf", fallback)
    assert "filename*=UTF-8''" in disposition
    assert scope.programme.code in fallback
    assert response["Cache-Control"] == "private, no-store"


def test_the_attachment_header_keeps_the_real_name_and_an_ascii_fallback():
    header = attachment_header('Phiếu thông tin nhiệm vụ "TB-01" đợt 1.pdf')
    assert header == (
        'attachment; filename="Phieu-thong-tin-nhiem-vu-TB-01-dot-1.pdf"; '
        "filename*=UTF-8''Phi%E1%BA%BFu%20th%C3%B4ng%20tin%20nhi%E1%BB%87m%20v%E1%BB%A5%20%22TB-01%22"
        "%20%C4%91%E1%BB%A3t%201.pdf"
    )


def test_a_report_whose_file_is_missing_is_a_404(scope):
    report = GeneratedReportFactory(programme=scope.programme)
    report.pdf.delete(save=False)
    response = logged_in(scope.ministry_user).get(reverse("report_download", args=[report.pk]))
    assert response.status_code == 404


def test_issued_files_are_never_served_from_a_public_address(scope, client):
    report = GeneratedReportFactory(programme=scope.programme)
    for url in (f"/media/{report.pdf.name}", f"/{report.pdf.name}"):
        assert client.get(url).status_code == 404
        assert logged_in(scope.ministry_user).get(url).status_code == 404


def test_a_province_finds_the_task_lists_it_saved_and_no_other(roles):
    mine = logged_in(roles.province_user)
    pdf_bytes(mine.post(reverse("task_list_pdf")))
    saved = GeneratedReport.objects.get()
    assert saved.programme is None  # a list of the tasks they see spans programmes
    assert list(mine.get(reverse("report_list")).context["table"].data) == [saved]
    assert mine.get(reverse("report_download", args=[saved.pk])).status_code == 200
    colleague_elsewhere = UserFactory()  # a department party to no programme
    assert logged_in(colleague_elsewhere).get(reverse("report_download", args=[saved.pk])).status_code == 404


# Who may


def urls_of(scope, *, inside: bool) -> dict[str, tuple[str, dict]]:
    programme = scope.programme if inside else scope.other_programme
    task = scope.task if inside else scope.other_task
    filed = GeneratedReportFactory(programme=programme)
    return {
        "review form": (reverse("programme_review", args=[programme.pk]), {}),
        "review": (reverse("programme_review_pdf", args=[programme.pk]), review_params(include_tasks="")),
        "task sheet": (reverse("task_sheet_pdf", args=[task.pk]), {}),
        "download": (reverse("report_download", args=[filed.pk]), {}),
    }


@pytest.mark.parametrize("role", ["ministry_user", "leadership_user", "admin_user"])
def test_the_ministry_and_its_leadership_draw_and_download_every_report(scope, role, admin_user):
    user = admin_user if role == "admin_user" else getattr(scope, role)
    client = logged_in(user)
    for inside in (True, False):
        for name, (url, params) in urls_of(scope, inside=inside).items():
            assert client.get(url, params).status_code == 200, name
    assert client.get(reverse("task_list_pdf")).status_code == 200


def test_a_province_draws_the_reports_of_its_programmes_only(scope):
    client = logged_in(scope.province_user)
    for name, (url, params) in urls_of(scope, inside=True).items():
        assert client.get(url, params).status_code == 200, name
    filed = GeneratedReport.objects.count()
    for name, (url, params) in urls_of(scope, inside=False).items():
        assert client.get(url, params).status_code == 404, name
    assert GeneratedReport.objects.count() == filed + 1  # only the row the factory made for the download
    assert client.get(reverse("task_list_pdf")).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(scope, client):
    for url, params in urls_of(scope, inside=True).values():
        response = client.get(url, params)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    response = client.get(reverse("task_list_pdf"))
    assert response["Location"].startswith(reverse("login"))
    assert GeneratedReport.objects.count() == 1  # the factory's


# The form before drawing


def test_the_form_offers_today_the_page_language_and_the_task_table(scope):
    response = logged_in(scope.province_user, language="en").get(reverse("programme_review", args=[scope.programme.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in html
    assert re.search(r'<input[^>]*value="en"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="vi"[^>]*checked', html)
    assert re.search(r'name="include_tasks" id="id_include_tasks"\s+checked', html)
    assert f'action="{reverse("programme_review_pdf", args=[scope.programme.pk])}"' in html


def test_the_programme_task_and_list_pages_link_to_their_pdfs(roles):
    scope = roles
    client = logged_in(scope.ministry_user)
    programme_page = client.get(scope.programme.get_absolute_url()).content.decode()
    assert f'href="{reverse("programme_review", args=[scope.programme.pk])}"' in programme_page
    task_page = client.get(scope.task.get_absolute_url()).content.decode()
    assert f'href="{reverse("task_sheet_pdf", args=[scope.task.pk])}"' in task_page
    list_page = client.get(reverse("task_list"), {"status": "in_progress", "page": "1"}).content.decode()
    assert f'href="{reverse("task_list_pdf")}?status=in_progress"' in list_page
    # Saving a copy in the archive is a POST to the same address, with the list's filters.
    sheet_form = re.search(r'<form id="task-sheet-save" method="post" action="([^"]+)">', task_page)
    assert sheet_form and sheet_form.group(1) == reverse("task_sheet_pdf", args=[scope.task.pk])
    assert re.search(r'<button [^>]*type="submit" form="task-sheet-save"', task_page)
    list_form = re.search(r'<form class="d-inline" method="post" action="([^"]+)">', list_page)
    assert list_form and list_form.group(1) == f"{reverse('task_list_pdf')}?status=in_progress"
    assert 'id="task-list-save"' in list_page
    # Without a role that may save, there is no button to press.
    without_role = logged_in(UserFactory(agency=scope.unit))
    assert 'id="task-list-save"' not in without_role.get(reverse("task_list")).content.decode()
    assert 'form="task-sheet-save"' not in without_role.get(scope.task.get_absolute_url()).content.decode()


def test_without_options_the_report_address_opens_the_form(scope):
    response = logged_in(scope.ministry_user).get(reverse("programme_review_pdf", args=[scope.programme.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("programme_review", args=[scope.programme.pk])


@pytest.mark.parametrize(
    ("params", "field", "message", "values"),
    [
        ({"as_of": "31/02/2020"}, "as_of", "Type the date as dd/mm/yyyy, for example 10/06/2020.", {}),
        ({"as_of": "2020-06-10"}, "as_of", "Type the date as dd/mm/yyyy, for example 10/06/2020.", {}),
        ({"as_of": "abc"}, "as_of", "Type the date as dd/mm/yyyy, for example 10/06/2020.", {}),
        ({"as_of": ""}, "as_of", "Type the day the figures should stand at, as dd/mm/yyyy.", {}),
        (
            {"as_of": "01/01/2999"},
            "as_of",
            "Figures cannot be taken as of a day still to come: choose today or an earlier day.",
            {},
        ),
        (
            {"as_of": "31/12/2015"},
            "as_of",
            "The programme starts in %(year)s: choose a day from 01/01/%(year)s on.",
            {"year": 2016},
        ),
        ({"language": "fr"}, "language", "Choose Vietnamese or English.", {}),
    ],
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_wrong_options_show_the_form_again_with_a_message_in_the_users_language(
    scope, params, field, message, values, language
):
    client = logged_in(scope.province_user, language=language)
    response = client.get(reverse("programme_review_pdf", args=[scope.programme.pk]), review_params(**params))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert list(response.context["form"].errors) == [field]
    with translation.override(language):
        expected = gettext(message) % values if values else gettext(message)
    html = response.content.decode()
    assert expected in html
    assert "invalid-feedback" in html
    assert not GeneratedReport.objects.exists()


# Queries and long tables


def fill_programme(programme, count: int, first: int = 0) -> None:
    """`count` tasks with funding, an output and an approved progress report each, and a meeting."""
    reviewer = UserFactory()
    for index in range(first, first + count):
        task = TaskFactory(programme=programme, code=f"PDF-{index:04d}", start_on=datetime.date(2016, 1, 1))
        FundingFactory(task=task, source=FundingSource.MINISTRY, year=2016, allocated=BILLION, disbursed=0)
        FundingFactory(task=task, source=FundingSource.PROVINCE, year=2017, allocated=BILLION / 2, disbursed=0)
        OutputFactory(task=task, kind=OutputKind.MODEL, quantity=2, achieved_on=datetime.date(2017, 6, 1))
        ProgressReportFactory(
            task=task,
            status=ReportStatus.APPROVED,
            reviewed_by=reviewer,
            reviewed_at=timezone.now() - datetime.timedelta(days=30),
            as_of=datetime.date(2017, 6, 30),
        )
    meeting = MeetingFactory(programme=programme, held_on=datetime.date(2018, 5, 1))
    RecommendationFactory(meeting=meeting)


def test_the_review_runs_as_many_queries_for_50_tasks_as_for_5(scope, django_assert_max_num_queries):
    client = logged_in(scope.ministry_user)
    url = reverse("programme_review_pdf", args=[scope.programme.pk])
    params = review_params(as_of=timezone.localdate().strftime("%d/%m/%Y"))
    fill_programme(scope.programme, 5)
    client.get(url, params)  # warm up what is cached once per process
    with CaptureQueriesContext(connection) as few:
        pdf_bytes(client.get(url, params))
    fill_programme(scope.programme, 45, first=5)
    with django_assert_max_num_queries(REVIEW_QUERY_CEILING), CaptureQueriesContext(connection) as many:
        pdf = pdf_bytes(client.get(url, params))
    assert len(few.captured_queries) == len(many.captured_queries)
    # The table of 51 tasks runs over several pages; its header row repeats on each of them.
    header = in_vietnamese("Lead agency")
    pages_with_tasks = [text for text in page_texts(pdf) if re.search(r"PDF-\d{4} Ứng dụng tiến bộ kỹ thuật số", text)]
    assert len(pages_with_tasks) >= 2
    for text in pages_with_tasks:
        assert header in text


def test_a_programme_party_of_the_ministry_heads_the_report(scope):
    party = scope.programme.programme_parties.get(role=PartyRole.MINISTRY_SIDE)
    text = text_of(
        pdf_bytes(
            logged_in(scope.ministry_user).get(
                reverse("programme_review_pdf", args=[scope.programme.pk]), review_params()
            )
        )
    )
    assert party.agency.name.upper() in text


# The pieces


def test_the_shipped_font_has_its_licence():
    folder = static_folder() / "fonts" / "liberation-serif"
    assert "SIL Open Font License" in (folder / "OFL.txt").read_text()
    stylesheet = (static_folder() / "css" / "report-print.css").read_text()
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert (folder / f"LiberationSerif-{face}.ttf").exists()
        assert f"../fonts/liberation-serif/LiberationSerif-{face}.ttf" in stylesheet


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2023, 2, 5), ("05", "02", "2023")),  # "ngày 05 tháng 02 năm 2023"
        (datetime.date(2020, 6, 10), ("10", "6", "2020")),  # months from March on take no zero
        (datetime.date(2021, 1, 31), ("31", "01", "2021")),
        (datetime.date(2021, 12, 9), ("09", "12", "2021")),
    ],
)
def test_the_date_of_issue_is_written_as_decree_30_wants(day, expected):
    header = DocumentHeader(issuer="Bộ Khoa học và Công nghệ", issued_on=day)
    assert (header.day, header.month, header.year) == expected


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://example.com/style.css", "https://127.0.0.1/", "file:///work/../etc/hosts"],
)
def test_weasyprint_may_read_the_static_files_and_nothing_else(url):
    fetcher = static_files_only(static_folder())
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    stylesheet = fetcher.fetch((static_folder() / "css" / "report-print.css").as_uri())
    assert b"@font-face" in stylesheet.read()
    stylesheet.close()
