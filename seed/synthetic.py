"""A synthetic data set of national size, written in bulk, for benchmarks and load tests.

`generate_synthetic(scale=..., seed=...)` writes provinces (the 63 of before 1/7/2025, with
the province each merged into), agencies, people, users, programmes with their parties,
targets, reporting periods and meetings (`seed.synthetic_programmes`), then tasks, their places
of implementation, funding, outputs and progress reports (here). Every row is made up (names
from `seed.synthetic_data`); programme codes start with `SYN-` and usernames with `syn.`, so a
synthetic set is recognisable beside real data or the demo.

How it stays fast and small in memory:

- rows are built lazily, one table at a time, and written with `bulk_create` in batches
  of `BATCH_SIZE`; of the 50,000 tasks only a small tuple each is kept, for the tables
  that hang off them;
- `bulk_create` bypasses `save()`, so the folded `search_text` is filled here: from
  related objects already in memory (`build_search_text()` then runs no query), and for
  programmes, whose text includes their parties, by `refresh_search_text` once the
  parties exist;
- each table draws from its own random generator seeded with (seed, table), so a seed
  always gives the same rows, and the rows are frozen at `REFERENCE_DAY`.

Every database rule holds: accepted and completed tasks have their acceptance record and are 100%
complete, a closed programme has no open task, percentages 0–100, quantities ≥ 1 in a unit, amounts ≥ 0,
disbursed ≤ allocated, end ≥ start, unique codes, approved and returned reports and verified and returned
outputs with a reviewer who is not the submitter, a reason for each return, the evidence of each
verified variety, brand and patent.
"""

import bisect
import datetime
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby, islice
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import OuterRef, Subquery, Sum

from programmes.choices import OutputKind, ProgrammeKind, ProgrammeStatus
from programmes.models import (
    Agency,
    Attendance,
    Meeting,
    Person,
    Programme,
    ProgrammeParty,
    Province,
    Recommendation,
    ReportingPeriod,
    Target,
)
from seed import synthetic_data as words
from seed.synthetic_data import REFERENCE_DAY
from seed.synthetic_programmes import (
    CODE_PREFIX,
    MILLION,
    PeriodSeed,
    ProgrammePlan,
    ProgrammeTables,
    ProvinceInfo,
)
from tasks.choices import (
    ACCEPTED_TASK_STATUSES,
    KINDS_VERIFIED_ONLY_WITH_EVIDENCE,
    FundingSource,
    OutputStatus,
    ReportStatus,
    TaskLevel,
    TaskStatus,
)
from tasks.models import Funding, Output, ProgressDisbursement, ProgressReport, Task, TaskPlace

