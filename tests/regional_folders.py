"""Folders of extracts that cover one region only, as a CPAM or a regional service would send them: the demo
generator's extracts (every file format and defect it writes) drawn from the contracts of that region alone, and the
national yearly open data by territory copied as it ships (a published reference, not contract coverage)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from am_analytics import paths
from am_analytics.demo import build

OPEN_DATA = "acces_soins_assistants_medicaux_territoire.csv"


def one_region_folder(region: str, out: Path) -> Path:
    """Write the extracts of `region`'s contracts into `out` (no survey: a region's few respondents are no sample)
    with the shipped national open data beside them."""
    whole_truth = build.build_truth

    def region_only(n_contracts: int, seed: int):
        truth = whole_truth(n_contracts, seed)
        return truth[truth["region"] == region].reset_index(drop=True)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "build_truth", region_only)
        patch.setattr(build, "write_survey", lambda *args: [])
        build.generate(out)
    for name in (OPEN_DATA, OPEN_DATA + ".provenance.json"):
        shutil.copy(paths.raw_dir() / name, out / name)
    return out


def open_data_only_folder(root: Path) -> Path:
    """`root/raw` holding the shipped yearly open data and its provenance sidecar only: no contract extract."""
    raw = root / "raw"
    raw.mkdir()
    for name in (OPEN_DATA, OPEN_DATA + ".provenance.json"):
        shutil.copy(paths.raw_dir() / name, raw / name)
    return raw
