"""What each numbered figure of the report says: its title stating the finding and its « Lecture » sentence, written
from the figure's own published values (the items of `presentation.results`), each formatted by its variable's
record (`vocabulary.VARIABLES`): one number, one value, whatever the output.

A hidden value reads as its symbol (« < 5 », « s »), never as a number; a finding that needs a hidden value says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from am_analytics.figures.formatting import format_date, format_number
from am_analytics.presentation.disclosure import secret_column
from am_analytics.presentation.keyfigures import measured_text
from am_analytics.presentation.sentences import (
    NOBODY_PAST_DEADLINE,
    SECRET_PHRASE,
    _ranked,
    _value,
    late_among_base,
    training_state,
    withheld_phrase,
)
from am_analytics.presentation.tables import published_text
from am_analytics.vocabulary import ACTIVE_RATE, NATIONAL_LABEL, VARIABLES

SECRETARIES = "secretaire_medicale"


@dataclass(frozen=True)
class Finding:
    """A figure's title (the finding, without its number) and its « Lecture » sentence (without the label)."""

    title: str
    reading: str


def _share(row: pd.Series, column: str = "part") -> str:
    decimals = VARIABLES[column].decimals if column in VARIABLES else 0
    return published_text(row, column, "percent", decimals)


def rollout(row: pd.Series, label: str, as_of: pd.Timestamp) -> Finding:
    """The headline: contracts signed since the start and still active, in the territory of `row`."""
    signed, active, fte = (measured_text(row, name) for name in ("signes", "actifs", "etp_actifs"))
    return Finding(
        f"{label} : {signed} contrats signés depuis septembre 2019, dont {active} actifs au {format_date(as_of)}",
        f"au {format_date(as_of)}, {signed} contrats d'assistant médical avaient été signés depuis septembre 2019 "
        f"({label}) ; {active} étaient actifs, pour {fte} équivalents temps plein.",
    )


def regions_ranked(regions: pd.DataFrame, nation: pd.DataFrame, as_of: pd.Timestamp) -> Finding:
    """The regions furthest ahead and behind in active contracts per 100 000 inhabitants."""
    column = "actifs_pour_100k_hab"
    ranked = _ranked(regions, column)
    france = measured_text(nation.iloc[0], column)
    if ranked.empty:
        return Finding("Aucun taux régional publié", f"aucun taux régional n'est publié au {format_date(as_of)}.")
    top, bottom = ranked.iloc[0], ranked.iloc[-1]
    rows = regions.set_index("code")
    return Finding(
        f"{top['nom']} compte le plus de contrats actifs par habitant, {bottom['nom']} le moins",
        f"au {format_date(as_of)}, {top['nom']} compte {measured_text(rows.loc[top['code']], column)} "
        f"{ACTIVE_RATE.in_sentence}, {bottom['nom']} {measured_text(rows.loc[bottom['code']], column)}, "
        f"la France entière {france}.",
    )


def first_background(shares: pd.DataFrame, code: str, label: str) -> Finding:
    """The first background of a territory's assistants (largest published share) and its share."""
    rows = shares[shares["code"] == code]
    known = [(value, index) for index, row in rows.iterrows() if (value := _value(row, "part")) is not None]
    if not known:
        return Finding(f"{label} : parts des profils d'origine {SECRET_PHRASE}",
                       f"les parts des profils d'origine ({label}) sont {SECRET_PHRASE}.")
    first = rows.loc[max(known)[1]]
    name, share = str(first["libelle"]).lower(), _share(first)
    interval = f"{_share(first, 'ic_bas')} – {_share(first, 'ic_haut')}"
    title = f"{label} : « {name} », premier profil d'origine des assistants ({share} des contrats)"
    return Finding(title, f"{share} des contrats signés depuis septembre 2019 ({label}) l'ont été avec un assistant "
                          f"au profil d'origine « {name} » (intervalle de confiance à 95 % : {interval}).")


