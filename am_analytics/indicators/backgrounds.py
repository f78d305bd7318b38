"""Backgrounds: assistants' prior professions by region with confidence intervals, independence test, mix by year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from am_analytics.indicators.common import (
    NATIONAL_CODE,
    NATIONAL_NAME,
    AsOf,
    active_mask,
    category_codes,
    contract_inputs,
    data_source,
    labelled,
    region_index,
    region_table,
    signed_mask,
)
from am_analytics.indicators.mix import Period, category_shares
from am_analytics.indicators.stats import independence_test, wilson_interval
from am_analytics.vocabulary import PROFILS

UNKNOWN = "inconnu"


def background_counts_by_region(
    contracts: pd.DataFrame, *, as_of: AsOf | None = None, synthetic: bool | None = None, active_only: bool = False
) -> pd.DataFrame:
    """Contingency table: one row per region (all 18), one column per background (all of `PROFILS`).

    Contracts signed on or before as_of (active on as_of with `active_only`); a missing background
    counts as `inconnu`; a contract's region is its département's.
    """
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    mask = active_mask(contracts, as_of) if active_only else signed_mask(contracts, as_of)
    regions = region_table()
    profiles = list(PROFILS)
    region = region_index(contracts)
    profile = category_codes(contracts["profil_origine"], profiles)
    profile = np.where(profile < 0, profiles.index(UNKNOWN), profile)
    keep = mask & (region >= 0)
    cells = np.bincount(region[keep] * len(profiles) + profile[keep], minlength=len(regions) * len(profiles))
    table = pd.DataFrame(cells.reshape(len(regions), len(profiles)), index=regions["code"], columns=profiles)
    table.index.name, table.columns.name = "region", "profil_origine"
    return labelled(table, as_of=as_of, sources=[data_source(synthetic)])


def background_shares_by_region(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    active_only: bool = False,
    include_national: bool = True,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Long table region × background: count, region total, share and Wilson interval (`ic_bas`, `ic_haut`).

    Every region and background appears; a region without contracts has a total of 0 and missing
    shares and intervals (nothing to estimate). With `include_national`, rows for France (`FR`) follow.
    """
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    table = background_counts_by_region(contracts, as_of=as_of, synthetic=synthetic, active_only=active_only)
    names = region_table().set_index("code")["name"]
    codes, labels = list(table.index), [names[c] for c in table.index]
    counts = table.to_numpy()
    if include_national:
        counts = np.vstack([counts, counts.sum(axis=0)])
        codes, labels = codes + [NATIONAL_CODE], labels + [NATIONAL_NAME]
    totals = np.repeat(counts.sum(axis=1), counts.shape[1])
    flat = counts.ravel()
    low, high = wilson_interval(flat, totals, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(totals > 0, flat / totals, np.nan)
    profiles = list(table.columns)
    frame = pd.DataFrame(
        {
            "code": pd.array(np.repeat(codes, len(profiles)), dtype="string"),
            "nom": pd.array(np.repeat(labels, len(profiles)), dtype="string"),
            "profil_origine": pd.array(np.tile(profiles, len(codes)), dtype="string"),
            "libelle": pd.array(np.tile([PROFILS[p] for p in profiles], len(codes)), dtype="string"),
            "effectif": flat,
            "total": totals,
            "part": pd.array(share, dtype="Float64"),
            "ic_bas": pd.array(low, dtype="Float64"),
            "ic_haut": pd.array(high, dtype="Float64"),
        }
    )
    notes = [f"intervalles de confiance de Wilson à {confidence:.0%}".replace("%", " %")]
    return labelled(frame, as_of=as_of, sources=table.attrs["sources"], notes=notes)


def region_background_independence(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    exclude_unknown: bool = True,
    active_only: bool = False,
) -> pd.DataFrame:
    """Chi-square test of independence region × background, with Cramér's V (one-row frame, see
    `stats.IndependenceTest`). The `inconnu` background is left out by default: it records missing
    information, not a profession. Empty regions and backgrounds are dropped; when expected counts are
    too small (Cochran's rule) `fiable` is false and `note` says so (also in `attrs["notes"]`)."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    table = background_counts_by_region(contracts, as_of=as_of, synthetic=synthetic, active_only=active_only)
    if exclude_unknown:
        table = table.drop(columns=[UNKNOWN])
    result = independence_test(table.to_numpy())
    frame = result.as_frame()
    frame["note"] = frame["note"].astype("string")
    notes = [result.note] if result.note else []
    return labelled(frame, as_of=as_of, sources=table.attrs["sources"], notes=notes)


def background_mix_by_year(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    period: Period = "annee",
) -> pd.DataFrame:
    """Shares of each background among contracts signed each year (or quarter), see `mix.category_shares`."""
    return category_shares(contracts, "profil_origine", PROFILS, as_of=as_of, synthetic=synthetic, period=period)
