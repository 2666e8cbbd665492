# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck pytest bench bench-smoke fuzz demo clean install install-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/aidtrail serve --host $(HOST) --port $(PORT)

test: install-test lint typecheck pytest

lint: install-test
	$(BIN)/ruff check domain application infrastructure interfaces tests bench

typecheck: install-test
	$(BIN)/mypy

pytest: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench.run

bench-smoke: install-test
	$(BIN)/python -m bench.run --smoke

fuzz: install-test
	AIDTRAIL_FUZZ_EXAMPLES=500 $(BIN)/python -m pytest tests/api/test_fuzz.py tests/api/test_fuzz_views.py $(PYTEST_ARGS)

demo: install
	$(BIN)/aidtrail demo load --tokens
	$(BIN)/aidtrail serve --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
