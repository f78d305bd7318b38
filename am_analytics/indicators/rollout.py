"""Rollout: contracts signed and active over time, progress against the official targets, projection, cross-check."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from am_analytics import reference
from am_analytics.indicators.common import (
    REFERENCE,
    AsOf,
    contract_inputs,
    data_source,
    day_array,
    etp_changes,
    labelled,
    months_between,
    synthetic_flag,
)
from am_analytics.indicators.selection import selectable
from am_analytics.vocabulary import PUBLISHED_QUALIFIERS, SCHEME_START, TARGET_STATUS_LABELS

# Which series measures each target indicator. Targets count posts (contracts signed since the start)
# and the FTE those posts fund, as the published figures do ("3 112 contrats, 1 724,5 ETP"), so both
# are cumulative signed totals, not the contracts still active.
TARGET_MEASURES = {"contrats_signes": "signes_cumul", "etp_assistants": "etp_signes_cumul"}
MONTHLY_FLOW = {"signes_cumul": "signes_mois", "etp_signes_cumul": "etp_signes_mois"}

TARGET_STATUS = TARGET_STATUS_LABELS  # one wording, shared with every output
QUALIFIERS = PUBLISHED_QUALIFIERS  # one wording, in vocabulary

# Projection parameters (see `project_reach_date`).
PROJECTION_WINDOW_MONTHS = 12
PROJECTION_MIN_MONTHS = 6
PROJECTION_HORIZON_MONTHS = 120
PROJECTION_CONFIDENCE = 0.95
# Float tolerance when a fitted cumulative total is compared with a target: a perfectly linear series
# must reach its target in the month it does, not one month later because of a 1e-12 rounding error.
_REACH_TOLERANCE = 1e-7


# --- Counts at any dates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Timeline:
    """Signature, avenant and end dates sorted once, with running FTE sums, so counts at any date are a few
    searchsorted. A contract counts its FTE at signature when signed, each avenant's change of FTE from the day it
    takes effect (`common.etp_changes`), and its FTE then in force leaves the active stock when it ends."""

    signed: np.ndarray
    signed_etp: np.ndarray  # running sum, with a leading 0
    ended: np.ndarray
    ended_etp: np.ndarray
    changed: np.ndarray  # dates avenants change the FTE of a running contract
    changed_etp: np.ndarray  # running sum of those changes, with a leading 0

    @classmethod
    def of(cls, contracts: pd.DataFrame) -> _Timeline:
        signature = day_array(contracts["date_signature"])
        end = day_array(contracts["date_fin"])
        etp, change_of, change_on, change_by = etp_changes(contracts)
        etp_at_end = etp + np.bincount(change_of, weights=change_by, minlength=len(etp))
        known = ~np.isnat(signature)
        counted = known[change_of]
        change_on, change_by = change_on[counted], change_by[counted]
        signature, end, etp, etp_at_end = signature[known], end[known], etp[known], etp_at_end[known]
        order = np.argsort(signature, kind="stable")
        has_end = ~np.isnat(end)
        # An end before the signature would be quarantined upstream; clipping keeps "active = signed − ended"
        # true even if one slipped through (an ended contract must have been signed first).
        end_clipped = np.maximum(end[has_end], signature[has_end])
        end_order = np.argsort(end_clipped, kind="stable")
        change_order = np.argsort(change_on, kind="stable")
        return cls(
            signed=signature[order],
            signed_etp=np.concatenate([[0.0], np.cumsum(etp[order])]),
            ended=end_clipped[end_order],
            ended_etp=np.concatenate([[0.0], np.cumsum(etp_at_end[has_end][end_order])]),
            changed=change_on[change_order],
            changed_etp=np.concatenate([[0.0], np.cumsum(change_by[change_order])]),
        )

    def at(self, days: np.ndarray) -> dict[str, np.ndarray]:
        """Counts as of the end of each day in `days` (datetime64)."""
        ends = days.astype("datetime64[ns]") + np.timedelta64(1, "D")
        n_signed = np.searchsorted(self.signed, ends, side="left")
        n_ended = np.searchsorted(self.ended, ends, side="left")
        n_changed = np.searchsorted(self.changed, ends, side="left")
        # Differences of running sums carry float noise (1e-13); FTE are multiples of 1/6, so 6 decimals is exact.
        etp_signed = np.round(self.signed_etp[n_signed], 6)
        active_etp = self.signed_etp[n_signed] + self.changed_etp[n_changed] - self.ended_etp[n_ended]
        return {
            "signes_cumul": n_signed.astype(np.int64),
            "etp_signes_cumul": etp_signed,
            "actifs": (n_signed - n_ended).astype(np.int64),
            "etp_actifs": np.round(active_etp, 6),
        }


@selectable
def counts_at(contracts: pd.DataFrame, dates, *, synthetic: bool | None = None) -> pd.DataFrame:
    """Cumulative signed contracts and FTE, active contracts and FTE, as of the end of each given date.

    Active follows `common.active_mask`: signed on or before the date and not ended on or before it. Signed FTE
    count each contract at its FTE when signed; active FTE at the FTE in force at the date (a contract written
    with a history: the act in force then, see `common.etp_at`).
    """
    synthetic = synthetic_flag(contracts, synthetic)
    days = pd.DatetimeIndex(pd.to_datetime(dates)).normalize()
    counts = _Timeline.of(contracts).at(days.to_numpy(dtype="datetime64[ns]"))
    frame = pd.DataFrame({"date": days, **counts})
    return labelled(frame, as_of=days.max() if len(days) else None, sources=[data_source(synthetic)])


@selectable
def monthly_series(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """One row per calendar month from the scheme's start (or the first signature, if earlier) to as_of.

    Columns: `mois` (first day), `fin_de_periode` (last day of the month, or as_of for the current month),
    `mois_complet` (the month ended on or before as_of), `signes_mois`, `signes_cumul`, `etp_signes_mois`,
    `etp_signes_cumul`, `actifs` and `etp_actifs` (as of `fin_de_periode`; signed FTE at signature, active FTE
    as in force at that date: see `counts_at`).
    """
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    timeline = _Timeline.of(contracts)
    first = pd.Timestamp(SCHEME_START)
    if len(timeline.signed):
        first = min(first, pd.Timestamp(timeline.signed[0]))
    months = pd.date_range(first.to_period("M").to_timestamp(), as_of.to_period("M").to_timestamp(), freq="MS")
    month_ends = months + pd.offsets.MonthEnd(0)
    stops = month_ends.where(month_ends <= as_of, as_of)
    counts = timeline.at(stops.to_numpy(dtype="datetime64[ns]"))
    frame = pd.DataFrame(
        {
            "mois": months,
            "fin_de_periode": stops,
            "mois_complet": month_ends <= as_of,
            "signes_mois": np.diff(counts["signes_cumul"], prepend=0),
            "signes_cumul": counts["signes_cumul"],
            "etp_signes_mois": np.round(np.diff(counts["etp_signes_cumul"], prepend=0.0), 6),
            "etp_signes_cumul": counts["etp_signes_cumul"],
            "actifs": counts["actifs"],
            "etp_actifs": counts["etp_actifs"],
        }
    )
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic)])


# --- Targets ---------------------------------------------------------------------------------------


def _reach_dates(timeline: _Timeline, measure: str, values: np.ndarray) -> list[pd.Timestamp | None]:
    """The signature date on which a cumulative measure first reached each value (None if never)."""
    running = np.arange(len(timeline.signed) + 1, dtype=float) if measure == "signes_cumul" else timeline.signed_etp
    # running[i] is the total after the i-th signature; the first i with running[i] >= value is the reaching one.
    positions = np.searchsorted(running, values - _REACH_TOLERANCE, side="left")
    return [pd.Timestamp(timeline.signed[i - 1]) if 0 < i <= len(timeline.signed) else None for i in positions]


@selectable
def target_progress(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Progress against every target of `reference.targets()` as of a date.

    Per target: the value reached (`valeur_atteinte`, measured as in `TARGET_MEASURES`), its share of
    the target, the gap (value − target, negative while short), the date the data first reached the
    target, a status (`TARGET_STATUS`) and `mois_retard`: months from the deadline to the reaching
    date (negative = ahead), or, for an unmet target past its deadline, months from the deadline to
    as_of (late so far); 0 for an unmet target due on as_of itself (« échéance ce jour »); missing for an
    unmet target whose deadline is still ahead.
    """
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    targets = reference.targets() if targets is None else targets
    targets = targets[targets["indicator"].isin(list(TARGET_MEASURES))].reset_index(drop=True)
    timeline = _Timeline.of(contracts)
    now = timeline.at(np.array([np.datetime64(as_of, "ns")]))
    rows = []
    for target in targets.itertuples(index=False):
        measure = TARGET_MEASURES[target.indicator]
        value = float(now[measure][0])
        goal = float(target.value)
        reached_on = _reach_dates(timeline, measure, np.array([goal]))[0]
        if reached_on is not None and reached_on > as_of:
            reached_on = None
        deadline = pd.Timestamp(target.deadline)
        if reached_on is not None:
            status = "atteint_a_temps" if reached_on <= deadline else "atteint_en_retard"
            late = months_between(deadline, reached_on)
        elif as_of > deadline:
            status, late = "non_atteint_echeance_depassee", months_between(deadline, as_of)
        elif as_of == deadline:  # due this very day: neither missed nor still ahead
            status, late = "echeance_ce_jour", 0.0
        else:
            status, late = "en_cours", np.nan
        rows.append(
            {
                "objectif": target.target_id,
                "indicateur": target.indicator,
                "mesure": measure,
                "valeur_cible": goal,
                "unite": target.unit,
                "echeance": deadline,
                "fixe_par": target.set_by,
                "source": target.source,
                "valeur_atteinte": value,
                "part_atteinte": value / goal,
                "ecart": value - goal,
                "date_atteinte": reached_on,
                "statut": status,
                "mois_retard": late,
            }
        )
    frame = pd.DataFrame(rows, columns=_PROGRESS_COLUMNS)
    frame["date_atteinte"] = pd.to_datetime(frame["date_atteinte"])
    frame["mois_retard"] = frame["mois_retard"].astype("Float64")
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic), REFERENCE])


