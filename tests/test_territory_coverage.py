"""The territory the extracts cover (`am_analytics.coverage`): found from the kept contracts or declared with
`prepare --territoire`, recorded in the manifest, and read by every output. Extracts of one region (Bretagne, and
Guyane overseas) give that region's edition, in which nothing computed from them is presented as France: no share of
France, no rank among regions, no national target progress; France is quoted from published references only."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from am_analytics.coverage import FRANCE, REGION, REGIONS, declared_coverage, declared_regions, found_coverage
from am_analytics.errors import DataError, UsageError
from am_analytics.figures.formatting import format_number, format_percent
from tests.conftest import REPO, once_per_session
from tests.regional_folders import one_region_folder

# one worker builds this module's editions and loads their data once, for all its tests
pytestmark = pytest.mark.xdist_group("territory")

KEY = "territoire-test"
EDITIONS = {"53": "Bretagne", "03": "Guyane"}


def _env(shared: Path) -> dict[str, str]:
    # the key and the cache of processed tables of this session only (never the user's)
    return {**os.environ, "AM_ANALYTICS_KEY": KEY, "XDG_CACHE_HOME": str(shared / "cache"), "MPLBACKEND": "Agg"}


def _command(module: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300, env=env)


def _pdf_text(path: Path) -> str:
    """The PDF's text, spaces (no-break ones included) folded to one."""
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def _edition(shared: Path, region: str) -> dict:
    folder = one_region_folder(region, shared / "extractions")
    env = _env(shared)
    prepared = _command("am_analytics.prepare", "--data-dir", str(folder), "--out", str(shared / "preparees"), "-q",
                        env=env)
    pdf = shared / f"rapport_{region}.pdf"
    report = _command("am_analytics.report", "--data-dir", str(folder), "--output", str(pdf), env=env)
    outside = _command("am_analytics.report", "--data-dir", str(folder), "--region", "28",
                       "--output", str(shared / "normandie.pdf"), env=env)
    return {
        "folder": str(folder), "processed": str(shared / "preparees"),
        "prepare": prepared.returncode, "report": report.returncode, "report_stdout": report.stdout,
        "report_stderr": report.stderr, "text": _pdf_text(pdf) if pdf.exists() else "",
        "outside": outside.returncode, "outside_stderr": outside.stderr,
        "normandie_written": (shared / "normandie.pdf").exists(),
    }


@pytest.fixture(scope="session", params=sorted(EDITIONS))
def edition(request, tmp_path_factory) -> dict:
    """One region's folder of extracts, prepared, and its report without `--region` (once per session)."""
    region = request.param
    _, record = once_per_session(tmp_path_factory, f"territoire_{region}", lambda shared: _edition(shared, region))
    return {**record, "region": region, "name": EDITIONS[region]}


@pytest.fixture(scope="session")
def bretagne_data(edition_bretagne_folder):
    from am_analytics.loading import load

    folder, processed = edition_bretagne_folder
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AM_ANALYTICS_KEY", KEY)
        return load(folder, processed)


@pytest.fixture(scope="session")
def edition_bretagne_folder(tmp_path_factory) -> tuple[Path, Path]:
    _, record = once_per_session(tmp_path_factory, "territoire_53", lambda shared: _edition(shared, "53"))
    return Path(record["folder"]), Path(record["processed"])


# --- the rule ------------------------------------------------------------------------------------------------------


def _contracts(departements: list[str]) -> pd.DataFrame:
    from am_analytics import reference

    regions = reference.departements().set_index("code")["region_code"]
    return pd.DataFrame({"departement": departements, "region": [regions[code] for code in departements],
                         "source_file": "extraction.csv", "source_line": range(2, 2 + len(departements))})


