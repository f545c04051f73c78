"""`manage.py export_open_data`: one zip of the published programmes, valid as a Frictionless Data Package, read
back row for row as the database has it, and holding nothing that is not published."""

import datetime
import hashlib
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest
from django.core.management import CommandError, call_command

from opendata import services
from opendata.dump import ENTITIES
from opendata.models import OpenDataDump
from programmes.models import Agency, Meeting, Programme, ProgrammeParty, Recommendation, Target
from tasks.models import Funding, Output, Task, TaskPlace
from tests.opendata.conftest import HIDDEN

pytestmark = pytest.mark.django_db


def export(*options) -> str:
    out = io.StringIO()
    call_command("export_open_data", *options, stdout=out)
    return out.getvalue()


SITE_URL = "https://chuongtrinh.most.gov.vn"


@pytest.fixture
def dump(published, settings) -> OpenDataDump:
    settings.SITE_URL = SITE_URL
    export()
    return OpenDataDump.objects.get()


@pytest.fixture
def folder(dump, tmp_path) -> Path:
    """The zip unpacked."""
    target = tmp_path / "unpacked"
    with zipfile.ZipFile(dump.file.path) as archive:
        archive.extractall(target)
    return target


@pytest.fixture
def package(folder) -> frictionless.Package:
    return frictionless.Package(str(folder / "datapackage.json"))


# What the database holds of the published programme, read without the dump's code


def expected_rows(world) -> dict[str, dict[int, object]]:
    """Primary key → row of each entity that belongs in the package, read here with plain queries."""
    programme = world.programme
    tasks = Task.objects.filter(programme=programme)
    named_agencies = {
        *ProgrammeParty.objects.filter(programme=programme).values_list("agency", flat=True),
        *tasks.values_list("lead_agency", flat=True),
        world.recommendation.raised_by_id,
        world.recommendation.addressed_to_id,
    }
    return {
        "programmes": {programme.pk: programme},
        "programme_parties": {row.pk: row for row in ProgrammeParty.objects.filter(programme=programme)},
        "targets": {row.pk: row for row in Target.objects.filter(programme=programme)},
        "agencies": {row.pk: row for row in Agency.objects.filter(pk__in=named_agencies)},
        "tasks": {row.pk: row for row in tasks},
        "funding": {row.pk: row for row in Funding.objects.filter(task__in=tasks)},
        "places": {row.pk: row for row in TaskPlace.objects.filter(task__in=tasks)},
        "outputs": {row.pk: row for row in Output.objects.filter(task__in=tasks, status="verified")},
        "meetings": {row.pk: row for row in Meeting.objects.filter(programme=programme)},
        "recommendations": {row.pk: row for row in Recommendation.objects.filter(meeting__programme=programme)},
    }


def plain(value):
    """A value as the JSON Lines file writes it: integers for money, ISO 8601 for dates, UTC for times."""
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# Columns whose value is not the model's attribute of the same name: what they hold, per entity.
DERIVED = {
    "programmes": {
        "page_url": lambda row: f"{SITE_URL}/public/programmes/{row.pk}/",
        "previous_phase_id": lambda row: None,  # the previous phase is not published
    },
    "programme_parties": {
        "representative_name": lambda row: row.representative.full_name if row.representative else None,
        "representative_position": lambda row: row.representative.position if row.representative else None,
    },
    "agencies": {
        "province_code": lambda row: row.province.code if row.province else None,
        "province_name": lambda row: row.province.name if row.province else None,
    },
    "places": {"province_code": lambda row: row.province.code, "province_name": lambda row: row.province.name},
    "outputs": {"verified_at": lambda row: row.reviewed_at},
}


def expected_value(entity_name: str, row, column: str, world):
    derived = DERIVED.get(entity_name, {})
    if column in derived:
        value = derived[column](row)
    elif entity_name == "agencies" and column == "parent_id":
        value = row.parent_id if row.parent_id in expected_rows(world)["agencies"] else None
    elif entity_name == "tasks" and column == "funded_through_id":
        value = None  # the national programme that funds the second task is not published
    else:
        value = getattr(row, "pk" if column == "id" else column)
    value = plain(value)
    # An empty text is read back as missing, as the schema's missingValues say.
    return None if value == "" else value


# The package is valid


