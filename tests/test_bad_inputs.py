"""Bad inputs: every file of the corpus in `tests/data/bad/` (listed with its expected outcome in
`cases.json`) gives a short message naming the file (and, for a row, its line and column), the right exit
code, never a traceback, and never replaces a previous good output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from am_analytics.cli import run
from am_analytics.prepare.__main__ import main as prepare_main
from am_analytics.report.__main__ import main as report_main
from tests.conftest import REPO

CORPUS = REPO / "tests" / "data" / "bad"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
PREVIOUS_OUTPUTS = ("contracts.parquet", "quarantine.parquet", "manifest.json")


def _case_id(case: dict) -> str:
    return "-".join([case["command"], case["file"], *case["args"]])


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("AM_ANALYTICS_KEY", "bad-inputs-test-key")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _folder_with(tmp_path: Path, *files: str) -> Path:
    data_dir = tmp_path / "raw"
    data_dir.mkdir()
    for name in files:
        shutil.copyfile(CORPUS / name, data_dir / name)
    return data_dir


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != ".prepare.lock"}


def _run(case: dict, data_dir: Path, out: Path, capsys) -> tuple[int, str]:
    """Run the case's command in-process: an exception escaping `cli.run` is what a user would see as a traceback."""
    if case["command"] == "prepare":
        argv = ["--data-dir", str(data_dir), "--out", str(out), "-q", *case["args"]]
        code = run(prepare_main, argv)
    else:
        argv = ["--data-dir", str(data_dir), "--output", str(out / "rapport.pdf"), *case["args"]]
        code = run(report_main, argv)
    return code, capsys.readouterr().err


def test_the_corpus_has_at_least_thirty_files_each_listed_in_the_cases():
    files = {p.name for p in CORPUS.iterdir() if p.name not in ("cases.json", "generate.py")}
    listed = {case["file"] for case in CASES}
    assert len(files) >= 30, f"only {len(files)} bad files"
    assert files == listed, f"files without a case: {files - listed}; cases without a file: {listed - files}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_bad_input_gives_its_exit_code_and_a_message_naming_what_is_wrong(case, tmp_path, capsys):
    data_dir = _folder_with(tmp_path, case["file"])
    out = tmp_path / "out"
    out.mkdir()
    code, stderr = _run(case, data_dir, out, capsys)
    assert code == case["exit"], f"{case['file']} ({case['why']}): exit {code}, expected {case['exit']}\n{stderr}"
    assert "Traceback" not in stderr
    if case["exit"]:
        assert stderr.startswith("erreur : "), stderr
        missing = [word for word in case["words"] if word not in stderr]
        assert not missing, f"{case['file']}: message lacks {missing}:\n{stderr}"


@pytest.mark.parametrize("case", [c for c in CASES if c["exit"]], ids=_case_id)
def test_a_failed_run_leaves_the_previous_good_outputs_byte_identical(case, tmp_path, capsys):
    data_dir = _folder_with(tmp_path, case["file"])
    out = tmp_path / "out"
    out.mkdir()
    for name in (*PREVIOUS_OUTPUTS, "rapport.pdf", "rapport.xlsx"):
        (out / name).write_bytes(f"previous good {name}".encode())
    before = _snapshot(out)
    _run(case, data_dir, out, capsys)
    assert _snapshot(out) == before, "a failed run changed or added an output"


@pytest.mark.parametrize("case", [c for c in CASES if "quarantine" in c and not c["args"]], ids=_case_id)
def test_a_bad_row_is_quarantined_with_its_file_line_column_and_reason(case, tmp_path, capsys):
    data_dir = _folder_with(tmp_path, case["file"])
    out = tmp_path / "out"
    code, stderr = _run(case, data_dir, out, capsys)
    assert code == 0, stderr
    quarantine = pd.read_parquet(out / "quarantine.parquet")
    expected = case["quarantine"]
    found = quarantine[
        (quarantine["file"] == case["file"])
        & (quarantine["line"] == expected["line"])
        & (quarantine["column"] == expected["column"])
        & (quarantine["reason"] == expected["reason"])
    ]
    assert not found.empty, (
        f"{case['file']}: no quarantine row {expected}; quarantine holds:\n"
        + quarantine[["file", "line", "column", "value", "reason"]].to_string()
    )
    if "value" in expected:
        assert expected["value"] in set(found["value"].dropna()), found[["value"]].to_string()


