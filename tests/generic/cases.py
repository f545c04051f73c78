"""The table the generic view tests run over: one row per list page of the application.

A row (`ListCase`) names the list's URL, how to make one row inside a Thái Bình department's
scope and one outside it (a Nam Định one), the text that names a row in an export, the detail
page, rows enough to count queries, rows that differ in every sortable column, and for every
filter the rows it must keep and those it must drop. Every test of tests/generic runs over
every row: adding a list page to the application means adding its row here, and nothing else
(`test_every_list_page_is_in_the_table` fails until then).

The builders take the world of tests/generic/conftest.py: `two_provinces()` with roles, a
meeting on each side, a client per role. Rows a builder makes outside the scope of both
departments are seen only by those who see everything. Filter cases make their own rows.
"""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from coop.roles import Role
from programmes.choices import ProgrammeKind, RecommendationStatus
from programmes.models import ReportingPeriod
from reports.choices import DocumentState, ReportKind
from tasks.choices import FundingSource, ReportStatus
from tests.conftest import join_group
from tests.factories import (
    AgencyFactory,
    AttendanceFactory,
    MeetingFactory,
    OutputFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgrammePartyFactory,
    ProgressReportFactory,
    ProvinceFactory,
    RecommendationFactory,
    TaskFactory,
    UserFactory,
    carried_out_in,
    fund,
    issued,
)

BILLION = Decimal(10**9)

# The roles whose pages the tests read, and the user of each in the world.
ROLES = {
    "ministry": "ministry_user",
    "province": "province_user",
    "other province": "other_province_user",
    "leadership": "leadership_user",
    "administrator": "administrator_user",
}
SEES_EVERYTHING = ("ministry", "leadership", "administrator")

# A filter case: (GET parameters, rows they must keep, rows they must drop).
FilterCase = Callable[[], tuple[dict, list, list]]


@dataclass(frozen=True)
class ListCase:
    list: str  # URL name of the list page
    inside: Callable  # (world) → a row the Thái Bình department sees
    outside: Callable  # (world) → a row of Nam Định, which it does not see
    label: Callable  # (row) → the export cell (and detail page title) that names the row
    more: Callable  # (world, n) → n more rows inside the scope, with everything the table shows of them
    varied: Callable  # (world) → rows outside both scopes that differ in every sortable column
    filters: dict[str, FilterCase]  # every filter of the list in at least one case
    detail: str | None = None  # URL name of the page of one row
    public: bool = False  # every user sees every row (the directory of agencies)
    unsortable: frozenset = frozenset()  # columns no one sorts by: long texts, links
    sort_keys: dict[str, Callable] = field(default_factory=dict)  # columns not sorted by their accessors' values

    def __str__(self):
        return self.list

    def expected(self, world, role: str) -> set[int]:
        """The rows the user of `role` must see on the list: all of them, or the one built on their side."""
        inside, outside = world.rows[self.list]
        if self.public or role in SEES_EVERYTHING:
            return set(type(inside)._default_manager.values_list("pk", flat=True))
        return {inside.pk} if role == "province" else {outside.pk}

    def opens(self, role: str, side: str) -> bool:
        """Whether the user of `role` may open the detail page of the row built on `side`."""
        if self.public or role in SEES_EVERYTHING:
            return True
        return (role == "province") == (side == "inside")


def issued_alone(**values):
    """An issued report across programmes: only those who see every programme see it."""
    return issued(None, **values)


def day(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso)


# Filter cases


def keeps(params: dict, make, kept: list[dict], dropped: list[dict]) -> FilterCase:
    """The list filtered by `params` keeps a row made with each of `kept`'s fields and drops one made with each of
    `dropped`'s (`make(**fields)`, `{}` for the factory's own values)."""
    return lambda: (params, [make(**fields) for fields in kept], [make(**fields) for fields in dropped])


def keeps_the_row_of(param: str, make, key) -> FilterCase:
    """`?<param>=<key of a row made>` keeps that row and drops another made alike: a filter by a choice of rows."""

    def build():
        kept, dropped = make(), make()
        return {param: key(kept)}, [kept], [dropped]

    return build


MERGED = {"valid_to": day("2025-06-30")}


def in_year(year: int, **fields) -> dict:
    return {"created_at": datetime.datetime(year, 5, 4, 9, 30, tzinfo=datetime.UTC), **fields}


def period(start: str, end: str) -> dict:
    return {"start_on": day(start), "end_on": day(end)}


# Tasks and outputs


