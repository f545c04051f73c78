"""Big files go through django-tasks' worker (`db_worker`, run for real over the database queue), with a
progress page; the preview is paginated."""

import pytest
from django.apps import apps

from coop.roles import sync_role_groups
from imports.choices import ImportStatus
from tasks.models import Task
from tests.conftest import give_roles, logged_in
from tests.imports.conftest import confirm, upload, xlsx
from tests.reports.test_background import run_worker

# The worker commits as it goes, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_big_file_is_checked_and_written_by_the_worker_with_a_progress_page(scope, settings):
    # A transactional test before this one may have emptied every table, the role groups included.
    sync_role_groups(apps)
    roles = give_roles(scope)
    settings.IMPORT_BACKGROUND_MIN_BYTES = 0
    client = logged_in(roles.ministry_user)
    rows = [
        ["Chương trình", "Mã", "Tên", "Lĩnh vực", "Cấp quản lý", "Cơ quan chủ trì", "Ngày bắt đầu", "Ngày kết thúc"]
    ]
    rows += [
        [
            roles.programme.code,
            f"NV-LON-{n:03d}",
            f"Nhiệm vụ {n}",
            "Nông nghiệp",
            "Cấp tỉnh",
            roles.department.name,
            "01/01/2021",
            "31/12/2022",
        ]
        for n in range(300)
    ]
    response, batch = upload(client, "tasks", xlsx(rows), "lon.xlsx")
    assert batch.status == ImportStatus.QUEUED
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "chờ đến lượt" in page

    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED and batch.counts["create"] == 300
    assert (batch.rows_done, batch.rows_total) == (300, 300)
    page = client.get(response["Location"], {"action": "create", "page": 3})
    assert page.context["page"].number == 3 and len(page.context["page"].object_list) == 100

    batch = confirm(client, batch)
    assert batch.status == ImportStatus.APPLYING and Task.objects.filter(code__startswith="NV-LON-").count() == 0
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED, batch.error_message
    assert Task.objects.filter(code__startswith="NV-LON-").count() == 300
