"""`am_analytics.load()`: where processed tables live, the acceptance cut-off, the synthetic flag on every
frame, and damaged processed files rebuilt or refused (never a raw Arrow traceback)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from am_analytics import load, paths
from am_analytics.cli import run
from am_analytics.errors import DataError
from am_analytics.prepare.__main__ import main as prepare_main

HEADER = "N° contrat;RPPS;Date de signature;Date de fin;Département;Spécialité;Zone;Quotité;Profil d'origine;Formation"
ROWS = [
    "C1;99100000001;01/02/2020;;13;MG;ZIP;1/3;IDE;CQP obtenu",
    "C2;99100000002;15/03/2021;;2a;Cardiologie;;0,5;;",
    "C3;99100000003;01/07/2024;;Paris;Astrologie;Hors zone;temps plein;Secrétaire médicale;CQP en cours",
]


def raw_folder(root: Path, rows: list[str] = ROWS) -> Path:
    folder = root / "raw"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _key_and_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AM_ANALYTICS_KEY", "test-key")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_another_folder_is_prepared_into_its_cache_folder_never_the_projects(tmp_path):
    project_processed = paths.processed_dir()
    before = {p.name: p.stat().st_mtime_ns for p in project_processed.iterdir()} if project_processed.is_dir() else {}
    data = load(raw_folder(tmp_path))
    expected = paths.processed_dir_for(tmp_path / "raw")
    assert expected.parent == tmp_path / "cache" / "am_analytics"
    assert (expected / "contracts.parquet").is_file() and (expected / "manifest.json").is_file()
    after = {p.name: p.stat().st_mtime_ns for p in project_processed.iterdir()} if project_processed.is_dir() else {}
    assert after == before, "loading another folder touched the project's data/processed"
    assert len(data.contracts) == 3


def test_the_projects_raw_folder_maps_to_the_projects_processed_folder():
    assert paths.processed_dir_for(paths.raw_dir()) == paths.processed_dir()
    assert paths.processed_dir_for(paths.raw_dir() / ".." / "raw") == paths.processed_dir()


def test_load_without_a_cutoff_accepts_every_signature_up_to_today(tmp_path):
    data = load(raw_folder(tmp_path), tmp_path / "out")
    assert data.manifest["parameters"]["cutoff"] is None
    assert sorted(data.contracts["contrat_id"]) == ["C1", "C2", "C3"]


def test_the_cutoff_rejects_signatures_after_it_and_is_recorded(tmp_path):
    data = load(raw_folder(tmp_path), tmp_path / "out", cutoff=date(2024, 6, 30))
    assert data.manifest["parameters"]["cutoff"] == "2024-06-30"
    assert "as_of" not in data.manifest["parameters"]
    assert data.quarantine["reason"].tolist() == ["signature_hors_periode"]


def test_every_frame_carries_the_synthetic_flag_and_warnings_and_changes_exist(tmp_path):
    data = load(raw_folder(tmp_path), tmp_path / "out")
    frames = {
        "contracts": data.contracts, "quarantine": data.quarantine, "warnings": data.warnings, "changes": data.changes,
    }
    for name, frame in frames.items():
        assert frame.attrs.get("synthetic") is False, name
    assert data.warnings["reason"].tolist() == ["specialite_inconnue"]
    assert data.warnings["value"].tolist() == ["Astrologie"]
    assert data.changes.empty and "contract_key" in data.changes.columns
    assert set(data.manifest["outputs"]) >= {"warnings.parquet", "changes.parquet", "contracts.parquet"}
    assert all(len(record["sha256"]) == 64 for record in data.manifest["outputs"].values())


def test_synthetic_inputs_set_the_flag_to_true(tmp_path):
    folder = raw_folder(tmp_path)
    (folder / "a.csv.provenance.json").write_text('{"synthetic": true}', encoding="utf-8")
    data = load(folder, tmp_path / "out")
    assert data.contracts.attrs["synthetic"] is True and data.warnings.attrs["synthetic"] is True


def _cut_in_half(path: Path) -> None:
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])


def test_a_truncated_processed_file_is_rebuilt_from_the_raw_folder(tmp_path):
    folder, out = raw_folder(tmp_path), tmp_path / "out"
    first = load(folder, out)
    good = (out / "contracts.parquet").read_bytes()
    _cut_in_half(out / "contracts.parquet")
    again = load(folder, out)
    assert (out / "contracts.parquet").read_bytes() == good
    pd.testing.assert_frame_equal(again.contracts, first.contracts)


def test_a_damaged_processed_file_without_its_raw_folder_is_refused_with_a_french_message(tmp_path):
    folder, out = raw_folder(tmp_path), tmp_path / "out"
    load(folder, out)
    _cut_in_half(out / "contracts.parquet")
    shutil.rmtree(folder)
    with pytest.raises(DataError) as error:
        load(folder, out)
    assert error.value.exit_code == 3
    message = str(error.value)
    assert "contracts.parquet" in message and "endommagées" in message and "SHA-256" in message
    assert "ArrowInvalid" not in message


def test_intact_processed_files_load_even_when_the_raw_folder_is_gone(tmp_path):
    folder, out = raw_folder(tmp_path), tmp_path / "out"
    load(folder, out)
    shutil.rmtree(folder)
    assert len(load(folder, out).contracts) == 3


def test_the_command_line_takes_cutoff_and_still_accepts_as_of_with_a_note(tmp_path, capsys):
    folder = raw_folder(tmp_path)
    assert run(prepare_main, ["--data-dir", str(folder), "--out", str(tmp_path / "o1"), "--cutoff", "2024-06-30",
                              "-q"]) == 0
    assert "--as-of" not in capsys.readouterr().err
    assert run(prepare_main, ["--data-dir", str(folder), "--out", str(tmp_path / "o2"), "--as-of", "2024-06-30",
                              "-q"]) == 0
    err = capsys.readouterr().err
    assert "--cutoff" in err and "remplacé" in err
    first = (tmp_path / "o1" / "contracts.parquet").read_bytes()
    assert first == (tmp_path / "o2" / "contracts.parquet").read_bytes()
    assert run(prepare_main, ["--data-dir", str(folder), "--out", str(tmp_path / "o3"), "--as-of", "2024-06-30",
                              "--cutoff", "2025-01-01"]) == 2


def test_the_help_names_cutoff_and_hides_the_old_option(capsys):
    with pytest.raises(SystemExit):
        prepare_main(["--help"])
    help_text = capsys.readouterr().out
    assert "--cutoff" in help_text and "--as-of" not in help_text


def test_the_command_line_writes_another_folder_into_its_cache_folder(tmp_path):
    folder = raw_folder(tmp_path)
    assert run(prepare_main, ["--data-dir", str(folder), "-q"]) == 0
    assert (paths.processed_dir_for(folder) / "manifest.json").is_file()
