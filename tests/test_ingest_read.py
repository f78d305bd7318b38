"""Reading raw exports as they really arrive: encodings, separators, title and two-row headers, Excel
quirks, total rows, line numbers, and the clear errors unreadable files must give."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.chart import BarChart, Reference

from am_analytics.errors import DataError
from am_analytics.ingest import read as read_module
from am_analytics.ingest.read import SAMPLE_BYTES, RawTable, discover, read_table

HEADER = ["N° contrat", "RPPS", "Département", "Quotité", "Profil d'origine"]
ROWS = [
    ["C001", "10001234567", "01", "1/3", "Secrétaire médicale"],
    ["C002", "10001234568", "2A", "0,5", "IDE"],
    ["C003", "10001234569", "971", "mi-temps", ""],
]


def write_csv(
    path: Path,
    rows: list[list[str]],
    *,
    separator: str = ";",
    encoding: str = "utf-8",
    newline: str = "\n",
    before: str = "",
) -> Path:
    """Write rows the way an export tool does (quoting only where needed), with optional title lines."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator=newline).writerows(rows)
    path.write_bytes((before + buffer.getvalue()).encode(encoding))
    return path


def cells(raw: RawTable) -> list[list[str | None]]:
    return [[None if pd.isna(v) else v for v in row] for row in raw.frame.itertuples(index=False)]


def workbook(path: Path, rows: list[list[object]], *, title: str = "Contrats") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def rebuild_zip(source: Path, target: Path, *, drop: set[str] = frozenset(), replace: dict | None = None) -> Path:
    replace = replace or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if item.filename not in drop:
                new.writestr(item, replace.get(item.filename, old.read(item.filename)))
    return target


# --- Encodings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
)
def test_accented_headers_and_values_survive_each_encoding(tmp_path, encoding, detected):
    path = write_csv(tmp_path / "contrats.csv", [HEADER, *ROWS], encoding=encoding)
    raw = read_table(path)
    assert raw.encoding == detected
    assert list(raw.frame.columns) == HEADER, "a BOM or a wrong decoding would garble the first header"
    assert raw.frame.loc[0, "Profil d'origine"] == "Secrétaire médicale"


@pytest.mark.parametrize("encoding", ["iso8859_15", "cp850", "mac_roman"])
def test_the_encoding_whose_reading_looks_french_is_chosen_over_cp1252(tmp_path, encoding, caplog):
    rows = [["N° contrat", "Spécialité", "Aide versée"], ["C1", "Médecine générale", "1 500 €"],
            ["C2", "Pédiatrie", "2 000 €"]]
    if encoding == "cp850":  # DOS code page 850 has no euro sign
        rows = [[cell.replace("€", "EUR") for cell in row] for row in rows]
    path = write_csv(tmp_path / "export.csv", rows, encoding=encoding)
    raw = read_table(path)
    assert raw.encoding == encoding
    assert raw.frame.loc[0, "Spécialité"] == "Médecine générale" and raw.frame.loc[1, "Aide versée"] == rows[2][2]
    assert f"encodage {encoding} choisi" in caplog.text


def test_detected_encoding_is_logged(tmp_path, caplog):
    path = write_csv(tmp_path / "contrats.csv", [HEADER, *ROWS], encoding="cp1252")
    with caplog.at_level(logging.INFO, logger="am_analytics.ingest.read"):
        read_table(path)
    assert "contrats.csv : encodage cp1252" in caplog.text


