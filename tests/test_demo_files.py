"""Every generated file looks like a real extract, says it is synthetic, and lists its defects truthfully."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from am_analytics.checksum import sha256_of
from am_analytics.demo import contracts, generate, opendata, survey
from am_analytics.vocabulary import REASONS

# The ingestion team's alias table covers exactly these header spellings.
ALLOWED_HEADERS = {
    "contrat_id": {"N° contrat", "Numéro de contrat", "numero_contrat", "NUM_CONTRAT"},
    "medecin_id": {"RPPS", "RPPS médecin", "Identifiant RPPS", "rpps_medecin"},
    "date_signature": {"Date de signature", "date_signature", "Date signature contrat"},
    "date_fin": {"Date de fin", "date_fin", "Date fin contrat", "Date de résiliation"},
    "departement": {"Département", "Dépt", "code_departement", "DEPARTEMENT"},
    "caisse": {"Code caisse"},
    "specialite": {"Spécialité", "specialite", "Spécialité du médecin"},
    "zone": {"Zone", "Zonage", "zone_sous_dense"},
    "etp": {"Quotité", "Option ETP", "etp", "Temps de travail"},
    "profil_origine": {"Profil d'origine", "Profession antérieure", "profil_origine"},
    "formation": {"Formation", "Formation suivie", "statut_formation"},
    "date_prise_fonction": {"Date de prise de fonction", "date_prise_fonction", "Date d'embauche"},
    "aide_versee_eur": {"Aide versée (€)", "aide_versee", "Montant aide"},
}
HANDLINGS = {
    "merged exact duplicate", "kept as inconnu", "converted from Excel serial", "kept with a warning (profil_inconnu)"
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate(out, seed=2019, n_contracts=8558)
    return out


def _data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".xlsx"))


def _sidecar(path: Path) -> dict:
    return json.loads(path.with_name(path.name + ".provenance.json").read_text(encoding="utf-8"))


def _csv_lines(path: Path, encoding: str) -> list[str]:
    return path.read_bytes().decode(encoding).splitlines()


def test_every_data_file_has_a_sidecar_saying_it_is_synthetic(folder):
    files = _data_files(folder)
    assert len(files) == 12
    for path in files:
        record = _sidecar(path)
        assert record["synthetic"] is True, path.name
        assert record["warning"] == "Données de démonstration synthétiques — ne pas utiliser comme données réelles"
        assert record["sha256"] == sha256_of(path), f"{path.name}: empreinte périmée"
        assert record["generator"]["name"] == "am_analytics.demo" and record["generator"]["package_version"]
        assert record["seed"] == 2019 and record["assumptions"] and record["calibration_sources"]


def test_readme_says_the_folder_is_synthetic_and_how_to_regenerate(folder):
    text = (folder / "README.md").read_text(encoding="utf-8")
    assert "synthétiques" in text and "python -m am_analytics.demo" in text


def test_contract_files_cover_the_required_formats(folder):
    formats = {p.name: _sidecar(p)["format"] for p in folder.glob("contrats_*") if p.suffix in (".csv", ".xlsx")}
    encodings = [f.get("encoding") for f in formats.values()]
    assert encodings.count("cp1252") == 1 and encodings.count("utf-8-sig") == 1
    assert any(f.get("line_ending") == "CRLF" for f in formats.values())
    assert (folder / "contrats_2021.csv").read_bytes().count(b"\r\n") > 100
    assert (folder / "contrats_2022.csv").read_bytes().startswith(codecs.BOM_UTF8)
    assert [name for name, f in formats.items() if f["type"] == "xlsx"] == ["contrats_2019_2020.xlsx"]


def test_headers_use_only_the_spellings_of_the_alias_table(folder):
    for path in _data_files(folder):
        if not path.name.startswith("contrats_"):
            continue
        columns = _sidecar(path)["format"]["columns"]
        for header, canonical in columns.items():
            assert header in ALLOWED_HEADERS[canonical], f"{path.name}: en-tête « {header} » hors table d'alias"


def test_xlsx_has_a_sheet_per_year_then_a_notice(folder):
    book = openpyxl.load_workbook(folder / "contrats_2019_2020.xlsx")
    assert book.sheetnames == ["2019", "2020", "Notice"]
    assert _sidecar(folder / "contrats_2019_2020.xlsx")["format"]["sheets"] == ["2019", "2020"]
    assert book["Notice"].max_column == 1


@pytest.mark.parametrize("name", ["2019", "2020"])
def test_xlsx_has_a_title_row_then_a_two_row_header_with_merged_groups(folder, name):
    sheet = openpyxl.load_workbook(folder / "contrats_2019_2020.xlsx")[name]
    assert "synthétiques" in sheet.cell(1, 1).value
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A2:E2", "F2:I2", "J2:L2"}
    assert [sheet.cell(2, c).value for c in (1, 6, 10)] == ["Contrat", "Médecin", "Assistant"]
    assert sheet.cell(3, 1).value == "N° contrat"


def _cell_text(path: Path, record: dict, cache: dict) -> str:
    fmt = _sidecar(path)["format"]
    if fmt["type"] == "xlsx":
        if path not in cache:
            cache[path] = openpyxl.load_workbook(path)
        sheet = cache[path][record["sheet"]]
        headers = [c.value for c in sheet[3]]
        value = sheet.cell(record["line"], headers.index(record["column"]) + 1).value
        return contracts.display_value(value.date() if hasattr(value, "date") else value)
    if path not in cache:
        cache[path] = _csv_lines(path, fmt["encoding"])
    lines = cache[path]
    headers = lines[0].split(";")
    return lines[record["line"] - 1].split(";")[headers.index(record["column"])]


def test_every_listed_defect_is_really_at_its_file_line_and_column(folder):
    cache: dict = {}
    checked = 0
    for path in _data_files(folder):
        for record in _sidecar(path)["injected_defects"]:
            assert record["file"] == path.name
            assert _cell_text(path, record, cache) == record["value"], f"{path.name} ligne {record['line']} : {record}"
            checked += 1
    assert checked > 30


def test_defects_name_a_quarantine_reason_or_a_handling(folder):
    kinds = set()
    for path in _data_files(folder):
        for record in _sidecar(path)["injected_defects"]:
            assert record["expected"] in REASONS or record["expected"] in HANDLINGS, record
            kinds.add(record["defect"])
    assert kinds == set(contracts.DEFECTS), f"missing kinds: {set(contracts.DEFECTS) - kinds}"


def test_dirty_rows_are_a_small_share(folder):
    rows = sum(_sidecar(p)["rows"] for p in folder.glob("contrats_*") if p.suffix in (".csv", ".xlsx"))
    defects = sum(
        len(_sidecar(p)["injected_defects"]) for p in folder.glob("contrats_*") if p.suffix in (".csv", ".xlsx")
    )
    assert 0.005 <= defects / rows <= 0.04


def test_conflicting_duplicates_come_in_pairs_with_different_values(folder):
    seen: dict[str, set] = {}
    for path in _data_files(folder):
        for record in _sidecar(path)["injected_defects"]:
            if record["defect"] == "conflicting_duplicate":
                seen.setdefault(record["contrat_id"], set()).add(record["value"])
    assert seen and all(len(values) == 2 for values in seen.values())


def test_row_counts_in_sidecars_match_the_files(folder):
    for path in _data_files(folder):
        fmt, rows = _sidecar(path)["format"], _sidecar(path)["rows"]
        if fmt["type"] == "csv":
            assert len(_csv_lines(path, fmt["encoding"])) - 1 == rows, path.name


def test_opendata_layout_mixes_aggregates_and_masks_small_cells(folder):
    path = folder / opendata.FILE_NAME
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    table = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert list(table.columns) == list(opendata.HEADERS.values())
    assert set(table["Année"]) == {str(y) for y in range(2019, 2025)}
    assert (table["Région"] == "FRANCE").sum() == 6
    assert (table["Code département"] == "999").sum() == 6 * 19
    assert (table["Nombre de contrats"] == "NS").any()
    mayotte = table[table["Code département"].eq("976") & table["Nombre de contrats"].ne("NS")]
    assert mayotte["Part des médecins généralistes éligibles ayant recours (%)"].eq("").all()


def test_opendata_national_count_equals_the_sum_of_departements(folder):
    table = pd.read_csv(folder / opendata.FILE_NAME, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    detail = table[table["Code département"].ne("999")]
    france = table[table["Région"].eq("FRANCE")].set_index("Année")["Nombre de contrats"].astype(int)
    for year, group in detail.groupby("Année"):
        # NS cells hide counts of 1 to 4: the national total lies within what they can hold
        known = group["Nombre de contrats"].replace("NS", "0").astype(int).sum()
        hidden = group["Nombre de contrats"].eq("NS").sum()
        assert known <= france[year] <= known + 4 * hidden


def test_survey_microdata_has_about_1200_respondents_and_weights_averaging_one(folder):
    micro = pd.read_csv(folder / survey.MICRODATA_FILE, sep=";", dtype=str, keep_default_na=False)
    assert len(micro) == 1200
    assert micro["Type de répondant"].value_counts(normalize=True)["Médecin"] == pytest.approx(0.6)
    weights = micro["Poids"].str.replace(",", ".").astype(float)
    assert (weights > 0).all() and weights.mean() == pytest.approx(1.0, abs=1e-3)
    assert micro.loc[micro["Type de répondant"].eq("Médecin"), "Profil d'origine"].eq("").all()
    assert micro.loc[micro["Type de répondant"].eq("Assistant médical"), "Spécialité"].eq("").all()
    assert set(micro["Satisfaction globale"]) == set(survey.SATISFACTION)


def test_survey_tables_are_computed_from_the_microdata(folder):
    micro = pd.read_csv(folder / survey.MICRODATA_FILE, sep=";", dtype=str, keep_default_na=False)
    weights = micro["Poids"].str.replace(",", ".").astype(float)
    expected = round(100 * weights[micro["Satisfaction globale"].eq("Très satisfait")].sum() / weights.sum(), 1)
    sheet = openpyxl.load_workbook(folder / survey.TABLES_FILE).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    block = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Satisfaction globale"))
    assert rows[block + 1][1:4] == ["Ensemble", "Médecins", "Assistants"]
    assert rows[block + 2][0] == "Très satisfait" and rows[block + 2][1] == expected
    base = next(r for r in rows[block:] if r[0] == "Base")
    assert base[1:4] == [1200, 720, 480]
    assert any(str(r[0]).startswith("Satisfaction") for r in rows) and "Tableaux" == sheet.title


def test_every_contract_row_has_a_departement_and_a_contract_number(folder):
    for path in _data_files(folder):
        if not path.name.startswith("contrats_") or path.suffix != ".csv":
            continue
        fmt = _sidecar(path)["format"]
        table = pd.read_csv(path, sep=";", dtype=str, encoding=fmt["encoding"], keep_default_na=False)
        by_canonical = {canonical: header for header, canonical in fmt["columns"].items()}
        # a file keyed by caisse has no département column
        geography = by_canonical.get("departement") or by_canonical["caisse"]
        assert table[geography].ne("").all(), f"{path.name}: département (ou caisse) vide"
        assert table[by_canonical["contrat_id"]].ne("").all(), f"{path.name}: numéro de contrat vide"
