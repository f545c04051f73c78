from decimal import Decimal

import pytest
from django.utils import translation

from coop.formatting import format_billions, format_vnd


@pytest.mark.parametrize(
    ("amount", "vietnamese", "english"),
    [
        (1_234_567_000, "1.234.567.000 đ", "1,234,567,000 đ"),
        (Decimal("950000"), "950.000 đ", "950,000 đ"),
        (0, "0 đ", "0 đ"),
        (None, "", ""),
    ],
)
def test_format_vnd_groups_thousands_in_the_active_language(amount, vietnamese, english):
    with translation.override("vi"):
        assert format_vnd(amount) == vietnamese
    with translation.override("en"):
        assert format_vnd(amount) == english


def test_format_billions_writes_summaries_in_ty_dong():
    with translation.override("vi"):
        assert format_billions(98_500_000_000) == "98,5 tỷ đồng"
        assert format_billions(97_649_000_000) == "97,6 tỷ đồng"
        assert format_billions(1_234_000_000_000, decimal_pos=0) == "1.234 tỷ đồng"
    with translation.override("en"):
        assert format_billions(98_500_000_000) == "98.5 billion VND"
