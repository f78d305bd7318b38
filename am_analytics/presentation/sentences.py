"""Sentences computed from the results, in French: what a test found, the key messages (« L'essentiel ») and the
sentences that open each section, said once for the report, the notebooks and the site.

Every key message comes from an explicit rule on published frames (or on national figures no masking touches:
the monthly series, target progress, projections), names the indicator behind it, and says no more than the data
supports: « plus » or « moins » only beyond a stated test, a projection only when computable, a hidden figure
never (« sous le secret statistique »). On synthetic data the messages describe the demo data and say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from am_analytics.figures.formatting import NOT_APPLICABLE, format_date, format_millions, format_number, format_percent
from am_analytics.indicators.common import months_between
from am_analytics.indicators.perspectives import first_open_year
from am_analytics.indicators.territories import generalists_source_note
from am_analytics.presentation.coarsening import period_phrase
from am_analytics.presentation.disclosure import SMALL_BASE
from am_analytics.presentation.tables import format_value, published_text
from am_analytics.vocabulary import (
    ACTIVE_RATE,
    NATIONAL_LABEL,
    SYNTHETIC_MENTION,
    TARGET_SETTERS,
)

# A change in the signatures of the last 12 months against the 12 before is called a rise or a fall only when
# both tests pass: the relative change is at least this large, and the two counts differ beyond chance
# (|a − b| / √(a + b) ≥ 1,96: two Poisson counts, 95 %).
RHYTHM_MIN_CHANGE = 0.05
RHYTHM_Z = 1.96
SECRET_PHRASE = "sous le secret statistique"


def _share(value: float) -> str:
    """A share as its table prints it (a « Part » column, kind "percent"): a sentence quotes the table's value."""
    return format_value(value, "percent")


@dataclass(frozen=True)
class KeyMessage:
    """One key message: its rule, the French sentence, the indicator behind it and the values it states."""

    rule: str
    text: str
    indicator: str
    values: dict[str, object] = field(default_factory=dict)


def independence_sentence(result: pd.DataFrame, what: str) -> str:
    """One sentence on a chi-square test (a row of `independence_test`, `compare_groups`), with its caveat."""
    row = result.iloc[0]
    note = row.get("note")
    note = note if isinstance(note, str) and note else ""
    if pd.isna(row["p_valeur"]):  # a test that cannot be run has no p-value nor V: « sans objet », not « n.d. »
        return french_sentence(f"Test d'indépendance {what} (khi-deux) : {NOT_APPLICABLE}"
                               + (f" ({note})" if note else ""))
    text = (
        f"Test d'indépendance {what} (khi-deux) : p = {format_number(row['p_valeur'], 3)}, "
        f"V de Cramér = {format_number(row['v_de_cramer'], 3)}."
    )
    return f"{text} {french_sentence(note)}" if note else text


