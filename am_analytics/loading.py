"""The loader notebooks and the report use: processed frames, prepared first when missing or stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from am_analytics import paths
from am_analytics.indicators.common import stamp_data
from am_analytics.prepare.pipeline import OUTPUT_FILES, QUARANTINE_FILE, prepare_locked, read_manifest


@dataclass(frozen=True)
class Processed:
    """The processed tables of one raw folder, with the manifest that describes how they were made."""

    contracts: pd.DataFrame | None
    territory_year: pd.DataFrame | None
    survey: pd.DataFrame | None
    survey_tables: pd.DataFrame | None
    quarantine: pd.DataFrame
    manifest: dict[str, Any]

    @property
    def synthetic(self) -> bool:
        """True when any input is synthetic demo data: every output must then say so."""
        return bool(self.manifest.get("synthetic"))


def load(
    data_dir: Path | str | None = None, processed_dir: Path | str | None = None, *, as_of: date | None = None
) -> Processed:
    """Return the processed tables of `data_dir` (default `data/raw`), preparing them first if they are
    missing or were built from other inputs (judged by checksums)."""
    data_dir = Path(data_dir) if data_dir is not None else paths.raw_dir()
    out_dir = Path(processed_dir) if processed_dir is not None else paths.processed_dir()
    prepare_locked(data_dir, out_dir, as_of=as_of, only_if_stale=True)
    manifest = read_manifest(out_dir)
    assert manifest is not None  # prepare_locked has just written or confirmed it

    synthetic = bool(manifest.get("synthetic"))

    def table(name: str) -> pd.DataFrame | None:
        path = out_dir / OUTPUT_FILES[name]
        if OUTPUT_FILES[name] not in manifest["outputs"]:
            return None
        # the synthetic flag (and the contracts' latest date) travel with each table, through any filtering
        return stamp_data(pd.read_parquet(path), synthetic=synthetic)

    return Processed(
        contracts=table("contracts"),
        territory_year=table("territory_year"),
        survey=table("survey"),
        survey_tables=table("survey_tables"),
        quarantine=stamp_data(pd.read_parquet(out_dir / QUARANTINE_FILE), synthetic=synthetic),
        manifest=manifest,
    )
