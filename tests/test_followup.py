"""The monthly follow-up: signings per month from a date, this month against the previous one and a year before by
département, what changed between two runs, one's own extracts against the yearly open data, and the internal
Excel export."""

from __future__ import annotations

import matplotlib
import openpyxl
import pandas as pd
import pytest

from am_analytics.figures.contract import check_figure
from am_analytics.figures.followup import monthly_signings_chart, open_data_gap_chart
from am_analytics.indicators.common import IndicatorArgumentError
from am_analytics.indicators.followup import (
    change_counts,
    changes_between_runs,
    month_against_previous,
    open_data_comparison,
    signings_by_month,
)
from am_analytics.internal_export import INTERNAL_MENTION, export_internal
from tests.indicator_helpers import make_contracts, monthly_signatures

matplotlib.use("Agg")


def _signatures() -> pd.DataFrame:
    return monthly_signatures({"2023-05": 2, "2024-04": 3, "2024-05": 4, "2024-06": 1}, departement="35")


def test_signings_by_month_start_at_since_and_keep_the_whole_cumul():
    frame = signings_by_month(_signatures(), as_of="2024-06-30", since="2024-04", synthetic=False)
    assert frame["mois"].dt.strftime("%Y-%m").tolist() == ["2024-04", "2024-05", "2024-06"]
    assert frame["signes_mois"].tolist() == [3, 4, 1]
    assert frame["signes_cumul"].tolist() == [5, 9, 10]  # the cumul counts May 2023 too


@pytest.mark.parametrize("since", ["2024-13", "juin", "2030-01"])
def test_a_start_that_is_no_month_or_after_the_counting_date_is_refused_in_french(since):
    with pytest.raises(IndicatorArgumentError, match="début de période"):
        signings_by_month(_signatures(), as_of="2024-06-30", since=since, synthetic=False)


def test_month_against_previous_and_same_month_a_year_before():
    frame = month_against_previous(_signatures(), as_of="2024-05-31", synthetic=False).set_index("code")
    row = frame.loc["35"]
    assert (row["signes_mois"], row["signes_mois_precedent"], row["signes_meme_mois_an_passe"]) == (4, 3, 2)
    assert (row["ecart_mois_precedent"], row["ecart_un_an"]) == (1, 2)
    assert frame.attrs["mois"] == "2024-05-01" and frame.attrs["mois_complet"]
    assert len(frame) == 101 and frame.drop(index="35")["signes_mois"].eq(0).all()
    partial = month_against_previous(_signatures(), as_of="2024-05-15", synthetic=False)
    assert not partial.attrs["mois_complet"]


def test_changes_between_runs_name_new_ended_updated_and_removed_contracts():
    before = make_contracts([{"contrat_id": "A"}, {"contrat_id": "B"}, {"contrat_id": "C"}, {"contrat_id": "D"}])
    after = make_contracts([
        {"contrat_id": "A"},
        {"contrat_id": "B", "date_fin": "2024-03-01"},
        {"contrat_id": "C", "formation": "aucune"},
        {"contrat_id": "E"},
    ])
    changes = changes_between_runs(before, after).set_index("contrat_id")
    assert changes["changement"].to_dict() == {"E": "nouveau", "B": "termine", "C": "modifie", "D": "retire"}
    assert changes.loc["C", "colonnes"] == "formation"
    counts = change_counts(changes.reset_index()).set_index("changement")["contrats"]
    assert counts.to_dict() == {"nouveau": 1, "termine": 1, "modifie": 1, "retire": 1}
    assert changes_between_runs(before, before).empty


def _open_data() -> pd.DataFrame:
    rows = [(2023, "departement", "35", "Ille-et-Vilaine", 2, False), (2023, "departement", "29", "Finistère", None,
            True), (2024, "departement", "35", "Ille-et-Vilaine", 10, False), (2024, "departement", "13",
            "Bouches-du-Rhône", 50, False), (2024, "region", "53", "Bretagne", 9, False)]
    frame = pd.DataFrame(rows, columns=["annee", "niveau", "code", "libelle", "nombre_contrats", "nombre_contrats_ns"])
    return frame.astype({"annee": "Int64", "nombre_contrats": "Int64", "niveau": "string", "code": "string"})


def test_open_data_comparison_gives_the_gap_and_its_sign_for_the_territories_covered():
    contracts = _signatures().assign(region="53")
    frame = open_data_comparison(contracts, _open_data(), as_of="2024-06-30", synthetic=False)
    # Bouches-du-Rhône is outside the extracts' territory: not compared (its zero would be no count)
    assert set(frame["code"]) == {"35", "29"}
    by_year = frame.set_index(["code", "annee"])
    assert by_year.loc[("35", 2023), "extractions"] == 2 and by_year.loc[("35", 2023), "sens"] == "égal"
    assert pd.isna(by_year.loc[("29", 2023), "donnees_ouvertes"]) and pd.isna(by_year.loc[("29", 2023), "ecart"])
    # 2024 is not over at 30/06/2024: no gap computed for an incomplete year
    assert not by_year.loc[("35", 2024), "annee_complete"] and pd.isna(by_year.loc[("35", 2024), "ecart"])
    later = open_data_comparison(contracts, _open_data(), as_of="2024-12-31", synthetic=False)
    row = later.set_index(["code", "annee"]).loc[("35", 2024)]
    assert (row["extractions"], row["ecart"], row["sens"]) == (10, 0, "égal")
    regions = open_data_comparison(contracts, _open_data(), level="region", as_of="2024-12-31", synthetic=False)
    assert regions.iloc[0]["ecart"] == 1 and regions.iloc[0]["sens"] == "extractions au-dessus"


def test_open_data_comparison_without_open_data_says_what_to_do():
    with pytest.raises(IndicatorArgumentError, match="déposer le fichier"):
        open_data_comparison(_signatures(), _open_data().iloc[0:0], synthetic=False)


def test_follow_up_charts_keep_the_figure_contract():
    signings = signings_by_month(_signatures(), as_of="2024-06-15", since="2024-01", synthetic=False)
    check_figure(monthly_signings_chart(signings), synthetic=False)
    comparison = open_data_comparison(_signatures().assign(region="53"), _open_data(), as_of="2024-12-31",
                                      synthetic=False)
    figure = open_data_gap_chart(comparison)
    check_figure(figure, synthetic=False)
    labels = [text.get_text() for text in figure.axes[0].texts]
    assert "10 contre 10" in labels


def test_internal_export_is_marked_on_every_sheet_and_keeps_types(tmp_path):
    frame = month_against_previous(_signatures(), as_of="2024-05-31", synthetic=False)
    signings = signings_by_month(_signatures(), as_of="2024-06-30", since="2024-04", synthetic=True)
    path = export_internal({"Mois contre mois": frame, "Signatures": signings}, tmp_path / "interne.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Mois contre mois", "Signatures", "Notes"]
    for sheet in book.worksheets:
        assert sheet["A1"].value == INTERNAL_MENTION.upper()
    assert "synthétiques" in book["Signatures"]["A2"].value
    month = book["Signatures"]
    assert month["A4"].number_format == "dd/mm/yyyy" and month["D4"].value == 3 and month["D4"].number_format == "#,##0"
    with pytest.raises(ValueError, match=r"\.xlsx"):
        export_internal(frame, tmp_path / "interne.csv")
