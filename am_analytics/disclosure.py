"""Statistical disclosure control for everything published: small counts are masked, and so is a
complementary cell wherever a single masked cell could be recovered from a published total.

Rule (threshold configurable, 5 by default): a count from 1 to threshold − 1 is shown as "< 5". Zero is
shown: it reveals nobody. Within each group whose total is published (a row of a table with a total
column, or the départements of one region whose regional figure is published), if exactly one cell is
masked the smallest other non-zero cell of the group is masked too, so that no subtraction recovers
the masked value. Internal Parquet files keep exact values; only presentation goes through here.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 5


def masked_label(threshold: int = DEFAULT_THRESHOLD) -> str:
    return f"< {threshold}"


def primary_mask(counts: pd.Series, threshold: int = DEFAULT_THRESHOLD) -> pd.Series:
    """True where a count is small enough to identify someone (1 to threshold − 1)."""
    values = pd.to_numeric(counts, errors="coerce")
    return (values >= 1) & (values < threshold)


def complementary_mask(counts: pd.Series, masked: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    """Cells to mask in addition to `masked` so that no group has exactly one masked cell.

    Within a group the complement is the smallest non-zero, non-masked cell (the least information lost).
    Repeats until stable, since a group may hold one masked cell only after an earlier round.
    """
    masked = masked.fillna(False).astype(bool).copy()
    values = pd.to_numeric(counts, errors="coerce")
    keys = groups if groups is not None else pd.Series(0, index=counts.index)
    for _ in range(len(counts) + 1):
        changed = False
        for _, members in masked.groupby(keys, sort=False):
            if members.sum() != 1:
                continue
            candidates = values[members.index][~members & (values[members.index] > 0)]
            if candidates.empty:
                continue
            masked[candidates.idxmin()] = True
            changed = True
        if not changed:
            break
    return masked


def mask_table(
    frame: pd.DataFrame,
    count_columns: Iterable[str],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    row_totals: bool = True,
    column_groups: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mask a table of counts for publication.

    `count_columns` are the count cells. With `row_totals`, the cells of one row are treated as summing to
    a published row total (complementary masking across the row); with `column_groups` (one label per
    row, e.g. the region of each département), the cells of one column within a group are treated as
    summing to a published group total. Returns the mask (True = hidden) and the frame with hidden cells
    replaced by the "< 5" label (as text, other counts unchanged).
    """
    columns = list(count_columns)
    mask = pd.DataFrame({c: primary_mask(frame[c], threshold) for c in columns}, index=frame.index)
    for _ in range(len(frame) * len(columns) + 1):
        before = mask.to_numpy().sum()
        if row_totals and len(columns) > 1:
            for row in frame.index:
                mask.loc[row] = complementary_mask(frame.loc[row, columns], mask.loc[row]).to_numpy()
        for column in columns:
            groups = column_groups if column_groups is not None else pd.Series(0, index=frame.index)
            mask[column] = complementary_mask(frame[column], mask[column], groups)
        if mask.to_numpy().sum() == before:
            break
    shown = frame.copy()
    label = masked_label(threshold)
    for column in columns:
        shown[column] = shown[column].astype("object").where(~mask[column], label)
    return mask, shown


def mask_values(counts: pd.Series, threshold: int = DEFAULT_THRESHOLD) -> pd.Series:
    """Primary masking alone, for a list whose total is not published (map labels, say)."""
    mask = primary_mask(counts, threshold)
    return counts.astype("object").where(~mask, masked_label(threshold))


def any_recoverable(frame: pd.DataFrame, mask: pd.DataFrame, columns: list[str]) -> bool:
    """True if some row has exactly one hidden non-zero cell (it could be recovered from the row total)."""
    hidden = mask[columns].to_numpy()
    return bool(np.any(hidden.sum(axis=1) == 1))
