"""The manifest of a preparation: what was read (files, checksums, formats), what was kept, merged or
quarantined and why, with the versions and parameters that produced the outputs.

It is also how staleness is judged: processed outputs are current when the manifest's input checksums,
package version and parameters match the raw folder as it is now.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from am_analytics import __version__
from am_analytics.checksum import sha256_of

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1


@dataclass
class FileAccount:
    """The accounting of one input file: rows read = kept + merged + quarantined."""

    file: str
    dataset: str | None
    sha256: str
    size_bytes: int
    file_format: str | None = None
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    header_rows: int | None = None
    rows_read: int = 0
    rows_kept: int = 0
    rows_merged: int = 0  # exact copies of a row already kept from another file (or earlier line)
    rows_quarantined: int = 0
    total_rows_dropped: int = 0  # "Total"/"France entière" lines, not data
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    synthetic: bool = False
    status: str = "lu"

    def balanced(self) -> bool:
        return self.rows_read == self.rows_kept + self.rows_merged + self.rows_quarantined


def input_fingerprint(files: list[Path], data_dir: Path) -> dict[str, str]:
    """Checksum of every input file (including provenance sidecars), keyed by its path in the folder."""
    return {path.relative_to(data_dir).as_posix(): sha256_of(path) for path in sorted(files)}


def build_manifest(
    accounts: list[FileAccount],
    fingerprint: dict[str, str],
    parameters: dict[str, Any],
    outputs: dict[str, int],
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
    """Per file: rows read, kept, merged, quarantined (the data-quality indicator's input)."""
    rows = [
        {
            "fichier": item["file"],
            "jeu_de_donnees": item["dataset"],
            "lignes_lues": item["rows_read"],
            "lignes_conservees": item["rows_kept"],
            "doublons_fusionnes": item["rows_merged"],
            "lignes_en_quarantaine": item["rows_quarantined"],
            "statut": item["status"],
        }
        for item in manifest["files"]
    ]
    return pd.DataFrame(rows)
