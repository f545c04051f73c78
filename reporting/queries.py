"""Reads of the reporting calendar: which task owes which period's report, and where each stands.

Only periods are stored. A task owes a report for each period of its programme's schedule from
the period it starts in to the last one that ends before its acceptance, whose record is its final
account (`TASK_STATUSES_OWING_REPORTS`); the report
answering for it is a submitted or approved progress report of that period, and the day of its
first submission says whether it came in on time. Those pairs (task, period) are computed here
on each read, never stored: 50,000 tasks and 10 periods make half a million of them.

The compliance tables count the pairs in one SQL statement: a join of the periods with the tasks
of their programme, then one count per figure, grouped by period, province or programme. The ORM
cannot say that join (periods and tasks meet through the programme, on a date range), so it is
written out; `tasks.queries.tasks_by_compliance_figure` lists the tasks behind each figure with
the ORM, and a test keeps the two in step.
"""

import datetime
from dataclasses import dataclass, field, replace

from django.db import connection
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coop.figure_cache import kept_figures
from coop.roles import own_agency_ids
from programmes.choices import PENDING_RECOMMENDATION_STATUSES
from programmes.models import Agency, Programme, Province, Recommendation, ReportingPeriod, period_label
from tasks.choices import REPORT_STATUSES_ANSWERING, TASK_STATUSES_OWING_REPORTS, ComplianceFigure, ReportState
from tasks.models import ProgressReport, Task
from tasks.queries import report_state

GROUPINGS = ("period", "province", "programme")
# The most days before a due date a programme may remind (`Programme.reminder_days_before`).
LONGEST_NOTICE_DAYS = 60


@dataclass
class ComplianceRow:
    """One row of a compliance table: the owed reports of a period, a province or a programme."""

    key: object
    label: str
    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    approved: int = 0
    first_due_on: datetime.date | None = None
    last_due_on: datetime.date | None = None
    links: dict = field(default_factory=dict)

    @property
    def due(self) -> int:
        """Reports whose due day has passed, or that came in already."""
        return self.on_time + self.late + self.missing

    @property
    def compliance(self) -> float | None:
        """The share of due reports that came in on time; None while none is due."""
        return self.on_time / self.due if self.due else None

    @property
    def compliance_percent(self) -> float | None:
        return None if self.compliance is None else round(self.compliance * 100, 1)

    def figure(self, name: str) -> int:
        return self.due if name == ComplianceFigure.DUE else getattr(self, name)


# The figures a compliance table adds up.
COUNTED = ("expected", "on_time", "late", "missing", "pending", "approved")


@dataclass(frozen=True)
class ComplianceCell:
    """The owed reports of one period end, one province (of the lead agency) and one programme: the finest
    grain the tables add up."""

    ends_on: datetime.date
    starts_on: datetime.date
    province_id: int | None
    province_name: str | None
    programme_id: int
    programme_title: str
    expected: int
    on_time: int
    late: int
    missing: int
    pending: int
    approved: int
    first_due_on: datetime.date
    last_due_on: datetime.date


class ComplianceFigures:
    """The compliance tables of the owed reports of `tasks` (a queryset already scoped to the user).

    The owed reports are counted once per period end, province and programme, in one SQL statement
    (`cells`), and each table is added up from those counts. Over every task (someone who sees them
    all, no filter) each table is kept between requests until a task, a report or a period changes
    (`coop.figure_cache`), for the day and the language of its labels.
    """

    def __init__(self, *, tasks, today: datetime.date):
        self.tasks = tasks
        self.today = today
        self.over_every_task = not tasks.query.has_filters()

    @cached_property
    def cells(self) -> list[ComplianceCell]:
        return [ComplianceCell(**values) for values in _counts(self.tasks, today=self.today)]

    def table(self, grouping: str, period_end=None) -> list[ComplianceRow]:
        if not self.over_every_task:
            return compliance_table(self.cells, grouping=grouping, period_end=period_end)
        return kept_figures(
            f"compliance:{grouping}:{period_end}:{self.today}:{get_language()}",
            tables=(Task, ProgressReport, ReportingPeriod),
            compute=lambda: compliance_table(self.cells, grouping=grouping, period_end=period_end),
        )


