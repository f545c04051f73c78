"""The review document's life: drafted by Ministry staff, submitted, returned or issued by its signer.

Read as: creating a draft (its prefilled text, recipients and issuing agency), editing it, who sees
and does what in each state, issuing (the register's numbers, the frozen PDF read back, nothing
changes afterwards), the Word copy, the archive's list, and GET requests that write nothing.
"""

import datetime
import hashlib
import io
import threading

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from docx import Document as WordDocument
from pypdf import PdfReader

from coop.roles import sync_role_groups
from programmes.choices import AgencyKind, MeetingKind, RecommendationStatus
from reports.choices import DocumentState, ReportKind, SigningAuthority
from reports.models import DocumentRegister, GeneratedReport, ReportRequest
from reports.services import (
    review_document_create,
    review_document_issue,
    review_document_return,
    review_document_submit,
    review_document_update,
)
from tasks.choices import OutputStatus
from tests.conftest import logged_in
from tests.factories import (
    OutputFactory,
    PersonFactory,
    RecommendationFactory,
    UserFactory,
    fund,
)
from tests.helpers import in_language, vietnamese
from tests.reports.test_signing import (
    pdfa_claim,
    placed_texts,
    signature_status,
    signature_widget,
    signing_with,
)

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2020, 6, 10)
CONCLUSIONS = "Hai Bên cần đẩy mạnh hợp tác chặt chẽ trong thời gian tới."
OPEN_RECOMMENDATION = "Sở KH&CN chủ động tham mưu cho lãnh đạo tỉnh."
DONE_RECOMMENDATION = "Đã ký kết giai đoạn tiếp theo."


@pytest.fixture
def documents(world, settings):
    """The world of two provinces with what a review document needs: the Ministry's document code, a drafting
    unit with its own, a leader linked to a person, and a meeting with conclusions and recommendations."""
    settings.DOCUMENT_SIGNING_PKCS12 = ""  # issued unsigned here; tests/reports/test_signing.py signs
    world.ministry.document_code = "BKHCN"
    world.ministry.save()
    world.unit.document_code = "PTĐP"
    world.unit.save()
    world.signer_person = PersonFactory(full_name="Đỗ Quang Vinh", position="Thứ trưởng", agency=world.ministry)
    world.leadership_user.person = world.signer_person
    world.leadership_user.save()
    world.meeting.kind = MeetingKind.PERIODIC_REVIEW
    world.meeting.held_on = datetime.date(2020, 6, 1)
    world.meeting.conclusions = CONCLUSIONS
    world.meeting.save()
    RecommendationFactory(meeting=world.meeting, text=OPEN_RECOMMENDATION, status=RecommendationStatus.OPEN)
    RecommendationFactory(meeting=world.meeting, text=DONE_RECOMMENDATION, status=RecommendationStatus.DONE)
    world.task.start_on = datetime.date(2016, 1, 1)
    world.task.save()
    fund(world.task, year=2016)
    OutputFactory(task=world.task, quantity=12, status=OutputStatus.VERIFIED)
    return world


def draft_of(world, **options) -> GeneratedReport:
    values = {"as_of": AS_OF, "language": "vi", "include_tasks": True, **options}
    return review_document_create(programme=world.programme, user=world.ministry_user, **values)


def ready_draft(world, **options) -> GeneratedReport:
    """A draft with its signer chosen: ready to submit."""
    document = draft_of(world, **options)
    return review_document_update(
        document=document,
        user=world.ministry_user,
        data={"signer": world.leadership_user, "signing_authority": SigningAuthority.DEPUTY},
        opened_version=None,
    )


def submitted(world, **options) -> GeneratedReport:
    return review_document_submit(document=ready_draft(world, **options), user=world.ministry_user)


def issued(world, **options) -> GeneratedReport:
    return review_document_issue(document=submitted(world, **options), user=world.leadership_user)


