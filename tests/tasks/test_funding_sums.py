"""The funding sums a task keeps (Task.ministry_funding … total_funding) follow its funding rows on every path
the application writes them: the services of tasks/services.py, and the admin, which goes through them."""

import datetime
import io
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from seed.demo_data import TASK_PLANS
from tasks import services
from tasks.choices import FundingSource, ReportStatus
from tasks.models import FUNDING_SUMS, Funding, Task
from tests.factories import (
    AgencyFactory,
    FundingFactory,
    ProgrammeFactory,
    ProgressReportFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MILLION = Decimal(1_000_000)
NOTHING = dict.fromkeys(FUNDING_SUMS, Decimal(0))


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


def new_row(task: Task, source=FundingSource.MINISTRY, year=2016, allocated=100 * MILLION) -> Funding:
    return Funding(task=task, source=source, year=year, allocated=allocated, disbursed=Decimal(0))


def test_every_funding_source_has_its_kept_sum():
    assert {source for source in FUNDING_SUMS.values() if source is not None} == set(FundingSource.values)


def test_a_new_task_keeps_zero_for_every_sum():
    task = TaskFactory()
    assert kept(task) == NOTHING


# The services


def test_adding_rows_sums_them_by_source_and_in_all():
    task = TaskFactory()
    services.funding_save(funding=new_row(task, FundingSource.MINISTRY, 2016, 700 * MILLION))
    services.funding_save(funding=new_row(task, FundingSource.MINISTRY, 2017, 300 * MILLION))
    services.funding_save(funding=new_row(task, FundingSource.PROVINCE, 2016, 250 * MILLION))
    services.funding_save(funding=new_row(task, FundingSource.OTHER, 2016, 50 * MILLION))
    assert kept(task) == {
        "ministry_funding": 1000 * MILLION,
        "province_funding": 250 * MILLION,
        "counterpart_funding": 0,
        "other_funding": 50 * MILLION,
        "total_funding": 1300 * MILLION,
    }


def test_changing_the_amount_or_the_source_of_a_row_sums_again():
    task = TaskFactory()
    row = services.funding_save(funding=new_row(task, FundingSource.MINISTRY))
    row.allocated = 400 * MILLION
    services.funding_save(funding=row)
    assert kept(task)["ministry_funding"] == 400 * MILLION
    row.source = FundingSource.COUNTERPART
    services.funding_save(funding=row)
    assert kept(task) == summed_from_rows(task)
    assert kept(task)["ministry_funding"] == 0
    assert kept(task)["counterpart_funding"] == 400 * MILLION


def test_a_row_moved_to_another_task_leaves_the_first_and_counts_for_the_second():
    first, second = TaskFactory(), TaskFactory()
    row = services.funding_save(funding=new_row(first))
    row.task = second
    services.funding_save(funding=row)
    assert kept(first)["total_funding"] == 0
    assert kept(second)["total_funding"] == 100 * MILLION


def test_deleting_a_row_one_by_one_or_in_bulk_takes_it_out_of_the_sums():
    task, other = TaskFactory(), TaskFactory()
    rows = [services.funding_save(funding=new_row(task, year=year)) for year in (2016, 2017, 2018)]
    services.funding_save(funding=new_row(other))
    services.funding_delete(funding=rows[0])
    assert kept(task)["total_funding"] == 200 * MILLION
    assert services.funding_delete_many(fundings=Funding.objects.filter(task__in=[task, other])) == 3
    assert kept(task) == kept(other) == NOTHING


def test_rows_saved_and_deleted_together_are_summed_once_written():
    task = TaskFactory()
    gone = services.funding_save(funding=new_row(task, FundingSource.MINISTRY, 2016))
    changed = services.funding_save(funding=new_row(task, FundingSource.PROVINCE, 2016))
    changed.allocated = 30 * MILLION
    # The new row takes the source and year of the deleted one: deleting comes first.
    services.funding_save_many(
        saved=[changed, new_row(task, FundingSource.MINISTRY, 2016, 5 * MILLION)],
        deleted=[gone],
    )
    assert kept(task) == {
        **NOTHING,
        "ministry_funding": 5 * MILLION,
        "province_funding": 30 * MILLION,
        "total_funding": 35 * MILLION,
    }


def test_a_row_the_rules_refuse_changes_neither_the_rows_nor_the_sums():
    task = TaskFactory()
    row = services.funding_save(funding=new_row(task))
    row.allocated = 50 * MILLION
    row.disbursed = 60 * MILLION  # more than allocated
    with pytest.raises(ValidationError):
        services.funding_save(funding=row)
    assert Funding.objects.get(pk=row.pk).allocated == 100 * MILLION
    assert kept(task)["total_funding"] == 100 * MILLION


def test_approving_a_report_copies_its_figures_per_row_and_leaves_the_sums_right():
    task = TaskFactory()
    ministry = FundingFactory(task=task, source=FundingSource.MINISTRY, year=2016, allocated=100 * MILLION, disbursed=0)
    province = FundingFactory(task=task, source=FundingSource.PROVINCE, year=2017, allocated=50 * MILLION, disbursed=0)
    report = ProgressReportFactory(
        task=task,
        status=ReportStatus.SUBMITTED,
        submitted_by=UserFactory(),
        submitted_at=timezone.now(),
        disbursements={ministry: 70 * MILLION, province: 50 * MILLION},
    )
    services.progress_report_approve(report=report, reviewer=UserFactory())
    assert dict(Funding.objects.filter(task=task).values_list("source", "disbursed")) == {
        FundingSource.MINISTRY: 70 * MILLION,
        FundingSource.PROVINCE: 50 * MILLION,
    }
    assert kept(task) == summed_from_rows(task)
    assert kept(task)["total_funding"] == 150 * MILLION


def test_the_factory_writes_funding_as_the_application_does():
    row = FundingFactory(source=FundingSource.COUNTERPART, allocated=70 * MILLION, disbursed=0)
    assert kept(row.task) == {**NOTHING, "counterpart_funding": 70 * MILLION, "total_funding": 70 * MILLION}


def test_saving_a_task_read_before_its_funding_changed_keeps_the_new_sums():
    task = TaskFactory()
    stale = Task.objects.get(pk=task.pk)
    services.funding_save(funding=new_row(task))
    stale.title = "Tên mới của nhiệm vụ"
    stale.save()
    assert kept(task)["total_funding"] == 100 * MILLION
    assert Task.objects.get(pk=task.pk).title == "Tên mới của nhiệm vụ"


def test_a_funding_change_adds_no_line_to_the_tasks_history():
    task = TaskFactory()
    lines = task.history.count()
    services.funding_save(funding=new_row(task))
    assert task.history.count() == lines


# Deleting a task


def test_deleting_a_task_deletes_its_funding_and_leaves_the_other_tasks_sums():
    task, other = TaskFactory(), TaskFactory()
    rows = [services.funding_save(funding=new_row(task, year=year)) for year in (2016, 2017)]
    services.funding_save(funding=new_row(other, allocated=40 * MILLION))
    task.delete()
    assert not Funding.objects.filter(pk__in=[row.pk for row in rows]).exists()
    assert set(
        Funding.history.filter(id__in=[row.pk for row in rows], history_type="-").values_list("id", flat=True)
    ) == {row.pk for row in rows}
    assert kept(other) == {**NOTHING, "ministry_funding": 40 * MILLION, "total_funding": 40 * MILLION}
    assert (
        Task.objects.aggregate(total=Sum("total_funding"))["total"]
        == Funding.objects.aggregate(total=Sum("allocated"))["total"]
    )


def test_deleting_a_task_in_the_admin_deletes_its_funding(admin_client):
    task, other = TaskFactory(), TaskFactory()
    services.funding_save(funding=new_row(task))
    services.funding_save(funding=new_row(other, allocated=40 * MILLION))
    response = admin_client.post(reverse("admin:tasks_task_delete", args=[task.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()
    assert not Funding.objects.filter(task_id=task.pk).exists()
    assert kept(other)["total_funding"] == 40 * MILLION


# Writes around the services


def test_a_rows_own_save_and_delete_leave_the_sums_for_the_command_to_repair(capsys):
    task = TaskFactory()
    row = new_row(task)
    row.save()
    Funding.objects.bulk_create([new_row(task, FundingSource.PROVINCE, year) for year in (2016, 2017)])
    assert kept(task) == NOTHING  # neither save() nor bulk_create keeps the sums
    call_command("refresh_funding_sums")
    assert kept(task) == summed_from_rows(task)
    assert kept(task)["total_funding"] == 300 * MILLION
    assert "1 tasks" in capsys.readouterr().out
    row.delete()
    assert kept(task)["total_funding"] == 300 * MILLION
    call_command("refresh_funding_sums")
    assert kept(task)["total_funding"] == 200 * MILLION


def test_the_demo_keeps_the_sums_of_its_funding():
    call_command("load_demo", stdout=io.StringIO())
    tasks = Task.objects.filter(programme__code__in=[plan.programme for plan in TASK_PLANS])
    assert tasks.count() == 35
    for task in tasks:
        assert kept(task) == summed_from_rows(task), task.code
    assert not tasks.filter(total_funding=0).exists()  # every demo task is funded


# The admin


def funding_form(task: Task, source=FundingSource.MINISTRY, year=2016, allocated=100 * MILLION, disbursed=0) -> dict:
    return {"task": task.pk, "source": source, "year": year, "allocated": allocated, "disbursed": disbursed}


def test_a_row_added_changed_and_moved_in_the_funding_admin_is_summed(admin_client):
    first, second = TaskFactory(), TaskFactory()
    response = admin_client.post(reverse("admin:tasks_funding_add"), funding_form(first))
    assert response.status_code == 302
    row = Funding.objects.get(task=first)
    assert kept(first)["ministry_funding"] == 100 * MILLION
    change = reverse("admin:tasks_funding_change", args=[row.pk])
    response = admin_client.post(change, funding_form(first, FundingSource.PROVINCE, allocated=250 * MILLION))
    assert response.status_code == 302
    assert kept(first) == {**NOTHING, "province_funding": 250 * MILLION, "total_funding": 250 * MILLION}
    response = admin_client.post(change, funding_form(second, FundingSource.PROVINCE, allocated=250 * MILLION))
    assert response.status_code == 302
    assert kept(first) == NOTHING
    assert kept(second) == {**NOTHING, "province_funding": 250 * MILLION, "total_funding": 250 * MILLION}
    # The history names who made the change, as for any save in the admin.
    assert Funding.history.filter(id=row.pk).latest("history_id").history_user.is_superuser


def test_a_row_the_funding_admin_refuses_changes_no_sum(admin_client):
    row = FundingFactory(allocated=100 * MILLION, disbursed=0)
    response = admin_client.post(
        reverse("admin:tasks_funding_change", args=[row.pk]),
        funding_form(row.task, allocated=50 * MILLION, disbursed=60 * MILLION),
    )
    assert response.status_code == 200  # the form again, with the message
    assert kept(row.task)["total_funding"] == 100 * MILLION


def test_a_row_deleted_in_the_funding_admin_is_taken_out(admin_client):
    task = TaskFactory()
    rows = [FundingFactory(task=task, year=year, allocated=100 * MILLION, disbursed=0) for year in (2016, 2017)]
    response = admin_client.post(reverse("admin:tasks_funding_delete", args=[rows[0].pk]), {"post": "yes"})
    assert response.status_code == 302
    assert kept(task)["total_funding"] == 100 * MILLION


def test_delete_selected_in_the_admins_funding_list_takes_the_rows_out(admin_client):
    task, other = TaskFactory(), TaskFactory()
    rows = [FundingFactory(task=task, year=year, allocated=100 * MILLION, disbursed=0) for year in (2016, 2017)]
    FundingFactory(task=other, allocated=100 * MILLION, disbursed=0)
    response = admin_client.post(
        reverse("admin:tasks_funding_changelist"),
        {"action": "delete_selected", "_selected_action": [rows[0].pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert kept(task)["total_funding"] == 100 * MILLION
    assert kept(other)["total_funding"] == 100 * MILLION


def test_reverting_a_row_in_the_admins_history_sums_again(admin_client):
    first, second = TaskFactory(), TaskFactory()
    row = services.funding_save(funding=new_row(first))
    original = Funding.history.filter(id=row.pk).earliest("history_id")
    row.task, row.allocated = second, 400 * MILLION
    services.funding_save(funding=row)
    response = admin_client.post(
        reverse("admin:tasks_funding_simple_history", args=[row.pk, original.history_id]),
        funding_form(first),
    )
    assert response.status_code == 302
    assert kept(first)["total_funding"] == 100 * MILLION
    assert kept(second) == NOTHING


def task_change_form(admin_client, task: Task, rows: list[dict]) -> dict:
    """The admin's task page as it came, with `rows` as its funding forms (those with an id exist)."""
    page = admin_client.get(reverse("admin:tasks_task_change", args=[task.pk]))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data.update(
        {
            "start_on": task.start_on.isoformat(),
            "end_on": task.end_on.isoformat(),
            "fundings-TOTAL_FORMS": str(len(rows)),
            "fundings-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
            "places-TOTAL_FORMS": "0",
            "places-INITIAL_FORMS": "0",
            "progress_reports-TOTAL_FORMS": "0",
            "progress_reports-INITIAL_FORMS": "0",
            "outputs-TOTAL_FORMS": "0",
            "outputs-INITIAL_FORMS": "0",
        }
    )
    for index, row in enumerate(rows):
        data.update({f"fundings-{index}-{name}": value for name, value in row.items()})
    return data


def test_rows_added_changed_and_deleted_in_the_admins_task_page_are_summed(admin_client):
    task = TaskFactory()
    deleted = FundingFactory(task=task, source=FundingSource.MINISTRY, year=2016, allocated=100 * MILLION, disbursed=0)
    changed = FundingFactory(task=task, source=FundingSource.OTHER, year=2016, allocated=100 * MILLION, disbursed=0)
    rows = [
        {**funding_form(task, deleted.source, deleted.year, deleted.allocated), "id": deleted.pk, "DELETE": "on"},
        {**funding_form(task, changed.source, changed.year, 10 * MILLION), "id": changed.pk},
        funding_form(task, FundingSource.PROVINCE, 2017, 250 * MILLION),
    ]
    response = admin_client.post(
        reverse("admin:tasks_task_change", args=[task.pk]), task_change_form(admin_client, task, rows)
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert kept(task) == {
        **NOTHING,
        "province_funding": 250 * MILLION,
        "other_funding": 10 * MILLION,
        "total_funding": 260 * MILLION,
    }
    assert not Funding.objects.filter(pk=deleted.pk).exists()


def test_a_task_added_in_the_admin_with_its_funding_keeps_the_sums(admin_client):
    template = TaskFactory()
    data = task_change_form(admin_client, template, [])
    data.update(
        {
            "code": "NV-MOI",
            "fundings-TOTAL_FORMS": "2",
            "fundings-0-year": "2016",
            "fundings-0-source": FundingSource.MINISTRY,
            "fundings-0-allocated": "1500000000",
            "fundings-0-disbursed": "0",
            "fundings-1-year": "2017",
            "fundings-1-source": FundingSource.COUNTERPART,
            "fundings-1-allocated": "500000000",
            "fundings-1-disbursed": "0",
        }
    )
    response = admin_client.post(reverse("admin:tasks_task_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    task = Task.objects.get(code="NV-MOI")
    assert kept(task) == {
        **NOTHING,
        "ministry_funding": 1500 * MILLION,
        "counterpart_funding": 500 * MILLION,
        "total_funding": 2000 * MILLION,
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one transaction at a time")
# Committed for real, so that two connections see each other's rows; serialized like every such test of the
# suite, so that the database is left as the next one expects.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writers_adding_funding_to_one_task_at_once_both_count():
    """The second writer waits for the first (the task is locked) and then sums both rows, not only its own."""
    task = TaskFactory()
    first_saved, first_may_commit = threading.Event(), threading.Event()
    errors = []

    def in_its_own_connection(write):
        def run():
            try:
                write()
            except Exception as error:  # reported by the test, not lost in the thread
                errors.append(error)
            finally:
                connections.close_all()

        return threading.Thread(target=run)

    def first_writer():
        with transaction.atomic():
            services.funding_save(funding=new_row(task, FundingSource.MINISTRY))
            first_saved.set()
            first_may_commit.wait(timeout=10)

    def second_writer():
        first_saved.wait(timeout=10)
        services.funding_save(funding=new_row(task, FundingSource.PROVINCE, allocated=30 * MILLION))

    threads = [in_its_own_connection(first_writer), in_its_own_connection(second_writer)]
    for thread in threads:
        thread.start()
    first_saved.wait(timeout=10)
    time.sleep(0.5)  # the second writer is now waiting for the task
    first_may_commit.set()
    for thread in threads:
        thread.join(timeout=20)
    assert not errors
    assert kept(task) == {
        **NOTHING,
        "ministry_funding": 100 * MILLION,
        "province_funding": 30 * MILLION,
        "total_funding": 130 * MILLION,
    }


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