def task_rows(world, n):
    """Tasks of the Thái Bình programme with an investigator, a funding programme, two funding rows and an output."""
    national = ProgrammeFactory(kind=ProgrammeKind.NATIONAL)
    for _ in range(n):
        task = TaskFactory(
            programme=world.programme,
            lead_agency=world.department,
            investigator=PersonFactory(agency=world.department),
            funded_through=national,
        )
        fund(task, FundingSource.MINISTRY)
        fund(task, FundingSource.PROVINCE)
        carried_out_in(task, world.department.province, ProvinceFactory(), commune="xã Vũ Hội")
        OutputFactory(task=task)


# Three values per column, each column in an order of its own (never the order of creation).
THREE_TASKS = {
    "code": ("B-2", "C-3", "A-1"),
    "title": ("Bravo", "Alpha", "Charlie"),
    "programme": ("P-2", "P-0", "P-1"),
    "province": ("Charlie", "Alpha", "Bravo"),
    "lead_agency": ("Alpha", "Charlie", "Bravo"),
    "field": ("health", "agriculture", "ict"),
    "level": ("province", "ministry", "national"),
    "status": ("in_progress", "suspended", "completed"),
    "start_year": (2014, 2012, 2016),
    "end_year": (2016, 2018, 2017),
    "percent_complete": (50, 10, 100),  # the completed task is 100% by its acceptance record
    "investigator": ("Charlie", "Alpha", "Bravo"),
    "funded_through": ("N-3", "N-1", "N-2"),
    "location": ("Bravo", "Charlie", "Alpha"),
    "funding": (3, 1, 2),
}


def varied_tasks(world):
    tasks = []
    for n in range(3):
        value = {column: values[n] for column, values in THREE_TASKS.items()}
        task = TaskFactory(
            programme=ProgrammeFactory(code=value["programme"]),
            code=value["code"],
            title=value["title"],
            lead_agency=AgencyFactory(name=value["lead_agency"], province=ProvinceFactory(name=value["province"])),
            field=value["field"],
            level=value["level"],
            status=value["status"],
            start_on=datetime.date(value["start_year"], 1, 1),
            end_on=datetime.date(value["end_year"], 12, 31),
            percent_complete=value["percent_complete"],
            investigator=PersonFactory(full_name=value["investigator"], agency=world.ministry),
            funded_through=ProgrammeFactory(code=value["funded_through"], kind=ProgrammeKind.NATIONAL),
            location=value["location"],
        )
        for offset, source in enumerate(FundingSource.values):
            # A different order per source, so that each funding column is really sorted by itself.
            fund(task, source, allocated=BILLION * ((value["funding"] + offset) % 3 + 1))
        carried_out_in(task, task.lead_agency.province)
        tasks.append(task)
    return tasks


def carried_out(place=None, **fields):
    """A task carried out in `place` (a new province if None), led from another province."""
    task = TaskFactory(**fields)
    carried_out_in(task, place or ProvinceFactory())
    return task


def _task_place():
    place = ProvinceFactory()
    # Led from the province but carried out elsewhere: dropped; carried out there and elsewhere: kept once.
    led_from_there = carried_out(lead_agency=AgencyFactory(province=place))
    kept = carried_out(place)
    carried_out_in(kept, ProvinceFactory())
    return {"place": place.pk}, [kept, carried_out(place)], [led_from_there, TaskFactory()]


def _by_place_of_the_task(make):
    """A filter case of a list whose rows belong to a task (`make(task=...)`): kept when the task is carried out
    in the province chosen."""

    def build():
        place = ProvinceFactory()
        kept = make(task=carried_out(place))
        dropped = make(task=carried_out(lead_agency=AgencyFactory(province=place)))
        return {"place": place.pk}, [kept], [dropped]

    return build


def _task_funding_min():
    keep, small = TaskFactory(), TaskFactory()
    fund(keep, FundingSource.MINISTRY, allocated=2 * BILLION)
    fund(keep, FundingSource.PROVINCE, allocated=BILLION)
    fund(small, FundingSource.MINISTRY, allocated=2 * BILLION)
    return {"funding_min": 3 * BILLION}, [keep], [small, TaskFactory()]


def _task_funding_max():
    keep, big = TaskFactory(), TaskFactory()
    fund(keep, FundingSource.MINISTRY, allocated=2 * BILLION)
    fund(big, FundingSource.MINISTRY, allocated=2 * BILLION)
    fund(big, FundingSource.COUNTERPART, 2017, allocated=2 * BILLION)
    return {"funding_max": 3 * BILLION}, [keep, TaskFactory()], [big]  # unfunded: 0 is at most 3 billion


