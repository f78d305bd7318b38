"""The preparation turns raw extracts into processed tables and loses nothing on the way."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from am_analytics import load
from am_analytics.errors import DataError
from am_analytics.prepare.pipeline import is_current, prepare

HEADER = "N° contrat;RPPS;Date de signature;Date de fin;Département;Spécialité;Zone;Quotité;Profil d'origine;Formation"
GOOD = [
    "C1;99100000001;01/02/2020;;13;MG;ZIP;1/3;IDE;CQP obtenu",
    "C2;99100000002;15/03/2021;;2a;Cardiologie;;0,5;;",
    "C3;99100000003;01/07/2024;;Paris;MG;Hors zone;temps plein;Secrétaire médicale;CQP en cours",
]
KEY = b"test-key"


def write_csv(folder: Path, name: str, rows: list[str], header: str = HEADER, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def run_prepare(raw: Path, out: Path, **options) -> object:
    return prepare(raw, out, key=KEY, **options)


def test_clean_rows_are_kept_with_canonical_values(tmp_path):
    write_csv(tmp_path / "raw", "a.csv", GOOD)
    result = run_prepare(tmp_path / "raw", tmp_path / "out")
    contracts = result.tables["contracts"].set_index("contrat_id")
    assert list(contracts.index) == ["C1", "C2", "C3"]
    assert contracts.loc["C2", "departement"] == "2A" and contracts.loc["C2", "region"] == "94"
    assert contracts.loc["C3", "departement"] == "75"
    assert contracts.loc["C1", "etp_option"] == "1/3" and contracts.loc["C3", "etp"] == 1.0
    assert contracts.loc["C1", "profil_origine"] == "infirmier"
    assert contracts.loc["C2", "profil_origine"] == "inconnu", "an empty background is kept as unknown"
    assert contracts.loc["C1", "date_signature"] == pd.Timestamp("2020-02-01")
    assert contracts.loc["C3", "source_line"] == 4 and contracts.loc["C3", "source_file"] == "a.csv"
    assert result.quarantine.empty


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        ("C9;99100000009;01/02/2020;01/01/2020;13;MG;;1/2;;", "Date de fin", "01/01/2020", "date_fin_avant_signature"),
        ("C9;99100000009;01/02/2020;;20;MG;;1/2;;", "Département", "20", "departement_ambigu"),
        ("C9;99100000009;01/02/2020;;99;MG;;1/2;;", "Département", "99", "departement_inconnu"),
        (
            "C9;99100000009;01/02/2020;;Bouches du Rhonne;MG;;1/2;;",
            "Département",
            "Bouches du Rhonne",
            "departement_inconnu",
        ),
        ("C9;99100000009;01/02/2020;;13;MG;;-1;;", "Quotité", "-1", "etp_invalide"),
        ("C9;99100000009;01/06/2023;;13;MG;;1/3;;", "Quotité", "1/3", "etp_non_autorise"),
        ("C9;99100000009;01/06/2023;;13;MG;;1 + 1/2;;", "Quotité", "1 + 1/2", "etp_non_autorise"),
        ("C9;99100000009;01/06/2018;;13;MG;;1/2;;", "Date de signature", "01/06/2018", "signature_hors_periode"),
        ("C9;99100000009;31/02/2020;;13;MG;;1/2;;", "Date de signature", "31/02/2020", "date_invalide"),
        ("C9;;01/02/2020;;13;MG;;1/2;;", "RPPS", None, "valeur_manquante"),
        (";99100000009;01/02/2020;;13;MG;;1/2;;", "N° contrat", None, "contrat_id_manquant"),
    ],
)
def test_each_bad_value_is_quarantined_with_file_line_column_value_and_reason(tmp_path, row, column, value, reason):
    write_csv(tmp_path / "raw", "a.csv", [*GOOD, row])
    result = run_prepare(tmp_path / "raw", tmp_path / "out", cutoff=date(2025, 6, 30))
    quarantine = result.quarantine
    assert len(quarantine) == 1, quarantine[["column", "reason"]]
    problem = quarantine.iloc[0]
    assert (problem["file"], problem["line"], problem["column"], problem["reason"]) == ("a.csv", 5, column, reason)
    assert pd.isna(problem["value"]) if value is None else problem["value"] == value
    assert problem["message"]
    assert '"Département"' in problem["record"], "the raw record is kept whole"
    assert len(result.tables["contracts"]) == 3


def test_signature_after_the_as_of_date_is_rejected(tmp_path):
    write_csv(tmp_path / "raw", "a.csv", GOOD)
    result = run_prepare(tmp_path / "raw", tmp_path / "out", cutoff=date(2024, 6, 30))
    assert result.quarantine["reason"].tolist() == ["signature_hors_periode"]


def test_every_raw_row_is_kept_merged_or_quarantined(tmp_path):
    write_csv(tmp_path / "raw", "a.csv", [*GOOD, "C9;99100000009;01/02/2020;;99;MG;;1/2;;"])
    write_csv(tmp_path / "raw", "b.csv", [GOOD[0], "C4;99100000004;01/02/2022;;01;MG;;1/2;;"])
    result = run_prepare(tmp_path / "raw", tmp_path / "out")
    for account in result.accounts:
        assert account.rows_read == (
            account.rows_kept + account.rows_updated + account.rows_merged + account.rows_quarantined
        )
    by_file = {a.file: a for a in result.accounts}
    # the copy re-sent in the later extract is the one kept; the earlier one is merged into it
    assert (by_file["a.csv"].rows_kept, by_file["a.csv"].rows_merged, by_file["a.csv"].rows_quarantined) == (2, 1, 1)
    assert (by_file["b.csv"].rows_kept, by_file["b.csv"].rows_merged) == (2, 0)
    assert sorted(result.tables["contracts"]["contrat_id"]) == ["C1", "C2", "C3", "C4"]


def test_a_later_extract_updates_a_contract_and_the_change_is_logged(tmp_path):
    # undated, the two names form a sequence (same stem, numbers 9 then 10: not their alphabetical order)
    later = ["C1;99100000001;01/02/2020;31/12/2024;13;MG;ZIP;1/3;IDE;CQP obtenu"]
    write_csv(tmp_path / "raw", "extraction_10.csv", later)
    write_csv(tmp_path / "raw", "extraction_9.csv", GOOD)
    result = run_prepare(tmp_path / "raw", tmp_path / "out")
    assert result.quarantine.empty, result.quarantine[["file", "reason"]]
    kept = result.tables["contracts"].set_index("contrat_id")
    assert kept.loc["C1", "date_fin"] == pd.Timestamp("2024-12-31")
    assert kept.loc["C1", "source_file"] == "extraction_10.csv"
    by_file = {a.file: a for a in result.accounts}
    assert (by_file["extraction_9.csv"].rows_updated, by_file["extraction_9.csv"].rows_kept) == (1, 2)
    (change,) = result.changes.itertuples(index=False)
    assert (change.contract_key, change.column, change.new_value) == ("C1", "date_fin", "2024-12-31")
    assert pd.isna(change.old_value), "the first extract had no end date"
    assert (change.old_file, change.new_file) == ("extraction_9.csv", "extraction_10.csv")


def test_two_undated_files_nothing_ranks_that_disagree_on_a_counting_field_are_a_conflict(tmp_path):
    write_csv(tmp_path / "raw", "a.csv", GOOD)
    write_csv(tmp_path / "raw", "b.csv", ["C1;99100000001;01/02/2020;31/12/2024;13;MG;ZIP;1/3;IDE;CQP obtenu"])
    result = run_prepare(tmp_path / "raw", tmp_path / "out")
    conflict = result.quarantine[result.quarantine["reason"] == "doublon_conflictuel"]
    assert sorted(conflict["file"]) == ["a.csv", "b.csv"]
    message = conflict["message"].iloc[0]
    assert "sans date" in message and "a.csv ligne" in message and "b.csv ligne" in message and "date_fin" in message
    assert "C1" not in set(result.tables["contracts"]["contrat_id"])


def test_two_versions_of_one_extract_date_are_a_conflict_naming_both_files_and_columns(tmp_path):
    write_csv(tmp_path / "raw", "extraction_2024-06-30_a.csv", GOOD)
    later = ["C1;99100000001;01/02/2020;;13;MG;ZIP;1/2;IDE;CQP obtenu"]
    write_csv(tmp_path / "raw", "extraction_2024-06-30_b.csv", later)
    result = run_prepare(tmp_path / "raw", tmp_path / "out")
    conflicts = result.quarantine[result.quarantine["reason"] == "doublon_conflictuel"]
    assert sorted(conflicts["file"]) == ["extraction_2024-06-30_a.csv", "extraction_2024-06-30_b.csv"]
    message = conflicts["message"].iloc[0]
    assert "extraction_2024-06-30_a.csv ligne 2" in message and "extraction_2024-06-30_b.csv ligne 2" in message
    assert "etp_option" in message, message
    assert "C1" not in set(result.tables["contracts"]["contrat_id"])


def test_no_clear_doctor_identifier_reaches_the_processed_folder(tmp_path):
    write_csv(tmp_path / "raw", "a.csv", GOOD)
    run_prepare(tmp_path / "raw", tmp_path / "out")
    contracts = pd.read_parquet(tmp_path / "out" / "contracts.parquet")
    assert contracts["medecin_id"].str.startswith("m_").all()
    for path in (tmp_path / "out").iterdir():
        if path.is_file():
            assert b"99100000001" not in path.read_bytes(), path.name


def test_rerunning_gives_byte_identical_outputs(tmp_path):
    write_csv(tmp_path / "raw", "a.csv", [*GOOD, "C9;99100000009;01/02/2020;;99;MG;;1/2;;"])
    run_prepare(tmp_path / "raw", tmp_path / "out1")
    run_prepare(tmp_path / "raw", tmp_path / "out2")
    first = {p.name: p.read_bytes() for p in (tmp_path / "out1").iterdir() if not p.name.startswith(".")}
    second = {p.name: p.read_bytes() for p in (tmp_path / "out2").iterdir() if not p.name.startswith(".")}
    assert first.keys() == {
        "contracts.parquet", "quarantine.parquet", "warnings.parquet", "changes.parquet", "manifest.json"
    }
    assert first == second


def test_staleness_is_judged_by_checksums(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    path = write_csv(raw, "a.csv", GOOD)
    assert not is_current(raw, out)
    data = load(raw, out)
    assert len(data.contracts) == 3
    assert is_current(raw, out)
    write_csv(raw, "a.csv", GOOD[:2])
    assert not is_current(raw, out)
    assert len(load(raw, out).contracts) == 2, "changing a raw file triggers a rebuild"
    assert path.exists()


def test_manifest_records_files_checksums_formats_and_accounting(tmp_path):
    write_csv(tmp_path / "raw", "a.csv", GOOD, encoding="cp1252")
    result = run_prepare(tmp_path / "raw", tmp_path / "out")
    (entry,) = result.manifest["files"]
    assert entry["encoding"] in {"cp1252", "windows-1252", "latin-1", "iso-8859-1"}
    assert entry["separator"] == ";"
    assert len(entry["sha256"]) == 64 and entry["size_bytes"] > 0
    assert (entry["rows_read"], entry["rows_kept"]) == (3, 3)
    assert set(result.manifest["inputs"]) == {"a.csv"}


def test_an_empty_folder_is_a_data_error(tmp_path):
    (tmp_path / "raw").mkdir()
    with pytest.raises(DataError, match="aucun fichier"):
        run_prepare(tmp_path / "raw", tmp_path / "out")


def test_a_missing_required_column_names_the_columns_found(tmp_path):
    write_csv(tmp_path / "raw", "a.csv", ["C1;99100000001;13;1/3"], header="N° contrat;RPPS;Département;Quotité")
    with pytest.raises(DataError) as caught:
        run_prepare(tmp_path / "raw", tmp_path / "out")
    assert "date_signature" in str(caught.value) or "signature" in str(caught.value)
    assert "a.csv" in str(caught.value)
    assert not (tmp_path / "out" / "manifest.json").exists()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "am_analytics.prepare", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"AM_ANALYTICS_KEY": "cli-test", "PATH": "/usr/bin:/bin"},
    )


def test_cli_prints_a_summary_per_file(tmp_path):
    write_csv(tmp_path / "raw", "a.csv", [*GOOD, "C9;99100000009;01/02/2020;;20;MG;;1/2;;"])
    result = _cli("--data-dir", str(tmp_path / "raw"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "a.csv" in result.stdout and "ambigu" in result.stdout


def test_cli_strict_exits_3_and_writes_nothing(tmp_path):
    write_csv(tmp_path / "raw", "a.csv", [*GOOD, "C9;99100000009;01/02/2020;;20;MG;;1/2;;"])
    result = _cli("--data-dir", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--strict")
    assert result.returncode == 3
    assert "a.csv, ligne 5" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "contracts.parquet").exists()


def test_cli_empty_folder_exits_3_without_traceback(tmp_path):
    (tmp_path / "raw").mkdir()
    result = _cli("--data-dir", str(tmp_path / "raw"), "--out", str(tmp_path / "out"))
    assert result.returncode == 3
    assert "aucun fichier" in result.stderr and "Traceback" not in result.stderr


def test_cli_unreadable_file_exits_3_naming_the_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "export.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    result = _cli("--data-dir", str(raw), "--out", str(tmp_path / "out"))
    assert result.returncode == 3
    assert "export.xlsx" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_a_new_key_makes_processed_data_stale(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_csv(raw, "a.csv", GOOD)
    monkeypatch.setenv("AM_ANALYTICS_KEY", "first")
    load(raw, out)
    assert is_current(raw, out)
    monkeypatch.setenv("AM_ANALYTICS_KEY", "second")
    assert not is_current(raw, out)


def test_loading_current_data_does_not_wait_for_a_held_lock(tmp_path, monkeypatch, capfd):
    from am_analytics.prepare import pipeline

    monkeypatch.setenv("AM_ANALYTICS_KEY", "lock-test")
    monkeypatch.setattr(pipeline, "LOCK_WAIT_SECONDS", 1)  # a regression fails fast instead of waiting
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_csv(raw, "a.csv", GOOD)
    load(raw, out)
    holder = subprocess.Popen(  # another process busy on the folder (parallel dashboards, say)
        [sys.executable, "-c", "import sys, time; from filelock import FileLock; "
         f"lock = FileLock({str(out / pipeline.LOCK_NAME)!r}); lock.acquire(); print('held', flush=True); "
         "time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert pipeline.prepare_locked(raw, out, only_if_stale=True) is None
        assert "attente" not in capfd.readouterr().err, "a reader of current data must not queue or warn"
    finally:
        holder.kill()


def test_a_column_under_a_header_nobody_listed_is_reported_not_read_silently_nor_lost(tmp_path):
    # « Type de zone » is no alias of `zone`: its values are not read under another name, but the file lacks
    # a zone column and the header resembles one, so a warning says which column to rename
    header = "N° contrat;RPPS;Date de signature;Département;Quotité;Type de zone;Commentaire"
    write_csv(tmp_path / "raw", "a.csv", ["C1;99100000001;01/02/2020;13;1/2;ZIP;appeler"], header=header)
    result = run_prepare(tmp_path / "raw", tmp_path / "out")
    warnings = pd.read_parquet(tmp_path / "out" / "warnings.parquet")
    column = warnings[warnings["reason"] == "colonne_non_reconnue"]
    assert column[["column", "field"]].values.tolist() == [["Type de zone", "zone"]]
    assert "Zone" in column["suggestions"].iloc[0]
    assert result.tables["contracts"]["zone"].isna().all(), "never read silently under another name"
    dropped = {item["column"]: item for item in result.manifest["files"][0]["dropped_columns"]}
    assert dropped["Type de zone"]["resembles"] == "zone"
    assert dropped["Commentaire"]["likely_identifier"] and "resembles" not in dropped["Commentaire"]
