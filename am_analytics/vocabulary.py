"""Canonical categories of the datasets and the quarantine reasons, shared by the generator, the
normalisers, the validation and the presentation (labels in French)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

# --- Scheme dates that decide which values are allowed -------------------------------------------
SCHEME_START = date(2019, 9, 1)  # avenant 7 in force
ONE_THIRD_CLOSED = date(2023, 5, 1)  # règlement arbitral: no new 1/3 contracts from this day
CONVENTION_2024 = date(2024, 6, 22)  # convention médicale 2024: second-assistant options

# --- FTE options ---------------------------------------------------------------------------------
# `etp` is the FTE the contract funds; a second assistant under the 2024 convention adds 1/2 or 1 FTE
# to a first full-time one, so the contract then covers 3/2 or 2 FTE.
ETP_OPTIONS: dict[str, Fraction] = {
    "1/3": Fraction(1, 3),
    "1/2": Fraction(1, 2),
    "1": Fraction(1),
    "1+1/2": Fraction(3, 2),
    "1+1": Fraction(2),
}
SECOND_ASSISTANT_OPTIONS = ("1+1/2", "1+1")
ETP_LABELS = {
    "1/3": "1/3 ETP",
    "1/2": "1/2 ETP",
    "1": "1 ETP",
    "1+1/2": "1 ETP + 2e assistant 1/2",
    "1+1": "1 ETP + 2e assistant 1",
}

# --- Categories ------------------------------------------------------------------------------------
SPECIALITES = {
    "medecine_generale": "Médecine générale",
    "cardiologie": "Cardiologie",
    "ophtalmologie": "Ophtalmologie",
    "pediatrie": "Pédiatrie",
    "dermatologie": "Dermatologie",
    "psychiatrie": "Psychiatrie",
    "autre": "Autre spécialité",
}
ZONES = {
    "zip": "Zone d'intervention prioritaire",
    "zac": "Zone d'action complémentaire",
    "hors_zone": "Hors zone sous-dense",
}
PROFILS = {
    "secretaire_medicale": "Secrétaire médicale",
    "infirmier": "Infirmier·ère",
    "aide_soignant": "Aide-soignant·e",
    "auxiliaire_puericulture": "Auxiliaire de puériculture",
    "assistant_dentaire": "Assistant·e dentaire",
    "autre_sante": "Autre profession de santé",
    "hors_sante": "Sans expérience en santé",
    "inconnu": "Non renseigné",
}
# --- Survey scales -----------------------------------------------------------------------------------
TYPES_REPONDANT = {"medecin": "Médecin", "assistant": "Assistant médical"}
SATISFACTION = {  # 4-point Likert scale, from best to worst; the code is the rank
    1: "Très satisfait",
    2: "Plutôt satisfait",
    3: "Plutôt pas satisfait",
    4: "Pas du tout satisfait",
}
TEMPS_GAGNE = {
    "aucun": "Aucun",
    "moins_1h": "Moins d'1 h par jour",
    "1_2h": "1 à 2 h par jour",
    "plus_2h": "Plus de 2 h par jour",
}
POURSUIVRE = {"oui": "Oui", "non": "Non", "ne_sait_pas": "Ne sait pas"}
MISSIONS = {
    "mission_accueil": "Accueil",
    "mission_constantes": "Prise des constantes",
    "mission_vaccination_depistage": "Vaccination et dépistage",
    "mission_dossier": "Dossier patient",
    "mission_coordination": "Coordination",
    "mission_aide_actes": "Aide aux actes techniques",
    "mission_stocks": "Gestion des stocks",
    "mission_hygiene": "Hygiène",
}

FORMATIONS = {
    "cqp_obtenu": "CQP obtenu",
    "cqp_en_cours": "CQP en cours",
    "diplome_etat_fae": "Diplôme d'État (formation d'adaptation)",
    "aucune": "Aucune formation",
}

# --- Quarantine reasons ------------------------------------------------------------------------------
# Every rejected row carries one of these codes (and the file, line, column and value it concerns).
REASONS = {
    "valeur_manquante": "valeur obligatoire absente",
    "contrat_id_manquant": "numéro de contrat absent",
    "date_invalide": "date illisible",
    "departement_inconnu": "département inconnu",
    "departement_ambigu": "département ambigu (20 : Corse-du-Sud ou Haute-Corse ?)",
    "region_inconnue": "région inconnue",
    "etp_invalide": "quotité illisible ou hors des options (négative, nulle, trop grande)",
    "etp_non_autorise": "option de quotité non ouverte à la date de signature",
    "date_fin_avant_signature": "date de fin antérieure à la signature",
    "signature_hors_periode": "signature avant le 1er septembre 2019 ou après la date d'arrêté",
    "specialite_inconnue": "spécialité non reconnue",
    "zone_inconnue": "zone non reconnue",
    "profil_inconnu": "profil d'origine non reconnu",
    "formation_inconnue": "formation non reconnue",
    "montant_invalide": "montant négatif ou illisible",
    "rpps_invalide": "identifiant RPPS invalide (11 chiffres attendus)",
    "cellules_en_trop": "ligne plus longue que l'en-tête : valeurs peut-être décalées (séparateur en trop ?)",
    "nombre_invalide": "nombre illisible",
    "nombre_negatif": "effectif négatif",
    "annee_invalide": "année illisible ou hors de la période du dispositif",
    "pourcentage_invalide": "pourcentage hors de 0 à 100",
    "niveau_inconnu": "ligne ni nationale, ni régionale, ni départementale",
    "type_repondant_inconnu": "type de répondant ni médecin ni assistant",
    "reponse_hors_echelle": "réponse hors de l'échelle proposée",
    "poids_invalide": "poids de redressement nul, négatif ou illisible",
    "doublon_conflictuel": "même identifiant (contrat, territoire et année, répondant) avec des valeurs différentes",
}

# --- What a reader sees: one wording for each thing, shared by the report, the notebooks and the site -----
SYNTHETIC_MENTION = "Données de démonstration synthétiques"
SYNTHETIC_WARNING = (
    f"{SYNTHETIC_MENTION} — ces chiffres sont générés par le logiciel pour la démonstration ; "
    "ne pas les utiliser ni les diffuser comme des données réelles."
)
NATIONAL_LABEL = "France entière"
SOURCE_CONTRACTS = "contrats d'aide à l'emploi d'un assistant médical (CPAM)"
SOURCE_TARGETS = "objectifs officiels et chiffres publiés (Assurance Maladie, presse)"
SOURCE_POPULATION = "Insee, populations légales 2023"
SOURCE_SURVEY = "enquête de satisfaction auprès des médecins et des assistants"
ALL_PROFILS_LABEL = "tous les profils"
TARGET_STATUS_LABELS = {
    "atteint_a_temps": "atteint avant l'échéance",
    "atteint_en_retard": "atteint après l'échéance",
    "non_atteint_echeance_depassee": "non atteint, échéance dépassée",
    "en_cours": "non atteint, échéance à venir",
}
# How the reference table (unaccented, as collected) names who set each target, written for a reader
TARGET_SETTERS = {
    "Plan Ma sante 2022": "plan « Ma santé 2022 »",
    "Ministre de la Sante (CNR sante)": "ministre de la Santé (CNR santé)",
    "President de la Republique": "président de la République",
    "Cnam": "Cnam",
    "Convention medicale 2024-2029": "convention médicale 2024-2029",
}
SURVEY_GROUPS = {"ensemble": "Ensemble", "medecin": "Médecins", "assistant": "Assistants"}
PUBLISHED_INDICATORS = {"contrats_signes": "contrats signés", "etp_assistants": "ETP"}

# --- Statistical disclosure: the symbol of a hidden cell and the note that explains it ------------------
SECRET_SYMBOLS = {"primaire": "< 5", "complementaire": "s", "base_insuffisante": "n.s."}
SECRET_NOTES = {
    "primaire": "« < {seuil} » : effectif de 1 à {max_small}, masqué (secret statistique).",
    "complementaire": (
        "« s » : valeur masquée pour qu'aucun effectif « < {seuil} » ne puisse être retrouvé par différence "
        "avec un total publié (secret complémentaire), ou valeur calculée sur un effectif masqué."
    ),
    "base_insuffisante": "« n.s. » : part ou taux non publié, calculé sur moins de {base} contrats.",
}
SECRET_LEGEND = "Secret statistique"


def secret_symbol(reason: str, kind: str) -> str:
    """The symbol a hidden cell shows: « < 5 » only for a count hidden because it is small; a share, an
    amount or an FTE hidden with its count reads « s » (« < 5 » there would read « under 5 % »)."""
    if reason == "primaire" and kind != "count":
        return SECRET_SYMBOLS["complementaire"]
    return SECRET_SYMBOLS[reason]
