"""Where the error cells of an Excel 97-2003 (.xls) or LibreOffice (.ods) workbook are, and what they show.

calamine, which reads those workbooks, turns an error cell (`#N/A`, `#REF!`, `#DIV/0!`, LibreOffice's
`Err:502`) into a blank, into the number LibreOffice stored beside the error (`#DIV/0!` stored as 0), or drops it
when the cell has no value type: a lost value would pass unnoticed, or a wrong one be counted. This module finds
those cells in the file itself, so the reader writes what the cell shows in their place and the steps treat them
as they treat an `.xlsx` error cell (`values.error_cells`): a required field quarantines the row, a descriptive
one is warned.

- `.ods`: cells marked `calcext:value-type="error"` in `content.xml` (what LibreOffice writes), located by
  walking rows and cells with their repeat counts;
- `.xls`: BOOLERR records flagged as errors and FORMULA records whose cached result is an error, in the
  `Workbook` stream of the compound file (each sheet's records from the offset its BOUNDSHEET record gives).

A workbook these readers cannot walk (encrypted, damaged) gives no error cell: calamine's reading stands.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import zipfile
from xml.etree import ElementTree

log = logging.getLogger(__name__)

# sheet name → {(row, column): the text the cell shows}, positions from 0 at A1
Located = dict[str, dict[tuple[int, int], str]]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# BIFF error codes (MS-XLS 2.5.97.2 BErr), as Excel displays them
BIFF_ERRORS = {
    0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
_BOF, _EOF, _BOUNDSHEET, _FILEPASS, _BOOLERR, _FORMULA = 0x0809, 0x000A, 0x0085, 0x002F, 0x0205, 0x0006
# What an error cell's record looks like (a BOOLERR flagged as error; a FORMULA whose cached result is an error),
# searched over the whole stream at C speed: without a match, no record needs to be walked one by one.
_MAYBE_ERROR = re.compile(rb"\x05\x02\x08\x00.{7}\x01|\x06\x00..(?:.{6})\x02.{5}\xff\xff", re.DOTALL)

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_ODS_ERROR_MARK = b'value-type="error"'
# A repeat count this large pads a sheet to its last row or column (LibreOffice writes 1 048 576 rows): no error
# cell lies beyond, and counting through it would only cost time.
_FILLER_REPEAT = 10_000


def locate_error_cells(data: bytes) -> Located:
    """The error cells of an .xls or .ods workbook by sheet; empty for any other file, or one without any."""
    try:
        if data.startswith(_OLE_MAGIC):
            return xls_error_cells(data)
        if data.startswith(b"PK"):
            return ods_error_cells(data)
    except (ValueError, KeyError, IndexError, struct.error, zipfile.BadZipFile, ElementTree.ParseError, OSError) as exc:
        log.info("cellules en erreur non recherchées (classeur non parcouru : %s)", exc)
    return {}


def with_error_cells(grid: list[list[object]], cells: dict[tuple[int, int], str]) -> list[list[object]]:
    """The sheet's grid with each error cell showing its error text (the grid grows when calamine dropped one at
    its edge)."""
    for (row, column), shown in cells.items():
        while len(grid) <= row:
            grid.append([])
        line = grid[row]
        if len(line) <= column:
            line.extend([""] * (column + 1 - len(line)))
        line[column] = shown
    return grid


# --- LibreOffice (.ods) --------------------------------------------------------------------------------------


def ods_error_cells(data: bytes) -> Located:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        if "content.xml" not in book.namelist():
            return {}
        content = book.read("content.xml")
    if _ODS_ERROR_MARK not in content:  # the usual workbook: nothing to walk
        return {}
    found: Located = {}
    sheet, row, column = None, 0, 0
    for event, element in ElementTree.iterparse(io.BytesIO(content), events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == f"{{{_TABLE}}}table":
                sheet, row = element.get(f"{{{_TABLE}}}name", ""), 0
            elif tag == f"{{{_TABLE}}}table-row":
                column = 0
            continue
        if tag in (f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"):
            repeat = int(element.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
            if element.get(f"{{{_CALCEXT}}}value-type") == "error" and sheet is not None:
                # the paragraphs the cell shows, not a comment (office:annotation) attached to it
                shown = " ".join("".join(p.itertext()) for p in element.findall(f"{{{_TEXT}}}p")).strip() or "#N/A"
                for offset in range(min(repeat, _FILLER_REPEAT)):
                    found.setdefault(sheet, {})[(row, column + offset)] = shown
            column += repeat
            element.clear()
        elif tag == f"{{{_TABLE}}}table-row":
            row += int(element.get(f"{{{_TABLE}}}number-rows-repeated", "1"))
            element.clear()
    return found


# --- Excel 97-2003 (.xls) --------------------------------------------------------------------------------------


def xls_error_cells(data: bytes) -> Located:
    stream = _workbook_stream(data)
    if not _MAYBE_ERROR.search(stream):  # the usual workbook: no record can be an error cell, nothing to walk
        return {}
    workbook_globals = []
    for kind, _, body in _records(stream, 0):
        workbook_globals.append((kind, body))
        if kind == _EOF:
            break
    if any(kind == _FILEPASS for kind, _ in workbook_globals):
        return {}  # encrypted: the records cannot be read (calamine refuses the file too)
    first = workbook_globals[0] if workbook_globals else (None, b"")
    biff8 = first[0] == _BOF and len(first[1]) >= 2 and struct.unpack_from("<H", first[1], 0)[0] == 0x0600
    found: Located = {}
    for kind, body in workbook_globals:
        if kind == _BOUNDSHEET:
            offset, name = _boundsheet(body, biff8)
            cells = _sheet_error_cells(stream, offset)
            if cells:
                found[name] = cells
    return found


def _records(stream: bytes, start: int):
    """(type, offset, body) of each BIFF record from `start`."""
    at = start
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        yield kind, at, stream[at + 4: at + 4 + size]
        at += 4 + size


def _boundsheet(body: bytes, biff8: bool = True) -> tuple[int, str]:
    """A BOUNDSHEET record: where its sheet's records start and the sheet's name (a BIFF8 short unicode string;
    in BIFF5, Excel 95, bytes of the workbook's code page)."""
    offset = struct.unpack_from("<I", body, 0)[0]
    if not biff8:
        return offset, body[7: 7 + body[6]].decode("cp1252", errors="replace")
    length, high_byte = body[6], body[7] & 0x01
    raw = body[8: 8 + length * (2 if high_byte else 1)]
    return offset, raw.decode("utf-16-le" if high_byte else "latin-1")


def _sheet_error_cells(stream: bytes, offset: int) -> dict[tuple[int, int], str]:
    cells: dict[tuple[int, int], str] = {}
    for kind, at, body in _records(stream, offset):
        if kind == _EOF:
            break
        if kind == _BOF and at != offset:
            break  # the next substream: this sheet had no EOF
        if kind == _BOOLERR and len(body) >= 8 and body[7] == 1:
            row, column = struct.unpack_from("<HH", body, 0)
            cells[(row, column)] = BIFF_ERRORS.get(body[6], "#N/A")
        elif kind == _FORMULA and len(body) >= 14 and body[6] == 0x02 and body[12:14] == b"\xff\xff":
            row, column = struct.unpack_from("<HH", body, 0)
            cells[(row, column)] = BIFF_ERRORS.get(body[8], "#N/A")
    return cells


def _workbook_stream(data: bytes) -> bytes:
    """The `Workbook` (BIFF8) or `Book` (BIFF5) stream of a compound file (MS-CFB)."""
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    fat_count, directory_start = struct.unpack_from("<II", data, 0x2C)
    mini_cutoff, mini_fat_start, _, difat_start, difat_count = struct.unpack_from("<IIIII", data, 0x38)

    def sector(sid: int) -> bytes:
        at = (sid + 1) * sector_size
        return data[at: at + sector_size]

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    sid = difat_start
    for _ in range(difat_count):  # large files list their FAT sectors beyond the header's 109
        entries = struct.unpack(f"<{sector_size // 4}I", sector(sid))
        fat_sectors += entries[:-1]
        sid = entries[-1]
    fat: list[int] = []
    for sid in fat_sectors[:fat_count]:
        fat += struct.unpack(f"<{sector_size // 4}I", sector(sid))

    def chain(start: int, table: list[int]) -> list[int]:
        sids, seen = [], set()
        while start < 0xFFFFFFFA and start not in seen and start < len(table):
            seen.add(start)
            sids.append(start)
            start = table[start]
        return sids

    directory = b"".join(sector(s) for s in chain(directory_start, fat))
    entries = [directory[i: i + 128] for i in range(0, len(directory) - 127, 128)]
    root_start = struct.unpack_from("<I", entries[0], 0x74)[0]
    for entry in entries:
        length = struct.unpack_from("<H", entry, 0x40)[0]
        name = entry[: max(length - 2, 0)].decode("utf-16-le", errors="replace")
        if entry[0x42] == 2 and name in ("Workbook", "Book"):
            start, size = struct.unpack_from("<II", entry, 0x74)
            if size >= mini_cutoff:
                return b"".join(sector(s) for s in chain(start, fat))[:size]
            mini_stream = b"".join(sector(s) for s in chain(root_start, fat))
            mini_fat: list[int] = []
            for sid in chain(mini_fat_start, fat):
                mini_fat += struct.unpack(f"<{sector_size // 4}I", sector(sid))
            return b"".join(mini_stream[s * mini_size: (s + 1) * mini_size] for s in chain(start, mini_fat))[:size]
    raise ValueError("flux Workbook absent")
