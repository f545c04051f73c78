"""How long the PDF reports take to draw, within a request and in the background.

Not a test (pytest does not collect tests/bench): run it from the project folder,

    .venv/bin/python tests/bench/bench_reports.py [--runs 7] [--documents-only]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coop .venv/bin/python tests/bench/bench_reports.py

It works in a throwaway database (Django's test database beside the configured one, dropped at
the end) and a temporary media folder, so it touches no data. Each report is requested through
the real view, as a logged-in Ministry user, the way a browser asks for it. The median of several
runs is printed.

1. Drawn within the request (reading the records, drawing the PDF with WeasyPrint, serving it;
   nothing is filed): the demo programme, and synthetic programmes of 100 to 1,000 tasks,
   with the background threshold lifted, so as to see where a report passes ~3 s
   (settings.REPORT_BACKGROUND_MIN_TASKS is chosen from these figures).
2. Drawn in the background, as the settings send them: the time of the POST that queues the
   report (the issue of a review document with a long table of tasks, or a long task list saved to
   the archive) and redirects to its progress page, then the time the worker (`db_worker --batch`)
   takes to draw and file it, with the share of each step (`ReportRequest.stage_log`), from which
   reports.choices.STAGE_PROGRESS is set.
3. Review documents of the demo programme: the preview of a draft, its Word copy, and the POST that
   issues it (number, PDF/A-2b, storing), unsigned and signed with a demo certificate made for the run.

`--programme CODE` measures instead one programme of the configured database, such as the largest
of the national set, on a copy of it (the report is filed there, its files in a temporary folder):

    createdb -h 127.0.0.1 -U postgres -T coop_bench coop_bench_reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coop_bench_reports \
      .venv/bin/python tests/bench/bench_reports.py --programme SYN-NTMN-2016-2025 [--without-tasks]

A child process issues the review report as the worker does (`programme_review_issue`: reading,
drawing, filing), as Ministry staff, as of today, in Vietnamese; it prints the time, the pages, the
queries and the peak resident memory of that process (its `ru_maxrss`).
"""

import argparse
import datetime
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop.settings")

import django  # noqa: E402
import weasyprint  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from programmes.choices import AgencyKind, MeetingKind, OutputKind, PartyRole  # noqa: E402
from programmes.models import Agency, Meeting, Programme, ProgrammeParty, Province, Recommendation  # noqa: E402
from reports import queries  # noqa: E402
from reports.charts import review_charts  # noqa: E402
from reports.choices import ReportStage, SigningAuthority  # noqa: E402
from reports.models import ReportRequest  # noqa: E402
from reports.pdf import REPORT_SYMBOL, document_header, page_count, render_pdf  # noqa: E402
from reports.services import (  # noqa: E402
    review_document_create,
    review_document_submit,
    review_document_update,
)
from tasks.choices import FundingSource, ReportStatus, TaskField, TaskLevel, TaskStatus  # noqa: E402
from tasks.models import Funding, Output, ProgressReport, Task  # noqa: E402

SYNTHETIC_TASKS = 1000
# Programme sizes drawn within the request to find where a review report passes ~3 s.
THRESHOLD_SIZES = (100, 150, 200, 400)
MILLION = Decimal(10**6)
NEVER = 10**9  # a background threshold no programme reaches


