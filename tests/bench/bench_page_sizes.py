"""The HTML size of every list page at 25 rows and of its filter form, on the national set (not a test).

For each list page, as Ministry staff (`bo.chuyenvien`) and as Thái Bình's department (`so.thaibinh`): the bytes of
the page, the bytes of its filter form (the `<form … aria-label>` of the filters) and of each of its fields, the number
of `<option>`s written, and the server-side time of a few requests (median, in-process with Django's test client). The
target of issue 20: a list page's HTML at most 80 KB at 25 rows. Reads only; writes nothing to the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coop_bench .venv/bin/python tests/bench/bench_page_sizes.py
    ... --runs 10            more requests per page for the time
    ... --only task          only the lists whose URL name contains this
    ... --fields             the size of each filter field too
    ... --json FILE          the figures as JSON as well

The database must hold the national set and the demo's users (`make bench-db`).
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop.settings")
# The test client talks to "testserver"; production settings would refuse that host.
os.environ["ALLOWED_HOSTS"] = ",".join(
    filter(None, [os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]"), "testserver"])
)
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from tests.helpers import list_views  # noqa: E402

USERS = {"ministry": "bo.chuyenvien", "province": "so.thaibinh"}
TARGET_BYTES = 80 * 1024
FILTER_FORM = re.compile(r'<form method="get" class="card card-body".*?</form>', re.DOTALL)
# One field of the filter form: from its label (or legend) to the next one.
FIELD_START = re.compile(r'<(?:label class="form-label[^"]*" for="id_(\w+)"|fieldset[^>]*>\s*<legend[^>]*>)')
MS = 1000


def field_sizes(form_html: str) -> dict[str, int]:
    """Bytes of each field of the filter form, by the id its label names (fieldsets by their order)."""
    starts = list(FIELD_START.finditer(form_html))
    sizes = {}
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(form_html)
        name = match.group(1) or f"fieldset{index}"
        sizes[name] = len(form_html[match.start() : end].encode())
    return sizes


def measure(client: Client, url: str, runs: int) -> dict:
    response = client.get(url)
    html = response.content.decode()
    form = FILTER_FORM.search(html)
    form_html = form.group(0) if form else ""
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * MS)
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "form_bytes": len(form_html.encode()),
        "options": html.count("<option"),
        "median_ms": statistics.median(times) if times else None,
        "fields": {name: size for name, size in field_sizes(form_html).items()},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="")
    parser.add_argument("--fields", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    User = get_user_model()
    results = []
    print(f"{'list':<22} {'user':<9} {'status':>6} {'page KB':>8} {'form KB':>8} {'options':>8} {'ms':>7}  target")
    for role, username in USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            print(f"no user {username}: load the demo (make bench-db)", file=sys.stderr)
            continue
        client = Client()
        client.force_login(user)
        for list_name in list_views():
            if args.only not in list_name:
                continue
            url = f"{reverse(list_name)}?per_page=25"
            client.get(url)  # warm-up: imports, templates, caches a page may fill
            figures = {"list": list_name, "user": role, **measure(client, url, args.runs)}
            results.append(figures)
            verdict = "ok" if figures["bytes"] <= TARGET_BYTES else "OVER"
            median = f"{figures['median_ms']:.0f}" if figures["median_ms"] is not None else "–"
            print(
                f"{list_name:<22} {role:<9} {figures['status']:>6} {figures['bytes'] / 1024:>8.1f} "
                f"{figures['form_bytes'] / 1024:>8.1f} {figures['options']:>8} {median:>7}  ≤ 80 KB {verdict}"
            )
            if args.fields:
                for name, size in sorted(figures["fields"].items(), key=lambda item: -item[1]):
                    print(f"{'':<32}{name:<24} {size / 1024:>8.1f} KB")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
