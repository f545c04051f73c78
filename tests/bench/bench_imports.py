"""Benchmark of spreadsheet imports (issue 17) on the national synthetic data set (not part of the test suite).

A Ministry staff member (the demo's `bo.chuyenvien`) imports an XLSX file of 5,000 new tasks in the
programme with the most tasks, each led by an agency on record and carried out in two provinces. Timed,
as the worker runs them for a file this big: the check (`import_batch_check`: reading the file, finding
every record and reference, storing the 5,000 preview rows), the confirmation (`import_batch_apply`: the
file checked again, then 5,000 tasks and 10,000 places written with their history), and the check of the
same file uploaded again, where every row is unchanged. For each: seconds, SQL queries and the peak of
Python's memory (tracemalloc, in a second run of the step, as tracing slows the code down). The tasks are
written in a transaction rolled back at the end and the checked file's preview is deleted, so the database
is left as it was.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coop_bench .venv/bin/python tests/bench/bench_imports.py

`--rows N` changes the number of rows; `--profile` prints where the check spends its time (pyinstrument).
"""

import argparse
import datetime
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop.settings")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import translation  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from coop.text import fold  # noqa: E402
from imports import services  # noqa: E402
from imports.choices import ImportKind, ImportStatus  # noqa: E402
from imports.kinds import KINDS  # noqa: E402
from imports.models import ImportBatch  # noqa: E402
from programmes.models import Agency, Programme, Province  # noqa: E402
from tasks.choices import TaskField, TaskLevel, TaskStatus  # noqa: E402
from tasks.models import Task, TaskPlace  # noqa: E402

USERNAME = "bo.chuyenvien"


class Rollback(Exception):
    pass


def unique_names(records, attribute: str) -> list[str]:
    """Names that name one record only (the import refuses a name that fits several)."""
    counted: dict[str, list[str]] = {}
    for record in records:
        name = getattr(record, attribute)
        counted.setdefault(fold(name), []).append(name)
        short = getattr(record, "short_name", "")
        if short:
            counted.setdefault(fold(short), []).append(short)
    return sorted(names[0] for names in counted.values() if len(names) == 1)


def task_file(rows: int) -> tuple[bytes, Programme]:
    """An XLSX file of `rows` new tasks in the programme with the most tasks, with the template's headers."""
    programme = Programme.objects.annotate(count=Count("tasks")).order_by("-count", "pk").first()
    agencies = unique_names(Agency.objects.all(), "name")
    provinces = unique_names(Province.objects.all(), "name")
    columns = KINDS[ImportKind.TASKS].columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Nhiệm vụ")
    sheet.append([str(column.header) for column in columns])
    start = datetime.date(2021, 1, 1)
    for number in range(rows):
        first, second = provinces[number % len(provinces)], provinces[(number + 7) % len(provinces)]
        values = {
            "programme": programme.code,
            "code": f"NK-{number:05d}",
            "title": f"Nhiệm vụ nhập từ tệp số {number}: ứng dụng tiến bộ kỹ thuật vào sản xuất",
            "field": str(TaskField.choices[number % len(TaskField.choices)][1]),
            "level": str(TaskLevel.PROVINCE.label),
            "lead_agency": agencies[number % len(agencies)],
            "places": f"{first} (xã số {number % 17}); {second}",
            "start_on": start + datetime.timedelta(days=number % 300),
            "end_on": start + datetime.timedelta(days=700 + number % 300),
            "status": str(TaskStatus.IN_PROGRESS.label),
        }
        sheet.append([values.get(column.name) for column in columns])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue(), programme


def upload(content: bytes, user):
    return services.import_batch_upload(
        kind=ImportKind.TASKS, file=SimpleUploadedFile("nhiem-vu.xlsx", content), user=user, language="vi"
    )


def measured(step, **kwargs) -> tuple[dict, object]:
    """The step's seconds and SQL queries (counted as they run: CaptureQueriesContext keeps only the last 9,000)."""
    count = [0]

    def counted(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        started = time.perf_counter()
        result = step(**kwargs)
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "queries": count[0]}, result


def peak_memory(step, **kwargs) -> float:
    """The step's peak of Python memory in MB; in a transaction, run in a savepoint that is rolled back."""
    in_transaction = connection.in_atomic_block
    sid = transaction.savepoint() if in_transaction else None
    tracemalloc.start()
    try:
        step(**kwargs)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        if in_transaction:
            transaction.savepoint_rollback(sid)
    return round(peak / 1e6, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--profile", action="store_true")
    arguments = parser.parse_args()
    user = get_user_model().objects.filter(username=USERNAME).first()
    if user is None:
        sys.exit(f"No user {USERNAME} in this database: load the demo (make bench-db).")
    translation.activate("vi")
    content, programme = task_file(arguments.rows)
    print(
        f"{Task.objects.count():,} tasks on record; file of {arguments.rows:,} new tasks in {programme.code} "
        f"({programme.tasks.count():,} tasks): {len(content) / 1e6:.1f} MB"
    )
    results = []
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        # Checked outside a transaction, as the worker does (inside one, Django would wrap each check constraint's
        # query in a savepoint); its preview rows are deleted at the end.
        batch = upload(content, user)
        try:
            if arguments.profile:
                from pyinstrument import Profiler

                profiler = Profiler()
                profiler.start()
                services.import_batch_check(batch=batch)
                profiler.stop()
                print(profiler.output_text(unicode=True, color=False))
            figures, batch = measured(services.import_batch_check, batch=batch)
            assert batch.status == ImportStatus.CHECKED, (batch.file_errors, batch.rows.filter(action="error")[:3])
            assert batch.counts["create"] == arguments.rows, batch.counts
            figures["MB"] = peak_memory(services.import_batch_check, batch=batch)
            results.append(("check: every row new", figures))
            try:
                with transaction.atomic():
                    batch = services.import_batch_confirm(batch=batch, user=user, submit_for_review=False)
                    memory = peak_memory(services.import_batch_apply, batch=batch)
                    figures, batch = measured(services.import_batch_apply, batch=batch)
                    assert batch.status == ImportStatus.APPLIED, batch.error_message
                    figures["MB"] = memory
                    results.append(("confirm: tasks and places written", figures))
                    written = Task.objects.filter(programme=programme, code__startswith="NK-").count()
                    places = TaskPlace.objects.filter(task__programme=programme, task__code__startswith="NK-").count()
                    history = Task.history.filter(code__startswith="NK-").count()
                    print(f"written: {written:,} tasks, {places:,} places, {history:,} history rows of tasks")

                    again = upload(content, user)
                    figures, again = measured(services.import_batch_check, batch=again)
                    assert again.counts["unchanged"] == arguments.rows, again.counts
                    figures["MB"] = peak_memory(services.import_batch_check, batch=again)
                    results.append(("the same file again: every row unchanged", figures))
                    raise Rollback
            except Rollback:
                pass
        finally:
            ImportBatch.objects.filter(pk=batch.pk).delete()
    print(f"{'step':42} {'seconds':>8} {'queries':>8} {'peak MB':>8}")
    for label, figures in results:
        print(f"{label:42} {figures['seconds']:>8} {figures['queries']:>8,} {figures['MB']:>8}")


if __name__ == "__main__":
    main()
