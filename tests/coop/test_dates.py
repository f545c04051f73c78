"""The bounds of a year (coop/dates.py) are the ones every model, constraint, message and filter uses."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from coop.dates import FIRST_YEAR, LAST_YEAR
from coop.filters import YearRangeFilter
from programmes.models import Programme
from tasks.models import Funding
from tests.factories import FundingFactory, ProgrammeFactory, TaskFactory

pytestmark = pytest.mark.django_db


def constraint(model, name):
    return next(item for item in model._meta.constraints if item.name == name)


@pytest.mark.parametrize(("language", "words"), [("en", "between {} and {}"), ("vi", "từ {} đến {}")])
def test_the_messages_name_the_bounds_in_the_users_language(language, words):
    expected = words.format(FIRST_YEAR, LAST_YEAR)
    with translation.override(language):
        assert expected in constraint(Programme, "programme_years_in_range").get_violation_error_message()
        assert expected in constraint(Funding, "funding_year_in_range").get_violation_error_message()
        with pytest.raises(ValidationError) as refused:
            FundingFactory.build(task=TaskFactory(), year=LAST_YEAR + 1).full_clean()
        assert expected in " ".join(refused.value.messages)


def test_the_first_and_the_last_year_are_allowed_and_no_other():
    task = TaskFactory()
    for year in (FIRST_YEAR, LAST_YEAR):
        FundingFactory.build(task=task, year=year).full_clean()
        ProgrammeFactory.build(start_year=year, end_year=year).full_clean()
    with translation.override("en"):
        for year in (FIRST_YEAR - 1, LAST_YEAR + 1):
            with pytest.raises(ValidationError, match="must be between"):
                FundingFactory.build(task=task, year=year).full_clean()
            with pytest.raises(ValidationError, match="must be between"):
                ProgrammeFactory.build(start_year=year, end_year=year).full_clean()


def test_a_year_filter_takes_the_same_bounds():
    field = YearRangeFilter().field
    assert (field.min_value, field.max_value) == (FIRST_YEAR, LAST_YEAR)
