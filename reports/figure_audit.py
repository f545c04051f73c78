"""An audit of the headline figures: recomputed from the rows with plain SQL, compared with what is shown.

`manage.py check_figures` runs it. The figures of every programme, of every agency and of the
dashboard are computed here a second time, straight from the tables, with SQL written for the
audit alone: none of the application's querysets, sums kept on rows or caches take part. Then the
pages are drawn as a user who sees everything would get them, and each programme's review report
is drawn as a PDF and read back as text; every figure they show must equal the one recomputed.

How a page shows a figure to the audit: the element that displays it carries
`data-figure="<key>"` and `data-value="<exact value>"`, printed from the same template variable
as the visible text (`{% figure_data key value %}`, coop/templatetags/coop_format.py). The PDF
carries no such marks: its tables are read back as lines of text and compared with the lines
the recomputed figures must give ("Đang thực hiện 4", "2012 2,32 0,33 0,75 3,39").

Keys (a figure absent from a page counts as 0, as pages leave empty rows out):
- a programme: `tasks`, `status:<status>`: tasks, by status; `funding:<source>`, `funding:total`,
  `funding:<year>:<source>`, `funding:<year>:total`: allocated funding; `outputs:<kind>:<unit>`:
  quantities of verified outputs, `pending:<kind>:<unit>`: of those recorded or submitted;
  `target:<pk>`: the achieved figure beside a target; `funded_tasks`, `funded:<source>`,
  `funded:total`: tasks funded through a national programme and their funding.
- an agency: `tasks_led`, `outputs:<kind>:<unit>`, `pending:<kind>:<unit>`.
- the dashboard: `tasks`, `status:<status>`, `funding:<source>`, `outputs:<kind>:<unit>`, `pending:<kind>:<unit>`,
  `ending_soon`, `overdue_programmes`, `overdue_tasks`, `overdue_recommendations`.
"""

import datetime
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

from django.db import connection
from django.utils import timezone

from programmes.choices import OUTPUT_DEFAULT_UNITS
from programmes.models import Agency, Programme, ProgrammeParty, Recommendation, Target
from tasks.models import Funding, Output, Task

TASK = Task._meta.db_table
FUNDING = Funding._meta.db_table
OUTPUT = Output._meta.db_table
PROGRAMME = Programme._meta.db_table
PARTY = ProgrammeParty._meta.db_table
TARGET = Target._meta.db_table
RECOMMENDATION = Recommendation._meta.db_table
AGENCY = Agency._meta.db_table

# The statuses as stored, written out here rather than read from the application's choices, so
# that a change of what "open" or "verified" means shows up as a difference.
VERIFIED = "verified"
OPEN_TASK_STATUSES = ("proposed", "approved", "in_progress", "suspended")
PENDING_RECOMMENDATION_STATUSES = ("open", "in_progress")
ACTIVE_PROGRAMME = "active"
PENDING_OUTPUT_STATUSES = ("recorded", "submitted")
# Verified and pending quantities of outputs `o`, as they stand now.
_OUTPUT_SUMS = (
    "SUM(CASE WHEN o.status = %s THEN o.quantity ELSE 0 END), "
    "SUM(CASE WHEN o.status IN (%s, %s) THEN o.quantity ELSE 0 END)"
)
_OUTPUT_SUM_PARAMS = [VERIFIED, *PENDING_OUTPUT_STATUSES]

Figures = dict[str, Decimal]


@dataclass(frozen=True)
class Difference:
    """A figure shown somewhere that the rows do not give."""

    where: str
    figure: str
    shown: Decimal | str | None
    expected: Decimal | str | None

    def __str__(self):
        return f"{self.where}: {self.figure} shows {self.shown}, the rows give {self.expected}"


