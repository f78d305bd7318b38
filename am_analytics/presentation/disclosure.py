"""Statistical disclosure control, applied once to an indicator frame before anything presents it: tables,
charts, maps, workbooks and downloads all read the same *published frame*, so none can show more than another.

A published frame keeps the columns a table declares (and its identifying keys); a hidden cell is `<NA>` and its
companion column `<column>_secret` says why (`<NA>` where the value is shown):

- `primaire`: a count from 1 to threshold − 1 (4 by default) — a person could be recognised;
- `complementaire`: a count hidden so that no primary cell can be recovered by subtraction from a published
  total (a row total, a region's total, the national total, a difference of two cumulative counts);
- `base_insuffisante`: a share or a rate computed on fewer than `min_base` units (20 by default), too few for
  a percentage to mean anything, and one that could reveal a small count (1 in 12 is 8,3 %).

Values computed from a count (its FTE, its euros, its rate, its share, its interval bounds) are hidden with
it and carry its reason. Zero is shown: it reveals nobody.

How cells are linked: a *relation* is a set of cells whose sum is published (the départements of a region and
the region's own figure; the regions and France). In every relation, the number of hidden cells must not be
exactly one, or a subtraction would reveal it; the smallest shown non-zero cell is hidden to complete it (the
least information lost), until every relation holds. Frames that repeat a figure of another published frame
(a region's total in the background table, its active contracts in the training table) take that figure's
status from it (`seeds`) and never change it (`fixed`), so the same figure is hidden everywhere or nowhere.
Internal Parquet files keep exact values; only what is presented goes through here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

THRESHOLD = 5
MIN_BASE = 20

PRIMARY = "primaire"
COMPLEMENTARY = "complementaire"
SMALL_BASE = "base_insuffisante"
SECRET_SUFFIX = "_secret"

WHOLE: tuple[str, ...] = ()  # a grouping with no column: one published total over the whole frame


def secret_column(column: str) -> str:
    """The companion column that says why a cell of `column` is hidden."""
    return column + SECRET_SUFFIX


# --- The core: cells, relations, suppression ----------------------------------------------------------------


def primary_cells(values: np.ndarray, threshold: int = THRESHOLD) -> np.ndarray:
    """True where a count is small enough to identify someone (1 to threshold − 1)."""
    with np.errstate(invalid="ignore"):
        return (values >= 1) & (values < threshold)


def complete_relations(values: np.ndarray, hidden: np.ndarray, groups: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Cells to hide besides `hidden` so that no relation (cells sharing a group id) holds exactly one hidden
    cell: the smallest shown, non-zero, eligible cell of such a relation. Returns the new cells only."""
    added = np.zeros(len(values), dtype=bool)
    if not len(values):
        return added
    _, groups = np.unique(groups, return_inverse=True)
    lone = np.bincount(groups, weights=hidden.astype(float)) == 1
    candidates = np.flatnonzero(~hidden & eligible & (np.nan_to_num(values) > 0) & lone[groups])
    if not len(candidates):
        return added
    order = candidates[np.lexsort((candidates, values[candidates], groups[candidates]))]
    _, first = np.unique(groups[order], return_index=True)
    added[order[first]] = True
    return added


def suppress(
    values: np.ndarray,
    relations: Sequence[np.ndarray],
    *,
    threshold: int = THRESHOLD,
    seeds: np.ndarray | None = None,
    fixed: np.ndarray | None = None,
) -> np.ndarray:
    """The status of each cell (`primaire`, `complementaire` or None) under the primary rule and every relation.

    `relations` are group-id arrays, one per family of relations (a cell outside a family has an id of its own);
    `seeds` give statuses decided elsewhere (kept as they are); `fixed` cells are never newly hidden.
    """
    n = len(values)
    status = np.full(n, None, dtype=object)
    if seeds is not None:
        status[:] = seeds
    fixed = np.zeros(n, dtype=bool) if fixed is None else fixed.astype(bool)
    small = primary_cells(values, threshold) & ~fixed
    status[small & (status == None)] = PRIMARY  # noqa: E711 (element-wise comparison)
    hidden = status != None  # noqa: E711
    for _ in range(n + 1):
        added = np.zeros(n, dtype=bool)
        for groups in relations:
            added |= complete_relations(values, hidden | added, groups, ~fixed)
        if not added.any():
            break
        hidden |= added
        status[added] = COMPLEMENTARY
    return status


