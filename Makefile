# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: install run worker serve test lint check messages clean bench bench-db bench-largest-report loadtest

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)

# Re-install whenever the dependencies in pyproject.toml change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet '.[dev]'
	@touch $@

install: $(VENV)/.installed

# The worker that draws long reports in the background (reports/background.py) runs beside the
# development server and stops with it. `make run HOST=0.0.0.0:8000` serves the local network; links in
# e-mails and the allowed host names follow HOST (coop/settings.py, served_at).
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py create_demo_certificate --if-missing >/dev/null
	$(BIN)/python manage.py load_demo
	export DEBUG=1 DEV_SERVER_ADDRESS=$(HOST); \
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

# The report worker alone (production runs one or more beside the application servers: docs/deploy.md).
worker: install
	$(BIN)/python manage.py db_worker

# The production configuration (coop/settings_production.py) under gunicorn, on PostgreSQL:
# reads SECRET_KEY, DATABASE_URL and the rest from the environment or from a .env file.
# On loopback there is no TLS and no proxy, so HTTPS=0 and PROXY_COUNT=0 unless set.
SERVE_ENV = DJANGO_SETTINGS_MODULE=coop.settings_production HTTPS=$${HTTPS:-0} PROXY_COUNT=$${PROXY_COUNT:-0} \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/coop}
serve: install
	@set -a; [ ! -f .env ] || . ./.env; set +a; \
	export $(SERVE_ENV); \
	$(BIN)/python manage.py check --deploy && \
	$(BIN)/python manage.py migrate --no-input && \
	$(BIN)/python manage.py createcachetable && \
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0 && \
	exec $(BIN)/gunicorn coop.wsgi:application --config gunicorn.conf.py

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Regenerate the Vietnamese catalogue after changing strings; the compiled .mo is committed
# so that a machine without GNU gettext still shows Vietnamese.
messages: install
	$(BIN)/python manage.py makemessages --locale vi --no-obsolete --ignore '.venv/*' --ignore 'tests/*'
	$(BIN)/python manage.py compilemessages --locale vi --ignore '.venv/*'

# Benchmarks on PostgreSQL with the national synthetic set (docs/benchmarks.md). Not part of `make test`.
BENCH_DB ?= coop_bench
BENCH_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
BENCH_ARGS ?=

# The benchmark database: created, migrated, filled with the national set and the demo when missing.
bench-db: install
	@psql "$(BENCH_URL)" -c "SELECT 1" >/dev/null 2>&1 || createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	DATABASE_URL=$(BENCH_URL) $(BIN)/python manage.py migrate --no-input
	DATABASE_URL=$(BENCH_URL) $(BIN)/python manage.py generate_synthetic --scale national --force --if-missing
	DATABASE_URL=$(BENCH_URL) $(BIN)/python manage.py load_demo >/dev/null

bench: bench-db
	DATABASE_URL=$(BENCH_URL) $(BIN)/python tests/bench/bench_lists.py
	DATABASE_URL=$(BENCH_URL) $(BIN)/python tests/bench/bench_page_sizes.py
	DATABASE_URL=$(BENCH_URL) $(BIN)/python tests/bench/bench_pages.py $(BENCH_ARGS)
	DATABASE_URL=$(BENCH_URL) $(BIN)/python tests/bench/bench_reminders.py
	DATABASE_URL=$(BENCH_URL) $(BIN)/python tests/bench/bench_exports.py
	DATABASE_URL=$(BENCH_URL) $(BIN)/python tests/bench/bench_imports.py
	DATABASE_URL=$(BENCH_URL) $(BIN)/python tests/bench/bench_open_data.py
	DATABASE_URL=$(BENCH_URL) $(BIN)/python tests/bench/bench_api.py
	$(BIN)/python tests/bench/bench_cold_start.py

# The review report of the largest programme (6,212 tasks), issued as the worker issues it, on a copy of the
# benchmark database (it files the report): its time, pages and peak memory.
bench-largest-report: bench-db
	createdb -h 127.0.0.1 -U postgres -T $(BENCH_DB) $(BENCH_DB)_reports 2>/dev/null || true
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB)_reports \
		$(BIN)/python tests/bench/bench_reports.py --programme SYN-NTMN-2016-2025

# gunicorn (cores + 1 workers, see docs/benchmarks.md) on 127.0.0.1:8001 over the benchmark database, and locust:
# 50 logged-in users browsing for 60 s, three runs. WORKERS=, USERS=, DURATION=, RUNS= change them.
loadtest: bench-db
	DATABASE_URL=$(BENCH_URL) BIN=$(BIN) tests/bench/loadtest.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
