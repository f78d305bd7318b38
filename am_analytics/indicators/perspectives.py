"""Perspectives: contracts signed and CPAM spending projected to 2029 from the recent trend, under the current rules.

Pure functions, labelled « projection » in every output: the monthly signatures of the last 12 complete months
give a least-squares line (`rollout.trend_band`) and its 95 % band; the funding rules (`funding`) price the
contract-years of the contracts already signed and of the projected ones. Assumptions, stated in the method:
no contract ends after the counting date (the count of contract-years is an upper bound), the patient-list
band is « standard » (the amount per contract-year is a floor), new contracts take the FTE options of the last
12 months, and the amounts of options without a published rule (2024 second assistant) are not guessed: their
contract-years are reported as coverage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.indicators.common import (
    REFERENCE,
    AsOf,
    contract_inputs,
    count_by,
    data_source,
    labelled,
)
from am_analytics.indicators.funding import _contract_year_arrays
from am_analytics.indicators.rollout import (
    PROJECTION_CONFIDENCE,
    PROJECTION_MIN_MONTHS,
    PROJECTION_WINDOW_MONTHS,
    monthly_series,
    trend_band,
)
from am_analytics.indicators.selection import selectable
from am_analytics.vocabulary import ETP_OPTIONS

PERSPECTIVE_END_YEAR = 2029  # the convention médicale 2024-2029 and its 15 000 target
PROJECTION_LABEL = "projection"
SIGNATURE_DAY = 15  # projected contracts are signed mid-month

NOTES = (
    "projection : tendance linéaire des signatures mensuelles des 12 derniers mois complets, bande à 95 %",
    "aucune fin de contrat supposée après la date d'arrêté : le nombre d'années de contrat est un plafond",
    "barème « standard » de patientèle et règles en vigueur (convention 2024) : le montant par année est un plancher",
    "options sans barème publié (deuxième assistant, 2024) : comptées dans la couverture, jamais chiffrées",
)

_SIGNATURE_COLUMNS = [
    "mois",
    "signes_projetes",
    "signes_projetes_bas",
    "signes_projetes_haut",
    "cumul_projete",
    "cumul_projete_bas",
    "cumul_projete_haut",
]


def _complete_months(contracts: pd.DataFrame, as_of: pd.Timestamp, synthetic: bool) -> pd.DataFrame:
    months = monthly_series(contracts, as_of=as_of, synthetic=synthetic)
    return months[months["mois_complet"]]


@selectable
def projected_signatures(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    until_year: int = PERSPECTIVE_END_YEAR,
    window: int = PROJECTION_WINDOW_MONTHS,
    min_months: int = PROJECTION_MIN_MONTHS,
    confidence: float = PROJECTION_CONFIDENCE,
) -> pd.DataFrame:
    """Projected contracts signed per month, from the month after the last complete one to December of
    `until_year`: the trend (`signes_projetes`), the lower and upper lines of its band (never below 0) and
    the cumulative totals from the last complete month's. Empty, with `attrs["reason"]` in French, when the
    series is shorter than `min_months` complete months (the projection is then not computable)."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    complete = _complete_months(contracts, as_of, synthetic)
    flows = complete["signes_mois"].astype(float).to_numpy()[-window:]
    sources = [data_source(synthetic), REFERENCE]
    min_months = max(min_months, 3)
    if len(flows) < min_months:
        frame = pd.DataFrame(columns=_SIGNATURE_COLUMNS)
        result = labelled(frame, as_of=as_of, sources=sources, notes=list(NOTES[:1]))
        result.attrs["reason"] = f"projection non calculable : {len(flows)} mois complets, il en faut {min_months}"
        return result
    first = pd.Timestamp(complete["mois"].iloc[-1]) + pd.DateOffset(months=1)
    months = pd.date_range(first, pd.Timestamp(f"{until_year}-12-01"), freq="MS")
    trend, half_width, _, _ = trend_band(flows, len(months), confidence)
    reached = float(complete["signes_cumul"].iloc[-1])
    point, low, high = (np.maximum(path, 0.0) for path in (trend, trend - half_width, trend + half_width))
    frame = pd.DataFrame(
        {
            "mois": months,
            "signes_projetes": point,
            "signes_projetes_bas": low,
            "signes_projetes_haut": high,
            "cumul_projete": reached + np.cumsum(point),
            "cumul_projete_bas": reached + np.cumsum(low),
            "cumul_projete_haut": reached + np.cumsum(high),
        }
    )
    return labelled(frame, as_of=as_of, sources=sources, notes=list(NOTES[:1]))


@selectable
def recent_option_mix(
    contracts: pd.DataFrame, as_of: pd.Timestamp, months: int = PROJECTION_WINDOW_MONTHS
) -> pd.Series:
    """Shares of each FTE option among the contracts signed in the last `months` months up to as_of (every
    option of `ETP_OPTIONS`, 0 when absent); all contracts signed up to as_of when that window has none."""
    signed = pd.to_datetime(contracts["date_signature"])
    window = (signed <= as_of) & (signed > as_of - pd.DateOffset(months=months))
    chosen = contracts.loc[window, "etp_option"] if window.any() else contracts.loc[signed <= as_of, "etp_option"]
    counts = chosen.astype("string").value_counts().reindex(list(ETP_OPTIONS), fill_value=0).astype(float)
    total = counts.sum()
    return counts / total if total else counts


