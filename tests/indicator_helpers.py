"""Test helper: small processed-contracts frames with the dtypes the preparation writes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from am_analytics.prepare.contracts import COLUMNS as CONTRACT_COLUMNS
from am_analytics.vocabulary import ETP_OPTIONS

DEFAULTS = {
    "medecin_id": "M0",
    "date_signature": "2021-01-15",
    "date_fin": None,
    "departement": "01",
    "specialite": "medecine_generale",
    "zone": "zip",
    "etp_option": "1/2",
    "profil_origine": "secretaire_medicale",
    "formation": "cqp_obtenu",
    "date_prise_fonction": None,
    "aide_versee_eur": None,
}
REGION_OF = {"01": "84", "69": "84", "75": "11", "93": "11", "13": "93", "976": "06", "2A": "94", "971": "01"}


def make_contracts(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """A contracts frame from partial rows (missing keys take `DEFAULTS`), typed like processed data:
    strings, datetime64[ns] dates, Float64 FTE derived from `etp_option`; `contrat_id` C0, C1, … unless given."""
    records = []
    for position, row in enumerate(rows):
        record = {"contrat_id": f"C{position}", **DEFAULTS, **row}
        record.setdefault("region", REGION_OF.get(str(record["departement"])))
        records.append(record)
    frame = pd.DataFrame(records, columns=COLUMNS)
    for column in ("date_signature", "date_fin", "date_prise_fonction"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    frame["etp"] = pd.array(
        [float(ETP_OPTIONS[o]) if isinstance(o, str) else None for o in frame["etp_option"]], dtype="Float64"
    )
    frame["aide_versee_eur"] = frame["aide_versee_eur"].astype("Float64")
    for column in COLUMNS:
        if column not in ("date_signature", "date_fin", "date_prise_fonction", "etp", "aide_versee_eur", "source_line"):
            frame[column] = frame[column].astype("string")
    frame["source_line"] = pd.array(range(2, len(frame) + 2), dtype="Int64")
    return frame


# the processed schema: the step's canonical columns, then where each row came from
COLUMNS = [*CONTRACT_COLUMNS, "source_file", "source_line"]
DEFAULTS["source_file"] = "test.csv"


def monthly_signatures(counts_by_month: Mapping[str, int], **fields) -> pd.DataFrame:
    """Contracts signed on the 1st of each month ('YYYY-MM': count), other fields from `fields`."""
    rows = [
        {"date_signature": f"{month}-01", **fields} for month, count in counts_by_month.items() for _ in range(count)
    ]
    return make_contracts(rows)
