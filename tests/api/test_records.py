"""How records read in the API: money in whole đồng as integers, dates in ISO 8601, times with their offset, each
record with its API address and its page's; related rows in the order their pages show them; lists walked by cursor
in a stable order; every error a JSON object; nothing kept by a cache."""

import datetime
import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reports.choices import DocumentState
from tests.api.conftest import list_url, read_all
from tests.conftest import logged_in
from tests.factories import TEST_PDF, OutputFactory, TaskFactory, review_document

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# An instant with its offset from UTC, as Hà Nội's time: 2020-06-10T09:00:00+07:00.
ISO_TIME_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")


def detail(world, name: str, pk: int, role: str = "ministry") -> dict:
    response = world.api[role].get(reverse(f"api_{name}_detail", args=[pk]))
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_money_is_whole_dong_as_integers(world):
    task = detail(world, "task", world.task.pk)
    assert task["total_funding"] == 3_000_000_000 and type(task["total_funding"]) is int
    assert [(row["source"], row["year"], row["allocated"], row["disbursed"]) for row in task["fundings"]] == [
        ("ministry", 2016, 2_000_000_000, 1_000_000_000),
        ("province", 2017, 1_000_000_000, 0),
    ]
    report = detail(world, "progress_report", world.approved_report.pk)
    assert report["disbursed_to_date"] == 800_000_000
    assert report["disbursements"] == [
        {"funding_id": world.ministry_funding.pk, "source": "ministry", "year": 2016, "disbursed_to_date": 800_000_000}
    ]
    programme = detail(world, "programme", world.programme.pk)
    assert {target["metric"]: target["value"] for target in programme["targets"]} == {
        "ministry_funding": 98_500_000_000,
        "model": 12,
    }


@pytest.mark.django_db
def test_dates_are_iso_and_times_carry_their_offset(world):
    report = detail(world, "progress_report", world.approved_report.pk)
    assert ISO_DATE.match(report["as_of"]) and report["period"]["ends_on"] == "2017-06-30"
    assert ISO_TIME_WITH_OFFSET.match(report["submitted_at"]), report["submitted_at"]
    assert report["submitted_at"].endswith("+07:00")
    sent = datetime.datetime.fromisoformat(report["submitted_at"])
    assert abs(sent - world.approved_report.submitted_at) < datetime.timedelta(microseconds=1)
    document = detail(world, "document", world.document.pk)
    assert ISO_TIME_WITH_OFFSET.match(document["issued_at"]) and document["as_of"] == "2020-06-10"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "record"),
    [
        ("programme", "programme"),
        ("agency", "department"),
        ("person", "director"),
        ("task", "task"),
        ("progress_report", "approved_report"),
        ("meeting", "meeting"),
        ("document", "document"),
    ],
)
def test_every_record_links_to_itself_in_the_api_and_to_its_page(world, name, record):
    row = getattr(world, record)
    body = detail(world, name, row.pk, role="province")
    assert body["url"] == f"http://testserver{reverse(f'api_{name}_detail', args=[row.pk])}"
    assert world.api["province"].get(body["url"]).json() == body
    # People have no page: their agency's page lists them.
    page = row.get_absolute_url() if hasattr(row, "get_absolute_url") else row.agency.get_absolute_url() + "#people"
    assert body["page_url"] == f"http://testserver{page}"
    assert logged_in(world.province_user).get(body["page_url"]).status_code == 200


@pytest.mark.django_db
def test_related_records_read_in_the_order_of_their_pages(world):
    programme = detail(world, "programme", world.programme.pk)
    assert [(party["agency"]["id"], party["role"]) for party in programme["parties"]] == [
        (world.ministry.pk, "ministry_side"),
        (world.committee.pk, "province_side"),
    ]
    assert programme["parties"][1]["representative"]["full_name"] == "Nguyễn Văn Giám Đốc"
    meeting = detail(world, "meeting", world.meeting.pk)
    assert [(row["person"]["full_name"], row["role"]) for row in meeting["attendance"]] == [
        ("Chu Ngọc Anh", "chair"),
        ("Nguyễn Văn Giám Đốc", "reporter"),
    ]
    assert meeting["recommendations"][0]["raised_by"]["id"] == world.committee.pk
    task = detail(world, "task", world.task.pk)
    assert task["places"] == [{"province": task["lead_agency_province"], "commune": "xã Vũ Hội"}]
    assert task["investigator"]["id"] == world.director.pk