def _task_funding_source():
    keep, ministry_only = TaskFactory(), TaskFactory()
    fund(keep, FundingSource.MINISTRY)
    fund(keep, FundingSource.COUNTERPART)
    fund(keep, FundingSource.COUNTERPART, 2017)
    fund(ministry_only, FundingSource.MINISTRY)
    return {"funding_source": "counterpart"}, [keep], [ministry_only]


def _period_ending_2017(programme):
    """The second half of 2017 in the programme's reporting schedule (the factory's tasks run 2016–2018)."""
    return ReportingPeriod.objects.create(
        programme=programme, starts_on=day("2017-07-01"), ends_on=day("2017-12-31"), due_on=day("2018-01-15")
    )


def _task_report_period():
    programme = ProgrammeFactory()
    _period_ending_2017(programme)
    owing = TaskFactory(programme=programme)
    cancelled = TaskFactory(programme=programme, status="cancelled")
    return {"report_period": "2017-12-31"}, [owing], [cancelled, TaskFactory()]


def _task_report_figure():
    programme = ProgrammeFactory()
    period = _period_ending_2017(programme)
    on_time, late, missing = (TaskFactory(programme=programme) for _ in range(3))
    for task, first_day in ((on_time, "2018-01-15"), (late, "2018-01-16")):
        ProgressReportFactory(
            task=task, period=period, as_of=day("2017-12-31"), status="submitted", first_submitted_on=day(first_day)
        )
    return {"report_period": "2017-12-31", "report_figure": "on_time"}, [on_time], [late, missing]


TASKS = ListCase(
    list="task_list",
    inside=lambda world: world.task,
    outside=lambda world: world.other_task,
    label=lambda task: task.code,
    more=task_rows,
    varied=varied_tasks,
    detail="task_detail",
    unsortable=frozenset({"places"}),  # a task may have several; the list filters by place instead
    filters={
        "q": keeps({"q": "NAM ROM"}, TaskFactory, [{"title": "Sản xuất nấm rơm"}], [{"title": "Nuôi tôm thẻ"}]),
        "programme": keeps_the_row_of("programme", TaskFactory, lambda task: task.programme_id),
        "province": keeps_the_row_of("province", TaskFactory, lambda task: task.lead_agency.province_id),
        "place": _task_place,
        "lead_agency": keeps_the_row_of("lead_agency", TaskFactory, lambda task: task.lead_agency_id),
        "field": keeps({"field": "health"}, TaskFactory, [{"field": "health"}], [{"field": "agriculture"}]),
        "level": keeps({"level": "national"}, TaskFactory, [{"level": "national"}], [{"level": "province"}]),
        "status": keeps(
            {"status": ["suspended", "cancelled"]},
            TaskFactory,
            [{"status": "suspended"}, {"status": "cancelled"}],
            [{"status": "in_progress"}],
        ),
        # Not finished: open statuses; overdue: open past the end date (the factory's tasks ended in 2018).
        "state": keeps(
            {"state": "overdue"},
            TaskFactory,
            [{"status": "in_progress"}, {"status": "suspended"}],
            [{"status": "completed"}, {"status": "cancelled"}, {"end_on": day("2100-12-31")}],
        ),
        "funded_through": keeps_the_row_of(
            "funded_through",
            lambda: TaskFactory(funded_through=ProgrammeFactory(kind=ProgrammeKind.NATIONAL)),
            lambda task: task.funded_through_id,
        ),
        # Running in 2015 or later: a task of 2010–2015 overlaps, one of 2010–2014 does not.
        "year_from": keeps(
            {"year_from": 2015},
            TaskFactory,
            [period("2016-01-01", "2018-12-31"), period("2010-01-01", "2015-01-31")],
            [period("2010-01-01", "2014-12-31")],
        ),
        "year_to": keeps(
            {"year_to": 2013},
            TaskFactory,
            [period("2010-01-01", "2012-12-31"), period("2013-12-31", "2018-12-31")],
            [period("2014-01-01", "2018-12-31")],
        ),
        "funding_min": _task_funding_min,
        "funding_max": _task_funding_max,
        "funding_source": _task_funding_source,
        # The tasks behind a figure of the reporting calendar.
        "report_period": _task_report_period,
        "report_figure": _task_report_figure,
    },
)


THREE_OUTPUTS = {
    "name": ("Bravo", "Alpha", "Charlie"),
    "kind": ("model", "variety", "brand"),
    "quantity": (3, 1, 2),
    "task": ("T-2", "T-3", "T-1"),
    "programme": ("O-3", "O-1", "O-2"),
    "province": ("Alpha", "Charlie", "Bravo"),
    "achieved_year": (2016, 2014, 2015),
    "status": ("submitted", "recorded", "verified"),
    "evidence_number": ("QD-2", "QD-3", "QD-1"),
    "evidence_year": (2016, 2014, 2015),
    "unit": ("cai", "giong", "mo hinh"),
    "task_title": ("Charlie", "Alpha", "Bravo"),
    "location": ("Charlie", "Bravo", "Alpha"),
}


