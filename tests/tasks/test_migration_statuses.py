"""The data migration of acceptance records (tasks/migrations/0008_task_acceptance_record.py) on rows written
under the schema before it: finished tasks get a record flagged as the migration's, every other task takes
the percent of its latest approved report, and a closed programme with open tasks is reported, not changed.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from programmes.models import Programme
from tasks.models import Task

BEFORE = [("tasks", "0007_output_review_and_units")]
AFTER = [("tasks", "0009_task_acceptance_constraints")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_brought_in_line_with_the_rules(capsys):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    agency = old.get_model("programmes", "Agency").objects.create(name="Sở KH&CN", kind="department")
    programme_model = old.get_model("programmes", "Programme")
    closed = programme_model.objects.create(
        code="CT-1", title="Đã kết thúc", start_year=2012, end_year=2015, status="completed"
    )
    reviewer = old.get_model("coop", "User").objects.create(username="bo.migration")

    def task(code, status, percent, programme=closed):
        return old.get_model("tasks", "Task").objects.create(
            programme=programme,
            code=code,
            title=code,
            field="agriculture",
            level="ministry",
            lead_agency=agency,
            start_on=datetime.date(2013, 1, 1),
            end_on=datetime.date(2015, 6, 30),
            status=status,
            percent_complete=percent,
        )

    finished = task("NV-1", "completed", 80)
    typed = task("NV-2", "in_progress", 90)  # typed in the admin: no approved report says so
    reported = task("NV-3", "cancelled", 10)
    old.get_model("tasks", "ProgressReport").objects.create(
        task=reported,
        as_of=datetime.date(2014, 6, 30),
        percent_complete=35,
        summary="Đã làm",
        status="approved",
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    finished = Task.objects.get(pk=finished.pk)
    assert (finished.accepted_on, finished.acceptance_backfilled, finished.percent_complete) == (
        datetime.date(2015, 6, 30),
        True,
        100,
    )
    assert Task.objects.get(pk=typed.pk).percent_complete == 0
    assert Task.objects.get(pk=reported.pk).percent_complete == 35
    printed = capsys.readouterr().out
    assert "Task NV-2: percent complete 90 -> 0" in printed
    assert "Programme CT-1 is closed with 1 open task(s)" in printed
    # Reported, not changed: its page counts the task, and closing it again is refused.
    assert Programme.objects.get(pk=closed.pk).status == "completed"
