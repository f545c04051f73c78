"""Cells read as Vietnamese users type them: money, dates, whole numbers, choices."""

import datetime
from decimal import Decimal

import pytest

from imports.cells import CellError, read_choice, read_date, read_money, read_whole_number
from imports.columns import choice_words
from tasks.choices import FundingSource, TaskStatus


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.234.567", 1234567),
        ("1234567", 1234567),
        ("1 234 567 đ", 1234567),
        ("1.200.000.000 VND", 1200000000),
        ("1,234,567", 1234567),
        (1234567, 1234567),
        (1234567.0, 1234567),
        ("0", 0),
        (None, None),
        ("  ", None),
    ],
)
def test_money_is_read_as_typed(typed, amount):
    assert read_money(typed) == (None if amount is None else Decimal(amount))


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("1.2.3.4", "không phải là số"),
        ("3,2 tỷ", "không phải là số"),
        ("3,2", "không phải là số"),
        ("12.34", "không phải là số"),
        ("1.234,5", "không phải là số"),
        (1234.5, "phần thập phân"),
        ("-5", "số âm"),
        ("1" * 19, "quá lớn"),
        (True, "không phải là số"),
    ],
)
def test_money_that_is_not_well_formed_is_refused_with_an_example(typed, words):
    with pytest.raises(CellError) as refused:
        read_money(typed)
    assert words in str(refused.value)


def test_the_message_quotes_the_cell_as_typed():
    with pytest.raises(CellError) as refused:
        read_money("3,2 tỷ")
    assert str(refused.value).startswith("'3,2 tỷ' không phải là số")
    assert "1.234.567" in str(refused.value)


@pytest.mark.parametrize(
    "typed",
    [
        "10/06/2020",
        "10-06-2020",
        "10.06.2020",
        "2020-06-10",
        datetime.datetime(2020, 6, 10),
        datetime.date(2020, 6, 10),
        43992,
    ],
)
def test_dates_are_read_day_first_or_from_date_cells(typed):
    assert read_date(typed) == datetime.date(2020, 6, 10)


@pytest.mark.parametrize("typed", ["31/02/2020", "06/31/2020", "tháng 6/2020", 12, "2020"])
def test_what_is_not_a_date_is_refused(typed):
    with pytest.raises(CellError, match="dd/mm/yyyy"):
        read_date(typed)


def test_whole_numbers_keep_their_range():
    assert read_whole_number("60", minimum=0, maximum=100) == 60
    with pytest.raises(CellError, match="lớn hơn 100"):
        read_whole_number(120, minimum=0, maximum=100)
    with pytest.raises(CellError, match="số nguyên"):
        read_whole_number("60,5")


def test_choices_by_label_in_either_language_or_by_code_whatever_the_diacritics():
    statuses = choice_words(TaskStatus)
    assert read_choice("Đang thực hiện", statuses) == TaskStatus.IN_PROGRESS
    assert read_choice("dang thuc hien", statuses) == TaskStatus.IN_PROGRESS
    assert read_choice("In progress", statuses) == TaskStatus.IN_PROGRESS
    assert read_choice("in_progress", statuses) == TaskStatus.IN_PROGRESS
    # A list's export adds a remark to an overdue task's status.
    assert read_choice("Đang thực hiện (quá hạn)", statuses) == TaskStatus.IN_PROGRESS
    assert read_choice("Vốn đối ứng", choice_words(FundingSource)) == FundingSource.COUNTERPART
    with pytest.raises(CellError, match="không có trong danh sách"):
        read_choice("Sắp làm", statuses)