def french_sentence(text: str) -> str:
    """A sentence as French prints it: a capital first letter and one full stop at the end (an abbreviation's
    point ends it too: never « n.d.. »)."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


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


def limits_of_tests(synthetic: bool) -> str:
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


# --- helpers ------------------------------------------------------------------------------------------------------


SMALL_BASE_PHRASE = "non publiée, calculée sur une base trop faible"


def withheld_phrase(row: pd.Series, column: str) -> str:
    """How a sentence says a withheld value, as its table prints it: a share on too small a base (« n.s. ») is no
    secret, a hidden count or what would rebuild one is."""
    return SMALL_BASE_PHRASE if row.get(f"{column}_secret") == SMALL_BASE else SECRET_PHRASE


def _hidden(row: pd.Series, column: str) -> bool:
    reason = row.get(f"{column}_secret")
    return reason is not None and not pd.isna(reason)


def _value(row: pd.Series, column: str) -> float | None:
    """A published value, None where hidden or missing."""
    if _hidden(row, column):
        return None
    value = row.get(column)
    return None if value is None or pd.isna(value) else float(value)


def deadline_text(deadline: object) -> str:
    """« fin 2024 » for a 31 December, the date otherwise."""
    stamp = pd.Timestamp(deadline)
    return f"fin {stamp.year}" if (stamp.month, stamp.day) == (12, 31) else format_date(stamp)


def _months(value: float) -> str:
    months = int(round(abs(value)))
    return "moins d'un mois" if months == 0 else f"{months} mois"


def _unit(unit: str, value: float) -> str:
    return "ETP" if unit == "etp" else ("contrats" if value != 1 else "contrat")


def _setters(group: pd.DataFrame) -> str:
    """« fin 2024 (président de la République), fin 2025 (ministre de la Santé (CNR santé), Cnam) »."""
    parts = []
    for deadline, by_deadline in group.sort_values("echeance").groupby("echeance", sort=True):
        who = ", ".join(dict.fromkeys(TARGET_SETTERS.get(name, name) for name in by_deadline["fixe_par"]))
        parts.append(f"{deadline_text(deadline)} ({who})")
    return ", ".join(parts)


def target_groups(progress: pd.DataFrame) -> list[pd.DataFrame]:
    """The targets as a reader knows them: one per value and unit (the 10 000 target set three times is one
    target with its successive deadlines), smallest first."""
    key = progress["valeur_cible"].astype(float).astype(str) + " " + progress["unite"].astype(str)
    key = key.str.replace("postes", "contrats")
    return [group for _, group in progress.assign(_key=key).groupby("_key", sort=False)]


def target_name(group: pd.DataFrame) -> str:
    """« 10 000 contrats (échéances : fin 2024 (président de la République), fin 2025 (…)) »."""
    first = group.iloc[0]
    value = float(first["valeur_cible"])
    deadlines = "échéance" + ("s" if group["echeance"].nunique() > 1 else "")
    return f"{format_number(value)} {_unit(str(first['unite']), value)} ({deadlines} : {_setters(group)})"


def _poisson_change(recent: float, before: float) -> tuple[str, float | None, float | None]:
    """« hausse », « baisse » or « stable » by the rule above, the relative change and the z statistic."""
    if recent + before == 0:
        return "stable", None, None
    z = (recent - before) / np.sqrt(recent + before)
    change = (recent - before) / before if before else None
    if abs(z) >= RHYTHM_Z and (change is None or abs(change) >= RHYTHM_MIN_CHANGE):
        return ("hausse" if recent > before else "baisse"), change, float(z)
    return "stable", change, float(z)


def _intervals_apart(low_a, high_a, low_b, high_b) -> bool:
    return high_a < low_b or high_b < low_a


# --- rules ----------------------------------------------------------------------------------------------------------


def targets_message(progress: pd.DataFrame, as_of: pd.Timestamp) -> KeyMessage:
    """Where each target stands: reached (when, against its deadline) or the share reached and what is missing."""
    reached, open_ = [], []
    values: dict[str, object] = {}
    for group in target_groups(progress):
        first = group.iloc[0]
        value = float(first["valeur_cible"])
        name = f"{format_number(value)} {_unit(str(first['unite']), value)}"
        values[name] = float(first["part_atteinte"])
        if pd.notna(first["date_atteinte"]):
            when = pd.Timestamp(first["date_atteinte"])
            latest = pd.Timestamp(group["echeance"].max())
            late = months_between(latest, when)
            timing = f"{_months(late)} après l'échéance de {deadline_text(latest)}" if late > 0 else (
                f"avant l'échéance de {deadline_text(latest)}")
            reached.append(f"{name} le {format_date(when)}, {timing}")
        else:
            missing = float(first["valeur_cible"]) - float(first["valeur_atteinte"])
            unit = _unit(str(first["unite"]), missing)
            deadlines = pd.to_datetime(group["echeance"])
            passed = group[deadlines < as_of]
            state = ""
            if len(passed):
                state = f" ; échéance de {deadline_text(passed['echeance'].max())} dépassée"
            if (deadlines == as_of).any():  # due this very day: not yet « dépassée », no longer « à venir »
                state += " ; échéance ce jour"
            open_.append(
                f"{name} : {format_percent(first['part_atteinte'], 1)} atteints "
                f"(il manque {format_number(missing, 0 if unit != 'ETP' else 1)} {unit}{state})"
            )
    parts = []
    if reached:
        parts.append("Objectifs atteints : " + " ; ".join(reached) + ".")
    if open_:
        parts.append("Objectifs en cours : " + " ; ".join(open_) + ".")
    return KeyMessage(
        "objectifs",
        f"Au {format_date(as_of)}, " + parts[0][0].lower() + parts[0][1:] + ("" if len(parts) < 2 else " " + parts[1]),
        "progression vers les objectifs officiels (cumul des contrats signés et de leurs ETP)",
        values,
    )


def projection_message(progress: pd.DataFrame, projections: pd.DataFrame) -> KeyMessage | None:
    """The projected date of the next open target against its last deadline, with its band; or why there is none."""
    open_groups = [group for group in target_groups(progress) if group["date_atteinte"].isna().all()]
    if not open_groups:
        return None
    group = open_groups[0]
    first = group.iloc[0]
    name = f"{format_number(float(first['valeur_cible']))} {_unit(str(first['unite']), 2)}"
    rows = projections[projections["objectif"].isin(group["objectif"])]
    row = rows.iloc[0]
    latest = pd.Timestamp(group["echeance"].max())
    indicator = "projection de la date d'atteinte (tendance des 12 derniers mois complets, bande à 95 %)"
    if pd.isna(row["date_projetee"]):
        reason = row["raison"] if isinstance(row["raison"], str) else "projection non calculable"
        return KeyMessage("projection", f"Objectif de {name} : projection non calculable ({reason}).", indicator,
                          {"date": None})
    date, low, high = (pd.Timestamp(row[c]) if pd.notna(row[c]) else None
                       for c in ("date_projetee", "date_projetee_au_plus_tot", "date_projetee_au_plus_tard"))
    band = (f"fourchette à 95 % : du {format_date(low)} au {format_date(high)}" if high is not None
            else f"fourchette à 95 % : à partir du {format_date(low)}, sans limite dans l'horizon de 10 ans")
    gap = months_between(latest, date)
    if low is not None and low > latest:
        against = f"{_months(gap)} après l'échéance de {deadline_text(latest)}, même au plus tôt"
    elif high is not None and high <= latest:
        against = f"avant l'échéance de {deadline_text(latest)}, même au plus tard"
    else:
        against = f"l'échéance de {deadline_text(latest)} est dans la fourchette"
    text = (f"Au rythme des 12 derniers mois, l'objectif de {name} serait atteint vers le {format_date(date)} "
            f"({band}) : {against}.")
    return KeyMessage("projection", text, indicator, {"date": date, "au_plus_tot": low, "au_plus_tard": high})


def rhythm_message(row: pd.Series, label: str) -> KeyMessage:
    """Signatures of the last 12 months against the 12 before, for a territory's published row."""
    indicator = ("contrats signés sur les 12 derniers mois et les 12 précédents (écart retenu s'il dépasse "
                 f"{format_percent(RHYTHM_MIN_CHANGE, 0)} et le seuil d'un test à 95 %)")
    recent, before = _value(row, "signes_12_derniers_mois"), _value(row, "signes_12_mois_precedents")
    if recent is None or before is None:
        return KeyMessage("rythme", f"{label} : les signatures des 12 derniers mois sont {SECRET_PHRASE}.",
                          indicator, {"tendance": None})
    trend, change, _ = _poisson_change(recent, before)
    counts = f"{format_number(recent)} contrats signés sur les 12 derniers mois contre {format_number(before)}"
    if trend == "stable":
        text = f"{label} : {counts} sur les 12 précédents, un rythme comparable (écart non significatif)."
    else:
        word = "plus" if trend == "hausse" else "moins"
        text = (f"{label} : {counts} sur les 12 précédents, soit {word} de signatures "
                f"({'+' if change and change > 0 else ''}{format_percent(change, 1)}).")
    return KeyMessage("rythme", text, indicator, {"tendance": trend, "recent": recent, "avant": before})


