"""Versions of a contract across cumulative, re-sent extracts: which extract is later, which version wins,
what changed, and which key identifies a contract.

Extracts are cumulative: a contract comes back in every later extract, with an end date or a new aid total
once something happened. The version of a row comes from evidence only: its extract's date (a "date
d'extraction" column, else a date in the file name), or, undated, the place of its file in a sequence of names
(same stem, increasing numbers: `extraction_v1`, `extraction_v2`). The latest version wins; the older ones are
*updated* and every difference goes to the change log. Two different versions with the same extract date are a
conflict, and so are two undated files without such a sequence that disagree on a field that counts (FTE,
signature or end date, geography): neither can be chosen, so the contract's rows are quarantined with both files
named. (Undated files that differ only on descriptive fields are still ranked by their names' order.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from am_analytics.text import fold

# How the extract date of a file was found (the manifest says which).
BY_COLUMN = "colonne"
BY_FILE_NAME = "nom de fichier"
BY_FILE_ORDER = "ordre des fichiers"

_FRENCH_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
# Dates in file names: 2024-06-30, 20240630, 2024_06_30, 30-06-2024, 2024-06 and "juin 2024". A year alone
# ("contrats_2021") names the contracts' year, not the extract's, so it is not read as a date.
_NAME_DATES = (
    (re.compile(r"(?<!\d)(20\d{2})[-_. ]?(0[1-9]|1[0-2])[-_. ]?(0[1-9]|[12]\d|3[01])(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])[-_.](0[1-9]|1[0-2])[-_.](20\d{2})(?!\d)"), (3, 2, 1)),
    (re.compile(r"(?<!\d)(20\d{2})[-_.](0[1-9]|1[0-2])(?![\d])"), (1, 2, None)),
)
# The fields a count depends on: two undated extracts that disagree on one of them are a conflict, not an update.
COUNTING_FIELDS = ("etp_option", "etp", "date_signature", "date_fin", "departement", "region", "caisse")
# A name ending in a number (the last run of digits, its stem and what follows): "extraction_v2", "lot 10".
_NUMBERED_NAME = re.compile(r"^(?P<stem>.*?)(?P<number>\d+)(?P<rest>\D*)$")
_NAME_MONTH_YEAR = re.compile(r"\b(" + "|".join(_FRENCH_MONTHS) + r") (20\d{2})\b")


def extract_date_from_name(name: str) -> date | None:
    """The extract date a file name states, or None when it states none or several different ones."""
    stem = name.rsplit(".", 1)[0]
    found: set[date] = set()
    for pattern, (year, month, day) in _NAME_DATES:
        for match in pattern.finditer(stem):
            try:
                found.add(date(int(match.group(year)), int(match.group(month)), int(match.group(day)) if day else 1))
            except ValueError:
                continue
        if found:
            break
    if not found:
        for month, year in _NAME_MONTH_YEAR.findall(fold(stem)):
            found.add(date(int(year), _FRENCH_MONTHS[month], 1))
    return found.pop() if len(found) == 1 else None


def name_sequences(names: list[str]) -> list[tuple[int, int] | None]:
    """For each file name, (sequence, number) when it belongs to a sequence of names — at least two names with the
    same stem, the same ending and different numbers (`extraction_v1.csv`, `extraction_v2.csv`; `lot 9`, `lot 10`)
    — else None. An archive's member is named by the member (`lot.zip:contrats_3.csv`)."""
    keys: list[tuple[str, str] | None] = []
    numbers: list[int | None] = []
    for name in names:
        base = name.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower()
        stem, _, extension = base.rpartition(".")
        match = _NUMBERED_NAME.match(stem or extension)
        keys.append((match["stem"], match["rest"] + "." + extension) if match else None)
        numbers.append(int(match["number"]) if match else None)
    members: dict[tuple[str, str], set[int]] = {}
    for key, number in zip(keys, numbers, strict=True):
        if key is not None and number is not None:
            members.setdefault(key, set()).add(number)
    sequences = {key: n for n, key in enumerate(k for k, found in members.items() if len(found) > 1)}
    return [
        (sequences[key], number) if key in sequences and number is not None else None
        for key, number in zip(keys, numbers, strict=True)
    ]


