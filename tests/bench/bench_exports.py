"""Benchmark of the exports that open ready to use in Excel (issues 17 and 20), on the national synthetic set
(`make bench`).

Logged in as Ministry staff, who see every task (50,000), it times, each beside its floor:

(a) the XLSX export of every task through the list view (`TaskListView`, `?_export=xlsx`), read to its end
    (the threshold of background exports raised for it: this times the writing, wherever it runs);
(b) the floor: a bare openpyxl write-only loop over the same cells, the values already in memory, no styles;
    and beside it the export's own writer (`coop.xlsx.xlsx_file`: styles, widths, filter sheet) over
    those values, which shows what the formatting costs apart from reading the rows;
(c) the CSV export through the list view, read to its end;
(d) the floor of (c): PostgreSQL's `COPY (SELECT …) TO STDOUT` of the same columns with the same joins (the
    places aggregated, statuses as stored), read through psycopg to its end;
(e) the file the background worker writes for a long export (`coop.views.list_export(...).file()`), CSV and XLSX.

It ends with the ratios: (c)/(d), the CSV against COPY (target ≤ 3), and (a)/(b), the XLSX against the bare
openpyxl loop (target ≤ 1.3).

Each measurement runs in a child process of its own, so that one's memory does not count in the next: the
median of `--runs` runs, the peak growth of resident memory (VmHWM, reset before the first run), and the peak
of Python's allocations in one more run under tracemalloc (which slows that run; it is not timed). With
`--rows N` the view exports the first N tasks by primary key instead of all (to show memory does not grow
with the rows).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coop_bench .venv/bin/python tests/bench/bench_exports.py
    ... --runs 5          more runs of each
    ... --rows 10000      a tenth of the tasks
    ... --only xlsx       only the measurements whose key contains this
"""