BATCH_SIZE = 5000
# A finished task is accepted this long after its end (never after REFERENCE_DAY).
ACCEPTANCE_DELAY = datetime.timedelta(days=45)
# The share of a task's reporting periods whose reports came in after the due date, and by how many days at most;
# and the share whose reports stayed drafts, never sent (but for the report the task's percent comes from).
LATE_SHARE = 0.12
MOST_DAYS_LATE = 40
DRAFT_ONLY_SHARE = 0.04
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind; funding, outputs and reports are counted per task on average."""

    name: str
    programmes: int
    agencies: int
    people: int
    tasks: int
    meetings: int
    fundings_per_task: float = 3
    outputs_per_task: float = 5
    reports_per_task: float = 8

    @property
    def expected(self) -> dict[str, int]:
        """Rows each table should end up with, roughly (for progress lines and tests)."""
        return {
            "agencies": self.agencies,
            "people": self.people,
            "programmes": self.programmes,
            "meetings": self.meetings,
            "tasks": self.tasks,
            "fundings": round(self.tasks * self.fundings_per_task),
            "outputs": round(self.tasks * self.outputs_per_task),
            "progress reports": round(self.tasks * self.reports_per_task),
        }


SCALES = {
    "national": Scale("national", programmes=1000, agencies=5000, people=20_000, tasks=50_000, meetings=3000),
    # About 1/50 of the national set; the provinces and the skeleton of each one's agencies stay whole.
    "small": Scale("small", programmes=20, agencies=300, people=400, tasks=1000, meetings=60),
}

# Progress callback: (table, rows written so far, rows expected, finished).
Progress = Callable[[str, int, int, bool], None]


class SyntheticDataPresent(Exception):
    """The database already holds a synthetic set, or other data that `force` must allow."""


def existing_data() -> tuple[int, int]:
    """(synthetic programmes, other programmes and tasks) already in the database."""
    synthetic = Programme.objects.filter(code__startswith=CODE_PREFIX).count()
    other = Programme.objects.exclude(code__startswith=CODE_PREFIX).count() + Task.objects.count()
    return synthetic, other


class TaskSeed(NamedTuple):
    """The little of each task that its funding, outputs and reports are drawn from."""

    pk: int
    start_on: datetime.date
    end_on: datetime.date
    status: str
    percent: int
    budget: int  # million VND, split over the funding rows
    topic: str
    place: str
    location: str
    submitter_id: int | None
    province_id: int  # where the task is carried out
    programme_id: int


class _Writer:
    """Writes rows in batches and reports progress once per batch."""

    def __init__(self, progress: Progress | None, batch_size: int):
        self.progress = progress or (lambda *args: None)
        self.batch_size = batch_size
        self.counts: dict[str, int] = {}

    def write(self, label: str, model: type[models.Model], rows: Iterable[models.Model], expected: int) -> int:
        """Insert every row of `rows` (built lazily), `batch_size` at a time; primary keys are set on the rows."""
        done = 0
        rows = iter(rows)
        while batch := list(islice(rows, self.batch_size)):
            model.objects.bulk_create(batch)
            done += len(batch)
            self.progress(label, done, expected, False)
        self.progress(label, done, expected, True)
        self.counts[label] = self.counts.get(label, 0) + done
        return done


def generate_synthetic(
    *, scale: Scale, seed: int = 1, progress: Progress | None = None, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Write a synthetic data set of `scale`; returns rows written per table.

    Refuses (`SyntheticDataPresent`) when a synthetic set is already there; the caller
    decides beforehand whether other data may be present (see `existing_data`).
    """
    if existing_data()[0]:
        raise SyntheticDataPresent("A synthetic data set is already in this database.")
    writer = _Writer(progress, batch_size)
    with transaction.atomic():
        generator = _Generator(scale=scale, seed=seed, writer=writer)
        generator.run()
    _analyze()
    return writer.counts


def _analyze() -> None:
    """Fresh statistics (and, outside a transaction, the visibility map) so that plans fit the new size."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    models_written = (Province, Agency, Person, Programme, ProgrammeParty, Target, Meeting, Attendance)
    models_written += (
        ReportingPeriod,
        Recommendation,
        Task,
        TaskPlace,
        Funding,
        Output,
        ProgressReport,
        ProgressDisbursement,
        get_user_model(),
    )
    with connection.cursor() as cursor:
        for model in models_written:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


class _Generator(ProgrammeTables):
    def __init__(self, *, scale: Scale, seed: int, writer: _Writer):
        self.scale = scale
        self.seed = seed
        self.writer = writer
        self.provinces: dict[str, ProvinceInfo] = {}  # by name
        self.central: dict[str, Agency] = {}  # by name
        self.agencies: list[Agency] = []
        self.people_by_agency: dict[int, list[int]] = defaultdict(list)
        self.reviewer_ids: list[int] = []
        self.plans: list[ProgrammePlan] = []
        self.periods_by_programme: dict[int, list[PeriodSeed]] = defaultdict(list)

    def rng(self, table: str) -> random.Random:
        """A generator of its own for each table: one table's draws never shift another's."""
        return random.Random(f"{self.seed}:{table}")

    def run(self) -> None:
        self.write_provinces()
        self.write_agencies()
        self.write_people()
        self.write_users()
        self.write_programmes()
        self.write_reporting_periods()
        self.write_meetings()
        seeds = self.write_tasks()
        self.write_task_places(seeds)
        self.write_fundings(seeds)
        self.write_outputs(seeds)
        self.write_progress_reports(seeds)

    # Tasks and what hangs off them

    def write_tasks(self) -> list[TaskSeed]:
        rng = self.rng("tasks")
        leads_by_province = [info for info in self.provinces.values() if info.leads]
        # National funding programmes a cooperation task may be funded through, by the years they cover.
        ntmn = [plan.programme for plan in self.plans if plan.programme.code.startswith(f"{CODE_PREFIX}NTMN-")]
        fields = list(words.TASK_TOPICS)
        field_weights = (45, 15, 12, 10, 8, 6, 4)
        seeds: list[TaskSeed] = []
        pending: list[tuple[Task, tuple]] = []

        def rows() -> Iterator[Task]:
            for plan in self.plans:
                programme = plan.programme
                first = datetime.date(programme.start_year, 1, 1)
                last = datetime.date(programme.orientation_year or programme.end_year, 12, 31)
                for number in range(1, plan.tasks + 1):
                    info = plan.province or rng.choice(leads_by_province)
                    lead = rng.choice(info.leads)
                    people = self.people_by_agency.get(lead.pk)
                    task_field = rng.choices(fields, field_weights)[0]
                    verbs, topics = words.TASK_TOPICS[task_field]
                    topic = rng.choice(topics)
                    place = rng.choice(words.PLACE_WORDS)
                    location = f"xã {place}, {info.label}"
                    months = rng.randint(12, 36)
                    latest_start = max(first, last - datetime.timedelta(days=months * 30))
                    start_on = first + datetime.timedelta(days=rng.randint(0, (latest_start - first).days))
                    start_on = start_on.replace(day=1)
                    end_on = min(start_on + datetime.timedelta(days=months * 30.5), last)
                    closed = programme.status == ProgrammeStatus.COMPLETED
                    status, percent = self._task_status(rng, start_on, end_on, programme_closed=closed)
                    accepted = status in ACCEPTED_TASK_STATUSES
                    through = None
                    if programme.kind == ProgrammeKind.COOPERATION and rng.random() < 0.25:
                        covering = [p for p in ntmn if p.start_year <= start_on.year <= p.end_year]
                        through = covering[0] if covering else None
                    national = plan.level == TaskLevel.NATIONAL or through is not None
                    task = Task(
                        programme=programme,
                        code=f"{info.row.code}.{programme.start_year % 100:02d}-{number:04d}",
                        title=f"{rng.choice(verbs)} {topic} tại xã {place}, {info.label}",
                        field=task_field,
                        level=TaskLevel.NATIONAL if national else plan.level,
                        lead_agency=lead,
                        investigator_id=rng.choice(people) if people and rng.random() < 0.95 else None,
                        funded_through=through,
                        location=location,
                        start_on=start_on,
                        end_on=end_on,
                        status=status,
                        percent_complete=percent,
                        # An accepted or completed task has its acceptance record (made up, as everything here).
                        accepted_on=min(end_on + ACCEPTANCE_DELAY, REFERENCE_DAY) if accepted else None,
                        acceptance_decision=f"{number:04d}/BB-NT" if accepted else "",
                    )
                    task.search_text = task.build_search_text()
                    budget = round(rng.lognormvariate(7.3 if national else 6.6, 0.6))  # million VND
                    pending.append((task, (status, percent, max(budget, 50), topic, place, location, info)))
                    yield task

        def remember(tasks: Iterable[Task]) -> Iterator[Task]:
            for task in tasks:
                yield task
                if len(pending) >= self.writer.batch_size:
                    flush()

        def flush() -> None:
            keep = []
            for task, (status, percent, budget, topic, place, location, info) in pending:
                if task.pk is None:
                    keep.append((task, (status, percent, budget, topic, place, location, info)))
                    continue
                seeds.append(
                    TaskSeed(
                        task.pk,
                        task.start_on,
                        task.end_on,
                        status,
                        percent,
                        budget,
                        topic,
                        place,
                        location,
                        info.submitter_id,
                        info.row.pk,
                        task.programme_id,
                    )
                )
            pending[:] = keep

        self.writer.write("tasks", Task, remember(rows()), self.scale.tasks)
        flush()
        return seeds

    @staticmethod
    def _task_status(
        rng: random.Random, start_on: datetime.date, end_on: datetime.date, *, programme_closed: bool
    ) -> tuple[str, int]:
        """The status on `REFERENCE_DAY` and the percent of the latest approved report (100 once accepted).

        A task past its end may still be suspended (overdue), unless its programme is closed: a closed
        programme has no open task.
        """
        if end_on < REFERENCE_DAY:
            last = TaskStatus.CANCELLED if programme_closed else TaskStatus.SUSPENDED
            ended = [TaskStatus.COMPLETED, TaskStatus.ACCEPTED, TaskStatus.CANCELLED, last]
            status = rng.choices(ended, (60, 30, 5, 5))[0]
            finished = status in (TaskStatus.COMPLETED, TaskStatus.ACCEPTED)
            return status, 100 if finished else rng.randint(10, 80)
        if start_on > REFERENCE_DAY:
            return rng.choice([TaskStatus.PROPOSED, TaskStatus.APPROVED]), 0
        elapsed = (REFERENCE_DAY - start_on).days / max((end_on - start_on).days, 1)
        status = rng.choices([TaskStatus.IN_PROGRESS, TaskStatus.SUSPENDED], (92, 8))[0]
        return status, max(0, min(95, round(elapsed * 100) - rng.randint(0, 15)))

    def write_task_places(self, seeds: list[TaskSeed]) -> None:
        """One place a task: the province the task was drawn for, with the commune its title names."""
        rows = (TaskPlace(task_id=seed.pk, province_id=seed.province_id, commune=f"xã {seed.place}") for seed in seeds)
        self.writer.write("task places", TaskPlace, rows, len(seeds))

    def write_fundings(self, seeds: list[TaskSeed]) -> None:
        """About three rows a task: the Ministry's money every task has, then local budget, counterpart
        funds or other sources in some of its years; disbursed in full for past years of finished tasks.
        """
        rng = self.rng("fundings")
        share = {
            FundingSource.MINISTRY: 1.0,
            FundingSource.PROVINCE: 0.6,
            FundingSource.COUNTERPART: 0.4,
            FundingSource.OTHER: 0.2,
        }

        def rows() -> Iterator[Funding]:
            for seed in seeds:
                years = list(range(seed.start_on.year, seed.end_on.year + 1))
                cells = [(source, year) for source in FundingSource.values for year in years]
                count = min(rng.randint(1, 5), len(cells))
                chosen = [cells[0], *rng.sample(cells[1:], count - 1)]
                weights = [share[source] * rng.uniform(0.5, 1.5) for source, _year in chosen]
                for (source, year), weight in zip(chosen, weights, strict=True):
                    allocated = max(round(seed.budget * weight / sum(weights)), 1) * MILLION
                    yield Funding(
                        task_id=seed.pk,
                        source=source,
                        year=year,
                        allocated=Decimal(allocated),
                        disbursed=Decimal(self._disbursed(rng, seed, year, allocated)),
                    )

        self.writer.write("fundings", Funding, rows(), self.scale.expected["fundings"])
        # bulk_create leaves the sums each task keeps as they were (zero); one UPDATE fills them in.
        summed = Task.objects.filter(programme__code__startswith=CODE_PREFIX).refresh_funding_sums()
        self.writer.progress("task funding sums", summed, len(seeds), True)

    @staticmethod
    def _disbursed(rng: random.Random, seed: TaskSeed, year: int, allocated: int) -> int:
        if year > REFERENCE_DAY.year or seed.status in (TaskStatus.PROPOSED, TaskStatus.APPROVED):
            return 0
        if seed.status in (TaskStatus.CANCELLED, TaskStatus.SUSPENDED):
            return allocated * rng.randint(0, 8) // 10 // MILLION * MILLION
        if year < REFERENCE_DAY.year or seed.status in (TaskStatus.COMPLETED, TaskStatus.ACCEPTED):
            return allocated
        return allocated * 4 // 10 // MILLION * MILLION

    def write_outputs(self, seeds: list[TaskSeed]) -> None:
        """What tasks under way or finished produced: models, technologies, trainings, a few brands and varieties."""
        rng = self.rng("outputs")
        kinds = list(words.OUTPUT_KIND_WEIGHTS)
        kind_weights = list(words.OUTPUT_KIND_WEIGHTS.values())
        started = sum(1 for seed in seeds if seed.status not in (TaskStatus.PROPOSED, TaskStatus.APPROVED))
        # Tasks not started yet have none, so the others have a little more to reach the average.
        most = round(2 * self.scale.outputs_per_task * len(seeds) / max(started, 1))

        def rows() -> Iterator[Output]:
            for seed in seeds:
                if seed.status in (TaskStatus.PROPOSED, TaskStatus.APPROVED):
                    continue
                last = min(seed.end_on, REFERENCE_DAY)
                span = max((last - seed.start_on).days, 0)
                for _number in range(rng.randint(0, most)):
                    kind = rng.choices(kinds, kind_weights)[0]
                    achieved_on = seed.start_on + datetime.timedelta(days=rng.randint(span // 3, span))
                    name = rng.choice(words.OUTPUT_NAMES[kind]).format(
                        topic=seed.topic, place=seed.place, code=f"ĐH{rng.randint(100, 999)}"
                    )
                    unit = words.OUTPUT_UNITS[kind]
                    if kind == OutputKind.OTHER:
                        unit = rng.choice(words.OTHER_OUTPUT_UNITS)
                    output = Output(
                        task_id=seed.pk,
                        kind=kind,
                        name=name,
                        description=f"Kết quả của nhiệm vụ về {seed.topic}, được địa phương tiếp nhận và nhân rộng.",
                        quantity=rng.randint(1, words.OUTPUT_MAX_QUANTITY[kind]),
                        unit=unit,
                        achieved_on=achieved_on,
                        location=seed.location,
                    )
                    body = words.RECOGNISING_BODIES.get(kind)
                    if body and rng.random() < 0.7:
                        output.evidence_number = f"{rng.randint(10, 3999)}/{body}"
                        output.evidence_date = achieved_on + datetime.timedelta(days=rng.randint(0, 60))
                    self._review_output(rng, seed, output)
                    output.search_text = output.build_search_text()
                    yield output

        self.writer.write("outputs", Output, rows(), self.scale.expected["outputs"])

    def _review_output(self, rng: random.Random, seed: TaskSeed, output: Output) -> None:
        """Where the output stands: mostly verified by Ministry staff, some submitted, recorded or returned
        (with the reason). A kind that needs its evidence to be verified and has none waits as submitted."""
        statuses = words.OUTPUT_STATUS_WEIGHTS
        status = rng.choices(list(statuses), list(statuses.values()))[0]
        lacks_evidence = output.kind in KINDS_VERIFIED_ONLY_WITH_EVIDENCE and not output.evidence_number
        if status == OutputStatus.VERIFIED and lacks_evidence:
            status = OutputStatus.SUBMITTED
        output.status = status
        if status == OutputStatus.RECORDED:
            return
        submitted_at = datetime.datetime.combine(
            output.achieved_on + datetime.timedelta(days=10), datetime.time(9), tzinfo=VIETNAM
        )
        output.submitted_by_id = seed.submitter_id
        output.submitted_at = submitted_at
        if status in (OutputStatus.VERIFIED, OutputStatus.RETURNED):
            output.reviewed_by_id = rng.choice(self.reviewer_ids)
            output.reviewed_at = submitted_at + datetime.timedelta(days=5, hours=5)
        if status == OutputStatus.RETURNED:
            output.review_note = rng.choice(words.OUTPUT_RETURN_REASONS)

    def write_progress_reports(self, seeds: list[TaskSeed]) -> None:
        """Reports spread over each task's time up to `REFERENCE_DAY`, approved by Ministry staff; the
        latest approved one carries the task's percent. A task still running may have a newer report
        that is a draft, submitted or returned (with its reason).

        Each report answers for the period of its programme's calendar its date falls in (none before the
        calendar) and keeps the day it was first submitted. Most come in before the due date; for about
        LATE_SHARE of a task's periods they came in late, up to MOST_DAYS_LATE days after it, and for about
        DRAFT_ONLY_SHARE they stayed drafts. Where a task has no report sent in a period (few reports over a
        long task, drafts never sent, a period after its work but before its acceptance) the period's report
        is missing.
        """
        rng = self.rng("progress reports")
        # Drawn apart, so that the dates, percents and statuses drawn above stay what they were.
        calendar = self.rng("reporting calendar")
        started = sum(1 for seed in seeds if seed.status not in (TaskStatus.PROPOSED, TaskStatus.APPROVED))
        mean = self.scale.reports_per_task * len(seeds) / max(started, 1)
        least, most = 2, max(2, round(2 * mean) - 2)

        def rows() -> Iterator[ProgressReport]:
            for seed in seeds:
                if seed.status in (TaskStatus.PROPOSED, TaskStatus.APPROVED):
                    continue
                last = min(seed.end_on, REFERENCE_DAY)
                count = rng.randint(least, most)
                pending = None
                if seed.status == TaskStatus.IN_PROGRESS and rng.random() < 0.5:
                    pending = rng.choices(
                        [ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.DRAFT], (5, 2, 2)
                    )[0]
                approved = count - (1 if pending else 0)
                span = max((last - seed.start_on).days, approved)
                periods = self.periods_by_programme.get(seed.programme_id, [])
                # By period: how many days late its reports came in (0: on time), or None: they stayed drafts.
                days_late: dict[int, int | None] = {}
                for index in range(count):
                    as_of = seed.start_on + datetime.timedelta(days=span * (index + 1) // count)
                    if index < approved:
                        status = ReportStatus.APPROVED
                        percent = seed.percent * (index + 1) // approved
                    else:
                        status = pending
                        percent = min(100, seed.percent + rng.randint(1, 15))
                    period = period_of(periods, as_of)
                    if period is not None and period.pk not in days_late:
                        days_late[period.pk] = self._days_late(calendar)
                    late_by = days_late[period.pk] if period is not None else 0
                    # The latest approved report carries the task's percent: it was sent, whatever its period.
                    never_sent = late_by is None and index < approved - 1
                    yield self._report(
                        rng, seed, as_of, percent, status, period=period, days_late=late_by or 0, never_sent=never_sent
                    )

        self.writer.write("progress reports", ProgressReport, rows(), self.scale.expected["progress reports"])
        self.write_progress_disbursements()

    @staticmethod
    def _days_late(calendar: random.Random) -> int | None:
        """How the reports of one task for one period came in: days after the due date (0: on time), or None:
        they stayed drafts, never sent."""
        draw = calendar.random()
        if draw < LATE_SHARE:
            return calendar.randint(1, MOST_DAYS_LATE)
        if draw < LATE_SHARE + DRAFT_ONLY_SHARE:
            return None
        return 0

    def write_progress_disbursements(self) -> None:
        """Each report's figures per funding row: a row of a past year as disbursed on it, the row of the
        report's own year in proportion to the part of the year gone by (whole millions); then each
        report's total, their sum, in one UPDATE.

        Reports and funding rows are read back task by task, a few numbers each, so that memory stays
        small whatever the number of reports.
        """
        tasks = Task.objects.filter(programme__code__startswith=CODE_PREFIX)
        fundings = groupby(
            Funding.objects.filter(task__in=tasks)
            .order_by("task_id", "year", "source", "pk")
            .values_list("task_id", "pk", "year", "disbursed")
            .iterator(chunk_size=BATCH_SIZE),
            key=lambda row: row[0],
        )
        reports = groupby(
            ProgressReport.objects.filter(task__in=tasks)
            .order_by("task_id", "pk")
            .values_list("task_id", "pk", "as_of")
            .iterator(chunk_size=BATCH_SIZE),
            key=lambda row: row[0],
        )

        def rows() -> Iterator[ProgressDisbursement]:
            funding_groups = ((task_id, list(group)) for task_id, group in fundings)
            pending = next(funding_groups, None)
            for task_id, task_reports in reports:
                # Both come in the order of the tasks: move on to this task's funding rows, if it has any.
                while pending is not None and pending[0] < task_id:
                    pending = next(funding_groups, None)
                task_fundings = pending[1] if pending is not None and pending[0] == task_id else []
                for _task, report_pk, as_of in task_reports:
                    part_of_year = Decimal(as_of.timetuple().tm_yday) / 366
                    for _task_id, funding_pk, year, disbursed in task_fundings:
                        if year > as_of.year:
                            continue
                        amount = disbursed if year < as_of.year else disbursed * part_of_year // MILLION * MILLION
                        yield ProgressDisbursement(report_id=report_pk, funding_id=funding_pk, disbursed_to_date=amount)

        expected = round(self.scale.expected["progress reports"] * self.scale.fundings_per_task / 2)
        self.writer.write("progress disbursements", ProgressDisbursement, rows(), expected)
        totals = (
            ProgressDisbursement.objects.filter(report=OuterRef("pk"))
            .order_by()
            .values("report")
            .annotate(total=Sum("disbursed_to_date"))
            .values("total")
        )
        ProgressReport.objects.filter(task__in=tasks).update(disbursed_to_date=Subquery(totals))

    def _report(
        self,
        rng,
        seed: TaskSeed,
        as_of: datetime.date,
        percent: int,
        status: str,
        *,
        period: PeriodSeed | None = None,
        days_late: int = 0,
        never_sent: bool = False,
    ) -> ProgressReport:
        """A report submitted five days after its date; `days_late` after its period's due date if it came in
        late (never after `REFERENCE_DAY`: then it came in on time); a draft if it was `never_sent`.

        It draws from `rng` what it would draw with its status as drawn, sent or not, so that the reports after
        it stay what they were.
        """
        submitted_on = as_of + datetime.timedelta(days=5)
        if period is not None and days_late:
            late_on = period.due_on + datetime.timedelta(days=days_late)
            if late_on <= REFERENCE_DAY:
                submitted_on = max(submitted_on, late_on)
        submitted_at = datetime.datetime.combine(submitted_on, datetime.time(9), tzinfo=VIETNAM)
        reviewed = status in (ReportStatus.APPROVED, ReportStatus.RETURNED)
        report = ProgressReport(
            task_id=seed.pk,
            period_id=period.pk if period is not None else None,
            as_of=as_of,
            percent_complete=percent,
            summary=rng.choice(words.REPORT_SUMMARIES),
            problems=rng.choice(words.REPORT_PROBLEMS),
            next_steps=rng.choice(words.REPORT_NEXT_STEPS),
            status=status,
        )
        if status != ReportStatus.DRAFT:
            report.submitted_by_id = seed.submitter_id
            report.submitted_at = submitted_at
            # Its first submission as well: nothing here is returned and sent again.
            report.first_submitted_on = submitted_on
        if reviewed:
            report.reviewed_by_id = rng.choice(self.reviewer_ids)
            report.reviewed_at = submitted_at + datetime.timedelta(days=3, hours=6)
        if status == ReportStatus.RETURNED:
            report.review_note = rng.choice(words.RETURN_REASONS)
        if never_sent:
            report.status = ReportStatus.DRAFT
            report.submitted_by_id = report.submitted_at = report.first_submitted_on = None
            report.reviewed_by_id = report.reviewed_at = None
            report.review_note = ""
        return report


def period_of(periods: list[PeriodSeed], day: datetime.date) -> PeriodSeed | None:
    """The period of `periods` (in the order they end, one after the other) that `day` falls in, if any."""
    index = bisect.bisect_left(periods, day, key=lambda period: period.ends_on)
    if index < len(periods) and periods[index].starts_on <= day:
        return periods[index]
    return None
