"""The demo data set: the Thái Bình cooperation programme, reviewed in Hà Nội on 10/6/2020.

What comes from the article (`shared/seed/review-meeting-2020.txt`): the programme (title,
period, objectives, the documents it rests on), the review meeting of 10/6/2020 with its four
named officials and their positions, its conclusions and recommendations, and the totals the
report gave: 30 tasks, nearly 100 billion đồng of Ministry support, more than 50
demonstration models, 20 transferred technologies, 6 brands of traditional crafts and farm
products, and the TBR225 rice variety (recognised as a national variety in 2015; no month is
known, so it is dated 31/12/2015, and that recognition is its evidence). Every output is verified
by the Ministry's demo reviewer, so that the article's figures come out of verified outputs only.
Also real: the provinces (the official list, with the mergers of 1/7/2025, from the
`vietnamadminunits` package through `load_provinces`), the agencies with the mergers of 1/3/2025
and 1/7/2025, and the two phases of the national Rural and Mountainous Areas
Programme ("Nông thôn miền núi", Decisions 1831/QĐ-TTg of 01/10/2010 and 1747/QĐ-TTg of
13/10/2015).

ILLUSTRATIVE: the 30 tasks, their lead agencies, investigators, amounts and outputs other than
the article's totals are illustrative, and so are the communes given as the place of a few tasks
(every task of the programme is carried out in Thái Bình, those led by Hà Nội institutes too),
the Nam Định programme, its tasks and targets, the progress reports, the outputs' evidence
documents other than TBR225's (marked "(minh họa)") and the demo users. The article names no task.

The data is frozen as it stood at the review meeting: tasks still running then are
"in progress", with the progress reports approved just before the meeting, and the programme
is still active. Nothing later being recorded, today the programme and those four tasks show
as overdue ("Quá hạn"), and so does the Nam Định programme of 2016–2020. Every finished task
has its acceptance record (ILLUSTRATIVE numbers and dates, `seed.demo_data.ACCEPTANCE_NUMBER`),
which its 100% comes from; a running task's percent is that of its latest approved report.

The Thái Bình programme has a reporting schedule (ILLUSTRATIVE, `seed.demo_data.THAI_BINH_SCHEDULE`): three
half-yearly periods from the second half of 2019, when the Ministry began tracking its reports. Each progress
report answers for the period its date falls in and keeps the day it was first submitted: the year-end reports
of 2019 came in late, those of May 2020 on time, and those of the second half of 2020 are overdue. The Nam Định
programme has no schedule. The recommendations of the review are each addressed to a responsible agency and due
by a date (ILLUSTRATIVE, the article gives none); two were followed up at the review, which their history shows
(written when the demo is loaded, by the demo user who recorded the follow-up).

The Thái Bình programme is published: anyone sees it, its tasks and its verified outputs on the public pages
(/public/) and in the open data (`manage.py export_open_data`); the other demo programmes are not.

`load_demo()` writes everything by natural key and saves a row only when it is new or differs
from the tables of `seed.demo_data`, so a second run changes nothing. Existing users keep their password.
"""

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone

from coop.roles import sync_role_groups
from programmes.choices import (
    OutputKind,
)
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
from programmes.services import province_load_official
from reporting.schedule import periods_from_rule
from reports.choices import ReportKind, SigningAuthority
from reports.models import GeneratedReport
from reports.services import (
    review_document_create,
    review_document_issue,
    review_document_submit,
    review_document_update,
)
from seed.demo_data import (
    ACCEPTANCE_DELAY,
    ACCEPTANCE_NUMBER,
    AGENCIES,
    DEMO_PASSWORD,
    DEMO_USERS,
    DISBURSED_SHARE_OF_REVIEW_YEAR,
    DRAFT_DOCUMENT_AS_OF,
    FINISHED,
    MILLION,
    PEOPLE,
    PROGRAMMES,
    REVIEW_ATTENDANCE,
    REVIEW_DAY,
    REVIEW_DOCUMENT,
    REVIEW_MEETING,
    REVIEW_RECOMMENDATIONS,
    REVIEWER,
    TASK_PLANS,
    THAI_BINH,
    UNIT_BY_KIND,
    VIETNAM,
    OutputRow,
    RecommendationRow,
    ReportRow,
    ScheduleRow,
    TaskPlan,
    illustrative_evidence,
)
from tasks.choices import FundingSource, OutputStatus, ReportStatus
from tasks.models import Funding, Output, ProgressDisbursement, ProgressReport, Task, TaskPlace


