# am_analytics — every target a user needs; `make help` lists them.
# The virtual environment lives in .venv and is (re)installed whenever pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The Jupyter kernel the notebooks name (metadata kernelspec « am_analytics »), registered in the venv itself
# (--sys-prefix) by every target that installs it, so that `papermill notebooks/02_….ipynb out.ipynb -p region
# Occitanie` works right after `make report` or `make test`, without `make lab` first.
KERNEL_NAME := am_analytics
KERNEL := $(VENV)/share/jupyter/kernels/$(KERNEL_NAME)/kernel.json
ARGS   ?=
CHROMIUM ?= /usr/bin/chromium
# make lab on a server: HOST (address to listen on; then no browser is opened), PORT, and any other JupyterLab option
# in LAB_ARGS, e.g. make lab HOST=0.0.0.0 PORT=8888, or make lab LAB_ARGS="--no-browser --ip 0.0.0.0 --port 8888"
HOST     ?=
PORT     ?=
LAB_ARGS ?=
LAB_USER_ID ?= $(shell id -u)

.DEFAULT_GOAL := help
.PHONY: help venv browser report test lab demo prepare bench lint clean

help: ## List every target with one line each
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,notebooks]'
	@touch $(STAMP)

$(KERNEL): $(STAMP)
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL_NAME) --display-name "Python (am_analytics)"

venv: $(STAMP) $(KERNEL) ## Create .venv if missing, install the package with all its extras and its Jupyter kernel

report: $(STAMP) $(KERNEL) ## Write the PDF report from data/raw (options: make report ARGS="--region 84")
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

test: $(STAMP) $(KERNEL) browser ## Run the whole test suite (in parallel, one worker per core), browser test included
	$(PY) -m pytest -n auto --dist loadgroup $(ARGS)

# As root (a container, a CI machine) JupyterLab refuses to start without --allow-root: it is added, with a note.
lab: $(STAMP) $(KERNEL) ## Open JupyterLab on the notebooks (server: make lab HOST=0.0.0.0 PORT=8888, or LAB_ARGS="...")
	@options="$(if $(HOST),--ip $(HOST) --no-browser)$(if $(PORT), --port $(PORT))"; \
	if [ "$(LAB_USER_ID)" = 0 ]; then \
	  echo "Note : JupyterLab lancé en root, avec --allow-root ; sur une machine partagée, préférer un compte ordinaire."; \
	  options="$$options --allow-root"; \
	fi; \
	echo "$(VENV)/bin/jupyter lab notebooks/ $$options $(LAB_ARGS)"; \
	$(VENV)/bin/jupyter lab notebooks/ $$options $(LAB_ARGS)

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