def test_cp1252_bytes_after_a_pure_ascii_head_are_still_decoded(tmp_path):
    # The head (first 256 KiB) is plain ASCII, so looks like UTF-8; the accent comes much later.
    filler = [[f"C{i:06d}", "10001234567", "75", "1", "IDE"] for i in range(SAMPLE_BYTES // 30)]
    last = ["C999999", "10001234567", "75", "1", "Aide-soignante é"]
    path = write_csv(tmp_path / "long.csv", [HEADER, *filler, last], encoding="cp1252")
    raw = read_table(path)
    assert raw.encoding == "cp1252"
    assert raw.frame.iloc[-1]["Profil d'origine"] == "Aide-soignante é"


# --- Separators, line ends, header position ------------------------------------------------------------


@pytest.mark.parametrize("separator", [";", ",", "\t", "|"])
def test_each_separator_is_sniffed(tmp_path, separator):
    path = write_csv(tmp_path / "contrats.csv", [HEADER, *ROWS], separator=separator)
    raw = read_table(path)
    assert raw.separator == separator
    assert cells(raw)[1] == ["C002", "10001234568", "2A", "0,5", "IDE"]


def test_quoted_separators_do_not_mislead_the_sniffer(tmp_path):
    rows = [["N° contrat", "Commentaire", "Quotité"]] + [[f"C{i}", "Dupont, Jean; urgent", "0,5"] for i in range(5)]
    raw = read_table(write_csv(tmp_path / "c.csv", rows, separator=","))
    assert raw.separator == ","
    assert raw.frame["Commentaire"].iloc[0] == "Dupont, Jean; urgent"


def test_separator_can_be_forced(tmp_path):
    raw = read_table(write_csv(tmp_path / "c.csv", [HEADER, *ROWS], separator="|"), separator="|")
    assert raw.separator == "|" and list(raw.frame.columns) == HEADER


def test_semicolon_wins_over_decimal_commas(tmp_path):
    rows = [["Année", "Taux"], ["2023", "12,5"], ["2024", "13,1"]]
    raw = read_table(write_csv(tmp_path / "taux.csv", rows))
    assert raw.separator == ";"
    assert cells(raw) == [["2023", "12,5"], ["2024", "13,1"]]


def test_crlf_line_ends_leave_no_carriage_return_in_cells(tmp_path):
    raw = read_table(write_csv(tmp_path / "contrats.csv", [HEADER, *ROWS], newline="\r\n"))
    assert raw.frame.iloc[:, -1].dropna().str.contains("\r").sum() == 0
    assert raw.line_numbers.tolist() == [2, 3, 4]


def test_title_rows_above_the_header_are_skipped_and_counted_in_line_numbers(tmp_path):
    title = "Extraction des contrats d'assistants médicaux\nCPAM de l'Ain — arrêté au 31/12/2024;;;;\n\n"
    raw = read_table(write_csv(tmp_path / "contrats.csv", [HEADER, *ROWS], before=title))
    assert list(raw.frame.columns) == HEADER
    assert raw.header_line == 4
    assert raw.line_numbers.tolist() == [5, 6, 7]


def test_two_row_csv_header_keeps_the_field_names(tmp_path):
    rows = [
        ["N° contrat", "Médecin", "", "Assistant", ""],
        ["", "RPPS", "Département", "Quotité", "Profil d'origine"],
        *ROWS,
    ]
    raw = read_table(write_csv(tmp_path / "contrats.csv", rows))
    assert raw.header_row_count == 2
    assert list(raw.frame.columns) == HEADER
    assert raw.line_numbers.tolist() == [3, 4, 5]


def test_header_without_any_data_row_gives_an_empty_table(tmp_path):
    raw = read_table(write_csv(tmp_path / "contrats.csv", [HEADER]))
    assert list(raw.frame.columns) == HEADER
    assert raw.frame.empty


# --- Cell contents ---------------------------------------------------------------------------------------


def test_every_cell_is_text_and_codes_keep_their_leading_zeros(tmp_path):
    raw = read_table(write_csv(tmp_path / "contrats.csv", [HEADER, *ROWS]))
    assert all(dtype == "string" for dtype in raw.frame.dtypes)
    assert raw.frame["Département"].tolist() == ["01", "2A", "971"]


def test_empty_cells_are_missing_and_ns_stays_text(tmp_path):
    rows = [["Année", "Code département", "Nombre de contrats"], ["2023", "01", "NS"], ["2023", "02", "  "]]
    raw = read_table(write_csv(tmp_path / "territoires.csv", rows))
    assert raw.frame["Nombre de contrats"].iloc[0] == "NS"
    assert pd.isna(raw.frame["Nombre de contrats"].iloc[1])


@pytest.mark.parametrize("amount", ["1 234,5", "1\u00a0234,5", "1\u202f234,5", "1.234,5"])
def test_numbers_with_thousands_separators_are_kept_as_written(tmp_path, amount):
    raw = read_table(write_csv(tmp_path / "aides.csv", [["N° contrat", "Aide versée (€)"], ["C1", amount]]))
    assert raw.frame["Aide versée (€)"].iloc[0] == amount


def test_trailing_separators_do_not_create_columns(tmp_path):
    path = tmp_path / "contrats.csv"
    path.write_text("N° contrat;RPPS;\nC1;10001234567;\nC2;10001234568;\n", encoding="utf-8")
    assert list(read_table(path).frame.columns) == ["N° contrat", "RPPS"]


def test_data_rows_ending_with_a_separator_the_header_lacks(tmp_path):
    path = tmp_path / "contrats.csv"
    path.write_text("N° contrat;RPPS\nC1;10001234567;\nC2;10001234568;\n", encoding="utf-8")
    raw = read_table(path)
    assert list(raw.frame.columns) == ["N° contrat", "RPPS"]
    assert raw.line_numbers.tolist() == [2, 3]


def test_all_text_data_rows_are_not_mistaken_for_a_second_header_row(tmp_path):
    rows = [["Type de répondant", "Région", "Satisfaction globale"], ["Médecin", "Bretagne", "Très satisfait"]]
    raw = read_table(write_csv(tmp_path / "enquete.csv", rows))
    assert raw.header_row_count == 1 and len(raw.frame) == 1


def test_repeated_header_names_are_told_apart(tmp_path):
    raw = read_table(write_csv(tmp_path / "c.csv", [["N° contrat", "Date", "Date"], ["C1", "2021-01-01", ""]]))
    assert list(raw.frame.columns) == ["N° contrat", "Date", "Date (2)"]


def test_multiline_header_cell_is_flattened(tmp_path):
    raw = read_table(write_csv(tmp_path / "c.csv", [["N° contrat", "Date de\nsignature"], ["C1", "2021-01-01"]]))
    assert list(raw.frame.columns) == ["N° contrat", "Date de signature"]
    assert raw.line_numbers.tolist() == [3]


# --- Total rows --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Total", "TOTAL", "Total général", "France entière", "Ensemble"])
def test_trailing_total_rows_are_dropped_and_recorded(tmp_path, label):
    rows = [["Région", "Nombre de contrats"], ["Bretagne", "120"], ["Normandie", "95"], [label, "215"]]
    raw = read_table(write_csv(tmp_path / "regions.csv", rows))
    assert raw.frame["Région"].tolist() == ["Bretagne", "Normandie"]
    assert raw.dropped_total_rows == (4,)


def test_a_total_row_in_the_middle_is_data_not_a_footer(tmp_path):
    rows = [["Région", "Nombre"], ["Total", "1"], ["Bretagne", "2"]]
    raw = read_table(write_csv(tmp_path / "regions.csv", rows))
    assert raw.frame["Région"].tolist() == ["Total", "Bretagne"]
    assert raw.dropped_total_rows == ()


# --- Line numbers ------------------------------------------------------------------------------------------


def test_quoted_newlines_and_blank_lines_give_editor_line_numbers(tmp_path):
    path = tmp_path / "contrats.csv"
    path.write_text(
        "Titre de l'extraction\n"  # 1
        "N° contrat;Commentaire\n"  # 2
        "C1;simple\n"  # 3
        'C2;"sur\ndeux lignes"\n'  # 4-5
        "\n"  # 6 blank
        'C3;"trois\nlignes\nici"\n'  # 7-9
        ";\n"  # 10 separators only
        "C4;fin\n",  # 11
        encoding="utf-8",
    )
    raw = read_table(path)
    assert raw.frame["N° contrat"].tolist() == ["C1", "C2", "C3", "C4"]
    assert raw.line_numbers.tolist() == [3, 4, 7, 11]
    assert raw.frame["Commentaire"].iloc[1] == "sur\ndeux lignes"
    assert raw.dropped_empty_rows == (10,)


def test_blank_lines_without_quotes_shift_line_numbers(tmp_path):
    path = tmp_path / "contrats.csv"
    path.write_text("N° contrat;RPPS\r\nC1;1\r\n\r\nC2;2\r\n", encoding="utf-8")
    assert read_table(path).line_numbers.tolist() == [2, 4]


def test_ragged_rows_are_padded_with_their_line_numbers(tmp_path):
    path = tmp_path / "contrats.csv"
    path.write_text("N° contrat;RPPS;Quotité\nC1;1;1/3\nC2;2\nC3;3;1;extra\n", encoding="utf-8")
    raw = read_table(path)
    assert cells(raw) == [["C1", "1", "1/3", None], ["C2", "2", None, None], ["C3", "3", "1", "extra"]]
    assert list(raw.frame.columns) == ["N° contrat", "RPPS", "Quotité", "colonne_4"]
    assert raw.line_numbers.tolist() == [2, 3, 4]


def test_location_of_a_cell_names_file_line_column_and_value(tmp_path):
    raw = read_table(write_csv(tmp_path / "contrats.csv", [HEADER, *ROWS], before="Titre\n"))
    where = raw.where(1, "Quotité")
    assert (where.file, where.line, where.column, where.value) == ("contrats.csv", 4, "Quotité", "0,5")


_cell = st.lists(st.sampled_from([*'ab é;,"\n', "\r\n"]), max_size=8).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_cell, _cell), min_size=1, max_size=12))
def test_any_quoted_content_round_trips_with_exact_line_numbers(tmp_path, records):
    rows = [[f"C{i}", *pair] for i, pair in enumerate(records)]  # first cell never blank: no empty row
    path = write_csv(tmp_path / "prop.csv", [["N° contrat", "Note", "Commentaire"], *rows], newline="\r\n")
    # The separator is given: a one-row file of quoted commas can fool any sniffer, and this test is
    # about quotes and line numbers.
    raw = read_table(path, separator=";")
    expected_lines, line = [], 2
    for row in rows:
        expected_lines.append(line)
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(row)
        line += buffer.getvalue().count("\n")
    assert raw.line_numbers.tolist() == expected_lines
    read_back = [[c if c is not None else "" for c in row] for row in cells(raw)]
    assert [[c if c.strip() else "" for c in row] for row in rows] == read_back