@dataclass
class DemoSummary:
    """What a run wrote, and the article's figures computed back from the database."""

    created: int
    updated: int
    rows: list[tuple[str, int]]  # (model's plural name, rows in the table)
    programme_code: str
    tasks: int
    ministry_funding: Decimal
    output_quantities: dict[str, int]  # output kind → sum of quantities
    varieties: list[str]


class _Writer:
    """Writes rows by natural key: creates what is missing, saves what differs, leaves the rest alone."""

    def __init__(self):
        self.created = 0
        self.updated = 0

    def upsert(
        self,
        model: type[models.Model],
        lookup: dict,
        values: dict | None = None,
        on_create: Callable[[models.Model], None] | None = None,
    ):
        values = values or {}
        try:
            obj = model.objects.get(**lookup)
        except model.DoesNotExist:
            obj = model(**lookup, **values)
            if on_create:
                on_create(obj)
            self._save(obj)
            self.created += 1
            return obj
        changed = {name: value for name, value in values.items() if _differs(obj, name, value)}
        if changed:
            for name, value in changed.items():
                setattr(obj, name, value)
            self._save(obj)
            self.updated += 1
        return obj

    @staticmethod
    def _save(obj: models.Model) -> None:
        obj.full_clean()
        obj.save()


def _differs(obj: models.Model, name: str, value) -> bool:
    field = obj._meta.get_field(name)
    if field.is_relation:
        # Compare keys, so that checking a foreign key does not fetch the related row.
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _month_start(text: str) -> datetime.date:
    year, month = map(int, text.split("-"))
    return datetime.date(year, month, 1)


def _month_end(text: str) -> datetime.date:
    year, month = map(int, text.split("-"))
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _split_over_years(total_millions: int, first_year: int, last_year: int) -> list[tuple[int, int]]:
    """(year, million VND): equal shares, the remainder in the first year."""
    years = range(first_year, last_year + 1)
    share, remainder = divmod(total_millions, len(years))
    return [(year, share + (remainder if year == first_year else 0)) for year in years]


def _disbursed(allocated: int, year: int, finished: bool) -> int:
    """What was paid out of a year's allocation by the review meeting."""
    if finished or year < REVIEW_DAY.year:
        return allocated
    if year == REVIEW_DAY.year:
        share = Decimal(allocated) * DISBURSED_SHARE_OF_REVIEW_YEAR
        return int(share / MILLION) * MILLION
    return 0


@transaction.atomic
def load_demo() -> DemoSummary:
    """Write the demo data set; running it again changes nothing."""
    writer = _Writer()
    provinces = _load_provinces(writer)
    agencies = _load_agencies(writer, provinces)
    people = _load_people(writer, agencies)
    programmes = _load_programmes(writer, agencies, people)
    # The groups come from a migration; a database emptied since (a flush) gets them back here.
    sync_role_groups(django_apps)
    users = _load_users(writer, agencies, people)
    periods = {
        row.code: _load_reporting_periods(writer, programmes[row.code], row.schedule)
        for row in PROGRAMMES
        if row.schedule is not None
    }
    for plan in TASK_PLANS:
        _load_tasks(writer, plan, agencies, people, programmes, users, provinces, periods.get(plan.programme, []))
    # The funding rows above are written with their own `save()`, which keeps no sums on the task:
    # the demo's tasks are summed again here, as after any write around tasks/services.py.
    Task.objects.filter(programme__code__in=[plan.programme for plan in TASK_PLANS]).refresh_funding_sums()
    _load_review_meeting(writer, programmes[THAI_BINH], agencies, people, users)
    _load_review_documents(writer, programmes[THAI_BINH], users)
    return _summarise(writer, programmes[THAI_BINH])


