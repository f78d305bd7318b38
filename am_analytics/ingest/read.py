"""Format-tolerant readers: a CSV, Excel or LibreOffice export as it really arrives, read into text cells with line
numbers."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import logging
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import charset_normalizer
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from am_analytics.errors import DataError, Location
from am_analytics.ingest.error_cells import locate_error_cells, with_error_cells
from am_analytics.text import fold

log = logging.getLogger(__name__)

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
# Workbooks calamine reads besides .xlsx: Excel 97-2003 (.xls) and LibreOffice (.ods).
OTHER_WORKBOOK_SUFFIXES = (".xls", ".ods")
DATA_SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES + OTHER_WORKBOOK_SUFFIXES
# Archives as files arrive by secure transfer: their members are read as if they lay in the folder.
ARCHIVE_SUFFIXES = (".zip", ".gz")
SEPARATORS = (";", ",", "\t", "|")  # order breaks ties: French exports use ";" far more than ","
SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}

# The format is sniffed on the head of the file only; 256 KiB holds hundreds of rows of any export.
SAMPLE_BYTES = 256 * 1024
SNIFF_ROWS = 200  # rows parsed per candidate separator
# Title blocks above a header are a few lines; a "header" lower than this is a sign of a wrong file.
HEADER_SCAN_ROWS = 30
# Rows after a header candidate used to check that the table below has the header's width.
WIDTH_CHECK_ROWS = 50
# Share of those rows that must fit within the header's width: a few notes or ragged rows are tolerated.
WIDTH_MATCH_SHARE = 0.6
# Share of a header's cells that must look like labels (contain a letter): allows a year as a label.
LABEL_SHARE = 0.8

# First cell of a trailing aggregate row ("Total", "TOTAL", "Total général", "France entière", "Ensemble").
_TOTAL_ROW = re.compile(r"^(total|france entiere|ensemble)\b")
_LETTER = re.compile(r"[^\W\d_]")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, or an encrypted (password-protected) .xlsx


@dataclass(frozen=True)
class RawTable:
    """Every cell of one input table as text, with where each row sits in the file.

    `line_numbers` shares `frame`'s index, so rows filtered out of the frame keep their line:
    `raw.line_numbers[bad.index]`. Lines are those an editor shows (CSV) or sheet rows (Excel).
    """

    path: Path
    frame: pd.DataFrame = field(repr=False)
    line_numbers: pd.Series = field(repr=False)
    file_format: str  # "csv", "xlsx", "xls" or "ods"
    encoding: str | None
    separator: str | None
    header_row_count: int
    header_line: int  # line (or sheet row) of the first header row
    sheet: str | None
    dropped_total_rows: tuple[int, ...]  # lines of trailing "Total"/"France entière"/"Ensemble" rows
    dropped_empty_rows: tuple[int, ...]  # lines of rows whose cells are all blank (";;;;"); blank lines are no rows
    # columns beyond the header's last cell that hold something ("colonne_N"): rows with a value there are
    # longer than the header, so their values may be shifted (a stray separator), and are quarantined
    overflow_columns: tuple[str, ...] = ()

    def where(self, row: object, column: str | None = None) -> Location:
        """Location of one cell (row = frame index label) for a quarantine record or an error."""
        value = None
        if column is not None:
            cell = self.frame.at[row, column]
            value = None if pd.isna(cell) else str(cell)
        return Location(file=self.path.name, line=int(self.line_numbers[row]), column=column, value=value)


# --- Public entry points ----------------------------------------------------------------------------


def discover(folder: str | Path) -> list[Path]:
    """Input files of a folder in a format read (CSV, TXT, TSV, XLSX, XLSM, XLS, ODS, ZIP, GZ), sorted; sidecars,
    READMEs and hidden files are not inputs (see `inventory` for every file, whatever its format)."""
    return [path for path in inventory(folder) if path.suffix.lower() in DATA_SUFFIXES + ARCHIVE_SUFFIXES]


def inventory(folder: str | Path) -> list[Path]:
    """Every file of a folder a user may have meant as an input, sorted: all but provenance sidecars, READMEs,
    hidden files and Excel's lock files. A file of a format not read is still listed, so that it is named."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(
            "dossier de données introuvable",
            where=Location(file=str(folder)),
            hint="indiquer le dossier des extractions avec --data-dir",
        )
    return [path for path in sorted(folder.iterdir()) if path.is_file() and not is_auxiliary(path.name)]


def is_auxiliary(name: str) -> bool:
    """A file that is no data of its own: hidden, Excel's lock file of an open workbook (`~$`), a provenance
    sidecar, a README (`LISEZMOI`), or an archiver's metadata (`__MACOSX/`)."""
    base = name.rsplit("/", 1)[-1].lower()
    return (
        base.startswith((".", "~$", "readme", "lisezmoi")) or base.endswith(".provenance.json")
        or name.startswith("__MACOSX/")
    )