_PROGRESS_COLUMNS = [
    "objectif",
    "indicateur",
    "mesure",
    "valeur_cible",
    "unite",
    "echeance",
    "fixe_par",
    "source",
    "valeur_atteinte",
    "part_atteinte",
    "ecart",
    "date_atteinte",
    "statut",
    "mois_retard",
]


# --- Projection ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Projected date a cumulative total reaches a target, with its band; dates are None when not reached
    within the horizon, `reason` (French) says why the point date is missing."""

    date: pd.Timestamp | None
    earliest: pd.Timestamp | None  # upper trend line of the band: the target is reached sooner
    latest: pd.Timestamp | None  # lower trend line: reached later (None when beyond the horizon)
    # Invariant: earliest <= date <= latest whenever they are not None.
    reason: str | None
    months_used: int
    monthly_trend: float | None  # fitted change of the monthly flow per month
    fitted_last_month: float | None  # fitted monthly flow in the last month used


def _reach_in_path(path: np.ndarray, first_month: pd.Timestamp, reached: float, target: float):
    """First day the running total `reached + path` reaches the target, flows spread evenly over each month."""
    totals = reached + np.cumsum(path)
    hits = np.flatnonzero(totals >= target - _REACH_TOLERANCE * max(1.0, abs(target)))
    if not len(hits):
        return None
    k = int(hits[0])
    before = totals[k - 1] if k else reached
    month = first_month + pd.DateOffset(months=k)
    days = month.days_in_month
    fraction = min(1.0, max(0.0, (target - before) / path[k])) if path[k] > 0 else 1.0
    # Day d of the month closes with before + flow × d / days; the reaching day is the first d it covers.
    day = max(1, int(np.ceil(fraction * days - _REACH_TOLERANCE * days)))
    return month + pd.Timedelta(days=day - 1)


def trend_band(flows: np.ndarray, horizon_months: int, confidence: float = PROJECTION_CONFIDENCE):
    """The least-squares line through monthly `flows` (at least 3) extended over the next `horizon_months`
    months, and the half-width of its `confidence` interval (Student t, from the residuals) at each of them.
    Returns (trend, half_width, slope, intercept); the band is trend ± half_width (floored at 0 by callers)."""
    flows = np.asarray(flows, dtype=float)
    n = len(flows)
    x = np.arange(n, dtype=float)
    slope, intercept = np.polyfit(x, flows, 1)
    residuals = flows - (intercept + slope * x)
    sxx = float(((x - x.mean()) ** 2).sum())
    sigma = float(np.sqrt((residuals**2).sum() / (n - 2)))
    future = np.arange(n, n + horizon_months, dtype=float)
    trend = intercept + slope * future
    half_width = sps.t.ppf(0.5 + confidence / 2, n - 2) * sigma * np.sqrt(1 / n + (future - x.mean()) ** 2 / sxx)
    return trend, half_width, float(slope), float(intercept)


def project_reach_date(
    monthly: pd.Series,
    reached: float,
    target: float,
    *,
    window: int = PROJECTION_WINDOW_MONTHS,
    min_months: int = PROJECTION_MIN_MONTHS,
    horizon_months: int = PROJECTION_HORIZON_MONTHS,
    confidence: float = PROJECTION_CONFIDENCE,
) -> Projection:
    """Project when a cumulative total reaches `target` from the trend of its recent monthly flows.

    `monthly`: flows of consecutive complete months (index: first day of each month); `reached`: the
    total at the end of the last of them. Method: ordinary least squares line through the last `window`
    monthly flows (all of them if fewer, but at least `min_months`); future monthly flows follow the line
    (never below 0) and accumulate on `reached`; within a month, flows are spread evenly over its days.
    The band uses the line's `confidence` interval (Student t, from the residuals): the upper line gives
    the earliest date, the lower line the latest. A series on an exact line has no residuals, so its
    projection is exact and its band collapses onto it. Dates further than `horizon_months` after the
    last month are not projected (None, with a reason): a trend says nothing that far ahead.
    """
    flows = monthly.astype(float).to_numpy()[-window:]
    n = len(flows)
    min_months = max(min_months, 3)  # a line and its residual variance need at least 3 points
    if n < min_months:
        return Projection(
            None, None, None, f"série trop courte : {n} mois complets, il en faut {min_months}", n, None, None
        )
    last_month = pd.Timestamp(monthly.index[-1])
    if reached >= target:
        return Projection(None, None, None, "objectif déjà atteint", n, None, None)
    trend, half_width, slope, intercept = trend_band(flows, horizon_months, confidence)
    first_future = last_month + pd.DateOffset(months=1)

    def reach(path: np.ndarray):
        return _reach_in_path(np.maximum(path, 0.0), first_future, reached, target)

    point = reach(trend)
    earliest, latest = reach(trend + half_width), reach(trend - half_width)
    # The band is ordered by construction: the upper line can only reach the target sooner and the lower one
    # later, but both are rounded to whole days separately; they are held on their side of the point date.
    # A missing latest date means "beyond the horizon" (the lower line never gets there), not "unknown".
    if point is not None:
        earliest = point if earliest is None else min(earliest, point)
        latest = None if latest is None else max(latest, point)
    reason = (
        None
        if point is not None
        else f"objectif non atteint dans l'horizon de {horizon_months // 12} ans au rythme actuel"
    )
    return Projection(
        point,
        earliest,
        latest,
        reason,
        n,
        float(slope),
        float(intercept + slope * (n - 1)),
    )


@selectable
def target_projections(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    targets: pd.DataFrame | None = None,
    **options,
) -> pd.DataFrame:
    """For every target: the projected reaching date and band (`project_reach_date`, options passed on),
    from the complete months up to as_of; when the data already reached it, the date it did instead."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    progress = target_progress(contracts, as_of=as_of, synthetic=synthetic, targets=targets)
    months = monthly_series(contracts, as_of=as_of, synthetic=synthetic)
    complete = months[months["mois_complet"]]
    rows = []
    for target in progress.itertuples(index=False):
        if pd.notna(target.date_atteinte):
            projection = Projection(
                None, None, None, f"objectif atteint le {target.date_atteinte:%d/%m/%Y}", 0, None, None
            )
        else:
            flow = complete.set_index("mois")[MONTHLY_FLOW[target.mesure]]
            reached = float(complete[target.mesure].iloc[-1]) if len(complete) else 0.0
            projection = project_reach_date(flow, reached, target.valeur_cible, **options)
        rows.append(
            {
                "objectif": target.objectif,
                "indicateur": target.indicateur,
                "valeur_cible": target.valeur_cible,
                "echeance": target.echeance,
                "valeur_atteinte": target.valeur_atteinte,
                "date_atteinte": target.date_atteinte,
                "date_projetee": projection.date,
                "date_projetee_au_plus_tot": projection.earliest,
                "date_projetee_au_plus_tard": projection.latest,
                "raison": projection.reason,
                "mois_utilises": projection.months_used,
                "tendance_mensuelle": projection.monthly_trend,
                "rythme_mensuel_ajuste": projection.fitted_last_month,
            }
        )
    frame = pd.DataFrame(rows, columns=_PROJECTION_COLUMNS)
    for column in ("date_atteinte", "date_projetee", "date_projetee_au_plus_tot", "date_projetee_au_plus_tard"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("tendance_mensuelle", "rythme_mensuel_ajuste"):
        frame[column] = frame[column].astype("Float64")
    frame["raison"] = frame["raison"].astype("string")
    confidence = f"{PROJECTION_CONFIDENCE:.0%}".replace("%", " %")
    notes = [
        f"projection : droite des moindres carrés sur les {PROJECTION_WINDOW_MONTHS} derniers mois complets, "
        f"intervalle de confiance à {confidence} de la tendance, horizon {PROJECTION_HORIZON_MONTHS // 12} ans"
    ]
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic), REFERENCE], notes=notes)


