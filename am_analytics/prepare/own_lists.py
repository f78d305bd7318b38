"""The analyst's own reference lists in the raw folder: a CSV (or workbook) of general-practitioner counts by
département, or of training sites, recognised by its headers (`ingest.headers.OWN_LISTS`) and read with
`reference.own`'s readers. Rows kept become a processed table (`own_generalists`, `own_training_sites`) that every
output uses through `presentation.registry.Inputs`; rows rejected go to the quarantine with their line and reason,
and the file's account balances like any other (rows read = kept + quarantined).

A file with no usable row, or without a required column, is invalid input (exit 3, nothing written): an analyst who
drops a list means it to be used, and silently falling back to the shipped reference would mislead.
"""

from __future__ import annotations

import logging

import pandas as pd

from am_analytics.errors import DataError, Location
from am_analytics.ingest.archives import Input
from am_analytics.prepare.manifest import FileAccount
from am_analytics.prepare.quarantine import empty_quarantine, reason_counts
from am_analytics.reference import own

log = logging.getLogger(__name__)

READERS = {"own_generalists": own.read_generalist_counts, "own_training_sites": own.read_training_sites}
# what a list's kept rows hold in the processed table: no raw cell of a column the list does not define
KEPT_COLUMNS = {
    "own_generalists": ["departement", "region", "generalistes", "source", "annee", "fichier", "ligne"],
    "own_training_sites": ["organisation", "commune", "departement", "region", "source", "annee", "liste", "fichier",
                           "ligne"],
}


def read_own_list(source: Input, account: FileAccount) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The list's kept rows (canonical columns) and its quarantine; the account's counts filled in."""
    listed = READERS[account.dataset](source.path, sheet=account.sheet)
    rows = listed.rows.reindex(columns=KEPT_COLUMNS[account.dataset])
    quarantine = _quarantine(listed.rejected, account)
    account.rows_read = account.lines_read = len(listed.rows) + len(listed.rejected)
    account.rows_kept = len(listed.rows)
    account.rows_quarantined = len(listed.rejected)
    account.quarantine_reasons = reason_counts(quarantine) if not quarantine.empty else {}
    if listed.ignored_columns:
        log.info("%s : colonnes non lues (%s)", account.file, ", ".join(listed.ignored_columns))
    return rows, quarantine


def _quarantine(rejected: pd.DataFrame, account: FileAccount) -> pd.DataFrame:
    """The rejected rows, located (file, line) with their reason; none of their cells is copied (a list may carry
    columns nobody asked for, a contact's name among them)."""
    if rejected.empty:
        return empty_quarantine()
    frame = pd.DataFrame({
        "dataset": account.dataset, "file": account.file, "sheet": account.sheet,
        "line": pd.array(rejected["ligne"], dtype="Int64"), "column": pd.NA, "value": pd.NA,
        "reason": rejected["motif"], "message": rejected["motif"], "record": pd.NA,
    })
    return frame.astype({column: "string" for column in frame.columns if column != "line"})


def combined_generalists(lists: list[pd.DataFrame]) -> pd.DataFrame:
    """The GP counts of every list dropped; a département counted in two files is refused (which count is right
    cannot be told), naming both files."""
    counts = pd.concat(lists, ignore_index=True)
    repeated = counts[counts.duplicated("departement", keep=False)]
    if not repeated.empty:
        first = repeated[repeated["departement"] == repeated["departement"].iloc[0]]
        files = " et ".join(f"{row.fichier} (ligne {row.ligne})" for row in first.itertuples())
        raise DataError(f"département {first['departement'].iloc[0]} compté dans deux listes de généralistes : "
                        f"{files}", where=Location(file=str(first["fichier"].iloc[0])),
                        hint="garder une seule liste d'effectifs de généralistes par département")
    return counts
