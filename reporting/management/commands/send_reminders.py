"""`manage.py send_reminders`: the reminders due today and every pending e-mail. Safe to run as often as one likes."""

import datetime
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send the reminders due today (reports and recommendations due soon or overdue, the weekly digest) and "
        "every e-mail still pending. A reminder is never sent twice; run it every hour or every day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="The day to remind as of, YYYY-MM-DD (default: today in Hà Nội). For catching up and for tests.",
        )

    def handle(self, *args, today=None, **options):
        if isinstance(today, str):  # given to call_command() as text, which argparse does not convert
            today = datetime.date.fromisoformat(today)
        # systemd and cron stop a job with SIGTERM: turned into an exception, it lets the e-mail batch under way
        # record what went out before the process ends (coop.notifications.deliver).
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _stop) if in_main_thread else None
        try:
            summary = send_reminders(today=today or timezone.localdate())
        except KeyboardInterrupt as stop:
            raise CommandError("Stopped; what was sent is recorded, the rest goes out on the next run.") from stop
        finally:
            if in_main_thread:
                signal.signal(signal.SIGTERM, previous)
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(summary.by_kind.items())) or "none"
        self.stdout.write(
            f"{summary.reminders} new reminders ({kinds}) in {summary.notifications} notifications; "
            f"{summary.emails} e-mails sent."
        )


def _stop(signum, frame):
    raise KeyboardInterrupt
