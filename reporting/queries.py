"""Reads of the reporting calendar: which task owes which period's report, and where each stands.

Only periods are stored. A task owes a report for each period of its programme's schedule from
the period it starts in to that of its acceptance (`TASK_STATUSES_OWING_REPORTS`); the report
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
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _

from coop.figures import list_url
from programmes.models import Agency, Programme, Province, ReportingPeriod, period_label
from tasks.choices import REPORT_STATUSES_ANSWERING, TASK_STATUSES_OWING_REPORTS, ComplianceFigure
from tasks.models import ProgressReport, Task
from tasks.queries import report_state  # noqa: F401 — the one definition of a state, shared

GROUPINGS = ("period", "province", "programme")


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

    def figure(self, name: str) -> int:
        return self.due if name == ComplianceFigure.DUE else getattr(self, name)


def compliance_rows(*, tasks, grouping: str, today: datetime.date, period_end=None) -> list[ComplianceRow]:
    """The compliance figures of the owed reports of `tasks` (a queryset already scoped to the user),
    grouped by `grouping` ("period": the day periods end; "province": of the lead agency; "programme");
    for one `period_end` only when given."""
    if grouping not in GROUPINGS:
        raise ValueError(grouping)
    rows = [_row(grouping, values) for values in _counts(tasks, grouping=grouping, today=today, period_end=period_end)]
    _label(rows, grouping)
    return rows


def _counts(tasks, *, grouping, today, period_end):
    period = _table(ReportingPeriod)
    task = _table(Task)
    report = _table(ProgressReport)
    agency = _table(Agency)
    group_column = {"period": "p.ends_on", "province": "a.province_id", "programme": "p.programme_id"}[grouping]
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
               COUNT(*) AS expected,
               SUM(CASE WHEN c.first_on IS NOT NULL AND c.first_on <= p.due_on THEN 1 ELSE 0 END) AS on_time,
               SUM(CASE WHEN c.first_on > p.due_on THEN 1 ELSE 0 END) AS late,
               SUM(CASE WHEN c.first_on IS NULL AND p.due_on < %s THEN 1 ELSE 0 END) AS missing,
               SUM(CASE WHEN c.first_on IS NULL AND p.due_on >= %s THEN 1 ELSE 0 END) AS pending,
               SUM(COALESCE(c.approved, 0)) AS approved,
               MIN(p.due_on) AS first_due_on,
               MAX(p.due_on) AS last_due_on
        FROM {period} p
        JOIN {task} t ON t.programme_id = p.programme_id
             AND t.status IN ({owing})
             AND t.start_on <= p.ends_on
             AND (t.accepted_on IS NULL OR t.accepted_on >= p.starts_on)
        JOIN {agency} a ON a.id = t.lead_agency_id
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
        cursor.execute(sql, [str(value) if hasattr(value, "value") else value for value in params])
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
    return ComplianceRow(
        key=key,
        label="",
        expected=values["expected"] or 0,
        on_time=values["on_time"] or 0,
        late=values["late"] or 0,
        missing=values["missing"] or 0,
        pending=values["pending"] or 0,
        approved=values["approved"] or 0,
        first_due_on=_as_date(values["first_due_on"]),
        last_due_on=_as_date(values["last_due_on"]),
    )


def _label(rows: list[ComplianceRow], grouping: str) -> None:
    """Name each row and sort the table: periods by their end, provinces and programmes by name."""
    keys = [row.key for row in rows if row.key is not None]
    if grouping == "period":
        starts = dict(
            ReportingPeriod.objects.filter(ends_on__in=keys)
            .order_by("ends_on", "-starts_on")
            .values_list("ends_on", "starts_on")
        )
        for row in rows:
            row.label = period_label(starts.get(row.key, row.key), row.key)
        rows.sort(key=lambda row: row.key, reverse=True)
        return
    model = Province if grouping == "province" else Programme
    names = dict(model.objects.filter(pk__in=keys).values_list("pk", "name" if grouping == "province" else "title"))
    for row in rows:
        row.label = names.get(row.key) or _("No province")
    rows.sort(key=lambda row: row.label)


def compliance_totals(rows: list[ComplianceRow]) -> ComplianceRow:
    total = ComplianceRow(key=None, label=_("Total"))
    for row in rows:
        for name in ("expected", "on_time", "late", "missing", "pending", "approved"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def period_ends(tasks) -> list[datetime.date]:
    """The days the periods of the programmes of `tasks` end, newest first: the periods one may pick."""
    programmes = tasks.order_by().values("programme")
    return list(
        ReportingPeriod.objects.filter(programme__in=programmes)
        .order_by("-ends_on")
        .values_list("ends_on", flat=True)
        .distinct()
    )


def latest_due_period_end(ends: list[datetime.date], *, today) -> datetime.date | None:
    """The period shown first: the newest one whose reports are due by now (else the oldest one)."""
    due = ReportingPeriod.objects.filter(ends_on__in=ends, due_on__lt=today).order_by("-ends_on").first()
    if due is not None:
        return due.ends_on
    return ends[-1] if ends else None


def figure_url(figure: str, *, period_end, **filters) -> str:
    """The task list behind a figure: the tasks owing the period's report, narrowed to `figure`."""
    return list_url(
        "task_list",
        report_period=period_end.isoformat() if period_end else None,
        report_figure=figure,
        **filters,
    )
