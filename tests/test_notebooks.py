"""The dashboard notebooks: committed clean, one literal parameters cell, and every one runs on the demo data."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from am_analytics import dashboards as db
from am_analytics import parameters, paths
from am_analytics.errors import UsageError
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation.html import synthetic_banner
from am_analytics.schedule import NotebookSpec, Outcome, Run, execute_runs, kernel_for_runs, notebook_parameters
from am_analytics.schedule.plan import NotebookError
from am_analytics.vocabulary import SYNTHETIC_MENTION

from .conftest import REPO, SCHEDULE_KEY, once_per_session

NOTEBOOKS_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
EXPECTED = {
    "01_deploiement_national": {"data_dir", "processed_dir", "as_of"},
    "02_tableau_de_bord_regional": {"data_dir", "processed_dir", "as_of", "region"},
    "03_profils_d_origine": {"data_dir", "processed_dir", "as_of", "region", "profil_origine"},
    "04_enquete_satisfaction": {"data_dir", "processed_dir", "as_of"},
    "05_qualite_des_donnees": {"data_dir", "processed_dir", "as_of"},
    "06_contreparties": {"data_dir", "processed_dir", "as_of"},
}


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


# --- What is committed ----------------------------------------------------------------------------------


def test_every_dashboard_notebook_is_committed():
    assert {path.stem for path in NOTEBOOKS} == set(EXPECTED)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_holds_no_outputs(path):
    dirty = [index for index, cell in enumerate(_read(path).cells)
             if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, f"{path.name} : cellules avec sorties ou numéro d'exécution {dirty} ; les effacer avant commit"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_exactly_one_parameters_cell_of_literals(path):
    notebook = _read(path)
    tagged = [cell for cell in notebook.cells if "parameters" in cell.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name} : {len(tagged)} cellules « parameters »"
    assert tagged[0].cell_type == "code"
    for statement in ast.parse(tagged[0].source).body:
        assert isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name), (
            f"{path.name} ligne {statement.lineno} : pas une affectation simple")
        ast.literal_eval(statement.value)  # raises on anything computed
    assert set(notebook_parameters(notebook, path.name)) == EXPECTED[path.stem]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_default_to_none_and_are_text_when_given(path):
    # None means « the default »; a value passed by the scheduler is text, so defaults must not be numbers
    assert all(value is None for value in notebook_parameters(_read(path)).values())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_with_a_french_purpose_paragraph_and_uses_the_kernel_make_lab_registers(path):
    notebook = _read(path)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert len(first.source.split("\n\n", 1)[-1]) > 100, "un paragraphe qui dit à quoi sert le notebook"
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert notebook.metadata.kernelspec.name == "am_analytics" and "KERNEL_NAME := am_analytics" in makefile


def test_the_kernel_the_notebooks_name_is_installed_in_this_environment():
    """`papermill notebooks/02_….ipynb out.ipynb` starts the kernel the notebook names: it must exist in the
    environment after the README's set-up (`make report`/`make test` register it: `ipykernel install --sys-prefix`)."""
    import sys

    from jupyter_client.kernelspec import find_kernel_specs

    named = {_read(path).metadata.kernelspec.name for path in NOTEBOOKS}
    missing = named - set(find_kernel_specs())
    assert not missing, (f"noyau {', '.join(sorted(missing))} absent de l'environnement {sys.prefix} : `make venv` "
                         "(ou make test, make report) l'enregistre")


@pytest.mark.slow
def test_papermill_runs_the_regional_dashboard_for_a_region_written_by_name(tmp_path, demo_processed):
    """The scheduled run as users write it, with the notebook's own kernel: `papermill … -p region Occitanie`."""
    import os
    import subprocess
    import sys

    from jupyter_client.kernelspec import find_kernel_specs

    if "am_analytics" not in find_kernel_specs():  # said once, by the test above, with what to do
        pytest.skip("noyau am_analytics absent : voir test_the_kernel_the_notebooks_name_is_installed")
    out = tmp_path / "occitanie.ipynb"
    env = {**os.environ, "AM_ANALYTICS_KEY": SCHEDULE_KEY, "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-m", "papermill", str(NOTEBOOKS_DIR / "02_tableau_de_bord_regional.ipynb"), str(out),
         "-p", "region", "Occitanie", "-p", "processed_dir", str(demo_processed), "--no-progress-bar"],
        capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    outputs = str(nbformat.read(out, as_version=4).cells)
    assert "Occitanie" in outputs and "Traceback" not in outputs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_sentences_for_notebook_users_sit_in_cells_tagged_notebook_only(path):
    # scheduled runs publish every other cell's text: none may tell a reader to edit a cell or use JupyterLab
    for cell in _read(path).cells:
        words = ("cellule de paramètres", "JupyterLab", "selector(")
        if any(word in cell.source for word in words) and "parameters" not in cell.metadata.get("tags", []):
            assert "notebook-only" in cell.metadata.get("tags", []), f"{path.name} : {cell.source[:80]}"