def test_one_region_is_that_region_a_few_are_those_regions_most_are_france():
    assert found_coverage(_contracts(["29", "35", "35"])) == found_coverage(_contracts(["29", "35"]))
    one = found_coverage(_contracts(["29", "35", "35"]))
    assert (one.kind, one.region, one.departements) == (REGION, "53", ("29", "35"))
    few = found_coverage(_contracts(["29", "14", "973"]))
    assert (few.kind, few.regions, few.region) == (REGIONS, ("03", "28", "53"), None)
    assert not few.is_france and few.label == "Guyane, Normandie, Bretagne"
    # ten of the eighteen regions: a national extract at an early date
    ten = found_coverage(_contracts(["01", "2A", "971", "972", "973", "974", "976", "75", "29", "14"]))
    assert ten.kind == FRANCE and ten.is_france
    nine = found_coverage(_contracts(["2A", "971", "972", "973", "974", "976", "75", "29", "14"]))
    assert nine.kind == REGIONS


def test_a_declared_territory_is_checked_against_the_contracts():
    bretagne = _contracts(["29", "35"])
    assert declared_coverage("Bretagne", bretagne).region == "53"
    assert declared_coverage("53", bretagne).declared == "53"
    with pytest.raises(DataError, match=r"Normandie \(28\).*Bretagne \(53\) : 2") as error:
        declared_coverage("Normandie", bretagne)
    assert "extraction.csv, ligne 2" in error.value.message
    with pytest.raises(DataError, match="territoire déclaré France.*Bretagne"):
        declared_coverage("France", bretagne)
    with pytest.raises(DataError, match=r"sans aucun contrat conservé pour Normandie \(28\)"):
        declared_coverage("53, Normandie", bretagne)
    with pytest.raises(UsageError, match="Bretagne \\(53\\)"):  # an unknown name: its closest known names
        declared_regions("Bretange")
    two = declared_coverage("Bretagne, Normandie", _contracts(["29", "14"]))
    assert (two.kind, two.regions) == (REGIONS, ("28", "53"))
    assert declared_coverage("France", _contracts(["29", "14"])).is_france  # a national extract, early


# --- prepare ---------------------------------------------------------------------------------------------------------


def test_the_manifest_records_the_region_the_contracts_cover_not_the_open_data(edition):
    manifest = json.loads((Path(edition["processed"]) / "manifest.json").read_text(encoding="utf-8"))
    assert edition["prepare"] == 0
    territory = manifest["territoire"]
    assert (territory["couverture"], territory["regions"], territory["declaree"]) == (REGION, [edition["region"]],
                                                                                      None)
    # the yearly open data of every territory lies in the folder too: it is no contract coverage
    open_data = pd.read_parquet(Path(edition["processed"]) / "territory_year.parquet")
    assert open_data.loc[open_data["niveau"] == "region", "code"].nunique() == 18


def test_prepare_territoire_matching_contradicting_and_unknown(edition_bretagne_folder, tmp_path):
    from am_analytics.cli import run
    from am_analytics.prepare.__main__ import main

    folder, _ = edition_bretagne_folder
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AM_ANALYTICS_KEY", KEY)
        assert run(main, ["--data-dir", str(folder), "--out", str(tmp_path / "ok"), "-q", "--territoire",
                          "Bretagne"]) == 0
        assert run(main, ["--data-dir", str(folder), "--out", str(tmp_path / "autre"), "-q", "--territoire",
                          "Normandie"]) == 3
        assert run(main, ["--data-dir", str(folder), "--out", str(tmp_path / "inconnu"), "-q", "--territoire",
                          "Bretange"]) == 2
    territory = json.loads((tmp_path / "ok" / "manifest.json").read_text(encoding="utf-8"))["territoire"]
    assert (territory["couverture"], territory["regions"], territory["declaree"]) == (REGION, ["53"], "Bretagne")
    assert not (tmp_path / "autre" / "manifest.json").exists()  # a contradiction writes nothing


# --- the report ------------------------------------------------------------------------------------------------------