_PROJECTION_COLUMNS = [
    "objectif",
    "indicateur",
    "valeur_cible",
    "echeance",
    "valeur_atteinte",
    "date_atteinte",
    "date_projetee",
    "date_projetee_au_plus_tot",
    "date_projetee_au_plus_tard",
    "raison",
    "mois_utilises",
    "tendance_mensuelle",
    "rythme_mensuel_ajuste",
]


# --- Cross-check with the published figures ---------------------------------------------------------


@selectable
def published_cross_check(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    figures: pd.DataFrame | None = None,
    indicators: tuple[str, ...] = ("contrats_signes", "etp_assistants"),
) -> pd.DataFrame:
    """The data against every national published figure dated on or before as_of.

    Per figure: the data's value at its reference date (measured as for the targets: cumulative signed
    contracts, cumulative signed FTE), the published value with its qualifier (`QUALIFIERS`), confidence
    and source, the gap (data − published) and the relative gap (gap / published).
    """
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    figures = reference.published_figures() if figures is None else figures
    chosen = figures[
        figures["indicator"].isin(list(indicators))
        & (figures["scope"] == "France entiere")
        & (figures["reference_date"] <= as_of)
    ].sort_values(["reference_date", "indicator"], kind="stable")
    counts = _Timeline.of(contracts).at(chosen["reference_date"].to_numpy(dtype="datetime64[ns]"))
    measures = chosen["indicator"].map(TARGET_MEASURES).to_numpy()
    data_values = np.where(measures == "signes_cumul", counts["signes_cumul"], counts["etp_signes_cumul"])
    published = chosen["value"].astype(float).to_numpy()
    frame = pd.DataFrame(
        {
            "date_reference": chosen["reference_date"].to_numpy(),
            "precision_date": chosen["date_precision"].to_numpy(),
            "indicateur": chosen["indicator"].to_numpy(),
            "valeur_donnees": data_values.astype(float),
            "valeur_publiee": published,
            "qualificatif": chosen["qualifier"].to_numpy(),
            "qualificatif_libelle": chosen["qualifier"].map(QUALIFIERS).fillna(chosen["qualifier"]).to_numpy(),
            "confiance": chosen["confidence"].to_numpy(),
            "source": chosen["source"].to_numpy(),
            "note": chosen["note"].to_numpy(),
        }
    )
    frame["ecart"] = frame["valeur_donnees"] - frame["valeur_publiee"]
    frame["ecart_relatif"] = frame["ecart"] / frame["valeur_publiee"]
    for column in (
        "precision_date",
        "indicateur",
        "qualificatif",
        "qualificatif_libelle",
        "confiance",
        "source",
        "note",
    ):
        frame[column] = frame[column].astype("string")
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic), REFERENCE])