@dataclass(frozen=True)
class KeyChoice:
    """Which columns identify a contract, and why (French, for the manifest and the README)."""

    columns: tuple[str, ...]
    reason: str

    def as_record(self) -> dict[str, object]:
        return {"columns": list(self.columns), "reason": self.reason}


# Across files, numbers restart per caisse when most numbers found in several files sit under different
# caisses (one file per caisse); a few contracts whose département was corrected do not make a restart.
_RESTART_SHARE = 0.5
_RESTART_MINIMUM = 3


def choose_key(frame: pd.DataFrame, part: pd.Series) -> tuple[pd.Series, KeyChoice]:
    """The key of each row and how it was chosen: the contract number, or (caisse or département, number)
    when numbers restart in each caisse.

    Numbers restart when, within one extract (file or sheet), one number is written under two caisses or
    départements; or when the numbers several extracts share mostly sit under different ones (an extract per
    caisse). The caisse is the scope when every row has one, else the département.
    """
    scope = "caisse" if "caisse" in frame and frame["caisse"].notna().all() and len(frame) else "departement"
    number, geography = frame["contrat_id"], frame[scope]
    # Only numbers written more than once can restart: the others (nearly all, in a large extract) are skipped
    # before any grouping.
    codes, _ = pd.factorize(number, use_na_sentinel=True)
    counts = np.bincount(codes[codes >= 0]) if (codes >= 0).any() else np.zeros(0, dtype=np.int64)
    repeated_number = np.zeros(len(frame), dtype=bool)
    repeated_number[codes >= 0] = counts[codes[codes >= 0]] > 1
    known = repeated_number & geography.notna().to_numpy()
    pairs = pd.DataFrame({"number": number[known], "geo": geography[known], "part": part[known]})
    label = "caisse" if scope == "caisse" else "département"
    # Within one extract: the numbers written more than once, and how many of them sit under several scopes.
    # One number under two départements is a conflict to report, not a numbering: a restart shows on many.
    within = pairs.groupby(["part", "number"], sort=False)["geo"].agg(["size", "nunique"])
    repeated = within[within["size"] > 1]
    restarted_within = repeated[repeated["nunique"] > 1]
    if len(restarted_within) >= _RESTART_MINIMUM and len(restarted_within) > _RESTART_SHARE * len(repeated):
        example = restarted_within.index[0][1]
        reason = (
            f"numéros de contrat qui recommencent dans chaque {label} : {len(restarted_within)} numéros (dont "
            f"« {example} ») apparaissent sous plusieurs {label}s dans un même fichier ; clé = ({label}, numéro)"
        )
        return _scoped(frame, scope), KeyChoice((scope, "contrat_id"), reason)
    per_number = pairs.drop_duplicates(["part", "number", "geo"]).groupby("number", sort=False)
    shared = per_number["part"].nunique() > 1
    differing = per_number["geo"].nunique()[shared] > 1
    if differing.sum() >= _RESTART_MINIMUM and differing.mean() > _RESTART_SHARE:
        reason = (
            f"numéros de contrat qui recommencent dans chaque {label} : {int(differing.sum())} numéros sur "
            f"{int(shared.sum())} communs à plusieurs fichiers y sont sous des {label}s différents (un fichier par "
            f"{label}) ; clé = ({label}, numéro)"
        )
        return _scoped(frame, scope), KeyChoice((scope, "contrat_id"), reason)
    return number.astype("string"), KeyChoice(
        ("contrat_id",), "aucun numéro de contrat répété sous deux caisses ou départements : clé = numéro"
    )


def _scoped(frame: pd.DataFrame, scope: str) -> pd.Series:
    return (frame[scope].astype("string") + " / " + frame["contrat_id"].astype("string")).astype("string")


