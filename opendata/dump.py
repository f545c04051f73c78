"""The open data download: the published programmes and what belongs to them, as a Frictionless Data Package.

One zip holds, for each entity (`ENTITIES`), a CSV file (UTF-8, a header row) and a JSON Lines file with the
same rows, and `datapackage.json` (Data Package spec v1) describing every file, field, type and relation. Only
published programmes (`programmes.queries.public_programmes`) and what belongs to them go in, and of that only
what the public pages show: never progress reports, outputs not verified, who entered or reviewed what, the
evidence files, people's contact details, or anything of an unpublished programme. A reference to a row that is
not in the package (the previous phase of a programme that is not published, the parent of an agency no
published record names) is left empty, so that every foreign key of the package resolves.

Written in constant memory at national scale: each entity's rows are read as tuples in chunks
(`values_list().iterator()`), each CSV is written straight into its zip entry and its JSON Lines rows into a
temporary file copied in after it, and the zip goes out through a stream that hashes what it writes
(`write_package`). Money is a whole number of đồng, dates ISO 8601, times ISO 8601 in UTC.
"""

import csv
import datetime
import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone, translation

from programmes.choices import (
    AgencyKind,
    MeetingKind,
    OutputKind,
    PartyRole,
    ProgrammeKind,
    ProgrammeStatus,
    RecommendationStatus,
    TargetMetric,
)
from programmes.models import Agency, Meeting, Programme, ProgrammeParty, Recommendation, Target
from programmes.queries import public_programmes
from tasks.choices import FundingSource, TaskField, TaskLevel, TaskStatus
from tasks.models import Funding, Output, Task, TaskPlace

# Rows read from the database at a time.
CHUNK_SIZE = 2000
# Bytes copied at a time from a temporary JSON Lines file into the zip.
COPY_BUFFER = 1024 * 1024
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
PUBLISHER = "Bộ Khoa học và Công nghệ (Ministry of Science and Technology of Viet Nam)"


@dataclass(frozen=True)
class Field:
    """A column of an entity: its name in the files, its Frictionless type and what it means.

    `lookup` is what `values_list` reads: the name itself unless given, or a function making the expression to
    read; `title` is the Vietnamese name of the column, by default the model field's own (`verbose_name`);
    `choices` lists the codes it may hold.
    """

    name: str
    type: str  # integer, number, string, date, datetime or boolean
    description: str
    lookup: str | Callable[[], models.Expression] | None = None
    title: str | None = None
    required: bool = False
    choices: type[models.Choices] | None = None
    minimum: int | None = None
    maximum: int | None = None
    convert: Callable[[object], object] | None = None


@dataclass(frozen=True)
class ForeignKey:
    field: str
    entity: str  # the name of the entity it refers to (itself for a reference within the entity)


@dataclass(frozen=True)
class Entity:
    """One kind of row of the package: a CSV and a JSON Lines file of the rows `rows()` reads."""

    name: str
    model: type[models.Model]
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[], models.QuerySet]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def label(self) -> str:
        """What the rows are, in the active language (the open data page lists the files by it)."""
        return str(self.model._meta.verbose_name_plural)

    def values(self) -> Iterator[tuple]:
        """The entity's rows as tuples in the order of its fields, by primary key, read a chunk at a time."""
        queryset = self.rows()
        lookups, annotations = [], {}
        for field in self.fields:
            if callable(field.lookup):
                alias = f"open_data_{field.name}"
                annotations[alias] = field.lookup()
                lookups.append(alias)
            else:
                lookups.append(field.lookup or field.name)
        queryset = queryset.annotate(**annotations) if annotations else queryset
        return queryset.order_by("pk").values_list(*lookups).iterator(chunk_size=CHUNK_SIZE)


# The rows of each entity


def programme_ids() -> models.QuerySet:
    return public_programmes().values("pk")


