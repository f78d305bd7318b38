"""Parameters shared by the report, the dashboards and the scheduler: a region, a background or an as-of
date as a user writes it (code or name, AAAA-MM-JJ or JJ/MM/AAAA) → the value the package uses, or a usage
error (exit code 2) that says what is wrong."""

from __future__ import annotations

from datetime import date

import pandas as pd

from am_analytics.errors import UsageError
from am_analytics.geography import normalise_region_code
from am_analytics.vocabulary import PROFILS


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def resolve_region(value: object) -> str | None:
    """A region code or name → its 2016 code (`"01"` stays `"01"`); `None` or empty → `None` (France)."""
    if _blank(value):
        return None
    try:
        return normalise_region_code(str(value).strip())
    except ValueError as exc:
        raise UsageError(f"région « {value} » : {exc}") from None


def resolve_profil(value: object) -> str | None:
    """A background code (`infirmier`) or its French label (`Infirmier·ère`, `infirmiere`) → its code;
    `None` or empty → `None` (every background)."""
    if _blank(value):
        return None
    from am_analytics.ingest.values import normalise_profils

    # the preparation's own normaliser: the same spellings are accepted here as in the raw extracts
    code = normalise_profils(pd.Series([str(value).strip()], dtype="string"))["value"].iloc[0]
    if pd.isna(code):
        raise UsageError(f"profil d'origine « {value} » inconnu ; valeurs possibles : {', '.join(PROFILS)}")
    return str(code)


def parse_date(value: object) -> date | None:
    """A date written AAAA-MM-JJ or JJ/MM/AAAA (or a date already) → a date; `None` or empty → `None`."""
    if _blank(value):
        return None
    if isinstance(value, date):
        return value
    from am_analytics.cli import iso_date

    try:
        return iso_date(str(value).strip())
    except Exception as exc:  # argparse.ArgumentTypeError carries the French message
        raise UsageError(str(exc)) from None


def latest_date(contracts: pd.DataFrame) -> pd.Timestamp:
    """The latest date the contracts speak of (last signature, end or, for a contract
    written with its history, the date its latest act takes effect)."""
    columns = [c for c in ("date_signature", "date_fin", "date_effet") if c in contracts]
    dates = pd.concat([contracts[c].astype("datetime64[ns]") for c in columns]).dropna()
    return pd.Timestamp(dates.max()).normalize()


def resolve_as_of(value: object, contracts: pd.DataFrame | None) -> pd.Timestamp:
    """The as-of date asked for, checked against the data's period, or the default counting date of the data
    (`indicators.common.default_counting_date`: the same rule as every indicator's)."""
    requested = parse_date(value)
    if contracts is None or contracts.empty:
        if requested is None:
            raise UsageError("aucun contrat dans les données : indiquer une date d'arrêté (as_of)")
        return pd.Timestamp(requested)
    from am_analytics.indicators.common import counting_date, data_latest_date

    latest = data_latest_date(contracts)
    # checked here too: a frame that carries no `latest_date` (built by hand) is checked by its own rows
    if requested is not None and latest is not None and pd.Timestamp(requested) > latest:
        raise UsageError(f"date d'arrêté {requested:%d/%m/%Y} : après la dernière date des données ({latest:%d/%m/%Y})")
    return counting_date(contracts, requested)
