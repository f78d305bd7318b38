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
        assert account.balanced(), account.file
    assert {a.dataset for a in prepared.accounts} == {
        "contracts", "territory_year", "survey", "survey_tables", "activity",
    }


def _where(records) -> set[tuple]:
    """(file, sheet or "", line) of each record (a defect, or a quarantine or warning row)."""
    return {(r["file"], r.get("sheet") or "", int(r["line"])) for r in records}


def _rows(frame: pd.DataFrame) -> list[dict]:
    return frame.assign(sheet=frame["sheet"].fillna("")).to_dict("records")


def test_every_injected_rejection_is_quarantined_with_its_reason(prepared, defects):
    located = {(r["file"], r["sheet"], int(r["line"]), r["reason"]) for r in _rows(prepared.quarantine)}
    expected_rejections = [d for d in defects if d["expected"] in _reason_codes()]
    assert expected_rejections
    missed = [
        d for d in expected_rejections if (d["file"], d.get("sheet") or "", d["line"], d["expected"]) not in located
    ]
    assert not missed, missed[:5]


def test_nothing_is_quarantined_that_was_not_injected(prepared, defects):
    injected = _where(d for d in defects if d["expected"] in _reason_codes())
    quarantined = _where(_rows(prepared.quarantine))
    assert quarantined <= injected, sorted(quarantined - injected)[:5]


def test_every_unlisted_profession_is_kept_and_warned_and_nothing_else_is_warned(prepared, defects):
    injected = [d for d in defects if d["defect"] == "unlisted_profession"]
    assert injected
    warned = {(r["file"], r["sheet"], int(r["line"]), r["reason"], r["value"]) for r in _rows(prepared.warnings)}
    for defect in injected:
        assert (defect["file"], defect.get("sheet") or "", defect["line"], "profil_inconnu", defect["value"]) in warned
    assert len(prepared.warnings) == len(injected), prepared.warnings[["file", "line", "reason"]].to_string()
    kept = prepared.tables["contracts"].set_index("contrat_id")
    assert (kept.loc[[d["contrat_id"] for d in injected], "profil_origine"] == "inconnu").all()


def test_the_workbook_is_read_sheet_by_sheet_and_its_notice_skipped(prepared):
    (workbook,) = [a for a in prepared.accounts if a.file.endswith(".xlsx") and a.dataset == "contracts"]
    assert workbook.sheets_read == ["2019", "2020"]
    assert [s["sheet"] for s in workbook.sheets_skipped] == ["Notice"]
    assert not workbook.sheets_skipped[0]["looks_like_data"]


def test_the_resent_extract_updates_the_earlier_one_and_every_update_is_logged(prepared):
    sidecar = json.loads((paths.raw_dir() / "contrats_2024.csv.provenance.json").read_text(encoding="utf-8"))
    updates = sidecar["updated_by"]["updates"]
    assert updates
    changes = prepared.changes
    logged = {(c["contract_key"], c["column"]) for c in changes.to_dict("records")}
    assert {(u["contrat_id"], u["column"]) for u in updates} == logged
    assert set(changes["old_file"]) == {"contrats_2024.csv"}
    assert set(changes["new_file"]) == {sidecar["updated_by"]["file"]}
    by_file = {a.file: a for a in prepared.accounts}
    assert by_file["contrats_2024.csv"].rows_updated == len({u["contrat_id"] for u in updates})
    assert by_file[sidecar["updated_by"]["file"]].extract_date_source == "nom de fichier"
    kept = prepared.tables["contracts"].set_index("contrat_id")
    for update in updates:
        value = kept.at[update["contrat_id"], update["column"]]
        if update["column"] == "date_fin":
            assert value == pd.Timestamp(update["new"])
        else:
            assert value == pytest.approx(update["new"])


def test_the_file_keyed_by_caisse_gives_each_contract_its_departement(prepared):
    caisse_rows = prepared.tables["contracts"][prepared.tables["contracts"]["source_file"].str.contains("caisses")]
    assert len(caisse_rows) > 100
    assert caisse_rows["caisse"].notna().all() and caisse_rows["departement"].notna().all()
    from am_analytics.demo.contracts import caisse_codes_of_departements

    expected = caisse_rows["departement"].map(caisse_codes_of_departements())
    assert (caisse_rows["caisse"] == expected).all()


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
    # the re-sent 2024 extract repeats every 2024 contract: those copies are merged too, not counted here
    merged = sum(a.rows_merged for a in prepared.accounts if a.file != "contrats_2024.csv")
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
