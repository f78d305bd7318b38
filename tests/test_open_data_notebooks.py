"""The notebooks from the yearly open data alone (issue 23 item 2): the regional dashboard shows the region's published
open data (source named, « NS » kept), every other notebook stops with a French message naming what is missing, and
the scheduler runs only the notebooks that show the open data. The papermill run itself is tested in
`test_open_data_alone.py` (the scheduled run executes notebook 02 there)."""

from __future__ import annotations

import html

import nbformat
import pytest

from am_analytics import dashboards as db
from am_analytics.errors import UsageError
from am_analytics.opendata_dashboard import OpenDataDashboard
from am_analytics.presentation.opendata import DASHBOARD_NEEDS_EXTRACTS, SOURCE
from am_analytics.schedule.plan import NotebookSpec, discover_notebooks
from am_analytics.site.opendata import open_data_notebooks
from am_analytics.vocabulary import SYNTHETIC_MENTION
from tests.conftest import REPO
from tests.regional_folders import open_data_only_folder

pytestmark = pytest.mark.xdist_group("open_data_notebooks")  # the module's prepared folder is built once, in one worker
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def open_data_folder(tmp_path_factory):
    """A raw folder holding the shipped open-data file and its provenance sidecar only, prepared once."""
    root = tmp_path_factory.mktemp("open_data_notebooks")
    raw = open_data_only_folder(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root / "cache"))
        patch.setenv("AM_ANALYTICS_KEY", "test-open-data-notebooks")
        yield raw


def _drawn(board: OpenDataDashboard, draws) -> list[str]:
    """What the views display, as HTML or a figure's title."""
    shown: list[object] = []
    board._display = lambda obj, **_: shown.append(obj)
    for draw in draws:
        board.view(draw)
    return [getattr(obj, "html", None) or type(obj).__name__ for obj in shown]


def test_the_regional_dashboard_opens_on_the_open_data_alone_at_yearly_resolution(open_data_folder):
    board = db.open_dashboard(data_dir=open_data_folder, region="Île-de-France", open_data=True)
    assert isinstance(board, OpenDataDashboard)
    header = board.header().html
    assert "Île-de-France" in header and "au 31 décembre" in header and SOURCE in header
    assert SYNTHETIC_MENTION in header, "the demo's open-data file is synthetic, and the dashboard says so"


def test_the_open_data_section_shows_the_regions_tables_and_charts_with_ns_kept(open_data_folder):
    board = db.open_dashboard(data_dir=open_data_folder, region="Île-de-France", open_data=True)
    shown = _drawn(board, board.drawings())
    assert shown.count("Figure") == 2, "the yearly series and the regions of the year, as charts"
    tables = [text for text in shown if "<table" in text]
    assert len(tables) == 4, "series, départements by year, their detail, the regions"
    departements = next(text for text in tables if "départements de la région Île-de-France" in text)
    essonne = departements.split("Essonne", 1)[1].split("</tr>", 1)[0]
    assert ">NS<" in essonne, "Essonne's NS year stays NS, never a number"
    assert all(SOURCE in text for text in tables), "every table names the producer"
    assert html.escape(DASHBOARD_NEEDS_EXTRACTS) in shown[-1], "the section says once what needs the extracts"


def test_a_view_of_the_extracts_results_draws_nothing_and_is_noted(open_data_folder):
    board = db.open_dashboard(data_dir=open_data_folder, region="Occitanie", open_data=True)
    shown = _drawn(board, [lambda b: b.own.monthly, lambda b: b.heading("Financement"), lambda b: b.header()])
    assert len(shown) == 1 and "Occitanie" in shown[0]
    assert len(board.skipped) == 2 and "extractions de contrats" in board.skipped[0]
    assert board.selector(region=True) is None


def test_france_is_the_dashboard_without_a_region(open_data_folder):
    board = db.open_dashboard(data_dir=open_data_folder, open_data=True)
    assert board.edition.region is None and board.edition.departements is None
    assert len([shown for shown in _drawn(board, board.drawings()) if "<table" in shown]) == 2


@pytest.mark.slow
def test_papermill_runs_the_regional_dashboard_on_the_open_data_alone(open_data_folder, tmp_path):
    """The command as the README writes it (about 8 s: one kernel start, the notebook's only run on this folder)."""
    import os
    import subprocess
    import sys

    from jupyter_client.kernelspec import find_kernel_specs

    if "am_analytics" not in find_kernel_specs():  # said by test_notebooks, with what to do
        pytest.skip("noyau am_analytics absent")
    out = tmp_path / "occitanie.ipynb"
    result = subprocess.run(
        [sys.executable, "-m", "papermill", str(REPO / "notebooks" / "02_tableau_de_bord_regional.ipynb"), str(out),
         "-p", "data_dir", str(open_data_folder), "-p", "region", "Occitanie", "--no-progress-bar"],
        capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"}, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    outputs = [output for cell in nbformat.read(out, as_version=4).cells for output in cell.get("outputs", [])]
    shown = "".join(output.get("data", {}).get("text/html", "") for output in outputs)
    assert "Départements de la région Occitanie" in shown and SOURCE in shown
    assert sum("image/png" in output.get("data", {}) for output in outputs) == 2
    assert not [output for output in outputs if output.get("output_type") == "error"]
    # no prose about the extracts' figures (national targets, funding scales) stands over an empty place: such notes
    # are views (`Dashboard.note`), which an open-data dashboard does not draw
    prose = [cell.source for cell in nbformat.read(out, as_version=4).cells[1:]
             if cell.cell_type == "markdown" and "notebook-only" not in cell.metadata.get("tags", [])]
    assert prose == []
    assert "Les objectifs officiels" not in shown and "standard" not in shown


@pytest.mark.parametrize("options", [{}, {"france": True}, {"region": "84"},
                                     {"region": "84", "profil_origine": "infirmier", "open_data": True}],
                         ids=["survey-quality-commitments", "national", "backgrounds", "background-asked"])
def test_a_notebook_that_reads_extracts_stops_with_a_french_message_naming_what_is_missing(open_data_folder,
                                                                                           options):
    with pytest.raises(UsageError) as raised:
        db.open_dashboard(data_dir=open_data_folder, **options)
    message = str(raised.value)
    assert "données ouvertes" in message and "extraction de contrats" in message
    assert "02_tableau_de_bord_regional" in message, "the message says which dashboard shows the open data"


def test_an_unknown_region_names_the_notebooks_parameter(open_data_folder):
    with pytest.raises(UsageError, match="^region : "):
        db.open_dashboard(data_dir=open_data_folder, region="Atlantide", open_data=True)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_declares_the_open_data_exactly_when_it_opens_its_dashboard_with_it(path):
    source = "".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
    declared = NotebookSpec.read(path).shows_open_data
    assert declared == ("open_data=True" in source), "metadata am_analytics.donnees_ouvertes and open_dashboard agree"
    assert declared == (path.stem == "02_tableau_de_bord_regional")


def test_the_scheduler_runs_only_the_notebooks_that_show_the_open_data_and_says_so(capsys):
    kept = open_data_notebooks(discover_notebooks(REPO / "notebooks"))
    assert [spec.name for spec in kept] == ["02_tableau_de_bord_regional"]
    printed = capsys.readouterr().out
    assert printed.count("non exécuté") == len(NOTEBOOKS) - 1 and "04_enquete_satisfaction" in printed
