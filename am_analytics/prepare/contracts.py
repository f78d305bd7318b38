"""Contracts step: one raw extract → canonical contracts (one row per raw row), the values that reject a row
(required fields) and the values that only raise a warning (descriptive fields).

Only what identifies and counts a contract can reject it: contract number, doctor, geography (département
or caisse), signature date, FTE, and an end date that is written but unreadable or impossible. Specialty,
zone, background, training, take-up date and aid are descriptive: an unrecognised value keeps the contract,
takes an explicit unknown category (or stays empty) and is listed in the warnings. A row of a history written
act by act also says which act it is (type, avenant number, date of effect: `prepare.acts`); an act that cannot
be placed in its history rejects the row.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from am_analytics import privacy
from am_analytics.errors import DataError, Location
from am_analytics.geography import (
    geography_column_reading,
    normalise_caisses,
    normalise_departements,
    region_of_departements,
)
from am_analytics.ingest import RawTable
from am_analytics.ingest import values as v
from am_analytics.prepare import acts
from am_analytics.prepare.steps import (
    StepResult,
    exact_and_conflicting_duplicates,
    problems_from_reasons,
    spreadsheet_errors,
)
from am_analytics.validate import empty_problems, validate_contracts
from am_analytics.vocabulary import ETP_OPTIONS, REASONS, UNRECOGNISED, WARNING_REASONS

KEY = "contrat_id"
KEY_SOURCE = "contrat_id"  # the raw column a duplicate is reported on
VERSIONED = True  # rows sharing a key are versions of one contract across extracts (see prepare.versions)
COLUMNS = [
    "contrat_id",
    "medecin_id",
    "date_signature",
    "date_fin",
    "departement",
    "region",
    "caisse",
    "specialite",
    "zone",
    "etp_option",
    "etp",
    "profil_origine",
    "formation",
    "date_prise_fonction",
    "aide_versee_eur",
]
# Read from the file but not part of a contract's content: two versions differing only here are one version.
# The act columns say which act of a contract's history a row is (`prepare.acts`); absent, they are empty.
METADATA = ["date_extraction", *acts.ACT_COLUMNS]

# Required fields: a value that cannot be read rejects the row.
_REQUIRED = {
    "contrat_id": (v.normalise_contrat_ids, {}),
    "medecin_id": (v.normalise_rpps, {"required": True}),
    "date_signature": (v.normalise_dates, {"required": True}),
    "date_fin": (v.normalise_dates, {"end": True}),
}
# Descriptive categories: an unrecognised value becomes `vocabulary.UNRECOGNISED[field]` with a warning.
_CATEGORIES = {
    "specialite": v.normalise_specialites,
    "zone": v.normalise_zones,
    "profil_origine": v.normalise_profils,
    "formation": v.normalise_formations,
}
# the raw column each derived canonical column is read from, so problems point at what a user can correct
_SOURCE = {"etp_option": "etp", "etp": "etp", "region": "departement"}
_ETP_VALUES = {option: float(fraction) for option, fraction in ETP_OPTIONS.items()}


def normalise(raw: RawTable, header_of: dict[str, str]) -> StepResult:
    """Normalise every column of one contracts file; a missing optional column is all `<NA>`."""
    index = pd.RangeIndex(len(raw.frame))
    columns: dict[str, pd.Series] = {}
    problems, warnings = [], []

    def cells(column: str) -> pd.Series:
        return _cells(raw, header_of, column, index)

    for column, (normaliser, options) in _REQUIRED.items():
        written = cells(column)
        result = normaliser(written, **options)
        columns[column] = result["value"]
        reasons = result["reason"]
        if normaliser is not v.normalise_dates or not reasons.notna().any():
            problems.append(problems_from_reasons(reasons, column))
            continue
        messages = _date_messages(reasons, written)
        # An end date read as "no end" (31/12/9999) or a sentinel (0000-00-00) is empty on purpose: warned only.
        as_empty = reasons.isin(v.DATE_READ_AS_EMPTY if column == "date_fin" else ()).to_numpy(dtype=bool)
        problems.append(problems_from_reasons(reasons.mask(as_empty), column, messages))
        warnings.append(_warnings_from_reasons(reasons.where(as_empty), column, messages))

    act = acts.normalise_acts(cells("type_acte"), cells("numero_avenant"), cells("date_effet"))
    for column in acts.ACT_COLUMNS:
        columns[column] = act[column]
        problems.append(problems_from_reasons(act["reason"].where(act["column"] == column), column))

    # An option is open from a date: an avenant's is judged at its date of effect, not at the signature.
    in_force = act["date_effet"].astype("datetime64[ns]").fillna(columns["date_signature"].astype("datetime64[ns]"))
    etp = v.normalise_etp(cells("etp"), required=True, header=header_of.get("etp"), signed=in_force)
    columns["etp_option"] = etp["value"]
    problems.append(problems_from_reasons(etp["reason"], "etp"))

    geography, geo_problems, geo_warnings = _geography(raw, header_of, index)
    columns.update(geography)
    problems.extend(geo_problems)
    warnings.extend(geo_warnings)

    for column, normaliser in _CATEGORIES.items():
        result = normaliser(cells(column))
        unknown = result["reason"].notna()
        columns[column] = result["value"].mask(unknown, UNRECOGNISED[column])
        warnings.append(_warnings_from_reasons(result["reason"], column))

    for column in ("date_prise_fonction", "date_extraction"):
        written = cells(column)
        found = v.normalise_dates(written)
        columns[column] = found["value"]
        messages = _date_messages(found["reason"], written, WARNING_REASONS)
        warnings.append(_warnings_from_reasons(found["reason"], column, messages))

    aid = v.normalise_amounts(cells("aide_versee_eur"))
    columns["aide_versee_eur"] = aid["value"]
    warnings.append(_warnings_from_reasons(aid["reason"], "aide_versee_eur"))

    problems, warnings = _spreadsheet_errors(raw, header_of, columns, problems, warnings)
    frame = pd.DataFrame(columns, index=index)
    frame["region"] = region_of_departements(frame["departement"])
    frame["etp"] = frame["etp_option"].map(_ETP_VALUES).astype("Float64")
    for column in ("date_signature", "date_fin", "date_prise_fonction", "date_extraction", "date_effet"):
        frame[column] = frame[column].astype("datetime64[ns]")
    return StepResult(frame=frame[COLUMNS + METADATA], problems=problems, warnings=warnings)


def _geography(
    raw: RawTable, header_of: dict[str, str], index: pd.RangeIndex
) -> tuple[dict[str, pd.Series], list[pd.DataFrame], list[pd.DataFrame]]:
    """Département and caisse of every row, decided per column: a département column whose values can only
    be caisse codes is read as caisses in full; one that could be read either way is refused."""
    departements = _cells(raw, header_of, "departement", index)
    caisses = _cells(raw, header_of, "caisse", index).fillna(_cells(raw, header_of, "libelle_caisse", index))
    caisse_column = "caisse" if "caisse" in header_of else "libelle_caisse"
    problems: list[pd.DataFrame] = []
    warnings: list[pd.DataFrame] = []
    if "departement" in header_of:
        reading, examples = geography_column_reading(departements)
        if reading == "ambigu":
            raise _ambiguous_geography(raw, header_of["departement"], examples)
        if reading == "caisse":
            found = normalise_caisses(departements, declared=False)
            problems.append(problems_from_reasons(found["reason"], "departement", found["message"]))
            return {"departement": found["departement"], "caisse": found["caisse"]}, problems, warnings
        found = normalise_departements(departements)
        problems.append(problems_from_reasons(found["reason"], "departement", found["message"]))
        caisse = pd.Series(pd.NA, index=index, dtype="string")
        if caisse_column in header_of:
            # Both written: the département decides; an unknown caisse is only a warning.
            known = normalise_caisses(caisses)
            caisse = known["caisse"]
            reason = known["reason"].where(known["reason"] != "valeur_manquante")
            warnings.append(_warnings_from_reasons(reason, caisse_column, known["message"]))
        return {"departement": found["code"], "caisse": caisse}, problems, warnings
    found = normalise_caisses(caisses)
    problems.append(problems_from_reasons(found["reason"], caisse_column, found["message"]))
    return {"departement": found["departement"], "caisse": found["caisse"]}, problems, warnings


def _ambiguous_geography(raw: RawTable, header: str, examples: list[str]) -> DataError:
    shown = ", ".join(f"« {e} »" for e in examples)
    return DataError(
        f"la colonne « {header} » peut se lire comme des départements ou comme des codes de caisse ({shown}) : "
        "un code de caisse dont Excel a retiré les zéros ressemble à un département",
        where=Location(file=raw.path.name + (f" (feuille « {raw.sheet} »)" if raw.sheet else ""), column=header),
        hint=f"si la colonne contient des caisses, l'intituler « Code caisse » ou relancer avec "
        f"--caisse-column \"{header}\" (prepare(..., caisse_columns=[\"{header}\"])) ; sinon y écrire les "
        "départements (59, 2A, Nord)",
    )


def _warnings_from_reasons(reasons: pd.Series, column: str, messages: pd.Series | None = None) -> pd.DataFrame:
    """Warnings where a descriptive field's normaliser gave a reason (its message says the row is kept)."""
    found = problems_from_reasons(reasons, column, messages)
    if found.empty:
        return found
    fallback = found["reason"].map(WARNING_REASONS).astype("string")
    return found.assign(message=found["message"].fillna(fallback))


