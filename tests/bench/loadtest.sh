#!/usr/bin/env bash
# The load test: gunicorn serving the application on 127.0.0.1 over DATABASE_URL (the national
# set, see `make loadtest`), and locust in headless mode: USERS logged-in users browsing for
# DURATION, RUNS times (3 by default) against the same server, each after a pause so that the
# machine settles. Prints the machine, its load before each run, and one line per run; leaves
# locust's CSV files in tests/bench/results/. Only loopback traffic; gunicorn is stopped when the
# script ends, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."

: "${DATABASE_URL:?DATABASE_URL must name the benchmark database}"
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8001}
# nproc + 1: measured best here (docs/benchmarks.md), against the usual 2 × cores + 1.
WORKERS=${WORKERS:-$(($(nproc) + 1))}
USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-10}
DURATION=${DURATION:-60s}
RUNS=${RUNS:-3}
RESULTS=tests/bench/results
mkdir -p "$RESULTS"

# The production settings (coop.wsgi's default), on loopback: no TLS, no proxy in front.
export DJANGO_SETTINGS_MODULE=coop.settings_production HTTPS=0 PROXY_COUNT=0
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING
SECRET_KEY=${SECRET_KEY:-$("$BIN/python" -c "import secrets; print(secrets.token_urlsafe(50))")}
export SECRET_KEY
"$BIN/python" manage.py collectstatic --no-input --verbosity 0
export LOADTEST_DATA=$RESULTS/loadtest-data.json
"$BIN/python" tests/bench/loadtest_setup.py "$LOADTEST_DATA"

"$BIN/gunicorn" coop.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --access-logfile /dev/null --error-logfile "$RESULTS/gunicorn.log" --pid "$RESULTS/gunicorn.pid" &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break
  sleep 0.2
done

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "== gunicorn: $WORKERS workers on 127.0.0.1:$PORT; locust: $USERS users for $DURATION, $RUNS runs"
for run in $(seq 1 "$RUNS"); do
  sleep 10
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  "$BIN/locust" -f tests/bench/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
    --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$DURATION" \
    --csv "$RESULTS/locust-w$WORKERS-run$run" --only-summary --stop-timeout 5 >/dev/null 2>&1 || true
  "$BIN/python" - "$RESULTS/locust-w$WORKERS-run${run}_stats.csv" "$run" "$load" <<'SUMMARY'
import csv, sys
path, run, load = sys.argv[1:]
row = next(row for row in csv.DictReader(open(path)) if row["Name"] == "Aggregated")
print(
    f"run {run} (load before {load}): {int(row['Request Count']):,} requests, {float(row['Requests/s']):.1f}/s, "
    f"median {row['50%']} ms, p95 {row['95%']} ms, p99 {row['99%']} ms, max {float(row['Max Response Time']):.0f} ms, "
    f"{row['Failure Count']} failures"
)
SUMMARY
done
