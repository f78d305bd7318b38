"""Reading the frames charts and maps draw: which values a published (masked) frame hides, the values that
may be drawn, and what a chart says when a scope has nothing to show.

The disclosure layer publishes frames where a hidden value is `<NA>` and a companion text column
`<column>_secret` says why (`"primaire"` or `"complementaire"`; `<NA>` where the value is shown). An
indicator frame has no such column: nothing is hidden. Charts and maps read values through `shown_values`,
so a hidden value is never drawn as a number, a bar, a colour or a label.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from am_analytics.figures.style import SECRET_LABEL
from am_analytics.presentation.disclosure import SECRET_SUFFIX, secret_column

SECRET_TEXT = "secret"  # written where a hidden value would have been (a bar's label, a map's value)
SECRET_NOTE = f"{SECRET_LABEL} : valeur masquée car l'effectif est trop faible pour être publié."
NO_CONTRACT_TEXT = "Aucun contrat à cette date"


def hidden_mask(frame: pd.DataFrame, column: str) -> np.ndarray:
    """True where a published frame hides `column` (its companion `<column>_secret` is filled)."""
    companion = secret_column(column)
    if companion not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame[companion].notna().to_numpy(dtype=bool)


def hides_any(frame: pd.DataFrame, columns: list[str] | tuple[str, ...]) -> bool:
    """True when any of `columns` has a hidden value in `frame`."""
    return any(hidden_mask(frame, column).any() for column in columns)


def nothing_to_show(frame: pd.DataFrame, column: str) -> bool:
    """True when a scope truly has nothing to draw in `column`: every shown value is zero or missing and none is
    hidden. A hidden value is a small count, not an absence: « Aucun contrat » would then be false."""
    return not np.nansum(shown_values(frame, column)) and not hidden_mask(frame, column).any()


def nothing_publishable(frame: pd.DataFrame, column: str) -> bool:
    """True when a scope has values in `column` but every one is hidden (or zero beside hidden ones): a chart of it
    would be entirely « secret », so the outputs print one sentence saying why instead (see
    `sentences.unpublished_chart_sentence`)."""
    return bool(hidden_mask(frame, column).any()) and not np.nansum(shown_values(frame, column))


def shown_values(frame: pd.DataFrame, column: str) -> np.ndarray:
    """`column` as floats, NaN where it is missing or hidden: what a chart may draw, and nothing more."""
    values = pd.to_numeric(frame[column], errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    values[hidden_mask(frame, column)] = np.nan
    return values


__all__ = [
    "NO_CONTRACT_TEXT",
    "nothing_publishable",
    "nothing_to_show",
    "SECRET_NOTE",
    "SECRET_SUFFIX",
    "SECRET_TEXT",
    "hidden_mask",
    "hides_any",
    "secret_column",
    "shown_values",
]
