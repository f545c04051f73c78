"""The provinces, agencies, people, users, programmes and meetings of the synthetic data set.

`ProgrammeTables` writes them for `seed.synthetic`, which writes the tasks and what hangs off
them; it keeps what the later tables need (agencies by province, people by agency, the
programmes with their sizes) in the attributes `seed.synthetic._Generator` sets up.
"""

import datetime
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from coop.search import refresh_search_text
from programmes.choices import (
    PENDING_RECOMMENDATION_STATUSES,
    AgencyKind,
    AttendanceRole,
    MeetingKind,
    PartyRole,
    ProgrammeKind,
    ProgrammeStatus,
    RecommendationStatus,
    TargetMetric,
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
from reporting.schedule import periods_from_rule
from seed import synthetic_data as words
from seed.synthetic_data import REFERENCE_DAY
from tasks.choices import TaskLevel

CODE_PREFIX = "SYN-"
USERNAME_PREFIX = "syn."
MILLION = 1_000_000
# The years of each programme's reporting calendar: the last five of its period (orientation included), ten
# half-yearly periods, as the national benchmark counts them ("50,000 tasks, 10 periods").
CALENDAR_YEARS = 5
# A province's Party Committee, and a centrally-run city's.
PARTY_COMMITTEES = {False: "Tỉnh ủy", True: "Thành ủy"}


# What is kept of the rows written, for the tables written after them


@dataclass
class ProvinceInfo:
    row: Province
    label: str  # "tỉnh Thái Bình", "thành phố Hà Nội"
    committee: Agency | None = None
    science_department: Agency | None = None
    leads: list[Agency] = field(default_factory=list)  # agencies that may lead a task
    submitter_id: int | None = None  # the department user who submits progress reports


class PeriodSeed(NamedTuple):
    """The little of a reporting period that the progress reports are placed and dated by."""

    pk: int
    starts_on: datetime.date
    ends_on: datetime.date
    due_on: datetime.date


@dataclass
class ProgrammePlan:
    programme: Programme
    province: ProvinceInfo | None  # None: a national programme, whose tasks are all over the country
    parties: list[tuple[Agency, str]]
    level: str
    previous: "ProgrammePlan | None" = None
    tasks: int = 0


class ProgrammeTables:
    """The tables of the programmes app (and the users who sign progress reports), written in bulk."""

    # Provinces, agencies, people, users

    def write_provinces(self) -> None:
        """The 63 provinces; those that exist already (e.g. from the demo) are kept as they are.

        A province is found by its name and code, or by its code alone among the current ones,
        which no two provinces may share.
        """
        existing = {}
        for row in Province.objects.order_by("valid_to", "pk"):
            existing.setdefault((row.code, row.name), row)
            if row.valid_to is None:
                existing.setdefault(row.code, row)
        rows = []
        for item in words.PROVINCES:
            row = (
                existing.get((item.code, item.name))
                or existing.get(item.code)
                or Province(code=item.code, name=item.name)
            )
            if not item.successor:
                rows.append(row)
            label = "{} {}".format("thành phố" if item.is_city else "tỉnh", item.name)
            self.provinces[item.name] = ProvinceInfo(row=row, label=label)
        # Those that carry on first, so that the merged ones can point to them.
        self.writer.write("provinces", Province, [row for row in rows if row.pk is None], len(words.PROVINCES))
        merged = []
        for item in words.PROVINCES:
            row = self.provinces[item.name].row
            if item.successor and row.pk is None:
                row.valid_to = words.LAST_DAY_BEFORE_PROVINCE_MERGER
                row.successor = self.provinces[item.successor].row
                merged.append(row)
        self.writer.write("provinces (merged on 1/7/2025)", Province, merged, len(merged))

    def write_agencies(self) -> None:
        """Central agencies, then each province's government bodies, units and the firms and
        cooperatives that lead tasks, up to the scale's number. Names are unique; an agency whose
        name exists already is reused as it is.
        """
        rng = self.rng("agencies")
        names: set[str] = set()
        rows: list[Agency] = []
        links: list[tuple[Agency, str, Agency]] = []  # (agency, "parent" or "successor", target)

        def add(name, short_name, kind, province=None, parent=None, merged_into=None) -> Agency:
            names.add(name)
            agency = Agency(name=name, short_name=short_name, kind=kind, province=province)
            if parent is not None:
                links.append((agency, "parent", parent))
            if merged_into is not None:
                agency.valid_to = merged_into[0]
                links.append((agency, "successor", merged_into[1]))
            rows.append(agency)
            return agency

        for name, short_name, kind, parent in words.CENTRAL_AGENCIES:
            merged = None
            if name == words.MIC_NAME:
                merged = (words.LAST_DAY_BEFORE_MINISTRY_MERGER, self.central[words.MINISTRY_NAME])
            self.central[name] = add(
                name, short_name, kind, parent=self.central[parent] if parent else None, merged_into=merged
            )

        # Government bodies, province by province: those that carry on come first, so that the
        # bodies of a merged province can name their successor.
        successor_body: dict[tuple[str, str], Agency] = {}  # (province, body name without it) → agency
        ordered = sorted(words.PROVINCES, key=lambda item: item.successor is not None)
        for item in ordered:
            info = self.provinces[item.name]
            province = info.row

            def body(base, short_base, kind, parent=None, *, item=item, info=info, province=province) -> Agency:
                """A government body of the province; a merged province's names the body that carries on."""
                merged_into = None
                if item.successor:
                    target = successor_body.get((item.successor, base))
                    if target is not None:
                        merged_into = (words.LAST_DAY_BEFORE_PROVINCE_MERGER, target)
                # "Ủy ban nhân dân tỉnh Thái Bình", but "Tỉnh ủy Thái Bình".
                name = f"{base} {item.name}" if base in PARTY_COMMITTEES.values() else f"{base} {info.label}"
                agency = add(name, f"{short_base} {item.name}", kind, province, parent, merged_into)
                successor_body[(item.name, base)] = agency
                return agency

            info.committee = body("Ủy ban nhân dân", "UBND", AgencyKind.PEOPLE_COMMITTEE)
            party_name = PARTY_COMMITTEES[item.is_city]
            body(party_name, party_name, AgencyKind.PARTY_COMMITTEE)
            info.science_department = body(
                "Sở Khoa học và Công nghệ", "Sở KH&CN", AgencyKind.DEPARTMENT, info.committee
            )
            centre = add(
                f"{words.SCIENCE_DEPARTMENT_UNITS[0][0]} {item.name}",
                f"{words.SCIENCE_DEPARTMENT_UNITS[0][1]} {item.name}",
                words.SCIENCE_DEPARTMENT_UNITS[0][2],
                province,
                info.science_department,
            )
            info.leads += [info.science_department, centre]

        # The rest of each province's bodies and units, as far as the scale allows.
        extras = []
        for item in words.PROVINCES:
            info = self.provinces[item.name]
            for base, short_base in words.PROVINCE_DEPARTMENTS[1:]:
                extras.append((info, f"{base} {info.label}", f"{short_base} {item.name}", AgencyKind.DEPARTMENT))
            for base, short_base, kind in words.SCIENCE_DEPARTMENT_UNITS[1:] + words.PROVINCE_OTHER_AGENCIES:
                extras.append((info, f"{base} {item.name}", f"{short_base} {item.name}", kind))
        # At most a quarter of the room left: the rest is for the firms and cooperatives that lead most tasks.
        room = max(self.scale.agencies - len(rows), 0) // 4
        for info, name, short_name, kind in extras[:room]:
            parent = info.committee if kind == AgencyKind.DEPARTMENT else None
            agency = add(name, short_name, kind, info.row, parent)
            if kind != AgencyKind.DEPARTMENT:
                info.leads.append(agency)

        # Firms and cooperatives, spread over the provinces, up to the scale's number.
        infos = list(self.provinces.values())
        while len(rows) < self.scale.agencies:
            info = infos[len(rows) % len(infos)]
            place = rng.choice(words.PLACE_WORDS)
            province_name = info.row.name
            if rng.random() < 0.55:
                trade = rng.choice(words.ENTERPRISE_TRADES)
                name = f"{rng.choice(words.ENTERPRISE_FORMS)} {trade} {place} {province_name}"
                short_name, kind = f"{trade} {place}", AgencyKind.ENTERPRISE
            else:
                trade = rng.choice(words.COOPERATIVE_TRADES)
                name = f"Hợp tác xã {trade} {place} ({province_name})"
                short_name, kind = f"HTX {trade} {place}", AgencyKind.COOPERATIVE
            if name in names:
                continue
            info.leads.append(add(name, short_name, kind, info.row))

        # An agency that exists already (e.g. the demo's Ministry) is reused, not repeated.
        existing = {agency.name: agency for agency in Agency.objects.filter(name__in=names)}
        new_rows = [agency for agency in rows if agency.name not in existing]
        if existing:
            self._reuse(existing)
        for agency in new_rows:
            agency.search_text = agency.build_search_text()
        self.writer.write("agencies", Agency, new_rows, self.scale.agencies)
        updated = []
        for agency, link, target in links:
            if agency.name in existing:
                continue
            setattr(agency, f"{link}_id", existing.get(target.name, target).pk)
            updated.append(agency)
        Agency.objects.bulk_update(updated, ["parent", "successor"], batch_size=1000)
        self.agencies = [existing.get(agency.name, agency) for agency in rows]

    def _reuse(self, existing: dict[str, Agency]) -> None:
        """Point the kept references at the agencies that were already there."""
        self.central = {name: existing.get(name, agency) for name, agency in self.central.items()}
        for info in self.provinces.values():
            if info.committee is not None:
                info.committee = existing.get(info.committee.name, info.committee)
            if info.science_department is not None:
                info.science_department = existing.get(info.science_department.name, info.science_department)
            info.leads = [existing.get(agency.name, agency) for agency in info.leads]

    def write_people(self) -> None:
        """Every agency gets someone; institutes and universities get more."""
        rng = self.rng("people")
        weight = {AgencyKind.INSTITUTE: 4, AgencyKind.UNIVERSITY: 4, AgencyKind.MINISTRY_UNIT: 3}
        weights = [weight.get(agency.kind, 1) for agency in self.agencies]
        count = self.scale.people

        def rows() -> Iterator[Person]:
            for index in range(count):
                if index < len(self.agencies):
                    agency = self.agencies[index]
                else:
                    agency = rng.choices(self.agencies, weights)[0]
                sex = rng.choice(("male", "female"))
                full_name = " ".join(
                    (
                        rng.choice(words.FAMILY_NAMES),
                        rng.choice(words.MIDDLE_NAMES[sex]),
                        rng.choice(words.GIVEN_NAMES[sex]),
                    )
                )
                person = Person(full_name=full_name, position=rng.choice(words.POSITIONS[agency.kind]), agency=agency)
                person.search_text = person.build_search_text()
                yield person

        written = []

        def remember(people: Iterable[Person]) -> Iterator[Person]:
            for person in people:
                written.append(person)
                yield person
                if len(written) >= self.writer.batch_size:
                    self._index_people(written)

        self.writer.write("people", Person, remember(rows()), count)
        self._index_people(written)

    def _index_people(self, written: list[Person]) -> None:
        for person in written:
            if person.pk is not None:
                self.people_by_agency[person.agency.pk].append(person.pk)
        written[:] = [person for person in written if person.pk is None]

    def write_users(self) -> None:
        """Ministry staff who review progress reports, and one department user per province who submits them.

        They cannot log in (no usable password): they only sign the reports.
        """
        User = get_user_model()
        unusable = make_password(None)
        coordinator = self.central[words.COORDINATING_UNIT]
        users = [
            User(
                username=f"{USERNAME_PREFIX}bo.{number:02d}",
                last_name="Chuyên viên",
                first_name=f"Bộ {number:02d}",
                agency=coordinator,
                password=unusable,
            )
            for number in range(1, 11)
        ]
        submitters = {}
        for item in words.PROVINCES:
            info = self.provinces[item.name]
            user = User(
                username=f"{USERNAME_PREFIX}so.{item.code}",
                last_name="Sở KH&CN",
                first_name=item.name,
                agency=info.science_department,
                password=unusable,
            )
            users.append(user)
            submitters[item.name] = user
        self.writer.write("users", User, users, len(users))
        self.reviewer_ids = [user.pk for user in users[:10]]
        for name, user in submitters.items():
            self.provinces[name].submitter_id = user.pk

    # Programmes and meetings

    def write_programmes(self) -> None:
        rng = self.rng("programmes")
        self.plans = self._plan_programmes(rng)
        self._size_programmes(rng)
        for plan in self.plans:
            if plan.previous is not None:
                plan.programme.previous_phase = None  # set once both rows exist
        self.writer.write("programmes", Programme, [plan.programme for plan in self.plans], self.scale.programmes)
        chained = []
        for plan in self.plans:
            if plan.previous is not None:
                plan.programme.previous_phase_id = plan.previous.programme.pk
                chained.append(plan.programme)
        Programme.objects.bulk_update(chained, ["previous_phase"], batch_size=1000)

        def parties() -> Iterator[ProgrammeParty]:
            for plan in self.plans:
                for agency, role in plan.parties:
                    people = self.people_by_agency.get(agency.pk)
                    yield ProgrammeParty(
                        programme=plan.programme,
                        agency=agency,
                        role=role,
                        representative_id=rng.choice(people) if people else None,
                    )

        parties_count = sum(len(plan.parties) for plan in self.plans)
        self.writer.write("programme parties", ProgrammeParty, parties(), parties_count)

        def targets() -> Iterator[Target]:
            for plan in self.plans:
                planned = max(plan.tasks + rng.randint(-plan.tasks // 10, plan.tasks // 10), 1)
                yield Target(programme=plan.programme, metric=TargetMetric.TASKS, value=planned)
                funding = planned * rng.randint(800, 2500) * MILLION
                yield Target(programme=plan.programme, metric=TargetMetric.MINISTRY_FUNDING, value=funding)
                yield Target(programme=plan.programme, metric=TargetMetric.MODEL, value=max(planned // 2, 1))

        self.writer.write("targets", Target, targets(), 3 * len(self.plans))
        # A programme's search text names its parties: now that they exist, fill it.
        refresh_search_text(Programme.objects.filter(code__startswith=CODE_PREFIX))

    def write_reporting_periods(self) -> None:
        """Each programme's reporting calendar: its rule (every six months, due on the 15th of the month after
        the period: the programme's defaults) over the last CALENDAR_YEARS years of its period, the last period
        the final report. Kept by programme (`periods_by_programme`) for the progress reports.
        """
        planned: list[ReportingPeriod] = []
        for plan in self.plans:
            programme = plan.programme
            for dates in periods_from_rule(
                frequency=programme.reporting_frequency,
                first_year=max(programme.start_year, programme.period_end_year - CALENDAR_YEARS + 1),
                last_year=programme.period_end_year,
                due_day=programme.reporting_due_day,
                due_months_after=programme.reporting_due_months_after,
            ):
                planned.append(
                    ReportingPeriod(
                        programme=programme,
                        starts_on=dates.starts_on,
                        ends_on=dates.ends_on,
                        due_on=dates.due_on,
                        is_final=dates.is_final,
                    )
                )
        self.writer.write("reporting periods", ReportingPeriod, planned, 2 * CALENDAR_YEARS * len(self.plans))
        for period in planned:
            self.periods_by_programme[period.programme_id].append(
                PeriodSeed(period.pk, period.starts_on, period.ends_on, period.due_on)
            )

    def _plan_programmes(self, rng: random.Random) -> list[ProgrammePlan]:
        """National programmes, the Ministry's cooperation programmes with provinces in phases,
        and cooperation or provincial programmes of the provinces, up to the scale's number.
        """
        total = self.scale.programmes
        ministry = self.central[words.MINISTRY_NAME]
        coordinator = self.central[words.COORDINATING_UNIT]
        ntmn_office = self.central[words.NTMN_OFFICE]
        national_office = self.central["Văn phòng các Chương trình trọng điểm cấp nhà nước"]
        plans: list[ProgrammePlan] = []

        national_count = max(2, round(total * 0.03))
        ntmn_periods = ((2011, 2015), (2016, 2025), (2006, 2010))
        national_topics = [topic for _field, (_verbs, topics) in words.TASK_TOPICS.items() for topic in topics]
        for number in range(national_count):
            if number < len(ntmn_periods):
                start, end = ntmn_periods[number]
                code = f"{CODE_PREFIX}NTMN-{start}-{end}"
                title = (
                    "Chương trình hỗ trợ ứng dụng và chuyển giao tiến bộ khoa học và công nghệ phục vụ phát triển "
                    f"kinh tế - xã hội nông thôn, miền núi giai đoạn {start}-{end}"
                )
                office = ntmn_office
            else:
                start = rng.choice((2011, 2016, 2021))
                end = start + 4
                code = f"{CODE_PREFIX}KC.{number:02d}/{start % 100:02d}-{end % 100:02d}"
                title = (
                    "Chương trình khoa học và công nghệ trọng điểm cấp quốc gia về "
                    f"{rng.choice(national_topics)} giai đoạn {start}-{end}"
                )
                office = national_office
            programme = self._programme(rng, code, title, ProgrammeKind.NATIONAL, start, end)
            parties = [(ministry, PartyRole.MINISTRY_SIDE), (office, PartyRole.COORDINATOR)]
            plans.append(ProgrammePlan(programme, None, parties, TaskLevel.NATIONAL))

        # Phases of the Ministry's cooperation with each province; whole chains, as many as fit in a quarter.
        phases = ((2006, 2010, None), (2011, 2015, 2020), (2016, 2020, 2025), (2021, 2025, 2030))
        infos = list(self.provinces.values())
        rng.shuffle(infos)
        chains = min(len(infos), max(1, round(total * 0.25 / len(phases))))
        for info in infos[:chains]:
            previous = None
            for start, end, orientation in phases:
                item = info.row
                code = f"{CODE_PREFIX}PH-BKHCN-{item.code}-{start}"
                title = (
                    "Chương trình phối hợp hoạt động giữa Bộ Khoa học và Công nghệ và "
                    f"Ủy ban nhân dân {info.label} giai đoạn {start}-{end}"
                )
                if orientation:
                    title += f" và định hướng đến năm {orientation}"
                programme = self._programme(rng, code, title, ProgrammeKind.COOPERATION, start, end, orientation)
                parties = [
                    (ministry, PartyRole.MINISTRY_SIDE),
                    (info.committee, PartyRole.PROVINCE_SIDE),
                    (info.science_department, PartyRole.COORDINATOR),
                    (coordinator, PartyRole.MEMBER),
                ]
                previous = ProgrammePlan(programme, info, parties, TaskLevel.MINISTRY, previous)
                plans.append(previous)

        # The provinces' own programmes and their cooperation with institutes and universities.
        institutions = [
            agency for agency in self.central.values() if agency.kind in (AgencyKind.INSTITUTE, AgencyKind.UNIVERSITY)
        ]
        periods = ((2011, 2015), (2016, 2020), (2021, 2025), (2026, 2030))
        number = 0
        while len(plans) < total:
            number += 1
            info = infos[number % len(infos)]
            start, end = rng.choices(periods, (3, 4, 5, 1))[0]
            topic = rng.choice(national_topics)
            if rng.random() < 0.5:
                partner = rng.choice(institutions)
                code = f"{CODE_PREFIX}HT-{info.row.code}-{start}-{number:04d}"
                title = (
                    f"Chương trình phối hợp giữa Sở Khoa học và Công nghệ {info.label} và {partner.name} "
                    f"về {topic} giai đoạn {start}-{end}"
                )
                kind = ProgrammeKind.COOPERATION
                parties = [
                    (info.science_department, PartyRole.PROVINCE_SIDE),
                    (partner, PartyRole.MEMBER),
                ]
                level = TaskLevel.PROVINCE
            else:
                code = f"{CODE_PREFIX}CT-{info.row.code}-{start}-{number:04d}"
                title = f"Chương trình khoa học và công nghệ cấp tỉnh về {topic} {info.label} giai đoạn {start}-{end}"
                kind = ProgrammeKind.OTHER
                parties = [
                    (info.committee, PartyRole.PROVINCE_SIDE),
                    (info.science_department, PartyRole.COORDINATOR),
                ]
                level = TaskLevel.PROVINCE
            programme = self._programme(rng, code, title, kind, start, end)
            plans.append(ProgrammePlan(programme, info, parties, level))
        return plans[:total]

    def _programme(self, rng, code, title, kind, start, end, orientation=None) -> Programme:
        # Closed once its whole period, orientation included, is over: its tasks run until then.
        if (orientation or end) < REFERENCE_DAY.year:
            status = ProgrammeStatus.COMPLETED
        elif start > REFERENCE_DAY.year:
            status = ProgrammeStatus.DRAFT
        else:
            status = ProgrammeStatus.ACTIVE
        signed_on = datetime.date(start, rng.randint(1, 4), rng.randint(1, 28))
        return Programme(
            code=code,
            title=title,
            kind=kind,
            start_year=start,
            end_year=end,
            orientation_year=orientation,
            signed_on=signed_on,
            objectives="Đẩy mạnh ứng dụng tiến bộ khoa học và công nghệ phục vụ phát triển kinh tế - xã hội.",
            legal_basis="Luật Khoa học và Công nghệ năm 2013.",
            status=status,
        )

    def _size_programmes(self, rng: random.Random) -> None:
        """How many tasks each programme has: most 10–50, some 100–300, a few of the national ones
        share what is left (1,000 and more each at national scale). Draft programmes have few.
        """
        plans = self.plans
        total = self.scale.tasks
        huge_count = max(1, round(len(plans) * 0.005))
        medium_count = max(1, round(len(plans) * 0.045))
        # The national programmes that run longest take the most tasks.
        national = sorted(
            (plan for plan in plans if plan.province is None),
            key=lambda plan: (plan.programme.start_year - plan.programme.end_year, plan.programme.code),
        )
        huge = national[:huge_count]
        others = [plan for plan in plans if plan not in huge]
        rng.shuffle(others)
        medium = [plan for plan in others if plan.programme.status != ProgrammeStatus.DRAFT][:medium_count]
        for plan in others:
            if plan in medium:
                plan.tasks = rng.randint(100, 300)
            elif plan.programme.status == ProgrammeStatus.DRAFT:
                plan.tasks = rng.randint(0, 10)
            else:
                plan.tasks = rng.randint(10, 50)
        left = max(total - sum(plan.tasks for plan in others), 10 * len(huge))
        weights = [1 / (rank + 1) for rank in range(len(huge))]
        for plan, weight in zip(huge, weights, strict=True):
            plan.tasks = math.floor(left * weight / sum(weights))
        huge[0].tasks += left - sum(plan.tasks for plan in huge)

    def write_meetings(self) -> None:
        """A signing for every programme, reviews for those under way or finished, and working sessions."""
        rng = self.rng("meetings")
        planned: list[tuple[ProgrammePlan, str, datetime.date]] = []
        for plan in self.plans:
            programme = plan.programme
            planned.append((plan, MeetingKind.SIGNING, programme.signed_on))
            middle = (programme.start_year + programme.end_year) // 2
            if datetime.date(middle, 6, 1) < REFERENCE_DAY:
                planned.append((plan, MeetingKind.PERIODIC_REVIEW, datetime.date(middle, rng.randint(5, 12), 10)))
            if programme.status == ProgrammeStatus.COMPLETED:
                planned.append(
                    (plan, MeetingKind.FINAL_REVIEW, datetime.date(programme.end_year + 1, rng.randint(1, 6), 15))
                )
        rng.shuffle(planned)
        planned = planned[: self.scale.meetings]
        running = [plan for plan in self.plans if plan.programme.status != ProgrammeStatus.DRAFT]
        while len(planned) < self.scale.meetings:
            plan = rng.choice(running)
            programme = plan.programme
            last = min(datetime.date(programme.end_year, 12, 31), REFERENCE_DAY)
            first = datetime.date(programme.start_year, 1, 1)
            held_on = first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))
            planned.append((plan, MeetingKind.WORKING_SESSION, held_on))
        planned.sort(key=lambda row: (row[2], row[0].programme.code))

        titles = {
            MeetingKind.SIGNING: "Lễ ký kết {}",
            MeetingKind.PERIODIC_REVIEW: "Hội nghị sơ kết {}",
            MeetingKind.FINAL_REVIEW: "Hội nghị tổng kết {}",
            MeetingKind.WORKING_SESSION: "Buổi làm việc về triển khai {}",
        }
        meetings: list[tuple[Meeting, ProgrammePlan]] = []

        def rows() -> Iterator[Meeting]:
            for plan, kind, held_on in planned:
                title = plan.programme.title
                place = rng.choice(words.MEETING_PLACES)
                if plan.province is not None and place != "Hà Nội" and place != "trực tuyến":
                    place = f"{place} {plan.province.label}"
                meeting = Meeting(
                    programme=plan.programme,
                    held_on=held_on,
                    place=place,
                    kind=kind,
                    title=titles[kind].format(title[0].lower() + title[1:]),
                    summary="Các bên đánh giá kết quả thực hiện chương trình và thống nhất nhiệm vụ thời gian tới.",
                    conclusions="Thống nhất tiếp tục phối hợp chặt chẽ, tập trung nhân rộng các mô hình hiệu quả.",
                )
                meeting.search_text = meeting.build_search_text()
                meetings.append((meeting, plan))
                yield meeting

        self.writer.write("meetings", Meeting, rows(), self.scale.meetings)

        def attendances() -> Iterator[Attendance]:
            for meeting, plan in meetings:
                people = [pk for agency, _role in plan.parties for pk in self.people_by_agency.get(agency.pk, [])[:3]]
                chosen = rng.sample(people, min(len(people), rng.randint(3, 6)))
                roles = [AttendanceRole.CHAIR, AttendanceRole.CO_CHAIR, AttendanceRole.REPORTER]
                for index, person_id in enumerate(chosen):
                    role = roles[index] if index < len(roles) else AttendanceRole.ATTENDEE
                    yield Attendance(meeting=meeting, person_id=person_id, role=role)

        self.writer.write("attendance", Attendance, attendances(), 4 * len(meetings))

        def recommendations() -> Iterator[Recommendation]:
            for meeting, plan in meetings:
                if meeting.kind not in (MeetingKind.PERIODIC_REVIEW, MeetingKind.FINAL_REVIEW):
                    continue
                sides = [agency for agency, _role in plan.parties]
                for text in rng.sample(words.RECOMMENDATIONS, rng.randint(1, 3)):
                    due_on = meeting.held_on + datetime.timedelta(days=rng.randint(90, 365))
                    if due_on < REFERENCE_DAY:
                        status = rng.choices(
                            [RecommendationStatus.DONE, RecommendationStatus.DROPPED, RecommendationStatus.OPEN],
                            (8, 1, 1),
                        )[0]
                    else:
                        status = rng.choice([RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS])
                    raised_by = sides[-1]
                    # A recommendation still waiting for someone to act always has its due date (the meeting
                    # form asks for it); one settled may have none.
                    keeps_due_date = rng.random() < 0.8 or status in PENDING_RECOMMENDATION_STATUSES
                    yield Recommendation(
                        meeting=meeting,
                        text=text,
                        raised_by=raised_by,
                        addressed_to=sides[0],
                        due_on=due_on if keeps_due_date else None,
                        status=status,
                    )

        self.writer.write("recommendations", Recommendation, recommendations(), len(meetings))
