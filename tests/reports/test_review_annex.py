"""A review report whose lists are too long for its PDF: summaries in the PDF, every row in the annex spreadsheet.

Read as: with the limit lowered to 10 rows, the demo programme's review (30 tasks, 59 verified outputs
on 10/6/2020) is drawn for real with WeasyPrint and read back with pypdf: it lists no output by name and
no task, says how many rows it leaves out and where they are, shows the summaries by kind and by
province, and prints every figure exactly as the plain SQL of `check_figures` recomputes it over all
rows; the spreadsheet filed beside it holds every row, for those who may download the report only.
"""

import datetime
import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from programmes.models import Programme
from reports import figure_audit as audit
from reports.annex import ANNEX_PARAMETER, annex_filename
from reports.management.commands.check_figures import review_lines
from reports.pdf import ascii_filename
from reports.queries import programme_review
from reports.services import programme_review_issue
from tasks.models import Output
from tests.reports.test_documents import documents  # noqa: F401 (a fixture)
from tests.reports.test_documents import issued as issued_document
from tests.reports.test_pdf import THAI_BINH, client_of, demo, pdf_bytes, text_of  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

REVIEW_DAY = datetime.date(2020, 6, 10)
LIMIT = 10


@pytest.fixture
def issued(demo, settings):  # noqa: F811 (the fixture imported above)
    """The demo's review as of 10/6/2020, with its table of tasks, filed with a limit of 10 rows."""
    settings.REVIEW_REPORT_ROW_LIMIT = LIMIT
    return programme_review_issue(
        programme=demo.programme, user=demo.ministry_user, as_of=REVIEW_DAY, language="vi", include_tasks=True
    )


def in_vietnamese(singular: str, plural: str, count: int, **values) -> str:
    with translation.override("vi"):
        return ngettext(singular, plural, count) % {"counter": count, **values}


def test_the_long_lists_go_to_the_annex_and_the_pdf_says_how_many_rows_and_where(demo, issued):  # noqa: F811
    review = programme_review(programme=demo.programme, user=demo.ministry_user, as_of=REVIEW_DAY, include_tasks=True)
    assert (review.verified_outputs, review.task_rows) == (59, 30)
    assert review.output_groups == [] and review.tasks == []
    with issued.pdf.open("rb") as stored:
        text = text_of(stored.read())
    annex_name = "programme-review-PH-BKHCN-TB-2012-20200610-annex.xlsx"
    with translation.override("vi"):
        where = gettext(
            "Every row is in the annex spreadsheet filed with this report in the archive of issued reports (%(name)s)."
        ) % {"name": annex_name}
    outputs_note = in_vietnamese(
        "The %(counter)s verified output is not listed by name in this report, which lists at most %(limit)s rows: "
        "the summaries by kind and by province below stand for the list.",
        "The %(counter)s verified outputs are not listed by name in this report, which lists at most %(limit)s rows: "
        "the summaries by kind and by province below stand for the list.",
        59,
        limit=LIMIT,
    )
    tasks_note = in_vietnamese(
        "The table of the %(counter)s S&T task is not printed in this report, which lists at most %(limit)s rows: "
        "the summary by province below stands for it.",
        "The table of the %(counter)s S&T tasks is not printed in this report, which lists at most %(limit)s rows: "
        "the summary by province below stands for it.",
        30,
        limit=LIMIT,
    )
    assert f"{outputs_note} {where}" in text
    assert f"{tasks_note} {where}" in text
    # No output by name: the demo's TBR225 rice variety is in the summary's figures only.
    assert "TBR225" not in text
    assert "TB-2012-01" not in text


def test_the_summaries_add_up_to_the_figures_counted_over_every_row(demo, issued):  # noqa: F811
    review = programme_review(programme=demo.programme, user=demo.ministry_user, as_of=REVIEW_DAY, include_tasks=True)
    assert sum(kind.count for kind in review.output_summary) == 59
    assert sum(row.tasks for row in review.province_summary) == review.figures.tasks.value == 30
    assert sum(row.verified_outputs for row in review.province_summary) == 59
    assert sum(row.ministry_funding for row in review.province_summary) == review.figures.ministry_funding.value
    quantities = {
        (figure.label, figure.unit): figure.value for figure in review.figures.outputs_by_kind if figure.value
    }
    summed = {(kind.label, unit): quantity for kind in review.output_summary for unit, quantity in kind.quantities}
    assert {key: value for key, value in summed.items()} == {
        key: value for key, value in quantities.items() if key[1] in {unit for _label, unit in summed}
    }
    with issued.pdf.open("rb") as stored:
        text = text_of(stored.read())
    with translation.override("vi"):
        assert gettext("S&T tasks and outputs by province of the lead agency") in text
        for kind in review.output_summary:
            assert f"{kind.label} {kind.count} " in text