# --- Rules for wide frames ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    """A count column, and the groupings of rows whose totals are published elsewhere (a reader could subtract
    the shown cells of such a group from its total): `(("region_code",), WHOLE)` for départements, whose regional
    and national totals are published; `()` for a count linked to no published total."""

    column: str
    totals_by: tuple[tuple[str, ...], ...] = (WHOLE,)


@dataclass(frozen=True)
class Disclosure:
    """How one frame is protected: its counts, the count columns that add up to a published row total, the
    values computed from counts (hidden with any of them) and the shares or rates with the count of their base."""

    counts: tuple[Counted, ...] = ()
    row_total: tuple[str, ...] = ()
    follows: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    bases: Mapping[str, str] = field(default_factory=dict)
    threshold: int = THRESHOLD
    min_base: int = MIN_BASE

    @property
    def columns(self) -> list[str]:
        """Every column the rule may hide."""
        names = [counted.column for counted in self.counts] + list(self.follows) + list(self.bases)
        return list(dict.fromkeys(names))


def _numbers(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _group_ids(frame: pd.DataFrame, grouping: Sequence[str]) -> np.ndarray:
    if not grouping:
        return np.zeros(len(frame), dtype=np.int64)
    return frame.groupby(list(grouping), sort=False, dropna=False).ngroup().to_numpy()


def published_attrs(original: pd.DataFrame) -> dict:
    """The attrs of a published frame: the indicator's (sources, as-of date, notes), marked as published."""
    return {**original.attrs, "published": True}


def is_published(frame: pd.DataFrame) -> bool:
    """True for a frame that went through disclosure control (what charts and tables may present)."""
    return bool(frame.attrs.get("published"))


def _string_status(values: np.ndarray | pd.Series, index: pd.Index) -> pd.Series:
    return pd.Series(pd.array(list(values), dtype="string"), index=index)


def disclosure_status(
    frame: pd.DataFrame,
    rule: Disclosure,
    *,
    seeds: Mapping[str, pd.Series] | None = None,
    fixed: Mapping[str, pd.Series] | None = None,
) -> pd.DataFrame:
    """Why each cell a rule covers is hidden (`primaire`, `complementaire`, `base_insuffisante`) or `<NA>`.

    The count columns are stacked into one vector of cells so that relations along columns (a grouping) and
    along rows (`row_total`) are settled together."""
    frame = frame.reset_index(drop=True)
    n, counted = len(frame), [counted.column for counted in rule.counts]
    values = np.concatenate([_numbers(frame[column]) for column in counted]) if counted else np.array([])
    cells = np.arange(len(values))
    relations = []
    for position, count in enumerate(rule.counts):
        for grouping in count.totals_by:
            ids = cells.copy() + len(values)  # every other cell alone
            ids[position * n : (position + 1) * n] = _group_ids(frame, grouping)
            relations.append(ids)
    if len(rule.row_total) > 1:
        ids = cells.copy() + len(values)
        for column in rule.row_total:
            position = counted.index(column)
            ids[position * n : (position + 1) * n] = np.arange(n)
        relations.append(ids)
    seed_cells = np.full(len(values), None, dtype=object)
    fixed_cells = np.zeros(len(values), dtype=bool)
    for position, column in enumerate(counted):
        if seeds and column in seeds:
            seeded = seeds[column].reset_index(drop=True)
            seed_cells[position * n : (position + 1) * n] = seeded.astype(object).where(seeded.notna(), None)
        if fixed and column in fixed:
            fixed_cells[position * n : (position + 1) * n] = fixed[column].reset_index(drop=True).to_numpy(bool)
    status_cells = suppress(values, relations, threshold=rule.threshold, seeds=seed_cells, fixed=fixed_cells)

    status = pd.DataFrame(index=frame.index)
    for position, column in enumerate(counted):
        status[column] = _string_status(status_cells[position * n : (position + 1) * n], frame.index)
    nothing = _string_status([None] * n, frame.index)
    for derived, counts in rule.follows.items():
        reason = nothing
        for count in (counts,) if isinstance(counts, str) else counts:
            if count in status:
                reason = reason.fillna(status[count])
        status[derived] = reason
    for share, base in rule.bases.items():
        reason = status[share] if share in status else nothing
        if base in status:
            reason = reason.fillna(status[base])
        base_values = _numbers(frame[base])
        with np.errstate(invalid="ignore"):
            small = (base_values < rule.min_base) & ~np.isnan(base_values)
        status[share] = reason.fillna(_string_status(np.where(small, SMALL_BASE, None), frame.index))
    return status


