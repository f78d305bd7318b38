"""The benchmark script runs: `benchmarks/bench.py --quick` exits 0 and prints its table (no timing is checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_quick_benchmark_runs_every_case_and_prints_the_table(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--cache", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"bench.py --quick a échoué :\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    assert "| Cas | Taille | Exécutions | Médiane (s) | CPU (s) | RSS max (Mo) | Charge | Remarque |" in result.stdout
    assert "Machine :" in result.stdout, "the machine's description is missing"
    for case in ("ingest", "scaling", "indicators", "report", "schedule", "duckdb"):
        assert f"| {case} :" in result.stdout, f"no row for the {case} case:\n{result.stdout}"


def test_an_unknown_case_is_a_usage_error(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--cases", "nope", "--cache", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "nope" in result.stderr
