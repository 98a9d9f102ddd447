# Back Office — `make run` to start, `make test` to check. See README.md.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
VENV := .venv
BO := $(VENV)/bin/backoffice
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install run serve demo test test-sqlite test-postgres lint format battery bench messages clean

$(UV):
	$(PYTHON) -m pip install --user --quiet uv || $(PYTHON) -m pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen --quiet

run: install
	$(BO) manage migrate --no-input
	$(BO) demo --if-missing
	$(BO) serve

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The whole suite on SQLite, then on PostgreSQL when one is reachable
# (DATABASE_URL, else 127.0.0.1:5432). BACKOFFICE_REQUIRE_POSTGRES=1 turns
# "not reachable" into a failure (CI does).
test: lint
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ] || $(VENV)/bin/python scripts/pg_ready.py "$(PG_URL)"; then \
		$(MAKE) --no-print-directory test-postgres; \
	elif [ "$$BACKOFFICE_REQUIRE_POSTGRES" = "1" ]; then \
		echo "PostgreSQL is required (BACKOFFICE_REQUIRE_POSTGRES=1) but not reachable"; exit 1; \
	else \
		echo "PostgreSQL not reachable: ran the suite on SQLite only"; \
	fi

test-sqlite: install
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres: install
	@echo "== test suite on PostgreSQL =="
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(VENV)/bin/pytest $(PYTEST_ARGS)

battery: install
	BACKOFFICE_BATTERY_FULL=1 $(VENV)/bin/pytest tests/battery $(PYTEST_ARGS)

# Benchmarks (bench/RESULTS.md). The anchors live in the "bench" dependency
# group (beancount, beanquery) and Debian's hledger, never in the product's
# dependencies. BENCH_QUICK=1 make bench: small sizes, for development.
bench: install
	$(UV) sync --frozen --quiet --group bench
	@command -v hledger >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get install -y -qq hledger >/dev/null 2>&1 || \
			{ apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq hledger >/dev/null 2>&1; } || \
			echo "hledger could not be installed: the hledger anchor is skipped"; \
		else \
			echo "hledger is missing and we are not root (apt-get install hledger): the hledger anchor is skipped"; \
		fi; }
	$(VENV)/bin/python -m bench
	$(VENV)/bin/python -m bench.ledger
	$(VENV)/bin/python -m bench.payroll

# Extract and compile the catalogues (needs GNU gettext); a scratch
# BACKOFFICE_HOME keeps the run from creating state next to the sources.
messages: install
	home=$$(mktemp -d) && cd src/backoffice && \
	BACKOFFICE_HOME=$$home ../../$(BO) manage makemessages -l vi -l en --no-obsolete \
		--ignore "*/tests/*" --ignore "*/migrations/*" && \
	BACKOFFICE_HOME=$$home ../../$(BO) manage compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