def make_synthetic_programme(task_count: int) -> Programme:
    """A programme of `task_count` tasks, each with three years of funding, two outputs and an approved report."""
    province, _created = Province.objects.get_or_create(code="99", defaults={"name": "Tỉnh Đo Thử"})
    committee, _created = Agency.objects.get_or_create(
        name="Ủy ban nhân dân tỉnh Đo Thử", defaults={"kind": AgencyKind.PEOPLE_COMMITTEE}
    )
    institute, _created = Agency.objects.get_or_create(
        name="Viện Nghiên cứu Đo Thử", defaults={"kind": AgencyKind.INSTITUTE, "province": province}
    )
    ministry = Agency.objects.get(name="Bộ Khoa học và Công nghệ")
    programme = Programme.objects.create(
        code=f"BENCH-{task_count}",
        title=f"Chương trình phối hợp đo thử với {task_count} nhiệm vụ KH&CN",
        start_year=2016,
        end_year=2020,
        orientation_year=2025,
        objectives="Đo thời gian xuất báo cáo sơ kết.",
        legal_basis="Không có.",
    )
    ProgrammeParty.objects.create(programme=programme, agency=ministry, role=PartyRole.MINISTRY_SIDE)
    ProgrammeParty.objects.create(programme=programme, agency=committee, role=PartyRole.PROVINCE_SIDE)
    statuses = [TaskStatus.COMPLETED, TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS]
    tasks = Task.objects.bulk_create(
        Task(
            programme=programme,
            code=f"DT-{index:04d}",
            title=f"Ứng dụng tiến bộ khoa học và công nghệ xây dựng mô hình sản xuất số {index} tại địa phương",
            field=TaskField.AGRICULTURE,
            level=TaskLevel.MINISTRY,
            lead_agency=institute,
            start_on=datetime.date(2016 + index % 4, 1 + index % 12, 1),
            end_on=datetime.date(2019 + index % 4, 12, 31),
            status=statuses[index % 3],
            percent_complete=100 if index % 3 < 2 else 50,
        )
        for index in range(task_count)
    )
    reviewer = get_user_model().objects.get(username="bo.chuyenvien")
    fundings, outputs, reports = [], [], []
    for task in tasks:
        for offset, source in enumerate((FundingSource.MINISTRY, FundingSource.PROVINCE, FundingSource.COUNTERPART)):
            year = task.start_on.year + offset
            fundings.append(Funding(task=task, source=source, year=year, allocated=900 * MILLION, disbursed=0))
        outputs.append(
            Output(
                task=task,
                kind=OutputKind.MODEL,
                name=f"Mô hình {task.code}",
                quantity=2,
                unit="mô hình",
                achieved_on=datetime.date(task.start_on.year + 2, 6, 30),
            )
        )
        outputs.append(
            Output(
                task=task,
                kind=OutputKind.TECHNOLOGY,
                name=f"Công nghệ {task.code}",
                quantity=1,
                unit="công nghệ",
                achieved_on=datetime.date(task.start_on.year + 1, 9, 30),
            )
        )
        reports.append(
            ProgressReport(
                task=task,
                as_of=datetime.date(2020, 5, 31),
                percent_complete=50,
                summary="Đúng tiến độ.",
                status=ReportStatus.APPROVED,
                reviewed_by=reviewer,
                reviewed_at=timezone.now(),
            )
        )
    Funding.objects.bulk_create(fundings)
    programme.tasks.refresh_funding_sums()  # bulk_create leaves the sums each task keeps at zero
    Output.objects.bulk_create(outputs)
    ProgressReport.objects.bulk_create(reports)
    meeting = Meeting.objects.create(
        programme=programme,
        held_on=datetime.date(2020, 6, 10),
        place="Hà Nội",
        kind=MeetingKind.PERIODIC_REVIEW,
        title="Hội nghị sơ kết đo thử",
        conclusions="Hai Bên tiếp tục phối hợp.",
    )
    for index in range(10):
        Recommendation.objects.create(
            meeting=meeting, text=f"Kiến nghị số {index + 1}.", raised_by=committee, addressed_to=ministry
        )
    return programme


def time_request(client: Client, url: str, params: dict, runs: int) -> dict:
    """Median, fastest and slowest of `runs` requests, with the pages, size and queries of the last one."""
    seconds = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return {
        "median": statistics.median(seconds),
        "min": min(seconds),
        "max": max(seconds),
        "pages": page_count(body),
        "kib": len(body) / 1024,
        "queries": len(captured.captured_queries),
    }


def time_parts(programme: Programme, user, include_tasks: bool) -> tuple[float, float]:
    """Seconds reading the records, and seconds drawing the PDF, of one review (nothing filed)."""
    started = time.perf_counter()
    review = queries.programme_review(
        programme=programme, user=user, as_of=timezone.localdate(), include_tasks=include_tasks
    )
    read = time.perf_counter() - started
    started = time.perf_counter()
    with translation.override("vi"):
        document = document_header(
            review.issuing_party, default_issuer="", issued_on=timezone.localdate(), number=REPORT_SYMBOL
        )
        context = {
            "review": review,
            "charts": review_charts(review.figures),
            "document": document,
            "issued_at": timezone.now(),
            "issued_by": user,
        }
        render_pdf("reports/pdf/programme_review.html", context)
    return read, time.perf_counter() - started


