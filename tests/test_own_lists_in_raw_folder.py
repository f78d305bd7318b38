"""The analyst's own lists dropped into the raw folder (issue 23 items 5 and 8): GP counts by département and training
sites, recognised by their headers in the prepare step, kept or quarantined row by row, and used by every output
through the published items: each per-100-GP rate names the count it used, the training supply lists the sites."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from am_analytics import paths
from am_analytics.errors import DataError
from am_analytics.figures.regional import departements_side_by_side_chart
from am_analytics.indicators.territories import ESTIMATE_SOURCE, GP_RATE, generalists_source_note
from am_analytics.loading import load
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import sentences
from am_analytics.presentation.regional import departements_compared, index_on_france
from am_analytics.presentation.results import NationalResults
from am_analytics.presentation.scope import Scope

pytestmark = pytest.mark.xdist_group("own_lists")  # the module's prepared folder is built once, in one worker
CONTRACT_FILES = ("contrats_2021.csv", "contrats_2022.csv")  # two demo extracts: enough contracts, quick to prepare
# Occitanie partly counted (and one bad line), Corse and Guadeloupe wholly: a region uses supplied counts only when
# every one of its départements has one
GP_LIST = ("Dépt;Nombre de généralistes;Source;Année\n"
           "Hérault;1 512;RPPS ARS Occitanie;2024\n31;1620;RPPS ARS Occitanie;2024\n"
           "Aude;beaucoup;RPPS ARS Occitanie;2024\n"
           "2A;190;RPPS ARS Corse;2024\nHaute-Corse;205;RPPS ARS Corse;2024\n"
           "971;330;RPPS ARS Guadeloupe;2023\n")
SITES_LIST = ("Organisme de formation;Ville;Département;Source\n"
              "Institut Exemple;Brest;29;Liste DRAFPIC Bretagne 2024\n"
              "Institut Exemple;Rennes;Ille-et-Vilaine;Liste DRAFPIC Bretagne 2024\n")


def _raw_folder(root, **lists: str):
    raw = root / "raw"
    raw.mkdir()
    for name in CONTRACT_FILES:
        for suffix in ("", ".provenance.json"):
            shutil.copy(paths.raw_dir() / f"{name}{suffix}", raw / f"{name}{suffix}")
    for name, text in lists.items():
        (raw / f"{name}.csv").write_bytes(text.encode("cp1252"))  # as Excel saves a CSV on a French Windows
    return raw


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """The folder prepared once with both lists, and its national results."""
    root = tmp_path_factory.mktemp("own_lists")
    raw = _raw_folder(root, effectifs_mg=GP_LIST, sites_formation=SITES_LIST)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AM_ANALYTICS_KEY", "test-own-lists")
        data = load(raw, root / "processed")
        results = NationalResults.of(Scope.open(data=data))
    return data, results


def test_the_prepare_step_recognises_each_list_by_its_headers_and_balances_its_rows(prepared):
    data, _ = prepared
    files = {record["file"]: record for record in data.manifest["files"]}
    assert files["effectifs_mg.csv"]["dataset"] == "own_generalists"
    assert files["sites_formation.csv"]["dataset"] == "own_training_sites"
    gp = files["effectifs_mg.csv"]
    assert (gp["rows_read"], gp["rows_kept"], gp["rows_quarantined"]) == (6, 5, 1)
    assert set(data.own_generalists["departement"]) == {"34", "31", "2A", "2B", "971"}
    assert list(data.own_training_sites["departement"]) == ["29", "35"]


def test_a_bad_line_of_the_list_is_quarantined_with_its_file_line_and_reason(prepared):
    data, _ = prepared
    rejected = data.quarantine[data.quarantine["dataset"] == "own_generalists"]
    assert len(rejected) == 1
    row = rejected.iloc[0]
    assert (row["file"], int(row["line"])) == ("effectifs_mg.csv", 4)
    assert "beaucoup" in row["message"] and "nombre entier" in row["message"]


def test_published_departement_rates_use_the_own_counts_row_by_row(prepared):
    _, results = prepared
    frame = results.departements.set_index("code")
    assert frame.loc["34", "generalistes_source"] == "RPPS ARS Occitanie (2024), fourni par l'analyste"
    assert frame.loc["11", "generalistes_source"] == ESTIMATE_SOURCE, "Aude's bad line: the estimate, said so"
    exact = results.exact["departements"].set_index("code")
    assert exact.loc["34", "actifs_mg_pour_100_mg_estimes"] == pytest.approx(exact.loc["34", "actifs_mg"] / 1512 * 100)


def test_a_region_wholly_counted_uses_the_own_counts_overseas_and_in_corse_too(prepared):
    _, results = prepared
    regions = results.regions.set_index("code")
    assert regions.loc["94", "generalistes_source"] == "RPPS ARS Corse (2024), fourni par l'analyste"
    assert regions.loc["01", "generalistes_source"] == "RPPS ARS Guadeloupe (2023), fourni par l'analyste"
    assert regions.loc["76", "generalistes_source"] == ESTIMATE_SOURCE, "Occitanie is partly counted: the estimate"
    assert results.nation.iloc[0]["generalistes_source"].startswith("mixte")


def test_every_territory_table_names_the_gp_count_its_rates_used(prepared):
    _, results = prepared
    occitanie = cat.departements_table(results.departements[results.departements["region_code"] == "76"])
    note = next(text for text in occitanie.notes if text.startswith("MG :"))
    assert "RPPS ARS Occitanie (2024)" in note and "estimation livrée" in note and "Aude" in note
    assert cat.ESTIMATED_GP_NOTE not in occitanie.notes
    header = next(column.header for column in occitanie.columns if column.key == GP_RATE)
    assert "fournis" in header
    regions = cat.regions_table(results.regions)
    assert any("RPPS ARS Corse (2024)" in text and "RPPS ARS Guadeloupe (2023)" in text for text in regions.notes)
    corse = cat.key_figures_table(results.nation, results.regions, "94")
    assert any("RPPS ARS Corse" in text and "France entière" in text for text in corse.notes)
    bretagne = cat.departements_table(results.departements[results.departements["region_code"] == "53"])
    assert cat.ESTIMATED_GP_NOTE in bretagne.notes, "a region without supplied counts keeps the estimate's note"


def test_the_report_sentence_on_regions_says_which_gp_counts_its_rates_used(prepared):
    _, results = prepared
    message = sentences.territories_message(results.regions, results.nation)
    assert "effectifs fournis par l'analyste" in message.text and "(estimation)" not in message.text


def test_the_index_on_france_says_its_gp_rate_is_not_only_an_estimate(prepared):
    _, results = prepared
    index = index_on_france(results.regions, results.nation, results.shares, results.training,
                            results.training_france, "94").set_index("indicateur")
    assert "(fournis ou est.)" in index.loc[GP_RATE, "libelle"]


def test_the_regional_chart_of_departements_names_the_own_source(prepared):
    _, results = prepared
    compared = departements_compared(results.departements, "94")
    fig = departements_side_by_side_chart(compared, france=results.nation.iloc[0], title="Corse", as_of="2022-12-31",
                                          synthetic=True)
    texts = " ".join(text.get_text() for text in fig.texts)
    assert "RPPS ARS Corse (2024)" in texts.replace("\n", " ") and "nombre estimé" not in texts


def test_the_training_supply_includes_the_own_sites_with_their_source(prepared):
    _, results = prepared
    supply = results.training_supply.set_index("code")
    assert supply.loc["53", "sites_formation"] == 2
    assert "Liste DRAFPIC Bretagne 2024" in supply.loc["53", "source"]
    assert supply.loc["76", "sites_formation"] == 5, "the shipped Occitanie list stays where the analyst named none"
    assert pd.isna(supply.loc["84", "sites_formation"]), "a region without any list stays missing, never 0"
    bretagne = cat.training_supply_table(results.training_supply[results.training_supply["code"] == "53"])
    assert "Liste des sites : Liste DRAFPIC Bretagne 2024." in bretagne.notes, "the regional page names the source"


def test_without_an_own_count_the_tables_keep_the_estimates_note():
    frame = pd.DataFrame({"nom": ["Hérault", "Mayotte"], "generalistes_source": [ESTIMATE_SOURCE, pd.NA]})
    assert generalists_source_note(frame) is None


@pytest.mark.parametrize(("text", "message"), [
    ("Dépt;Nombre de généralistes;Année\n34;1512;2024\n", "colonne(s) manquante(s) : source"),
    ("Dépt;Nombre de généralistes;Source;Année\n34;;RPPS;2024\nAtlantide;12;RPPS;2024\n",
     "aucune ligne utilisable dans les effectifs de généralistes (ligne 2 : colonne « generalistes » vide)"),
], ids=["no-source-column", "no-usable-row"])
def test_a_bad_own_list_stops_the_preparation_with_a_french_message_naming_the_file(tmp_path, monkeypatch, text,
                                                                                    message):
    monkeypatch.setenv("AM_ANALYTICS_KEY", "test-own-lists")
    raw = _raw_folder(tmp_path, effectifs_mg=text)
    with pytest.raises(DataError) as raised:
        load(raw, tmp_path / "processed")
    assert "effectifs_mg.csv" in str(raised.value) and message in str(raised.value)


def test_a_departement_counted_in_two_lists_is_refused_naming_both_files(tmp_path, monkeypatch):
    monkeypatch.setenv("AM_ANALYTICS_KEY", "test-own-lists")
    header = "Dépt;Nombre de généralistes;Source;Année\n"
    raw = _raw_folder(tmp_path, mg_a=header + "34;1512;RPPS;2024\n", mg_b=header + "Hérault;1500;Ordre;2024\n")
    with pytest.raises(DataError, match=r"département 34 compté dans deux listes .*mg_a\.csv \(ligne 2\) et "
                                        r"mg_b\.csv \(ligne 2\)"):
        load(raw, tmp_path / "processed")


def test_a_list_inside_an_archive_is_not_read_and_the_manifest_says_why(tmp_path, monkeypatch):
    import zipfile

    monkeypatch.setenv("AM_ANALYTICS_KEY", "test-own-lists")
    raw = _raw_folder(tmp_path)
    with zipfile.ZipFile(raw / "listes.zip", "w") as archive:
        archive.writestr("effectifs_mg.csv", GP_LIST.encode("cp1252"))
    data = load(raw, tmp_path / "processed")
    record = next(record for record in data.manifest["files"] if record["file"] == "listes.zip:effectifs_mg.csv")
    assert "hors d'une archive" in record["unread_reason"]
    assert data.own_generalists is None, "no count is read from it, so every rate keeps the estimate"
