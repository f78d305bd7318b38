"""Calibration targets of the demo data: read from the package's reference tables, or stated assumptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.vocabulary import CONVENTION_2024, ONE_THIRD_CLOSED, SCHEME_START

# The demo extracts stop at the last exact national count (8 558 contracts at 30 June 2025).
EXTRACTION_DATE = date(2025, 6, 30)
# "130 signés + 160 en cours" early December 2019 (egora, Dec 2019; note of published_figures.csv):
# only in a note, so it is written here with its source rather than parsed from free text.
EARLY_DECEMBER_2019 = (date(2019, 12, 5), 130)
# Published breakdown of the 673 specialists' contracts at 28 May 2022 (Quotidien du Médecin,
# 16 Jun 2022; note of published_figures.csv); the remainder is "autre".
SPECIALIST_COUNTS_2022 = {
    "cardiologie": 180,
    "ophtalmologie": 110,
    "pediatrie": 65,
    "psychiatrie": 38,
    "dermatologie": 33,
    "autre": 673 - (180 + 110 + 65 + 38 + 33),
}
# Backgrounds: three shares are published (Oct 2024: 54 %, 9 %, 4 %; May 2022 ≈ 55 %, 8.3 %, 1.4 %);
# the others are ASSUMPTIONS (no figure is public), sized so that about a third of assistants come from
# outside health, as the May 2022 press remark says.
PROFIL_SHARES = {
    "secretaire_medicale": 0.54,
    "infirmier": 0.085,
    "aide_soignant": 0.035,
    "auxiliaire_puericulture": 0.015,
    "assistant_dentaire": 0.03,
    "autre_sante": 0.04,
    "hors_sante": 0.245,
    "inconnu": 0.01,
}
# Share of zone-sous-dense contracts in ZIP rather than ZAC: ASSUMPTION (no published split).
ZIP_SHARE_OF_SOUS_DENSE = 0.70
# Contracts whose zone is not filled in: ASSUMPTION.
ZONE_EMPTY_SHARE = 0.015
# Zone-sous-dense share of contracts signed after the last published breakdown (11 Nov 2023):
# ASSUMPTION, keeping the cumulative share near the published 58.6 %.
ZONE_SHARE_AFTER_2023 = 0.56
# FTE options after the règlement arbitral and after the 2024 convention: ASSUMPTIONS.
ETP_MIX_AFTER_ONE_THIRD_CLOSED = {"1/2": 0.55, "1": 0.45}
ETP_MIX_AFTER_CONVENTION_2024 = {"1/2": 0.52, "1": 0.41, "1+1/2": 0.04, "1+1": 0.03}
# Lognormal spread of département weights around their estimated GP count (sigma of the log).
DEPARTEMENT_NOISE_SIGMA = 0.25


def day_number(day: date | pd.Timestamp | np.datetime64) -> int:
    """Days since 1970-01-01: the integer form every vectorised date computation here uses."""
    return int(np.datetime64(pd.Timestamp(day).date(), "D").astype("int64"))


def _published() -> pd.DataFrame:
    return reference.published_figures()


def national_milestones() -> pd.DataFrame:
    """Exact national counts of contracts signed (published_figures.csv): the anchors of the curve."""
    figures = _published()
    keep = (
        figures["indicator"].eq("contrats_signes")
        & figures["qualifier"].eq("exact")
        & figures["scope"].eq("France entiere")
    )
    columns = ["reference_date", "value", "source"]
    return figures.loc[keep, columns].sort_values("reference_date").reset_index(drop=True)


def published_total() -> float:
    """The last exact national count (8 558 at 30 June 2025): what the default size reproduces."""
    return float(national_milestones()["value"].iloc[-1])


def cumulative_knots(n_contracts: int) -> tuple[np.ndarray, np.ndarray]:
    """Piecewise-linear cumulative target: (day numbers, cumulative counts) scaled to `n_contracts`.

    Starts at 0 on 1 September 2019, passes through about 130 early December 2019 and through every
    exact national milestone; the last one is scaled to `n_contracts`.
    """
    milestones = national_milestones()
    days = [day_number(SCHEME_START), day_number(EARLY_DECEMBER_2019[0])]
    days += [day_number(d) for d in milestones["reference_date"]]
    counts = [0.0, float(EARLY_DECEMBER_2019[1])] + [float(v) for v in milestones["value"]]
    scale = n_contracts / published_total()
    return np.asarray(days, dtype=np.int64), np.asarray(counts) * scale


def published_count_at(day: date | pd.Timestamp) -> float:
    """National cumulative count on a day, interpolated between published milestones (unscaled)."""
    days, counts = cumulative_knots(int(published_total()))
    return float(np.interp(day_number(day), days, counts))


# --- Shares that drift over time ---------------------------------------------------------------------


@dataclass(frozen=True)
class ShareSchedule:
    """Probability of a category for a contract signed on a day: constant between `ends` (day numbers)."""

    ends: np.ndarray  # last day of each period, increasing; the last share applies after the last end
    shares: np.ndarray  # len(ends) + 1 values

    def at(self, days: np.ndarray) -> np.ndarray:
        return self.shares[np.searchsorted(self.ends, days, side="left")]


def marginal_schedule(anchors: list[tuple[date, float, float]], after: float | None = None) -> ShareSchedule:
    """Turn published CUMULATIVE shares into the share among contracts signed in each period.

    `anchors` are (date, cumulative count at that date, cumulative share). Between two anchors the share
    of new contracts is (s₂·c₂ − s₁·c₁) / (c₂ − c₁), so the cumulative share meets every anchor.
    After the last anchor the share is `after` (an assumption) or the last period's share.
    """
    ends, shares = [], []
    previous_count, previous_total = 0.0, 0.0
    for day, count, share in anchors:
        ends.append(day_number(day))
        shares.append((share * count - previous_total) / (count - previous_count))
        previous_count, previous_total = count, share * count
    shares.append(shares[-1] if after is None else after)
    return ShareSchedule(np.asarray(ends, dtype=np.int64), np.clip(np.asarray(shares), 0.0, 1.0))


def _figure(indicator: str, day: str) -> float:
    figures = _published()
    row = figures[figures["indicator"].eq(indicator) & figures["reference_date"].eq(pd.Timestamp(day))]
    if len(row) != 1:
        raise LookupError(f"published figure {indicator} at {day} not found once in published_figures.csv")
    return float(row["value"].iloc[0])


def _national(day: str) -> float:
    return _figure("contrats_signes", day)


def generalist_schedule() -> ShareSchedule:
    """GP share of new contracts: 82 % (Jan 2021), then counts of May 2022, Nov 2023 and Oct 2024."""
    anchors = [
        (date(2021, 1, 21), _national("2021-01-21"), _figure("part_medecins_generalistes_pct", "2021-01-21") / 100)
    ]
    for day in ("2022-05-28", "2023-11-11", "2024-10-31"):
        total = _national(day)
        anchors.append((date.fromisoformat(day), total, _figure("contrats_signes_medecins_generalistes", day) / total))
    return marginal_schedule(anchors)


def sous_dense_schedule() -> ShareSchedule:
    """Zone-sous-dense (ZIP + ZAC) share of new contracts: 54 % (Jan 2021), 52 % (May 2022), 3 136/5 355 (Nov 2023)."""
    anchors = [
        (date(2021, 1, 21), _national("2021-01-21"), _figure("part_zone_sous_dense_pct", "2021-01-21") / 100),
        (date(2022, 5, 28), _national("2022-05-28"), _figure("part_zone_sous_dense_pct", "2022-05-28") / 100),
        (
            date(2023, 11, 11),
            _national("2023-11-11"),
            _figure("contrats_zone_sous_dense", "2023-11-11") / _national("2023-11-11"),
        ),
    ]
    return marginal_schedule(anchors, after=ZONE_SHARE_AFTER_2023)


@dataclass(frozen=True)
class EtpPeriod:
    """FTE option mix of the contracts signed up to `last_day` (inclusive) since the previous period."""

    last_day: date
    mix: dict[str, float]
    basis: str


def etp_periods() -> list[EtpPeriod]:
    """FTE option mix by signing period: published up to May 2022, then stated assumptions."""
    jan_2021 = {
        "1/3": _figure("part_option_1_3_etp_pct", "2021-01-21") / 100,
        "1/2": _figure("part_option_1_2_etp_pct", "2021-01-21") / 100,
        "1": _figure("part_option_1_etp_pct", "2021-01-21") / 100,
    }
    n_2021, n_2022 = _national("2021-01-21"), _national("2022-05-28")
    # Marginal mix between the two published breakdowns, so that the May 2022 counts are met.
    one_third = (_figure("contrats_option_1_3_etp", "2022-05-28") - jan_2021["1/3"] * n_2021) / (n_2022 - n_2021)
    full = (_figure("contrats_option_1_etp", "2022-05-28") - jan_2021["1"] * n_2021) / (n_2022 - n_2021)
    may_2022 = {"1/3": one_third, "1/2": 1 - one_third - full, "1": full}
    closed_eve = date.fromordinal(ONE_THIRD_CLOSED.toordinal() - 1)
    convention_eve = date.fromordinal(CONVENTION_2024.toordinal() - 1)
    return [
        EtpPeriod(date(2021, 1, 21), jan_2021, "publié (21/01/2021 : 32 % / 49 % / 19 %)"),
        EtpPeriod(date(2022, 5, 28), may_2022, "publié (28/05/2022 : 948 contrats 1/3, 674 contrats 1 ETP)"),
        EtpPeriod(closed_eve, may_2022, "hypothèse : même répartition qu'entre 2021 et mai 2022"),
        EtpPeriod(convention_eve, ETP_MIX_AFTER_ONE_THIRD_CLOSED, "hypothèse : 1/3 fermé au 1er mai 2023"),
        EtpPeriod(
            EXTRACTION_DATE, ETP_MIX_AFTER_CONVENTION_2024, "hypothèse : options 2e assistant après le 22 juin 2024"
        ),
    ]


# --- Territories -----------------------------------------------------------------------------------


def departement_anchors() -> pd.DataFrame:
    """Published départemental counts (93, 31, 30 at 28 May 2022; 75 at 15 Apr 2024) as national shares."""
    figures = _published()
    rows = figures[figures["indicator"].str.startswith("contrats_signes_departement_")].copy()
    rows["code"] = rows["indicator"].str.removeprefix("contrats_signes_departement_")
    rows["national"] = [published_count_at(day) for day in rows["reference_date"]]
    rows["share"] = rows["value"].astype(float) / rows["national"]
    return rows[["code", "reference_date", "value", "national", "share", "source"]].reset_index(drop=True)


def mayotte_weight_basis(generalists: pd.Series, doctors: pd.Series, codes: pd.Series) -> float:
    """Mayotte's weight: its share of all doctors (published count) applied to the national GP estimate.

    INSEE publishes no legal population for Mayotte, so no GP estimate exists; its weight comes from the
    one published Mayotte figure (251 doctors, TCRD_068) — an ASSUMPTION that GPs follow all doctors.
    No population is invented.
    """
    is_mayotte = codes.eq("976").to_numpy()
    doctors_all = doctors.to_numpy(dtype=float)
    gp_known = generalists.to_numpy(dtype=float, na_value=np.nan)
    share_of_doctors = doctors_all[is_mayotte].sum() / doctors_all[~is_mayotte].sum()
    return float(np.nansum(gp_known[~is_mayotte]) * share_of_doctors)


def departement_weights(seed: int) -> pd.DataFrame:
    """Share of contracts of each département: estimated GPs × noise, published départements pinned.

    Columns: code, name, region_code, region_name, basis (estimated GPs, or the Mayotte basis),
    basis_method, share (sums to 1).
    """
    from am_analytics.demo.randomness import stream

    geo = reference.departements()[["code", "name", "region_code", "region_name"]]
    est = reference.estimated_generalists("departement")[["code", "generalistes_estimes"]]
    docs = reference.doctors("departement")[["code", "medecins_effectif"]]
    frame = geo.merge(est, on="code", how="left", validate="one_to_one").merge(
        docs, on="code", how="left", validate="one_to_one"
    )
    frame = frame.sort_values("code").reset_index(drop=True)
    basis = frame["generalistes_estimes"].to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(basis)
    basis[missing] = mayotte_weight_basis(frame["generalistes_estimes"], frame["medecins_effectif"], frame["code"])
    frame["basis"] = basis
    frame["basis_method"] = np.where(
        missing,
        "part de Mayotte dans l'effectif de médecins (TCRD_068) × total estimé des généralistes",
        "généralistes estimés (densité × population)",
    )
    noise = stream(seed, "departement-weights").lognormal(0.0, DEPARTEMENT_NOISE_SIGMA, len(frame))
    raw = basis * noise
    anchors = departement_anchors().set_index("code")["share"]
    pinned = frame["code"].isin(anchors.index).to_numpy()
    share = np.where(pinned, frame["code"].map(anchors).to_numpy(dtype=float, na_value=0.0), 0.0)
    share[~pinned] = raw[~pinned] / raw[~pinned].sum() * (1.0 - share[pinned].sum())
    frame["share"] = share
    return frame.drop(columns=["generalistes_estimes", "medecins_effectif"])
