# am_analytics — every target a user needs; `make help` lists them.
# The virtual environment lives in .venv and is (re)installed whenever pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
ARGS   ?=

.DEFAULT_GOAL := help
.PHONY: help venv report test lab demo prepare bench lint clean

help: ## List every target with one line each
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,notebooks]'
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv if missing and install the package with all its extras

report: $(STAMP) ## Write the PDF report from data/raw (options: make report ARGS="--region 84")
	$(PY) -m am_analytics.report $(ARGS)

test: $(STAMP) ## Run the whole test suite (in parallel, one worker per core)
	$(PY) -m pytest -n auto $(ARGS)

lab: $(STAMP) ## Open JupyterLab with a kernel registered for this environment
	$(PY) -m ipykernel install --sys-prefix --name am_analytics --display-name "Python (am_analytics)"
	$(VENV)/bin/jupyter lab notebooks/

demo: $(STAMP) ## Regenerate the synthetic demo data in data/raw (deterministic)
	$(PY) -m am_analytics.demo $(ARGS)

prepare: $(STAMP) ## Clean data/raw into data/processed (Parquet, manifest, quarantine)
	$(PY) -m am_analytics.prepare $(ARGS)

bench: $(STAMP) ## Print the benchmarks: ingest vs pyarrow, scaling to 10 M rows, indicators, report, schedule (ARGS="--quick")
	$(PY) benchmarks/bench.py $(ARGS)

lint: $(STAMP) ## Check style with ruff
	$(VENV)/bin/ruff check am_analytics tests

clean: ## Remove outputs (processed data, reports, executed notebooks); never data/raw
	find data/processed -mindepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
	rm -rf reports runs .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +
