"""Benchmark of `send_reminders` on the national synthetic data set (not part of the test suite).

The synthetic set has almost no users, so the benchmark first gives each current provincial
Department of S&T two reporting staff and the Ministry ten staff, all with an address. Then two
runs on the day after the latest due date of the synthetic periods, when every report owed for
that period and not submitted is overdue: the first writes and sends every reminder, the second
must send nothing. For each: the time, the reminders written, the notifications and e-mails, and the
SQL queries. Then the same on the day after the previous due date, with another number of reminders,
to show the query count does not grow with it (it grows with the users: two queries each for the
agencies and programmes of their scope). E-mails go to Django's in-memory backend; everything is rolled
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
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from coop.models import Notification  # noqa: E402
from coop.roles import Role  # noqa: E402
from programmes.choices import AgencyKind  # noqa: E402
from programmes.models import Agency, ReportingPeriod  # noqa: E402
from reporting.reminders import send_reminders  # noqa: E402
from tasks.models import Task  # noqa: E402


class Rollback(Exception):
    pass


def measured_run(today: datetime.date) -> dict:
    mail.outbox = []
    ContentType.objects.clear_cache()  # every run reads the content types, as a new process does
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


def national_staff() -> int:
    """Two reporting staff for each current Department of S&T and ten Ministry staff, with addresses."""
    from django.contrib.auth.models import Group

    User = get_user_model()
    province_staff, ministry_staff = (
        Group.objects.get(name=Role.PROVINCE_STAFF),
        Group.objects.get(name=Role.MINISTRY_STAFF),
    )
    departments = Agency.objects.filter(
        kind=AgencyKind.DEPARTMENT, valid_to__isnull=True, name__startswith="Sở Khoa học"
    )
    unit = Agency.objects.filter(kind=AgencyKind.MINISTRY_UNIT).order_by("pk").first()
    made = []
    for department in departments:
        for number in (1, 2):
            user = User.objects.create(
                username=f"bench.so{department.pk}.{number}",
                agency=department,
                email=f"so{department.pk}.{number}@example.vn",
            )
            user.groups.add(province_staff)
            made.append(user)
    for number in range(10):
        user = User.objects.create(username=f"bench.bo{number}", agency=unit, email=f"bo{number}@example.vn")
        user.groups.add(ministry_staff)
        made.append(user)
    return len(made)


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
                print(f"{national_staff()} staff added for the run (rolled back after it)")
                day = latest.due_on + datetime.timedelta(days=1)
                runs.append(("first run, day after the latest due date", measured_run(day)))
                runs.append(("second run, same day", measured_run(day)))
                previous = ReportingPeriod.objects.filter(due_on__lt=latest.due_on).order_by("-due_on").first()
                if previous is not None:
                    # The day after the previous due date: other reminders, in another number.
                    quiet = previous.due_on + datetime.timedelta(days=1)
                    runs.append(("the day after the previous due date", measured_run(quiet)))
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