HEADER = f"{'report':66} {'runs':>4} {'median':>7} {'min':>6} {'max':>6} {'pages':>5} {'KiB':>5} {'queries':>7}"


def print_row(label: str, runs: int, figures: dict, parts: tuple[float, float] | None = None) -> None:
    row = (
        f"{label:66} {runs:>4} {figures['median']:>6.2f}s {figures['min']:>5.2f}s {figures['max']:>5.2f}s "
        f"{figures['pages']:>5} {figures['kib']:>5.0f} {figures['queries']:>7}"
    )
    if parts:
        row += f"   (reading {parts[0]:.2f}s, drawing {parts[1]:.2f}s)"
    print(row)


def run(runs: int, documents_only: bool = False) -> None:
    user = get_user_model().objects.get(username="bo.chuyenvien")
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    today = timezone.localdate().strftime("%d/%m/%Y")
    demo = Programme.objects.get(code="PH-BKHCN-TB-2012")
    if documents_only:
        time_documents(client, user, demo, runs)
        return
    started = time.perf_counter()
    synthetic = make_synthetic_programme(SYNTHETIC_TASKS)
    smaller = [make_synthetic_programme(size) for size in THRESHOLD_SIZES]
    print(
        f"synthetic programmes of {SYNTHETIC_TASKS} tasks and {THRESHOLD_SIZES} written in "
        f"{time.perf_counter() - started:.1f} s\n"
    )
    client.get(reverse("programme_review_pdf", args=[demo.pk]), {"as_of": today, "language": "vi"})  # warm-up
    few = max(3, runs // 2)  # the big reports take long: fewer runs
    review_with_table = {"as_of": today, "language": "vi", "include_tasks": "on"}
    review_without_table = {"as_of": today, "language": "vi"}

    print("1. Drawn within the request (background threshold lifted)\n")
    print(HEADER)
    with override_settings(REPORT_BACKGROUND_MIN_TASKS=NEVER):
        rows = [
            ("review of the demo programme (30 tasks), with the task table", demo, True, runs),
            ("review of the demo programme (30 tasks), without it", demo, False, runs),
            *(
                (f"review of a synthetic programme ({size} tasks), with the task table", programme, True, few)
                for size, programme in zip(THRESHOLD_SIZES, smaller, strict=True)
            ),
            (f"review of a synthetic programme ({SYNTHETIC_TASKS} tasks), with the task table", synthetic, True, few),
            (f"review of a synthetic programme ({SYNTHETIC_TASKS} tasks), without it", synthetic, False, few),
        ]
        for label, programme, include_tasks, count in rows:
            params = review_with_table if include_tasks else review_without_table
            figures = time_request(client, reverse("programme_review_pdf", args=[programme.pk]), params, count)
            print_row(label, count, figures, time_parts(programme, user, include_tasks))
        task = Task.objects.get(programme=demo, code="TB-2012-01")
        print_row("task sheet (demo task TB-2012-01)", runs, time_request(client, task_sheet_url(task), {}, runs))
        for size, programme in ((THRESHOLD_SIZES[0], smaller[0]), (SYNTHETIC_TASKS, synthetic)):
            figures = time_request(client, reverse("task_list_pdf"), {"programme": programme.pk}, few)
            print_row(f"task list PDF ({size} tasks of a synthetic programme)", few, figures)

    print(f"\n2. Drawn in the background (REPORT_BACKGROUND_MIN_TASKS = {settings.REPORT_BACKGROUND_MIN_TASKS})\n")
    print(BACKGROUND_HEADER)
    leader = get_user_model().objects.get(username="lanhdao")
    leader_client = Client()
    leader_client.force_login(leader)
    leader_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    figures = time_background(
        leader_client,
        lambda: reverse("document_issue", args=[submitted_document(synthetic, user, leader).pk]),
        {},
        few,
    )
    print_background_row(f"issue of a review document ({SYNTHETIC_TASKS} tasks), with the task table", few, figures)
    figures = time_background(client, lambda: reverse("task_list_pdf") + f"?programme={synthetic.pk}", {}, few)
    print_background_row(f"task list saved to the archive ({SYNTHETIC_TASKS} tasks)", few, figures)

    time_documents(client, user, demo, runs)


def time_documents(client: Client, user, demo: Programme, runs: int) -> None:
    leader = get_user_model().objects.get(username="lanhdao")
    leader_client = Client()
    leader_client.force_login(leader)
    leader_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    print("\n3. Review documents of the demo programme (the draft's preview, the Word copy, issuing)\n")
    print(HEADER)
    draft = submitted_document(demo, user, leader)
    print_row(
        "preview of a draft (marked DỰ THẢO), with the task table",
        runs,
        time_request(client, reverse("document_preview_pdf", args=[draft.pk]), {}, runs),
    )
    print_row("Word copy of a draft", runs, time_docx(client, reverse("document_draft_docx", args=[draft.pk]), runs))
    with override_settings(DOCUMENT_SIGNING_PKCS12=""):
        figures = time_issue(leader_client, demo, user, leader, runs)
    print_row("issue of a review document, unsigned (PDF/A-2b)", runs, figures)
    with tempfile.TemporaryDirectory() as keys:
        call_command("create_demo_certificate", directory=Path(keys), stdout=io.StringIO())
        passphrase = (Path(keys) / "demo-agency.passphrase").read_text().strip()
        with override_settings(
            DOCUMENT_SIGNING_PKCS12=str(Path(keys) / "demo-agency.p12"), DOCUMENT_SIGNING_PASSPHRASE=passphrase
        ):
            figures = time_issue(leader_client, demo, user, leader, runs)
    print_row("issue of a review document, signed (PDF/A-2b, PAdES)", runs, figures)


def submitted_document(programme: Programme, drafter, signer):
    """A review document of `programme` as of today, with the table of tasks, waiting for `signer`."""
    document = review_document_create(
        programme=programme, user=drafter, as_of=timezone.localdate(), language="vi", include_tasks=True
    )
    data = {"signer": signer, "signing_authority": SigningAuthority.DEPUTY}
    document = review_document_update(document=document, user=drafter, data=data, opened_version=None)
    return review_document_submit(document=document, user=drafter)


def time_issue(client: Client, programme: Programme, drafter, signer, runs: int) -> dict:
    """The POST that issues a submitted document (numbering, drawing, signing, storing), `runs` times."""
    seconds = []
    for _ in range(runs):
        document = submitted_document(programme, drafter, signer)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(reverse("document_issue", args=[document.pk]))
            seconds.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
        document.refresh_from_db()
        assert document.number, "not issued"
    return {
        "median": statistics.median(seconds),
        "min": min(seconds),
        "max": max(seconds),
        "pages": document.page_count,
        "kib": document.pdf.size / 1024,
        "queries": len(captured.captured_queries),
    }


def time_docx(client: Client, url: str, runs: int) -> dict:
    seconds = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return {
        "median": statistics.median(seconds),
        "min": min(seconds),
        "max": max(seconds),
        "pages": 0,
        "kib": len(response.content) / 1024,
        "queries": len(captured.captured_queries),
    }


def time_background(client: Client, url_of_next, params: dict, runs: int) -> dict:
    """Median seconds of the POST that queues a report, and of the worker drawing it; the steps of the last one.

    `url_of_next()` gives the address to post to for each run (a new document to issue, or the same list).
    """
    enqueue_seconds, worker_seconds = [], []
    for _ in range(runs):
        url = url_of_next()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, params)
            enqueue_seconds.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
        report_request = ReportRequest.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
        assert DBTaskResult.objects.ready().exists()
        started = time.perf_counter()
        # The worker a deployment runs beside the web server, told to stop once the queue is empty.
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        worker_seconds.append(time.perf_counter() - started)
        report_request.refresh_from_db()
        assert report_request.report_id, report_request.error_message
    drawing = (report_request.finished_at - report_request.started_at).total_seconds()
    steps = report_request.stage_log
    shares = {}
    for step, following in zip(steps, [*steps[1:], {"seconds": drawing}], strict=True):
        shares[step["stage"]] = (following["seconds"] - step["seconds"]) / drawing
    return {
        "enqueue": statistics.median(enqueue_seconds),
        "queries": len(captured.captured_queries),
        "worker": statistics.median(worker_seconds),
        "min": min(worker_seconds),
        "max": max(worker_seconds),
        "pages": report_request.report.page_count,
        "shares": shares,
    }


