# newsprism: `make run` analyses seeds/ with the offline profile; `make test` runs the test suite.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= warehouse/newsprism.duckdb
PROFILE ?= local
TORCH ?= torch==2.13.0

.PHONY: run test test-server test-fast lint typecheck check serve clean-db help

help:
	@echo "make run    - set up .venv, analyse seeds/ ($(PROFILE) profile) into $(DB), print the comparison"
	@echo "make test   - set up .venv if needed, run the test suite (CPU only, offline; under 10 minutes on 2 cores)"
	@echo "make test-server - the server tier: a real Prefect server, worker, schedules and the UI in Chromium"
	@echo "make serve  - a local Prefect server, the deployments in prefect.yaml and a worker (docs/prefect.md)"
	@echo "make lint   - ruff check and ruff format --check"
	@echo "make typecheck - mypy over flows/ tasks/ models/ warehouse/ newsprism/ (as installed)"
	@echo "make check  - lint, typecheck, test, test-server: what CI runs"

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY) (Python 3.11) on PATH, or run: make PY=/path/to/python3.11"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first, CPU build: an unpinned torch pulled in by a dependency would be a multi-GB CUDA download.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet "$(TORCH)" || $(BIN)/pip install --quiet "$(TORCH)" --index-url https://download.pytorch.org/whl/cpu
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsprism run seeds --profile $(PROFILE) --db $(DB)

test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not server"

# starts a real Prefect server on loopback; the UI test needs chromium (.ci/run installs it)
test-server: $(STAMP)
	$(BIN)/python -m pytest -q -m server

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not server"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/python scripts/typecheck.py

check: lint typecheck test test-server

# Prefect server + work pool + prefect.yaml's deployments + a worker, on loopback; Ctrl-C stops them. docs/prefect.md
serve: $(STAMP)
	$(BIN)/python scripts/serve.py $(if $(PORT),--port $(PORT))

clean-db:
	rm -f $(DB) $(DB).wal
