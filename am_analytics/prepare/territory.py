"""Territory step: the Assurance Maladie yearly open data by territory → one tidy row per year and territory.

The Opendatasoft export mixes detail rows with aggregates: a département code `999` ("Tout
département") marks a region's total and a region written `FRANCE` the national one. Each row is
classified into a level (france, region, departement) with the code of its territory; `NS` cells (too
small to publish) stay missing and are flagged, never read as 0.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pandera.pandas as pa

from am_analytics.geography import normalise_departements, normalise_regions, simplify
from am_analytics.ingest import RawTable
from am_analytics.ingest import values as v
from am_analytics.prepare.steps import StepResult, exact_and_conflicting_duplicates, problems_from_reasons
from am_analytics.validate import validate_frame
from am_analytics.vocabulary import SCHEME_START

KEY = "territoire"  # year, level and code: one row per territory and year
VERSIONED = False  # a repeated key is an exact copy (merged) or a conflict, never an update
KEY_SOURCE = "nombre_contrats"  # the raw column a duplicate is reported on: the value that differs
COLUMNS = [
    "annee",
    "niveau",
    "code",
    "libelle",
    "nombre_contrats",
    "nombre_contrats_ns",
    "taux_recours_pct",
    "taux_recours_ns",
]
_NATIONAL = {"FRANCE", "FRANCE ENTIERE", "ENSEMBLE", "TOUTES REGIONS", "TOUTE REGION", "FR"}
_WHOLE_REGION = {"999", "TOUT DEPARTEMENT", "TOUS DEPARTEMENTS", "TOUS LES DEPARTEMENTS", "ENSEMBLE"}


def _cells(raw: RawTable, header_of: dict[str, str], column: str) -> pd.Series:
    header = header_of.get(column)
    if header is None:
        return pd.Series(pd.NA, index=pd.RangeIndex(len(raw.frame)), dtype="string")
    return raw.frame[header].reset_index(drop=True).astype("string")


def _level(region: pd.Series, departement: pd.Series) -> pd.Series:
    """france / region / departement from the two code columns (labels checked too: exports vary)."""
    region_key = region.fillna("").map(simplify)
    dept_key = departement.fillna("").map(simplify)
    national = region_key.isin(_NATIONAL) | (region_key == "")
    whole_region = dept_key.isin(_WHOLE_REGION) | (dept_key == "")
    level = np.where(national & whole_region, "france", np.where(whole_region, "region", "departement"))
    return pd.Series(level, index=region.index, dtype="string")


def _year_reason(year: pd.Series) -> pd.Series:
    """`annee_invalide` for a year that is not a whole year of the scheme's life (2019 onwards)."""
    impossible = year.notna() & ((year % 1 != 0) | (year < SCHEME_START.year) | (year > 2100))
    return pd.Series(np.where(impossible.fillna(False), "annee_invalide", None), index=year.index, dtype="string")


def normalise(raw: RawTable, header_of: dict[str, str]) -> StepResult:
    """One open-data file: each row classified (france, region, departement) with its canonical code."""
    region_code = _cells(raw, header_of, "code_region").fillna(_cells(raw, header_of, "libelle_region"))
    dept_code = _cells(raw, header_of, "code_departement").fillna(_cells(raw, header_of, "libelle_departement"))
    level = _level(region_code, dept_code)

    years = v.normalise_numbers(_cells(raw, header_of, "annee"), required=True)
    year = years["value"]
    bad_year = years["reason"].fillna(_year_reason(year))
    counts = v.normalise_numbers(_cells(raw, header_of, "nombre_contrats"))
    rates = v.normalise_numbers(_cells(raw, header_of, "taux_recours_pct"))

    regions = normalise_regions(region_code.where(level == "region"))
    departements = normalise_departements(dept_code.where(level == "departement"))
    code = departements["code"].where(level == "departement", regions["code"]).where(level != "france", "FR")
    geo_reason = departements["reason"].where(level == "departement", regions["reason"]).where(level != "france")
    geo_message = departements["message"].where(level == "departement", regions["message"])
    geo_column = pd.Series(np.where(level == "departement", "code_departement", "code_region"), dtype="string")
    label = _cells(raw, header_of, "libelle_departement").where(
        level == "departement", _cells(raw, header_of, "libelle_region")
    )

    frame = pd.DataFrame(
        {
            "annee": year.round().astype("Int64"),
            "niveau": level,
            "code": code,
            "libelle": label.where(level != "france", "France entière"),
            "nombre_contrats": counts["value"],
            "nombre_contrats_ns": counts["non_significatif"],
            "taux_recours_pct": rates["value"],
            "taux_recours_ns": rates["non_significatif"],
        }
    )
    frame["territoire"] = frame["annee"].astype("string") + ":" + frame["niveau"] + ":" + frame["code"].fillna("?")
    geo_problems = problems_from_reasons(geo_reason, "code_region", geo_message)
    geo_problems["column"] = geo_column[geo_problems["row"].astype(int).to_numpy()].to_numpy()
    problems = pd.concat(
        [
            problems_from_reasons(bad_year, "annee"),
            geo_problems,
            problems_from_reasons(counts["reason"], "nombre_contrats"),
            problems_from_reasons(rates["reason"], "taux_recours_pct"),
        ],
        ignore_index=True,
    )
    return StepResult(frame=frame[[*COLUMNS, "territoire"]], problems=problems)


# About 100 000 doctors practise in France (DREES): a count above a million contracts for one territory is no
# count at all (10^30 would also overflow the integer column: it must never reach it).
MAX_CONTRACTS = 1_000_000
_TOO_LARGE_MESSAGE = f"nombre invraisemblable (plus de {MAX_CONTRACTS:_} contrats)".replace("_", "\u202f")

_SCHEMA = pa.DataFrameSchema(
    {
        "nombre_contrats": pa.Column(
            "Float64",
            [
                pa.Check(lambda s: s.ge(0) | s.isna(), name="nombre_negatif"),
                pa.Check(lambda s: s.le(MAX_CONTRACTS) | s.isna(), name="nombre_invalide"),
            ],
            nullable=True,
        ),
        "taux_recours_pct": pa.Column(
            "Float64", pa.Check(lambda s: s.between(0, 100) | s.isna(), name="pourcentage_invalide"), nullable=True
        ),
    }
)


def duplicates(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return exact_and_conflicting_duplicates(frame, KEY, COLUMNS)


def validate(frame: pd.DataFrame, cutoff: date) -> pd.DataFrame:
    problems = validate_frame(frame, _SCHEMA)
    too_large = (problems["reason"] == "nombre_invalide") & (problems["column"] == "nombre_contrats")
    return problems.assign(message=problems["message"].mask(too_large, _TOO_LARGE_MESSAGE))


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts are whole numbers once validated."""
    return frame.drop(columns=["territoire"]).assign(nombre_contrats=frame["nombre_contrats"].round().astype("Int64"))