def compliance_table(cells: list[ComplianceCell], *, grouping: str, period_end=None) -> list[ComplianceRow]:
    """The rows of a table: by period (the day periods end, newest first), or by province or programme (by name),
    for one `period_end` only when given."""
    if grouping not in GROUPINGS:
        raise ValueError(grouping)
    rows: dict = {}
    latest_start: dict = {}
    for cell in cells:
        if period_end is not None and cell.ends_on != period_end:
            continue
        key, label = _key_and_label(cell, grouping)
        row = rows.get(key)
        if row is None:
            row = rows[key] = ComplianceRow(key=key, label=label, first_due_on=cell.first_due_on)
            row.last_due_on = cell.last_due_on
        for name in COUNTED:
            setattr(row, name, getattr(row, name) + getattr(cell, name))
        row.first_due_on = min(row.first_due_on, cell.first_due_on)
        row.last_due_on = max(row.last_due_on, cell.last_due_on)
        latest_start[key] = max(latest_start.get(key, cell.starts_on), cell.starts_on)
    if grouping == "period":
        # Periods of different lengths may end on the same day: the row is named after the shortest.
        for key, row in rows.items():
            row.label = period_label(latest_start[key], key)
    return sorted(rows.values(), key=_SORT_KEYS[grouping])


def _key_and_label(cell: ComplianceCell, grouping: str):
    if grouping == "period":
        return cell.ends_on, ""
    if grouping == "province":
        return cell.province_id, cell.province_name or _("Central agencies (no province)")
    return cell.programme_id, cell.programme_title


def compliance_rows(*, tasks, grouping: str, today: datetime.date, period_end=None) -> list[ComplianceRow]:
    """One compliance table of the owed reports of `tasks` (`ComplianceFigures`)."""
    return ComplianceFigures(tasks=tasks, today=today).table(grouping, period_end)


_SORT_KEYS = {
    "period": lambda row: (-row.key.toordinal(),),
    "province": lambda row: (row.key is None, row.label),
    "programme": lambda row: (row.label,),
}