def _load_provinces(writer: _Writer) -> dict[str, Province]:
    """The official list of provinces (`manage.py load_provinces`), by name for the demo's agencies.

    Where an old province and the new one formed on 1/7/2025 share a name (Hưng Yên, Ninh Bình), the name
    means the new one: the demo's Hưng Yên and Ninh Bình agencies are those that carry on after the merger.
    """
    load = province_load_official()
    writer.created += load.created
    writer.updated += load.updated
    ended_first = sorted(load.provinces.values(), key=lambda province: province.valid_to is None)
    return {province.name: province for province in ended_first}


def _load_agencies(writer: _Writer, provinces: dict[str, Province]) -> dict[str, Agency]:
    agencies = {}
    for row in AGENCIES:
        agencies[row.key] = writer.upsert(
            Agency,
            {"name": row.name},
            {
                "short_name": row.short_name,
                "kind": row.kind,
                "province": provinces[row.province] if row.province else None,
                "parent": agencies[row.parent] if row.parent else None,
                "valid_to": row.valid_to,
                "successor": agencies[row.successor] if row.successor else None,
                "document_code": row.document_code,
            },
        )
    return agencies


def _load_people(writer: _Writer, agencies: dict[str, Agency]) -> dict[str, Person]:
    return {
        row.key: writer.upsert(
            Person,
            {"full_name": row.full_name, "agency": agencies[row.agency]},
            {"position": row.position},
        )
        for row in PEOPLE
    }


def _load_programmes(writer: _Writer, agencies: dict[str, Agency], people: dict[str, Person]) -> dict[str, Programme]:
    programmes = {}
    for row in PROGRAMMES:
        programme = writer.upsert(
            Programme,
            {"code": row.code},
            {
                "title": row.title,
                "kind": row.kind,
                "start_year": row.start_year,
                "end_year": row.end_year,
                "orientation_year": row.orientation_year,
                "signed_on": None,  # no signing date is known for any of them
                "objectives": row.objectives,
                "legal_basis": row.legal_basis,
                "status": row.status,
                "previous_phase": programmes[row.previous_phase] if row.previous_phase else None,
                "published": row.published,
                **_schedule_fields(row.schedule),
            },
        )
        for party in row.parties:
            writer.upsert(
                ProgrammeParty,
                {"programme": programme, "agency": agencies[party.agency]},
                {
                    "role": party.role,
                    "representative": people[party.representative] if party.representative else None,
                },
            )
        for target in row.targets:
            writer.upsert(
                Target,
                {"programme": programme, "metric": target.metric},
                {"value": target.value, "note": target.note},
            )
        programmes[row.code] = programme
    return programmes


def _schedule_fields(schedule: ScheduleRow | None) -> dict:
    """The programme's fields of its reporting rule; a programme without a schedule keeps what it has."""
    if schedule is None:
        return {}
    return {
        "reporting_frequency": schedule.frequency,
        "reporting_due_day": schedule.due_day,
        "reporting_due_months_after": schedule.due_months_after,
        "reminder_days_before": schedule.reminder_days_before,
    }


def _load_reporting_periods(writer: _Writer, programme: Programme, schedule: ScheduleRow) -> list[ReportingPeriod]:
    """The periods the programme's rule draws over its years, from the first one the Ministry tracks.

    Drawn as `reporting.services.reporting_schedule_draw` would draw them, less the periods before
    `schedule.tracked_from`; written by their end day, so that a second run changes nothing.
    """
    drawn = periods_from_rule(
        frequency=schedule.frequency,
        first_year=programme.start_year,
        last_year=programme.period_end_year,
        due_day=schedule.due_day,
        due_months_after=schedule.due_months_after,
    )
    return [
        writer.upsert(
            ReportingPeriod,
            {"programme": programme, "ends_on": dates.ends_on},
            {"starts_on": dates.starts_on, "due_on": dates.due_on, "is_final": dates.is_final},
        )
        for dates in drawn
        if dates.starts_on >= schedule.tracked_from
    ]


