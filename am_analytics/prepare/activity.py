"""Activity step: a CPAM follow-up table of doctors' activity → one row per doctor and period (year or half-year).

This is the counterpart of the aid: the adult « médecin traitant » list, the active list (« file active »), the
acts and the working days a doctor commits to raise. What identifies and counts a row can reject it: the doctor
(an RPPS, read exactly as the contracts' and pseudonymised with the same keyed hash by the pipeline, so that the
activity joins the contracts), the period, and each count (negative, not whole, implausible). What the contract
fixed at signature (initial list, objective) is descriptive: an unreadable value keeps the row, stays empty and
is warned. So is who the doctor is (département, specialty, year of installation): the contract says it for a
signatory, only this table for a doctor who never signed, and the matching of signatories with non-signatories
needs it (`indicators.commitment_effect`). Two rows of one doctor and period that disagree are both quarantined
(neither can be chosen without guessing); an exact copy is merged.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from am_analytics import privacy
from am_analytics.geography import normalise_departements, region_of_departements
from am_analytics.ingest import RawTable
from am_analytics.ingest import values as v
from am_analytics.prepare.steps import (
    StepResult,
    exact_and_conflicting_duplicates,
    problems_from_reasons,
    spreadsheet_errors,
)
from am_analytics.validate import empty_problems
from am_analytics.vocabulary import UNRECOGNISED, WARNING_REASONS

KEY = "cle_activite"  # doctor and period: one row per doctor and period
VERSIONED = False  # a repeated doctor and period is an exact copy (merged) or a conflict, never an update
KEY_SOURCE = "periode"  # a duplicate is reported on the period (the doctor's identifier is never shown in clear)
COUNTS = ("patients_mt", "file_active", "actes", "jours_travailles")
COMMITMENT = ("patientele_initiale", "objectif_patients", "objectif_pct")
# Who the doctor is, as the table writes it for each period. Kept per row, not reduced to one value per doctor: the
# matching compares doctors within one period, so a doctor who moved is compared where he practised then (the
# latest département would place him where he was not); two rows of one doctor and period that disagree on it are
# a conflict like any other (`duplicates`).
DOCTOR = ("departement", "region", "specialite", "annee_installation")
COLUMNS = [
    "medecin_id",
    "periode",
    "type_periode",
    "annee",
    "semestre",
    "debut_periode",
    "fin_periode",
    *COUNTS,
    "actes_par_jour",
    *COMMITMENT,
    *DOCTOR,
]
# Counts are whole patients and acts; working days may be half days.
_WHOLE = ("patients_mt", "file_active", "actes", "patientele_initiale", "objectif_patients")
# Beyond these a figure is no single doctor's: GPs' adult MT lists sit around 1 000–2 000 and their active lists
# under 10 000 (Cnam, Points de repère 2024: 1 318 on average); 60 000 acts a year is 200 a working day.
MAX_PATIENTS = 20_000
MAX_ACTS_PER_YEAR = 60_000
_MAXIMA = {"patients_mt": MAX_PATIENTS, "file_active": MAX_PATIENTS, "patientele_initiale": MAX_PATIENTS,
           "objectif_patients": MAX_PATIENTS, "actes": MAX_ACTS_PER_YEAR}
DAYS_IN = {"annee": 366, "semestre": 184}  # the most days a period can hold (a leap year, July–December)
# An objective in % of growth: from a tolerated 10 % drop (doctors aged 65 or over, convention 2024) to +100 %.
OBJECTIVE_PCT_RANGE = (-10.0, 100.0)
# A year of installation before 1950 would make a doctor still working past 95; after the period observed, the doctor
# was not installed yet: neither is kept.
FIRST_INSTALLATION_YEAR = 1950
_HAS_YEAR = re.compile(r"\d{4}")
_HALVES = {"1": 1, "s1": 1, "h1": 1, "1er": 1, "1e": 1, "premier": 1, "2": 2, "s2": 2, "h2": 2, "2e": 2, "2eme": 2,
           "second": 2, "deuxieme": 2}


def _cells(raw: RawTable, header_of: dict[str, str], column: str) -> pd.Series:
    header = header_of.get(column)
    if header is None:
        return pd.Series(pd.NA, index=pd.RangeIndex(len(raw.frame)), dtype="string")
    return raw.frame[header].reset_index(drop=True).astype("string")


def _half(text: object) -> int | str | None:
    """The half-year a « Semestre » cell names (1 or 2), the cell itself when it is a whole period (« S1 2023 »),
    None when empty; anything else is returned as written, for the period reader to refuse."""
    if not isinstance(text, str) or not text.strip():
        return None
    words = [w for w in v.fold(v.excel_integer(text.strip()), " ").split() if w not in ("semestre", "sem")]
    if len(words) == 1 and words[0] in _HALVES:
        return _HALVES[words[0]]
    return text


def _period_text(raw: RawTable, header_of: dict[str, str]) -> tuple[pd.Series, str]:
    """The period of each row as one text (« 2023 », « 2023 S1 », or as written) and the raw column it is reported
    on: the « Période » column, else the year completed by the half-year column."""
    written = _cells(raw, header_of, "periode")
    year = _cells(raw, header_of, "annee").str.strip().map(v.excel_integer, na_action="ignore")  # 2023.0 → 2023
    halves = _cells(raw, header_of, "semestre").map(_half, na_action="ignore")
    combined = []
    for y, h in zip(year.to_numpy(dtype=object), halves.to_numpy(dtype=object), strict=True):
        if isinstance(h, str):  # the half-year column holds the whole period (« S1 2023 »), or something unreadable
            combined.append(h if pd.isna(y) or _HAS_YEAR.search(h) else f"{y} {h}")
        elif pd.isna(y):
            combined.append(None)
        else:
            combined.append(y if pd.isna(h) else f"{y} S{h}")
    from_columns = pd.Series(combined, dtype="string")
    if "periode" in header_of:
        return written.fillna(from_columns), "periode"
    return from_columns, "annee" if "annee" in header_of else "semestre"


def _count_reasons(values: pd.Series, column: str, days: pd.Series) -> pd.Series:
    """What rejects a count that was read: negative, not whole, beyond what one doctor does in the period."""
    reasons = np.full(len(values), None, dtype=object)
    number = values.astype("Float64")
    negative = (number < 0).fillna(False).to_numpy(dtype=bool)
    not_whole = (column in _WHOLE) & (number % 1 != 0).fillna(False).to_numpy(dtype=bool)
    limit = days if column == "jours_travailles" else pd.Series(_MAXIMA.get(column, np.inf), index=values.index)
    too_many = (number > limit).fillna(False).to_numpy(dtype=bool)
    reasons[too_many] = "jours_invraisemblables" if column == "jours_travailles" else "nombre_invraisemblable"
    reasons[not_whole] = "nombre_non_entier"
    reasons[negative] = "nombre_negatif"
    return pd.Series(reasons, index=values.index, dtype="string")


def _period_columns(labels: pd.Series) -> pd.DataFrame:
    """Year, half-year (missing for a whole year), kind, first and last day of each canonical period label."""
    year = pd.to_numeric(labels.str.slice(0, 4), errors="coerce").astype("Int64")
    half = pd.to_numeric(labels.str.extract(r"-S([12])$", expand=False), errors="coerce").astype("Int64")
    second_half = half.eq(2).fillna(False)
    start = _first_days(year, pd.Series(np.where(second_half, 7, 1), index=labels.index))
    # the day before the next period starts: 1 January of the next year, or 1 July after a first half-year
    next_start = _first_days(year + (~half.eq(1).fillna(False)).astype("Int64"),
                             pd.Series(np.where(half.eq(1).fillna(False), 7, 1), index=labels.index))
    end = next_start - pd.Timedelta(days=1)
    return pd.DataFrame(
        {
            "type_periode": pd.Series(np.where(half.isna(), "annee", "semestre"), index=labels.index,
                                      dtype="string").where(labels.notna()),
            "annee": year,
            "semestre": half,
            "debut_periode": start.astype("datetime64[ns]"),
            "fin_periode": end.astype("datetime64[ns]"),
        },
        index=labels.index,
    )


def _first_days(year: pd.Series, month: pd.Series) -> pd.Series:
    parts = pd.DataFrame({"year": year.astype("float64"), "month": month.astype("float64"), "day": 1.0})
    return pd.to_datetime(parts, errors="coerce")


def normalise(raw: RawTable, header_of: dict[str, str]) -> StepResult:
    """One activity table: doctor, period and counts checked (each bad value rejects its row), commitment read."""
    problems, warnings = [], []
    doctors = v.normalise_rpps(_cells(raw, header_of, "medecin_id"), required=True)
    problems.append(problems_from_reasons(doctors["reason"], "medecin_id"))

    period_text, period_column = _period_text(raw, header_of)
    periods = v.normalise_periods(period_text, required=True)
    problems.append(problems_from_reasons(periods["reason"], period_column))
    frame = pd.concat([pd.DataFrame({"medecin_id": doctors["value"], "periode": periods["value"]}),
                       _period_columns(periods["value"])], axis=1)
    days_in_period = frame["type_periode"].map(DAYS_IN).astype("Float64")

    for column in COUNTS:
        found = v.normalise_numbers(_cells(raw, header_of, column))
        frame[column] = found["value"]
        problems.append(problems_from_reasons(found["reason"].fillna(_count_reasons(found["value"], column,
                                                                                     days_in_period)), column))
        warnings.append(_not_significant(found, column))
    measured = frame[list(COUNTS)].notna().any(axis=1).to_numpy()
    empty_row = pd.Series(np.where(measured, None, "activite_vide"), dtype="string")
    first_count = next((c for c in COUNTS if c in header_of), "medecin_id")
    problems.append(problems_from_reasons(empty_row, first_count))

    for column in COMMITMENT:
        found = v.normalise_numbers(_cells(raw, header_of, column))
        unreadable = found["reason"].fillna(_commitment_reasons(found["value"], column))
        frame[column] = found["value"].mask(unreadable.notna())
        warnings.append(_warnings(unreadable.where(unreadable.isna(), "engagement_illisible"), column))
        warnings.append(_not_significant(found, column))

    doctor, doctor_warnings = _doctor(raw, header_of, frame["annee"])
    frame = pd.concat([frame, doctor], axis=1)
    warnings.extend(doctor_warnings)

    required = {"medecin_id", "periode", "annee", "semestre", *COUNTS}
    problem_table, warning_table, erroneous = spreadsheet_errors(
        raw, header_of, required, pd.concat(problems, ignore_index=True), pd.concat(warnings, ignore_index=True),
        _warnings,
    )
    for column, cells in erroneous.items():
        if column == "specialite":
            frame[column] = frame[column].mask(cells, UNRECOGNISED[column])
        elif column in (*COMMITMENT, *DOCTOR):
            frame[column] = frame[column].mask(cells)  # a département in error was not read: no region either
    frame["actes_par_jour"] = actes_par_jour(frame)
    frame[KEY] = frame["medecin_id"] + "|" + frame["periode"]
    frame["periode_source"] = period_column  # the raw column a rule on the period is reported on
    return StepResult(frame=frame[[*COLUMNS, KEY, "periode_source"]], problems=problem_table, warnings=warning_table)


# What a warning on who the doctor is says: the row is kept, and what to write instead.
_KEPT = {
    "departement": "ligne d'activité gardée sans département ; écrire le code du département d'exercice (59, 2A, "
    "971) ou son nom",
    "specialite": "ligne d'activité gardée avec la spécialité « non reconnue » ; écrire par exemple « Médecine "
    "générale » ou un code de spécialité de l'Assurance Maladie",
}


def _doctor(raw: RawTable, header_of: dict[str, str], period_year: pd.Series
            ) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Département (COG code, with its region), specialty and year of installation of each row, read by the
    contracts' normalisers; a value not read is warned and left empty (the specialty takes the contracts' explicit
    unknown category), never guessed."""
    warnings = []
    places = normalise_departements(_cells(raw, header_of, "departement"))
    unread = places["reason"].where(places["reason"] != v.MISSING)
    warnings.append(_warnings(unread, "departement", places["message"] + " : " + _KEPT["departement"]))
    specialties = v.normalise_specialites(_cells(raw, header_of, "specialite"))
    labels = specialties["reason"].map(WARNING_REASONS, na_action="ignore").astype("string").str.split(" :").str[0]
    warnings.append(_warnings(specialties["reason"], "specialite", labels + " : " + _KEPT["specialite"]))
    years = v.normalise_years(_cells(raw, header_of, "annee_installation"),
                              plausible=(FIRST_INSTALLATION_YEAR, v.PLAUSIBLE_PERIOD_YEARS[1]))
    after_period = (years["value"] > period_year).fillna(False).to_numpy(dtype=bool)
    reasons = years["reason"].mask(after_period, "annee_invraisemblable")
    warnings.append(_warnings(reasons, "annee_installation"))
    frame = pd.DataFrame({
        "departement": places["code"].astype("string"),
        "region": region_of_departements(places["code"].astype("string")),
        "specialite": specialties["value"].mask(specialties["reason"].notna(), UNRECOGNISED["specialite"]),
        "annee_installation": years["value"].mask(after_period),
    })
    return frame, warnings


