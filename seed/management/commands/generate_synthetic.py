"""Generate a synthetic data set of national size (or a small one for tests), for benchmarks and load tests."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from seed.synthetic import SCALES, existing_data, generate_synthetic


class Command(BaseCommand):
    help = (
        "Write a synthetic data set: --scale national (1,000 programmes, 50,000 tasks, about 900,000 rows in "
        "all) or --scale small (about 1/50, for tests). Programme codes start with SYN- and usernames with "
        "syn. The command refuses to run into a database that already holds programmes or tasks unless "
        "--force is given (the demo, for instance, may stay), and always refuses a second synthetic set: "
        "generate into a fresh database instead (dropdb, createdb, migrate)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small", help="How large a set (default small).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same rows (default 1).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write even though the database holds other programmes or tasks (e.g. the demo).",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing, successfully, when a synthetic set is already there (for scripts such as make bench).",
        )

    def handle(self, *args, scale, seed, force, if_missing, **options):
        synthetic, other = existing_data()
        if synthetic:
            if if_missing:
                self.stdout.write(f"A synthetic data set is already there ({synthetic} programmes): nothing to do.")
                return
            raise CommandError(
                f"This database already holds a synthetic data set ({synthetic} programmes coded SYN-…). "
                "Generate into a fresh database instead: dropdb, createdb, manage.py migrate."
            )
        if other and not force:
            raise CommandError(
                f"This database already holds {other} programmes and tasks. Use a fresh database, or pass "
                "--force to add the synthetic set beside them."
            )
        self.started = time.monotonic()
        self.table_started = self.started
        self.interactive = getattr(self.stdout, "isatty", lambda: False)() or sys.stdout.isatty()
        counts = generate_synthetic(scale=SCALES[scale], seed=seed, progress=self.progress)
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"{total:,} rows written in {time.monotonic() - self.started:.0f} s (seed {seed}).")
        )

    def progress(self, table: str, done: int, expected: int, finished: bool) -> None:
        """One line per table, rewritten in place on a terminal; only the final figures otherwise."""
        elapsed = time.monotonic() - self.table_started
        line = f"{table:<32} {done:>9,} rows of ~{expected:,}  {elapsed:6.1f} s"
        if finished:
            self.stdout.write(("\r" if self.interactive else "") + line)
            self.table_started = time.monotonic()
        elif self.interactive:
            self.stdout.write("\r" + line, ending="")
            self.stdout.flush()
