"""Sum every task's funding rows again onto the task, after funding was written around the application."""

from django.core.management.base import BaseCommand
from django.db import transaction

from tasks.models import Task


class Command(BaseCommand):
    help = (
        "Recompute the funding sums each task keeps (Ministry, province, counterpart, other, total) from its "
        "funding rows. Needed only after funding rows were written outside the application (SQL, bulk imports)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = Task.objects.all().refresh_funding_sums()
        self.stdout.write(self.style.SUCCESS(f"Funding sums recomputed for {count:,} tasks."))
