"""No value can crash the preparation (hypothesis): any text, number, date, boolean or Excel error cell in any
column of the contracts or survey dataset, written to a CSV or a workbook, goes through read → prepare with
no exception but the package's own `DataError`, and every raw row is accounted for (kept, updated, merged,
quarantined, or counted as a non-data line)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from am_analytics.errors import DataError
from am_analytics.prepare.pipeline import prepare

KEY = b"any-value-key"
CONTRACT_HEADER = ["N° contrat", "RPPS", "Date de signature", "Date de fin", "Département", "Spécialité", "Zone",
                   "Quotité", "Profil d'origine", "Formation", "Date de prise de fonction", "Aide versée (€)",
                   "Date d'extraction"]
# A plausible value per column, so that rows are often kept and versions, duplicates and rules get exercised.
CONTRACT_VALID = [["C1", "C2", "C3"], ["99100000001", "99100000002"], ["15/03/2021", "2023-06-01"],
                  ["", "31/12/2024"], ["35", "59"], ["Médecine générale"], ["ZIP"], ["1/2", "1"], ["IDE"],
                  ["CQP obtenu"], ["01/04/2021"], ["12000"], ["", "30/06/2024"]]
# A history written one row per act: the act columns take their plausible values or anything at all.
HISTORY_HEADER = [*CONTRACT_HEADER, "Type d'acte", "N° d'avenant", "Date d'effet"]
HISTORY_VALID = [*CONTRACT_VALID, ["Contrat initial", "Avenant", "AVENANT N°2", ""], ["", "1", "2"],
                 ["", "01/09/2022", "15/03/2021", "01/01/2020"]]
SURVEY_HEADER = ["Identifiant répondant", "Type de répondant", "Région", "Profil d'origine", "Poids",
                 "Satisfaction globale", "Temps médical gagné", "Recommanderait le dispositif"]
SURVEY_VALID = [["R1", "R2", "R3"], ["médecin", "assistant"], ["53"], ["IDE"], ["1", "1,5"], ["4"], ["2"], ["oui"]]

EXCEL_ERRORS = ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#VALEUR!", "#NOM?"]
FAR_AND_SENTINEL_DATES = ["31/12/9999", "9999-12-31", "2999-01-01", "0000-00-00", "1900-01-01", "00/00/0000",
                          "01/01/0001", "31/12/2099"]
# Any text a cell can hold (no control character: a NUL byte makes a file binary, refused whole; a workbook
# cannot hold them either).
text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=25)
number = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
)
day = st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31))
any_cell = st.one_of(
    st.just(""), text, number, day, st.booleans(), st.sampled_from(EXCEL_ERRORS),
    st.sampled_from(FAR_AND_SENTINEL_DATES), st.sampled_from(["NS", "-", "?", "NULL", "nan", "1e308", "-0"]),
)


def _cells(valid: list[list[str]]):
    """A row: each cell a plausible value of its column or anything at all."""
    return st.tuples(*[st.one_of(st.sampled_from(choices), any_cell) for choices in valid]).map(list)


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _write(folder: Path, file_format: str, header: list[str], rows: list[list[object]]) -> None:
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows([_as_text(v) for v in row] for row in rows)
        (folder / "extraction.csv").write_text(buffer.getvalue(), encoding="utf-8")
        return
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Extraction"
    sheet.append(header)
    for row in rows:
        # a text starting with "=" would be written as a formula: the workbook holds it as typed text instead
        sheet.append([None if v == "" else (f"'{v}" if isinstance(v, str) and v.startswith("=") else v)
                      for v in row])
    book.save(folder / "extraction.xlsx")


def _prepare_without_traceback(file_format: str, header: list[str], rows: list[list[object]]) -> None:
    root = Path(tempfile.mkdtemp(prefix="am_any_value_"))
    try:
        raw = root / "raw"
        raw.mkdir()
        _write(raw, file_format, header, rows)
        try:
            result = prepare(raw, root / "out", key=KEY, cutoff=dt.date(2025, 6, 30))
        except DataError as error:  # a user error: the package's own type, a French message naming the file
            assert "extraction" in str(error) or "aucun" in str(error), str(error)
            return
        for account in result.accounts:
            assert account.balanced(), account
            assert account.rows_read + account.non_data_count() <= len(rows), account
        kept = sum(a.rows_kept for a in result.accounts if a.dataset == "contracts")
        if "contracts" in result.tables:
            assert len(result.tables["contracts"]) == kept
        if "contract_acts" in result.tables:  # every act belongs to a kept contract
            assert set(result.tables["contract_acts"]["cle_contrat"]) <= set(result.tables["contracts"]["cle_contrat"])
    finally:
        shutil.rmtree(root, ignore_errors=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["csv", "xlsx"]), st.lists(_cells(CONTRACT_VALID), min_size=1, max_size=6))
def test_any_value_in_any_contract_column_is_read_or_named_and_every_row_is_accounted_for(file_format, rows):
    _prepare_without_traceback(file_format, CONTRACT_HEADER, rows)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["csv", "xlsx"]), st.lists(_cells(SURVEY_VALID), min_size=1, max_size=6))
def test_any_value_in_any_survey_column_is_read_or_named_and_every_row_is_accounted_for(file_format, rows):
    _prepare_without_traceback(file_format, SURVEY_HEADER, rows)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["csv", "xlsx"]), st.lists(_cells(HISTORY_VALID), min_size=1, max_size=8))
def test_any_value_in_a_history_written_act_by_act_is_read_or_named_and_every_row_is_accounted_for(file_format, rows):
    _prepare_without_traceback(file_format, HISTORY_HEADER, rows)