def test_the_report_is_the_region_s_edition_and_says_so(edition):
    assert edition["report"] == 0, edition["report_stderr"]
    assert f"Édition régionale {edition['name']} ({edition['region']})" in edition["report_stdout"]
    assert f"{edition['name']} — données au" in edition["text"]


def test_no_france_figure_is_computed_from_one_region_s_extracts(edition):
    text = edition["text"]
    assert not re.search(r"France entière : [\d<]", text)  # France's rate beside the region's, from the extracts
    for computed in ("Part des contrats signés en France", "des contrats signés en France", "région sur 17",
                     "région sur 18", "Date projetée", "contrats : part atteinte", "projetés jusqu'en 2029",
                     "Aide attendue par année civile — France entière", "sans écart significatif avec la France"):
        assert computed not in text, computed
    # no table row of France: a line starting with France's name (or code) followed by figures
    assert not re.search(r"^(FR )?France entière [\d<]", text, flags=re.M)


def test_france_is_quoted_from_published_references_with_their_source(edition):
    text = " ".join(edition["text"].split())
    assert "La France, d'après les chiffres publiés" in text
    assert f"Les extractions reçues ne couvrent que {edition['name']}" in text
    # the targets are read against the published national count (the open data's last year), never the extracts
    open_data = pd.read_parquet(Path(edition["processed"]) / "territory_year.parquet")
    france = open_data[open_data["niveau"] == "france"].sort_values("annee").iloc[-1]
    share = format_percent(float(france["nombre_contrats"]) / 10_000, 1).replace("\u00a0", " ")
    count = format_number(france["nombre_contrats"]).replace("\u00a0", " ").replace("\u202f", " ")
    assert re.search(r"France \(chiffres publiés, source : données annuelles par territoire[^)]*\) : "
                     + re.escape(f"{count} contrats signés au 31 décembre {france['annee']}, soit {share} de "
                                 "l'objectif de 10 000"), text)


def test_a_region_outside_the_extracts_is_refused(edition):
    assert edition["outside"] == 2
    assert "aucun contrat de la région Normandie (28) dans ces extractions" in edition["outside_stderr"]
    assert edition["name"] in edition["outside_stderr"]
    assert "Traceback" not in edition["outside_stderr"] and not edition["normandie_written"]


# --- the publication, the site, the dashboards -------------------------------------------------------------------


def test_the_audited_publication_holds_no_france_cell(bretagne_data):
    from am_analytics.presentation.publication import audited
    from am_analytics.presentation.results import NationalResults, ScopeResults
    from am_analytics.presentation.scope import Scope

    scope = Scope.open(data=bretagne_data)
    assert (scope.region, scope.covers_france) == ("53", False)
    national = NationalResults.of(scope)
    published, _ = audited(national, [(scope, ScopeResults.compute(scope, national))], scope.all_contracts)
    assert published.nation.empty and published.progress.empty and published.monthly.empty
    assert set(published.regions["code"]) == set(published.shares["code"]) == {"53"}
    assert set(published.departements["region_code"]) == {"53"}
    with pytest.raises(UsageError, match="aucun contrat de la région Normandie"):
        scope.with_region("28")


def test_the_site_publishes_the_covered_region_and_nothing_of_france(bretagne_data, tmp_path):
    from am_analytics.presentation.scope import Scope
    from am_analytics.schedule.__main__ import covered_regions
    from am_analytics.site.build import build_site

    scope = Scope.open(data=bretagne_data)
    every = [f"{code:02d}" for code in (1, 2, 3, 4, 6)] + ["11", "24", "27", "28", "32", "44", "52", "53"]
    assert covered_regions(every, scope.coverage, every=True) == ["53"]
    with pytest.raises(UsageError, match="--regions : aucun contrat de la région Normandie"):
        covered_regions(["53", "28"], scope.coverage, every=False)
    outcomes = build_site(scope, tmp_path, regions=["53"], profils=[])
    assert all(outcome.ok for outcome in outcomes)
    assert sorted(outcome.stem for outcome in outcomes) == ["enquete", "qualite", "region_53", "technique"]
    page = (tmp_path / "region_53.html").read_text(encoding="utf-8")
    assert "Part des contrats signés en France" not in page and "comparé à la France" not in page
    assert "ne couvrent que Bretagne" in page
    assert "ne couvrent pas la France entière" in (tmp_path / "index.html").read_text(encoding="utf-8")
    for csv in (tmp_path / "donnees").glob("*.csv"):
        assert "France entière;" not in csv.read_text(encoding="utf-8-sig"), csv.name


