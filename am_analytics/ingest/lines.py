"""Lines of a table that are no data: notes under it (« Source : »), its header repeated, totals and subtotals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from am_analytics.ingest.values import arrow_text
from am_analytics.text import fold

# Kinds of non-data lines, as the manifest counts them.
NOTE, REPEATED_HEADER, TOTAL = "note", "entete_repete", "total"

# A note under a table starts with its label and a colon: « Source : Cnam », « Champ : France entière »,
# « Lecture : … », « Note : … », « NB : … », possibly after a call mark (« (1) », « * »).
_NOTE = (
    r"^\s*(?:\(\d+\)|\*+)?\s*(?:sources?|champs?|lecture|notes?|nota|n\.\s?b\.?|nb|avertissement|remarques?"
    r"|m[ée]thodologie|d[ée]finitions?|traitement|r[ée]alisation)[\s\x{a0}\x{202f}]*:"
)
_TOTAL = r"^\s*(?:sous[\s-]?totale?|s/total|total(?:e|aux)?)\b"
# The label of a line is its first filled cell among the first few: a note or a total is written at the left.
_LABEL_COLUMNS = 3
# Share of a line's filled cells that must repeat their column's header for the line to be the header again.
_HEADER_SHARE = 0.5


def non_data_kinds(frame: pd.DataFrame) -> pd.Series:
    """The kind of each line that is no data (`NOTE`, `REPEATED_HEADER`, `TOTAL`), NA for a data line.

    Vectorised over the label column: a million rows without any such line cost a few tens of milliseconds."""
    kinds = pd.Series(pd.NA, index=frame.index, dtype="string")
    if frame.empty or frame.shape[1] == 0:
        return kinds
    label = frame.iloc[:, 0]
    for j in range(1, min(_LABEL_COLUMNS, frame.shape[1])):
        if label.isna().any():
            label = label.fillna(frame.iloc[:, j])
    labels = arrow_text(label)
    # one pass over the column finds the candidates; the few found are then told apart
    candidates = np.flatnonzero(_matches(labels, f"(?:{_NOTE})|(?:{_TOTAL})"))
    notes = np.zeros(len(frame), dtype=bool)
    totals = np.zeros(len(frame), dtype=bool)
    if len(candidates):
        found = labels.take(pa.array(candidates))
        notes[candidates] = _matches(found, _NOTE)
        totals[candidates] = _matches(found, _TOTAL) & ~notes[candidates]
    headers = _repeated_header(frame) & ~notes & ~totals
    kinds[totals] = TOTAL
    kinds[notes] = NOTE
    kinds[headers] = REPEATED_HEADER
    return kinds


def _matches(labels: pa.Array, pattern: str) -> np.ndarray:
    found = pc.match_substring_regex(labels, pattern, ignore_case=True)
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def _repeated_header(frame: pd.DataFrame) -> np.ndarray:
    """Lines whose cells are mostly the headers of their columns (a header written again, after a page break or
    between two pasted extracts)."""
    names = [str(c) for c in frame.columns]
    first = min(_LABEL_COLUMNS, frame.shape[1])
    candidates = np.zeros(len(frame), dtype=bool)
    for j in range(first):
        equal = pc.equal(arrow_text(frame.iloc[:, j]), pa.scalar(names[j], pa.large_string()))
        candidates |= equal.fill_null(False).to_numpy(zero_copy_only=False)
    if not candidates.any():
        return candidates
    rows = frame[candidates]
    same = np.column_stack([
        rows.iloc[:, j].astype("string").map(lambda v: fold(v) if isinstance(v, str) else None).eq(fold(names[j]))
        .fillna(False).to_numpy(dtype=bool)
        for j in range(frame.shape[1])
    ])
    filled = rows.notna().to_numpy().sum(axis=1)
    candidates[candidates] = same.sum(axis=1) >= np.maximum(2, _HEADER_SHARE * filled)
    return candidates
