"""Territories: contracts, FTE, rates per inhabitant and per GP, national shares, growth, by region and département."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.indicators.common import (
    NATIONAL_CODE,
    NATIONAL_NAME,
    REFERENCE,
    AsOf,
    contract_inputs,
    count_by,
    data_source,
    day_array,
    departement_index,
    departement_table,
    end_of_day,
    etp_at,
    labelled,
    ratio,
    region_table,
)
from am_analytics.indicators.selection import selectable

GROWTH_MONTHS = 12
NOTES = (
    "généralistes estimés (densité de généralistes au 1er janvier 2025 × population municipale 2023 / 100 000) : "
    "les taux pour 100 généralistes sont des estimations",
    "Mayotte : population absente des populations légales 2023 ; ses taux restent non calculés (jamais 0) "
    "et les taux nationaux sont calculés hors territoires sans dénominateur",
    "croissance sur 12 mois : contrats actifs à la date d'arrêté rapportés aux actifs 12 mois plus tôt, moins 1 ; "
    "signatures des 12 derniers mois rapportées aux 12 mois précédents, moins 1",
)

# Where each territory's GP count comes from (`generalistes_source`): the shipped estimate, or the analyst's own
# counts (`reference.own.read_generalist_counts`), which rename the two GP columns so that no supplied count is
# called an estimate.
ESTIMATE_SOURCE = ("estimation : densité de généralistes au 1er janvier 2025 (Insee TCRD_068) × population "
                   "municipale 2023")
SUPPLIED_COLUMNS = {"generalistes_estimes": "generalistes", "actifs_mg_pour_100_mg_estimes": "actifs_mg_pour_100_mg"}
SUPPLIED_NOTE = ("généralistes : effectifs fournis par l'analyste là où « generalistes_source » le dit, estimation "
                 "ailleurs ; une région n'utilise les effectifs fournis que si tous ses départements en ont")

SUPPLIED_MARK = ", fourni par l'analyste"
GP_RATE = "actifs_mg_pour_100_mg_estimes"  # the published per-100-GP rate: one name, whichever count it used
MIXED_PREFIX = "mixte : "  # France's GP count when it sums supplied and estimated regions
_NAMED_AT_MOST = 8  # territories on the estimate named in a note; beyond, their number


def generalists_source_note(frame: pd.DataFrame) -> str | None:
    """The GP note of territory rows whose per-100-GP rates used the analyst's counts (`generalistes_source`): the
    analyst's source and year, the rows that kept the shipped estimate (named) and those summing both (France);
    None when every rate used the estimate (the outputs' estimate note then stands)."""
    if "generalistes_source" not in frame:
        return None
    sources = frame["generalistes_source"].astype("string")
    uses_supplied = sources.str.contains(SUPPLIED_MARK, regex=False).fillna(False).astype(bool)
    if not uses_supplied.any():
        return None
    parts = sources[uses_supplied].str.removeprefix(MIXED_PREFIX).str.split(" ; ").explode()
    named = " ; ".join(dict.fromkeys(part.removesuffix(SUPPLIED_MARK) for part in parts
                                     if part.endswith(SUPPLIED_MARK)))
    note = f"MG : effectifs de médecins généralistes fournis par l'analyste : {named}"
    kept = frame.loc[~uses_supplied & sources.notna(), "nom"].astype(str).tolist()
    if kept:
        listed = ", ".join(kept[:_NAMED_AT_MOST]) + (f" et {len(kept) - _NAMED_AT_MOST} autres"
                                                     if len(kept) > _NAMED_AT_MOST else "")
        note += f" ; estimation livrée (densité × population) là où la liste n'a pas d'effectif : {listed}"
    mixed = frame.loc[sources.str.startswith(MIXED_PREFIX).fillna(False).astype(bool), "nom"].astype(str).tolist()
    if mixed:
        note += f" ; {', '.join(mixed)} : effectifs fournis là où une région est entièrement comptée, estimés ailleurs"
    return note + "."


COUNT_COLUMNS = [
    "signes",
    "actifs",
    "etp_actifs",
    "actifs_mg",
    "signes_12_derniers_mois",
    "signes_12_mois_precedents",
    "actifs_il_y_a_12_mois",
]


def _counts_by_departement(contracts: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, np.ndarray]:
    """Every count column, one value per département of `departement_table()` (0 where no contract)."""
    signature = day_array(contracts["date_signature"])
    end = day_array(contracts["date_fin"])
    etp = etp_at(contracts, as_of)  # the act in force at the counting date, for a contract with a history
    general_practice = contracts["specialite"].eq("medecine_generale").fillna(False).to_numpy(dtype=bool)
    now = end_of_day(as_of)
    year_ago = end_of_day(as_of - pd.DateOffset(months=GROWTH_MONTHS))
    two_years_ago = end_of_day(as_of - pd.DateOffset(months=2 * GROWTH_MONTHS))
    signed = signature < now
    active = signed & ~(end < now)
    active_year_ago = (signature < year_ago) & ~(end < year_ago)
    index = departement_index(contracts)
    size = len(departement_table())
    return {
        "signes": count_by(index, size, signed),
        "actifs": count_by(index, size, active),
        "etp_actifs": np.round(count_by(index, size, active, etp), 6),
        "actifs_mg": count_by(index, size, active & general_practice),
        "signes_12_derniers_mois": count_by(index, size, (signature >= year_ago) & signed),
        "signes_12_mois_precedents": count_by(index, size, (signature >= two_years_ago) & (signature < year_ago)),
        "actifs_il_y_a_12_mois": count_by(index, size, active_year_ago),
    }


@cache
def _departement_to_region() -> np.ndarray:
    regions = list(region_table()["code"])
    return np.array([regions.index(code) for code in departement_table()["region_code"]], dtype=np.int64)


def _sum_to_regions(counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Region counts as sums of their départements, so the two levels always add up."""
    mapping, size = _departement_to_region(), len(region_table())
    out = {}
    for name, values in counts.items():
        summed = np.bincount(mapping, weights=values, minlength=size)
        out[name] = np.round(summed, 6) if name.startswith("etp") else np.rint(summed).astype(np.int64)
    return out


@cache
def _denominators(level: str) -> pd.DataFrame:
    """Population and estimated GPs per territory code; `<NA>` where the source has none (Mayotte)."""
    population = reference.population(level)[["code", "population_municipale"]]
    gps = reference.estimated_generalists(level)[["code", "generalistes_estimes"]]
    return population.merge(gps, on="code", how="outer", validate="one_to_one").set_index("code")


def _supplied_generalists(own: pd.DataFrame, level: str) -> pd.DataFrame:
    """The analyst's GP counts at a level (`generalistes`, `generalistes_source` by territory code). A region
    takes its départements' sum only when every one of them has a count: a sum of supplied and estimated
    counts would be neither."""
    own = own.dropna(subset=["departement", "generalistes"])
    label = own["source"].astype("string") + " (" + own["annee"].astype("string") + ")" + SUPPLIED_MARK
    by_departement = pd.DataFrame(
        {"generalistes": own["generalistes"].astype("Int64").to_numpy(), "generalistes_source": label.to_numpy()},
        index=pd.Index(own["departement"].astype("string"), name="code"),
    )
    if level == "departement":
        return by_departement
    departements = departement_table().set_index("code")["region_code"]
    covered = departements.index.isin(by_departement.index)
    whole = pd.Series(covered, index=departements.index).groupby(departements).all()
    rows = {}
    for region in whole[whole].index:
        members = by_departement.loc[departements.index[departements == region]]
        rows[region] = {"generalistes": int(members["generalistes"].sum()),
                        "generalistes_source": " ; ".join(dict.fromkeys(members["generalistes_source"]))}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["generalistes", "generalistes_source"])


def _generalists(level: str, own: pd.DataFrame | None) -> pd.DataFrame:
    """GP count and its source per territory code: the estimate, replaced where the analyst supplied counts."""
    frame = _denominators(level)[["generalistes_estimes"]].rename(columns={"generalistes_estimes": "generalistes"})
    frame["generalistes_source"] = pd.array([ESTIMATE_SOURCE] * len(frame), dtype="string")
    frame.loc[frame["generalistes"].isna(), "generalistes_source"] = pd.NA
    if own is not None and len(own):
        supplied = _supplied_generalists(own, level)
        supplied = supplied[supplied.index.isin(frame.index)]
        frame.loc[supplied.index, "generalistes"] = supplied["generalistes"].astype("Int64")
        frame.loc[supplied.index, "generalistes_source"] = supplied["generalistes_source"].astype("string")
    return frame


def _with_rates(frame: pd.DataFrame, national_active: int, national_signed: int) -> pd.DataFrame:
    frame["actifs_pour_100k_hab"] = ratio(frame["actifs"], frame["population"], 100_000).to_numpy()
    frame["etp_actifs_pour_100k_hab"] = ratio(frame["etp_actifs"], frame["population"], 100_000).to_numpy()
    frame["actifs_mg_pour_100_mg_estimes"] = ratio(frame["actifs_mg"], frame["generalistes_estimes"], 100).to_numpy()
    frame["part_nationale_signes"] = ratio(frame["signes"], [national_signed] * len(frame)).to_numpy()
    frame["part_nationale_actifs"] = ratio(frame["actifs"], [national_active] * len(frame)).to_numpy()
    frame["croissance_signatures_12m"] = (
        ratio(frame["signes_12_derniers_mois"], frame["signes_12_mois_precedents"]).to_numpy() - 1
    )
    frame["croissance_actifs_12m"] = ratio(frame["actifs"], frame["actifs_il_y_a_12_mois"]).to_numpy() - 1
    leading = ["code", "nom"] + (["region_code"] if "region_code" in frame else [])
    return frame[leading + _COLUMNS[2:] + ["generalistes_source"]]


_COLUMNS = [
    "code",
    "nom",
    "signes",
    "actifs",
    "etp_actifs",
    "actifs_mg",
    "population",
    "actifs_pour_100k_hab",
    "etp_actifs_pour_100k_hab",
    "generalistes_estimes",
    "actifs_mg_pour_100_mg_estimes",
    "part_nationale_signes",
    "part_nationale_actifs",
    "signes_12_derniers_mois",
    "signes_12_mois_precedents",
    "croissance_signatures_12m",
    "actifs_il_y_a_12_mois",
    "croissance_actifs_12m",
]


def _territory_frame(
    names: pd.DataFrame, counts: dict[str, np.ndarray], level: str, generalists: pd.DataFrame | None
) -> pd.DataFrame:
    frame = names.rename(columns={"name": "nom"}).reset_index(drop=True)
    for name, values in counts.items():
        frame[name] = pd.array(values, dtype="Float64" if name.startswith("etp") else "Int64")
    denominators = _denominators(level).reindex(frame["code"])
    gps = _generalists(level, generalists).reindex(frame["code"])
    frame["population"] = denominators["population_municipale"].astype("Int64").to_numpy()
    frame["generalistes_estimes"] = gps["generalistes"].astype("Int64").to_numpy()
    frame["generalistes_source"] = pd.array(gps["generalistes_source"].to_numpy(), dtype="string")
    return _with_rates(frame, int(counts["actifs"].sum()), int(counts["signes"].sum()))


def _finish(
    frame: pd.DataFrame, contracts: pd.DataFrame, as_of: pd.Timestamp, synthetic: bool,
    generalists: pd.DataFrame | None,
) -> pd.DataFrame:
    notes = list(NOTES)
    unplaced = int((departement_index(contracts) < 0).sum())
    if unplaced:
        notes.append(f"{unplaced} contrat(s) sans département reconnu, hors de ces tableaux")
    if generalists is not None:
        # supplied counts are no estimates: the columns say so by their names, the notes by their first line
        frame = frame.rename(columns=SUPPLIED_COLUMNS)
        notes[0] = SUPPLIED_NOTE
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic), REFERENCE], notes=notes)


@selectable(rows=("region", "departement"))
def by_departement(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    generalists: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per département (all 101, 0 where no contract): signed, active, active FTE, active GP
    contracts; per 100 000 inhabitants, per 100 estimated GPs; national shares; 12-month growth.

    Rates whose denominator is missing (Mayotte's population) are missing, never 0; a growth whose
    base is 0 is missing too. Columns ending in `_mg_estimes` use the GP estimate of
    `reference.estimated_generalists` and are labelled as such in `attrs["notes"]`.

    `generalists`, the analyst's own GP counts (`reference.own.read_generalist_counts(path).rows`), replaces the
    estimate where it has a count: the two GP columns are then named `generalistes` and
    `actifs_mg_pour_100_mg`, and `generalistes_source` says, row by row, which count each rate used.
    """
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    counts = _counts_by_departement(contracts, as_of)
    frame = _territory_frame(departement_table(), counts, "departement", generalists)
    return _finish(frame, contracts, as_of, synthetic, generalists)


@selectable(rows=("region", "departement"))
def by_region(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    generalists: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per 2016 region (all 18): the same columns as `by_departement`, counts being the sums of
    the region's départements (a contract's region is taken from its département). With `generalists`, a
    region uses the supplied counts only when all its départements have one (the sum of them)."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    counts = _sum_to_regions(_counts_by_departement(contracts, as_of))
    frame = _territory_frame(region_table(), counts, "region", generalists)
    return _finish(frame, contracts, as_of, synthetic, generalists)


@selectable
def national_totals(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    generalists: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row (code `FR`) with the same columns: counts are the sums of the regions; rates are computed
    over the territories that have a denominator, numerator and denominator alike (so Mayotte's contracts
    do not inflate a rate whose population excludes Mayotte). With `generalists`, the GP count is the sum of
    the regions' (supplied where a region is wholly covered, estimated elsewhere) and its source says so."""
    regions = by_region(contracts, as_of=as_of, synthetic=synthetic, generalists=generalists).rename(
        columns={v: k for k, v in SUPPLIED_COLUMNS.items()})
    row: dict[str, object] = {"code": NATIONAL_CODE, "nom": NATIONAL_NAME}
    for name in COUNT_COLUMNS:
        row[name] = regions[name].sum()
    with_population = regions["population"].notna()
    with_gps = regions["generalistes_estimes"].notna()
    row["population"] = regions.loc[with_population, "population"].sum()
    row["generalistes_estimes"] = regions.loc[with_gps, "generalistes_estimes"].sum()
    sources = regions.loc[with_gps, "generalistes_source"].dropna().unique()
    row["generalistes_source"] = sources[0] if len(sources) == 1 else MIXED_PREFIX + " ; ".join(sources)
    frame = pd.DataFrame([row])
    frame["generalistes_source"] = frame["generalistes_source"].astype("string")
    for name in COUNT_COLUMNS + ["population", "generalistes_estimes"]:
        frame[name] = frame[name].astype("Float64" if name.startswith("etp") else "Int64")
    frame = _with_rates(frame, int(row["actifs"]), int(row["signes"]))
    # Rates over territories with a denominator only (see docstring); shares are 1 by definition.
    frame["actifs_pour_100k_hab"] = ratio(
        [regions.loc[with_population, "actifs"].sum()], frame["population"], 100_000
    ).to_numpy()
    frame["etp_actifs_pour_100k_hab"] = ratio(
        [regions.loc[with_population, "etp_actifs"].sum()], frame["population"], 100_000
    ).to_numpy()
    frame["actifs_mg_pour_100_mg_estimes"] = ratio(
        [regions.loc[with_gps, "actifs_mg"].sum()], frame["generalistes_estimes"], 100
    ).to_numpy()
    if generalists is not None:
        frame = frame.rename(columns=SUPPLIED_COLUMNS)
    frame.attrs = dict(regions.attrs)
    return frame