BACKGROUND_HEADER = (
    f"{'report':66} {'runs':>4} {'queue':>7} {'queries':>7} {'worker':>7} {'min':>6} {'max':>6} {'pages':>5}"
    "   share of each step"
)


def print_background_row(label: str, runs: int, figures: dict) -> None:
    shares = ", ".join(f"{stage} {figures['shares'].get(stage, 0):.0%}" for stage in ReportStage.values)
    print(
        f"{label:66} {runs:>4} {figures['enqueue']:>6.3f}s {figures['queries']:>7} {figures['worker']:>6.2f}s "
        f"{figures['min']:>5.2f}s {figures['max']:>5.2f}s {figures['pages']:>5}   {shares}"
    )


def task_sheet_url(task: Task) -> str:
    return reverse("task_sheet_pdf", args=[task.pk])


def issue_one(code: str, include_tasks: bool) -> None:
    """Issue the review report of programme `code` in this process, and print what it took as JSON."""
    from reports.services import programme_review_issue

    programme = Programme.objects.get(code=code)
    user = get_user_model().objects.get(username="bo.chuyenvien")
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries_run:
            report = programme_review_issue(
                programme=programme, user=user, as_of=timezone.localdate(), language="vi", include_tasks=include_tasks
            )
        seconds = time.perf_counter() - started
        annex = report.parameters.get("annex")
        figures = {
            "seconds": seconds,
            "pages": report.page_count,
            "queries": len(queries_run),
            "pdf_bytes": report.pdf.size,
            "annex": annex,
        }
    print(json.dumps(figures))


