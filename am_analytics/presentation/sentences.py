"""Sentences computed from the results, in French: what a test found, said once for the report, the notebooks
and the site."""

from __future__ import annotations

import pandas as pd

from am_analytics.figures.formatting import format_number


def independence_sentence(result: pd.DataFrame, what: str) -> str:
    """One sentence on a chi-square test (a row of `independence_test`, `compare_groups`), with its caveat."""
    row = result.iloc[0]
    text = (
        f"Test d'indépendance {what} (khi-deux) : p = {format_number(row['p_valeur'], 3)}, "
        f"V de Cramér = {format_number(row['v_de_cramer'], 3)}."
    )
    note = row.get("note")
    if isinstance(note, str) and note:
        text += f" {note}"
    return text


# --- Tests of change over time and of a region against France (site and notebooks, issue 16) ---------------

SIGNIFICANCE = 0.05


def _p_text(p_value: float) -> str:
    return "p < 0,001" if p_value < 0.001 else f"p = {format_number(p_value, 3)}"


def _verdict(row: pd.Series) -> str:
    if pd.isna(row["p_valeur"]):
        return ""
    if row["p_valeur"] < SIGNIFICANCE:
        return " : une différence décelable au seuil de 5 %"
    return " : pas de différence décelable au seuil de 5 %"


def _with_note(text: str, row: pd.Series) -> str:
    note = row.get("note")
    return f"{text} ({note})." if isinstance(note, str) and note else f"{text}."


def change_over_time_sentence(result: pd.DataFrame) -> str:
    """One sentence on `background_change_over_time`: has the mix of backgrounds changed over the signing years?"""
    row = result.iloc[0]
    if pd.isna(row["p_valeur"]):
        return _with_note(f"Évolution des profils d'une année de signature à l'autre ({row['nom']}) : test impossible",
                          row)
    years = f"{row['premiere_annee']}–{row['derniere_annee']}"
    text = (
        f"Évolution des profils d'une année de signature à l'autre ({row['nom']}, {years} ; khi-deux année × "
        f"profil) : {_p_text(row['p_valeur'])}, V de Cramér = {format_number(row['v_de_cramer'], 3)}{_verdict(row)}"
    )
    return _with_note(text, row)


def region_against_france_sentence(result: pd.DataFrame) -> str:
    """One sentence on `region_against_france`: does the region's mix of backgrounds differ from the rest of
    France's?"""
    row = result.iloc[0]
    if pd.isna(row["p_valeur"]):
        return _with_note(f"{row['nom']} face au reste de la France (profils d'origine) : test impossible", row)
    text = (
        f"{row['nom']} face au reste de la France (profils d'origine ; khi-deux région × profil) : "
        f"{_p_text(row['p_valeur'])}, V de Cramér = {format_number(row['v_de_cramer'], 3)}{_verdict(row)}"
    )
    return _with_note(text, row)


def trend_sentence(result: pd.DataFrame, profil_label: str) -> str:
    """One sentence on `background_trend`: does one background's yearly share rise or fall?"""
    from am_analytics.figures.formatting import format_percent

    row = result.iloc[0]
    where = row["nom"]
    if pd.isna(row["p_valeur"]):
        return _with_note(f"Tendance de la part « {profil_label} » ({where}) : test impossible", row)
    points = row["pente"] * 100
    sign = "+" if points > 0 else ""
    text = (
        f"Part « {profil_label} » parmi les contrats signés chaque année ({where}) : "
        f"{format_percent(row['part_premiere'], 1)} en {row['premiere_annee']}, "
        f"{format_percent(row['part_derniere'], 1)} en {row['derniere_annee']} ; tendance (test de "
        f"Cochran–Armitage) : {sign}{format_number(points, 1)} point par an, "
        f"{_p_text(row['p_valeur'])}{_verdict(row).replace('différence', 'tendance')}"
    )
    return _with_note(text, row)


def test_limits(synthetic: bool) -> str:
    """What these tests cannot say, written once for every page that shows one."""
    text = (
        "Limites : ces tests supposent des contrats indépendants et assez nombreux (sinon ils sont dits peu "
        "fiables) ; l'année en cours est incomplète ; répéter un test par région et par profil multiplie les "
        "occasions de trouver une différence par hasard (au seuil de 5 %, environ une fausse alerte attendue sur "
        "vingt tests) ; une p-valeur ne mesure pas l'ampleur d'un écart (voir le V de Cramér et les intervalles)."
    )
    if synthetic:
        text += (
            " Sur des données de démonstration synthétiques, ces résultats ne décrivent aucune réalité."
        )
    return text
