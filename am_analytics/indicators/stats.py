"""Small statistics the indicators share: Wilson intervals for proportions, chi-square independence with Cramér's V,
Cochran–Armitage test for a trend of a proportion over ordered groups."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

# Cochran's rule for the chi-square approximation: no expected count below 1 and at most 20 % of cells
# below 5; beyond that the p-value is not trustworthy and the reader is told so.
SMALL_EXPECTED = 5.0
MAX_SHARE_SMALL_EXPECTED = 0.20


def wilson_interval(successes, totals, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of the proportion successes / totals, vectorised.

    Chosen over the normal (Wald) interval because it stays inside [0, 1] and behaves at 0 % and 100 %
    and on small samples. Where the total is 0 both bounds are NaN (no proportion to estimate). The
    bounds always contain successes / totals, exactly (see `share_interval`).
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, k / n, np.nan)
    return share_interval(share, n, confidence)


def _french_percent(share: float) -> str:
    """« 36\xa0% »: these notes are printed as they are, in French (the indicators do not import the figures'
    formatting)."""
    return f"{share:.0%}".replace("%", "\xa0%")


@functools.cache
def _normal_quantile(probability: float) -> float:
    # scipy's ppf costs a few milliseconds a call: once per confidence level is enough
    return float(sps.norm.ppf(probability))


def share_interval(share, size, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval around a share already computed (`share` in 0–1, on a sample of `size`,
    which may be an effective size and need not be whole).

    The interval contains `share` by construction, not by luck: in exact arithmetic Wilson's bounds
    enclose the share, but in floating point the lower bound of a share of 0 comes out as 1e-17 and the
    upper bound of a share of 1 as 1 − 1e-16, which put the share outside its own interval (a chart's
    error bar then has a negative length). So the bounds are taken as min(lower, share) and
    max(upper, share), a share of exactly 0 or 1 gets its exact bound, and a share outside 0–1 (bad
    input) still lies within its bounds. Where `size` is 0 or the share is missing, both bounds are NaN.
    """
    p = np.asarray(share, dtype=float)
    n = np.asarray(size, dtype=float)
    z = _normal_quantile(0.5 + confidence / 2)
    defined = (n > 0) & ~np.isnan(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.clip(p, 0.0, 1.0)  # the formula's share; `p` itself is kept for the containment below
        denominator = 1 + z**2 / n
        centre = (q + z**2 / (2 * n)) / denominator
        half = z * np.sqrt(q * (1 - q) / n + z**2 / (4 * n**2)) / denominator
        low = np.where(q <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(q >= 1, 1.0, np.clip(centre + half, 0.0, 1.0))
        low = np.where(defined, np.minimum(low, p), np.nan)
        high = np.where(defined, np.maximum(high, p), np.nan)
    return low, high


@dataclass(frozen=True)
class IndependenceTest:
    """Pearson chi-square test of independence of a contingency table, with its effect size."""

    chi2: float
    dof: int
    p_value: float
    cramers_v: float
    n: int
    rows: int
    columns: int
    share_small_expected: float  # share of cells whose expected count is below 5
    min_expected: float
    reliable: bool
    note: str  # French; empty when the test is reliable

    def as_frame(self) -> pd.DataFrame:
        """One-row frame with French column names, for tables and exports."""
        return pd.DataFrame(
            {
                "chi2": [self.chi2],
                "ddl": [self.dof],
                "p_valeur": [self.p_value],
                "v_de_cramer": [self.cramers_v],
                "effectif": [self.n],
                "lignes": [self.rows],
                "colonnes": [self.columns],
                "part_cellules_attendu_inf_5": [self.share_small_expected],
                "attendu_min": [self.min_expected],
                "fiable": [self.reliable],
                "note": [self.note],
            }
        )


def independence_test(table: pd.DataFrame | np.ndarray) -> IndependenceTest:
    """Chi-square test of independence (no continuity correction) and Cramér's V of a count table.

    Rows and columns that are entirely zero are dropped first: they carry no information and would
    make expected counts zero. With fewer than two rows or columns left there is nothing to test
    (statistics NaN, `reliable` false, a note says why).
    """
    counts = np.asarray(table, dtype=float)
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0] if counts.size else counts.reshape(0, 0)
    n = int(counts.sum())
    rows, columns = counts.shape
    if rows < 2 or columns < 2:
        return IndependenceTest(
            np.nan,
            0,
            np.nan,
            np.nan,
            n,
            rows,
            columns,
            np.nan,
            np.nan,
            False,
            "test impossible : il faut au moins deux lignes et deux colonnes non vides",
        )
    chi2, p_value, dof, expected = sps.chi2_contingency(counts, correction=False)
    cramers_v = float(np.sqrt(chi2 / (n * (min(rows, columns) - 1))))
    share_small = float((expected < SMALL_EXPECTED).mean())
    min_expected = float(expected.min())
    reliable = share_small <= MAX_SHARE_SMALL_EXPECTED and min_expected >= 1
    note = ""
    if not reliable:
        minimum = f"{min_expected:.1f}".replace(".", ",")
        note = (
            f"approximation du khi-deux peu fiable : {_french_percent(share_small)} des cellules ont un effectif "
            f"attendu inférieur à 5 (minimum {minimum}) ; regrouper des catégories ou interpréter avec prudence"
        )
    return IndependenceTest(
        float(chi2), int(dof), float(p_value), cramers_v, n, rows, columns, share_small, min_expected, reliable, note
    )


@dataclass(frozen=True)
class TrendTest:
    """Cochran–Armitage test for a linear trend of a proportion across ordered groups (signing years)."""

    z: float
    p_value: float
    n: int
    groups: int
    first_share: float  # the share in the first and last non-empty groups, for the sentence that reports it
    last_share: float
    slope: float  # change in the share per unit of score (least squares weighted by group size)
    reliable: bool
    note: str  # French; empty when the test is reliable

    def as_frame(self) -> pd.DataFrame:
        """One-row frame with French column names, for tables and exports."""
        return pd.DataFrame(
            {
                "z": [self.z],
                "p_valeur": [self.p_value],
                "effectif": [self.n],
                "groupes": [self.groups],
                "part_premiere": [self.first_share],
                "part_derniere": [self.last_share],
                "pente": [self.slope],
                "fiable": [self.reliable],
                "note": [self.note],
            }
        )


def trend_test(successes, totals, scores=None) -> TrendTest:
    """Cochran–Armitage test for trend: does the proportion successes / totals move linearly with `scores`
    (default 0, 1, 2…: consecutive years)? Two-sided p-value from the normal approximation.

    Empty groups are dropped. With fewer than two groups, or no variation (every proportion 0 or 1 overall),
    there is nothing to test: statistics NaN, `reliable` false, a note says why. Like the chi-square, the
    normal approximation needs enough contracts: when an expected count (of successes or of failures) is below
    5 in more than 20 % of the groups, or below 1 in any, `reliable` is false and the note says so.
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    t = np.arange(len(n), dtype=float) if scores is None else np.asarray(scores, dtype=float)
    keep = n > 0
    k, n, t = k[keep], n[keep], t[keep]
    total = float(n.sum())
    groups = int(len(n))
    if groups < 2:
        return TrendTest(np.nan, np.nan, int(total), groups, np.nan, np.nan, np.nan, False,
                         "test impossible : il faut au moins deux années avec des contrats")
    p_bar = float(k.sum() / total)
    first, last = float(k[0] / n[0]), float(k[-1] / n[-1])
    t_bar = float((n * t).sum() / total)
    sxx = float((n * (t - t_bar) ** 2).sum())
    if p_bar in (0.0, 1.0) or sxx == 0:
        return TrendTest(np.nan, np.nan, int(total), groups, first, last, 0.0, False,
                         "test impossible : la part ne varie pas (toujours 0 % ou 100 %)")
    statistic = float((t * (k - n * p_bar)).sum())
    variance = p_bar * (1 - p_bar) * sxx
    z = statistic / np.sqrt(variance)
    p_value = float(2 * sps.norm.sf(abs(z)))
    slope = float((n * (t - t_bar) * (k / n - p_bar)).sum() / sxx)
    expected = np.minimum(n * p_bar, n * (1 - p_bar))
    share_small = float((expected < SMALL_EXPECTED).mean())
    reliable = share_small <= MAX_SHARE_SMALL_EXPECTED and float(expected.min()) >= 1
    note = ""
    if not reliable:
        note = (
            f"approximation normale peu fiable : dans {_french_percent(share_small)} des années, l'effectif attendu "
            "est inférieur à 5 ; interpréter avec prudence"
        )
    return TrendTest(float(z), p_value, int(total), groups, first, last, slope, reliable, note)
