# Strategic Partnering Platform. Quick start: `make run` (serve the demo) and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export PYTHONDONTWRITEBYTECODE := 1
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
MANAGE := $(UV) run --locked python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run serve worker test test-fast lint format bench faults haproxy browser pdflibs clean audit

.tools/bin/uv:
	python3 -m venv .tools && .tools/bin/pip install --quiet "uv==0.13.9"

# After setup `.tools/bin/uv` always exists (a link to the machine's uv when it has one), so the
# README's `.tools/bin/uv run ...` lines work as written on any machine.
setup: $(if $(findstring .tools,$(UV)),.tools/bin/uv) pdflibs  ## venv + locked install
	$(UV) sync --locked --quiet
	@[ -e .tools/bin/uv ] || { mkdir -p .tools/bin && ln -s "$(UV)" .tools/bin/uv; }

# WeasyPrint (the assurance room's review reports as PDF) needs Pango and its friends from Debian.
pdflibs:  ## Debian's Pango libraries for WeasyPrint, when missing
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then \
		echo "Installing Debian's Pango libraries for WeasyPrint (PDF review reports)"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation >/dev/null; fi; \
	fi

run: setup  ## migrate, import the real data, load the demo, serve on http://127.0.0.1:8000 with the task worker
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) import_organisations
	$(MANAGE) load_demo
	@echo "Serving the Strategic Partnering Platform at http://$(HOST):$(PORT)/ with the background task worker (Ctrl+C stops both)"
	@echo "Demo sign-ins (password partnering-demo): staff, adviser, worcs, northyorks"
	@$(MAKE) --no-print-directory serve

# The demo shows the service's own 404 and 500 pages (DEBUG off); `RUN_DEBUG=true make run`
# for Django's debug pages. The web server and the worker share this shell's process group:
# Ctrl+C reaches both, and the worker is stopped whenever the web server ends. The web server
# does not reload on code changes (one process, not a reloader and its child: a child restarted
# just after Ctrl+C never heard it, and `make` waited for ever); develop with `manage.py runserver`.
RUN_DEBUG ?= false
serve:  ## serve and run background tasks in one process group (no migrate or demo load)
	@export DEBUG=$(RUN_DEBUG); \
	.venv/bin/python manage.py db_worker --no-reload --no-startup-delay -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	.venv/bin/python manage.py runserver --noreload $(HOST):$(PORT)

worker: setup  ## run background tasks on their own (django-tasks database backend)
	$(MANAGE) db_worker

browser:  ## Debian's Chromium for the browser tests (Playwright cannot download browsers here)
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; \
	fi

# pytest exits 5 when it collects no tests: say so rather than fail.
# TEST_WORKERS: pytest-xdist processes (`auto`: one per core; 0 runs in this process). Each worker
# has its own test database (test_<name>_gw0, …; SQLite in memory) and its own live server.
TEST_WORKERS ?= auto
PYTEST = $(UV) run --locked pytest -q $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist worksteal) $(PYTEST_ARGS)
NO_TESTS_OK = || { rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests were collected"; else exit $$rc; fi; }

test: setup browser  ## the whole suite, browser tests included, in parallel (TEST_WORKERS=auto)
	$(PYTEST) $(NO_TESTS_OK)

test-fast: setup  ## everything but the browser journeys
	$(PYTEST) -m "not browser" $(NO_TESTS_OK)

lint: setup
	$(UV) run --locked ruff check .
	$(UV) run --locked ruff format --check .
	$(UV) run --locked lint-imports
	$(UV) run --locked mypy
	$(MANAGE) makemigrations --check --dry-run

# pip-audit on every locked package; fails on a known vulnerability without an accepted, dated
# exception in .ci/audit-exceptions.toml; says SKIPPED when no vulnerability service answers.
audit: setup  ## dependency audit of uv.lock (pip-audit)
	$(UV) run --locked python scripts/dependency_audit.py

format: setup
	$(UV) run --locked ruff format .
	$(UV) run --locked ruff check --fix .

bench: setup  ## benchmarks (PostgreSQL on 127.0.0.1:5432 or BENCH_PG_ADMIN_URL); writes docs/benchmarks.md; BENCH_ARGS=--quick
	$(UV) run --locked python bench/run.py $(BENCH_ARGS)

haproxy:  ## Debian's HAProxy for `make faults`, when missing
	@if [ ! -x /usr/sbin/haproxy ]; then \
		echo "Installing Debian's haproxy for the faults run"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq haproxy >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq haproxy >/dev/null; fi; \
	fi

# Two gunicorn servers behind HAProxy, a task worker, PostgreSQL; faults injected under load
# (docs/reliability.md). Restarts the PostgreSQL server on 127.0.0.1 (it drops every session's
# connections for a moment): FAULTS_ARGS=--no-db-restart on a shared machine.
FAULTS_ARGS ?=
faults: setup haproxy  ## faults under load on a two-server deployment; FAULTS_ARGS=--no-db-restart
	$(UV) run --locked python bench/cluster.py $(FAULTS_ARGS)

clean:
	rm -rf var .venv .tools
