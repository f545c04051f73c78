"""Administrators hold the permissions of API keys too (they may revoke any user's key in the admin)."""

from django.db import migrations

from coop.roles import sync_role_groups


def sync_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coop", "0010_api_token"),
    ]

    operations = [
        # Groups are left as they are on reverse: the permissions go with the API keys' table.
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