@pytest.mark.parametrize("case", [c for c in CASES if "warning" in c], ids=_case_id)
def test_a_bad_descriptive_value_keeps_its_row_and_is_warned_with_file_line_column_and_reason(case, tmp_path, capsys):
    data_dir = _folder_with(tmp_path, case["file"])
    out = tmp_path / "out"
    code, stderr = _run(case, data_dir, out, capsys)
    assert code == 0, stderr
    warnings = pd.read_parquet(out / "warnings.parquet")
    expected = case["warning"]
    found = warnings[
        (warnings["file"] == case["file"])
        & (warnings["line"] == expected["line"])
        & (warnings["column"] == expected["column"])
        & (warnings["reason"] == expected["reason"])
    ]
    assert not found.empty, f"{case['file']}: no warning {expected}; warnings hold:\n" + warnings.to_string()
    if "value" in expected:
        assert expected["value"] in set(found["value"].dropna()), found[["value"]].to_string()
    quarantine = pd.read_parquet(out / "quarantine.parquet")
    assert quarantine[quarantine["line"] == expected["line"]].empty, "a descriptive value rejected its row"


def test_every_raw_row_of_a_bad_file_is_accounted_for(tmp_path, capsys):
    files = [c["file"] for c in CASES if c["exit"] == 0 and c["command"] == "prepare" and c["file"].endswith(".csv")]
    data_dir = _folder_with(tmp_path, *dict.fromkeys(files))
    out = tmp_path / "out"
    code, stderr = run(prepare_main, ["--data-dir", str(data_dir), "--out", str(out), "-q"]), capsys.readouterr().err
    assert code == 0, stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for account in manifest["files"]:
        if account["dataset"]:
            assert account["rows_read"] == (
                account["rows_kept"] + account["rows_updated"] + account["rows_merged"] + account["rows_quarantined"]
            ), account


def test_the_command_line_reports_a_bad_file_without_traceback(tmp_path):
    data_dir = _folder_with(tmp_path, "truncated.xlsx")
    result = subprocess.run(
        [sys.executable, "-m", "am_analytics.prepare", "--data-dir", str(data_dir), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert "truncated.xlsx" in result.stderr


def test_a_missing_data_folder_is_a_usage_error(tmp_path, capsys):
    code = run(prepare_main, ["--data-dir", str(tmp_path / "absent"), "--out", str(tmp_path / "out")])
    assert code == 2, capsys.readouterr().err


def test_formulas_from_the_inputs_are_neutralised_in_the_published_workbook(tmp_path, capsys):
    """File names reach the workbook (quality and input sheets); cells typed as formulas are quarantined."""
    from openpyxl import load_workbook

    data_dir = tmp_path / "raw"
    data_dir.mkdir()
    demo = REPO / "data" / "raw" / "contrats_2021.csv"
    for name in ("=HYPERLINK(x).csv", "+cmd|' -C calc'!A0.csv", "@SUM(1).csv", "-2+3.csv"):
        (data_dir / name).write_bytes(demo.read_bytes())
    shutil.copyfile(CORPUS / "formula_cells.csv", data_dir / "formula_cells.csv")
    pdf = tmp_path / "out" / "rapport.pdf"
    code = run(report_main, ["--data-dir", str(data_dir), "--output", str(pdf)])
    assert code == 0, capsys.readouterr().err
    book = load_workbook(pdf.with_suffix(".xlsx"))
    texts = [c.value for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)]
    dangerous = [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    assert not dangerous, f"cells a spreadsheet would run: {dangerous[:5]}"
    assert "'=HYPERLINK(x).csv" in texts, "the formula-like file name should be shown, quoted"


FIFTY_MB = 50 * 1024 * 1024
MEMORY_LIMIT_KB = 3 * 1024 * 1024  # peak resident memory allowed to the preparation of a 50 MB file


def test_a_50_mb_file_is_processed_within_memory_limits(tmp_path):
    import resource

    data_dir = tmp_path / "raw"
    data_dir.mkdir()
    header = "N° contrat;RPPS;Date de signature;Date de fin;Département;Spécialité;Zone;Quotité;Profil d'origine\n"
    row = "AM-{0:08d};99{0:09d};15/03/2021;;{1};Médecine générale;ZIP;1/2;IDE\n"
    departements = ["35", "29", "75", "2A", "971", "13"]
    with open(data_dir / "gros_export.csv", "w", encoding="utf-8") as stream:
        stream.write(header)
        written, number = len(header.encode()), 0
        while written < FIFTY_MB:
            line = row.format(number, departements[number % len(departements)])
            stream.write(line)
            written += len(line.encode())
            number += 1
    env = {**__import__("os").environ, "AM_ANALYTICS_KEY": "big-file-key"}
    result = subprocess.run(
        [sys.executable, "-m", "am_analytics.prepare", "--data-dir", str(data_dir), "--out", str(tmp_path / "out"),
         "-q"],
        capture_output=True, text=True, timeout=600, env=env,
    )
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert result.returncode in (0, 3), result.stderr
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        kept = pd.read_parquet(tmp_path / "out" / "contracts.parquet", columns=["contrat_id"])
        assert len(kept) == number, "every row of the large file is kept"
    else:
        assert "gros_export.csv" in result.stderr
    assert peak_kb < MEMORY_LIMIT_KB, f"peak memory {peak_kb / 1024:.0f} MiB"
