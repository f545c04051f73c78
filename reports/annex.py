"""The annex spreadsheet of a review report: the lists too long for its PDF, row by row.

A review report lists at most `queries.review_row_limit()` verified outputs by name and as many rows
in each table of tasks; a longer list is summed up in the PDF and written here in full, as it stood on
the report's date, then filed beside the PDF (`services.review_annex_file`). One sheet per list left
out of the PDF: the verified outputs, the programme's tasks, the tasks funded through it.

openpyxl's write-only mode keeps one row in memory at a time, and the rows are read from the
database in chunks: 30,000 outputs take a few seconds and a few tens of MB.
"""

import datetime
import io

from django.utils.text import capfirst
from django.utils.translation import gettext

from programmes.choices import OutputKind
from reports.figures import programme_figure_tasks
from reports.queries import ProgrammeReview, review_funded_task_rows, review_outputs, review_task_rows
from tasks.choices import TaskStatus

# The key of a report's parameters that holds the stored name of its annex, when it has one.
ANNEX_PARAMETER = "annex"
# Rows read from the database at a time.
CHUNK = 2000
# The widths of the columns, in characters, by header: long texts wide, codes and numbers narrow.
WIDE, MEDIUM, NARROW = 60, 30, 14


def annex_filename(pdf_filename: str) -> str:
    """The name of the annex filed beside `pdf_filename`: "programme-review-PH-01-20200610-annex.xlsx"."""
    return pdf_filename.removesuffix(".pdf") + "-annex.xlsx"


def review_annex_xlsx(review: ProgrammeReview, *, user) -> bytes:
    """The spreadsheet of the lists `review` leaves out of its PDF, in the active language."""
    # Imported here, when an annex is written: see reports/pdf.py on keeping the URLconf's imports light.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title: str, columns: list[tuple[str, int]], rows) -> None:
        worksheet = workbook.create_sheet(title=title[:31])
        for index, (_header, width) in enumerate(columns):
            worksheet.column_dimensions[get_column_letter(index + 1)].width = width
        worksheet.freeze_panes = "A2"
        header = []
        for name, _width in columns:
            cell = WriteOnlyCell(worksheet, value=name)
            cell.font = bold
            header.append(cell)
        worksheet.append(header)
        for row in rows:
            worksheet.append(
                [date_cell(worksheet, value) if isinstance(value, datetime.date) else value for value in row]
            )

    tasks = programme_figure_tasks(programme=review.programme, user=user, as_of=review.as_of)
    # The labels of the choices once, in the active language: `get_kind_display()` per row spent more time
    # looking up its lazy label than writing the row.
    kinds = {value: str(label) for value, label in OutputKind.choices}
    if review.outputs_in_annex:
        outputs = review_outputs(tasks=tasks, as_of=review.as_of).select_related("task__lead_agency__province")
        sheet(
            gettext("Verified outputs"),
            [
                (gettext("No."), 6),
                (gettext("Kind"), MEDIUM),
                (gettext("Name"), WIDE),
                (gettext("Task code"), NARROW),
                (gettext("Province of the lead agency"), MEDIUM),
                (capfirst(gettext("quantity")), NARROW),
                (capfirst(gettext("unit")), NARROW),
                (capfirst(gettext("achieved on")), NARROW),
                (gettext("Evidence"), MEDIUM),
            ],
            (
                [
                    number,
                    kinds[output.kind],
                    output.name,
                    output.task.code,
                    _province(output.task),
                    output.quantity,
                    output.unit,
                    output.achieved_on,
                    output.evidence,
                ]
                for number, output in enumerate(outputs.iterator(chunk_size=CHUNK), start=1)
            ),
        )
    if review.tasks_in_annex:
        rows = review_task_rows(tasks=tasks, as_of=review.as_of).select_related("lead_agency__province")
        sheet(gettext("S&T tasks"), _task_columns(), _task_rows(rows))
    if review.funded_tasks_in_annex:
        rows = review_funded_task_rows(programme=review.programme, user=user, as_of=review.as_of).select_related(
            "lead_agency__province"
        )
        sheet(gettext("S&T tasks funded through it"), _task_columns(programme=True), _task_rows(rows, programme=True))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def date_cell(worksheet, value: datetime.date):
    """A date cell shown dd/mm/yyyy, as Vietnamese readers write dates."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value=value)
    cell.number_format = "DD/MM/YYYY"
    return cell


def _province(task) -> str:
    province = task.lead_agency.province
    return province.name if province is not None else ""


def _task_columns(*, programme: bool = False) -> list[tuple[str, int]]:
    return [
        (gettext("No."), 6),
        *([(gettext("Programme"), NARROW)] if programme else []),
        (gettext("Code"), NARROW),
        (capfirst(gettext("title")), WIDE),
        (gettext("Lead agency"), MEDIUM),
        (gettext("Province of the lead agency"), MEDIUM),
        (capfirst(gettext("places of implementation")), MEDIUM),
        (capfirst(gettext("start date")), NARROW),
        (capfirst(gettext("end date")), NARROW),
        (gettext("Ministry funding (VND)"), NARROW),
        (gettext("Total funding (VND)"), NARROW),
        (capfirst(gettext("percent complete")), NARROW),
        (gettext("Status"), NARROW),
    ]


def _task_rows(rows, *, programme: bool = False):
    """The cells of each task of `rows` (annotated by `review_task_rows`), read in chunks."""
    statuses = {value: str(label) for value, label in TaskStatus.choices}
    for number, task in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        yield [
            number,
            *([task.programme.code] if programme else []),
            task.code,
            task.title,
            task.lead_agency.name,
            _province(task),
            task.places_label(),
            task.start_on,
            task.end_on,
            int(task.ministry_funding_as_of),
            int(task.total_funding_as_of),
            task.percent_as_of,
            statuses[task.status],
        ]
