"""Data quality: the preparation manifest as a per-file table with a total, and a reason breakdown."""

from __future__ import annotations

import pandas as pd
import pytest

from am_analytics.indicators.quality import file_quality, quarantine_reasons
from am_analytics.vocabulary import REASONS

MANIFEST = {
    "synthetic": True,
    "files": [
        {
            "file": "a.csv",
            "dataset": "contracts",
            "rows_read": 10,
            "rows_kept": 7,
            "rows_merged": 1,
            "rows_quarantined": 2,
            "quarantine_reasons": {"date_invalide": 2, "etp_invalide": 1},
        },
        {
            "file": "b.xlsx",
            "dataset": "contracts",
            "rows_read": 5,
            "rows_kept": 4,
            "rows_merged": 0,
            "rows_quarantined": 1,
            "quarantine_reasons": {"date_invalide": 1},
        },
        {
            "file": "empty.csv",
            "dataset": None,
            "rows_read": 0,
            "rows_kept": 0,
            "rows_merged": 0,
            "rows_quarantined": 0,
            "quarantine_reasons": {},
        },
    ],
}


def test_one_row_per_file_and_a_total():
    table = file_quality(MANIFEST)
    assert list(table["fichier"]) == ["a.csv", "b.xlsx", "empty.csv", "Total"]
    total = table.iloc[-1]
    assert total[["lignes_lues", "lignes_conservees", "doublons_fusionnes", "lignes_en_quarantaine"]].tolist() == [
        15,
        11,
        1,
        3,
    ]
    assert total["part_quarantaine"] == pytest.approx(3 / 15)
    assert pd.isna(table.iloc[2]["part_quarantaine"])  # no rows read: no share, not 0 %
    assert table["equilibre"].all()
    assert table.attrs["sources"] == ("demo",)


def test_an_unbalanced_file_is_flagged():
    manifest = {
        "files": [
            {
                "file": "x.csv",
                "dataset": "contracts",
                "rows_read": 3,
                "rows_kept": 1,
                "rows_merged": 0,
                "rows_quarantined": 1,
            }
        ]
    }
    table = file_quality(manifest)
    assert not table["equilibre"].any()
    assert table.attrs["sources"] == ("extract",)


def test_reasons_use_the_vocabulary_labels_most_frequent_first():
    reasons = quarantine_reasons(MANIFEST)
    assert list(reasons["raison"]) == ["date_invalide", "etp_invalide"]
    first = reasons.iloc[0]
    assert first["libelle"] == REASONS["date_invalide"]
    assert (first["lignes"], first["fichiers"]) == (3, "a.csv, b.xlsx")
    assert first["part_lignes_en_quarantaine"] == pytest.approx(1.0)  # 3 of the 3 quarantined rows


def test_an_unknown_reason_keeps_its_code_as_label():
    manifest = {"files": [{"file": "x.csv", "rows_read": 1, "rows_quarantined": 1, "quarantine_reasons": {"new": 1}}]}
    assert quarantine_reasons(manifest).iloc[0]["libelle"] == "new"


def test_an_empty_manifest_gives_a_zero_total_and_no_reasons():
    assert file_quality({"files": []}).iloc[0]["lignes_lues"] == 0
    assert quarantine_reasons({"files": []}).empty


# --- Updates, warnings and the change log ---------------------------------------------------------------

from am_analytics.indicators.quality import change_log, changes_by_column, warning_details, warning_reasons  # noqa: E402
from am_analytics.prepare.pipeline import empty_changes  # noqa: E402
from am_analytics.prepare.warnings import empty_warnings  # noqa: E402
from am_analytics.vocabulary import WARNING_REASONS  # noqa: E402


def test_updated_and_warned_rows_are_counted_and_the_balance_includes_updates():
    manifest = {"files": [{"file": "m1.csv", "dataset": "contracts", "rows_read": 10, "rows_kept": 6,
                           "rows_updated": 3, "rows_merged": 0, "rows_quarantined": 1, "rows_warned": 4}]}
    table = file_quality(manifest)
    first = table.iloc[0]
    assert (first["lignes_mises_a_jour"], first["lignes_avec_avertissement"]) == (3, 4)
    assert table["equilibre"].all(), "read = kept + updated + merged + quarantined"
    broken = {"files": [{**manifest["files"][0], "rows_updated": 0}]}
    assert not file_quality(broken)["equilibre"].iloc[0], "a lost row must show as an unbalanced account"


def _warnings() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "dataset": "contracts", "file": ["a.csv", "a.csv", "a.csv", "b.xlsx"], "sheet": [None, None, None, "2021"],
            "line": [2, 3, 3, 5], "column": ["Spécialité", "Spécialité", "Zone", "Spécialité"],
            "value": ["Astro", "Astro", "ZZ", "Kiné"], "field": ["specialite", "specialite", "zone", "specialite"],
            "reason": ["specialite_inconnue", "specialite_inconnue", "zone_inconnue", "specialite_inconnue"],
            "message": "m", "suggestions": "s",
        }
    ).astype({"line": "Int64"})
    frame.attrs["synthetic"] = True
    return frame


def test_warnings_are_counted_by_file_and_reason_with_french_labels_and_examples():
    table = warning_reasons(_warnings())
    first = table.iloc[0]
    assert (first["fichier"], first["raison"], first["avertissements"], first["lignes"]) == (
        "a.csv", "specialite_inconnue", 2, 2
    )
    assert first["libelle"] == WARNING_REASONS["specialite_inconnue"] and first["exemples"] == "« Astro »"
    assert table.loc[table["fichier"] == "b.xlsx", "feuille"].tolist() == ["2021"]
    assert int(table["avertissements"].sum()) == 4
    assert table.attrs["sources"] == ("demo",)


def test_warning_details_are_in_french():
    details = warning_details(_warnings())
    assert list(details.columns) == [
        "fichier", "feuille", "ligne", "colonne", "valeur", "motif", "valeurs_acceptees_proches"
    ]


def test_changes_are_counted_by_column_with_contracts_and_files():
    changes = pd.DataFrame(
        {
            "contract_key": ["C1", "C1", "C2"], "column": ["date_fin", "aide_versee_eur", "date_fin"],
            "old_value": [None, "1000", None], "new_value": ["2024-12-31", "2000", "2025-01-31"],
            "old_file": "m1.csv", "new_file": ["m2.csv", "m2.csv", "m3.csv"], "old_line": 2, "new_line": 2,
            "old_extract_date": "2024-01-31", "new_extract_date": "2024-02-29",
        }
    )
    table = changes_by_column(changes)
    assert table[["colonne", "changements", "contrats"]].values.tolist() == [
        ["date_fin", 2, 2], ["aide_versee_eur", 1, 1]
    ]
    assert table.iloc[0]["libelle"] == "Date de fin" and table.iloc[0]["fichiers"] == "m2.csv, m3.csv"
    assert change_log(changes)["colonne"].tolist() == ["Date de fin", "Aide versée", "Date de fin"]


def test_no_warning_and_no_change_give_empty_tables_with_their_columns():
    assert warning_reasons(empty_warnings()).empty and "libelle" in warning_reasons(empty_warnings()).columns
    assert changes_by_column(empty_changes()).empty and "contrats" in changes_by_column(empty_changes()).columns