def backgrounds_against_france(shares: pd.DataFrame, region: str, name: str) -> Finding:
    """A region's share of former medical secretaries beside France's."""
    rows = shares[shares["profil_origine"] == SECRETARIES].set_index("code")
    own, france = rows.loc[region], rows.loc["FR"]
    if _value(own, "part") is None:
        withheld = withheld_phrase(own, "part")
        return Finding(f"{name} : part des anciennes secrétaires médicales {withheld}",
                       f"la part des anciennes secrétaires médicales ({name}) est {withheld} ; "
                       f"France entière : {_share(france)}.")
    return Finding(
        f"{name} : {_share(own)} d'anciennes secrétaires médicales parmi les contrats signés, "
        f"{_share(france)} en France entière",
        f"{_share(own)} des contrats signés ({name}) l'ont été avec d'anciennes secrétaires médicales (intervalle à "
        f"95 % : {_share(own, 'ic_bas')} – {_share(own, 'ic_haut')}), contre {_share(france)} en France entière.",
    )


def background_years(mix: pd.DataFrame, label: str) -> Finding:
    """The share of former medical secretaries in the first and the latest signing year."""
    rows = mix[mix["categorie"] == SECRETARIES]
    rows = rows[[_value(row, "part") is not None for _, row in rows.iterrows()]]
    if len(rows) < 2:
        return Finding(f"{label} : profil d'origine des assistants par année de signature",
                       "les parts par année ne sont pas publiables pour deux années au moins.")
    first, last = rows.iloc[0], rows.iloc[-1]
    return Finding(
        f"{label} : les anciennes secrétaires médicales, {_share(first)} des contrats de {first['periode']}, "
        f"{_share(last)} en {last['periode']}",
        f"parmi les contrats signés en {last['periode']} ({label}), {_share(last)} l'ont été avec d'anciennes "
        f"secrétaires médicales.",
    )


def training(row: pd.Series, label: str, as_of: pd.Timestamp) -> Finding:
    """Assistants past their certification deadline without the certificate (`sentences.training_state`)."""
    state, day = training_state(row), format_date(as_of)
    if state == "sans_echeance":
        return Finding(f"{label} : aucun assistant n'a encore atteint son échéance de certification",
                       f"au {day}, {NOBODY_PAST_DEADLINE}.")
    if state == "masque":
        return Finding(f"{label} : assistants sans certification à l'échéance {SECRET_PHRASE}",
                       f"le nombre d'assistants sans certification après leur échéance est {SECRET_PHRASE}.")
    late, base = measured_text(row, "en_retard"), measured_text(row, "echeance_depassee_formation_connue")
    if state == "effectifs_seuls":
        return Finding(f"{label} : {late} assistants sans certification à l'échéance, sur {base}",
                       f"au {day}, {late_among_base(row)} n'étaient pas certifiés (part "
                       f"{withheld_phrase(row, 'part_en_retard')}).")
    share = _share(row, "part_en_retard")
    return Finding(f"{label} : {share} des assistants dont l'échéance est passée ne sont pas certifiés",
                   f"au {day}, {late_among_base(row)} n'étaient pas certifiés ({share}).")


PERIOD_NOUNS = {"mois": "mois", "trimestre": "trimestre", "annee": "année"}


def signings_by_period(series: pd.DataFrame, label: str, step: str) -> Finding:
    """Contracts signed per period (a published series, by its `step`): the last period whose count is shown."""
    noun = PERIOD_NOUNS[step]
    shown = series[series["signes_mois_secret"].isna()] if "signes_mois_secret" in series else series
    if shown.empty:
        return Finding(f"{label} : contrats signés par {noun}",
                       f"chaque effectif de la période est {SECRET_PHRASE}.")
    last = shown.iloc[-1]
    count = published_text(last, "signes_mois", "count", 0)
    return Finding(f"{label} : {count} contrats signés dans le dernier {noun} publié"
                   if step != "annee" else f"{label} : {count} contrats signés dans la dernière année publiée",
                   f"chaque barre compte les contrats signés pendant un {noun} ; la période close au "
                   f"{format_date(last['fin_de_periode'])} en compte {count}.")


