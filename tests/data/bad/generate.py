"""Writes the bad-input corpus of this folder and its `cases.json` (run it to regenerate; the files are committed).

Each case is one small file as real extracts go wrong, with the command it is run with, the exit code
expected and the words the message must hold; row-level problems also name the quarantine row expected.
Run: `python tests/data/bad/generate.py`.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CONTRACT_HEADER = (
    "N° contrat;RPPS;Date de signature;Date de fin;Département;Spécialité;Zone;Quotité;"
    "Profil d'origine;Formation;Date de prise de fonction;Aide versée (€)"
)
GOOD_ROWS = [
    "AM-0001;99100000001;15/03/2021;;35;Médecine générale;ZIP;1/2;IDE;CQP obtenu;01/04/2021;12 000,00",
    "AM-0002;99100000002;02/06/2022;;2A;Cardiologue;ZAC;temps plein;Secrétaire;CQP en cours;01/07/2022;30 000,00",
    "AM-0003;99100000003;10/01/2023;;971;MG;Hors zone;0,33;Reconversion;Aucune;01/02/2023;",
]
TERRITORY_HEADER = (
    "Année;Code région;Région;Code département;Département;Nombre de contrats;"
    "Part des médecins généralistes éligibles ayant recours (%)"
)
TERRITORY_ROWS = [
    "2022;;FRANCE;999;Tout département;3500;6,1",
    "2022;53;Bretagne;999;Tout département;180;5,2",
    "2022;53;Bretagne;35;Ille-et-Vilaine;60;5,0",
]
SURVEY_HEADER = (
    "Identifiant répondant;Type de répondant;Région;Profil d'origine;Spécialité;Poids;Satisfaction globale;"
    "Temps médical gagné;Mission : accueil;Recommanderait le dispositif;Souhaite poursuivre"
)
SURVEY_ROWS = [
    "R0001;Médecin;Bretagne;;Médecine générale;1,0;Très satisfait;1 à 2 h par jour;Oui;Oui;Oui",
    "R0002;Assistant médical;Normandie;IDE;;0,9;Plutôt satisfait;Aucun;Oui;Non;Ne sait pas",
]


def csv_text(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def contracts(*bad_rows: str) -> bytes:
    """Good rows (lines 2-4), then the bad rows from line 5 on."""
    return csv_text(CONTRACT_HEADER, [*GOOD_ROWS, *bad_rows])


def contract_row(**changes: str) -> str:
    fields = dict(
        contrat="AM-0099", rpps="99100000099", signature="05/05/2022", fin="", departement="29",
        specialite="Médecine générale", zone="ZIP", etp="1/2", profil="IDE", formation="CQP obtenu",
        prise="01/06/2022", aide="1 000,00",
    )
    fields.update(changes)
    return ";".join(fields.values())


def workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def contract_workbook() -> bytes:
    return workbook([CONTRACT_HEADER.split(";"), *[row.split(";") for row in GOOD_ROWS]])


def cfb_container() -> bytes:
    """The head of an OLE2/CFB compound file, as a password-protected .xlsx (EncryptedPackage) is stored."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1A] = (0x3E).to_bytes(2, "little")  # minor version
    header[0x1A:0x1C] = (0x03).to_bytes(2, "little")  # major version 3
    header[0x1C:0x1E] = b"\xfe\xff"  # little-endian byte order mark
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    name = "EncryptedPackage".encode("utf-16-le")
    return bytes(header) + name + bytes(512 - len(name))


def zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("docProps/app.xml", "<Properties/>")
    return buffer.getvalue()


def garbage(size: int = 2048) -> bytes:
    import random

    generator = random.Random(9)
    return bytes(generator.randrange(256) for _ in range(size))


FATAL = "prepare"
# name → (bytes, case description). Cases: command, args, exit, words, quarantine (for exit 0), why.
CASES: list[dict] = []


