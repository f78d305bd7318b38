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
from am_analytics.presentation.disclosure import SECRET_SUFFIX, SMALL_BASE, secret_column
from am_analytics.vocabulary import SECRET_SYMBOLS

SECRET_TEXT = "secret"  # written where a hidden value would have been (a bar's label, a map's value)
SECRET_NOTE = f"{SECRET_LABEL} : valeur masquée car l'effectif est trop faible pour être publié."
SMALL_BASE_TEXT = SECRET_SYMBOLS[SMALL_BASE]  # « n.s. », as the tables print a share on too small a base
SMALL_BASE_NOTE = "« n.s. » : part non publiée, calculée sur une base trop faible (ou nulle)."
NO_CONTRACT_TEXT = "Aucun contrat à cette date"


def hidden_mask(frame: pd.DataFrame, column: str) -> np.ndarray:
    """True where a published frame hides `column` (its companion `<column>_secret` is filled)."""
    companion = secret_column(column)
    if companion not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame[companion].notna().to_numpy(dtype=bool)


def withheld_label(reason: object) -> str | None:
    """What a chart writes for a value withheld for `reason`, as the tables do: « n.s. » for a share or rate on too
    small a base (`base_insuffisante`: no count is hidden, the figure is not reliable or has no base at all),
    « secret » for a hidden count or what would rebuild one; None for a value shown (no reason)."""
    if reason is None or pd.isna(reason):
        return None
    return SMALL_BASE_TEXT if reason == SMALL_BASE else SECRET_TEXT


def hidden_labels(frame: pd.DataFrame, column: str) -> np.ndarray:
    """`withheld_label` of each row of a published frame's `column` (None where shown)."""
    companion = secret_column(column)
    if companion not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    return np.array([withheld_label(reason) for reason in frame[companion]], dtype=object)


def withheld_notes(labels) -> list[str]:
    """The notes for what a chart wrote in place of withheld values (`withheld_label`), each once."""
    written = set(labels)
    return [note for label, note in ((SECRET_TEXT, SECRET_NOTE), (SMALL_BASE_TEXT, SMALL_BASE_NOTE))
            if label in written]


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
    "SMALL_BASE_NOTE",
    "SMALL_BASE_TEXT",
    "hidden_labels",
    "withheld_label",
    "withheld_notes",
    "hidden_mask",
    "hides_any",
    "secret_column",
    "shown_values",
]
