"""Orchestration of the demo data: truth → contract extracts, open data, survey → sidecars and README."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from am_analytics import atomic
from am_analytics.demo import activity, contracts, opendata, provenance, survey, xlsx
from am_analytics.demo.randomness import stream
from am_analytics.demo.truth import build_truth
from am_analytics.indicators.cnam_design import published_design

DEFAULT_SEED = 2019
# The published national count at 30 June 2025 (8 558): the default truth reproduces it, and the
# extracts hold about 8 700 rows once duplicates and impossible rows are added.
DEFAULT_CONTRACTS = 8558
TITLE_SUFFIX = "données de démonstration synthétiques"


def generate(
    out_dir: Path,
    seed: int = DEFAULT_SEED,
    n_contracts: int = DEFAULT_CONTRACTS,
    progress: Callable[[int, int], Callable[[int], None]] | None = None,
) -> list[Path]:
    """Write every demo file and its sidecar into `out_dir`; returns the data files written.

    `progress(total_rows)` may return a callback advanced as rows are written (the CLI's tqdm bar).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    truth = build_truth(n_contracts, seed)
    plan = contracts.extract_plan()
    rows = contracts.assemble_rows(truth, plan, seed)
    advance = progress(len(rows)) if progress else (lambda _n: None)
    written: list[tuple[Path, str]] = []
    assumptions = provenance.contract_assumptions()
    for index, extract in enumerate(plan):
        in_file = contracts.order_in_file(rows[rows["_file"] == index])
        later: list[tuple[contracts.ExtractFile, pd.DataFrame, str, dict]] = []
        extra: dict = {}
        if extract.name == contracts.CAISSE_SOURCE:
            in_file, by_caisse = contracts.split_by_caisse(in_file)
            later.append((caisse_extract(extract), contracts.order_in_file(by_caisse), CAISSE_DESCRIPTION, {}))
            extra["split"] = f"contrats des départements à caisse codée dans {contracts.CAISSE_NAME}"
        latest = in_file
        if extract.name == contracts.RESENT_SOURCE:
            in_file, updates = contracts.earlier_state(latest, seed)
            extra["updated_by"] = {"file": contracts.RESENT_NAME, "updates": updates}
        description = (
            f"Contrats d'aide à l'emploi d'un assistant médical signés du {extract.first_day:%d/%m/%Y} au "
            f"{extract.last_day:%d/%m/%Y} ({extract.description})"
        )
        written.append(write_contract_extract(out_dir, extract, in_file, description, extra, seed, n_contracts,
                                              advance, assumptions))
        if extract.name == contracts.RESENT_SOURCE:
            clean = latest[in_file["_kind"].eq("").to_numpy()].reset_index(drop=True)
            resent = {"updates": updates, "updates_file": contracts.RESENT_SOURCE}
            later.append((resent_extract(extract), clean, RESENT_DESCRIPTION, resent))
        for derived, derived_rows, derived_description, derived_extra in later:
            written.append(write_contract_extract(out_dir, derived, derived_rows, derived_description, derived_extra,
                                                  seed, n_contracts, advance, assumptions))
    written.append(write_opendata(out_dir, truth, seed, n_contracts))
    written.extend(write_survey(out_dir, truth, seed, n_contracts))
    written.append(write_activity(out_dir, truth, seed, n_contracts))
    listing = [(path.name, description) for path, description in written]
    atomic.write_text(out_dir / "README.md", provenance.readme_text(listing, seed, n_contracts))
    return [path for path, _ in written]


RESENT_DESCRIPTION = (
    "Contrats signés en 2024, extraction cumulative renvoyée le 31/03/2025 : les mêmes contrats, avec les dates de "
    "fin et les montants d'aide survenus depuis (mises à jour de contrats_2024.csv)"
)
CAISSE_DESCRIPTION = (
    "Contrats du premier semestre 2025 des départements dont la caisse est codée dans la table de référence, "
    "exportés par caisse : code d'organisme (CPAM, CGSS) au lieu du département"
)


def resent_extract(extract: contracts.ExtractFile) -> contracts.ExtractFile:
    return dataclasses.replace(
        extract, name=contracts.RESENT_NAME, description="CSV UTF-8, extraction cumulative renvoyée, datée par son nom"
    )


def caisse_extract(extract: contracts.ExtractFile) -> contracts.ExtractFile:
    headers = {c: (contracts.CAISSE_HEADER if c == "departement" else h) for c, h in extract.headers.items()}
    return dataclasses.replace(
        extract, name=contracts.CAISSE_NAME, headers=headers,
        description="CSV UTF-8, contrats repérés par le code de leur caisse (CPAM, CGSS)",
    )


def write_contract_extract(
    out_dir: Path,
    extract: contracts.ExtractFile,
    rows: pd.DataFrame,
    description: str,
    extra: dict,
    seed: int,
    n_contracts: int,
    advance: Callable[[int], None],
    assumptions: list[str],
) -> tuple[Path, str]:
    """Write one contract extract and its sidecar; returns (path, description) for the README."""
    path = out_dir / extract.name
    defects, n_rows = write_contract_file(path, extract, rows, seed, n_contracts, advance)
    record = provenance.sidecar(
        path,
        seed=seed,
        n_contracts=n_contracts,
        description=description,
        rows=n_rows,
        file_format=contract_format(extract, rows),
        assumptions=assumptions,
        defects=defects,
        extra={"expected_counts": expected_counts(defects), **extra},
    )
    provenance.write_sidecar(path, record)
    return path, record["description"]


def contract_format(extract: contracts.ExtractFile, rows: pd.DataFrame | None = None) -> dict:
    """How the file is written, for a reader (and the ingestion tests) to check against."""
    record = {
        "type": extract.kind,
        "columns": {
            header: ("caisse" if header == contracts.CAISSE_HEADER else canonical)
            for canonical, header in extract.headers.items()
        },
        "first_data_line": extract.first_data_line,
    }
    if extract.kind == "csv":
        record.update(
            {
                "encoding": extract.encoding,
                "bom": extract.encoding == "utf-8-sig",
                "line_ending": "CRLF" if extract.newline == "\r\n" else "LF",
                "delimiter": ";",
                "decimal": ",",
                "thousands_separator": f"U+{ord(extract.thousands):04X}",
                "date_format": "JJ/MM/AAAA",
                "header_rows": 1,
            }
        )
    else:
        sheets = [name for name, _ in contracts.year_sheets(rows)] if rows is not None else []
        record.update(
            {
                "sheets": sheets,
                "other_sheets": {contracts.NOTICE_SHEET: "notice, sans données"},
                "title_row": 1,
                "header_rows": [2, 3],
                "header_groups": [label for label, _ in contracts.CONTRACT_GROUPS],
            }
        )
    return record


def write_contract_file(
    path: Path,
    extract: contracts.ExtractFile,
    rows: pd.DataFrame,
    seed: int,
    n_contracts: int,
    advance: Callable[[int], None],
) -> tuple[list[dict], int]:
    """Render, inject the typos, write; returns the defect records and the number of data rows."""
    rng = stream(seed, f"typos:{extract.name}")
    rendered = contracts.render_file(rows, extract, seed)
    if any(v.startswith("name") for v in extract.styles["departement"]):
        typo_rows = contracts.inject_typos(
            rendered, rows, contracts.defect_count("departement_typo", n_contracts) // 2 + 1, rng
        )
        rows.loc[typo_rows, "_kind"] = "departement_typo"
    if extract.kind == "csv" and extract.name not in (contracts.RESENT_SOURCE, contracts.RESENT_NAME):
        unlisted = contracts.inject_unlisted_professions(
            rendered, rows, contracts.defect_count("unlisted_profession", n_contracts) // 2 + 1, rng
        )
        rows.loc[unlisted, "_kind"] = "unlisted_profession"
    cell_text = rendered.at.__getitem__  # (row, column) → text as written
    place = {row: (None, row + extract.first_data_line) for row in range(len(rows))}
    if extract.kind == "xlsx":
        sheets = contracts.year_sheets(rows)
        place = {
            int(row): (name, k + extract.first_data_line)
            for name, positions in sheets
            for k, row in enumerate(positions)
        }
        serial_pool = np.flatnonzero(rows["_kind"].eq("").to_numpy() & ~rows["_reserved"].to_numpy(dtype=bool))
        count = min(contracts.defect_count("excel_serial_date", n_contracts), len(serial_pool))
        serial_rows = np.sort(rng.choice(serial_pool, size=count, replace=False))
        rows.loc[serial_rows, "_kind"] = "excel_serial_date"
        cells = contracts.xlsx_cells(rendered, rows, serial_rows)
        positions = {column: k for k, column in enumerate(rendered.columns)}

        def cell_text(key: tuple[int, str]) -> str:
            row, column = key
            return contracts.display_value(cells[row][positions[column]])

        title = f"Extraction des contrats d'aide à l'emploi d'un assistant médical — 2019-2020 — {TITLE_SUFFIX}"
        contracts.write_xlsx(path, extract, cells, title, advance, sheets=sheets)
    else:
        contracts.write_csv(path, rendered, extract, advance)
    return defect_records(rows, rendered, cell_text, extract, place), len(rows)


def defect_records(
    rows: pd.DataFrame,
    rendered: pd.DataFrame,
    cell_text: Callable[[tuple[int, str]], str],
    extract: contracts.ExtractFile,
    place: dict[int, tuple[str | None, int]],
) -> list[dict]:
    """One record per defective cell: file, sheet (workbooks), line as an editor shows it, header as written,
    value, expected handling."""
    records = []
    kinds = rows["_kind"].to_numpy()
    for kind in sorted(set(kinds) - {""}):
        column, expected, _, _ = contracts.DEFECTS[kind]
        for row in np.flatnonzero(kinds == kind):
            records.append(
                _record(extract, place[int(row)], column, cell_text((row, column)), kind, expected,
                        rows.at[row, "contrat_id"])
            )
    column, expected, _, _ = contracts.DEFECTS["empty_background"]
    for row in np.flatnonzero(rendered["profil_origine"].eq("").to_numpy()):
        records.append(
            _record(extract, place[int(row)], column, "", "empty_background", expected, rows.at[row, "contrat_id"])
        )
    return sorted(records, key=lambda r: (r.get("sheet") or "", r["line"], r["column"], r["defect"]))


def _record(extract, where, column, value, kind, expected, contrat_id) -> dict:
    sheet, line = where
    record = {"file": extract.name}
    if sheet is not None:
        record["sheet"] = sheet
    record.update(
        {
            "line": int(line),
            "column": extract.headers[column],
            "value": str(value),
            "defect": kind,
            "expected": expected,
            "contrat_id": str(contrat_id),
        }
    )
    return record


def expected_counts(defects: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for record in defects:
        counts[record["defect"]] = counts.get(record["defect"], 0) + 1
    return dict(sorted(counts.items()))


def write_activity(out_dir: Path, truth: pd.DataFrame, seed: int, n_contracts: int) -> tuple[Path, str]:
    """The doctors' yearly activity (signatory GPs and a pool of non-signatories) and its sidecar, with the
    published design's results on it beside the published figures."""
    path = out_dir / activity.FILE_NAME
    table = activity.activity_table(truth, seed)
    atomic.write_text(path, activity.to_csv_text(table), encoding="utf-8")
    description = (
        f"Suivi annuel de l'activité des médecins généralistes ({activity.YEARS[0]}–{activity.YEARS[-1]}) : "
        "signataires et non-signataires, patientèle médecin traitant, file active, actes, jours travaillés"
    )
    record = provenance.sidecar(
        path,
        seed=seed,
        n_contracts=n_contracts,
        description=description,
        rows=len(table),
        file_format={"type": "csv", "encoding": "utf-8", "bom": False, "line_ending": "LF", "delimiter": ";",
                     "header_rows": 1, "columns": {v: k for k, v in activity.HEADERS.items()}},
        assumptions=activity.assumptions(),
        extra={
            "calibration": {
                "design": "Cnam, Points de repère du 3 décembre 2024 : généralistes signataires du 01/09/2019 au "
                "31/08/2020 contre non-signataires, de l'année précédant la signature à quatre ans plus tard",
                "tolerance_points": activity.TOLERANCE_POINTS,
                "published": activity.published_effects(),
                "reproduced": published_design(table, truth),
            },
        },
    )
    provenance.write_sidecar(path, record)
    return path, record["description"]


def write_opendata(out_dir: Path, truth: pd.DataFrame, seed: int, n_contracts: int) -> tuple[Path, str]:
    path = out_dir / opendata.FILE_NAME
    table = opendata.territory_table(truth)
    atomic.write_text(path, opendata.to_csv_text(table), encoding="utf-8-sig")
    description = (
        "Données ouvertes annuelles par territoire (au 31 décembre 2019–2024) : France, régions, "
        "départements ; export Opendatasoft"
    )
    record = provenance.sidecar(
        path,
        seed=seed,
        n_contracts=n_contracts,
        description=description,
        rows=len(table),
        file_format={
            "type": "csv",
            "encoding": "utf-8-sig",
            "bom": True,
            "line_ending": "LF",
            "delimiter": ";",
            "decimal": ",",
            "header": "libellés français",
            "columns": {v: k for k, v in opendata.HEADERS.items()},
            "aggregate_rows": "code département 999 « Tout département » ; région « FRANCE »",
            "small_cells": f"« NS » si moins de {opendata.SMALL_CELL} contrats",
        },
        assumptions=[
            "Agrégé de la même vérité synthétique que les extractions de contrats : nombre cumulé de contrats "
            "signés au 31 décembre.",
            "Taux de recours : médecins généralistes ayant un contrat en cours au 31 décembre / généralistes "
            "éligibles ; éligibles = généralistes estimés × une fraction constante, calée pour que le taux "
            "national vaille 15 % au 30/06/2025 (chiffre publié approché) — hypothèse, les effectifs éligibles "
            "ne sont pas publics.",
            "Mayotte : pas d'estimation de généralistes (pas de population légale) ; son taux et celui de sa "
            "région restent vides et elle est exclue du taux national (numérateur et dénominateur).",
            "Les libellés de colonnes exacts du jeu réel de data.ameli.fr n'ont pas pu être vus : la mise en "
            "page imite un export Opendatasoft.",
        ],
    )
    provenance.write_sidecar(path, record)
    return path, description


def write_survey(out_dir: Path, truth: pd.DataFrame, seed: int, n_contracts: int) -> list[tuple[Path, str]]:
    microdata = survey.build_microdata(truth, seed)
    assumptions = [
        "Les chiffres de l'enquête réelle (BVA, février 2021, pour l'Assurance Maladie) ne sont pas publics : "
        "seules son existence et ses conclusions qualitatives le sont. Toutes les réponses ici sont inventées.",
        "Répondants tirés parmi les médecins et assistants des contrats en cours au 01/02/2021 de la vérité "
        "synthétique, environ 60 % de médecins, avec une non-réponse inégale selon les régions.",
        "Poids : post-stratification par type de répondant × région (chaque contrat compte un médecin et un "
        "assistant), ramenés à une moyenne de 1.",
        "Distributions des réponses : hypothèses (satisfaction majoritaire, temps gagné surtout entre moins "
        "d'une heure et deux heures par jour) ; 1 % de non-réponse sur deux questions.",
    ]
    paths = []
    micro_path = out_dir / survey.MICRODATA_FILE
    atomic.write_text(micro_path, survey.to_csv_text(microdata))
    description = "Enquête de satisfaction synthétique (février 2021) : microdonnées, une ligne par répondant"
    record = provenance.sidecar(
        micro_path,
        seed=seed,
        n_contracts=n_contracts,
        description=description,
        rows=len(microdata),
        file_format={
            "type": "csv",
            "encoding": "utf-8",
            "bom": False,
            "line_ending": "LF",
            "delimiter": ";",
            "decimal": ",",
        },
        assumptions=assumptions,
    )
    provenance.write_sidecar(micro_path, record)
    paths.append((micro_path, description))

    tables_path = out_dir / survey.TABLES_FILE
    title = f"Enquête de satisfaction sur le dispositif d'assistant médical — février 2021 — {TITLE_SUFFIX}"
    sheet = survey.tables_sheet(microdata, title)
    sheet.rows = list(sheet.rows)
    atomic.write_with(tables_path, lambda target: xlsx.write_workbook(target, [sheet], title))
    description = (
        "Enquête de satisfaction synthétique (février 2021) : tableaux pondérés par question, "
        "calculés sur les microdonnées"
    )
    record = provenance.sidecar(
        tables_path,
        seed=seed,
        n_contracts=n_contracts,
        description=description,
        rows=len(sheet.rows),
        file_format={
            "type": "xlsx",
            "sheet": "Tableaux",
            "layout": "un bloc par question : titre fusionné, "
            "ligne de sous-groupes, pourcentages pondérés à une décimale, ligne « Base » (effectifs non pondérés)",
        },
        assumptions=assumptions,
    )
    provenance.write_sidecar(tables_path, record)
    paths.append((tables_path, description))
    return paths
