"""Reference tables shipped with the package (geography, population, doctors, targets, published figures,
funding rules, the doctors' commitments), each returned as a typed frame with its provenance record.

Every table is read from the package's own `data/` folder, so it is available after `pip install`
without the repository. Codes are text (`01`, `2A`, `971`), dates are `datetime64`, counts are nullable
integers: a value missing at the source (Mayotte's population) stays `<NA>`, never 0.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Literal

import pandas as pd

Level = Literal["departement", "region"]

_DATA = files(__package__) / "data"


@dataclass(frozen=True)
class Provenance:
    """Where a reference table comes from and what to know before using it."""

    table: str
    file: str
    title: str
    producer: str
    source: str
    source_url: str
    vintage: str
    licence: str
    caveats: str
    sha256: str = field(default="")


@dataclass(frozen=True)
class _Spec:
    file: str
    integers: tuple[str, ...] = ()
    decimals: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    rename: dict[str, str] = field(default_factory=dict)


_DENSITIES = (
    "medecins_densite_100k",
    "generalistes_densite_100k",
    "specialistes_densite_100k",
    "chirurgiens_dentistes_densite_100k",
    "pharmaciens_densite_100k",
)

# Column typing per table: everything is read as text first (so no code ever loses a leading zero),
# then only the columns named here are converted.
_SPECS: dict[str, _Spec] = {
    "departements": _Spec("departements.csv"),
    "departement_aliases": _Spec("departement_aliases.csv"),
    "regions": _Spec("regions.csv", integers=("n_departements",)),
    "old_regions": _Spec(
        "old_regions_pre2016.csv",
        rename={"region_code_2016": "region_code", "region_name_2016": "region_name"},
    ),
    "population_departements": _Spec(
        "population_pl2023_departements.csv", integers=("population_municipale", "population_totale")
    ),
    "population_regions": _Spec(
        "population_pl2023_regions.csv",
        integers=("population_municipale", "population_totale"),
        rename={"region_code": "code", "region_name": "name"},
    ),
    "doctors_departements": _Spec(
        "generalists_tcrd068_2025_departements.csv",
        integers=("generalistes_effectif", "medecins_effectif"),
        decimals=_DENSITIES,
    ),
    "doctors_regions": _Spec(
        "generalists_tcrd068_2025_regions.csv",
        integers=("generalistes_effectif", "medecins_effectif"),
        decimals=_DENSITIES,
    ),
    "generalists_national": _Spec("generalists_national_drees.csv", decimals=("value",), dates=("reference_date",)),
    "published_figures": _Spec("published_figures.csv", decimals=("value",), dates=("reference_date",)),
    "national_milestones": _Spec(
        "assistants_medicaux_national_milestones.csv", decimals=("value",), dates=("reference_date",)
    ),
    "targets": _Spec("targets.csv", decimals=("value",), dates=("deadline", "set_on")),
    "funding_rules": _Spec("funding_rules.csv", decimals=("amount_eur",), dates=("valid_from", "valid_to")),
    "caisses": _Spec("caisses.csv"),
    "specialites_assurance_maladie": _Spec("specialites_assurance_maladie.csv"),
    "qualifications_rpps": _Spec("qualifications_rpps.csv"),
    "commitment_objectives": _Spec(
        "commitment_objectives.csv",
        integers=("percentile_from", "percentile_to"),
        decimals=("growth_pct", "option_growth_min_pct", "option_growth_max_pct"),
    ),
    "commitment_rules": _Spec("commitment_rules.csv", decimals=("value",), dates=("valid_from", "valid_to")),
    "commitment_effects": _Spec(
        "commitment_effects.csv", integers=("horizon_months",), decimals=("value",), dates=("published_on",)
    ),
    "training_sites": _Spec("training_sites.csv", dates=("valid_on",)),
    "training_organisation_counts": _Spec(
        "training_organisation_counts.csv", integers=("value",), dates=("reference_date",)
    ),
}

TABLES: tuple[str, ...] = tuple(_SPECS)


@cache
def _load(table: str) -> pd.DataFrame:
    spec = _SPECS[table]
    with (_DATA / spec.file).open("rb") as handle:
        frame = pd.read_csv(handle, dtype="string", keep_default_na=False, na_values=[""])
    for column in spec.integers:
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in spec.decimals:
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    for column in spec.dates:
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    return frame.rename(columns=spec.rename)


def table(name: str) -> pd.DataFrame:
    """One reference table by name (see `TABLES`), exactly as shipped but typed."""
    if name not in _SPECS:
        raise KeyError(f"unknown reference table {name!r}; known: {', '.join(TABLES)}")
    # A shallow copy is enough under copy-on-write: a caller's edits never reach the cached frame.
    return _load(name).copy(deep=False)


@cache
def _provenance_records() -> dict[str, dict[str, str]]:
    with (files(__package__) / "provenance.toml").open("rb") as handle:
        return tomllib.load(handle)


def provenance(name: str) -> Provenance:
    """The provenance record of a reference table, with the SHA-256 of the shipped file."""
    record = _provenance_records()[name]
    digest = hashlib.sha256((_DATA / record["file"]).read_bytes()).hexdigest()
    return Provenance(table=name, sha256=digest, **record)


def provenance_table() -> pd.DataFrame:
    """Every reference table's provenance as one frame (for the report's sources page)."""
    rows = [vars(provenance(name)) for name in TABLES]
    return pd.DataFrame(rows).astype("string")


# --- Geography -----------------------------------------------------------------------------------


def departements() -> pd.DataFrame:
    """The 101 départements: code, name, region, upper-case name (NCC), name as seen unaccented,
    and the pre-2016 region (missing for Mayotte)."""
    aliases = table("departement_aliases").rename(
        columns={
            "cog_ncc_uppercase": "name_uppercase",
            "name_unaccented_as_seen_in_pl2019_copy": "name_unaccented",
            "old_region_code_pre2016": "old_region_code",
            "old_region_name_pre2016": "old_region_name",
        }
    )
    keep = ["code", "name_uppercase", "name_unaccented", "old_region_code", "old_region_name"]
    return table("departements").merge(aliases[keep], on="code", how="left", validate="one_to_one")


def regions() -> pd.DataFrame:
    """The 18 regions of 2016, with their number of départements and whether they are overseas."""
    frame = table("regions")
    frame["overseas"] = frame["region_code"].str.len().eq(2) & frame["region_code"].lt("10")
    return frame


def old_regions() -> pd.DataFrame:
    """The 26 regions before 2016, the 2016 region each became part of, and their départements."""
    frame = table("old_regions")
    frame["departements"] = frame["departements"].str.split(" ")
    return frame


# --- Population and doctors ----------------------------------------------------------------------


def population(level: Level = "departement") -> pd.DataFrame:
    """INSEE legal populations (millésime 2023) by département or region.

    Columns: code, name, region_code, population_municipale, population_totale, status. Mayotte's
    values are `<NA>` (absent at the source) and `status` says so.
    """
    if level == "departement":
        return table("population_departements")
    if level == "region":
        frame = table("population_regions")
        frame["region_code"] = frame["code"]
        return frame
    raise ValueError(f"level must be 'departement' or 'region', not {level!r}")


def doctors(level: Level = "departement") -> pd.DataFrame:
    """Doctors at 1 January 2025 (INSEE TCRD_068): counts and densities per 100 000 inhabitants.

    At region level only the 18 regions are returned; the source's aggregate rows (France, métropole)
    are available through `table("doctors_regions")`.
    """
    if level == "departement":
        return table("doctors_departements")
    if level == "region":
        frame = table("doctors_regions")
        frame = frame[frame["level"] == "region"].reset_index(drop=True)
        frame["region_code"] = frame["code"]
        return frame
    raise ValueError(f"level must be 'departement' or 'region', not {level!r}")


def estimated_generalists(level: Level = "departement") -> pd.DataFrame:
    """ESTIMATED number of GPs: GP density (1 Jan 2025) × legal population (2023) / 100 000.

    The source publishes densities, not counts, so this is an estimate and is labelled as one
    (`is_estimate` is always true, `method` says how). Where the population is missing (Mayotte) the
    estimate is missing too; it is never filled in.
    """
    dens = doctors(level)[["code", "name", "region_code", "generalistes_densite_100k"]]
    pop = population(level)[["code", "population_municipale"]]
    frame = dens.merge(pop, on="code", how="left", validate="one_to_one")
    frame["generalistes_estimes"] = (
        (frame["generalistes_densite_100k"] * frame["population_municipale"].astype("Float64") / 100_000)
        .round(0)
        .astype("Int64")
    )
    frame["is_estimate"] = True
    frame["method"] = "densité de généralistes au 1er janvier 2025 × population municipale 2023 / 100 000"
    return frame


# --- The scheme: targets, published figures, funding ------------------------------------------------


def targets() -> pd.DataFrame:
    """Official targets (posts, FTE) with their deadline, who set them and when, and their source."""
    return table("targets")


def published_figures() -> pd.DataFrame:
    """Real published figures on the scheme, each with its date, qualifier, confidence and source."""
    return table("published_figures")


def national_milestones() -> pd.DataFrame:
    """A second collection of national milestones, with full source URLs."""
    return table("national_milestones")


def funding_rules() -> pd.DataFrame:
    """CPAM aid per contract year and FTE option, by regime; unknown amounts stay `<NA>`."""
    return table("funding_rules")


def generalists_national() -> pd.DataFrame:
    """National GP counts (DREES, 2022–2025) with their scope and source."""
    return table("generalists_national")


# --- Caisses and specialty codes ----------------------------------------------------------------------


def caisses() -> pd.DataFrame:
    """CPAM and CGSS: organisme code (three digits as text; `<NA>` where the code could not be confirmed),
    name as the source writes it, département, kind and the source of the row. Some départements have
    several caisses (Nord, Pas-de-Calais)."""
    return table("caisses")


def specialty_codes() -> pd.DataFrame:
    """Assurance Maladie specialty codes (TRE_G100): code ("01"), label, and this package's specialty group
    (`<NA>` for codes that are no doctor's specialty)."""
    return table("specialites_assurance_maladie")


def rpps_qualifications() -> pd.DataFrame:
    """Doctors' ordinal specialties of the RPPS (TRE_R38, codes SM..): code, label, specialty group."""
    return table("qualifications_rpps")


# --- The doctors' commitments: objectives, rules, published effects ---------------------------------------


def commitment_objectives() -> pd.DataFrame:
    """The objective grid of avenant 7: growth of the adult « médecin traitant » patient list required by
    percentile band (`percentile_from` to `percentile_to`, P30 to P100) and FTE option.

    Only the one-third option's grid is public band by band; for the half-time and full-time options only the
    option's range is (`option_growth_min_pct`, `option_growth_max_pct`), so their `growth_pct` is `<NA>`,
    never interpolated. `rule` says hausse, maintien (above P95, one-third option) or non_publiee."""
    return table("commitment_objectives")


def commitment_rules() -> pd.DataFrame:
    """The thresholds and calendar of the commitment (P30 = more than 640 adult MT patients, P50 within three
    years for a newly installed doctor, five-year contract, six-monthly review, aid tied to the objective from
    year 3, one objective of two since May 2023...), one row per rule with its regime, dates and source; a
    value that is not public (the P50 in patients) is `<NA>`."""
    return table("commitment_rules")


def commitment_effects() -> pd.DataFrame:
    """Published effect figures of the scheme on doctors' activity (Cnam *Points de repère* of 3 December
    2024 at 48 months, Cnam review to the CPN of June 2022 at 30 months): study, group, indicator, horizon in
    months, value, unit, confidence and source on every row."""
    return table("commitment_effects")


# --- Training supply: where the CQP is taught -------------------------------------------------------------


def training_sites() -> pd.DataFrame:
    """Known training sites of the CQP assistant médical: organisation, commune, département, region, whether
    the row belongs to a region's published list (`liste` = liste_regionale: that region's supply is known) or
    is one site known from its organisation (`site_connu`: at least that site), with date, confidence and
    source on every row. Regions without a row have no known supply: missing, never zero."""
    return table("training_sites")


def training_organisation_counts() -> pd.DataFrame:
    """National counts of organisations approved by the branch's commission (CPNEFP) to teach the CQP
    (12 at its opening, 31 in 2025), each with its date and source."""
    return table("training_organisation_counts")
