"""Benchmark of the read-only API (issue 18) on the national synthetic data set (`make bench`; not part of the tests).

For each list endpoint, the server-side time of requests made in-process with Django's test client and
an API key of Ministry staff (the demo's `bo.chuyenvien`; tasks, outputs and progress reports also with
the key of Thái Bình's department, `so.thaibinh`), at 25, 100 and 1,000 rows a page: median and 95th
percentile, and the SQL queries of one request, key lookup included. Then every task read by cursor, 1,000
a page, as another system would copy them: the total time, the pages and the slowest page. It prints a
table, checks the targets of issue 18 (a median of at most 100 ms at 25 and 100 rows a page, as the pages'
budget; at most 15 queries at every size) and writes JSON to `tests/bench/results/` (ignored by git).
The keys are made in a transaction rolled back at the end: the database is left as it was.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coop_bench .venv/bin/python tests/bench/bench_api.py
    ... --runs 20          requests per endpoint and page size (default 10; a third as many at 1,000 rows, at least 3)
    ... --only task        only the endpoints whose key contains this
    ... --no-walk          leave out reading every task
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop.settings")
os.environ["ALLOWED_HOSTS"] = ",".join(
    filter(None, [os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]"), "testserver"])
)
os.environ.setdefault("DEBUG", "0")
# The benchmark reads faster than any key may: the throttle would answer 429 long before the last run.
os.environ["API_THROTTLE_RATE"] = "1000000/minute"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from coop.api_tokens import api_token_create  # noqa: E402
from programmes.models import Programme  # noqa: E402
from tasks.models import Output, Task  # noqa: E402

MS = 1000
MEDIAN_MS = 100  # the pages' budget, at the page sizes a page shows (25 and 100 rows)
QUERY_LIMIT = 15
PAGE_SIZES = (25, 100, 1000)
TIMED_PAGE_SIZES = (25, 100)
WALK_PAGE_SIZE = 1000
USERS = {"ministry": "bo.chuyenvien", "province": "so.thaibinh"}

# (key, endpoint's URL name, who)
ENDPOINTS = [
    ("programmes", "api_programme_list", "ministry"),
    ("agencies", "api_agency_list", "ministry"),
    ("people", "api_person_list", "ministry"),
    ("tasks", "api_task_list", "ministry"),
    ("outputs", "api_output_list", "ministry"),
    ("progress_reports", "api_progress_report_list", "ministry"),
    ("meetings", "api_meeting_list", "ministry"),
    ("documents", "api_document_list", "ministry"),
    ("province_tasks", "api_task_list", "province"),
    ("province_outputs", "api_output_list", "province"),
    ("province_progress_reports", "api_progress_report_list", "province"),
]


class Rollback(Exception):
    pass


@dataclass
class Result:
    key: str
    url: str
    page_size: int
    who: str
    status: int = 0
    rows: int = 0
    bytes: int = 0
    queries: int | None = None
    runs: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    target: str = ""
    verdict: str = ""
    times_ms: list[float] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: p95 of 20 values is the 19th smallest."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def api_client(username: str) -> Client:
    """A client sending a new key of `username`, as another system would."""
    user = get_user_model().objects.get(username=username)
    _token, key = api_token_create(user=user, name="Benchmark")
    return Client(headers={"Authorization": f"Bearer {key}"})


def measure(client: Client, result: Result, runs: int) -> Result:
    url = f"{result.url}?page_size={result.page_size}"
    client.get(url)  # warm-up: imports, the connection, the key's last use (written once a minute)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    result.status, result.queries, result.bytes = response.status_code, len(queries), len(response.content)
    if response.status_code != 200:
        return result
    result.rows = len(response.json()["results"])
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url).content  # noqa: B018 (the body is read, as a client would)
        result.times_ms.append((time.perf_counter() - started) * MS)
    result.runs = runs
    result.median_ms = statistics.median(result.times_ms)
    result.p95_ms = percentile(result.times_ms, 0.95)
    return result


def judge(result: Result) -> None:
    checks = [result.status == 200, (result.queries or 0) <= QUERY_LIMIT]
    if result.page_size in TIMED_PAGE_SIZES:
        result.target = f"≤ {MEDIAN_MS} ms, ≤ {QUERY_LIMIT} q"
        checks.append(result.median_ms is not None and result.median_ms <= MEDIAN_MS)
    else:
        result.target = f"≤ {QUERY_LIMIT} q"
    result.verdict = "ok" if all(checks) else "MISS"


def walk_tasks(client: Client) -> dict:
    """Every task the key's user sees, read page by page by cursor, as another system copies them."""
    url = f"{reverse('api_task_list')}?page_size={WALK_PAGE_SIZE}"
    pages, rows, slowest, queries = 0, 0, 0.0, 0
    started = time.perf_counter()
    while url:
        page_started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        body = response.json()
        slowest = max(slowest, (time.perf_counter() - page_started) * MS)
        queries = max(queries, len(captured))
        pages += 1
        rows += len(body["results"])
        url = body["next"]
    return {
        "rows": rows,
        "pages": pages,
        "total_s": time.perf_counter() - started,
        "slowest_page_ms": slowest,
        "most_queries": queries,
    }


