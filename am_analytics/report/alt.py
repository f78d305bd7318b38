"""Alternative text of the report's figures: the values a figure shows, in French, as a screen reader reads them.

Values come from the published frame the figure draws; a hidden value is written as its symbol (« < 5 », « s »),
never as its number.
"""

from __future__ import annotations

import pandas as pd

from am_analytics.figures.formatting import (
    MISSING,
    format_date,
    format_euros,
    format_millions,
    format_number,
    format_percent,
)
from am_analytics.vocabulary import secret_symbol


def _text(row: pd.Series, column: str, decimals: int, kind: str) -> str:
    reason = row.get(f"{column}_secret")
    if reason is not None and not pd.isna(reason):
        return secret_symbol(str(reason), "count" if kind == "count" else "decimal")
    value = row.get(column)
    if value is None or pd.isna(value):
        return MISSING
    if kind == "percent":
        return format_percent(value, decimals)
    if kind == "euros":
        return format_euros(value, decimals)
    if kind == "millions":
        return format_millions(value)
    return format_number(value, decimals)


def describe_values(
    frame: pd.DataFrame,
    column: str,
    decimals: int = 0,
    *,
    kind: str = "number",
    name: str = "nom",
    prefix: str = "",
) -> str:
    """« Guadeloupe : 7,3 ; Martinique : 8,0 ; … »: every row's `name` and its `column` value."""
    if frame is None or frame.empty or column not in frame.columns:
        return ""
    parts = [f"{row[name]} : {_text(row, column, decimals, kind)}" for _, row in frame.iterrows()]
    return prefix + " ; ".join(parts) + "."


def series_text(monthly: pd.DataFrame, columns: dict[str, str], decimals: int = 0) -> str:
    """A monthly series read at each year's end and at its last point: « au 31 décembre 2020 : 1 467 contrats
    signés (cumul), 1 400 contrats actifs ; … »."""
    if monthly is None or monthly.empty:
        return ""
    dates = pd.to_datetime(monthly["fin_de_periode"])
    chosen = monthly[(dates.dt.month == 12) | (dates == dates.max())]
    parts = []
    for _, row in chosen.iterrows():
        values = ", ".join(f"{_text(row, column, decimals, 'number')} {label}" for column, label in columns.items())
        parts.append(f"au {format_date(row['fin_de_periode'])} : {values}")
    return "Valeurs " + " ; ".join(parts) + "."
