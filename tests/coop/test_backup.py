"""Backups restore: into a fresh database, with the same figures and the same files.

The backup is made from the test database holding the demo (pg_dump on PostgreSQL, dumpdata
on SQLite) and restored by `manage.py restore` in a separate process, as an operator would,
into a new database; the demo's figures are then read back from that database with SQL.
"""

import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models

from coop.backup import data_figures

PROJECT = Path(settings.BASE_DIR)
DEMO_TASKS = 30
DEMO_MINISTRY_FUNDING = 97_600_000_000
DEMO_FIGURES_SQL = {
    "tasks": """SELECT COUNT(*) FROM tasks_task t JOIN programmes_programme p ON p.id = t.programme_id
                WHERE p.code = 'PH-BKHCN-TB-2012'""",
    "ministry funding": """SELECT SUM(f.allocated) FROM tasks_funding f JOIN tasks_task t ON t.id = f.task_id
                           JOIN programmes_programme p ON p.id = t.programme_id
                           WHERE p.code = 'PH-BKHCN-TB-2012' AND f.source = 'ministry'""",
}
ATTACHMENT = "meetings/1/bien-ban-hop-10-6-2020.pdf"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_with_files(settings, tmp_path):
    """The demo, committed (pg_dump reads from another connection), and a file in MEDIA_ROOT."""
    call_command("load_demo", verbosity=0)
    attachment = Path(settings.MEDIA_ROOT) / ATTACHMENT
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.7 bi\xc3\xaan b\xe1\xba\xa3n h\xe1\xbb\x8dp")
    return attachment


def stored_files() -> list[str]:
    """The files under MEDIA_ROOT the backup must carry: those the records point to (the demo's issued review
    document), and the file the fixture wrote."""
    names = {ATTACHMENT}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.update(model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    assert len(names) > 1, "the demo issues a review document, whose PDF is stored"
    return sorted(names)


@contextmanager
def fresh_database(tmp_path):
    """A new, empty database of the same kind as the test run's; yields its DATABASE_URL."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"coop_restore_{secrets.token_hex(4)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=300
    )


def demo_figures(database_url: str) -> dict:
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as database:
            return {name: database.execute(sql).fetchone()[0] for name, sql in DEMO_FIGURES_SQL.items()}
    with psycopg.connect(database_url) as database:
        return {name: database.execute(sql).fetchone()[0] for name, sql in DEMO_FIGURES_SQL.items()}


def test_a_backup_restores_into_a_fresh_database_with_the_same_figures_and_files(demo_with_files, tmp_path):
    backup = tmp_path / "coop.tar"
    call_command("backup", output=backup, verbosity=0)
    figures_before = data_figures()
    files = stored_files()

    restored_media = tmp_path / "restored-media"
    with fresh_database(tmp_path) as database_url:
        result = manage("restore", str(backup), database_url=database_url, media_root=restored_media)
        assert result.returncode == 0, result.stderr
        tasks = figures_before["rows:tasks.Task"]
        assert f"{tasks} tasks, {len(files)} files; the figures match the backup" in result.stdout
        assert demo_figures(database_url) == {"tasks": DEMO_TASKS, "ministry funding": DEMO_MINISTRY_FUNDING}

        # Restoring again over what is now saved there is refused, and changes nothing.
        again = manage("restore", str(backup), database_url=database_url, media_root=tmp_path / "other-media")
        assert again.returncode != 0
        assert "restore into a new" in again.stderr
        assert demo_figures(database_url) == {"tasks": DEMO_TASKS, "ministry funding": DEMO_MINISTRY_FUNDING}

    assert (restored_media / ATTACHMENT).read_bytes() == demo_with_files.read_bytes()
    for name in files:
        assert (restored_media / name).read_bytes() == (Path(settings.MEDIA_ROOT) / name).read_bytes(), name


def test_the_backup_lists_its_parts_and_the_figures_it_was_made_with(demo_with_files, tmp_path):
    backup = tmp_path / "coop.tar"
    call_command("backup", output=backup, verbosity=0)
    with tarfile.open(backup) as archive:
        names = archive.getnames()
    dump = "database.dump" if connection.vendor == "postgresql" else "database.json"
    assert sorted(names) == sorted([dump, "manifest.json", *(f"media/{name}" for name in stored_files())])


def test_restore_never_replaces_an_existing_file(demo_with_files, tmp_path, settings):
    backup = tmp_path / "coop.tar"
    call_command("backup", output=backup, verbosity=0)
    with fresh_database(tmp_path) as database_url:
        # The files are already there (MEDIA_ROOT of the running application).
        result = manage("restore", str(backup), database_url=database_url, media_root=Path(settings.MEDIA_ROOT))
    assert result.returncode != 0
    assert f"MEDIA_ROOT already holds {len(stored_files())} of the backup's files" in result.stderr


def test_restore_says_plainly_when_the_file_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "minutes.tar"
    with tarfile.open(not_a_backup, "w") as archive:
        archive.add(__file__, arcname="minutes.txt")
    with pytest.raises(CommandError, match="not a backup of the application"):
        call_command("restore", str(not_a_backup))
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.tar"))