def print_table(results: list[Result]) -> None:
    header = (
        f"{'endpoint':<34} {'rows':>5} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'kB':>7}  {'target':<20} verdict"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        median = f"{r.median_ms:10.1f}" if r.median_ms is not None else f"{'—':>10}"
        p95 = f"{r.p95_ms:9.1f}" if r.p95_ms is not None else f"{'—':>9}"
        print(
            f"{r.key:<34} {r.rows:>5} {median} {p95} {r.queries or 0:>8} {r.bytes / 1000:>7.0f}  "
            f"{r.target:<20} {r.verdict}"
        )


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "database": database.split(" on ")[0],
        "load average before": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        "django": django.get_version(),
    }


def run(args) -> tuple[list[Result], dict | None]:
    clients = {who: api_client(username) for who, username in USERS.items()}
    results = []
    for key, url_name, who in ENDPOINTS:
        if args.only not in key:
            continue
        for page_size in PAGE_SIZES:
            runs = args.runs if page_size in TIMED_PAGE_SIZES else max(3, args.runs // 3)
            result = measure(clients[who], Result(f"{key} ({page_size})", reverse(url_name), page_size, who), runs)
            judge(result)
            results.append(result)
            print(f"  {result.key}: {result.median_ms or 0:.1f} ms, {result.queries} queries", file=sys.stderr)
    wants_walk = not args.no_walk and args.only in "tasks"  # every endpoint, or the tasks
    walk = walk_tasks(clients["ministry"]) if wants_walk else None
    return results, walk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="timed requests per endpoint and page size (default 10)")
    parser.add_argument("--only", default="", help="measure only the endpoints whose key contains this")
    parser.add_argument("--no-walk", action="store_true", help="leave out reading every task by cursor")
    args = parser.parse_args()

    tasks = Task.objects.count()
    if tasks < 40_000:
        sys.exit(f"Only {tasks:,} tasks in {settings.DATABASES['default']['NAME']}: run `make bench`.")
    before = machine()
    try:
        with transaction.atomic():
            results, walk = run(args)
            raise Rollback
    except Rollback:
        pass

    print_table(results)
    if walk:
        print(
            f"\nEvery task by cursor, {WALK_PAGE_SIZE:,} a page: {walk['rows']:,} tasks in {walk['pages']} pages, "
            f"{walk['total_s']:.1f} s (slowest page {walk['slowest_page_ms']:.0f} ms, at most "
            f"{walk['most_queries']} queries a page)"
        )
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {
        "when": stamp,
        "machine": before,
        "data": {"tasks": tasks, "outputs": Output.objects.count(), "programmes": Programme.objects.count()},
        "runs": args.runs,
        "results": [asdict(result) for result in results],
        "walk": walk,
    }
    path = RESULTS / f"api-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    misses = [result.key for result in results if result.verdict == "MISS"]
    print(f"\n{len(misses)} measure(s) miss their target{': ' + '; '.join(misses) if misses else ''}.")
    print(f"Results: {path}")


if __name__ == "__main__":
    main()
