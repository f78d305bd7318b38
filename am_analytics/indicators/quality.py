"""Data quality: a preparation's manifest, warnings and change log as French-labelled tables (rows read, kept,
updated, merged, warned, quarantined per file; quarantine and warning reasons; columns changed by updates)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from am_analytics.indicators.common import data_source, labelled
from am_analytics.vocabulary import CHANGED_COLUMN_LABELS, REASONS, WARNING_REASONS

TOTAL_LABEL = "Total"
_COUNTS = {
    "rows_read": "lignes_lues",
    "rows_kept": "lignes_conservees",
    "rows_updated": "lignes_mises_a_jour",
    "rows_merged": "doublons_fusionnes",
    "rows_quarantined": "lignes_en_quarantaine",
    "rows_warned": "lignes_avec_avertissement",
}
# The balance every preparation satisfies (warned rows are among these, not beside them).
_BALANCE = ("lignes_conservees", "lignes_mises_a_jour", "doublons_fusionnes", "lignes_en_quarantaine")


def _sources(manifest: Mapping[str, Any]) -> list[str]:
    synthetic = bool(manifest.get("synthetic")) or any(item.get("synthetic") for item in manifest.get("files", []))
    return [data_source(synthetic)]


def file_quality(manifest: Mapping[str, Any]) -> pd.DataFrame:
    """One row per input file and a final `Total` row: rows read, kept, updated (older versions a later
    extract replaced), merged (exact duplicates), quarantined, warned (rows with a warning on a descriptive
    field, kept or not), the quarantined share of rows read, and `equilibre` (read = kept + updated + merged
    + quarantined, the accounting every preparation must satisfy)."""
    rows = []
    for item in manifest.get("files", []):
        row = {"fichier": item["file"], "jeu_de_donnees": item.get("dataset")}
        row.update({french: int(item.get(key, 0) or 0) for key, french in _COUNTS.items()})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["fichier", "jeu_de_donnees", *_COUNTS.values()])
    total = {"fichier": TOTAL_LABEL, "jeu_de_donnees": None, **{c: int(frame[c].sum()) for c in _COUNTS.values()}}
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    for column in _COUNTS.values():
        frame[column] = frame[column].astype("Int64")
    read = frame["lignes_lues"].astype("Float64")
    frame["part_quarantaine"] = (frame["lignes_en_quarantaine"] / read.where(read > 0)).astype("Float64")
    frame["equilibre"] = frame["lignes_lues"] == frame[list(_BALANCE)].sum(axis="columns")
    frame["fichier"] = frame["fichier"].astype("string")
    frame["jeu_de_donnees"] = frame["jeu_de_donnees"].astype("string")
    return labelled(frame, as_of=None, sources=_sources(manifest))


def quarantine_reasons(manifest: Mapping[str, Any]) -> pd.DataFrame:
    """One row per quarantine reason over all files, most frequent first: code, French label
    (`vocabulary.REASONS`, the code itself for a reason the vocabulary does not know), quarantined rows
    having it, their share of all quarantined rows, and the files concerned. A row with several reasons
    counts once under each (as in the manifest), so the shares may add up to more than 1."""
    counts: dict[str, int] = {}
    files: dict[str, list[str]] = {}
    for item in manifest.get("files", []):
        for reason, count in (item.get("quarantine_reasons") or {}).items():
            counts[reason] = counts.get(reason, 0) + int(count)
            files.setdefault(reason, []).append(item["file"])
    total = sum(int(item.get("rows_quarantined", 0) or 0) for item in manifest.get("files", []))
    rows = [
        {
            "raison": reason,
            "libelle": REASONS.get(reason, reason),
            "lignes": count,
            "part_lignes_en_quarantaine": count / total if total else None,
            "fichiers": ", ".join(files[reason]),
        }
        for reason, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    ]
    frame = pd.DataFrame(rows, columns=["raison", "libelle", "lignes", "part_lignes_en_quarantaine", "fichiers"])
    frame["lignes"] = frame["lignes"].astype("Int64")
    frame["part_lignes_en_quarantaine"] = frame["part_lignes_en_quarantaine"].astype("Float64")
    for column in ("raison", "libelle", "fichiers"):
        frame[column] = frame[column].astype("string")
    return labelled(frame, as_of=None, sources=_sources(manifest))


def _synthetic_frame(frame: pd.DataFrame) -> bool:
    return bool(frame.attrs.get("synthetic", False))


def warning_reasons(warnings: pd.DataFrame) -> pd.DataFrame:
    """One row per file and warning reason, most frequent first: file, sheet, reason code, French label
    (`vocabulary.WARNING_REASONS`), column as written, warnings, distinct rows concerned, and up to three
    values as written (an example of what to correct)."""
    columns = ["fichier", "feuille", "raison", "libelle", "colonne", "avertissements", "lignes", "exemples"]
    if warnings.empty:
        frame = pd.DataFrame({c: pd.Series(dtype="Int64" if c in ("avertissements", "lignes") else "string")
                              for c in columns})
        return labelled(frame, as_of=None, sources=[data_source(_synthetic_frame(warnings))])
    keys = ["file", "sheet", "reason", "column"]
    grouped = warnings.assign(sheet=warnings["sheet"].fillna(""), column=warnings["column"].fillna("")).groupby(
        keys, sort=False, dropna=False
    )
    rows = []
    for (file, sheet, reason, column), group in grouped:
        examples = [str(v) for v in group["value"].dropna().unique()[:3]]
        rows.append(
            {
                "fichier": file,
                "feuille": sheet or None,
                "raison": reason,
                "libelle": WARNING_REASONS.get(reason, REASONS.get(reason, reason)),
                "colonne": column or None,
                "avertissements": len(group),
                "lignes": int(group["line"].dropna().nunique()),
                "exemples": " ; ".join(f"« {e} »" for e in examples) or None,
            }
        )
    frame = pd.DataFrame(rows, columns=columns).sort_values(
        ["avertissements", "fichier", "raison"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
    frame = frame.astype({c: ("Int64" if c in ("avertissements", "lignes") else "string") for c in columns})
    return labelled(frame, as_of=None, sources=[data_source(_synthetic_frame(warnings))])


def warning_details(warnings: pd.DataFrame) -> pd.DataFrame:
    """The warnings themselves in French: file, sheet, line, column, value as written, label, closest
    accepted values (what a user opens the file to correct)."""
    renamed = {
        "file": "fichier", "sheet": "feuille", "line": "ligne", "column": "colonne", "value": "valeur",
        "message": "motif", "suggestions": "valeurs_acceptees_proches",
    }
    frame = warnings.reindex(columns=list(renamed)).rename(columns=renamed).reset_index(drop=True)
    return labelled(frame, as_of=None, sources=[data_source(_synthetic_frame(warnings))])


def changes_by_column(changes: pd.DataFrame) -> pd.DataFrame:
    """One row per column that later extracts changed, most changed first: column code, French label,
    changes and distinct contracts concerned, and the files the changes came from. An avenant's own lines (a
    change in force from a date, not a correction of an earlier extract) are not counted here."""
    columns = ["colonne", "libelle", "changements", "contrats", "fichiers"]
    if "effective_date" in changes:
        changes = changes[changes["effective_date"].isna().to_numpy(dtype=bool)]
    if changes.empty:
        frame = pd.DataFrame({c: pd.Series(dtype="Int64" if c in ("changements", "contrats") else "string")
                              for c in columns})
        return labelled(frame, as_of=None, sources=[data_source(_synthetic_frame(changes))])
    rows = [
        {
            "colonne": column,
            "libelle": CHANGED_COLUMN_LABELS.get(column, column),
            "changements": len(group),
            "contrats": int(group["contract_key"].nunique()),
            "fichiers": ", ".join(dict.fromkeys(group["new_file"].dropna())),
        }
        for column, group in changes.groupby("column", sort=False)
    ]
    frame = pd.DataFrame(rows, columns=columns).sort_values(
        ["changements", "colonne"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    frame = frame.astype({c: ("Int64" if c in ("changements", "contrats") else "string") for c in columns})
    return labelled(frame, as_of=None, sources=[data_source(_synthetic_frame(changes))])


def change_log(changes: pd.DataFrame) -> pd.DataFrame:
    """The change log in French: contract, column label, old and new value, both files and extract dates, and for
    a contract written with its history the act and the date an avenant takes effect."""
    renamed = {
        "contract_key": "contrat", "column": "colonne", "old_value": "ancienne_valeur", "new_value": "nouvelle_valeur",
        "old_file": "ancien_fichier", "new_file": "nouveau_fichier", "old_extract_date": "ancienne_extraction",
        "new_extract_date": "nouvelle_extraction", "act": "acte", "effective_date": "date_effet",
    }
    frame = changes.reindex(columns=list(renamed)).rename(columns=renamed).reset_index(drop=True)
    frame["colonne"] = frame["colonne"].map(lambda c: CHANGED_COLUMN_LABELS.get(c, c) if isinstance(c, str) else c)
    frame["colonne"] = frame["colonne"].astype("string")
    return labelled(frame, as_of=None, sources=[data_source(_synthetic_frame(changes))])
