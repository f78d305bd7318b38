"""Backgrounds: assistants' prior professions by region with confidence intervals, independence test, mix by year,
and tests of change over time (within France or a region) and of a region against the rest of France."""

from __future__ import annotations

import numpy as np
import pandas as pd

from am_analytics.indicators.common import (
    NATIONAL_CODE,
    NATIONAL_NAME,
    AsOf,
    IndicatorArgumentError,
    active_mask,
    category_codes,
    contract_inputs,
    data_source,
    day_array,
    labelled,
    region_index,
    region_table,
    signed_mask,
)
from am_analytics.indicators.mix import Period, category_shares
from am_analytics.indicators.selection import selectable
from am_analytics.indicators.stats import independence_test, trend_test, wilson_interval
from am_analytics.vocabulary import PROFILS, SCHEME_START

UNKNOWN = "inconnu"


@selectable
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


@selectable(rows=("region", "departement", "background"))
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


@selectable
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


@selectable
def background_mix_by_year(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    period: Period = "annee",
) -> pd.DataFrame:
    """Shares of each background among contracts signed each year (or quarter), see `mix.category_shares`."""
    return category_shares(contracts, "profil_origine", PROFILS, as_of=as_of, synthetic=synthetic, period=period)


# --- Change over time and a region against France ------------------------------------------------------------


def _region_mask(contracts: pd.DataFrame, region: str | None) -> np.ndarray:
    """Contracts of one region (by their département, as every regional indicator counts them); all when None."""
    if region is None:
        return np.ones(len(contracts), dtype=bool)
    codes = list(region_table()["code"])
    if region not in codes:
        raise IndicatorArgumentError(f"région inconnue : {region!r} (codes attendus : {', '.join(codes)})")
    return region_index(contracts) == codes.index(region)


@selectable
def background_counts_by_year(
    contracts: pd.DataFrame, *, as_of: AsOf | None = None, synthetic: bool | None = None, region: str | None = None
) -> pd.DataFrame:
    """Contingency table: one row per signing year (every year from the scheme's start to as_of), one column per
    background (all of `PROFILS`), contracts signed on or before as_of in France or in one `region`."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    profiles = list(PROFILS)
    mask = signed_mask(contracts, as_of) & _region_mask(contracts, region)
    years = np.arange(pd.Timestamp(SCHEME_START).year, as_of.year + 1)
    signed = pd.DatetimeIndex(day_array(contracts["date_signature"])[mask]).year.to_numpy()
    profile = category_codes(contracts["profil_origine"], profiles)[mask]
    profile = np.where(profile < 0, profiles.index(UNKNOWN), profile)
    position = signed - years[0]
    cells = np.bincount(position * len(profiles) + profile, minlength=len(years) * len(profiles))
    table = pd.DataFrame(cells.reshape(len(years), len(profiles)), index=years, columns=profiles)
    table.index.name, table.columns.name = "annee", "profil_origine"
    return labelled(table, as_of=as_of, sources=[data_source(synthetic)])


def _test_frame(result, table: pd.DataFrame, region: str | None, *, as_of: pd.Timestamp, years: bool = True,
                **extra: str) -> pd.DataFrame:
    """A test's one-row frame with its territory (`code`, `nom`), any `extra` text columns, the first and last
    signing years with contracts (`years`), its note as text, labelled like every indicator."""
    frame = result.as_frame()
    frame["note"] = frame["note"].astype("string")
    code, name = (NATIONAL_CODE, NATIONAL_NAME) if region is None else (region, region_table().set_index("code")[
        "name"][region])
    for position, (column, value) in enumerate({"code": code, "nom": name, **extra}.items()):
        frame.insert(position, column, pd.array([value], dtype="string"))
    if years:
        used = table.index[table.sum(axis=1) > 0]
        frame["premiere_annee"] = int(used.min()) if len(used) else pd.NA
        frame["derniere_annee"] = int(used.max()) if len(used) else pd.NA
    return labelled(frame, as_of=as_of, sources=table.attrs["sources"], notes=[result.note] if result.note else [])


@selectable
def background_change_over_time(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    region: str | None = None,
    exclude_unknown: bool = True,
) -> pd.DataFrame:
    """Has the mix of backgrounds changed from one signing year to the next, in France or a region? Chi-square
    test of independence signing year × background (one-row frame as `region_background_independence`, plus the
    territory and the years compared). `inconnu` is left out by default (missing information, not a
    profession); years without contracts are dropped; `fiable` is false when expected counts are too small."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    table = background_counts_by_year(contracts, as_of=as_of, synthetic=synthetic, region=region)
    if exclude_unknown:
        table = table.drop(columns=[UNKNOWN])
    return _test_frame(independence_test(table.to_numpy()), table, region, as_of=as_of)


@selectable
def background_trend(
    contracts: pd.DataFrame,
    profil: str,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Does one background's share of the contracts signed each year rise or fall over the years, in France or a
    region? Cochran–Armitage test for trend (one-row frame, see `stats.TrendTest`), the share being among all the
    year's contracts as in `background_mix_by_year`; the slope is in share points per year."""
    if profil not in PROFILS:
        raise IndicatorArgumentError(f"profil inconnu : {profil!r} (profils attendus : {', '.join(PROFILS)})")
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    table = background_counts_by_year(contracts, as_of=as_of, synthetic=synthetic, region=region)
    result = trend_test(table[profil].to_numpy(), table.sum(axis=1).to_numpy(), table.index.to_numpy())
    return _test_frame(result, table, region, as_of=as_of, profil_origine=profil)


@selectable
def region_against_france(
    contracts: pd.DataFrame,
    region: str,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    exclude_unknown: bool = True,
    active_only: bool = False,
) -> pd.DataFrame:
    """Does a region's mix of backgrounds differ from the rest of France's? Chi-square test of independence on the
    2 × backgrounds table (the region, every other region together: two separate samples, so the region is not
    compared with a total it belongs to). One-row frame as `region_background_independence`, with the region."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    table = background_counts_by_region(contracts, as_of=as_of, synthetic=synthetic, active_only=active_only)
    if region not in table.index:
        raise IndicatorArgumentError(f"région inconnue : {region!r} (codes attendus : {', '.join(table.index)})")
    if exclude_unknown:
        table = table.drop(columns=[UNKNOWN])
    own = table.loc[region].to_numpy()
    rest = table.drop(index=region).sum(axis=0).to_numpy()
    return _test_frame(independence_test(np.vstack([own, rest])), table, region, as_of=as_of, years=False)
