"""The administrators' group gains the permissions of report requests (reports 0002)."""

from django.db import migrations

from coop.roles import sync_role_groups


def sync_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coop", "0002_role_groups"),
        ("reports", "0002_report_request"),
    ]

    operations = [
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
