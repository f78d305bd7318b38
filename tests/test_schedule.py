"""Scheduled runs: which notebook runs for which region, usage errors before anything runs, and a batch publishing
the site with one failing notebook run (the others complete; the exit status, the summary, the run's French page
and the site's index name the failing cell)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import nbformat
import pytest

from am_analytics.cli import run as run_command
from am_analytics.errors import UsageError
from am_analytics.schedule import NotebookSpec, Run, execute_run, plan_runs, select_notebooks
from am_analytics.schedule.__main__ import build_parser, chosen_notebooks, main, resolve_regions

from .conftest import REPO, write_notebook

NOTEBOOKS_DIR = REPO / "notebooks"
TEST_KEY = "schedule-test"


def _spec(name: str, parameters: dict) -> NotebookSpec:
    return NotebookSpec(name=name, path=Path(f"/nowhere/{name}.ipynb"), parameters=parameters)


NATIONAL = _spec("01_national", {"data_dir": None, "as_of": None})
REGIONAL = _spec("02_regional", {"data_dir": None, "as_of": None, "region": None})


_notebook = write_notebook


# --- Planning ---------------------------------------------------------------------------------------------


def test_regional_notebooks_run_once_per_region_and_national_ones_once():
    runs = plan_runs([NATIONAL, REGIONAL], ["01", "84"], {"data_dir": "/d", "as_of": "2025-06-30"})
    assert [(r.notebook.name, r.region) for r in runs] == [("01_national", None), ("02_regional", "01"),
                                                           ("02_regional", "84")]


def test_region_code_01_is_passed_as_the_text_01():
    run = plan_runs([REGIONAL], ["01"], {})[0]
    assert run.parameters["region"] == "01" and isinstance(run.parameters["region"], str)
    assert run.stem == "02_regional_01"


def test_only_parameters_a_notebook_declares_are_passed_and_all_as_text():
    runs = plan_runs([_spec("03_x", {"as_of": None})], ["84"], {"data_dir": "/d", "as_of": "2025-06-30",
                                                               "processed_dir": None})
    assert runs[0].parameters == {"as_of": "2025-06-30"}


def test_every_regional_run_is_named_after_its_region():
    run = plan_runs([REGIONAL], ["84"], {})[0]
    assert run.territory == "84 Auvergne-Rhône-Alpes"
    assert plan_runs([NATIONAL], ["84"], {})[0].territory == "France entière"


def test_the_regional_and_background_dashboards_are_the_regional_notebooks():
    from am_analytics.schedule import discover_notebooks

    assert [s.name for s in discover_notebooks(NOTEBOOKS_DIR) if s.regional] == ["02_tableau_de_bord_regional",
                                                                                  "03_profils_d_origine"]


@pytest.mark.parametrize(("wanted", "chosen"), [(["02"], ["02_regional"]), (["01_national.ipynb", "02_regional"],
                                                                          ["01_national", "02_regional"])])
def test_notebooks_are_chosen_by_name_or_number(wanted, chosen):
    assert [s.name for s in select_notebooks([NATIONAL, REGIONAL], wanted)] == chosen


def test_an_unknown_notebook_is_a_usage_error_listing_the_known_ones():
    with pytest.raises(UsageError, match="01_national, 02_regional"):
        select_notebooks([NATIONAL, REGIONAL], ["07"])


def test_by_default_the_regional_dashboard_runs_once_per_region_beside_the_site():
    default = build_parser().parse_args([]).notebooks
    specs = chosen_notebooks(default, NOTEBOOKS_DIR)
    assert [spec.name for spec in specs] == ["02_tableau_de_bord_regional"]
    runs = plan_runs(specs, resolve_regions("all"), {"as_of": "2025-06-30"})
    assert len(runs) == 18 and {run.parameters["region"] for run in runs} == set(resolve_regions("all"))
    assert chosen_notebooks("none", NOTEBOOKS_DIR) == [] and chosen_notebooks("aucun") == []
    assert len(chosen_notebooks("all", NOTEBOOKS_DIR)) == 6


def test_regions_all_means_the_18_regions_and_names_are_accepted():
    assert len(resolve_regions("all")) == 18
    assert resolve_regions("84, Bretagne,84") == ["84", "53"]


# --- Usage errors: exit 2, nothing run or written ------------------------------------------------------


@pytest.fixture(scope="module")
def processed(demo_processed):
    return demo_processed


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--regions", "99"], "--regions"),
        (["--notebooks", "inexistant"], "--notebooks"),
        (["--notebooks", "02,07"], "07"),
        (["--as-of", "30-06-2025"], "date invalide"),
        (["--as-of", "2031-01-01"], "après la dernière date"),
        (["--workers", "0"], "--workers"),
        (["--timeout", "0"], "--timeout"),
        (["--data-dir", "/nulle/part"], "introuvable"),
    ],
)
def test_bad_options_exit_2_before_anything_runs(options, message, processed, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AM_ANALYTICS_KEY", TEST_KEY)
    out = tmp_path / "runs"
    code = run_command(main, ["--processed-dir", str(processed), "--out", str(out), *options])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists(), "rien n'est écrit quand une option est refusée"


# --- A batch with one failing run ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch(schedule_batch):
    """The shared scheduled run (see `conftest.schedule_batch`): the site for regions 01 and 84, notebook 02 and a
    test notebook failing on purpose for region 84."""
    return schedule_batch


NOTEBOOK_PAGES = ("02_tableau_de_bord_regional_01", "02_tableau_de_bord_regional_84", "99_essai_01", "99_essai_84")


BATCH = pytest.mark.xdist_group("batch")  # with the browser test: the shared batch runs once


@BATCH
@pytest.mark.slow
def test_one_failing_run_gives_exit_1_and_names_its_cell(batch):
    result, _ = batch
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "99_essai — 84 Auvergne-Rhône-Alpes : échec à la cellule d'index 3 (In [4]) : RuntimeError" in result.stderr


@BATCH
@pytest.mark.slow
def test_the_other_runs_complete_with_a_progress_line_each(batch):
    result, folder = batch
    lines = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert len(lines) == 4 and {line.split("]")[0] for line in lines} == {"[1/4", "[2/4", "[3/4", "[4/4"}
    assert any("02_tableau_de_bord_regional — 01 Guadeloupe : ok (" in line for line in lines)
    assert any(line.endswith(" s)") and ", " not in line.split("(")[-1] for line in lines)  # 12,3 s: French decimal
    for name in NOTEBOOK_PAGES:
        assert (folder / "notebooks" / f"{name}.ipynb").is_file(), name
        assert (folder / "notebooks" / f"{name}.html").is_file(), name


@BATCH
@pytest.mark.slow
def test_summary_records_each_run_with_the_failing_cell(batch):
    _, folder = batch
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert (summary["runs_total"], summary["runs_ok"], summary["runs_failed"]) == (4, 3, 1)
    assert summary["as_of"] == "2025-06-30" and summary["synthetic"] is True
    failed = [r for r in summary["runs"] if r["status"] == "failed"]
    assert [(r["notebook"], r["region"]) for r in failed] == [("99_essai", "84")]
    error = failed[0]["error"]
    # index 3 in the committed notebook; In [4] because the injected parameters cell ran too
    assert (error["cell_index"], error["execution_count"], error["exception"]) == (3, 4, "RuntimeError")
    assert error["message"] == "échec voulu pour la région 84"
    for record in summary["runs"]:
        assert record["duration_s"] > 0 and record["parameters"]["as_of"] == "2025-06-30"
        assert all(isinstance(value, str) for value in record["parameters"].values())


@BATCH
@pytest.mark.slow
def test_region_01_reaches_the_notebook_as_the_string_01(batch):
    _, folder = batch
    notebook = nbformat.read(folder / "notebooks" / "99_essai_01.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for cell in notebook.cells for o in cell.get("outputs", []))
    assert "'01' str" in printed
    dashboard = nbformat.read(folder / "notebooks" / "02_tableau_de_bord_regional_01.ipynb", as_version=4)
    injected = next(c for c in dashboard.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'region = "01"' in injected.source


def _page_text(path: Path) -> str:
    import re

    text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return " ".join(html.unescape(text).split())


def _csv_rows(path: Path) -> list[str]:
    """A site CSV's data rows (up to its first blank line), each as the page's text reads it."""
    lines = path.read_text(encoding="utf-8-sig").split("\n\n")[0].splitlines()[1:]
    return [" ".join(line.replace(";", " ").split()) for line in lines]


@BATCH
@pytest.mark.slow
@pytest.mark.parametrize(("code", "name"), [("01", "guadeloupe"), ("84", "auvergne-rhone-alpes")])
@pytest.mark.parametrize("subject", ["profils-d-origine-et-france-entiere", "aide-attendue-par-annee"])
def test_a_scheduled_regional_notebook_prints_the_site_s_masked_figures(batch, code, name, subject):
    # The run shares its audited publication with the kernels: the notebook's tables are the site's CSVs, cell for
    # cell, « s » where the site hides a count (a reader laying one beside the other would otherwise recover it).
    _, folder = batch
    notebook = _page_text(folder / "notebooks" / f"02_tableau_de_bord_regional_{code}.html")
    rows = _csv_rows(folder / "donnees" / f"{name}_{subject}.csv")
    assert len(rows) >= 7
    for row in rows:
        assert row in notebook, row


@BATCH
@pytest.mark.slow
def test_html_has_no_code_nor_notebook_instructions_and_the_index_links_every_run_in_french(batch):
    _, folder = batch
    page = (folder / "notebooks" / "02_tableau_de_bord_regional_84.html").read_text(encoding="utf-8")
    assert "open_dashboard" not in page and "Données de démonstration synthétiques" in page
    assert '<html lang="fr"' in page
    assert "cellule de paramètres" not in page and "JupyterLab" not in page, "no sentence meant for notebook users"
    assert "widget-view" not in page and "Dropdown" not in page, "no widget in a scheduled run"
    index = (folder / "index.html").read_text(encoding="utf-8")
    for name in NOTEBOOK_PAGES:
        assert f'href="notebooks/{name}.html"' in index
    assert "échec" in index and "réussi" in index and "Données de démonstration synthétiques" in index
    assert not list(folder.rglob(".*.tmp")), "aucun fichier temporaire laissé"


@BATCH
@pytest.mark.slow
def test_a_failed_run_gets_a_french_page_naming_its_cell_and_no_traceback(batch):
    _, folder = batch
    page = html.unescape((folder / "notebooks" / "99_essai_84.html").read_text(encoding="utf-8"))
    assert "L'exécution de ce notebook a échoué." in page and "Traceback" not in page
    assert "cellule d'index 3 (In [4])" in page and "RuntimeError" in page
    assert "échec voulu pour la région 84" in page and "Données de démonstration synthétiques" in page
    index = (folder / "index.html").read_text(encoding="utf-8")
    row = next(line for line in index.splitlines() if "notebooks/99_essai_84.html" in line)
    assert "échec" in row and "résultats" not in row and "tableau de bord" not in row


@BATCH
@pytest.mark.slow
def test_the_batch_publishes_the_site_for_its_regions_and_every_background(batch):
    _, folder = batch
    from am_analytics.vocabulary import PROFILS

    for name in ["index", "france", "profils", "enquete", "qualite", "region_01", "region_84",
                 *(f"profil_{code}" for code in PROFILS)]:
        page = (folder / f"{name}.html").read_text(encoding="utf-8")
        assert "Données de démonstration synthétiques" in page, name
    region = (folder / "region_84.html").read_text(encoding="utf-8")
    assert 'href="notebooks/99_essai_84.html"' in region and "exécution en échec" in region
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    # 4 national pages, 2 regions, 8 backgrounds and the technical summary
    assert summary["pages_failed"] == 0 and summary["pages_total"] == 16


@pytest.mark.slow
def test_a_cell_over_the_timeout_fails_its_run_with_the_cell_named(tmp_path):
    path = _notebook(tmp_path / "lent.ipynb", ["import time\ntime.sleep(60)"], "as_of = None")
    outcome = execute_run(Run(NotebookSpec.read(path), None, {}), tmp_path / "out", timeout=2)
    assert outcome.status == "failed"
    assert outcome.error["cell_index"] == 2 and "Timeout" in outcome.error["exception"]
    assert "Timeout" in (tmp_path / "out" / "notebooks" / "lent.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_warm_kernel_starts_each_run_afresh_and_a_failure_never_reuses_it(tmp_path):
    from am_analytics.schedule import execute

    first = _notebook(tmp_path / "a.ipynb", ["leftover = 41", "print(leftover)"], "as_of = None")
    second = _notebook(tmp_path / "b.ipynb", ["print('leftover' in dir())", "raise ValueError('voulu')"],
                       "as_of = None")
    try:
        one = execute_run(Run(NotebookSpec.read(first), None, {}), tmp_path / "out", warm=True)
        kernel = execute._WARM["kernel"]
        two = execute_run(Run(NotebookSpec.read(second), None, {}), tmp_path / "out", warm=True)
    finally:
        execute._drop_warm_kernel()
    assert one.ok and not two.ok
    notebook = nbformat.read(tmp_path / "out" / "notebooks" / "b.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for cell in notebook.cells for o in cell.get("outputs", []))
    assert "False" in printed, "the namespace of the previous run is gone"
    assert [c.execution_count for c in notebook.cells if c.cell_type == "code"][:2] == [1, 2]
    assert kernel is not None and "kernel" not in execute._WARM, "a kernel a notebook failed in is dropped"
