"""Shared test fixtures: paths of the repository and a headless matplotlib."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]
DEMO_AS_OF = "2025-06-30"  # the shipped demo data's last month-end


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


def _shared_folder(tmp_path_factory, name: str) -> Path:
    """A folder every xdist worker of this session sees (the parent of the workers' own temporary folders)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    return root / name


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory):
    """The shipped demo data prepared once per worker into its own folder (the default key), for the tests that
    read it and never change it: the presentation layer's and the report's."""
    from am_analytics import paths
    from am_analytics.loading import load

    return load(paths.raw_dir(), tmp_path_factory.mktemp("demo_data"))


@pytest.fixture(scope="session")
def demo_scope(demo_data):
    """France over every background at the demo data's last month-end (30 June 2025)."""
    from am_analytics.presentation.scope import Scope

    return Scope.open(data=demo_data, as_of=DEMO_AS_OF)


@pytest.fixture(scope="session")
def demo_results(demo_scope):
    """The national results of `demo_scope`, computed once per worker."""
    from am_analytics.presentation.results import NationalResults

    return NationalResults.of(demo_scope)


REPORT_REGIONS = ("01", "53", "06")  # Guadeloupe (overseas), Bretagne, and Mayotte (one département, small counts)


@pytest.fixture(scope="session")
def demo_reports(demo_scope, demo_results):
    """The national report and three regional editions (`REPORT_REGIONS`) of the demo data, keyed by region code (""
    for France), built once per worker for the tests of the publication and of the print standard: their modules
    share the xdist group « publication », so one worker builds them for both."""
    from am_analytics.report.build import build

    return {code: build(demo_scope.with_region(code or None), demo_results) for code in ("", *REPORT_REGIONS)}


@pytest.fixture(scope="session")
def demo_processed(tmp_path_factory) -> Path:
    """The shipped demo data prepared once per test session (with the schedule's key), shared by every worker,
    for the tests of the site, the schedule and the background tests (the preparation's own lock serialises
    workers that ask at the same moment; the second one only reads)."""
    from am_analytics import paths
    from am_analytics.loading import load

    processed = _shared_folder(tmp_path_factory, "demo_processed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AM_ANALYTICS_KEY", SCHEDULE_KEY)
        load(paths.raw_dir(), processed)
    return processed


@pytest.fixture(scope="session")
def schedule_batch(tmp_path_factory, demo_processed):
    """One scheduled run, as a user types it, shared by the schedule's, the site's and the browser tests, run once
    per test session whichever worker asks first (a file lock; the others wait, then read its record): two regions
    (one overseas, code 01), the site, and two notebooks — the committed regional dashboard and a test notebook
    that prints the region it received and fails on purpose for region 84. Returns the finished process and the
    run's folder."""
    def run(shared: Path) -> dict:
        result = _run_batch(shared, demo_processed)
        return {"args": result.args, "returncode": result.returncode, "stdout": result.stdout,
                "stderr": result.stderr}

    shared, done = once_per_session(tmp_path_factory, "schedule_batch", run)
    result = subprocess.CompletedProcess(done["args"], done["returncode"], done["stdout"], done["stderr"])
    return result, shared / "runs" / "2025-06-30"


def once_per_session(tmp_path_factory, name: str, compute: Callable[[Path], object]) -> tuple[Path, object]:
    """Compute something expensive once per test session, whichever xdist worker asks first: the others wait on a
    file lock, then read the JSON record it left in a folder they all see. Returns that folder and the record."""
    shared = _shared_folder(tmp_path_factory, name)
    shared.mkdir(parents=True, exist_ok=True)
    record = shared / "record.json"
    with FileLock(str(shared) + ".lock"):
        if not record.exists():
            record.write_text(json.dumps(compute(shared)), encoding="utf-8")
    return shared, json.loads(record.read_text(encoding="utf-8"))


def _run_batch(shared: Path, processed: Path) -> subprocess.CompletedProcess:
    notebooks = shared / "notebooks"
    notebooks.mkdir(exist_ok=True)
    shutil.copy(REPO / "notebooks" / "02_tableau_de_bord_regional.ipynb", notebooks)
    write_notebook(notebooks / "99_essai.ipynb",
                   ["print(repr(region), type(region).__name__)",
                    'if region == "84":\n    raise RuntimeError("échec voulu pour la région 84")',
                    'print("fin")'],
                   "data_dir = None\nprocessed_dir = None\nas_of = None\nregion = None")
    env = {**os.environ, "AM_ANALYTICS_KEY": SCHEDULE_KEY}
    env.pop("AM_ANALYTICS_SCHEDULED", None)
    return subprocess.run(
        [sys.executable, "-m", "am_analytics.schedule", "--regions", "01,84", "--notebooks", "02,99",
         "--notebooks-dir", str(notebooks), "--processed-dir", str(processed), "--out", str(shared / "runs"),
         "--workers", "2", "--timeout", "120"],
        capture_output=True, text=True, env=env, timeout=600,
    )