def test_the_dashboards_show_no_france_row_and_the_national_one_refuses(bretagne_data, edition_bretagne_folder):
    from am_analytics.dashboards import Dashboard, open_dashboard
    from am_analytics.presentation.scope import Scope

    board = Dashboard(Scope.open(data=bretagne_data))
    assert "ne couvrent que Bretagne" in str(board.ranked_regions())
    assert set(board.backgrounds_table().frame["code"]) == {"53"}
    folder, processed = edition_bretagne_folder
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AM_ANALYTICS_KEY", KEY)
        with pytest.raises(UsageError, match="ne couvrent que Bretagne, pas la France entière"):
            open_dashboard(data_dir=folder, processed_dir=processed, france=True)


def test_the_scheduler_leaves_out_the_notebooks_that_present_france(capsys):
    from am_analytics.coverage import Coverage
    from am_analytics.schedule.__main__ import covered_notebooks
    from am_analytics.schedule.plan import discover_notebooks

    specs = discover_notebooks(REPO / "notebooks")
    assert [spec.name for spec in specs if spec.presents_france] == ["01_deploiement_national"]
    kept = covered_notebooks(specs, Coverage(REGION, ("53",)))
    assert [spec.name for spec in kept] == [spec.name for spec in specs if spec.name != "01_deploiement_national"]
    assert "01_deploiement_national non exécuté" in capsys.readouterr().out
    assert covered_notebooks(specs, Coverage(FRANCE)) == specs


def test_several_regions_are_never_summed_as_france(bretagne_data):
    from dataclasses import replace

    from am_analytics.coverage import Coverage
    from am_analytics.presentation.scope import Scope

    two = replace(bretagne_data, manifest={**bretagne_data.manifest,
                                           "territoire": Coverage(REGIONS, ("28", "53")).record()})
    with pytest.raises(UsageError, match=r"--region : ces extractions ne couvrent pas la France entière mais 2 "
                                         r"régions \(Normandie \(28\), Bretagne \(53\)\)"):
        Scope.open(data=two).presented("--region")
    assert Scope.open(data=two).region is None  # a run's data (the site's pages), presented by region only
    scope = Scope.open(data=two, region="Bretagne")
    assert (scope.region, scope.covers_france, scope.coverage.label) == ("53", False, "Normandie, Bretagne")
    with pytest.raises(UsageError, match="aucun contrat de la région Guyane"):
        Scope.open(data=two, region="03")


def test_without_open_data_france_is_the_latest_published_milestone_with_its_source():
    from am_analytics import reference
    from am_analytics.presentation.france_reference import latest_france_reference, target_sentence

    figures = reference.published_figures()
    signed = figures[(figures["indicator"] == "contrats_signes") & (figures["scope"] == "France entiere")]
    day = pd.Timestamp("2023-12-31")
    latest = signed[pd.to_datetime(signed["reference_date"]) <= day].sort_values("reference_date").iloc[-1]
    france = latest_france_reference(None, day, synthetic=False)
    assert (france.value, france.source) == (float(latest["value"]), latest["source"])
    assert france.label == f"France (chiffres publiés, source : {latest['source']})"
    assert target_sentence(france, day).startswith(f"Les objectifs sont nationaux. {france.label} : ")
    assert latest_france_reference(None, pd.Timestamp("2019-10-01"), synthetic=False) is None  # before any figure