def test_a_large_file_with_quoted_newlines_keeps_exact_line_numbers(tmp_path):
    rows = [[f"C{i}", "deux\nlignes" if i % 97 == 0 else "une"] for i in range(20_000)]
    raw = read_table(write_csv(tmp_path / "gros.csv", [["N° contrat", "Commentaire"], *rows]))
    multiline_before = [(i + 96) // 97 for i in range(20_000)]  # rows 0, 97, 194… span two lines
    assert raw.line_numbers.tolist() == [2 + i + extra for i, extra in enumerate(multiline_before)]


# --- Excel ---------------------------------------------------------------------------------------------------


@pytest.fixture(params=["calamine", "openpyxl"])
def excel_reader(request, monkeypatch):
    """Run an Excel test with each reader: calamine first, openpyxl when calamine fails."""
    if request.param == "openpyxl":

        def failing(data, sheet):
            raise ValueError("simulated calamine failure")

        monkeypatch.setattr(read_module, "_excel_with_calamine", failing)
    return request.param



def test_excel_two_row_merged_header_keeps_field_names(tmp_path, excel_reader):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Contrats signés en 2024"  # title row
    sheet["A3"], sheet["B3"], sheet["D3"] = "N° contrat", "Médecin", "Contrat"
    sheet.merge_cells("A3:A4")  # a label spanning both header rows
    sheet.merge_cells("B3:C3")
    sheet.merge_cells("D3:E3")
    for column, label in zip("BCDE", ["RPPS", "Département", "Date", "Date"], strict=True):
        sheet[f"{column}4"] = label
    sheet.append(["C1", "10001234567", "01", dt.datetime(2021, 3, 4), dt.date(2024, 1, 31)])
    book.save(tmp_path / "contrats.xlsx")
    raw = read_table(tmp_path / "contrats.xlsx")
    assert raw.header_row_count == 2 and raw.header_line == 3
    # Same field name under two groups: "group field" tells them apart.
    assert list(raw.frame.columns) == ["N° contrat", "RPPS", "Département", "Contrat Date", "Contrat Date (2)"]
    assert raw.line_numbers.tolist() == [5]


def test_excel_two_row_header_joins_group_and_field_when_names_repeat(tmp_path, excel_reader):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["N° contrat", "Signature", None, "Fin", None])
    sheet.append([None, "Date", "Lieu", "Date", "Motif"])
    sheet.append(["C1", "2021-03-04", "Lyon", "2024-01-01", "Départ"])
    for cells_range in ("A1:A2", "B1:C1", "D1:E1"):
        sheet.merge_cells(cells_range)
    book.save(tmp_path / "c.xlsx")
    assert list(read_table(tmp_path / "c.xlsx").frame.columns) == [
        "N° contrat", "Signature Date", "Lieu", "Fin Date", "Motif",
    ]


