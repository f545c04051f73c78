"""Places of implementation ("địa bàn thực hiện") of tasks, and a first place for every existing task.

Each existing task gets one place, without a commune:
- the province of its lead agency, when the lead agency has one;
- otherwise (a central lead agency: a Hà Nội institute, a unit of the Ministry, with no province
  recorded), the province of its programme's province-side party (the first such party with a
  province, by its row), when the programme has one;
- otherwise none (a national programme's own task led by a central agency): someone records it.

`Task.location`, the free text written so far ("huyện Vũ Thư, tỉnh Thái Bình"), is kept as it is,
as a note beside the places: it mixes districts, provinces and nothing at all, and no rule reads it
into provinces and communes without guessing. Going back removes the places with their table.

The administrators' group gains the permissions of places (it holds every permission of the
project's apps, `coop.roles.sync_role_groups`); the other roles read places through the pages of
tasks, which need no model permission, and edit no task.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from coop.roles import sync_role_groups


BATCH_SIZE = 5000


def province_side_provinces(ProgrammeParty) -> dict[int, int]:
    """Programme → the province of its first province-side party that has one."""
    provinces = {}
    parties = (
        ProgrammeParty.objects.filter(role="province_side", agency__province__isnull=False)
        .order_by("programme_id", "pk")
        .values_list("programme_id", "agency__province_id")
    )
    for programme_id, province_id in parties:
        provinces.setdefault(programme_id, province_id)
    return provinces


def give_existing_tasks_a_place(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    TaskPlace = apps.get_model("tasks", "TaskPlace")
    by_programme = province_side_provinces(apps.get_model("programmes", "ProgrammeParty"))
    tasks = Task.objects.filter(places__isnull=True).order_by("pk")
    rows = []
    for task_id, programme_id, lead_province_id in tasks.values_list(
        "pk", "programme_id", "lead_agency__province_id"
    ).iterator(chunk_size=BATCH_SIZE):
        province_id = lead_province_id or by_programme.get(programme_id)
        if province_id is not None:
            rows.append(TaskPlace(task_id=task_id, province_id=province_id))
        if len(rows) >= BATCH_SIZE:
            TaskPlace.objects.bulk_create(rows)
            rows = []
    TaskPlace.objects.bulk_create(rows)


def sync_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coop", "0002_role_groups"),
        ("programmes", "0005_attachment_original_name"),
        ("tasks", "0009_task_acceptance_constraints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicaltask",
            name="location",
            field=models.CharField(
                blank=True,
                help_text="A note in words; the provinces where the task is carried out are its places of implementation.",
                max_length=255,
                verbose_name="location",
            ),
        ),
        migrations.AlterField(
            model_name="task",
            name="location",
            field=models.CharField(
                blank=True,
                help_text="A note in words; the provinces where the task is carried out are its places of implementation.",
                max_length=255,
                verbose_name="location",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalTaskPlace",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "commune",
                    models.CharField(
                        blank=True,
                        help_text="Optional: the commune(s) or ward(s) of the province where the task is carried out.",
                        max_length=255,
                        verbose_name="commune or ward",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "province",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="programmes.province",
                        verbose_name="province",
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="tasks.task",
                        verbose_name="task",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical place of implementation",
                "verbose_name_plural": "historical places of implementation",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="TaskPlace",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "commune",
                    models.CharField(
                        blank=True,
                        help_text="Optional: the commune(s) or ward(s) of the province where the task is carried out.",
                        max_length=255,
                        verbose_name="commune or ward",
                    ),
                ),
                (
                    "province",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="task_places",
                        to="programmes.province",
                        verbose_name="province",
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="places",
                        to="tasks.task",
                        verbose_name="task",
                    ),
                ),
            ],
            options={
                "verbose_name": "place of implementation",
                "verbose_name_plural": "places of implementation",
                "ordering": ["task", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("task", "province"),
                        name="task_place_unique_province",
                        violation_error_message="The task already has this province as a place of implementation.",
                    )
                ],
            },
        ),
        migrations.RunPython(give_existing_tasks_a_place, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
