"""Files of one page: its figures as SVG and its tables as CSV, written atomically under the site's folder, and the
step the page is at (a failure names it)."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from matplotlib.figure import Figure

from am_analytics import atomic
from am_analytics.figures.contract import figure_bytes
from am_analytics.figures.formatting import format_number
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

    # the French inclusive dot (« Infirmier·ère ») separates words, like a space
    plain = unicodedata.normalize("NFKD", text.replace("·", " ")).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "x"


# The smallest chart text a phone reader gets, in CSS pixels (issue 22: « at least 12 px on a 390 px screen »).
LEGIBLE_PX = 12.0
_SVG_WIDTH = re.compile(rb'<svg[^>]*?viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"')
_SVG_FONT = re.compile(rb"font-size: ?([\d.]+)px")


def legible_width(svg: bytes, smallest_px: float = LEGIBLE_PX) -> int:
    """The narrowest width, in CSS pixels, at which every text of a matplotlib SVG is at least `smallest_px` high
    once the browser scales the drawing to that width (its font sizes are in the drawing's own units)."""
    width, sizes = _SVG_WIDTH.search(svg), [float(size) for size in _SVG_FONT.findall(svg)]
    if not width or not sizes:
        return 0
    return math.ceil(float(width.group(1)) * smallest_px / min(sizes))


def csv_name(territory: str, subject: str) -> str:
    """A download's file name that says what it holds: the territory's (or topic's) name and the table's subject,
    both as slugs (`mayotte_contrats-signes-par-mois.csv`); stable from one run to the next."""
    return f"{slug(territory)}_{slug(subject)}.csv"


def size_text(size: int) -> str:
    """A file's size as a French reader reads it: « 812 octets », « 2,4 Ko », « 1,3 Mo »."""
    if size < 1000:
        return f"{size} octets"
    if size < 1_000_000:
        return f"{format_number(size / 1000, 1)} Ko"
    return f"{format_number(size / 1_000_000, 1)} Mo"


class PageWriter:
    """Writes one page's figures and tables under `root` and remembers the step being built. `territory` names
    its CSV files (the region's, the background's or the topic's name; see `csv_name`)."""

    def __init__(self, root: Path, stem: str, territory: str | None = None):
        self.root = root
        self.stem = stem
        self.territory = territory or stem
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

    def figure(self, name: str, fig: Figure, values: str) -> FigureItem:
        """Write a finished figure as `figures/<stem>_<name>.svg` (deterministic SVG, figure contract checked).
        Its text alternative is its title then `values`, the finding in published values (`site.alt`)."""
        path = f"{FIGURES_DIR}/{self.stem}_{self._unique(name)}.svg"
        data = figure_bytes(fig, "svg")
        atomic.write_bytes(self.root / path, data)
        return FigureItem(path=path, alt=figure_alt(fig, values), legible_px=legible_width(data),
                          title=figure_title(fig))

    def table(self, subject: str, table: PublishedTable) -> TableItem:
        """Write a published table's CSV as `donnees/<territory>_<subject>.csv` (see `csv_name`) and return the
        page's table, with the download's size."""
        ident = self._unique(subject)
        path = f"{DATA_DIR}/{csv_name(self.territory, ident)}"
        data = table_csv(table)
        atomic.write_bytes(self.root / path, data)
        return TableItem(table=table, ident=f"tableau-{ident}", csv=path, size=size_text(len(data)))


def figure_alt(fig: Figure, values: str) -> str:
    """A chart's text alternative: its title on one line, then what it shows in values (« … : 453 contrats signés
    depuis septembre 2019 au 30 juin 2025 ; 402 contrats actifs au 30 juin 2025. »)."""
    return f"{figure_title(fig)} : {values}"


def figure_title(fig: Figure) -> str:
    """A chart's title on one line (its image's short text alternative)."""
    return " ".join(fig.get_suptitle().split()) or "Graphique"