@dataclass
class Versions:
    """Per row (aligned on the frame given): kept, merged (a copy of the winning version), updated (an older
    version, superseded) or conflict (two different versions at the same, latest extract date)."""

    kept: np.ndarray
    merged: np.ndarray
    updated: np.ndarray
    conflict: np.ndarray
    changes: pd.DataFrame  # old_row, new_row, column (positions in the frame given)
    # row, first, second (the conflicting pair), columns (those that differ), undated (two undated extracts that
    # nothing ranks, rather than two versions of one date)
    conflicts: pd.DataFrame


CHANGE_PAIR_COLUMNS = ["old_row", "new_row", "column"]
# `order` = part number × PART_STRIDE + position in the part: one number ranks files, then lines.
PART_STRIDE = 10**9


def resolve_versions(
    frame: pd.DataFrame,
    key: pd.Series,
    content: list[str],
    when: pd.Series,
    order: pd.Series,
    evidence: np.ndarray | None = None,
) -> Versions:
    """Settle the rows sharing a key.

    `when` is the extract date of each row (NaT when its file has none); `order` the file order (then the
    line) that ranks rows of the same date. Undated files rank before dated ones, among themselves by order.
    `evidence` numbers, per row, what ranks an undated row's file: rows of files in one sequence of names share
    a number (`order` ranks them by the sequence), any other file has its own. When a contract's latest version
    is undated, another undated version whose file nothing ranks against it (another `evidence` number) and that
    differs on a counting field (`COUNTING_FIELDS`) makes a conflict. Without `evidence`, two undated files never
    conflict (only versions inside one undated file can).
    """
    n = len(frame)
    kept = np.ones(n, dtype=bool)
    merged = np.zeros(n, dtype=bool)
    updated = np.zeros(n, dtype=bool)
    conflict = np.zeros(n, dtype=bool)
    empty_changes = pd.DataFrame(
        {c: pd.Series(dtype="int64" if c != "column" else "string") for c in CHANGE_PAIR_COLUMNS}
    )
    empty_conflicts = pd.DataFrame(
        {"row": pd.Series(dtype="int64"), "first": pd.Series(dtype="int64"), "second": pd.Series(dtype="int64"),
         "columns": pd.Series(dtype="string"), "undated": pd.Series(dtype="bool")}
    )
    codes, _ = pd.factorize(key, use_na_sentinel=True)
    present = codes >= 0
    counts = np.bincount(codes[present]) if present.any() else np.zeros(0, dtype=np.int64)
    repeated = np.zeros(n, dtype=bool)
    repeated[present] = counts[codes[present]] > 1
    if not repeated.any():
        return Versions(kept, merged, updated, conflict, empty_changes, empty_conflicts)

    rows = np.flatnonzero(repeated)
    days = when.to_numpy(dtype="datetime64[D]")[rows]
    dated = ~np.isnat(days)
    day_number = np.where(dated, days.astype("datetime64[D]").astype(np.int64), np.iinfo(np.int64).min)
    rank = order.to_numpy(dtype=np.int64)[rows]
    # The moment two versions must not share: the extract date, or, undated, the file itself.
    moment = np.where(dated, day_number, -1 - rank // PART_STRIDE)
    hashes = pd.util.hash_pandas_object(frame.iloc[rows][content], index=False).to_numpy()
    counting = [c for c in COUNTING_FIELDS if c in content]
    counted = (
        pd.util.hash_pandas_object(frame.iloc[rows][counting], index=False).to_numpy()
        if counting and evidence is not None else np.zeros(len(rows), dtype=np.uint64)
    )
    proof = evidence[rows] if evidence is not None else np.zeros(len(rows), dtype=np.int64)
    group = codes[rows]
    sort = np.lexsort((rank, day_number, group))
    rows, group, moment, hashes = rows[sort], group[sort], moment[sort], hashes[sort]
    dated, counted, proof = dated[sort], counted[sort], proof[sort]

    last_of_group = np.r_[group[1:] != group[:-1], True]
    # broadcast each group's last row to the whole group
    last_index = np.flatnonzero(last_of_group)
    group_id = np.cumsum(np.r_[True, group[1:] != group[:-1]]) - 1
    final = last_index[group_id]
    at_last_moment = moment == moment[final]
    differs_from_final = hashes != hashes[final]
    rival = at_last_moment & differs_from_final
    if evidence is not None:
        # undated versions that nothing ranks against the latest, undated one, and that count differently
        unranked = ~dated & ~dated[final] & (proof != proof[final]) & (counted != counted[final])
        rival |= unranked
    conflicted_group = np.zeros(len(last_index), dtype=bool)
    np.logical_or.at(conflicted_group, group_id, rival)
    in_conflict = conflicted_group[group_id]

    kept[rows] = last_of_group & ~in_conflict
    merged[rows] = ~last_of_group & ~differs_from_final & ~in_conflict
    updated[rows] = differs_from_final & ~in_conflict
    conflict[rows] = in_conflict

    # Change log: successive distinct versions of each settled contract (a version repeated in several
    # extracts counts once).
    new_version = np.r_[False, (group[1:] == group[:-1]) & (hashes[1:] != hashes[:-1])]
    settled = ~in_conflict
    pairs_at = np.flatnonzero(new_version & settled)
    changes = changed_columns(frame, content, rows[pairs_at - 1], rows[pairs_at]) if len(pairs_at) else empty_changes

    conflicts = empty_conflicts
    if in_conflict.any():
        # For each conflicting contract, the pair that conflicts: its last row and an earlier row of the same
        # extract date holding another version; every row of the contract is reported with that pair.
        pair_of: dict[int, tuple[int, int, str, bool]] = {}
        for g in np.unique(group_id[in_conflict]):
            last = last_index[g]
            partner = _partner(last, rival, group_id)
            differing = ", ".join(_differing(frame, content, rows[partner], rows[last]))
            pair_of[int(g)] = (int(rows[partner]), int(rows[last]), differing, bool(moment[partner] != moment[last]))
        bad = np.flatnonzero(in_conflict)
        pairs = [pair_of[int(g)] for g in group_id[bad]]
        conflicts = pd.DataFrame(
            {
                "row": rows[bad],
                "first": np.array([p[0] for p in pairs], dtype=np.int64),
                "second": np.array([p[1] for p in pairs], dtype=np.int64),
                "columns": pd.array([p[2] for p in pairs], dtype="string"),
                "undated": np.array([p[3] for p in pairs], dtype=bool),
            }
        )
    return Versions(kept, merged, updated, conflict, changes, conflicts)


def _partner(last: int, rival: np.ndarray, group_id: np.ndarray) -> int:
    """For the final row of a conflicting group: the nearest earlier row that conflicts with it (another version
    of the same moment, or an unranked undated one; there is one, or the group would not conflict)."""
    j = last - 1
    while j >= 0 and group_id[j] == group_id[last]:
        if rival[j]:
            return j
        j -= 1
    raise AssertionError("a conflicting group without two versions at its last date")


def _differing(frame: pd.DataFrame, content: list[str], a: int, b: int) -> list[str]:
    left, right = frame.iloc[a], frame.iloc[b]
    return [c for c in content if not _same(left[c], right[c])]


def _same(x: object, y: object) -> bool:
    if pd.isna(x) and pd.isna(y):
        return True
    if pd.isna(x) or pd.isna(y):
        return False
    return bool(x == y)


def changed_columns(frame: pd.DataFrame, content: list[str], old: np.ndarray, new: np.ndarray) -> pd.DataFrame:
    """(old_row, new_row, column) for every column whose value differs between two versions (vectorised)."""
    records = []
    for column in content:
        left = frame[column].iloc[old].reset_index(drop=True)
        right = frame[column].iloc[new].reset_index(drop=True)
        both_missing = left.isna().to_numpy() & right.isna().to_numpy()
        equal = (left == right).fillna(False).to_numpy(dtype=bool) | both_missing
        at = np.flatnonzero(~equal)
        if len(at):
            records.append(pd.DataFrame({"old_row": old[at], "new_row": new[at], "column": column}))
    if not records:
        return pd.DataFrame({"old_row": pd.Series(dtype="int64"), "new_row": pd.Series(dtype="int64"),
                             "column": pd.Series(dtype="string")})
    return pd.concat(records, ignore_index=True).astype({"column": "string"})
