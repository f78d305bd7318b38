# am_analytics — every target a user needs; `make help` lists them.
# The virtual environment lives in .venv and is (re)installed whenever pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
ARGS   ?=
CHROMIUM ?= /usr/bin/chromium

.DEFAULT_GOAL := help
.PHONY: help venv browser report test lab demo prepare bench lint clean

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

# The browser test drives Debian's chromium through Playwright (a browser download by `playwright install` is not
# needed, and fails on machines without internet access). Installed when missing and this user may install it.
browser: ## Install headless Chromium (Debian package chromium) for the browser test, when missing
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif ! command -v apt-get >/dev/null; then echo "chromium absent (pas d'apt-get) : le test dans le navigateur sera ignoré"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium absent : le test dans le navigateur sera ignoré (installer : sudo apt-get install chromium)"; fi

test: $(STAMP) browser ## Run the whole test suite (in parallel, one worker per core), browser test included
	$(PY) -m pytest -n auto --dist loadgroup $(ARGS)

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
