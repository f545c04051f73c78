"""Two long exports at once under the production server: neither is killed by gunicorn's timeout.

gunicorn runs with `gunicorn.conf.py` (3 sync workers, 60 s timeout) and the production settings, beside
the background worker (`manage.py db_worker`), against a database of its own holding the demo. The
threshold of exports written in the background is lowered to a few rows, so that the demo's task list
is a long list. Two users export it as XLSX at the same moment: each is offered the background export,
queues it, follows its page until the file is ready and downloads it. Neither request answers 500, the
server's log has no WORKER TIMEOUT, and both files hold every task.
"""

import io
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import openpyxl
import psycopg
import pytest

from tests.deploy.test_two_servers import (
    GUNICORN,
    PROJECT,
    Browser,
    FormFields,
    free_port,
    production_environment,
    server_url,
    shared_database,  # noqa: F401 (a fixture)
    wait_until_healthy,
)

pytestmark = pytest.mark.skipif(server_url() is None, reason="needs PostgreSQL (DATABASE_URL=postgres://...)")

LONG_EXPORT_ROWS = 5  # the demo has a few dozen tasks: a long list at this threshold


@pytest.fixture(scope="module")
def server_and_worker(shared_database, tmp_path_factory):  # noqa: F811 (the fixture imported above)
    """gunicorn as `make serve` runs it and the background worker, sharing a media folder; their logs."""
    log_folder = tmp_path_factory.mktemp("logs")
    environment = production_environment(shared_database)
    environment.update(
        EXPORT_BACKGROUND_MIN_ROWS=str(LONG_EXPORT_ROWS),
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        WEB_CONCURRENCY="3",
        GUNICORN_TIMEOUT="60",
        LOG_LEVEL="INFO",
    )
    port = free_port()
    server_log = (log_folder / "gunicorn.log").open("w")
    worker_log = (log_folder / "worker.log").open("w")
    processes = [
        subprocess.Popen(
            [
                str(GUNICORN),
                "coop.wsgi:application",
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=PROJECT,
            env=environment,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2", "--no-reload"],
            cwd=PROJECT,
            env=environment,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        ),
    ]
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_healthy(base_url)
        yield base_url, log_folder
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        server_log.close()
        worker_log.close()


def export_in_background(base_url: str, username: str, export_format: str) -> dict:
    """A user's long export, as their browser makes it: the offer, its button, the progress page, the file."""
    browser = Browser()
    browser.log_in(base_url, username)
    status, page = browser.get(f"{base_url}/tasks/?_export={export_format}&sort=code")
    assert status == 200, (status, page[:500])
    form = FormFields()
    form.feed(page)
    assert form.values["list_name"] == "task_list"
    request = urllib.request.Request(
        f"{base_url}/exports/", data=urllib.parse.urlencode(form.values).encode(), headers={"Referer": base_url}
    )
    try:
        with browser.opener.open(request, timeout=60) as response:
            status, location = response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as redirect:
        status, location = redirect.code, redirect.headers.get("Location", "")
    assert status == 302 and location.startswith("/exports/"), (status, location)
    deadline = time.monotonic() + 120
    while True:
        status, page = browser.get(base_url + location)
        assert status == 200, status
        if "export-download" in page or "export-error" in page or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert "export-download" in page, page[page.find("<main") :][:1500]
    with browser.opener.open(f"{base_url}{location}download/", timeout=60) as response:
        return {"status": response.status, "content": response.read()}


def test_two_long_exports_at_once_both_complete(server_and_worker, shared_database):  # noqa: F811
    base_url, log_folder = server_and_worker
    results, errors = {}, []

    def run(username):
        try:
            results[username] = export_in_background(base_url, username, "xlsx")
        except BaseException as error:  # reported below, from the test's own thread
            errors.append((username, error))

    threads = [threading.Thread(target=run, args=(username,)) for username in ("bo.chuyenvien", "admin")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    with psycopg.connect(shared_database) as connection:
        task_count = connection.execute("SELECT count(*) FROM tasks_task").fetchone()[0]
    assert task_count >= LONG_EXPORT_ROWS
    for username, result in results.items():
        assert result["status"] == 200, username
        sheet = openpyxl.load_workbook(io.BytesIO(result["content"]), read_only=True).worksheets[0]
        assert sum(1 for _row in sheet.iter_rows(values_only=True)) == task_count + 1, username
    log = (log_folder / "gunicorn.log").read_text()
    assert "WORKER TIMEOUT" not in log
    assert '" 500 ' not in log and "Internal Server Error" not in log, log[-3000:]
    assert '"GET /exports/' in log  # the access log is the one read here
