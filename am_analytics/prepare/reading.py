"""The read step of the preparation: each input file → its tables (a CSV, or every data sheet of a workbook),
routed to a dataset, with only the dataset's columns kept and the file's account started.

Columns outside the dataset's schema are dropped here, before anything else sees them: a name, a NIR, an
e-mail or a comment never reaches a normaliser, the quarantine, the warnings, a log or a message. The
manifest lists them by name, flagging those that look like direct identifiers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from am_analytics.checksum import sha256_of
from am_analytics.errors import DataError, Location
from am_analytics.ingest import RawTable, detect_dataset, match_columns
from am_analytics.ingest.archives import Input, Unread
from am_analytics.ingest.codebook import apply_codebook, read_codebook
from am_analytics.ingest.headers import DATASETS, OWN_LISTS, normalise_label, resembling_column
from am_analytics.ingest.lines import TOTAL, non_data_kinds
from am_analytics.ingest.personal import judge_column
from am_analytics.ingest.read import read_workbook
from am_analytics.ingest.sheets import classify
from am_analytics.prepare import survey
from am_analytics.prepare.manifest import FileAccount
from am_analytics.prepare.versions import BY_COLUMN, BY_FILE_NAME, BY_FILE_ORDER, extract_date_from_name

log = logging.getLogger(__name__)


@dataclass
class Part:
    """One table of one input file (the file itself, or one sheet), routed to a dataset."""

    account: FileAccount
    raw: RawTable
    header_of: dict[str, str]  # canonical column → header as written
    dataset: str
    number: int  # rank among all parts: file order, then sheet order
    extract_date: date | None
    extract_date_source: str

    @property
    def sheet(self) -> str | None:
        return self.raw.sheet

    @property
    def label(self) -> str:
        """The file (and sheet) as a user finds it: "contrats.xlsx (feuille « 2021 »)"."""
        return self.account.file + (f" (feuille « {self.sheet} »)" if self.sheet else "")


@dataclass
class FileRead:
    account: FileAccount
    parts: list[Part]
    skipped: list[dict[str, Any]]  # sheets not read, with reason (and those that look like data)
    unread_columns: list[str] | None = None  # a file matching no dataset: its headers, for the error message

    @property
    def unread_reason(self) -> str | None:
        return self.account.unread_reason


def provenance_sidecar(path: Path) -> dict[str, Any] | None:
    """The provenance record written beside an input file, if any (`<file>.provenance.json`)."""
    sidecar = path.with_name(path.name + ".provenance.json")
    if not sidecar.is_file():
        return None
    return json.loads(sidecar.read_text(encoding="utf-8"))


def read_file(source: Input, file_number: int, caisse_columns: Iterable[str] = ()) -> FileRead:
    """Read one input (a file, or an archive's member) into its parts (one per data sheet), started accounts and
    skipped sheets; an input that cannot be read at all comes back named, with the reason (`unread_reason`)."""
    name, path = source.name, source.display_path
    on_disk = source.data is None
    sidecar = (provenance_sidecar(source.path) if on_disk else None) or {}
    account = FileAccount(
        file=name,
        dataset=None,
        sha256=sha256_of(source.path) if on_disk else hashlib.sha256(source.data).hexdigest(),
        size_bytes=source.path.stat().st_size if on_disk else len(source.data),
        synthetic=bool(sidecar.get("synthetic", False)),
    )
    if on_disk and survey.is_aggregated_workbook(source.path):
        account.dataset = "survey_tables"
        return FileRead(account, [], [])
    try:
        sheets = read_workbook(path, data=source.data)
    except DataError as error:
        return unread_file(Unread(name, _as_reason(error)), account)
    parts, skipped, unread = [], [], None
    datasets: list[str] = []
    verdicts = [classify(sheet) if sheet.table is None or sheet.table.sheet is not None else None for sheet in sheets]
    codebook, codebook_sheets = _codebook_of(verdicts)
    for index, (sheet, verdict) in enumerate(zip(sheets, verdicts, strict=True)):
        if verdict is None:  # a CSV: one table, no sheet to classify
            dataset = detect_dataset([str(c) for c in sheet.table.frame.columns])
            verdict_table, verdict_dataset = sheet.table, dataset
            if dataset is None:
                unread = [str(c) for c in sheet.table.frame.columns]
        else:
            verdict_table, verdict_dataset = verdict.table, verdict.dataset
            if verdict_dataset is None:
                skipped.append(verdict.as_skipped() | codebook_sheets.get(verdict.sheet, {}))
                continue
        if verdict_dataset is None or verdict_table is None:
            continue
        if verdict_dataset in OWN_LISTS:  # the analyst's own list: `prepare.own_lists` reads the whole file
            return _own_list(account, verdict_dataset, verdict_table.sheet, on_disk)
        verdict_table, translated = apply_codebook(verdict_table, codebook)
        if translated:
            log.info("%s : codes lus avec le dictionnaire des codes (%s)", name, ", ".join(translated))
        raw = _without_non_data_lines(account, verdict_table)
        _describe_format(account, raw)
        header_of = _header_mapping(raw, verdict_dataset, name, caisse_columns)
        account.dropped_columns = _merge_dropped(
            account.dropped_columns, _dropped(raw, header_of, verdict_dataset)
        )
        raw = _keep_only(raw, header_of)
        extract_date, date_source = _extract_date(source.names_for_dates, header_of)
        parts.append(
            Part(account, raw, header_of, verdict_dataset, file_number * 1000 + index, extract_date, date_source)
        )
        datasets.append(verdict_dataset)
        if raw.sheet:
            account.sheets_read.append(raw.sheet)
    account.sheets_skipped = skipped
    if datasets:
        account.dataset = ", ".join(dict.fromkeys(datasets))
        account.extract_date = parts[0].extract_date.isoformat() if parts[0].extract_date else None
        account.extract_date_source = parts[0].extract_date_source
    elif unread is not None:
        account.status = "ignoré : colonnes non reconnues"
        log.warning("%s : colonnes non reconnues, fichier ignoré (%s)", name, ", ".join(unread))
    elif skipped:
        account.status = "ignoré : aucune feuille de données reconnue"
        log.warning("%s : aucune feuille de données reconnue (%s)", name, "; ".join(
            f"{s['sheet']} : {s['reason']}" for s in skipped))
    return FileRead(account, parts, skipped, unread)


def _codebook_of(verdicts: list) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, Any]]]:
    """The codes and labels of the workbook's dictionary sheets, and for each such sheet what the manifest says of
    it (the variables it gives codes for)."""
    codebook: dict[str, dict[str, str]] = {}
    notes: dict[str, dict[str, Any]] = {}
    for verdict in verdicts:
        if verdict is None or verdict.dataset is not None or verdict.table is None:
            continue
        found = read_codebook(verdict.table) if verdict.reason and "dictionnaire" in verdict.reason else {}
        if found:
            codebook.update(found)
            notes[verdict.sheet] = {"codebook_for": sorted(found)}
    return codebook, notes


def _own_list(account: FileAccount, dataset: str, sheet: str | None, on_disk: bool) -> FileRead:
    """A file routed to one of the analyst's own lists (GP counts, training sites): read whole, later, by
    `reference.own`'s reader of that list (its sheet kept in the account); one in an archive is not read."""
    if not on_disk:
        return unread_file(Unread(account.file, "une liste de l'analyste (effectifs de généralistes, sites de "
                                  "formation) se dépose telle quelle dans le dossier, hors d'une archive"), account)
    account.dataset, account.sheet = dataset, sheet
    return FileRead(account, [], [])


def unread_file(unread: Unread, account: FileAccount | None = None) -> FileRead:
    """The account of a file that is not read: named in the summary, the warnings and the manifest with its reason."""
    if account is None:
        on_disk = unread.path is not None and unread.path.is_file()
        account = FileAccount(
            file=unread.name, dataset=None, sha256=sha256_of(unread.path) if on_disk else "",
            size_bytes=unread.path.stat().st_size if on_disk else 0,
        )
    account.unread_reason = unread.reason
    account.status = f"non lu : {unread.reason}"
    log.warning("%s : fichier non lu (%s)", unread.name, unread.reason)
    return FileRead(account, [], [])


def _as_reason(error: DataError) -> str:
    """A reading error as the reason a file is not read: what is wrong, where in the file, what to do."""
    where = f"ligne {error.where.line} : " if error.where.line is not None else ""
    return where + error.problem + (f" ; {error.hint}" if error.hint else "")


def _describe_format(account: FileAccount, raw: RawTable) -> None:
    if account.file_format is None:
        account.file_format, account.encoding, account.separator = raw.file_format, raw.encoding, raw.separator
        account.sheet, account.header_rows = raw.sheet, raw.header_row_count
    account.total_rows_dropped += len(raw.dropped_total_rows)
    _count_non_data(account, {TOTAL: len(raw.dropped_total_rows)})


def _without_non_data_lines(account: FileAccount, raw: RawTable) -> RawTable:
    """The table without its notes (« Source : »), repeated headers and totals, counted apart by kind: they are
    no contract, so neither kept nor quarantined. Every line below the header is counted in `lines_read`."""
    account.lines_read += len(raw.frame) + len(raw.dropped_total_rows)
    kinds = non_data_kinds(raw.frame)
    found = kinds.notna().to_numpy(dtype=bool)
    if not found.any():
        return raw
    _count_non_data(account, {str(k): int(n) for k, n in kinds[found].value_counts().items()})
    lines = raw.line_numbers[found].tolist()
    log.info("%s : lignes hors données (notes, en-têtes répétés, totaux) : %s", account.file,
             ", ".join(map(str, lines[:20])) + (", …" if len(lines) > 20 else ""))
    frame = raw.frame[~found].reset_index(drop=True)
    line_numbers = raw.line_numbers[~found].reset_index(drop=True)
    return dataclasses.replace(raw, frame=frame, line_numbers=line_numbers)


def _count_non_data(account: FileAccount, counts: dict[str, int]) -> None:
    for kind, count in counts.items():
        if count:
            account.non_data_lines[kind] = account.non_data_lines.get(kind, 0) + count


def _header_mapping(raw: RawTable, dataset: str, file: str, caisse_columns: Iterable[str]) -> dict[str, str]:
    """Canonical column → header as written; headers declared as caisse columns are read as caisses."""
    columns = [str(c) for c in raw.frame.columns]
    declared = {normalise_label(c) for c in caisse_columns}
    where = file + (f" (feuille « {raw.sheet} »)" if raw.sheet else "")
    if declared and dataset == "contracts":
        as_caisse = [c for c in columns if normalise_label(c) in declared]
        rest = [c for c in columns if c not in as_caisse]
        mapping = match_columns(rest, dataset, file=where, extra={c: "caisse" for c in as_caisse})
    else:
        mapping = match_columns(columns, dataset, file=where)
    return {canonical: header for header, canonical in mapping.items()}


def _dropped(raw: RawTable, header_of: dict[str, str], dataset: str) -> list[dict[str, Any]]:
    """The columns the dataset does not read, each judged for personal data and, when it is not personal,
    compared with the columns the file lacks: a column probably misnamed is reported, never read silently."""
    kept = set(header_of.values()) | set(raw.overflow_columns)
    lacking = [c for c in DATASETS[dataset].aliases if c not in header_of]
    records = []
    for column in (c for c in raw.frame.columns if c not in kept):
        record = judge_column(str(column), raw.frame[column]).as_record()
        resembling = None if record["likely_identifier"] else resembling_column(str(column), dataset, lacking)
        if resembling is not None:
            record["resembles"], record["resembles_alias"] = resembling
        records.append(record)
    return records


def _merge_dropped(before: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen = {item["column"]: item for item in before}
    for item in new:
        if item["column"] in seen:
            seen[item["column"]]["likely_identifier"] |= item["likely_identifier"]
        else:
            seen[item["column"]] = item
    return list(seen.values())


def _keep_only(raw: RawTable, header_of: dict[str, str]) -> RawTable:
    """The table with the dataset's columns only (and the cells beyond the header, checked for shifted rows)."""
    keep = [c for c in raw.frame.columns if c in set(header_of.values()) or c in raw.overflow_columns]
    return dataclasses.replace(raw, frame=raw.frame[keep])


def _extract_date(names: tuple[str, ...], header_of: dict[str, str]) -> tuple[date | None, str]:
    """The file's extract date and how it was found: a column (per row), the file name (for an archive's member,
    its own name, else the archive's), or the files' order."""
    named = next((found for found in map(extract_date_from_name, names) if found is not None), None)
    if "date_extraction" in header_of:
        return named, BY_COLUMN
    if named is not None:
        return named, BY_FILE_NAME
    return None, BY_FILE_ORDER


def no_dataset_error(data_dir: Path, reads: list[FileRead]) -> DataError:
    if all(read.unread_reason is not None for read in reads):
        listed = "; ".join(f"{read.account.file} ({read.unread_reason})" for read in reads)
        return DataError(
            f"aucun fichier de données reconnu : {listed}",
            where=Location(file=str(data_dir)),
            hint="déposer les extractions dans ce dossier ou indiquer --data-dir",
        )

    def seen(read: FileRead) -> str:
        if read.unread_reason is not None:
            return f"non lu : {read.unread_reason}"
        if read.unread_columns is not None:
            names = read.unread_columns
            listed = ", ".join(f"« {n} »" for n in names[:6]) + (", …" if len(names) > 6 else "")
            return f"colonnes {listed}" if names else "aucune colonne"
        if read.skipped:
            return "; ".join(f"feuille « {s['sheet']} » : {s['reason']}" for s in read.skipped)
        return "illisible"

    ignored = "; ".join(f"{read.account.file} ({seen(read)})" for read in reads)
    return DataError(
        f"aucun fichier reconnu : ni contrats, ni données ouvertes par territoire, ni enquête, ni activité des "
        f"médecins. Lus : {ignored}",
        where=Location(file=str(data_dir)),
        hint="vérifier les en-têtes des fichiers (voir la table des alias dans la documentation)",
    )