def funding(frame: pd.DataFrame, label: str, year: str | None) -> Finding:
    """Expected aid of the last complete calendar year (`year`, None when there is none)."""
    rows = frame[frame["annee"] == year] if year is not None else frame.iloc[0:0]
    if rows.empty:
        return Finding(f"{label} : aide attendue de l'Assurance Maladie par année civile",
                       "aucune année civile complète n'est publiée.")
    amount = published_text(rows.iloc[0], "montant_attendu_eur", "millions")
    return Finding(
        f"{label} : {amount} d'aide attendue de l'Assurance Maladie en {year}",
        f"en {year}, l'aide attendue de l'Assurance Maladie pour les contrats ({label}) s'élève à {amount}, "
        "selon les barèmes appliqués à chaque contrat.",
    )


def projection(projected: pd.DataFrame, date: object) -> Finding:
    """The cumulative contracts projected at the end of the horizon, and the projected date of the next target."""
    if projected is None or projected.empty:
        return Finding(f"{NATIONAL_LABEL} : projection non calculable", "la série est trop courte pour projeter.")
    last = projected.iloc[-1]
    when = pd.Timestamp(last["mois"])
    count, low, high = (format_number(last[c]) for c in ("cumul_projete", "cumul_projete_bas", "cumul_projete_haut"))
    title = (f"{NATIONAL_LABEL} : au rythme actuel, {count} contrats signés fin {when.year}" if date is None else
             f"{NATIONAL_LABEL} : au rythme actuel, le prochain objectif serait atteint vers le "
             f"{format_date(pd.Timestamp(date))}")
    return Finding(title, f"au rythme des 12 derniers mois, le cumul des contrats signés atteindrait {count} fin "
                          f"{when.year} (fourchette à 95 % : {low} – {high}).")


def satisfaction(distribution: pd.DataFrame, fieldwork: str) -> Finding:
    """The share of doctors « très satisfaits » in the national survey."""
    rows = distribution.set_index("groupe")
    doctors = rows.loc["medecin"] if "medecin" in rows.index else rows.iloc[0]
    assistants = rows.loc["assistant"] if "assistant" in rows.index else rows.iloc[-1]
    very, satisfied = _share(doctors, "Très satisfait"), _share(doctors, "satisfaits")
    month = format_date(pd.Timestamp(fieldwork)).split(" ", 1)[-1]
    return Finding(
        f"Enquête nationale ({NATIONAL_LABEL}) : {satisfied} des médecins employeurs satisfaits du dispositif",
        f"en {month}, {very} des médecins employeurs interrogés se disaient « très satisfaits » du dispositif, "
        f"{_share(assistants, 'Très satisfait')} des assistants ({NATIONAL_LABEL}).",
    )


def departements_side_by_side(compared: pd.DataFrame, france: pd.Series | None, as_of: pd.Timestamp) -> Finding:
    """A region's départements: the range of their rates, and the reading of the first one with its interval."""
    known = compared.dropna(subset=["actifs_pour_100k_hab"])
    rate = VARIABLES["actifs_pour_100k_hab"].decimals
    if known.empty:
        return Finding("Taux des départements non publiés", "aucun taux départemental n'est publié.")
    low, high = known.loc[known["actifs_pour_100k_hab"].idxmin()], known.loc[known["actifs_pour_100k_hab"].idxmax()]
    first = known.iloc[0]
    gp = format_number(first["actifs_mg_pour_100_mg_estimes"], VARIABLES["actifs_mg_pour_100_mg_estimes"].decimals)
    against = f" ; France entière : {measured_text(france, 'actifs_pour_100k_hab')}" if france is not None else ""
    return Finding(
        f"De {format_number(low['actifs_pour_100k_hab'], rate)} ({low['nom']}) à "
        f"{format_number(high['actifs_pour_100k_hab'], rate)} ({high['nom']}) {ACTIVE_RATE.in_sentence} selon le "
        "département",
        f"au {format_date(as_of)}, {first['nom']} compte {format_number(first['actifs_pour_100k_hab'], rate)} "
        f"{ACTIVE_RATE.in_sentence} (intervalle à 95 % : {format_number(first['ic_bas'], rate)} – "
        f"{format_number(first['ic_haut'], rate)}) et {gp} contrats actifs de médecine générale pour 100 "
        f"généralistes{against}.",
    )


