"""Canonical categories of the datasets and the quarantine reasons, shared by the generator, the
normalisers, the validation and the presentation (labels in French)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

# --- Scheme dates that decide which values are allowed -------------------------------------------
SCHEME_START = date(2019, 9, 1)  # avenant 7 in force
SURVEY_FIELDWORK = "2021-02-01"  # the BVA satisfaction survey's fieldwork month (February 2021)
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
    "date_invalide": "date illisible (formats acceptés : JJ/MM/AAAA, AAAA-MM-JJ avec ou sans heure, AAAAMMJJ, "
    "04MAR2021, 4 mars 2021, numéro de série Excel)",
    "date_ambigue": "date américaine avec AM/PM (mois d'abord) : 3/4/2021 peut être le 3 avril ou le 4 mars ; "
    "exporter les dates en JJ/MM/AAAA ou AAAA-MM-JJ",
    "date_sans_fin": "date de fin en l'an 2100 ou au-delà (31/12/9999, 2999) : la convention des bases de données pour "
    "« pas de fin » ; contrat lu sans date de fin",
    "date_sentinelle": "date conventionnelle « pas de date » (0000-00-00, 1900-01-01, 00/00/0000) : lue comme vide",
    "date_invraisemblable": "année invraisemblable (avant 1900, ou 2100 et au-delà) : faute de frappe probable ; "
    "corriger la date dans la source",
    "cellule_en_erreur": "cellule en erreur dans le classeur (#N/A, #REF!, #VALEUR!, #DIV/0!…) : la formule de la "
    "source a échoué et sa valeur est perdue ; corriger la source, puis exporter les valeurs plutôt que les formules",
    "departement_inconnu": "département inconnu",
    "departement_ambigu": "département ambigu (20 ou « Corse » : 2A ou 2B, lequel des deux départements corses ?)",
    "departement_incoherent": "le code et le nom écrits ne désignent pas le même département",
    "caisse_inconnue": "caisse inconnue (code absent de la table de référence des caisses, ou nom non reconnu)",
    "region_inconnue": "région inconnue",
    "etp_invalide": "quotité illisible ou hors des options (négative, nulle, trop grande) ; acceptées : 1/3, 1/2, "
    "1, 1 + 1/2, 1 + 1, 0,5, 50 %, mi-temps, temps plein, option 1 à 3 (avenant 7)",
    "etp_ambigu": "quotité « 1 », « 2 » ou « 3 » ambiguë : numéro d'option de l'avenant 7 (1 = 1/3, 2 = 1/2, "
    "3 = 1 ETP) ou nombre d'ETP ? Écrire la quotité (1/3, 1/2, 1), ou seulement des numéros d'option (1, 2, 3) "
    "dans une colonne intitulée « Option »",
    "etp_heures": "quotité en heures : le contrat finance une option (1/3, 1/2 ou 1 ETP), pas un nombre d'heures ; "
    "écrire l'option",
    "etp_imprecis": "« temps partiel » ne dit pas l'option (1/3 ou 1/2 ETP) : écrire la quotité",
    "etp_non_autorise": "option de quotité non ouverte à la date de signature",
    "date_fin_avant_signature": "date de fin antérieure à la signature",
    "signature_hors_periode": "signature avant le 1er septembre 2019 ou après la date d'arrêté",
    "specialite_inconnue": "spécialité non reconnue",
    "specialite_non_medicale": "code de spécialité qui n'est pas celle d'un médecin (infirmier, dentiste…)",
    "zone_inconnue": "zone non reconnue",
    "profil_inconnu": "profil d'origine non reconnu",
    "formation_inconnue": "formation non reconnue",
    "montant_invalide": "montant négatif ou illisible",
    "montant_invraisemblable": "montant au-delà de la plage plausible de l'aide (0 à 500 000 €) : gardé tel qu'écrit, "
    "à vérifier",
    "montant_ambigu": "montant ambigu : « 900.000 » serait 900 000 €, invraisemblable, ou 900 € écrit avec trois "
    "décimales ; laissé vide, écrire le montant sans séparateur de milliers",
    "rpps_invalide": "identifiant RPPS invalide (11 chiffres attendus)",
    "identifiant_adeli_ou_am": "9 chiffres : numéro ADELI ou numéro de praticien de l'Assurance Maladie, pas un RPPS ; "
    "envoyer le numéro RPPS du médecin (11 chiffres, dans l'Annuaire santé), ou son identifiant national « 8 » + RPPS",
    "identifiant_adeli_national": "identifiant national d'un numéro ADELI (« 0 » + ADELI, 10 chiffres), pas un RPPS ; "
    "envoyer le numéro RPPS du médecin (11 chiffres)",
    "identifiant_am_sans_cle": "8 chiffres : numéro de praticien de l'Assurance Maladie sans sa clé, pas un RPPS ; "
    "envoyer le numéro RPPS du médecin (11 chiffres)",
    "identifiant_scientifique": "identifiant en notation scientifique (1,00012E+10) : Excel a perdu ses derniers "
    "chiffres ; l'exporter de nouveau avec la colonne au format Texte (ou en CSV depuis la source)",
    "cellules_en_trop": "ligne plus longue que l'en-tête : valeurs peut-être décalées (séparateur en trop ?)",
    "nombre_invalide": "nombre illisible",
    "nombre_negatif": "effectif négatif",
    "annee_invalide": "année illisible ou hors de la période du dispositif",
    "pourcentage_invalide": "pourcentage hors de 0 à 100",
    "niveau_inconnu": "ligne ni nationale, ni régionale, ni départementale",
    "type_repondant_inconnu": "type de répondant ni médecin ni assistant",
    "reponse_hors_echelle": "réponse hors de l'échelle proposée",
    "poids_invalide": "poids de redressement nul, négatif ou illisible",
    "doublon_conflictuel": "même identifiant (contrat, territoire et année, répondant, médecin et période) avec des "
    "valeurs différentes",
    "feuille_non_reconnue": "feuille qui ressemble à des données mais dont les en-têtes ne correspondent à aucun jeu",
    # Contract histories (one row per act): what keeps an act out of its contract's history.
    "type_acte_inconnu": "type d'acte non reconnu : écrire « Contrat initial » ou « Avenant » (« Avenant n°2 »)",
    "numero_avenant_illisible": "numéro d'avenant illisible : écrire un nombre entier (1, 2…)",
    "date_effet_illisible": "date d'effet de l'acte illisible : l'acte ne peut pas être placé dans l'historique du "
    "contrat ; écrire la date (JJ/MM/AAAA)",
    "date_effet_manquante": "avenant sans date d'effet : il ne peut pas être placé dans l'historique du contrat ; "
    "écrire sa date d'effet",
    "avenant_avant_contrat": "avenant qui prend effet avant le contrat initial : date d'effet à corriger",
    "avenant_conflictuel": "deux versions différentes d'un même acte (même numéro d'avenant) à la même date "
    "d'extraction : aucune n'est retenue",
    # Doctors' activity by period (the commitment's counterpart): what keeps a doctor's period out of the counts.
    "periode_invalide": "période illisible : écrire l'année (2023) ou le semestre (2023-S1, S2 2023, "
    "1er semestre 2023)",
    "periode_invraisemblable": "année de la période invraisemblable (avant 2000 ou après 2099) : faute de frappe "
    "probable ; corriger la période dans la source",
    "periode_future": "période qui commence après la date d'arrêté : activité pas encore observable",
    "nombre_non_entier": "effectif de patients ou d'actes non entier : un nombre de patients ou d'actes se compte en "
    "unités ; corriger la source",
    "nombre_invraisemblable": "effectif invraisemblable pour un médecin (au-delà de la plage plausible) : faute de "
    "frappe ou total de plusieurs médecins ? Corriger la source",
    "jours_invraisemblables": "jours travaillés au-delà des jours de la période (366 pour une année, 184 pour un "
    "semestre) : corriger la source",
    "activite_vide": "ligne d'activité sans aucune mesure (patientèle MT, file active, actes, jours travaillés) : "
    "rien à compter ; la compléter ou la retirer",
    "ligne_hors_historique": "ligne sans type d'acte pour un contrat décrit acte par acte, et qui ne répète aucun de "
    "ses actes : elle ne peut pas être placée dans l'historique ; indiquer son type d'acte",
}

# --- Warnings: values of descriptive fields kept with an explicit unknown category ------------------------
# Only what identifies and counts a contract can reject it; an unrecognised specialty, zone, background,
# training, take-up date or aid keeps the contract and is listed in the warnings table with these reasons.
WARNING_REASONS = {
    # reasons that contracts and activity tables share say « ligne gardée »: an activity row is no contract
    "specialite_inconnue": "spécialité non reconnue : ligne gardée avec la spécialité « non reconnue »",
    "specialite_non_medicale": "code de spécialité qui n'est pas celle d'un médecin : ligne gardée, spécialité "
    "« non reconnue »",
    "zone_inconnue": "zone non reconnue : contrat gardé avec la zone « non reconnue »",
    "profil_inconnu": "profil d'origine non reconnu : contrat gardé avec le profil « non renseigné »",
    "formation_inconnue": "formation non reconnue : contrat gardé avec la formation « non reconnue »",
    "date_invalide": "date descriptive (prise de fonction, extraction) illisible : contrat gardé sans cette date",
    "date_ambigue": "date descriptive au format américain ambigu (3/4/2021 10:00 AM) : contrat gardé sans cette date",
    "date_sans_fin": REASONS["date_sans_fin"],
    "date_sentinelle": REASONS["date_sentinelle"] + " ; contrat gardé sans cette date",
    "date_invraisemblable": "date descriptive à l'année invraisemblable : contrat gardé sans cette date",
    "montant_invalide": "montant d'aide illisible ou négatif : contrat gardé sans montant",
    "montant_invraisemblable": REASONS["montant_invraisemblable"],
    "montant_ambigu": REASONS["montant_ambigu"],
    "feuille_non_reconnue": "feuille de classeur qui ressemble à des données mais n'a pas été lue : vérifier ses "
    "en-têtes",
    "colonne_non_reconnue": "colonne non lue dont l'en-tête ressemble à une colonne attendue absente du fichier",
    "fichier_non_lu": "fichier non lu, aucune de ses lignes n'est comptée",
    "reponse_hors_echelle": "réponse hors de l'échelle proposée : répondant gardé, cette réponse manquante",
    "reponse_sans_avis": "réponse sans avis (« NSP », « Ne sait pas », « Non concerné ») : répondant gardé, cette "
    "réponse manquante",
    "cellule_en_erreur": "cellule en erreur dans le classeur (#N/A, #REF!, #VALEUR!…) : ligne gardée sans cette "
    "valeur ; corriger la formule de la source",
    "engagement_illisible": "patientèle initiale ou objectif du contrat illisible, négatif ou invraisemblable : "
    "ligne d'activité gardée sans cette valeur",
    "valeur_non_significative": "valeur « NS » (non significative) : ligne gardée, cette mesure manquante",
    "annee_illisible": "année d'installation illisible : ligne d'activité gardée sans cette année ; écrire l'année "
    "(2005) ou la date d'installation (15/03/2005)",
    "annee_invraisemblable": "année d'installation avant 1950 ou postérieure à la période observée : ligne "
    "d'activité gardée sans cette année ; corriger l'année d'installation (ou la période) dans la source",
}
# Lines below a table's header that are no row of data: counted apart, neither kept nor quarantined.
NON_DATA_LINES = {
    "note": "note sous le tableau (« Source : », « Champ : », « Lecture : », « Note : »)",
    "entete_repete": "ligne d'en-têtes répétée",
    "total": "ligne de total ou de sous-total",
}
# The explicit category a descriptive field takes when its value is not recognised (empty stays empty).
UNRECOGNISED = {"specialite": "inconnue", "zone": "inconnue", "formation": "inconnue", "profil_origine": "inconnu"}
UNRECOGNISED_LABEL = "Non reconnu"

# --- Change log: columns of a contract whose value a later extract changed --------------------------------
CHANGED_COLUMN_LABELS = {
    "date_fin": "Date de fin",
    "aide_versee_eur": "Aide versée",
    "etp_option": "Quotité",
    "etp": "Quotité",
    "departement": "Département",
    "region": "Région",
    "caisse": "Caisse",
    "specialite": "Spécialité",
    "zone": "Zone",
    "profil_origine": "Profil d'origine",
    "formation": "Formation",
    "date_prise_fonction": "Date de prise de fonction",
    "date_signature": "Date de signature",
    "medecin_id": "Médecin (pseudonyme)",
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
    "echeance_ce_jour": "non atteint, échéance ce jour",  # the counting date is the deadline itself
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
# How a published figure was worded at its source (qualifier codes of the reference table)
PUBLISHED_QUALIFIERS = {
    "exact": "exact",
    "approx": "environ",
    "more_than": "plus de",
    "slightly_more_than": "un peu plus de",
    "less_than": "moins de",
}
# What the cross-check means when the report's data is the demo data: it was calibrated on these figures
CALIBRATION_NOTE = (
    "Les données de ce rapport sont des données de démonstration synthétiques, calibrées sur ces mêmes chiffres "
    "publiés : leurs écarts, proches de zéro par construction, ne prouvent rien sur la qualité des données. Sur "
    "des extractions réelles, ce tableau mesure l'écart entre les extractions et les chiffres annoncés."
)

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


# --- Published variables: one label each ------------------------------------------------------------------------
# Every output (table header, key figure, chart and map title, map legend, key message) names a published variable by
# this label, so that a reader meets one name for one figure. Numbers in labels are grouped and spaced as the
# formatters print them (narrow no-break space in « 100 000 », no-break space before the unit).
# a narrow table column's header; stated in the territory tables' notes
ABBREVIATIONS = {"habitants": "hab.", "Évolution": "Évol.", "(estimation)": "(est.)"}


@dataclass(frozen=True)
class Variable:
    """A published variable's metadata, kept beside it as statistical offices do: its French label (one per
    concept, every output names it so), the decimals every output prints it with, its unit, its definition and its
    source. The catalogue's column headers and decimals come from here (`catalogue.measure`)."""

    label: str
    decimals: int
    unit: str = ""
    definition: str = ""
    source: str = SOURCE_CONTRACTS

    @property
    def short(self) -> str:
        """The label with the stated abbreviations, for a narrow table column: « … pour 100 000 hab. »."""
        short = self.label
        for word, abbreviation in ABBREVIATIONS.items():
            short = short.replace(word, abbreviation)
        return short

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence: « contrats actifs pour 100 000 habitants »."""
        return self.label[0].lower() + self.label[1:]

    def legend(self, width: int = 17) -> str:
        """The short label on a few lines, for a map legend: « Contrats actifs / pour 100 000 hab. » (never broken
        inside « 100 000 hab. », whose spaces do not break)."""
        return textwrap.fill(self.short, width, break_long_words=False, break_on_hyphens=False)


_CONTRACTS_POPULATION = f"{SOURCE_CONTRACTS} ; {SOURCE_POPULATION}"
_MANIFEST = "manifeste de préparation des données"
_PUBLISHED = "chiffres publiés (Assurance Maladie, presse)"
_INSTITUTE = f"{SOURCE_SURVEY} (tableaux de l'institut)"
_ACTIVITY = f"{SOURCE_CONTRACTS} ; suivi d'activité des médecins (CPAM)"


def _bounds(name: str, label: str, decimals: int, unit: str) -> dict[str, Variable]:
    """The records of the two bounds of an estimate's 95 % interval (`<name>_bas`, `<name>_haut`): `label` holds
    a `{}` for « bas » or « haut »."""
    sides = {"bas": "Borne basse", "haut": "Borne haute"}
    return {f"{name}_{side}": Variable(label.format(side), decimals, unit, f"{bound} de l'intervalle à 95 % de "
                                       "l'effet estimé, robuste par médecin.", _ACTIVITY)
            for side, bound in sides.items()}
_PROJECTION = f"{SOURCE_CONTRACTS} ; projection (tendance des 12 derniers mois)"

# Every column a table or a CSV download prints, by variable name (the column's key, or a name of its own where one
# key holds two concepts: `total` of a territory, of a year; `nom` of a region, of a département): the measures, then
# the classifications and labels (codes, names, categories, files), whose unit says what they are.
VARIABLES = {
    # --- territories (France, regions, départements)
    "signes": Variable("Contrats signés (cumul)", 0, "contrats",
                       "Contrats signés depuis le début du dispositif (septembre 2019) jusqu'à la date d'arrêté."),
    "actifs": Variable("Contrats actifs", 0, "contrats",
                       "Contrats signés et non terminés à la date d'arrêté."),
    "etp_actifs": Variable("ETP actifs", 1, "ETP",
                           "Équivalents temps plein financés des contrats actifs à la date d'arrêté."),
    "actifs_pour_100k_hab": Variable("Contrats actifs pour 100\u202f000\u00a0habitants", 1,
                                     "contrats pour 100 000 hab.",
                                     "Contrats actifs rapportés à la population légale (Insee).",
                                     _CONTRACTS_POPULATION),
    "signes_pour_100k_hab": Variable("Contrats signés pour 100\u202f000\u00a0habitants", 1,
                                     "contrats pour 100 000 hab.",
                                     "Contrats signés (cumul) rapportés à la population légale (Insee).",
                                     _CONTRACTS_POPULATION),
    "actifs_mg_pour_100_mg_estimes": Variable(
        "Actifs MG pour 100 MG (estimation)", 1, "contrats pour 100 médecins",
        "Contrats actifs de médecine générale pour 100 médecins généralistes (nombre estimé : densité × population).",
        f"{SOURCE_CONTRACTS} ; Drees ; Insee"),
    "part_nationale_signes": Variable("Part des contrats signés en France", 1, "%",
                                      "Contrats signés du territoire rapportés à ceux de la France entière."),
    "croissance_actifs_12m": Variable("Évolution des actifs sur 12 mois", 1, "%",
                                      "Évolution relative des contrats actifs depuis la même date un an plus tôt."),
    # --- series
    "fin_de_mois": Variable("Fin de mois", 0, "date", "Dernier jour du mois (ou date d'arrêté pour le dernier)."),
    "fin_de_trimestre": Variable("Fin de trimestre", 0, "date",
                                 "Dernier jour du trimestre (ou date d'arrêté pour le dernier)."),
    "fin_d_annee": Variable("Fin d'année (ou date d'arrêté)", 0, "date",
                            "Dernier jour de l'année (ou date d'arrêté pour la dernière)."),
    "signes_mois": Variable("Contrats signés dans le mois", 0, "contrats", "Contrats signés pendant le mois."),
    "signes_trimestre": Variable("Contrats signés dans le trimestre", 0, "contrats",
                                 "Contrats signés pendant le trimestre."),
    "signes_annee": Variable("Contrats signés dans l'année", 0, "contrats", "Contrats signés pendant l'année."),
    "signes_cumul": Variable("Contrats signés (cumul)", 0, "contrats",
                             "Contrats signés depuis le début du dispositif jusqu'à la fin de la période."),
    # --- targets and projections
    "echeance": Variable("Échéance", 0, "date", "Date à laquelle l'objectif doit être atteint.", _PUBLISHED),
    "valeur_atteinte": Variable("Atteint", 1, "contrats ou ETP",
                                "Valeur de l'indicateur de l'objectif à la date d'arrêté."),
    "part_atteinte": Variable("Part atteinte", 1, "%", "Valeur atteinte rapportée à la valeur cible de l'objectif."),
    "date_atteinte": Variable("Atteint le", 0, "date", "Date à laquelle l'objectif a été atteint dans les données."),
    "date_projetee": Variable("Date projetée", 0, "date",
                              "Date à laquelle la tendance des 12 derniers mois atteint l'objectif.", _PROJECTION),
    "date_projetee_au_plus_tot": Variable("Au plus tôt", 0, "date", "Borne basse (95 %) de la date projetée.",
                                          _PROJECTION),
    "date_projetee_au_plus_tard": Variable("Au plus tard", 0, "date", "Borne haute (95 %) de la date projetée.",
                                           _PROJECTION),
    "nouveaux_contrats": Variable("Nouveaux contrats projetés", 0, "contrats",
                                  "Contrats que la tendance projette de signer dans l'année.", _PROJECTION),
    "montant_contrats_signes_meur": Variable("Aide, contrats déjà signés (M€)", 1, "M€",
                                             "Aide attendue des contrats déjà signés pour l'année.", _PROJECTION),
    "montant_nouveaux_meur": Variable("Aide, nouveaux contrats (M€)", 1, "M€",
                                      "Aide attendue des contrats projetés pour l'année.", _PROJECTION),
    "montant_total_meur": Variable("Aide totale projetée (M€)", 1, "M€",
                                   "Aide attendue de l'année : contrats signés et projetés.", _PROJECTION),
    "montant_total_bas_meur": Variable("Bas de la fourchette (M€)", 1, "M€",
                                       "Borne basse (95 %) de l'aide totale projetée.", _PROJECTION),
    "montant_total_haut_meur": Variable("Haut de la fourchette (M€)", 1, "M€",
                                        "Borne haute (95 %) de l'aide totale projetée.", _PROJECTION),
    # --- published figures beside the data
    "date_reference": Variable("Date", 0, "date", "Date à laquelle le chiffre publié se rapporte.", _PUBLISHED),
    "valeur_publiee": Variable("Chiffre publié", 1, "contrats ou ETP", "Chiffre publié, cité avec sa source.",
                               _PUBLISHED),
    "valeur_donnees": Variable("Données", 1, "contrats ou ETP", "Le même indicateur calculé sur les données."),
    "ecart_relatif": Variable("Écart", 1, "%", "Écart relatif des données au chiffre publié."),
    "reference_date": Variable("Date", 0, "date", "Date à laquelle le chiffre de référence se rapporte.", _PUBLISHED),
    "value": Variable("Valeur", 1, "selon l'indicateur", "Chiffre publié de référence.", _PUBLISHED),
    # --- backgrounds and mixes (shares of contracts signed)
    "effectif": Variable("Contrats", 0, "contrats", "Contrats signés de la catégorie (cumul ou année)."),
    "total_territoire": Variable("Contrats du territoire", 0, "contrats",
                                 "Contrats signés du territoire : la base de la part."),
    "total_annee": Variable("Contrats de l'année", 0, "contrats",
                            "Contrats signés dans l'année : la base de la part."),
    "part": Variable("Part", 1, "%", "Contrats de la catégorie rapportés à la base imprimée à côté."),
    "ic_bas": Variable("IC 95 % bas", 1, "%", "Borne basse de l'intervalle de confiance à 95 % de la part."),
    "ic_haut": Variable("IC 95 % haut", 1, "%", "Borne haute de l'intervalle de confiance à 95 % de la part."),
    # --- funding
    "annees_contrat": Variable("Années de contrat", 0, "années de contrat",
                               "Années de contrat commencées dans l'année civile."),
    "couverture": Variable("Barème connu", 1, "%",
                           "Part des années de contrat dont le barème publié donne le montant."),
    "montant_attendu_eur": Variable("Aide attendue", 1, "M€",
                                    "Aide de l'Assurance Maladie attendue d'après les barèmes publiés (plancher)."),
    "etp_annees_financees": Variable("ETP-années", 1, "ETP × années", "Équivalents temps plein financés sur l'année."),
    "aide_par_etp_eur": Variable("Aide par ETP", 0, "€", "Aide attendue rapportée aux ETP-années financés."),
    # --- training
    "echeance_depassee": Variable("Échéance dépassée", 0, "contrats",
                                  "Contrats actifs dont l'échéance de certification est passée."),
    "echeance_depassee_formation_connue": Variable(
        "Dont formation connue (base de la part)", 0, "contrats",
        "Contrats actifs dont l'échéance est passée et la formation renseignée : la base de la part."),
    "en_retard": Variable("Sans certification", 0, "contrats",
                          "Contrats actifs sans certification après l'échéance."),
    "echeance_12_mois": Variable("Échéance dans les 12 mois", 0, "contrats",
                                 "Contrats actifs sans certification dont l'échéance tombe dans les 12 mois."),
    "besoin_formation": Variable("Besoin de formation", 0, "contrats",
                                 "Sans certification après l'échéance ou échéance dans les 12 mois."),
    "sites_formation": Variable("Sites de formation", 0, "sites",
                                "Couples organisme × commune de formation connus dans la région.",
                                "listes publiées d'organismes de formation"),
    "communes": Variable("Communes des sites", 0, "libellé", "Communes où les sites de formation sont connus.",
                         "listes publiées d'organismes de formation"),
    "nouveau": Variable("Nouveaux", 0, "contrats", "Contrats absents de l'exécution précédente."),
    "termine": Variable("Terminés", 0, "contrats", "Contrats dont la date de fin est apparue ou a changé."),
    "modifie": Variable("Modifiés", 0, "contrats", "Contrats dont une autre valeur a changé."),
    "retire": Variable("Retirés", 0, "contrats",
                       "Contrats présents à l'exécution précédente, absents aujourd'hui (retirés ou en quarantaine)."),
    "signes_mois_precedent": Variable("Mois précédent", 0, "contrats", "Contrats signés pendant le mois précédent."),
    "signes_meme_mois_an_passe": Variable("Même mois, un an plus tôt", 0, "contrats",
                                          "Contrats signés pendant le même mois un an plus tôt."),
    "ecart_mois_precedent": Variable("Écart au mois précédent", 0, "contrats",
                                     "Contrats signés dans le mois moins ceux du mois précédent."),
    "ecart_un_an": Variable("Écart à un an", 0, "contrats",
                            "Contrats signés dans le mois moins ceux du même mois un an plus tôt."),
    "part_en_retard": Variable("Part", 1, "%", "Contrats sans certification rapportés à la base imprimée à côté."),
    # --- a region against France (`presentation.regional`)
    "ic_bas_taux": Variable("Borne basse à 95 %", 1, "contrats pour 100 000 hab.",
                            "Borne basse de l'intervalle de confiance exact (loi de Poisson) du taux."),
    "ic_haut_taux": Variable("Borne haute à 95 %", 1, "contrats pour 100 000 hab.",
                             "Borne haute de l'intervalle de confiance exact (loi de Poisson) du taux."),
    "indice_france_100": Variable("Indice (France = 100)", 0, "indice",
                                  "Valeur de la région rapportée à celle de la France entière, multipliée par 100."),
    "rang": Variable("Rang parmi les régions", 0, "rang",
                     "Rang de la région parmi les régions dont le taux est publié (1 = le plus élevé)."),
    # --- survey
    "repondants": Variable("Répondants (nombre)", 0, "répondants", "Répondants à la question (non pondéré).",
                           SOURCE_SURVEY),
    "part_ponderee": Variable("Part pondérée", 1, "%", "Part pondérée des répondants à la question.", SOURCE_SURVEY),
    "base": Variable("Base", 0, "répondants", "Base non pondérée publiée par l'institut.", _INSTITUTE),
    "part_institut": Variable("Part", 1, "%", "Part publiée par l'institut.", _INSTITUTE),
    # --- data quality (file lines, not people)
    "lignes_lues": Variable("Lues", 0, "lignes", "Lignes lues dans le fichier.", _MANIFEST),
    "lignes_conservees": Variable("Conservées", 0, "lignes", "Lignes gardées dans les tables préparées.", _MANIFEST),
    "lignes_mises_a_jour": Variable("Remplacées par une version plus récente", 0, "lignes",
                                    "Lignes remplacées par la ligne d'une extraction plus récente.", _MANIFEST),
    "doublons_fusionnes": Variable("Doublons fusionnés", 0, "lignes", "Lignes en double fusionnées.", _MANIFEST),
    "lignes_en_quarantaine": Variable("En quarantaine", 0, "lignes", "Lignes écartées, avec leur motif.", _MANIFEST),
    "lignes_avec_avertissement": Variable("Avec avertissement", 0, "lignes",
                                          "Lignes gardées avec une valeur non reconnue.", _MANIFEST),
    "lignes": Variable("Lignes", 0, "lignes", "Lignes concernées.", _MANIFEST),
    "changements": Variable("Changements", 0, "valeurs", "Valeurs modifiées par une extraction plus récente.",
                            _MANIFEST),
    "contrats": Variable("Contrats", 0, "contrats", "Contrats dont une valeur a changé.", _MANIFEST),
    # --- classifications and labels
    "code_region": Variable("Code région", 0, "code", "Code officiel géographique (Insee) de la région.",
                            SOURCE_POPULATION),
    "code_departement": Variable("Code département", 0, "code", "Code officiel géographique (Insee) du département.",
                                 SOURCE_POPULATION),
    "code_territoire": Variable("Code", 0, "code", "Code officiel géographique de la région, du département, ou FR.",
                                SOURCE_POPULATION),
    "nom_region": Variable("Région", 0, "libellé", "Nom de la région.", SOURCE_POPULATION),
    "nom_departement": Variable("Département", 0, "libellé", "Nom du département.", SOURCE_POPULATION),
    "nom_territoire": Variable("Territoire", 0, "libellé", "France entière, une région ou un département.",
                               SOURCE_POPULATION),
    "profil_libelle": Variable("Profil d'origine", 0, "catégorie",
                               "Métier ou formation de l'assistant avant le contrat, tel que la CPAM le renseigne."),
    "periode": Variable("Année de signature", 0, "année", "Année civile de signature du contrat."),
    "annee": Variable("Année", 0, "année", "Année civile."),
    "objectif_fixe_par": Variable("Objectif (fixé par)", 0, "libellé", "Objectif officiel et qui l'a fixé.",
                                  _PUBLISHED),
    "objectif": Variable("Objectif", 0, "libellé", "Objectif officiel.", _PUBLISHED),
    "echeances": Variable("Échéances (fixées par)", 0, "libellé", "Échéances de l'objectif et qui les a fixées.",
                          _PUBLISHED),
    "statut_libelle": Variable("Statut", 0, "catégorie", "Objectif atteint, en avance, en retard ou non atteint."),
    "raison": Variable("Remarque", 0, "texte", "Pourquoi une date projetée n'est pas calculable.", _PROJECTION),
    "indicateur_libelle": Variable("Indicateur", 0, "libellé", "Indicateur du chiffre publié.", _PUBLISHED),
    "qualificatif_libelle": Variable("Précision", 0, "libellé", "« plus de », « environ »… tel que publié.",
                                     _PUBLISHED),
    "source_chiffre": Variable("Source du chiffre publié", 0, "référence", "Publication d'où vient le chiffre.",
                               _PUBLISHED),
    "precision": Variable("Précision", 0, "libellé", "Précision du chiffre de référence tel que publié.",
                          _PUBLISHED),
    "source_reference": Variable("Source", 0, "référence", "Publication d'où vient le chiffre de référence.",
                                 _PUBLISHED),
    "note_reference": Variable("Remarque", 0, "texte", "Remarque sur le chiffre de référence.", _PUBLISHED),
    "mission": Variable("Mission", 0, "catégorie", "Mission que le médecin peut confier à l'assistant.",
                        SOURCE_SURVEY),
    "groupe_libelle": Variable("Répondants", 0, "catégorie", "Groupe de répondants : ensemble, médecins, assistants.",
                               SOURCE_SURVEY),
    "reponse": Variable("Réponse", 0, "catégorie", "Réponse à la question.", SOURCE_SURVEY),
    "question": Variable("Question", 0, "libellé", "Question du questionnaire.", _INSTITUTE),
    "sous_groupe": Variable("Sous-groupe", 0, "catégorie", "Sous-groupe de répondants publié par l'institut.",
                            _INSTITUTE),
    "fichier": Variable("Fichier", 0, "nom de fichier", "Fichier d'entrée reçu.", _MANIFEST),
    "feuille": Variable("Feuille", 0, "nom de feuille", "Feuille du classeur d'entrée.", _MANIFEST),
    "colonne": Variable("Colonne", 0, "nom de colonne", "Colonne du fichier d'entrée.", _MANIFEST),
    "motif": Variable("Motif", 0, "catégorie", "Motif de la mise en quarantaine ou de l'avertissement.", _MANIFEST),
    "exemples": Variable("Exemples de valeurs", 0, "texte", "Quelques valeurs en cause (jamais d'identifiant).",
                         _MANIFEST),
    "fichiers_nouvelle_version": Variable("Fichiers de la nouvelle version", 0, "noms de fichiers",
                                          "Extractions qui ont apporté la nouvelle valeur.", _MANIFEST),
    "fichiers": Variable("Fichiers", 0, "noms de fichiers", "Fichiers concernés.", _MANIFEST),
    "sha256": Variable("SHA-256", 0, "empreinte", "Empreinte SHA-256 du fichier d'entrée.", _MANIFEST),
    "table_reference": Variable("Table", 0, "libellé", "Table de référence livrée avec le logiciel.",
                                "tables de référence (provenance.toml)"),
    "producteur": Variable("Producteur", 0, "libellé", "Producteur de la table de référence.",
                           "tables de référence (provenance.toml)"),
    "millesime": Variable("Millésime", 0, "année ou date", "Millésime de la table de référence.",
                          "tables de référence (provenance.toml)"),
    "licence": Variable("Licence", 0, "libellé", "Licence de la table de référence.",
                        "tables de référence (provenance.toml)"),
    # --- commitments: objectives, reviews, the effect of signing (issue 24)
    "contrats_revus": Variable("Contrats revus", 0, "contrats",
                               "Contrats de signataires suivis ayant passé au moins une revue semestrielle.",
                               _ACTIVITY),
    "atteint": Variable("Objectif atteint", 0, "contrats", "Contrats dont l'objectif est atteint à la dernière "
                        "revue.", _ACTIVITY),
    "en_bonne_voie": Variable("En bonne voie", 0, "contrats", "Avant l'échéance, au-dessus de la trajectoire "
                              "linéaire vers l'objectif.", _ACTIVITY),
    "trop_tot": Variable("Trop tôt pour conclure", 0, "contrats", "Avant l'échéance, sous la trajectoire ou sans "
                         "période close depuis la signature.", _ACTIVITY),
    "manque": Variable("Objectif manqué", 0, "contrats", "Objectif non atteint à partir de l'échéance (fin de la "
                       "deuxième année).", _ACTIVITY),
    "objectif_non_public": Variable("Objectif non public", 0, "contrats", "Options 1/2 et temps plein : la grille "
                                    "par tranche n'est pas publiée, l'objectif n'est pas estimé.", _ACTIVITY),
    "patients_gagnes": Variable("Patients MT gagnés (bruts)", 0, "patients", "Évolution brute de la patientèle "
                                "médecin traitant depuis la période de référence (pas l'effet du dispositif).",
                                _ACTIVITY),
    "aide_conditionnee_eur": Variable("Aide conditionnée à l'objectif", 1, "M€", "Aide attendue des années de "
                                      "contrat à partir de la troisième (barèmes).", _ACTIVITY),
    "aide_objectif_manque_eur": Variable("Aide en jeu (objectif manqué)", 1, "M€", "Aide conditionnée des "
                                         "contrats dont l'objectif est manqué.", _ACTIVITY),
    "signataires": Variable("Signataires appariés", 0, "médecins", "Médecins signataires appariés à un témoin.",
                            _ACTIVITY),
    "temoins": Variable("Témoins", 0, "médecins", "Médecins non signataires appariés (distincts).", _ACTIVITY),
    "effet_pct": Variable("Effet estimé (%)", 1, "%", "Effet de la signature en % de la mesure (différence de "
                          "différences ou coefficient d'une période).", _ACTIVITY),
    "pretendance_p": Variable("Pré-tendance (p-valeur)", 1, "%", "p-valeur du test joint de nullité des "
                              "coefficients avant la période précédant la signature.", _ACTIVITY),
    "periode_evenement": Variable("Période depuis la signature", 0, "périodes", "Périodes (années ou semestres) "
                                  "depuis celle de la signature (0) ; −1 est la référence.", _ACTIVITY),
    "patientele_mt_avant": Variable("Patientèle MT avant signature", 0, "patients", "Patientèle médecin traitant "
                                    "des signataires appariés dans la période précédant leur signature.",
                                    _ACTIVITY),
    "patients_attribuables": Variable("Patients MT attribuables", 0, "patients", "Patients médecin traitant que "
                                      "l'effet estimé attribue au dispositif.", _ACTIVITY),
    **_bounds("patients_attribuables", "Patients attribuables, {}", 0, "patients"),
    **_bounds("etp_medical", "Temps médical, {} (ETP)", 1, "ETP de médecin"),
    **_bounds("effet_ic", "IC 95 % {} (%)", 1, "%"),
    "actes_attribuables": Variable("Actes par an attribuables", 0, "actes", "Actes supplémentaires par an que "
                                   "l'effet estimé attribue au dispositif.", _ACTIVITY),
    "etp_medical": Variable("Temps médical (ETP)", 1, "ETP de médecin", "Actes attribuables rapportés à "
                            "l'activité annuelle moyenne d'un médecin non signataire.", _ACTIVITY),
    "valeur_publiee_activite": Variable("Chiffre publié", 1, "% ou patients", "Chiffre publié par la Cnam, cité "
                                        "avec sa source.", _PUBLISHED),
    "valeur_donnees_activite": Variable("Données", 1, "% ou patients", "Le même plan d'étude appliqué aux "
                                        "données.", _ACTIVITY),
    "ecart_activite": Variable("Écart", 1, "points ou patients", "Données moins chiffre publié.", _ACTIVITY),
    "tolerance_activite": Variable("Tolérance", 1, "points ou patients", "Écart toléré : 1 point pour une "
                                   "évolution, 5 % pour un niveau.", _ACTIVITY),
    "dans_la_tolerance": Variable("Dans la tolérance", 0, "oui ou non", "L'écart est-il dans la tolérance ?",
                                  _ACTIVITY),
    "medecins_donnees": Variable("Médecins (données)", 0, "médecins", "Médecins observés dans les données au "
                                 "début et à 48 mois.", _ACTIVITY),
    "categorie_engagement": Variable("Catégorie", 0, "libellé", "France, région, département, option, spécialité, "
                                     "profil ou zonage.", _ACTIVITY),
    "mesure_activite": Variable("Mesure", 0, "libellé", "Patientèle médecin traitant, file active ou actes par "
                                "jour travaillé.", _ACTIVITY),
    "categorie_effet": Variable("Catégorie", 0, "libellé", "Ensemble, ou option, zone ou profil de l'assistant.",
                                _ACTIVITY),
    "groupe_etude": Variable("Groupe", 0, "libellé", "Signataires ou non-signataires du plan d'étude Cnam.",
                             _ACTIVITY),
}
ACTIVE_RATE = VARIABLES["actifs_pour_100k_hab"]