@pytest.mark.parametrize("name", ["02_tableau_de_bord_regional", "03_profils_d_origine"])
def test_regional_and_background_dashboards_offer_a_selector(name):
    cells = [c for c in _read(NOTEBOOKS_DIR / f"{name}.ipynb").cells if "selector(" in c.source]
    assert len(cells) == 1 and cells[0].metadata.get("tags") == ["notebook-only"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_stays_thin(path):
    # notebooks present results: short cells calling the package, no pipeline logic
    for cell in _read(path).cells:
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 10, f"{path.name} : cellule trop longue :\n{cell.source}"
            assert "def " not in cell.source and "import pandas" not in cell.source


def test_parameters_check_rejects_a_computed_value():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("region = None\nas_of = str(2025)")])
    notebook.cells[0].metadata["tags"] = ["parameters"]
    with pytest.raises(NotebookError, match="as_of"):
        notebook_parameters(notebook)


def test_parameters_check_rejects_two_parameters_cells():
    cells = [nbformat.v4.new_code_cell("a = 1"), nbformat.v4.new_code_cell("b = 2")]
    for cell in cells:
        cell.metadata["tags"] = ["parameters"]
    with pytest.raises(NotebookError, match="2 cellules"):
        notebook_parameters(nbformat.v4.new_notebook(cells=cells))


# --- The package helpers the notebooks call --------------------------------------------------------------


@pytest.mark.parametrize(("text", "code"), [("01", "01"), ("1", "01"), ("Guadeloupe", "01"), ("Bretagne", "53"),
                                            ("Midi-Pyrénées", "76"), (None, None), ("", None), ("  ", None)])
def test_region_parameter_accepts_codes_and_names(text, code):
    assert parameters.resolve_region(text) == code


def test_unknown_region_is_a_usage_error_naming_close_regions():
    with pytest.raises(UsageError, match="Bretag"):
        parameters.resolve_region("Bretagn")


@pytest.mark.parametrize(("text", "code"), [("infirmier", "infirmier"), ("Infirmier·ère", "infirmier"),
                                            ("IDE", "infirmier"), ("secretaire_medicale", "secretaire_medicale"),
                                            (None, None)])
def test_background_parameter_accepts_codes_and_labels(text, code):
    assert parameters.resolve_profil(text) == code


def test_unknown_background_is_a_usage_error_listing_the_known_ones():
    with pytest.raises(UsageError, match="secretaire_medicale"):
        parameters.resolve_profil("astronaute")


def _contracts(*days: str) -> pd.DataFrame:
    return pd.DataFrame({"date_signature": pd.to_datetime(list(days)), "date_fin": pd.NaT})


def test_as_of_defaults_to_the_latest_date_in_the_data():
    assert parameters.resolve_as_of(None, _contracts("2020-01-10", "2024-03-31")) == pd.Timestamp("2024-03-31")


@pytest.mark.parametrize("text", ["2024-03-01", "01/03/2024"])
def test_as_of_is_read_in_iso_or_french_form(text):
    assert parameters.resolve_as_of(text, _contracts("2024-03-31")) == pd.Timestamp("2024-03-01")


@pytest.mark.parametrize(("text", "problem"), [("2030-01-01", "après"), ("2019-01-01", "avant"),
                                               ("demain", "date invalide")])
def test_as_of_outside_the_data_or_unreadable_is_a_usage_error(text, problem):
    with pytest.raises(UsageError, match=problem):
        parameters.resolve_as_of(text, _contracts("2024-03-31"))


def test_parse_date_keeps_dates():
    assert parameters.parse_date(date(2024, 1, 2)) == date(2024, 1, 2)


def test_banner_says_synthetic_only_for_synthetic_data():
    assert SYNTHETIC_MENTION in synthetic_banner(True)._repr_html_()
    assert synthetic_banner(False) is None


