"""What a user exports can be imported back unchanged: the lists' exports (XLSX and CSV, in either language)
and each kind's "your records" download. A second import of the same file changes nothing."""

import io

import pytest
from django.urls import reverse

from imports.checking import plan_file
from imports.choices import RowAction
from imports.kinds import KINDS
from tasks.models import Funding, Output, ProgressReport, Task
from tests.helpers import body, database_state, demo_login
from tests.imports.conftest import confirm, upload

RECORDS = (Task, Funding, Output, ProgressReport)
LIST_EXPORTS = [("task_list", "tasks"), ("output_list", "outputs"), ("progress_report_list", "progress")]


def plan_of(content: bytes, name: str, kind: str, user):
    return plan_file(io.BytesIO(content), name, kind=kind, user=user)


def assert_changes_nothing(plan):
    assert plan.file_errors == []
    counts = plan.counts()
    assert counts[RowAction.ERROR] == 0, [row.errors for row in plan.rows if row.errors][:3]
    assert counts[RowAction.CREATE] == counts[RowAction.UPDATE] == 0, [row.changes for row in plan.rows][:3]
    assert counts[RowAction.UNCHANGED] > 0


@pytest.mark.usefixtures("demo_data")
class TestRoundTrip:
    @pytest.mark.parametrize(("url_name", "kind"), LIST_EXPORTS)
    @pytest.mark.parametrize("export_format", ["xlsx", "csv"])
    @pytest.mark.parametrize("language", ["vi", "en"])
    def test_a_list_export_imports_back_as_no_change(self, db, url_name, kind, export_format, language):
        client = demo_login("bo.chuyenvien")
        client.cookies["django_language"] = language
        response = client.get(reverse(url_name), {"_export": export_format})
        plan = plan_of(body(response), f"export.{export_format}", kind, response.wsgi_request.user)
        assert_changes_nothing(plan)
        # The computed columns (totals, the status of the review…) are named as left aside.
        assert plan.notices

    @pytest.mark.parametrize("kind", list(KINDS))
    @pytest.mark.parametrize("username", ["bo.chuyenvien", "so.thaibinh"])
    def test_the_records_download_of_every_kind_imports_back_as_no_change(self, db, kind, username):
        client = demo_login(username)
        response = client.get(reverse("import_data", args=[kind]))
        if not KINDS[kind].may_import(response.wsgi_request.user):
            assert response.status_code == 403
            return
        plan = plan_of(body(response), "data.xlsx", kind, response.wsgi_request.user)
        assert_changes_nothing(plan)

    def test_confirming_an_unchanged_file_writes_no_history(self, db):
        client = demo_login("bo.chuyenvien")
        content = body(client.get(reverse("import_data", args=["funding"])))
        before = database_state(*RECORDS)
        _response, batch = upload(client, "funding", content)
        assert batch.counts[RowAction.UNCHANGED] == Funding.objects.count()
        batch = confirm(client, batch)
        assert batch.status == "applied"
        assert database_state(*RECORDS) == before
