"""The Excel workbook beside the report: one sheet per published table, a title row carrying the synthetic
mention, French headers, number formats per cell, a frozen header row, fitted column widths, notes explaining
masked cells, a « Sources » sheet and document properties; byte-identical when rebuilt."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from am_analytics.presentation.tables import EXCEL_FORMATS, PublishedTable
from am_analytics.vocabulary import SYNTHETIC_MENTION, SYNTHETIC_WARNING

HEADER_FILL = PatternFill("solid", start_color="E8EEF4", end_color="E8EEF4")
# Text that a spreadsheet would run as a formula (or a DDE command) is neutralised with a leading quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """A text cell that Excel will show and never evaluate."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _cell_value(value: object, kind: str) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "text":
        return safe_text(str(value))
    if kind == "date":
        return pd.Timestamp(value).to_pydatetime()
    if kind in ("count", "euros", "millions"):  # amounts to the euro: what any of their formats shows, and more
        return int(round(float(value)))
    # six decimals: far below what any format shows, and no float tail (« 97650.05239913167 ») whose digits a
    # reader's scan would take for an identifier
    return round(float(value), 6)


def number_format(value: object, kind: str) -> str:
    """The Excel format of one cell: whole numbers of a « number » column without a decimal separator
    (`#,##0.##` would show « 12, »), others with one decimal."""
    if kind == "number":
        whole = isinstance(value, int | float) and float(value).is_integer()
        return "#,##0" if whole else "#,##0.0"
    return EXCEL_FORMATS[kind]


TITLE_ROW, HEADER_ROW = 1, 2
HIDDEN_NOTE = "Cellules masquées (secret statistique) : voir les notes sous le tableau."


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, none of : \\ / ? * [ ]), cut at a word boundary."""
    clean = "".join(" " if character in ':\\/?*[]' else character for character in name).strip()
    if len(clean) > 31:
        clean = clean[:31].rsplit(" ", 1)[0].rstrip(" —-")
    candidate, number = clean, 2
    while candidate in used:
        suffix = f" ({number})"
        candidate, number = clean[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate)
    return candidate


def _title_row(sheet, title: str, synthetic: bool) -> None:
    """Row 1 of every sheet: the table's title and, on synthetic data, the synthetic mention in red."""
    text = f"{title} — {SYNTHETIC_MENTION}" if synthetic else title
    cell = sheet.cell(row=TITLE_ROW, column=1, value=safe_text(text))
    cell.font = Font(bold=True, color="BE281E" if synthetic else "005A8C")


def _write_table(workbook: Workbook, table: PublishedTable, name: str, synthetic: bool) -> None:
    sheet = workbook.create_sheet(name)
    _title_row(sheet, table.title, synthetic or table.synthetic)
    headers = [column.header for column in table.columns]
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    masked = False
    for position in range(len(table.frame)):
        record = table.frame.iloc[position]
        row = HEADER_ROW + 1 + position
        for column_index, column in enumerate(table.columns, start=1):
            if table.is_masked(position, column.key):
                value = table.cell_text(position, column)
                masked = True
            else:
                value = _cell_value(record[column.key], column.kind)
            cell = sheet.cell(row=row, column=column_index, value=value)
            if not isinstance(value, str) and value is not None:
                cell.number_format = number_format(value, column.kind)
            if column.kind != "text":
                cell.alignment = Alignment(horizontal="right")
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    for column_index, header in enumerate(headers, start=1):
        letter = get_column_letter(column_index)
        cells = [sheet.cell(row=r, column=column_index).value for r in range(HEADER_ROW, sheet.max_row + 1)]
        longest = max([len(str(header))] + [len(str(value or "")) for value in cells])
        sheet.column_dimensions[letter].width = min(max(10, longest + 2), 60)
    row = HEADER_ROW + len(table.frame) + 2
    lines = [table.source_line, *table.notes, *([HIDDEN_NOTE] if masked else [])]
    for offset, note in enumerate(lines):
        sheet.cell(row=row + offset, column=1, value=safe_text(note)).font = Font(italic=True)


def _sources_sheet(workbook: Workbook, lines: Sequence[tuple[str, str]], synthetic: bool) -> None:
    sheet = workbook.create_sheet("Sources")
    _title_row(sheet, "Sources, méthode et fichiers d'entrée", synthetic)
    for index, header in enumerate(["Rubrique", "Contenu"], start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for key, value in lines:
        sheet.append([safe_text(key), safe_text(value)])
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 120


def build_workbook(
    tables: Sequence[PublishedTable],
    sources: Sequence[tuple[str, str]],
    created: datetime,
    *,
    title: str = "Les assistants médicaux",
    synthetic: bool = False,
    scope_label: str = "",
) -> tuple[bytes, list[str]]:
    """The workbook as bytes and its sheet names, with document dates and zip timestamps set to `created` (from
    the data). Every sheet opens with a title row (with the synthetic mention when the data is synthetic); the
    document carries its title, subject, language (fr-FR) and keywords."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        _write_table(workbook, table, sheet_name(table.name, used), synthetic)
    _sources_sheet(workbook, sources, synthetic)
    properties = workbook.properties
    properties.creator = "am_analytics"
    properties.created = created
    properties.modified = created
    properties.lastModifiedBy = "am_analytics"
    properties.title = title
    properties.subject = "Déploiement des assistants médicaux" + (f" — {scope_label}" if scope_label else "")
    properties.language = "fr-FR"
    properties.keywords = "assistants médicaux ; Assurance Maladie ; CPAM" + (
        f" ; {SYNTHETIC_MENTION.lower()}" if synthetic else "")
    properties.description = SYNTHETIC_WARNING if synthetic else "Extractions réelles des contrats."
    buffer = io.BytesIO()
    # openpyxl's own save() stamps the clock into « modified »: its writer is called directly instead
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_zip_times(buffer.getvalue(), created), list(workbook.sheetnames)


def _fixed_zip_times(data: bytes, when: datetime) -> bytes:
    """Rewrite the zip container with every entry dated `when`: zip entries otherwise carry the clock."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return output.getvalue()
