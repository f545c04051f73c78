"""`manage.py check_figures`: the figures shown agree with the rows on the demo and on the small synthetic
set, and a figure that drifts from its rows makes the command fail and name it."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from reports import figure_audit as audit
from tasks.choices import FundingSource
from tasks.models import Output, Task

pytestmark = pytest.mark.django_db


def check_figures(*args) -> str:
    out = io.StringIO()
    try:
        call_command("check_figures", *args, stdout=out, stderr=out)
    except CommandError as failure:
        pytest.fail(f"{failure}\n{out.getvalue()[:5000]}")
    return out.getvalue()


def failed_check(*args) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("check_figures", *args, stdout=io.StringIO(), stderr=err)
    return f"{failure.value}\n{err.getvalue()}"


@pytest.mark.usefixtures("demo_data")
class TestOnTheDemo:
    def test_every_figure_of_pages_and_review_reports_agrees_with_the_rows(self):
        output = check_figures()
        assert "No difference" in output

    def test_the_audit_recomputes_the_article_figures(self):
        programme = Task.objects.get(code="TB-2012-28").programme_id
        figures = audit.programme_figures()[programme]
        assert figures["tasks"] == 30
        assert Decimal(95 * 10**9) <= figures["funding:ministry"] < Decimal(100 * 10**9)
        assert sum(value for key, value in figures.items() if key.startswith("outputs:technology:")) == 20

    def test_a_funding_sum_kept_on_a_task_that_drifted_from_its_rows_is_named(self):
        Task.objects.filter(code="TB-2012-28").update(ministry_funding=F("ministry_funding") + 1)
        report = failed_check("--no-pdf", "--no-agencies")
        assert f"dashboard: funding:{FundingSource.MINISTRY}" in report

    def test_an_output_waiting_for_verification_counts_on_neither_side(self):
        output = Output.objects.filter(task__code="TB-2012-28").first()
        Output.objects.filter(pk=output.pk).update(status="submitted")
        assert "No difference" in check_figures("--no-pdf")

    def test_the_audit_writes_nothing(self):
        from django.contrib.auth import get_user_model

        check_figures("--no-pdf", "--no-agencies")
        assert not get_user_model().objects.filter(username="figure-audit").exists()


@pytest.fixture(scope="module")
def small_synthetic(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("generate_synthetic", "--scale", "small", "--seed", "3", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("small_synthetic")
def test_every_figure_agrees_with_the_rows_on_the_small_synthetic_set():
    assert "No difference" in check_figures()


class TestComparisons:
    def test_a_figure_absent_from_a_page_counts_as_zero(self):
        assert audit.compare_page("p", {"tasks": {"3"}}, {"tasks": Decimal(3), "status:proposed": Decimal(0)}) == []

    def test_a_page_showing_two_values_for_one_figure_is_a_difference(self):
        [difference] = audit.compare_page("p", {"tasks": {"3", "4"}}, {"tasks": Decimal(3)})
        assert difference.shown == "3 / 4"

    def test_a_figure_the_rows_do_not_give_is_a_difference(self):
        [difference] = audit.compare_page("p", {"outputs:model:mô hình": {"54"}}, {"outputs:model:mô hình": 53})
        assert str(difference) == "p: outputs:model:mô hình shows 54, the rows give 53"

    def test_a_pdf_line_is_found_whatever_its_spacing_and_a_missing_one_names_what_is_printed_instead(self):
        lines = {"Đang thực hiện 4", "Tổng cộng 30"}
        assert audit.compare_pdf("r", lines, [("tasks", "Tổng  cộng 30")]) == []
        [difference] = audit.compare_pdf("r", lines, [("status:in_progress", "Đang thực hiện 5")])
        assert difference.shown == "Đang thực hiện 4"