def test_excel_dates_become_iso_text_and_numbers_stay_as_typed(tmp_path, excel_reader):
    rows = [
        ["N° contrat", "Département", "Date de signature", "Quotité", "Aide versée (€)", "Actif"],
        ["C1", "01", dt.datetime(2021, 3, 4, 0, 0), 0.5, 7000, True],
        ["C2", "2A", 44259, "1/3", 1234.5, False],
    ]
    raw = read_table(workbook(tmp_path / "contrats.xlsx", rows))
    assert raw.file_format == "xlsx" and raw.sheet == "Contrats"
    assert cells(raw) == [
        ["C1", "01", "2021-03-04", "0.5", "7000", "VRAI"],
        ["C2", "2A", "44259", "1/3", "1234.5", "FAUX"],  # the serial is left to the date normaliser
    ]
    assert raw.line_numbers.tolist() == [2, 3]


def test_excel_trailing_total_row_is_dropped_and_recorded(tmp_path, excel_reader):
    rows = [["Région", "Nombre de contrats"], ["Bretagne", 120], [None, None], ["France entière", 120]]
    raw = read_table(workbook(tmp_path / "r.xlsx", rows))
    assert raw.frame["Région"].tolist() == ["Bretagne"]
    assert raw.dropped_total_rows == (4,)


