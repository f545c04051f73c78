"""Ministry staff draft review documents and submit them for signature; leadership signs and issues them."""

from django.db import migrations

from coop.roles import sync_role_groups


def sync_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coop", "0004_user_person"),
        ("reports", "0004_review_documents"),
    ]

    operations = [
        # Groups are left as they are on reverse: the permissions go with the reports migration.
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