def actes_par_jour(frame: pd.DataFrame) -> pd.Series:
    """Acts per working day, the published measure of the commitment (missing without working days)."""
    days = frame["jours_travailles"].astype("Float64")
    return (frame["actes"].astype("Float64") / days.where(days > 0)).round(2)


def _commitment_reasons(values: pd.Series, column: str) -> pd.Series:
    if column == "objectif_pct":
        low, high = OBJECTIVE_PCT_RANGE
        outside = (~values.between(low, high)).fillna(False).to_numpy(dtype=bool)
        return pd.Series(np.where(outside, "engagement_illisible", None), index=values.index, dtype="string")
    return _count_reasons(values, column, pd.Series(np.inf, index=values.index))



def _warnings(reasons: pd.Series, column: str, messages: pd.Series | None = None) -> pd.DataFrame:
    """Warnings where a descriptive value was not kept (its message says the row is kept)."""
    found = problems_from_reasons(reasons, column, messages)
    if found.empty:
        return found
    return found.assign(message=found["message"].fillna(found["reason"].map(WARNING_REASONS).astype("string")))


def _not_significant(found: pd.DataFrame, column: str) -> pd.DataFrame:
    flagged = found["non_significatif"].to_numpy(dtype=bool)
    return _warnings(pd.Series(np.where(flagged, "valeur_non_significative", None), dtype="string"), column)


