"""The preparation: raw folder → normalised, validated, pseudonymised tables in the processed folder.

Load (discover and read every file), process (route each file to its dataset's step, merge exact
duplicates, quarantine the rest with reasons, validate), save (Parquet tables, quarantine, manifest),
each output written atomically. Every raw row ends up kept, merged into an identical row, or quarantined;
the accounting is checked before anything is written.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock, Timeout

from am_analytics import __version__, atomic, privacy
from am_analytics.errors import DataError, Location, UsageError
from am_analytics.ingest import RawTable, detect_dataset, discover, match_columns, read_table
from am_analytics.prepare import contracts, survey, territory
from am_analytics.prepare.manifest import (
    MANIFEST_NAME,
    FileAccount,
    build_manifest,
    input_fingerprint,
    sha256_of,
)
from am_analytics.prepare.quarantine import empty_quarantine, quarantine_rows, reason_counts
from am_analytics.prepare.steps import DatasetStep, StepResult
from am_analytics.vocabulary import REASONS

log = logging.getLogger(__name__)

QUARANTINE_FILE = "quarantine.parquet"
OUTPUT_FILES = {
    "contracts": "contracts.parquet",
    "territory_year": "territory_year.parquet",
    "survey": "survey.parquet",
    "survey_tables": "survey_tables.parquet",
}

# Each dataset's step module: normalise one file, settle duplicates, validate (see steps.DatasetStep).
STEPS: dict[str, DatasetStep] = {"contracts": contracts, "territory_year": territory, "survey": survey}


@dataclass
class Prepared:
    """What a preparation produced, in memory and on disk."""

    out_dir: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    accounts: list[FileAccount] = field(default_factory=list)


def provenance_sidecar(path: Path) -> dict[str, Any] | None:
    """The provenance record written beside an input file, if any (`<file>.provenance.json`)."""
    sidecar = path.with_name(path.name + ".provenance.json")
    if not sidecar.is_file():
        return None
    return json.loads(sidecar.read_text(encoding="utf-8"))


def _read_one(path: Path, data_dir: Path) -> tuple[FileAccount, RawTable | None, dict[str, str] | None]:
    name = path.relative_to(data_dir).as_posix()
    sidecar = provenance_sidecar(path) or {}
    account = FileAccount(
        file=name,
        dataset=None,
        sha256=sha256_of(path),
        size_bytes=path.stat().st_size,
        synthetic=bool(sidecar.get("synthetic", False)),
    )
    if survey.is_aggregated_workbook(path):
        account.dataset = "survey_tables"
        return account, None, None
    raw = read_table(path)
    account.file_format, account.encoding, account.separator = raw.file_format, raw.encoding, raw.separator
    account.sheet, account.header_rows = raw.sheet, raw.header_row_count
    account.total_rows_dropped = len(raw.dropped_total_rows)
    dataset = detect_dataset(list(raw.frame.columns))
    if dataset is None:
        account.status = "ignoré : colonnes non reconnues"
        log.warning("%s : colonnes non reconnues, fichier ignoré (%s)", name, ", ".join(map(str, raw.frame.columns)))
        return account, raw, None
    account.dataset = dataset
    mapping = match_columns(list(raw.frame.columns), dataset, file=name)
    return account, raw, {canonical: header for header, canonical in mapping.items()}


def prepare(
    data_dir: Path,
    out_dir: Path,
    *,
    as_of: date | None = None,
    key: bytes | None = None,
    strict: bool = False,
) -> Prepared:
    """Read every file of `data_dir`, write the processed tables into `out_dir`, return what was done.

    With `strict`, any quarantined row is an error (exit code 3) and nothing is written.
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    if not data_dir.is_dir():
        raise DataError("dossier introuvable", where=Location(file=str(data_dir)), hint="indiquer --data-dir")
    files = discover(data_dir)
    if not files:
        raise DataError(
            "aucun fichier de données reconnu (CSV, TXT, TSV, XLSX)",
            where=Location(file=str(data_dir)),
            hint="déposer les extractions dans ce dossier ou indiquer --data-dir",
        )
    check_date = as_of or date.today()
    key = key if key is not None else privacy.load_key()

    accounts: list[FileAccount] = []
    quarantines: list[pd.DataFrame] = []
    results: dict[str, list[tuple[FileAccount, RawTable, dict[str, str], StepResult]]] = {}
    survey_tables: list[pd.DataFrame] = []
    raws: list[RawTable | None] = []
    for path in files:
        account, raw, header_of = _read_one(path, data_dir)
        accounts.append(account)
        raws.append(raw)
        if account.dataset == "survey_tables":
            table, problems, lines_read = survey.read_aggregated_workbook(path, file=account.file)
            survey_tables.append(table)
            quarantines.append(_aggregated_quarantine(problems, account.file))
            account.rows_read = lines_read
            account.rows_quarantined = int(problems["line"].nunique())
            account.rows_kept = lines_read - account.rows_quarantined
            account.quarantine_reasons = reason_counts(quarantines[-1]) if not problems.empty else {}
        elif raw is not None and header_of is not None:
            step = _with_overflow_problems(STEPS[account.dataset].normalise(raw, header_of), raw)
            results.setdefault(account.dataset, []).append((account, raw, header_of, step))
    if not any(account.dataset for account in accounts):
        ignored = "; ".join(
            f"{account.file} ({_headers_seen(raw)})" for account, raw in zip(accounts, raws, strict=True)
        )
        raise DataError(
            f"aucun fichier reconnu : ni contrats, ni données ouvertes par territoire, ni enquête. Lus : {ignored}",
            where=Location(file=str(data_dir)),
            hint="vérifier les en-têtes des fichiers (voir la table des alias dans la documentation)",
        )

    tables: dict[str, pd.DataFrame] = {}
    for dataset, parts in results.items():
        kept, quarantined = _combine(STEPS[dataset], parts, check_date)
        tables[dataset] = STEPS[dataset].finish(kept)
        quarantines.append(quarantined)
    if survey_tables:
        tables["survey_tables"] = pd.concat(survey_tables, ignore_index=True)
    if "contracts" in tables:
        tables["contracts"] = contracts.pseudonymise(tables["contracts"], key)
    quarantine = pd.concat([q for q in quarantines if not q.empty] or [empty_quarantine()], ignore_index=True)
    rpps_headers = {
        account.file: header_of["medecin_id"]
        for account, _, header_of, _ in results.get("contracts", [])
        if "medecin_id" in header_of
    }
    quarantine = _pseudonymise_quarantine(quarantine, rpps_headers, key)
    _check_accounting(accounts)
    if strict and not quarantine.empty:
        first = quarantine.iloc[0]
        raise DataError(
            f"{quarantine[['file', 'line']].drop_duplicates().shape[0]} ligne(s) rejetée(s) en mode strict ; "
            f"première : {first['message']}",
            where=Location(file=first["file"], line=int(first["line"]), column=first["column"], value=first["value"]),
            hint="corriger la source, ou relancer sans --strict pour écrire les tables et la quarantaine",
        )

    parameters = _parameters(as_of, key)
    manifest = build_manifest(
        accounts,
        input_fingerprint(_fingerprinted_files(data_dir), data_dir),
        parameters,
        {OUTPUT_FILES[name]: len(frame) for name, frame in sorted(tables.items())} | {QUARANTINE_FILE: len(quarantine)},
    )
    _save(out_dir, tables, quarantine, manifest)
    return Prepared(out_dir=out_dir, manifest=manifest, tables=tables, quarantine=quarantine, accounts=accounts)


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