def test_the_sheet_holding_the_data_is_chosen_over_a_notes_sheet(tmp_path, excel_reader):
    book = openpyxl.Workbook()
    book.active.title = "Lisez-moi"
    book.active.append(["Source : CPAM, extraction du 31/12/2024"])
    data = book.create_sheet("Données")
    for row in [["N° contrat", "RPPS"], ["C1", "10001234567"], ["C2", "10001234568"]]:
        data.append(row)
    book.save(tmp_path / "c.xlsx")
    assert read_table(tmp_path / "c.xlsx").sheet == "Données"
    with pytest.raises(DataError, match="feuille « Contrats » absente"):
        read_table(tmp_path / "c.xlsx", sheet="Contrats")


def test_empty_sheet_raises_a_clear_error(tmp_path):
    openpyxl.Workbook().save(tmp_path / "vide.xlsx")
    with pytest.raises(DataError, match=r"^vide.xlsx : la feuille « Sheet » est vide"):
        read_table(tmp_path / "vide.xlsx")


def _workbook_with_chart(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["N° contrat", "Date de signature", "Quotité"], ["C1", dt.date(2021, 3, 4), 1], ["C2", None, 0.5]]:
        sheet.append(row)
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=3))
    sheet.add_chart(chart, "E2")
    book.save(path)
    return path


def test_workbook_missing_its_drawing_part_is_still_read(tmp_path):
    good = _workbook_with_chart(tmp_path / "good.xlsx")
    broken = rebuild_zip(good, tmp_path / "broken.xlsx", drop={"xl/drawings/drawing1.xml"})
    with pytest.raises(KeyError):  # what openpyxl alone would do with this file
        openpyxl.load_workbook(broken)
    assert cells(read_table(broken)) == [["C1", "2021-03-04", "1"], ["C2", None, "0.5"]]