def varied_outputs(world):
    outputs = []
    for n in range(3):
        value = {column: values[n] for column, values in THREE_OUTPUTS.items()}
        task = TaskFactory(
            code=value["task"],
            title=value["task_title"],
            programme=ProgrammeFactory(code=value["programme"]),
            lead_agency=AgencyFactory(province=ProvinceFactory(name=value["province"])),
        )
        output = OutputFactory(
            task=task,
            name=value["name"],
            kind=value["kind"],
            quantity=value["quantity"],
            achieved_on=datetime.date(value["achieved_year"], 6, 30),
            status=value["status"],
            evidence_number=value["evidence_number"],
            evidence_date=datetime.date(value["evidence_year"], 7, 1),
            unit=value["unit"],
            location=value["location"],
        )
        outputs.append(output)
    return outputs


OUTPUTS = ListCase(
    list="output_list",
    inside=lambda world: OutputFactory(task=world.task, name="Mô hình lúa chất lượng cao của Thái Bình"),
    outside=lambda world: OutputFactory(task=world.other_task, name="Mô hình nuôi ngao của Nam Định"),
    label=lambda output: output.name,
    more=task_rows,
    varied=varied_outputs,
    detail="output_detail",
    unsortable=frozenset({"description"}),
    filters={
        "q": keeps({"q": "giong lua"}, OutputFactory, [{"name": "Giống lúa TBR225"}], [{"name": "Mô hình nuôi tôm"}]),
        "kind": keeps(
            {"kind": ["variety", "brand"]}, OutputFactory, [{"kind": "variety"}, {"kind": "brand"}], [{"kind": "model"}]
        ),
        "programme": keeps_the_row_of("programme", OutputFactory, lambda output: output.task.programme_id),
        "province": keeps_the_row_of("province", OutputFactory, lambda output: output.task.lead_agency.province_id),
        "place": _by_place_of_the_task(OutputFactory),
        "task": keeps_the_row_of("task", OutputFactory, lambda output: output.task_id),
        "status": keeps(
            {"status": ["submitted"]},
            OutputFactory,
            [{"status": "submitted"}],
            [{"status": "verified"}, {"status": "recorded"}],
        ),
        "unit": keeps(
            {"unit": "doanh nghiệp"},
            OutputFactory,
            [{"kind": "other", "unit": "doanh nghiệp"}],
            [{"kind": "other", "unit": "phần mềm"}],
        ),
        "year": keeps(
            {"year": 2015},
            OutputFactory,
            [{"achieved_on": day("2015-12-31")}],
            [{"achieved_on": day("2016-01-01")}, {"achieved_on": day("2014-12-31")}],
        ),
    },
)


# Progress reports


def submitted(task, by, **fields):
    values = {"status": ReportStatus.SUBMITTED, "submitted_by": by, "submitted_at": timezone.now(), **fields}
    return ProgressReportFactory(task=task, **values)


def progress_rows(world, n):
    """Reports on tasks the Thái Bình department leads, each submitted and reviewed by someone else."""
    for _ in range(n):
        task = TaskFactory(programme=world.programme, lead_agency=world.department)
        submitted(
            task,
            UserFactory(agency=world.department),
            status=ReportStatus.RETURNED,
            reviewed_by=UserFactory(agency=world.unit),
            reviewed_at=timezone.now(),
            review_note="Thiếu số liệu giải ngân.",
            disbursed_to_date=BILLION,
        )


def varied_progress_reports(world):
    reports = []
    statuses = (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.RETURNED)
    for n, letter in enumerate("BCA"):
        task = TaskFactory(
            code=f"R-{letter}",
            title=f"Task {'CAB'[n]}",
            lead_agency=AgencyFactory(name=f"Agency {'ACB'[n]}", province=None),
        )
        report = submitted(
            task,
            UserFactory(last_name=f"Submitter {letter}", agency=world.ministry),
            as_of=datetime.date(2017, 3 - n, 1),
            percent_complete=(40, 90, 10)[n],
            status=statuses[n],
            submitted_at=timezone.now() - datetime.timedelta(days=(2, 3, 1)[n]),
            reviewed_by=UserFactory(last_name=f"Reviewer {'BAC'[n]}", agency=world.ministry),
            reviewed_at=timezone.now(),
            review_note="Thiếu số liệu giải ngân.",
            disbursed_to_date=BILLION * (2, 1, 3)[n],
        )
        reports.append(report)
    return reports


