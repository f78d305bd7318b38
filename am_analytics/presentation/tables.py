"""Published tables: a table specification (columns, French headers, kinds of value, disclosure rule, notes,
source) and the table it publishes from an indicator frame, which the PDF, the workbook, the notebooks and the
site all render — so they always show the same masked figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import pandas as pd

from am_analytics.figures.formatting import (
    MISSING,
    format_date,
    format_euros,
    format_millions,
    format_number,
    format_percent,
    is_missing,
)
from am_analytics.presentation.disclosure import (
    COMPLEMENTARY,
    PRIMARY,
    SECRET_SUFFIX,
    SMALL_BASE,
    Disclosure,
    publish_frame,
    secret_column,
)
from am_analytics.vocabulary import SECRET_NOTES, SYNTHETIC_MENTION, secret_symbol

Kind = Literal["text", "count", "decimal", "number", "percent", "euros", "millions", "date"]

# Excel number formats for each kind (French display comes from the reader's Excel locale)
EXCEL_FORMATS: dict[Kind, str] = {
    "text": "@",
    "count": "#,##0",
    "decimal": "#,##0.0",
    "number": "#,##0.##",
    "percent": "0.0%",
    "euros": '#,##0 "€"',
    "millions": '#,##0.0,, "M€"',  # the cell keeps the amount in euros; two commas show it in millions
    "date": "dd/mm/yyyy",
}


@dataclass(frozen=True)
class Column:
    """One column of a published table: the frame's column, its French header and the kind of value it holds."""

    key: str
    header: str
    kind: Kind = "text"
    width: float | None = None  # relative width in the PDF (None: even share)
    decimals: int | None = None  # the variable's decimals (None: the kind's, see `KIND_DECIMALS`)
    variable: str | None = None  # the published variable's record (`vocabulary.VARIABLES`); None for a label
    # what an empty cell reads: « n.d. » (exists, not known), or « sans objet » for a column whose value is empty
    # only where it cannot exist (`formatting.NOT_APPLICABLE`)
    missing: str = MISSING


@dataclass
class PublishedTable:
    """A table ready to publish: the published (masked) frame, its columns, notes and source."""

    name: str  # sheet name in the workbook (≤ 31 characters)
    title: str
    columns: list[Column]
    frame: pd.DataFrame  # the published frame: hidden cells <NA>, `<column>_secret` says why
    source: str
    notes: list[str] = field(default_factory=list)
    synthetic: bool = False

    def secret(self, row: int, key: str) -> str | None:
        """Why a cell is hidden (`primaire`, `complementaire`, `base_insuffisante`), or None when shown."""
        column = secret_column(key)
        if column not in self.frame.columns:
            return None
        reason = self.frame[column].iloc[row]
        return None if pd.isna(reason) else str(reason)

    def is_masked(self, row: int, key: str) -> bool:
        return self.secret(row, key) is not None

    def cell_text(self, row: int, column: Column) -> str:
        reason = self.secret(row, column.key)
        if reason is not None:
            return secret_symbol(reason, column.kind)
        value = self.frame[column.key].iloc[row]
        return column.missing if is_missing(value) else format_value(value, column.kind, column.decimals)

    def formatted_rows(self) -> list[list[str]]:
        """Every cell as French text; hidden cells as their symbol (« < 5 », « s », « n.s. »)."""
        return [[self.cell_text(row, column) for column in self.columns] for row in range(len(self.frame))]

    def display_frame(self) -> pd.DataFrame:
        """The table as French text with French headers, hidden cells included: what notebooks show."""
        return pd.DataFrame(self.formatted_rows(), columns=[column.header for column in self.columns])

    def right_aligned(self) -> list[int]:
        return [i for i, column in enumerate(self.columns) if column.kind != "text"]

    def widths(self) -> list[float] | None:
        if all(column.width is None for column in self.columns):
            return None
        return [column.width or 1.0 for column in self.columns]

    @property
    def source_line(self) -> str:
        """« Source : … », with the synthetic mention when the data is synthetic: a copied table says it too."""
        line = f"Source : {self.source}"
        return f"{line} — {SYNTHETIC_MENTION.lower()}" if self.synthetic else line

    def rows(self, keep: pd.Series | Sequence[bool] | Callable[[pd.DataFrame], pd.Series]) -> PublishedTable:
        """The same table restricted to some rows (the masking, decided on the whole frame, is kept)."""
        selector = keep(self.frame) if callable(keep) else keep
        frame = self.frame[pd.Series(selector, index=self.frame.index).astype(bool)].reset_index(drop=True)
        frame.attrs = dict(self.frame.attrs)
        return replace(self, frame=frame)

    def retitled(self, title: str) -> PublishedTable:
        return replace(self, title=title)


