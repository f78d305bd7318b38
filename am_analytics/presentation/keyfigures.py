"""A key figure: one concept for every output that shows key figures (the report's cover, a site page's header)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from am_analytics.presentation.tables import published_text
from am_analytics.vocabulary import VARIABLES


@dataclass(frozen=True)
class KeyFigure:
    """One key figure as an output shows it: its label, the published value as text (or its secret symbol), and a
    short detail under it (what it counts, France's value beside a region's, a target's deadline)."""

    label: str
    value: str
    detail: str = ""


def measured(row: pd.Series, variable: str, detail: str = "") -> KeyFigure:
    """The key figure of a published variable in a published row: its label and decimals are the variable's record
    (`vocabulary.VARIABLES`), its value the row's cell as every table prints it (a hidden cell as its symbol)."""
    record = VARIABLES[variable]
    kind = "percent" if record.unit == "%" else ("count" if record.decimals == 0 else "decimal")
    return KeyFigure(record.label, published_text(row, variable, kind, record.decimals), detail)


def measured_text(row: pd.Series, variable: str) -> str:
    """A published variable's value in a row as its key figure prints it (for a detail line: France's beside a
    region's)."""
    return measured(row, variable).value