def rows(sql: str, params: Iterable = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _add(figures: dict[int, Figures], owner: int, key: str, value) -> None:
    figures[owner][key] = figures[owner].get(key, Decimal(0)) + Decimal(value or 0)


# Programmes


def programme_figures(as_of: datetime.date | None = None) -> dict[int, Figures]:
    """Programme id → its figures, for its page (`as_of` None) or its review report as of a day.

    As of a day: tasks started by then, funding allocated for the years up to its year, outputs
    achieved by then.
    """
    started = "AND t.start_on <= %s" if as_of else ""
    up_to_year = "AND f.year <= %s" if as_of else ""
    achieved = "AND o.achieved_on <= %s" if as_of else ""
    day = [as_of] if as_of else []
    figures: dict[int, Figures] = defaultdict(dict)

    for programme, status, count in rows(
        f"""SELECT t.programme_id, t.status, COUNT(*) FROM {TASK} t
            WHERE 1 = 1 {started} GROUP BY t.programme_id, t.status""",
        day,
    ):
        _add(figures, programme, "tasks", count)
        _add(figures, programme, f"status:{status}", count)

    for programme, source, year, amount in rows(
        f"""SELECT t.programme_id, f.source, f.year, SUM(f.allocated)
            FROM {FUNDING} f JOIN {TASK} t ON t.id = f.task_id
            WHERE 1 = 1 {started} {up_to_year}
            GROUP BY t.programme_id, f.source, f.year""",
        day + ([as_of.year] if as_of else []),
    ):
        for key in (f"funding:{source}", "funding:total", f"funding:{year}:{source}", f"funding:{year}:total"):
            _add(figures, programme, key, amount)

    if as_of:
        end = end_of_day(as_of)
        counted, counted_params = "o.status = %s AND o.reviewed_at < %s", [VERIFIED, end]
        waiting = f"o.status IN ({_marks(PENDING_OUTPUT_STATUSES)}) OR (o.status = %s AND o.reviewed_at >= %s)"
        waiting_params = [*PENDING_OUTPUT_STATUSES, VERIFIED, end]
    else:
        counted, counted_params = "o.status = %s", [VERIFIED]
        waiting, waiting_params = f"o.status IN ({_marks(PENDING_OUTPUT_STATUSES)})", [*PENDING_OUTPUT_STATUSES]
    for programme, kind, unit, verified, pending in rows(
        f"""SELECT t.programme_id, o.kind, o.unit,
                   SUM(CASE WHEN {counted} THEN o.quantity ELSE 0 END),
                   SUM(CASE WHEN {waiting} THEN o.quantity ELSE 0 END)
            FROM {OUTPUT} o JOIN {TASK} t ON t.id = o.task_id
            WHERE 1 = 1 {started} {achieved}
            GROUP BY t.programme_id, o.kind, o.unit""",
        counted_params + waiting_params + day + day,
    ):
        _add(figures, programme, f"outputs:{kind}:{unit}", verified)
        _add(figures, programme, f"pending:{kind}:{unit}", pending)

    _add_targets(figures)
    if as_of is None:
        _add_funded_through(figures)
    return figures


def _add_targets(figures: dict[int, Figures]) -> None:
    """The achieved figure beside each target: the programme's figure its metric names.

    An output target is agreed in its kind's default unit (`OUTPUT_DEFAULT_UNITS`): it is measured by
    the quantity in that unit, or by the kind's only unit if none is in it; never by a sum over units.
    """
    for target, programme, metric in rows(f"SELECT id, programme_id, metric FROM {TARGET}"):
        own = figures[programme]
        if metric == "tasks":
            value = own.get("tasks", Decimal(0))
        elif metric == "ministry_funding":
            value = own.get("funding:ministry", Decimal(0))
        else:
            units = {key.split(":", 2)[2]: value for key, value in own.items() if key.startswith(f"outputs:{metric}:")}
            default = OUTPUT_DEFAULT_UNITS.get(metric)
            if default in units:
                value = units[default]
            else:
                value = next(iter(units.values())) if len(units) == 1 else Decimal(0)
        own[f"target:{target}"] = value


def _add_funded_through(figures: dict[int, Figures]) -> None:
    """Tasks funded through a (national) programme, apart from the tasks it owns, and their funding."""
    for programme, count in rows(
        f"SELECT funded_through_id, COUNT(*) FROM {TASK} WHERE funded_through_id IS NOT NULL GROUP BY funded_through_id"
    ):
        _add(figures, programme, "funded_tasks", count)
    for programme, source, amount in rows(
        f"""SELECT t.funded_through_id, f.source, SUM(f.allocated)
            FROM {FUNDING} f JOIN {TASK} t ON t.id = f.task_id
            WHERE t.funded_through_id IS NOT NULL
            GROUP BY t.funded_through_id, f.source"""
    ):
        _add(figures, programme, f"funded:{source}", amount)
        _add(figures, programme, "funded:total", amount)


# Agencies


def agency_figures() -> dict[int, Figures]:
    """Agency id → the tasks it leads and the verified outputs of those tasks."""
    figures: dict[int, Figures] = defaultdict(dict)
    for agency, count in rows(f"SELECT lead_agency_id, COUNT(*) FROM {TASK} GROUP BY lead_agency_id"):
        _add(figures, agency, "tasks_led", count)
    for agency, kind, unit, verified, pending in rows(
        f"""SELECT t.lead_agency_id, o.kind, o.unit, {_OUTPUT_SUMS}
            FROM {OUTPUT} o JOIN {TASK} t ON t.id = o.task_id
            GROUP BY t.lead_agency_id, o.kind, o.unit""",
        _OUTPUT_SUM_PARAMS,
    ):
        _add(figures, agency, f"outputs:{kind}:{unit}", verified)
        _add(figures, agency, f"pending:{kind}:{unit}", pending)
    return figures


# The dashboard


def dashboard_figures(today: datetime.date) -> Figures:
    """The dashboard's figures over every programme."""
    figures: dict[int, Figures] = defaultdict(dict)
    for status, count in rows(f"SELECT status, COUNT(*) FROM {TASK} GROUP BY status"):
        _add(figures, 0, "tasks", count)
        _add(figures, 0, f"status:{status}", count)
    for source, amount in rows(f"SELECT source, SUM(allocated) FROM {FUNDING} GROUP BY source"):
        _add(figures, 0, f"funding:{source}", amount)
    for kind, unit, verified, pending in rows(
        f"SELECT o.kind, o.unit, {_OUTPUT_SUMS} FROM {OUTPUT} o GROUP BY o.kind, o.unit", _OUTPUT_SUM_PARAMS
    ):
        _add(figures, 0, f"outputs:{kind}:{unit}", verified)
        _add(figures, 0, f"pending:{kind}:{unit}", pending)

    # A programme's period ends with its orientation year when it has one, else with its end year.
    period_end = "COALESCE(orientation_year, end_year)"
    ((ending_soon,),) = rows(
        f"SELECT COUNT(*) FROM {PROGRAMME} WHERE status = %s AND {period_end} BETWEEN %s AND %s",
        [ACTIVE_PROGRAMME, today.year, today.year + 1],
    )
    ((overdue_programmes,),) = rows(
        f"SELECT COUNT(*) FROM {PROGRAMME} WHERE status = %s AND {period_end} < %s", [ACTIVE_PROGRAMME, today.year]
    )
    ((overdue_tasks,),) = rows(
        f"SELECT COUNT(*) FROM {TASK} WHERE status IN ({_marks(OPEN_TASK_STATUSES)}) AND end_on < %s",
        [*OPEN_TASK_STATUSES, today],
    )
    ((overdue_recommendations,),) = rows(
        f"SELECT COUNT(*) FROM {RECOMMENDATION} WHERE status IN ({_marks(PENDING_RECOMMENDATION_STATUSES)})"
        " AND due_on < %s",
        [*PENDING_RECOMMENDATION_STATUSES, today],
    )
    for key, value in (
        ("ending_soon", ending_soon),
        ("overdue_programmes", overdue_programmes),
        ("overdue_tasks", overdue_tasks),
        ("overdue_recommendations", overdue_recommendations),
    ):
        _add(figures, 0, key, value)
    return figures[0]


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in Hà Nội: what was verified before it counted on `day`."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _marks(values: tuple) -> str:
    return ", ".join(["%s"] * len(values))


# What the pages show


class _FigureMarks(HTMLParser):
    """Collects `data-figure` / `data-value` pairs; a key marked twice must show one value."""

    def __init__(self):
        super().__init__()
        self.figures: dict[str, set[str]] = defaultdict(set)

    def handle_starttag(self, tag, attrs):
        marks = dict(attrs)
        if "data-figure" in marks:
            self.figures[marks["data-figure"]].add(marks.get("data-value") or "")


def figures_on_page(html: str) -> dict[str, set[str]]:
    """Key → the values a page shows for it (one, unless the page contradicts itself)."""
    parser = _FigureMarks()
    parser.feed(html)
    return parser.figures


def compare_page(where: str, shown: dict[str, set[str]], expected: Figures) -> list[Difference]:
    """Every figure the page shows or the rows give, compared; absent on either side is 0."""
    differences = []
    for key in sorted(set(shown) | set(expected)):
        values = shown.get(key, {"0"})
        want = expected.get(key, Decimal(0))
        if len(values) > 1:
            differences.append(Difference(where, key, " / ".join(sorted(values)), want))
            continue
        value = next(iter(values))
        if _number(value) != want:
            differences.append(Difference(where, key, value, want))
    return differences


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


# What the review PDF shows


def pdf_lines(pdf: bytes) -> set[str]:
    """The lines of text of a PDF, with runs of spaces folded to one."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return {re.sub(r"\s+", " ", line).strip() for line in text.splitlines()}


def compare_pdf(where: str, lines: set[str], expected_lines: Iterable[tuple[str, str]]) -> list[Difference]:
    """Each (figure, line) the recomputed figures must print is a line of the PDF."""
    return [
        Difference(where, figure, _closest(lines, line), line)
        for figure, line in expected_lines
        if re.sub(r"\s+", " ", line).strip() not in lines
    ]


def _closest(lines: set[str], line: str) -> str | None:
    """The PDF's line that starts like the expected one (its label), to say what it shows instead."""
    head = line.rsplit(" ", 1)[0]
    return next((candidate for candidate in sorted(lines) if candidate.startswith(head)), None)
