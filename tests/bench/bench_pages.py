"""Benchmark of the main pages on the national synthetic data set (`make bench`; not part of the test suite).

For each page: the server-side time of at least 20 requests (median and 95th percentile) made
in-process with Django's test client, logged in as Ministry staff (four pages also as a
provincial department), and the number of SQL queries of one request. The CSV and XLSX
exports of every task run in a child process each, which reports its time and how much its
resident memory grew at the peak while the streamed response was read. Django's admin change
list of tasks is measured beside the task list as the baseline. It prints a table, checks the
targets of issue 7 and writes JSON to `tests/bench/results/` (ignored by git).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coop_bench .venv/bin/python tests/bench/bench_pages.py
    ... --runs 50                  more requests per page
    ... --only task_list           only the pages whose key contains this
    ... --profile task_list_sorted write a pyinstrument profile of one page to tests/bench/results/

The database must hold the national set (`manage.py generate_synthetic --scale national`)
and the demo (`manage.py load_demo`), which `make bench` prepares.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop.settings")
# The test client talks to "testserver"; production settings would refuse that host.
os.environ["ALLOWED_HOSTS"] = ",".join(
    filter(None, [os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]"), "testserver"])
)
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from programmes.models import Programme, Province, ReportingPeriod  # noqa: E402
from tasks.models import Task  # noqa: E402

MS = 1000
# Targets of issue 7 at national scale on a 2-core machine.
PAGE_MEDIAN_MS = 100
SEARCH_MEDIAN_MS = 150
QUERY_LIMIT = 15
EXPORT_PEAK_MB = 300
SEARCH_WORDS = "thai binh"
ADMIN_PAGE_SIZE = 100  # ModelAdmin.list_per_page


@dataclass
class Result:
    key: str
    label: str
    url: str
    status: int = 0
    queries: int | None = None
    runs: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    peak_mb: float | None = None
    bytes: int | None = None
    target: str = ""
    verdict: str = ""
    note: str = ""
    times_ms: list[float] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: p95 of 20 values is the 19th smallest."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def read(response) -> int:
    """Read the whole body, as a browser would; the size in bytes."""
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure(client: Client, key: str, label: str, url: str, runs: int) -> Result:
    result = Result(key, label, url)
    client.get(url)  # warm-up: imports, templates, connection, caches a page may fill
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        result.bytes = read(response)
    result.status = response.status_code
    result.queries = len(queries)
    if response.status_code != 200:
        result.note = f"HTTP {response.status_code}"
        return result
    for _run in range(runs):
        started = time.perf_counter()
        read(client.get(url))
        result.times_ms.append((time.perf_counter() - started) * MS)
    result.runs = runs
    result.median_ms = statistics.median(result.times_ms)
    result.p95_ms = percentile(result.times_ms, 0.95)
    return result


def memory_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (the peak since the last reset) of this process, from /proc."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak_memory() -> bool:
    """Start the peak (VmHWM) afresh, so that it covers the export only, not the warm-up page before it."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def export_child(export_format: str, runs: int) -> None:
    """In a child process: time the export of every task and the peak growth of resident memory."""
    client = logged_in(ministry_user())
    url = f"{reverse('task_list')}?_export={export_format}"
    read(client.get(reverse("task_list")))  # load everything a list needs before the baseline
    reset = reset_peak_memory()
    baseline = memory_mb("VmRSS")
    times, size = [], 0
    for _run in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        size = read(response)
        times.append((time.perf_counter() - started) * MS)
    # Without a reset, the peak of the whole process life (an overestimate: it includes the warm-up).
    peak = memory_mb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"times_ms": times, "bytes": size, "peak_mb": peak - baseline, "status": response.status_code}))


def measure_export(export_format: str, runs: int) -> Result:
    result = Result(f"export_{export_format}", f"Export of every task, {export_format.upper()}", "")
    result.url = f"{reverse('task_list')}?_export={export_format}"
    command = [sys.executable, __file__, "--export-child", export_format, "--runs", str(runs)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False, env=os.environ.copy())
    if completed.returncode != 0:
        result.note = completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else "failed"
        return result
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    result.status, result.bytes, result.peak_mb = data["status"], data["bytes"], data["peak_mb"]
    result.times_ms, result.runs = data["times_ms"], len(data["times_ms"])
    result.median_ms = statistics.median(result.times_ms)
    result.p95_ms = percentile(result.times_ms, 0.95)
    result.queries = None
    return result


def ministry_user():
    User = get_user_model()
    user = User.objects.filter(username="bo.chuyenvien").first()
    return user or User.objects.filter(agency__kind="ministry_unit", is_active=True).order_by("pk").first()


