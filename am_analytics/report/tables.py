"""Published tables: one description per table (French headers, kinds of value, disclosure masking) that
both the PDF and the Excel workbook render, so the two always show the same masked figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from am_analytics.disclosure import DEFAULT_THRESHOLD, mask_table, masked_label
from am_analytics.figures.formatting import (
    MISSING,
    format_date,
    format_euros,
    format_number,
    format_percent,
)

Kind = Literal["text", "count", "decimal", "number", "percent", "euros", "date"]

# Excel number formats for each kind (French display comes from the reader's Excel locale)
EXCEL_FORMATS: dict[Kind, str] = {
    "text": "@",
    "count": "#,##0",
    "decimal": "#,##0.0",
    "number": "#,##0.##",
    "percent": "0.0%",
    "euros": '#,##0 "€"',
    "date": "dd/mm/yyyy",
}


@dataclass(frozen=True)
class Column:
    """One column of a published table: the frame's column, its French header, what kind of value it holds,
    and (for rates and shares) the count it is computed from, masked together with it."""

    key: str
    header: str
    kind: Kind = "text"
    base: str | None = None
    width: float | None = None  # relative width in the PDF (None: even share)
    disclosive: bool = True  # a count of people (masked when small); file lines are not


@dataclass
class PublishedTable:
    """A table ready to publish: values, which cells are masked, and where it comes from."""

    name: str  # sheet name in the workbook (≤ 31 characters)
    title: str
    columns: list[Column]
    frame: pd.DataFrame
    source: str
    notes: list[str] = field(default_factory=list)
    mask: pd.DataFrame | None = None  # True where a cell is hidden by the disclosure rule
    threshold: int = DEFAULT_THRESHOLD

    def is_masked(self, row: int, key: str) -> bool:
        return self.mask is not None and key in self.mask.columns and bool(self.mask.iloc[row][key])

    def formatted_rows(self) -> list[list[str]]:
        """Every cell as French text, masked cells as « < 5 »."""
        rows = []
        for position in range(len(self.frame)):
            record = self.frame.iloc[position]
            rows.append(
                [
                    masked_label(self.threshold)
                    if self.is_masked(position, c.key)
                    else format_value(record[c.key], c.kind)
                    for c in self.columns
                ]
            )
        return rows

    def display_frame(self) -> pd.DataFrame:
        """The table as French text with French headers, masked cells included: what notebooks show."""
        return pd.DataFrame(self.formatted_rows(), columns=[column.header for column in self.columns])

    def right_aligned(self) -> list[int]:
        return [i for i, column in enumerate(self.columns) if column.kind != "text"]

    def widths(self) -> list[float] | None:
        if all(column.width is None for column in self.columns):
            return None
        return [column.width or 1.0 for column in self.columns]


def format_value(value: object, kind: Kind) -> str:
    """A value as French text for a table cell; missing values read « n.d. »."""
    if kind == "text":
        return MISSING if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    if kind == "count":
        return format_number(value, 0)
    if kind == "decimal":
        return format_number(value, 1)
    if kind == "number":  # whole numbers without decimals (contracts), others with one (FTE)
        whole = value is not None and not pd.isna(value) and float(value).is_integer()
        return format_number(value, 0 if whole else 1)
    if kind == "percent":
        return format_percent(value, 1)
    if kind == "euros":
        return format_euros(value, 0)
    if kind == "date":
        return format_date(value)
    raise ValueError(f"unknown kind {kind!r}")


def published_table(
    name: str,
    title: str,
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    source: str,
    notes: Sequence[str] = (),
    counts_sum_across_rows: bool = False,
    groups: pd.Series | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> PublishedTable:
    """Build a table and apply the disclosure rule to its count columns.

    Counts from 1 to threshold − 1 are hidden; `groups` (one label per row, e.g. the region of each
    département) says which rows add up to a published total, so a complementary cell is hidden where one
    masked cell could be recovered by subtraction; `counts_sum_across_rows` does the same along each row.
    Rates and shares built on a hidden count (their `base`) are hidden with it.
    """
    frame = frame.reset_index(drop=True)
    counts = [c.key for c in columns if c.kind == "count" and c.base is None and c.disclosive]
    mask = None
    if counts:
        count_frame = frame[counts].apply(pd.to_numeric, errors="coerce")
        mask, _ = mask_table(
            count_frame,
            counts,
            threshold=threshold,
            row_totals=counts_sum_across_rows,
            column_groups=groups.reset_index(drop=True) if groups is not None else None,
        )
        for column in columns:
            if column.base is not None and column.base in mask.columns:
                mask[column.key] = mask[column.base]
    table_notes = list(notes)
    if mask is not None and mask.to_numpy().any():
        table_notes.append(
            f"« {masked_label(threshold)} » : effectif de 1 à {threshold - 1} masqué (secret statistique), "
            "ainsi qu'un effectif complémentaire quand un total permettrait de le retrouver."
        )
    return PublishedTable(
        name=name,
        title=title,
        columns=list(columns),
        frame=frame,
        source=source,
        notes=table_notes,
        mask=mask,
        threshold=threshold,
    )
