"""Protection by coarsening, before any complementary masking: what a small scope publishes is made coarser so that
fewer of its counts are small, rather than hidden cell after cell.

- A category that is small (1 to 4 contracts) in at least half of the periods where it has contracts is folded with
  the other such categories into « Autres », and the table's note names the categories « Autres » holds (a fold of
  one category would only rename it: nothing is folded then).
- A territory whose mixes (backgrounds, specialties, zones, FTE options by signing year) would still have more
  than 30 % of their non-zero cells small after the fold publishes them over all years: one row per category,
  the period « 2019–2025 », the total being the territory's signed contracts (its headline figure). Its backgrounds
  are then those of the table of backgrounds by region: they are not folded (one number, one value).
- A small territory's series is published by quarter or by year (`results.series_step`).

Complementary masking (`disclosure`, then the audit's `protect`) only deals with what coarsening leaves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from am_analytics.indicators.mix import NOT_GIVEN
from am_analytics.indicators.stats import wilson_interval
from am_analytics.presentation.disclosure import THRESHOLD

OTHERS = "autres"
OTHERS_LABEL = "Autres"
UNKNOWN_BACKGROUND = "inconnu"
NEVER_FOLDED = (NOT_GIVEN, UNKNOWN_BACKGROUND)  # « not given » says something else than « a small category »
FOLD_ATTR = "regroupement"  # attrs of a coarsened mix: the codes and labels « Autres » holds
PERIODS_ATTR = "periodes"  # attrs of a coarsened mix: "annee" (by signing year) or "ensemble" (over all years)
BY_YEAR, ALL_YEARS = "annee", "ensemble"
ALL_YEARS_DASH = "–"  # « 2019–2025 »: the label of the period that covers every year
MAX_SMALL_CELLS = 0.3


def is_small(values: np.ndarray, threshold: int = THRESHOLD) -> np.ndarray:
    return (values >= 1) & (values < threshold)


def small_share(mix: pd.DataFrame, threshold: int = THRESHOLD) -> float:
    """The share of a mix's non-zero cells that are small (0 for a mix without contracts)."""
    counts = mix["effectif"].to_numpy(dtype=float)
    counts = counts[counts > 0]
    return float(is_small(counts, threshold).mean()) if len(counts) else 0.0


def categories_to_fold(mix: pd.DataFrame, threshold: int = THRESHOLD) -> list[str]:
    """The categories small in at least half of the periods where they have contracts (in the mix's order); none
    when fewer than two are, or when they hold every contract."""
    found = []
    for category, counts in mix.groupby("categorie", sort=False)["effectif"]:
        values = counts.to_numpy(dtype=float)
        values = values[values > 0]
        if category not in NEVER_FOLDED and len(values) and is_small(values, threshold).mean() >= 0.5:
            found.append(str(category))
    with_contracts = set(mix.loc[mix["effectif"] > 0, "categorie"].astype(str))
    # « Autres » holding every contract would tell nothing of the breakdown: the categories are masked instead
    return found if len(found) >= 2 and with_contracts - set(found) else []


def _with_shares(mix: pd.DataFrame) -> pd.DataFrame:
    """Shares and Wilson intervals recomputed from the counts (as `indicators.mix.category_shares` computes them)."""
    counts, totals = mix["effectif"].to_numpy(dtype=float), mix["total"].to_numpy(dtype=float)
    not_given = mix["categorie"].eq(NOT_GIVEN).to_numpy()
    unknown_by_period = mix["effectif"].where(not_given, 0).groupby(mix["periode"], sort=False).transform("sum")
    known = totals - unknown_by_period.to_numpy(dtype=float)
    low, high = wilson_interval(counts, totals)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(totals > 0, counts / totals, np.nan)
        share_known = np.where((known > 0) & ~not_given, counts / known, np.nan)
    result = mix.copy()
    for name, values in (("part", share), ("ic_bas", low), ("ic_haut", high), ("part_parmi_renseignes", share_known)):
        result[name] = pd.array(values, dtype="Float64")
    return result