def publish_frame(
    frame: pd.DataFrame,
    rule: Disclosure | None,
    keep: Sequence[str],
    *,
    seeds: Mapping[str, pd.Series] | None = None,
    fixed: Mapping[str, pd.Series] | None = None,
) -> pd.DataFrame:
    """The published frame: the columns in `keep` (and nothing else), hidden cells `<NA>`, and a
    `<column>_secret` companion for every kept column the rule covers. The frame's `attrs` (sources, as-of
    date, notes) travel with it."""
    missing = [column for column in keep if column not in frame.columns]
    if missing:
        raise KeyError(f"colonnes absentes du tableau à publier : {', '.join(missing)}")
    source = frame.reset_index(drop=True)
    published = source[list(dict.fromkeys(keep))].copy()
    if rule is not None:
        status = disclosure_status(source, rule, seeds=seeds, fixed=fixed)
        for column in rule.columns:
            if column in published.columns:
                published = hide(published, column, status[column])
    published.attrs = published_attrs(frame)
    return published


def hide(published: pd.DataFrame, column: str, reasons: pd.Series) -> pd.DataFrame:
    """Hide the cells of `column` that have a reason (keeping reasons already there) and record why."""
    secret = secret_column(column)
    reasons = reasons.reset_index(drop=True).astype("string")
    if secret in published.columns:
        reasons = published[secret].fillna(reasons)
    hidden = reasons.notna().to_numpy()
    result = published.copy()
    if hidden.any():
        result[column] = result[column].mask(hidden)
    result[secret] = reasons.to_numpy()
    result[secret] = result[secret].astype("string")
    return result


def is_hidden(frame: pd.DataFrame, column: str) -> pd.Series:
    """True where a published frame hides a cell of `column` (False everywhere for a column never hidden)."""
    secret = secret_column(column)
    if secret not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[secret].notna()


def status_of(published: pd.DataFrame, column: str) -> pd.Series:
    """The `<column>_secret` reasons of a published frame (all `<NA>` for a column never hidden)."""
    secret = secret_column(column)
    if secret not in published.columns:
        return pd.Series(pd.NA, index=published.index, dtype="string")
    return published[secret]


# --- Hierarchies and series ----------------------------------------------------------------------------------


