"""Training supply: the assistants who need a training place, beside the sites known in their region; the
shipped list with its sources, an analyst's own list in any format, and what stays missing."""

from __future__ import annotations

import pandas as pd
import pytest

from am_analytics import reference
from am_analytics.errors import DataError
from am_analytics.indicators.training import overdue_by_region, training_sites_in_use, training_supply_by_region
from am_analytics.reference.own import read_training_sites
from tests.indicator_helpers import make_contracts

AS_OF = pd.Timestamp("2024-06-30")


def _supply(rows, **kwargs) -> pd.DataFrame:
    return training_supply_by_region(make_contracts(rows), as_of=AS_OF, synthetic=False, **kwargs).set_index("code")


def test_every_shipped_site_and_count_has_its_source_and_confidence():
    for frame in (reference.training_sites(), reference.training_organisation_counts()):
        assert frame["source"].notna().all() and (frame["source"].str.len() > 10).all()
        assert frame["confidence"].isin(["Q", "S", "I", "L"]).all()
    counts = reference.training_organisation_counts().set_index("count_id")["value"]
    assert counts["organismes_habilites_2025"] == 31 and counts["organismes_habilites_2021"] == 12


def test_a_region_without_a_known_list_stays_missing_never_zero():
    supply = _supply([{"departement": "35", "region": "53"}])
    assert pd.isna(supply.loc["53", "sites_formation"]) and pd.isna(supply.loc["53", "connaissance"])
    assert supply["sites_formation"].dropna().gt(0).all()  # a known supply is never a made-up zero
    assert len(supply) == 18


def test_occitanie_counts_each_organisation_and_town_once():
    occitanie = _supply([{"departement": "34", "region": "76"}]).loc["76"]
    # Keyce Santé at Montpellier appears on its own site and in the 2021 list: one site
    assert occitanie["sites_formation"] == 5
    assert occitanie["connaissance"] == "liste_complete"
    assert occitanie["communes"] == "Montpellier, Narbonne, Rodez, Toulouse"


def test_need_counts_late_and_due_within_twelve_months_only_for_known_uncertified_active_assistants():
    rows = [
        # signed mid-2021: the three-year deadline (mid-2024) falls within twelve months of 30/06/2024 → due
        {"date_signature": "2021-08-01", "formation": "cqp_en_cours", "departement": "13"},
        {"date_signature": "2021-08-01", "formation": "aucune", "departement": "13"},
        # deadline past → late
        {"date_signature": "2020-01-01", "formation": "aucune", "departement": "13"},
        # deadline more than twelve months away → neither
        {"date_signature": "2023-01-10", "formation": "cqp_en_cours", "departement": "13"},
        # certified, unknown training, ended: never counted
        {"date_signature": "2021-08-01", "formation": "cqp_obtenu", "departement": "13"},
        {"date_signature": "2020-01-01", "formation": None, "departement": "13"},
        {"date_signature": "2020-01-01", "formation": "aucune", "departement": "13", "date_fin": "2023-01-01"},
    ]
    paca = _supply(rows).loc["93"]
    assert (paca["en_retard"], paca["echeance_12_mois"], paca["besoin_formation"]) == (1, 2, 3)


def test_late_assistants_are_those_of_the_overdue_table(demo_data):
    contracts = demo_data.contracts
    supply = training_supply_by_region(contracts)
    overdue = overdue_by_region(contracts)
    assert supply["en_retard"].tolist() == overdue["en_retard"].tolist()
    assert (supply["besoin_formation"] >= supply["en_retard"]).all()


def _write_csv(path, text: str, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


def test_an_analysts_list_in_cp1252_with_french_headers_replaces_the_shipped_rows_of_its_regions(tmp_path):
    path = tmp_path / "sites_formation.csv"
    _write_csv(path, "Organisme;Ville;Dépt;Source;Remarque\n"
                     "IFSI Rennes;Rennes;35;liste URPS Bretagne 2024;\n"
                     "Organisme B;Brest;Finistère;liste URPS Bretagne 2024;x\n"
                     "Organisme C;Quimper;99;liste URPS Bretagne 2024;\n"
                     "Organisme D;Lorient;56;;\n"
                     "Organisme E;Toulouse;31;liste ARS Occitanie 2025;\n", encoding="cp1252")
    own = read_training_sites(path)
    assert own.rows["region"].tolist() == ["53", "53", "76"]
    assert own.rows["departement"].tolist() == ["35", "29", "31"]
    assert own.ignored_columns == ("Remarque",)
    # nothing is lost: each bad row kept with its line and reason
    rejected = own.rejected.set_index("ligne")["motif"]
    assert set(rejected.index) == {4, 5}
    assert "« 99 »" in rejected[4] and "source" in rejected[5]
    supply = _supply([{"departement": "35", "region": "53"}], own_sites=own.rows)
    assert supply.loc["53", "sites_formation"] == 2 and supply.loc["53", "connaissance"] == "liste_complete"
    # the analyst's Occitanie list replaces the shipped one: one site, not the shipped five
    assert supply.loc["76", "sites_formation"] == 1
    assert "liste ARS Occitanie 2025" in supply.loc["76", "source"]
    in_use = training_sites_in_use(own.rows)
    assert not (in_use["source"].str.contains("demande n° 23") & in_use["region"].eq("76")).any()


def test_an_analysts_list_as_a_workbook_with_codes_resaved_by_excel(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Organisme de formation", "Commune", "Département", "Source"])
    sheet.append(["Centre A", "Bourg-en-Bresse", 1, "liste ARS 2025"])  # « 01 » re-saved as the number 1
    sheet.append(["Centre B", "Ajaccio", "2A", "liste ARS 2025"])
    path = tmp_path / "sites.xlsx"
    book.save(path)
    own = read_training_sites(path)
    assert own.rows["departement"].tolist() == ["01", "2A"]
    assert own.rows["region"].tolist() == ["84", "94"]


def test_a_list_without_a_required_column_is_refused_naming_the_file_and_the_headers(tmp_path):
    path = tmp_path / "liste.csv"
    _write_csv(path, "Organisme;Ville;Source\nA;Rennes;x\n")
    with pytest.raises(DataError) as caught:
        read_training_sites(path)
    message = caught.value.message
    assert "liste.csv" in message and "departement" in message and "« Ville »" in message


def test_a_list_with_no_usable_row_is_refused_with_the_first_reason(tmp_path):
    path = tmp_path / "liste.csv"
    _write_csv(path, "organisation;commune;departement;source\nA;Nulle-part;Atlantide;x\n")
    with pytest.raises(DataError) as caught:
        read_training_sites(path)
    assert "ligne 2" in caught.value.message and "Atlantide" in caught.value.message
