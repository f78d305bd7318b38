"""Files of one page: its figures as SVG and its tables as CSV, written atomically under the site's folder, and the
step the page is at (a failure names it)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from matplotlib.figure import Figure

from am_analytics import atomic
from am_analytics.figures.contract import figure_bytes
from am_analytics.presentation.tables import PublishedTable
from am_analytics.site.model import FigureItem, TableItem

FIGURES_DIR = "figures"
DATA_DIR = "donnees"
# Text a spreadsheet would run as a formula (or a DDE command) is neutralised with a leading quote, as in the
# report's workbook; numbers written in French (« -1,5 % ») are text to a CSV reader and stay as shown.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"^[-+]?\d")


def csv_cell(text: str, kind: str) -> str:
    """A cell as the CSV writes it: as shown, except text that a spreadsheet would run as a formula."""
    if kind == "text" and text.startswith(_FORMULA_STARTS) and not _NUMBER_LIKE.match(text):
        return "'" + text
    return text


def table_csv(table: PublishedTable) -> bytes:
    """A published table as French Excel opens it: UTF-8 with BOM, `;` between cells, the headers and the cells as
    the page shows them (hidden cells as their symbol), then a blank line, the notes and the source line (with the
    synthetic mention when the data is synthetic)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.header for column in table.columns])
    kinds = [column.kind for column in table.columns]
    for row in table.formatted_rows():
        writer.writerow([csv_cell(text, kind) for text, kind in zip(row, kinds, strict=True)])
    writer.writerow([])
    writer.writerow([table.title])
    for note in table.notes:
        writer.writerow([note])
    writer.writerow([f"{table.source_line}."])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def slug(text: str) -> str:
    """A file-name part from a name: lower-case ASCII letters, digits and hyphens."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "x"


class PageWriter:
    """Writes one page's figures and tables under `root` and remembers the step being built."""

    def __init__(self, root: Path, stem: str):
        self.root = root
        self.stem = stem
        self.current_step = "préparation de la page"
        self._names: set[str] = set()

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Name what is being built, so that a failure says where it happened (« carte des départements »)."""
        previous, self.current_step = self.current_step, label
        yield
        self.current_step = previous

    def _unique(self, name: str) -> str:
        base, number = slug(name), 1
        candidate = base
        while candidate in self._names:
            number += 1
            candidate = f"{base}-{number}"
        self._names.add(candidate)
        return candidate

    def figure(self, name: str, fig: Figure, alt: str | None = None) -> FigureItem:
        """Write a finished figure as `figures/<stem>_<name>.svg` (deterministic SVG, figure contract checked)."""
        path = f"{FIGURES_DIR}/{self.stem}_{self._unique(name)}.svg"
        atomic.write_bytes(self.root / path, figure_bytes(fig, "svg"))
        return FigureItem(path=path, alt=alt or figure_alt(fig))

    def table(self, name: str, table: PublishedTable) -> TableItem:
        """Write a published table's CSV as `donnees/<stem>_<name>.csv` and return the page's table."""
        ident = self._unique(name)
        path = f"{DATA_DIR}/{self.stem}_{ident}.csv"
        atomic.write_bytes(self.root / path, table_csv(table))
        return TableItem(table=table, ident=f"tableau-{ident}", csv=path)


def figure_alt(fig: Figure) -> str:
    """A figure's text alternative: its title, and where its figures can be read as text."""
    title = " ".join(fig.get_suptitle().split())
    return f"{title}. Les valeurs sont reprises dans les tableaux de la page." if title else "Graphique"