import argparse
import json
import os
import resource
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
os.environ["ALLOWED_HOSTS"] = ",".join(
    filter(None, [os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]"), "testserver"])
)
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from coop import exports, xlsx  # noqa: E402
from tasks.models import Task  # noqa: E402
from tasks.views import TaskListView  # noqa: E402

MEASUREMENTS = {
    "xlsx_view": "(a) XLSX export of the task list, through the view",
    "xlsx_bare": "(b) bare openpyxl write-only loop, values in memory, no styles",
    "xlsx_writer": "(b') the export's XLSX writer (styles, widths, filter sheet), values in memory",
    "csv_view": "(c) CSV export of the task list, through the view",
    "csv_copy": "(d) COPY (SELECT the same columns, same joins) TO STDOUT through psycopg",
    "csv_background": "(e) CSV file written by the background worker's function",
    "xlsx_background": "(e') XLSX file written by the background worker's function",
}
RATIOS = (
    ("CSV export / COPY floor (target ≤ 3)", "csv_view", "csv_copy"),
    ("XLSX export / bare openpyxl floor (target ≤ 1.3)", "xlsx_view", "xlsx_bare"),
)

# The task list's exported columns as SQL: the same tables joined as `tasks.queries.task_rows`, the places
# aggregated in the order the list gives them, choices as stored (no labels), CSV as PostgreSQL writes it.
COPY_SQL = """
COPY (
    SELECT t.code, t.title, p.title, pr.name, a.name,
           (SELECT string_agg(CASE WHEN tp.commune <> '' THEN pp.name || ' (' || tp.commune || ')' ELSE pp.name END,
                              '; ' ORDER BY pp.name, tp.id)
              FROM tasks_taskplace tp JOIN programmes_province pp ON pp.id = tp.province_id
             WHERE tp.task_id = t.id),
           t.field, t.level, t.status, t.ministry_funding, t.total_funding, t.percent_complete,
           pe.full_name, ft.title, t.location, t.province_funding, t.counterpart_funding, t.other_funding,
           to_char(t.start_on, 'DD/MM/YYYY'), to_char(t.end_on, 'DD/MM/YYYY')
      FROM tasks_task t
      JOIN programmes_programme p ON p.id = t.programme_id
      JOIN programmes_agency a ON a.id = t.lead_agency_id
      LEFT JOIN programmes_province pr ON pr.id = a.province_id
      LEFT JOIN programmes_person pe ON pe.id = t.investigator_id
      LEFT JOIN programmes_programme ft ON ft.id = t.funded_through_id
     WHERE {where}
     ORDER BY p.start_year DESC, p.code, p.id, t.code, t.id
) TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';')
"""


def ministry_user():
    User = get_user_model()
    user = User.objects.filter(username="bo.chuyenvien").first()
    user = user or User.objects.filter(agency__kind="ministry_unit", is_active=True).order_by("pk").first()
    # A database without the demo's logins (the national set alone): an administrator kept in memory, which
    # sees every task as Ministry staff do, so that the benchmark writes nothing.
    return user or User(username="bench", is_superuser=True, is_staff=True)


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


class Rows:
    """The rows the view exports: every task, or the first `limit` by primary key (`--rows`)."""

    def __init__(self, limit: int | None):
        self.limit = limit
        if limit:
            last = Task.objects.order_by("pk").values_list("pk", flat=True)[limit - 1 : limit].first()
            self.last_pk = last
        self.user = ministry_user()

    def request(self, export_format: str):
        request = RequestFactory().get(reverse("task_list"), {"_export": export_format})
        request.user = self.user
        request.LANGUAGE_CODE = "vi"
        return request

    def view(self):
        view = TaskListView.as_view()
        if not self.limit:
            return view
        last_pk = self.last_pk

        class FirstTasks(TaskListView):
            def get_queryset(self):
                return super().get_queryset().filter(pk__lte=last_pk)

        return FirstTasks.as_view()


def read(response) -> int:
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    if hasattr(response, "close"):
        response.close()
    return size


def view_export(rows: Rows, export_format: str):
    def run():
        return read(rows.view()(rows.request(export_format)))

    return run


def in_memory_values(rows: Rows):
    """The header, formats and values the view's export writes, read once into memory."""
    table_class = TaskListView.table_class
    queryset = TaskListView.queryset.visible_to(rows.user)
    if rows.limit:
        queryset = queryset.filter(pk__lte=rows.last_pk)
    export = exports.TableExport(table_class, queryset.order_by("pk"), None)
    return export.headers, export.formats, list(export.rows())


def bare_loop(headers, values):
    """openpyxl's write-only mode with nothing added: the cost of writing the cells themselves."""

    def run():
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(headers)
        for row in values:
            sheet.append([exports.local_naive(value) if hasattr(value, "tzinfo") else value for value in row])
        with tempfile.TemporaryFile() as output:
            workbook.save(output)
            return output.tell()

    return run


def copy_floor(rows: Rows):
    """PostgreSQL writing the same columns as CSV itself: the floor of any CSV export of them."""
    from django.db import connection

    where = f"t.id <= {int(rows.last_pk)}" if rows.limit else "TRUE"

    def run():
        connection.ensure_connection()
        size = 0
        with connection.connection.cursor() as cursor, cursor.copy(COPY_SQL.format(where=where)) as copy:
            for data in copy:
                size += len(data)
        return size

    return run


def background_file(rows: Rows, export_format: str):
    """The function the background worker runs for a long export of the task list, to a temporary file."""
    from coop.views import list_export

    def run():
        export = list_export(list_name="task_list", query="", user=rows.user)
        if rows.limit:
            export.queryset = export.queryset.filter(pk__lte=rows.last_pk)
        with export.file(export_format=export_format) as output:
            output.seek(0, os.SEEK_END)
            return output.tell()

    return run


def export_writer(headers, formats, values):
    def run():
        notes = exports.ExportNotes(title="nhiệm vụ KH&CN", sort="—")
        with xlsx.xlsx_file(headers=headers, formats=formats, rows=iter(values), notes=notes) as output:
            output.seek(0, os.SEEK_END)
            return output.tell()

    return run


def child(key: str, runs: int, limit: int | None) -> None:
    """In a child process: time one measurement, then its memory."""
    translation.activate("vi")
    rows = Rows(limit)
    count = Task.objects.visible_to(rows.user).filter(**({"pk__lte": rows.last_pk} if limit else {})).count()
    if key in ("xlsx_bare", "xlsx_writer"):
        headers, formats, values = in_memory_values(rows)
        run = bare_loop(headers, values) if key == "xlsx_bare" else export_writer(headers, formats, values)
    elif key == "csv_copy":
        run = copy_floor(rows)
    elif key.endswith("_background"):
        run = background_file(rows, key.split("_")[0])
    else:
        settings.EXPORT_BACKGROUND_MIN_ROWS = 10**9  # written here, in the request, to time the writing
        run = view_export(rows, key.split("_")[0])
        rows.view()(rows.request("")).render()  # load what a list needs before the baseline
    reset = reset_peak_memory()
    baseline = memory_mb("VmRSS")
    times, size = [], 0
    for _run in range(runs):
        started = time.perf_counter()
        size = run()
        times.append(time.perf_counter() - started)
    peak = (memory_mb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024) - baseline
    tracemalloc.start()
    run()
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "key": key,
                "rows": count,
                "times_s": times,
                "bytes": size,
                "rss_peak_mb": peak,
                "traced_peak_mb": traced_peak,
            }
        )
    )


def measure(key: str, runs: int, limit: int | None) -> dict:
    command = [sys.executable, __file__, "--child", key, "--runs", str(runs)]
    if limit:
        command += ["--rows", str(limit)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False, env=os.environ.copy())
    if completed.returncode != 0:
        return {"key": key, "error": (completed.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=None, help="export the first N tasks instead of all")
    parser.add_argument("--only", default="")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs, args.rows)
        return
    print(f"{'measurement':<84} {'rows':>7} {'median':>8} {'min':>7} {'size':>8} {'RSS peak':>9} {'traced':>8}")
    medians = {}
    for key, label in MEASUREMENTS.items():
        if args.only not in key:
            continue
        result = measure(key, args.runs, args.rows)
        if "error" in result:
            print(f"{label:<84} failed: {result['error']}")
            continue
        times = result["times_s"]
        medians[key] = statistics.median(times)
        print(
            f"{label:<84} {result['rows']:>7,} {medians[key]:>7.2f}s {min(times):>6.2f}s "
            f"{result['bytes'] / 2**20:>6.1f}MB {result['rss_peak_mb']:>7.0f}MB {result['traced_peak_mb']:>6.0f}MB"
        )
    for label, ours, floor in RATIOS:
        if ours in medians and floor in medians:
            print(f"{label:<84} {medians[ours] / medians[floor]:>16.2f}×")


if __name__ == "__main__":
    main()
