"""Identifiers: no doctor identifier — clear RPPS number or its pseudonym — appears in any published output
(PDF, workbook), national or regional; the processed Parquet files hold pseudonyms only, never a clear RPPS."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from am_analytics import paths
from tests.conftest import REPO

# one worker builds this module's reports once, for all its tests (module fixtures are per worker)
pytestmark = pytest.mark.xdist_group("identifiers")

RAW = REPO / "data" / "raw"
REGION = "53"  # Bretagne
# An RPPS standing alone: not part of a longer number, nor of a hex string (a pseudonym, a PDF font map).
ELEVEN_DIGITS = re.compile(rb"(?<![0-9A-Za-z])\d{11}(?![0-9A-Za-z])")
FORMULA_STARTS = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, object]:
    """One preparation of the demo data, then the national and one regional report, in temporary folders."""
    root = tmp_path_factory.mktemp("published")
    env = os.environ | {"AM_ANALYTICS_KEY": "identifier-test-key", "XDG_CACHE_HOME": str(root / "cache")}
    data_dir = root / "raw"
    data_dir.mkdir()
    for source in RAW.iterdir():
        if source.is_file() and not source.name.startswith("."):
            (data_dir / source.name).write_bytes(source.read_bytes())
    outputs = []
    for scope, extra in (("france", []), (f"region_{REGION}", ["--region", REGION])):
        pdf = root / "reports" / f"{scope}.pdf"
        result = subprocess.run(
            [sys.executable, "-m", "am_analytics.report", "--data-dir", str(data_dir), "--output", str(pdf), *extra],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=600,
        )
        assert result.returncode == 0, result.stderr
        outputs += [pdf, pdf.with_suffix(".xlsx")]
    os.environ["XDG_CACHE_HOME"], previous = str(root / "cache"), os.environ.get("XDG_CACHE_HOME")
    try:
        processed = paths.processed_dir_for(data_dir)
    finally:
        if previous is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = previous
    pseudonyms = set(pd.read_parquet(processed / "contracts.parquet")["medecin_id"].dropna())
    return {"outputs": outputs, "processed": processed, "pseudonyms": pseudonyms, "reports": root / "reports"}


def _clear_rpps_of_the_inputs() -> set[str]:
    """Every RPPS number of the demo contract extracts, as written (CSV text and workbook cells)."""
    from python_calamine import CalamineWorkbook

    found: set[str] = set()
    for path in RAW.glob("contrats_*"):
        if path.suffix == ".csv":
            data = path.read_bytes()
            text = data.decode("utf-8", errors="ignore") + data.decode("cp1252", errors="ignore")
        elif path.suffix == ".xlsx":
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            cells = (str(int(c)) if isinstance(c, float) else str(c) for row in sheet for c in row)
            text = "\n".join(cells)
        else:
            continue
        found |= {m.decode() for m in ELEVEN_DIGITS.findall(text.encode())}
    return found


def _pdf_streams(path: Path) -> list[bytes]:
    """The PDF's decompressed page content streams (where its text is drawn)."""
    return [page.get_contents().get_data() for page in PdfReader(path).pages if page.get_contents() is not None]


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _workbook_cells(path: Path) -> list[str]:
    book = load_workbook(path, read_only=True)
    rows = (row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    return [str(c) for row in rows for c in row if c is not None]


def _raw_texts(path: Path) -> list[bytes]:
    """The file's bytes, and for a workbook (a zip) each of its XML parts uncompressed."""
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [data] + [archive.read(name) for name in archive.namelist()]
    return [data]


def test_the_reports_publish_only_pdf_and_workbook_files(published):
    names = sorted(p.suffix for p in published["reports"].iterdir())
    assert set(names) <= {".pdf", ".xlsx"}, f"unexpected published files: {names}"
    assert len(published["pseudonyms"]) > 1000, "the scan needs the demo's pseudonyms to mean anything"


def test_no_eleven_digit_run_in_the_text_of_any_published_output(published):
    for path in published["outputs"]:
        if path.suffix == ".pdf":
            texts = [_pdf_text(path)]
        else:
            texts = ["\n".join(_workbook_cells(path)), *_raw_texts(path)[1:]]
        for text in texts:
            found = ELEVEN_DIGITS.findall(text.encode() if isinstance(text, str) else text)
            assert not found, f"{path.name}: 11-digit runs (RPPS?) in the text: {found[:5]}"


def test_no_clear_rpps_of_the_inputs_in_the_bytes_of_any_published_output(published):
    rpps = _clear_rpps_of_the_inputs()
    assert len(rpps) > 1000, "the scan needs the demo's RPPS numbers to mean anything"
    for path in published["outputs"]:
        parts = _raw_texts(path) + (_pdf_streams(path) if path.suffix == ".pdf" else [])
        for part in parts:
            leaked = {number for number in ELEVEN_DIGITS.findall(part) if number.decode() in rpps}
            assert not leaked, f"{path.name}: clear RPPS in the published bytes: {sorted(leaked)[:3]}"


def test_no_doctor_pseudonym_in_any_published_output(published):
    pattern = re.compile(r"m_[0-9a-f]{16}")
    for path in published["outputs"]:
        text = _pdf_text(path) if path.suffix == ".pdf" else "\n".join(_workbook_cells(path))
        blobs = [text] + [part.decode("latin-1") for part in _raw_texts(path)]
        for blob in blobs:
            leaked = set(pattern.findall(blob)) | {p for p in published["pseudonyms"] if p in blob}
            assert not leaked, f"{path.name}: doctor pseudonyms published: {sorted(leaked)[:3]}"


def test_processed_tables_hold_pseudonyms_never_a_clear_rpps(published):
    for table in sorted(published["processed"].glob("*.parquet")):
        frame = pd.read_parquet(table)
        for column in frame.columns:
            if frame[column].dtype.kind in "OSU" or str(frame[column].dtype).startswith("str"):
                text = frame[column].dropna().astype(str)
                clear = text[text.str.contains(r"(?<![0-9A-Za-z])\d{11}(?![0-9A-Za-z])", regex=True)]
                assert clear.empty, f"{table.name}, column {column}: clear RPPS such as {clear.iloc[0]!r}"
    ids = pd.read_parquet(published["processed"] / "contracts.parquet")["medecin_id"].dropna()
    assert ids.str.fullmatch(r"m_[0-9a-f]{16}").all(), "a doctor identifier in contracts is not a pseudonym"


def test_no_workbook_text_cell_can_run_as_a_formula(published):
    for path in published["outputs"]:
        if path.suffix == ".xlsx":
            book = load_workbook(path)  # not data_only: a formula would show as its text "=..."
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", f"{path.name}!{sheet.title}!{cell.coordinate} is a formula"
                        if isinstance(cell.value, str):
                            assert not cell.value.startswith(FORMULA_STARTS), (
                                f"{path.name}!{sheet.title}!{cell.coordinate}: {cell.value!r}"
                            )
