"""The preparation: raw folder → normalised, validated, pseudonymised tables in the processed folder.

Load (discover and read every file and sheet, dropping columns outside the datasets), process (route each
table to its dataset's step, settle versions of a contract across extracts, merge exact copies, quarantine
the rows a required field rejects, list warnings on descriptive fields, validate), save (Parquet tables,
quarantine, warnings, change log, manifest with every output's SHA-256), each output written atomically.
Every raw row ends up kept, updated (an older version a later extract replaced), merged into an identical
row, or quarantined; the accounting is checked before anything is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from filelock import FileLock, Timeout

from am_analytics import __version__, atomic, privacy
from am_analytics.coverage import coverage_of
from am_analytics.errors import DataError, Location, UsageError
from am_analytics.ingest.archives import FORMATS_READ, gather_inputs
from am_analytics.ingest.headers import OWN_LISTS
from am_analytics.prepare import activity, acts, contracts, survey, territory
from am_analytics.prepare.manifest import MANIFEST_NAME, FileAccount, build_manifest, input_fingerprint
from am_analytics.prepare.own_lists import combined_generalists, read_own_list
from am_analytics.prepare.quarantine import empty_located, empty_quarantine, quarantine_rows, reason_counts
from am_analytics.prepare.reading import (
    FileRead,
    Part,
    no_dataset_error,
    provenance_sidecar,
    read_file,
    unread_file,
)
from am_analytics.prepare.steps import DatasetStep, StepResult
from am_analytics.prepare.versions import PART_STRIDE, changed_columns, choose_key, name_sequences, resolve_versions
from am_analytics.prepare.warnings import (
    column_warnings,
    empty_warnings,
    file_warnings,
    locate_warnings,
    sheet_warnings,
)
from am_analytics.vocabulary import REASONS

__all__ = [
    "CHANGES_FILE", "OUTPUT_FILES", "QUARANTINE_FILE", "WARNINGS_FILE", "Prepared", "is_current", "prepare",
    "prepare_locked", "provenance_sidecar", "read_manifest",
]

log = logging.getLogger(__name__)

QUARANTINE_FILE = "quarantine.parquet"
WARNINGS_FILE = "warnings.parquet"
CHANGES_FILE = "changes.parquet"
OUTPUT_FILES = {
    "contracts": "contracts.parquet",
    "contract_acts": "contract_acts.parquet",
    "territory_year": "territory_year.parquet",
    "survey": "survey.parquet",
    "survey_tables": "survey_tables.parquet",
    "activity": "activity.parquet",
    "own_generalists": "own_generalists.parquet",
    "own_training_sites": "own_training_sites.parquet",
}
CHANGE_COLUMNS = [
    "contract_key", "column", "old_value", "new_value", "old_file", "new_file", "old_line", "new_line",
    "old_extract_date", "new_extract_date", "act", "effective_date",
]

# Each dataset's step module: normalise one file, settle duplicates, validate (see steps.DatasetStep).
STEPS: dict[str, DatasetStep] = {
    "contracts": contracts, "territory_year": territory, "survey": survey, "activity": activity,
}
# Datasets that name doctors by their RPPS: the same keyed pseudonym replaces it in their tables and quarantine.
_DOCTOR_DATASETS = ("contracts", "activity")


@dataclass
class Prepared:
    """What a preparation produced, in memory and on disk."""

    out_dir: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    accounts: list[FileAccount] = field(default_factory=list)
    warnings: pd.DataFrame = field(default_factory=empty_warnings)
    changes: pd.DataFrame = field(default_factory=lambda: empty_changes())


def empty_changes() -> pd.DataFrame:
    return empty_located(CHANGE_COLUMNS)


def prepare(
    data_dir: Path,
    out_dir: Path,
    *,
    cutoff: date | None = None,
    key: bytes | None = None,
    strict: bool = False,
    caisse_columns: Iterable[str] = (),
    territory: str | None = None,
) -> Prepared:
    """Read every file of `data_dir`, write the processed tables into `out_dir`, return what was done.

    `cutoff` is the acceptance cut-off: a contract signed after it is quarantined (default: today).
    `caisse_columns` names headers to read as caisse codes or names (a département column that holds
    caisses). With `strict`, any quarantined row is an error (exit code 3) and nothing is written.
    `territory` declares what the contracts cover (`coverage`: a region's code or name, several, or France);
    it is checked against the kept contracts, and the manifest records the coverage either way (`territoire`).
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    if not data_dir.is_dir():
        raise DataError("dossier introuvable", where=Location(file=str(data_dir)), hint="indiquer --data-dir")
    inputs, unread = gather_inputs(data_dir)
    if not inputs and not unread:
        raise DataError(
            f"aucun fichier de données reconnu ({FORMATS_READ})",
            where=Location(file=str(data_dir)),
            hint="déposer les extractions dans ce dossier ou indiquer --data-dir",
        )
    check_date = cutoff or date.today()
    key = key if key is not None else privacy.load_key()
    caisse_columns = tuple(caisse_columns)

    reads = [read_file(source, number, caisse_columns) for number, source in enumerate(inputs)]
    reads += [unread_file(item) for item in unread]
    accounts = sorted((read.account for read in reads), key=lambda account: account.file)
    if not any(account.dataset for account in accounts):
        raise no_dataset_error(data_dir, reads)
    if strict and (not_read := [a for a in accounts if a.unread_reason is not None]):
        raise DataError(
            f"{len(not_read)} fichier(s) non lu(s) en mode strict ; premier : {not_read[0].unread_reason}",
            where=Location(file=not_read[0].file),
            hint="retirer le fichier du dossier ou le déposer dans un format lu, ou relancer sans --strict",
        )

    quarantines: list[pd.DataFrame] = []
    warnings: list[pd.DataFrame] = [_unread_warnings(read) for read in reads]
    survey_tables: list[pd.DataFrame] = []
    by_dataset: dict[str, list[tuple[Part, StepResult]]] = {}
    own_lists: dict[str, list[pd.DataFrame]] = {}
    for source, read in zip(inputs, reads, strict=False):  # the unread files come last, without an input
        if read.account.dataset in OWN_LISTS:
            rows, rejected = read_own_list(source, read.account)
            own_lists.setdefault(read.account.dataset, []).append(rows)
            quarantines.append(rejected)
        if read.account.dataset == "survey_tables":
            table, problems, lines_read = survey.read_aggregated_workbook(source.path, file=read.account.file)
            survey_tables.append(table)
            quarantines.append(_aggregated_quarantine(problems, read.account.file))
            read.account.rows_read = read.account.lines_read = lines_read
            read.account.rows_quarantined = int(problems["line"].nunique())
            read.account.rows_kept = lines_read - read.account.rows_quarantined
            read.account.quarantine_reasons = reason_counts(quarantines[-1]) if not problems.empty else {}
        for part in read.parts:
            step = _with_overflow_problems(STEPS[part.dataset].normalise(part.raw, part.header_of), part)
            by_dataset.setdefault(part.dataset, []).append((part, step))

    tables: dict[str, pd.DataFrame] = {}
    changes = empty_changes()
    for dataset, parts in by_dataset.items():
        step_module = STEPS[dataset]
        if getattr(step_module, "VERSIONED", False):
            kept, quarantined, located_warnings, changes, histories = _combine_versions(
                step_module, parts, check_date, key
            )
            if histories is not None:
                tables["contract_acts"] = histories
        else:
            kept, quarantined, located_warnings = _combine(step_module, parts, check_date)
            if dataset in _DOCTOR_DATASETS:  # the versioned contracts are pseudonymised before versions are compared
                kept = step_module.pseudonymise(kept, key)
        tables[dataset] = step_module.finish(kept)
        quarantines.append(quarantined)
        warnings.append(located_warnings)
    if survey_tables:
        tables["survey_tables"] = pd.concat(survey_tables, ignore_index=True)
    if "own_generalists" in own_lists:
        tables["own_generalists"] = combined_generalists(own_lists["own_generalists"])
    if "own_training_sites" in own_lists:
        tables["own_training_sites"] = pd.concat(own_lists["own_training_sites"], ignore_index=True)
    quarantine = pd.concat([q for q in quarantines if not q.empty] or [empty_quarantine()], ignore_index=True)
    doctor_parts = [part for name in _DOCTOR_DATASETS for part in by_dataset.get(name, [])]
    quarantine = _pseudonymise_quarantine(quarantine, _rpps_headers(doctor_parts), key)
    warning_table = pd.concat([w for w in warnings if not w.empty] or [empty_warnings()], ignore_index=True)
    _count_warnings(accounts, warning_table)
    _check_accounting(accounts)
    if strict and not quarantine.empty:
        first = quarantine.iloc[0]
        raise DataError(
            f"{quarantine[['file', 'sheet', 'line']].drop_duplicates().shape[0]} ligne(s) rejetée(s) en mode strict ; "
            f"première : {first['message']}",
            where=Location(file=first["file"], line=int(first["line"]), column=first["column"], value=first["value"]),
            hint="corriger la source, ou relancer sans --strict pour écrire les tables et la quarantaine",
        )

    outputs = {OUTPUT_FILES[name]: frame for name, frame in sorted(tables.items())}
    outputs |= {QUARANTINE_FILE: quarantine, WARNINGS_FILE: warning_table, CHANGES_FILE: changes}
    payloads = {name: _parquet_bytes(frame) for name, frame in outputs.items()}
    manifest = build_manifest(
        accounts,
        input_fingerprint(_fingerprinted_files(data_dir), data_dir),
        _parameters(cutoff, key, caisse_columns),
        {
            name: {"rows": len(outputs[name]), "sha256": hashlib.sha256(payload).hexdigest()}
            for name, payload in payloads.items()
        },
    )
    manifest["territoire"] = coverage_of(tables.get("contracts"), territory).record()
    _save(out_dir, payloads, manifest)
    return Prepared(
        out_dir=out_dir, manifest=manifest, tables=tables, quarantine=quarantine, accounts=accounts,
        warnings=warning_table, changes=changes,
    )


LOCK_NAME = ".prepare.lock"
LOCK_WAIT_SECONDS = 600


def manifest_path(out_dir: Path) -> Path:
    return Path(out_dir) / MANIFEST_NAME


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    path = manifest_path(out_dir)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None


def _parameters(cutoff: date | None, key: bytes, caisse_columns: tuple[str, ...] = ()) -> dict[str, Any]:
    """What, besides the inputs, decides the outputs: the acceptance cut-off, the columns declared as caisses
    and the pseudonymisation key."""
    return {
        "cutoff": cutoff.isoformat() if cutoff else None,
        "caisse_columns": sorted(caisse_columns),
        "key_fingerprint": privacy.key_fingerprint(key),
    }


def is_current(
    data_dir: Path, out_dir: Path, *, cutoff: date | None = None, caisse_columns: Iterable[str] = ()
) -> bool:
    """True when the processed folder was built from exactly these inputs, by this version, with these
    parameters, and every output it lists is there. Judged by checksums, never by file dates (whether the
    outputs are intact is `damaged_outputs`)."""
    manifest = read_manifest(out_dir)
    if manifest is None:
        return False
    expected = {
        "package_version": __version__,
        "parameters": _parameters(cutoff, privacy.load_key(), tuple(caisse_columns)),
        "inputs": input_fingerprint(_fingerprinted_files(Path(data_dir)), Path(data_dir)),
    }
    if any(manifest.get(name) != value for name, value in expected.items()):
        return False
    return all((Path(out_dir) / name).is_file() for name in manifest.get("outputs", {}))


def damaged_outputs(out_dir: Path, manifest: dict[str, Any]) -> list[str]:
    """The outputs listed in the manifest whose bytes no longer have the SHA-256 recorded (cut, overwritten,
    missing)."""
    from am_analytics.checksum import sha256_of

    damaged = []
    for name, record in manifest.get("outputs", {}).items():
        path = Path(out_dir) / name
        expected = record.get("sha256") if isinstance(record, dict) else None
        if not path.is_file() or expected is None or sha256_of(path) != expected:
            damaged.append(name)
    return damaged


def prepare_locked(
    data_dir: Path,
    out_dir: Path,
    *,
    cutoff: date | None = None,
    strict: bool = False,
    only_if_stale: bool = False,
    caisse_columns: Iterable[str] = (),
    territory: str | None = None,
) -> Prepared | None:
    """`prepare` under a lock on the output folder, so two runs never interleave their outputs.

    A second run waits for the first (saying so) rather than fail: the scheduler's parallel notebooks all
    ask for the same processed data. With `only_if_stale`, outputs found current (before or after waiting)
    are left alone and None is returned.
    """
    out_dir = Path(out_dir)
    caisse_columns = tuple(caisse_columns)
    # Fast path without the lock: readers of current data (parallel dashboards) never queue behind each
    # other. Safe because outputs are replaced atomically and the manifest is written last.
    if only_if_stale and is_current(data_dir, out_dir, cutoff=cutoff, caisse_columns=caisse_columns):
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(out_dir / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"une autre préparation est déjà en cours sur {out_dir} : attente de sa fin…", file=sys.stderr)
        try:
            lock.acquire(timeout=LOCK_WAIT_SECONDS)
        except Timeout:
            raise UsageError(
                f"une autre préparation est déjà en cours sur {out_dir} depuis plus de {LOCK_WAIT_SECONDS} s ; "
                f"réessayer plus tard (verrou : {out_dir / LOCK_NAME})"
            ) from None
    try:
        if only_if_stale and is_current(data_dir, out_dir, cutoff=cutoff, caisse_columns=caisse_columns):
            return None
        return prepare(data_dir, out_dir, cutoff=cutoff, strict=strict, caisse_columns=caisse_columns,
                       territory=territory)
    finally:
        lock.release()


def _fingerprinted_files(data_dir: Path) -> list[Path]:
    """Inputs whose change makes processed data stale: data files and their provenance sidecars."""
    return sorted(p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith("."))


# --- Combining the tables of one dataset ------------------------------------------------------------------


def _stack(parts: list[tuple[Part, StepResult]]) -> tuple[pd.DataFrame, list[int], pd.DataFrame, pd.DataFrame]:
    """One frame for all parts (with `_part`, `_row`), the parts' offsets, and their problems and warnings
    with rows numbered in that frame."""
    combined = pd.concat(
        [step.frame.assign(_part=n, _row=range(len(step.frame))) for n, (_, step) in enumerate(parts)],
        ignore_index=True,
    )
    offsets = list(np.cumsum([0] + [len(step.frame) for _, step in parts])[:-1])
    problems = pd.concat(
        [step.problems.assign(row=step.problems["row"] + offsets[n]) for n, (_, step) in enumerate(parts)],
        ignore_index=True,
    )
    warnings = pd.concat(
        [step.warnings.assign(row=step.warnings["row"] + offsets[n]) for n, (_, step) in enumerate(parts)],
        ignore_index=True,
    )
    return combined, offsets, problems, warnings


def _combine(
    step_module: DatasetStep, parts: list[tuple[Part, StepResult]], check_date: date
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Concatenate one dataset's tables, settle duplicates, validate, and split kept from quarantined.

    Rows with a value that could not be normalised are out first; duplicates are judged among the rest
    (an exact copy is merged, several versions of one key are all quarantined); the schema and domain
    rules are checked on what remains. The accounting of each file is filled in on the way.
    """
    combined, offsets, value_problems, warnings = _stack(parts)
    usable = combined[~combined.index.isin(value_problems["row"].astype(int))]  # filtered once: a copy per column
    merged, conflict = step_module.duplicates(usable)
    conflict_rows = conflict.index[conflict.to_numpy()]
    conflict_problems = _problems_at(conflict_rows, step_module.KEY_SOURCE, "doublon_conflictuel")
    built_from = f"{step_module.KEY_SOURCE}_source"  # a key built from other columns (« Année », « Semestre »)
    if built_from in usable and not conflict_problems.empty:  # is reported on the column each row was read from
        conflict_problems["column"] = usable.loc[conflict_rows, built_from].astype("string").to_numpy()
    checked = usable[~(merged | conflict).to_numpy()]
    rule_problems = step_module.validate(checked.drop(columns=["_part", "_row"]), check_date)
    problems = pd.concat([value_problems, conflict_problems, rule_problems], ignore_index=True)
    bad = combined.index.isin(problems["row"].astype(int))
    merged_rows = merged.index[merged.to_numpy()]
    outcome = pd.Series("kept", index=combined.index)
    outcome[combined.index.isin(merged_rows)] = "merged"
    outcome[bad] = "quarantined"
    return _finish_combined(parts, combined, offsets, problems, warnings, outcome)


def _combine_versions(
    step_module: DatasetStep, parts: list[tuple[Part, StepResult]], check_date: date, key: bytes
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Like `_combine`, for a dataset whose rows are versions of one record across cumulative extracts.

    Rows a required field rejects are out first; the rules are checked on the rest; among valid rows, the
    versions of each key are settled (`versions.resolve_versions`): the latest is kept, older ones are
    updated (with a change log), exact copies merged, and two different versions of the same extract date
    quarantined as a conflict naming both files and the columns that differ. A contract written act by act is
    settled act by act, then assembled into one contract with its history (`prepare.acts`), returned last
    (None when no extract writes acts).
    """
    combined, offsets, value_problems, warnings = _stack(parts)
    # Identifiers are pseudonymised before versions are compared, so the change log never holds one in clear.
    combined["medecin_id"] = privacy.pseudonymise(combined["medecin_id"], key)
    usable = combined[~combined.index.isin(value_problems["row"].astype(int))]
    rule_problems = step_module.validate(usable.drop(columns=["_part", "_row"]), check_date)
    valid = usable[~usable.index.isin(rule_problems["row"].astype(int))]
    del usable  # a copy of a million rows: freed before the versions are compared (peak memory)

    part_of = valid["_part"].to_numpy()
    key_values, choice = choose_key(valid, pd.Series(part_of, index=valid.index))
    part_dates = pd.Series([pd.Timestamp(p.extract_date) if p.extract_date else pd.NaT for p, _ in parts])
    when = valid["date_extraction"].fillna(pd.Series(part_dates.to_numpy()[part_of], index=valid.index))
    ranks, evidence = _ranks_by_evidence([p for p, _ in parts])
    order = pd.Series(ranks[part_of] * PART_STRIDE + valid["_row"].to_numpy(), index=valid.index)
    written_acts = valid["type_acte"].notna().to_numpy(dtype=bool)  # rows that say which act of a history they are
    in_history = np.zeros(len(valid), dtype=bool)
    version_key = key_values
    if written_acts.any():
        act_of = acts.act_identity(valid)
        in_history = key_values.isin(key_values[written_acts].unique()).to_numpy(dtype=bool)
        # Each act of a history is a record of its own across extracts; a row without act beside a history is
        # settled after (`_loose_rows`), out of the versions (a missing key keeps it apart).
        version_key = key_values.where(~in_history, key_values + " | " + act_of).mask(in_history & ~written_acts)
    content = [*step_module.COLUMNS, *(["date_effet"] if written_acts.any() else [])]
    versions = resolve_versions(valid, version_key, content, when, order, evidence[part_of])
    labels = [p.label for p, _ in parts]
    lines = pd.concat([p.raw.line_numbers.reset_index(drop=True) for p, _ in parts], ignore_index=True).to_numpy()
    act_names = _act_names(valid, written_acts)
    conflict_problems = _conflict_problems(valid, key_values, versions.conflicts, labels, lines, act_names)

    outcome = pd.Series("quarantined", index=combined.index)
    positions = valid.index
    outcome[positions[versions.kept]] = "kept"
    outcome[positions[versions.merged]] = "merged"
    outcome[positions[versions.updated]] = "updated"
    outcome[positions[versions.conflict]] = "quarantined"
    changes = _change_log(valid, key_values, versions.changes, labels, lines, when, act_names)
    history_problems, histories = [], None
    if written_acts.any():
        history = _assemble_histories(valid, key_values, versions.kept & in_history & written_acts)
        outcome[positions[history.superseded]] = "updated"
        outcome[positions[history.early]] = "quarantined"
        combined.loc[positions[history.current], "date_signature"] = history.signature
        merged, superseded, lost = _loose_rows(valid, key_values, content, in_history & ~written_acts, written_acts,
                                               when)
        outcome[positions[merged]] = "merged"
        outcome[positions[superseded]] = "updated"
        history_problems = [
            _early_problems(valid, key_values, history, act_names),
            _problems_at(positions[lost], "type_acte", "ligne_hors_historique"),
        ]
        amendments = _change_log(valid, key_values, history.amendments, labels, lines, when, act_names,
                                 effective=valid["date_effet"])
        changes = pd.concat([changes, amendments], ignore_index=True).sort_values(
            ["contract_key", "effective_date", "new_extract_date", "column"], kind="stable", na_position="first"
        ).reset_index(drop=True)
        histories = _act_table(valid, key_values, history.acts, labels, lines)
    problems = pd.concat([value_problems, rule_problems, conflict_problems, *history_problems], ignore_index=True)
    for part, _ in parts:
        part.account.contract_key = choice.as_record()
    combined["cle_contrat"] = key_values.reindex(combined.index).astype("string")
    kept, quarantine, located = _finish_combined(parts, combined, offsets, problems, warnings, outcome)
    return kept, quarantine, located, changes, histories


def _act_names(valid: pd.DataFrame, written: np.ndarray) -> pd.Series:
    """« avenant n°2 », « contrat initial » for rows that are acts of a history; NA elsewhere."""
    names = pd.Series(pd.NA, index=valid.index, dtype="string")
    if written.any():
        rows = valid[written]
        names[written] = [
            acts.act_label(kind, number, effective)
            for kind, number, effective in zip(rows["type_acte"], rows["numero_avenant"], rows["date_effet"],
                                               strict=True)
        ]
    return names


@dataclass
class _Histories:
    """Contracts written act by act, assembled (positions in the valid rows): `current` the row of each
    contract's latest act (kept, its `signature` the initial act's), `superseded` its earlier acts, `early` the
    avenants taking effect before the initial contract (with `early_start`, that contract's start), `acts` every
    act kept in the history in order, `amendments` each avenant beside the act before it (old_row, new_row,
    column: the change log's pairs)."""

    current: np.ndarray
    signature: np.ndarray
    superseded: np.ndarray
    early: np.ndarray
    early_start: np.ndarray
    acts: pd.DataFrame
    amendments: pd.DataFrame


def _assemble_histories(valid: pd.DataFrame, key: pd.Series, settled: np.ndarray) -> _Histories:
    order = acts.history_order(valid, np.flatnonzero(settled), key)
    starts = acts.contract_starts(order)
    early_at = acts.early_avenants(order, starts)
    early = order.iloc[early_at]
    order = order.drop(index=order.index[early_at]).reset_index(drop=True)
    keys, rows = order["key"].to_numpy(), order["row"].to_numpy()
    last = np.r_[keys[1:] != keys[:-1], True][: len(keys)]  # each contract's latest act
    # The contract was signed when its initial act was; without one, when its earliest act says.
    signed_at = order.drop_duplicates("key").set_index("key")["row"]
    signed_at.update(order[order["initial"]].drop_duplicates("key").set_index("key")["row"])
    signature = valid["date_signature"].to_numpy()[signed_at.reindex(keys[last]).to_numpy(dtype=np.int64)]
    pairs = np.flatnonzero(np.r_[False, keys[1:] == keys[:-1]])  # each act after its contract's first
    amendments = _amendment_pairs(valid, rows[pairs - 1], rows[pairs], acts.amended_columns(list(valid.columns)))
    return _Histories(
        current=rows[last],
        signature=signature,
        superseded=rows[~last],
        early=early["row"].to_numpy(),
        early_start=early["key"].map(starts).to_numpy(dtype="datetime64[ns]"),
        acts=order,
        amendments=amendments,
    )


def _amendment_pairs(valid: pd.DataFrame, old: np.ndarray, new: np.ndarray, columns: list[str]) -> pd.DataFrame:
    """(old_row, new_row, column) for each column an avenant changes from the act before it; an avenant that
    changes none of them still has its line (column NA): the change log records every act."""
    columns = [c for c in columns if c not in ("_part", "_row", "cle_contrat")]
    found = changed_columns(valid, columns, old, new)
    unchanged = ~np.isin(new, found["new_row"].to_numpy())
    silent = pd.DataFrame({"old_row": old[unchanged], "new_row": new[unchanged],
                           "column": pd.array([None] * int(unchanged.sum()), dtype="string")})
    return pd.concat([found, silent], ignore_index=True)


def _early_problems(valid: pd.DataFrame, key: pd.Series, history: _Histories, act_names: pd.Series) -> pd.DataFrame:
    """A problem per avenant taking effect before its contract's initial act, naming both dates."""
    rows = history.early
    problems = _problems_at(valid.index[rows], "date_effet", "avenant_avant_contrat")
    if not len(rows):
        return problems
    messages = [
        f"contrat « {key.iat[row]} », {act_names.iat[row]} : prend effet le {pd.Timestamp(effective):%d/%m/%Y}, "
        f"avant le contrat initial ({pd.Timestamp(start):%d/%m/%Y}) ; corriger la date d'effet"
        for row, effective, start in zip(rows, valid["date_effet"].to_numpy()[rows], history.early_start,
                                         strict=True)
    ]
    return problems.assign(message=pd.array(messages, dtype="string"))


def _loose_rows(
    valid: pd.DataFrame,
    key: pd.Series,
    content: list[str],
    loose: np.ndarray,
    written: np.ndarray,
    when: pd.Series,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows without act information of a contract written act by act (positions in the valid rows): merged when
    they repeat one of its acts (every content column alike); superseded (*updated*) when their extract is dated
    before the latest extract writing the history (an older snapshot of the contract, which the history
    replaces); else quarantined: nothing says where they sit in the history."""
    at = np.flatnonzero(loose)
    if not len(at):
        return at, at, at
    compared = [c for c in content if c != "date_effet"]
    hashes = pd.util.hash_pandas_object(valid[compared], index=False).to_numpy()
    keys = key.to_numpy()
    known = set(zip(keys[written], hashes[written], strict=True))
    repeats = np.array([(k, h) in known for k, h in zip(keys[at], hashes[at], strict=True)], dtype=bool)
    history_date = when[written].groupby(keys[written]).max()
    dated = when.to_numpy(dtype="datetime64[ns]")[at]
    latest = history_date.reindex(keys[at]).to_numpy(dtype="datetime64[ns]")
    older = ~repeats & (dated < latest)  # NaT on either side compares False: undated rows are not ranked
    return at[repeats], at[older], at[~repeats & ~older]


def _act_table(
    valid: pd.DataFrame, key: pd.Series, order: pd.DataFrame, labels: list[str], lines: np.ndarray
) -> pd.DataFrame:
    """`contract_acts.parquet`: every act of each contract written with a history, in order of effect."""
    rows = order["row"].to_numpy()
    picked = valid.iloc[rows]
    table = pd.DataFrame(
        {
            "cle_contrat": pd.array(key.to_numpy()[rows], dtype="string"),
            "contrat_id": picked["contrat_id"].astype("string").to_numpy(),
            "date_effet": order["in_force"].to_numpy(dtype="datetime64[ns]"),
            "type_acte": picked["type_acte"].astype("string").to_numpy(),
            "numero_avenant": picked["numero_avenant"].astype("Int64").to_numpy(),
            "etp_option": picked["etp_option"].astype("string").to_numpy(),
            "etp": picked["etp"].astype("Float64").to_numpy(),
            "source_file": pd.array([labels[p] for p in picked["_part"].to_numpy()], dtype="string"),
            "source_line": pd.array(lines[valid.index.to_numpy()[rows]], dtype="Int64"),
        }
    )
    return table[acts.ACT_TABLE_COLUMNS].reset_index(drop=True)


def _ranks_by_evidence(parts: list[Part]) -> tuple[np.ndarray, np.ndarray]:
    """Each part's rank among undated extracts, and what ranks it (`versions.resolve_versions`' `evidence`).

    Files whose names form a sequence (`extraction_v1`, `extraction_v2`, `lot 9`, `lot 10`) are ranked by their
    numbers and share an evidence number; any other file has its own (its sheets, in the workbook's order, share
    it), so nothing but its name's alphabetical place ranks it against another file."""
    files = list(dict.fromkeys(p.account.file for p in parts))
    sequences = dict(zip(files, name_sequences(files), strict=True))
    numbers = [p.number for p in parts]
    ranks = np.argsort(np.argsort(numbers, kind="stable"), kind="stable").astype(np.int64)
    for sequence in {s[0] for s in sequences.values() if s is not None}:
        members = [i for i, p in enumerate(parts) if (sequences[p.account.file] or (None,))[0] == sequence]
        slots = sorted(ranks[i] for i in members)
        by_number = sorted(members, key=lambda i: (sequences[parts[i].account.file][1], numbers[i]))
        ranks[by_number] = slots
    first_file = len(files)  # evidence numbers of plain files come after those of sequences
    evidence = np.array(
        [s[0] if (s := sequences[p.account.file]) is not None else first_file + files.index(p.account.file)
         for p in parts],
        dtype=np.int64,
    )
    return ranks, evidence


def _finish_combined(
    parts: list[tuple[Part, StepResult]],
    combined: pd.DataFrame,
    offsets: list[int],
    problems: pd.DataFrame,
    warnings: pd.DataFrame,
    outcome: pd.Series,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Kept rows with their source, the quarantine and warnings located in their files, and the accounts."""
    # a row has one outcome; a row some problem names is quarantined whatever else was said of it
    outcome = outcome.copy()
    outcome[combined.index.isin(problems["row"].astype(int))] = "quarantined"
    quarantines, located_warnings = [], []
    # rows per part and outcome, counted once (comparing a million strings per part and outcome is slow)
    tallies: dict[int, dict[str, int]] = {n: {} for n in range(len(parts))}
    for (number, result), count in pd.DataFrame(
        {"part": combined["_part"].to_numpy(), "outcome": outcome.to_numpy()}
    ).value_counts().items():
        tallies[int(number)][str(result)] = int(count)
    part_of_problem = combined["_part"].to_numpy()[problems["row"].astype(int).to_numpy()]
    part_of_warning = combined["_part"].to_numpy()[warnings["row"].astype(int).to_numpy()]
    for number, (part, _) in enumerate(parts):
        mine = problems[part_of_problem == number]
        where = {"dataset": part.dataset, "file": part.account.file, "sheet": part.sheet}
        quarantines.append(
            quarantine_rows(
                mine.assign(row=mine["row"] - offsets[number]), raw=part.raw.frame,
                line_numbers=part.raw.line_numbers, header_of=part.header_of, **where,
            )
        )
        noted = warnings[part_of_warning == number]
        located_warnings.append(
            locate_warnings(
                noted.assign(row=noted["row"] - offsets[number]), raw=part.raw.frame,
                line_numbers=part.raw.line_numbers, header_of=part.header_of, **where,
            )
        )
        counts = tallies[number]
        account = part.account
        account.rows_read += len(part.raw.frame)
        account.rows_kept += counts.get("kept", 0)
        account.rows_updated += counts.get("updated", 0)
        account.rows_merged += counts.get("merged", 0)
        account.rows_quarantined += counts.get("quarantined", 0)
        account.quarantine_reasons = _add_counts(account.quarantine_reasons, reason_counts(quarantines[-1]))
    lines = pd.concat([p.raw.line_numbers.reset_index(drop=True) for p, _ in parts], ignore_index=True)
    files = [p.account.file for p, _ in parts]
    sheets = [p.sheet for p, _ in parts]
    kept = combined[(outcome == "kept").to_numpy()]
    kept = kept.assign(
        source_file=pd.array(files, dtype="string").take(kept["_part"].to_numpy()),
        source_sheet=pd.array(sheets, dtype="string").take(kept["_part"].to_numpy()),
        source_line=pd.array(lines.to_numpy()[kept.index.to_numpy()], dtype="Int64"),
    ).drop(columns=["_part", "_row"])
    quarantine = pd.concat(quarantines, ignore_index=True)
    located = pd.concat(located_warnings, ignore_index=True)
    return kept.reset_index(drop=True), quarantine, located


def _add_counts(before: dict[str, int], more: dict[str, int]) -> dict[str, int]:
    total = dict(before)
    for reason, count in more.items():
        total[reason] = total.get(reason, 0) + count
    return dict(sorted(total.items()))


def _conflict_problems(
    valid: pd.DataFrame,
    key: pd.Series,
    conflicts: pd.DataFrame,
    labels: list[str],
    lines: np.ndarray,
    act_names: pd.Series | None = None,
) -> pd.DataFrame:
    """A problem per row of a contract with two different versions at its latest extract date, naming both
    files (and lines) and the columns that differ; for an act of a contract's history (`act_names`), the act."""
    if conflicts.empty:
        return _problems_at(pd.Index([], dtype="int64"), "contrat_id", "doublon_conflictuel")
    index = valid.index.to_numpy()
    parts = valid["_part"].to_numpy()
    names = act_names if act_names is not None else pd.Series(pd.NA, index=valid.index, dtype="string")
    messages, reasons = [], []
    for row, first, second, columns, undated in conflicts[["row", "first", "second", "columns", "undated"]].itertuples(
        index=False
    ):
        a, b = index[first], index[second]
        why = (
            "deux extractions sans date (ni colonne, ni date dans le nom, ni suite de noms numérotés) qui se "
            "contredisent sur un champ qui compte" if undated else "deux versions différentes à la même date "
            "d'extraction"
        )
        hint = (
            " ; dater les extractions (colonne « Date d'extraction » ou date dans le nom du fichier)" if undated else ""
        )
        act = names.iat[row]
        which = f"contrat « {key.iat[row]} »" + ("" if pd.isna(act) else f", {act}")
        reasons.append("doublon_conflictuel" if pd.isna(act) else "avenant_conflictuel")
        messages.append(
            f"{which} : {why} — "
            f"{labels[parts[first]]} ligne {lines[a]} et {labels[parts[second]]} ligne {lines[b]} ; "
            f"colonnes qui diffèrent : {columns} ; aucune version n'est retenue{hint}"
        )
    problems = _problems_at(pd.Index(index[conflicts["row"].to_numpy()]), "contrat_id", "doublon_conflictuel")
    return problems.assign(message=pd.array(messages, dtype="string"), reason=pd.array(reasons, dtype="string"))


def _change_log(
    valid: pd.DataFrame,
    key: pd.Series,
    pairs: pd.DataFrame,
    labels: list[str],
    lines: np.ndarray,
    when: pd.Series,
    act_names: pd.Series | None = None,
    effective: pd.Series | None = None,
) -> pd.DataFrame:
    """The change log: contract key, column, old and new value (as text), both files, lines and extract dates;
    for an act of a contract's history, the act (`act_names`), and for an avenant's own line (`effective`
    given) the date from which it changes the contract."""
    if pairs.empty:
        return empty_changes()
    old, new = pairs["old_row"].to_numpy(), pairs["new_row"].to_numpy()
    parts = valid["_part"].to_numpy()
    index = valid.index.to_numpy()

    def text(rows: np.ndarray, columns: pd.Series) -> list[str | None]:
        # an avenant that changes nothing has its line without a column
        return [None if pd.isna(c) else _as_text(valid[c].iat[r]) for r, c in zip(rows, columns, strict=True)]

    dates = when.to_numpy(dtype="datetime64[D]")
    frame = pd.DataFrame(
        {
            "contract_key": key.iloc[new].to_numpy(),
            "column": pairs["column"].to_numpy(),
            "old_value": text(old, pairs["column"]),
            "new_value": text(new, pairs["column"]),
            "old_file": [labels[p] for p in parts[old]],
            "new_file": [labels[p] for p in parts[new]],
            "old_line": pd.array(lines[index[old]], dtype="Int64"),
            "new_line": pd.array(lines[index[new]], dtype="Int64"),
            "old_extract_date": [None if np.isnat(d) else str(d) for d in dates[old]],
            "new_extract_date": [None if np.isnat(d) else str(d) for d in dates[new]],
            "act": act_names.iloc[new].to_numpy() if act_names is not None else None,
            "effective_date": (
                [None if np.isnat(d) else str(d) for d in effective.to_numpy(dtype="datetime64[D]")[new]]
                if effective is not None else None
            ),
        }
    )
    types = {c: ("Int64" if c.endswith("_line") else "string") for c in CHANGE_COLUMNS}
    return frame[CHANGE_COLUMNS].astype(types).sort_values(["contract_key", "new_extract_date", "column"],
                                                           kind="stable").reset_index(drop=True)


def _as_text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _rpps_headers(parts: list[tuple[Part, StepResult]]) -> dict[tuple[str, str | None], str]:
    return {
        (part.account.file, part.sheet): part.header_of["medecin_id"]
        for part, _ in parts
        if "medecin_id" in part.header_of
    }


def _pseudonymise_quarantine(
    quarantine: pd.DataFrame, rpps_headers: dict[tuple[str, str | None], str], key: bytes
) -> pd.DataFrame:
    """The quarantine keeps each rejected row's dataset cells as written, except the doctor's RPPS: it gets
    the same keyed pseudonym as in the contracts table (a malformed one too), so no clear identifier reaches
    the processed folder and the file and line still say which row to correct."""
    if quarantine.empty or not rpps_headers:
        return quarantine
    quarantine = quarantine.copy()
    sheets = quarantine["sheet"].astype(object).where(quarantine["sheet"].notna(), None)
    header = pd.Series(
        [rpps_headers.get((f, s)) for f, s in zip(quarantine["file"], sheets, strict=True)], index=quarantine.index
    )
    on_rpps = (quarantine["column"].astype(object) == header).fillna(False).to_numpy(dtype=bool)
    values = quarantine.loc[on_rpps, "value"]
    quarantine.loc[on_rpps, "value"] = privacy.pseudonymise(values.astype(object).where(values.notna(), None), key)

    # Every RPPS of every record hashed in one call (one call per record costs a millisecond each).
    records = quarantine["record"].to_numpy(dtype=object)
    columns = header.to_numpy(dtype=object)
    fields = [
        json.loads(r) if isinstance(r, str) and isinstance(c, str) else None
        for r, c in zip(records, columns, strict=True)
    ]
    at = [i for i, f in enumerate(fields) if f is not None and f.get(columns[i]) is not None]
    hashed = privacy.pseudonymise(pd.Series([fields[i][columns[i]] for i in at], dtype=object), key)
    for i, pseudonym in zip(at, hashed, strict=True):
        fields[i][columns[i]] = pseudonym
    quarantine["record"] = pd.array(
        [json.dumps(f, ensure_ascii=False) if f is not None else r for f, r in zip(fields, records, strict=True)],
        dtype="string",
    )
    return quarantine


def _unread_warnings(read: FileRead) -> pd.DataFrame:
    """Sheets that look like data but were not read, a file not read at all or matching no dataset (rows in no
    count), and columns not read that resemble a column the file lacks (values in no analysis)."""
    if read.unread_reason is not None:
        return file_warnings(read.account.file, read.unread_reason)
    found = pd.concat(
        [
            sheet_warnings(read.account.file, read.skipped, read.account.dataset),
            column_warnings(read.account.file, read.account.dropped_columns, read.account.dataset),
        ],
        ignore_index=True,
    )
    if read.unread_columns is None:
        return found
    unread = sheet_warnings(
        read.account.file,
        [{"sheet": None, "reason": "fichier aux colonnes non reconnues, non lu", "looks_like_data": True}],
        None,
    )
    return pd.concat([found, unread], ignore_index=True)


def _count_warnings(accounts: list[FileAccount], warnings: pd.DataFrame) -> None:
    """Rows with at least one warning, and warnings per reason, per file."""
    for account in accounts:
        mine = warnings[warnings["file"] == account.file]
        rows = mine[mine["line"].notna()].drop_duplicates(["sheet", "line"])
        account.rows_warned = len(rows)
        account.warning_reasons = {str(k): int(v) for k, v in mine["reason"].value_counts().sort_index().items()}


def _with_overflow_problems(step: StepResult, part: Part) -> StepResult:
    """Rows longer than the header are quarantined: a stray separator may have shifted their values."""
    raw = part.raw
    if not raw.overflow_columns:
        return step
    extra = raw.frame[list(raw.overflow_columns)].reset_index(drop=True)
    filled = extra.notna()
    rows = filled.index[filled.any(axis="columns").to_numpy()]
    if rows.empty:
        return step
    first = filled.loc[rows].idxmax(axis="columns")  # the first column beyond the header holding a value
    problems = pd.DataFrame(
        {
            "row": pd.array(rows.to_numpy(), dtype="Int64"),
            "column": pd.array(first.to_numpy(), dtype="string"),
            "value": pd.NA,
            "reason": "cellules_en_trop",
            "message": REASONS["cellules_en_trop"],
        }
    ).astype({"value": "string", "reason": "string", "message": "string"})
    return StepResult(
        frame=step.frame, problems=pd.concat([step.problems, problems], ignore_index=True), warnings=step.warnings
    )


def _aggregated_quarantine(problems: pd.DataFrame, file: str) -> pd.DataFrame:
    if problems.empty:
        return empty_quarantine()
    frame = pd.DataFrame(
        {
            "dataset": "survey_tables",
            "file": file,
            "sheet": pd.NA,
            "line": pd.array(problems["line"], dtype="Int64"),
            "column": problems["column"],
            "value": problems["value"],
            "reason": problems["reason"],
            "message": problems["reason"].map(REASONS),
            "record": pd.NA,
        }
    )
    return frame.astype({c: "string" for c in frame.columns if c != "line"})


def _problems_at(rows: pd.Index, column: str, reason: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": pd.array(rows.to_numpy(), dtype="Int64"),
            "column": column,
            "value": pd.NA,  # filled from the raw cell when the problem is located in its file
            "reason": reason,
            "message": REASONS[reason],
        }
    ).astype({"column": "string", "value": "string", "reason": "string", "message": "string"})


def _check_accounting(accounts: list[FileAccount]) -> None:
    for account in accounts:
        if not account.balanced():
            raise RuntimeError(
                f"{account.file} : comptes déséquilibrés ({account.rows_read} lues ≠ {account.rows_kept} conservées "
                f"+ {account.rows_updated} mises à jour + {account.rows_merged} fusionnées "
                f"+ {account.rows_quarantined} en quarantaine, ou {account.lines_read} lignes ≠ {account.rows_read} "
                f"lues + {account.non_data_count()} hors données)"
            )


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    """The table as Parquet bytes: hashed for the manifest, then written atomically."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _save(out_dir: Path, payloads: dict[str, bytes], manifest: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, payload in payloads.items():
        atomic.write_bytes(out_dir / name, payload)
    # the manifest goes last: its presence means every table it lists is complete
    atomic.write_json(out_dir / MANIFEST_NAME, manifest)