def test_the_datapackage_is_valid_for_frictionless(folder):
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    assert {task.name for task in report.tasks} == {entity.name for entity in ENTITIES}


def test_the_descriptor_follows_data_package_v1(folder):
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    for resource in descriptor["resources"]:
        assert (resource["format"], resource["encoding"], resource["profile"]) == (
            "csv",
            "utf-8",
            "tabular-data-resource",
        )
        schema = resource["schema"]
        assert schema["primaryKey"] == ["id"]
        for field in schema["fields"]:
            assert field["type"] in {"integer", "number", "string", "date", "datetime", "boolean"}
            assert field["description"] and field["title"]
        (twin,) = resource["alternates"]
        assert twin["path"] == resource["path"].replace(".csv", ".jsonl")
    tasks = next(resource for resource in descriptor["resources"] if resource["name"] == "tasks")
    assert {key["fields"][0]: key["reference"]["resource"] for key in tasks["schema"]["foreignKeys"]} == {
        "programme_id": "programmes",
        "lead_agency_id": "agencies",
        "funded_through_id": "programmes",
    }
    status = next(field for field in tasks["schema"]["fields"] if field["name"] == "status")
    assert status["constraints"]["enum"] == [
        "proposed",
        "approved",
        "in_progress",
        "accepted",
        "completed",
        "suspended",
        "cancelled",
    ]
    assert "in_progress (Đang thực hiện)" in status["description"]


# Read back, row for row


def test_every_resource_reads_back_as_the_database_has_it(published, package):
    expected = expected_rows(published)
    for entity in ENTITIES:
        rows = package.get_resource(entity.name).read_rows()
        assert {row["id"] for row in rows} == set(expected[entity.name]), entity.name
        for row in rows:
            for column, value in row.items():
                wanted = expected_value(entity.name, expected[entity.name][row["id"]], column, published)
                assert plain(value) == wanted, (entity.name, row["id"], column)


def test_each_json_lines_file_holds_the_rows_of_its_csv_file(published, package, folder):
    for entity in ENTITIES:
        csv_rows = {
            row["id"]: {name: plain(value) for name, value in row.items()}
            for row in package.get_resource(entity.name).read_rows()
        }
        lines = (folder / f"{entity.name}.jsonl").read_text(encoding="utf-8").splitlines()
        json_rows = {row["id"]: row for row in map(json.loads, lines)}
        assert json_rows.keys() == csv_rows.keys(), entity.name
        for pk, row in json_rows.items():
            assert list(row) == [field.name for field in entity.fields]
            assert {name: (None if value == "" else value) for name, value in row.items()} == csv_rows[pk]


