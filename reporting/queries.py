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
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coop.figure_cache import kept_over_every_row
from coop.figures import list_url
from programmes.models import Agency, Programme, Province, ReportingPeriod, period_label
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


def compliance_rows(*, tasks, grouping: str, today: datetime.date, period_end=None) -> list[ComplianceRow]:
    """The compliance figures of the owed reports of `tasks` (a queryset already scoped to the user),
    grouped by `grouping` ("period": the day periods end; "province": of the lead agency; "programme"),
    for one `period_end` only when given; periods newest first, provinces and programmes by name.

    Over every task (someone who sees them all, no filter) the figures are kept between requests until
    a task, a report or a period changes (`coop.figure_cache`), and for the day only.
    """
    if grouping not in GROUPINGS:
        raise ValueError(grouping)

    def compute(tasks) -> list[ComplianceRow]:
        rows = [
            _row(grouping, values) for values in _counts(tasks, grouping=grouping, today=today, period_end=period_end)
        ]
        return sorted(rows, key=_SORT_KEYS[grouping])

    # Labels are in the reader's language ("6 tháng đầu năm 2020"), so each language is kept apart.
    name = f"compliance:{grouping}:{period_end}:{today}:{get_language()}"
    return kept_over_every_row(tasks, name=name, tables=(Task, ProgressReport, ReportingPeriod), compute=compute)


_GROUP_COLUMNS = {
    "period": ("p.ends_on", "MIN(p.starts_on)"),
    "province": ("a.province_id", "MAX(pv.name)"),
    "programme": ("p.programme_id", "MAX(g.title)"),
}
_SORT_KEYS = {
    "period": lambda row: (-row.key.toordinal(),),
    "province": lambda row: (row.key is None, row.label),
    "programme": lambda row: (row.label,),
}


def _counts(tasks, *, grouping, today, period_end):
    period = _table(ReportingPeriod)
    task = _table(Task)
    report = _table(ProgressReport)
    agency = _table(Agency)
    province = _table(Province)
    programme = _table(Programme)
    group_column, label_column = _GROUP_COLUMNS[grouping]
    scope_sql, scope_params = tasks.order_by().values("pk").query.sql_with_params()
    owing = ", ".join(["%s"] * len(TASK_STATUSES_OWING_REPORTS))
    answering = ", ".join(["%s"] * len(REPORT_STATUSES_ANSWERING))
    period_condition = "AND p.ends_on = %s" if period_end else ""
    sql = f"""
        WITH answered AS (
            SELECT r.task_id, r.period_id, MIN(r.first_submitted_on) AS first_on,
                   MAX(CASE WHEN r.status = %s THEN 1 ELSE 0 END) AS approved
            FROM {report} r
            WHERE r.period_id IS NOT NULL AND r.status IN ({answering})
            GROUP BY r.task_id, r.period_id
        )
        SELECT {group_column} AS group_key,
               {label_column} AS label,
               COUNT(*) AS expected,
               SUM(CASE WHEN c.first_on IS NOT NULL AND c.first_on <= p.due_on THEN 1 ELSE 0 END) AS on_time,
               SUM(CASE WHEN c.first_on > p.due_on THEN 1 ELSE 0 END) AS late,
               SUM(CASE WHEN c.first_on IS NULL AND p.due_on < %s THEN 1 ELSE 0 END) AS missing,
               SUM(CASE WHEN c.first_on IS NULL AND p.due_on >= %s THEN 1 ELSE 0 END) AS pending,
               SUM(COALESCE(c.approved, 0)) AS approved,
               MIN(p.due_on) AS first_due_on,
               MAX(p.due_on) AS last_due_on
        FROM {period} p
        JOIN {programme} g ON g.id = p.programme_id
        JOIN {task} t ON t.programme_id = p.programme_id
             AND t.status IN ({owing})
             AND t.start_on <= p.ends_on
             AND (t.accepted_on IS NULL OR t.accepted_on > p.ends_on)
        JOIN {agency} a ON a.id = t.lead_agency_id
        LEFT JOIN {province} pv ON pv.id = a.province_id
        LEFT JOIN answered c ON c.task_id = t.id AND c.period_id = p.id
        WHERE t.id IN ({scope_sql}) {period_condition}
        GROUP BY {group_column}
    """
    params = [
        "approved",
        *REPORT_STATUSES_ANSWERING,
        today,
        today,
        *TASK_STATUSES_OWING_REPORTS,
        *scope_params,
        *([period_end] if period_end else []),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [_plain(value) for value in params])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _as_date(value):
    """SQLite returns dates as text."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _row(grouping: str, values: dict) -> ComplianceRow:
    key = _as_date(values["group_key"]) if grouping == "period" else values["group_key"]
    if grouping == "period":
        label = period_label(_as_date(values["label"]), key)
    else:
        label = values["label"] or _("Central agencies (no province)")
    return ComplianceRow(
        key=key,
        label=label,
        expected=values["expected"] or 0,
        on_time=values["on_time"] or 0,
        late=values["late"] or 0,
        missing=values["missing"] or 0,
        pending=values["pending"] or 0,
        approved=values["approved"] or 0,
        first_due_on=_as_date(values["first_due_on"]),
        last_due_on=_as_date(values["last_due_on"]),
    )


def compliance_totals(rows: list[ComplianceRow]) -> ComplianceRow:
    total = ComplianceRow(key=None, label=_("Total"))
    for row in rows:
        for name in ("expected", "on_time", "late", "missing", "pending", "approved"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def latest_due_period(period_rows: list[ComplianceRow], *, today) -> datetime.date | None:
    """The period shown first: the newest whose reports were all due by now, else the oldest one."""
    due = [row.key for row in period_rows if row.last_due_on is not None and row.last_due_on < today]
    if due:
        return max(due)
    return min((row.key for row in period_rows), default=None)


def figure_url(figure: str, *, period_end, **filters) -> str:
    """The task list behind a figure: the tasks owing the period's report, narrowed to `figure`."""
    return list_url(
        "task_list",
        report_period=period_end.isoformat() if period_end else None,
        report_figure=figure,
        **filters,
    )


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
    task = _table(Task)
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
        JOIN {task} t ON t.programme_id = p.programme_id
             AND t.status IN ({owing})
             AND t.start_on <= p.ends_on
             AND (t.accepted_on IS NULL OR t.accepted_on > p.ends_on)
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
