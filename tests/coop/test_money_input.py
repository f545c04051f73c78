"""Amounts typed into a form: whole đồng, grouped by three or not grouped at all; anything else is an error
with an example, never a different amount."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from coop.forms import MoneyField


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        ("1234567", 1234567),
        ("1 234 567 đ", 1234567),
        ("500.000.000 VND", 500000000),
        ("0", 0),
    ],
)
def test_well_formed_amounts_are_read(language, typed, amount):
    with translation.override(language):
        assert MoneyField().clean(typed) == Decimal(amount)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("typed", ["1.2.3.4", "12.34", "1.234,5", "1.23.456", "1,2", "3,2 tỷ", "1200000000.0", "1e9"])
def test_malformed_grouping_is_an_error_with_an_example_not_another_amount(language, typed):
    with translation.override(language), pytest.raises(forms.ValidationError) as refused:
        MoneyField().clean(typed)
    assert "1.200.000.000" in refused.value.messages[0]