def _load_users(writer: _Writer, agencies: dict[str, Agency], people: dict[str, Person]) -> dict[str, models.Model]:
    """The demo logins. An existing user keeps the password it has; a new one gets DEMO_PASSWORD."""
    users = {}
    for row in DEMO_USERS:
        users[row.username] = writer.upsert(
            get_user_model(),
            {"username": row.username},
            {
                "first_name": row.first_name,
                "last_name": row.last_name,
                "email": f"{row.username}@example.com",
                "agency": agencies[row.agency],
                "is_staff": row.is_staff,
                "is_superuser": row.is_superuser,
                "is_active": True,
                "person": people[row.person] if row.person else None,
            },
            on_create=lambda user: user.set_password(DEMO_PASSWORD),
        )
        users[row.username].groups.set([Group.objects.get(name=row.group)])
    return users


def _load_tasks(
    writer: _Writer,
    plan: TaskPlan,
    agencies: dict[str, Agency],
    people: dict[str, Person],
    programmes: dict[str, Programme],
    users: dict[str, models.Model],
    provinces: dict[str, Province],
    periods: list[ReportingPeriod],
) -> None:
    programme = programmes[plan.programme]
    latest_percent = {}
    for report in sorted(plan.reports, key=lambda report: report.as_of):
        latest_percent[report.task] = report.percent
    tasks = {}
    for row in plan.tasks:
        finished = row.status in FINISHED
        location = f"{row.place}, {plan.province}" if row.place else plan.province
        accepted_on = _month_end(row.end) + ACCEPTANCE_DELAY if finished else None
        decision = ACCEPTANCE_NUMBER.format(number=row.code.rsplit("-", 1)[-1]) if finished else ""
        task = writer.upsert(
            Task,
            {"programme": programme, "code": row.code},
            {
                "title": row.title,
                "field": row.field,
                "level": row.level,
                "lead_agency": agencies[row.lead],
                "investigator": people[row.investigator],
                "funded_through": programmes[row.through] if row.through else None,
                "location": location,
                "start_on": _month_start(row.start),
                "end_on": _month_end(row.end),
                "status": row.status,
                # A finished task is 100% by its acceptance record; a running one shows its latest approved report.
                "percent_complete": 100 if finished else latest_percent.get(row.code, 0),
                "accepted_on": accepted_on,
                "acceptance_decision": decision,
                "acceptance_backfilled": False,
            },
        )
        tasks[row.code] = task
        writer.upsert(
            TaskPlace,
            {"task": task, "province": provinces[plan.place]},
            {"commune": plan.communes.get(row.code, "")},
        )
        sources = (FundingSource.MINISTRY, FundingSource.PROVINCE, FundingSource.COUNTERPART)
        for source, total in zip(sources, plan.funding[row.code], strict=True):
            if not total:
                continue
            for year, millions in _split_over_years(total, task.start_on.year, task.end_on.year):
                allocated = millions * MILLION
                writer.upsert(
                    Funding,
                    {"task": task, "source": source, "year": year},
                    {"allocated": allocated, "disbursed": _disbursed(allocated, year, finished)},
                )
    for number, row in enumerate(plan.outputs, start=1):
        _load_output(writer, row, number, tasks[row.task], users[plan.submitter], users[REVIEWER])
    for row in plan.reports:
        _load_progress_report(writer, row, tasks[row.task], users[plan.submitter], users[REVIEWER], periods)