def measure_programme(code: str, include_tasks: bool) -> None:
    """Issue the review report of programme `code` in a child process; print its time, pages and peak memory."""
    command = [sys.executable, __file__, "--issue-one", code] + ([] if include_tasks else ["--without-tasks"])
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"the child process failed ({status}): {output}")
    figures = json.loads(output.strip().splitlines()[-1])
    programme = Programme.objects.get(code=code)
    outputs = Output.objects.filter(task__programme=programme).count()
    print(
        f"{code} ({programme.tasks.count():,} tasks, {outputs:,} outputs), "
        f"{'with' if include_tasks else 'without'} the table of tasks: {figures['seconds']:.1f} s, "
        f"{figures['pages']} pages, {figures['queries']} queries, PDF {figures['pdf_bytes'] / 2**20:.1f} MB, "
        f"peak resident memory {usage.ru_maxrss / 2**20:.2f} GB; annex: {figures['annex'] or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="requests per report (median taken); default 7")
    parser.add_argument("--documents-only", action="store_true", help="only part 3, the review documents")
    parser.add_argument("--programme", help="issue this programme's review in the configured database (its code)")
    parser.add_argument("--without-tasks", action="store_true", help="with --programme: leave the table of tasks out")
    parser.add_argument("--issue-one", help=argparse.SUPPRESS)  # the child process of --programme
    arguments = parser.parse_args()
    if arguments.issue_one:
        issue_one(arguments.issue_one, include_tasks=not arguments.without_tasks)
        return
    if arguments.programme:
        measure_programme(arguments.programme, include_tasks=not arguments.without_tasks)
        return
    runs = arguments.runs
    print(
        f"database: {connection.vendor}; Python {sys.version.split()[0]}; Django {django.get_version()}; "
        f"WeasyPrint {weasyprint.__version__}; CPUs: {os.cpu_count()}"
    )
    setup_test_environment()  # the test client's host name, e-mail kept in memory
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        ):
            call_command("load_demo", stdout=io.StringIO())
            run(runs, documents_only=arguments.documents_only)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