def _report_status():
    kept = [ProgressReportFactory(status=status) for status in ("submitted", "draft")]
    returned = submitted(
        TaskFactory(),
        UserFactory(),
        status=ReportStatus.RETURNED,
        reviewed_by=UserFactory(),
        reviewed_at=timezone.now(),
        review_note="Thiếu số liệu giải ngân.",
    )
    return {"status": ["submitted", "draft"]}, kept, [returned]


PROGRESS_REPORTS = ListCase(
    list="progress_report_list",
    inside=lambda world: submitted(world.task, world.province_user),
    outside=lambda world: submitted(world.other_task, world.other_province_user),
    label=lambda report: report.task.code,
    more=progress_rows,
    varied=varied_progress_reports,
    detail="progress_report_detail",
    unsortable=frozenset({"review_note"}),
    filters={
        "status": _report_status,
        "programme": keeps_the_row_of("programme", ProgressReportFactory, lambda report: report.task.programme_id),
        "province": keeps_the_row_of(
            "province", ProgressReportFactory, lambda report: report.task.lead_agency.province_id
        ),
        "place": _by_place_of_the_task(ProgressReportFactory),
        # Reports are found by their task's words.
        "q": keeps(
            {"q": "nam rom"},
            ProgressReportFactory,
            [{"task__title": "Sản xuất nấm rơm"}],
            [{"task__title": "Nuôi tôm thẻ chân trắng"}],
        ),
    },
)


# Programmes


def programme_rows(world, n):
    """Programmes the Thái Bình committee is party to, with another party of the province and a funded task."""
    for _ in range(n):
        programme = ProgrammeFactory()
        ProgrammePartyFactory(programme=programme, agency=world.committee)
        ProgrammePartyFactory(programme=programme, agency=AgencyFactory(province=world.committee.province))
        fund(TaskFactory(programme=programme, lead_agency=world.department))
        # A task of the province's programme funded through this one, as through a national programme.
        fund(TaskFactory(programme=world.programme, lead_agency=world.department, funded_through=programme))


def varied_programmes(world):
    programmes = []
    rows = [("A", "cooperation", "active"), ("B", "national", "completed"), ("C", "other", "draft")]
    for n, (letter, kind, status) in enumerate(rows):
        programme = ProgrammeFactory(
            code=f"{letter}-{n}",
            title=f"Programme {letter}",
            kind=kind,
            status=status,
            start_year=2010 + n,
            end_year=2015 + n,
            orientation_year=2020 + n,
            signed_on=datetime.date(2010 + n, 1, 2),
        )
        province = ProvinceFactory(name=f"Province {letter}")
        ProgrammePartyFactory(programme=programme, agency=AgencyFactory(name=f"Committee {letter}", province=province))
        for _ in range(2 - n):  # 2, 1 and 0 tasks: the counts run against the names
            fund(TaskFactory(programme=programme, lead_agency=world.ministry), allocated=BILLION * (n + 1))
        # Tasks of other programmes funded through it: 1, 0 and 2 of them, with 3, 0 and 2 billion đồng.
        for _ in range((1, 0, 2)[n]):
            funded = TaskFactory(lead_agency=world.ministry, funded_through=programme)
            fund(funded, allocated=BILLION * (3, 0, 1)[n])
        programmes.append(programme)
    return programmes


def _programme_province():
    match, miss = ProgrammeFactory(), ProgrammeFactory()
    party = ProgrammePartyFactory(programme=match, role="coordinator")
    ProgrammePartyFactory(programme=miss)
    return {"province": [party.agency.province_id]}, [match], [miss]


PROGRAMMES = ListCase(
    list="programme_list",
    inside=lambda world: world.programme,
    outside=lambda world: world.other_programme,
    label=lambda programme: programme.code,
    more=programme_rows,
    varied=varied_programmes,
    detail="programme_detail",
    filters={
        "q": keeps({"q": "dien bien"}, ProgrammeFactory, [{"title": "Chương trình phối hợp với tỉnh Điện Biên"}], [{}]),
        "kind": keeps(
            {"kind": ["national", "other"]}, ProgrammeFactory, [{"kind": "national"}, {"kind": "other"}], [{}]
        ),
        "status": keeps({"status": ["active"]}, ProgrammeFactory, [{"status": "active"}], [{"status": "draft"}]),
        # Overdue: still active after the last year of its period, that of its orientation if any.
        "state": keeps(
            {"state": "overdue"},
            ProgrammeFactory,
            [{"status": "active", "start_year": 2011, "end_year": 2015, "orientation_year": 2020}],
            [
                {"status": "completed", "start_year": 2011, "end_year": 2015},
                {"status": "active", "start_year": 2021, "end_year": 2025, "orientation_year": 2100},
            ],
        ),
        "province": _programme_province,
        "ending_by": keeps(
            {"ending_by": 2016},
            ProgrammeFactory,
            [{"start_year": 2011, "end_year": 2015}],
            [{"start_year": 2016, "end_year": 2020}],
        ),
        "active_in": keeps(
            {"active_in": 2014},
            ProgrammeFactory,
            [{"start_year": 2012, "end_year": 2015, "orientation_year": 2020}],
            [{"start_year": 2016, "end_year": 2020}],
        ),
    },
)


