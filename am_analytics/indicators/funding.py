"""Funding: expected CPAM aid per contract-year from the shipped rules, totals by year and region, rule coverage."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.indicators.common import (
    REFERENCE,
    AsOf,
    anniversary_days,
    category_codes,
    civil_from_days,
    contract_acts,
    contract_inputs,
    count_by,
    data_source,
    day_array,
    etp_array,
    in_force_on,
    labelled,
    region_index,
    region_table,
)
from am_analytics.indicators.selection import selectable
from am_analytics.vocabulary import ETP_OPTIONS, SCHEME_START

TRANCHES = ("1", "2", "3+")
# The patient-list band (patientèle) is not in the contracts, so every contract-year is priced at the
# "standard" band; higher bands only raise the aid from year 3, so totals are a floor.
ASSUMED_BAND = "standard"

NOTES = (
    "aide attendue selon les barèmes publiés (avenant 7, convention 2024) : régime en vigueur au début de chaque "
    "année de contrat, la revalorisation de 2024 s'appliquant à la date anniversaire du contrat",
    "tranche de patientèle inconnue : barème « standard » supposé pour toutes les années de contrat",
    "montant affecté à l'année civile où commence l'année de contrat ; une année interrompue par la fin du "
    "contrat est comptée au prorata des jours couverts",
    "années de contrat sans barème connu (options deuxième assistant de 2024, dont les montants n'ont pas été "
    "trouvés) : comptées dans la couverture, jamais estimées",
)


@dataclass(frozen=True)
class _Rules:
    """Annual amounts as a grid [regime, FTE option, contract-year tranche], NaN where no rule is known."""

    regimes: list[str]
    starts: np.ndarray  # datetime64[D], first day of each regime, ascending
    amounts: np.ndarray

    @classmethod
    def of(cls, rules: pd.DataFrame) -> _Rules:
        starts = rules.groupby("regime")["valid_from"].min().sort_values()
        regimes = list(starts.index)
        options = list(ETP_OPTIONS)
        grid = np.full((len(regimes), len(options), len(TRANCHES)), np.nan)
        usable = rules[
            (rules["patientele_band"] == ASSUMED_BAND)
            & rules["contract_year"].isin(list(TRANCHES))
            & rules["etp_option"].isin(options)
            & rules["amount_eur"].notna()
        ]
        for rule in usable.itertuples(index=False):
            grid[regimes.index(rule.regime), options.index(rule.etp_option), TRANCHES.index(rule.contract_year)] = (
                float(rule.amount_eur)
            )
        return cls(regimes, starts.to_numpy(dtype="datetime64[D]"), grid)


def _contract_year_arrays(
    contracts: pd.DataFrame, as_of: pd.Timestamp, rules: pd.DataFrame | None, *, detail: bool = False
) -> dict:
    """Every contract-year started on or before as_of and before the contract's end, as numpy arrays.

    Contract year k (0-based) starts on the k-th anniversary of the signature and ends the day before
    the next; it is cut at `date_fin` (the fraction of its days covered). With `detail`, also each year's
    next anniversary (`next_start`) and regime name, which only `contract_years` shows.
    """
    grid = _Rules.of(reference.funding_rules() if rules is None else rules)
    signature = day_array(contracts["date_signature"]).astype("datetime64[D]")
    end = day_array(contracts["date_fin"]).astype("datetime64[D]")
    today = np.datetime64(as_of.date(), "D")
    # The last day a contract-year may start: as_of, or the day before the end (a year starting on the
    # end date would fund nothing).
    limit = np.where(np.isnat(end), today, np.minimum(today, end - np.timedelta64(1, "D"))).astype(np.int64)
    valid = ~np.isnat(signature)
    signed_on = np.where(valid, signature.astype(np.int64), limit)  # placeholder for a missing signature
    valid &= signed_on <= limit
    # Calendar parts once per contract; anniversaries are integer arithmetic on them.
    year, month, day = civil_from_days(signed_on)
    limit_year, limit_month, limit_day = civil_from_days(limit)
    last = limit_year - year - ((limit_month * 100 + limit_day) < (month * 100 + day))
    last = np.where(anniversary_days(year, month, day, last + 1) <= limit, last + 1, last)  # 29 Feb cases
    years = np.where(valid, last + 1, 0)
    first_row = np.cumsum(years) - years  # each contract's first contract-year, in the expanded arrays
    row = np.repeat(np.arange(len(contracts)), years)
    k = np.arange(len(row)) - np.repeat(first_row, years)
    start = anniversary_days(year[row], month[row], day[row], k)
    # Only a contract's last year can be cut by its end: every earlier year ends before the next one starts,
    # which is on or before the day before the end. So the next anniversary is computed for those last years
    # alone (a million contracts have three or four million years; a third of the contracts have an end).
    fraction = np.ones(len(row))
    ended = (years > 0) & ~np.isnat(end)
    last_row = first_row[ended] + years[ended] - 1
    following = anniversary_days(year[ended], month[ended], day[ended], years[ended])
    end_day = end[ended].astype(np.int64)
    cut = end_day < following
    last_row, following, end_day = last_row[cut], following[cut], end_day[cut]
    fraction[last_row] = (end_day - start[last_row]) / (following - start[last_row])
    regime = np.searchsorted(grid.starts.astype(np.int64), start, side="right") - 1
    option = category_codes(contracts["etp_option"], list(ETP_OPTIONS))[row]
    etp = etp_array(contracts)[row]
    if contract_acts(contracts) is not None:
        # a contract written with its history: each contract-year at the option in force when it starts
        days = start.astype("datetime64[D]")
        option = category_codes(pd.Series(in_force_on(contracts, row, days, "etp_option")), list(ETP_OPTIONS))
        etp = in_force_on(contracts, row, days, "etp")
    tranche = np.minimum(k, len(TRANCHES) - 1)
    known_keys = (regime >= 0) & (option >= 0)
    annual = np.full(len(row), np.nan)
    annual[known_keys] = grid.amounts[regime[known_keys], option[known_keys], tranche[known_keys]]
    arrays = {
        "row": row,
        "year": k + 1,
        "start": start,  # integer days since 1970-01-01
        "start_year": year[row] + k,
        "fraction": fraction,
        "tranche": tranche,
        "annual": annual,
        "expected": annual * fraction,
        "known": ~np.isnan(annual),
        "etp": etp,
    }
    if detail:
        arrays["option"] = in_force_on(contracts, row, start.astype("datetime64[D]"), "etp_option")
        arrays["next_start"] = anniversary_days(year[row], month[row], day[row], k + 1)
        arrays["regime"] = np.array(grid.regimes + [None], dtype=object)[regime]
    return arrays


@selectable
def contract_years(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    rules: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per contract-year started on or before as_of (and before `date_fin`), with its regime,
    tranche (1, 2, 3+), annual amount from the rules (`<NA>` when unknown), fraction of the year
    covered and expected aid (`montant_attendu_eur` = annual amount × fraction)."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    years = _contract_year_arrays(contracts, as_of, rules, detail=True)
    row = years["row"]
    frame = pd.DataFrame(
        {
            "contrat_id": contracts["contrat_id"].to_numpy()[row],
            "departement": contracts["departement"].to_numpy()[row],
            "annee_contrat": years["year"],
            "debut": years["start"].astype("datetime64[D]").astype("datetime64[ns]"),
            "fin_theorique": (years["next_start"] - 1).astype("datetime64[D]").astype("datetime64[ns]"),
            "fraction_annee": years["fraction"],
            "regime": years["regime"],
            "tranche": np.array(TRANCHES)[years["tranche"]],
            "etp_option": years["option"],
            "etp": years["etp"],
            "montant_annuel_eur": pd.array(years["annual"], dtype="Float64"),
            "montant_attendu_eur": pd.array(years["expected"], dtype="Float64"),
            "regle_connue": years["known"],
        }
    )
    for column in ("contrat_id", "departement", "regime", "tranche", "etp_option"):
        frame[column] = frame[column].astype("string")
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic), REFERENCE], notes=NOTES)


def _summary(group: np.ndarray, size: int, years: dict) -> dict[str, object]:
    known = years["known"]
    expected = np.where(known, years["expected"], 0.0)
    funded_fte = np.where(known, years["etp"] * years["fraction"], 0.0)
    all_years = count_by(group, size)
    known_years = count_by(group, size, known)
    amount = np.round(count_by(group, size, None, expected), 2)
    fte = count_by(group, size, None, funded_fte)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(all_years > 0, known_years / all_years, np.nan)
        per_fte = np.where(fte > 0, amount / fte, np.nan)
    return {
        "annees_contrat": all_years,
        "annees_contrat_regle_connue": known_years,
        "annees_contrat_regle_inconnue": all_years - known_years,
        "couverture": pd.array(coverage, dtype="Float64"),
        "montant_attendu_eur": amount,
        "etp_annees_financees": np.round(fte, 6),
        "aide_par_etp_eur": pd.array(np.round(per_fte, 2), dtype="Float64"),
    }


@selectable
def expected_aid_by_year(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    rules: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per calendar year (scheme start to as_of, every year present): contract-years started that year,
    how many have a known rule (`couverture` = known / all), the expected aid of the known ones, the FTE-years
    they fund and the aid per FTE-year (`aide_par_etp_eur`, the cost of one full-time assistant for a year).
    Unknown rules are never guessed: their contract-years are only counted."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    years = _contract_year_arrays(contracts, as_of, rules)
    start_years = years["start_year"]
    first = min(SCHEME_START.year, int(start_years.min())) if len(start_years) else SCHEME_START.year
    calendar = np.arange(first, as_of.year + 1)
    group = start_years - first
    frame = pd.DataFrame({"annee": calendar, **_summary(group, len(calendar), years)})
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic), REFERENCE], notes=NOTES)


@selectable(rows=("region", "departement"))
def expected_aid_by_region(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    year: int | None = None,
    rules: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per region (all 18): the same columns as `expected_aid_by_year`, over every contract-year started
    on or before as_of, or only those started in calendar `year`."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    years = _contract_year_arrays(contracts, as_of, rules)
    group = region_index(contracts)[years["row"]]
    if year is not None:
        group = np.where(years["start_year"] == year, group, -1)
    regions = region_table()
    frame = pd.DataFrame({"code": regions["code"], "nom": regions["name"], **_summary(group, len(regions), years)})
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic), REFERENCE], notes=NOTES)
