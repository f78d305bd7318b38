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
    "doublon_conflictuel": "même numéro de contrat avec des valeurs différentes",
}
