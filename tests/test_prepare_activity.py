"""Doctors' activity by year or half-year is read into one typed row per doctor and period: the doctor pseudonymised
like the contracts' RPPS (so the two join), every bad count, period or identifier quarantined where it sits, the
contract's initial list and objective only warned."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from am_analytics import privacy
from am_analytics.indicators.commitments import activity_with_contracts, first_contracts
from am_analytics.ingest import values as v
from am_analytics.ingest.headers import detect_dataset, match_columns
from am_analytics.loading import load
from am_analytics.prepare.pipeline import prepare

KEY = b"activity-test-key"
CUTOFF = date(2025, 6, 30)
HEADER = (
    "RPPS;Période;Nb patients MT adultes;File active;Nombre d'actes;Jours travaillés;Patientèle initiale;Objectif en %"
)
DOCTOR, OTHER = "99100000001", "99100000002"


def run(tmp_path: Path, rows: list[str], header: str = HEADER, name: str = "suivi_activite.csv", extra=None):
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    (raw / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    for file, content in (extra or {}).items():
        (raw / file).write_text(content, encoding="utf-8")
    return prepare(raw, tmp_path / "out", key=KEY, cutoff=CUTOFF)


def pseudonym(rpps: str) -> str:
    return privacy.pseudonymise(pd.Series([rpps]), KEY).iloc[0]


def found(result) -> set[tuple[int, str, str]]:
    q = result.quarantine
    return set(zip(q["line"], q["column"], q["reason"], strict=True))


def test_a_good_file_gives_one_typed_row_per_doctor_and_period(tmp_path):
    result = run(tmp_path, [
        f"{DOCTOR};2021;1 318;2 900;5 400;210;1318;8,5",
        f"{DOCTOR};2022-S1;1350;2000;2800;105,5;1318;8,5",
        f"{OTHER};S2 2022;900;1500;2100;100;;",
    ])
    activity = result.tables["activity"]
    assert result.quarantine.empty and result.warnings.empty
    assert sorted(activity["periode"]) == ["2021", "2022-S1", "2022-S2"]
    row = activity.set_index(["medecin_id", "periode"]).loc[(pseudonym(DOCTOR), "2021")]
    assert (row["patients_mt"], row["file_active"], row["actes"]) == (1318, 2900, 5400)
    assert row["type_periode"] == "annee" and pd.isna(row["semestre"])
    assert row["debut_periode"] == pd.Timestamp("2021-01-01") and row["fin_periode"] == pd.Timestamp("2021-12-31")
    assert row["actes_par_jour"] == pytest.approx(5400 / 210, abs=0.01)
    assert row["patientele_initiale"] == 1318 and row["objectif_pct"] == 8.5
    half = activity.set_index(["medecin_id", "periode"]).loc[(pseudonym(DOCTOR), "2022-S1")]
    assert half["jours_travailles"] == 105.5 and half["semestre"] == 1
    assert half["fin_periode"] == pd.Timestamp("2022-06-30")
    assert activity["patients_mt"].dtype == "Int64" and activity["jours_travailles"].dtype == "Float64"
    account = result.accounts[0]
    assert account.dataset == "activity" and (account.rows_read, account.rows_kept) == (3, 3)
    assert result.manifest["outputs"]["activity.parquet"]["rows"] == 3
    assert (tmp_path / "out" / "activity.parquet").is_file()


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        (f"{DOCTOR};2022;-5;2100;2900;106;;", "Nb patients MT adultes", "nombre_negatif"),
        (f"{DOCTOR};2022;1200;2100;-1;106;;", "Nombre d'actes", "nombre_negatif"),
        (f"{DOCTOR};2022;1200,5;2100;2900;106;;", "Nb patients MT adultes", "nombre_non_entier"),
        (f"{DOCTOR};2022;1200;beaucoup;2900;106;;", "File active", "nombre_invalide"),
        (f"{DOCTOR};2022;250000;2100;2900;106;;", "Nb patients MT adultes", "nombre_invraisemblable"),
        (f"{DOCTOR};2022-S1;1200;2100;2900;190;;", "Jours travaillés", "jours_invraisemblables"),
        (f"{DOCTOR};2022;1200;2100;2900;400;;", "Jours travaillés", "jours_invraisemblables"),
        (f"{DOCTOR};2022-S3;1200;2100;2900;106;;", "Période", "periode_invalide"),
        (f"{DOCTOR};l'an dernier;1200;2100;2900;106;;", "Période", "periode_invalide"),
        (f"{DOCTOR};1899;1200;2100;2900;106;;", "Période", "periode_invraisemblable"),
        (f"{DOCTOR};;1200;2100;2900;106;;", "Période", "valeur_manquante"),
        (f"{DOCTOR};2026;1200;2100;2900;106;;", "Période", "periode_future"),
        ("12345;2022;1200;2100;2900;106;;", "RPPS", "rpps_invalide"),
        ("123456789;2022;1200;2100;2900;106;;", "RPPS", "identifiant_adeli_ou_am"),
        (";2022;1200;2100;2900;106;;", "RPPS", "valeur_manquante"),
        (f"{DOCTOR};2022;;;;;;", "Nb patients MT adultes", "activite_vide"),
    ],
)
def test_each_bad_value_is_quarantined_where_it_sits_with_a_french_reason(tmp_path, cells, column, reason):
    result = run(tmp_path, [f"{OTHER};2022;1000;2000;3000;200;;", cells])
    assert found(result) == {(3, column, reason)}
    message = result.quarantine["message"].iloc[0]
    assert message != reason and " " in message  # a sentence for the user, not a code
    assert len(result.tables["activity"]) == 1
    account = result.accounts[0]
    assert (account.rows_kept, account.rows_quarantined) == (1, 1) and account.balanced()


def test_duplicates_that_disagree_are_all_quarantined_and_exact_copies_merged(tmp_path):
    result = run(tmp_path, [
        f"{DOCTOR};2022;1200;2100;2900;200;;",
        f"{DOCTOR};2022;1200;2100;2900;200;;",
        f"{OTHER};2022;900;2100;2900;200;;",
        f"{OTHER};2022;950;2100;2900;200;;",
        f"{OTHER};2022-S1;900;2100;1450;100;;",  # a half-year is another period, not a duplicate
    ])
    assert found(result) == {(4, "Période", "doublon_conflictuel"), (5, "Période", "doublon_conflictuel")}
    assert "médecin et période" in result.quarantine["message"].iloc[0]
    account = result.accounts[0]
    assert (account.rows_kept, account.rows_merged, account.rows_quarantined) == (2, 1, 2)
    assert set(result.tables["activity"]["periode"]) == {"2022", "2022-S1"}


@pytest.mark.parametrize(("header", "rows", "column"), [
    ("RPPS;Année;Nb patients MT adultes", ["2022;1200", "2022;1250"], "Année"),
    ("RPPS;Année;Semestre;Nb patients MT adultes", ["2022;1;1200", "2022;1;1250"], "Année"),
])
def test_a_conflict_is_reported_on_the_column_the_file_writes_its_period_in(tmp_path, header, rows, column):
    # a period built from « Année » (and « Semestre ») names that column, not the canonical « periode »
    result = run(tmp_path, [f"{DOCTOR};{row}" for row in rows], header=header)
    assert found(result) == {(2, column, "doublon_conflictuel"), (3, column, "doublon_conflictuel")}


def test_the_contract_s_initial_list_and_objective_are_only_warned(tmp_path):
    result = run(tmp_path, [
        f"{DOCTOR};2022;1200;2100;2900;200;mille;8,5",
        f"{OTHER};2022;900;2100;2900;200;900;+500 %",
        "99100000003;2022;900;2100;2900;200;NS;20 %",
    ])
    assert result.quarantine.empty
    warned = set(zip(result.warnings["line"], result.warnings["column"], result.warnings["reason"], strict=True))
    assert warned == {(2, "Patientèle initiale", "engagement_illisible"), (3, "Objectif en %", "engagement_illisible"),
                      (4, "Patientèle initiale", "valeur_non_significative")}
    activity = result.tables["activity"].set_index("medecin_id")
    assert pd.isna(activity.loc[pseudonym(DOCTOR), "patientele_initiale"])
    assert activity.loc[pseudonym(DOCTOR), "objectif_pct"] == 8.5
    assert activity.loc[pseudonym("99100000003"), "objectif_pct"] == 20
    assert result.accounts[0].rows_warned == 3


@pytest.mark.parametrize(
    "header",
    [
        "Identifiant médecin;Semestre;Patientèle médecin traitant;File active;Nb actes;Nb jours travaillés",
        "N° RPPS;Période d'observation;Patientèle MT adulte;Nb patients file active;Total actes;Jours d'activité",
        "RPPS;Année;Semestre;Nb patients MT adultes;File active;Nombre d'actes;Jours travaillés",
    ],
)
def test_headers_as_cpam_follow_up_tables_write_them(tmp_path, header):
    with_year = "Année" in header
    rows = [f"{DOCTOR};2023;1;1200;2100;2900;100", f"{OTHER};2023;;1000;2000;5000;200"] if with_year else [
        f"{DOCTOR};1er semestre 2023;1200;2100;2900;100", f"{OTHER};2023;1000;2000;5000;200"]
    result = run(tmp_path, rows, header=header)
    assert result.quarantine.empty, result.quarantine[["line", "column", "value", "reason"]]
    activity = result.tables["activity"].set_index("medecin_id")
    assert activity.loc[pseudonym(DOCTOR), "periode"] == "2023-S1"
    assert activity.loc[pseudonym(OTHER), "periode"] == "2023"
    assert activity.loc[pseudonym(OTHER), "actes_par_jour"] == 25


def test_a_half_year_column_that_is_not_one_is_reported_on_the_year_column(tmp_path):
    result = run(tmp_path, [f"{DOCTOR};2023;3;1200;2100;2900;100"],
                 header="RPPS;Année;Semestre;Nb patients MT adultes;File active;Nombre d'actes;Jours travaillés")
    assert found(result) == {(2, "Année", "periode_invalide")}


def test_the_activity_table_is_recognised_and_needs_a_doctor_and_a_period():
    assert detect_dataset(["RPPS", "Année", "Nb patients MT adultes", "File active", "Nombre d'actes"]) == "activity"
    assert detect_dataset(["N° contrat", "RPPS", "Date de signature", "Département", "Quotité"]) == "contracts"
    from am_analytics.errors import DataError

    with pytest.raises(DataError, match="medecin_id"):
        match_columns(["Période", "File active", "Nombre d'actes"], "activity")
    with pytest.raises(DataError, match="periode"):
        match_columns(["RPPS", "File active", "Nombre d'actes"], "activity")


def test_a_workbook_is_read_like_a_csv(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Suivi 2023"
    sheet.append(["Suivi de l'activité des médecins signataires — CPAM"])
    sheet.append([])
    sheet.append(["RPPS", "Période", "Patientèle MT", "File active", "Nombre d'actes", "Jours travaillés"])
    sheet.append([DOCTOR, "2023-S1", 1200, 2100, 2900, 100])
    sheet.append([OTHER, "2023-S1", -3, 2100, 2900, 100])
    numbers = book.create_sheet("Suivi 2024")  # year and half-year as numbers, as Excel stores them
    numbers.append(["RPPS", "Année", "Semestre", "Patientèle MT", "File active", "Nombre d'actes", "Jours travaillés"])
    numbers.append([DOCTOR, 2024.0, 2.0, 1250, 2150, 3000, 101.5])
    raw = tmp_path / "raw"
    raw.mkdir()
    book.save(raw / "suivi.xlsx")
    result = prepare(raw, tmp_path / "out", key=KEY, cutoff=CUTOFF)
    assert sorted(result.tables["activity"]["periode"]) == ["2023-S1", "2024-S2"]
    assert set(zip(result.quarantine["column"], result.quarantine["reason"], strict=True)) == {
        ("Patientèle MT", "nombre_negatif")}
    assert result.quarantine["line"].iloc[0] == 5
    assert result.accounts[0].file_format == "xlsx"


def test_no_clear_rpps_reaches_any_processed_file(tmp_path):
    contracts = "N° contrat;RPPS;Date de signature;Département;Quotité\nC1;99100000007;01/10/2020;35;1/2\n"
    result = run(tmp_path, [
        "99100000007;2021;1200;2100;2900;200;;",
        "99100000008;2022;-1;2100;2900;200;;",  # quarantined: its record must not hold the RPPS either
        "99100000009;2022;1;2100;2900;200;;",
        "99100000009;2022;2;2100;2900;200;;",  # conflicting duplicates
        "9910000001;2022;1;2100;2900;200;;",  # ten digits: invalid, still never shown in clear
    ], extra={"contrats.csv": contracts})
    assert not result.quarantine.empty
    clear = ("99100000007", "99100000008", "99100000009", "9910000001")
    for path in (tmp_path / "out").iterdir():
        text = path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".parquet":
            text += pd.read_parquet(path).astype(str).to_string()
        for rpps in clear:
            assert rpps not in text, f"{rpps} in {path.name}"
    assert result.tables["activity"]["medecin_id"].str.startswith("m_").all()


def test_the_activity_joins_the_contracts_by_the_pseudonymised_doctor(tmp_path, monkeypatch):
    monkeypatch.setenv(privacy.KEY_ENVIRONMENT_VARIABLE, KEY.decode())  # am.load() takes the key of the environment
    contracts = (
        "N° contrat;RPPS;Date de signature;Département;Quotité\n"
        f"C1;{DOCTOR};15/03/2022;59;1/2\n"
        f"C2;{DOCTOR};01/01/2024;59;1\n"  # a second contract: the first signature dates the commitment
    )
    run(tmp_path, [
        f"{DOCTOR};2021;1200;2100;2900;200;;",
        f"{DOCTOR};2022-S1;1250;2100;1450;100;;",
        f"{DOCTOR};2022-S2;1300;2100;1500;100;;",
        f"{OTHER};2022;900;2100;2900;200;;",
    ], extra={"contrats.csv": contracts})
    data = load(tmp_path / "raw", tmp_path / "out", cutoff=CUTOFF)
    assert data.activity is not None and data.activity.attrs["synthetic"] is False
    joined = activity_with_contracts(data.activity, data.contracts).set_index(["medecin_id", "periode"])
    mine = joined.loc[pseudonym(DOCTOR)]
    assert mine["signataire"].all() and (mine["contrat_id"] == "C1").all() and (mine["nombre_contrats"] == 2).all()
    assert mine["position"].to_dict() == {"2021": "avant", "2022-S1": "signature", "2022-S2": "apres"}
    assert mine.loc["2022-S2", "mois_depuis_signature"] == pytest.approx((pd.Timestamp("2022-12-31")
                                                                          - pd.Timestamp("2022-03-15")).days
                                                                         / (365.25 / 12), abs=0.05)
    assert mine.loc["2021", "mois_depuis_signature"] < 0
    other = joined.loc[(pseudonym(OTHER), "2022")]
    assert not other["signataire"] and other["position"] == "non_signataire" and other["nombre_contrats"] == 0
    assert pd.isna(other["mois_depuis_signature"])
    assert joined.attrs["sources"] == ("extract",)


def test_first_contracts_take_the_earliest_signature_per_doctor():
    contracts = pd.DataFrame({
        "medecin_id": ["m_a", "m_a", "m_b"], "contrat_id": ["2", "1", "3"],
        "date_signature": pd.to_datetime(["2021-01-01", "2020-01-01", "2022-01-01"]),
    })
    first = first_contracts(contracts).set_index("medecin_id")
    assert first.loc["m_a", "contrat_id"] == "1" and first.loc["m_a", "nombre_contrats"] == 2
    assert first.loc["m_b", "nombre_contrats"] == 1


def test_a_join_without_the_needed_columns_says_what_to_do():
    from am_analytics.indicators.common import IndicatorArgumentError

    with pytest.raises(IndicatorArgumentError, match="am.load"):
        activity_with_contracts(pd.DataFrame({"medecin_id": []}), pd.DataFrame(), synthetic=False)


@pytest.mark.parametrize(
    ("written", "label"),
    [("2023", "2023"), ("2023-S1", "2023-S1"), ("S2 2023", "2023-S2"), ("2023 S2", "2023-S2"),
     ("2023-H1", "2023-S1"), ("1er semestre 2023", "2023-S1"), ("second semestre 2023", "2023-S2"),
     ("2ème semestre 2024", "2024-S2"), ("2023.0", "2023"), ("Semestre 2 2023", "2023-S2")],
)
def test_periods_are_read_as_follow_up_tables_write_them(written, label):
    result = v.normalise_periods(pd.Series([written], dtype="string"))
    assert result["value"].iloc[0] == label and pd.isna(result["reason"].iloc[0])


@pytest.mark.parametrize(("written", "reason"), [("2023-S3", "periode_invalide"), ("T1 2023", "periode_invalide"),
                                                 ("1850", "periode_invraisemblable"), ("", "valeur_manquante")])
def test_unreadable_periods_say_why(written, reason):
    assert v.normalise_periods(pd.Series([written], dtype="string"))["reason"].iloc[0] == reason


# --- Who the doctor is: département, specialty, year of installation (issue 24) ----------------------------------
COUNTS_HEADER = "Nb patients MT adultes;File active;Nombre d'actes;Jours travaillés"


@pytest.mark.parametrize(
    ("place", "specialty", "installed"),
    [
        ("Département;Spécialité;Année d'installation", "Médecine générale", "2005"),
        ("Département d'exercice;Spécialité du médecin;Date d'installation", "MG", "15/03/2005"),
        ("Code département;Libellé spécialité;Année d'installation en libéral", "01", "2005.0"),
        ("Dép.;Code spécialité;Date d'installation", "SM54", "38426"),  # an RPPS qualification, an Excel serial
    ],
)
def test_who_the_doctor_is_is_read_under_the_headers_follow_up_tables_use(tmp_path, place, specialty, installed):
    header = f"RPPS;Année;{COUNTS_HEADER};{place}"
    result = run(tmp_path, [f"{DOCTOR};2019;1200;2100;2900;200;35;{specialty};{installed}"], header=header)
    assert result.quarantine.empty and result.warnings.empty, result.warnings[["column", "value", "reason"]]
    row = result.tables["activity"].iloc[0]
    assert (row["departement"], row["region"], row["specialite"]) == ("35", "53", "medecine_generale")
    assert row["annee_installation"] == 2005
    assert result.tables["activity"]["annee_installation"].dtype == "Int64"


@pytest.mark.parametrize(
    ("written", "code", "region"),
    [("1", "01", "84"), ("01", "01", "84"), ("2a", "2A", "94"), ("2B", "2B", "94"), ("59.0", "59", "32"),
     ("Côte-d'Or", "21", "27"), ("COTE D OR", "21", "27"), ("971", "971", "01"), ("976", "976", "06"),
     ("62 - Pas-de-Calais", "62", "32")],
)
def test_departements_are_read_like_the_contracts_overseas_and_corse_included(tmp_path, written, code, region):
    header = f"RPPS;Année;{COUNTS_HEADER};Département"
    result = run(tmp_path, [f"{DOCTOR};2019;1200;2100;2900;200;{written}"], header=header)
    assert result.warnings.empty, result.warnings[["value", "reason", "message"]]
    row = result.tables["activity"].iloc[0]
    assert (row["departement"], row["region"]) == (code, region)


@pytest.mark.parametrize(
    ("cells", "column", "reason", "kept"),
    [
        ("20;MG;2005", "Département", "departement_ambigu", ("departement", None)),
        ("999;MG;2005", "Département", "departement_inconnu", ("departement", None)),
        ("Atlantide;MG;2005", "Département", "departement_inconnu", ("departement", None)),
        ("#N/A;MG;2005", "Département", "cellule_en_erreur", ("departement", None)),
        ("35;Astrologie;2005", "Spécialité", "specialite_inconnue", ("specialite", "inconnue")),
        ("35;24;2005", "Spécialité", "specialite_non_medicale", ("specialite", "inconnue")),
        ("35;MG;1930", "Année d'installation", "annee_invraisemblable", ("annee_installation", None)),
        ("35;MG;2023", "Année d'installation", "annee_invraisemblable", ("annee_installation", None)),  # after 2022
        ("35;MG;01/09/2022", "Année d'installation", None, ("annee_installation", 2022)),  # within the period
        ("35;MG;depuis longtemps", "Année d'installation", "annee_illisible", ("annee_installation", None)),
        ("35;MG;2005-13-45", "Année d'installation", "annee_illisible", ("annee_installation", None)),
    ],
)
def test_an_unreadable_description_of_the_doctor_is_warned_and_the_row_kept(tmp_path, cells, column, reason, kept):
    header = f"RPPS;Année;{COUNTS_HEADER};Département;Spécialité;Année d'installation"
    result = run(tmp_path, [f"{DOCTOR};2022;1200;2100;2900;200;{cells}"], header=header)
    assert result.quarantine.empty and len(result.tables["activity"]) == 1
    warned = set(zip(result.warnings["line"], result.warnings["column"], result.warnings["reason"], strict=True))
    assert warned == ({(2, column, reason)} if reason else set())
    if reason:
        warning = result.warnings.iloc[0]
        written = dict(zip(("Département", "Spécialité", "Année d'installation"), cells.split(";"), strict=True))
        assert warning["value"] == written[column]
        assert "gardée" in warning["message"] and warning["file"] == "suivi_activite.csv", warning["message"]
    field, value = kept
    found = result.tables["activity"].iloc[0][field]
    assert (pd.isna(found) if value is None else found == value), found
    assert result.accounts[0].balanced()


def test_the_warnings_say_what_to_write_instead(tmp_path):
    header = f"RPPS;Année;{COUNTS_HEADER};Département;Spécialité;Année d'installation"
    result = run(tmp_path, [f"{DOCTOR};2022;1200;2100;2900;200;Atlantide;Astrologie;1930"], header=header)
    messages = result.warnings.set_index("column")["message"]
    assert "Atlantide" in messages["Département"] and "59, 2A" in messages["Département"]
    assert "Médecine générale" in messages["Spécialité"]
    assert "1950" in messages["Année d'installation"] and "corriger" in messages["Année d'installation"]


def test_a_doctor_and_period_written_in_two_departements_is_a_conflict(tmp_path):
    header = f"RPPS;Période;{COUNTS_HEADER};Département"
    result = run(tmp_path, [f"{DOCTOR};2022;1200;2100;2900;200;35", f"{DOCTOR};2022;1200;2100;2900;200;29",
                            f"{DOCTOR};2023;1250;2100;2900;200;29"], header=header)  # moved in 2023: kept per row
    assert found(result) == {(2, "Période", "doublon_conflictuel"), (3, "Période", "doublon_conflictuel")}
    assert result.tables["activity"].set_index("periode").loc["2023", "departement"] == "29"


def test_a_workbook_s_numbers_and_dates_describe_the_doctor_like_a_csv(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["RPPS", "Année", "Patientèle MT", "File active", "Nombre d'actes", "Jours travaillés",
                  "Code département", "Spécialité", "Date d'installation"])
    sheet.append([DOCTOR, 2023, 1200, 2100, 2900, 200, 1, "Médecine générale", datetime(2004, 9, 1)])
    sheet.append([OTHER, 2023, 900, 1800, 2500, 190, 974.0, "Cardiologue", 2011])
    raw = tmp_path / "raw"
    raw.mkdir()
    book.save(raw / "suivi.xlsx")
    result = prepare(raw, tmp_path / "out", key=KEY, cutoff=CUTOFF)
    assert result.quarantine.empty and result.warnings.empty, result.warnings[["column", "value", "reason"]]
    activity = result.tables["activity"].set_index("medecin_id")
    assert tuple(activity.loc[pseudonym(DOCTOR), ["departement", "region", "specialite", "annee_installation"]]) == (
        "01", "84", "medecine_generale", 2004)
    assert tuple(activity.loc[pseudonym(OTHER), ["departement", "region", "specialite", "annee_installation"]]) == (
        "974", "04", "cardiologie", 2011)


@pytest.mark.parametrize(
    ("written", "year", "reason"),
    [("2005", 2005, None), (" 2005 ", 2005, None), ("2005,0", 2005, None), ("15/03/2005", 2005, None),
     ("2005-03-15", 2005, None), ("15 mars 2005", 2005, None), ("38426", 2005, None), ("1949", None,
     "annee_invraisemblable"), ("2100", None, "annee_invraisemblable"), ("12345", None, "annee_invraisemblable"),
     ("05", None, "annee_illisible"), ("n.c.", None, "annee_illisible"), ("", None, None)],
)
def test_years_of_installation_are_read_from_a_year_or_a_date(written, year, reason):
    found = v.normalise_years(pd.Series([written], dtype="string"), plausible=(1950, 2099)).iloc[0]
    assert (pd.isna(found["value"]) if year is None else found["value"] == year), found["value"]
    assert (pd.isna(found["reason"]) if reason is None else found["reason"] == reason), found["reason"]
