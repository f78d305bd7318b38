"""What each scheduled run leaves for the next one to compare with: a compact snapshot of the contracts it read
(contract id and the columns `indicators.followup.changes_between_runs` compares; no name, no address), kept beside
the prepared data, never in the site's folder (contract ids are never published; only counts are, through the
registry item `run_changes`).

A snapshot is named by its run's counting date; the previous run of a run is the latest snapshot of an earlier
counting date (a run repeated at the same date compares with the run before that date, as its first execution did).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from am_analytics import atomic
from am_analytics.indicators.followup import COMPARED_COLUMNS

SNAPSHOT_DIR = "executions"  # under the prepared data's folder
SNAPSHOT_SUFFIX = ".parquet"


def snapshot(contracts: pd.DataFrame) -> pd.DataFrame:
    """The columns a later run compares, one row per contract."""
    columns = ["contrat_id", *(name for name in COMPARED_COLUMNS if name in contracts.columns)]
    return contracts[columns].drop_duplicates("contrat_id").reset_index(drop=True)


def snapshot_path(processed_dir: Path | str, as_of: pd.Timestamp) -> Path:
    return Path(processed_dir) / SNAPSHOT_DIR / f"{pd.Timestamp(as_of).date().isoformat()}{SNAPSHOT_SUFFIX}"


def write_snapshot(contracts: pd.DataFrame, processed_dir: Path | str, as_of: pd.Timestamp) -> Path:
    """Write this run's snapshot (atomically: a run that dies leaves the previous one whole)."""
    target = snapshot_path(processed_dir, as_of)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic.atomic_path(target) as temporary:
        snapshot(contracts).to_parquet(temporary, index=False)
    return target


def previous_snapshot(processed_dir: Path | str | None, as_of: pd.Timestamp) -> pd.DataFrame | None:
    """The latest snapshot of a run at an earlier counting date (its date in `attrs["as_of"]`), None when there
    is none: the first run."""
    if processed_dir is None:
        return None
    folder = Path(processed_dir) / SNAPSHOT_DIR
    today = pd.Timestamp(as_of).date().isoformat()
    earlier = sorted(path for path in folder.glob(f"*{SNAPSHOT_SUFFIX}") if path.stem < today) \
        if folder.is_dir() else []
    if not earlier:
        return None
    frame = pd.read_parquet(earlier[-1])
    frame.attrs["as_of"] = earlier[-1].stem
    return frame
