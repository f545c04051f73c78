"""The four roles of the application as Django groups with their model permissions."""

from django.db import migrations

from coop.roles import sync_role_groups


def create_role_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("coop", "0001_initial"),
        ("programmes", "0003_history_and_versions"),
        ("tasks", "0003_history_and_versions"),
        ("reports", "0001_initial"),
    ]

    operations = [
        # Groups are left in place on reverse: users may already belong to them.
        migrations.RunPython(create_role_groups, migrations.RunPython.noop),
    ]