def pdf_text(data: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def written_rows() -> dict:
    """How many rows the archive, its history, the registers and the background requests hold."""
    models = (GeneratedReport, GeneratedReport.history.model, DocumentRegister, ReportRequest)
    return {model.__name__: model._base_manager.count() for model in models}


def stored_bytes(document: GeneratedReport) -> bytes:
    with document.pdf.open("rb") as stored:
        return stored.read()


# Creating a draft


def test_ministry_staff_create_a_draft_from_the_review_options(documents):
    client = logged_in(documents.ministry_user)
    response = client.post(
        reverse("programme_review", args=[documents.programme.pk]),
        {"as_of": "10/06/2020", "language": "vi", "include_tasks": "on"},
    )
    document = GeneratedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("document_detail", args=[document.pk])
    assert (document.state, document.as_of, document.language) == (DocumentState.DRAFT, AS_OF, "vi")
    assert document.parameters["include_tasks"] is True
    assert (document.issuing_agency, document.symbol, document.number) == (documents.ministry, "BC-BKHCN", None)
    assert document.drafting_unit == "PTĐP"
    assert not document.pdf and document.page_count is None


def test_a_draft_starts_with_the_results_of_the_figures_and_the_meetings_recommendations(documents):
    document = draft_of(documents)
    assert "10/06/2020" in document.results and "1 nhiệm vụ KH&CN" in document.results
    assert "12" in document.results
    assert CONCLUSIONS in document.proposals
    assert OPEN_RECOMMENDATION in document.proposals
    assert DONE_RECOMMENDATION not in document.proposals
    assert (document.shortcomings, document.causes, document.directions) == ("", "", "")
    # The programme's other parties receive it; the issuing Ministry does not send it to itself.
    assert list(document.recipient_agencies.all()) == [documents.committee]


@pytest.mark.parametrize("user_name", ["leadership_user", "province_user"])
def test_only_ministry_staff_create_drafts(documents, user_name):
    client = logged_in(getattr(documents, user_name))
    response = client.post(
        reverse("programme_review", args=[documents.programme.pk]), {"as_of": "10/06/2020", "language": "vi"}
    )
    assert response.status_code == 403
    assert not GeneratedReport.objects.exists()


def test_bad_options_show_the_form_again_and_create_nothing(documents):
    client = logged_in(documents.ministry_user)
    response = client.post(
        reverse("programme_review", args=[documents.programme.pk]), {"as_of": "31/02/2020", "language": "vi"}
    )
    assert response.status_code == 200
    assert vietnamese("Type the date as dd/mm/yyyy, for example 10/06/2020.") in response.content.decode()
    assert not GeneratedReport.objects.exists()


# Editing a draft


def edit_data(document, **changes) -> dict:
    data = {
        "results": document.results,
        "shortcomings": "Hợp tác chưa tương xứng với tiềm năng.",
        "causes": "",
        "directions": "",
        "proposals": document.proposals,
        "recipient_agencies": [agency.pk for agency in document.recipient_agencies.all()],
        "other_recipients": "Văn phòng Chính phủ",
        "drafting_unit": "PTĐP",
        "signer": "",
        "signing_authority": SigningAuthority.DEPUTY,
        "opened_version": document.version,
    }
    return {**data, **changes}


def test_staff_edit_the_narrative_recipients_and_signer_of_a_draft(documents):
    document = draft_of(documents)
    client = logged_in(documents.ministry_user)
    response = client.post(
        reverse("document_detail", args=[document.pk]), edit_data(document, signer=documents.leadership_user.pk)
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.shortcomings == "Hợp tác chưa tương xứng với tiềm năng."
    assert document.signer == documents.leadership_user
    assert document.other_recipient_lines() == ["Văn phòng Chính phủ"]
    latest = document.history.first()
    assert (latest.shortcomings, latest.history_change_reason) == (document.shortcomings, "Sửa dự thảo")


def test_a_second_users_edit_is_not_silently_overwritten(documents):
    document = draft_of(documents)
    opened_at = document.version
    review_document_update(document=document, user=documents.ministry_user, data={"causes": "A"}, opened_version=None)
    client = logged_in(documents.ministry_user)
    response = client.post(
        reverse("document_detail", args=[document.pk]), edit_data(document, causes="B", opened_version=opened_at)
    )
    assert response.status_code == 200
    assert vietnamese("Changed by someone else since you opened the form") in response.content.decode()
    document.refresh_from_db()
    assert document.causes == "A"


def test_recipients_are_chosen_only_among_the_programmes_parties(documents):
    document = draft_of(documents)
    client = logged_in(documents.ministry_user)
    response = client.post(
        reverse("document_detail", args=[document.pk]),
        edit_data(document, recipient_agencies=[documents.other_committee.pk]),
    )
    assert response.status_code == 200
    assert list(document.recipient_agencies.all()) == [documents.committee]


def test_the_signer_is_a_leader_linked_to_a_person(documents):
    document = draft_of(documents)
    unlinked_leader = UserFactory(agency=documents.ministry)
    unlinked_leader.groups.add(*documents.leadership_user.groups.all())
    client = logged_in(documents.ministry_user)
    response = client.post(
        reverse("document_detail", args=[document.pk]), edit_data(document, signer=unlinked_leader.pk)
    )
    assert response.status_code == 200
    document.refresh_from_db()
    assert document.signer is None


# Submitting, returning


def test_a_draft_without_a_signer_is_not_submitted(documents):
    document = draft_of(documents)
    client = logged_in(documents.ministry_user)
    response = client.post(reverse("document_submit", args=[document.pk]), follow=True)
    assert vietnamese("Choose who signs the document.") in response.content.decode()
    document.refresh_from_db()
    assert document.state == DocumentState.DRAFT


def test_staff_submit_a_ready_draft_and_it_can_no_longer_be_edited(documents):
    document = ready_draft(documents)
    client = logged_in(documents.ministry_user)
    client.post(reverse("document_submit", args=[document.pk]))
    document.refresh_from_db()
    assert (document.state, document.submitted_by) == (DocumentState.SUBMITTED, documents.ministry_user)
    response = client.post(reverse("document_detail", args=[document.pk]), edit_data(document))
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        review_document_update(
            document=document, user=documents.ministry_user, data={"causes": "X"}, opened_version=None
        )


def test_the_signer_returns_a_document_with_a_note_kept_in_its_history(documents):
    document = submitted(documents)
    client = logged_in(documents.leadership_user)
    response = client.post(reverse("document_return", args=[document.pk]), {"note": ""}, follow=True)
    assert vietnamese("Say what needs changing before the document is signed.") in response.content.decode()
    client.post(reverse("document_return", args=[document.pk]), {"note": "Bổ sung nguyên nhân."})
    document.refresh_from_db()
    assert (document.state, document.return_note) == (DocumentState.DRAFT, "Bổ sung nguyên nhân.")
    reasons = list(document.history.values_list("history_change_reason", flat=True))
    assert any("Bổ sung nguyên nhân." in (reason or "") for reason in reasons)
    page = logged_in(documents.ministry_user).get(reverse("document_detail", args=[document.pk]))
    assert "Bổ sung nguyên nhân." in page.content.decode()


# Who sees and does what


@pytest.mark.parametrize(
    ("user_name", "state", "status"),
    [
        ("ministry_user", DocumentState.DRAFT, 200),
        ("leadership_user", DocumentState.DRAFT, 200),
        ("province_user", DocumentState.DRAFT, 404),
        ("province_user", DocumentState.SUBMITTED, 404),
        ("province_user", DocumentState.ISSUED, 200),
        ("other_province_user", DocumentState.ISSUED, 404),
    ],
)
def test_outside_the_ministry_only_issued_documents_of_ones_programmes_are_seen(documents, user_name, state, status):
    document = {DocumentState.DRAFT: draft_of, DocumentState.SUBMITTED: submitted, DocumentState.ISSUED: issued}[state](
        documents
    )
    client = logged_in(getattr(documents, user_name))
    assert client.get(reverse("document_detail", args=[document.pk])).status_code == status
    files = ["document_draft_docx", "document_issued_pdf" if state == DocumentState.ISSUED else "document_preview_pdf"]
    for name in files:
        assert client.get(reverse(name, args=[document.pk])).status_code == status


@pytest.mark.parametrize("user_name", ["ministry_user", "province_user"])
def test_only_leadership_issues(documents, user_name):
    document = submitted(documents)
    response = logged_in(getattr(documents, user_name)).post(reverse("document_issue", args=[document.pk]))
    assert response.status_code in (403, 404)
    document.refresh_from_db()
    assert document.state == DocumentState.SUBMITTED


def test_a_leader_who_is_not_the_signer_does_not_issue_but_an_administrator_does(documents):
    document = submitted(documents)
    other_leader = UserFactory(agency=documents.ministry, person=PersonFactory(position="Thứ trưởng"))
    other_leader.groups.add(*documents.leadership_user.groups.all())
    assert logged_in(other_leader).post(reverse("document_issue", args=[document.pk])).status_code == 403
    response = logged_in(documents.administrator_user).post(reverse("document_issue", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.state, document.issued_by) == (DocumentState.ISSUED, documents.administrator_user)


def test_a_draft_cannot_be_issued(documents):
    document = ready_draft(documents)
    response = logged_in(documents.leadership_user).post(reverse("document_issue", args=[document.pk]))
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        review_document_issue(document=document, user=documents.leadership_user)


# Issuing


def test_issuing_numbers_dates_and_freezes_the_document(documents):
    document = submitted(documents)
    before = timezone.now()
    response = logged_in(documents.leadership_user).post(reverse("document_issue", args=[document.pk]), follow=True)
    document.refresh_from_db()
    assert vietnamese("Issued as No. %(number)s.", number="1/BC-BKHCN") in response.content.decode()
    assert (document.state, document.number, document.number_label) == (DocumentState.ISSUED, 1, "1/BC-BKHCN")
    assert document.register_year == timezone.localtime(document.issued_at).year
    assert document.issued_at >= before and document.issued_by == documents.leadership_user
    stored = stored_bytes(document)
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert document.page_count == len(PdfReader(io.BytesIO(stored)).pages)
    assert not document.digitally_signed
    assert DocumentRegister.objects.get(agency=documents.ministry).last_number == 1


def test_the_issued_pdf_is_the_administrative_document(documents):
    document = issued(documents)
    pages = pdf_text(stored_bytes(document))
    text = "\n".join(pages)
    for expected in (
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
        "Số: 1/BC-BKHCN",
        "BÁO CÁO",
        "I. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN",
        "II. KIẾN NGHỊ, ĐỀ XUẤT",
        "KT. BỘ TRƯỞNG",
        "THỨ TRƯỞNG",
        "Đỗ Quang Vinh",
        "Nơi nhận:",
        "- Ủy ban nhân dân tỉnh Thái Bình;",
        "- Lưu: VT, PTĐP.",
        "(Kèm theo Báo cáo số 1/BC-BKHCN ngày",
        "không có chữ ký số",
    ):
        assert expected in text, expected
    assert "DỰ THẢO" not in text
    # Empty sections are left out, and the numbering follows the sections written.
    assert "NGUYÊN NHÂN" not in pages[0]


def test_the_preview_is_marked_draft_on_every_page_and_kept_nowhere(documents):
    document = ready_draft(documents)
    before = written_rows()
    response = logged_in(documents.ministry_user).get(reverse("document_preview_pdf", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_text(response.content)
    assert len(pages) > 1
    assert all("DỰ THẢO" in page for page in pages)
    assert "Số:" in pages[0] and "/BC-BKHCN" in pages[0]
    assert written_rows() == before


def test_numbers_follow_each_other_in_the_register_of_the_year_and_start_again_the_next_year(documents):
    first, second = submitted(documents), submitted(documents)
    review_document_issue(document=first, user=documents.leadership_user)
    review_document_issue(document=second, user=documents.leadership_user)
    next_year = timezone.make_aware(datetime.datetime(timezone.localdate().year + 1, 1, 2, 9))
    third = review_document_issue(document=submitted(documents), user=documents.leadership_user, issued_at=next_year)
    first.refresh_from_db()
    second.refresh_from_db()
    assert [first.number, second.number, third.number] == [1, 2, 1]
    assert third.register_year == next_year.year


def test_a_failed_issue_gives_its_number_back_and_leaves_no_file(documents, monkeypatch):
    document = submitted(documents)
    files_before = set(GeneratedReport.objects.exclude(pdf="").values_list("pdf", flat=True))

    def failing_render(**kwargs):
        raise RuntimeError("the renderer stopped")

    monkeypatch.setattr("reports.services.review_document_pdf", failing_render)
    with pytest.raises(RuntimeError):
        review_document_issue(document=document, user=documents.leadership_user)
    document.refresh_from_db()
    assert (document.state, document.number) == (DocumentState.SUBMITTED, None)
    assert not DocumentRegister.objects.filter(last_number__gt=0).exists()
    assert set(GeneratedReport.objects.exclude(pdf="").values_list("pdf", flat=True)) == files_before


def test_nothing_changes_an_issued_document(documents):
    document = issued(documents)
    for service, values in (
        (review_document_update, {"data": {"causes": "X"}, "opened_version": None}),
        (review_document_submit, {}),
        (review_document_issue, {}),
        (review_document_return, {"note": "Sửa"}),
    ):
        with pytest.raises(ValidationError):
            service(document=document, user=documents.administrator_user, **values)
    client = logged_in(documents.administrator_user)
    assert client.post(reverse("document_detail", args=[document.pk]), edit_data(document)).status_code == 403
    assert client.post(reverse("document_return", args=[document.pk]), {"note": "x"}).status_code == 403
    # Its preview is the issued copy itself.
    preview = client.get(reverse("document_preview_pdf", args=[document.pk]))
    assert preview["Location"] == reverse("document_issued_pdf", args=[document.pk])


def test_the_issued_copy_downloads_under_its_number(documents):
    document = issued(documents)
    response = logged_in(documents.province_user).get(reverse("document_issued_pdf", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_bytes(document)
    disposition = response["Content-Disposition"]
    assert 'filename="1-BC-BKHCN-Bao-cao-so-ket-' in disposition
    assert "filename*=UTF-8''1-BC-BKHCN%20B%C3%A1o%20c%C3%A1o%20s%C6%A1%20k%E1%BA%BFt%20" in disposition


@pytest.fixture
def role_groups(transactional_db):
    """The role groups, which a transactional test before this one may have emptied with every table."""
    sync_role_groups(django_apps)


@pytest.mark.django_db(transaction=True)
def test_two_documents_issued_at_once_get_two_numbers(role_groups, documents):
    """Two connections issue at the same moment: the register's lock makes them take turns."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: there is no concurrent issue to test")
    first, second = submitted(documents), submitted(documents)
    start = threading.Barrier(2)
    failures = []

    def issue(document):
        try:
            start.wait()
            review_document_issue(document=document, user=documents.leadership_user)
        except Exception as error:  # noqa: BLE001 - reported below, with the thread's error
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(document,)) for document in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    numbers = sorted(GeneratedReport.objects.issued().values_list("number", flat=True))
    assert numbers == [1, 2]
    assert DocumentRegister.objects.get().last_number == 2


# The Word copy


def test_the_word_copy_holds_the_same_text(documents):
    document = ready_draft(documents)
    response = logged_in(documents.ministry_user).get(reverse("document_draft_docx", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(".docx")
    word = WordDocument(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    cells = "\n".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "BÁO CÁO" in text
    assert OPEN_RECOMMENDATION in text
    assert "Đỗ Quang Vinh" in cells and "KT. BỘ TRƯỞNG" in cells
    assert "Lưu: VT, PTĐP." in cells


# The archive


def test_the_archive_lists_documents_with_number_state_and_signer(documents):
    issued_document = issued(documents)
    draft = ready_draft(documents)
    client = logged_in(documents.ministry_user)
    page = client.get(reverse("report_list")).content.decode()
    assert "1/BC-BKHCN" in page and "Đỗ Quang Vinh" in page
    assert vietnamese("Issued") in page and in_language("vi", pgettext_lazy("document state", "Draft")) in page
    only_issued = client.get(reverse("report_list"), {"state": DocumentState.ISSUED})
    assert [row.pk for row in only_issued.context["table"].data] == [issued_document.pk]
    assert draft.pk not in [
        row.pk for row in logged_in(documents.province_user).get(reverse("report_list")).context["table"].data
    ]


def test_leadership_sees_the_documents_it_must_sign(documents):
    document = submitted(documents)
    page = logged_in(documents.leadership_user).get(reverse("document_detail", args=[document.pk])).content.decode()
    assert 'id="document-issue"' in page and 'id="document-return"' in page
    staff_page = logged_in(documents.ministry_user).get(reverse("document_detail", args=[document.pk]))
    assert 'id="document-issue"' not in staff_page.content.decode()


# GET writes nothing


def test_get_requests_of_pdfs_write_nothing(documents):
    client = logged_in(documents.ministry_user)
    before = written_rows()
    for _ in range(5):
        for url, params in (
            (reverse("programme_review_pdf", args=[documents.programme.pk]), {"as_of": "10/06/2020", "language": "vi"}),
            (reverse("task_sheet_pdf", args=[documents.task.pk]), {}),
            (reverse("task_list_pdf"), {"programme": documents.programme.pk}),
        ):
            response = client.get(url, params)
            assert response.status_code == 200, url
            assert response["Content-Type"] == "application/pdf"
    assert written_rows() == before


def test_a_sheet_and_a_list_are_saved_in_the_archive_only_by_post(documents):
    client = logged_in(documents.province_user)
    response = client.post(reverse("task_sheet_pdf", args=[documents.task.pk]))
    assert response.status_code == 200
    sheet = GeneratedReport.objects.get()
    assert (sheet.kind, sheet.state, sheet.task, sheet.programme) == (
        ReportKind.TASK_SHEET,
        DocumentState.SAVED,
        documents.task,
        documents.programme,
    )
    client.post(reverse("task_list_pdf") + f"?programme={documents.programme.pk}")
    assert GeneratedReport.objects.filter(kind=ReportKind.TASK_LIST, state=DocumentState.SAVED).count() == 1


def test_leadership_cannot_save_with_an_agency_outside_the_ministry_code(documents):
    """A programme whose Ministry side has no document code gets a draft that says what is missing."""
    documents.ministry.document_code = ""
    documents.ministry.save()
    document = ready_draft(documents)
    with pytest.raises(ValidationError) as refusal:
        review_document_submit(document=document, user=documents.ministry_user)
    assert "BKHCN" in " ".join(refusal.value.messages)


def test_province_kind_agency_issues_under_its_own_register(documents):
    """Registers are per agency: another issuing agency starts at 1 too."""
    issued(documents)
    documents.committee.kind = AgencyKind.PEOPLE_COMMITTEE
    documents.committee.document_code = "UBND"
    documents.committee.save()
    document = submitted(documents)
    document.issuing_agency = documents.committee
    document.symbol = "BC-UBND"
    document.save()
    other = review_document_issue(document=document, user=documents.leadership_user)
    assert other.number_label == "1/BC-UBND"


# The electronic signature of an issued document (reports.signing, tested on its own in test_signing.py)


def test_the_issued_document_is_pdfa_and_signed_at_its_signature_block(documents, certificate):
    with signing_with(certificate):
        document = issued(documents)
    assert document.digitally_signed
    stored = stored_bytes(document)
    assert pdfa_claim(stored) == ("2", "B")
    status = signature_status(stored, certificate)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    page_index, widget = signature_widget(stored)
    left, bottom, right, top = (float(value) for value in widget["/Rect"])
    runs = placed_texts(PdfReader(io.BytesIO(stored)).pages[page_index])
    name_y = next(y for text, _x, y in runs if text == "Đỗ Quang Vinh")
    position_y = next(y for text, _x, y in runs if text == "THỨ TRƯỞNG")
    assert name_y < bottom < top < position_y + 14  # between the signer's position and name
    assert "không có chữ ký số" not in "\n".join(pdf_text(stored))


def test_one_changed_byte_of_the_issued_file_breaks_its_signature(documents, certificate):
    with signing_with(certificate):
        stored = stored_bytes(issued(documents))
    damaged = bytearray(stored)
    damaged[len(damaged) // 3] ^= 0x01
    status = signature_status(bytes(damaged), certificate)
    assert not status.intact


def test_a_certificate_that_cannot_be_read_stops_the_issue_with_a_message(documents, tmp_path):
    document = submitted(documents)
    with override_settings(DOCUMENT_SIGNING_PKCS12=str(tmp_path / "missing.p12"), DOCUMENT_SIGNING_PASSPHRASE="x"):
        response = logged_in(documents.leadership_user).post(reverse("document_issue", args=[document.pk]), follow=True)
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    document.refresh_from_db()
    assert (document.state, document.number) == (DocumentState.SUBMITTED, None)


def test_the_download_address_of_a_draft_leads_to_its_page(documents):
    document = draft_of(documents)
    response = logged_in(documents.ministry_user).get(reverse("report_download", args=[document.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("document_detail", args=[document.pk])


def test_a_correction_is_a_new_draft_naming_the_issued_document_it_replaces(documents):
    original = issued(documents)
    client = logged_in(documents.ministry_user)
    response = client.post(reverse("document_correct", args=[original.pk]))
    correction = GeneratedReport.objects.exclude(pk=original.pk).get()
    assert response["Location"] == reverse("document_detail", args=[correction.pk])
    assert (correction.state, correction.replaces, correction.results) == (
        DocumentState.DRAFT,
        original,
        original.results,
    )
    assert list(correction.recipient_agencies.all()) == list(original.recipient_agencies.all())
    original_page = client.get(reverse("document_detail", args=[original.pk])).content.decode()
    assert reverse("document_detail", args=[correction.pk]) in original_page
    preview = "\n".join(pdf_text(client.get(reverse("document_preview_pdf", args=[correction.pk])).content))
    assert "Thay thế Báo cáo số 1/BC-BKHCN" in preview
    # Leadership signs; it does not draft corrections. A draft is corrected by editing it.
    assert logged_in(documents.leadership_user).post(reverse("document_correct", args=[original.pk])).status_code == 403
    assert client.post(reverse("document_correct", args=[correction.pk])).status_code == 403
