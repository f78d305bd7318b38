"""The PDF report and its workbook: built from the data, readable, reproducible, masked, and refusing bad input."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from am_analytics import paths, reference
from am_analytics.figures.formatting import format_number
from am_analytics.parameters import latest_date
from am_analytics.report.build import build
from am_analytics.vocabulary import SYNTHETIC_MENTION, VARIABLES
from tests.conftest import REPO

# one worker builds this module's reports once, for all its tests (module fixtures are per worker)
pytestmark = pytest.mark.xdist_group("report")

AS_OF = pd.Timestamp("2025-06-30")


@pytest.fixture(scope="module")
def built(demo_scope, demo_results):
    return build(demo_scope, demo_results)


@pytest.fixture(scope="module")
def national(built):
    return built.pdf, built.workbook, built.summary


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_default_as_of_date_is_the_latest_date_in_the_data(demo_data):
    assert latest_date(demo_data.contracts) == AS_OF


def test_pdf_shows_the_key_figures_as_the_indicators_compute_them(national):
    pdf, _, summary = national
    text = " ".join(pdf_text(pdf)).replace("\u202f", " ").replace("\u00a0", " ")
    for value in (summary["signes"], summary["actifs"]):
        assert format_number(value).replace("\u202f", " ") in text
    assert format_number(summary["etp_actifs"], 1).replace("\u202f", " ") in text


def test_the_annex_has_a_table_of_contents_and_the_method(built):
    text = " ".join(pdf_text(built.annex))
    assert "Sommaire" in text and "Sources et méthode" in text


@pytest.mark.parametrize("part", ["pdf", "annex"])
def test_every_page_says_the_data_is_synthetic_and_is_numbered(built, part):
    pages = pdf_text(getattr(built, part))
    assert len(pages) >= 6
    for number, text in enumerate(pages, start=1):
        assert SYNTHETIC_MENTION in text, f"page {number} lacks the synthetic mention"
        assert f"page {number} / {len(pages)}" in text


def test_rebuilding_gives_identical_bytes(demo_scope, built):
    report = build(demo_scope)
    assert report.pdf == built.pdf
    assert report.annex == built.annex
    assert report.workbook == built.workbook


def test_workbook_has_the_expected_sheets_and_columns(national):
    workbook = load_workbook(io.BytesIO(national[1]))
    assert {"Régions", "Départements", "Série mensuelle", "Sources"} <= set(workbook.sheetnames)
    regions = workbook["Régions"]
    headers = [cell.value for cell in regions[2]]  # row 1 is the title row
    for header in (
        "Code région",
        "Région",
        VARIABLES["signes"].label,  # one label per concept: the cumulative count, as the key figures say
        "Contrats actifs",
        "ETP actifs",
        VARIABLES["signes_pour_100k_hab"].short,
    ):
        assert header in headers
    assert regions.freeze_panes == "A3"
    codes = [row[0] for row in regions.iter_rows(min_row=3, max_row=20, values_only=True)]
    assert "01" in codes and "84" in codes, "codes stay text with their leading zero"
    departements = [cell.value for cell in workbook["Départements"][2]]
    assert departements[:3] == ["Code département", "Département", "Code région"]
    assert workbook["Série mensuelle"].max_row > 60


def test_small_counts_are_masked_in_the_workbook(national):
    workbook = load_workbook(io.BytesIO(national[1]))
    values = [cell for row in workbook["Formation"].iter_rows(min_row=3, values_only=True) for cell in row]
    assert "< 5" in values
    numbers = [v for v in values if isinstance(v, int | float)]
    assert not any(1 <= v <= 4 for v in numbers if float(v).is_integer()), "a count under 5 is shown"


@pytest.mark.parametrize("region", ["84", "06"])
def test_regional_report_details_its_departements(demo_data, demo_scope, demo_results, region):
    report = build(demo_scope.with_region(region), demo_results)
    pdf, workbook, summary = report.pdf, report.workbook, report.summary
    text = " ".join(pdf_text(pdf) + pdf_text(report.annex))
    name = {"84": "Auvergne-Rhône-Alpes", "06": "Mayotte"}[region]
    assert name in text
    sheet = load_workbook(io.BytesIO(workbook))["Territoires"]
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] is not None and row[2] is not None]
    expected = reference.departements().query("region_code == @region")["code"]
    assert [row[0] for row in rows] == [*expected, region, "FR"], "its départements, its total, France"
    signed = len(demo_data.contracts[demo_data.contracts["region"] == region])
    assert summary["signes"] == (signed if signed == 0 or signed >= 5 else None), "a small count is not published"


def _cli(*args: str, env_key: str = "report-test", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "am_analytics.report", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={"AM_ANALYTICS_KEY": env_key, "PATH": "/usr/bin:/bin", "HOME": str(REPO / ".pytest_cache"), **env},
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--region", "Bretange"], "Bretagne (53)"),
        (["--as-of", "2031-01-01"], "après la dernière date"),
        (["--as-of", "2018-01-01"], "avant le début"),
        (["--as-of", "31/02/2024"], "date invalide"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(tmp_path, args, words):
    result = _cli(*args, "--output", str(tmp_path / "r.pdf"))
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_invalid_data_exits_3_and_writes_nothing(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "contrats.csv").write_text("N° contrat;RPPS;Département\nC1;99100000001;13\n", encoding="utf-8")
    result = _cli("--data-dir", str(raw), "--output", str(tmp_path / "out" / "r.pdf"))
    assert result.returncode == 3, result.stderr
    assert "contrats.csv" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_separate_process_builds_the_same_bytes_and_prints_where_they_are(built, tmp_path):
    # layouts, SVG ids and fonts must not depend on the process: the command line rebuilds identical files
    result = _cli("--output", str(tmp_path / "r.pdf"), "--as-of", "2025-06-30")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "r.pdf").read_bytes() == built.pdf
    assert (tmp_path / "r_annexes.pdf").read_bytes() == built.annex, "the annex PDF is written beside the report"
    assert (tmp_path / "r.xlsx").read_bytes() == built.workbook
    for line in (f"Rapport PDF : {tmp_path / 'r.pdf'}", f"Annexes PDF : {tmp_path / 'r_annexes.pdf'}",
                 f"Classeur Excel : {tmp_path / 'r.xlsx'}"):
        assert line in result.stdout, line


@pytest.mark.slow
def test_a_truncated_processed_table_is_rebuilt_and_the_report_still_exits_0(tmp_path):
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(paths.raw_dir(), raw)
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache)}
    first = _cli("--data-dir", str(raw), "--output", str(tmp_path / "a.pdf"), "--as-of", "2021-12-31", **env)
    assert first.returncode == 0, first.stderr
    [contracts] = cache.rglob("contracts.parquet")
    contracts.write_bytes(contracts.read_bytes()[: contracts.stat().st_size // 2])
    second = _cli("--data-dir", str(raw), "--output", str(tmp_path / "b.pdf"), "--as-of", "2021-12-31", **env)
    assert second.returncode in (0, 3), second.stderr
    assert "Traceback" not in second.stderr
    assert second.returncode == 0, "the raw folder is there: the damaged table is rebuilt"
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()