def test_the_twins_size_and_sha256_are_in_the_descriptor(folder):
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for described in (resource, resource["alternates"][0]):
            content = (folder / described["path"]).read_bytes()
            assert described["bytes"] == len(content)
            assert described["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()


def test_money_is_whole_dong_and_dates_iso_8601_in_the_csv(published, folder):
    header, *rows = (folder / "tasks.csv").read_text(encoding="utf-8").splitlines()
    row = dict(zip(header.split(","), next(line for line in rows if "TB-02" in line).split(","), strict=False))
    assert (row["start_on"], row["end_on"]) == ("2016-03-01", "2018-06-30")
    first = next(line for line in rows if line.startswith(f"{published.task.pk},"))
    assert ",1500000000,300000000,0,0,1800000000" in first
    outputs = (folder / "outputs.jsonl").read_text(encoding="utf-8")
    assert '"verified_at": "2018-06-08T00:00:00Z"' in outputs


def test_a_reference_out_of_the_package_is_left_empty_and_one_within_kept(published, package):
    programme = package.get_resource("programmes").read_rows()[0]
    assert programme["previous_phase_id"] is None  # its previous phase is not published
    tasks = {row["code"]: row for row in package.get_resource("tasks").read_rows()}
    assert tasks["TB-02"]["funded_through_id"] is None  # the national programme is not published
    agencies = {row["id"]: row for row in package.get_resource("agencies").read_rows()}
    assert agencies[published.institute.pk]["parent_id"] is None  # its parent is named by no published record
    assert agencies[published.department.pk]["parent_id"] == published.committee.pk  # a party of the programme


# Nothing that is not published


def every_text(dump) -> dict[str, str]:
    with zipfile.ZipFile(dump.file.path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_nothing_of_an_unpublished_programme_or_a_draft_is_in_the_zip(published, dump):
    texts = every_text(dump)
    for name, text in texts.items():
        assert HIDDEN not in text, name
        assert HIDDEN.lower() not in text, name
    assert "987654321" not in "".join(texts.values())  # the unpublished task's funding


def test_outputs_not_verified_are_left_out(published, package):
    outputs = package.get_resource("outputs").read_rows()
    assert {row["name"] for row in outputs} == {"Mô hình lúa TBR225", "Giống lúa TBR225"}
    assert {output.pk for output in published.unverified}.isdisjoint(row["id"] for row in outputs)


def test_no_progress_report_and_nobodys_contact_details(published, dump):
    texts = every_text(dump)
    assert sorted(texts) == sorted(
        ["datapackage.json", *(f"{entity.name}.{extension}" for entity in ENTITIES for extension in ("csv", "jsonl"))]
    )
    everything = "".join(texts.values())
    for private in (published.report.summary, published.province_user.email, "@", "factory.output.reviewer"):
        assert private not in everything
    # People are named only as the representatives of a programme's parties, with their position.
    assert "Chu Ngọc Anh" in texts["programme_parties.csv"]
    assert "Chu Ngọc Anh" not in texts["meetings.csv"] + texts["tasks.csv"]


# The record of the download


def test_the_recorded_size_and_sha256_are_those_of_the_file(dump, package):
    content = Path(dump.file.path).read_bytes()
    assert dump.size == len(content)
    assert dump.sha256 == hashlib.sha256(content).hexdigest()
    assert dump.file.name.startswith("open-data/coop-open-data-") and dump.file.name.endswith(".zip")
    assert dump.row_counts == {entity.name: len(package.get_resource(entity.name).read_rows()) for entity in ENTITIES}
    assert dump.row_counts["tasks"] == 2 and dump.row_counts["outputs"] == 2


def test_the_command_says_what_it_wrote(published):
    output = export()
    dump = OpenDataDump.objects.get()
    assert dump.file.name in output and dump.sha256 in output
    assert "tasks 2" in output and "outputs 2" in output


def test_only_the_newest_downloads_are_kept(published, settings, django_capture_on_commit_callbacks):
    for _run in range(3):
        # The files of the downloads let go are deleted once that is committed.
        with django_capture_on_commit_callbacks(execute=True):
            export("--keep", "2")
    dumps = list(OpenDataDump.objects.order_by("created_at", "pk"))
    assert len(dumps) == 2
    kept = {Path(dump.file.path).name for dump in dumps}
    assert {path.name for path in (Path(settings.MEDIA_ROOT) / "open-data").iterdir()} == kept


def test_keeping_no_download_is_refused(published):
    with pytest.raises(CommandError):
        export("--keep", "0")
    assert not OpenDataDump.objects.exists()


def test_a_download_that_fails_leaves_neither_a_file_nor_a_row(published, monkeypatch, settings):
    def broken(target):
        target.write(b"PK half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(services, "write_package", broken)
    with pytest.raises(OSError):
        export()
    assert not OpenDataDump.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / "open-data"
    assert not folder.exists() or not any(folder.iterdir())


def test_a_programme_taken_back_leaves_the_next_download(published, dump):
    Programme.objects.filter(pk=published.programme.pk).update(published=False)
    export()
    newest = OpenDataDump.objects.order_by("-created_at", "-pk").first()
    assert newest.row_counts == {entity.name: 0 for entity in ENTITIES}
    assert published.programme.title not in "".join(every_text(newest).values())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_download_reads_one_snapshot_and_is_valid(tmp_path):
    """As cron runs it: not inside a test's transaction, so the rows are read in a transaction of the download's
    own (REPEATABLE READ on PostgreSQL)."""
    from tests.factories import OutputFactory, ProgrammeFactory, TaskFactory

    programme = ProgrammeFactory(published=True, status="active")
    OutputFactory(task=TaskFactory(programme=programme))
    export()
    dump = OpenDataDump.objects.get()
    with zipfile.ZipFile(dump.file.path) as archive:
        archive.extractall(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    assert (dump.row_counts["tasks"], dump.row_counts["outputs"]) == (1, 1)