def province_user():
    """The demo's Thái Bình department user, or else the first user of a provincial department."""
    User = get_user_model()
    user = User.objects.filter(username="so.thaibinh").first()
    return user or User.objects.filter(agency__kind="department", is_active=True).order_by("pk").first()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pages() -> list[tuple[str, str, str, str]]:
    """(key, label, URL, who): the pages measured, found in the data so that any seed works."""
    tasks = reverse("task_list")
    sized = Programme.objects.annotate(n=Count("tasks")).order_by("-n", "pk")
    largest = sized.first()
    province = Province.objects.filter(name="Thái Bình").first() or Province.objects.order_by("pk").first()
    task = largest.tasks.order_by("code", "pk").first()
    deep_page = max(1, Task.objects.count() // 25)  # the last full page of 25
    search = f"q={SEARCH_WORDS.replace(' ', '+')}"
    reporting = reverse("reporting")
    last_due = ReportingPeriod.objects.filter(due_on__lt=datetime.date.today()).order_by("-ends_on").first()
    missing = f"report_period={last_due.ends_on.isoformat()}&report_figure=missing" if last_due else ""
    return [
        ("dashboard", "Dashboard", reverse("dashboard"), "ministry"),
        ("programme_list", "Programme list", reverse("programme_list"), "ministry"),
        ("task_list", "Task list, default", tasks, "ministry"),
        (
            "task_list_filtered",
            "Task list, province + status",
            f"{tasks}?province={province.pk}&status=in_progress&status=completed",
            "ministry",
        ),
        ("task_list_sorted", "Task list, sorted by total funding", f"{tasks}?sort=-total_funding", "ministry"),
        ("task_list_search", f"Task list, search '{SEARCH_WORDS}'", f"{tasks}?{search}", "ministry"),
        ("task_list_deep", f"Task list, page {deep_page:,}", f"{tasks}?page={deep_page}", "ministry"),
        ("task_list_100", "Task list, 100 per page", f"{tasks}?per_page=100", "ministry"),
        ("task_list_100_search", "Task list, 100 per page, search", f"{tasks}?per_page=100&{search}", "ministry"),
        ("admin_tasks", "Admin change list of tasks (100 per page)", reverse("admin:tasks_task_changelist"), "admin"),
        (
            "admin_tasks_search",
            "Admin change list of tasks, search",
            f"{reverse('admin:tasks_task_changelist')}?{search}",
            "admin",
        ),
        ("output_list", "Output list", reverse("output_list"), "ministry"),
        (
            "programme_detail_largest",
            f"Programme detail, largest ({largest.n:,} tasks)",
            reverse("programme_detail", args=[largest.pk]),
            "ministry",
        ),
        ("task_detail", "Task detail", reverse("task_detail", args=[task.pk]), "ministry"),
        ("meeting_list", "Meeting list", reverse("meeting_list"), "ministry"),
        ("agency_list", "Agency list", reverse("agency_list"), "ministry"),
        ("recommendation_list", "Recommendation list", reverse("recommendation_list"), "ministry"),
        ("search", f"Site search '{SEARCH_WORDS}'", f"{reverse('search')}?{search}", "ministry"),
        # The reporting calendar (issue 16): every owed report of 50,000 tasks over their periods.
        ("reporting", "Reporting calendar", reporting, "ministry"),
        ("reporting_province", "Reporting calendar, one province", f"{reporting}?province={province.pk}", "ministry"),
        ("reporting_missing", "Task list, reports missing for the latest period due", f"{tasks}?{missing}", "ministry"),
        # A provincial department sees its province's programmes and the tasks it leads: the same
        # pages narrowed by `visible_to`, whose queries differ from those of the Ministry's.
        ("province_dashboard", "Province: dashboard", reverse("dashboard"), "province"),
        ("province_task_list", "Province: task list", tasks, "province"),
        ("province_output_list", "Province: output list", reverse("output_list"), "province"),
        ("province_search", f"Province: site search '{SEARCH_WORDS}'", f"{reverse('search')}?{search}", "province"),
        ("province_reporting", "Province: reporting calendar", reporting, "province"),
    ]


def judge(result: Result, results: dict[str, Result]) -> None:
    """The target a page has, and whether it meets it."""
    if result.median_ms is None:
        result.verdict = "n/a"
        return
    checks = []
    if result.key.startswith("export_"):
        result.target = f"peak < {EXPORT_PEAK_MB} MB"
        checks.append(result.peak_mb is not None and result.peak_mb < EXPORT_PEAK_MB)
    elif result.key.startswith("admin_"):
        result.target = "baseline"
        result.verdict = ""
        return
    else:
        baseline = {"task_list_100": "admin_tasks", "task_list_100_search": "admin_tasks_search"}.get(result.key)
        if baseline:
            # 100 rows a page, as the admin shows: the target is the admin's own time.
            result.target = f"≤ admin, ≤ {QUERY_LIMIT} q"
            admin = results.get(baseline)
            checks.append(admin is not None and admin.median_ms is not None and result.median_ms <= admin.median_ms)
        else:
            limit = SEARCH_MEDIAN_MS if "search" in result.key else PAGE_MEDIAN_MS
            result.target = f"≤ {limit} ms, ≤ {QUERY_LIMIT} q"
            checks.append(result.median_ms <= limit)
        checks.append((result.queries or 0) <= QUERY_LIMIT)
    result.verdict = "ok" if all(checks) else "MISS"


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = cursor.fetchone()[0]
    memory = ""
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    cpu = ""
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "database": database.split(" on ")[0],
        "load average before": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def print_table(results: list[Result]) -> None:
    header = f"{'page':<46} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'peak MB':>8}  {'target':<28} verdict"
    print(header)
    print("-" * len(header))
    for r in results:

        def number(value, spec):
            return format(value, spec) if value is not None else "—"

        note = f"  ({r.note})" if r.note else ""
        print(
            f"{r.label[:46]:<46} {number(r.median_ms, '10.1f')} {number(r.p95_ms, '9.1f')} "
            f"{number(r.queries, '8d')} {number(r.peak_mb, '8.0f')}  {r.target:<28} {r.verdict}{note}"
        )


def profile(key: str, runs: int) -> None:
    from pyinstrument import Profiler

    page = next((page for page in pages() if page[0] == key), None)
    if page is None:
        sys.exit(f"No page {key!r}; pages: {', '.join(page[0] for page in pages())}")
    _key, _label, url, who = page
    client = logged_in({"ministry": ministry_user, "province": province_user, "admin": admin_user}[who]())
    read(client.get(url))
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _run in range(runs):
        read(client.get(url))
    profiler.stop()
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"profile-{key}.html"
    path.write_text(profiler.output_html())
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"HTML profile: {path}")


