"""Benchmark of the open data on the national synthetic set (`make bench`; not part of the test suite).

(a) `export_open_data` (the service it runs: `opendata.services.open_data_dump_create`), each run in a child
    process of its own: its time, the growth of resident memory at the peak (VmHWM, reset before the run) and,
    in one more run under tracemalloc, the peak of Python's allocations. With a share of the programmes
    published and then all of them, so that memory can be seen not to follow the rows.
(b) The public pages, as a visitor who has not logged in reads them through Django's test client: the median
    time of /public/ and of the public page of the programme with the most tasks, cold (the kept content
    cleared before each request) and kept, and the queries of each.

The national set has no published programme: the script publishes the share asked for (`--shares`, by default
10 % and 100 %: every programme but the drafts, which are never public) with one UPDATE, without history, and
puts every programme's flag back as it was at the end. Its downloads go to a temporary MEDIA_ROOT and their rows
are deleted at the end, so that the database is left as it was.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coop_bench .venv/bin/python tests/bench/bench_open_data.py
    ... --shares 1            all programmes only
    ... --runs 3              runs of each export (one more under tracemalloc)
    ... --no-traced           leave out the run under tracemalloc (it doubles the time)
    ... --only pages          only the measurements whose key contains this
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop.settings")
# The test client talks to "testserver"; production settings would refuse that host.
os.environ["ALLOWED_HOSTS"] = ",".join(
    filter(None, [os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]"), "testserver"])
)
os.environ.setdefault("DEBUG", "0")
if "--child" not in sys.argv:
    # The downloads of the benchmark are written here and forgotten; the children inherit it.
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-open-data-")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from opendata.models import OpenDataDump  # noqa: E402
from opendata.services import open_data_dump_create  # noqa: E402
from programmes.models import Programme  # noqa: E402
from programmes.queries import public_programmes  # noqa: E402
from tasks.models import Output, Task  # noqa: E402

MS = 1000
PAGE_RUNS = 20


def memory_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_memory() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


# (a) The export, in a child process


def export_once() -> OpenDataDump:
    """One download, kept apart from any other (a large `keep`), its row deleted by the parent at the end."""
    return open_data_dump_create(keep=10_000)


def child(runs: int, traced: bool) -> None:
    """In a child process: time the export `runs` times with the peak of resident memory, then once traced."""
    # Before the baseline: the connection, and every view module (the URLs the package names load them all).
    Programme.objects.exists()
    reverse("public_programme_detail", args=[1])
    reset = reset_peak_memory()
    baseline = memory_mb("VmRSS")
    times, dump = [], None
    for _run in range(runs):
        started = time.perf_counter()
        dump = export_once()
        times.append(time.perf_counter() - started)
    peak = (memory_mb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024) - baseline
    traced_peak = None
    if traced:
        tracemalloc.start()
        export_once()
        traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    print(
        json.dumps(
            {
                "times_s": times,
                "bytes": dump.size,
                "rows": dump.row_counts,
                "rss_peak_mb": peak,
                "traced_peak_mb": traced_peak,
            }
        )
    )


def measure_export(runs: int, traced: bool) -> dict:
    command = [sys.executable, __file__, "--child", "--runs", str(runs)] + ([] if traced else ["--no-traced"])
    completed = subprocess.run(command, capture_output=True, text=True, check=False, env=os.environ.copy())
    if completed.returncode != 0:
        return {"error": (completed.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def publish_share(share: float) -> int:
    """Publish that share of the programmes (by primary key, every n-th one) and no other; how many are public."""
    Programme.objects.update(published=False)
    pks = list(Programme.objects.order_by("pk").values_list("pk", flat=True))
    step = max(1, round(1 / share))
    chosen = pks if share >= 1 else pks[::step]
    Programme.objects.filter(pk__in=chosen).update(published=True)
    return public_programmes().count()


# (b) The public pages


def page_times(url: str, *, cold: bool) -> tuple[float, int]:
    """Median milliseconds of PAGE_RUNS anonymous requests of `url`, and the queries of one."""
    client = Client()
    cache.clear()
    client.get(url)  # warm-up: imports, templates, the connection
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # Counted now: the next request empties the connection's log the context reads from.
    query_count = len(queries)
    times = []
    for _run in range(PAGE_RUNS):
        if cold:
            cache.clear()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * MS)
    return statistics.median(times), query_count


def measure_pages() -> None:
    largest = public_programmes().annotate(n=Count("tasks")).order_by("-n", "pk").first()
    outputs = Output.objects.counted().filter(task__programme=largest).count()
    for label, url in (
        ("/public/ (page 1 of the list)", reverse("public_programme_list")),
        (
            f"/public/programmes/{largest.pk}/ ({largest.tasks.count():,} tasks, {outputs:,} verified outputs)",
            reverse("public_programme_detail", args=[largest.pk]),
        ),
    ):
        cold, cold_queries = page_times(url, cold=True)
        kept, kept_queries = page_times(url, cold=False)
        print(f"{label:<72} {cold:>8.1f} ms ({cold_queries:>2} q) {kept:>8.1f} ms ({kept_queries:>2} q)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shares", default="0.1,1", help="shares of the programmes published, e.g. 0.1,1")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-traced", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.runs, traced=not args.no_traced)
        return
    was_published = set(Programme.objects.filter(published=True).values_list("pk", flat=True))
    dumps_before = set(OpenDataDump.objects.values_list("pk", flat=True))
    print(f"{Programme.objects.count():,} programmes, {Task.objects.count():,} tasks")
    try:
        if args.only in "export":
            print(
                f"{'programmes published':<22} {'public':>6} {'tasks':>7} {'outputs':>8} {'median':>8} {'min':>7} "
                f"{'size':>8} {'RSS peak':>9} {'traced':>7}"
            )
            for share in (float(value) for value in args.shares.split(",")):
                public = publish_share(share)
                result = measure_export(args.runs, traced=not args.no_traced)
                if "error" in result:
                    print(f"{share:>21.0%} failed: {result['error']}")
                    continue
                times, rows = result["times_s"], result["rows"]
                traced = f"{result['traced_peak_mb']:>5.0f}MB" if result["traced_peak_mb"] is not None else "—"
                print(
                    f"{share:>21.0%} {public:>7,} {rows['tasks']:>7,} {rows['outputs']:>8,} "
                    f"{statistics.median(times):>7.1f}s {min(times):>6.1f}s {result['bytes'] / 2**20:>6.1f}MB "
                    f"{result['rss_peak_mb']:>7.0f}MB {traced:>7}"
                )
        if args.only in "pages":
            publish_share(1)
            print(f"{'public page, anonymous':<72} {'cold':>16} {'kept':>16}")
            measure_pages()
    finally:
        Programme.objects.update(published=False)
        Programme.objects.filter(pk__in=was_published).update(published=True)
        OpenDataDump.objects.exclude(pk__in=dumps_before).delete()
        shutil.rmtree(os.environ["MEDIA_ROOT"], ignore_errors=True)


if __name__ == "__main__":
    main()
