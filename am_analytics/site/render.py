"""Pages of the site as HTML: Jinja templates shipped in the package, every text escaped (autoescaping), relative
links only, the synthetic banner on every page. Tables carry what the browser needs to sort them (each column's
kind); the sorting and the region chooser are `static/site.js`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from am_analytics.figures.formatting import format_date
from am_analytics.presentation.tables import PublishedTable
from am_analytics.site.model import FigureItem, LinkItem, Page, RunTable, TableItem, TextItem
from am_analytics.vocabulary import SYNTHETIC_MENTION, SYNTHETIC_WARNING

SITE_TITLE = "Assistants médicaux — tableaux de bord"
ASSETS_DIR = "assets"
STATIC_FILES = ("site.css", "site.js")
LONG_TABLE = 25  # rows beyond which a table starts folded (its caption, notes, source and download stay visible)


@dataclass(frozen=True)
class NavLink:
    href: str
    label: str


@dataclass(frozen=True)
class Navigation:
    """Every page's header: the national pages, a chooser of regions and one of backgrounds."""

    national: list[NavLink] = field(default_factory=list)
    regions: list[NavLink] = field(default_factory=list)
    backgrounds: list[NavLink] = field(default_factory=list)


@dataclass(frozen=True)
class SiteInfo:
    """What every page says of the run: its counting date, whether the data is synthetic, when it was produced."""

    as_of: object
    synthetic: bool
    generated: str
    nav: Navigation
    # the footer's word on small counts: the package's masking, or (open data alone) the producer's own NS rule
    disclosure: str = "Les tableaux masquent les effectifs de 1 à 4 (secret statistique)."

    @property
    def day(self) -> str:
        return format_date(self.as_of)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("am_analytics.site", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        SITE_TITLE=SITE_TITLE,
        SYNTHETIC_MENTION=SYNTHETIC_MENTION,
        SYNTHETIC_WARNING=SYNTHETIC_WARNING,
        ASSETS=ASSETS_DIR,
        is_figure=lambda item: isinstance(item, FigureItem),
        is_table=lambda item: isinstance(item, TableItem),
        is_text=lambda item: isinstance(item, TextItem),
        is_link=lambda item: isinstance(item, LinkItem),
        is_run_table=lambda item: isinstance(item, RunTable),
    )
    env.filters["table"] = lambda item: Markup(table_html(item))
    return env


def _date_key(value: object) -> str:
    try:
        return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()
    except (TypeError, ValueError):
        return ""


def table_html(item: TableItem) -> str:
    """A published table as a sortable HTML table with its caption, notes, source line and CSV download."""
    return environment().get_template("table.html").render(
        item=item, table=item.table, rows=_rows(item.table), headers=item.table.columns, long_table=LONG_TABLE)


def _rows(table: PublishedTable) -> list[list[dict]]:
    """Each cell's text as shown and, for dates, an ISO key to sort by (the date shown, nothing more)."""
    rows = []
    for position, texts in enumerate(table.formatted_rows()):
        cells = []
        for column, text in zip(table.columns, texts, strict=True):
            cell = {"text": text, "numeric": column.kind != "text", "sort": None}
            if column.kind == "date" and not table.is_masked(position, column.key):
                cell["sort"] = _date_key(table.frame[column.key].iloc[position])
            cells.append(cell)
        rows.append(cells)
    return rows


def render_page(page: Page, info: SiteInfo, *, stem: str) -> str:
    return environment().get_template("page.html").render(page=page, info=info, stem=stem)


def render_error(title: str, info: SiteInfo, *, stem: str, what: str, step: str | None, exception: str,
                 message: str, details: list[tuple[str, str]] = (), root: str = "") -> str:
    """A French page for an output that failed: what failed, at which step, the exception and its message (first
    lines only: no traceback)."""
    lines = [line for line in (message or "").splitlines() if line.strip()][:6]
    return environment().get_template("error.html").render(
        title=title, info=info, stem=stem, what=what, step=step, exception=exception, message_lines=lines,
        details=list(details), root=root)


def render_index(info: SiteInfo, **context) -> str:
    return environment().get_template("index.html").render(info=info, stem="index", **context)


def render_notebook(title: str, body: str, info: SiteInfo, *, stem: str, ipynb: str | None) -> str:
    """An executed notebook's outputs (nbconvert's basic HTML, no code) inside the site's page."""
    return environment().get_template("notebook.html").render(
        title=title, body=Markup(body), info=info, stem=stem, ipynb=ipynb, root="../")


def static_files() -> dict[str, bytes]:
    """The site's CSS and JavaScript, shipped in the package (no CDN)."""
    from importlib.resources import files

    folder = files("am_analytics.site") / "static"
    return {name: (folder / name).read_bytes() for name in STATIC_FILES}
