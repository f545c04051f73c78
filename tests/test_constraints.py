"""Every rule of the data model holds twice: the database refuses a bad row, and
`full_clean()` explains the problem in words a user understands, before any save."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.factories import (
    AgencyFactory,
    FundingFactory,
    OutputFactory,
    ProgrammeFactory,
    ProgressReportFactory,
    ProvinceFactory,
    TargetFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def reviewed(**extra):
    """Fields of a report that was reviewed by someone other than its submitter."""
    return {"reviewed_by": UserFactory(), "reviewed_at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), **extra}


# (factory, bad values, message full_clean gives). Each bad row breaks exactly one rule.
CHECK_RULES = [
    pytest.param(TaskFactory, {"percent_complete": 101}, "between 0 and 100", id="task percent > 100"),
    pytest.param(
        TaskFactory,
        {"start_on": datetime.date(2020, 1, 1), "end_on": datetime.date(2019, 1, 1)},
        "end date cannot be before the start date",
        id="task ends before it starts",
    ),
    pytest.param(ProgressReportFactory, {"percent_complete": 150}, "between 0 and 100", id="report percent > 100"),
    pytest.param(
        ProgressReportFactory,
        {"disbursed_to_date": Decimal(-1)},
        "cannot be negative",
        id="report disbursed negative",
    ),
    pytest.param(
        ProgressReportFactory,
        {"status": "approved"},
        "must name its reviewer",
        id="approved report without reviewer",
    ),
    pytest.param(
        ProgressReportFactory,
        {"status": "returned", "review_note": "", "__reviewed": True},
        "must say why it was returned",
        id="returned report without reason",
    ),
    pytest.param(OutputFactory, {"quantity": 0}, "at least 1", id="output quantity 0"),
    pytest.param(
        FundingFactory,
        {"allocated": Decimal(-5), "disbursed": Decimal(-5)},
        "cannot be negative",
        id="funding negative",
    ),
    pytest.param(
        FundingFactory,
        {"allocated": Decimal(100), "disbursed": Decimal(101)},
        "cannot exceed the amount allocated",
        id="disbursed above allocated",
    ),
    pytest.param(FundingFactory, {"year": 3000}, "between 1945 and 2100", id="funding year out of range"),
    pytest.param(
        ProgrammeFactory,
        {"start_year": 2015, "end_year": 2012},
        "end year cannot be before",
        id="programme ends before start",
    ),
    pytest.param(
        ProgrammeFactory,
        {"start_year": 2012, "end_year": 2015, "orientation_year": 2014},
        "orientation year cannot be before",
        id="orientation before end",
    ),
    pytest.param(TargetFactory, {"value": Decimal(-1)}, "cannot be negative", id="target negative"),
    pytest.param(
        ProvinceFactory,
        {"valid_from": datetime.date(2020, 1, 1), "valid_to": datetime.date(2019, 1, 1)},
        "cannot be before its start",
        id="province validity reversed",
    ),
]


def build_bad(factory, bad):
    bad = dict(bad)
    if bad.pop("__reviewed", False):
        bad.update(reviewed())
    return factory.build(**{**bad, **saved_relations(factory)})


def saved_relations(factory):
    """Foreign keys of a built (unsaved) row must point at saved rows for full_clean to run."""
    model = factory._meta.model
    names = {"task": TaskFactory, "programme": ProgrammeFactory, "lead_agency": AgencyFactory}
    return {name: make() for name, make in names.items() if hasattr(model, name)}


@pytest.mark.parametrize(("factory", "bad", "message"), CHECK_RULES)
def test_full_clean_explains_the_broken_rule(factory, bad, message):
    row = build_bad(factory, bad)
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            row.full_clean()
        assert message in " ".join(raised.value.messages)


@pytest.mark.parametrize(("factory", "bad", "message"), CHECK_RULES)
def test_database_refuses_the_row_even_without_validation(factory, bad, message):
    row = build_bad(factory, bad)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_nobody_reviews_their_own_progress_report():
    user = UserFactory()
    report = ProgressReportFactory.build(
        task=TaskFactory(), status="approved", submitted_by=user, **reviewed(reviewed_by=user)
    )
    with translation.override("en"), pytest.raises(ValidationError, match="review their own"):
        report.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        report.save()


def test_task_code_is_unique_within_its_programme_only():
    task = TaskFactory(code="TB-01")
    TaskFactory(code="TB-01")  # another programme: allowed
    duplicate = TaskFactory.build(code="TB-01", programme=task.programme, lead_agency=task.lead_agency)
    with translation.override("en"), pytest.raises(ValidationError, match="already has a task with this code"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_programme_code_is_unique():
    ProgrammeFactory(code="PH-01")
    duplicate = ProgrammeFactory.build(code="PH-01")
    with translation.override("en"), pytest.raises(ValidationError, match="programme with this code already exists"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_funding_is_unique_per_task_source_and_year():
    funding = FundingFactory(year=2014)
    duplicate = FundingFactory.build(task=funding.task, source=funding.source, year=2014)
    with translation.override("en"), pytest.raises(ValidationError, match="already has funding from this source"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_province_code_is_reused_only_after_the_old_province_ended():
    ProvinceFactory(code="34", name="Thái Bình", valid_to=datetime.date(2025, 6, 30))
    ProvinceFactory(code="34", name="Tỉnh mới")  # the old one has ended: allowed
    duplicate = ProvinceFactory.build(code="34", name="Tỉnh khác")
    with translation.override("en"), pytest.raises(ValidationError, match="already has this code"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_messages_speak_vietnamese_by_default():
    task = TaskFactory.build(programme=ProgrammeFactory(), lead_agency=AgencyFactory(), percent_complete=120)
    with translation.override("vi"):
        with pytest.raises(ValidationError) as raised:
            task.full_clean()
        assert "từ 0 đến 100" in " ".join(raised.value.messages)


def test_valid_rows_pass_full_clean():
    for factory in (TaskFactory, FundingFactory, OutputFactory, ProgressReportFactory, ProgrammeFactory):
        factory().full_clean()