def first_open_year(as_of: pd.Timestamp) -> int:
    """The first calendar year not over at `as_of`: its own year, or the next one on 31 December."""
    return (pd.Timestamp(as_of) + pd.Timedelta(days=1)).year


@selectable
def projected_spending(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    until_year: int = PERSPECTIVE_END_YEAR,
    rules: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Expected CPAM aid per calendar year, from the first year not over at the counting date (`first_open_year`)
    to `until_year`, under the current
    rules: the contract-years of the contracts signed by as_of (`montant_contrats_signes_eur`) plus those of
    the contracts the trend projects (`montant_nouveaux_eur`, with `_bas` and `_haut` from its band), each
    contract-year priced as `funding.expected_aid_by_year` prices it (regime at its start, option, rank,
    standard band) and assigned to the calendar year it starts in. `couverture` is the share of contract-years
    whose amount is known; `nouveaux_contrats` the contracts projected to be signed in the year. Empty years are
    kept; the new contracts' columns are missing when the projection is not computable (`attrs["reason"]`)."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    rules = reference.funding_rules() if rules is None else rules
    horizon = pd.Timestamp(f"{until_year}-12-31")
    # A year over at the counting date is observed, not projected (`funding.expected_aid_by_year` gives it): at
    # 31 December 2024 the projection starts in 2025, so 2024 never has a second, projected value.
    years = np.arange(first_open_year(as_of), until_year + 1)

    # Contracts signed by as_of: an end known at as_of is kept, a later one is not known yet.
    signed = contracts[pd.to_datetime(contracts["date_signature"]) <= as_of]
    end = pd.to_datetime(signed["date_fin"])
    existing = signed.assign(date_fin=end.where(end <= as_of))
    old = _contract_year_arrays(existing, horizon, rules)
    old_amount, old_known, old_all = _by_year(old, years, np.ones(len(existing)))

    signatures = projected_signatures(contracts, as_of=as_of, synthetic=synthetic, until_year=until_year)
    frame = pd.DataFrame({"annee": years.astype(str), "montant_contrats_signes_eur": old_amount})
    notes = list(NOTES)
    if signatures.empty:
        frame["couverture"] = np.where(old_all > 0, old_known / np.where(old_all > 0, old_all, 1), np.nan)
        frame["statut"] = PROJECTION_LABEL
        result = labelled(frame, as_of=as_of, sources=[data_source(synthetic), REFERENCE], notes=notes)
        result.attrs["reason"] = signatures.attrs.get("reason")
        return result

    mix = recent_option_mix(contracts, as_of)
    options = [option for option in mix.index if mix[option] > 0]
    months = signatures["mois"] + pd.Timedelta(days=SIGNATURE_DAY - 1)
    pseudo = pd.DataFrame(
        {
            "date_signature": np.repeat(months.to_numpy(), len(options)),
            "date_fin": pd.NaT,
            "etp_option": np.tile(options, len(months)),
            "etp": np.tile([float(ETP_OPTIONS[option]) for option in options], len(months)),
        }
    )
    pseudo["etp_option"] = pseudo["etp_option"].astype("string")
    pseudo["etp"] = pseudo["etp"].astype("Float64")
    new = _contract_year_arrays(pseudo, horizon, rules)
    shares = np.tile(mix[options].to_numpy(dtype=float), len(months))
    signing_year = pd.DatetimeIndex(signatures["mois"]).year.to_numpy()
    for suffix, column in (("", "signes_projetes"), ("_bas", "signes_projetes_bas"), ("_haut", "signes_projetes_haut")):
        weights = np.repeat(signatures[column].to_numpy(dtype=float), len(options)) * shares
        amount, known, every = _by_year(new, years, weights)
        frame[f"montant_nouveaux{suffix}_eur"] = amount
        frame[f"montant_total{suffix}_eur"] = old_amount + amount
        frame[f"nouveaux_contrats{suffix}"] = [
            float(signatures.loc[signing_year == year, column].sum()) for year in years
        ]
        if suffix == "":
            all_years = old_all + every
            frame["couverture"] = np.where(all_years > 0, (old_known + known) / np.where(all_years > 0, all_years, 1),
                                           np.nan)
    frame["statut"] = PROJECTION_LABEL
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic), REFERENCE], notes=notes)


def _by_year(arrays: dict, years: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected aid, known and all contract-years (weighted by each row's `weights`) per calendar year."""
    group = arrays["start_year"] - years[0]
    inside = (group >= 0) & (group < len(years))
    group = np.where(inside, group, len(years))
    weight = weights[arrays["row"]] if len(arrays["row"]) else np.zeros(0)
    expected = np.where(arrays["known"], arrays["expected"], 0.0) * weight
    amount = count_by(group, len(years) + 1, None, expected)[:-1]
    known = count_by(group, len(years) + 1, None, np.where(arrays["known"], weight, 0.0))[:-1]
    every = count_by(group, len(years) + 1, None, weight)[:-1]
    return np.round(amount, 2), known, every


__all__ = ["PERSPECTIVE_END_YEAR", "projected_signatures", "projected_spending", "recent_option_mix"]
