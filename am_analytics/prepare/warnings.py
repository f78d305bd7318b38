"""The warnings table: values of descriptive fields that were not recognised (their row kept), and sheets that
look like data but were not read, each with where it sits, what was written and the closest accepted values.

A warning never rejects a row: it says which value took the explicit unknown category (or stayed empty),
so that the quality indicators, notebook 05 and the report can show what to correct at the source.
"""

from __future__ import annotations

import pandas as pd
from rapidfuzz import fuzz, process

from am_analytics.ingest import values as v
from am_analytics.prepare.quarantine import empty_located, locate
from am_analytics.text import fold
from am_analytics.vocabulary import FORMATIONS, PROFILS, SPECIALITES, WARNING_REASONS, ZONES

WARNING_COLUMNS = [
    "dataset", "file", "sheet", "line", "column", "value", "field", "reason", "message", "suggestions",
]
_LABELS = {"specialite": SPECIALITES, "zone": ZONES, "profil_origine": PROFILS, "formation": FORMATIONS}
_FIXED_SUGGESTIONS = {
    "date_prise_fonction": v.ACCEPTED_DATES,
    "date_extraction": v.ACCEPTED_DATES,
    "aide_versee_eur": "montant en euros de {:,.0f} à {:,.0f} €, écrit 12000 ou 12 000,00".format(
        *v.PLAUSIBLE_AID_EUR
    ).replace(",", "\u202f"),
}
_SUGGESTED = 3


def empty_warnings() -> pd.DataFrame:
    return empty_located(WARNING_COLUMNS)


def locate_warnings(
    found: pd.DataFrame,
    *,
    dataset: str,
    file: str,
    sheet: str | None,
    raw: pd.DataFrame,
    line_numbers: pd.Series,
    header_of: dict[str, str],
) -> pd.DataFrame:
    """Warnings of one table located in its file: header and value as written, line, closest accepted values.

    `found` holds `row` (position in `raw`), canonical `column`, `reason` and `message`."""
    if found.empty:
        return empty_warnings()
    frame = locate(found, dataset=dataset, file=file, sheet=sheet, raw=raw, line_numbers=line_numbers,
                   header_of=header_of, labels=WARNING_REASONS)
    frame["suggestions"] = suggestions(frame["field"], frame["value"])
    return frame[WARNING_COLUMNS].astype({c: "string" for c in WARNING_COLUMNS if c != "line"})


def sheet_warnings(file: str, skipped: list[dict[str, object]], dataset: str | None) -> pd.DataFrame:
    """One warning per skipped sheet that looks like data: its rows are in no count."""
    rows = [
        {
            "dataset": dataset or "",
            "file": file,
            "sheet": item["sheet"],
            "line": pd.NA,
            "column": pd.NA,
            "value": pd.NA,
            "field": pd.NA,
            "reason": "feuille_non_reconnue",
            "message": f"{WARNING_REASONS['feuille_non_reconnue']} : {item['reason']}",
            "suggestions": "intituler les colonnes comme dans la table des alias (README), ou retirer la feuille",
        }
        for item in skipped
        if item.get("looks_like_data")
    ]
    if not rows:
        return empty_warnings()
    return pd.DataFrame(rows, columns=WARNING_COLUMNS).astype(
        {c: ("Int64" if c == "line" else "string") for c in WARNING_COLUMNS}
    )


def file_warnings(file: str, reason: str) -> pd.DataFrame:
    """The warning of a file (or an archive's member) not read at all: its rows are in no count."""
    row = {
        "dataset": "", "file": file, "sheet": pd.NA, "line": pd.NA, "column": pd.NA, "value": pd.NA, "field": pd.NA,
        "reason": "fichier_non_lu", "message": f"{WARNING_REASONS['fichier_non_lu']} : {reason}",
        "suggestions": "déposer le fichier dans un format lu (CSV, XLSX, XLS, ODS, ZIP, GZ), sans mot de passe",
    }
    return pd.DataFrame([row], columns=WARNING_COLUMNS).astype(
        {c: ("Int64" if c == "line" else "string") for c in WARNING_COLUMNS}
    )


def column_warnings(file: str, dropped: list[dict[str, object]], dataset: str | None) -> pd.DataFrame:
    """One warning per column not read whose header resembles a column the file lacks (« Profil antérieur »
    for « Profil d'origine »): its values are in no analysis until the header is renamed."""
    rows = [
        {
            "dataset": dataset or "",
            "file": file,
            "sheet": pd.NA,
            "line": pd.NA,
            "column": item["column"],
            "value": pd.NA,
            "field": item["resembles"],
            "reason": "colonne_non_reconnue",
            "message": f"{WARNING_REASONS['colonne_non_reconnue']} : « {item['column']} » ressemble à "
            f"« {item['resembles_alias']} »",
            "suggestions": f"renommer l'en-tête « {item['resembles_alias']} » (table des alias dans le README)",
        }
        for item in dropped
        if item.get("resembles")
    ]
    if not rows:
        return empty_warnings()
    return pd.DataFrame(rows, columns=WARNING_COLUMNS).astype(
        {c: ("Int64" if c == "line" else "string") for c in WARNING_COLUMNS}
    )


def suggestions(fields: pd.Series, written: pd.Series) -> pd.Series:
    """The closest accepted values of each (field, value), computed once per distinct pair."""
    pairs = pd.DataFrame({"field": fields.astype("string"), "value": written.astype("string")})
    distinct = pairs.drop_duplicates()
    found = {
        (field, value): _closest(field, value)
        for field, value in distinct.itertuples(index=False)
    }
    return pd.Series(
        [found[(f, w)] for f, w in pairs.itertuples(index=False)], index=fields.index, dtype="string"
    )


def _closest(field: object, value: object) -> str | None:
    if not isinstance(field, str):
        return None
    if field in _FIXED_SUGGESTIONS:
        return _FIXED_SUGGESTIONS[field]
    labels = _LABELS.get(field)
    if labels is None:
        return None
    spellings = v.accepted_spellings(field)
    if not isinstance(value, str) or not value.strip():
        return " ; ".join(list(labels.values())[:_SUGGESTED])
    ranked = process.extract(fold(value), list(spellings), scorer=fuzz.WRatio, limit=12)
    keys: list[str] = []
    for spelling, _, _ in ranked:
        key = spellings[spelling]
        if key in labels and key not in keys:
            keys.append(key)
        if len(keys) == _SUGGESTED:
            break
    return " ; ".join(labels[k] for k in keys)
