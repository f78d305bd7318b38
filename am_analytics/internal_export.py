"""An internal Excel export of indicator frames, for colleagues who work in a spreadsheet.

Indicator frames hold exact counts: nothing here is masked, so every sheet says « usage interne — ne pas
diffuser » on its first row (and the workbook's properties say it too). What is published goes through the
presentation layer, never through this export. Cells keep their types so that a colleague can sort and sum:
whole numbers, decimals and shares as numbers with French-style formats (the separators follow the reader's
Excel, a French one shows « 1 234,5 » and « 12,3 % »), dates as dates (« jj/mm/aaaa »), text as text that
Excel never runs as a formula. Headers are the variables' French labels where the package has one.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from am_analytics import atomic
from am_analytics.report.workbook import safe_text, sheet_name
from am_analytics.vocabulary import SYNTHETIC_MENTION, VARIABLES

INTERNAL_MENTION = "Usage interne — ne pas diffuser : chiffres exacts, non soumis au secret statistique"
HEADER_ROW = 3
_FORMATS = {"count": "#,##0", "decimal": "#,##0.0", "share": "0.0%", "date": "dd/mm/yyyy", "text": "@"}


def column_kind(frame: pd.DataFrame, column: str) -> str:
    """How a column is written: « share » (a ratio the package prints in %), « count », « decimal », « date »
    or « text »; from the variable's record when the package has one, else from the column's type."""
    values = frame[column]
    variable = VARIABLES.get(column)
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return "text"
    if variable is not None and variable.unit == "%":
        return "share"
    if column.startswith(("part_", "ic_", "taux_", "croissance_")) or column == "ecart_relatif":
        return "share"
    if pd.api.types.is_integer_dtype(values) or (variable is not None and variable.decimals == 0):
        return "count"
    numbers = values.dropna().to_numpy(dtype=float)
    # a float column of whole numbers (a population that went through numpy) is still a count
    return "count" if len(numbers) and np.all(numbers == np.round(numbers)) else "decimal"


_PLAIN_HEADERS = {"code": "Code", "nom": "Nom", "region_code": "Code région", "annee": "Année", "mois": "Mois"}


def header_of(column: str) -> str:
    """The variable's French label where the package has one, else the column's own name (never guessed)."""
    variable = VARIABLES.get(column)
    return variable.label if variable is not None else _PLAIN_HEADERS.get(column, column)


def _cell(value: object, kind: str) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "date":
        return pd.Timestamp(value).to_pydatetime()
    if kind == "text":
        text = ("oui" if value else "non") if isinstance(value, bool | np.bool_) else str(value)
        return safe_text(text)
    if kind == "count":
        return int(round(float(value)))
    return float(value)


def _write_sheet(workbook: Workbook, name: str, frame: pd.DataFrame) -> None:
    sheet = workbook.create_sheet(name)
    synthetic = bool(frame.attrs.get("synthetic")) or "demo" in frame.attrs.get("sources", ())
    warning = sheet.cell(row=1, column=1, value=INTERNAL_MENTION.upper())
    warning.font = Font(bold=True, color="BE281E")
    about = [f"Données au {pd.Timestamp(frame.attrs['as_of']):%d/%m/%Y}" if frame.attrs.get("as_of") else None,
             SYNTHETIC_MENTION if synthetic else None]
    sheet.cell(row=2, column=1, value=safe_text(" — ".join(part for part in about if part) or name))
    kinds = [column_kind(frame, column) for column in frame.columns]
    for position, column in enumerate(frame.columns, start=1):
        sheet.cell(row=HEADER_ROW, column=position, value=safe_text(header_of(column))).font = Font(bold=True)
    for row_number, row in enumerate(frame.itertuples(index=False), start=HEADER_ROW + 1):
        for position, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
            cell = sheet.cell(row=row_number, column=position, value=_cell(value, kind))
            cell.number_format = _FORMATS[kind]
    for position, column in enumerate(frame.columns, start=1):
        width = max([len(header_of(column))] + [len(str(v)) for v in frame[column].head(200)])
        sheet.column_dimensions[get_column_letter(position)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)


def _notes_sheet(workbook: Workbook, frames: Mapping[str, pd.DataFrame]) -> None:
    sheet = workbook.create_sheet("Notes")
    sheet.cell(row=1, column=1, value=INTERNAL_MENTION.upper()).font = Font(bold=True, color="BE281E")
    row = 3
    for name, frame in frames.items():
        sheet.cell(row=row, column=1, value=safe_text(name)).font = Font(bold=True)
        sources = ", ".join(frame.attrs.get("sources", ())) or "non précisées"
        lines = [f"Sources : {sources}", *(f"Note : {note}" for note in frame.attrs.get("notes", ()))]
        for line in lines:
            row += 1
            sheet.cell(row=row, column=1, value=safe_text(line))
        row += 2
    sheet.column_dimensions["A"].width = 120


def internal_workbook(frames: pd.DataFrame | Mapping[str, pd.DataFrame]) -> bytes:
    """The workbook's bytes: one sheet per frame (a mapping's keys name the sheets), then « Notes »."""
    if isinstance(frames, pd.DataFrame):
        frames = {"Indicateur": frames}
    if not frames:
        raise ValueError("aucun tableau à exporter : passer un DataFrame ou un dictionnaire {nom: DataFrame}")
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    named = {sheet_name(str(name), used): frame for name, frame in frames.items()}
    for name, frame in named.items():
        _write_sheet(workbook, name, frame)
    _notes_sheet(workbook, named)
    workbook.properties.title = INTERNAL_MENTION
    workbook.properties.category = "usage interne"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_internal(frames: pd.DataFrame | Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write indicator frames to an Excel workbook for internal use (see the module's docstring), atomically:
    `am.export_internal(am.indicators.by_departement(contracts), "departements.xlsx")`. Returns the path."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"« {path.name} » : l'export interne s'écrit en .xlsx (par exemple departements.xlsx)")
    atomic.write_bytes(path, internal_workbook(frames))
    return path
