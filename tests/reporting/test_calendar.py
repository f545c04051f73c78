"""The reporting calendar: periods drawn by a rule, the state of each owed report across its due date,
the compliance figures against a case counted by hand, and the task lists behind them."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from programmes.choices import ReportingFrequency
from programmes.models import ReportingPeriod
from reporting.queries import compliance_rows, reports_owed, unanswered_reports
from reporting.schedule import periods_from_rule
from tasks.choices import ComplianceFigure, ReportState
from tasks.models import Task
from tasks.queries import report_state, task_periods, tasks_by_compliance_figure
from tests.conftest import logged_in
from tests.factories import TaskFactory
from tests.helpers import count_queries, csv_rows, listed_pks
from tests.reporting.conftest import TODAY

D = datetime.date


# The rule


def test_half_yearly_rule_due_the_15th_of_the_month_after():
    periods = periods_from_rule(
        frequency=ReportingFrequency.HALF_YEARLY, first_year=2020, last_year=2021, due_day=15, due_months_after=1
    )
    assert [(p.starts_on, p.ends_on, p.due_on, p.is_final) for p in periods] == [
        (D(2020, 1, 1), D(2020, 6, 30), D(2020, 7, 15), False),
        (D(2020, 7, 1), D(2020, 12, 31), D(2021, 1, 15), False),
        (D(2021, 1, 1), D(2021, 6, 30), D(2021, 7, 15), False),
        (D(2021, 7, 1), D(2021, 12, 31), D(2022, 1, 15), True),
    ]


def test_due_in_the_last_month_of_the_period_by_15_6_and_15_12():
    periods = periods_from_rule(
        frequency=ReportingFrequency.HALF_YEARLY, first_year=2020, last_year=2020, due_day=15, due_months_after=0
    )
    assert [p.due_on for p in periods] == [D(2020, 6, 15), D(2020, 12, 15)]


def test_yearly_and_quarterly_rules_and_dates_by_hand():
    yearly = periods_from_rule(
        frequency=ReportingFrequency.YEARLY, first_year=2019, last_year=2020, due_day=31 % 28, due_months_after=1
    )
    assert [(p.ends_on, p.due_on) for p in yearly] == [
        (D(2019, 12, 31), D(2020, 1, 3)),
        (D(2020, 12, 31), D(2021, 1, 3)),
    ]
    quarterly = periods_from_rule(
        frequency=ReportingFrequency.QUARTERLY, first_year=2020, last_year=2020, due_day=10, due_months_after=1
    )
    assert [p.due_on for p in quarterly] == [D(2020, 4, 10), D(2020, 7, 10), D(2020, 10, 10), D(2021, 1, 10)]
    assert (
        periods_from_rule(
            frequency=ReportingFrequency.MANUAL, first_year=2020, last_year=2020, due_day=15, due_months_after=1
        )
        == []
    )


@translation.override("en")
def test_period_names():
    assert str(ReportingPeriod(starts_on=D(2020, 1, 1), ends_on=D(2020, 6, 30), due_on=D(2020, 7, 15))) == (
        "First half of 2020"
    )
    assert str(ReportingPeriod(starts_on=D(2020, 7, 1), ends_on=D(2020, 9, 30), due_on=D(2020, 10, 15))) == (
        "Quarter 3/2020"
    )
    odd = ReportingPeriod(starts_on=D(2020, 2, 1), ends_on=D(2020, 5, 31), due_on=D(2020, 6, 15), is_final=True)
    assert str(odd) == "Final report (01/02/2020 – 31/05/2020)"
    with translation.override("vi"):
        assert str(ReportingPeriod(starts_on=D(2020, 7, 1), ends_on=D(2020, 12, 31), due_on=D(2021, 1, 15))) == (
            "6 tháng cuối năm 2020"
        )


# The state of one owed report across its due date


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2021, 7, 7), ReportState.NOT_DUE),  # more than 7 days before 15/07
        (D(2021, 7, 8), ReportState.DUE),  # 7 days before: reminded, due
        (D(2021, 7, 15), ReportState.DUE),  # the due day itself
        (D(2021, 7, 16), ReportState.OVERDUE),
    ],
)
def test_state_of_a_report_nobody_submitted(today, state):
    assert report_state(due_on=D(2021, 7, 15), first_on=None, approved=False, today=today, reminder_days=7) == state


def test_state_of_a_report_submitted_follows_its_first_submission_not_today():
    due = D(2021, 7, 15)
    assert report_state(due_on=due, first_on=due, approved=False, today=D(2030, 1, 1), reminder_days=7) == "on_time"
    assert report_state(due_on=due, first_on=D(2021, 7, 16), approved=False, today=due, reminder_days=7) == "late"
    assert report_state(due_on=due, first_on=D(2021, 8, 1), approved=True, today=due, reminder_days=7) == "approved"


# A case counted by hand


def figures(row):
    return (row.expected, row.on_time, row.late, row.missing, row.pending, row.approved)


def test_compliance_by_period_as_counted_by_hand(calendar):
    rows = compliance_rows(tasks=Task.objects.all(), grouping="period", today=TODAY)
    assert [(row.key, figures(row)) for row in rows] == [
        (D(2021, 12, 31), (3, 0, 0, 0, 3, 0)),
        (D(2021, 6, 30), (3, 1, 0, 2, 0, 0)),
        (D(2020, 12, 31), (2, 0, 1, 1, 0, 0)),
        (D(2020, 6, 30), (2, 2, 0, 0, 0, 2)),
    ]
    assert [row.due for row in rows] == [0, 3, 2, 2]
    assert [row.compliance_percent for row in rows] == [None, 33.3, 0.0, 100.0]


def test_compliance_by_province_and_programme_for_one_period(calendar):
    rows = compliance_rows(tasks=Task.objects.all(), grouping="province", today=TODAY, period_end=D(2021, 6, 30))
    by_province = {row.key: figures(row) for row in rows}
    assert by_province == {
        calendar.department.province_id: (2, 0, 0, 2, 0, 0),
        calendar.other_department.province_id: (1, 1, 0, 0, 0, 0),
    }
    (programme,) = compliance_rows(
        tasks=Task.objects.all(), grouping="programme", today=TODAY, period_end=D(2021, 6, 30)
    )
    assert (programme.key, programme.label, figures(programme)) == (
        calendar.programme.pk,
        calendar.programme.title,
        (3, 1, 0, 2, 0, 0),
    )


@pytest.mark.parametrize("figure", ComplianceFigure.values)
@pytest.mark.parametrize("period_end", [D(2020, 6, 30), D(2020, 12, 31), D(2021, 6, 30), D(2021, 12, 31)])
def test_the_tasks_behind_each_figure_are_as_many_as_the_figure(calendar, figure, period_end):
    (row,) = compliance_rows(tasks=Task.objects.all(), grouping="period", today=TODAY, period_end=period_end)
    behind = tasks_by_compliance_figure(Task.objects.all(), figure, period_end=period_end, today=TODAY)
    assert behind.count() == row.figure(figure)


def test_missing_reports_of_a_period_are_the_tasks_counted_by_hand(calendar):
    missing = tasks_by_compliance_figure(
        Task.objects.all(), ComplianceFigure.MISSING, period_end=D(2020, 12, 31), today=TODAY
    )
    assert set(missing.values_list("code", flat=True)) == {"T2"}


def test_the_task_page_states_of_each_period(calendar):
    states = [(owed.period.ends_on, owed.state) for owed in task_periods(task=calendar.t1, today=TODAY)]
    assert states == [
        (D(2020, 6, 30), ReportState.APPROVED),
        (D(2020, 12, 31), ReportState.LATE),
        (D(2021, 6, 30), ReportState.OVERDUE),
        (D(2021, 12, 31), ReportState.NOT_DUE),
    ]
    # An accepted task owes nothing for the period of its acceptance or after; a cancelled one owes nothing.
    assert [owed.period.ends_on for owed in task_periods(task=calendar.t3, today=TODAY)] == [D(2020, 6, 30)]
    assert task_periods(task=calendar.t4, today=TODAY) == []


@pytest.mark.parametrize(
    ("today", "state"),
    [(D(2021, 7, 1), None), (D(2021, 7, 10), ReportState.DUE), (D(2021, 7, 16), ReportState.OVERDUE)],
)
def test_the_reports_a_province_owes_across_the_due_date(calendar, today, state):
    """With the date frozen: t1's report of the first half of 2021 is not listed, then due, then overdue."""
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(9)), tick=False):
        owed, _count = reports_owed(tasks=Task.objects.filter(pk=calendar.t1.pk), today=today)
        page = logged_in(calendar.province_user).get(reverse("task_detail", args=[calendar.t1.pk]))
    first_half_2021 = [report for report in owed if report.ends_on == D(2021, 6, 30)]
    assert [report.state for report in first_half_2021] == ([state] if state else [])
    expected = state or ReportState.NOT_DUE
    periods = {owed.period.ends_on: owed.state for owed in page.context["reporting_periods"]}
    assert periods[D(2021, 6, 30)] == expected


