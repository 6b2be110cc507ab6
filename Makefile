# The two commands of the set-up (README.md): `make run` serves the site, `make test` runs every test.
# Everything else here is a step those two need; each says what it is doing as it goes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST := $(PY) -m pytest
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
# CI sets REQUIRE_POSTGRES=1: then an unreachable PostgreSQL fails the run instead of skipping it.
REQUIRE_POSTGRES ?= 0
# The two-server test (test-scaleout) flushes this Redis database before and after it: give it
# one nothing else uses.
SCALEOUT_REDIS_URL ?= redis://127.0.0.1:6379/14
# Every dependency, runtime and test tools, pinned with its hashes (README, "Dependencies"):
# `make install` installs exactly this, `make lock` writes it anew from pyproject.toml.
LOCK := requirements/lock.txt
# The audit asks PyPI's vulnerability data. Unreachable, it is skipped with a warning; with
# REQUIRE_AUDIT=1 (CI's REQUIRE_POSTGRES=1 sets it too) that is a failure instead.
REQUIRE_AUDIT ?= $(REQUIRE_POSTGRES)
# Vulnerabilities judged not to apply: `--ignore-vuln ID` each (an alias such as a CVE works
# too), with the reason in a comment above it. None at the moment.
AUDIT_IGNORES :=

# Django 6 needs Python >= 3.12. Try an explicit $PYTHON, then the usual names, then every
# interpreter pyenv holds (newest first), and print the first one that is recent enough.
define FIND_PYTHON
for candidate in "$${PYTHON:-}" python3.14 python3.13 python3.12 python3 \
    $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.*/bin/python3 2>/dev/null | sort -rV); do \
  [ -n "$$candidate" ] || continue; \
  path=$$(command -v "$$candidate" 2>/dev/null) || continue; \
  if "$$path" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
    echo "$$path"; break; \
  fi; \
done
endef

# ensure_packages "CHECK" "DEBIAN PACKAGES" "WHAT": install with apt when CHECK fails and we are
# root; otherwise stop with the exact command to run.
define ENSURE_PACKAGES
ensure_packages() { \
  if eval "$$1" >/dev/null 2>&1; then return 0; fi; \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
    echo "==> Installing $$3 ($$2) with apt-get"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$2 >/dev/null; \
  else \
    echo "!! $$3 is missing. Install it, then run make again:"; \
    echo "   sudo apt-get update && sudo apt-get install -y $$2"; \
    exit 1; \
  fi; \
}
endef

.PHONY: help run test benchmark benchmark-reports install lock audit system-packages \
        browser-packages benchmark-packages scaleout-packages nginx-packages messages db static \
        lint migrations-check test-sqlite test-postgres test-browser test-scaleout \
        test-slowclients test-faults backup restore clean

help:
	@echo "make run   - set everything up and serve the site at http://$(HOST):$(PORT)/"
	@echo "make test  - lint, migration check, tests on SQLite and PostgreSQL, the production stack"
	@echo "            (two servers; slow clients behind nginx; database and Redis faults),"
	@echo "            browser tests"
	@echo "make benchmark - load-test every public page under production settings at 1x, 10x and"
	@echo "                 100x data against an empty view; prints the table (SCALES=\"1 10\" to choose)"
	@echo "make benchmark-reports - time the donation report PDF for 1,000 donations"
	@echo "make backup [INTO=DIR] - back up the database, media and private files (README,"
	@echo "                 \"Backups and restore\")"
	@echo "make restore FROM=DIR - restore a backup into an empty database and empty folders"
	@echo "make lock  - pin every dependency with its hashes anew ($(LOCK)) after editing"
	@echo "             pyproject.toml, or to take newer releases"

$(VENV)/.installed: pyproject.toml $(LOCK)
	@python=$$($(FIND_PYTHON)); \
	if [ -z "$$python" ]; then \
	  echo "!! No Python >= 3.12 found. Install one (e.g. 'pyenv install 3.13') or set PYTHON=/path/to/python3.12"; \
	  exit 1; \
	fi; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "==> Creating $(VENV) with $$python ($$($$python --version))"; \
	  rm -rf $(VENV); "$$python" -m venv $(VENV); \
	fi
	@echo "==> Installing the locked dependencies and test tools from $(LOCK) (hashes checked)"
	@$(PY) -m pip install --quiet --require-hashes --no-deps --requirement $(LOCK)
	@# The lock holds setuptools too, so the project builds with it rather than an unpinned one.
	@echo "==> Installing the project itself (editable; its dependencies are the lock's)"
	@$(PY) -m pip install --quiet --no-deps --no-build-isolation --editable .
	@if ! problems=$$($(PY) -m pip check); then echo "$$problems"; \
	  echo "!! $(LOCK) does not satisfy pyproject.toml: run 'make lock', then make again"; exit 1; fi
	@touch $@

install: $(VENV)/.installed