def agency_ids() -> models.QuerySet:
    """The agencies the published programmes' records name: parties, lead agencies of their tasks, and those
    raising or receiving their meetings' recommendations."""
    programmes = programme_ids()
    named = (
        Q(pk__in=ProgrammeParty.objects.filter(programme__in=programmes).values("agency"))
        | Q(pk__in=Task.objects.filter(programme__in=programmes).values("lead_agency"))
        | Q(pk__in=Recommendation.objects.filter(meeting__programme__in=programmes).values("raised_by"))
        | Q(pk__in=Recommendation.objects.filter(meeting__programme__in=programmes).values("addressed_to"))
    )
    return Agency.objects.filter(named).values("pk")


def within(reference: str, rows: models.QuerySet) -> Case:
    """The key `reference` holds when it names one of `rows`, else empty: no reference leads out of the package."""
    return Case(
        When(**{f"{reference}__in": rows}, then=F(reference)),
        default=Value(None),
        output_field=models.BigIntegerField(),
    )


def public_page(pk: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("public_programme_detail", args=[pk])


def amount(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def utc(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


ID = Field("id", "integer", "Identifier of the row, stable from one download to the next.", lookup="pk", required=True)


def reference(name: str, description: str, *, required: bool = True, lookup=None) -> Field:
    return Field(name, "integer", description, lookup=lookup, required=required)


def money(name: str, description: str, **kwargs) -> Field:
    return Field(name, "integer", description + " Whole đồng (VND).", minimum=0, convert=amount, **kwargs)


ENTITIES: tuple[Entity, ...] = (
    Entity(
        name="programmes",
        model=Programme,
        title="Chương trình / Programmes",
        description="The published programmes: cooperation programmes between the Ministry and a province, and "
        "national S&T programmes.",
        rows=lambda: public_programmes(),
        fields=(
            ID,
            Field("code", "string", "The programme's code, unique among programmes."),
            Field("title", "string", "The programme's full title."),
            Field("kind", "string", "Kind of programme.", choices=ProgrammeKind, required=True),
            Field("status", "string", "Where the programme stands.", choices=ProgrammeStatus, required=True),
            Field("start_year", "integer", "First year of the programme's period.", required=True),
            Field("end_year", "integer", "Last year of the programme's period.", required=True),
            Field("orientation_year", "integer", 'The year the programme is oriented to ("định hướng đến năm").'),
            Field("signed_on", "date", "The day the programme was signed."),
            Field("objectives", "string", "The programme's objectives."),
            Field("legal_basis", "string", "The documents the programme rests on."),
            reference(
                "previous_phase_id",
                "The programme's previous phase (a programme of this file); empty when it has none or when the "
                "previous phase is not published.",
                required=False,
                lookup=lambda: within("previous_phase_id", programme_ids()),
            ),
            Field(
                "page_url",
                "string",
                "The programme's public page.",
                lookup="pk",
                title="Trang công khai",
                convert=public_page,
                required=True,
            ),
        ),
        foreign_keys=(ForeignKey("previous_phase_id", "programmes"),),
    ),
    Entity(
        name="programme_parties",
        model=ProgrammeParty,
        title="Các bên tham gia chương trình / Programme parties",
        description="The agencies party to each programme, their role, and who represents them. Representatives "
        "are named with their position, as they signed in their official capacity.",
        rows=lambda: ProgrammeParty.objects.filter(programme__in=programme_ids()),
        fields=(
            ID,
            reference("programme_id", "The programme."),
            reference("agency_id", "The agency party to the programme."),
            Field("role", "string", "The agency's part in the programme.", choices=PartyRole, required=True),
            Field(
                "representative_name",
                "string",
                "Full name of the person representing the agency.",
                lookup="representative__full_name",
                title="Người đại diện",
            ),
            Field(
                "representative_position",
                "string",
                "Position of the representative.",
                lookup="representative__position",
                title="Chức vụ của người đại diện",
            ),
        ),
        foreign_keys=(ForeignKey("programme_id", "programmes"), ForeignKey("agency_id", "agencies")),
    ),
    Entity(
        name="targets",
        model=Target,
        title="Mục tiêu / Targets",
        description="What each programme agreed to deliver: a number of tasks, an amount of Ministry funding, or a "
        "quantity of outputs of a kind (in the kind's usual unit).",
        rows=lambda: Target.objects.filter(programme__in=programme_ids()),
        fields=(
            ID,
            reference("programme_id", "The programme."),
            Field("metric", "string", "What the target counts.", choices=TargetMetric, required=True),
            Field(
                "value",
                "integer",
                "The target: a number of tasks, whole đồng of Ministry funding, or a quantity of outputs.",
                minimum=0,
                convert=amount,
                required=True,
            ),
            Field("note", "string", "A note on the target."),
        ),
        foreign_keys=(ForeignKey("programme_id", "programmes"),),
    ),
    Entity(
        name="agencies",
        model=Agency,
        title="Cơ quan, đơn vị / Agencies",
        description="The agencies the published records name: the parties, the lead agencies of the tasks, and "
        "the agencies raising or receiving recommendations. An agency keeps the name it was signed under; after a "
        "merger, its successor carries on its work.",
        rows=lambda: Agency.objects.filter(pk__in=agency_ids()),
        fields=(
            ID,
            Field("name", "string", "The agency's name."),
            Field("short_name", "string", "Its short name."),
            Field("kind", "string", "Kind of agency.", choices=AgencyKind, required=True),
            Field(
                "province_code",
                "string",
                "Official two-digit code of the agency's province; empty for a central agency.",
                lookup="province__code",
                title="Mã tỉnh",
            ),
            Field(
                "province_name",
                "string",
                "Name of the agency's province.",
                lookup="province__name",
                title="Tỉnh, thành phố",
            ),
            reference(
                "parent_id",
                "The agency above it (a row of this file); empty when none, or when no published record names it.",
                required=False,
                lookup=lambda: within("parent_id", agency_ids()),
            ),
            reference(
                "successor_id",
                "The agency that carries on after a merger (a row of this file); empty when none, or when no "
                "published record names it.",
                required=False,
                lookup=lambda: within("successor_id", agency_ids()),
            ),
            Field("valid_to", "date", "Its last day, when it ceased to exist (a merger)."),
        ),
        foreign_keys=(ForeignKey("parent_id", "agencies"), ForeignKey("successor_id", "agencies")),
    ),
    Entity(
        name="tasks",
        model=Task,
        title="Nhiệm vụ KH&CN / S&T tasks",
        description="The funded S&T tasks (research projects and projects) of the published programmes.",
        rows=lambda: Task.objects.filter(programme__in=programme_ids()),
        fields=(
            ID,
            reference("programme_id", "The programme the task belongs to."),
            Field("code", "string", "The task's code, unique within its programme."),
            Field("title", "string", "The task's title."),
            Field("field", "string", "Field of science and technology.", choices=TaskField, required=True),
            Field("level", "string", "Level of management.", choices=TaskLevel, required=True),
            reference("lead_agency_id", 'The lead (host) agency ("cơ quan chủ trì").'),
            reference(
                "funded_through_id",
                "The national programme that funds the task (a row of programmes); empty when none, or when that "
                "programme is not published.",
                required=False,
                lookup=lambda: within("funded_through_id", programme_ids()),
            ),
            Field("location", "string", "Where the task is carried out, in words."),
            Field("start_on", "date", "The task's start date.", required=True),
            Field("end_on", "date", "The task's end date.", required=True),
            Field("status", "string", "Where the task stands.", choices=TaskStatus, required=True),
            Field(
                "percent_complete",
                "integer",
                "Percent complete, from its latest approved progress report, or 100 once accepted.",
                minimum=0,
                maximum=100,
                required=True,
            ),
            Field("accepted_on", "date", 'Date of the acceptance record ("nghiệm thu"), once accepted.'),
            Field("acceptance_decision", "string", "Number of the acceptance minutes or decision."),
            money("ministry_funding", "Funding allocated from the central S&T budget (the Ministry).", required=True),
            money("province_funding", "Funding allocated from the local budget.", required=True),
            money("counterpart_funding", "Counterpart funds allocated.", required=True),
            money("other_funding", "Funding allocated from other sources.", required=True),
            money("total_funding", "Funding allocated from every source.", required=True),
        ),
        foreign_keys=(
            ForeignKey("programme_id", "programmes"),
            ForeignKey("lead_agency_id", "agencies"),
            ForeignKey("funded_through_id", "programmes"),
        ),
    ),
    Entity(
        name="funding",
        model=Funding,
        title="Kinh phí / Funding",
        description="Each task's funding by source and year: allocated, and disbursed as approved.",
        rows=lambda: Funding.objects.filter(task__programme__in=programme_ids()),
        fields=(
            ID,
            reference("task_id", "The task."),
            Field("source", "string", "Where the money comes from.", choices=FundingSource, required=True),
            Field("year", "integer", "The budget year.", required=True),
            money("allocated", "Amount allocated.", required=True),
            money("disbursed", "Amount disbursed.", required=True),
        ),
        foreign_keys=(ForeignKey("task_id", "tasks"),),
    ),
    Entity(
        name="places",
        model=TaskPlace,
        title="Địa bàn thực hiện / Places of implementation",
        description="The provinces where each task is carried out, with the commune or ward when known.",
        rows=lambda: TaskPlace.objects.filter(task__programme__in=programme_ids()),
        fields=(
            ID,
            reference("task_id", "The task."),
            Field(
                "province_code",
                "string",
                "Official two-digit code of the province.",
                lookup="province__code",
                title="Mã tỉnh",
                required=True,
            ),
            Field(
                "province_name",
                "string",
                "Name of the province, as it was then.",
                lookup="province__name",
                title="Tỉnh, thành phố",
                required=True,
            ),
            Field("commune", "string", "The commune(s) or ward(s), when known."),
        ),
        foreign_keys=(ForeignKey("task_id", "tasks"),),
    ),
    Entity(
        name="outputs",
        model=Output,
        title="Kết quả, sản phẩm / Outputs",
        description="What the tasks produced, verified by the Ministry against their evidence; outputs not yet "
        "verified are left out. Quantities add up within one kind and one unit only.",
        rows=lambda: Output.objects.counted().filter(task__programme__in=programme_ids()),
        fields=(
            ID,
            reference("task_id", "The task that produced it."),
            Field("kind", "string", "Kind of output.", choices=OutputKind, required=True),
            Field("name", "string", "What it is."),
            Field("description", "string", "A description."),
            Field("quantity", "integer", "How many, in its unit.", minimum=1, required=True),
            Field("unit", "string", "What the quantity counts.", required=True),
            Field("achieved_on", "date", "When it was achieved.", required=True),
            Field("location", "string", "Where."),
            Field(
                "evidence_number",
                "string",
                "Number of the document that proves it: a recognition decision, a certificate, a transfer contract, "
                "an acceptance record.",
            ),
            Field("evidence_date", "date", "Date of that document."),
            Field(
                "verified_at",
                "datetime",
                "When the Ministry verified it (UTC).",
                lookup="reviewed_at",
                title="Thời điểm xác nhận",
                convert=utc,
            ),
        ),
        foreign_keys=(ForeignKey("task_id", "tasks"),),
    ),
    Entity(
        name="meetings",
        model=Meeting,
        title="Cuộc họp / Meetings",
        description="The programmes' working sessions, review conferences and signing ceremonies.",
        rows=lambda: Meeting.objects.filter(programme__in=programme_ids()),
        fields=(
            ID,
            reference("programme_id", "The programme."),
            Field("held_on", "date", "The day it was held.", required=True),
            Field("kind", "string", "Kind of meeting.", choices=MeetingKind, required=True),
            Field("title", "string", "Its title."),
            Field("place", "string", "Where it was held."),
            Field("summary", "string", "A summary."),
            Field("conclusions", "string", "What it concluded."),
        ),
        foreign_keys=(ForeignKey("programme_id", "programmes"),),
    ),
    Entity(
        name="recommendations",
        model=Recommendation,
        title="Kiến nghị, đề xuất / Recommendations",
        description="The recommendations raised at the meetings, to whom, and how they were followed up.",
        rows=lambda: Recommendation.objects.filter(meeting__programme__in=programme_ids()),
        fields=(
            ID,
            reference("meeting_id", "The meeting it was raised at."),
            Field("text", "string", "The recommendation."),
            reference("raised_by_id", "The agency that raised it."),
            reference("addressed_to_id", "The agency it is addressed to."),
            Field("due_on", "date", "When it is due."),
            Field("status", "string", "Where it stands.", choices=RecommendationStatus, required=True),
            Field("follow_up", "string", "What was done about it."),
        ),
        foreign_keys=(
            ForeignKey("meeting_id", "meetings"),
            ForeignKey("raised_by_id", "agencies"),
            ForeignKey("addressed_to_id", "agencies"),
        ),
    ),
)


# What each format writes


def json_value(field: Field, value):
    if value is None:
        return None
    if field.convert is not None:
        return field.convert(value)
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, datetime.datetime):
        return utc(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_value(value) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


# The descriptor


def field_title(entity: Entity, field: Field) -> str:
    """The column's Vietnamese name: given, or the model field's own."""
    if field.title:
        return field.title
    name = field.lookup if isinstance(field.lookup, str) else field.name
    if name in ("pk", "id"):
        return "Mã định danh"
    name = name.removesuffix("_id")
    with translation.override("vi"):
        return str(entity.model._meta.get_field(name).verbose_name).capitalize()


def field_descriptor(entity: Entity, field: Field) -> dict:
    description = field.description
    if field.choices is not None:
        with translation.override("vi"):
            codes = "; ".join(f"{value} ({label})" for value, label in field.choices.choices)
        description += f" One of: {codes}."
    descriptor = {
        "name": field.name,
        "type": field.type,
        "title": field_title(entity, field),
        "description": description,
    }
    if field.type in ("date", "datetime"):
        descriptor["format"] = "default"
    constraints = {}
    if field.required:
        constraints["required"] = True
    if field.choices is not None:
        constraints["enum"] = [str(value) for value in field.choices.values]
    if field.minimum is not None:
        constraints["minimum"] = field.minimum
    if field.maximum is not None:
        constraints["maximum"] = field.maximum
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def schema(entity: Entity) -> dict:
    return {
        "fields": [field_descriptor(entity, field) for field in entity.fields],
        "primaryKey": ["id"],
        "foreignKeys": [
            {
                # An empty resource name refers to the resource itself (spec v1).
                "fields": [key.field],
                "reference": {"resource": "" if key.entity == entity.name else key.entity, "fields": ["id"]},
            }
            for key in entity.foreign_keys
        ],
        "missingValues": [""],
    }


def _entity(name: str) -> Entity:
    return next(entity for entity in ENTITIES if entity.name == name)


@dataclass(frozen=True)
class WrittenFile:
    path: str
    bytes: int
    sha256: str


def resource_descriptor(entity: Entity, csv_file: WrittenFile, jsonl_file: WrittenFile) -> dict:
    """The entity's CSV file as a tabular data resource, and its JSON Lines twin beside it (`alternates`).

    Data Package v1 reads tabular data from CSV files (or JSON inline in the descriptor), not from JSON Lines:
    the JSON Lines file is described in a property of the resource's own, with the same schema.
    """
    return {
        "name": entity.name,
        "path": csv_file.path,
        "profile": "tabular-data-resource",
        "title": entity.title,
        "description": entity.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": csv_file.bytes,
        "hash": f"sha256:{csv_file.sha256}",
        "dialect": {"delimiter": ",", "doubleQuote": True, "lineTerminator": "\r\n", "header": True},
        "schema": schema(entity),
        "alternates": [
            {
                "path": jsonl_file.path,
                "format": "jsonl",
                "mediatype": "application/jsonl",
                "encoding": "utf-8",
                "bytes": jsonl_file.bytes,
                "hash": f"sha256:{jsonl_file.sha256}",
                "description": "The same rows and fields as the CSV file, one JSON object per line: integers as "
                "JSON numbers, dates and times as the CSV writes them, empty values as null.",
            }
        ],
    }


def package_descriptor(resources: list[dict], created: datetime.datetime) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "coop-programmes-open-data",
        "title": "Chương trình phối hợp KH&CN đã công bố / Published S&T cooperation programmes",
        "description": (
            "The S&T cooperation programmes between the Ministry of Science and Technology and the provinces, and "
            "the national S&T programmes, that the Ministry published: their parties, targets, tasks, funding, "
            "places of implementation, verified outputs, meetings and recommendations. Each entity is given twice, "
            "as CSV (the resource) and as JSON Lines (its `alternates`), with the same rows and fields."
        ),
        "homepage": settings.SITE_URL.rstrip("/") + reverse("open_data"),
        "created": utc(created),
        "licenses": [LICENSE],
        "sources": [{"title": PUBLISHER, "path": settings.SITE_URL.rstrip("/") + reverse("public_programme_list")}],
        "resources": resources,
    }


# Writing the zip


class HashingWriter(io.RawIOBase):
    """A binary stream that passes every byte on to `target`, counting and hashing it.

    It cannot seek: zipfile, writing the whole zip into it, writes each entry once and in order (the sizes in a
    descriptor after the data) and never goes back, so the hash is that of the finished file. Written into a
    zip entry, it gives the entry's own size and hash (a resource's `bytes` and `hash`).
    """

    def __init__(self, target):
        super().__init__()
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.target.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)


@dataclass(frozen=True)
class Package:
    """What `write_package` wrote: the zip's size and SHA-256, and the rows of each entity."""

    size: int
    sha256: str
    row_counts: dict[str, int]


def write_package(target) -> Package:
    """Write the zip of the open data into the binary stream `target`: every entity, then `datapackage.json`.

    The rows are read in one transaction (on PostgreSQL, one snapshot: REPEATABLE READ), so that the files
    agree with each other even while the data changes.
    """
    sink = HashingWriter(target)
    created = timezone.now()
    resources, row_counts = [], {}
    with one_snapshot(), zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entity in ENTITIES:
            csv_file, jsonl_file, count = _write_entity(archive, entity, created)
            resources.append(resource_descriptor(entity, csv_file, jsonl_file))
            row_counts[entity.name] = count
        descriptor = json.dumps(package_descriptor(resources, created), ensure_ascii=False, indent=2)
        archive.writestr(_entry("datapackage.json", created), descriptor.encode("utf-8"))
    return Package(size=sink.size, sha256=sink.sha256.hexdigest(), row_counts=row_counts)


@contextmanager
def one_snapshot():
    """A transaction for reading every entity: on PostgreSQL, REPEATABLE READ and READ ONLY, so that every query
    sees the data as it was at the first (READ COMMITTED would see each query's own moment). Inside a transaction
    already (a test), that one."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _entry(name: str, created: datetime.datetime) -> zipfile.ZipInfo:
    """A file of the zip, dated when the download was made and readable by everyone once unpacked."""
    info = zipfile.ZipInfo(name, date_time=timezone.localtime(created).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _write_entity(
    archive: zipfile.ZipFile, entity: Entity, created: datetime.datetime
) -> tuple[WrittenFile, WrittenFile, int]:
    """The entity's CSV straight into its zip entry, its JSON Lines into a temporary file copied in afterwards (a
    zip takes one entry at a time)."""
    count = 0
    csv_path, jsonl_path = f"{entity.name}.csv", f"{entity.name}.jsonl"
    with tempfile.TemporaryFile() as jsonl_spool:
        jsonl_hash = hashlib.sha256()
        jsonl_size = 0
        with archive.open(_entry(csv_path, created), "w") as entry:
            csv_stream = HashingWriter(entry)
            text = io.TextIOWrapper(csv_stream, encoding="utf-8", newline="", write_through=True)
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow([field.name for field in entity.fields])
            for row in entity.values():
                values = [json_value(field, value) for field, value in zip(entity.fields, row, strict=True)]
                writer.writerow([csv_value(value) for value in values])
                line = (
                    json.dumps(
                        {field.name: value for field, value in zip(entity.fields, values, strict=True)},
                        ensure_ascii=False,
                    )
                    + "\n"
                ).encode("utf-8")
                jsonl_spool.write(line)
                jsonl_hash.update(line)
                jsonl_size += len(line)
                count += 1
            text.flush()
            text.detach()
        jsonl_spool.seek(0)
        with archive.open(_entry(jsonl_path, created), "w") as entry:
            shutil.copyfileobj(jsonl_spool, entry, COPY_BUFFER)
    return (
        WrittenFile(csv_path, csv_stream.size, csv_stream.sha256.hexdigest()),
        WrittenFile(jsonl_path, jsonl_size, jsonl_hash.hexdigest()),
        count,
    )
