# The README's commands. Each sets up what it needs (virtualenv, packages, database).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Settings come from the environment; a local .env (see .env.example) is read if present.
ifneq (,$(wildcard .env))
include .env
export
endif

.PHONY: run test lint format bench setup install install-test db clean browser-tools lock messages

## run: install, create and migrate the database, load demo data, serve the admin
run: install messages db css-if-node
	DJANGO_SETTINGS_MODULE=registry.settings.dev $(MANAGE) seed_demo
	@echo ""
	@echo "Registry admin: http://$(HOST):$(PORT)/admin/  (demo logins and their password are listed above)"
	DJANGO_SETTINGS_MODULE=registry.settings.dev $(MANAGE) runserver $(HOST):$(PORT)

## test: install test packages, then lint and run the whole suite on real PostgreSQL
PYTEST_ARGS ?= --create-db
test: install-test messages browser-tools deploy-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=registry.settings.test $(BIN)/python -m registry.dbcheck
	$(BIN)/pytest $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium (Playwright never downloads a browser here)
# and inject axe-core from npm for the accessibility checks.
browser-tools: tests/browser/node_modules/.installed
	@command -v chromium >/dev/null || { \
	  echo "Installing Chromium for the browser tests (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

tests/browser/node_modules/.installed: tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $@

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: build the city-scale registry in its own database (if missing), print timings
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/registry_bench
BENCH = DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_SETTINGS_MODULE=registry.settings.dev
bench: install messages
	$(BENCH) $(BIN)/python -m registry.dbcheck
	$(BENCH) $(MANAGE) migrate --no-input -v0
	$(BENCH) $(MANAGE) seed_demo --size city --timing
	$(BENCH) $(MANAGE) bench_client_search
	$(BENCH) $(MANAGE) ingest_benchmark --dry-run
	$(BENCH) $(MANAGE) bench_reports
	$(BENCH) $(MANAGE) bench_dashboard
	$(BENCH) $(MANAGE) bench_admin_pages

## bench-need-to-know: the program-scoped readers' screens only (issue 13), ending with a
## Markdown table for docs/need-to-know.md (on the registry `make bench` built)
.PHONY: bench-need-to-know
bench-need-to-know: install messages
	$(BENCH) $(MANAGE) bench_admin_pages --role staff --role leader --role leader-largest \
		--role manager --markdown
## bench-load: the Clients list under load: gunicorn as deployed (deploy/gunicorn.conf.py)
## with production settings on loopback, `wrk` with 8, 16 and 64 connections, 30 s each
LOAD_CONNECTIONS ?= 8,16,64
LOAD_SECONDS ?= 30
LOAD = DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_SETTINGS_MODULE=registry.settings.production \
	DJANGO_SECRET_KEY=bench-load-only-not-a-secret DJANGO_ALLOWED_HOSTS=127.0.0.1 \
	WAGTAILADMIN_BASE_URL=http://127.0.0.1 STATIC_ROOT=$(CURDIR)/static
.PHONY: bench-load wrk-tool
bench-load: install wrk-tool
	$(LOAD) $(MANAGE) collectstatic --no-input -v0
	$(LOAD) $(MANAGE) bench_load --connections $(LOAD_CONNECTIONS) --duration $(LOAD_SECONDS)

wrk-tool:
	@command -v wrk >/dev/null || { \
	  echo "Installing wrk for the load test (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

## bench-audit: time the Audit Log at 3 million rows (in a scratch database)
.PHONY: bench-audit
bench-audit: install
	DJANGO_SETTINGS_MODULE=registry.settings.dev $(MANAGE) bench_audit_log --rows 3000000

db:
	DJANGO_SETTINGS_MODULE=registry.settings.dev $(BIN)/python -m registry.dbcheck
	DJANGO_SETTINGS_MODULE=registry.settings.dev $(MANAGE) migrate --no-input
	DJANGO_SETTINGS_MODULE=registry.settings.dev $(MANAGE) setup_roles
	DJANGO_SETTINGS_MODULE=registry.settings.dev $(MANAGE) setup_reports

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the locked requirements change.
$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/test.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.txt
	touch $@ $(VENV)/.installed-base

## messages: compile the translations (locale/*/LC_MESSAGES/django.po -> .mo, not committed)
# Django's compilemessages runs gettext's msgfmt (Debian/Ubuntu: apt-get install gettext).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
messages: $(MO_FILES)

locale/%.mo: locale/%.po | $(VENV)/.installed-base
	@command -v msgfmt >/dev/null || { \
	  echo "Installing gettext for msgfmt (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }
	DJANGO_SETTINGS_MODULE=registry.settings.dev $(MANAGE) compilemessages -v0 \
		--ignore=.venv --ignore='*node_modules*'

install: $(VENV)/.installed-base
install-test: $(VENV)/.installed-test

## lock: re-pin requirements/*.txt (with hashes) from pyproject.toml
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/base.txt pyproject.toml
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra test -o requirements/test.txt pyproject.toml

clean:
	rm -rf $(VENV) static

## Reports (issue 5) ---------------------------------------------------------------
.PHONY: css css-if-node bench-reports

## css: rebuild the Tailwind CSS (theme/static/css/dist/styles.css, committed) with npm
THEME_SRC := theme/static_src
css:
	cd $(THEME_SRC) && npm ci --no-audit --no-fund && npm run build

# Rebuild when Node is installed; without it the committed CSS is used as it is.
css-if-node:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) css; else echo "npm not found: using the committed CSS"; fi

## bench-reports: time the reports on the registry in DATABASE_URL (see docs/reports.md)
bench-reports: install db
	DJANGO_SETTINGS_MODULE=registry.settings.dev $(MANAGE) bench_reports

## deploy-lint: lint the Dockerfile and validate docker-compose.yml (no Docker engine needed)
.PHONY: deploy-lint
deploy-lint: install-test
	$(BIN)/hadolint Dockerfile
	@command -v docker-compose >/dev/null 2>&1 || { apt-get update -qq && \
		apt-get install -y -qq --no-install-recommends docker-compose >/dev/null; }
	POSTGRES_PASSWORD=ci-only REGISTRY_ENV_FILE=.env.example \
		docker-compose --env-file .env.example config -q
	sh -n deploy/entrypoint.sh
