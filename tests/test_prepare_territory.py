"""The yearly open data by territory is read into one tidy row per year and territory."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from am_analytics.prepare.pipeline import prepare

HEADER = (
    "Année;Code région;Région;Code département;Département;Nombre de contrats;"
    "Part des médecins généralistes éligibles ayant recours (%)"
)


def write_opendata(folder: Path, rows: list[str], header: str = HEADER) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    # Opendatasoft exports: ';', UTF-8 with a byte-order mark
    (folder / "opendata.csv").write_bytes(("\n".join([header, *rows]) + "\n").encode("utf-8-sig"))


def run(tmp_path: Path, rows: list[str], header: str = HEADER):
    write_opendata(tmp_path / "raw", rows, header)
    return prepare(tmp_path / "raw", tmp_path / "out", key=b"k")


def test_aggregate_and_detail_rows_get_their_level_and_code(tmp_path):
    result = run(
        tmp_path,
        [
            "2023;FRANCE;FRANCE;999;Tout département;5 355;12,1",
            "2023;93;Provence-Alpes-Côte d'Azur;999;Tout département;480;11",
            "2023;93;Provence-Alpes-Côte d'Azur;13;Bouches-du-Rhône;210;10,5",
        ],
    )
    table = result.tables["territory_year"]
    assert table[["niveau", "code"]].values.tolist() == [["france", "FR"], ["region", "93"], ["departement", "13"]]
    assert table["nombre_contrats"].tolist() == [5355, 480, 210]
    assert table["nombre_contrats"].dtype == "Int64"
    assert table["taux_recours_pct"].tolist() == [12.1, 11.0, 10.5]


def test_ns_cells_stay_missing_and_flagged_never_zero(tmp_path):
    table = run(tmp_path, ["2023;94;Corse;2A;Corse-du-Sud;NS;NS"]).tables["territory_year"]
    assert pd.isna(table.loc[0, "nombre_contrats"]) and bool(table.loc[0, "nombre_contrats_ns"])
    assert pd.isna(table.loc[0, "taux_recours_pct"]) and bool(table.loc[0, "taux_recours_ns"])


def test_field_name_headers_are_accepted(tmp_path):
    header = "annee;code_region;libelle_region;code_departement;libelle_departement;nombre_contrats;taux_recours"
    table = run(tmp_path, ["2022;84;Auvergne-Rhône-Alpes;1;Ain;37;9,8"], header).tables["territory_year"]
    assert table.loc[0, "code"] == "01"


def test_bad_rows_are_quarantined_with_their_reason(tmp_path):
    result = run(
        tmp_path,
        [
            "2023;94;Corse;20;Corse;4;10",
            "2023;84;Auvergne-Rhône-Alpes;01;Ain;12;120",
            "2023;84;Auvergne-Rhône-Alpes;03;Allier;-3;10",
            "20x3;84;Auvergne-Rhône-Alpes;07;Ardèche;5;10",
            "1990;84;Auvergne-Rhône-Alpes;07;Ardèche;5;10",
        ],
    )
    reasons = result.quarantine.set_index("line")[["column", "reason"]].apply(tuple, axis=1).to_dict()
    assert reasons == {
        2: ("Code département", "departement_ambigu"),
        3: ("Part des médecins généralistes éligibles ayant recours (%)", "pourcentage_invalide"),
        4: ("Nombre de contrats", "nombre_negatif"),
        5: ("Année", "nombre_invalide"),
        6: ("Année", "annee_invalide"),
    }
    assert result.tables["territory_year"].empty
