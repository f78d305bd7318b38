"""The loader notebooks and the report use: processed frames, prepared first when missing, stale or damaged."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from am_analytics import paths
from am_analytics.coverage import Coverage, found_coverage
from am_analytics.errors import DataError, Location
from am_analytics.indicators.common import ACTS_ATTR, ContractHistories, stamp_data
from am_analytics.prepare.pipeline import (
    CHANGES_FILE,
    OUTPUT_FILES,
    QUARANTINE_FILE,
    WARNINGS_FILE,
    damaged_outputs,
    empty_changes,
    prepare_locked,
    read_manifest,
)
from am_analytics.prepare.warnings import empty_warnings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Processed:
    """The processed tables of one raw folder, with the manifest that describes how they were made.

    `warnings` lists values of descriptive fields that were not recognised (their rows kept) and sheets not
    read; `changes` is the change log of contracts a later extract updated, and of each avenant of a contract
    written with its history; `contract_acts` the acts of those contracts (None when no extract writes acts),
    also carried by `contracts.attrs["contract_acts"]` so that FTE counted at a date take the act then in force
    (`indicators.common.etp_at`); `activity` the doctors' activity by year or half-year (None without an activity
    table; its `medecin_id` is the contracts' pseudonym). Every frame carries `attrs["synthetic"]`, the manifest's
    flag."""

    contracts: pd.DataFrame | None
    territory_year: pd.DataFrame | None
    survey: pd.DataFrame | None
    survey_tables: pd.DataFrame | None
    quarantine: pd.DataFrame
    manifest: dict[str, Any]
    warnings: pd.DataFrame
    changes: pd.DataFrame
    contract_acts: pd.DataFrame | None = None
    activity: pd.DataFrame | None = None
    # the analyst's own reference lists dropped into the raw folder (`prepare.own_lists`), None when absent: GP
    # counts by département (instead of the shipped estimates) and training sites (beside the shipped ones)
    own_generalists: pd.DataFrame | None = None
    own_training_sites: pd.DataFrame | None = None

    @property
    def synthetic(self) -> bool:
        """True when any input is synthetic demo data: every output must then say so."""
        return bool(self.manifest.get("synthetic"))

    @property
    def coverage(self) -> Coverage:
        """The territory the contracts cover (`coverage`): the manifest's record, or found from the contracts
        for a manifest written before it was recorded."""
        record = self.manifest.get("territoire")
        return Coverage.from_record(record) if record else found_coverage(self.contracts)


def load(
    data_dir: Path | str | None = None,
    processed_dir: Path | str | None = None,
    *,
    cutoff: date | None = None,
    caisse_columns: Iterable[str] = (),
) -> Processed:
    """Return the processed tables of `data_dir` (default `data/raw`), preparing them first if they are
    missing, were built from other inputs (judged by checksums), or are damaged.

    Without `processed_dir`, the tables live where `paths.processed_dir_for(data_dir)` says: the project's
    `data/processed` for its own `data/raw` only, a cache folder for any other raw folder (so another
    folder's data never overwrites the project's). `cutoff` is the preparation's acceptance cut-off (a
    signature after it is quarantined), not a counting date. A processed file whose SHA-256 no longer
    matches the manifest is rebuilt from the raw folder, or refused with a `DataError` when the raw folder
    is not there.
    """
    data_dir = Path(data_dir) if data_dir is not None else paths.raw_dir()
    out_dir = Path(processed_dir) if processed_dir is not None else paths.processed_dir_for(data_dir)
    if not data_dir.is_dir():
        return _load_without_raw(data_dir, out_dir)
    prepare_locked(data_dir, out_dir, cutoff=cutoff, only_if_stale=True, caisse_columns=caisse_columns)
    manifest = read_manifest(out_dir)
    assert manifest is not None  # prepare_locked has just written or confirmed it
    damaged = damaged_outputs(out_dir, manifest)
    if damaged:
        log.warning("données préparées endommagées (%s) : reconstruction depuis %s", ", ".join(damaged), data_dir)
        prepare_locked(data_dir, out_dir, cutoff=cutoff, caisse_columns=caisse_columns)
        manifest = read_manifest(out_dir)
        assert manifest is not None
        if damaged_outputs(out_dir, manifest):
            raise _damaged_error(out_dir, damaged_outputs(out_dir, manifest), rebuilt=True)
    return _read_processed(out_dir, manifest)


def _load_without_raw(data_dir: Path, out_dir: Path) -> Processed:
    """Processed tables whose raw folder is gone: usable only if intact."""
    manifest = read_manifest(out_dir)
    if manifest is None:
        raise DataError(
            "dossier de données brutes introuvable et aucune donnée préparée",
            where=Location(file=str(data_dir)),
            hint="indiquer le dossier des extractions (data_dir)",
        )
    damaged = damaged_outputs(out_dir, manifest)
    if damaged:
        raise _damaged_error(out_dir, damaged, rebuilt=False)
    return _read_processed(out_dir, manifest)


def _damaged_error(out_dir: Path, damaged: list[str], *, rebuilt: bool) -> DataError:
    listed = ", ".join(damaged)
    if rebuilt:
        return DataError(
            f"données préparées endommagées ({listed}) et toujours différentes du manifeste après reconstruction",
            where=Location(file=str(out_dir)),
            hint="vérifier l'espace disque et les droits d'écriture du dossier, puis relancer la préparation",
        )
    return DataError(
        f"données préparées endommagées ({listed}) : leur empreinte SHA-256 ne correspond plus au manifeste, "
        "et le dossier des données brutes n'est pas là pour les reconstruire",
        where=Location(file=str(out_dir)),
        hint="remettre le dossier des extractions brutes en place (data_dir) pour reconstruire les tables",
    )


def contracts_extract_date(manifest: dict[str, Any]) -> date | None:
    """The latest extract date of the contract files, as the preparation found it (a file's `Date d'extraction`
    column or its name: `extract_date` in the manifest); None when no contract file states one."""
    found = [record.get("extract_date") for record in manifest.get("files", [])
             if record.get("dataset") == "contracts" and record.get("extract_date")]
    return max(date.fromisoformat(text) for text in found) if found else None


def _read_processed(out_dir: Path, manifest: dict[str, Any]) -> Processed:
    synthetic = bool(manifest.get("synthetic"))
    outputs = manifest.get("outputs", {})

    def read(name: str, empty: pd.DataFrame | None = None) -> pd.DataFrame | None:
        if name not in outputs:
            return empty
        try:
            frame = pd.read_parquet(out_dir / name)
        except (OSError, pa.ArrowException) as exc:  # damaged between the check and the read
            raise DataError(
                f"table préparée illisible ({type(exc).__name__})",
                where=Location(file=str(out_dir / name)),
                hint="relancer la préparation : python -m am_analytics.prepare",
            ) from None
        # the synthetic flag (and the contracts' latest date) travel with each table, through any filtering
        return stamp_data(frame, synthetic=synthetic)

    def required(name: str, empty: pd.DataFrame) -> pd.DataFrame:
        frame = read(name, empty)
        assert frame is not None
        return stamp_data(frame, synthetic=synthetic)

    contracts, acts = read(OUTPUT_FILES["contracts"]), read(OUTPUT_FILES["contract_acts"])
    if contracts is not None:  # the extract dates the manifest found give the default counting date
        stamp_data(contracts, synthetic=synthetic, extracted=contracts_extract_date(manifest))
    if contracts is not None and acts is not None:
        contracts.attrs[ACTS_ATTR] = ContractHistories(acts)
    return Processed(
        contracts=contracts,
        territory_year=read(OUTPUT_FILES["territory_year"]),
        survey=read(OUTPUT_FILES["survey"]),
        survey_tables=read(OUTPUT_FILES["survey_tables"]),
        quarantine=required(QUARANTINE_FILE, pd.DataFrame()),
        manifest=manifest,
        warnings=required(WARNINGS_FILE, empty_warnings()),
        changes=required(CHANGES_FILE, empty_changes()),
        contract_acts=acts,
        activity=read(OUTPUT_FILES["activity"]),
        own_generalists=read(OUTPUT_FILES["own_generalists"]),
        own_training_sites=read(OUTPUT_FILES["own_training_sites"]),
    )