def read_table(
    path: str | Path, *, sheet: str | None = None, separator: str | None = None, data: bytes | None = None
) -> RawTable:
    """Read one CSV or workbook export into text cells (see `RawTable`); a file that cannot be read raises
    `DataError` saying what is wrong and what to do, never a traceback.

    `sheet` picks a workbook's sheet (default: the visible sheet with the most filled rows);
    `separator` forces a CSV separator (default: sniffed among `;` `,` tab `|`); `data` gives the file's
    bytes (an archive's member, `path` then only naming it).
    """
    path = Path(path)
    data = _read_bytes(path) if data is None else data
    if not data[:SAMPLE_BYTES].strip() and not data.strip():
        raise DataError(
            "le fichier est vide",
            where=Location(file=path.name),
            hint="refaire l'export : il doit contenir une ligne d'en-têtes et des lignes de données",
        )
    suffix = path.suffix.lower()
    # Content decides over the extension: a workbook saved as .csv is still a workbook.
    if data.startswith(_ZIP_MAGIC):
        return _read_excel(path, data, sheet)
    if data.startswith(_OLE_MAGIC):
        return _read_excel(path, data, sheet)
    if suffix in EXCEL_SUFFIXES + OTHER_WORKBOOK_SUFFIXES and _is_markup(data):
        # Web applications export "Excel" files that are an HTML table, or Excel 2003's XML, under a .xls name.
        raise DataError(
            "page HTML ou XML enregistrée sous l'extension d'un classeur (export d'une application web) : format "
            "non lu",
            where=Location(file=path.name),
            hint="l'ouvrir dans Excel ou LibreOffice et l'enregistrer en .xlsx, ou l'exporter en CSV depuis "
            "l'application",
        )
    if suffix in EXCEL_SUFFIXES + OTHER_WORKBOOK_SUFFIXES:
        raise DataError(
            "le fichier porte l'extension d'un classeur Excel mais n'en est pas un",
            where=Location(file=path.name),
            hint="l'ouvrir dans Excel ou LibreOffice et l'enregistrer en .xlsx "
            "(ou le renommer en .csv s'il s'agit d'un texte)",
        )
    return _read_csv(path, data, separator)


def _is_markup(data: bytes) -> bool:
    """Whether a file is an HTML page or an XML document (what a web application calls an Excel export)."""
    head = data[:2048].lstrip(codecs.BOM_UTF8).lstrip().lower()
    return head.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta", b"<head"))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError("fichier introuvable", where=Location(file=str(path))) from None
    except OSError as exc:
        raise DataError(
            f"fichier illisible ({exc.strerror})", where=Location(file=path.name),
            hint="vérifier les droits de lecture du fichier",
        ) from None


# --- CSV ---------------------------------------------------------------------------------------------


def _read_csv(path: Path, data: bytes, separator: str | None) -> RawTable:
    _reject_binary(path, data)
    encoding = _guess_encoding(path, data)
    try:
        return _read_csv_as(path, data, encoding, separator)
    except _NotUtf8:
        # The head was UTF-8 (or a UTF-8 BOM said so) but a later byte is not: decide on the whole file,
        # without the BOM, which a cp1252 reading would otherwise turn into "ï»¿" in the first header.
        body = data.removeprefix(codecs.BOM_UTF8)
        encoding = _detect_encoding(path, body)
        log.warning("%s : texte non UTF-8 malgré les premiers octets, relu en %s", path.name, encoding)
        return _read_csv_as(path, body, encoding, separator)


class _NotUtf8(Exception):
    """Raised when bytes assumed to be UTF-8 from the file's head turn out not to be."""


def _read_csv_as(path: Path, data: bytes, encoding: str, separator: str | None) -> RawTable:
    utf8 = _to_utf8(path, data, encoding)
    sample = _sample_text(utf8)
    separator = separator or _sniff_separator(path, sample)
    rows, spans = _parse_rows(path, sample, separator, first_line=1)
    if len(utf8) > SAMPLE_BYTES and rows:
        rows, spans = rows[:-1], spans[:-1]  # the sample may end inside a row
    header_at, header_count = _detect_header(path, rows)
    names = _header_names(rows[header_at : header_at + header_count], merged=None)
    header_line = spans[header_at][0]
    body_line = spans[header_at + header_count - 1][1] + 1  # first line after the header rows
    body_rows = [r for r in rows[header_at + header_count :] if r]
    width = max([len(names)] + _common_widths(body_rows))
    log.info(
        "%s : encodage %s, séparateur %s, en-tête ligne %d (%d ligne(s))",
        path.name, encoding, SEPARATOR_NAMES[separator], header_line, header_count,
    )
    offset = _line_offset(utf8, body_line)
    frame, lines = _read_csv_body(path, utf8, offset, body_line, separator, width)
    return _finish(
        path, frame, lines, names,
        file_format="csv", encoding=encoding, separator=separator,
        header_row_count=header_count, header_line=header_line, sheet=None,
    )


def _reject_binary(path: Path, data: bytes) -> None:
    head = data[:SAMPLE_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # UTF-16 text is full of NUL bytes yet is text
    controls = sum(head.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13))
    # Text exports hold no NUL byte and hardly any control character; 1 % leaves room for a stray one.
    if _utf16_without_bom(head) is not None:
        return
    if b"\x00" in head or controls > len(head) * 0.01:
        raise DataError(
            "le fichier n'est pas un texte lisible (contenu binaire)",
            where=Location(file=path.name),
            hint="exporter les données en CSV (séparateur « ; ») ou en classeur .xlsx",
        )


