from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from coop.migration_operations import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        TrigramIndex("programme"),
        TrigramIndex("agency"),
        TrigramIndex("person"),
        TrigramIndex("meeting"),
    ]
