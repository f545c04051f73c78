"""tasks/migrations/0006: the cumulative figures of the reports recorded before become figures per funding row.

The migration's function runs on the models as they stand at that migration (the executor's app
registry), over reports written as they were before it: a cumulative figure and no rows.
"""

import importlib
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tasks.choices import FundingSource, ReportStatus
from tasks.models import Funding, ProgressDisbursement
from tests.factories import FundingFactory, ProgressReportFactory, TaskFactory, UserFactory
from tests.helpers import vietnamese

pytestmark = pytest.mark.django_db

MIGRATION = "0006_progress_disbursement"
migration = importlib.import_module(f"tasks.migrations.{MIGRATION}")
MILLION = Decimal(10**6)


def run_migration() -> None:
    apps = MigrationExecutor(connection).loader.project_state(("tasks", MIGRATION)).apps
    migration.spread_reported_disbursements(apps, schema_editor=None)


@pytest.fixture
def tb_2012_28():
    """The issue's task: 1.500 million a year from the Ministry and 400 from the province in 2019 and 2020, with
    600 and 160 million of 2020 paid, and an approved report of 2.660 million in all recorded before."""
    task = TaskFactory(code="TB-2012-28")
    rows = {}
    for source, year, allocated, disbursed in (
        (FundingSource.PROVINCE, 2020, 400, 160),  # created first: the rule goes by year, not by creation
        (FundingSource.MINISTRY, 2019, 1500, 1500),
        (FundingSource.PROVINCE, 2019, 400, 400),
        (FundingSource.MINISTRY, 2020, 1500, 600),
    ):
        rows[source, year] = FundingFactory(
            task=task, source=source, year=year, allocated=allocated * MILLION, disbursed=disbursed * MILLION
        )
    report = ProgressReportFactory(
        task=task,
        status=ReportStatus.APPROVED,
        submitted_by=UserFactory(),
        reviewed_by=UserFactory(),
        reviewed_at="2020-06-08T09:00+07:00",
        disbursed_to_date=2660 * MILLION,
    )
    return task, rows, report


def test_each_report_gets_its_figure_split_oldest_year_first_and_the_funding_rows_stay_as_they_are(tb_2012_28):
    task, rows, report = tb_2012_28
    before = dict(Funding.objects.filter(task=task).values_list("pk", "disbursed"))
    run_migration()
    given = {
        (item.funding.source, item.funding.year): item.disbursed_to_date
        for item in ProgressDisbursement.objects.filter(report=report).select_related("funding")
    }
    assert given == {
        (FundingSource.MINISTRY, 2019): 1500 * MILLION,
        (FundingSource.PROVINCE, 2019): 400 * MILLION,
        (FundingSource.MINISTRY, 2020): 760 * MILLION,
        (FundingSource.PROVINCE, 2020): 0 * MILLION,
    }
    assert dict(Funding.objects.filter(task=task).values_list("pk", "disbursed")) == before
    assert Funding.objects.get(pk=rows[FundingSource.PROVINCE, 2020].pk).disbursed == 160 * MILLION
    report.refresh_from_db()
    assert report.disbursed_to_date == 2660 * MILLION


def test_the_history_of_each_figure_says_it_was_spread_by_the_former_rule(tb_2012_28):
    _task, _rows, report = tb_2012_28
    run_migration()
    records = ProgressDisbursement.history.filter(report_id=report.pk)
    assert records.count() == 4
    reason = vietnamese(migration.SPREAD_REASON)
    assert len(reason) <= 100
    assert {(record.history_type, record.history_change_reason) for record in records} == {("+", reason)}
    assert set(records.values_list("id", flat=True)) == set(
        ProgressDisbursement.objects.filter(report=report).values_list("pk", flat=True)
    )


def test_reports_without_a_figure_or_without_funding_rows_get_no_figures_per_row():
    ProgressReportFactory(task=FundingFactory().task, disbursed_to_date=None)
    without_rows = ProgressReportFactory(disbursed_to_date=300 * MILLION)
    run_migration()
    assert not ProgressDisbursement.objects.exists()
    without_rows.refresh_from_db()
    assert without_rows.disbursed_to_date == 300 * MILLION


def test_every_report_of_a_task_is_split_on_its_own(tb_2012_28):
    task, _rows, _report = tb_2012_28
    earlier = ProgressReportFactory(task=task, disbursed_to_date=1700 * MILLION)
    run_migration()
    assert sorted(ProgressDisbursement.objects.filter(report=earlier).values_list("disbursed_to_date", flat=True)) == [
        0,
        0,
        200 * MILLION,
        1500 * MILLION,
    ]
