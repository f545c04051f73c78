"""Exports too long for a web request: offered on a page, queued by POST, written by the worker, downloaded by
their requester only.

The threshold is lowered to a few rows so that a small list stands in for a long one; the worker is
django-tasks' own `db_worker`, run for real over the database queue (as in tests/reports/test_background.py).
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from coop.models import ExportRequest, ExportRequestStatus
from tasks.models import Task
from tests.conftest import logged_in
from tests.factories import TaskFactory
from tests.reports.test_background import run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def world(roles, settings):
    """`roles` with four more tasks in the province's programme: five the province sees, six in all."""
    settings.EXPORT_BACKGROUND_MIN_ROWS = 3
    for number in range(4):
        TaskFactory(programme=roles.programme, lead_agency=roles.department, title=f"Nhiệm vụ số {number}")
    return roles


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8").lstrip("\ufeff")), delimiter=";"))


def ask(client, query: str, export_format: str = "csv"):
    """Open a long list's export (the offer page), then press its button, as a browser would."""
    offer = client.get(
        f"{reverse('task_list')}?{query}&_export={export_format}"
        if query
        else f"{reverse('task_list')}?_export={export_format}"
    )
    assert offer.status_code == 200
    assert offer.context["row_count"] >= 3
    return client.post(
        reverse("export_request_add"),
        {"list_name": "task_list", "query": offer.context["query"], "export_format": export_format},
    )


def test_a_long_export_is_offered_by_get_and_queued_by_post(world):
    client = logged_in(world.ministry_user)
    offer = client.get(reverse("task_list"), {"_export": "csv", "page": 2, "sort": "code"})
    assert offer.status_code == 200
    assert ExportRequest.objects.count() == 0  # a GET writes nothing
    assert offer.context["query"] == "sort=code"
    assert b'action="/exports/"' in offer.content
    response = client.post(
        reverse("export_request_add"), {"list_name": "task_list", "query": "sort=code", "export_format": "csv"}
    )
    export_request = ExportRequest.objects.get()
    assert response.status_code == 302 and response.url == export_request.get_absolute_url()
    assert export_request.status == ExportRequestStatus.QUEUED
    page = client.get(export_request.get_absolute_url())
    assert page.status_code == 200 and b'http-equiv="refresh"' in page.content
    # A second click while it waits gives the same request.
    client.post(reverse("export_request_add"), {"list_name": "task_list", "query": "sort=code", "export_format": "csv"})
    assert ExportRequest.objects.count() == 1


def test_the_worker_writes_what_the_export_would_have_held(world, settings):
    client = logged_in(world.province_user)
    query = f"programme={world.programme.pk}&sort=-code"
    with translation.override("vi"):
        ask(client, query)
    run_worker()
    export_request = ExportRequest.objects.get()
    assert export_request.status == ExportRequestStatus.DONE, export_request.error_message
    assert export_request.progress == 100
    page = client.get(export_request.get_absolute_url())
    assert b"export-download" in page.content and b'http-equiv="refresh"' not in page.content
    download = client.get(reverse("export_request_download", args=[export_request.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    in_background = csv_rows(b"".join(download.streaming_content))
    settings.EXPORT_BACKGROUND_MIN_ROWS = 1000
    at_once = client.get(f"{reverse('task_list')}?{query}&_export=csv")
    assert in_background == csv_rows(b"".join(at_once.streaming_content))
    visible = Task.objects.visible_to(world.province_user).filter(programme=world.programme)
    assert export_request.row_count == len(in_background) - 1 == visible.count() == 5
    assert in_background[0][0] == "Mã"  # in the requester's language (Vietnamese, the default)
    assert [row[0] for row in in_background[1:]] == sorted((task.code for task in visible), reverse=True)


def test_an_xlsx_export_in_the_background_opens_with_its_rows(world):
    client = logged_in(world.ministry_user)
    ask(client, "", "xlsx")
    run_worker()
    export_request = ExportRequest.objects.get()
    assert export_request.status == ExportRequestStatus.DONE, export_request.error_message
    download = client.get(reverse("export_request_download", args=[export_request.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.worksheets[0].max_row == Task.objects.count() + 1
    assert download["Content-Disposition"].endswith('.xlsx"')


def test_only_the_requester_follows_and_downloads_an_export(world):
    ask(logged_in(world.ministry_user), "")
    run_worker()
    export_request = ExportRequest.objects.get()
    for user in (world.province_user, world.administrator_user):
        client = logged_in(user)
        assert client.get(export_request.get_absolute_url()).status_code == 404
        assert client.get(reverse("export_request_download", args=[export_request.pk])).status_code == 404


def test_the_worker_reads_the_rows_the_requester_may_see_when_it_writes(world):
    client = logged_in(world.province_user)
    ask(client, "")
    world.province_user.agency = world.other_province_user.agency
    world.province_user.save()
    run_worker()
    export_request = ExportRequest.objects.get()
    assert export_request.status == ExportRequestStatus.DONE
    rows = csv_rows(
        b"".join(client.get(reverse("export_request_download", args=[export_request.pk])).streaming_content)
    )
    visible = set(Task.objects.visible_to(world.province_user).values_list("code", flat=True))
    assert {row[0] for row in rows[1:]} == visible
    assert world.task.code not in visible


@pytest.mark.parametrize(
    "data",
    [
        {"list_name": "no_such_list", "query": "", "export_format": "csv"},
        {"list_name": "task_detail", "query": "", "export_format": "csv"},
        {"list_name": "task_list", "query": "", "export_format": "pdf"},
        {"list_name": "task_list", "query": "programme=abc&sort=nonsense", "export_format": "xlsx"},
    ],
)
def test_bad_requests_get_a_clear_answer_not_an_error(world, data):
    response = logged_in(world.ministry_user).post(reverse("export_request_add"), data)
    assert response.status_code in (302, 404)
    if data["export_format"] == "pdf":
        assert ExportRequest.objects.count() == 0


def test_a_short_export_is_still_written_at_once(world, settings):
    settings.EXPORT_BACKGROUND_MIN_ROWS = 1000
    response = logged_in(world.ministry_user).get(reverse("task_list"), {"_export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert ExportRequest.objects.count() == 0