def index_on_france(index: pd.DataFrame, rank: pd.DataFrame, name: str) -> Finding:
    """The region's first indexed indicator (its rate per 100 000 inhabitants when published) on France = 100, with
    its rank among the regions."""
    row = index.dropna(subset=["indice_france_100"]).iloc[0]
    decimals = VARIABLES.get(row["indicateur"], VARIABLES["part"]).decimals
    percent = row["indicateur"] in ("part", "part_en_retard")
    shown = (lambda value: f"{format_number(value * 100, decimals)} %") if percent else (
        lambda value: format_number(value, decimals))
    position = rank.iloc[0]
    ranked = "" if pd.isna(position["rang"]) else (
        f" ; {name} est la {_ordinal(int(position['rang']))} région sur {int(position['regions_classees'])} pour les "
        "contrats actifs par habitant")
    level = format_number(row["indice_france_100"], VARIABLES["indice_france_100"].decimals)
    what = str(row["libelle"])
    return Finding(
        f"{name} : indice {level} ({what.lower()}, France entière = 100)",
        f"{what.lower()} : {shown(row['region'])} pour {name} contre {shown(row['france'])} en France entière, soit un "
        f"indice de {level}{ranked}.",
    )


def _ordinal(rank: int) -> str:
    return "1re" if rank == 1 else f"{rank}e"



def _gap(row: pd.Series) -> str | None:
    """An effect in % as « de 10,9 % de plus » (or « de moins »); None when it is hidden or missing."""
    value = row.get("effet_pct")
    if pd.notna(row.get(secret_column("effet_pct"))) or pd.isna(value):
        return None
    return f"de {format_number(abs(float(value)), 1)} % de {'plus' if float(value) >= 0 else 'moins'}"


def effect_of_signing(average: pd.DataFrame, cross: pd.DataFrame | None, synthetic: bool) -> Finding:
    """The effect of signing on the adult « médecin traitant » list (and the active list, the acts), from the rows
    of the published effect frame over every matched signatory (`average`, indexed by measure), and the 48-month
    evolutions of the Cnam's design on the data beside the published ones (`cross` rows of the MT list: signatories
    first, None when the design does not apply yet). A hidden estimate is said hidden, never quoted."""
    mt = average.loc["patients_mt"]
    amount = _gap(mt)
    if amount is None:
        title = f"Effet de la signature sur la patientèle médecin traitant : {SECRET_PHRASE}"
        reading = f"l'effet de la signature sur la patientèle médecin traitant est {SECRET_PHRASE}."
    else:
        interval = " à ".join(published_text(mt, column, "decimal", 1) for column in ("ic_bas", "ic_haut"))
        others = [f"leur {label} {gap}" for measure, label in
                  (("file_active", "file active"), ("actes_par_jour", "nombre d'actes par jour travaillé"))
                  if measure in average.index and (gap := _gap(average.loc[measure])) is not None]
        title = (f"Après la signature, la patientèle médecin traitant des signataires progresse {amount} que celle "
                 "de médecins comparables")
        reading = (f"après la période de signature, la patientèle médecin traitant adulte des "
                   f"{published_text(mt, 'signataires')} médecins signataires suivis a progressé {amount} que celle "
                   f"de non-signataires comparables (intervalle à 95 % : {interval} %)"
                   + (f", {' et '.join(others)}" if others else "") + ".")
    if cross is not None and len(cross) == 2:
        signed, unsigned = cross.iloc[0], cross.iloc[1]
        reading += (f" Selon le plan de l'étude Cnam appliqué aux données, la patientèle des généralistes signataires "
                    f"de 2019–2020 a progressé de {published_text(signed, 'valeur_donnees', 'decimal', 1)} % en 48 "
                    f"mois, contre {published_text(unsigned, 'valeur_donnees', 'decimal', 1)} % pour les "
                    f"non-signataires (chiffres publiés par la Cnam : {format_number(signed['valeur_publiee'], 1)} % "
                    f"et {format_number(unsigned['valeur_publiee'], 1)} %)")
        reading += (" ; données synthétiques calibrées sur ces chiffres : leur accord ne prouve que le calibrage."
                    if synthetic else ".")
    return Finding(title, reading)