def _utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the head is UTF-16 text saved without its BOM: every other byte NUL
    (Latin text) and, once decoded, printable characters only (an image's NUL-padded header is not text)."""
    pairs = len(head) // 2
    if pairs < 4:
        return None
    for encoding, nul_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        if head[nul_at::2].count(0) >= 0.9 * pairs and head[1 - nul_at :: 2].count(0) == 0:
            text = head[: pairs * 2].decode(encoding, errors="replace")
            controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r")
            if controls <= len(text) * 0.01 and "\ufffd" not in text:
                return encoding
    return None


def _guess_encoding(path: Path, data: bytes) -> str:
    """The encoding the file's head says: a BOM, else UTF-8 if the head decodes strictly (pyarrow checks
    the rest while reading, which spares decoding a large file twice), else a full detection."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if (utf16 := _utf16_without_bom(data[:SAMPLE_BYTES])) is not None:
        return utf16
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[:SAMPLE_BYTES], final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return _detect_encoding(path, data)


# Single-byte Western encodings a French export may come in besides UTF-8 and cp1252; a guess outside
# them (Shift-JIS, say) turns accented headers into other scripts, and is refused rather than used.
_WESTERN_ENCODINGS = {"latin_1", "iso8859_15", "mac_roman", "cp850", "cp437", "cp1252"}


# Single-byte encodings a French export comes in, in the order that breaks ties: Windows-1252 (French Excel),
# latin-9 (Unix tools, SAS; the euro sign at 0xA4), Mac Roman (an old Mac), DOS code page 850 (a console export).
_SINGLE_BYTE_CANDIDATES = ("cp1252", "iso8859_15", "mac_roman", "cp850")
# What a French export holds once decoded rightly (accented letters, the euro sign), and what a wrong guess of a
# single-byte encoding shows instead (a currency sign where the euro was, box-drawing or Slavonic letters, math).
_FRENCH_TEXT = re.compile(r"[éèêëàâîïôöùûüçœ€]")  # lower case: a misread accent is often a capital (MÇdecine)
_MISREAD_TEXT = re.compile(r"[¤¦¨´¸ŠšŽžƒ†‡ˆ‰‹›˜™¬±µ¶·√∞≈≠≤≥◊ÿ‚„…▒░▓│┤╣║╗╝┐└┴┬├─┼]")


def _detect_encoding(path: Path, data: bytes) -> str:
    """UTF-8 when the whole file decodes strictly, else the single-byte encoding whose reading looks most like
    French (accented letters and the euro sign, no stray symbols: latin-9's euro read as cp1252 is « ¤ » and an
    amount lost), else charset-normalizer's best guess if it is a Western encoding; anything else is a
    `DataError`. The choice is logged when it is not Windows-1252, the usual one."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    chosen = _most_french_reading(data)
    if chosen is not None:
        if chosen != "cp1252":
            log.warning("%s : encodage %s choisi (les accents et le signe € s'y lisent le mieux)", path.name, chosen)
        return chosen
    best = charset_normalizer.from_bytes(data[:SAMPLE_BYTES]).best()
    if best is not None and best.encoding in _WESTERN_ENCODINGS:
        return best.encoding
    raise DataError(
        "encodage non reconnu : le texte n'est ni en UTF-8 ni en Windows-1252"
        + (f" (au mieux {best.encoding}, improbable pour un export français)" if best is not None else ""),
        where=Location(file=path.name),
        hint="réenregistrer le fichier en « CSV UTF-8 » depuis Excel ou LibreOffice",
    )


def _most_french_reading(data: bytes) -> str | None:
    """For a file Windows-1252 decodes, the single-byte encoding whose reading of its head scores best (French
    letters and euro signs, less stray symbols), another than Windows-1252 only on that evidence; None when
    Windows-1252 does not decode it (bytes it leaves undefined: the file is something else, or damaged)."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    head = data[:SAMPLE_BYTES]
    scores = {}
    for encoding in _SINGLE_BYTE_CANDIDATES:
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        scores[encoding] = len(_FRENCH_TEXT.findall(text)) - 2 * len(_MISREAD_TEXT.findall(text))
    ranked = sorted(scores, key=lambda e: (-scores[e], _SINGLE_BYTE_CANDIDATES.index(e)))
    for encoding in [e for e in ranked if scores[e] > 0 or e == "cp1252"]:
        try:
            if encoding != "cp1252":  # decoded whole above: a large file is not decoded twice more
                data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


def _to_utf8(path: Path, data: bytes, encoding: str) -> bytes:
    """The file's text as UTF-8 bytes without BOM (what pyarrow reads)."""
    if encoding == "utf-8":
        return data
    if encoding == "utf-8-sig":
        return data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode(encoding).encode("utf-8")
    except (UnicodeDecodeError, LookupError):
        raise DataError(
            f"encodage non reconnu (essai : {encoding})",
            where=Location(file=path.name),
            hint="réenregistrer le fichier en « CSV UTF-8 »",
        ) from None


def _sample_text(utf8: bytes) -> str:
    head = utf8[:SAMPLE_BYTES]
    if len(utf8) > SAMPLE_BYTES:
        head = head[: head.rfind(b"\n") + 1] or head
    return head.decode("utf-8", errors="replace")


def _sniff_separator(path: Path, sample: str) -> str:
    """The separator under which most cells fall into rows of one common width above 1.

    Rows are parsed with quotes honoured; the score is (rows of the commonest width) × width, so a
    `;` file with decimal commas (width 2 under `,`) and a title row (width 1) still reads as `;`. Only
    separators that split some row near the top into labels (a header) compete.
    """
    scores: dict[tuple[bool, str], int] = {}
    for separator in SEPARATORS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=separator)
        try:
            rows = list(itertools.islice(reader, SNIFF_ROWS))
        except csv.Error:
            continue
        widths = [len(row) for row in rows if len(row) > 1]
        if widths:
            width, count = Counter(widths).most_common(1)[0]
            # A separator that splits some row into labels (a header) beats one that splits none.
            labelled = any(_is_label_row(row, 2) for row in rows[:HEADER_SCAN_ROWS])
            scores[(labelled, separator)] = count * width
    if not scores and len([line for line in sample.splitlines() if line.strip()]) == 1:
        raise DataError(
            "le fichier ne contient qu'une ligne (un titre ?) et aucun tableau",
            where=Location(file=path.name),
            hint="refaire l'export : il doit contenir une ligne d'en-têtes et des lignes de données",
        )
    if not scores:
        raise DataError(
            "une seule colonne lue : séparateur non reconnu",
            where=Location(file=path.name),
            hint="séparer les colonnes par « ; », « , », une tabulation ou « | »",
        )
    # Highest (labelled, score); on a tie, the earlier separator of SEPARATORS.
    ranked = sorted(scores, key=lambda key: (key[0], scores[key], -SEPARATORS.index(key[1])), reverse=True)
    return ranked[0][1]