def test_table_html_shows_the_masked_table_never_a_small_count():
    from am_analytics.presentation.disclosure import publish_territories

    counts = {column.column: [3] for column in cat.TERRITORY_RULE.counts} | {"actifs": [2]}
    rates = {column: [0.5] for column in cat.TERRITORY_RULE.follows}
    guadeloupe = pd.DataFrame({"code": ["01"], "nom": ["Guadeloupe"], **counts, **rates, "etp_actifs": [1.5]})
    # two other regions, so that France's figure (900) hides neither Guadeloupe's nor a lone complement
    regions = pd.concat([guadeloupe, guadeloupe.assign(code="02", signes=400, actifs=300),
                         guadeloupe.assign(code="03", signes=497, actifs=498)], ignore_index=True)
    nation = guadeloupe.assign(code="FR", nom="France entière", signes=900, actifs=800, etp_actifs=600.0)
    departements = regions.assign(region_code=regions["code"], code=["971", "972", "973"])
    nation, regions, _ = publish_territories(nation, regions, departements, cat.TERRITORY_RULE,
                                             [*regions.columns, "region_code"])
    text = db.table_html(cat.key_figures_table(nation, regions, "01"))._repr_html_()
    assert "&lt; 5" in text and ">3<" not in text and ">2<" not in text and ">1,5<" not in text
    assert "Source :" in text and "900" in text


def test_text_is_escaped_in_html():
    assert db.text_html("a < b & c").html == "<p>a &lt; b &amp; c</p>"


# --- Every notebook runs on the demo data ---------------------------------------------------------------

RUNS = [
    ("01_deploiement_national", {}),
    ("02_tableau_de_bord_regional", {"region": "04"}),  # La Réunion, overseas
    ("02_tableau_de_bord_regional", {"region": "Bretagne"}),  # by name
    ("03_profils_d_origine", {"profil_origine": "Infirmier·ère"}),
    ("03_profils_d_origine", {"region": "84", "profil_origine": "infirmier"}),
    ("03_profils_d_origine", {}),
    ("04_enquete_satisfaction", {}),
    ("05_qualite_des_donnees", {}),
    ("06_contreparties", {}),
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory, demo_processed):
    """Every notebook run once per test session through papermill on warm kernels, two at a time, on the
    repository's demo data prepared into a temporary folder (the notebooks' `processed_dir` parameter: nothing is
    written into the repo); whichever xdist worker asks first runs them (see `conftest.once_per_session`)."""

    def run_all(out: Path) -> list[dict]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("AM_ANALYTICS_KEY", SCHEDULE_KEY)  # the kernels inherit it: the data is already prepared
            common = {"data_dir": str(paths.raw_dir()), "processed_dir": str(demo_processed)}
            runs = []
            for name, extra in RUNS:
                spec = NotebookSpec.read(NOTEBOOKS_DIR / f"{name}.ipynb")
                region = parameters.resolve_region(extra.get("region"))
                variant = "nom" if extra.get("region", "").isalpha() else ("profil" if "profil_origine" in extra
                                                                            else None)
                variant = f"{variant}_{len(runs)}" if variant else None
                runs.append(Run(spec, region, {**common, **extra}, variant))
            kernel = kernel_for_runs(out / "kernel")
            outcomes = execute_runs(runs, out, workers=2, kernel_name=kernel, timeout=300)
        return [outcome.to_json() for outcome in outcomes]

    out, outcomes = once_per_session(tmp_path_factory, "executed_notebooks", run_all)
    return {_key(name, extra): (Outcome(**outcome), out) for (name, extra), outcome in zip(RUNS, outcomes,
                                                                                           strict=True)}


def _key(name: str, extra: dict) -> str:
    return f"{name}:{sorted(extra.values())}"


def _outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "extra"), RUNS, ids=[f"{n[:2]}-{'-'.join(e.values()) or 'defaut'}" for n, e in RUNS])
def test_notebook_runs_on_demo_data_and_shows_the_synthetic_banner(executed, name, extra):
    outcome, out = executed[_key(name, extra)]
    assert outcome.ok, f"{name} {extra} : {outcome.error}"
    notebook = nbformat.read(out / outcome.ipynb, as_version=4)
    outputs = _outputs(notebook)
    html_outputs = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert SYNTHETIC_MENTION in html_outputs
    assert not [o for o in outputs if o.get("output_type") == "error" or o.get("name") == "stderr"], (
        "ni erreur ni avertissement dans un tableau de bord")
    page = (out / outcome.html).read_text(encoding="utf-8")
    assert SYNTHETIC_MENTION in page and "open_dashboard" not in page, "HTML sans code, avec la mention"
    assert "cellule de paramètres" not in page, "no sentence meant for notebook users on a published page"


@pytest.mark.slow
@pytest.mark.parametrize(("name", "extra"), [r for r in RUNS if r[0] != "05_qualite_des_donnees"],
                         ids=lambda value: value if isinstance(value, str) else "")
def test_figures_display_as_images(executed, name, extra):
    outcome, out = executed[_key(name, extra)]
    notebook = nbformat.read(out / outcome.ipynb, as_version=4)
    assert any("image/png" in o.get("data", {}) for o in _outputs(notebook))


