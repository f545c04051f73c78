"""Acceptance records of tasks ("nghiệm thu"), and the existing rows brought in line with the rules on statuses.

The rules (docs/decisions.md, "Statuses that agree with each other"): an accepted or completed task has an
acceptance record and is 100% complete; any other task's percent complete is that of its latest approved
progress report, 0 without one; a programme cannot be closed while any of its tasks is open.

What this migration does to the rows that were there before:
- an accepted or completed task gets an acceptance record dated its end date, flagged
  `acceptance_backfilled` (its number is to be entered), and 100%;
- any other task takes the percent of its latest approved report (0 without one); the tasks changed are
  listed;
- a closed programme with open tasks is listed, and left as it is: nobody can say from the rows whether the
  programme or its tasks are wrong. Its page says how many tasks are not finished, and saving it again is
  refused until they are settled.
The constraints come in the next migration, once the rows hold them (PostgreSQL refuses to alter a table
with updates pending in the same transaction).
"""



import django.core.validators
from django.db import migrations, models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce


ACCEPTED = ("accepted", "completed")
OPEN = ("proposed", "approved", "in_progress", "suspended")


def bring_rows_in_line(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    ProgressReport = apps.get_model("tasks", "ProgressReport")
    Programme = apps.get_model("programmes", "Programme")

    backfilled = Task.objects.filter(status__in=ACCEPTED, accepted_on__isnull=True).update(
        accepted_on=F("end_on"), acceptance_backfilled=True
    )
    Task.objects.filter(status__in=ACCEPTED).exclude(percent_complete=100).update(percent_complete=100)

    latest_approved = (
        ProgressReport.objects.filter(task=OuterRef("pk"), status="approved")
        .order_by("-as_of", "-pk")
        .values("percent_complete")[:1]
    )
    from_reports = Coalesce(Subquery(latest_approved), Value(0))
    unsourced = (
        Task.objects.exclude(status__in=ACCEPTED)
        .annotate(from_reports=from_reports)
        .exclude(percent_complete=F("from_reports"))
        .order_by("code", "pk")
    )
    changed = list(unsourced.values_list("pk", "code", "percent_complete", "from_reports"))
    Task.objects.filter(pk__in=[pk for pk, *_rest in changed]).update(percent_complete=from_reports)

    closed_with_open_tasks = list(
        Programme.objects.filter(status="completed")
        .annotate(open_tasks=Count("tasks", filter=Q(tasks__status__in=OPEN)))
        .filter(open_tasks__gt=0)
        .order_by("code")
        .values_list("code", "open_tasks")
    )
    report = []
    if backfilled:
        report.append(f"{backfilled} accepted or completed task(s) given an acceptance record dated their end date.")
    for _pk, code, before, after in changed:
        report.append(f"Task {code}: percent complete {before} -> {after} (its latest approved progress report).")
    for code, count in closed_with_open_tasks:
        report.append(f"Programme {code} is closed with {count} open task(s): settle them, or reopen it.")
    if report:
        print("\n  " + "\n  ".join(report))


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0005_attachment_original_name'),
        ('tasks', '0007_output_review_and_units'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="task",
            options={
                "ordering": ["programme", "code", "pk"],
                "permissions": [("accept_task", "Can record the acceptance of a task")],
                "verbose_name": "S&T task",
                "verbose_name_plural": "S&T tasks",
            },
        ),
        migrations.AddField(
            model_name='historicaltask',
            name='acceptance_backfilled',
            field=models.BooleanField(default=False, help_text='The task was already accepted or completed when acceptance records were introduced: the date is its end date and the number is still to be entered.', verbose_name='acceptance recorded by the data migration'),
        ),
        migrations.AddField(
            model_name='historicaltask',
            name='acceptance_decision',
            field=models.CharField(blank=True, help_text='Number of the acceptance minutes or decision, e.g. 15/QĐ-SKHCN.', max_length=100, verbose_name='acceptance record number'),
        ),
        migrations.AddField(
            model_name='historicaltask',
            name='accepted_on',
            field=models.DateField(blank=True, help_text='Date of the acceptance record (nghiệm thu).', null=True, verbose_name='accepted on'),
        ),
        migrations.AddField(
            model_name='task',
            name='acceptance_backfilled',
            field=models.BooleanField(default=False, help_text='The task was already accepted or completed when acceptance records were introduced: the date is its end date and the number is still to be entered.', verbose_name='acceptance recorded by the data migration'),
        ),
        migrations.AddField(
            model_name='task',
            name='acceptance_decision',
            field=models.CharField(blank=True, help_text='Number of the acceptance minutes or decision, e.g. 15/QĐ-SKHCN.', max_length=100, verbose_name='acceptance record number'),
        ),
        migrations.AddField(
            model_name='task',
            name='accepted_on',
            field=models.DateField(blank=True, help_text='Date of the acceptance record (nghiệm thu).', null=True, verbose_name='accepted on'),
        ),
        migrations.AlterField(
            model_name='historicaltask',
            name='percent_complete',
            field=models.PositiveSmallIntegerField(default=0, help_text='From the latest approved progress report, or 100 once the task is accepted.', validators=[django.core.validators.MinValueValidator(0, message='Percent complete must be between 0 and 100.'), django.core.validators.MaxValueValidator(100, message='Percent complete must be between 0 and 100.')], verbose_name='percent complete'),
        ),
        migrations.AlterField(
            model_name='task',
            name='percent_complete',
            field=models.PositiveSmallIntegerField(default=0, help_text='From the latest approved progress report, or 100 once the task is accepted.', validators=[django.core.validators.MinValueValidator(0, message='Percent complete must be between 0 and 100.'), django.core.validators.MaxValueValidator(100, message='Percent complete must be between 0 and 100.')], verbose_name='percent complete'),
        ),
        migrations.RunPython(bring_rows_in_line, migrations.RunPython.noop),
    ]