# For the interpreter `make install` picks (Python 3.13 on the project's machines): the markers
# of another version are not resolved. Indexes and find-links stay out of the file; the hashes
# are those of every file of each release pip may pick, on PyPI and on this machine's indexes.
# Not `lock: install`: a stale lock fails the install's check, and the lock is the cure. A
# venv whose install stopped at that check still has pip-compile.
lock:
	@[ -x $(VENV)/bin/pip-compile ] || $(MAKE) --no-print-directory install || [ -x $(VENV)/bin/pip-compile ]
	@echo "==> Pinning pyproject.toml's dependencies and test tools with their hashes into $(LOCK)"
	@$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras \
	  --no-emit-index-url --no-emit-find-links --upgrade --output-file $(LOCK) pyproject.toml
	@$(MAKE) --no-print-directory install

# Every locked release against PyPI's vulnerability data, the data pip-audit reads; our own
# tools/audit_lock.py because the PyPI these machines reach serves no per-release JSON, which
# pip-audit needs (it then skips every package and still says "no known vulnerabilities").
audit: install
	@echo "==> Auditing $(LOCK) against PyPI's vulnerability data"
	@status=0; $(PY) tools/audit_lock.py $(LOCK) $(AUDIT_IGNORES) || status=$$?; \
	if [ $$status = 3 ] && [ "$(REQUIRE_AUDIT)" != 1 ]; then \
	  echo "==> SKIPPED the audit (REQUIRE_AUDIT=1 makes this a failure; CI's REQUIRE_POSTGRES=1 sets it)"; \
	  status=0; \
	fi; \
	exit $$status

# What the site itself needs from the OS: gettext to compile the catalogues, Pango for
# WeasyPrint's PDFs and a Japanese font to embed in them.
system-packages:
	@$(ENSURE_PACKAGES); \
	ensure_packages "command -v msgfmt" "gettext" "GNU gettext (msgfmt)"; \
	ensure_packages "ldconfig -p | grep -q libpangoft2-1.0" "libpango-1.0-0 libpangoft2-1.0-0" "Pango (for PDF reports)"; \
	ensure_packages "fc-list :lang=ja | grep -q ." "fontconfig fonts-ipaexfont" "a Japanese font"

# What the tests need on top: poppler's pdftotext/pdffonts to read the PDFs back, and Debian's
# Chromium for the browser tests (Playwright cannot download one here).
browser-packages: system-packages
	@$(ENSURE_PACKAGES); \
	ensure_packages "command -v pdftotext && command -v pdffonts" "poppler-utils" "poppler-utils"; \
	ensure_packages "command -v chromium" "chromium" "Chromium"

messages: install system-packages
	@echo "==> Compiling the message catalogues (locale/)"
	@$(MANAGE) compilemessages --ignore=$(VENV) --ignore=var -v 0

db: install
	@echo "==> Migrating the database"
	@$(MANAGE) migrate --noinput -v 0
	@echo "==> Loading the seed documents' facts (insert-only: staff edits are kept)"
	@$(MANAGE) load_seed

static: install
	@echo "==> Collecting static files"
	@$(MANAGE) collectstatic --noinput -v 0

run: messages db static
	@echo "==> Starting the task worker (sends queued e-mails, retries failed ones)"
	@$(MANAGE) db_worker --no-reload --interval 2 -v 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	echo "==> Serving http://$(HOST):$(PORT)/ (Ctrl-C to stop)"; \
	$(MANAGE) runserver "$(HOST):$(PORT)"

# What the load test needs: wrk, the HTTP load generator.
benchmark-packages:
	@$(ENSURE_PACKAGES); \
	ensure_packages "command -v wrk" "wrk" "wrk (HTTP load generator)"

# Figures, not assertions (README, "Performance"): demo data at each scale, gunicorn under
# production settings on loopback, wrk at every public page, cache warm and cold, against an
# empty Django view served the same way. The table also goes to var/benchmark/latest.md.
SCALES ?= 1 10 100
BENCHMARK_DURATION ?= 5s
BENCHMARK_CONNECTIONS ?= 16
benchmark: install messages benchmark-packages
	@$(PY) tools/benchmark.py --scales "$(SCALES)" --duration "$(BENCHMARK_DURATION)" \
	  --connections "$(BENCHMARK_CONNECTIONS)"

# How long the donation report takes for 1,000 donations, against a trivial PDF rendered in the
# same run.
benchmark-reports: messages static
	@$(MANAGE) benchmark_reports

# README, "Backups and restore": the database, the media and the private files into one new
# folder under DJANGO_BACKUP_ROOT (var/backups) or INTO, with a manifest of SHA-256 checksums.
backup: install
	@$(MANAGE) backup $(if $(INTO),--into "$(INTO)")