# Agencies: a directory every user who logged in may read


def agency_rows(world, n):
    for _ in range(n):
        AgencyFactory(province=world.committee.province, parent=world.committee, successor=world.ministry, **MERGED)


def varied_agencies(world):
    others = [AgencyFactory(name=f"Agency {letter}", short_name=letter, province=None) for letter in "ZYX"]
    return [
        AgencyFactory(
            name=f"Agency {letter}",
            short_name=letter,
            kind=["department", "institute", "university"][n],
            province=ProvinceFactory(name=f"Province {letter}"),
            parent=others[n],
            valid_to=datetime.date(2025, 1, n + 1) if n else None,
            successor=others[n] if n else None,
        )
        for n, letter in enumerate("ABC")
    ]


AGENCIES = ListCase(
    list="agency_list",
    inside=lambda world: world.committee,
    outside=lambda world: world.other_committee,
    label=lambda agency: agency.name,
    more=agency_rows,
    varied=varied_agencies,
    detail="agency_detail",
    public=True,
    # Existing agencies first, then the most recently merged.
    sort_keys={"current": lambda agency: (agency.valid_to is not None, agency.valid_to or datetime.date.min)},
    filters={
        "q": keeps({"q": "vien lua"}, AgencyFactory, [{"name": "Viện Lúa đồng bằng sông Cửu Long"}], [{}]),
        "kind": keeps({"kind": ["institute"]}, AgencyFactory, [{"kind": "institute"}], [{}]),
        "province": keeps_the_row_of("province", AgencyFactory, lambda agency: agency.province_id),
        "current=true": keeps({"current": "true"}, AgencyFactory, [{}], [MERGED]),
        "current=false": keeps({"current": "false"}, AgencyFactory, [MERGED], [{}]),
    },
)


# Meetings and their recommendations


def meeting_rows(world, n):
    for _ in range(n):
        meeting = MeetingFactory(programme=world.programme)
        AttendanceFactory(meeting=meeting, person=PersonFactory(agency=world.department))
        RecommendationFactory(meeting=meeting, raised_by=world.committee, addressed_to=world.ministry)


def varied_meetings(world):
    meetings = []
    for n, letter in enumerate("ABC"):
        meeting = MeetingFactory(
            title=f"Meeting {letter}",
            programme=ProgrammeFactory(code=f"M-{letter}", title=f"Programme {letter}"),
            held_on=datetime.date(2020, 1, n + 1),
            place=f"Place {letter}",
            kind=["final_review", "periodic_review", "signing"][n],
        )
        for _ in range(3 - n):
            AttendanceFactory(meeting=meeting, person=PersonFactory(agency=world.ministry))
        RecommendationFactory.create_batch(n, meeting=meeting, raised_by=world.ministry, addressed_to=world.ministry)
        meetings.append(meeting)
    return meetings


MEETINGS = ListCase(
    list="meeting_list",
    inside=lambda world: world.meeting,
    outside=lambda world: world.other_meeting,
    label=lambda meeting: meeting.title,
    more=meeting_rows,
    varied=varied_meetings,
    detail="meeting_detail",
    filters={
        "q": keeps({"q": "tong ket"}, MeetingFactory, [{"title": "Hội nghị tổng kết"}], [{"title": "Buổi làm việc"}]),
        "programme": keeps_the_row_of("programme", MeetingFactory, lambda meeting: meeting.programme_id),
        "kind": keeps({"kind": ["final_review"]}, MeetingFactory, [{"kind": "final_review"}], [{"kind": "signing"}]),
        "year": keeps(
            {"year": 2019}, MeetingFactory, [{"held_on": day("2019-12-31")}], [{"held_on": day("2020-01-01")}]
        ),
    },
)


def recommendation_rows(world, n):
    for _ in range(n):
        addressed_to = AgencyFactory(province=world.committee.province)
        RecommendationFactory(meeting=world.meeting, raised_by=world.ministry, addressed_to=addressed_to)


