"""`python -m am_analytics.report`: its options are documented and checked before any work."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def _report(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "am_analytics.report", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_help_lists_every_option():
    result = _report("--help")
    assert result.returncode == 0
    for option in ("--data-dir", "--region", "--as-of", "--output", "--xlsx"):
        assert option in result.stdout


def test_bad_as_of_is_a_usage_error_without_traceback():
    result = _report("--as-of", "31/02/2024")
    assert result.returncode == 2
    assert "date invalide" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_region_is_a_usage_error_naming_the_closest_regions():
    result = _report("--region", "Bretange")
    assert result.returncode == 2
    assert "Bretagne (53)" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_data_dir_is_a_usage_error(tmp_path):
    result = _report("--data-dir", str(tmp_path / "absent"))
    assert result.returncode == 2
    assert "introuvable" in result.stderr