def _parameters(as_of: date | None, key: bytes) -> dict[str, Any]:
    """What, besides the inputs, decides the outputs: the as-of date and the pseudonymisation key."""
    return {"as_of": as_of.isoformat() if as_of else None, "key_fingerprint": privacy.key_fingerprint(key)}


def is_current(data_dir: Path, out_dir: Path, *, as_of: date | None = None) -> bool:
    """True when the processed folder was built from exactly these inputs, by this version, with these
    parameters, and every output it lists is there. Judged by checksums, never by file dates."""
    manifest = read_manifest(out_dir)
    if manifest is None:
        return False
    expected = {
        "package_version": __version__,
        "parameters": _parameters(as_of, privacy.load_key()),
        "inputs": input_fingerprint(_fingerprinted_files(Path(data_dir)), Path(data_dir)),
    }
    if any(manifest.get(name) != value for name, value in expected.items()):
        return False
    return all((Path(out_dir) / name).is_file() for name in manifest.get("outputs", {}))


def prepare_locked(
    data_dir: Path, out_dir: Path, *, as_of: date | None = None, strict: bool = False, only_if_stale: bool = False
) -> Prepared | None:
    """`prepare` under a lock on the output folder, so two runs never interleave their outputs.

    A second run waits for the first (saying so) rather than fail: the scheduler's parallel notebooks all
    ask for the same processed data. With `only_if_stale`, outputs found current (before or after waiting)
    are left alone and None is returned.
    """
    out_dir = Path(out_dir)
    # Fast path without the lock: readers of current data (parallel dashboards) never queue behind each
    # other. Safe because outputs are replaced atomically and the manifest is written last.
    if only_if_stale and is_current(data_dir, out_dir, as_of=as_of):
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
        if only_if_stale and is_current(data_dir, out_dir, as_of=as_of):
            return None
        return prepare(data_dir, out_dir, as_of=as_of, strict=strict)
    finally:
        lock.release()


