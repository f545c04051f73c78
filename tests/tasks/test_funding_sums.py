"""The funding sums a task keeps (Task.ministry_funding … total_funding) follow its funding rows on every path."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q, Sum
from django.urls import reverse

from tasks.choices import FundingSource
from tasks.models import FUNDING_SUMS, Funding, Task
from tests.factories import AgencyFactory, FundingFactory, ProgrammeFactory, TaskFactory

pytestmark = pytest.mark.django_db

MILLION = Decimal(1_000_000)


def summed_from_rows(task: Task) -> dict[str, Decimal]:
    """What each kept sum should be, added up from the task's funding rows."""
    rows = Funding.objects.filter(task=task)
    sums = {
        name: rows.aggregate(total=Sum("allocated", filter=None if source is None else Q(source=source)))["total"]
        for name, source in FUNDING_SUMS.items()
    }
    return {name: value or Decimal(0) for name, value in sums.items()}


def kept(task: Task) -> dict[str, Decimal]:
    return Task.objects.filter(pk=task.pk).values(*FUNDING_SUMS).get()


def test_every_funding_source_has_its_kept_sum():
    assert {source for source in FUNDING_SUMS.values() if source is not None} == set(FundingSource.values)


def test_a_new_task_keeps_zero_for_every_sum():
    task = TaskFactory()
    assert kept(task) == dict.fromkeys(FUNDING_SUMS, Decimal(0))


def test_adding_rows_sums_them_by_source_and_in_all():
    task = TaskFactory()
    FundingFactory(task=task, source=FundingSource.MINISTRY, year=2016, allocated=700 * MILLION, disbursed=0)
    FundingFactory(task=task, source=FundingSource.MINISTRY, year=2017, allocated=300 * MILLION, disbursed=0)
    FundingFactory(task=task, source=FundingSource.PROVINCE, year=2016, allocated=250 * MILLION, disbursed=0)
    FundingFactory(task=task, source=FundingSource.OTHER, year=2016, allocated=50 * MILLION, disbursed=0)
    assert kept(task) == {
        "ministry_funding": 1000 * MILLION,
        "province_funding": 250 * MILLION,
        "counterpart_funding": 0,
        "other_funding": 50 * MILLION,
        "total_funding": 1300 * MILLION,
    }


def test_changing_the_amount_or_the_source_of_a_row_sums_again():
    task = TaskFactory()
    row = FundingFactory(task=task, source=FundingSource.MINISTRY, allocated=100 * MILLION, disbursed=0)
    row.allocated = 400 * MILLION
    row.save()
    assert kept(task)["ministry_funding"] == 400 * MILLION
    row.source = FundingSource.COUNTERPART
    row.save()
    assert kept(task) == summed_from_rows(task)
    assert kept(task)["ministry_funding"] == 0
    assert kept(task)["counterpart_funding"] == 400 * MILLION


def test_a_row_moved_to_another_task_leaves_the_first_and_counts_for_the_second():
    first, second = TaskFactory(), TaskFactory()
    row = FundingFactory(task=first, allocated=100 * MILLION, disbursed=0)
    row.task = second
    row.save()
    assert kept(first)["total_funding"] == 0
    assert kept(second)["total_funding"] == 100 * MILLION


def test_deleting_a_row_one_by_one_or_in_bulk_takes_it_out_of_the_sums():
    task, other = TaskFactory(), TaskFactory()
    rows = [FundingFactory(task=task, allocated=100 * MILLION, disbursed=0) for _ in range(3)]
    FundingFactory(task=other, allocated=100 * MILLION, disbursed=0)
    rows[0].delete()
    assert kept(task)["total_funding"] == 200 * MILLION
    Funding.objects.filter(task__in=[task, other]).delete()
    assert kept(task)["total_funding"] == kept(other)["total_funding"] == 0


def test_writing_only_the_amount_disbursed_leaves_the_sums_without_a_query_for_them(django_assert_num_queries):
    row = FundingFactory(allocated=100 * MILLION, disbursed=0)
    row.disbursed = 60 * MILLION
    # The UPDATE of the row and its history row; no sums read or written.
    with django_assert_num_queries(2):
        row.save(update_fields=["disbursed"])
    assert kept(row.task)["total_funding"] == 100 * MILLION