def test_unanswered_reports_leave_out_those_submitted_or_approved(calendar):
    unanswered = {(report.task_code, report.ends_on) for report in unanswered_reports(Task.objects.all())}
    assert ("T1", D(2020, 12, 31)) not in unanswered  # submitted late, but submitted
    assert ("T2", D(2020, 12, 31)) in unanswered  # returned
    assert ("T2", D(2021, 6, 30)) in unanswered  # a draft
    assert ("T6", D(2021, 6, 30)) not in unanswered


# /reporting/


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2021, 7, 20, 9, tzinfo=datetime.UTC), tick=False):
        yield


def test_the_reporting_page_links_each_figure_to_its_tasks(calendar, frozen_today):
    client = logged_in(calendar.ministry_user)
    page = client.get(reverse("reporting"), {"period": "2020-12-31"})
    assert page.status_code == 200
    assert page.context["period_end"] == D(2020, 12, 31)
    (_grouping, _title, rows, _total) = next(table for table in page.context["tables"] if table[0] == "province")
    row = next(row for row in rows if row.key == calendar.department.province_id)
    listed = client.get(row.links[ComplianceFigure.MISSING])
    assert listed_pks(listed) == [calendar.t2.pk]


def test_the_reporting_page_shows_first_the_latest_period_due(calendar, frozen_today):
    page = logged_in(calendar.ministry_user).get(reverse("reporting"))
    assert page.context["period_end"] == D(2021, 6, 30)


