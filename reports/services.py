"""Writes of the reports app: issuing a PDF report and filing it in the archive.

Issuing a report reads what it shows (`reports.queries`), draws it in the language asked for
(`reports.pdf`), then files it with `generated_report_create`: the stored file, with the SHA-256
and the page count read back from the stored bytes, in one transaction. The drawing happens
before the transaction opens, so that a long rendering holds no database lock.
"""

import datetime
import hashlib
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from programmes.models import Programme
from reports import queries
from reports.charts import review_charts
from reports.choices import ReportKind, ReportStage
from reports.models import GeneratedReport
from reports.pdf import REPORT_SYMBOL, ascii_filename, document_header, ignore_stage, page_count, render_pdf
from tasks.models import Task


def generated_report_create(
    *,
    kind: str,
    programme: Programme | None,
    parameters: dict,
    created_by,
    created_at: datetime.datetime,
    pdf: bytes,
    filename: str,
) -> GeneratedReport:
    """File an issued PDF in the archive: the file, then its row with the checksum and page count of the stored copy.

    The checksum and the page count are read back from what the storage holds, so that the
    archive describes the very file it will serve. Should the row fail, its file is removed.
    """
    report = GeneratedReport(
        kind=kind,
        programme=programme,
        parameters=parameters,
        created_by=created_by,
        created_at=created_at,
    )
    report.pdf.save(ascii_filename(filename), ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            with report.pdf.open("rb") as stored_file:
                stored = stored_file.read()
            report.sha256 = hashlib.sha256(stored).hexdigest()
            report.page_count = page_count(stored)
            report.full_clean()
            report.save()
    except Exception:
        report.pdf.delete(save=False)
        raise
    return report


def default_issuer() -> str:
    """The issuer when a programme names no Ministry-side party: the Ministry, in the active language."""
    return gettext("Ministry of Science and Technology")


def review_parameters(*, as_of: datetime.date, language: str, include_tasks: bool) -> dict:
    """The options of a programme review report, as the archive and a background request record them."""
    return {"as_of": as_of.isoformat(), "language": language, "include_tasks": include_tasks}


def programme_review_issue(
    *,
    programme: Programme,
    user,
    as_of: datetime.date,
    language: str,
    include_tasks: bool,
    on_stage: Callable[[str], None] = ignore_stage,
) -> GeneratedReport:
    """Draw the programme review report as it stood at the end of `as_of`, and file it.

    `on_stage` is told each step as it starts (reports.choices.ReportStage).
    """
    on_stage(ReportStage.READING)
    review = queries.programme_review(programme=programme, user=user, as_of=as_of, include_tasks=include_tasks)
    issued_at = timezone.now()
    pdf = programme_review_pdf(review=review, user=user, language=language, issued_at=issued_at, on_stage=on_stage)
    on_stage(ReportStage.FILING)
    return generated_report_create(
        kind=ReportKind.PROGRAMME_REVIEW,
        programme=programme,
        parameters=review_parameters(as_of=as_of, language=language, include_tasks=include_tasks),
        created_by=user,
        created_at=issued_at,
        pdf=pdf,
        filename=f"programme-review-{programme.code}-{as_of:%Y%m%d}.pdf",
    )


def programme_review_pdf(
    *,
    review: queries.ProgrammeReview,
    user,
    language: str,
    issued_at: datetime.datetime,
    on_stage: Callable[[str], None] = ignore_stage,
) -> bytes:
    """The review report's PDF, drawn and not filed (`programme_review_issue` files it; the audit of
    figures, `manage.py check_figures`, reads it back)."""
    with translation.override(language):
        document = document_header(
            review.issuing_party,
            default_issuer=default_issuer(),
            issued_on=timezone.localdate(issued_at),
            number=REPORT_SYMBOL,
        )
        context = {
            "review": review,
            "charts": review_charts(review.figures),
            "document": document,
            "issued_at": issued_at,
            "issued_by": user,
        }
        return render_pdf("reports/pdf/programme_review.html", context, on_stage=on_stage)


def task_sheet_issue(*, task: Task, user, language: str) -> GeneratedReport:
    """Draw the one-page sheet of a task as it stands now, and file it under the task's programme."""
    sheet = queries.task_sheet(task=task, user=user)
    issued_at = timezone.now()
    with translation.override(language):
        document = document_header(
            sheet.issuing_party, default_issuer=default_issuer(), issued_on=timezone.localdate(issued_at)
        )
        context = {"sheet": sheet, "task": task, "document": document, "issued_at": issued_at, "issued_by": user}
        pdf = render_pdf("reports/pdf/task_sheet.html", context)
    return generated_report_create(
        kind=ReportKind.TASK_SHEET,
        programme=task.programme,
        parameters={"task": task.pk, "task_code": task.code, "language": language},
        created_by=user,
        created_at=issued_at,
        pdf=pdf,
        filename=f"task-sheet-{task.programme.code}-{task.code}.pdf",
    )


def task_list_issue(
    *,
    rows: QuerySet,
    totals: dict,
    filters: list[tuple[str, str]],
    parameters: dict,
    programme: Programme | None,
    user,
    language: str,
    on_stage: Callable[[str], None] = ignore_stage,
) -> GeneratedReport:
    """Draw a filtered list of tasks with its totals, and file it.

    `rows` are the tasks in the order of the list, annotated by `tasks.queries.task_rows`;
    `filters` say in words what narrowed them; `programme` is set when the list is of one programme.
    `on_stage` is told each step as it starts (the rows are read while the document is written).
    """
    issued_at = timezone.now()
    with translation.override(language):
        document = document_header(None, default_issuer=default_issuer(), issued_on=timezone.localdate(issued_at))
        context = {
            "tasks": rows,
            "totals": totals,
            "filters": filters,
            "document": document,
            "issued_at": issued_at,
            "issued_by": user,
        }
        pdf = render_pdf("reports/pdf/task_list.html", context, on_stage=on_stage)
    on_stage(ReportStage.FILING)
    return generated_report_create(
        kind=ReportKind.TASK_LIST,
        programme=programme,
        parameters={**parameters, "language": language},
        created_by=user,
        created_at=issued_at,
        pdf=pdf,
        filename=f"task-list-{timezone.localtime(issued_at):%Y%m%d-%H%M}.pdf",
    )
