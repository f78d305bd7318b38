"""Data quality: a preparation manifest as tables of rows read, kept, merged, quarantined, per file and reason."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from am_analytics.indicators.common import data_source, labelled
from am_analytics.vocabulary import REASONS

TOTAL_LABEL = "Total"
_COUNTS = {
    "rows_read": "lignes_lues",
    "rows_kept": "lignes_conservees",
    "rows_merged": "doublons_fusionnes",
    "rows_quarantined": "lignes_en_quarantaine",
}


def _sources(manifest: Mapping[str, Any]) -> list[str]:
    synthetic = bool(manifest.get("synthetic")) or any(item.get("synthetic") for item in manifest.get("files", []))
    return [data_source(synthetic)]


def file_quality(manifest: Mapping[str, Any]) -> pd.DataFrame:
    """One row per input file and a final `Total` row: rows read, kept, merged (exact duplicates),
    quarantined, the quarantined share of rows read, and `equilibre` (read = kept + merged + quarantined,
    the accounting every preparation must satisfy)."""
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
    frame["equilibre"] = frame["lignes_lues"] == (
        frame["lignes_conservees"] + frame["doublons_fusionnes"] + frame["lignes_en_quarantaine"]
    )
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
