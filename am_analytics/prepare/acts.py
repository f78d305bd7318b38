"""Contract histories: an extract that writes one row per act (the initial contract, then each avenant).

A contract is one contract with its history. Each row carrying act information (« Type d'acte » initial /
avenant, « N° d'avenant », « Date d'effet ») is one act; the act identifies the row among the contract's rows, so
the version logic settles each act across re-sent extracts (the latest extract wins per act, exact repeats are
merged, two different versions of one act at one extract date are a conflict). Then, per contract:

- the acts are ordered by their date of effect (the initial act takes effect at its « Date d'effet », else at
  the signature); an avenant taking effect before the initial contract is quarantined;
- the contract's row in `contracts.parquet` is its latest act (its option and FTE are the ones in force now),
  with the signature date of the initial act; the earlier acts are counted as *updated* rows, and each is a row
  of `contract_acts.parquet` (`ACT_TABLE_COLUMNS`) so that the FTE in force at any date can be found
  (`indicators.common.etp_at`);
- every avenant is one line of the change log: what it changed, from which date.

Rows of one contract that carry no act information stay versions of one contract (a conflict when they disagree
at one extract date). A row without act information beside a contract's history is merged when it repeats one
of its acts, else quarantined: nothing says where it sits in the history.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from am_analytics.ingest import values as v
from am_analytics.text import fold

INITIAL = "initial"
AVENANT = "avenant"
ACT_COLUMNS = ["type_acte", "numero_avenant", "date_effet"]
# `contract_acts.parquet`: one row per act of every contract written with a history (others have none: their
# FTE never changed).
ACT_TABLE_COLUMNS = [
    "cle_contrat", "contrat_id", "date_effet", "type_acte", "numero_avenant", "etp_option", "etp", "source_file",
    "source_line",
]
# Columns an act does not change, or derived from another (the FTE from its option, the region from the
# département): left out of what an avenant is said to change.
_NOT_AN_AMENDMENT = ("date_signature", "etp", "region", "date_extraction", *ACT_COLUMNS)

# « Contrat initial », « Initial », « Création », « Signature », « Contrat » ; « Avenant », « Avenant n°2 », « AV 2 ».
_INITIAL_WORDS = re.compile(r"^(contrat )?(initial|initiale|creation|signature|souscription|origine)( contrat)?$"
                            r"|^contrat$")
_AVENANT = re.compile(r"^(avenant|av)( (n|no|numero))?( ?(?P<number>\d{1,3}))?$")
_NUMBER = re.compile(r"^((avenant|av|n|no|numero) ?)*(?P<number>\d{1,3})( 0)?$")


def normalise_acts(types: pd.Series, numbers: pd.Series, dates: pd.Series) -> pd.DataFrame:
    """Per row: `type_acte` (initial, avenant or NA when the row says nothing of an act), `numero_avenant`
    (0 for the initial act, the avenant's number, NA when unnumbered), `date_effet`, and the `reason` (with the
    `column` it concerns) when the act cannot be placed in a history: an unknown type of act, an unreadable
    number or date of effect, an avenant without a date of effect."""
    index = types.index
    if types.isna().all() and numbers.isna().all() and dates.isna().all():
        return _no_acts(index)  # the usual extract, one row per contract: nothing to parse
    kinds, written_numbers, type_unknown = _kinds(types)
    given, number_unreadable = _by_distinct(numbers, _number_of)
    number = given.astype("Int64").fillna(written_numbers)
    # A number alone says the act: 0 is the initial contract, any other an avenant.
    kinds = kinds.fillna(number.map(lambda n: INITIAL if n == 0 else AVENANT, na_action="ignore").astype("string"))
    number = number.mask(kinds.eq(INITIAL).fillna(False).to_numpy(dtype=bool), 0)
    found = v.normalise_dates(dates)
    date_unreadable = found["reason"].notna().to_numpy(dtype=bool)
    avenant = kinds.eq(AVENANT).fillna(False).to_numpy(dtype=bool)
    undated = avenant & found["value"].isna().to_numpy() & ~date_unreadable
    reason = np.select(
        [type_unknown, number_unreadable, date_unreadable, undated],
        ["type_acte_inconnu", "numero_avenant_illisible", "date_effet_illisible", "date_effet_manquante"],
        default="",
    )
    column = np.select(
        [type_unknown, number_unreadable, date_unreadable | undated],
        ["type_acte", "numero_avenant", "date_effet"], default="",
    )
    return pd.DataFrame(
        {
            "type_acte": kinds.astype("string"),
            "numero_avenant": number.astype("Int64"),
            "date_effet": found["value"].astype("datetime64[ns]"),
            "reason": pd.array(np.where(reason == "", None, reason), dtype="string"),
            "column": pd.array(np.where(column == "", None, column), dtype="string"),
        },
        index=index,
    )


def _no_acts(index: pd.Index) -> pd.DataFrame:
    missing = pd.Series(pd.NA, index=index, dtype="string")
    return pd.DataFrame(
        {
            "type_acte": missing,
            "numero_avenant": pd.Series(pd.NA, index=index, dtype="Int64"),
            "date_effet": pd.Series(pd.NaT, index=index, dtype="datetime64[ns]").to_numpy(),
            "reason": missing,
            "column": missing,
        },
        index=index,
    )


def _kinds(types: pd.Series) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """The kind of act each « Type d'acte » cell says, the avenant number written in it, and where it says
    something else."""
    kind_and_number, unknown = _by_distinct(types, _kind_of)
    kinds = kind_and_number.map(lambda pair: pair[0], na_action="ignore").astype("string")
    numbers = kind_and_number.map(lambda pair: pair[1], na_action="ignore").astype("Int64")
    return kinds, numbers, unknown


def _kind_of(folded: str) -> tuple[str, int | None] | None:
    """(kind, number) of a folded « Type d'acte », or None when it names no act this reader knows."""
    if _INITIAL_WORDS.match(folded):
        return INITIAL, 0
    match = _AVENANT.match(folded)
    if match:
        return AVENANT, int(match["number"]) if match["number"] else None
    return None


