"""A folder holding only the yearly open data by territory (issue 23 item 2): indicators at yearly resolution that never
recover an NS count, a short PDF report and a site, with the synthetic mention of the demo's file."""

from __future__ import annotations

import contextlib
import csv
import io

import pandas as pd
import pdfplumber
import pytest

import am_analytics as am
from am_analytics.indicators import IndicatorArgumentError
from am_analytics.presentation.opendata import SOURCE
from am_analytics.vocabulary import SYNTHETIC_MENTION
from tests.conftest import REPO
from tests.pdf_print import glyphs
from tests.regional_folders import open_data_only_folder

OPEN_DATA = "acces_soins_assistants_medicaux_territoire.csv"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """One regional PDF (Île-de-France, whose départements have NS years) and one site of one region, built once
    from a folder holding the shipped open-data file and its provenance sidecar only."""
    from am_analytics.report.__main__ import main as report_main
    from am_analytics.schedule.__main__ import main as schedule_main

    root = tmp_path_factory.mktemp("open_data_alone")
    raw = open_data_only_folder(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root / "cache"))
        patch.setenv("AM_ANALYTICS_KEY", "test-open-data-alone")
        pdf = root / "rapport.pdf"
        report_code = report_main(["--data-dir", str(raw), "--region", "Île-de-France", "--output", str(pdf)])
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            site_code = schedule_main(["--data-dir", str(raw), "--out", str(root / "runs"), "--regions", "11"])
        territory_year = am.load(raw).territory_year
    return {"raw": raw, "pdf": pdf, "report_code": report_code, "site_code": site_code, "printed": printed.getvalue(),
            "site": root / "runs" / "2024-12-31", "territory_year": territory_year}


def _pdf_lines(path) -> list[str]:
    """The PDF's text lines as a reader copies them (with their spaces)."""
    with pdfplumber.open(path) as document:
        return [line for page in document.pages for line in (page.extract_text() or "").splitlines()]


def _csv(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


# --- the report ----------------------------------------------------------------------------------------------------

def test_the_report_is_written_from_the_open_data_alone(outputs):
    assert outputs["report_code"] == 0
    assert outputs["pdf"].is_file() and outputs["pdf"].with_suffix(".xlsx").is_file()
    text = " ".join(_pdf_lines(outputs["pdf"]))
    assert "données ouvertes" in text
    assert "Île-de-France" in text
    assert SYNTHETIC_MENTION in text, "the demo's open-data file is synthetic and the report says so"
    assert "séries mensuelles" in text, "the methods say what cannot be shown without extracts"


def test_no_glyph_of_the_report_is_under_7_pt(outputs):
    small = [glyph for glyph in glyphs(outputs["pdf"].read_bytes()) if glyph.size_pt < 7 - 0.05]
    assert not small, small[:5]


def test_an_ns_count_prints_ns_never_a_number(outputs):
    territory_year = outputs["territory_year"]
    ns = territory_year[(territory_year["niveau"] == "departement") & territory_year["nombre_contrats_ns"]
                        & territory_year["code"].isin(["77", "78", "91", "95"])]
    assert len(ns), "the demo file has NS départements in Île-de-France"
    lines = _pdf_lines(outputs["pdf"])
    for name in ("Seine-et-Marne", "Yvelines", "Essonne", "Val-d'Oise"):
        row = next(line for line in lines if line.startswith(name) and "NS" in line)
        # the 2019 column (first year) is NS; the line goes on with the published years
        assert row.replace(name, "").split()[0] == "NS", row


# --- the site ------------------------------------------------------------------------------------------------------

def test_the_site_publishes_an_index_and_a_region_page_with_csv_files(outputs):
    site = outputs["site"]
    assert outputs["site_code"] == 0
    for page in ("index.html", "region_11.html", "technique.html"):
        assert (site / page).is_file(), page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "données ouvertes" in index and SYNTHETIC_MENTION in index
    assert "masquent les effectifs de 1 à 4" not in index, "the producer's numbers are not masked by the package"
    names = {path.name for path in (site / "donnees").glob("*.csv")}
    assert {"france_contrats-signes-par-annee.csv", "france_contrats-par-region.csv",
            "ile-de-france_contrats-par-departement-et-par-annee.csv"} <= names


def test_an_ns_cell_stays_ns_in_the_csv_and_the_increase_beside_it_is_missing(outputs):
    rows = _csv(outputs["site"] / "donnees" / "ile-de-france_contrats-par-departement-et-par-annee.csv")
    header = rows[0]
    essonne = next(row for row in rows if row and row[0] == "Essonne")
    assert essonne[header.index("2019")] == "NS"
    assert essonne[header.index("2020")].isdigit()
    long = _csv(outputs["site"] / "donnees" / "ile-de-france_departements-hausse-et-recours.csv")
    header = long[0]
    essonne_2020 = next(row for row in long if row[:2] == ["Essonne", "2020"])
    assert essonne_2020[header.index("Hausse sur l'année")] == "non calculée"
    essonne_2021 = next(row for row in long if row[:2] == ["Essonne", "2021"])
    assert essonne_2021[header.index("Hausse sur l'année")].isdigit()


def test_the_scheduled_run_executes_the_regional_dashboard_on_the_open_data_and_links_it(outputs):
    import json

    import nbformat

    summary = json.loads((outputs["site"] / "summary.json").read_text(encoding="utf-8"))
    runs = summary["notebooks"]
    assert [(run["region"], run["ok"]) for run in runs] == [("11", True)], runs
    region_page = (outputs["site"] / "region_11.html").read_text(encoding="utf-8")
    assert runs[0]["html"] in region_page, "the region's page links its executed dashboard"
    assert region_page.index("<h2>Notebook exécuté") < region_page.index("<h2>Sources et méthode"), "methods last"
    executed = nbformat.read(outputs["site"] / runs[0]["html"].replace(".html", ".ipynb"), as_version=4)
    shown = "".join(output.get("data", {}).get("text/html", "") for cell in executed.cells
                    for output in cell.get("outputs", []))
    assert "Départements de la région Île-de-France" in shown and "NS" in shown
    assert SOURCE in shown and SYNTHETIC_MENTION in shown
    assert not [output for cell in executed.cells for output in cell.get("outputs", [])
                if output.get("output_type") == "error"]


# --- the indicators ------------------------------------------------------------------------------------------------

def _frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["annee", "niveau", "code", "libelle", "nombre_contrats"])
    frame["annee"] = frame["annee"].astype("Int64")
    frame["nombre_contrats"] = frame["nombre_contrats"].astype("Int64")
    frame["nombre_contrats_ns"] = frame["nombre_contrats"].isna()
    frame["taux_recours_pct"] = pd.array([pd.NA] * len(frame), dtype="Float64")
    frame["taux_recours_ns"] = frame["nombre_contrats_ns"]
    frame["source_line"] = pd.array(range(2, len(frame) + 2), dtype="Int64")
    frame["source_file"] = "od.csv"
    return frame


