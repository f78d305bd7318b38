"""Vectorised mapping of categorical text: resolve each distinct value once, broadcast to every row.

Input columns of real extracts hold a few hundred spellings repeated over many rows, so resolving the
distinct values in Python and broadcasting the result costs about as much as the distinct values alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa


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
    # A plain list of Python objects: iterating an Arrow-backed Index item by item costs ~1 µs a value,
    # which is what the whole resolution costs on high-cardinality columns (identifiers).
    distinct = uniques.to_numpy(dtype=object).tolist()
    results = [resolve(value) for value in distinct]
    results.append(resolve(None))  # the slot of missing values, which factorize numbers -1
    pick = np.where(positions >= 0, positions, len(distinct))
    data = {
        name: _array([result[i] for result in results], dtypes[i]).take(pick) for i, name in enumerate(columns)
    }
    return pd.DataFrame(data, index=values.index)


def _array(items: Sequence[object], dtype: str) -> pd.api.extensions.ExtensionArray:
    """`pd.array(items, dtype)`, built by pyarrow directly for text (three times faster on a million items)."""
    if dtype == "string":
        try:
            return pd.arrays.ArrowStringArray(pa.array(items, type=pa.large_string(), from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass  # not all text (a number, say): let pandas convert it as it always did
    return pd.array(list(items), dtype=dtype)