def varied_recommendations(world):
    recommendations = []
    for n, letter in enumerate("ABC"):
        meeting = MeetingFactory(
            title=f"Meeting {letter}",
            programme=ProgrammeFactory(code=f"R-{letter}", title=f"Programme {letter}"),
            held_on=datetime.date(2019, n + 1, 1),
        )
        recommendation = RecommendationFactory(
            meeting=meeting,
            raised_by=AgencyFactory(name=f"Agency {letter}", province=None),
            addressed_to=AgencyFactory(name=f"Agency {'CBA'[n]}", province=None),
            due_on=datetime.date(2021, 3 - n, 1),
            status=["done", "in_progress", "open"][n],
        )
        recommendations.append(recommendation)
    return recommendations


def _recommendation_overdue():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    match = RecommendationFactory(due_on=yesterday, status=RecommendationStatus.IN_PROGRESS)
    drop = [
        RecommendationFactory(due_on=yesterday, status=RecommendationStatus.DONE),
        RecommendationFactory(due_on=timezone.localdate() + datetime.timedelta(days=30)),
        RecommendationFactory(due_on=None),
    ]
    return {"overdue": "true"}, [match], drop


RECOMMENDATIONS = ListCase(
    list="recommendation_list",
    inside=lambda world: RecommendationFactory(
        meeting=world.meeting,
        text="Kiến nghị về mô hình lúa của Thái Bình",
        raised_by=world.committee,
        addressed_to=world.ministry,
    ),
    # Addressed to the Thái Bình committee, but raised at a meeting of the Nam Định programme.
    outside=lambda world: RecommendationFactory(
        meeting=world.other_meeting,
        text="Kiến nghị về làng nghề của Nam Định",
        raised_by=world.ministry,
        addressed_to=world.committee,
    ),
    label=lambda recommendation: recommendation.text,
    more=recommendation_rows,
    varied=varied_recommendations,
    unsortable=frozenset({"text", "follow_up"}),
    filters={
        # Words with their diacritics: recommendations keep no folded search column.
        "q": keeps(
            {"q": "thủy lợi"},
            RecommendationFactory,
            [{"text": "Đầu tư hệ thống thủy lợi nội đồng"}],
            [{"text": "Phát triển làng nghề"}],
        ),
        "programme": keeps_the_row_of("programme", RecommendationFactory, lambda row: row.meeting.programme_id),
        "status": keeps({"status": ["done"]}, RecommendationFactory, [{"status": "done"}], [{"status": "open"}]),
        "addressed_to": keeps_the_row_of("addressed_to", RecommendationFactory, lambda row: row.addressed_to_id),
        "overdue": _recommendation_overdue,
    },
)


# The archive: review documents and saved copies

# The numbers the cases give their issued review documents: each a new one, whatever agency issues it.
_document_numbers = itertools.count(1)


def a_signer(**fields):
    """A leader linked to a person with a position: one the list's filter by signer offers."""
    person = PersonFactory(**({"full_name": fields["last_name"]} if "last_name" in fields else {}))
    return join_group(UserFactory(person=person, **fields), Role.LEADERSHIP)


def review_document(programme=None, state: str = DocumentState.ISSUED, **values):
    """A review document of `programme` (a new one if None) in `state`: issued, it has its number and its file;
    before, a draft or a document waiting for signature has neither."""
    if state == DocumentState.ISSUED:
        number = next(_document_numbers)
        fields = {
            "number": number,
            "symbol": "BC-BKHCN",
            "register_year": 2024,
            "issuing_agency": AgencyFactory(),
            "issued_at": datetime.datetime(2024, 6, 11, 2, number % 60, tzinfo=datetime.UTC),
        }
    else:
        fields = {"pdf": "", "page_count": None, "sha256": ""}
    return issued(
        programme or ProgrammeFactory(), kind=ReportKind.PROGRAMME_REVIEW, state=state, **{**fields, **values}
    )


def saved_sheet(programme, **values):
    """A saved copy of the sheet of a new task of `programme`."""
    return issued(programme, kind=ReportKind.TASK_SHEET, task=TaskFactory(programme=programme), **values)


def report_rows(world, n):
    """Saved sheets of tasks and issued documents of the Thái Bình programme, each with its task or its signer."""
    for _ in range(n):
        saved_sheet(world.programme, created_by=UserFactory(agency=world.ministry))
        review_document(
            world.programme,
            signer=a_signer(),
            as_of=day("2024-06-10"),
            created_by=UserFactory(agency=world.ministry),
        )


