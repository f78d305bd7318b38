"""What a page of the site holds, before it is laid out: sections of figures, tables and sentences, key figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from am_analytics.presentation.keyfigures import KeyFigure
from am_analytics.presentation.tables import PublishedTable


@dataclass(frozen=True)
class FigureItem:
    """A chart or map written as SVG beside the page: `path` relative to the site's root; `alt` its title, finding
    and values (the figure's caption, which the image points to); `title` the chart's own title; `legible_px` the
    width under which its smallest text would fall below 12 px (see `writer`)."""

    path: str
    alt: str
    legible_px: int = 0
    title: str = ""


@dataclass(frozen=True)
class TableItem:
    """A published table shown on the page, sortable, with its CSV download (`csv` relative to the root, `size` as
    the link says it: « 2,4 Ko »)."""

    table: PublishedTable
    ident: str
    csv: str
    size: str = ""


@dataclass(frozen=True)
class TextItem:
    """A sentence computed from the data (a test result) or a caveat (`note`)."""

    text: str
    note: bool = False


@dataclass(frozen=True)
class LinkItem:
    """A link to another output of the run (an executed notebook), with what it leads to."""

    href: str
    label: str
    detail: str = ""


@dataclass(frozen=True)
class RunTable:
    """A table of the run itself (pages and notebooks with their status and duration), for the technical page
    only: not a published result, so no CSV and no disclosure control. `numeric` marks right-aligned columns."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]


@dataclass
class Section:
    title: str
    items: list = field(default_factory=list)


@dataclass
class Page:
    """One page: its title, an introduction, key figures and sections."""

    title: str
    lead: str
    key_figures: list[KeyFigure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def section(self, title: str) -> Section:
        section = Section(title)
        self.sections.append(section)
        return section


@dataclass(frozen=True)
class NotebookRun:
    """One executed notebook as the site links it: its page (results, or the French page of its failure)."""

    title: str
    territory: str
    region: str | None
    ok: bool
    html: str  # relative to the site's root
    ipynb: str | None
    error: str  # French, empty when it succeeded
    duration: str
