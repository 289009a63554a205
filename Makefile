# Kooperationsportal: `make run` serves the demo, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.package-lock.json
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint lock clean help bench-digest bench-pages bench-digest-national bench-national bench-markdown bench-letter bench-overview audit

help:
	@echo "make run    – installiert, migriert, lädt die Demo-Daten und startet das Portal"
	@echo "make test   – installiert und führt alle Prüfungen und Tests aus"
	@echo "make test-fast – wie make test, ohne Browser- und Celery-Worker-Tests (für zwischendurch)"
	@echo "make lock   – erneuert die Lock-Dateien unter requirements/"
	@echo "make audit  – prüft die Abhängigkeiten auf bekannte Schwachstellen (braucht Netz)"
	@echo "make bench-national – beides: Seiten und Zusammenfassung auf dem bundesweiten Datensatz"
	@echo "make bench-pages – Antwortzeiten und Durchsatz auf dem bundesweiten Datensatz (gunicorn, wrk)"
	@echo "make bench-overview – Mein Überblick und Aktivitäten einer Dezernentin auf dem bundesweiten Datensatz"
	@echo "make bench-digest-national – Zusammenfassung für 100.000 mit zwei Celery-Workern auf Redis"
	@echo "make bench-digest – misst die wöchentliche Zusammenfassung für 10.000 Empfänger:innen"
	@echo "make bench-markdown – misst das Rendern von Markdown, auch der bekannten schlimmsten Eingaben"
	@echo "make bench-letter – misst den Brief einer gemeinsamen Position als PDF (fünf Seiten)"

$(STAMP): requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 oder neuer wird benötigt.")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP) $(NODE_STAMP)

run: install
	@mkdir -p var
	@# runserver serves each request in a thread of its own: persistent connections would stay
	@# open per thread (gunicorn's few workers keep theirs, CONN_MAX_AGE in settings.py).
	@export DEBUG=$${DEBUG:-true} MFA_REQUIRED=$${MFA_REQUIRED:-false} \
		CONN_MAX_AGE=$${CONN_MAX_AGE:-0}; \
	$(BIN)/python manage.py migrate --no-input -v 0 && \
	$(BIN)/python manage.py load_demo_data && \
	echo "Das Portal läuft auf http://$(HOST):$(PORT)/ (beenden mit Strg+C)." && \
	$(BIN)/python manage.py runserver --skip-checks $(HOST):$(PORT)

# pytest-xdist: one process per core, each with its own test database (pytest-django) and Redis
# database (tests/settings.py); tests of one xdist_group run in the same process, one at a time.
# TEST_WORKERS=0 runs everything in this one process.
TEST_WORKERS ?= auto
PYTEST_XDIST := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadgroup)

test:
	@mkdir -p var
	@$(PYTHON) scripts/test_backends.py var/test-backends.env
	@$(MAKE) --no-print-directory install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@set -a; source var/test-backends.env; set +a; \
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=tests.settings && \
	$(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

# The edit loop: everything but the browser tests and the tests that run a Celery worker.
test-fast:
	@$(MAKE) --no-print-directory test PYTEST_ARGS='-m "not browser and not worker" $(PYTEST_ARGS)'

# Fails on a known vulnerability, and (--strict) on any package it could not look up.
audit: install
	$(BIN)/uv tool run --from pip-audit==2.10.1 pip-audit --strict --disable-pip --no-deps \
		-r requirements/base.txt
	npm audit --omit=dev --audit-level=low

bench-digest: install
	$(BIN)/python bench/digest.py

bench-markdown: install
	$(BIN)/python bench/markdown.py

bench-letter: install
	$(BIN)/python bench/letter.py

bench-pages: install
	$(BIN)/python bench/pages.py

bench-overview: install
	$(BIN)/python bench/overview.py

bench-digest-national: install
	$(BIN)/python bench/digest_celery.py

bench-national: bench-pages bench-digest-national

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock: install
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --quiet -o requirements/base.txt
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --quiet -o requirements/dev.txt

clean:
	rm -rf $(VENV) node_modules var/static var/test.sqlite3 var/test-backends.env
