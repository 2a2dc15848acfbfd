# Two commands matter: `make run` and `make test`. Everything they need is installed from here.
SHELL := /bin/bash
PY_SYS ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KELISIM := $(VENV)/bin/kelisim
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
KELISIM_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export KELISIM_TEST_POSTGRES_URL
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH_SCALE ?= region

.PHONY: run setup install install-dev messages compile-messages lint test test-sqlite test-postgres conformance chromium postgres pgbouncer bench prod-check soak clean

run: setup ## set up everything, then serve http://127.0.0.1:8000 on SQLite with the demo
	$(KELISIM) runserver $(HOST):$(PORT)

setup: install compile-messages
	$(KELISIM) migrate --no-input
	$(KELISIM) sync_roles
	$(KELISIM) load_territories
	$(KELISIM) load_instruments
	$(KELISIM) load_demo

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PY_SYS) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install -q -c requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

compile-messages: install
	cd kelisim && ../$(KELISIM) compilemessages -v0

messages: install ## refresh the kk and ru catalogues from the code
	cd kelisim && ../$(KELISIM) makemessages -l kk -l ru --no-obsolete --no-location -i 'locale_django/*' -i conftest.py -i '*/tests/*'

chromium: ## Debian packages the tests use: Chromium (never `playwright install`), poppler, Pango for WeasyPrint
	@missing=""; test -x /usr/bin/chromium || missing="$$missing chromium"; \
	  command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	  ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	  if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi

postgres: ## start the local PostgreSQL when it is installed and down
	@$(PY) -c "import psycopg,os; psycopg.connect(os.environ['KELISIM_TEST_POSTGRES_URL'], connect_timeout=3).close()" 2>/dev/null \
	  || { ls /etc/postgresql >/dev/null 2>&1 && $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start || true; sleep 2; }

lint: install-dev compile-messages
	$(VENV)/bin/ruff check kelisim tools bench
	$(VENV)/bin/ruff format --check kelisim tools bench
	$(PY) tools/check_messages.py
	$(VENV)/bin/mypy kelisim
	DJANGO_SETTINGS_MODULE=kelisim.settings.test $(KELISIM) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=kelisim.settings.test $(KELISIM) spectacular --validate --fail-on-warn --file /dev/null
	$(VENV)/bin/lint-imports
	$(VENV)/bin/bandit -q -c pyproject.toml -r kelisim -x kelisim/conftest.py

test-sqlite: install-dev compile-messages chromium
	env -u DATABASE_URL $(VENV)/bin/pytest -q -n 2

test-postgres: install-dev compile-messages chromium postgres
	@if $(PY) -c "import psycopg,os; psycopg.connect(os.environ['KELISIM_TEST_POSTGRES_URL'], connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(KELISIM_TEST_POSTGRES_URL) $(VENV)/bin/pytest -q -n 2 && $(PY) tools/soak.py --quick; \
	else \
	  echo; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!!! SKIPPED: no PostgreSQL at $$KELISIM_TEST_POSTGRES_URL; the suite ran on SQLite only"; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; echo; \
	fi

test: lint test-sqlite test-postgres ## linters, then the whole suite on SQLite and on PostgreSQL

FUZZ_EXAMPLES ?= 100
conformance: install-dev compile-messages ## Schemathesis over every API operation, FUZZ_EXAMPLES per operation and mode, on SQLite
	env -u DATABASE_URL KELISIM_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -q -n 0 -p no:cacheprovider \
	  kelisim/tests/test_api_schema_fuzz.py

bench: install-dev compile-messages postgres ## the benchmarks on SQLite and PostgreSQL (BENCH_SCALE=small|region|national)
	BENCH_SCALE=$(BENCH_SCALE) $(PY) -m bench

pgbouncer: ## Debian's PgBouncer, which prod-check puts between two application servers and PostgreSQL
	@command -v pgbouncer >/dev/null || test -x /usr/sbin/pgbouncer || { echo "Installing Debian packages: pgbouncer"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq pgbouncer >/dev/null; }

prod-check: install compile-messages postgres pgbouncer ## serve with gunicorn and production settings (also through PgBouncer), and try it
	$(PY) tools/prod_check.py

soak: install compile-messages postgres ## the full load and fault experiments; figures to docs/reliability.md
	$(PY) tools/soak.py --full

clean:
	rm -rf $(VENV) var
