"""The case every test of the reporting calendar counts by hand (`calendar`)."""

import datetime

import pytest

from programmes.choices import ReportingFrequency
from reporting.services import reporting_schedule_draw
from tasks.choices import ReportStatus, TaskStatus
from tests.factories import ProgressReportFactory, TaskFactory

D = datetime.date
# After the first half of 2021 was due (15/07/2021), before the second half is (15/01/2022).
TODAY = D(2021, 7, 20)
RULE = {
    "reporting_frequency": ReportingFrequency.HALF_YEARLY,
    "reporting_due_day": 15,
    "reporting_due_months_after": 1,
    "reminder_days_before": 7,
}


@pytest.fixture
def calendar(roles):
    """`roles` with the programme's half-yearly schedule over 2020–2021 and six tasks.

    Periods: first half 2020 (due 15/07/2020), second half 2020 (due 15/01/2021), first half 2021 (due
    15/07/2021), second half 2021 (final, due 15/01/2022). Counted by hand for today, 20/07/2021:

    | period  | owing           | on time | late | missing | not due | approved |
    | 2020 H1 | t1, t3          | t1, t3  |      |         |         | t1, t3   |
    | 2020 H2 | t1, t2          |         | t1   | t2      |         |          |
    | 2021 H1 | t1, t2, t6      | t6      |      | t1, t2  |         |          |
    | 2021 H2 | t1, t2, t6      |         |      |         | all 3   |          |

    t4 (cancelled) and t5 (proposed) owe nothing; t3 was accepted on 01/10/2020: its acceptance record is its
    account of the second half of 2020, so it owes only the first half.
    """
    world = roles
    programme = world.programme
    programme.start_year, programme.end_year = 2020, 2021
    programme.save()
    reporting_schedule_draw(programme=programme, data=RULE)
    world.periods = list(programme.reporting_periods.order_by("ends_on"))
    h1_2020, h2_2020, h1_2021, _h2_2021 = world.periods
    world.task.delete()

    def task(code, status, start, agency=None, **fields):
        return TaskFactory(
            programme=programme,
            code=code,
            status=status,
            start_on=start,
            end_on=D(2021, 12, 31),
            lead_agency=agency or world.department,
            **fields,
        )

    world.t1 = task("T1", TaskStatus.IN_PROGRESS, D(2020, 1, 1))
    world.t2 = task("T2", TaskStatus.IN_PROGRESS, D(2020, 9, 1))
    world.t3 = task("T3", TaskStatus.ACCEPTED, D(2020, 1, 1), accepted_on=D(2020, 10, 1))
    world.t4 = task("T4", TaskStatus.CANCELLED, D(2020, 1, 1))
    world.t5 = task("T5", TaskStatus.PROPOSED, D(2020, 1, 1))
    world.t6 = task("T6", TaskStatus.IN_PROGRESS, D(2021, 1, 1), agency=world.other_department)

    def report(task, period, status, first_on, **fields):
        if status in (ReportStatus.APPROVED, ReportStatus.RETURNED):
            fields.update(
                reviewed_by=world.ministry_user, reviewed_at=datetime.datetime(2021, 7, 1, tzinfo=datetime.UTC)
            )
        if status == ReportStatus.RETURNED:
            fields["review_note"] = "Thiếu số liệu giải ngân."
        return ProgressReportFactory(
            task=task, period=period, as_of=period.ends_on, status=status, first_submitted_on=first_on, **fields
        )

    report(world.t1, h1_2020, ReportStatus.APPROVED, D(2020, 7, 10))
    report(world.t1, h2_2020, ReportStatus.SUBMITTED, D(2021, 1, 20))
    report(world.t2, h2_2020, ReportStatus.RETURNED, D(2021, 1, 10))  # returned: answers for nothing yet
    report(world.t2, h1_2021, ReportStatus.DRAFT, None)
    report(world.t3, h1_2020, ReportStatus.APPROVED, D(2020, 7, 15))  # on the due day: on time
    report(world.t6, h1_2021, ReportStatus.SUBMITTED, D(2021, 7, 1))
    return world
