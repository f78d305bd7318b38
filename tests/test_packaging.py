"""The package installs and works outside the repository, with its reference data inside it."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO


def test_import_works_from_outside_the_repository(tmp_path):
    code = (
        "import am_analytics, am_analytics.reference as r, am_analytics.geography as g;"
        "print(am_analytics.__version__, len(r.departements()), g.normalise_departement_code('2a'))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    version, count, corsica = result.stdout.split()
    assert count == "101" and corsica == "2A"
    assert version != "0.0.0+unknown"


@pytest.mark.slow
def test_wheel_ships_every_reference_table_and_its_provenance(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("am_analytics-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (REPO / "am_analytics" / "reference" / "data").glob("*.csv")}
    assert len(shipped) >= 13
    for name in shipped:
        assert f"am_analytics/reference/data/{name}" in names, f"{name} missing from the wheel"
    assert "am_analytics/reference/provenance.toml" in names
    assert not any(name.startswith(("tests/", "data/")) for name in names), "tests or raw data leaked into the wheel"