def _parse_rows(
    path: Path, text: str, separator: str, first_line: int
) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """Rows of a text with the first and last line each spans (blank lines give an empty row)."""
    rows, spans = [], []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    previous = 0
    try:
        for row in reader:
            rows.append(row)
            spans.append((first_line + previous, first_line + reader.line_num - 1))
            previous = reader.line_num
    except csv.Error as exc:
        raise DataError(
            f"ligne illisible ({exc})",
            where=Location(file=path.name, line=first_line + previous),
            hint="vérifier les guillemets de cette ligne",
        ) from None
    return rows, spans


def _common_widths(rows: list[list[str]]) -> list[int]:
    if not rows:
        return []
    return [Counter(len(r) for r in rows).most_common(1)[0][0]]


def _line_offset(utf8: bytes, line: int) -> int:
    """Byte offset where a 1-based line starts (the end of the file if it has fewer lines)."""
    offset = 0
    for _ in range(line - 1):
        found = utf8.find(b"\n", offset)
        if found < 0:
            return len(utf8)
        offset = found + 1
    return offset


def _read_csv_body(
    path: Path, utf8: bytes, offset: int, body_line: int, separator: str, width: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """Data rows from `offset` on, read by pyarrow when the rows are regular, else by the csv module."""
    quoted = utf8.find(b'"', offset) >= 0
    if quoted:
        _reject_unclosed_quote(path, utf8, offset, body_line)
    lines, quoted_newline = _record_lines(utf8, offset) if quoted else (None, False)
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(utf8).slice(offset)),  # zero-copy view of the body
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=separator, newlines_in_values=quoted_newline, ignore_empty_lines=True
            ),
            convert_options=pacsv.ConvertOptions(
                # large_string is what pandas' pyarrow-backed string dtype holds: no cast afterwards
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except pa.ArrowInvalid as exc:
        if "utf8" in str(exc).lower():
            raise _NotUtf8 from None
        table = None  # ragged rows (a short row, a stray separator): the csv module pads them
    if table is not None and lines is None:
        # Without quotes a record is a line; if pyarrow found as many records as there are lines,
        # no blank line was skipped and the numbering is a plain range.
        ends_open = 0 if utf8.endswith(b"\n") or len(utf8) == offset else 1
        if table.num_rows == utf8.count(b"\n", offset) + ends_open:
            lines = np.arange(1, table.num_rows + 1, dtype=np.int64)
        else:
            lines, _ = _record_lines(utf8, offset)
    if table is not None and table.num_rows == len(lines):
        return _arrow_to_frame(table), lines + (body_line - 1)
    # Slow but exact path: rows of varying width, or quotes the fast line count misread.
    try:
        text = utf8[offset:].decode("utf-8")
    except UnicodeDecodeError:
        raise _NotUtf8 from None
    rows, spans = _parse_rows(path, text, separator, first_line=body_line)
    kept = [(r, s[0]) for r, s in zip(rows, spans, strict=True) if r]
    return _rows_to_frame([r for r, _ in kept]), np.array([s for _, s in kept], dtype=np.int64)


def _reject_unclosed_quote(path: Path, utf8: bytes, offset: int, body_line: int) -> None:
    """An odd number of quotes means a quoted cell never closes: every row after it would be swallowed into
    that one cell and silently lost, so the file is refused, naming the line where the quote most likely opens
    (the first quoted cell spanning lines, else the last quote)."""
    raw = np.frombuffer(utf8, dtype=np.uint8, offset=offset)
    quotes = np.flatnonzero(raw == 34)
    if len(quotes) % 2 == 0:
        return
    newlines = np.flatnonzero(raw == 10)
    opening, closing = quotes[0:-1:2], quotes[1::2]
    spanning = np.searchsorted(newlines, closing) > np.searchsorted(newlines, opening)
    suspect = int(opening[spanning][0]) if spanning.any() else int(quotes[-1])
    raise DataError(
        "guillemet ouvert jamais fermé : les lignes suivantes seraient lues comme une seule cellule",
        where=Location(file=path.name, line=body_line + int(np.searchsorted(newlines, suspect))),
        hint="fermer ou retirer le guillemet de cette ligne (un guillemet dans une cellule s'écrit \"\")",
    )


def _record_lines(utf8: bytes, offset: int) -> tuple[np.ndarray, bool]:
    """1-based line (counted from `offset`) where each non-empty record starts, and whether any quoted
    cell spans lines.

    A newline ends a record only outside quotes, i.e. when an even number of `"` precedes it; counting
    over the positions of newlines and quotes keeps this vectorised (no Python loop over rows).
    """
    size = len(utf8) - offset
    raw = np.frombuffer(utf8, dtype=np.uint8, offset=offset)
    newlines = np.flatnonzero(raw == 10)
    quotes = np.flatnonzero(raw == 34)
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0] if len(quotes) else newlines
    quoted_newline = len(ends) < len(newlines)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [size]))
    length = stops - starts
    # pyarrow skips empty lines (including a bare "\r" of CRLF files): so must the line count.
    first_byte = raw[np.minimum(starts, size - 1)] if size else np.zeros(len(starts), np.uint8)
    non_empty = (length > 1) | ((length == 1) & (first_byte != 13))
    lines = np.searchsorted(newlines, starts[non_empty]) + 1
    return lines.astype(np.int64), quoted_newline


