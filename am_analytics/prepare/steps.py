"""What every dataset's step provides to the pipeline: normalise one file, settle duplicates, validate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np
import pandas as pd

from am_analytics.ingest import RawTable
from am_analytics.validate import PROBLEM_COLUMNS, empty_problems


@dataclass
class StepResult:
    """One file normalised: `frame` has one row per raw row (same positions); `problems` lists the values
    that reject their row (`row` = position, canonical `column`, `reason`, `message`); `warnings` the values
    of descriptive fields that were not recognised, their row kept (same columns)."""

    frame: pd.DataFrame
    problems: pd.DataFrame
    warnings: pd.DataFrame = field(default_factory=empty_problems)


class DatasetStep(Protocol):
    KEY: str  # the column that identifies a row (duplicates are judged on it)
    KEY_SOURCE: str  # the canonical column a duplicate is reported on

    def normalise(self, raw: RawTable, header_of: dict[str, str]) -> StepResult: ...

    def duplicates(self, frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]: ...

    def validate(self, frame: pd.DataFrame, cutoff: date) -> pd.DataFrame: ...

    def finish(self, frame: pd.DataFrame) -> pd.DataFrame: ...


def problems_from_reasons(reasons: pd.Series, column: str, messages: pd.Series | None = None) -> pd.DataFrame:
    """Problems for every position where a normaliser returned a reason (others have `<NA>`)."""
    failed = reasons.notna().to_numpy()
    if not failed.any():
        return empty_problems()
    frame = pd.DataFrame(
        {
            "row": pd.array(reasons.index.to_numpy()[failed], dtype="Int64"),
            "column": column,
            "value": pd.NA,
            "reason": reasons[failed].to_numpy(),
            "message": (messages[failed].to_numpy() if messages is not None else pd.NA),
        }
    )
    return frame[PROBLEM_COLUMNS].astype({c: "string" for c in PROBLEM_COLUMNS if c != "row"})


def exact_and_conflicting_duplicates(frame: pd.DataFrame, key: str, compare: list[str]) -> tuple[pd.Series, pd.Series]:
    """Rows that repeat an earlier row exactly (merged), and rows whose key has several versions (conflict).

    Overlapping exports repeat rows: an exact copy carries no new information and is merged into the
    first one. Two different rows under one key cannot both be right and neither can be chosen without
    guessing, so every version is quarantined.
    """
    if key not in compare:
        return _settle_duplicates(frame, key, compare)
    # An exact copy repeats the key, and versions can only conflict under a repeated key: the costly
    # comparison of every column runs on the few rows whose key repeats (a million rows: 5 s → 0.3 s).
    codes, _ = pd.factorize(frame[key], use_na_sentinel=True)
    repeated = np.zeros(len(frame), dtype=bool)
    present = codes >= 0
    repeated[present] = np.bincount(codes[present])[codes[present]] > 1
    merged = np.zeros(len(frame), dtype=bool)
    conflict = np.zeros(len(frame), dtype=bool)
    if repeated.any():
        some_merged, some_conflict = _settle_duplicates(frame.iloc[np.flatnonzero(repeated)], key, compare)
        merged[repeated] = some_merged.to_numpy(dtype=bool)
        conflict[repeated] = some_conflict.to_numpy(dtype=bool)
    return pd.Series(merged, index=frame.index), pd.Series(conflict, index=frame.index)


def _settle_duplicates(frame: pd.DataFrame, key: str, compare: list[str]) -> tuple[pd.Series, pd.Series]:
    with_key = frame[key].notna()
    versions = frame.loc[with_key].drop_duplicates(subset=compare)
    conflicting_keys = versions.loc[versions[key].duplicated(keep=False), key]
    conflict = frame[key].isin(conflicting_keys) & with_key
    merged = frame.duplicated(subset=compare, keep="first") & ~conflict & with_key
    return merged, conflict