def case(file: str, content: bytes | None, *, command: str = "prepare", args=(), exit: int, words, why: str,
         quarantine: dict | None = None, warning: dict | None = None) -> None:
    if content is not None:
        (HERE / file).write_bytes(content)
    entry = {"file": file, "command": command, "args": list(args), "exit": exit, "words": list(words), "why": why}
    if quarantine:
        entry["quarantine"] = quarantine
    if warning:
        entry["warning"] = warning
    CASES.append(entry)


def build() -> None:
    # --- files that cannot be read at all: exit 3, nothing written -----------------------------------
    case("empty.csv", b"", exit=3, words=["empty.csv", "vide"], why="zero bytes")
    case("blank_lines.csv", b"\n  \r\n\t\n", exit=3, words=["blank_lines.csv", "vide"], why="only blank lines")
    case("binary_garbage.csv", garbage(), exit=3, words=["binary_garbage.csv", "binaire"], why="random bytes")
    case("png_renamed.csv", b"\x89PNG\r\n\x1a\n" + garbage(512), exit=3, words=["png_renamed.csv", "binaire"],
         why="an image saved as .csv")
    case("not_a_workbook.xlsx", contracts(), exit=3, words=["not_a_workbook.xlsx", "n'en est pas un"],
         why="a CSV text renamed .xlsx")
    case("truncated.xlsx", contract_workbook()[:1500], exit=3, words=["truncated.xlsx", "endommagé"],
         why="a workbook cut short (interrupted download)")
    case("encrypted.xlsx", cfb_container(), exit=3, words=["encrypted.xlsx", "mot de passe"],
         why="a password-protected workbook is an OLE2/CFB container")
    case("zip_without_sheets.xlsx", zip_without_workbook(), exit=3, words=["zip_without_sheets.xlsx", "endommagé"],
         why="a zip that is no workbook")
    case("title_only.csv", "Extraction des contrats assistants médicaux au 31/12/2024\n".encode(), exit=3,
         words=["title_only.csv", "une ligne"], why="a title row and nothing else")
    case("unrelated_columns.csv", b"nom;prenom;ville\nDupont;Jean;Rennes\n", exit=3,
         words=["unrelated_columns.csv", "aucun fichier reconnu"], why="a file of another dataset")
    case("no_header.csv", b"1;2;3\n4;5;6\n7;8;9\n", exit=3, words=["no_header.csv", "en-têtes"],
         why="numbers only, no header row")
    case("missing_required_column.csv", csv_text(CONTRACT_HEADER.replace("RPPS;", ""), [
        r.split(";", 2)[0] + ";" + r.split(";", 2)[2] for r in GOOD_ROWS]), exit=3,
         words=["missing_required_column.csv", "medecin_id", "absente"], why="no RPPS column")
    case("duplicated_column.csv", csv_text(CONTRACT_HEADER + ";Dépt", [r + ";36" for r in GOOD_ROWS]), exit=3,
         words=["duplicated_column.csv", "Dépt", "departement"], why="two headers for the département")
    case("repeated_header.csv", csv_text(CONTRACT_HEADER + ";Département", [r + ";36" for r in GOOD_ROWS]),
         exit=3, words=["repeated_header.csv", "Département", "deux fois"],
         why="the same header twice: the second must not be dropped silently")
    case("unbalanced_quote.csv", contracts('AM-0099;"99100000099;05/05/2022;;29;MG;ZIP;1/2;IDE;;;'), exit=3,
         words=["unbalanced_quote.csv", "ligne 5", "guillemet"], why="an opening quote never closed")
    case("cp1252_with_utf8_bom.csv", b"\xef\xbb\xbf" + contracts().decode().encode("cp1252"), exit=0,
         words=[], why="a UTF-8 BOM over cp1252 text (wrong encoding declared): read as cp1252")
    case("utf16_without_bom.csv", contracts().decode().encode("utf-16-le"), exit=0, words=[],
         why="UTF-16 saved without its BOM: recognised by its NUL bytes and read")
    case("undetectable_encoding.csv", contracts().replace("é".encode(), b"\x81\x8d").replace(b"AM-", b"\x8f\x90"),
         exit=3, words=["undetectable_encoding.csv", "encodage"], why="bytes valid in no encoding the package knows")
    # --- folder-level problems -------------------------------------------------------------------------
    case("notes.pdf", b"%PDF-1.4\n%%EOF\n", exit=3, words=["aucun fichier de données reconnu"],
         why="a folder with no CSV/XLSX file")
    # --- rows the package quarantines (exit 0) or refuses in --strict (exit 3) ----------------------------
    def row_case(file: str, content: bytes, line: int, column: str, reason: str, why: str, value=None) -> None:
        expected = {"line": line, "column": column, "reason": reason}
        if value is not None:
            expected["value"] = value
        case(file, content, exit=0, words=[], why=why, quarantine=expected)

    row_case("unknown_departement.csv", contracts(contract_row(departement="ZZ")), 5, "Département",
             "departement_inconnu", "département ZZ", "ZZ")
    row_case("ambiguous_20.csv", contracts(contract_row(departement="20")), 5, "Département",
             "departement_ambigu", "20 is Corse-du-Sud or Haute-Corse", "20")
    row_case("future_signature.csv", contracts(contract_row(signature="01/01/2099", prise="")), 5,
             "Date de signature", "signature_hors_periode", "signed in 2099")
    row_case("end_before_start.csv", contracts(contract_row(fin="01/01/2022")), 5, "Date de fin",
             "date_fin_avant_signature", "ends before it starts")
    row_case("fte_out_of_range.csv", contracts(contract_row(etp="3")), 5, "Quotité", "etp_invalide", "3 FTE", "3")
    row_case("fte_negative.csv", contracts(contract_row(etp="-0,5")), 5, "Quotité", "etp_invalide", "negative FTE")
    row_case("impossible_date.csv", contracts(contract_row(signature="31/02/2022")), 5, "Date de signature",
             "date_invalide", "31 February", "31/02/2022")
    row_case("short_rpps.csv", contracts(contract_row(rpps="9910000009")), 5, "RPPS", "rpps_invalide",
             "10-digit RPPS (its value is kept pseudonymised, like every RPPS)")
    row_case("conflicting_duplicate.csv", contracts(contract_row(contrat="AM-0001")), 2, "N° contrat",
             "doublon_conflictuel", "one contract number, two versions")
    def warning_case(file: str, content: bytes, line: int, column: str, reason: str, why: str, value=None) -> None:
        """A descriptive value that cannot be read: the row is kept and the value listed in the warnings."""
        expected = {"line": line, "column": column, "reason": reason}
        if value is not None:
            expected["value"] = value
        case(file, content, exit=0, words=[], why=why, warning=expected)

    warning_case("survey_out_of_scale.csv", csv_text(SURVEY_HEADER, [*SURVEY_ROWS,
                 "R0003;Médecin;Bretagne;;Médecine générale;1,1;Moyennement satisfait;Aucun;Oui;Oui;Oui"]),
                 4, "Satisfaction globale", "reponse_hors_echelle",
                 "an answer not on the scale: the answer is missing, the respondent kept")
    warning_case("huge_amount.csv",
                 contracts(contract_row(aide="1e308"), contract_row(contrat="AM-0100", aide="9" * 400)),
                 6, "Aide versée (€)", "montant_invalide", "1e308, and 400 digits (which float() makes infinite)")
    warning_case("formula_cells.csv", contracts(
        contract_row(specialite='=HYPERLINK("http://x","clic")'),
        contract_row(contrat="AM-0100", zone="+cmd|' /C calc'!A0"),
        contract_row(contrat="AM-0101", formation="@SUM(1)"),
    ), 5, "Spécialité", "specialite_inconnue", "spreadsheet formulas typed in cells", '=HYPERLINK("http://x","clic")')
    row_case("bom_in_the_middle.csv", contracts().replace(
        b"AM-0003", b"\xef\xbb\xbfAM-0003").replace(b";971;", ";\ufeff971x;".encode()), 4, "Département",
             "departement_inconnu", "two exports pasted together: a BOM inside a row")
    row_case("more_cells_than_header.csv", contracts(contract_row() + ";en trop;encore"), 5, "colonne_13",
             "cellules_en_trop", "a row longer than the header: its values may be shifted", "en trop")
    row_case("mixed_separators.csv", contracts(contract_row().replace(";", ",")), 5, "RPPS",
             "valeur_manquante", "one row written with commas in a semicolon file: one cell, required values absent")
    row_case("negative_count.csv",
             csv_text(TERRITORY_HEADER, [*TERRITORY_ROWS, "2022;53;Bretagne;29;Finistère;-4;3,0"]),
             5, "Nombre de contrats", "nombre_negatif", "a negative count of contracts")
    row_case("huge_count.csv", csv_text(TERRITORY_HEADER, [*TERRITORY_ROWS, "2022;53;Bretagne;29;Finistère;"
                                                           "1000000000000000000000000000000;3,0"]),
             5, "Nombre de contrats", "nombre_invalide", "10^30 contracts")
    row_case("percentage_over_100.csv",
             csv_text(TERRITORY_HEADER, [*TERRITORY_ROWS, "2022;53;Bretagne;29;Finistère;40;130"]),
             5, "Part des médecins généralistes éligibles ayant recours (%)", "pourcentage_invalide", "130 %")
    row_case("survey_zero_weight.csv", csv_text(SURVEY_HEADER, [*SURVEY_ROWS,
             "R0003;Médecin;Bretagne;;Médecine générale;0;Très satisfait;Aucun;Oui;Oui;Oui",
             "R0004;Médecin;Bretagne;;Médecine générale;-1,5;Très satisfait;Aucun;Oui;Oui;Oui"]),
             4, "Poids", "poids_invalide", "weights zero and negative")
    # --- accepted as they are (exit 0, nothing quarantined) ---------------------------------------------
    case("header_only.csv", csv_text(CONTRACT_HEADER, []), exit=0, words=[],
         why="a header and no row: an empty extract is read as 0 rows (the report then refuses it)")
    case("empty_column_name.csv", csv_text(CONTRACT_HEADER.replace("Zone", ""), GOOD_ROWS), exit=0, words=[],
         why="a header cell left empty: its column is kept as « colonne_7 » and not used")
    case("formula_results.xlsx", workbook([CONTRACT_HEADER.split(";"), *[r.split(";") for r in GOOD_ROWS],
                                           ["AM-0004", "99100000004", "=DATE(2022,1,1)", None, "35", "MG", "ZIP",
                                            "1/2", "IDE", "Aucune", None, "=1/0"]]), exit=0, words=[],
         why="formulas without cached values read as empty cells: row quarantined for its missing date",
         quarantine={"line": 5, "column": "Date de signature", "reason": "valeur_manquante"})
    # --- strict mode and the report: the same rows, other commands -----------------------------------------
    case("unknown_departement.csv", None, args=["--strict"], exit=3,
         words=["unknown_departement.csv", "ligne 5", "Département", "ZZ", "strict"],
         why="--strict refuses any quarantined row, naming file, line, column and value")
    case("end_before_start.csv", None, args=["--strict"], exit=3,
         words=["end_before_start.csv", "ligne 5", "Date de fin"], why="--strict, a rule on two columns")
    case("encrypted.xlsx", None, command="report", exit=3, words=["encrypted.xlsx", "mot de passe"],
         why="the report prepares its data first and stops on the same error")
    case("header_only.csv", None, command="report", exit=3, words=["aucun contrat exploitable"],
         why="the report needs contracts")
    case("survey_zero_weight.csv", None, command="report", exit=3, words=["aucun contrat exploitable"],
         why="a folder without any contract")
    case("empty.csv", None, command="report", args=["--region", "Atlantide"], exit=2, words=["--region"],
         why="a usage error is reported before the data is read")
    (HERE / "cases.json").write_text(json.dumps(CASES, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build()
