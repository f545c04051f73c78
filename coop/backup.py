"""Backing up and restoring everything: the database and the uploaded and issued files.

A backup is one tar file holding:
- `database.dump`: `pg_dump --format=custom` of PostgreSQL, or `database.json`: `dumpdata`
  of SQLite (natural keys, so that it loads into a freshly migrated database);
- `media/`: every file under MEDIA_ROOT (meeting attachments, issued PDF reports);
- `manifest.json`: when and from what it was made, and the figures of the data (row counts
  of every table of the application, the sums of the money), which a restore recomputes
  and compares, so that a restore that lost anything fails loudly.

A restore goes only into an empty database and never overwrites a file: nothing saved is lost
by restoring over it by mistake. `python manage.py backup` / `restore` run these; docs/deploy.md
says when.
"""

import datetime
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Sum
from django.test import override_settings

FORMAT_VERSION = 1
OUR_APPS = ("coop", "programmes", "tasks", "reports")
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
JSON_DUMP = "database.json"
MEDIA = "media"
# Not worth keeping: sessions expire within hours, and content types and permissions are
# recreated by the migrations of the database the backup is restored into.
DUMPDATA_EXCLUDE = ["contenttypes", "auth.permission", "sessions"]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class RestoreResult:
    figures: dict
    files: int


def data_figures(using: str = DEFAULT_DB_ALIAS) -> dict:
    """Row counts of every table of the application (history included) and the sums of the money."""
    figures = {}
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            figures[f"rows:{model._meta.label}"] = model._default_manager.using(using).count()
    funding = apps.get_model("tasks", "Funding")._default_manager.using(using)
    sums = funding.aggregate(allocated=Sum("allocated"), disbursed=Sum("disbursed"))
    figures["funding:allocated"] = str(sums["allocated"] or 0)
    figures["funding:disbursed"] = str(sums["disbursed"] or 0)
    return figures


def is_postgresql(using: str = DEFAULT_DB_ALIAS) -> bool:
    return connections[using].vendor == "postgresql"


def libpq_environment(using: str = DEFAULT_DB_ALIAS) -> tuple[str, dict]:
    """The database name and the PG* variables that let pg_dump and pg_restore reach it."""
    database = connections[using].settings_dict
    variables = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
    }
    return database["NAME"], {**os.environ, **{key: value for key, value in variables.items() if value}}


def run_tool(command: list[str], environment: dict) -> None:
    try:
        subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error


def add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.datetime.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else []


def create_backup(destination: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the backup tar to `destination`; returns its manifest."""
    files = media_files()
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": "postgresql" if is_postgresql(using) else connections[using].vendor,
        "figures": data_figures(using),
        "media_files": len(files),
    }
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work, tarfile.open(destination, "w") as archive:
        dump = Path(work) / (PG_DUMP if is_postgresql(using) else JSON_DUMP)
        if is_postgresql(using):
            name, environment = libpq_environment(using)
            run_tool(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", name], environment
            )
        else:
            call_command(
                "dumpdata",
                natural_foreign=True,
                natural_primary=True,
                exclude=DUMPDATA_EXCLUDE,
                database=using,
                output=str(dump),
                verbosity=0,
            )
        archive.add(dump, arcname=dump.name)
        root = Path(settings.MEDIA_ROOT)
        for path in files:
            archive.add(path, arcname=f"{MEDIA}/{path.relative_to(root).as_posix()}")
        add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode())
    return manifest


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, json.JSONDecodeError) as error:
        raise BackupError("This file is not a backup of the application: it has no readable manifest.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Backup format {manifest.get('format')} is not known to this version.")
    return manifest


def application_tables_hold_rows(using: str) -> bool:
    existing = set(connections[using].introspection.table_names())
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.db_table in existing and model._default_manager.using(using).exists():
                return True
    return False


def restore_database(archive: tarfile.TarFile, manifest: dict, work: Path, using: str) -> None:
    connection = connections[using]
    if manifest["database"] == "postgresql":
        if not is_postgresql(using):
            raise BackupError("A PostgreSQL backup is restored into PostgreSQL (set DATABASE_URL).")
        if connection.introspection.table_names():
            raise BackupError("The database is not empty: restore into a newly created database.")
        archive.extract(PG_DUMP, work, filter="data")
        name, environment = libpq_environment(using)
        connection.close()
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        run_tool([*command, f"--dbname={name}", str(work / PG_DUMP)], environment)
    else:
        call_command("migrate", database=using, interactive=False, verbosity=0)
        if application_tables_hold_rows(using):
            raise BackupError("The database already holds data: restore into a new, empty database.")
        archive.extract(JSON_DUMP, work, filter="data")
        # The dump holds the history rows themselves: loading the rows must not write more (the m2m of a
        # document's recipients would, as loaddata sets them outside a raw save).
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(work / JSON_DUMP), database=using, verbosity=0)


def restore_media(archive: tarfile.TarFile) -> int:
    """Copy the backup's files under MEDIA_ROOT; an existing file is never replaced."""
    members = [member for member in archive.getmembers() if member.isfile() and member.name.startswith(f"{MEDIA}/")]
    root = Path(settings.MEDIA_ROOT)
    clashes = [member.name for member in members if (root / member.name.removeprefix(f"{MEDIA}/")).exists()]
    if clashes:
        raise BackupError(f"MEDIA_ROOT already holds {len(clashes)} of the backup's files, e.g. {clashes[0]}.")
    with tempfile.TemporaryDirectory() as work:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(work, members=members, filter="data")
        for member in members:
            target = root / member.name.removeprefix(f"{MEDIA}/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(work) / member.name, target)
    return len(members)


def restore_backup(source: Path, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Restore `source` into the (empty) database and MEDIA_ROOT, then check the figures."""
    with tarfile.open(source, "r") as archive, tempfile.TemporaryDirectory() as work:
        manifest = read_manifest(archive)
        restore_database(archive, manifest, Path(work), using)
        files = restore_media(archive)
    figures = data_figures(using)
    differences = {
        key: (expected, figures.get(key))
        for key, expected in manifest["figures"].items()
        if figures.get(key) != expected
    }
    if differences:
        raise BackupError(f"The restored data differ from the backup's figures: {differences}")
    if files != manifest["media_files"]:
        raise BackupError(f"{files} files restored where the backup lists {manifest['media_files']}.")
    return RestoreResult(figures=figures, files=files)