@pytest.mark.django_db
def test_a_previous_phase_is_named_only_to_those_who_may_see_it(world):
    assert detail(world, "programme", world.programme.pk)["previous_phase"]["id"] == world.earlier_phase.pk
    assert detail(world, "programme", world.programme.pk, role="province")["previous_phase"] is None


@pytest.mark.django_db
def test_an_issued_document_links_to_its_pdf_which_the_key_downloads(world):
    document = review_document(world.programme, DocumentState.ISSUED, sha256=hashlib.sha256(TEST_PDF).hexdigest())
    body = detail(world, "document", document.pk, role="province")
    assert body["file_url"] == f"http://testserver{reverse('document_issued_pdf', args=[document.pk])}"
    assert logged_in(world.province_user).get(body["file_url"]).status_code == 200

    response = world.api["province"].get(body["api_file_url"], headers={"Accept": "application/pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    pdf = b"".join(response.streaming_content)
    assert hashlib.sha256(pdf).hexdigest() == body["sha256"]
    assert body["number_label"] == f"{document.number}/BC-BKHCN"


@pytest.mark.django_db
def test_an_output_links_to_the_download_of_its_evidence_on_its_page(world):
    evidence = SimpleUploadedFile("quyet-dinh-cong-nhan.pdf", TEST_PDF, content_type="application/pdf")
    output = OutputFactory(task=world.task, evidence_file=evidence)
    body = detail(world, "output", output.pk, role="province")
    assert body["page_url"] == f"http://testserver{output.get_absolute_url()}"
    assert body["evidence_file_url"] == f"http://testserver{reverse('output_evidence', args=[output.pk])}"
    assert logged_in(world.province_user).get(body["evidence_file_url"]).status_code == 200
    assert detail(world, "output", world.rows["output_list"][0].pk)["evidence_file_url"] is None


@pytest.mark.django_db
def test_a_correction_names_the_document_it_replaces(world):
    correction = detail(world, "document", world.correction.pk)
    assert correction["replaces"]["id"] == world.document.pk
    assert correction["replaces"]["number_label"] == world.document.number_label
    assert detail(world, "document", world.document.pk)["signer"]["full_name"] == "Chu Ngọc Anh"


@pytest.mark.django_db
def test_a_list_is_walked_by_cursor_in_the_order_of_the_keys(world):
    client = world.api["ministry"]
    first = client.get(list_url("task"), {"page_size": 2}).json()
    assert first["previous"] is None
    walked, page = list(first["results"]), first
    added_while_walking = TaskFactory()
    while page["next"]:
        page = client.get(page["next"]).json()
        walked += page["results"]
    ids = [row["id"] for row in walked]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert ids[-1] == added_while_walking.pk  # a row added while a client walks comes at the end
    assert ids == [row["id"] for row in read_all(client, list_url("task"))]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/v1/nothing-here/", 404, "not_found"),
        ("get", "/api/v1/tasks/99999999999999999999/", 404, "not_found"),
        ("get", "/api/v1/tasks/?cursor=not-a-cursor", 404, "not_found"),
        ("get", "/api/v1/tasks/?year_from=soon", 400, "invalid"),
        ("post", "/api/v1/tasks/", 405, "method_not_allowed"),
        ("delete", "/api/v1/tasks/1/", 405, "method_not_allowed"),
    ],
)
def test_every_error_is_a_json_object(world, method, url, status, code):
    response = getattr(world.api["ministry"], method)(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (status, code)
    assert error["message"]


@pytest.mark.django_db
def test_nothing_the_api_sends_is_kept_by_a_cache(world):
    for url in (list_url("task"), reverse("api_task_detail", args=[world.task.pk]), reverse("api_root")):
        assert world.api["province"].get(url)["Cache-Control"] == "private, no-store"
    assert Client().get(list_url("task"))["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_the_root_names_every_list(world):
    links = world.api["province"].get(reverse("api_root")).json()
    for name in ("programmes", "agencies", "people", "tasks", "outputs", "progress_reports", "meetings", "documents"):
        assert world.api["province"].get(links[name]).status_code == 200
    assert links["schema"].endswith(reverse("api_schema"))
