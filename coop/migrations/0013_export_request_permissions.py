"""Administrators hold the permissions of export requests too (they follow failed exports in the admin)."""

from django.db import migrations

from coop.roles import sync_role_groups


def sync_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coop", "0012_export_request"),
    ]

    operations = [
        # Groups are left as they are on reverse: the permissions go with the export requests' table.
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