def _ranked(regions: pd.DataFrame, column: str) -> pd.DataFrame:
    values = [(_value(row, column), row["nom"], row["code"]) for _, row in regions.iterrows()]
    kept = [(value, name, code) for value, name, code in values if value is not None]
    return pd.DataFrame(kept, columns=["valeur", "nom", "code"]).sort_values(
        ["valeur", "nom"], ascending=[False, True], kind="stable").reset_index(drop=True)


RATES = {
    "actifs_pour_100k_hab": (ACTIVE_RATE.in_sentence, ACTIVE_RATE.decimals),
    "actifs_mg_pour_100_mg_estimes": ("contrats actifs de médecine générale pour 100 généralistes (estimation)", 1),
}


SUPPLIED_GP = "(effectifs fournis par l'analyste là où il les a donnés, estimation ailleurs)"


def _rates(regions: pd.DataFrame) -> dict[str, tuple[str, int]]:
    """The rates a message quotes, the per-100-GP one saying which GP counts it used (`generalistes_source`)."""
    if generalists_source_note(regions) is None:
        return RATES
    label, decimals = RATES["actifs_mg_pour_100_mg_estimes"]
    return {**RATES, "actifs_mg_pour_100_mg_estimes": (label.replace("(estimation)", SUPPLIED_GP), decimals)}


