"""Shared test fixtures: paths of the repository and a headless matplotlib."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo() -> Path:
    return REPO


SCHEDULE_KEY = "schedule-test"


def write_notebook(path: Path, cells: list[str], parameters: str) -> Path:
    """A small test notebook: a purpose paragraph, a parameters cell, then `cells`."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Essai\n\nNotebook de test."), params,
                      *(nbformat.v4.new_code_cell(source) for source in cells)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    return path


@pytest.fixture(scope="session")
def demo_processed(tmp_path_factory) -> Path:
    """The shipped demo data prepared once per test process (with the schedule's key), for the tests of the site,
    the schedule and the background tests (one xdist group, so once in all)."""
    from am_analytics import paths
    from am_analytics.loading import load

    processed = tmp_path_factory.mktemp("demo_processed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AM_ANALYTICS_KEY", SCHEDULE_KEY)
        load(paths.raw_dir(), processed)
    return processed


@pytest.fixture(scope="session")
def schedule_batch(tmp_path_factory, demo_processed):
    """One scheduled run, as a user types it, shared by the schedule's tests and the browser test (both in the
    xdist group « batch », so it runs once): two regions (one overseas, code 01), the site, and two notebooks —
    the committed regional dashboard and a test notebook that prints the region it received and fails on purpose
    for region 84. Returns the finished process and the run's folder."""
    import shutil
    import subprocess
    import sys

    processed = demo_processed
    notebooks = tmp_path_factory.mktemp("batch_notebooks")
    shutil.copy(REPO / "notebooks" / "02_tableau_de_bord_regional.ipynb", notebooks)
    write_notebook(notebooks / "99_essai.ipynb",
                   ["print(repr(region), type(region).__name__)",
                    'if region == "84":\n    raise RuntimeError("échec voulu pour la région 84")',
                    'print("fin")'],
                   "data_dir = None\nprocessed_dir = None\nas_of = None\nregion = None")
    out = tmp_path_factory.mktemp("batch_runs")
    env = {**os.environ, "AM_ANALYTICS_KEY": SCHEDULE_KEY}
    env.pop("AM_ANALYTICS_SCHEDULED", None)
    result = subprocess.run(
        [sys.executable, "-m", "am_analytics.schedule", "--regions", "01,84", "--notebooks", "02,99",
         "--notebooks-dir", str(notebooks), "--processed-dir", str(processed), "--out", str(out),
         "--workers", "2", "--timeout", "120"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    return result, out / "2025-06-30"