def _fingerprinted_files(data_dir: Path) -> list[Path]:
    """Inputs whose change makes processed data stale: data files and their provenance sidecars."""
    return sorted(p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith("."))


def _combine(
    step_module: DatasetStep, parts: list[tuple[FileAccount, RawTable, dict[str, str], StepResult]], check_date: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Concatenate one dataset's files, settle duplicates, validate, and split kept from quarantined.

    Rows with a value that could not be normalised are out first; duplicates are judged among the rest
    (an exact copy is merged, several versions of one key are all quarantined); the schema and domain
    rules are checked on what remains. The accounting of each file is filled in on the way.
    """
    combined = pd.concat(
        [step.frame.assign(_part=number, _row=range(len(step.frame))) for number, (*_, step) in enumerate(parts)],
        ignore_index=True,
    )
    offsets = _part_offsets(parts)
    value_problems = pd.concat(
        [step.problems.assign(row=step.problems["row"] + offsets[n]) for n, (*_, step) in enumerate(parts)],
        ignore_index=True,
    )
    usable = combined[~combined.index.isin(value_problems["row"].astype(int))]  # filtered once: a copy per column
    merged, conflict = step_module.duplicates(usable)
    conflict_rows = conflict.index[conflict.to_numpy()]
    conflict_problems = _problems_at(conflict_rows, step_module.KEY_SOURCE, "doublon_conflictuel", combined)
    checked = usable[~(merged | conflict).to_numpy()]
    rule_problems = step_module.validate(checked.drop(columns=["_part", "_row"]), check_date)
    problems = pd.concat([value_problems, conflict_problems, rule_problems], ignore_index=True)
    bad = combined.index.isin(problems["row"].astype(int))
    merged_rows = merged.index[merged.to_numpy()]
    kept = combined[~bad & ~combined.index.isin(merged_rows)]

    quarantines = []
    for number, (account, raw, header_of, _) in enumerate(parts):
        mine = problems[combined.loc[problems["row"].astype(int), "_part"].to_numpy() == number]
        located = quarantine_rows(
            mine.assign(row=mine["row"] - offsets[number]),
            dataset=account.dataset or "",
            file=account.file,
            raw=raw.frame,
            line_numbers=raw.line_numbers,
            header_of=header_of,
        )
        quarantines.append(located)
        account.rows_read = len(raw.frame)
        account.rows_kept = int((kept["_part"] == number).sum())
        account.rows_merged = int((combined.loc[merged_rows, "_part"] == number).sum())
        account.rows_quarantined = int(mine["row"].nunique())
        account.quarantine_reasons = reason_counts(located)
    lines = pd.concat([raw.line_numbers.reset_index(drop=True) for _, raw, _, _ in parts], ignore_index=True)
    files = [account.file for account, *_ in parts]
    kept = kept.assign(
        source_file=pd.array(files, dtype="string").take(kept["_part"].to_numpy()),
        source_line=pd.array(lines.to_numpy()[kept.index.to_numpy()], dtype="Int64"),
    ).drop(columns=["_part", "_row"])
    return kept.reset_index(drop=True), pd.concat(quarantines, ignore_index=True)


def _pseudonymise_quarantine(quarantine: pd.DataFrame, rpps_headers: dict[str, str], key: bytes) -> pd.DataFrame:
    """The quarantine keeps each rejected row as written, except the doctor's RPPS: it gets the same keyed
    pseudonym as in the contracts table (a malformed one too), so no clear identifier reaches the processed
    folder and the file and line still say which row to correct."""
    if quarantine.empty or not rpps_headers:
        return quarantine
    quarantine = quarantine.copy()
    header = quarantine["file"].map(rpps_headers)
    on_rpps = (quarantine["column"] == header).fillna(False).to_numpy(dtype=bool)
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


def _headers_seen(raw: RawTable | None, shown: int = 6) -> str:
    if raw is None:
        return "illisible"
    names = [str(c) for c in raw.frame.columns]
    listed = ", ".join(f"« {n} »" for n in names[:shown]) + (", …" if len(names) > shown else "")
    return f"colonnes {listed}" if names else "aucune colonne"


def _with_overflow_problems(step: StepResult, raw: RawTable) -> StepResult:
    """Rows longer than the header are quarantined: a stray separator may have shifted their values."""
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
    return StepResult(frame=step.frame, problems=pd.concat([step.problems, problems], ignore_index=True))


def _aggregated_quarantine(problems: pd.DataFrame, file: str) -> pd.DataFrame:
    if problems.empty:
        return empty_quarantine()
    frame = pd.DataFrame(
        {
            "dataset": "survey_tables",
            "file": file,
            "line": pd.array(problems["line"], dtype="Int64"),
            "column": problems["column"],
            "value": problems["value"],
            "reason": problems["reason"],
            "message": problems["reason"].map(REASONS),
            "record": pd.NA,
        }
    )
    return frame.astype({c: "string" for c in frame.columns if c != "line"})


def _part_offsets(parts: list) -> list[int]:
    offsets, total = [], 0
    for *_, step in parts:
        offsets.append(total)
        total += len(step.frame)
    return offsets


def _problems_at(rows: pd.Index, column: str, reason: str, frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": pd.array(rows.to_numpy(), dtype="Int64"),
            "column": column,
            "value": pd.NA,  # filled from the raw cell when the problem is located in its file
            "reason": reason,
            "message": REASONS[reason],
        }
    ).astype({"column": "string", "reason": "string", "message": "string"})


def _check_accounting(accounts: list[FileAccount]) -> None:
    for account in accounts:
        if not account.balanced():
            raise RuntimeError(
                f"{account.file} : comptes déséquilibrés ({account.rows_read} lues ≠ {account.rows_kept} conservées "
                f"+ {account.rows_merged} fusionnées + {account.rows_quarantined} en quarantaine)"
            )


def _save(out_dir: Path, tables: dict[str, pd.DataFrame], quarantine: pd.DataFrame, manifest: dict) -> None:
    for name, frame in tables.items():
        atomic.write_with(out_dir / OUTPUT_FILES[name], lambda p, f=frame: f.to_parquet(p, index=False))
    atomic.write_with(out_dir / QUARANTINE_FILE, lambda p: quarantine.to_parquet(p, index=False))
    # the manifest goes last: its presence means every table it lists is complete
    atomic.write_json(out_dir / MANIFEST_NAME, manifest)
