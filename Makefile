# SENDwise. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
GOVUK_FRONTEND_VERSION := 5.14.0
STAMP := $(VENV)/.installed
# One pytest worker per core (pytest-xdist): the tests are split between them in order (so a
# module's shared data is built about once) and an idle worker takes tests left to the other. `.venv/bin/pytest` alone runs in one process, in random
# order (pytest-randomly); `--randomly-seed=N` repeats an order, `-p no:randomly` turns it off.
PYTEST_PARALLEL ?= -n auto --dist worksteal
# Compiled modules (and pytest's assert-rewritten tests) are kept between test runs under var/,
# never beside the sources, even where PYTHONDONTWRITEBYTECODE is set: compiling them afresh
# costs each worker about 12 CPU-seconds a run.
TEST_PYCACHE := $(CURDIR)/var/pycache

.PHONY: help setup run test test-fast lint format audit check-deploy backup bench demo clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

sendwise/static/govuk/.version-$(GOVUK_FRONTEND_VERSION): tools/build_frontend.py
	$(PYTHON) tools/build_frontend.py $(GOVUK_FRONTEND_VERSION)

setup: $(STAMP) sendwise/static/govuk/.version-$(GOVUK_FRONTEND_VERSION) ## Create .venv, install pinned dependencies, build GOV.UK Frontend assets
	@mkdir -p var

run: setup ## Set up, migrate, load the demo school if the database is empty, serve on 127.0.0.1:$PORT with a task worker
	$(PY) manage.py migrate --noinput
	$(PY) manage.py migrate --database tasks --noinput
	$(PY) manage.py load_demo --if-empty
	@$(PY) manage.py demo_signins
	@echo "Demo mode (SENDWISE_DEMO_MODE=1): the made-up demo accounts sign in without a second factor."
	@SENDWISE_DEMO_MODE=1 bash tools/run_with_worker.sh $(PY) 127.0.0.1:$(PORT)

test: setup ## Set up and run the whole test suite in parallel, in random order (browser tests need Debian's chromium-headless-shell)
	@if [ ! -x /usr/lib/chromium/chromium-headless-shell ] && [ ! -x /usr/bin/chromium ]; then \
	  echo "!!! Chromium is missing: the browser tests will be SKIPPED."; \
	  echo "!!! Install it with: apt-get update && apt-get install -y chromium-headless-shell"; \
	fi
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	@$(MAKE) --no-print-directory check-deploy
	PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(TEST_PYCACHE) $(VENV)/bin/pytest $(PYTEST_PARALLEL)

lint: setup audit ## ruff lint and format check, the supply-chain checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

audit: setup ## Known vulnerabilities in the pinned requirements (pip-audit) and committed secrets (detect-secrets)
	$(PY) tools/audit_requirements.py requirements.txt
	$(PY) tools/secret_scan.py

# The production settings with made-up values for what production must set (never used to serve).
check-deploy: setup ## `check --deploy` with the production settings: no warning allowed
	DJANGO_SETTINGS_MODULE=sendwise.settings_production \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=sendwise.example DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/var/check-deploy.sqlite3}" \
	  $(PY) manage.py check --deploy --fail-level WARNING

backup: setup ## Copy the embedded SQLite database to var/backups/ (while it is in use)
	$(PY) manage.py backup

format: setup ## ruff format
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup ## Print performance figures (benchmarks/)
	$(PY) benchmarks/register_page.py
	$(PY) benchmarks/import_pupils.py
	$(PY) benchmarks/recommend.py
	$(PY) benchmarks/impact.py --la-pupils 5000

clean: ## Remove the virtualenv, built assets and the embedded database
	rm -rf $(VENV) sendwise/static/govuk var