def duplicates(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return exact_and_conflicting_duplicates(frame, KEY, COLUMNS)


def validate(frame: pd.DataFrame, cutoff: date) -> pd.DataFrame:
    """A period that starts after the cut-off cannot have been observed yet."""
    if frame.empty:
        return empty_problems()
    future = (frame["debut_periode"] > pd.Timestamp(cutoff)).fillna(False).to_numpy(dtype=bool)
    found = problems_from_reasons(pd.Series(np.where(future, "periode_future", None), index=frame.index,
                                            dtype="string"), "periode")
    if found.empty:
        return found
    return found.assign(column=frame.loc[found["row"].astype(int).to_numpy(), "periode_source"].to_numpy())


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole counts as integers, in the order of doctors and periods."""
    whole = {column: frame[column].round().astype("Int64") for column in (*_WHOLE, "annee_installation")}
    return (
        frame.drop(columns=[KEY, "periode_source"])
        .assign(**whole, jours_travailles=frame["jours_travailles"].astype("Float64"))
        .sort_values(["medecin_id", "debut_periode", "type_periode"], kind="stable")
        .reset_index(drop=True)
    )


def pseudonymise(frame: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """Replace RPPS numbers by the contracts' keyed pseudonym: the activity joins the contracts by doctor, and no
    clear identifier reaches the processed folder."""
    return frame.assign(medecin_id=privacy.pseudonymise(frame["medecin_id"], key))