def _arrow_to_frame(table: pa.Table) -> pd.DataFrame:
    # Blank cells ("", "  ") are missing values; other cells stay exactly as written.
    columns = []
    for column in table.columns:
        blank = pc.utf8_is_space(column)  # true only for non-empty all-whitespace cells
        if pc.any(blank).as_py():
            column = pc.if_else(blank, pa.scalar(None, column.type), column)
        columns.append(column)
    table = pa.table(columns, names=table.column_names)
    return table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow")}.get)


def _rows_to_frame(rows: list[list[str]]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    padded = [[c if c is not None and c.strip() else None for c in r] + [None] * (width - len(r)) for r in rows]
    frame = pd.DataFrame(padded, columns=[f"c{i}" for i in range(width)], dtype=object)
    return frame.astype(pd.StringDtype("pyarrow"))


# --- Excel -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One worksheet's cells as the workbook stores them, before any header is looked for."""

    name: str
    grid: list[list[object]] = field(repr=False)
    merged: list[tuple] = field(repr=False)
    visible: bool = True


@dataclass(frozen=True)
class SheetRead:
    """One worksheet read: its table, or why none could be read (`problem`, in French)."""

    name: str
    visible: bool
    table: RawTable | None
    problem: str | None = None


def read_workbook(path: str | Path, data: bytes | None = None) -> list[SheetRead]:
    """Every worksheet of a workbook (visible or not), each read into a table when it holds one.

    A sheet without any table (empty, a title and a paragraph of notice) comes back with its `problem`; a file
    that is not a readable workbook raises `DataError` as `read_table` does. A CSV file is one "sheet".
    `data` gives the file's bytes (an archive's member, `path` then only naming it).
    """
    path = Path(path)
    data = _read_bytes(path) if data is None else data
    if not data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return [SheetRead(name="", visible=True, table=read_table(path, data=data))]
    reads = []
    for sheet in _open_workbook(path, data, None, every=True):
        try:
            reads.append(SheetRead(sheet.name, sheet.visible, _table_from_sheet(path, sheet)))
        except DataError as error:
            reads.append(SheetRead(sheet.name, sheet.visible, None, error.problem))
    return reads


def _read_excel(path: Path, data: bytes, sheet: str | None) -> RawTable:
    (chosen,) = _open_workbook(path, data, sheet)
    return _table_from_sheet(path, chosen)


def _table_from_sheet(path: Path, sheet: Sheet) -> RawTable:
    name, grid, merged = sheet.name, sheet.grid, sheet.merged
    rows = [[_cell_text(v) for v in row] for row in grid]
    if not any(any(c for c in r) for r in rows):
        raise DataError(
            f"la feuille « {name} » est vide",
            where=Location(file=path.name),
            hint="vérifier que l'export contient les données, ou indiquer la bonne feuille",
        )
    header_at, header_count = _detect_header(path, rows)
    names = _header_names(rows[header_at : header_at + header_count], merged=merged, first_row=header_at)
    body = rows[header_at + header_count :]
    kept = [(r, i + header_at + header_count + 1) for i, r in enumerate(body) if any(c for c in r)]
    frame = _rows_to_frame([r for r, _ in kept])
    lines = np.array([line for _, line in kept], dtype=np.int64)
    log.info("%s : feuille « %s », en-tête ligne %d (%d ligne(s))", path.name, name, header_at + 1, header_count)
    return _finish(
        path, frame, lines, names,
        file_format=_workbook_format(path), encoding=None, separator=None,
        header_row_count=header_count, header_line=header_at + 1, sheet=name,
    )


def _open_workbook(path: Path, data: bytes, sheet: str | None, *, every: bool = False) -> list[Sheet]:
    """The chosen sheet (or, with `every`, every sheet) by the first reader that copes with the workbook.

    calamine comes first: it is some 20 times faster than openpyxl (50 000 rows: 0.4 s against 10 s)
    and ignores parts it does not need (a missing drawing stops openpyxl, not calamine). openpyxl is
    the second opinion when calamine fails. A broken styles part stops both: without it calamine still
    reads the values, dates then coming out as Excel serial numbers (which `values.normalise_dates`
    reads).
    """
    attempts = (
        ("calamine", _excel_with_calamine, data),
        ("openpyxl", _excel_with_openpyxl, data),
        ("calamine sans styles", _excel_with_calamine, _without_styles(data)),
    )
    if _has_error_cells(data):
        # calamine reads an error cell (#N/A, #REF!) as a blank: openpyxl keeps what the cell shows
        attempts = (attempts[1], attempts[0], attempts[2])
    failures = []
    for label, reader, content in attempts:
        if content is None:  # the workbook is not even a readable zip: nothing to strip styles from
            continue
        try:
            found = reader(content, sheet, every=every) if every else reader(content, sheet)
        except _SheetMissing as missing:
            raise _sheet_error(path, sheet, missing.names) from None
        except Exception as exc:  # noqa: BLE001 - any defect one reader trips on, the next may cope with
            failures.append(f"{label} : {type(exc).__name__} {exc}")
            continue
        if failures:
            log.warning("%s : classeur endommagé, lu avec %s (%s)", path.name, label, " ; ".join(failures))
        return found if every else [Sheet(*found)]
    if data.startswith(_OLE_MAGIC):
        raise DataError(
            "classeur protégé par mot de passe, ou classeur Excel 97-2003 (.xls) endommagé : format non lu",
            where=Location(file=path.name),
            hint="ouvrir le fichier dans Excel ou LibreOffice, retirer le mot de passe et l'enregistrer en .xlsx",
        )
    raise DataError(
        f"classeur Excel illisible ou endommagé ({failures[-1]})",
        where=Location(file=path.name),
        hint="ouvrir le fichier dans Excel ou LibreOffice et l'enregistrer de nouveau en .xlsx, "
        "ou l'exporter en CSV",
    )


def _has_error_cells(data: bytes) -> bool:
    """Whether an .xlsx workbook holds a cell of the error type (`t="e"`: #N/A, #REF!, #DIV/0!...)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return any(
                b' t="e"' in book.read(item)
                for item in book.namelist()
                if item.startswith("xl/worksheets/") and item.endswith(".xml")
            )
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError, NotImplementedError):
        return False


def _without_styles(data: bytes) -> bytes | None:
    """The workbook rebuilt without its styles part, or None if it is not a readable zip."""
    try:
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
            for item in source.infolist():
                if item.filename != "xl/styles.xml":
                    target.writestr(item, source.read(item.filename))
        return buffer.getvalue()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None


class _SheetMissing(Exception):
    def __init__(self, names: list[str]):
        super().__init__(names)
        self.names = names


def _sheet_error(path: Path, sheet: str | None, names: list[str]) -> DataError:
    return DataError(
        f"feuille « {sheet} » absente du classeur (feuilles : {', '.join(names)})",
        where=Location(file=path.name),
        hint="indiquer l'une des feuilles présentes",
    )


def _workbook_format(path: Path) -> str:
    """"xls" or "ods" for those workbooks, else "xlsx" (a workbook saved as .csv is one)."""
    suffix = path.suffix.lower()
    return suffix[1:] if suffix in OTHER_WORKBOOK_SUFFIXES else "xlsx"


def _excel_with_openpyxl(data: bytes, sheet: str | None, *, every: bool = False):
    """(name, cells, merged ranges) of the chosen sheet, or with `every` a `Sheet` per worksheet."""
    import openpyxl  # imported here: only a workbook calamine cannot read pays for it

    # data_only: the values Excel last computed, not the formulas.
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    sheets = {ws.title: ws for ws in book.worksheets}
    if sheet is not None and sheet not in sheets:
        raise _SheetMissing(list(sheets))

    def grid(ws) -> list[list[object]]:
        return [list(row) for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)]

    def merged(ws) -> list[tuple]:
        return [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges]

    if every:
        return [Sheet(t, grid(ws), merged(ws), ws.sheet_state == "visible") for t, ws in sheets.items()]
    grids = {
        title: grid(ws)
        for title, ws in sheets.items()
        if sheet in (None, title) and (sheet is not None or ws.sheet_state == "visible")
    }
    chosen = sheet or _fullest(grids)
    return chosen, grids[chosen], merged(sheets[chosen])


def _excel_with_calamine(data: bytes, sheet: str | None, *, every: bool = False):
    """(name, cells, merged ranges) of the chosen sheet, or with `every` a `Sheet` per worksheet."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    if sheet is not None and sheet not in book.sheet_names:
        raise _SheetMissing(list(book.sheet_names))
    worksheets = [m for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    shown = {m.name: m.visible == python_calamine.SheetVisibleEnum.Visible for m in worksheets}

    def merged(title: str) -> list[tuple]:
        ranges = book.get_sheet_by_name(title).merged_cell_ranges or []
        return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]

    # calamine reads an .xls or .ods error cell as a blank (or the number stored beside it): they are put back
    errors = locate_error_cells(data)

    def grid(title: str) -> list[list[object]]:
        return with_error_cells(book.get_sheet_by_name(title).to_python(skip_empty_area=False), errors.get(title, {}))

    if every:
        return [Sheet(m.name, grid(m.name), merged(m.name), shown[m.name]) for m in worksheets]
    grids = {title: grid(title) for title in ([sheet] if sheet is not None else [t for t in shown if shown[t]])}
    chosen = sheet or _fullest(grids)
    return chosen, grids[chosen], merged(chosen)


def _fullest(grids: dict[str, list[list[object]]]) -> str:
    """The sheet holding the most filled rows: the data, not a cover or notes sheet."""
    if not grids:
        raise ValueError("aucune feuille visible")

    def filled_rows(grid: list[list[object]]) -> int:
        return sum(1 for row in grid if any(v not in (None, "") for v in row))

    return max(grids, key=lambda title: filled_rows(grids[title]))


def _cell_text(value: object) -> str:
    """A cell as text: dates as ISO `YYYY-MM-DD`, whole numbers without `.0`, everything else as shown."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"  # as French Excel displays them
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel stores every number as a float: 1.0 is the integer 1 as typed.
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


# --- Header detection and flattening -----------------------------------------------------------------


def _filled(row: list[str]) -> list[str]:
    return [c for c in row if c and c.strip()]


def _width(row: list[str]) -> int:
    """Index after the last filled cell (trailing empty cells do not count)."""
    for i in range(len(row) - 1, -1, -1):
        if row[i] and row[i].strip():
            return i + 1
    return 0


def _is_label_row(row: list[str], minimum: int) -> bool:
    cells = _filled(row)
    if len(cells) < minimum:
        return False
    labels = sum(1 for c in cells if _LETTER.search(c))
    return labels >= LABEL_SHARE * len(cells)


def _detect_header(path: Path, rows: list[list[str]]) -> tuple[int, int]:
    """(index of the first header row, number of header rows: 1 or 2).

    The header is the first row whose filled cells look like labels and that most rows below fit in
    width (a title row above it has one cell; a group row of a two-row header has gaps). A second
    header row is recognised when a label row fills the gaps of the one above it.
    """
    candidates = [i for i, row in enumerate(rows[:HEADER_SCAN_ROWS]) if row]
    single_column = all(_width(r) <= 1 for r in rows[:WIDTH_CHECK_ROWS])
    minimum = 1 if single_column else 2
    found = None
    for strict in (True, False):
        for i in candidates:
            if _is_label_row(rows[i], minimum) and (not strict or _fits_below(rows, i)):
                found = i
                break
        if found is not None:
            break
    if found is None:
        raise DataError(
            f"aucune ligne d'en-têtes trouvée dans les {HEADER_SCAN_ROWS} premières lignes",
            where=Location(file=path.name),
            hint="la première ligne du tableau doit porter les noms des colonnes "
            "(par exemple « N° contrat ; RPPS ; Date de signature ; … »)",
        )
    below = found + 1
    if below < len(rows) and _fills_gaps(rows[found], rows[below]):
        return found, 2
    above = found - 1
    if above >= 0 and _is_group_row(rows[above], rows[found]):
        return above, 2
    return found, 1


def _fits_below(rows: list[list[str]], i: int) -> bool:
    below = [r for r in rows[i + 1 : i + 1 + WIDTH_CHECK_ROWS] if _filled(r)]
    header = rows[i]
    if not below:
        return True
    widest = max(_width(header), Counter(_width(r) for r in below).most_common(1)[0][0])
    if len(_filled(header)) * 2 < widest:
        return False  # a title or group row: it labels fewer than half of the table's columns
    fits = sum(1 for r in below if _width(r) <= _width(header))
    return fits >= WIDTH_MATCH_SHARE * len(below)


def _fills_gaps(upper: list[str], lower: list[str]) -> bool:
    """A field row under a group row: labels only, placed where the group row has empty cells."""
    if not _is_label_row(lower, 2) or any(not _LETTER.search(c) for c in _filled(lower)):
        return False
    # Only gaps inside the upper row count: a data row longer than the header is not a field row.
    gaps = [j for j in range(_width(upper)) if not upper[j].strip()]
    return any(j < len(lower) and lower[j].strip() for j in gaps)


def _is_group_row(upper: list[str], header: list[str]) -> bool:
    """A sparse label row just above the header (groups merged over several columns)."""
    cells = _filled(upper)
    return (
        len(cells) >= 2
        and all(_LETTER.search(c) for c in cells)
        and _width(upper) <= _width(header)
        and len(cells) < len(_filled(header))
    )


def _clean_label(text: str) -> str:
    return " ".join(text.split())  # Excel headers often hold line breaks: "Date de\nsignature"


def _header_names(
    header_rows: list[list[str]], merged: list[tuple] | None, first_row: int = 0
) -> list[str]:
    """Column names from one or two header rows.

    With two rows the field name is kept; an empty field cell (a label merged over both rows) takes
    the group's text; field names repeated under different groups are joined as "group field".
    """
    fields = [_clean_label(c) for c in header_rows[-1]]
    if len(header_rows) == 1:
        return _deduplicate(fields)
    top = [_clean_label(c) for c in header_rows[0]]
    width = max(len(top), len(fields))
    top += [""] * (width - len(top))
    fields += [""] * (width - len(fields))
    groups = _spread_groups(top, merged, first_row)
    names = [field or group for field, group in zip(fields, groups, strict=True)]
    repeated = {n for n, k in Counter(names).items() if n and k > 1}
    names = [
        f"{group} {name}" if name in repeated and group and group != name else name
        for name, group in zip(names, groups, strict=True)
    ]
    return _deduplicate(names)


def _spread_groups(top: list[str], merged: list[tuple] | None, row: int) -> list[str]:
    """Each column's group: from the merged ranges of a workbook, else carried right until the next one
    (a CSV keeps only the first cell of a merged range)."""
    if merged is None:
        groups, current = [], ""
        for cell in top:
            current = cell or current
            groups.append(current)
        return groups
    groups = list(top)
    for r0, c0, r1, c1 in merged:
        if r0 <= row <= r1 and c0 < len(top):
            for j in range(c0, min(c1 + 1, len(top))):
                groups[j] = top[c0]
    return groups


def _deduplicate(names: list[str]) -> list[str]:
    """Unique names: the k-th repeat of a name becomes "name (k)" so that errors can tell them apart."""
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 or not name else f"{name} ({seen[name]})")
    return unique


# --- Assembling the table ----------------------------------------------------------------------------


def _finish(
    path: Path,
    frame: pd.DataFrame,
    lines: np.ndarray,
    names: list[str],
    **meta: object,
) -> RawTable:
    beyond_header = [f"colonne_{j + 1}" for j in range(len(names), frame.shape[1])]
    frame = _name_columns(frame, names)
    overflow = tuple(name for name in beyond_header if name in frame.columns)
    empty = frame.isna().all(axis="columns").to_numpy() if frame.shape[1] else np.ones(len(frame), bool)
    dropped_empty = tuple(int(x) for x in lines[empty])
    frame, lines = frame.loc[~empty].reset_index(drop=True), lines[~empty]
    totals = _trailing_total_rows(frame)
    dropped_totals = tuple(int(x) for x in lines[len(lines) - totals :]) if totals else ()
    if totals:
        frame, lines = frame.iloc[:-totals], lines[:-totals]
        log.info("%s : ligne(s) de total ignorée(s) : %s", path.name, ", ".join(map(str, dropped_totals)))
    return RawTable(
        path=path,
        frame=frame,
        line_numbers=pd.Series(lines, index=frame.index, name="line", dtype="int64"),
        dropped_total_rows=dropped_totals,
        dropped_empty_rows=dropped_empty,
        overflow_columns=overflow,
        **meta,  # type: ignore[arg-type]
    )


def _name_columns(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Give the read cells their header names; a column without a header is kept (as "colonne_N")
    only if it holds something, since trailing separators make empty ones."""
    width = max(frame.shape[1], len(names))
    for j in range(frame.shape[1], width):
        frame[f"c{j}"] = pd.Series(pd.NA, index=frame.index, dtype=pd.StringDtype("pyarrow"))
    labels = [names[j] if j < len(names) and names[j] else "" for j in range(width)]
    keep = [j for j in range(width) if labels[j] or frame.iloc[:, j].notna().any()]
    frame = frame.iloc[:, keep]
    frame.columns = [labels[j] or f"colonne_{j + 1}" for j in keep]
    return frame


def _trailing_total_rows(frame: pd.DataFrame) -> int:
    """How many rows at the end are aggregates ("Total", "France entière", "Ensemble")."""
    count = 0
    for position in range(len(frame) - 1, -1, -1):
        row = frame.iloc[position]
        first = next((v for v in row if not pd.isna(v)), None)
        if first is None or not _TOTAL_ROW.match(fold(str(first))):
            break
        count += 1
    return count
