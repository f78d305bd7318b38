"""Which worksheets of a workbook hold a dataset's rows, and why the others are skipped.

Real workbooks put one sheet per year or per caisse, a notice or a dictionary of variables in front, a pivot
table behind. Every sheet is examined: each whose header matches a dataset is read; sheets without data are
skipped with the reason; a sheet that looks like data but matches nothing is reported, never dropped quietly.
"""

from __future__ import annotations

from dataclasses import dataclass

from am_analytics.ingest.headers import DATASETS, alias_lookup, detect_dataset, normalise_label
from am_analytics.ingest.read import RawTable, SheetRead
from am_analytics.text import fold

# Labels Excel writes in pivot tables ("Étiquettes de lignes", "Total général", "Somme de Montant").
_PIVOT_MARKS = ("etiquettes de lignes", "etiquettes de colonnes", "total general", "somme de ", "nombre de ")
# Sheet names that announce notes rather than data (checked only when the content says nothing).
_NOTE_NAMES = ("notice", "lisez", "readme", "lire", "dictionnaire", "definition", "source", "methode", "aide")
# A table needs this many columns and rows to look like data.
_DATA_MIN_COLUMNS = 3
_DATA_MIN_ROWS = 2


@dataclass(frozen=True)
class SheetVerdict:
    """What to do with one sheet: read it as `dataset`, or skip it for `reason` (French).

    `looks_like_data` marks a skipped sheet that holds a table matching no dataset: it is reported as a
    warning, since rows may be missing from the counts."""

    sheet: str
    dataset: str | None
    table: RawTable | None
    reason: str | None = None
    looks_like_data: bool = False

    def as_skipped(self) -> dict[str, object]:
        return {"sheet": self.sheet, "reason": self.reason, "looks_like_data": self.looks_like_data}


def classify(read: SheetRead) -> SheetVerdict:
    """Read it, or skip it with a reason: hidden, empty, notice, dictionary, pivot table, or unrecognised data."""
    table = read.table
    if table is None:
        return SheetVerdict(read.name, None, None, f"pas de tableau ({read.problem})")
    columns = [str(c) for c in table.frame.columns]
    dataset = detect_dataset(columns)
    if dataset is not None:
        if not read.visible:
            # A hidden sheet with a dataset's header is an old copy or a working sheet as often as data: it is
            # not read, and said so, so that a user who meant it can unhide it.
            return SheetVerdict(read.name, None, table, "feuille masquée (non lue) aux en-têtes de données",
                                looks_like_data=True)
        return SheetVerdict(read.name, dataset, table)
    if _is_pivot(table):
        return SheetVerdict(read.name, None, table, "tableau croisé dynamique")
    if _is_dictionary(table):
        return SheetVerdict(read.name, None, table, "dictionnaire des variables")
    filled_columns = int(table.frame.notna().any().sum())
    if filled_columns < _DATA_MIN_COLUMNS or len(table.frame) < _DATA_MIN_ROWS:
        kind = "notice" if any(mark in fold(read.name) for mark in _NOTE_NAMES) or filled_columns <= 2 else "note"
        return SheetVerdict(read.name, None, table, f"{kind} sans données")
    hidden = "" if read.visible else "masquée, "
    return SheetVerdict(
        read.name, None, table, f"feuille {hidden}aux colonnes non reconnues ({_listed(columns)})", looks_like_data=True
    )


def _is_pivot(table: RawTable) -> bool:
    cells = [fold(str(c)) + " " for c in table.frame.columns]
    first = table.frame.iloc[:, 0].dropna().astype(str).head(200) if table.frame.shape[1] else []
    cells += [fold(v) + " " for v in first]
    return any(cell.startswith(_PIVOT_MARKS) for cell in cells)


def _is_dictionary(table: RawTable) -> bool:
    """A sheet listing variables: its first column holds at least three headers of one dataset."""
    if not table.frame.shape[1]:
        return False
    names = {normalise_label(str(v)) for v in table.frame.iloc[:, 0].dropna()}
    return any(len(names & set(alias_lookup(dataset))) >= 3 for dataset in DATASETS)


def _listed(columns: list[str], shown: int = 5) -> str:
    listed = ", ".join(f"« {c} »" for c in columns[:shown])
    return listed + (", …" if len(columns) > shown else "")
