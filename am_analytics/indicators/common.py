"""Shared plumbing of the indicators: the counting date, the synthetic flag, source labels, per-contract
dates, territory codes.

What travels with the data. `am.load()` stamps every table it returns with `frame.attrs["synthetic"]`
(bool) and the contracts with `frame.attrs["latest_date"]` (ISO text, the latest date they speak of) and,
when extracts wrote contract histories, `frame.attrs["contract_acts"]` (the acts: `in_force_at` and `etp_at`
give the option and FTE in force at a date); pandas keeps them through the filtering an analyst does
(`contracts[contracts["region"] == "84"]`). So
every indicator takes `synthetic` and `as_of` as optional keywords:

- `synthetic=None` reads `attrs["synthetic"]`; when neither is known a French `IndicatorArgumentError`
  asks for one (never a guess: a synthetic figure must say so);
- `as_of=None` means the default counting date (`default_counting_date`: the last month-end on or before the
  extract date when it is known, `attrs["extract_date"]`; else the latest date of the data, `attrs["latest_date"]`),
  recorded on the whole data when it is loaded, so a region's subset is counted at the date of the whole data, not
  at its own last signature; a date before the scheme's start, or after the data's latest date when that is
  known, is refused in French.

Source labelling (one mechanism, used by every indicator): every frame an indicator returns carries
`frame.attrs`:

- `"sources"`: tuple of labels among `"demo"` (synthetic demo data), `"extract"` (real extract) and
  `"reference"` (a table shipped in `am_analytics.reference`), in that order of appearance;
- `"as_of"`: the counting date, ISO text;
- `"notes"`: list of French caveats for the reader (estimates, small samples, missing denominators).

`sources_of(frame)` and `is_synthetic(frame)` read them back; `SOURCE_LABELS` gives the French wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.errors import UsageError
from am_analytics.vocabulary import SCHEME_START, SYNTHETIC_MENTION

DEMO = "demo"
EXTRACT = "extract"
REFERENCE = "reference"
SOURCE_LABELS = {
    DEMO: SYNTHETIC_MENTION.lower(),
    EXTRACT: "extraction réelle des contrats",
    REFERENCE: "table de référence publiée (voir les sources)",
}

AsOf = date | datetime | str | pd.Timestamp
ONE_DAY = np.timedelta64(1, "D")
NATIONAL_CODE = "FR"
NATIONAL_NAME = "France entière"


SYNTHETIC_ATTR = "synthetic"
LATEST_DATE_ATTR = "latest_date"
EXTRACT_DATE_ATTR = "extract_date"
ACTS_ATTR = "contract_acts"


class IndicatorArgumentError(UsageError, ValueError):
    """An indicator called with an argument it cannot use; the message (French) says what to pass.

    A `UsageError` (exit code 2 on the command line, no traceback) and a `ValueError` (what an analyst
    in a notebook expects from a bad argument)."""


def as_of_timestamp(as_of: AsOf) -> pd.Timestamp:
    """The as-of date as a midnight Timestamp; indicators count events up to the end of that day."""
    if as_of is None:
        raise IndicatorArgumentError("date d'arrêté manquante : indiquer as_of, par exemple as_of=\"2025-06-30\"")
    if isinstance(as_of, str) and "/" in as_of:  # JJ/MM/AAAA, as French users type it
        from am_analytics.parameters import parse_date

        try:
            as_of = parse_date(as_of)
        except UsageError as error:
            raise IndicatorArgumentError(str(error)) from None
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise IndicatorArgumentError(
            f"date d'arrêté « {as_of} » illisible : écrire AAAA-MM-JJ, par exemple 2025-06-30"
        ) from None
    if pd.isna(stamp):
        raise IndicatorArgumentError("date d'arrêté manquante : indiquer as_of, par exemple as_of=\"2025-06-30\"")
    return stamp.normalize()


def data_latest_date(frame: pd.DataFrame) -> pd.Timestamp | None:
    """The latest date of the data a frame comes from — the latest date a counting date may take: `attrs["latest_date"]`
    when it carries it (kept through filtering), else the latest signature, end or act date of the frame itself, or
    its extract date when later (`extract_date`); None when empty."""
    recorded = frame.attrs.get(LATEST_DATE_ATTR)
    if recorded is not None and not pd.isna(recorded):
        return pd.Timestamp(recorded).normalize()
    if not {"date_signature", "date_fin"} <= set(frame.columns) or frame.empty:
        return None
    from am_analytics.parameters import latest_date

    latest = latest_date(frame)
    extracted = extract_date(frame)
    latest = None if pd.isna(latest) else latest
    return extracted if extracted is not None and (latest is None or extracted > latest) else latest


def month_end_on_or_before(day: pd.Timestamp) -> pd.Timestamp:
    """The last month-end on or before `day`: 2025-07-15 and 2025-07-01 → 2025-06-30; 2025-06-30 stays."""
    day = pd.Timestamp(day).normalize()
    return (day + pd.Timedelta(days=1)).replace(day=1) - pd.Timedelta(days=1)


def extract_date(frame: pd.DataFrame, recorded: object = None) -> pd.Timestamp | None:
    """The date the contracts were extracted on, when it is known and speaks for every contract: `recorded` (the
    manifest's latest extract date of the contract files, which `am.load()` passes), `attrs["extract_date"]` (kept
    through filtering), else the latest of the rows' `date_extraction` column. None when unknown, or when a contract
    was signed after it: a later extract of unknown date is then in the data, and its date is not known."""
    carried = frame.attrs.get(EXTRACT_DATE_ATTR)
    if recorded is None and carried is not None:
        return pd.Timestamp(carried).normalize()  # already checked against the whole data when it was stamped
    dates = [pd.Timestamp(recorded)] if recorded is not None and not pd.isna(recorded) else []
    if "date_extraction" in frame and frame["date_extraction"].notna().any():
        dates.append(pd.Timestamp(pd.to_datetime(frame["date_extraction"]).max()))
    if not dates:
        return None
    extracted = max(dates).normalize()
    signed = pd.to_datetime(frame["date_signature"]).max() if "date_signature" in frame else pd.NaT
    return None if not pd.isna(signed) and signed.normalize() > extracted else extracted


def default_counting_date(contracts: pd.DataFrame) -> pd.Timestamp | None:
    """The default counting date, one rule for the indicators, `Scope` (report, site, notebooks) and the schedule:

    - when the extract date is known (`extract_date`: the manifest's, or the rows' `date_extraction`), the last
      month-end on or before it — an extract taken on 15 July (or « juillet 2025 », read as 1 July) holds a
      partial July, so counting at 30 June compares whole months with whole months and matches the month-end
      dates of the published figures; an extract taken on 30 June counts at 30 June;
    - otherwise the latest date the contracts speak of (signature, end, act), as is: without an extract date
      nothing says the month after it is incomplete, and a month-end rule would drop a whole month of data.
    None when the frame holds no contract and no date.
    """
    extracted = extract_date(contracts)
    if extracted is not None:
        return month_end_on_or_before(extracted)
    return data_latest_date(contracts)


def counting_date(contracts: pd.DataFrame, as_of: AsOf | None) -> pd.Timestamp:
    """The date indicators count at: `as_of`, checked, or `default_counting_date` when it is None.

    Refused, in French: a date before the scheme's start (1 September 2019); a date after the data's
    latest date when the frame carries it (`attrs["latest_date"]`, set by `am.load()`). A frame built by
    hand carries no such date (its last signature need not be its extraction date): any date from the
    scheme's start on is then accepted.
    """
    if as_of is None:
        default = default_counting_date(contracts)
        if default is None:
            raise IndicatorArgumentError(
                "aucun contrat dans ces données : indiquer la date d'arrêté, par exemple as_of=\"2025-06-30\""
            )
        return default
    stamp = as_of_timestamp(as_of)
    if stamp < pd.Timestamp(SCHEME_START):
        raise IndicatorArgumentError(
            f"date d'arrêté {stamp:%d/%m/%Y} : avant le début du dispositif (1er septembre 2019)"
        )
    recorded = contracts.attrs.get(LATEST_DATE_ATTR)
    if recorded is not None and not pd.isna(recorded) and stamp > pd.Timestamp(recorded).normalize():
        raise IndicatorArgumentError(
            f"date d'arrêté {stamp:%d/%m/%Y} : après la dernière date des données "
            f"({pd.Timestamp(recorded):%d/%m/%Y})"
        )
    return stamp


def synthetic_flag(frame: pd.DataFrame | None, synthetic: bool | None) -> bool:
    """Whether a frame's data is synthetic: `synthetic` when given, else `attrs["synthetic"]` (set by
    `am.load()`); a French `IndicatorArgumentError` when neither says."""
    if synthetic is not None:
        if not isinstance(synthetic, bool | np.bool_):
            raise IndicatorArgumentError(f"synthetic doit valoir True ou False, pas {synthetic!r}")
        return bool(synthetic)
    recorded = None if frame is None else frame.attrs.get(SYNTHETIC_ATTR)
    if isinstance(recorded, bool | np.bool_):
        return bool(recorded)
    raise IndicatorArgumentError(
        "données synthétiques ou réelles ? Indiquer synthetic=True ou synthetic=False, ou charger les données "
        "avec am.load(), qui l'inscrit dans chaque tableau (frame.attrs[\"synthetic\"])"
    )


def contract_inputs(contracts: pd.DataFrame, as_of: AsOf | None, synthetic: bool | None) -> tuple[pd.Timestamp, bool]:
    """The counting date and the synthetic flag of an indicator on contracts (see the module docstring)."""
    return counting_date(contracts, as_of), synthetic_flag(contracts, synthetic)


def stamp_data(frame: pd.DataFrame, *, synthetic: bool, extracted: object = None) -> pd.DataFrame:
    """Record on a loaded table what must travel with it: `attrs["synthetic"]` and, for contracts,
    `attrs["latest_date"]` (the latest counting date allowed) and, when known, `attrs["extract_date"]` (the date
    `default_counting_date` counts from; `extracted`: the manifest's). Returns the same frame."""
    frame.attrs[SYNTHETIC_ATTR] = bool(synthetic)
    if {"date_signature", "date_fin"} <= set(frame.columns):
        # computed from the whole frame itself, not inherited values, so that every subset counts at the same date
        frame.attrs.pop(LATEST_DATE_ATTR, None)
        frame.attrs.pop(EXTRACT_DATE_ATTR, None)
        extracted = extract_date(frame, extracted)
        if extracted is not None:
            frame.attrs[EXTRACT_DATE_ATTR] = extracted.date().isoformat()
        latest = data_latest_date(frame)  # the extract date included, when later than every date of the rows
        if latest is not None:
            frame.attrs[LATEST_DATE_ATTR] = latest.date().isoformat()
    return frame


def data_source(synthetic: bool) -> str:
    """The source label of contract data: `demo` when synthetic, `extract` otherwise."""
    return DEMO if synthetic else EXTRACT


def labelled(
    frame: pd.DataFrame, *, as_of: pd.Timestamp | None, sources: Iterable[str], notes: Iterable[str] = ()
) -> pd.DataFrame:
    """Attach the source labels, as-of date and notes to an indicator frame (see the module docstring)."""
    frame.attrs = {
        "sources": tuple(dict.fromkeys(sources)),
        "as_of": None if as_of is None else as_of.date().isoformat(),
        "notes": list(notes),
    }
    return frame


def sources_of(frame: pd.DataFrame) -> tuple[str, ...]:
    """The source labels of an indicator frame (empty when the frame was not made by an indicator)."""
    return tuple(frame.attrs.get("sources", ()))


def is_synthetic(frame: pd.DataFrame) -> bool:
    """True when an indicator frame was computed from synthetic demo data (it must then say so)."""
    return DEMO in sources_of(frame)


# --- Dates -----------------------------------------------------------------------------------------


def day_array(values: pd.Series) -> np.ndarray:
    """A date column as `datetime64[ns]` numpy values (NaT kept), whatever the column's resolution."""
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        values = pd.to_datetime(values)
    return values.to_numpy(dtype="datetime64[ns]")


def end_of_day(stamp: pd.Timestamp) -> np.datetime64:
    """The instant just after `stamp`'s day: an event on day d counts as of d when it is `< end_of_day(d)`."""
    return np.datetime64(stamp.normalize(), "ns") + ONE_DAY


def signed_mask(contracts: pd.DataFrame, as_of: pd.Timestamp) -> np.ndarray:
    """Contracts signed on or before the as-of date."""
    return day_array(contracts["date_signature"]) < end_of_day(as_of)


def active_mask(contracts: pd.DataFrame, as_of: pd.Timestamp) -> np.ndarray:
    """Contracts active on the as-of date: signed on or before it and not ended on or before it.

    A contract whose `date_fin` is the as-of date is therefore NOT active on that date (it ended
    that day); NaT `date_fin` means not ended. Comparisons with NaT are false in numpy, so an
    unknown end never ends a contract.
    """
    end = end_of_day(as_of)
    return (day_array(contracts["date_signature"]) < end) & ~(day_array(contracts["date_fin"]) < end)


def etp_array(contracts: pd.DataFrame) -> np.ndarray:
    """FTE per contract as floats (each contract's latest act: see `etp_at` for the FTE in force at a date); a
    missing FTE counts 0 (the validated data has none)."""
    return contracts["etp"].astype("Float64").to_numpy(dtype=float, na_value=0.0)


# --- Contract histories -------------------------------------------------------------------------------------


class ContractHistories(dict):
    """The acts of the contracts written with a history (`contract_acts.parquet`), as they travel in
    `contracts.attrs["contract_acts"]`: pandas copies `attrs` on every filtering, so this wrapper is never
    copied (the table is read-only), and two frames holding the same one compare equal (so `pd.concat` keeps
    it). An empty dict to JSON: a frame written to Parquet by an analyst stores `{}` for it (its acts are in
    `contract_acts.parquet`), rather than failing."""

    __slots__ = ("acts",)

    def __init__(self, acts: pd.DataFrame):
        super().__init__()
        self.acts = acts

    def __deepcopy__(self, memo: dict) -> ContractHistories:
        return self

    def __copy__(self) -> ContractHistories:
        return self

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"ContractHistories({len(self.acts)} actes)"


def contract_acts(contracts: pd.DataFrame, acts: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """The acts of a contracts frame: `acts` when given, else those `am.load()` attached to it; None when the
    frame has no contract written act by act (or no `cle_contrat` to match acts by)."""
    if acts is None:
        carried = contracts.attrs.get(ACTS_ATTR)
        acts = carried.acts if isinstance(carried, ContractHistories) else None
    if acts is None or acts.empty or "cle_contrat" not in contracts:
        return None
    return acts


def _acts_by_contract(contracts: pd.DataFrame, acts: pd.DataFrame) -> pd.DataFrame:
    """The acts of the contracts present, with `position` (the contract's row position), sorted by contract then
    date of effect."""
    positions = pd.Series(np.arange(len(contracts)), index=contracts["cle_contrat"].astype("string").to_numpy())
    positions = positions[~positions.index.duplicated()]
    keys = acts["cle_contrat"].astype("string")
    present = keys.isin(positions.index).to_numpy(dtype=bool)
    found = pd.DataFrame(
        {
            "position": positions.reindex(keys[present].to_numpy()).to_numpy(dtype=np.int64),
            "date_effet": acts["date_effet"].to_numpy(dtype="datetime64[ns]")[present],
            "etp": acts["etp"].astype("Float64").to_numpy(dtype=float, na_value=0.0)[present],
            "etp_option": acts["etp_option"].astype("string").to_numpy(dtype=object)[present],
        }
    )
    return found.sort_values(["position", "date_effet"], kind="stable").reset_index(drop=True)


def in_force_at(
    contracts: pd.DataFrame, as_of: AsOf, column: str = "etp", acts: pd.DataFrame | None = None
) -> np.ndarray:
    """`column` (`etp` or `etp_option`) per contract as in force at the end of `as_of` (see `in_force_on`)."""
    day = np.datetime64(as_of_timestamp(as_of).date(), "D")
    return in_force_on(contracts, np.arange(len(contracts)), np.full(len(contracts), day), column, acts)


# (contract position, day) packed in one sortable integer: days since 1970 from 1900 to 2100 fit in ±2**18.
_DAY_BITS, _DAY_SHIFT = 20, 2**18


def in_force_on(
    contracts: pd.DataFrame, rows: np.ndarray, days: np.ndarray, column: str = "etp", acts: pd.DataFrame | None = None
) -> np.ndarray:
    """`column` (`etp` or `etp_option`) of the contract at position `rows[i]` as in force on `days[i]`: for a
    contract written with a history, its latest act taking effect on or before that day (its first act before it
    took effect); for any other, its own value. `acts` defaults to the history `am.load()` attached to the
    frame (`contract_acts`)."""
    own = etp_array(contracts) if column == "etp" else contracts[column].to_numpy(dtype=object)
    values = own[rows]  # a copy: fancy indexing
    acts = contract_acts(contracts, acts)
    if acts is None or not len(rows):
        return values
    found = _acts_by_contract(contracts, acts)
    position = found["position"].to_numpy(dtype=np.int64)
    keys = (position << _DAY_BITS) + found["date_effet"].to_numpy(dtype="datetime64[D]").astype(np.int64) + _DAY_SHIFT
    wanted = np.asarray(days, dtype="datetime64[D]")
    dated = ~np.isnat(wanted)
    rows = np.asarray(rows, dtype=np.int64)
    asked = (rows << _DAY_BITS) + np.where(dated, wanted.astype(np.int64), 0) + _DAY_SHIFT
    latest = np.searchsorted(keys, asked, side="right") - 1
    first = np.searchsorted(keys, rows << _DAY_BITS, side="left")
    # the latest act by then when the contract has one in force, else its first act
    at = np.where((latest >= 0) & (position[np.maximum(latest, 0)] == rows), latest, first)
    has = dated & (at < len(position)) & (position[np.minimum(at, len(position) - 1)] == rows)
    values[has] = found[column].to_numpy()[at[has]]
    return values


def etp_at(contracts: pd.DataFrame, as_of: AsOf, acts: pd.DataFrame | None = None) -> np.ndarray:
    """FTE per contract in force at the end of `as_of` (see `in_force_at`): what active FTE count."""
    return in_force_at(contracts, as_of, "etp", acts)


def etp_changes(
    contracts: pd.DataFrame, acts: pd.DataFrame | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What the FTE of each contract is when signed, and how its avenants change it while it runs: (FTE at
    signature per contract; then per change: the contract's position, the date it takes effect, the change of
    FTE). A change before the signature or from the end on changes nothing counted and is left out. Without a
    history, the FTE at signature is each contract's FTE and there is no change."""
    at_signature = etp_array(contracts)
    acts = contract_acts(contracts, acts)
    if acts is None:
        return at_signature, np.zeros(0, dtype=np.int64), np.zeros(0, dtype="datetime64[ns]"), np.zeros(0)
    found = _acts_by_contract(contracts, acts)
    position = found["position"].to_numpy()
    signature = day_array(contracts["date_signature"])[position]
    end = day_array(contracts["date_fin"])[position]
    effective = found["date_effet"].to_numpy(dtype="datetime64[ns]")
    # in force at signature: the latest act taking effect by then, else the first one
    for chosen in (found.drop_duplicates("position"), found[effective <= signature].drop_duplicates(
            "position", keep="last")):
        at_signature[chosen["position"].to_numpy()] = chosen["etp"].to_numpy()
    later = np.r_[False, position[1:] == position[:-1]]
    step = np.diff(found["etp"].to_numpy(), prepend=0.0)
    running = later & (effective > signature) & ~(effective >= end)
    return at_signature, position[running], effective[running], step[running]


def civil_from_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) of integer days since 1970-01-01, in integer arithmetic (H. Hinnant's
    `civil_from_days`): much faster than numpy's month-resolution datetime conversions."""
    z = np.asarray(days, dtype=np.int64) + 719_468
    era = np.floor_divide(z, 146_097)
    day_of_era = z - era * 146_097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153  # months counted from March
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = np.where(shifted_month < 10, shifted_month + 3, shifted_month - 9)
    return year_of_era + era * 400 + (month <= 2), month, day


def days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Integer days since 1970-01-01 of (year, month, day), the inverse of `civil_from_days`."""
    year = np.asarray(year, dtype=np.int64) - (np.asarray(month) <= 2)
    era = np.floor_divide(year, 400)
    year_of_era = year - era * 400
    day_of_year = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    return era * 146_097 + year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year - 719_468


# Lookup tables make anniversaries a few array lookups (integer division on millions of rows is slow):
# the day number of 1 January and the leap flag of every year pandas' nanosecond dates can hold, plus
# the day of year each month starts on in a common year.
_FIRST_YEAR, _LAST_YEAR = 1600, 2800
_TABLE_YEARS = np.arange(_FIRST_YEAR, _LAST_YEAR + 1)
_JANUARY_FIRST = days_from_civil(_TABLE_YEARS, np.ones_like(_TABLE_YEARS), np.ones_like(_TABLE_YEARS))
_LEAP = (_TABLE_YEARS % 4 == 0) & ((_TABLE_YEARS % 100 != 0) | (_TABLE_YEARS % 400 == 0))
_MONTH_START = np.array([0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334])  # indexed by month 1–12


def anniversary_days(year: np.ndarray, month: np.ndarray, day: np.ndarray, years) -> np.ndarray:
    """Integer days of the date `years` years after (year, month, day); 29 February becomes 28 February
    in a common year (the only day a change of year can make invalid)."""
    position = np.asarray(year + years, dtype=np.int64) - _FIRST_YEAR
    leap = _LEAP[position]
    day = np.where((month == 2) & (day == 29) & ~leap, 28, day)
    return _JANUARY_FIRST[position] + _MONTH_START[month] + (leap & (month > 2)) + day - 1


def add_years(days: np.ndarray, years: np.ndarray | int) -> np.ndarray:
    """Anniversaries: `days` (datetime64) plus whole years, as datetime64[D]; NaT stays NaT."""
    days = np.asarray(days).astype("datetime64[D]")
    missing = np.isnat(days)
    integers = np.where(missing, 0, days.astype(np.int64))
    result = anniversary_days(*civil_from_days(integers), years).astype("datetime64[D]")
    result[missing] = np.datetime64("NaT")
    return result


def months_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Signed length of [start, end] in average months (365.25 / 12 days), rounded to 0.1."""
    return round((end - start).days / (365.25 / 12), 1)


# --- Territories -----------------------------------------------------------------------------------


@cache
def departement_table() -> pd.DataFrame:
    """Every département (code, name, region code), in COG order."""
    return reference.departements()[["code", "name", "region_code"]].reset_index(drop=True)


@cache
def region_table() -> pd.DataFrame:
    """Every 2016 region (code, name), in COG order."""
    return reference.regions()[["region_code", "region_name"]].rename(
        columns={"region_code": "code", "region_name": "name"}
    )


@cache
def _departement_to_region_index() -> np.ndarray:
    regions = list(region_table()["code"])
    return np.array([regions.index(code) for code in departement_table()["region_code"]], dtype=np.int64)


def category_codes(values: pd.Series, categories: Sequence[str]) -> np.ndarray:
    """Position of each value in `categories`; -1 for missing or unknown values (hashing, no Python loop)."""
    # Factorise first: a million values have only a few distinct ones, and only those are looked up.
    codes, uniques = pd.factorize(values)
    lookup = np.append(pd.Index(list(categories), dtype="string").get_indexer(pd.Index(uniques, dtype="string")), -1)
    return lookup[codes].astype(np.int64)  # code -1 (missing) reads the appended -1


def departement_index(contracts: pd.DataFrame) -> np.ndarray:
    """Position of each contract's département in `departement_table()`; -1 when unknown."""
    return category_codes(contracts["departement"], departement_table()["code"])


def region_index(contracts: pd.DataFrame) -> np.ndarray:
    """Position of each contract's region in `region_table()`, derived from its département (so regions
    are exactly the sums of their départements); -1 when the département is unknown."""
    dept = departement_index(contracts)
    lookup = np.append(_departement_to_region_index(), -1)  # index -1 reads the appended -1
    return lookup[dept]


def count_by(index: np.ndarray, size: int, mask: np.ndarray | None = None, weights: np.ndarray | None = None):
    """Counts (or weighted sums) per group position 0..size-1; rows at -1 or outside `mask` are skipped."""
    keep = index >= 0 if mask is None else (index >= 0) & mask
    w = None if weights is None else weights[keep]
    result = np.bincount(index[keep], weights=w, minlength=size)
    return result if weights is not None else result.astype(np.int64)


def ratio(numerator, denominator, scale: float = 1.0) -> pd.Series:
    """`scale × numerator / denominator` as Float64, missing (never 0 or inf) where the denominator is
    missing or zero."""
    num = pd.Series(numerator, dtype="Float64")
    den = pd.Series(denominator, dtype="Float64").reset_index(drop=True)
    num = num.reset_index(drop=True)
    out = (num * scale / den.where(den != 0)).astype("Float64")
    return out
