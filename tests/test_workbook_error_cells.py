"""Error cells of .xls and .ods workbooks: calamine reads them as blanks (or as the 0 stored beside a #DIV/0!), so
they are found in the file itself and shown as the error they are (`ingest.error_cells`)."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from am_analytics.ingest.error_cells import (
    locate_error_cells,
    ods_error_cells,
    with_error_cells,
    xls_error_cells,
)
from am_analytics.ingest.read import read_workbook

SOURCES = Path(__file__).resolve().parent / "data" / "realistic" / "sources"


# --- .xls ----------------------------------------------------------------------------------------------------


def test_the_error_cells_of_an_excel_97_workbook_are_found_with_what_they_show():
    data = (SOURCES / "contrats_recherchev.xls").read_bytes()
    assert xls_error_cells(data) == {
        "Contrats": {(1, 1): "#N/A", (2, 5): "#REF!", (2, 10): "#VALUE!", (3, 7): "#DIV/0!"}
    }
    assert xls_error_cells((SOURCES / "contrats_2023.xls").read_bytes()) == {}  # a workbook without any


def test_the_read_sheet_shows_the_error_where_calamine_gives_a_blank():
    (sheet,) = read_workbook(SOURCES / "contrats_recherchev.xls")
    frame = sheet.table.frame
    assert frame.loc[frame["N° contrat"] == "XE1", "RPPS"].tolist() == ["#N/A"]
    assert frame.loc[frame["N° contrat"] == "XE3", "Quotité"].tolist() == ["#DIV/0!"]


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _biff_stream() -> bytes:
    """A workbook stream: globals naming one sheet, the sheet holding a formula whose cached result is #N/A, a
    boolean cell (a BOOLERR record that is no error) and a #REF! error cell."""
    bof = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    eof = _record(0x000A, b"")

    def globals_(offset: int) -> bytes:
        return bof + _record(0x0085, struct.pack("<IBB", offset, 0, 0) + bytes([6, 0]) + b"Feuil1") + eof

    formula = struct.pack("<HHH", 2, 3, 15) + bytes([0x02, 0, 0x2A, 0, 0, 0, 0xFF, 0xFF]) + bytes(6)
    boolean = struct.pack("<HHH", 1, 1, 15) + bytes([1, 0])
    error = struct.pack("<HHH", 4, 0, 15) + bytes([0x17, 1])
    sheet = bof + _record(0x0006, formula) + _record(0x0205, boolean) + _record(0x0205, error) + eof
    head = globals_(0)
    return globals_(len(head)) + sheet


def _compound_file(stream: bytes) -> bytes:
    """A compound file (MS-CFB, 512-byte sectors) holding `stream` as its `Workbook`, small enough to lie in the
    mini stream (64-byte sectors), as small .xls files written by some tools do: FAT, directory, mini FAT and the
    mini stream container in sectors 0 to 3."""
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    assert len(stream) <= 512
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, 2, 1, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, end, end, end, *([free] * 124))

    def entry(name: str, kind: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        raw = bytearray(128)
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 0x40, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 0x44, free, free, 1 if kind == 5 else free)
        struct.pack_into("<II", raw, 0x74, start, size)
        return bytes(raw)

    mini_sectors = -(-len(stream) // 64)
    directory = entry("Root Entry", 5, 3, mini_sectors * 64) + entry("Workbook", 2, 0, len(stream)) + bytes(256)
    mini_fat = struct.pack("<128I", *range(1, mini_sectors), end, *([free] * (128 - mini_sectors)))
    mini_stream = stream.ljust(512, b"\0")
    return bytes(header) + fat + directory + mini_fat + mini_stream


def test_error_results_of_formulas_and_error_cells_are_found_in_a_stream_in_the_mini_stream():
    data = _compound_file(_biff_stream())
    assert locate_error_cells(data) == {"Feuil1": {(2, 3): "#N/A", (4, 0): "#REF!"}}


def test_a_damaged_or_encrypted_workbook_gives_no_error_cell_and_no_traceback():
    data = _compound_file(_biff_stream())
    assert locate_error_cells(data[:600]) == {}
    stream = _biff_stream()
    encrypted = stream[:20] + _record(0x002F, bytes(6)) + stream[20:]  # FILEPASS right after the BOF
    assert xls_error_cells(_compound_file(encrypted)) == {}


# --- .ods ----------------------------------------------------------------------------------------------------


def _ods(rows_xml: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">'
        f'<office:body><office:spreadsheet><table:table table:name="Données">{rows_xml}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content)
    return out.getvalue()


def test_ods_error_cells_are_located_through_repeated_rows_and_columns():
    text = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    error = ('<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" '
             'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>')
    rows = (
        f"<table:table-row>{text}{text}</table:table-row>"
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        f'<table:table-row><table:table-cell table:number-columns-repeated="3"/><table:covered-table-cell/>{error}'
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>'
    )
    assert ods_error_cells(_ods(rows)) == {"Données": {(3, 4): "#DIV/0!"}}
    assert ods_error_cells(_ods(f"<table:table-row>{text}</table:table-row>")) == {}


def test_an_error_cell_at_the_edge_of_what_calamine_read_grows_the_grid():
    grid = [["a", "b"], ["", 0.0]]
    assert with_error_cells(grid, {(1, 1): "#DIV/0!", (2, 2): "Err:502"}) == [
        ["a", "b"], ["", "#DIV/0!"], ["", "", "Err:502"]]


def test_an_excel_95_sheet_name_is_read_in_its_code_page():
    from am_analytics.ingest.error_cells import _boundsheet

    body = struct.pack("<IBB", 1234, 0, 0) + bytes([7]) + "Données".encode("cp1252")
    assert _boundsheet(body, biff8=False) == (1234, "Données")


def test_an_ods_error_cell_shows_its_error_not_the_comment_attached_to_it():
    cell = ('<table:table-cell office:value-type="string" office:string-value="" calcext:value-type="error">'
            '<office:annotation><text:p>vérifier la RECHERCHEV</text:p></office:annotation>'
            "<text:p>#N/A</text:p></table:table-cell>")
    assert ods_error_cells(_ods(f"<table:table-row>{cell}</table:table-row>")) == {"Données": {(0, 0): "#N/A"}}