def test_openpyxl_reads_what_calamine_cannot_with_the_same_result(tmp_path, monkeypatch, caplog):
    path = workbook(tmp_path / "c.xlsx", [["N° contrat", "Date de signature", "Département"],
                                          ["C1", dt.datetime(2021, 3, 4), "01"]])
    expected = cells(read_table(path))

    def failing(data, sheet):
        raise ValueError("simulated calamine failure")

    monkeypatch.setattr(read_module, "_excel_with_calamine", failing)
    with caplog.at_level(logging.WARNING):
        raw = read_table(path)
    assert cells(raw) == expected == [["C1", "2021-03-04", "01"]]
    assert "lu avec openpyxl" in caplog.text


def test_workbook_with_broken_styles_still_gives_its_cells(tmp_path):
    good = _workbook_with_chart(tmp_path / "good.xlsx")
    broken = rebuild_zip(good, tmp_path / "styles.xlsx", replace={"xl/styles.xml": b"<styleSheet><broken"})
    raw = read_table(broken)
    # Without styles the date format is lost: the serial number remains, for the date normaliser.
    assert cells(raw) == [["C1", "44259", "1"], ["C2", None, "0.5"]]


def test_truncated_workbook_raises_a_clear_error(tmp_path):
    good = _workbook_with_chart(tmp_path / "good.xlsx")
    truncated = tmp_path / "tronque.xlsx"
    truncated.write_bytes(good.read_bytes()[:900])
    with pytest.raises(DataError) as error:
        read_table(truncated)
    assert "tronque.xlsx" in str(error.value)
    assert "classeur Excel illisible" in str(error.value)
    assert "réenregistrer" in str(error.value) or "enregistrer de nouveau" in str(error.value)


def test_workbook_saved_with_a_csv_extension_is_read_as_a_workbook(tmp_path):
    path = workbook(tmp_path / "c.xlsx", [["N° contrat", "RPPS"], ["C1", "10001234567"]])
    renamed = path.rename(tmp_path / "contrats.csv")
    assert read_table(renamed).file_format == "xlsx"


# --- Files that cannot be read ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("vide.csv", b"", "le fichier est vide"),
        ("blanc.csv", b"  \r\n\r\n", "le fichier est vide"),
        ("binaire.csv", bytes(range(256)) * 8, "contenu binaire"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x10" * 50, "contenu binaire"),
        ("nombres.csv", b"1;2;3\n4;5;6\n7;8;9\n", "aucune ligne d'en-têtes"),
        ("colonne.csv", b"C1\nC2\nC3\n", "séparateur non reconnu"),
        ("texte.xlsx", b"N contrat;RPPS\nC1;1\n", "n'en est pas un"),
        ("ancien.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "protégé par mot de passe"),
    ],
)
def test_unreadable_files_raise_data_error_naming_file_problem_and_remedy(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as error:
        read_table(path)
    message = str(error.value)
    assert message.startswith(name), message
    assert problem in message
    assert "→" in message, "every error says what to do"
    assert error.value.exit_code == 3


def test_missing_file_raises_data_error(tmp_path):
    with pytest.raises(DataError, match="fichier introuvable"):
        read_table(tmp_path / "absent.csv")


# --- Discovery ------------------------------------------------------------------------------------------------


def test_discover_lists_inputs_and_skips_sidecars_readmes_and_hidden_files(tmp_path):
    for name in [
        "contrats.csv", "enquete.xlsx", "macro.xlsm", "territoires.txt", "onglets.tsv",
        "contrats.csv.provenance.json", "README.md", "readme.txt", ".cache.csv", "~$enquete.xlsx", "notes.pdf",
    ]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sub.csv").mkdir()
    assert [p.name for p in discover(tmp_path)] == [
        "contrats.csv", "enquete.xlsx", "macro.xlsm", "onglets.tsv", "territoires.txt",
    ]


def test_discover_on_a_missing_folder_raises_data_error(tmp_path):
    with pytest.raises(DataError, match="dossier de données introuvable"):
        discover(tmp_path / "absent")
