"""Benchmark of `send_reminders` on the national synthetic data set (not part of the test suite).

Two runs on the day after the latest due date of the synthetic periods, when every report owed for
that period and not submitted is overdue: the first writes and sends every reminder, the second
must send nothing. For each: the time, the reminders written, the notifications and e-mails, and the
SQL queries. Then the same on a day with a tenth of the reminders, to show the query count does not
grow with the number of reminders. E-mails go to Django's in-memory backend; everything is rolled
back at the end, so the database is left as it was.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coop_bench .venv/bin/python tests/bench/bench_reminders.py
"""

import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop.settings")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from coop.models import Notification  # noqa: E402
from programmes.models import ReportingPeriod  # noqa: E402
from reporting.reminders import send_reminders  # noqa: E402
from tasks.models import Task  # noqa: E402


class Rollback(Exception):
    pass


def measured_run(today: datetime.date) -> dict:
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        summary = send_reminders(today=today)
        seconds = time.perf_counter() - started
    return {
        "day": today.strftime("%d/%m/%Y"),
        "seconds": round(seconds, 2),
        "reminders": summary.reminders,
        "notifications": summary.notifications,
        "emails": len(mail.outbox),
        "queries": len(queries),
    }


def main() -> None:
    today = datetime.date.today()
    latest = ReportingPeriod.objects.filter(due_on__lt=today).order_by("-due_on").first()
    if latest is None:
        sys.exit("No reporting period is due in this database: generate the national set first.")
    users = get_user_model().objects.filter(is_active=True, agency__isnull=False)
    print(
        f"{Task.objects.count():,} tasks, {ReportingPeriod.objects.count():,} periods, {users.count():,} active users "
        f"({users.exclude(email='').count():,} with an address)"
    )
    runs = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        try:
            with transaction.atomic():
                day = latest.due_on + datetime.timedelta(days=1)
                runs.append(("first run, day after the latest due date", measured_run(day)))
                runs.append(("second run, same day", measured_run(day)))
                previous = ReportingPeriod.objects.filter(due_on__lt=latest.due_on).order_by("-due_on").first()
                if previous is not None:
                    # The day after an earlier due date: other reminders, most of them already in the ledger.
                    quiet = previous.due_on + datetime.timedelta(days=1)
                    runs.append(("a day with fewer reminders", measured_run(quiet)))
                print(f"{Notification.objects.count():,} notifications in all")
                raise Rollback
        except Rollback:
            pass
    print(f"{'run':45} {'day':>10} {'seconds':>8} {'reminders':>10} {'notif.':>7} {'e-mails':>8} {'queries':>8}")
    for label, run in runs:
        print(
            f"{label:45} {run['day']:>10} {run['seconds']:>8} {run['reminders']:>10,} "
            f"{run['notifications']:>7,} {run['emails']:>8,} {run['queries']:>8}"
        )


if __name__ == "__main__":
    main()