def _load_output(writer: _Writer, row: OutputRow, number: int, task: Task, submitter, reviewer) -> None:
    """A verified output: submitted ten days after it was achieved, verified by the Ministry five days later,
    on the evidence the article gives or on an illustrative document (`illustrative_evidence`)."""
    achieved_on = datetime.date.fromisoformat(row.achieved_on)
    evidence_number, evidence_date = row.evidence or illustrative_evidence(row, number)
    submitted_at = datetime.datetime.combine(
        achieved_on + datetime.timedelta(days=10), datetime.time(9), tzinfo=VIETNAM
    )
    writer.upsert(
        Output,
        {"task": task, "name": row.name},
        {
            "kind": row.kind,
            "description": row.description,
            "quantity": row.quantity,
            "unit": row.unit or UNIT_BY_KIND[row.kind],
            "achieved_on": achieved_on,
            "location": task.location,
            "evidence_number": evidence_number,
            "evidence_date": datetime.date.fromisoformat(evidence_date),
            "status": OutputStatus.VERIFIED,
            "submitted_by": submitter,
            "submitted_at": submitted_at,
            "reviewed_by": reviewer,
            "reviewed_at": submitted_at + datetime.timedelta(days=5, hours=5),
            "review_note": "",
        },
    )


def _load_progress_report(
    writer: _Writer, row: ReportRow, task: Task, submitter, reviewer, periods: list[ReportingPeriod]
) -> None:
    """An approved report: submitted five days after its date, approved three days later.

    It answers for the period of the programme's schedule its date falls in (none without a schedule, or before
    the first period tracked), and was first submitted on the day (in Hà Nội) of its submission: on time or late
    against that period's due date (`seed.demo_data.THAI_BINH_SCHEDULE` says which).

    It gives what was disbursed on each funding row of the years up to its date, as the row records it,
    so that the rows' disbursed amounts are what the latest approved report gave (tasks/services.py).
    """
    as_of = datetime.date.fromisoformat(row.as_of)
    submitted_at = datetime.datetime.combine(as_of + datetime.timedelta(days=5), datetime.time(9), tzinfo=VIETNAM)
    fundings = list(task.fundings.filter(year__lte=as_of.year).order_by("year", "source", "pk"))
    period = next((period for period in periods if period.starts_on <= as_of <= period.ends_on), None)
    report = writer.upsert(
        ProgressReport,
        {"task": task, "as_of": as_of},
        {
            "percent_complete": row.percent,
            "summary": row.summary,
            "problems": row.problems,
            "next_steps": row.next_steps,
            "disbursed_to_date": sum((funding.disbursed for funding in fundings), Decimal(0)) if fundings else None,
            "status": ReportStatus.APPROVED,
            "period": period,
            "submitted_by": submitter,
            "submitted_at": submitted_at,
            "first_submitted_on": submitted_at.astimezone(VIETNAM).date(),
            "reviewed_by": reviewer,
            "reviewed_at": submitted_at + datetime.timedelta(days=3, hours=6),
            "review_note": "",
        },
    )
    for funding in fundings:
        writer.upsert(
            ProgressDisbursement,
            {"report": report, "funding": funding},
            {"disbursed_to_date": funding.disbursed},
        )


def _load_review_meeting(
    writer: _Writer,
    programme: Programme,
    agencies: dict[str, Agency],
    people: dict[str, Person],
    users: dict[str, models.Model],
) -> None:
    meeting_fields = {name: value for name, value in REVIEW_MEETING.items() if name != "programme"}
    key_names = ("held_on", "kind")
    meeting = writer.upsert(
        Meeting,
        {"programme": programme, **{name: meeting_fields[name] for name in key_names}},
        {name: value for name, value in meeting_fields.items() if name not in key_names},
    )
    for person, role in REVIEW_ATTENDANCE:
        writer.upsert(Attendance, {"meeting": meeting, "person": people[person]}, {"role": role})
    for row in REVIEW_RECOMMENDATIONS:
        _load_recommendation(writer, row, meeting, agencies, users)


