"""Survey microdata are read into one typed row per respondent; an answer outside its scale leaves that answer
missing with a warning, a respondent is quarantined only for what identifies or weighs them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from am_analytics.prepare.pipeline import prepare

HEADER = (
    "Identifiant répondant;Type de répondant;Région;Profil d'origine;Spécialité;Poids;Satisfaction globale;"
    "Temps médical gagné;Mission : accueil;Mission : constantes;Recommanderait le dispositif;Souhaite poursuivre"
)


def run(tmp_path: Path, rows: list[str]):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "enquete.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return prepare(raw, tmp_path / "out", key=b"k")


def test_answers_map_to_their_scale_codes(tmp_path):
    result = run(
        tmp_path,
        [
            "R1;Médecin;Bretagne;;Médecine générale;1,2;Très satisfait;1 à 2 h par jour;Oui;Non;Oui;Oui",
            "R2;Assistant médical;Occitanie;IDE;;0,8;Plutôt pas satisfait;;Oui;Oui;Non;Ne sait pas",
        ],
    )
    survey = result.tables["survey"].set_index("repondant_id")
    assert survey.loc["R1", "type_repondant"] == "medecin" and survey.loc["R2", "type_repondant"] == "assistant"
    assert survey.loc["R1", "region"] == "53" and survey.loc["R2", "region"] == "76"
    assert survey.loc["R1", "satisfaction"] == 1 and survey.loc["R2", "satisfaction"] == 3
    assert survey.loc["R1", "temps_gagne"] == "1_2h" and pd.isna(survey.loc["R2", "temps_gagne"])
    assert survey.loc["R2", "profil_origine"] == "infirmier" and pd.isna(survey.loc["R1", "profil_origine"])
    assert survey.loc["R1", "specialite"] == "medecine_generale"
    assert bool(survey.loc["R1", "mission_accueil"]) and not bool(survey.loc["R1", "mission_constantes"])
    assert pd.isna(survey.loc["R1", "mission_hygiene"]), "a question absent from the file stays missing"
    assert survey.loc["R2", "poursuivre"] == "ne_sait_pas"
    assert survey.loc["R1", "poids"] == 1.2


def test_bad_weights_are_quarantined_and_out_of_scale_answers_warned(tmp_path):
    result = run(
        tmp_path,
        [
            "R1;Médecin;Bretagne;;MG;1;Très satisfait;;Oui;Non;Oui;Oui",
            "R2;Médecin;Bretagne;;MG;0;Moyennement;;Oui;Non;Oui;Oui",
            "R3;Médecin;Bretagne;;MG;-1;Très satisfait;;Peut-être;Non;Oui;Oui",
            "R4;Infirmier;Bretagne;;MG;1;Très satisfait;;Oui;Non;Oui;Oui",
        ],
    )
    found = set(zip(result.quarantine["line"], result.quarantine["column"], result.quarantine["reason"], strict=True))
    assert found == {
        (3, "Poids", "poids_invalide"),
        (4, "Poids", "poids_invalide"),
        (5, "Type de répondant", "type_repondant_inconnu"),
    }
    warned = set(zip(result.warnings["line"], result.warnings["column"], result.warnings["reason"], strict=True))
    expected = {(3, "Satisfaction globale", "reponse_hors_echelle"), (4, "Mission : accueil", "reponse_hors_echelle")}
    assert expected <= warned
    assert result.tables["survey"]["repondant_id"].tolist() == ["R1"]


def test_a_respondent_is_kept_whatever_one_answer_says(tmp_path):
    result = run(
        tmp_path,
        [
            "R1;Médecin;Bretagne;;MG;1,25;Tout à fait satisfait;;Oui;Non;Oui;Oui",
            "R2;Assistant médical;Bretagne;IDE;;0,75;NSP;Non concerné;Oui;Non;Oui;Ne sait pas",
            "R3;Médecin;Bretagne;;MG;1;Ni satisfait ni insatisfait;;Oui;Non;Oui;Oui",
        ],
    )
    assert result.quarantine.empty, result.quarantine[["line", "column", "reason"]]
    survey = result.tables["survey"].set_index("repondant_id")
    assert survey.loc["R1", "satisfaction"] == 1 and survey.loc["R1", "poids"] == 1.25
    assert pd.isna(survey.loc["R2", "satisfaction"]) and survey.loc["R2", "poursuivre"] == "ne_sait_pas"
    assert pd.isna(survey.loc["R3", "satisfaction"]) and bool(survey.loc["R3", "mission_accueil"])
    where = zip(result.warnings["line"], result.warnings["column"], strict=True)
    reasons = dict(zip(where, result.warnings["reason"], strict=True))
    assert reasons[(3, "Satisfaction globale")] == "reponse_sans_avis"
    assert reasons[(3, "Temps médical gagné")] == "reponse_sans_avis"
    assert reasons[(4, "Satisfaction globale")] == "reponse_hors_echelle"


def _institute_workbook(path, percentages_of_first_answer=(46.9, 44.6)):
    """An institute-style workbook: title rows, one merged title cell per question, subgroup header row,
    answer rows, and a base row under each block."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Enquête de satisfaction — février 2021"])
    sheet.append(["Pourcentages pondérés"])
    sheet.append([])
    sheet.append(["Satisfaction globale"])
    sheet.merge_cells("A4:C4")
    sheet.append([None, "Ensemble", "Médecins"])
    sheet.append(["Très satisfait", *percentages_of_first_answer])
    sheet.append(["Plutôt satisfait", 53.1, 55.4])
    sheet.append(["Base", 1200, 720])
    sheet.append([])
    sheet.append(["Recommanderait le dispositif"])
    sheet.merge_cells("A10:C10")
    sheet.append([None, "Ensemble", "Médecins"])
    sheet.append(["Oui", "84,9", "83,2"])
    sheet.append(["Non", "15,1", None])
    sheet.append(["Base", 1150, 700])
    workbook.save(path)