def territories_message(regions: pd.DataFrame, nation: pd.DataFrame) -> KeyMessage:
    """The regions furthest ahead and behind per 100 000 inhabitants and per 100 GPs (published rates)."""
    parts, values = [], {}
    france = nation.iloc[0]
    for column, (label, decimals) in _rates(regions).items():
        ranked = _ranked(regions, column)
        if ranked.empty:
            continue
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        values[column] = (top["code"], bottom["code"])
        national = _value(france, column)
        parts.append(
            f"en {label}, la région en tête est {top['nom']} ({format_number(top['valeur'], decimals)}), la "
            f"dernière {bottom['nom']} ({format_number(bottom['valeur'], decimals)}) ; France : "
            f"{format_number(national, decimals)}"
        )
    text = "Territoires : " + " ; ".join(parts) + "." if parts else "Territoires : aucun taux régional publié."
    gp_count = "estimés" if generalists_source_note(regions) is None else SUPPLIED_GP
    return KeyMessage("territoires", text, f"{ACTIVE_RATE.in_sentence} et contrats actifs de médecine générale "
                      f"pour 100 généralistes {gp_count}, par région (régions au taux publié)", values)


def region_rank_message(regions: pd.DataFrame, nation: pd.DataFrame, region: str) -> KeyMessage:
    """A region's rates and ranks among the regions whose rate is published, beside France's."""
    parts, values = [], {}
    france = nation.iloc[0]
    name = regions.set_index("code").loc[region, "nom"]
    for column, (label, decimals) in _rates(regions).items():
        ranked = _ranked(regions, column)
        own = ranked[ranked["code"] == region]
        national = format_number(_value(france, column), decimals)
        if own.empty:
            row = regions.set_index("code").loc[region]
            why = SECRET_PHRASE if _hidden(row, column) else "non disponible"
            parts.append(f"{label} : {why} (France : {national})")
            values[column] = None
            continue
        rank = int(own.index[0]) + 1
        values[column] = rank
        position = "1re" if rank == 1 else f"{rank}e"
        parts.append(f"{format_number(own['valeur'].iloc[0], decimals)} {label} (France : {national}), "
                     f"{position} région sur {len(ranked)}")
    return KeyMessage("rang", f"{name} : " + " ; ".join(parts) + ".",
                      "rang de la région parmi les régions au taux publié", values)


def backgrounds_message(mix: pd.DataFrame, label: str) -> KeyMessage | None:
    """How the main background's share moved between the first and the latest signing year (published mix):
    « recul » or « progression » only when the two Wilson intervals do not overlap."""
    category = "secretaire_medicale"
    rows = mix[(mix["categorie"] == category)]
    rows = rows[[not _hidden(row, "part") and pd.notna(row["part"]) for _, row in rows.iterrows()]]
    if len(rows) < 2:
        return None
    first, last = rows.iloc[0], rows.iloc[-1]
    name = "secrétaires médicales"
    a, b = float(first["part"]), float(last["part"])
    apart = _intervals_apart(first["ic_bas"], first["ic_haut"], last["ic_bas"], last["ic_haut"])
    verdict = ("en recul" if b < a else "en progression") if apart else "sans écart significatif"
    text = (f"{label} : les anciennes {name} signent {_share(b)} des contrats de {last['periode']} "
            f"contre {_share(a)} en {first['periode']}, {verdict} (intervalles de confiance à 95 %"
            f"{' disjoints' if apart else ' qui se recouvrent'}).")
    return KeyMessage("profils", text, "part de chaque profil d'origine par année de signature (Wilson 95 %)",
                      {"premiere": a, "derniere": b, "ecart_significatif": apart})


