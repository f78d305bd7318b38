"""A minimal, streaming and byte-deterministic .xlsx writer (inline strings, a few styles, merged cells).

openpyxl stamps the save time into the workbook and the zip entries, and keeps every cell in memory;
the demo needs identical bytes for identical inputs and sheets of up to a million rows, so it writes the
few SpreadsheetML parts itself. Files open in Excel, LibreOffice, openpyxl and calamine.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

# Style indexes of styles.xml below.
PLAIN, DATE, AMOUNT, BOLD, TITLE, ONE_DECIMAL = 0, 1, 2, 3, 4, 5
# Fixed time stamp of every zip entry and of the document properties: the data's extraction date,
# never the clock, so that the same data gives the same bytes.
FIXED_TIMESTAMP = (2025, 6, 30, 0, 0, 0)
_EXCEL_EPOCH = date(1899, 12, 30)

Cell = str | int | float | date | None | tuple  # a tuple is (value, style)


@dataclass
class Sheet:
    """One worksheet: its name, column widths, merged ranges ("A2:E2") and rows of cells."""

    name: str
    rows: Iterable[Sequence[Cell]]
    widths: Sequence[float] = ()
    merged: Sequence[str] = ()
    n_rows: int = 0  # for the dimension record; 0 if unknown
    n_columns: int = 0


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def excel_serial(day: date) -> int:
    return (day - _EXCEL_EPOCH).days


def _cell_xml(reference: str, cell: Cell) -> str:
    style = PLAIN
    if isinstance(cell, tuple):
        cell, style = cell
    if cell is None or (isinstance(cell, str) and cell == "") or (isinstance(cell, float) and cell != cell):
        return "" if style == PLAIN else f'<c r="{reference}" s="{style}"/>'
    s = f' s="{style}"' if style else ""
    if isinstance(cell, str):
        space = ' xml:space="preserve"' if cell != cell.strip() else ""
        return f'<c r="{reference}"{s} t="inlineStr"><is><t{space}>{escape(cell)}</t></is></c>'
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        if not style:
            s = f' s="{DATE}"'
        return f'<c r="{reference}"{s}><v>{excel_serial(cell)}</v></c>'
    if isinstance(cell, bool):
        return f'<c r="{reference}"{s} t="b"><v>{int(cell)}</v></c>'
    return f'<c r="{reference}"{s}><v>{repr(float(cell)) if isinstance(cell, float) else int(cell)}</v></c>'


def _sheet_parts(sheet: Sheet) -> Iterable[str]:
    yield (_XML_HEAD + f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_DOC_REL}">')
    if sheet.n_rows and sheet.n_columns:
        yield f'<dimension ref="A1:{column_letter(sheet.n_columns - 1)}{sheet.n_rows}"/>'
    if sheet.widths:
        cols = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(sheet.widths)
        )
        yield f"<cols>{cols}</cols>"
    yield "<sheetData>"
    letters: list[str] = []
    for number, row in enumerate(sheet.rows, start=1):
        while len(letters) < len(row):
            letters.append(column_letter(len(letters)))
        cells = "".join(_cell_xml(f"{letters[i]}{number}", cell) for i, cell in enumerate(row))
        yield f'<row r="{number}">{cells}</row>'
    yield "</sheetData>"
    if sheet.merged:
        merged = "".join(f'<mergeCell ref="{ref}"/>' for ref in sheet.merged)
        yield f'<mergeCells count="{len(sheet.merged)}">{merged}</mergeCells>'
    yield "</worksheet>"


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OOXML = "http://schemas.openxmlformats.org"
_MAIN_NS = f"{_OOXML}/spreadsheetml/2006/main"
_DOC_REL = f"{_OOXML}/officeDocument/2006/relationships"
_PKG_REL = f"{_OOXML}/package/2006/relationships"
_OFFICE_TYPE = "application/vnd.openxmlformats-officedocument"
_XF = 'fillId="0" borderId="0" xfId="0"'
_FONT = '<sz val="{size}"/><name val="Calibri"/>'

_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_MAIN_NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="0.0"/></numFmts>'
    f'<fonts count="3"><font>{_FONT.format(size=11)}</font><font><b/>{_FONT.format(size=11)}</font>'
    f"<font><b/>{_FONT.format(size=13)}</font></fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    f'<xf numFmtId="0" fontId="0" {_XF}/>'  # PLAIN
    f'<xf numFmtId="164" fontId="0" {_XF} applyNumberFormat="1"/>'  # DATE
    f'<xf numFmtId="4" fontId="0" {_XF} applyNumberFormat="1"/>'  # AMOUNT: built-in #,##0.00
    f'<xf numFmtId="0" fontId="1" {_XF} applyFont="1"/>'  # BOLD
    f'<xf numFmtId="0" fontId="2" {_XF} applyFont="1" applyAlignment="1"><alignment horizontal="center"/></xf>'
    f'<xf numFmtId="165" fontId="0" {_XF} applyNumberFormat="1"/>'  # ONE_DECIMAL
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _override(part: str, content_type: str) -> str:
    return f'<Override PartName="{part}" ContentType="{content_type}"/>'


def _relationship(rel_id: str, rel_type: str, target: str) -> str:
    return f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/>'


def _static_parts(sheets: Sequence[Sheet], title: str) -> dict[str, str]:
    numbers = range(1, len(sheets) + 1)
    overrides = "".join(
        _override(f"/xl/worksheets/sheet{i}.xml", f"{_OFFICE_TYPE}.spreadsheetml.worksheet+xml") for i in numbers
    )
    sheet_list = "".join(
        f'<sheet name="{escape(s.name)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, start=1)
    )
    sheet_rels = "".join(_relationship(f"rId{i}", f"{_DOC_REL}/worksheet", f"worksheets/sheet{i}.xml") for i in numbers)
    stamp = "{:04d}-{:02d}-{:02d}T00:00:00Z".format(*FIXED_TIMESTAMP[:3])
    return {
        "[Content_Types].xml": _XML_HEAD + f'<Types xmlns="{_OOXML}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + _override("/xl/workbook.xml", f"{_OFFICE_TYPE}.spreadsheetml.sheet.main+xml")
        + overrides
        + _override("/xl/styles.xml", f"{_OFFICE_TYPE}.spreadsheetml.styles+xml")
        + _override("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml")
        + _override("/docProps/app.xml", f"{_OFFICE_TYPE}.extended-properties+xml")
        + "</Types>",
        "_rels/.rels": _XML_HEAD
        + f'<Relationships xmlns="{_PKG_REL}">'
        + _relationship("rId1", f"{_DOC_REL}/officeDocument", "xl/workbook.xml")
        + _relationship("rId2", f"{_PKG_REL}/metadata/core-properties", "docProps/core.xml")
        + _relationship("rId3", f"{_DOC_REL}/extended-properties", "docProps/app.xml")
        + "</Relationships>",
        "docProps/core.xml": _XML_HEAD
        + f'<cp:coreProperties xmlns:cp="{_OOXML}/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>am_analytics.demo</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>",
        "docProps/app.xml": _XML_HEAD + f'<Properties xmlns="{_OOXML}/officeDocument/2006/extended-properties">'
        "<Application>am_analytics.demo</Application></Properties>",
        "xl/workbook.xml": _XML_HEAD
        + f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_DOC_REL}">'
        + f"<sheets>{sheet_list}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": _XML_HEAD
        + f'<Relationships xmlns="{_PKG_REL}">'
        + sheet_rels
        + _relationship(f"rId{len(sheets) + 1}", f"{_DOC_REL}/styles", "styles.xml")
        + "</Relationships>",
        "xl/styles.xml": _STYLES,
    }


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # fixed, whatever the platform writing the file
    info.external_attr = 0o644 << 16
    return info


def write_workbook(path: Path, sheets: Sequence[Sheet], title: str, large: bool = False) -> None:
    """Write the workbook to `path` (the caller makes it atomic); rows are streamed, not held."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        static = _static_parts(sheets, title)
        for name in (
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/app.xml",
            "docProps/core.xml",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
        ):
            archive.writestr(_entry(name), static[name])
        for number, sheet in enumerate(sheets, start=1):
            with archive.open(_entry(f"xl/worksheets/sheet{number}.xml"), "w", force_zip64=large) as stream:
                buffer: list[str] = []
                size = 0
                for part in _sheet_parts(sheet):
                    buffer.append(part)
                    size += len(part)
                    if size > 1 << 20:
                        stream.write("".join(buffer).encode("utf-8"))
                        buffer, size = [], 0
                stream.write("".join(buffer).encode("utf-8"))
