"""The demo data is a pure function of (seed, size): same seed, same bytes; the committed copy is current."""

from __future__ import annotations

from pathlib import Path

import pytest

from am_analytics.demo import DEFAULT_CONTRACTS, DEFAULT_SEED, generate

SMALL = 1500  # enough contracts for every kind of defect, small enough to generate in a fraction of a second


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def test_same_seed_gives_byte_identical_files_xlsx_included(tmp_path):
    generate(tmp_path / "first", seed=7, n_contracts=SMALL)
    generate(tmp_path / "second", seed=7, n_contracts=SMALL)
    first, second = _files(tmp_path / "first"), _files(tmp_path / "second")
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"files differ between two runs with the same seed: {different}"


def test_a_different_seed_gives_different_files(tmp_path):
    generate(tmp_path / "a", seed=7, n_contracts=SMALL)
    generate(tmp_path / "b", seed=8, n_contracts=SMALL)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    same = [name for name in a if not name.endswith(".md") and a[name] == b[name]]
    assert not same, f"files identical under two different seeds: {same}"


def test_committed_data_raw_is_exactly_what_the_generator_writes_by_default(tmp_path, repo):
    generate(tmp_path, seed=DEFAULT_SEED, n_contracts=DEFAULT_CONTRACTS)
    expected = _files(tmp_path)
    committed = {name: data for name, data in _files(repo / "data" / "raw").items() if name in expected}
    missing = sorted(set(expected) - set(committed))
    assert not missing, f"data/raw lacks generated files {missing}: run `make demo`"
    stale = [name for name in expected if expected[name] != committed[name]]
    assert not stale, f"data/raw is stale for {stale}: run `make demo` and commit the result"


@pytest.mark.parametrize("name", ["contrats_2019_2020.xlsx", "enquete_satisfaction_2021_tableaux.xlsx"])
def test_workbooks_carry_no_clock_time(tmp_path, name):
    import zipfile

    generate(tmp_path, seed=7, n_contracts=SMALL)
    with zipfile.ZipFile(tmp_path / name) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 6, 30, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2025-06-30T00:00:00Z" in core