def test_a_province_sees_only_its_own_tasks_in_the_figures(calendar, frozen_today):
    """The Nam Định department sees t6, which its agency leads, not the Thái Bình programme's other tasks."""
    page = logged_in(calendar.other_province_user).get(reverse("reporting"))
    period_rows = next(table for table in page.context["tables"] if table[0] == "period")[2]
    assert sum(row.expected for row in period_rows) == 2  # t6, first and second half of 2021
    client = logged_in(calendar.other_province_user, language="en")
    csv = csv_rows(client.get(reverse("reporting"), {"_export": "csv"}))
    assert [row[0] for row in csv[1:]] == ["Second half of 2021", "First half of 2021"]


def test_the_export_holds_every_figure_and_the_rate(calendar, frozen_today):
    client = logged_in(calendar.ministry_user, language="en")
    response = client.get(reverse("reporting"), {"_export": "csv", "table": "period"})
    rows = csv_rows(response)
    assert rows[0][0] == "Period"
    # The rate's decimal comma goes with the semicolon: both are Excel in Vietnamese's.
    assert rows[3] == ["Second half of 2020", "2", "2", "0", "1", "1", "0", "0", "0,0"]


def test_the_reporting_page_reads_the_same_few_queries_whatever_the_number_of_tasks(calendar, frozen_today):
    client = logged_in(calendar.ministry_user)
    few = count_queries(client, reverse("reporting"), {"programme": calendar.programme.pk})
    for number in range(20):
        TaskFactory(
            programme=calendar.programme,
            code=f"M{number}",
            start_on=D(2020, 1, 1),
            end_on=D(2021, 12, 31),
            lead_agency=calendar.unit,
        )
    many = count_queries(client, reverse("reporting"), {"programme": calendar.programme.pk})
    assert many == few <= 15


def test_bad_filters_get_the_default_view_not_an_error(calendar, frozen_today):
    page = logged_in(calendar.ministry_user).get(reverse("reporting"), {"period": "31/02/2021", "programme": "x"})
    assert page.status_code == 200
    assert page.context["form"].errors
    assert page.context["period_end"] == D(2021, 6, 30)


# A provincial department's home page


def test_the_home_page_starts_with_the_reports_and_recommendations_due_nearest_first(calendar):
    from tests.factories import MeetingFactory, RecommendationFactory

    recommendation = RecommendationFactory(
        meeting=MeetingFactory(programme=calendar.programme),
        raised_by=calendar.ministry,
        addressed_to=calendar.committee,
        due_on=D(2021, 7, 12),
        text="Bố trí vốn đối ứng năm 2021.",
    )
    with time_machine.travel(datetime.datetime(2021, 7, 10, 9, tzinfo=datetime.UTC), tick=False):
        page = logged_in(calendar.province_user).get(reverse("dashboard"))
    owed = page.context["reports_owed"]
    # Due on 15/07/2021 (5 days away) before the second half of 2020, overdue since 15/01/2021.
    assert [(report.task_code, report.ends_on, report.state) for report in owed] == [
        ("T1", D(2021, 6, 30), ReportState.DUE),
        ("T2", D(2021, 6, 30), ReportState.DUE),
        ("T2", D(2020, 12, 31), ReportState.OVERDUE),
    ]
    html = page.content.decode()
    form = reverse("progress_report_add", args=[calendar.t1.pk]) + f"?period={calendar.periods[2].pk}"
    assert f'href="{form}"' in html
    assert page.context["recommendations_owed"] == [recommendation]
    assert reverse("recommendation_follow_up", args=[recommendation.pk]) in html


def test_the_ministrys_home_page_has_no_list_of_reports_owed(calendar, frozen_today):
    page = logged_in(calendar.ministry_user).get(reverse("dashboard"))
    assert "reports_owed" not in page.context