def admin_user():
    return get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--export-runs", type=int, default=3, help="timed exports per format (default 3)")
    parser.add_argument("--only", default="", help="measure only the pages whose key contains this")
    parser.add_argument("--no-exports", action="store_true", help="leave out the exports (they take minutes)")
    parser.add_argument("--label", default="", help="a word stored with the results, e.g. before or after")
    parser.add_argument("--profile", metavar="KEY", help="profile one page with pyinstrument instead")
    parser.add_argument("--export-child", choices=["csv", "xlsx"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.export_child:
        export_child(args.export_child, args.runs)
        return
    if args.profile:
        profile(args.profile, args.runs)
        return

    tasks = Task.objects.count()
    if tasks < 40_000:
        database = settings.DATABASES["default"]["NAME"]
        sys.exit(f"Only {tasks:,} tasks in {database}: run `make bench`, which generates the national set.")
    clients = {
        "ministry": logged_in(ministry_user()),
        "province": logged_in(province_user()),
        "admin": logged_in(admin_user()),
    }
    results: dict[str, Result] = {}
    for key, label, url, who in pages():
        if args.only in key:
            results[key] = measure(clients[who], key, label, url, args.runs)
            print(f"  {label}: {results[key].median_ms or 0:.1f} ms", file=sys.stderr)
    for export_format in () if args.no_exports else ("csv", "xlsx"):
        key = f"export_{export_format}"
        if args.only in key:
            results[key] = measure_export(export_format, args.export_runs)
            print(f"  export {export_format}: {results[key].median_ms or 0:.0f} ms", file=sys.stderr)
    # The PDF reports are timed by bench_reports.py: the largest are drawn by the worker, not a request.

    for result in results.values():
        judge(result, results)
    ordered = list(results.values())
    print_table(ordered)

    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {
        "when": stamp,
        "label": args.label,
        "machine": machine(),
        "data": {"tasks": tasks, "programmes": Programme.objects.count()},
        "runs": args.runs,
        "results": [asdict(result) for result in ordered],
    }
    name = f"bench-{stamp}{'-' + args.label if args.label else ''}.json"
    for path in (RESULTS / name, RESULTS / "latest.json"):
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    misses = [r.label for r in ordered if r.verdict == "MISS"]
    print(f"\n{len(misses)} page(s) miss their target{': ' + '; '.join(misses) if misses else ''}.")
    print(f"Results: {RESULTS / name}")


if __name__ == "__main__":
    main()
