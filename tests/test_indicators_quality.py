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
