"""Ministry staff keep the programmes' reporting schedules; every role reads them."""

from django.db import migrations

from coop.roles import sync_role_groups


def sync_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coop", "0006_notifications"),
        ("programmes", "0009_reporting_schedule"),
    ]

    operations = [
        # Groups are left as they are on reverse: the permissions go with the programmes migration.
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
