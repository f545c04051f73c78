"""The rules of a report's figure on one funding row, held by the database and explained by `full_clean()`."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tasks.models import ProgressDisbursement
from tests.factories import FundingFactory, ProgressReportFactory
from tests.helpers import vietnamese

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    return ProgressReportFactory()


@pytest.fixture
def funding(report):
    return FundingFactory(task=report.task, allocated=Decimal(100_000_000), disbursed=0)


def refusal(row) -> dict:
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    return refused.value.message_dict


def test_a_negative_figure_is_refused_by_the_form_rules_and_by_the_database(report, funding):
    row = ProgressDisbursement(report=report, funding=funding, disbursed_to_date=Decimal(-1))
    assert refusal(row) == {"disbursed_to_date": [vietnamese("Amounts cannot be negative.")]}
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_one_figure_per_report_and_funding_row(report, funding):
    ProgressDisbursement.objects.create(report=report, funding=funding, disbursed_to_date=Decimal(5))
    second = ProgressDisbursement(report=report, funding=funding, disbursed_to_date=Decimal(6))
    assert refusal(second) == {"__all__": [vietnamese("The report already gives an amount for this funding row.")]}
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_a_figure_above_the_rows_allocation_is_explained(report, funding):
    row = ProgressDisbursement(report=report, funding=funding, disbursed_to_date=Decimal(100_000_001))
    expected = vietnamese("Cannot exceed the %(allocated)s allocated on this row.", allocated="100.000.000 đ")
    assert refusal(row) == {"disbursed_to_date": [expected]}


def test_a_figure_on_a_funding_row_of_another_task_is_refused(report):
    row = ProgressDisbursement(report=report, funding=FundingFactory(), disbursed_to_date=Decimal(1))
    assert refusal(row) == {"funding": [vietnamese("The funding row belongs to another task.")]}


def test_deleting_the_task_deletes_its_reports_figures_and_funding_rows_together(report, funding):
    ProgressDisbursement.objects.create(report=report, funding=funding, disbursed_to_date=Decimal(5))
    report.task.delete()
    assert not ProgressDisbursement.objects.exists()