def test_institute_tables_are_read_into_a_tidy_table(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    _institute_workbook(raw / "tableaux.xlsx")
    result = prepare(raw, tmp_path / "out", key=b"k")
    tables = result.tables["survey_tables"]
    assert len(tables) == 7  # 2×2 + 2 + 1 (the empty cell is no answer, not zero)
    first = tables.iloc[0]
    assert (first["question"], first["reponse"], first["sous_groupe"], first["pourcentage"], first["base"]) == (
        "Satisfaction globale",
        "Très satisfait",
        "Ensemble",
        46.9,
        1200,
    )
    assert first["source_line"] == 6
    oui = tables[(tables["reponse"] == "Oui") & (tables["sous_groupe"] == "Médecins")].iloc[0]
    assert oui["pourcentage"] == 83.2 and oui["base"] == 700
    (account,) = result.accounts
    assert (account.dataset, account.rows_read, account.rows_kept) == ("survey_tables", 4, 4)


def test_a_percentage_over_100_quarantines_its_line(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    _institute_workbook(raw / "tableaux.xlsx", percentages_of_first_answer=(146.9, 44.6))
    result = prepare(raw, tmp_path / "out", key=b"k")
    problem = result.quarantine.iloc[0]
    assert (problem["line"], problem["column"], problem["value"], problem["reason"]) == (
        6,
        "Ensemble",
        "146.9",
        "pourcentage_invalide",
    )
    assert "Très satisfait" not in set(result.tables["survey_tables"]["reponse"])
    (account,) = result.accounts
    assert (account.rows_read, account.rows_kept, account.rows_quarantined) == (4, 3, 1)


def test_an_error_cell_drops_an_answer_not_a_respondent_unless_it_weighs_them(tmp_path):
    result = run(
        tmp_path,
        [
            "R1;Médecin;Bretagne;;MG;1;#N/A;;Oui;Non;Oui;Oui",
            "R2;Médecin;Bretagne;;MG;#REF!;Très satisfait;;Oui;Non;Oui;Oui",
        ],
    )
    assert result.tables["survey"]["repondant_id"].tolist() == ["R1"]
    assert pd.isna(result.tables["survey"]["satisfaction"].iloc[0])
    warned = set(zip(result.warnings["line"], result.warnings["column"], result.warnings["reason"], strict=True))
    assert (2, "Satisfaction globale", "cellule_en_erreur") in warned
    found = set(zip(result.quarantine["line"], result.quarantine["column"], result.quarantine["reason"], strict=True))
    assert found == {(3, "Poids", "cellule_en_erreur")}


def test_a_multiple_choice_exported_one_column_per_item_reads_ticked_boxes(tmp_path):
    result = run(
        tmp_path,
        [
            "R1;Médecin;Bretagne;;MG;1;Très satisfait;;Accueil;X;Oui;Oui",
            "R2;Médecin;Bretagne;;MG;1;Très satisfait;;Non coché;✓;Oui;Oui",
        ],
    )
    survey = result.tables["survey"].set_index("repondant_id")
    assert bool(survey.loc["R1", "mission_accueil"]) and bool(survey.loc["R1", "mission_constantes"])
    assert not bool(survey.loc["R2", "mission_accueil"]) and bool(survey.loc["R2", "mission_constantes"])
    assert result.warnings.empty, result.warnings[["line", "column", "value", "reason"]]