def _counts(tasks, *, today) -> list[dict]:
    period = _table(ReportingPeriod)
    report = _table(ProgressReport)
    agency = _table(Agency)
    province = _table(Province)
    programme = _table(Programme)
    scope_sql, scope_params = tasks.order_by().values("pk").query.sql_with_params()
    owing = ", ".join(["%s"] * len(TASK_STATUSES_OWING_REPORTS))
    answering = ", ".join(["%s"] * len(REPORT_STATUSES_ANSWERING))
    sql = f"""
        WITH scope AS ({scope_sql}),
        answered AS (
            SELECT r.task_id, r.period_id, MIN(r.first_submitted_on) AS first_on,
                   MAX(CASE WHEN r.status = %s THEN 1 ELSE 0 END) AS approved
            FROM {report} r
            WHERE r.period_id IS NOT NULL AND r.status IN ({answering}) AND r.task_id IN (SELECT pk FROM scope)
            GROUP BY r.task_id, r.period_id
        )
        , counted AS (
            SELECT p.ends_on AS ends_on,
                   MIN(p.starts_on) AS starts_on,
                   a.province_id AS province_id,
                   p.programme_id AS programme_id,
                   COUNT(*) AS expected,
                   SUM(CASE WHEN c.first_on IS NOT NULL AND c.first_on <= p.due_on THEN 1 ELSE 0 END) AS on_time,
                   SUM(CASE WHEN c.first_on > p.due_on THEN 1 ELSE 0 END) AS late,
                   SUM(CASE WHEN c.first_on IS NULL AND p.due_on < %s THEN 1 ELSE 0 END) AS missing,
                   SUM(CASE WHEN c.first_on IS NULL AND p.due_on >= %s THEN 1 ELSE 0 END) AS pending,
                   SUM(COALESCE(c.approved, 0)) AS approved,
                   MIN(p.due_on) AS first_due_on,
                   MAX(p.due_on) AS last_due_on
            FROM {period} p
            {_owing_join(owing)}
            JOIN {agency} a ON a.id = t.lead_agency_id
            LEFT JOIN answered c ON c.task_id = t.id AND c.period_id = p.id
            WHERE t.id IN (SELECT pk FROM scope)
            GROUP BY p.ends_on, a.province_id, p.programme_id
        )
        -- The names are joined to the counts, not carried through the join of every task and period.
        SELECT counted.*, pv.name AS province_name, g.title AS programme_title
        FROM counted
        JOIN {programme} g ON g.id = counted.programme_id
        LEFT JOIN {province} pv ON pv.id = counted.province_id
    """
    # The scope is written once, as the first statement of the WITH, and read twice (PostgreSQL computes
    # a common table expression read more than once only once).
    params = [
        *scope_params,
        "approved",
        *REPORT_STATUSES_ANSWERING,
        today,
        today,
        *TASK_STATUSES_OWING_REPORTS,
    ]
    dates = ("ends_on", "starts_on", "first_due_on", "last_due_on")
    with connection.cursor() as cursor:
        cursor.execute(sql, [_plain(value) for value in params])
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    for row in rows:
        for name in dates:
            row[name] = _as_date(row[name])
        for name in COUNTED:
            row[name] = int(row[name] or 0)
    return rows


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _owing_join(owing_marks: str) -> str:
    """The tasks `t` owing the report of period `p`, as SQL (`TASK_STATUSES_OWING_REPORTS` are its parameters):
    of its programme, started by the period's end, and not accepted by then (`tasks.queries.tasks_owing_report`
    says the same with the ORM)."""
    return f"""JOIN {_table(Task)} t ON t.programme_id = p.programme_id
             AND t.status IN ({owing_marks})
             AND t.start_on <= p.ends_on
             AND (t.accepted_on IS NULL OR t.accepted_on > p.ends_on)"""


