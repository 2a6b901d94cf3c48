# ledgerbridge: the two commands of the README are `make run` and `make test`.
# Everything below installs from the project's own files (pyproject.toml + uv.lock,
# assets.lock.json, Debian packages) so that a fresh Debian machine with only
# Python 3.11+, git and make gets a working hub and a green test suite.

PYTHON ?= python3
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

TEST_PG_URL ?= postgres://postgres@127.0.0.1:5432/ledgerbridge
DEBIAN_TEST_PACKAGES := chromium fonts-dejavu-core fonts-liberation

.PHONY: run test install install-test system-venv system-test-deps lint typecheck importlint \
	pytest pytest-postgres assets benchmark clean

## run: install the hub and run it on the embedded default (SQLite, files on disk, worker)
run: install
	$(VENV)/bin/ledgerbridge serve

## test: install what the tests need and run every gate and the whole suite
test: install-test lint typecheck importlint pytest pytest-postgres

install: system-venv $(UV)
	$(UV) sync --frozen --extra hub --extra postgres
	$(VENV)/bin/python -m ledgerbridge.hub.assets fetch

install-test: system-venv system-test-deps $(UV)
	$(UV) sync --frozen --all-extras
	$(VENV)/bin/python -m ledgerbridge.hub.assets fetch

# Debian splits venv/ensurepip out of python3; a fresh machine may not have it.
system-venv:
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq python3-venv >/dev/null; }

system-test-deps:
	@missing=""; for p in $(DEBIAN_TEST_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q "uv==$(UV_VERSION)"

lint:
	$(VENV)/bin/ruff check src tests benchmarks fuzz
	$(VENV)/bin/ruff format --check src tests benchmarks fuzz

typecheck:
	$(VENV)/bin/mypy

importlint:
	$(VENV)/bin/lint-imports

pytest:
	$(VENV)/bin/pytest --durations=20

# The hub suite again on PostgreSQL. It must fail, not skip, when the server is unreachable.
pytest-postgres:
	$(VENV)/bin/python -m ledgerbridge.hub.core.pgcheck "$(TEST_PG_URL)"
	LEDGERBRIDGE_TEST_DATABASE_URL="$(TEST_PG_URL)" $(VENV)/bin/pytest tests/hub -m "not browser" --durations=20

## benchmark: print the benchmark figures (ratios against baselines measured in the same run)
benchmark: install-test
	$(VENV)/bin/python benchmarks/formats.py
	$(VENV)/bin/python benchmarks/partner_space.py

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .ruff_cache .pytest_cache artifacts
