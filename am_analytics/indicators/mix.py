"""Specialty, zone and FTE-option mix: shares with Wilson intervals, overall and by signing year or quarter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from am_analytics.indicators.common import (
    AsOf,
    IndicatorArgumentError,
    active_mask,
    category_codes,
    civil_from_days,
    contract_acts,
    contract_inputs,
    counting_date,
    data_source,
    day_array,
    in_force_at,
    labelled,
    signed_mask,
)
from am_analytics.indicators.selection import selectable
from am_analytics.indicators.stats import wilson_interval
from am_analytics.vocabulary import ETP_LABELS, SCHEME_START, SPECIALITES, ZONES

Period = Literal["annee", "trimestre"]
PERIODS = {"annee": "année de signature", "trimestre": "trimestre de signature"}
NOT_GIVEN = "non_renseigne"
NOT_GIVEN_LABEL = "Non renseigné"


def _period_keys(days: np.ndarray, period: Period) -> np.ndarray:
    """Integer key of each date's period: the year, or year × 4 + quarter index (0–3)."""
    years, months, _ = civil_from_days(days.astype("datetime64[D]").astype(np.int64))
    return years if period == "annee" else years * 4 + (months - 1) // 3


def _period_labels(keys: np.ndarray, period: Period) -> tuple[list[str], list[pd.Timestamp]]:
    if period == "annee":
        return [str(k) for k in keys], [pd.Timestamp(int(k), 1, 1) for k in keys]
    return (
        [f"{k // 4}-T{k % 4 + 1}" for k in keys],
        [pd.Timestamp(int(k // 4), int(k % 4) * 3 + 1, 1) for k in keys],
    )


def check_period(period: object) -> None:
    """Refuse, in French, a period the mix functions do not know (listing those they do)."""
    if period is not None and period not in PERIODS:
        accepted = ", ".join(f"« {code} » ({label})" for code, label in PERIODS.items())
        raise IndicatorArgumentError(
            f"période « {period} » inconnue ; valeurs possibles : {accepted}, ou None (toute la période)"
        )


@selectable
def category_shares(
    contracts: pd.DataFrame,
    column: str,
    categories: Mapping[str, str],
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    period: Period | None = None,
    active_only: bool = False,
) -> pd.DataFrame:
    """Count and share of each category of `column` among contracts signed on or before as_of (or active
    on as_of with `active_only`), overall or by signing period.

    Every category appears, with 0 when absent, plus `non_renseigne` for missing (or unrecognised)
    values. `part` is the share among all contracts of the group, with its Wilson 95 % interval
    (`ic_bas`, `ic_haut`); `part_parmi_renseignes` the share among contracts whose value is known,
    with its own interval (`ic_bas_parmi_renseignes`, `ic_haut_parmi_renseignes`; missing for the `non_renseigne`
    row). With a period, every period from the scheme's start (or the
    first signature) to as_of appears, empty ones with a total of 0 and missing shares.
    """
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    check_period(period)
    mask = active_mask(contracts, as_of) if active_only else signed_mask(contracts, as_of)
    codes = list(categories) + [NOT_GIVEN]
    labels = list(categories.values()) + [NOT_GIVEN_LABEL]
    category = category_codes(contracts[column], list(categories))[mask]
    category = np.where(category < 0, len(categories), category)
    size = len(codes)
    if period is None:
        counts = np.bincount(category, minlength=size).reshape(1, size)
        keys = None
    else:
        days = day_array(contracts["date_signature"])[mask]
        first = min([np.datetime64(SCHEME_START, "ns")] + ([days.min()] if len(days) else []))
        span = _period_keys(np.array([first, np.datetime64(as_of, "ns")]), period)
        keys = np.arange(span[0], span[1] + 1)
        position = _period_keys(days, period) - span[0]
        counts = np.bincount(position * size + category, minlength=len(keys) * size).reshape(len(keys), size)
    totals = counts.sum(axis=1, keepdims=True)
    known = totals - counts[:, -1:]
    low, high = wilson_interval(counts, np.broadcast_to(totals, counts.shape))
    # the share among contracts whose value is known has its own interval, on its own base
    low_known, high_known = wilson_interval(counts, np.broadcast_to(known, counts.shape))
    low_known[:, -1] = high_known[:, -1] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(totals > 0, counts / totals, np.nan)
        share_known = np.where(known > 0, counts / known, np.nan)
    share_known[:, -1] = np.nan
    frame = pd.DataFrame(
        {
            "categorie": np.tile(codes, len(counts)),
            "libelle": np.tile(labels, len(counts)),
            "effectif": counts.ravel(),
            "total": np.repeat(totals.ravel(), size),
            "part": share.ravel(),
            "ic_bas": low.ravel(),
            "ic_haut": high.ravel(),
            "part_parmi_renseignes": share_known.ravel(),
            "ic_bas_parmi_renseignes": low_known.ravel(),
            "ic_haut_parmi_renseignes": high_known.ravel(),
        }
    )
    if keys is not None:
        names, starts = _period_labels(keys, period)
        frame.insert(0, "periode", np.repeat(names, size))
        frame.insert(1, "debut_periode", np.repeat(pd.DatetimeIndex(starts), size))
    for name in ("part", "ic_bas", "ic_haut", "part_parmi_renseignes", "ic_bas_parmi_renseignes",
                 "ic_haut_parmi_renseignes"):
        frame[name] = pd.array(frame[name], dtype="Float64")
    for name in ("categorie", "libelle") + (("periode",) if keys is not None else ()):
        frame[name] = frame[name].astype("string")
    frame.insert(0, "variable", pd.array([column] * len(frame), dtype="string"))
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic)])


@selectable
def specialty_mix(
    contracts: pd.DataFrame, *, as_of: AsOf | None = None, synthetic: bool | None = None, period: Period | None = None
) -> pd.DataFrame:
    """Shares of the doctors' specialties among contracts signed (see `category_shares`)."""
    return category_shares(contracts, "specialite", SPECIALITES, as_of=as_of, synthetic=synthetic, period=period)


@selectable
def zone_mix(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    period: Period | None = None,
) -> pd.DataFrame:
    """Shares of zones (ZIP, ZAC, outside under-served zones) among contracts signed (see `category_shares`)."""
    return category_shares(contracts, "zone", ZONES, as_of=as_of, synthetic=synthetic, period=period)


@selectable
def etp_option_mix(
    contracts: pd.DataFrame, *, as_of: AsOf | None = None, synthetic: bool | None = None, period: Period | None = None
) -> pd.DataFrame:
    """Shares of FTE options (1/3, 1/2, 1, and the 2024 second-assistant options) among contracts signed, each
    contract at the option in force on the counting date (the act then in force, for a contract written with its
    history: a 2024 option never shows in a count at an earlier date)."""
    if contract_acts(contracts) is not None:
        options = pd.array(in_force_at(contracts, counting_date(contracts, as_of), "etp_option"), dtype="string")
        contracts = contracts.assign(etp_option=options)
    return category_shares(contracts, "etp_option", ETP_LABELS, as_of=as_of, synthetic=synthetic, period=period)
