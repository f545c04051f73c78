"""The rules on a task's acceptance record and percent complete, as constraints, once the rows hold them; and
the role groups again, for the new permission `tasks.accept_task` (Ministry staff, administrators)."""

from django.db import migrations, models

from coop.roles import sync_role_groups


def sync_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0008_task_acceptance_record"),
        ("coop", "0002_role_groups"),
        ("reports", "0003_role_groups_report_requests"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="task",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ("accepted", "completed")), _negated=True),
                    ("accepted_on__isnull", False),
                    _connector="OR",
                ),
                name="task_accepted_has_acceptance_record",
                violation_error_message="An accepted or completed task needs its acceptance record: the date and number of the acceptance minutes or decision.",
            ),
        ),
        migrations.AddConstraint(
            model_name="task",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ("accepted", "completed")),
                    models.Q(
                        ("acceptance_backfilled", False), ("acceptance_decision", ""), ("accepted_on__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="task_acceptance_record_only_when_accepted",
                violation_error_message="Only an accepted or completed task has an acceptance record.",
            ),
        ),
        migrations.AddConstraint(
            model_name="task",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("accepted_on__isnull", True),
                    models.Q(("acceptance_decision", ""), _negated=True),
                    ("acceptance_backfilled", True),
                    _connector="OR",
                ),
                name="task_acceptance_record_has_number",
                violation_error_message="Enter the number of the acceptance minutes or decision.",
            ),
        ),
        migrations.AddConstraint(
            model_name="task",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("accepted_on__isnull", True), ("accepted_on__gte", models.F("start_on")), _connector="OR"
                ),
                name="task_accepted_not_before_start",
                violation_error_message="A task cannot be accepted before it started.",
            ),
        ),
        migrations.AddConstraint(
            model_name="task",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ("accepted", "completed")), _negated=True),
                    ("percent_complete", 100),
                    _connector="OR",
                ),
                name="task_accepted_is_complete",
                violation_error_message="An accepted or completed task is complete: 100 percent.",
            ),
        ),
        # Groups are left as they are on reverse: the permission goes with the model's options.
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