def _spreadsheet_errors(
    raw: RawTable,
    header_of: dict[str, str],
    columns: dict[str, pd.Series],
    problems: list[pd.DataFrame],
    warnings: list[pd.DataFrame],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Error cells (`#N/A`, `#REF!`...): the row is quarantined in a field that identifies or counts the contract;
    in a descriptive field the contract is kept without the value (its explicit unknown category for a category)
    and warned (`steps.spreadsheet_errors`)."""
    # the geography column that decides is required; a caisse written beside a département is descriptive
    geography = ("departement",) if "departement" in header_of else ("caisse", "libelle_caisse")
    required = {"contrat_id", "medecin_id", "date_signature", "date_fin", "etp", *geography, *acts.ACT_COLUMNS}
    problem_table, warning_table, erroneous = spreadsheet_errors(
        raw, header_of, required, pd.concat(problems, ignore_index=True), pd.concat(warnings, ignore_index=True),
        _warnings_from_reasons,
    )
    for column, cells in erroneous.items():
        target = _SOURCE_OF.get(column, column)
        if column in required or target not in columns:
            continue
        if target in UNRECOGNISED:
            columns[target] = columns[target].mask(cells, UNRECOGNISED[target])
        else:
            columns[target] = columns[target].mask(cells)
    return problem_table, warning_table


# the canonical column a raw column's value lands in, when it has another name
_SOURCE_OF = {"libelle_caisse": "caisse"}


# Date reasons whose message quotes the value: the rule applied depends on what was written (9999, 1900, 2999).
_QUOTED_DATE_REASONS = ("date_sans_fin", "date_sentinelle", "date_invraisemblable")


def _date_messages(
    reasons: pd.Series, written: pd.Series, labels: dict[str, str] = REASONS
) -> pd.Series | None:
    """The message of each far or sentinel date, quoting the value written (other rows: NA, the reason's label)."""
    quoted = reasons.isin(_QUOTED_DATE_REASONS).to_numpy(dtype=bool)
    if not quoted.any():
        return None
    messages = pd.Series(pd.NA, index=reasons.index, dtype="string")
    label = reasons[quoted].map(labels).astype("string")
    messages[quoted] = "« " + written[quoted].astype("string").str.strip() + " » : " + label
    return messages


def _cells(raw: RawTable, header_of: dict[str, str], column: str, index: pd.RangeIndex) -> pd.Series:
    header = header_of.get(column)
    if header is None:
        return pd.Series(pd.NA, index=index, dtype="string")
    return raw.frame[header].reset_index(drop=True)


def duplicates(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return exact_and_conflicting_duplicates(frame, KEY, COLUMNS)


def validate(frame: pd.DataFrame, cutoff: date) -> pd.DataFrame:
    if frame.empty:
        return empty_problems()
    problems = validate_contracts(frame, cutoff)
    return problems.assign(column=problems["column"].replace(_SOURCE))


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    return frame


def pseudonymise(frame: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """Replace RPPS numbers by keyed pseudonyms: no clear identifier reaches the processed folder."""
    return frame.assign(medecin_id=privacy.pseudonymise(frame["medecin_id"], key))


def unknown_share(frame: pd.DataFrame) -> dict[str, float]:
    """Share of rows whose descriptive field took the explicit unknown category (a quick quality figure)."""
    return {
        column: float(np.mean(frame[column].eq(UNRECOGNISED[column]).fillna(False))) if len(frame) else 0.0
        for column in _CATEGORIES
    }
