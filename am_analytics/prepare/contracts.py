"""Contracts step: one raw extract → canonical contracts (one row per raw row) and the values it could not read."""

from __future__ import annotations

from datetime import date

import pandas as pd

from am_analytics import privacy
from am_analytics.geography import normalise_departements, region_of_departements
from am_analytics.ingest import RawTable
from am_analytics.ingest import values as v
from am_analytics.prepare.steps import StepResult, exact_and_conflicting_duplicates, problems_from_reasons
from am_analytics.validate import validate_contracts
from am_analytics.vocabulary import ETP_OPTIONS

KEY = "contrat_id"
KEY_SOURCE = "contrat_id"  # the raw column a duplicate is reported on
COLUMNS = [
    "contrat_id",
    "medecin_id",
    "date_signature",
    "date_fin",
    "departement",
    "region",
    "specialite",
    "zone",
    "etp_option",
    "etp",
    "profil_origine",
    "formation",
    "date_prise_fonction",
    "aide_versee_eur",
]

# canonical column → (normaliser, its keyword arguments); the result's `value` becomes the column.
_NORMALISERS = {
    "contrat_id": (v.normalise_contrat_ids, {}),
    "medecin_id": (v.normalise_rpps, {"required": True}),
    "date_signature": (v.normalise_dates, {"required": True}),
    "date_fin": (v.normalise_dates, {}),
    "specialite": (v.normalise_specialites, {}),
    "zone": (v.normalise_zones, {}),
    "etp_option": (v.normalise_etp, {"required": True}),
    "profil_origine": (v.normalise_profils, {}),
    "formation": (v.normalise_formations, {}),
    "date_prise_fonction": (v.normalise_dates, {}),
    "aide_versee_eur": (v.normalise_numbers, {}),
}
# the raw column each derived canonical column is read from, so problems point at what a user can correct
_SOURCE = {"etp_option": "etp", "etp": "etp", "region": "departement"}
_ETP_VALUES = {option: float(fraction) for option, fraction in ETP_OPTIONS.items()}


def normalise(raw: RawTable, header_of: dict[str, str]) -> StepResult:
    """Normalise every column of one contracts file; a missing optional column is all `<NA>`."""
    index = pd.RangeIndex(len(raw.frame))
    columns: dict[str, pd.Series] = {}
    problems = []
    for column, (normaliser, options) in _NORMALISERS.items():
        source = _SOURCE.get(column, column)
        cells = _cells(raw, header_of, source, index)
        result = normaliser(cells, **options)
        columns[column] = result["value"]
        problems.append(problems_from_reasons(result["reason"], source))
    geography = normalise_departements(_cells(raw, header_of, "departement", index))
    columns["departement"] = geography["code"]
    problems.append(problems_from_reasons(geography["reason"], "departement", geography["message"]))
    frame = pd.DataFrame(columns, index=index)
    frame["region"] = region_of_departements(frame["departement"])
    frame["etp"] = frame["etp_option"].map(_ETP_VALUES).astype("Float64")
    frame["date_signature"] = frame["date_signature"].astype("datetime64[ns]")
    for column in ("date_fin", "date_prise_fonction"):
        frame[column] = frame[column].astype("datetime64[ns]")
    return StepResult(frame=frame[COLUMNS], problems=pd.concat(problems, ignore_index=True))


def _cells(raw: RawTable, header_of: dict[str, str], column: str, index: pd.RangeIndex) -> pd.Series:
    header = header_of.get(column)
    if header is None:
        return pd.Series(pd.NA, index=index, dtype="string")
    return raw.frame[header].reset_index(drop=True)


def duplicates(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return exact_and_conflicting_duplicates(frame, KEY, COLUMNS)


def validate(frame: pd.DataFrame, as_of: date) -> pd.DataFrame:
    problems = validate_contracts(frame, as_of)
    return problems.assign(column=problems["column"].replace(_SOURCE))


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    return frame


def pseudonymise(frame: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """Replace RPPS numbers by keyed pseudonyms: no clear identifier reaches the processed folder."""
    return frame.assign(medecin_id=privacy.pseudonymise(frame["medecin_id"], key))