def _load_recommendation(
    writer: _Writer,
    row: RecommendationRow,
    meeting: Meeting,
    agencies: dict[str, Agency],
    users: dict[str, models.Model],
) -> None:
    """A recommendation as raised at the meeting (open), then its follow-up, saved apart by the user who recorded
    it, so that its history says who changed its status and follow-up. A second run finds both as they are."""
    created_before = writer.created
    recommendation = writer.upsert(
        Recommendation,
        {"meeting": meeting, "text": row.text},
        {
            "raised_by": agencies[row.raised_by],
            "addressed_to": agencies[row.addressed_to],
            "due_on": row.due_on,
        },
    )
    if (recommendation.status, recommendation.follow_up) == (row.status, row.follow_up):
        return
    recommendation.status = row.status
    recommendation.follow_up = row.follow_up
    recommendation._history_user = users[row.followed_up_by] if row.followed_up_by else None
    writer._save(recommendation)
    if writer.created == created_before:
        writer.updated += 1


def _load_review_documents(writer: _Writer, programme: Programme, users: dict[str, models.Model]) -> None:
    """The review document of the meeting of 10/6/2020, issued and signed (with the certificate configured, if
    any: `manage.py create_demo_certificate`), and a later one still a draft. Written once: an issued document
    never changes, so a second run leaves both as they are."""
    documents = GeneratedReport.objects.filter(programme=programme, kind=ReportKind.PROGRAMME_REVIEW)
    drafter, signer = users[REVIEW_DOCUMENT["drafter"]], users[REVIEW_DOCUMENT["signer"]]
    if not documents.filter(as_of=REVIEW_DOCUMENT["as_of"]).exists():
        document = review_document_create(
            programme=programme, user=drafter, as_of=REVIEW_DOCUMENT["as_of"], language="vi", include_tasks=True
        )
        data = {
            "results": f"{document.results}\n\n{REVIEW_DOCUMENT['results_closing']}",
            "shortcomings": REVIEW_DOCUMENT["shortcomings"],
            "directions": REVIEW_DOCUMENT["directions"],
            "signer": signer,
            "signing_authority": SigningAuthority.DEPUTY,
        }
        document = review_document_update(document=document, user=drafter, data=data, opened_version=None)
        document = review_document_submit(document=document, user=drafter)
        issued_at = timezone.make_aware(REVIEW_DOCUMENT["issued_at"])
        review_document_issue(document=document, user=signer, issued_at=issued_at)
        writer.created += 1
    if not documents.filter(as_of=DRAFT_DOCUMENT_AS_OF).exists():
        draft = review_document_create(
            programme=programme, user=drafter, as_of=DRAFT_DOCUMENT_AS_OF, language="vi", include_tasks=True
        )
        review_document_update(
            document=draft,
            user=drafter,
            data={"signer": signer, "signing_authority": SigningAuthority.DEPUTY},
            opened_version=None,
        )
        writer.created += 1


def _summarise(writer: _Writer, programme: Programme) -> DemoSummary:
    counted = (
        Province,
        Agency,
        Person,
        Programme,
        ProgrammeParty,
        Target,
        Task,
        TaskPlace,
        Funding,
        Output,
        ProgressReport,
        ReportingPeriod,
        Meeting,
        Attendance,
        Recommendation,
        get_user_model(),
    )
    # Verified outputs only, as every figure counts them; every demo output is verified, each kind in one unit.
    outputs = Output.objects.filter(task__programme=programme, status=OutputStatus.VERIFIED)
    quantities = outputs.order_by().values_list("kind").annotate(total=Sum("quantity"))
    ministry = Funding.objects.filter(task__programme=programme, source=FundingSource.MINISTRY)
    return DemoSummary(
        created=writer.created,
        updated=writer.updated,
        rows=[(str(model._meta.verbose_name_plural), model.objects.count()) for model in counted],
        programme_code=programme.code,
        tasks=programme.tasks.count(),
        ministry_funding=ministry.aggregate(total=Sum("allocated"))["total"] or Decimal(0),
        output_quantities=dict(quantities),
        varieties=list(outputs.filter(kind=OutputKind.VARIETY).order_by("name").values_list("name", flat=True)),
    )