def region_backgrounds_message(shares: pd.DataFrame, region: str) -> KeyMessage | None:
    """A region's share of former medical secretaries beside France's, compared by their intervals."""
    category = "secretaire_medicale"
    rows = shares[shares["profil_origine"] == category].set_index("code")
    if region not in rows.index or "FR" not in rows.index:
        return None
    own, france = rows.loc[region], rows.loc["FR"]
    indicator = "part des profils d'origine, région et France (Wilson 95 %)"
    if _value(own, "part") is None or _value(france, "part") is None:  # never a value the table hides
        withheld = own if _value(own, "part") is None else france
        return KeyMessage("profils", f"{withheld['nom']} : la part des anciennes secrétaires médicales est "
                          f"{withheld_phrase(withheld, 'part')}.", indicator, {"ecart_significatif": None})
    apart = _intervals_apart(own["ic_bas"], own["ic_haut"], france["ic_bas"], france["ic_haut"])
    verdict = ("plus" if own["part"] > france["part"] else "moins") + " qu'en France" if apart else (
        "sans écart significatif avec la France")
    text = (f"{own['nom']} : {_share(own['part'])} des contrats signés l'ont été avec d'anciennes "
            f"secrétaires médicales (France : {_share(france['part'])}), {verdict}.")
    return KeyMessage("profils", text, indicator, {"region": float(own["part"]), "france": float(france["part"]),
                                                   "ecart_significatif": apart})


NOBODY_PAST_DEADLINE = ("aucun assistant en poste dont la formation est connue n'avait atteint son échéance de "
                        "certification : il n'y a pas encore de retard à mesurer")


def nobody_past_deadline(row: pd.Series) -> bool:
    """True when the base of the share past the deadline is shown as 0: no share, and no secret either."""
    return _value(row, "part_en_retard") is None and _value(row, "echeance_depassee_formation_connue") == 0


def training_state(row: pd.Series) -> str:
    """How a row of the certification table can be said, one rule for the key message and the figure's finding:
    `sans_echeance` (nobody past the deadline: no share, no secret), `part_publiee`, `effectifs_seuls` (the counts
    shown, the share withheld on too small a base) or `masque` (a count hidden)."""
    if nobody_past_deadline(row):
        return "sans_echeance"
    if _value(row, "en_retard") is None or _value(row, "echeance_depassee_formation_connue") is None:
        return "masque"
    return "effectifs_seuls" if _value(row, "part_en_retard") is None else "part_publiee"


def late_among_base(row: pd.Series) -> str:
    """« 167 assistants en poste sur 1 828 dont l'échéance de certification est passée et la formation connue »."""
    return (f"{format_number(_value(row, 'en_retard'))} assistants en poste sur "
            f"{format_number(_value(row, 'echeance_depassee_formation_connue'))} dont l'échéance de certification est "
            "passée et la formation connue")


def training_message(row: pd.Series, label: str, france: pd.Series | None = None) -> KeyMessage:
    """Assistants past their certification deadline without the certificate, with the share and its interval."""
    indicator = "assistants en poste sans certification après leur échéance (Wilson 95 %)"
    late, share = _value(row, "en_retard"), _value(row, "part_en_retard")
    state = training_state(row)
    if state == "sans_echeance":
        return KeyMessage("formation", f"{label} : {NOBODY_PAST_DEADLINE}.", indicator, {"part": None})
    if state == "effectifs_seuls":
        return KeyMessage("formation", f"{label} : {late_among_base(row)} ne sont pas certifiés (part "
                          f"{withheld_phrase(row, 'part_en_retard')}).", indicator, {"part": None, "en_retard": late})
    if state == "masque":
        return KeyMessage("formation", f"{label} : le nombre d'assistants sans certification après leur échéance "
                          f"est {SECRET_PHRASE}.", indicator, {"part": None})
    text = (f"{label} : {late_among_base(row)} ne sont pas certifiés ({_share(share)}, intervalle à 95 % : "
            f"{_share(row['ic_bas'])} – {_share(row['ic_haut'])})")
    if france is not None and _value(france, "part_en_retard") is not None:
        apart = _intervals_apart(row["ic_bas"], row["ic_haut"], france["ic_bas"], france["ic_haut"])
        text += f" ; France : {_share(france['part_en_retard'])}" + (
            "" if apart else ", sans écart significatif")
    return KeyMessage("formation", text + ".", indicator, {"part": share, "en_retard": late})


