from django.db import migrations

from coop.migration_operations import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0001_initial"),
        ("programmes", "0002_search_text_trigram"),  # creates the pg_trgm extension
    ]

    operations = [
        TrigramIndex("task"),
        TrigramIndex("output"),
    ]
