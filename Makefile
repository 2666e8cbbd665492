# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest runs one worker more than the cores (pytest-xdist), each with its own throwaway
# PostgreSQL: about a third of the suite's time is spent waiting on servers and the browser.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))

.PHONY: run test lint typecheck pytest bench bench-smoke fuzz demo clean install install-test \
	lock stats messages

# Installs come from the lock files only (pinned, hash-checked); `make lock` refreshes them
# from pyproject.toml, keeping every pin it can (`make lock LOCK_ARGS=--upgrade` bumps all).
# uv puts them in (in about 3 s where pip took about 65 s); pip installs uv itself, hash-checked.
RUN_LOCK := requirements/run.txt
TEST_LOCK := requirements/test.txt
INSTALLER_LOCK := requirements/installer.txt
LOCK_FLAGS := --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' $(LOCK_ARGS)
UV := $(BIN)/uv
UV_PIP = $(UV) pip $(1) --quiet --python $(BIN)/python

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): $(BIN)/python $(INSTALLER_LOCK)
	$(BIN)/pip install --quiet --require-hashes -r $(INSTALLER_LOCK)
	touch $@

# $(1): the lock file. The project itself has no hash, so it goes in alone, without deps, built
# by the locked setuptools; `uv pip check` then fails on anything pyproject.toml asks for that
# the lock files miss.
define install_locked
	$(call UV_PIP,install) --require-hashes -r $(1)
	$(call UV_PIP,install) --no-deps --no-build-isolation -e .
	$(call UV_PIP,check) || { echo "the lock files miss a dependency of pyproject.toml: run make lock"; \
		exit 1; }
endef

$(VENV)/.installed: $(UV) $(RUN_LOCK) pyproject.toml
	$(call install_locked,$(RUN_LOCK))
	touch $@

$(VENV)/.installed-test: $(UV) $(TEST_LOCK) pyproject.toml
	$(call install_locked,$(TEST_LOCK))
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# test.txt first (runtime, test and bench extras), then run.txt held to the same pins; the
# installer's own lock last.
lock: $(UV)
	$(UV) pip compile $(LOCK_FLAGS) --extra test --extra bench \
		pyproject.toml requirements/build.in -o $(TEST_LOCK)
	$(UV) pip compile $(LOCK_FLAGS) -c $(TEST_LOCK) \
		pyproject.toml requirements/build.in -o $(RUN_LOCK)
	$(UV) pip compile $(LOCK_FLAGS) requirements/installer.in -o $(INSTALLER_LOCK)

run: install
	$(BIN)/aidtrail serve --host $(HOST) --port $(PORT)

test: install-test lint typecheck pytest

lint: install-test
	$(BIN)/ruff check domain application infrastructure interfaces tests bench

typecheck: install-test
	$(BIN)/mypy

pytest: install-test
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python -m bench.run

bench-smoke: install-test
	$(BIN)/python -m bench.run --smoke

fuzz: install-test
	AIDTRAIL_FUZZ_EXAMPLES=500 $(BIN)/python -m pytest tests/api/test_fuzz.py tests/api/test_fuzz_views.py $(PYTEST_ARGS)

demo: install
	$(BIN)/aidtrail demo load --tokens
	$(BIN)/aidtrail serve --host $(HOST) --port $(PORT)

# The workspace's catalogs: extracts the message ids (babel.cfg) into var/messages.pot and
# merges them into both catalogs, keeping translations; lists what Vietnamese still lacks.
messages: install-test
	$(BIN)/python -m interfaces.web.catalogs

stats: $(BIN)/python
	$(BIN)/python -m bench.stats

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
