"""Sessions and rows for the load test: writes the JSON file that `locustfile.py` reads.

    DATABASE_URL=... .venv/bin/python tests/bench/loadtest_setup.py tests/bench/results/loadtest-data.json

Opens sessions for the demo's Ministry user (`bo.chuyenvien`) and Thái Bình department user
(`so.thaibinh`), as a login would, and samples the tasks and programmes each may open.
"""

import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.auth.backends import ModelBackend  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from programmes.models import Programme, Province  # noqa: E402
from tasks.models import Task  # noqa: E402

SESSIONS = 50  # one per simulated user at most
SAMPLE = 1000
PER_PAGE = 25
ROLES = {"ministry": "bo.chuyenvien", "province": "so.thaibinh"}


def password_backend() -> str:
    """The configured backend that checks passwords, which `login` records in the session.

    A session naming a backend that is not in AUTHENTICATION_BACKENDS belongs to nobody:
    every page would send the simulated user to the login page.
    """
    for path in settings.AUTHENTICATION_BACKENDS:
        if issubclass(import_string(path), ModelBackend):
            return path
    sys.exit("No backend in AUTHENTICATION_BACKENDS checks passwords.")


def open_sessions(user, count: int) -> list[str]:
    """Sessions as `django.contrib.auth.login` leaves them."""
    keys = []
    backend = password_backend()
    for _number in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def role_data(user, rng: random.Random) -> dict:
    tasks = Task.objects.visible_to(user)
    task_ids = list(tasks.values_list("pk", flat=True))
    programme_ids = list(Programme.objects.visible_to(user).values_list("pk", flat=True))
    provinces = Province.objects.filter(agencies__tasks_led__in=tasks).values_list("pk", flat=True).distinct()
    return {
        "sessions": open_sessions(user, SESSIONS),
        "tasks": rng.sample(task_ids, min(SAMPLE, len(task_ids))),
        "programmes": rng.sample(programme_ids, min(SAMPLE, len(programme_ids))),
        "provinces": sorted(set(provinces)),
        "task_pages": max(2, len(task_ids) // PER_PAGE),
    }


def main() -> None:
    rng = random.Random(7)
    users = get_user_model().objects.in_bulk(list(ROLES.values()), field_name="username")
    missing = [name for name in ROLES.values() if name not in users]
    if missing:
        sys.exit(f"No user {', '.join(missing)}: run `manage.py load_demo` on this database first.")
    data = {role: role_data(users[username], rng) for role, username in ROLES.items()}
    path = Path(sys.argv[1])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    print(f"{path}: " + ", ".join(f"{role} {len(values['tasks'])} tasks" for role, values in data.items()))


if __name__ == "__main__":
    main()