def test_saving_a_task_read_before_its_funding_changed_keeps_the_new_sums():
    task = TaskFactory()
    stale = Task.objects.get(pk=task.pk)
    FundingFactory(task=task, allocated=100 * MILLION, disbursed=0)
    stale.title = "Tên mới của nhiệm vụ"
    stale.save()
    assert kept(task)["total_funding"] == 100 * MILLION
    assert Task.objects.get(pk=task.pk).title == "Tên mới của nhiệm vụ"


def test_a_funding_change_adds_no_line_to_the_tasks_history():
    task = TaskFactory()
    lines = task.history.count()
    FundingFactory(task=task, allocated=100 * MILLION, disbursed=0)
    assert task.history.count() == lines


def test_the_command_repairs_sums_after_rows_were_written_in_bulk(capsys):
    task = TaskFactory()
    Funding.objects.bulk_create(
        [Funding(task=task, source=FundingSource.PROVINCE, year=year, allocated=10 * MILLION) for year in (2016, 2017)]
    )
    assert kept(task)["total_funding"] == 0  # bulk_create goes around the model
    call_command("refresh_funding_sums")
    assert kept(task) == summed_from_rows(task)
    assert kept(task)["province_funding"] == 20 * MILLION
    assert "1 tasks" in capsys.readouterr().out


def test_rows_added_and_deleted_in_the_admins_task_page_are_summed(admin_client):
    task = FundingFactory(allocated=100 * MILLION, disbursed=0).task
    existing = task.fundings.get()
    page = admin_client.get(reverse("admin:tasks_task_change", args=[task.pk]))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data.update(
        {
            "start_on": task.start_on.isoformat(),
            "end_on": task.end_on.isoformat(),
            "fundings-TOTAL_FORMS": "2",
            "fundings-INITIAL_FORMS": "1",
            "fundings-0-id": existing.pk,
            "fundings-0-task": task.pk,
            "fundings-0-year": existing.year,
            "fundings-0-source": existing.source,
            "fundings-0-allocated": existing.allocated,
            "fundings-0-disbursed": existing.disbursed,
            "fundings-0-DELETE": "on",
            "fundings-1-task": task.pk,
            "fundings-1-year": "2017",
            "fundings-1-source": FundingSource.PROVINCE,
            "fundings-1-allocated": "250000000",
            "fundings-1-disbursed": "0",
            "progress_reports-TOTAL_FORMS": "0",
            "progress_reports-INITIAL_FORMS": "0",
            "outputs-TOTAL_FORMS": "0",
            "outputs-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(reverse("admin:tasks_task_change", args=[task.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert kept(task) == {
        **dict.fromkeys(FUNDING_SUMS, Decimal(0)),
        "province_funding": 250 * MILLION,
        "total_funding": 250 * MILLION,
    }


def test_delete_selected_in_the_admins_funding_list_takes_the_rows_out(admin_client):
    task = TaskFactory()
    rows = [FundingFactory(task=task, allocated=100 * MILLION, disbursed=0) for _ in range(2)]
    response = admin_client.post(
        reverse("admin:tasks_funding_changelist"),
        {"action": "delete_selected", "_selected_action": [rows[0].pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert kept(task)["total_funding"] == 100 * MILLION


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_sums_the_funding_already_recorded():
    executor = MigrationExecutor(connection)
    executor.migrate([("tasks", "0004_list_order_indexes")])
    old_apps = executor.loader.project_state([("tasks", "0004_list_order_indexes")]).apps
    # The task and its funding as the application before the migration wrote them.
    task = old_apps.get_model("tasks", "Task").objects.create(
        programme_id=ProgrammeFactory().pk,
        code="NV-01",
        title="Ứng dụng tiến bộ kỹ thuật",
        field="agriculture",
        level="ministry",
        lead_agency_id=AgencyFactory().pk,
        start_on=datetime.date(2016, 1, 1),
        end_on=datetime.date(2017, 12, 31),
    )
    OldFunding = old_apps.get_model("tasks", "Funding")
    OldFunding.objects.create(task_id=task.pk, source="ministry", year=2016, allocated=300 * MILLION, disbursed=0)
    OldFunding.objects.create(task_id=task.pk, source="counterpart", year=2017, allocated=200 * MILLION, disbursed=0)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert kept(task) == {
        **dict.fromkeys(FUNDING_SUMS, Decimal(0)),
        "ministry_funding": 300 * MILLION,
        "counterpart_funding": 200 * MILLION,
        "total_funding": 500 * MILLION,
    }