def _number_of(folded: str) -> int | None:
    """An avenant number as written: « 2 », « 2.0 », « n°2 », « Avenant 2 »; None when unreadable."""
    match = _NUMBER.match(folded)
    return int(match["number"]) if match else None


def _by_distinct(values: pd.Series, parse) -> tuple[pd.Series, np.ndarray]:
    """`parse` applied once per distinct folded value (a history has few spellings): the results (NA where the
    cell is empty or unreadable) and where a written cell could not be read."""
    codes, uniques = pd.factorize(values.astype("string").str.strip().replace("", pd.NA), use_na_sentinel=True)
    parsed = np.empty(len(uniques) + 1, dtype=object)  # the last slot answers the empty cells (code -1)
    parsed[:-1] = [parse(fold(u)) for u in uniques]
    results = parsed[codes]
    unreadable = (codes >= 0) & np.array([p is None for p in parsed], dtype=bool)[codes]
    return pd.Series(results, index=values.index, dtype=object), unreadable


def act_identity(frame: pd.DataFrame) -> pd.Series:
    """What identifies a row's act among its contract's rows: "" (no act written), `initial`, `avenant 2`, or
    an unnumbered avenant by its date of effect (`avenant du 2024-03-01`)."""
    kinds = frame["type_acte"].astype("string")
    number = frame["numero_avenant"].astype("Int64").astype("string")
    day = frame["date_effet"].dt.strftime("%Y-%m-%d").astype("string")
    numbered = ("avenant " + number).where(number.notna(), "avenant du " + day.fillna("?"))
    identity = kinds.where(kinds.ne(AVENANT).fillna(True), numbered)
    return identity.fillna("").astype("string")


def act_label(kind: object, number: object, effective: object) -> str:
    """« contrat initial », « avenant n°2 » or « avenant du 01/03/2024 » (for messages and the change log)."""
    if kind == INITIAL:
        return "contrat initial"
    if number is not None and not pd.isna(number):
        return f"avenant n°{int(number)}"
    if effective is not None and not pd.isna(effective):
        return f"avenant du {pd.Timestamp(effective):%d/%m/%Y}"
    return "avenant"


def amended_columns(content: list[str]) -> list[str]:
    """The content columns an avenant can be said to change."""
    return [c for c in content if c not in _NOT_AN_AMENDMENT]


def history_order(frame: pd.DataFrame, rows: np.ndarray, key: pd.Series) -> pd.DataFrame:
    """The acts at `rows` (positions in `frame`) with their contract key and date in force, sorted by contract,
    then date of effect (the initial act first on a tie, then avenant numbers)."""
    acts = frame.iloc[rows]
    initial = acts["type_acte"].eq(INITIAL).fillna(False).to_numpy(dtype=bool)
    effective = acts["date_effet"].to_numpy(dtype="datetime64[ns]").copy()
    effective[initial & np.isnat(effective)] = acts["date_signature"].to_numpy(dtype="datetime64[ns]")[
        initial & np.isnat(effective)
    ]
    table = pd.DataFrame(
        {
            "row": rows,
            "key": key.iloc[rows].to_numpy(),
            "in_force": effective,
            "initial": initial,
            "number": acts["numero_avenant"].astype("Int64").fillna(10**6).to_numpy(dtype=np.int64),
        }
    )
    table["not_initial"] = ~table["initial"]
    return table.sort_values(["key", "in_force", "not_initial", "number"], kind="stable").reset_index(drop=True)


def contract_starts(order: pd.DataFrame) -> pd.Series:
    """The date each contract of `history_order` starts: its initial act's (contracts without one: absent)."""
    return order[order["initial"]].drop_duplicates("key").set_index("key")["in_force"]


def early_avenants(order: pd.DataFrame, starts: pd.Series) -> np.ndarray:
    """Positions (in `order`) of avenants taking effect before their contract's initial act (`starts`)."""
    start = order["key"].map(starts).to_numpy(dtype="datetime64[ns]")
    early = ~order["initial"].to_numpy() & ~np.isnat(start) & (order["in_force"].to_numpy() < start)
    return np.flatnonzero(early)
