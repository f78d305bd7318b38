"""Vectorised mapping of categorical text: resolve each distinct value once, broadcast to every row.

Input columns of real extracts hold a few hundred spellings repeated over many rows, so resolving the
distinct values in Python and broadcasting the result costs about as much as the distinct values alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd


def resolve_distinct(
    values: pd.Series,
    resolve: Callable[[object], tuple[object, ...]],
    columns: Sequence[str],
    dtypes: str | Sequence[str] = "string",
) -> pd.DataFrame:
    """Frame aligned on `values` whose row i is `resolve(values[i])`, computed once per distinct value.

    `resolve` receives `None` for missing values and returns one item per name in `columns`; `dtypes` is
    one dtype for every column or one per column.
    """
    dtypes = [dtypes] * len(columns) if isinstance(dtypes, str) else list(dtypes)
    positions, uniques = pd.factorize(values, use_na_sentinel=True)
    results = [resolve(value) for value in uniques]
    results.append(resolve(None))  # the slot of missing values, which factorize numbers -1
    pick = pd.Series(positions).where(positions >= 0, len(uniques)).to_numpy()
    data = {name: pd.array([result[i] for result in results], dtype=dtypes[i])[pick] for i, name in enumerate(columns)}
    return pd.DataFrame(data, index=values.index)
