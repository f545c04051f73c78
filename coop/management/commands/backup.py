"""`python manage.py backup [--output FILE]`: the database and the uploaded files, in one tar."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coop.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or dumpdata on SQLite) and MEDIA_ROOT into one tar file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write (default: backups/coop-<date>-<time>.tar in the project folder).",
        )

    def handle(self, *args, output: Path | None, **options):
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        output = output or Path(settings.BASE_DIR) / "backups" / f"coop-{stamp}.tar"
        try:
            manifest = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tasks = manifest["figures"]["rows:tasks.Task"]
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {manifest['database']} database ({tasks} tasks), {manifest['media_files']} files."
            )
        )
