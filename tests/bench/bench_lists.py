"""The list pages against honest baselines, side by side in one run (`make bench`; not part of the test suite).

For each list at 100 rows a page, logged in as Ministry staff:
- the page itself;
- a plain admin change list of the same columns and search (`plain_admin.py`): the baseline, ≤ 1.0×;
- for the task list, also the project's own admin as configured (list filters, date hierarchy);
- the floor: the page's own SQL, replayed through a cursor, plus the same rows written as an HTML
  table by a plain loop of f-strings: the page should be ≤ 2× it. The plain admin is set against the
  same floor too (its own SQL, the same loop): what Django's own change list draws beyond its rows.
A province's department (`so.thaibinh`) then asks the same lists, against the Ministry's: ≤ 1.2×.

The page and its baselines are asked in turn, round after round, so that a busy machine slows them
alike; it prints the median of each and the median of the ratios of each round, and the size of each
list's HTML at 25 rows (≤ 80 KB).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coop_bench .venv/bin/python tests/bench/bench_lists.py
    ... --rounds 25      more rounds (default 15)
    ... --only task      only the lists whose key contains this
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parents[1]
sys.path[:0] = [str(ROOT), str(BENCH)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# The application's URLs and the plain admins beside them, before any address is reversed.
settings.ROOT_URLCONF = "plain_admin"

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Model  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import resolve, reverse  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.html import escape  # noqa: E402

from coop.columns import StatusBadgeColumn  # noqa: E402
from tasks.models import Task  # noqa: E402

MS = 1000
KB = 1024
SEARCH = "lua"
PAGE_SIZE_LIMIT_KB = 80
BASELINE_RATIO = 1.0
FLOOR_RATIO = 2.0
PROVINCE_RATIO = 1.2


def lists() -> list[tuple[str, str, str, str]]:
    """(key, label, the page at 100 rows, its plain admin)."""
    plain = "/plain-admin"
    return [
        ("tasks", "Task list", f"{reverse('task_list')}?per_page=100", f"{plain}/tasks/task/"),
        (
            "tasks_search",
            f"Task list, search '{SEARCH}'",
            f"{reverse('task_list')}?per_page=100&q={SEARCH}",
            f"{plain}/tasks/task/?q={SEARCH}",
        ),
        ("outputs", "Output list", f"{reverse('output_list')}?per_page=100", f"{plain}/tasks/output/"),
        (
            "progress_reports",
            "Progress reports (review queue)",
            f"{reverse('progress_report_list')}?per_page=100",
            f"{plain}/tasks/progressreport/",
        ),
        ("programmes", "Programme list", f"{reverse('programme_list')}?per_page=100", f"{plain}/programmes/programme/"),
        ("meetings", "Meeting list", f"{reverse('meeting_list')}?per_page=100", f"{plain}/programmes/meeting/"),
        ("agencies", "Agency list", f"{reverse('agency_list')}?per_page=100", f"{plain}/programmes/agency/"),
    ]


def user(username: str):
    return get_user_model().objects.get(username=username)


def logged_in(account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def timed_get(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = (time.perf_counter() - started) * MS
    if response.status_code != 200 or not body:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed


def interleaved(rounds: int, requests: dict[str, tuple[Client, str]]) -> dict[str, list[float]]:
    """Each request once per round, in turn; the times of each, round by round."""
    for client, url in requests.values():
        timed_get(client, url)  # warm-up
    times = {name: [] for name in requests}
    for _round in range(rounds):
        for name, (client, url) in requests.items():
            times[name].append(timed_get(client, url))
    return times


def paired_ratio(numerators: list[float], denominators: list[float]) -> float:
    return statistics.median(n / d for n, d in zip(numerators, denominators, strict=True))


# The floor: the page's SQL and the same table from a plain loop.


def page_queries(client: Client, url: str) -> list[str]:
    """The SQL of one request of the page, as sent (a cursor's `DECLARE … FOR` as its bare SELECT)."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    statements = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.startswith("DECLARE "):
            sql = sql[sql.index(" FOR ") + len(" FOR ") :]
        if sql.startswith(("SELECT", "WITH", "(SELECT")):
            statements.append(sql)
    return statements


def replay_ms(statements: list[str]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
    return (time.perf_counter() - started) * MS


def page_table(account, url: str):
    """The table the list view builds for this address, with its page of rows."""
    request = RequestFactory().get(url)
    request.user = account
    request.session = SessionStore()
    with translation.override(account.language or settings.LANGUAGE_CODE):
        response = resolve(request.path_info).func(request)
        table = response.context_data["table"]
        return table, [[cell_value(column, row.record) for column in table.columns] for row in table.paginated_rows]


def cell_value(bound_column, record):
    """What the loop writes for a cell: the plain value behind it, read before the loop is timed."""
    try:
        value = bound_column.accessor.resolve(record)
    except Exception:
        value = None
    if isinstance(bound_column.column, StatusBadgeColumn):
        return ("badge", value, record._meta.get_field(bound_column.accessor).flatchoices)
    if bound_column.link and isinstance(record, Model):
        return ("link", record.pk, record._meta.model_name, value)
    return value


BADGE = {"in_progress": "primary", "completed": "success", "approved": "success", "verified": "success"}


def loop_cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, tuple) and value[0] == "badge":
        _kind, status, choices = value
        label = dict(choices).get(status, status)
        return f'<span class="badge text-bg-{BADGE.get(status, "secondary")}">{escape(label)}</span>'
    if isinstance(value, tuple) and value[0] == "link":
        _kind, pk, model_name, text = value
        return f'<a href="/{model_name}/{pk}/">{escape(text)}</a>'
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return escape(value)


def loop_table_ms(rows: list[list]) -> float:
    started = time.perf_counter()
    parts = ['<table class="table table-sm"><tbody>']
    for number, cells in enumerate(rows):
        tds = "".join(f'<td class="c">{loop_cell(value)}</td>' for value in cells)
        parts.append(f'<tr class="{"odd" if number % 2 else "even"}">{tds}</tr>')
    parts.append("</tbody></table>")
    "".join(parts)
    return (time.perf_counter() - started) * MS


def floor_ms(client: Client, account, url: str, rounds: int) -> tuple[float, float]:
    """The medians of the page's SQL replayed and of its table written by the loop."""
    _table, rows = page_table(account, url)
    loop = statistics.median(loop_table_ms(rows) for _round in range(rounds))
    return sql_ms(client, url, rounds), loop


def sql_ms(client: Client, url: str, rounds: int) -> float:
    """The median of a page's SQL replayed."""
    statements = page_queries(client, url)
    replay_ms(statements)
    return statistics.median(replay_ms(statements) for _round in range(rounds))


def html_kb(client: Client, url: str) -> float:
    return len(client.get(url).content) / KB


def verdict(ratio: float, limit: float) -> str:
    return "ok" if ratio <= limit else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    if Task.objects.count() < 40_000:
        raise SystemExit("The national set is missing: run `make bench-db`.")

    ministry, province = user("bo.chuyenvien"), user("so.thaibinh")
    admin = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    clients = {"ministry": logged_in(ministry), "province": logged_in(province), "admin": logged_in(admin)}
    print(f"load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}; rounds: {args.rounds}")
    header = (
        f"{'list (100 rows)':<34} {'page':>7} {'plain':>7} {'ratio':>6} {'floor':>7} {'(sql':>6} {'loop)':>6} "
        f"{'ratio':>6} {'prov.':>7} {'ratio':>6} {'25 rows':>8}  verdicts"
    )
    print(header)
    print("-" * len(header))
    for key, label, url, plain_url in lists():
        if args.only not in key:
            continue
        requests = {
            "page": (clients["ministry"], url),
            "plain": (clients["admin"], plain_url),
            "province": (clients["province"], url),
        }
        if key in {"tasks", "tasks_search"}:
            configured = reverse("admin:tasks_task_changelist") + (f"?q={SEARCH}" if "search" in key else "")
            requests["configured"] = (clients["admin"], configured)
        times = interleaved(args.rounds, requests)
        sql, loop = floor_ms(clients["ministry"], ministry, url, args.rounds)
        page = statistics.median(times["page"])
        to_plain = paired_ratio(times["page"], times["plain"])
        to_floor = page / (sql + loop)
        to_ministry = paired_ratio(times["province"], times["page"])
        size = html_kb(clients["ministry"], url.replace("per_page=100", "per_page=25"))
        verdicts = [
            f"admin {verdict(to_plain, BASELINE_RATIO)}",
            f"floor {verdict(to_floor, FLOOR_RATIO)}",
            f"province {verdict(to_ministry, PROVINCE_RATIO)}",
            f"size {verdict(size, PAGE_SIZE_LIMIT_KB)}",
        ]
        print(
            f"{label[:34]:<34} {page:7.1f} {statistics.median(times['plain']):7.1f} {to_plain:6.2f} "
            f"{sql + loop:7.1f} {sql:6.1f} {loop:6.1f} {to_floor:6.2f} {statistics.median(times['province']):7.1f} "
            f"{to_ministry:6.2f} {size:7.1f}K  {', '.join(verdicts)}"
        )
        # Django's own admin against the same floor: its SQL and the loop's table of the same rows.
        plain_floor = sql_ms(clients["admin"], plain_url, args.rounds) + loop
        plain_to_floor = statistics.median(times["plain"]) / plain_floor
        print(f"{'  plain admin, its floor':<34} {plain_floor:7.1f} ms; plain admin / its floor {plain_to_floor:.2f}")
        if "configured" in times:
            configured_ms = statistics.median(times["configured"])
            ratio = paired_ratio(times["page"], times["configured"])
            print(f"{'  admin as configured':<34} {configured_ms:7.1f} ms; page / configured admin {ratio:.2f}")
    print(f"load average after: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