# Values per column, each column in an order of its own (never the order of creation); None: the row has none.
VARIED_REPORTS = {
    "programme": ("G-B", "G-C", "G-A", "G-E", "G-D"),
    "kind": ("task_sheet", "programme_review", "task_list", "programme_review", "task_sheet"),
    "state": ("saved", "issued", "saved", "issued", "saved"),
    "task": ("T-3", None, None, None, "T-1"),
    "number": (None, (2025, 1), None, (2024, 3), None),  # (register year, number)
    "signer": (None, "Bùi", None, "An", None),
    "as_of": (None, "2025-03-31", None, "2024-03-31", None),
    "language": ("vi", "en", "vi", "vi", "en"),
    "created_year": (2025, 2023, 2024, 2022, 2021),
    "created_by": ("Đỗ", "An", "Bùi", "Cao", "Bùi"),
    "page_count": (12, 2, 30, 7, 5),
    "sha256": ("c", "a", "b", "e", "d"),
}


def varied_reports(world):
    reports = []
    for n in range(len(VARIED_REPORTS["programme"])):
        value = {column: values[n] for column, values in VARIED_REPORTS.items()}
        programme = ProgrammeFactory(code=value["programme"])
        fields = {
            "kind": value["kind"],
            "state": value["state"],
            "language": value["language"],
            "created_by": UserFactory(last_name=value["created_by"], agency=world.ministry),
            "page_count": value["page_count"],
            "sha256": value["sha256"] * 64,
            **in_year(value["created_year"]),
        }
        if value["task"]:
            fields["task"] = TaskFactory(programme=programme, code=value["task"])
        if value["number"]:
            year, number = value["number"]
            fields.update(
                number=number,
                symbol="BC-BKHCN",
                register_year=year,
                issuing_agency=world.ministry,
                # Issued the year of its register, after it was drafted: the day the list shows and sorts by.
                issued_at=datetime.datetime(year, 6, 11, 2, 0, tzinfo=datetime.UTC),
                signer=a_signer(last_name=value["signer"]),
                as_of=day(value["as_of"]),
            )
        reports.append(issued(programme, **fields))
    issued_alone()  # a report across programmes: only for those who see them all
    return reports


def _report_state():
    """Drafts and documents waiting for signature, which only the Ministry lists; not the issued or saved ones."""
    kept = [review_document(state=DocumentState.DRAFT), review_document(state=DocumentState.SUBMITTED)]
    dropped = [review_document(), issued_alone()]
    return {"state": [DocumentState.DRAFT, DocumentState.SUBMITTED]}, kept, dropped


REPORTS = ListCase(
    list="report_list",
    inside=lambda world: issued(world.programme),
    outside=lambda world: issued(world.other_programme),
    label=lambda report: report.sha256,
    more=report_rows,
    varied=varied_reports,
    detail="report_download",
    unsortable=frozenset({"download"}),
    # The day shown: an issued document's, else the day the row was made.
    sort_keys={"created_at": lambda report: (report.issued_at or report.created_at,)},
    filters={
        "kind": keeps(
            {"kind": ["task_sheet", "task_list"]},
            issued_alone,
            [{"kind": "task_sheet"}, {"kind": "task_list"}],
            [{"kind": "programme_review"}],
        ),
        "state": _report_state,
        "programme": keeps_the_row_of(
            "programme", lambda: issued(ProgrammeFactory()), lambda report: report.programme_id
        ),
        "signer": keeps_the_row_of(
            "signer", lambda: review_document(signer=a_signer()), lambda report: report.signer_id
        ),
        "language": keeps({"language": ["en"]}, issued_alone, [{"language": "en"}], [{"language": "vi"}]),
        "year": keeps({"year": "2024"}, issued_alone, [in_year(2024)], [in_year(2023), in_year(2025)]),
        "kind and year": keeps(
            {"kind": "task_sheet", "year": "2024"},
            issued_alone,
            [in_year(2024, kind="task_sheet")],
            [in_year(2024), in_year(2023, kind="task_sheet")],
        ),
        # The year the figures stand at: a document as of 2020, not one of 2021 nor a copy with no such day.
        "as_of": keeps(
            {"as_of": 2020},
            review_document,
            [{"as_of": day("2020-06-10")}, {"as_of": day("2020-12-31"), "state": DocumentState.DRAFT}],
            [{"as_of": day("2021-01-01")}, {"as_of": None}],
        ),
    },
)


LIST_CASES = [TASKS, OUTPUTS, PROGRESS_REPORTS, PROGRAMMES, AGENCIES, MEETINGS, RECOMMENDATIONS, REPORTS]