def training_supply_sentence(row: pd.Series) -> str:
    """A region's training need beside the training sites known in it (`NationalResults.training_supply`): a hidden
    need is said hidden, a region without a known list says so (never « aucun site »)."""
    need = _value(row, "besoin_formation")
    needs = ("Aucun assistant en poste non certifié n'a d'échéance de certification dépassée ou dans les 12 mois"
             if need == 0 else
             f"{format_number(need)} assistants en poste non certifiés ont une échéance de certification dépassée "
             "ou dans les 12 mois" if need is not None else
             f"Le nombre d'assistants en poste non certifiés dont l'échéance est dépassée ou dans les 12 mois est "
             f"{SECRET_PHRASE}")
    sites = row.get("sites_formation")
    if sites is None or pd.isna(sites):
        return f"{needs} ; liste des sites de formation de la région non connue (aucune liste publiée)."
    partial = "au moins " if row.get("connaissance") == "sites_partiels" else ""
    plural = "s" if int(sites) > 1 else ""
    return (f"{needs} ; {partial}{format_number(sites)} site{plural} de formation connu{plural} dans la région "
            f"({row['communes']}).")


def spending_message(spending: pd.DataFrame | None) -> KeyMessage | None:
    """Projected CPAM aid in the last year of the perspective, with its band (a projection)."""
    if spending is None or spending.empty or "montant_total_eur" not in spending.columns:
        return None
    last = spending.iloc[-1]
    first = spending.iloc[0]
    text = (f"Projection : aux règles actuelles, l'aide attendue de l'Assurance Maladie passerait de "
            f"{format_millions(first['montant_total_eur'])} en {first['annee']} à "
            f"{format_millions(last['montant_total_eur'])} en {last['annee']} (fourchette à 95 % : "
            f"{format_millions(last['montant_total_bas_eur'])} – {format_millions(last['montant_total_haut_eur'])}), "
            f"barème connu pour {_share(last['couverture'])} des années de contrat.")
    return KeyMessage("perspectives", text, "aide attendue projetée (barèmes appliqués aux contrats signés et "
                      "projetés, sans fin de contrat supposée)", {"annee": last["annee"],
                                                                   "montant": float(last["montant_total_eur"])})


# --- the page and the section openers -----------------------------------------------------------------------------


def key_messages(national, own=None, region: str | None = None, *, covers_france: bool = True,
                 france=None) -> list[KeyMessage]:
    """Four to six key messages for France (`region` None) or a region, from the published results
    (`NationalResults`, and the scope's `ScopeResults` for the background trend).

    When the extracts do not cover France (`covers_france` False) a region's messages compare nothing with France
    computed from them: no national share, no rank, its own background trend, and the targets read against the
    published national count `france` (`france_reference.FranceReference`)."""
    as_of = national.as_of
    if region is not None and not covers_france:
        return _messages_without_france(national, own, region, france)
    if region is None:
        france = national.nation.iloc[0]
        messages = [
            targets_message(national.progress, as_of),
            projection_message(national.progress, national.projections),
            rhythm_message(france, NATIONAL_LABEL),
            territories_message(national.regions, national.nation),
            backgrounds_message(own.backgrounds_by_year, NATIONAL_LABEL) if own is not None else None,
            training_message(national.training_france.iloc[0], NATIONAL_LABEL)
            if national.training_france is not None else None,
        ]
    else:
        row = national.regions.set_index("code").loc[region]
        name = str(row["nom"])
        training = national.training.set_index("code")
        france_training = national.training_france.iloc[0] if national.training_france is not None else None
        messages = [
            presence_message(row, name, as_of),
            region_rank_message(national.regions, national.nation, region),
            rhythm_message(row, name),
            region_backgrounds_message(national.shares, region),
            training_message(training.loc[region], name, france_training),
            national_context_message(national.progress, as_of),
        ]
    return [message for message in messages if message is not None]


