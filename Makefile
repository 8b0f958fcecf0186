# milresearch — run `make help` for the targets. The first two are all most people need.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
PYTHON ?= python3
UV     := $(shell command -v uv 2>/dev/null)
ARGS   ?=
# pytest-xdist workers: one per core (`make test TEST_JOBS=0` runs in one process, to debug).
TEST_JOBS ?= auto

## Build the environment, clean the raw data and render every country and regional report
reports: $(STAMP)
	$(BIN)/milresearch build $(ARGS)

## Run the test suite (installs Debian's chromium for the browser tests when it is missing)
test: $(STAMP) chromium
	$(PY) -m pytest -n $(TEST_JOBS) $(ARGS)

## Run the fast tests only: no kernels, no papermill, no browser
test-fast: $(STAMP)
	$(PY) -m pytest -n $(TEST_JOBS) -m "not slow" $(ARGS)

CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

## Install Debian's chromium and poppler-utils (browser tests drive chromium; PDF tests read pages with pdftoppm)
chromium:
	@{ test -x $(CHROMIUM) && command -v pdftoppm >/dev/null; } || { \
		echo "installing Debian's chromium and poppler-utils for the browser and PDF tests"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; }

## Create .venv and install the locked dependencies and the package (uv if present, else pip)
# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set, as on these machines,
# every kernel would otherwise recompile pandas and matplotlib from source (6.7 s vs 2.4 s).
env: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@if [ -n "$(UV)" ]; then \
		echo "installing with uv"; \
		$(UV) pip install --python $(PY) --no-deps --compile-bytecode -r requirements.lock && \
		$(UV) pip install --python $(PY) --no-deps -e .; \
	elif $(BIN)/pip install --quiet uv 2>/dev/null; then \
		echo "installing with uv (bootstrapped into $(VENV))"; \
		$(BIN)/uv pip install --python $(PY) --no-deps --compile-bytecode -r requirements.lock && \
		$(BIN)/uv pip install --python $(PY) --no-deps -e .; \
	else \
		echo "installing with pip"; \
		$(BIN)/pip install --no-deps -r requirements.lock && $(BIN)/pip install --no-deps -e .; \
	fi
	@touch $(STAMP)

# As root (containers, CI) Jupyter refuses to start without --allow-root; with no display there
# is no browser to open, so the server prints the address to open instead.
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root) $(if $(DISPLAY)$(BROWSER),,--no-browser)
LAB_ARGS ?=

## Start JupyterLab on this environment with the notebooks ready to run (LAB_ARGS="--port 8899")
lab: $(STAMP)
	@test -f data/processed/manifest.json || $(BIN)/milresearch clean
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_FLAGS) $(LAB_ARGS)

## Clean raw data into data/processed (Parquet tables and the cleaning log)
data: $(STAMP)
	$(BIN)/milresearch clean

## Regenerate the synthetic sample data in data/raw (bit-for-bit identical)
sample-data: $(STAMP)
	$(BIN)/milresearch sample-data

## Run the benchmarks; figures go to reports/bench/
bench: $(STAMP)
	$(PY) -m benchmarks.bench $(ARGS)

## Check formatting and lint with ruff, and types with mypy
lint: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

## Format the code with ruff
format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## Recompile requirements.lock from pyproject.toml (needs the network)
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
		--override overrides.txt -o requirements.lock

## Remove processed data and built reports (raw data is never touched)
clean:
	rm -rf data/processed/*.parquet data/processed/*.json data/processed/.clean-* data/processed/.cache
	rm -rf reports/html reports/notebooks reports/.build reports/bench

## Remove the environment too
distclean: clean
	rm -rf $(VENV)

## Show this help
help:
	@echo "milresearch — make targets:"
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(doc){split($$1,a,":"); printf "  %-12s %s\n", a[1], doc}; doc=""}' $(MAKEFILE_LIST)

.PHONY: reports test test-fast chromium env lab data sample-data bench lint format lock clean distclean help
