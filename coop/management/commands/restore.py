"""`python manage.py restore FILE`: a backup into an empty database and MEDIA_ROOT, checked."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coop.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into the database of DATABASE_URL, which must be empty "
        "(PostgreSQL: newly created; SQLite: a new file), and into MEDIA_ROOT, then check that the "
        "restored figures are those of the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)

    def handle(self, *args, backup: Path, **options):
        if not backup.is_file():
            raise CommandError(f"No backup file at {backup}.")
        try:
            result = restore_backup(backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tasks = result.figures["rows:tasks.Task"]
        self.stdout.write(
            self.style.SUCCESS(f"Restored {backup}: {tasks} tasks, {result.files} files; the figures match the backup.")
        )
