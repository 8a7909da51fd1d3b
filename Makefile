# Two commands on a fresh machine: `make demo`, then `make test`.
# Both create .venv from requirements.lock on first use (only Python 3.11, pip and make needed).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast lint bench lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/povmon demo

# The full suite CI runs: the checks below, then every test (browser, crash, Dask and server tests included).
test: lint
	$(BIN)/python -m pytest -q

# Unit tests and integration tests of the tasks on small stores: no flow under the Prefect engine, no browser,
# crash, Dask, server or command-line run.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser and not dask and not flow"

# Lint (ruff), the import floors and no cycles (import-linter), declared = used dependencies (deptry).
lint: $(STAMP)
	$(BIN)/ruff check core flows tasks povmon tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/deptry .

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

# Re-pin after editing requirements.in.
lock: $(STAMP)
	$(BIN)/pip install -q pip-tools
	$(BIN)/pip-compile -q --strip-extras --no-header --no-emit-index-url --no-emit-find-links -o requirements.lock requirements.in

clean:
	rm -rf $(VENV) data out demo .prefect
