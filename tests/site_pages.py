"""Reading the published site back, as a browser would: its pages' links and images, and each table with its CSV
download (shared by `test_site.py` and `test_site_browser.py`)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag


@dataclass
class Table:
    caption: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    csv: str | None = None
    source: str = ""


class PageReader(HTMLParser):
    """Links, images, tables (caption, headers, cells, CSV link, source line) and paragraphs of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[tuple[str, str | None]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.tables: list[Table] = []
        self.lang: str | None = None
        self._text: list[str] | None = None
        self._table: Table | None = None
        self._row: list[str] | None = None
        self._in: str | None = None
        self._pending_source = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if "download" in attrs and self.tables and self.tables[-1].csv is None:
                self.tables[-1].csv = attrs["href"]
        if tag == "img":
            self.images.append((attrs.get("src", ""), attrs.get("alt")))
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.styles.append(attrs["href"])
        if tag == "table" and "data-triable" in attrs:
            self._table = Table()
        if self._table is not None and tag == "tr":
            self._row = []
        if self._table is not None and tag in ("caption", "th", "td"):
            self._in, self._text = tag, []
        if tag == "p" and attrs.get("class") == "source":
            self._in, self._text, self._pending_source = "source", [], True

    def handle_endtag(self, tag):
        if self._text is not None and tag == {"source": "p"}.get(self._in, self._in):
            text = "".join(self._text).strip()
            if self._in == "caption":
                self._table.caption = text
            elif self._in == "th":
                self._table.headers.append(text)
            elif self._in == "td":
                self._row.append(text)
            elif self._in == "source" and self.tables:
                self.tables[-1].source = text
            self._in, self._text = None, None
        if self._table is not None and tag == "tr" and self._row:
            self._table.rows.append(self._row)
            self._row = None
        if tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def read_page(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def local_target(page: Path, href: str) -> Path | None:
    """The file a relative link of `page` points to (None for an anchor on the same page)."""
    target, _ = urldefrag(href)
    return (page.parent / target).resolve() if target else None


def read_csv(data: bytes) -> tuple[list[str], list[list[str]], list[str]]:
    """A downloaded CSV: its header, its data rows (up to the blank line) and the lines after it."""
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for French Excel"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    blank = rows.index([])
    return rows[0], rows[1:blank], [" ".join(row) for row in rows[blank + 1:]]
