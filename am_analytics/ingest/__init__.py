"""Ingestion of raw extracts: read any real-looking export into text cells, match its headers to a
dataset's canonical columns, and normalise its values (each failure carrying a quarantine reason).

- `read`: format-tolerant readers (CSV/XLSX, encodings, separators, title and two-row headers).
- `headers`: alias tables per dataset and header matching.
- `values`: vectorised value normalisers returning the canonical value and a reason code.
"""

from am_analytics.ingest.headers import DATASETS, detect_dataset, match_columns, normalise_label
from am_analytics.ingest.read import RawTable, discover, read_table

__all__ = [
    "DATASETS",
    "RawTable",
    "detect_dataset",
    "discover",
    "match_columns",
    "normalise_label",
    "read_table",
]
