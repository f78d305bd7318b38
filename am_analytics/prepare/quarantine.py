"""The quarantine: every rejected row, kept with where it came from and why, so nothing is ever lost.

One row per problem (a row with two problems appears twice, each naming its column), with the row's cells
of the dataset's columns as written in the file (the doctor's identifier pseudonymised), so a user can
correct the source. Columns outside the dataset were dropped when the file was read: a name, a NIR or a
comment never reaches the quarantine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import pandas as pd

from am_analytics.vocabulary import REASONS

QUARANTINE_COLUMNS = ["dataset", "file", "sheet", "line", "column", "value", "reason", "message", "record"]


def empty_located(columns: Sequence[str]) -> pd.DataFrame:
    """An empty table of located findings (quarantine, warnings, change log): line numbers as integers (every
    column named `line` or ending in `_line`), the rest as text."""
    return pd.DataFrame(
        {name: pd.Series(dtype="Int64" if name == "line" or name.endswith("_line") else "string") for name in columns}
    )


def empty_quarantine() -> pd.DataFrame:
    return empty_located(QUARANTINE_COLUMNS)


def quarantine_rows(
    problems: pd.DataFrame,
    *,
    dataset: str,
    file: str,
    raw: pd.DataFrame,
    line_numbers: pd.Series,
    header_of: dict[str, str],
    sheet: str | None = None,
) -> pd.DataFrame:
    """Locate problems in their file: raw header instead of canonical column, raw value, line, record (the
    cells of the dataset's columns only).

    `problems` holds `row` (position in `raw`), canonical `column`, `reason` and optionally `message`
    and `value`; `header_of` maps canonical columns to the headers as written in this file.
    """
    if problems.empty:
        return empty_quarantine()
    rows = problems["row"].astype(int).to_numpy()
    frame = locate(problems, dataset=dataset, file=file, sheet=sheet, raw=raw, line_numbers=line_numbers,
                   header_of=header_of, labels=REASONS)
    records = _records(raw[[c for c in raw.columns if c in set(header_of.values())]], rows)
    frame["record"] = pd.array(records, dtype="string")
    return frame[QUARANTINE_COLUMNS]


def locate(
    found: pd.DataFrame,
    *,
    dataset: str,
    file: str,
    sheet: str | None,
    raw: pd.DataFrame,
    line_numbers: pd.Series,
    header_of: dict[str, str],
    labels: dict[str, str],
) -> pd.DataFrame:
    """Where each problem or warning sits: dataset, file, sheet, line, header and value as written, canonical
    `field`, reason, message (the reason's label in `labels` when the finding carries none).

    `found` holds `row` (position in `raw`), canonical `column`, `reason` and optionally `message`."""
    rows = found["row"].astype(int).to_numpy()
    fields = found["column"].astype("string")
    headers = fields.map(lambda c: header_of.get(c, c) if isinstance(c, str) else c).astype("string")
    written = [
        raw.iat[row, raw.columns.get_loc(header)] if isinstance(header, str) and header in raw.columns else pd.NA
        for row, header in zip(rows, headers, strict=True)
    ]
    messages = found["message"] if "message" in found else pd.Series(pd.NA, index=found.index)
    reasons = found["reason"].astype("string")
    messages = messages.astype("string").fillna(reasons.map(labels)).fillna(reasons.map(REASONS)).fillna(reasons)
    return pd.DataFrame(
        {
            "dataset": pd.array([dataset] * len(rows), dtype="string"),
            "file": pd.array([file] * len(rows), dtype="string"),
            "sheet": pd.array([sheet] * len(rows), dtype="string"),
            "line": pd.array(line_numbers.to_numpy()[rows], dtype="Int64"),
            "column": headers.to_numpy(),
            "value": pd.array(written, dtype="string"),
            "field": fields.to_numpy(),
            "reason": reasons.to_numpy(),
            "message": messages.to_numpy(),
        }
    )


def _records(raw: pd.DataFrame, rows: np.ndarray) -> list[str]:
    """Each row's whole raw record as JSON (header → cell as written, `null` when blank).

    The rows are taken from the raw frame in one go: picking them one by one (`raw.iloc[row]`) cost a
    quarter of a millisecond each, seconds for a file with thousands of rejected rows.
    """
    keys = [str(key) for key in raw.columns]
    picked = raw.iloc[rows]
    cells = [picked.iloc[:, j].to_numpy(dtype=object) for j in range(picked.shape[1])]
    records = []
    for position in range(len(rows)):
        record = {key: _text(column[position]) for key, column in zip(keys, cells, strict=True)}
        records.append(json.dumps(record, ensure_ascii=False))
    return records


def _text(value: object) -> str | None:
    return None if pd.isna(value) else str(value)


def reason_counts(quarantine: pd.DataFrame) -> dict[str, int]:
    """Quarantined rows per reason (a row counted once per distinct reason it has)."""
    distinct = quarantine.drop_duplicates(subset=["file", "sheet", "line", "reason"])
    return {str(k): int(v) for k, v in distinct["reason"].value_counts().sort_index().items()}
