"""Writes the realistic-extract corpus of this folder and its `cases.json` (run it to regenerate; the files are
committed): `python tests/data/realistic/generate.py`.

Each case is a folder of extracts written the way real CPAM and Cnam exports arrive (cumulative monthly
extracts re-sent with updates, a workbook per year or with a notice in front, contracts keyed by caisse,
SAS dates, Excel-mangled codes, option numbers, personal columns nobody asked for...). Its expectations are
written by hand below, from what the extracts mean, never computed by the package: per file the rows read,
kept, updated, merged, warned and quarantined; the values kept contracts must hold; the quarantine and
warning reasons; the change log; or the exit code and message words of a refused folder.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
CASES: list[dict] = []

HEADER = ["N° contrat", "RPPS", "Date de signature", "Date de fin", "Département", "Spécialité", "Zone", "Quotité",
          "Profil d'origine", "Formation", "Date de prise de fonction", "Aide versée (€)"]


def row(contrat: str, rpps: str = "99100000001", signature: str = "15/03/2021", fin: str = "", dept: str = "35",
        specialite: str = "Médecine générale", zone: str = "ZIP", etp: str = "1/2", profil: str = "IDE",
        formation: str = "CQP obtenu", prise: str = "01/04/2021", aide: str = "") -> list[str]:
    return [contrat, rpps, signature, fin, dept, specialite, zone, etp, profil, formation, prise, aide]


def rpps(n: int) -> str:
    """Synthetic RPPS numbers start with 99, which no real RPPS uses."""
    return f"991{n:08d}"


def csv_bytes(header: list[str], rows: list[list[str]], *, sep: str = ";", encoding: str = "utf-8",
              newline: str = "\n") -> bytes:
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    return (newline.join(lines) + newline).encode(encoding)


def workbook(sheets: list[tuple[str, list[list[object]]]], hidden: tuple[str, ...] = ()) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for values in rows:
            sheet.append(values)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The workbook without its creation time and with fixed member dates: regenerating gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", content)
            info = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


class CellError(str):
    """An error cell as LibreOffice writes one: the text it shows, the value type « error » (calcext), and what it
    stores beside: an empty string (`#N/A`), the number 0 (`#DIV/0!`, `stored="0"`) or no value type at all
    (`Err:502`, `stored=None`)."""

    def __new__(cls, shown: str, stored: str | None = ""):
        made = super().__new__(cls, shown)
        made.stored = stored
        return made


def ods(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    """A LibreOffice Calc workbook (.ods) written as LibreOffice writes its cells: text, float, date and error
    cells."""
    from xml.sax.saxutils import escape, quoteattr

    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, CellError):
            stored = {"": 'office:value-type="string" office:string-value="" ', None: ""}.get(
                value.stored, f'office:value-type="float" office:value="{value.stored}" ')
            return (f'<table:table-cell table:formula="of:=RECHERCHEV()" {stored}calcext:value-type="error">'
                    f"<text:p>{escape(str(value))}</text:p></table:table-cell>")
        if isinstance(value, dt.date):
            return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                    f"<text:p>{value.strftime('%d/%m/%Y')}</text:p></table:table-cell>")
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{str(value).replace('.', ',')}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    tables = "".join(
        f"<table:table table:name={quoteattr(title)}>"
        + "".join("<table:table-row>" + "".join(cell(v) for v in values) + "</table:table-row>" for values in rows)
        + "</table:table>"
        for title, rows in sheets
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        stored = zipfile.ZipInfo("mimetype", date_time=(2024, 1, 1, 0, 0, 0))  # first and uncompressed, as ODF says
        target.writestr(stored, "application/vnd.oasis.opendocument.spreadsheet")
        for name, text in (("content.xml", content), ("META-INF/manifest.xml", manifest)):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, text)
    return out.getvalue()


def archive(members: dict[str, bytes]) -> bytes:
    """A .zip as secure-transfer tools write one, with fixed member dates (regenerating gives the same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 7, 1, 9, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


def gz(content: bytes) -> bytes:
    return gzip.compress(content, mtime=0)


def case(name: str, files: dict[str, bytes], why: str, *, accounts: dict | None = None, kept: dict | None = None,
         quarantine: list | None = None, warnings: list | None = None, changes: list | None = None,
         exit: int = 0, words: tuple[str, ...] = (), options: dict | None = None, extra: dict | None = None) -> None:
    folder = CASES_DIR / name
    folder.mkdir(parents=True)
    for file, content in files.items():
        (folder / file).write_bytes(content)
    entry = {"name": name, "why": why, "exit": exit, "options": options or {}}
    if words:
        entry["words"] = list(words)
    for key, value in (("accounts", accounts), ("kept", kept), ("quarantine", quarantine), ("warnings", warnings),
                       ("changes", changes), ("extra", extra)):
        if value is not None:
            entry[key] = value
    CASES.append(entry)


def account(read: int, kept: int, updated: int = 0, merged: int = 0, quarantined: int = 0, warned: int = 0) -> dict:
    return {"rows_read": read, "rows_kept": kept, "rows_updated": updated, "rows_merged": merged,
            "rows_quarantined": quarantined, "rows_warned": warned}


def build() -> None:  # noqa: PLR0915 - one block per case reads best
    # 1. Descriptive fields written in unexpected ways: every contract is kept, each value is warned.
    rows = [
        row("D1", rpps(1), specialite="Astrologie"),
        row("D2", rpps(2), zone="Zone franche"),
        row("D3", rpps(3), profil="Assistante maternelle"),
        row("D4", rpps(4), formation="BTS SP3S"),
        row("D5", rpps(5), prise="hier"),
        row("D6", rpps(6), specialite="Cardio ?", zone="QPV", profil="Vendeuse", formation="Oui"),
        row("D7", rpps(7)),
    ]
    case("descriptive_unknowns", {"contrats.csv": csv_bytes(HEADER, rows)},
         "unexpected specialty, zone, background, training, take-up date: kept, unknown category, warned",
         accounts={"contrats.csv": account(7, 7, warned=6)},
         kept={"D1": {"specialite": "inconnue"}, "D2": {"zone": "inconnue"}, "D3": {"profil_origine": "inconnu"},
               "D4": {"formation": "inconnue"}, "D5": {"date_prise_fonction": None},
               "D6": {"specialite": "inconnue", "zone": "inconnue", "profil_origine": "inconnu",
                      "formation": "inconnue"},
               "D7": {"specialite": "medecine_generale", "profil_origine": "infirmier"}},
         quarantine=[],
         warnings=[{"line": 2, "column": "Spécialité", "value": "Astrologie", "reason": "specialite_inconnue"},
                   {"line": 4, "column": "Profil d'origine", "value": "Assistante maternelle",
                    "reason": "profil_inconnu"},
                   {"line": 6, "column": "Date de prise de fonction", "value": "hier", "reason": "date_invalide"}])

    # 2. Specialty as Assurance Maladie codes (01, 1.0 re-saved by Excel) and RPPS qualifications.
    rows = [row("S1", rpps(1), specialite="01"), row("S2", rpps(2), specialite="3"),
            row("S3", rpps(3), specialite="1.0"), row("S4", rpps(4), specialite="SM54"),
            row("S5", rpps(5), specialite="Qualifié en Médecine générale"), row("S6", rpps(6), specialite="15"),
            row("S7", rpps(7), specialite="24"), row("S8", rpps(8), specialite="Pathologie cardio-vasculaire"),
            row("S9", rpps(9), specialite="32")]
    case("specialty_codes", {"contrats.csv": csv_bytes(HEADER, rows)},
         "Assurance Maladie specialty codes and RPPS qualification labels; a nurse's code is warned",
         accounts={"contrats.csv": account(9, 9, warned=1)},
         kept={"S1": {"specialite": "medecine_generale"}, "S2": {"specialite": "cardiologie"},
               "S3": {"specialite": "medecine_generale"}, "S4": {"specialite": "medecine_generale"},
               "S5": {"specialite": "medecine_generale"}, "S6": {"specialite": "ophtalmologie"},
               "S7": {"specialite": "inconnue"}, "S8": {"specialite": "cardiologie"}, "S9": {"specialite": "autre"}},
         warnings=[{"line": 8, "column": "Spécialité", "value": "24", "reason": "specialite_non_medicale"}])

    # 3. Backgrounds: inclusive and parenthesised forms, typos; another profession is never the nearest one.
    rows = [row("B1", rpps(1), profil="Infirmier·ère"), row("B2", rpps(2), profil="Aide-soignant(e)"),
            row("B3", rpps(3), profil="Infirmier (IDE)"), row("B4", rpps(4), profil="Infirmeire"),
            row("B5", rpps(5), profil="Secrétaire médical.e"), row("B6", rpps(6), profil="Kinésithérapeute"),
            row("B7", rpps(7), profil="Assistante maternelle"), row("B8", rpps(8), profil="Auxiliaire de vie"),
            row("B9", rpps(9), profil="Assistant(e) dentaire"), row("B10", rpps(10), profil="IDE (Aide-soignante)")]
    case("backgrounds", {"contrats.csv": csv_bytes(HEADER, rows)},
         "inclusive, parenthesised and misspelt backgrounds read; other professions warned, never approximated",
         accounts={"contrats.csv": account(10, 10, warned=3)},
         kept={"B1": {"profil_origine": "infirmier"}, "B2": {"profil_origine": "aide_soignant"},
               "B3": {"profil_origine": "infirmier"}, "B4": {"profil_origine": "infirmier"},
               "B5": {"profil_origine": "secretaire_medicale"}, "B6": {"profil_origine": "autre_sante"},
               "B7": {"profil_origine": "inconnu"}, "B8": {"profil_origine": "inconnu"},
               "B9": {"profil_origine": "assistant_dentaire"}, "B10": {"profil_origine": "inconnu"}},
         warnings=[{"line": 8, "column": "Profil d'origine", "value": "Assistante maternelle",
                    "reason": "profil_inconnu"},
                   {"line": 9, "column": "Profil d'origine", "value": "Auxiliaire de vie", "reason": "profil_inconnu"},
                   {"line": 11, "column": "Profil d'origine", "value": "IDE (Aide-soignante)",
                    "reason": "profil_inconnu"}])

    # 4. A series of monthly cumulative extracts, each re-sending every contract with what changed.
    jan = [row("M1", rpps(1), signature="10/01/2024", prise="01/02/2024", aide="0"),
           row("M2", rpps(2), signature="20/01/2024", prise="", aide="0")]
    feb = [row("M1", rpps(1), signature="10/01/2024", prise="01/02/2024", aide="3000"),
           row("M2", rpps(2), signature="20/01/2024", prise="05/02/2024", aide="0"),
           row("M3", rpps(3), signature="12/02/2024", prise="", aide="0")]
    mar = [row("M1", rpps(1), signature="10/01/2024", prise="01/02/2024", aide="6000"),
           row("M2", rpps(2), signature="20/01/2024", fin="31/03/2024", prise="05/02/2024", aide="1500"),
           row("M3", rpps(3), signature="12/02/2024", prise="", aide="0")]
    apr = [row("M1", rpps(1), signature="10/01/2024", prise="01/02/2024", aide="9000"),
           row("M2", rpps(2), signature="20/01/2024", fin="31/03/2024", prise="05/02/2024", aide="1500"),
           row("M3", rpps(3), signature="12/02/2024", prise="", aide="0"),
           row("M4", rpps(4), signature="02/04/2024", prise="", aide="0")]
    case("monthly_cumulative_series",
         {"extraction_2024-01-31.csv": csv_bytes(HEADER, jan), "extraction_2024-02-29.csv": csv_bytes(HEADER, feb),
          "extraction_2024-03-31.csv": csv_bytes(HEADER, mar), "extraction_2024-04-30.csv": csv_bytes(HEADER, apr)},
         "four monthly cumulative extracts: the latest version of each contract wins, every change is logged",
         accounts={"extraction_2024-01-31.csv": account(2, 0, updated=2),
                   "extraction_2024-02-29.csv": account(3, 0, updated=2, merged=1),
                   "extraction_2024-03-31.csv": account(3, 0, updated=1, merged=2),
                   "extraction_2024-04-30.csv": account(4, 4)},
         kept={"M1": {"aide_versee_eur": 9000.0, "source_file": "extraction_2024-04-30.csv"},
               "M2": {"date_fin": "2024-03-31", "aide_versee_eur": 1500.0, "date_prise_fonction": "2024-02-05"},
               "M3": {"date_fin": None}, "M4": {"source_file": "extraction_2024-04-30.csv"}},
         quarantine=[],
         changes=[
             {"contract_key": "M1", "column": "aide_versee_eur", "old_value": "0", "new_value": "3000",
              "old_file": "extraction_2024-01-31.csv", "new_file": "extraction_2024-02-29.csv",
              "old_extract_date": "2024-01-31", "new_extract_date": "2024-02-29"},
             {"contract_key": "M1", "column": "aide_versee_eur", "old_value": "3000", "new_value": "6000"},
             {"contract_key": "M1", "column": "aide_versee_eur", "old_value": "6000", "new_value": "9000"},
             {"contract_key": "M2", "column": "date_prise_fonction", "old_value": None, "new_value": "2024-02-05"},
             {"contract_key": "M2", "column": "date_fin", "old_value": None, "new_value": "2024-03-31",
              "old_file": "extraction_2024-02-29.csv", "new_file": "extraction_2024-03-31.csv"},
             {"contract_key": "M2", "column": "aide_versee_eur", "old_value": "0", "new_value": "1500"},
         ],
         extra={"change_count": 6, "extract_date_source": "nom de fichier"})

    # 5. The extract date as a column; file names that sort the other way round.
    header = [*HEADER, "Date d'extraction"]
    newer = [[*row("E1", rpps(1), fin="30/06/2024"), "30/06/2024"]]
    older = [[*row("E1", rpps(1)), "31/01/2024"]]
    case("extract_date_column", {"a_export.csv": csv_bytes(header, newer), "b_export.csv": csv_bytes(header, older)},
         "the 'Date d'extraction' column decides which version is later, whatever the file names say",
         accounts={"a_export.csv": account(1, 1), "b_export.csv": account(1, 0, updated=1)},
         kept={"E1": {"date_fin": "2024-06-30", "source_file": "a_export.csv"}},
         changes=[{"contract_key": "E1", "column": "date_fin", "old_value": None, "new_value": "2024-06-30",
                   "old_extract_date": "2024-01-31", "new_extract_date": "2024-06-30"}],
         extra={"extract_date_source": "colonne"})

    # 6. Two different versions with the same extract date: a conflict naming both files.
    case("same_date_conflict",
         {"cpam_2024-06-30_lot1.csv": csv_bytes(HEADER, [row("K1", rpps(1), etp="1/2"), row("K2", rpps(2))]),
          "cpam_2024-06-30_lot2.csv": csv_bytes(HEADER, [row("K1", rpps(1), etp="temps plein")])},
         "two versions of one contract in two extracts of the same date: neither can be chosen",
         accounts={"cpam_2024-06-30_lot1.csv": account(2, 1, quarantined=1),
                   "cpam_2024-06-30_lot2.csv": account(1, 0, quarantined=1)},
         kept={"K2": {}},
         quarantine=[{"file": "cpam_2024-06-30_lot1.csv", "line": 2, "reason": "doublon_conflictuel",
                      "message_words": ["cpam_2024-06-30_lot1.csv ligne 2", "cpam_2024-06-30_lot2.csv ligne 2",
                                        "etp_option"]},
                     {"file": "cpam_2024-06-30_lot2.csv", "line": 2, "reason": "doublon_conflictuel"}])

    # 7. One national extract keyed by caisse, numbers restarting in each caisse.
    header = ["N° contrat", "Code caisse", "RPPS", "Date de signature", "Quotité", "Spécialité"]
    rows = []
    for caisse, first in (("131", 1), ("599", 100), ("974", 200)):
        for n in range(1, 5):
            rows.append([str(n), caisse, rpps(first + n), "01/03/2022", "1/2", "MG"])
    case("numbers_restart_per_caisse", {"contrats_national.csv": csv_bytes(header, rows)},
         "contract numbers 1 to 4 in each of three caisses: the key is (caisse, number), nothing is a duplicate",
         accounts={"contrats_national.csv": account(12, 12)},
         kept={"131 / 1": {"departement": "13", "caisse": "131"}, "599 / 1": {"departement": "59"},
               "974 / 4": {"departement": "974", "region": "04"}},
         extra={"key_columns": ["caisse", "contrat_id"], "kept_count": 12})

    # 8. One file per caisse, each numbering its contracts from 1.
    header = ["N° contrat", "RPPS", "Date de signature", "Département", "Quotité"]
    files = {}
    for dept, name, first in (("13", "contrats_cpam13.csv", 1), ("35", "contrats_cpam35.csv", 100)):
        files[name] = csv_bytes(header, [[str(n), rpps(first + n), "01/03/2022", dept, "1"] for n in range(1, 6)])
    case("one_file_per_caisse", files,
         "each caisse's file numbers its contracts from 1: the key is (département, number)",
         accounts={"contrats_cpam13.csv": account(5, 5), "contrats_cpam35.csv": account(5, 5)},
         kept={"13 / 1": {"departement": "13"}, "35 / 1": {"departement": "35"}},
         extra={"key_columns": ["departement", "contrat_id"], "kept_count": 10})

    # 9. A workbook with one sheet per year.
    sheets = []
    for year, count in ((2021, 2), (2022, 3), (2023, 1)):
        sheets.append((str(year), [HEADER] + [
            row(f"Y{year}-{n}", rpps(year * 10 + n), signature=f"15/03/{year}", prise=f"01/04/{year}")
            for n in range(count)]))
    case("workbook_sheet_per_year", {"contrats_par_annee.xlsx": workbook(sheets)},
         "one sheet per year: every sheet whose header matches is read",
         accounts={"contrats_par_annee.xlsx": account(6, 6)},
         kept={"Y2021-0": {"source_sheet": "2021"}, "Y2023-0": {"source_sheet": "2023"}},
         extra={"sheets_read": ["2021", "2022", "2023"], "kept_count": 6})

    # 10. A long notice in front, a dictionary and a pivot table behind the data sheet.
    notice = [["Notice de l'extraction"]] + [[f"Paragraphe {n} : explication de la méthode d'extraction et des "
                                              "champs, à lire avant usage."] for n in range(40)]
    dictionary = [["Variable", "Description"], ["N° contrat", "numéro du contrat"], ["RPPS", "identifiant"],
                  ["Date de signature", "date"], ["Département", "code"], ["Quotité", "option"]]
    pivot = [["Étiquettes de lignes", "Nombre de N° contrat"], ["35", 2], ["Total général", 2]]
    data = [HEADER, row("N1", rpps(1)), row("N2", rpps(2))]
    case("workbook_notice_dictionary_pivot",
         {"extraction.xlsx": workbook([("Notice", notice), ("Données", data), ("Dictionnaire", dictionary),
                                       ("TCD", pivot)])},
         "a 40-line notice no longer hides the data sheet; the others are listed as skipped with their reason",
         accounts={"extraction.xlsx": account(2, 2)},
         kept={"N1": {"source_sheet": "Données"}, "N2": {}},
         extra={"sheets_read": ["Données"],
                "sheets_skipped": {"Notice": "notice", "Dictionnaire": "dictionnaire", "TCD": "croisé"}})

    # 11. A sheet that looks like data but matches no dataset is reported, and a hidden copy is not read.
    data = [HEADER, row("U1", rpps(1))]
    unknown = [["Identifiant dossier", "Montant instruit", "Statut instruction"], ["X1", "12", "ok"], ["X2", "3", "ko"],
               ["X3", "4", "ok"]]
    case("workbook_unrecognised_sheet",
         {"classeur.xlsx": workbook([("Contrats", data), ("Instruction", unknown), ("Copie", data)],
                                    hidden=("Copie",))},
         "a data-looking sheet matching nothing is reported as a warning; a hidden copy is skipped and said so",
         accounts={"classeur.xlsx": account(1, 1)},
         warnings=[{"sheet": "Instruction", "reason": "feuille_non_reconnue"},
                   {"sheet": "Copie", "reason": "feuille_non_reconnue"}],
         extra={"sheets_read": ["Contrats"], "sheets_skipped": {"Instruction": "non reconnues", "Copie": "masquée"}})

    # 12. Caisse codes written in the département column: read as caisses in full, never stripped of zeros.
    rows = [row("G1", rpps(1), dept="131"), row("G2", rpps(2), dept="599"), row("G3", rpps(3), dept="974"),
            row("G4", rpps(4), dept="CPAM du Hainaut")]
    case("caisse_codes_in_departement_column", {"contrats.csv": csv_bytes(HEADER, rows)},
         "a département column holding only caisse codes and names is read as caisses",
         accounts={"contrats.csv": account(4, 4)},
         kept={"G1": {"departement": "13", "caisse": "131"}, "G2": {"departement": "59", "caisse": "599"},
               "G3": {"departement": "974"}, "G4": {"departement": "59", "caisse": "599"}})

    # 13. A column that could be read either way is refused, saying how to declare it.
    rows = [row("A1", rpps(1), dept="599"), row("A2", rpps(2), dept="13"), row("A3", rpps(3), dept="59")]
    case("ambiguous_geography_column", {"contrats.csv": csv_bytes(HEADER, rows)},
         "caisse codes mixed with what may be caisse codes stripped of their zeros: refused",
         exit=3, words=("contrats.csv", "Département", "« 599 »", "--caisse-column", "Code caisse"))

    # 14. The same kind of column declared as caisses by the prepare option.
    header = ["N° contrat", "RPPS", "Date de signature", "Organisme payeur", "Quotité"]
    rows = [["P1", rpps(1), "01/03/2022", "599", "1/2"], ["P2", rpps(2), "01/03/2022", "CPAM Marseille", "1/2"],
            ["P3", rpps(3), "01/03/2022", "CPAM de Lille-Douai", "1/2"], ["P4", rpps(4), "01/03/2022", "591", "1/2"],
            ["P5", rpps(5), "01/03/2022", "011", "1/2"], ["P6", rpps(6), "01/03/2022", "201", "1/2"]]
    case("caisse_column_declared_by_option", {"contrats.csv": csv_bytes(header, rows)},
         "a column declared with caisse_columns: codes and names read; a code absent from the reference is read by "
         "its structure (département + caisse digit: 591 → 59, 011 → 01), never by stripping its zeros; Corse's "
         "« 20x » names no one département and is quarantined",
         options={"caisse_columns": ["Organisme payeur"]},
         accounts={"contrats.csv": account(6, 5, quarantined=1)},
         kept={"P1": {"departement": "59", "caisse": "599"}, "P2": {"departement": "13", "caisse": "131"},
               "P3": {"departement": "59", "caisse": "CPAM de Lille-Douai"},
               "P4": {"departement": "59", "caisse": "591"}, "P5": {"departement": "01", "caisse": "011"}},
         quarantine=[{"line": 7, "column": "Organisme payeur", "value": "201", "reason": "caisse_inconnue"}])

    # 15. Avenant 7 option numbers under an "Option" header, under the rules of the signing date.
    header = [*HEADER[:7], "Option", *HEADER[8:]]
    rows = [row("O1", rpps(1), etp="1"), row("O2", rpps(2), etp="2"), row("O3", rpps(3), etp="3"),
            row("O4", rpps(4), signature="01/06/2023", prise="", etp="1")]
    case("option_numbers", {"contrats.csv": csv_bytes(header, rows)},
         "option 1 is 1/3 FTE, not 1 FTE; option 1 signed after 1 May 2023 is refused",
         accounts={"contrats.csv": account(4, 3, quarantined=1)},
         kept={"O1": {"etp_option": "1/3", "etp": 1 / 3}, "O2": {"etp_option": "1/2"}, "O3": {"etp_option": "1"}},
         quarantine=[{"line": 5, "column": "Option", "value": "1", "reason": "etp_non_autorise"}])

    # 16. Bare 1/2/3 under a neutral header: option numbers or FTE? Refused, with how to say it.
    header = [*HEADER[:7], "ETP", *HEADER[8:]]
    rows = [row("F1", rpps(1), etp="1"), row("F2", rpps(2), etp="3"), row("F3", rpps(3), etp="2")]
    case("ambiguous_fte_numbers", {"contrats.csv": csv_bytes(header, rows)},
         "a column of 1, 2 and 3 headed 'ETP': a bare 1 could be option 1 or 1 FTE, so it is refused",
         accounts={"contrats.csv": account(3, 0, quarantined=3)},
         quarantine=[{"line": 2, "column": "ETP", "value": "1", "reason": "etp_ambigu"},
                     {"line": 3, "column": "ETP", "value": "3", "reason": "etp_ambigu"}])

    # 17. FTE written in words, with its option, in hours or as "temps partiel".
    rows = [row("W1", rpps(1), etp="Option 2 (1/2 ETP)"), row("W2", rpps(2), etp="1/2 temps"),
            row("W3", rpps(3), etp="Temps plein"), row("W4", rpps(4), etp="35 h"),
            row("W5", rpps(5), etp="temps partiel"), row("W6", rpps(6), etp="Option 1 (1/2 ETP)")]
    case("fte_written_forms", {"contrats.csv": csv_bytes(HEADER, rows)},
         "option with its FTE, '1/2 temps' read; hours, 'temps partiel' and an option contradicting its FTE refused",
         accounts={"contrats.csv": account(6, 3, quarantined=3)},
         kept={"W1": {"etp_option": "1/2"}, "W2": {"etp_option": "1/2"}, "W3": {"etp_option": "1"}},
         quarantine=[{"line": 5, "value": "35 h", "reason": "etp_heures"},
                     {"line": 6, "value": "temps partiel", "reason": "etp_imprecis"},
                     {"line": 7, "value": "Option 1 (1/2 ETP)", "reason": "etp_invalide"}])

    # 18. A percent column.
    header = [*HEADER[:7], "Quotité (%)", *HEADER[8:]]
    rows = [row("C1", rpps(1), etp="50"), row("C2", rpps(2), etp="100"), row("C3", rpps(3), etp="33")]
    case("fte_percent_column", {"contrats.csv": csv_bytes(header, rows)},
         "50 in a percent column is 1/2 FTE",
         accounts={"contrats.csv": account(3, 3)},
         kept={"C1": {"etp_option": "1/2"}, "C2": {"etp_option": "1"}, "C3": {"etp_option": "1/3"}})

    # 19. Amounts: thousands written with a lone point or comma; implausible amounts warned, never scaled.
    rows = [row("T1", rpps(1), aide="12.000"), row("T2", rpps(2), aide="36,000"), row("T3", rpps(3), aide="1.500,00"),
            row("T4", rpps(4), aide="900.000"), row("T5", rpps(5), aide="2500000"), row("T6", rpps(6), aide="248,50")]
    case("amounts_as_exports_write_them", {"contrats.csv": csv_bytes(HEADER, rows)},
         "'12.000' in a euro column is 12 000 €; 900.000 is ambiguous; 2 500 000 € is implausible: warned, not scaled",
         accounts={"contrats.csv": account(6, 6, warned=2)},
         kept={"T1": {"aide_versee_eur": 12000.0}, "T2": {"aide_versee_eur": 36000.0},
               "T3": {"aide_versee_eur": 1500.0}, "T4": {"aide_versee_eur": None},
               "T5": {"aide_versee_eur": 2500000.0}, "T6": {"aide_versee_eur": 248.5}},
         warnings=[{"line": 5, "value": "900.000", "reason": "montant_ambigu"},
                   {"line": 6, "value": "2500000", "reason": "montant_invraisemblable"}])

    # 20. Dates as SAS, ISO with time and zone, YYYYMMDD and French month names write them.
    rows = [row("H1", rpps(1), signature="15MAR2021", prise="01APR2021:00:00:00"),
            row("H2", rpps(2), signature="2021-03-15T09:30:00.000Z", prise="2021-04-01T00:00:00+02:00"),
            row("H3", rpps(3), signature="20210315", prise="20210401"),
            row("H4", rpps(4), signature="15 mars 2021", prise="1er avril 2021"),
            row("H5", rpps(5), signature="2021-03-14T23:30:00Z", prise="")]
    case("dates_as_exports_write_them", {"contrats.csv": csv_bytes(HEADER, rows)},
         "SAS DATE9./DATETIME., ISO with milliseconds and zone (converted to French time), YYYYMMDD, month names",
         accounts={"contrats.csv": account(5, 5)},
         kept={"H1": {"date_signature": "2021-03-15", "date_prise_fonction": "2021-04-01"},
               "H2": {"date_signature": "2021-03-15", "date_prise_fonction": "2021-04-01"},
               "H3": {"date_signature": "2021-03-15"}, "H4": {"date_prise_fonction": "2021-04-01"},
               "H5": {"date_signature": "2021-03-15"}})

    # 21. An American date with AM/PM is ambiguous: refused when required, warned when descriptive.
    rows = [row("U1", rpps(1), signature="3/4/2021 10:00 AM"), row("U2", rpps(2), prise="4/1/2021 9:00 AM")]
    case("american_dates", {"contrats.csv": csv_bytes(HEADER, rows)},
         "3/4/2021 10:00 AM is 4 March or 3 April: refused as a signature date, warned as a take-up date",
         accounts={"contrats.csv": account(2, 1, quarantined=1, warned=1)},
         kept={"U2": {"date_prise_fonction": None}},
         quarantine=[{"line": 2, "column": "Date de signature", "value": "3/4/2021 10:00 AM",
                      "reason": "date_ambigue"}],
         warnings=[{"line": 3, "column": "Date de prise de fonction", "reason": "date_ambigue"}])

    # 22. Codes re-saved by Excel as decimals.
    rows = [row("12345.0", "99100000001.0", dept="59.0"), row("X2", rpps(2), dept="2A")]
    case("excel_resaved_codes", {"contrats.csv": csv_bytes(HEADER, rows)},
         "'59.0' as a département is 59, a contract number '12345.0' is 12345, an RPPS re-saved with .0 is read",
         accounts={"contrats.csv": account(2, 2)},
         kept={"12345": {"departement": "59"}, "X2": {"departement": "2A"}})

    # 23. Identifiers in scientific notation: Excel destroyed them.
    rows = [row("Z1", "9,91E+10"), row("1,2E+05", rpps(2)), row("Z3", rpps(3))]
    case("scientific_identifiers", {"contrats.csv": csv_bytes(HEADER, rows)},
         "an RPPS or contract number written 9,91E+10 lost digits: refused with how to export it as text",
         accounts={"contrats.csv": account(3, 1, quarantined=2)},
         kept={"Z3": {}},
         quarantine=[{"line": 3, "column": "N° contrat", "value": "1,2E+05", "reason": "identifiant_scientifique",
                      "message_words": ["Excel", "Texte"]},
                     {"line": 2, "column": "RPPS", "reason": "identifiant_scientifique"}])

    # 24. Départements as people type them.
    spellings = ["62-Pas-de-Calais", "Nord (59)", "59 - Nord", "Ille & Vilaine", "Hte-Garonne", "Htes-Pyrénées",
                 "Seine-St-Denis", "\u200bNord", "Finis\u00adtère", "Corse", "62-Nord"]
    expected = ["62", "59", "59", "35", "31", "65", "93", "59", "29"]
    rows = [row(f"L{n}", rpps(n), dept=text) for n, text in enumerate(spellings, start=1)]
    case("departement_spellings", {"contrats.csv": csv_bytes(HEADER, rows)},
         "code-name forms, &, Hte/Htes/St, invisible characters read; 'Corse' ambiguous; code and name disagreeing "
         "refused",
         accounts={"contrats.csv": account(11, 9, quarantined=2)},
         kept={f"L{n}": {"departement": code} for n, code in enumerate(expected, start=1)},
         quarantine=[{"line": 11, "value": "Corse", "reason": "departement_ambigu"},
                     {"line": 12, "value": "62-Nord", "reason": "departement_incoherent"}])

    # 25. Columns nobody asked for, holding personal data.
    header = ["Nom du médecin", "Prénom", *HEADER[:5], "NIR assistant", "E-mail", "Téléphone", *HEADER[5:],
              "Adresse du cabinet", "Commentaire", "Divers"]
    rows = [["DUPONT", "Jeanne", *row("R1", rpps(1))[:5], "2 84 05 75 123 456 78", "jeanne.dupont@example.fr",
             "06 12 34 56 78", *row("R1", rpps(1))[5:], "12 rue des Lilas 35000 Rennes",
             "Appelée le 3 mars, très motivée", "x"],
            ["MARTIN", "Paul", *row("R2", rpps(2), dept="ZZ")[:5], "1 90 12 35 238 017 11", "p.martin@example.fr",
             "07 98 76 54 32", *row("R2", rpps(2))[5:], "3 place du Marché 29000 Quimper", "Dossier incomplet",
             "y"]]
    case("personal_data_columns", {"contrats.csv": csv_bytes(header, rows)},
         "names, NIR, e-mail, telephone, address and comment columns are dropped at the read step and flagged",
         accounts={"contrats.csv": account(2, 1, quarantined=1)},
         kept={"R1": {}},
         quarantine=[{"line": 3, "column": "Département", "value": "ZZ", "reason": "departement_inconnu"}],
         extra={"dropped": {"Nom du médecin": True, "Prénom": True, "NIR assistant": True, "E-mail": True,
                            "Téléphone": True, "Adresse du cabinet": True, "Commentaire": True, "Divers": False},
                "planted": ["DUPONT", "Jeanne", "2 84 05 75 123 456 78", "jeanne.dupont@example.fr",
                            "06 12 34 56 78", "12 rue des Lilas", "très motivée", "MARTIN", "Paul",
                            "p.martin@example.fr", "Quimper", "Dossier incomplet"]})

    # 26. The same extract sent twice: every row of the copy is merged.
    rows = [row("Q1", rpps(1)), row("Q2", rpps(2))]
    case("extract_sent_twice",
         {"extraction_2024-05-31.csv": csv_bytes(HEADER, rows),
          "extraction_2024-05-31 (1).csv": csv_bytes(HEADER, rows)},
         "an extract sent twice: identical versions of the same date are merged, not a conflict",
         accounts={"extraction_2024-05-31 (1).csv": account(2, 0, merged=2),
                   "extraction_2024-05-31.csv": account(2, 2)},
         kept={"Q1": {}, "Q2": {}})

    # 27. A workbook with real date cells, a hidden sheet of lists, and an Excel-typed département number.
    data = [HEADER, [*row("J1", rpps(1))[:2], dt.datetime(2022, 5, 3, 0, 0), None, 59, "MG", "ZIP", 0.5, "IDE",
                     "CQP obtenu", dt.datetime(2022, 6, 1, 0, 0), 12000.0]]
    lists = [["Listes"], ["ZIP"], ["ZAC"]]
    case("workbook_typed_cells", {"contrats.xlsx": workbook([("Contrats", data), ("Listes", lists)],
                                                             hidden=("Listes",))},
         "date cells, numbers typed as numbers (59, 0.5, 12000.0) read as the codes and values they are",
         accounts={"contrats.xlsx": account(1, 1)},
         kept={"J1": {"date_signature": "2022-05-03", "departement": "59", "etp_option": "1/2",
                      "aide_versee_eur": 12000.0}},
         extra={"sheets_read": ["Contrats"], "sheets_skipped": {"Listes": "sans données"}})

    # 28. Far and sentinel dates as databases write them: "no end" is 31/12/9999, "no date" is 0000-00-00.
    rows = [row("FD1", rpps(1), fin="31/12/9999"), row("FD2", rpps(2), fin="2999-12-31"),
            row("FD3", rpps(3), fin="0000-00-00"), row("FD4", rpps(4), fin="01/01/1900"),
            row("FD5", rpps(5), signature="15/03/2999"), row("FD6", rpps(6), signature="0000-00-00"),
            row("FD7", rpps(7), prise="31/12/9999"), row("FD8", rpps(8), fin="31/12/2027")]
    case("far_and_sentinel_dates", {"contrats_sans_fin.csv": csv_bytes(HEADER, rows)},
         "an end date of 31/12/9999 or 2999 means no end (kept, warned); 0000-00-00 and 1900-01-01 are empty "
         "(warned); a signature in 2999 or 0000-00-00 is quarantined with the value; a far take-up date is warned",
         accounts={"contrats_sans_fin.csv": account(8, 6, quarantined=2, warned=5)},
         kept={"FD1": {"date_fin": None}, "FD2": {"date_fin": None}, "FD3": {"date_fin": None},
               "FD4": {"date_fin": None}, "FD7": {"date_prise_fonction": None}, "FD8": {"date_fin": "2027-12-31"}},
         quarantine=[{"line": 6, "column": "Date de signature", "value": "15/03/2999",
                      "reason": "date_invraisemblable", "message_words": ["15/03/2999"]},
                     {"line": 7, "column": "Date de signature", "value": "0000-00-00", "reason": "date_sentinelle"}],
         warnings=[{"line": 2, "column": "Date de fin", "value": "31/12/9999", "reason": "date_sans_fin"},
                   {"line": 3, "column": "Date de fin", "value": "2999-12-31", "reason": "date_sans_fin"},
                   {"line": 4, "column": "Date de fin", "value": "0000-00-00", "reason": "date_sentinelle"},
                   {"line": 5, "column": "Date de fin", "value": "01/01/1900", "reason": "date_sentinelle"},
                   {"line": 8, "column": "Date de prise de fonction", "value": "31/12/9999",
                    "reason": "date_invraisemblable"}])

    # 29. An Excel 97-2003 workbook (.xls) alone: read (calamine), never « aucun fichier de données reconnu ».
    # (`sources/contrats_2023.xls` was written once with xlwt 1.3: no writer of that format is a dependency.)
    case("excel97_workbook_alone", {"contrats_2023.xls": (HERE / "sources" / "contrats_2023.xls").read_bytes()},
         "a lone .xls with a title row, date cells and numbers typed as numbers is read like an .xlsx",
         accounts={"contrats_2023.xls": account(3, 3)},
         kept={"XL1": {"date_signature": "2023-03-15", "departement": "35", "etp_option": "1/2"},
               "XL2": {"date_fin": "2024-04-02", "etp_option": "1"}, "XL3": {"date_signature": "2023-06-12"}},
         extra={"sheets_read": ["Contrats 2023"], "file_format": "xls"})

    # 30. A LibreOffice workbook (.ods) beside a CSV: both read, neither skipped without a word.
    data = [HEADER, [*row("OD1", rpps(1))[:2], dt.date(2022, 5, 3), None, 29, "MG", "ZIP", 0.5, "IDE"],
            row("OD2", rpps(2), signature="01/09/2022")]
    case("libreoffice_ods_beside_csv",
         {"contrats_2022.ods": ods([("Contrats", data)]),
          "contrats_2023.csv": csv_bytes(HEADER, [row("OC1", rpps(3), signature="10/02/2023")])},
         "a .ods beside a .csv: both read (the .ods by calamine), typed date and number cells as the values they are",
         accounts={"contrats_2022.ods": account(2, 2), "contrats_2023.csv": account(1, 1)},
         kept={"OD1": {"date_signature": "2022-05-03", "departement": "29", "etp_option": "1/2"}, "OD2": {},
               "OC1": {}},
         extra={"file_format": "ods"})

    # 31. Files as they arrive by secure transfer: a .zip of extracts with a covering note and an older archive
    # inside, a .gz, a covering letter; the members are read as if in the folder, the rest is named.
    members = {
        "contrats_cpam35.csv": csv_bytes(HEADER, [row("Z35-1", rpps(1)), row("Z35-2", rpps(2))]),
        "contrats_cpam29.xlsx": workbook([("Contrats", [HEADER, row("Z29-1", rpps(3), dept="29")])]),
        "Bordereau d'envoi.pdf": b"%PDF-1.4\n% bordereau\n",
        "lot_precedent.zip": archive({"vieux.csv": csv_bytes(HEADER, [row("V1", rpps(4))])}),
        "__MACOSX/._contrats_cpam35.csv": b"\x00\x05\x16\x07",
    }
    case("archives_by_secure_transfer",
         {"envoi_2024-06-30.zip": archive(members),
          "releve_2024-05-31.csv.gz": gz(csv_bytes(HEADER, [row("G1", rpps(5))])),
          "courrier.docx": b"PK\x03\x04 not really a document"},
         "zip and gz members read as 'archive.zip:member' (extract date from the archive's name); a PDF, an archive "
         "inside the archive and a letter are named as not read, with the reason",
         accounts={"envoi_2024-06-30.zip:contrats_cpam35.csv": account(2, 2),
                   "envoi_2024-06-30.zip:contrats_cpam29.xlsx": account(1, 1),
                   "releve_2024-05-31.csv.gz:releve_2024-05-31.csv": account(1, 1)},
         kept={"Z35-1": {"source_file": "envoi_2024-06-30.zip:contrats_cpam35.csv"},
               "Z29-1": {"departement": "29", "source_sheet": "Contrats"},
               "G1": {"source_file": "releve_2024-05-31.csv.gz:releve_2024-05-31.csv"}},
         warnings=[{"file": "envoi_2024-06-30.zip:Bordereau d'envoi.pdf", "reason": "fichier_non_lu"},
                   {"file": "envoi_2024-06-30.zip:lot_precedent.zip", "reason": "fichier_non_lu"},
                   {"file": "courrier.docx", "reason": "fichier_non_lu"}],
         extra={"unread": {"envoi_2024-06-30.zip:Bordereau d'envoi.pdf": "« .pdf »",
                           "envoi_2024-06-30.zip:lot_precedent.zip": "archive dans l'archive",
                           "courrier.docx": "« .docx »"},
                "extract_dates": {"envoi_2024-06-30.zip:contrats_cpam35.csv": "2024-06-30",
                                  "releve_2024-05-31.csv.gz:releve_2024-05-31.csv": "2024-05-31"}})

    # 32. A damaged workbook and a password-protected one beside good extracts: named, the others still read.
    good = workbook([("Contrats", [HEADER, row("W1", rpps(1))])])
    case("damaged_workbook_among_good_files",
         {"contrats_2021.xlsx": good[: len(good) // 2], "contrats_2022.csv": csv_bytes(HEADER, [row("W2", rpps(2))]),
          "contrats_2023_protege.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)},
         "a truncated .xlsx and an encrypted one (an OLE container) do not stop the run: each is named with its "
         "reason and what to do",
         accounts={"contrats_2022.csv": account(1, 1)},
         kept={"W2": {}},
         warnings=[{"file": "contrats_2021.xlsx", "reason": "fichier_non_lu"},
                   {"file": "contrats_2023_protege.xlsx", "reason": "fichier_non_lu"}],
         extra={"unread": {"contrats_2021.xlsx": "endommagé", "contrats_2023_protege.xlsx": "mot de passe"}})

    # 33. Error cells as Excel keeps them (#N/A of a failed VLOOKUP, #REF!, #DIV/0!) and as a CSV export writes
    # them, French Excel's #VALEUR! included.
    data = [HEADER, row("X1", "#N/A"), row("X2", rpps(2), specialite="#REF!", zone="#N/A", prise="#VALUE!",
                                              aide="#DIV/0!"),
            row("X3", rpps(3), signature="#NAME?"), row("X4", rpps(4))]
    case("spreadsheet_error_cells",
         {"contrats_recherchev.xlsx": workbook([("Contrats", data)]),
          "contrats_export.csv": csv_bytes(HEADER, [row("X5", rpps(5), dept="#N/A"),
                                                    row("X6", rpps(6), profil="#VALEUR!", formation="#NOM?")])},
         "an error cell in a field that counts quarantines the row « cellule en erreur »; in a descriptive field the "
         "contract is kept without the value and warned; never read as a blank without a word",
         accounts={"contrats_recherchev.xlsx": account(4, 2, quarantined=2, warned=1),
                   "contrats_export.csv": account(2, 1, quarantined=1, warned=1)},
         kept={"X2": {"specialite": "inconnue", "zone": "inconnue", "date_prise_fonction": None,
                      "aide_versee_eur": None},
               "X4": {}, "X6": {"profil_origine": "inconnu", "formation": "inconnue"}},
         quarantine=[{"file": "contrats_recherchev.xlsx", "line": 2, "column": "RPPS", "reason": "cellule_en_erreur",
                      "message_words": ["cellule en erreur dans le classeur"]},
                     {"file": "contrats_recherchev.xlsx", "line": 4, "column": "Date de signature",
                      "value": "#NAME?", "reason": "cellule_en_erreur"},
                     {"file": "contrats_export.csv", "line": 2, "column": "Département", "value": "#N/A",
                      "reason": "cellule_en_erreur"}],
         warnings=[{"file": "contrats_recherchev.xlsx", "line": 3, "column": "Spécialité", "value": "#REF!",
                    "reason": "cellule_en_erreur"},
                   {"file": "contrats_recherchev.xlsx", "line": 3, "column": "Zone", "value": "#N/A",
                    "reason": "cellule_en_erreur"},
                   {"file": "contrats_recherchev.xlsx", "line": 3, "column": "Date de prise de fonction",
                    "value": "#VALUE!", "reason": "cellule_en_erreur"},
                   {"file": "contrats_recherchev.xlsx", "line": 3, "column": "Aide versée (€)", "value": "#DIV/0!",
                    "reason": "cellule_en_erreur"},
                   {"file": "contrats_export.csv", "line": 3, "column": "Profil d'origine", "value": "#VALEUR!",
                    "reason": "cellule_en_erreur"}])

    # 34. A header a previous tool (pandas) suffixed ".1" because it was written twice: refused, naming it.
    header = [*HEADER[:2], "RPPS.1", *HEADER[2:]]
    rows = [[*r[:2], r[1], *r[2:]] for r in (row("H1", rpps(1)), row("H2", rpps(2)))]
    case("header_suffixed_by_a_previous_tool", {"contrats_retraites.csv": csv_bytes(header, rows)},
         "'RPPS' and 'RPPS.1': which one is the doctor's? The file is refused naming the column, never one dropped",
         exit=3, words=("contrats_retraites.csv", "« RPPS »", "deux fois"))

    # 35. What is not a row: notes under the table, the header repeated (two extracts pasted one under the other,
    # a page break of a report export), subtotals per département and a grand total.
    lines = [HEADER, row("NR1", rpps(1)), row("NR2", rpps(2)), ["Sous-total Ille-et-Vilaine", *[""] * 10, "2"],
             HEADER, row("NR3", rpps(3), dept="29"), ["Sous-total Finistère", *[""] * 10, "1"],
             ["Total", *[""] * 10, "3"], [""] * 12,
             ["Source : Cnam, SNDS, extraction du 30/06/2024"], ["Champ : contrats signés, France entière"],
             ["Lecture : 3 contrats d'assistant médical ont été signés sur la période."],
             ["Note : les contrats résiliés avant leur prise d'effet sont exclus."]]
    sheet = [["Contrats d'assistant médical — extraction régionale"], [], *lines]
    case("lines_that_are_not_rows",
         {"contrats_notes.csv": b"\n".join(";".join(cells).encode("utf-8") for cells in lines) + b"\n",
          "contrats_rapport.xlsx": workbook([("Contrats", [[c or None for c in cells] for cells in sheet])])},
         "notes, a repeated header, subtotals and a total are counted apart as lines that are no data, never "
         "quarantined as contracts",
         accounts={"contrats_notes.csv": account(3, 0, merged=3), "contrats_rapport.xlsx": account(3, 3)},
         kept={"NR1": {}, "NR2": {}, "NR3": {"departement": "29"}},
         quarantine=[],
         extra={"non_data_lines": {"contrats_notes.csv": {"note": 4, "entete_repete": 1, "total": 3},
                                   "contrats_rapport.xlsx": {"note": 4, "entete_repete": 1, "total": 3}}})

    # 36. Two undated extracts that disagree on the FTE: nothing says which is later (alphabetical order used to
    # decide, and a 1/2 FTE silently became 1), so the contract is a conflict naming both files; a descriptive
    # difference alone (the aid) is still an update by the names' order.
    case("undated_files_disagree_on_a_counting_field",
         {"extraction-2022-2025.csv": csv_bytes(HEADER, [row("U1", rpps(1), etp="1/2"), row("U2", rpps(2), aide="0")]),
          "region_extract.xlsx": workbook([("Export", [HEADER, row("U1", rpps(1), etp="1"),
                                                       row("U2", rpps(2), aide="3000")])])},
         "undated files, no sequence of names: disagreeing on the FTE is a conflict, not an update",
         accounts={"extraction-2022-2025.csv": account(2, 0, updated=1, quarantined=1),
                   "region_extract.xlsx": account(2, 1, quarantined=1)},
         kept={"U2": {"aide_versee_eur": 3000.0}},
         quarantine=[{"file": "extraction-2022-2025.csv", "line": 2, "reason": "doublon_conflictuel",
                      "message_words": ["sans date", "extraction-2022-2025.csv ligne 2",
                                        "region_extract.xlsx (feuille « Export ») ligne 2", "etp_option"]},
                     {"file": "region_extract.xlsx", "line": 2, "reason": "doublon_conflictuel"}])

    # 37. Undated extracts whose names form a sequence (v1, v2, v10): ranked by their numbers, not alphabetically.
    versions = {1: ("", "1/2"), 2: ("", "1"), 10: ("30/06/2024", "1")}
    case("numbered_sequence_of_undated_extracts",
         {f"export_contrats_v{n}.csv": csv_bytes(HEADER, [row("S1", rpps(1), fin=fin, etp=etp)])
          for n, (fin, etp) in versions.items()},
         "export_contrats_v1, v2, v10: v10 is the latest (alphabetically it would sort between v1 and v2)",
         accounts={"export_contrats_v1.csv": account(1, 0, updated=1),
                   "export_contrats_v2.csv": account(1, 0, updated=1), "export_contrats_v10.csv": account(1, 1)},
         kept={"S1": {"date_fin": "2024-06-30", "etp_option": "1", "source_file": "export_contrats_v10.csv"}},
         changes=[{"contract_key": "S1", "column": "etp_option", "old_value": "1/2", "new_value": "1",
                   "old_file": "export_contrats_v1.csv", "new_file": "export_contrats_v2.csv"},
                  {"contract_key": "S1", "column": "date_fin", "old_value": None, "new_value": "2024-06-30",
                   "old_file": "export_contrats_v2.csv", "new_file": "export_contrats_v10.csv"}])

    # 38. Doctors' identifiers as information systems write them: the national identifier "8" + RPPS is the RPPS;
    # an ADELI or Assurance Maladie number is refused naming what it is and what to send; none printed in clear.
    rows = [row("ID1", "8" + rpps(1)), row("ID2", rpps(1), signature="01/06/2022"), row("ID3", "351234567"),
            row("ID4", "0351234567"), row("ID5", "35123456"), row("ID6", "8 " + rpps(6))]
    case("identifiers_as_systems_write_them", {"contrats_idnps.csv": csv_bytes(HEADER, rows)},
         "'8' + RPPS read as the RPPS; ADELI (9 digits), '0' + ADELI and an 8-digit practitioner number refused with "
         "what to send instead; the refused numbers never reach an output in clear",
         accounts={"contrats_idnps.csv": account(6, 3, quarantined=3)},
         kept={"ID1": {}, "ID2": {}, "ID6": {}},
         quarantine=[{"line": 4, "column": "RPPS", "reason": "identifiant_adeli_ou_am",
                      "message_words": ["ADELI", "Assurance Maladie", "RPPS", "11 chiffres"]},
                     {"line": 5, "column": "RPPS", "reason": "identifiant_adeli_national"},
                     {"line": 6, "column": "RPPS", "reason": "identifiant_am_sans_cle"}],
         extra={"planted": ["351234567", "35123456", "8" + rpps(1), rpps(1)]})

    # 39. A survey as survey tools export it: the labelled scale in full, « NSP » and « Non concerné », weights with
    # a decimal comma, an open comment. No respondent is dropped for one answer.
    header = ["Identifiant répondant", "Type de répondant", "Région", "Poids", "Satisfaction globale",
              "Temps médical gagné", "Recommanderait le dispositif", "Souhaite poursuivre", "Commentaire libre"]
    answers = [
        ["Q1", "Médecin", "Bretagne", "1,25", "Tout à fait satisfait", "1 à 2 h par jour", "Oui", "Oui",
         "Très content, mon assistante Mme Durand est parfaite"],
        ["Q2", "Assistant médical", "Bretagne", "0,8", "Plutôt satisfait(e)", "NSP", "Oui", "Ne sait pas", ""],
        ["Q3", "Médecin", "Normandie", "1", "NSP", "Non concerné", "Non", "Non", ""],
        ["Q4", "Médecin", "Normandie", "1,1", "Ni satisfait ni insatisfait", "Aucun", "Oui", "Oui", ""],
        ["Q5", "Assistant médical", "Bretagne", "0,9", "Pas du tout satisfaite", "Plus de 2 h par jour", "Non",
         "Non", ""],
    ]
    case("survey_tool_export", {"enquete_export_outil.csv": csv_bytes(header, answers)},
         "« Tout à fait satisfait » is the top of the scale; « NSP » and « Non concerné » are no answer, an answer "
         "off the scale is missing and warned: every respondent kept (none biased out of the satisfaction share); "
         "the free comment is dropped as personal data",
         accounts={"enquete_export_outil.csv": account(5, 5, warned=3)},
         quarantine=[],
         warnings=[{"line": 3, "column": "Temps médical gagné", "value": "NSP", "reason": "reponse_sans_avis"},
                   {"line": 4, "column": "Satisfaction globale", "value": "NSP", "reason": "reponse_sans_avis"},
                   {"line": 4, "column": "Temps médical gagné", "value": "Non concerné",
                    "reason": "reponse_sans_avis"},
                   {"line": 5, "column": "Satisfaction globale", "value": "Ni satisfait ni insatisfait",
                    "reason": "reponse_hors_echelle"}],
         extra={"planted": ["Durand", "Très content"], "survey": {"Q1": 1, "Q2": 2, "Q5": 4},
                "dropped": {"Commentaire libre": True}})

    # 40. Amounts with the euro sign in latin-9 (ISO-8859-15, a Unix or SAS export): read as cp1252 the sign
    # would be « ¤ » and every amount lost; the detection checks what the text must hold and says what it chose.
    rows = [row("L9-1", rpps(1), aide="1 500 €", profil="Secrétaire médicale"),
            row("L9-2", rpps(2), aide="12 000,00 €", specialite="Pédiatrie")]
    case("euro_sign_in_latin9", {"contrats_sas.csv": csv_bytes(HEADER, rows, encoding="iso8859_15")},
         "the euro sign at 0xA4 (latin-9): amounts read, accents right, the encoding recorded in the manifest",
         accounts={"contrats_sas.csv": account(2, 2)},
         kept={"L9-1": {"aide_versee_eur": 1500.0, "profil_origine": "secretaire_medicale"},
               "L9-2": {"aide_versee_eur": 12000.0, "specialite": "pediatrie"}},
         warnings=[],
         extra={"encoding": "iso8859_15"})

    # 41. A survey exported as numeric codes with a codebook sheet, the tool numbering the satisfaction scale from
    # the bottom (1 = « Pas du tout satisfait »): the codes are read through the codebook, never as the scale's rank.
    answers = [["Identifiant répondant", "Type de répondant", "Région", "Poids", "Satisfaction globale",
                "Temps médical gagné", "Souhaite poursuivre"],
               ["CB1", 1, "Bretagne", 1.2, 4, 3, 1], ["CB2", 2, "Bretagne", "0,8", 1, 1, 3],
               ["CB3", 1, "Normandie", 1, 3, 9, 2]]
    codebook = [["Variable", "Code", "Libellé"], ["Type de répondant", 1, "Médecin"], [None, 2, "Assistant médical"],
                ["Satisfaction globale", 1, "Pas du tout satisfait"], [None, 2, "Plutôt pas satisfait"],
                [None, 3, "Plutôt satisfait"], [None, 4, "Tout à fait satisfait"],
                ["Temps médical gagné", 1, "Aucun"], [None, 2, "Moins d'1 h par jour"], [None, 3, "1 à 2 h par jour"],
                [None, 4, "Plus de 2 h par jour"], ["Souhaite poursuivre", 1, "Oui"], [None, 2, "Non"],
                [None, 3, "Ne sait pas"]]
    case("survey_codes_with_a_codebook",
         {"enquete_codes.xlsx": workbook([("Réponses", answers), ("Codebook", codebook)])},
         "numeric answers read through the workbook's codebook (a scale numbered from the bottom is not reversed); a "
         "code the codebook lacks is warned, the respondent kept",
         accounts={"enquete_codes.xlsx": account(3, 3, warned=1)},
         quarantine=[],
         warnings=[{"line": 4, "column": "Temps médical gagné", "value": "9", "reason": "reponse_hors_echelle"}],
         extra={"survey": {"CB1": 1, "CB2": 4, "CB3": 2},
                "sheets_skipped": {"Codebook": "dictionnaire"}})


    # 42. A contract written as several rows, one per act (the initial contract, then its avenants), as extracts
    # of contract management write a history: one contract with its history, the option in force at each date.
    act_header = [*HEADER, "Type d'acte", "N° d'avenant", "Date d'effet"]
    rows = [
        [*row("HA", rpps(1), etp="1/2"), "Contrat initial", "", "15/03/2021"],
        [*row("HA", rpps(1), etp="1"), "Avenant n°1", "", "01/09/2022"],
        [*row("HB", rpps(2), signature="10/05/2021", etp="1/3"), "CONTRAT INITIAL", "", ""],
        [*row("HB", rpps(2), signature="10/05/2021", etp="1/2"), "avenant", "2", "01/01/2021"],
        [*row("HC", rpps(3), etp="1/2"), "", "", ""],
        [*row("HC", rpps(3), etp="1"), "", "", ""],
        [*row("HD", rpps(4), etp="1/2"), "Initial", "", ""],
        [*row("HD", rpps(4), etp="1"), "Avenant", "1", "31/02/2023"],
        [*row("HE", rpps(5), etp="1/2"), "Contrat initial", "", ""],
        [*row("HE", rpps(5), etp="1"), "Avenant", "1", "01/06/2022"],
        [*row("HE", rpps(5), etp="1/3"), "Avenant", "1", "01/06/2022"],
        [*row("HF", rpps(6), etp="1/2"), "Contrat initial", "", ""],
        [*row("HF", rpps(6), etp="1"), "Avenant n°1", "", ""],
    ]
    case("contract_history_one_row_per_act", {"historique_contrats.csv": csv_bytes(act_header, rows)},
         "one row per act: a contract is one contract with its history (option in force from each date of effect); "
         "rows without act that disagree stay a conflict; an avenant before the contract, two different avenants "
         "n°1, an unreadable or missing date of effect are quarantined with their reason",
         accounts={"historique_contrats.csv": account(13, 5, updated=1, quarantined=7)},
         kept={"HA": {"etp_option": "1", "date_signature": "2021-03-15", "numero_avenant": 1,
                      "date_effet": "2022-09-01"},
               "HB": {"etp_option": "1/3"}, "HD": {"etp_option": "1/2"}, "HE": {"etp_option": "1/2"},
               "HF": {"etp_option": "1/2"}},
         quarantine=[{"line": 5, "column": "Date d'effet", "value": "01/01/2021", "reason": "avenant_avant_contrat",
                      "message_words": ["HB", "avenant n°2", "10/05/2021"]},
                     {"line": 6, "column": "N° contrat", "reason": "doublon_conflictuel",
                      "message_words": ["ligne 6", "ligne 7", "etp_option"]},
                     {"line": 7, "column": "N° contrat", "reason": "doublon_conflictuel"},
                     {"line": 9, "column": "Date d'effet", "value": "31/02/2023", "reason": "date_effet_illisible"},
                     {"line": 11, "column": "N° contrat", "reason": "avenant_conflictuel",
                      "message_words": ["avenant n°1", "ligne 11", "ligne 12"]},
                     {"line": 12, "column": "N° contrat", "reason": "avenant_conflictuel"},
                     {"line": 14, "column": "Date d'effet", "reason": "date_effet_manquante"}],
         changes=[{"contract_key": "HA", "column": "etp_option", "old_value": "1/2", "new_value": "1",
                   "act": "avenant n°1", "effective_date": "2022-09-01"}],
         extra={"change_count": 1, "acts": {"HA": [["2021-03-15", 0.5], ["2022-09-01", 1.0]]}})

    # 43. A history re-sent: the later extract repeats the acts and adds an avenant (the second assistant's option).
    first = [[*row("HR", rpps(1), etp="1/2"), "Contrat initial", "", ""],
             [*row("HR", rpps(1), etp="1"), "Avenant", "1", "01/09/2022"]]
    later = [*first, [*row("HR", rpps(1), etp="1 + 1/2"), "Avenant", "2", "01/09/2024"]]
    case("contract_history_resent",
         {"historique_2023-12-31.csv": csv_bytes(act_header, first),
          "historique_2024-12-31.csv": csv_bytes(act_header, later)},
         "a later extract repeating a history with one more avenant: the repeated acts merged, the contract kept with "
         "its three acts and the option of the latest",
         accounts={"historique_2023-12-31.csv": account(2, 0, merged=2),
                   "historique_2024-12-31.csv": account(3, 1, updated=2)},
         kept={"HR": {"etp_option": "1+1/2", "numero_avenant": 2, "date_signature": "2021-03-15"}},
         quarantine=[],
         changes=[{"contract_key": "HR", "column": "etp_option", "old_value": "1", "new_value": "1+1/2",
                   "act": "avenant n°2", "effective_date": "2024-09-01"}],
         extra={"change_count": 2,
                "acts": {"HR": [["2021-03-15", 0.5], ["2022-09-01", 1.0], ["2024-09-01", 1.5]]}})

    # 44. Error cells in the workbooks calamine reads besides .xlsx, which it reads as blanks (or as the 0 that
    # LibreOffice stores beside #DIV/0!): found in the file itself, handled as in an .xlsx.
    # (`sources/contrats_recherchev.xls` was written once with xlwt 1.3, its error cells as BOOLERR records:
    # `sheet.row(r).set_cell_error(c, 0x2A)` for #N/A, 0x17 #REF!, 0x07 #DIV/0!, 0x0F #VALUE!; XE1 has #N/A as its
    # RPPS, XE2 #REF! as specialty and #VALUE! as take-up date, XE3 #DIV/0! as FTE.)
    data = [HEADER, row("OE1", CellError("#N/A")), row("OE2", rpps(2), specialite=CellError("Err:502", None)),
            row("OE3", rpps(3), etp=CellError("#DIV/0!", "0")), row("OE4", rpps(4), zone=CellError("#N/A"))]
    case("error_cells_in_xls_and_ods",
         {"contrats_recherchev.xls": (HERE / "sources" / "contrats_recherchev.xls").read_bytes(),
          "contrats_calc.ods": ods([("Contrats", data)])},
         "an error cell of an .xls or .ods is not read as a blank (or as 0): a field that counts quarantines the row "
         "« cellule en erreur », a descriptive one is warned, as in an .xlsx",
         accounts={"contrats_recherchev.xls": account(4, 2, quarantined=2, warned=1),
                   "contrats_calc.ods": account(4, 2, quarantined=2, warned=2)},
         kept={"XE2": {"specialite": "inconnue", "date_prise_fonction": None}, "XE4": {},
               "OE2": {"specialite": "inconnue"}, "OE4": {"zone": "inconnue"}},
         quarantine=[{"file": "contrats_recherchev.xls", "line": 2, "column": "RPPS", "reason": "cellule_en_erreur"},
                     {"file": "contrats_recherchev.xls", "line": 4, "column": "Quotité", "value": "#DIV/0!",
                      "reason": "cellule_en_erreur"},
                     {"file": "contrats_calc.ods", "line": 2, "column": "RPPS", "reason": "cellule_en_erreur"},
                     {"file": "contrats_calc.ods", "line": 4, "column": "Quotité", "value": "#DIV/0!",
                      "reason": "cellule_en_erreur"}],
         warnings=[{"file": "contrats_recherchev.xls", "line": 3, "column": "Spécialité", "value": "#REF!",
                    "reason": "cellule_en_erreur"},
                   {"file": "contrats_recherchev.xls", "line": 3, "column": "Date de prise de fonction",
                    "value": "#VALUE!", "reason": "cellule_en_erreur"},
                   {"file": "contrats_calc.ods", "line": 3, "column": "Spécialité", "value": "Err:502",
                    "reason": "cellule_en_erreur"},
                   {"file": "contrats_calc.ods", "line": 5, "column": "Zone", "value": "#N/A",
                    "reason": "cellule_en_erreur"}])

    # 45. Doctors' activity as CPAM follow-up tables of the commitment write it: a workbook with a title, the year and
    # half-year in two columns, the doctor's name beside the RPPS; a yearly CSV re-sent with a copy and a conflict.
    # The doctor is pseudonymised like the contracts' RPPS (the activity joins them), the name never read.
    follow_up = [
        ["Suivi semestriel des engagements — médecins signataires (CPAM)"],
        [],
        ["Identifiant médecin", "Nom du médecin", "Année", "Semestre", "Patientèle médecin traitant", "File active",
         "Nombre d'actes", "Jours travaillés", "Objectif patientèle MT"],
        [rpps(201), "MARTIN", 2022, "S1", 1318, 2900, 2700, 104, 1430],
        [rpps(201), "MARTIN", 2022, "S2", 1360, 2950, 2800, 103.5, 1430],
        [rpps(202), "BERNARD", 2022, "1er semestre", "1 005", 2100, 2600, 100, "NC"],
        [rpps(203), "PETIT", 2022, "S1", -12, 2100, 2600, 100, 700],
        ["1,00012E+10", "DURAND", 2022, "S1", 800, 2100, 2600, 100, 900],
    ]
    yearly = [
        [rpps(201), "2021", "1290", "2850", "5300", "208"],
        [rpps(204), "2021", "900", "1900", "4100", "200"],
        [rpps(204), "2021", "900", "1900", "4100", "200"],
        [rpps(205), "2021", "700", "1500", "3000", "190"],
        [rpps(205), "2021", "710", "1500", "3000", "190"],
        [rpps(206), "2022-S3", "700", "1500", "3000", "190"],
    ]
    case("doctor_activity_follow_up",
         {"contrats.csv": csv_bytes(HEADER, [row("A1", rpps(201), signature="15/03/2022"),
                                             row("A2", rpps(202), signature="01/10/2022")]),
          "suivi_engagements_2022.xlsx": workbook([("Suivi 2022", follow_up)]),
          "activite_annuelle.csv": csv_bytes(["RPPS", "Période", "Nb patients MT adultes", "File active",
                                              "Nombre d'actes", "Jours travaillés"], yearly, encoding="cp1252")},
         "doctors' activity by half-year and year: read, pseudonymised like the contracts, bad values quarantined",
         accounts={"contrats.csv": account(2, 2),
                   "suivi_engagements_2022.xlsx": account(5, 3, quarantined=2, warned=1),
                   "activite_annuelle.csv": account(6, 2, merged=1, quarantined=3)},
         quarantine=[{"file": "suivi_engagements_2022.xlsx", "line": 7, "column": "Patientèle médecin traitant",
                      "value": "-12", "reason": "nombre_negatif"},
                     {"file": "suivi_engagements_2022.xlsx", "line": 8, "column": "Identifiant médecin",
                      "reason": "identifiant_scientifique"},
                     {"file": "activite_annuelle.csv", "line": 5, "column": "Période", "value": "2021",
                      "reason": "doublon_conflictuel", "message_words": ["médecin et période"]},
                     {"file": "activite_annuelle.csv", "line": 6, "column": "Période", "value": "2021",
                      "reason": "doublon_conflictuel"},
                     {"file": "activite_annuelle.csv", "line": 7, "column": "Période", "value": "2022-S3",
                      "reason": "periode_invalide"}],
         warnings=[{"file": "suivi_engagements_2022.xlsx", "line": 6, "column": "Objectif patientèle MT",
                    "value": "NC", "reason": "engagement_illisible"}],
         extra={"planted": ["MARTIN", "BERNARD", "PETIT", "DURAND", rpps(201), rpps(202), rpps(203), rpps(204),
                            rpps(205), rpps(206)],
                "activity": {rpps(201): {"2021": {"patients_mt": 1290, "actes": 5300},
                                         "2022-S1": {"patients_mt": 1318, "objectif_patients": 1430,
                                                     "jours_travailles": 104.0},
                                         "2022-S2": {"jours_travailles": 103.5}},
                             rpps(202): {"2022-S1": {"patients_mt": 1005, "objectif_patients": None}},
                             rpps(204): {"2021": {"file_active": 1900}}},
                "signatories": {rpps(201): "A1", rpps(202): "A2", rpps(204): None}})


def main() -> None:
    if CASES_DIR.exists():
        shutil.rmtree(CASES_DIR)
    CASES_DIR.mkdir()
    build()
    (HERE / "cases.json").write_text(json.dumps(CASES, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