def fold(mix: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """The mix with `categories` added up into one « Autres » row per period, placed where the first of them was."""
    if not categories:
        return mix
    folded = mix["categorie"].isin(list(categories)).to_numpy()
    others = (
        mix.loc[folded]
        .groupby("periode", sort=False)
        .agg(**{name: (name, "first") for name in mix.columns if name not in ("effectif", "periode")},
             effectif=("effectif", "sum"))
        .reset_index()
    )
    others["categorie"], others["libelle"] = OTHERS, OTHERS_LABEL
    category_order = {}
    for category in dict.fromkeys(mix["categorie"]):
        category_order.setdefault(OTHERS if category in categories else category, len(category_order))
    period_order = {period: position for position, period in enumerate(dict.fromkeys(mix["periode"]))}
    result = pd.concat([mix.loc[~folded], others[mix.columns]], ignore_index=True)
    rank = result["periode"].map(period_order) * len(category_order) + result["categorie"].map(category_order)
    result = _with_shares(result.iloc[np.argsort(rank.to_numpy(), kind="stable")].reset_index(drop=True))
    labels = mix.drop_duplicates("categorie").set_index("categorie")["libelle"]
    result.attrs = {**mix.attrs, FOLD_ATTR: {str(code): str(labels[code]) for code in categories}}
    for name in ("categorie", "libelle", "periode"):
        result[name] = result[name].astype("string")
    return result


def over_all_years(mix: pd.DataFrame) -> pd.DataFrame:
    """The mix as one period that covers every year of it (« 2019–2025 »): each category's contracts and the
    territory's, over all years."""
    years = mix["periode"].astype(str).str[:4].astype(int)
    label = f"{years.min()}{ALL_YEARS_DASH}{years.max()}"
    columns, summed = list(mix.columns), ("categorie", "effectif", "total", "debut_periode")
    grouped = mix.groupby("categorie", sort=False).agg(
        **{name: (name, "first") for name in columns if name not in summed},
        effectif=("effectif", "sum"),
        total=("total", "sum"),
        debut_periode=("debut_periode", "min"),
    ).reset_index()
    grouped["periode"] = label
    result = _with_shares(grouped[columns])
    for name in ("categorie", "libelle", "periode"):
        result[name] = result[name].astype("string")
    result.attrs = {**mix.attrs, PERIODS_ATTR: ALL_YEARS}
    return result


def coarsened(
    mix: pd.DataFrame, *, all_years: bool, threshold: int = THRESHOLD, foldable: bool = True
) -> pd.DataFrame:
    """A mix as a scope publishes it: over all years when `all_years`, its small categories folded unless not
    `foldable` (its categories are printed one by one in another table: « Autres » would be one more cell, their
    sum, that the other table does not protect)."""
    if mix.empty:
        return mix
    base = over_all_years(mix) if all_years else mix.assign().pipe(_attrs, mix, BY_YEAR)
    folded = fold(base, categories_to_fold(base, threshold) if foldable else [])
    folded.attrs = {**base.attrs, **folded.attrs}
    return folded


def _attrs(frame: pd.DataFrame, original: pd.DataFrame, periods: str) -> pd.DataFrame:
    frame.attrs = {**original.attrs, PERIODS_ATTR: periods}
    return frame


def publishes_over_all_years(mixes: Iterable[pd.DataFrame], threshold: int = THRESHOLD) -> bool:
    """True when a territory's mixes by year, their small categories folded, would still have more than
    `MAX_SMALL_CELLS` of their non-zero cells small: they are then published over all years, all of them (so that
    a year's total is not printed in one mix and left out of another)."""
    for mix in mixes:
        if mix.empty:
            continue
        by_year = fold(mix, categories_to_fold(mix, threshold))
        if small_share(by_year, threshold) > MAX_SMALL_CELLS:
            return True
    return False


def fold_note(mix: pd.DataFrame) -> str | None:
    """The note that states a mix's fold: « « Autres » regroupe : Auxiliaire de puériculture, Assistant·e
    dentaire (catégories de moins de 5 contrats la plupart des années). »"""
    folded: Mapping[str, str] = mix.attrs.get(FOLD_ATTR) or {}
    if not folded:
        return None
    when = "" if mix.attrs.get(PERIODS_ATTR) == ALL_YEARS else " la plupart des années"
    return (f"« {OTHERS_LABEL} » regroupe : {', '.join(folded.values())} (chacune compte moins de {THRESHOLD} "
            f"contrats{when} : regroupées plutôt que masquées).")


def period_phrase(period: object) -> str:
    """A mix's period in a sentence: « en 2024 », « de 2019 à 2025 »."""
    first, last = period_bounds(str(period))
    return f"en {period}" if first == last else f"de {first} à {last}"


def periods_note(mix: pd.DataFrame) -> str | None:
    """The note that says a mix is published over all years, and why."""
    if mix.attrs.get(PERIODS_ATTR) != ALL_YEARS or mix.empty:
        return None
    return (f"Répartition publiée sur l'ensemble des années ({mix['periode'].iloc[0]}) : les contrats de ce "
            "territoire sont trop peu nombreux pour être répartis année par année sans être masqués.")


def coarsening_notes(mix: pd.DataFrame) -> tuple[str, ...]:
    return tuple(note for note in (periods_note(mix), fold_note(mix)) if note)


def period_bounds(label: str) -> tuple[int, int]:
    """The first and last year of a mix's period label (« 2021 », « 2021-T3 », « 2019–2025 »)."""
    text = str(label)
    if ALL_YEARS_DASH in text:
        first, last = text.split(ALL_YEARS_DASH)
        return int(first), int(last)
    return int(text[:4]), int(text[:4])


def fold_members(frame: pd.DataFrame, category: str) -> tuple[str, ...] | None:
    """The categories a published frame's « Autres » holds (None for any other category)."""
    folded = frame.attrs.get(FOLD_ATTR) or {}
    return tuple(folded) if category == OTHERS and folded else None