@pytest.mark.slow
@pytest.mark.parametrize(("region", "label"), [("04", "La Réunion"), ("Bretagne", "Bretagne")])
def test_regional_dashboard_shows_the_region_asked_for(executed, region, label):
    outcome, out = executed[_key("02_tableau_de_bord_regional", {"region": region})]
    notebook = nbformat.read(out / outcome.ipynb, as_version=4)
    header = next(o for o in _outputs(notebook) if SYNTHETIC_MENTION in o.get("data", {}).get("text/html", ""))
    assert f"<strong>{label}</strong>" in header["data"]["text/html"]


@pytest.mark.slow
def test_regional_dashboard_names_the_region_in_every_title(executed):
    outcome, out = executed[_key("02_tableau_de_bord_regional", {"region": "Bretagne"})]
    notebook = nbformat.read(out / outcome.ipynb, as_version=4)
    headings = [o["data"]["text/html"] for o in _outputs(notebook) if o.get("data", {}).get("text/html", "")
                .startswith("<h2>")]
    assert len(headings) >= 5 and all("Bretagne" in heading for heading in headings)


@pytest.mark.slow
def test_background_dashboard_of_a_region_tests_change_over_time_and_against_france(executed):
    outcome, out = executed[_key("03_profils_d_origine", {"region": "84", "profil_origine": "infirmier"})]
    page = (out / outcome.html).read_text(encoding="utf-8")
    assert "Auvergne-Rhône-Alpes — Infirmier·ère" in page
    assert "Évolution des profils d'une année de signature à l'autre (Auvergne-Rhône-Alpes" in page
    assert "Cochran–Armitage" in page and "face au reste de la France" in page and "Limites :" in page
    assert "IC 95 % bas" in page


@pytest.mark.slow
def test_background_dashboard_shows_the_background_asked_for(executed):
    outcome, out = executed[_key("03_profils_d_origine", {"profil_origine": "Infirmier·ère"})]
    page = (out / outcome.html).read_text(encoding="utf-8")
    assert "France entière — Infirmier·ère" in page

    def images(key: str) -> int:
        outcome, out = executed[key]
        notebook = nbformat.read(out / outcome.ipynb, as_version=4)
        return sum("image/png" in o.get("data", {}) for o in _outputs(notebook))

    # the map of one background's share by region is drawn only when a background is chosen
    chosen = images(_key("03_profils_d_origine", {"profil_origine": "Infirmier·ère"}))
    assert chosen == images(_key("03_profils_d_origine", {})) + 1


# --- The selector: views redrawn in place for another region ---------------------------------------------------


class _Handle:
    def __init__(self, shown):
        self.shown = [shown]

    def update(self, shown):
        self.shown.append(shown)


@pytest.fixture(scope="module")
def board(demo_processed):
    from am_analytics.loading import load

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AM_ANALYTICS_KEY", SCHEDULE_KEY)
        data = load(paths.raw_dir(), demo_processed)
    from am_analytics.presentation.scope import Scope

    return db.Dashboard(Scope.open(data=data, region="84"))


def test_switching_region_redraws_every_view_in_place_and_keeps_the_national_results(board):
    handles = []
    board._display = lambda shown, display_id: handles.append(_Handle(shown)) or handles[-1]
    board.view(lambda b: b.header())
    board.view(lambda b: b.show(b.backgrounds_table()))
    board.view(lambda b: None if b.scope.profil is None else b.heading("Profil"))
    assert board.national is not None
    computed = board._computed  # France's results before the audit, which each scope's publication starts from
    board.switch(region="Bretagne")
    assert board.scope.region == "53" and board.national is not None
    assert board._computed is computed, "France's results are computed once"
    assert "Auvergne-Rhône-Alpes" in handles[0].shown[0].html and "Bretagne" in handles[0].shown[1].html
    assert "Bretagne" in handles[1].shown[1].html and "Auvergne" not in handles[1].shown[1].html
    board.switch(profil="infirmier")
    assert "Bretagne — Infirmier·ère" in handles[2].shown[-1].html
    board.switch(region=None, profil=None)
    assert "France entière" in handles[0].shown[-1].html and handles[2].shown[-1] is db.EMPTY


def test_no_selector_in_a_scheduled_run_nor_outside_a_kernel(board, monkeypatch):
    monkeypatch.setenv("AM_ANALYTICS_SCHEDULED", "1")
    assert board.selector(region=True, profil=True) is None
    monkeypatch.delenv("AM_ANALYTICS_SCHEDULED")
    assert board.selector() is None  # no IPython kernel in a test