def _messages_without_france(national, own, region: str, france) -> list[KeyMessage]:
    """A region's messages when the extracts cover that region (or a few) and not France."""
    from am_analytics.presentation.france_reference import target_sentence

    row = national.regions.set_index("code").loc[region]
    name = str(row["nom"])
    targets = target_sentence(france, national.as_of)
    messages = [
        presence_message(row, name, national.as_of, national_share=False),
        rhythm_message(row, name),
        backgrounds_message(own.backgrounds_by_year, name) if own is not None else None,
        training_message(national.training.set_index("code").loc[region], name),
        KeyMessage("objectifs", targets, "objectifs officiels rapportés au nombre national publié",
                   {"france": france.value}) if targets else None,
    ]
    return [message for message in messages if message is not None]


def presence_message(row: pd.Series, name: str, as_of: pd.Timestamp, *, national_share: bool = True) -> KeyMessage:
    """A region's contracts signed and active, and its share of the national total (published figures)."""
    def shown(column: str, kind: str = "count") -> str:
        return published_text(row, column, kind, 1 if kind == "percent" else 0)

    if _hidden(row, "signes"):
        text = f"{name} : au {format_date(as_of)}, le nombre de contrats signés est {SECRET_PHRASE}."
    else:
        text = (f"{name} : au {format_date(as_of)}, {shown('signes')} contrats signés depuis 2019, dont "
                f"{shown('actifs')} actifs" + (f", soit {shown('part_nationale_signes', 'percent')} des contrats "
                                                "signés en France." if national_share else "."))
    return KeyMessage("presence", text, "contrats signés et actifs de la région"
                      + (", part nationale" if national_share else ""),
                      {"signes": _value(row, "signes"), "actifs": _value(row, "actifs")})


def national_context_message(progress: pd.DataFrame, as_of: pd.Timestamp) -> KeyMessage | None:
    """For a region: the national targets, which no region has, and where France stands."""
    groups = [group for group in target_groups(progress) if group["date_atteinte"].isna().all()]
    if not groups:
        return None
    first = groups[0].iloc[0]
    text = (f"Les objectifs sont nationaux : au {format_date(as_of)}, la France entière atteint "
            f"{format_percent(first['part_atteinte'], 1)} de l'objectif de {target_name(groups[0])}.")
    return KeyMessage("objectifs", text, "progression nationale vers les objectifs officiels",
                      {"part": float(first["part_atteinte"])})


def synthetic_preamble(synthetic: bool) -> str | None:
    """What the key messages describe when the data is synthetic."""
    if not synthetic:
        return None
    return (f"{SYNTHETIC_MENTION} : ces messages décrivent les données de démonstration générées par le logiciel, "
            "pas la réalité. Ils montrent ce que le rapport dira sur des extractions réelles.")


def message_lines(messages: Sequence[KeyMessage], rules: Sequence[str]) -> list[str]:
    """The sentences of some rules, in the given order: a section opens with the messages of its kind."""
    by_rule = {message.rule: message.text for message in messages}
    return [by_rule[rule] for rule in rules if rule in by_rule]


def _complete_years(funding: pd.DataFrame, as_of: object = None) -> pd.DataFrame:
    """The rows of the calendar years over at the counting date (2024 included on 31 December 2024); all rows when
    none is over yet. The date is the caller's (`as_of`), or for an analyst's frame, the one it records."""
    as_of = as_of if as_of is not None else funding.attrs.get("as_of")
    if as_of is None:  # a frame without its date: its last year is taken as the one under way
        return funding.iloc[:-1] if len(funding) > 1 else funding
    over = funding[funding["annee"].astype(int) < first_open_year(pd.Timestamp(as_of))]
    return over if len(over) else funding