def _as_date(value):
    """SQLite returns dates as text."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def compliance_totals(rows: list[ComplianceRow]) -> ComplianceRow:
    total = ComplianceRow(key=None, label=_("Total"))
    for row in rows:
        for name in COUNTED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def latest_due_period(period_rows: list[ComplianceRow], *, today) -> datetime.date | None:
    """The period shown first: the newest whose reports were all due by now, else the oldest one."""
    due = [row.key for row in period_rows if row.last_due_on is not None and row.last_due_on < today]
    if due:
        return max(due)
    return min((row.key for row in period_rows), default=None)


@dataclass(frozen=True)
class UnansweredReport:
    """A report a task owes for a period and nobody has submitted yet: what reminders and the home page list."""

    task_id: int
    task_code: str
    task_title: str
    lead_agency_id: int
    programme_id: int
    reminder_days: int
    period_id: int
    starts_on: datetime.date
    ends_on: datetime.date
    due_on: datetime.date
    is_final: bool
    # Its state on the day it was read for (`reports_owed`); `state_on()` for any day.
    state: str = ""

    def state_on(self, today) -> str:
        return report_state(
            due_on=self.due_on, first_on=None, approved=False, today=today, reminder_days=self.reminder_days
        )

    @property
    def period_label(self) -> str:
        return period_label(self.starts_on, self.ends_on, is_final=self.is_final)


def unanswered_reports(tasks, *, due_from=None, due_to=None) -> list[UnansweredReport]:
    """The owed reports of `tasks` that no submitted or approved report answers for, due between the two days
    (either may be open), in one statement."""
    period = _table(ReportingPeriod)
    report = _table(ProgressReport)
    programme = _table(Programme)
    scope_sql, scope_params = tasks.order_by().values("pk").query.sql_with_params()
    owing = ", ".join(["%s"] * len(TASK_STATUSES_OWING_REPORTS))
    answering = ", ".join(["%s"] * len(REPORT_STATUSES_ANSWERING))
    conditions, params = [], []
    if due_from is not None:
        conditions.append("AND p.due_on >= %s")
        params.append(due_from)
    if due_to is not None:
        conditions.append("AND p.due_on <= %s")
        params.append(due_to)
    sql = f"""
        SELECT t.id, t.code, t.title, t.lead_agency_id, p.programme_id, g.reminder_days_before,
               p.id, p.starts_on, p.ends_on, p.due_on, p.is_final
        FROM {period} p
        JOIN {programme} g ON g.id = p.programme_id
        {_owing_join(owing)}
        WHERE t.id IN ({scope_sql}) {" ".join(conditions)}
          AND NOT EXISTS (
              SELECT 1 FROM {report} r
              WHERE r.task_id = t.id AND r.period_id = p.id AND r.status IN ({answering})
          )
        ORDER BY p.due_on, t.code, t.id
    """
    all_params = [*TASK_STATUSES_OWING_REPORTS, *scope_params, *params, *REPORT_STATUSES_ANSWERING]
    with connection.cursor() as cursor:
        cursor.execute(sql, [_plain(value) for value in all_params])
        rows = cursor.fetchall()
    return [
        UnansweredReport(
            task_id=row[0],
            task_code=row[1],
            task_title=row[2],
            lead_agency_id=row[3],
            programme_id=row[4],
            reminder_days=row[5],
            period_id=row[6],
            starts_on=_as_date(row[7]),
            ends_on=_as_date(row[8]),
            due_on=_as_date(row[9]),
            is_final=bool(row[10]),
        )
        for row in rows
    ]


def _plain(value):
    """Choices as the strings they stand for; dates and numbers as they are."""
    return str(value) if hasattr(value, "value") else value


def reports_owed(*, tasks, today, limit: int | None = None) -> tuple[list[UnansweredReport], int]:
    """The due and overdue reports of `tasks`, nearest due day first, and how many there are in all."""
    unanswered = unanswered_reports(tasks, due_to=today + datetime.timedelta(days=LONGEST_NOTICE_DAYS))
    owed = [
        replace(report, state=state)
        for report in unanswered
        if (state := report.state_on(today)) in (ReportState.DUE, ReportState.OVERDUE)
    ]
    owed.sort(key=lambda report: (abs((report.due_on - today).days), report.task_code, report.task_id))
    return (owed[:limit] if limit else owed), len(owed)


def recommendation_state(recommendation: Recommendation, *, today) -> str:
    """Where a pending recommendation stands against its due date, as a report nobody submitted would
    (`report_state`): not due yet, due within its programme's notice, or overdue."""
    return report_state(
        due_on=recommendation.due_on,
        first_on=None,
        approved=False,
        today=today,
        reminder_days=recommendation.meeting.programme.reminder_days_before,
    )


def recommendations_owed(*, user, today, limit: int | None = None) -> tuple[list[Recommendation], int]:
    """The pending recommendations addressed to the user's agency (or to the agencies it plays the part of), due
    within their programme's notice or overdue, nearest due day first, each with its `owed_state` (due or
    overdue); and how many there are."""
    pending = (
        Recommendation.objects.visible_to(user)
        .filter(
            addressed_to__in=own_agency_ids(user),
            status__in=PENDING_RECOMMENDATION_STATUSES,
            due_on__lte=today + datetime.timedelta(days=LONGEST_NOTICE_DAYS),
        )
        .select_related("meeting__programme")
    )
    owed = []
    for recommendation in pending:
        recommendation.owed_state = recommendation_state(recommendation, today=today)
        if recommendation.owed_state in (ReportState.DUE, ReportState.OVERDUE):
            owed.append(recommendation)
    owed.sort(key=lambda recommendation: (abs((recommendation.due_on - today).days), recommendation.pk))
    return (owed[:limit] if limit else owed), len(owed)