def publish_territories(
    nation: pd.DataFrame,
    regions: pd.DataFrame,
    departements: pd.DataFrame,
    rule: Disclosure,
    keep: Sequence[str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Publish France, its regions and its départements together: each region's figure is the sum of its
    départements' and France's the sum of the regions', so the three levels are masked as one hierarchy
    (every relation parent + children holds zero or at least two hidden cells). Returns the three published
    frames, in the order given."""
    levels = pd.concat(
        [
            nation.assign(_niveau="france", _region=nation["code"]),
            regions.assign(_niveau="region", _region=regions["code"]),
            departements.assign(_niveau="departement", _region=departements["region_code"]),
        ],
        ignore_index=True,
    )
    # relation 1: a region and its départements; relation 2: France and its regions
    levels["_relation_region"] = np.where(levels["_niveau"] == "france", "FR", levels["_region"])
    levels["_relation_france"] = np.where(levels["_niveau"] == "departement", "d" + levels["code"].astype(str), "FR")
    hierarchical = Disclosure(
        counts=tuple(
            Counted(counted.column, totals_by=(("_relation_region",), ("_relation_france",))) for counted in rule.counts
        ),
        follows=rule.follows,
        bases=rule.bases,
        threshold=rule.threshold,
        min_base=rule.min_base,
    )
    columns = [column for column in keep if column in levels.columns]
    published = publish_frame(levels, hierarchical, [*columns, "_niveau"])
    parts = []
    for level, original in (("france", nation), ("region", regions), ("departement", departements)):
        part = published[published["_niveau"] == level].drop(columns="_niveau").reset_index(drop=True)
        part = part[[column for column in part.columns if column.removesuffix(SECRET_SUFFIX) in original.columns]]
        part.attrs = published_attrs(original)
        parts.append(part)
    return parts[0], parts[1], parts[2]


def cumulative_windows(
    cumulative: pd.Series,
    threshold: int = THRESHOLD,
    hidden_last: bool = False,
    *,
    anchored: bool = False,
    from_zero: bool = True,
):
    """Which points of a cumulative count may be published, and the window each point belongs to.

    Two published cumulative counts give the number of events between them by subtraction, so a point is
    published only where the increase since the last published point is zero or at least `threshold`; the
    other points are hidden and their events are carried into the next window. `hidden_last` hides the last
    point whatever its increase (its value is hidden in another published frame). `anchored` keeps the last point
    (the headline figure the territory tables print at the same date) and chooses the earlier points backwards
    from it, so a small increase hides an earlier point, never the headline; `from_zero` (a count since the
    beginning) also keeps the first published point at zero or at least `threshold` (an ended-contracts count before
    the first published stock is published by design: see `linked.LedgerBuilder._stocks`). Returns (shown, window
    id): the events of one closed window add up to a published difference, which the complementary rule protects.
    """
    values = _numbers(cumulative)
    shown = None
    if anchored and not hidden_last:
        shown = _shown_back_from_last(values, threshold, from_zero)
    if shown is None:
        shown = _shown_forward(values, threshold, hidden_last)
    windows = np.concatenate(([0], np.cumsum(shown)[:-1])).astype(np.int64) if len(values) else shown.astype(np.int64)
    return shown, windows


def _shown_forward(values: np.ndarray, threshold: int, hidden_last: bool) -> np.ndarray:
    shown = np.zeros(len(values), dtype=bool)
    last = 0.0
    for position, value in enumerate(values):
        if np.isnan(value) or (hidden_last and position == len(values) - 1):
            continue
        increase = value - last
        if increase == 0 or increase >= threshold:
            shown[position] = True
            last = value
    return shown


def _shown_back_from_last(values: np.ndarray, threshold: int, from_zero: bool) -> np.ndarray | None:
    """The points shown when the last known one is kept (None when it cannot be: a small count since zero)."""
    known = np.flatnonzero(~np.isnan(values))
    if not len(known) or (from_zero and 1 <= values[known[-1]] < threshold):
        return None
    shown = np.zeros(len(values), dtype=bool)
    shown[known[-1]] = True
    following = values[known[-1]]
    for position in known[-2::-1]:
        gap = following - values[position]
        if (gap == 0 or gap >= threshold) and not (from_zero and 1 <= values[position] < threshold):
            shown[position] = True
            following = values[position]
    return shown


def publish_series(
    frame: pd.DataFrame,
    *,
    cumulative: str,
    monthly: str,
    keep: Sequence[str],
    follows_cumulative: Sequence[str] = (),
    follows_monthly: Sequence[str] = (),
    stocks: Mapping[str, Sequence[str]] | None = None,
    last_hidden: Mapping[str, bool] | None = None,
    threshold: int = THRESHOLD,
) -> pd.DataFrame:
    """Publish a monthly series of a cumulative count, its monthly increments and stocks (active contracts at
    month-end), so that no monthly count from 1 to threshold − 1 can be read or recovered.

    Cumulative points are shown only where `cumulative_windows` allows; monthly counts are masked (primary) and
    completed within each closed window, whose total is a published difference; a stock is hidden at a month
    whose cumulative point is hidden (together they would give the events of the month) and when it is itself
    small; values computed from a count follow it. `last_hidden` names the columns whose last value is hidden
    in another published frame (the territory tables at the same date): it is hidden here too.
    """
    source = frame.reset_index(drop=True)
    last_hidden = dict(last_hidden or {})
    shown, windows = cumulative_windows(source[cumulative], threshold, bool(last_hidden.get(cumulative)), anchored=True)
    # the last window is open when no published point closes it: its events add up to no published total
    closed = windows <= (windows[shown].max() if shown.any() else -1)
    with_windows = source.assign(_fenetre=np.where(closed, windows, -1 - np.arange(len(source))))
    stocks = dict(stocks or {})
    rule = Disclosure(
        counts=(Counted(monthly, totals_by=(("_fenetre",),)), *(Counted(stock, totals_by=()) for stock in stocks)),
        follows={column: monthly for column in follows_monthly}
        | {derived: stock for stock, deriveds in stocks.items() for derived in deriveds},
        threshold=threshold,
    )
    published = publish_frame(with_windows, rule, keep)
    published.attrs = published_attrs(frame)
    cumulative_reason = _string_status(np.where(shown, None, COMPLEMENTARY), published.index)
    for column in (cumulative, *follows_cumulative):
        if column in published.columns:
            published = hide(published, column, cumulative_reason)
    last = pd.Series(np.arange(len(published)) == len(published) - 1, index=published.index)
    cumulative_values = _numbers(source[cumulative])
    for stock, deriveds in stocks.items():
        reason = cumulative_reason.copy()
        # the contracts that ended between two shown stocks are their difference less the signatures in between:
        # a stock is shown only where that count since the last shown stock is zero or at least the threshold
        ended = pd.Series(cumulative_values - _numbers(source[stock])).where(shown)
        ended_shown, _ = cumulative_windows(ended, threshold, bool(last_hidden.get(stock)), anchored=True,
                                            from_zero=False)
        reason = reason.where(ended_shown | ~shown, COMPLEMENTARY)
        if last_hidden.get(stock):
            reason = reason.where(~last, COMPLEMENTARY)
        for column in (stock, *deriveds):
            if column in published.columns:
                published = hide(published, column, reason)
    return published
