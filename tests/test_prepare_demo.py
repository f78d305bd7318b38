"""On the shipped demo data, the preparation catches every injected defect, and nothing else."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from am_analytics import paths
from am_analytics.prepare.pipeline import prepare


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    return prepare(paths.raw_dir(), out, key=b"demo-test")


@pytest.fixture(scope="module")
def defects() -> list[dict]:
    listed = []
    for sidecar in sorted(paths.raw_dir().glob("*.provenance.json")):
        listed.extend(json.loads(sidecar.read_text(encoding="utf-8")).get("injected_defects", []))
    assert listed, "the demo provenance lists its injected defects"
    return listed


def test_every_raw_row_is_accounted_for(prepared):
    for account in prepared.accounts:
        assert account.rows_read > 0, account.file
        assert account.rows_read == account.rows_kept + account.rows_merged + account.rows_quarantined, account.file
    assert {a.dataset for a in prepared.accounts} == {"contracts", "territory_year", "survey", "survey_tables"}


def test_every_injected_rejection_is_quarantined_with_its_reason(prepared, defects):
    quarantine = prepared.quarantine
    located = set(zip(quarantine["file"], quarantine["line"].astype(int), quarantine["reason"], strict=True))
    expected_rejections = [d for d in defects if d["expected"] in set(quarantine["reason"]) | _reason_codes()]
    assert expected_rejections
    missed = [d for d in expected_rejections if (d["file"], d["line"], d["expected"]) not in located]
    assert not missed, missed[:5]


def test_nothing_is_quarantined_that_was_not_injected(prepared, defects):
    injected = {(d["file"], d["line"]) for d in defects if d["expected"] in _reason_codes()}
    quarantined = set(zip(prepared.quarantine["file"], prepared.quarantine["line"].astype(int), strict=True))
    assert quarantined <= injected, sorted(quarantined - injected)[:5]


def test_empty_backgrounds_are_kept_as_unknown(prepared, defects):
    contracts = prepared.tables["contracts"].set_index("contrat_id")
    empty = [d["contrat_id"] for d in defects if d["expected"] == "kept as inconnu"]
    assert empty
    assert (contracts.loc[empty, "profil_origine"] == "inconnu").all()


def test_exact_duplicates_are_kept_once(prepared, defects):
    contracts = prepared.tables["contracts"]
    assert contracts["contrat_id"].is_unique
    duplicated = {d["contrat_id"] for d in defects if d["expected"] == "merged exact duplicate"}
    assert duplicated <= set(contracts["contrat_id"])
    merged = sum(a.rows_merged for a in prepared.accounts)
    assert merged == len([d for d in defects if d["expected"] == "merged exact duplicate"]) - len(duplicated)


def test_excel_serial_dates_are_converted(prepared, defects):
    contracts = prepared.tables["contracts"].set_index("contrat_id")
    serials = [d for d in defects if d["defect"] == "excel_serial_date"]
    assert serials
    for defect in serials:
        expected = pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(float(defect["value"])))
        assert contracts.loc[defect["contrat_id"], "date_signature"] == expected


def _reason_codes() -> set[str]:
    from am_analytics.vocabulary import REASONS

    return set(REASONS)
