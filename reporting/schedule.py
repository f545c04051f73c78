"""The periods a reporting rule draws over a programme's years ("6 tháng, hạn ngày 15 tháng sau")."""

import datetime
from dataclasses import dataclass

from programmes.choices import MONTHS_PER_PERIOD, ReportingFrequency


@dataclass(frozen=True)
class PeriodDates:
    starts_on: datetime.date
    ends_on: datetime.date
    due_on: datetime.date
    is_final: bool = False


def periods_from_rule(
    *, frequency: str, first_year: int, last_year: int, due_day: int, due_months_after: int
) -> list[PeriodDates]:
    """Periods of `frequency` from 1 January of `first_year` to 31 December of `last_year`.

    Each report is due on `due_day` of the month `due_months_after` months after the period's last
    month (0: in that month itself, "by 15/6 and 15/12"). The last period is the final report.
    A programme whose dates are typed by hand (`manual`) gets none from the rule.
    """
    if frequency == ReportingFrequency.MANUAL:
        return []
    months = MONTHS_PER_PERIOD[frequency]
    periods = []
    for year in range(first_year, last_year + 1):
        for first_month in range(1, 13, months):
            last_month = first_month + months - 1
            starts_on = datetime.date(year, first_month, 1)
            ends_on = _last_day(year, last_month)
            due_on = _day_in_month_after(ends_on, months_after=due_months_after, day=due_day)
            periods.append(PeriodDates(starts_on, ends_on, max(due_on, starts_on)))
    if periods:
        last = periods[-1]
        periods[-1] = PeriodDates(last.starts_on, last.ends_on, last.due_on, is_final=True)
    return periods


def _last_day(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def _day_in_month_after(date: datetime.date, *, months_after: int, day: int) -> datetime.date:
    month_index = date.year * 12 + (date.month - 1) + months_after
    return datetime.date(month_index // 12, month_index % 12 + 1, day)