# the decimals each kind prints by default, as its Excel format shows them (`EXCEL_FORMATS`); a variable's record
# says the same (`tests/test_registry.py`), so the PDF, the site and the workbook agree
KIND_DECIMALS: dict[Kind, int] = {"count": 0, "decimal": 1, "number": 1, "percent": 1, "euros": 0, "millions": 1}


def format_value(value: object, kind: Kind, decimals: int | None = None) -> str:
    """A value as French text for a table cell, with `decimals` (default: the kind's); missing values read
    « n.d. »."""
    if kind == "text":
        return MISSING if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    places = KIND_DECIMALS.get(kind, 0) if decimals is None else decimals
    if kind in ("count", "decimal"):
        return format_number(value, places)
    if kind == "number":  # whole numbers without decimals (contracts), others with the variable's (FTE)
        whole = value is not None and not pd.isna(value) and float(value).is_integer()
        return format_number(value, 0 if whole else places)
    if kind == "percent":
        return format_percent(value, places)
    if kind == "euros":
        return format_euros(value, places)
    if kind == "millions":
        return format_millions(value)
    if kind == "date":
        return format_date(value)
    raise ValueError(f"unknown kind {kind!r}")


def published_text(row: pd.Series, column: str, kind: str = "count", decimals: int = 0) -> str:
    """One cell of a published row as French text, as key figures and sentences print it: a hidden cell as its
    symbol (« < 5 » only for a count hidden for being small, « s » for one hidden to protect another, or for a
    share or amount), else its value (`kind` "percent" as a percentage, anything else as a number)."""
    reason = row.get(secret_column(column))
    if reason is not None and not pd.isna(reason):
        return secret_symbol(str(reason), kind)
    value = row.get(column)
    if kind == "millions":
        return format_millions(value)
    return format_percent(value, decimals) if kind == "percent" else format_number(value, decimals)


def secret_notes(frame: pd.DataFrame, columns: Sequence[Column], rule: Disclosure) -> list[str]:
    """One note per kind of hidden cell present in the table, saying what its symbol means."""
    present: set[str] = set()
    for column in columns:
        secret = secret_column(column.key)
        if secret in frame.columns:
            present.update(str(reason) for reason in frame[secret].dropna().unique())
    return [
        SECRET_NOTES[reason].format(seuil=rule.threshold, max_small=rule.threshold - 1, base=rule.min_base)
        for reason in (PRIMARY, COMPLEMENTARY, SMALL_BASE)
        if reason in present
    ]


@dataclass(frozen=True)
class TableSpec:
    """A published table's definition in the catalogue: everything but its data."""

    name: str
    title: str
    columns: tuple[Column, ...]
    source: str
    disclosure: Disclosure | None = None
    notes: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()  # identifying columns kept for charts and filters, not displayed

    @property
    def published_columns(self) -> list[str]:
        """The frame's columns this table keeps: its identifying keys and its displayed columns."""
        return list(dict.fromkeys([*self.keys, *(column.key for column in self.columns)]))

    def publish(
        self, frame: pd.DataFrame, *, synthetic: bool | None = None, title: str | None = None, notes: Sequence[str] = ()
    ) -> PublishedTable:
        """The table of an indicator frame: only its declared columns, masked by the table's own rule."""
        published = publish_frame(frame, self.disclosure, self.published_columns)
        return self.from_published(published, synthetic=synthetic, title=title, notes=notes)

    def from_published(
        self,
        published: pd.DataFrame,
        *,
        synthetic: bool | None = None,
        title: str | None = None,
        notes: Sequence[str] = (),
    ) -> PublishedTable:
        """The table of a frame already published (masked together with other frames, see `results`): its
        declared columns and their reasons, nothing else.

        `synthetic` defaults to what the frame's source labels say."""
        wanted = set(self.published_columns)
        kept = [name for name in published.columns if name.removesuffix(SECRET_SUFFIX) in wanted]
        frame = published[kept].reset_index(drop=True)
        frame.attrs = dict(published.attrs)
        if synthetic is None:
            from am_analytics.indicators.common import is_synthetic

            synthetic = is_synthetic(published) or bool(published.attrs.get("synthetic"))
        rule = self.disclosure or Disclosure()
        return PublishedTable(
            name=self.name,
            title=title or self.title,
            columns=list(self.columns),
            frame=frame,
            source=self.source,
            notes=[*self.notes, *notes, *secret_notes(frame, self.columns, rule)],
            synthetic=synthetic,
        )
