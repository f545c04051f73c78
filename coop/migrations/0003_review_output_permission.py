"""Ministry staff verify or return outputs: their group gets `tasks.review_output`."""

from django.db import migrations

from coop.roles import sync_role_groups


def sync_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coop", "0002_role_groups"),
        ("tasks", "0007_output_review_and_units"),
    ]

    operations = [
        # Groups are left as they are on reverse: the permission goes with the tasks migration.
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