def test_every_figure_of_the_pdf_is_the_one_plain_sql_counts_over_every_row(demo, issued):  # noqa: F811
    with issued.pdf.open("rb") as stored:
        lines = audit.pdf_lines(stored.read())
    expected = audit.programme_figures(as_of=REVIEW_DAY)[demo.programme.pk]
    with translation.override("vi"):
        wanted = list(review_lines(demo.programme, expected))
    assert len(wanted) > 20
    assert audit.compare_pdf("limited review", lines, wanted) == []


def test_the_annex_spreadsheet_holds_every_row_for_those_who_may_download_the_report(demo, issued):  # noqa: F811
    assert issued.parameters[ANNEX_PARAMETER].endswith("-annex.xlsx")
    url = reverse("report_annex", args=[issued.pk])
    response = client_of(demo.ministry_user).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "-annex.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    with translation.override("vi"):
        outputs_sheet, tasks_sheet = workbook[gettext("Verified outputs")[:31]], workbook[gettext("S&T tasks")[:31]]
    outputs = list(outputs_sheet.iter_rows(min_row=2, values_only=True))
    tasks = list(tasks_sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in outputs] == list(range(1, 60))
    assert len(tasks) == 30
    assert {row[1] for row in tasks} == set(
        Programme.objects.get(code=THAI_BINH).tasks.filter(start_on__lte=REVIEW_DAY).values_list("code", flat=True)
    )
    varieties = [row for row in outputs if row[2] and "TBR225" in row[2]]
    assert varieties
    # The quantities of the sheet add up to those the figures count.
    figures = programme_review(
        programme=demo.programme, user=demo.ministry_user, as_of=REVIEW_DAY, include_tasks=False
    ).figures
    assert sum(row[5] for row in outputs) == sum(figure.value for figure in figures.outputs_by_kind)
    assert sum(row[5] for row in outputs) <= Output.objects.aggregate(total=Sum("quantity"))["total"]
    # Another province's department may not read the Thái Bình programme's report, nor its annex.
    assert client_of(demo.other_province_user).get(url).status_code == 404


def test_a_report_without_an_annex_answers_404_for_it(demo):  # noqa: F811
    report = programme_review_issue(
        programme=demo.programme, user=demo.ministry_user, as_of=REVIEW_DAY, language="vi", include_tasks=False
    )
    assert ANNEX_PARAMETER not in report.parameters
    assert client_of(demo.ministry_user).get(reverse("report_annex", args=[report.pk])).status_code == 404


def test_a_copy_not_filed_says_the_archive_copy_comes_with_the_annex(demo, settings):  # noqa: F811
    settings.REVIEW_REPORT_ROW_LIMIT = LIMIT
    params = {"as_of": REVIEW_DAY.strftime("%d/%m/%Y"), "language": "vi"}
    response = client_of(demo.ministry_user).get(reverse("programme_review_pdf", args=[demo.programme.pk]), params)
    text = text_of(pdf_bytes(response))
    with translation.override("vi"):
        assert (
            gettext(
                "Every row is in the annex spreadsheet that comes with the report when it is filed in the archive of "
                "issued reports."
            )
            in text
        )


def test_an_issued_review_document_files_its_annex_beside_it(documents, settings):  # noqa: F811
    settings.REVIEW_REPORT_ROW_LIMIT = 0  # the one task and its one verified output of the world
    document = issued_document(documents)
    name = document.parameters[ANNEX_PARAMETER]
    assert default_storage.exists(name)
    assert name.rsplit("/", 1)[0] == document.pdf.name.rsplit("/", 1)[0]
    with document.pdf.open("rb") as stored:
        text = text_of(stored.read())
    assert annex_filename(ascii_filename(document.download_name())) in text
    response = client_of(documents.ministry_user).get(reverse("report_annex", args=[document.pk]))
    assert response.status_code == 200
    assert annex_filename(document.download_name()) in unquote(response["Content-Disposition"])
