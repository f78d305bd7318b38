"""The manifest of a preparation: what was read (files, sheets, checksums, formats), what was kept, updated,
merged, warned or quarantined and why, which columns were dropped, how extract dates and contract keys were
found, with the versions, parameters and output checksums that produced the outputs.

It is also how staleness and damage are judged: processed outputs are current when the manifest's input
checksums, package version and parameters match the raw folder as it is now, and each output's SHA-256
matches the one recorded when it was written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from am_analytics import __version__
from am_analytics.checksum import sha256_of

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 2


@dataclass
class FileAccount:
    """The accounting of one input file: rows read = kept + updated + merged + quarantined, and every line below
    a header (`lines_read`) = rows read + lines that are no data (`non_data_lines`: notes, repeated headers, totals).

    `rows_updated` are older versions of a contract that a later extract replaced (the change log says what
    changed); `rows_merged` exact copies of a version kept from another file or line; `rows_warned` the rows
    (kept or not) with at least one warning on a descriptive field, not part of the balance."""

    file: str
    dataset: str | None
    sha256: str
    size_bytes: int
    file_format: str | None = None
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None  # the first sheet read (see `sheets_read` for all)
    header_rows: int | None = None
    rows_read: int = 0
    lines_read: int = 0  # lines below the header(s) holding something: rows read and lines that are no data
    rows_kept: int = 0
    rows_updated: int = 0
    rows_merged: int = 0  # exact copies of a row already kept from another file (or earlier line)
    rows_quarantined: int = 0
    rows_warned: int = 0
    total_rows_dropped: int = 0  # "Total"/"France entière" lines, not data
    # lines below the header that are no contract: footnotes, repeated headers, totals, by kind (never in rows_read)
    non_data_lines: dict[str, int] = field(default_factory=dict)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    warning_reasons: dict[str, int] = field(default_factory=dict)
    sheets_read: list[str] = field(default_factory=list)
    sheets_skipped: list[dict[str, Any]] = field(default_factory=list)  # sheet, reason, looks_like_data
    dropped_columns: list[dict[str, Any]] = field(default_factory=list)  # column, likely_identifier, why
    extract_date: str | None = None  # ISO date of the extract, when known for the whole file
    extract_date_source: str | None = None  # "colonne", "nom de fichier" or "ordre des fichiers"
    contract_key: dict[str, Any] | None = None  # columns and the reason they were chosen (contracts only)
    synthetic: bool = False
    status: str = "lu"
    unread_reason: str | None = None  # why a file (or an archive's member) was not read at all

    def balanced(self) -> bool:
        return (
            self.rows_read == self.rows_kept + self.rows_updated + self.rows_merged + self.rows_quarantined
            and self.lines_read == self.rows_read + self.non_data_count()
        )

    def non_data_count(self) -> int:
        return sum(self.non_data_lines.values())


def input_fingerprint(files: list[Path], data_dir: Path) -> dict[str, str]:
    """Checksum of every input file (including provenance sidecars), keyed by its path in the folder."""
    return {path.relative_to(data_dir).as_posix(): sha256_of(path) for path in sorted(files)}


def build_manifest(
    accounts: list[FileAccount],
    fingerprint: dict[str, str],
    parameters: dict[str, Any],
    outputs: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """The manifest as a JSON-ready dict; no clock time in it, so identical inputs give identical bytes."""
    return {
        "format": MANIFEST_FORMAT,
        "package_version": __version__,
        "versions": _versions(),
        "parameters": parameters,
        "inputs": fingerprint,
        "files": [asdict(account) for account in accounts],
        "outputs": outputs,
        "synthetic": any(account.synthetic for account in accounts),
    }


def _versions() -> dict[str, str]:
    import pandera
    import pyarrow

    return {"pandas": pd.__version__, "pyarrow": pyarrow.__version__, "pandera": pandera.__version__}


def accounting_table(manifest: dict[str, Any]) -> pd.DataFrame:
    """Per file: rows read, kept, updated, merged, warned, quarantined (the data-quality indicator's input)."""
    rows = [
        {
            "fichier": item["file"],
            "jeu_de_donnees": item["dataset"],
            "lignes_lues": item["rows_read"],
            "lignes_conservees": item["rows_kept"],
            "lignes_mises_a_jour": item.get("rows_updated", 0),
            "doublons_fusionnes": item["rows_merged"],
            "lignes_avec_avertissement": item.get("rows_warned", 0),
            "lignes_en_quarantaine": item["rows_quarantined"],
            "statut": item["status"],
        }
        for item in manifest["files"]
    ]
    return pd.DataFrame(rows)
