"""`manage.py export_open_data`: the bulk download of the published programmes' data (`opendata.dump`)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from opendata.services import DUMPS_KEPT, open_data_dump_create


class Command(BaseCommand):
    help = (
        "Write one zip of the published programmes and what belongs to them (parties, targets, agencies, tasks, "
        "funding, places, verified outputs, meetings, recommendations), a CSV and a JSON Lines file each with a "
        "Frictionless datapackage.json, under MEDIA_ROOT/open-data/, list it at /open-data/ and delete all but "
        "the newest downloads. Run it from cron, e.g. nightly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            type=int,
            default=DUMPS_KEPT,
            help=f"How many downloads to keep, the new one included (default {DUMPS_KEPT}).",
        )

    def handle(self, *args, keep, **options):
        if keep < 1:
            raise CommandError("--keep must be at least 1: the new download is kept.")
        started = time.monotonic()
        dump = open_data_dump_create(keep=keep)
        rows = ", ".join(f"{name} {count}" for name, count in dump.row_counts.items())
        self.stdout.write(
            f"{dump.file.name}: {filesizeformat(dump.size)}, SHA-256 {dump.sha256}, "
            f"{time.monotonic() - started:.1f} s\n{rows}"
        )
