"""How long the development server takes to answer its first request, against a bare Django project.

Not a test (pytest does not collect tests/bench): run it from the project folder,

    .venv/bin/python tests/bench/bench_cold_start.py [--rounds 7]

Each round starts `manage.py runserver --noreload` twice, one after the other: once for this project
(on SQLite in a temporary folder, migrated before the first round, with DEBUG on as `make run` has
it) and once for a bare project made by `django-admin startproject` in another temporary folder
(migrated too). The clock starts when the process is started and stops at the first successful
answer of a page that needs no data: `/accounts/login/` here, `/admin/login/` there. Both servers
run on the same Python, from the same virtualenv. The rounds alternate which server starts first, so
that the machine's load falls on both alike; the medians and their ratio are printed, with each
round's paired ratio.

`--import-only` prints instead the time of `django.setup()` and of importing the URLconf in a fresh
interpreter, which is most of the difference (`python -X importtime` tells which modules).
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# Give up on a server that has not answered after this long (a broken start).
START_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def first_response_seconds(command: list[str], *, cwd: Path, env: dict, url_path: str, port: int) -> float:
    """Seconds from starting `command` to the first 200 answer of `url_path` on `port`; the server is then stopped."""
    url = f"http://127.0.0.1:{port}{url_path}"
    started = time.perf_counter()
    log = tempfile.TemporaryFile()
    # A session of its own, so that stopping it also stops the reloader's child process (`--reload`).
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        while True:
            if server.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"{' '.join(command)} stopped: {log.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.perf_counter() - started > START_TIMEOUT:
                raise RuntimeError(f"{url} did not answer within {START_TIMEOUT:.0f} s")
            time.sleep(0.01)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def base_env() -> dict:
    """This shell's environment without its Django settings, and with Python's bytecode caches allowed.

    A developer's machine keeps the compiled modules (`__pycache__`) from one start to the next; a shell with
    PYTHONDONTWRITEBYTECODE (some containers set it) would make each start of this project compile its own
    modules again, about 0.1 s that a bare project, with four small modules, hardly pays.
    """
    dropped = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONDONTWRITEBYTECODE"}
    return {key: value for key, value in os.environ.items() if key not in dropped}


def project_env(folder: Path) -> dict:
    """This project's development settings on an SQLite database of `folder`."""
    env = base_env()
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        DJANGO_SETTINGS_MODULE="coop.settings",
    )
    return env


def bare_env() -> dict:
    """The bare project's environment: its own settings module, nothing of this project's."""
    env = base_env()
    env["DJANGO_SETTINGS_MODULE"] = "bare.settings"
    return env


def prepare(ours: Path, bare: Path) -> None:
    """Migrate this project's database in `ours`, and make and migrate the bare project in `bare`."""
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=PROJECT, env=project_env(ours), check=True
    )
    django_admin = Path(PYTHON).with_name("django-admin")
    bare.mkdir()
    env = {key: value for key, value in bare_env().items() if key != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([str(django_admin), "startproject", "bare", str(bare)], check=True, env=env)
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=bare, env=bare_env(), check=True)


def runserver(port: int, reload: bool) -> list[str]:
    """The command of the development server on `port`, with Django's reloader or without it."""
    return [PYTHON, "manage.py", "runserver", *([] if reload else ["--noreload"]), f"127.0.0.1:{port}"]


def time_ours(ours: Path, reload: bool) -> float:
    port = free_port()
    command = runserver(port, reload)
    return first_response_seconds(command, cwd=PROJECT, env=project_env(ours), url_path="/accounts/login/", port=port)


def time_bare(bare: Path, reload: bool) -> float:
    port = free_port()
    command = runserver(port, reload)
    return first_response_seconds(command, cwd=bare, env=bare_env(), url_path="/admin/login/", port=port)


def import_seconds(ours: Path) -> tuple[float, float]:
    """Seconds of `django.setup()` and of importing the URLconf, in a fresh interpreter."""
    code = (
        "import time; t0 = time.perf_counter(); import django; django.setup(); t1 = time.perf_counter(); "
        "import coop.urls; t2 = time.perf_counter(); print(t1 - t0, t2 - t1)"
    )
    output = subprocess.run(
        [PYTHON, "-c", code], cwd=PROJECT, env=project_env(ours), check=True, capture_output=True, text=True
    ).stdout
    setup, urls = output.split()
    return float(setup), float(urls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7, help="rounds, each starting both servers; default 7")
    parser.add_argument(
        "--reload", action="store_true", help="with Django's reloader, as `make run` starts it (default: --noreload)"
    )
    parser.add_argument("--import-only", action="store_true", help="time django.setup() and the URLconf's import")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coop-cold-") as temporary:
        ours, bare = Path(temporary) / "ours", Path(temporary) / "bare"
        ours.mkdir()
        if arguments.import_only:
            subprocess.run(
                [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"],
                cwd=PROJECT,
                env=project_env(ours),
                check=True,
            )
            figures = [import_seconds(ours) for _round in range(arguments.rounds)]
            setup = statistics.median(figure[0] for figure in figures)
            urls = statistics.median(figure[1] for figure in figures)
            print(f"django.setup(): median {setup * 1000:.0f} ms; import coop.urls: median {urls * 1000:.0f} ms")
            return
        prepare(ours, bare)
        # One start of each, not counted: the first start after a migrate reads files the later ones find cached,
        # and writes the bytecode caches they read.
        time_ours(ours, arguments.reload)
        time_bare(bare, arguments.reload)
        ours_times, bare_times = [], []
        for number in range(arguments.rounds):
            if number % 2:
                bare_times.append(time_bare(bare, arguments.reload))
                ours_times.append(time_ours(ours, arguments.reload))
            else:
                ours_times.append(time_ours(ours, arguments.reload))
                bare_times.append(time_bare(bare, arguments.reload))
            print(
                f"round {number + 1}: ours {ours_times[-1]:.2f} s, bare {bare_times[-1]:.2f} s, "
                f"ratio {ours_times[-1] / bare_times[-1]:.2f}",
                flush=True,
            )
    ratios = [mine / theirs for mine, theirs in zip(ours_times, bare_times, strict=True)]
    ours_median, bare_median = statistics.median(ours_times), statistics.median(bare_times)
    print()
    print(f"time to first response, {arguments.rounds} rounds interleaved (medians):")
    mode = "runserver" if arguments.reload else "runserver --noreload"
    print(f"  this project, {mode}, /accounts/login/: {ours_median:.2f} s")
    print(f"  bare startproject, {mode}, /admin/login/: {bare_median:.2f} s")
    paired = statistics.median(ratios)
    print(f"  ratio of medians {ours_median / bare_median:.2f}; median of paired ratios {paired:.2f}")
    print(
        f"  (target: at most 1.5; ours {min(ours_times):.2f}–{max(ours_times):.2f} s, bare "
        f"{min(bare_times):.2f}–{max(bare_times):.2f} s)"
    )


if __name__ == "__main__":
    main()
