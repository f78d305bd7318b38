"""The Excel workbook beside the report: one sheet per published table, French headers, number formats,
a frozen header row, fitted column widths, and a « Sources » sheet; byte-identical when rebuilt."""

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
    if kind == "count":
        return int(round(float(value)))
    return float(value)


def _write_table(workbook: Workbook, table: PublishedTable) -> None:
    sheet = workbook.create_sheet(table.name[:31])
    headers = [column.header for column in table.columns]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for position in range(len(table.frame)):
        record = table.frame.iloc[position]
        values = [
            table.cell_text(position, column)
            if table.is_masked(position, column.key)
            else _cell_value(record[column.key], column.kind)
            for column in table.columns
        ]
        sheet.append(values)
        for column_index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=position + 2, column=column_index)
            if not isinstance(cell.value, str):
                cell.number_format = EXCEL_FORMATS[column.kind]
            if column.kind != "text":
                cell.alignment = Alignment(horizontal="right")
    sheet.freeze_panes = "A2"
    for column_index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(c.value or "")) for c in sheet[get_column_letter(column_index)]])
        sheet.column_dimensions[get_column_letter(column_index)].width = min(max(10, longest + 2), 60)
    if table.notes or table.source:
        row = len(table.frame) + 3
        sheet.cell(row=row, column=1, value=safe_text(table.source_line)).font = Font(italic=True)
        for offset, note in enumerate(table.notes, start=1):
            sheet.cell(row=row + offset, column=1, value=safe_text(note)).font = Font(italic=True)


def _sources_sheet(workbook: Workbook, lines: Sequence[tuple[str, str]]) -> None:
    sheet = workbook.create_sheet("Sources")
    sheet.append(["Rubrique", "Contenu"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for key, value in lines:
        sheet.append([safe_text(key), safe_text(value)])
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 120


def build_workbook(tables: Sequence[PublishedTable], sources: Sequence[tuple[str, str]], created: datetime) -> bytes:
    """The workbook as bytes, with document dates and zip timestamps set to `created` (from the data)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        _write_table(workbook, table)
    _sources_sheet(workbook, sources)
    workbook.properties.creator = "am_analytics"
    workbook.properties.created = created
    workbook.properties.modified = created
    workbook.properties.lastModifiedBy = "am_analytics"
    buffer = io.BytesIO()
    # openpyxl's own save() stamps the clock into « modified »: its writer is called directly instead
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_zip_times(buffer.getvalue(), created)


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
