"""Validation of normalised tables: pandera schemas checked lazily (every failure of every row at once),
plus the scheme's domain rules, returned as a long table of problems the pipeline quarantines.

Each check is named after the quarantine reason it stands for (`am_analytics.vocabulary.REASONS`), so a
pandera failure case becomes a quarantine reason without a translation table that could drift.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from am_analytics import reference
from am_analytics.vocabulary import (
    CONVENTION_2024,
    ETP_OPTIONS,
    FORMATIONS,
    ONE_THIRD_CLOSED,
    PROFILS,
    REASONS,
    SCHEME_START,
    SECOND_ASSISTANT_OPTIONS,
    SPECIALITES,
    UNRECOGNISED,
    ZONES,
)

PROBLEM_COLUMNS = ["row", "column", "value", "reason", "message"]


def empty_problems() -> pd.DataFrame:
    """The problems table with no row, typed like a full one."""
    return pd.DataFrame({name: pd.Series(dtype="Int64" if name == "row" else "string") for name in PROBLEM_COLUMNS})


def _timestamp(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)


def _one_of(allowed, reason: str) -> pa.Check:
    allowed = list(allowed)
    return pa.Check(lambda s: s.isin(allowed) | s.isna(), name=reason)


def contracts_schema(cutoff: date) -> pa.DataFrameSchema:
    """Schema of normalised contracts accepted up to a cut-off date (no signature after it).

    Column checks cover values that are wrong on their own; frame checks the rules that tie two columns
    (an end before its start, an FTE option not open on the signing date). Duplicated `contrat_id` are
    handled before validation, across files, by the pipeline.
    """
    departements = reference.departements()["code"].tolist()
    regions = reference.regions()["region_code"].tolist()
    cutoff_ts = _timestamp(cutoff)
    start_ts = _timestamp(SCHEME_START)
    in_period = pa.Check(
        lambda s: s.between(start_ts, cutoff_ts) | s.isna(),
        name="signature_hors_periode",
    )
    return pa.DataFrameSchema(
        {
            "contrat_id": pa.Column("string", nullable=False),
            "medecin_id": pa.Column("string", nullable=False),
            "date_signature": pa.Column("datetime64[ns]", in_period, nullable=False, coerce=True),
            "date_fin": pa.Column("datetime64[ns]", nullable=True, coerce=True),
            "departement": pa.Column("string", _one_of(departements, "departement_inconnu"), nullable=False),
            "region": pa.Column("string", _one_of(regions, "region_inconnue"), nullable=False),
            "specialite": pa.Column(
                "string", _one_of(_with_unknown(SPECIALITES, "specialite"), "specialite_inconnue"), nullable=True
            ),
            "zone": pa.Column("string", _one_of(_with_unknown(ZONES, "zone"), "zone_inconnue"), nullable=True),
            "etp_option": pa.Column("string", _one_of(ETP_OPTIONS, "etp_invalide"), nullable=False),
            "etp": pa.Column("Float64", pa.Check(lambda s: s.between(0, 2), name="etp_invalide"), nullable=False),
            "profil_origine": pa.Column("string", _one_of(PROFILS, "profil_inconnu"), nullable=False),
            "formation": pa.Column(
                "string", _one_of(_with_unknown(FORMATIONS, "formation"), "formation_inconnue"), nullable=True
            ),
            "date_prise_fonction": pa.Column("datetime64[ns]", nullable=True, coerce=True),
            "aide_versee_eur": pa.Column(
                "Float64",
                pa.Check(lambda s: s.ge(0) | s.isna(), name="montant_invalide"),
                nullable=True,
                required=False,
            ),
        },
        checks=[
            pa.Check(_end_not_before_signature, name="date_fin_avant_signature"),
            pa.Check(_option_open_on_signature_date, name="etp_non_autorise"),
        ],
        strict=False,
    )


def _with_unknown(categories, field: str) -> list[str]:
    """A descriptive field's categories plus the explicit unknown one its unrecognised values take."""
    return [*categories, UNRECOGNISED[field]]


# Frame-level rules report on the column a user would correct.
_FRAME_CHECK_COLUMN = {"date_fin_avant_signature": "date_fin", "etp_non_autorise": "etp_option"}


def _end_not_before_signature(frame: pd.DataFrame) -> pd.Series:
    return ~(frame["date_fin"] < frame["date_signature"]).fillna(False)


def _option_open_on_signature_date(frame: pd.DataFrame) -> pd.Series:
    """1/3 closed to new contracts on 1 May 2023; second-assistant options opened on 22 June 2024. An avenant's
    option is judged on the date it takes effect (`date_effet`, when the row is an act of a history)."""
    signed = frame["date_signature"]
    if "date_effet" in frame:
        signed = frame["date_effet"].fillna(signed)
    one_third_too_late = (frame["etp_option"] == "1/3") & (signed >= _timestamp(ONE_THIRD_CLOSED))
    second_too_early = frame["etp_option"].isin(SECOND_ASSISTANT_OPTIONS) & (signed < _timestamp(CONVENTION_2024))
    return ~(one_third_too_late | second_too_early).fillna(False)


def _problems_from_failures(failures: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Turn pandera failure cases into problems: one per (row, reason), valued from the frame itself."""
    failures = failures[failures["index"].notna()].copy()
    column_check = failures["schema_context"] == "Column"
    reason = failures["check"].astype("string")
    # dtype and nullability failures carry pandera's own check names
    reason = reason.where(~reason.str.startswith(("not_nullable", "dtype", "coerce")), "valeur_manquante")
    column = failures["column"].astype("string").where(column_check, reason.map(_FRAME_CHECK_COLUMN))
    problems = pd.DataFrame(
        {"row": failures["index"].astype("Int64"), "column": column, "reason": reason}
    ).drop_duplicates()
    problems["value"] = [
        _display(frame.at[row, col]) if col in frame.columns else pd.NA
        for row, col in zip(problems["row"], problems["column"], strict=True)
    ]
    problems["message"] = problems["reason"].map(REASONS).fillna(problems["reason"])
    return problems[PROBLEM_COLUMNS].astype({"row": "Int64", "value": "string", "message": "string"})


def _display(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return f"{value:%d/%m/%Y}"
    return pd.NA if pd.isna(value) else str(value)


def validate_frame(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Validate lazily and return every problem found (an empty problems table when all is well)."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        return _problems_from_failures(errors.failure_cases, frame)
    return empty_problems()


def validate_contracts(frame: pd.DataFrame, cutoff: date) -> pd.DataFrame:
    """Problems of normalised contracts accepted up to `cutoff` (row labels refer to `frame`'s index)."""
    return validate_frame(frame, contracts_schema(cutoff))