# Into the database DATABASE_URL names and the media folders (or buckets), which must be empty;
# every checksum is verified before anything is written.
restore: install
	@if [ -z "$(FROM)" ]; then echo "!! Say which backup: make restore FROM=var/backups/hiratsuka-backup-…"; exit 1; fi
	@$(MANAGE) restore "$(FROM)"

lint: install
	@echo "==> ruff (lint, security rules and format)"
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@echo "==> lint-imports (the layering: site > donations | agreements > projects > core)"
	@out=$$($(VENV)/bin/lint-imports --no-cache 2>&1) || { echo "$$out"; exit 1; }; \
	echo "$$out" | grep '^Contracts:'

migrations-check: install
	@echo "==> makemigrations --check"
	@$(MANAGE) makemigrations --check --dry-run

test-sqlite: install messages browser-packages
	@echo "==> pytest on SQLite"
	@env -u DATABASE_URL $(PYTEST) -m "not browser and not scaleout and not slowclients and not faults"

test-postgres: install messages browser-packages
	@if $(PY) -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()' \
	    "$(TEST_DATABASE_URL)" 2>/dev/null; then \
	  echo "==> pytest on PostgreSQL ($(TEST_DATABASE_URL))"; \
	  DATABASE_URL="$(TEST_DATABASE_URL)" $(PYTEST) -m "not browser and not scaleout and not slowclients and not faults"; \
	elif [ "$(REQUIRE_POSTGRES)" = 1 ]; then \
	  echo "!! PostgreSQL is required but not reachable at $(TEST_DATABASE_URL)"; exit 1; \
	else \
	  echo "==> SKIPPED pytest on PostgreSQL: nothing reachable at $(TEST_DATABASE_URL)"; \
	  echo "    (set TEST_DATABASE_URL to a PostgreSQL you can create databases on)"; \
	fi

test-browser: install messages browser-packages
	@echo "==> Browser tests in headless Chromium"
	@env -u DATABASE_URL $(PYTEST) -m browser

# What the two-server test needs besides PostgreSQL: a Redis server (its S3-compatible server,
# moto's, comes with the test tools from pyproject.toml).
scaleout-packages:
	@$(ENSURE_PACKAGES); \
	ensure_packages "command -v redis-server" "redis-server" "Redis"

# README, "Several app servers": two gunicorn servers under production settings sharing one
# PostgreSQL (a database of their own, made from TEST_DATABASE_URL's and dropped after), one
# Redis database (SCALEOUT_REDIS_URL) and one S3-compatible server, driven over real HTTP.
test-scaleout: install messages scaleout-packages
	@echo "==> Two app servers sharing PostgreSQL, Redis and S3 ($(TEST_DATABASE_URL), $(SCALEOUT_REDIS_URL))"
	@env -u DATABASE_URL TEST_DATABASE_URL="$(TEST_DATABASE_URL)" \
	  SCALEOUT_REDIS_URL="$(SCALEOUT_REDIS_URL)" REQUIRE_POSTGRES="$(REQUIRE_POSTGRES)" \
	  $(PYTEST) -m scaleout tests/scaleout

# README, "Running it in production": nginx (Debian's) in front of gunicorn.
nginx-packages:
	@$(ENSURE_PACKAGES); \
	ensure_packages "command -v nginx || test -x /usr/sbin/nginx" "nginx-light" "nginx"

# The production stack on loopback (gunicorn behind deploy/nginx/portal.conf, SQLite of its own):
# a normal visitor is answered in under a second while 20 connections trickle their headers.
test-slowclients: install messages nginx-packages
	@echo "==> Slow clients against gunicorn behind nginx"
	@env -u DATABASE_URL REQUIRE_NGINX=1 $(PYTEST) -m slowclients tests/deploy

# README, "Behaviour under faults": a gunicorn server under production settings whose database
# (its own, made from TEST_DATABASE_URL's server and dropped after) is reached through a proxy
# the test controls, refused, black-holed and restarted; and a Redis server of the test's own,
# killed and started again.
test-faults: install messages scaleout-packages
	@echo "==> Database and Redis faults against a running server ($(TEST_DATABASE_URL))"
	@env -u DATABASE_URL TEST_DATABASE_URL="$(TEST_DATABASE_URL)" \
	  REQUIRE_POSTGRES="$(REQUIRE_POSTGRES)" $(PYTEST) -m faults tests/faults

TEST_STEPS := lint audit migrations-check test-sqlite test-postgres test-scaleout \
              test-slowclients test-faults test-browser

# The steps in turn, stopping at the first failure, then the time each one took.
test:
	@summary=""; \
	for step in $(TEST_STEPS); do \
	  started=$$(date +%s); \
	  $(MAKE) --no-print-directory $$step || exit 1; \
	  summary="$$summary\n    $$step: $$(( $$(date +%s) - started )) s"; \
	done; \
	printf "==> All checks passed. Time per step:%b\n" "$$summary"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find locale -name '*.mo' -delete