SMALL = _frame([
    (2021, "france", "FR", "France", 100), (2022, "france", "FR", "France", 150), (2023, "france", "FR", "France", 190),
    (2021, "region", "53", "Bretagne", 20), (2022, "region", "53", "Bretagne", 30),
    (2023, "region", "53", "Bretagne", 41),
    (2021, "departement", "22", "Côtes-d'Armor", 5), (2022, "departement", "22", "Côtes-d'Armor", None),
    (2023, "departement", "22", "Côtes-d'Armor", 9),
    (2021, "departement", "35", "Ille-et-Vilaine", 15), (2022, "departement", "35", "Ille-et-Vilaine", 30),
    (2023, "departement", "35", "Ille-et-Vilaine", 32),
])


def test_no_increase_is_computed_beside_an_ns_year():
    deps = am.indicators.departements_by_year(SMALL, "Bretagne")
    armor = deps[deps["code"] == "22"].set_index("annee")
    assert pd.isna(armor.loc[2022, "contrats"]) and bool(armor.loc[2022, "contrats_ns"])
    assert pd.isna(armor.loc[2022, "hausse"]) and pd.isna(armor.loc[2023, "hausse"])
    vilaine = deps[deps["code"] == "35"].set_index("annee")
    assert vilaine.loc[2023, "hausse"] == 2


def test_a_region_is_its_own_row_never_the_sum_of_its_departements():
    region = am.indicators.region_by_year(SMALL, "53").set_index("annee")
    assert region.loc[2022, "contrats"] == 30, "the producer's row, not 30 + an NS taken as 0"
    assert list(am.indicators.france_by_year(SMALL)["hausse"].astype("Float64").fillna(-1)) == [-1, 50, 40]


def test_regions_of_a_year_are_rated_per_100000_inhabitants_and_ranked():
    regions = am.indicators.regions_in_year(SMALL, 2023)
    row = regions.iloc[0]
    assert row["code"] == "53" and row["rang"] == 1
    assert row["signes_pour_100k_hab"] == round(41 * 100_000 / row["population"], 1)


@pytest.mark.parametrize(("frame", "message"), [
    (SMALL[SMALL["niveau"] != "france"], "pas de ligne « France »"),
    (SMALL.assign(annee=SMALL["annee"].astype(str).where(SMALL["annee"] != 2022, "deux mille")),
     "colonne « Année » des données ouvertes illisible"),
    (SMALL.iloc[0:0], "pas de données ouvertes annuelles"),
])
def test_a_bad_open_data_file_gets_a_french_message(frame, message):
    with pytest.raises(IndicatorArgumentError, match=message):
        am.indicators.france_by_year(frame)


def test_an_open_data_file_without_france_is_invalid_data_with_a_french_message(tmp_path, monkeypatch, capsys):
    from am_analytics.cli import run
    from am_analytics.report.__main__ import main as report_main

    raw = tmp_path / "raw"
    raw.mkdir()
    lines = (REPO / "data" / "raw" / OPEN_DATA).read_text(encoding="utf-8-sig").splitlines()
    (raw / OPEN_DATA).write_text("\n".join(line for line in lines if ";FRANCE;" not in line) + "\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("AM_ANALYTICS_KEY", "test-open-data-alone")
    assert run(report_main, ["--data-dir", str(raw), "--output", str(tmp_path / "r.pdf")]) == 3
    assert "pas de ligne « France »" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


def test_as_of_picks_the_latest_year_whose_31_december_it_reaches():
    from am_analytics.errors import UsageError
    from am_analytics.presentation.opendata import year_in

    assert year_in(SMALL, None) == 2023
    assert year_in(SMALL, "2023-06-30") == 2022
    with pytest.raises(UsageError, match="commencent au 31 décembre 2021"):
        year_in(SMALL, "2021-06-30")