def funding_sentences(funding: pd.DataFrame, label: str, as_of: object = None) -> list[str]:
    """Two sentences on the expected aid (published) at the counting date `as_of`, amounts as the funding table
    prints them: the last complete calendar year and its rule coverage, and the total from the first year through
    that same year (the current, incomplete year is not in it) only when no year of it is hidden."""
    if funding.empty:
        return [f"{label} : aucune aide attendue à cette date."]
    through = _complete_years(funding, as_of)
    complete = through.iloc[-1]
    year = complete["annee"]
    amount = _value(complete, "montant_attendu_eur")
    if amount is None:
        lines = [f"{label} : l'aide attendue pour les années de contrat commencées en {year} est {SECRET_PHRASE}."]
    else:
        lines = [f"{label} : l'aide attendue de l'Assurance Maladie est estimée à {format_millions(amount)} pour "
                 f"les années de contrat commencées en {year}."]
    amounts = [_value(row, "montant_attendu_eur") for _, row in through.iterrows()]
    if all(value is not None for value in amounts):
        first = through.iloc[0]["annee"]
        span = f"en {year}" if first == year else f"de {first} à {year}"
        lines[0] = lines[0][:-1] + f", {format_millions(sum(amounts))} au total {span}."
    else:
        lines.append("Certaines années sont sous le secret statistique : aucun total n'est donné.")
    coverage = _value(complete, "couverture")
    if coverage is not None:
        lines.append(f"Barème connu pour {_share(coverage)} des années de contrat de {year} (les options "
                     "« deuxième assistant » n'ont pas de montant publié et ne sont pas chiffrées).")
    return lines


def quality_sentences(quality: pd.DataFrame, covered: str | None = None) -> list[str]:
    """Rows read and quarantined over every file received; `covered` names the territory the extracts cover when
    it is not France (« Bretagne »)."""
    total = quality[quality["fichier"] == "Total"]
    row = total.iloc[0] if len(total) else quality.sum(numeric_only=True)
    read, kept, quarantined = (float(row[c]) for c in ("lignes_lues", "lignes_conservees", "lignes_en_quarantaine"))
    merged = sum(float(row[c]) for c in ("lignes_mises_a_jour", "doublons_fusionnes") if c in row.index)
    share = quarantined / read if read else None
    return [
        f"{format_number(read)} lignes lues dans les fichiers reçus : {format_number(kept)} conservées, "
        f"{format_number(merged)} remplacées par une version plus récente ou fusionnées (copies exactes), "
        f"{format_number(quarantined)} mises en quarantaine ({format_percent(share, 1)}), chacune avec son motif.",
        f"Les fichiers couvrent {covered or 'la France entière'} : la qualité des données se lit sur l'ensemble "
        "des extractions.",
    ]


def unpublished_chart_sentence(title: str, coarser: str | None = None) -> str:
    """What replaces a chart none of whose values may be published (`figures.published.nothing_publishable`), and
    where the coarser published figures are (`coarser`, « le tableau « … » »), when there are any."""
    text = (f"« {title} » : graphique non publié, aucune de ses valeurs n'étant publiable — chaque effectif est "
            "inférieur à 5 ou masqué pour qu'un tel effectif ne puisse être retrouvé (secret statistique).")
    return text if coarser is None else text[:-1] + f" ; toutes années confondues, voir {coarser}."


def mix_sentence(mix: pd.DataFrame, what: str) -> str | None:
    """The leading category of a published mix in its latest signing year with a published share: « En 2025, la
    médecine générale représente 74 % des contrats signés (spécialité). »"""
    shown = mix[[_value(row, "part") is not None for _, row in mix.iterrows()]]
    if shown.empty:
        return None
    latest = shown[shown["periode"] == shown["periode"].max()]
    top = latest.sort_values("part", ascending=False, kind="stable").iloc[0]
    return (f"{what} : {period_phrase(top['periode'])}, « {top['libelle']} » représente {_share(top['part'])} des "
            f"contrats signés (intervalle à 95 % : {_share(top['ic_bas'])} – {_share(top['ic_haut'])}).")
