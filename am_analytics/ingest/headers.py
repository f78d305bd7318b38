"""Header matching: the alias table of each dataset, and the mapping of a file's raw headers to canonical columns.

Headers are compared after `normalise_label` (accents, case, spaces and punctuation ignored), so the
table lists each spelling once: "Département", "DEPARTEMENT" and "departement" are the same alias.
Only exact matches after normalisation are accepted; fuzzy matching is used to *suggest* a column in
an error message, never to pick one silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from am_analytics.errors import DataError, Location
from am_analytics.text import fold


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset's canonical columns, the spellings each is known under, and which are required.

    `alternatives` names, for a required column, the columns that may stand in for it (a contracts extract
    keyed by caisse has no département column: the caisse gives the département)."""

    name: str
    aliases: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)


# Each canonical column also matches its own name. Spellings come from real exports and from the demo
# data generator (which writes exactly the contracts spellings below).
CONTRACTS = DatasetSpec(
    name="contracts",
    aliases={
        "contrat_id": (
            "N° contrat", "Numéro de contrat", "numero_contrat", "NUM_CONTRAT", "N° de contrat", "N° du contrat",
            "Numéro du contrat", "Num contrat", "Identifiant contrat", "Id contrat", "Référence contrat",
        ),
        "medecin_id": (
            "RPPS", "RPPS médecin", "Identifiant RPPS", "rpps_medecin", "N° RPPS", "Numéro RPPS", "RPPS du médecin",
            "N° RPPS du médecin",
        ),
        "date_signature": (
            "Date de signature", "date_signature", "Date signature contrat", "Date signature",
            "Date de signature du contrat",
        ),
        "date_fin": (
            "Date de fin", "date_fin", "Date fin contrat", "Date de résiliation", "Date fin", "Date de fin de contrat",
            "Date résiliation",
        ),
        "departement": (
            "Département", "Dépt", "code_departement", "DEPARTEMENT", "Code département", "Dpt", "Dép", "Code dép",
            "Département du cabinet",
        ),
        # A contracts extract split by caisse carries the caisse rather than the département: its code or name.
        "caisse": (
            "Caisse", "CPAM", "Code caisse", "Code organisme", "Organisme", "Caisse gestionnaire", "CPAM/CGSS",
            "Code CPAM", "N° caisse", "Caisse de rattachement",
        ),
        "libelle_caisse": ("Libellé caisse", "Nom caisse", "Nom de la caisse", "Libellé CPAM", "Libellé organisme"),
        "specialite": (
            "Spécialité", "specialite", "Spécialité du médecin", "Spécialité médicale", "Code spécialité",
            "Qualification", "Spécialité RPPS", "Libellé spécialité", "Spécialité ordinale",
        ),
        "zone": ("Zone", "Zonage", "zone_sous_dense", "Zone sous-dense", "Zonage ARS"),
        "etp": (
            "Quotité", "Option ETP", "etp", "Temps de travail", "Option", "N° option", "Numéro d'option",
            "Option choisie", "Quotité (%)", "Quotité ETP", "Taux d'activité", "Option avenant 7",
        ),
        "profil_origine": (
            "Profil d'origine", "Profession antérieure", "profil_origine", "Profil", "Profession d'origine",
            "Métier d'origine", "Origine professionnelle", "Profil antérieur", "Métier antérieur",
            "Profession précédente", "Profil de l'assistant", "Profil assistant", "Profession de l'assistant",
        ),
        "formation": ("Formation", "Formation suivie", "statut_formation", "Formation de l'assistant", "CQP"),
        "date_prise_fonction": (
            "Date de prise de fonction", "date_prise_fonction", "Date d'embauche", "Date d'entrée en fonction",
            "Date d'embauche de l'assistant",
        ),
        "aide_versee_eur": (
            "Aide versée (€)", "aide_versee", "Montant aide", "Aide versée", "Montant versé", "Montant de l'aide",
            "Aide (€)", "Montant aide versée", "Total aide versée",
        ),
        # A history written one row per act (the initial contract, then each avenant): which act the row is,
        # its number and the date it takes effect (see prepare.acts).
        "type_acte": ("Type d'acte", "Type acte", "Nature de l'acte", "Nature acte", "Acte", "Type de l'acte",
                      "Type d'avenant"),
        "numero_avenant": ("N° d'avenant", "Numéro d'avenant", "N° avenant", "Num avenant", "Numéro avenant",
                           "Avenant n°", "Rang de l'avenant"),
        "date_effet": ("Date d'effet", "Date effet", "Date d'effet de l'acte", "Date d'effet de l'avenant",
                       "Date de prise d'effet", "Effet au", "Date d'effet avenant"),
        # When the extract was made: decides which of two versions of a contract is the later one.
        "date_extraction": (
            "Date d'extraction", "Date extraction", "Extrait le", "Date de l'extraction", "Date export",
            "Date d'export", "date_extraction",
        ),
    },
    required=("contrat_id", "medecin_id", "date_signature", "departement", "etp"),
    alternatives={"departement": ("caisse", "libelle_caisse")},
)

# Opendatasoft export of the Assurance Maladie yearly open data: field names or French labels.
TERRITORY_YEAR = DatasetSpec(
    name="territory_year",
    aliases={
        "annee": ("Année", "annee"),
        "code_region": ("Code région", "code_region"),
        "libelle_region": ("Région", "libelle_region"),
        "code_departement": ("Code département", "code_departement"),
        "libelle_departement": ("Département", "libelle_departement"),
        "nombre_contrats": ("Nombre de contrats", "nombre_contrats"),
        "taux_recours_pct": ("Part des médecins généralistes éligibles ayant recours (%)", "taux_recours"),
    },
    required=("annee", "nombre_contrats"),
)

SURVEY = DatasetSpec(
    name="survey",
    aliases={
        "repondant_id": ("Identifiant répondant",),
        "type_repondant": ("Type de répondant",),
        "region": ("Région",),
        "profil_origine": ("Profil d'origine",),
        "specialite": ("Spécialité",),
        "poids": ("Poids",),
        "satisfaction": ("Satisfaction globale",),
        "temps_gagne": ("Temps médical gagné",),
        "mission_accueil": ("Mission : accueil",),
        "mission_constantes": ("Mission : constantes",),
        "mission_vaccination_depistage": ("Mission : vaccination et dépistage",),
        "mission_dossier": ("Mission : dossier patient",),
        "mission_coordination": ("Mission : coordination",),
        "mission_aide_actes": ("Mission : aide aux actes techniques",),
        "mission_stocks": ("Mission : gestion des stocks",),
        "mission_hygiene": ("Mission : hygiène",),
        "recommande": ("Recommanderait le dispositif",),
        "poursuivre": ("Souhaite poursuivre",),
    },
    required=("repondant_id", "type_repondant"),
)

# A doctor's activity by year or half-year, as CPAM follow-up tables of the commitment write it (the counterpart of
# the aid: the adult « médecin traitant » list, the active list, acts and working days). The doctor is the RPPS,
# read like the contracts' and pseudonymised the same way, so that the activity joins the contracts.
ACTIVITY = DatasetSpec(
    name="activity",
    aliases={
        "medecin_id": (
            *CONTRACTS.aliases["medecin_id"], "Identifiant médecin", "Identifiant du médecin", "Id médecin",
            "PS RPPS", "RPPS PS", "Numéro RPPS du médecin",
        ),
        "periode": (
            "Période", "Période d'observation", "Période de suivi", "Période d'activité", "Année-semestre",
            "Semestre d'observation", "Période de référence",
        ),
        "annee": ("Année", "Année d'observation", "Année civile", "Exercice", "Année d'activité"),
        "semestre": ("Semestre", "N° semestre", "Semestre civil"),
        "patients_mt": (
            "Nb patients MT adultes", "Nombre de patients MT adultes", "Patientèle médecin traitant",
            "Patientèle médecin traitant adulte", "Patientèle MT", "Patientèle MT adulte", "Patientèle MT adultes",
            "Patients MT adultes", "Nb patients MT", "Nombre de patients médecin traitant",
            "Nb patients médecin traitant", "Patientèle MT 16 ans et plus",
        ),
        "file_active": (
            "File active", "File active (patients)", "Nb patients file active", "Patientèle file active",
            "Nombre de patients vus", "Patients vus dans l'année", "Taille de la file active",
        ),
        "actes": ("Nombre d'actes", "Nb actes", "Actes", "Total actes", "Nombre total d'actes", "Actes réalisés"),
        "jours_travailles": (
            "Jours travaillés", "Nb jours travaillés", "Nombre de jours travaillés", "Jours d'activité",
            "Nombre de jours d'activité", "Jours ouvrés travaillés",
        ),
        # Who the doctor is, for matching signatories with non-signatories (optional): the contract says it for a
        # signatory, only this table says it for a doctor who never signed. « Département » alone may be the
        # practice's or a label: a follow-up table has one département per doctor and period, the practice's.
        "departement": (
            *CONTRACTS.aliases["departement"], "Département d'exercice", "Dép.", "Département du médecin",
            "Département d'installation", "Code département d'exercice", "Département du cabinet médical",
        ),
        "specialite": (
            *CONTRACTS.aliases["specialite"], "Spécialité d'exercice", "Libellé spécialité du médecin",
            "Spécialité PS", "Code spécialité PS",
        ),
        # A date of installation is read as its year (the matching needs no more).
        "annee_installation": (
            "Année d'installation", "Année d'installation en libéral", "Date d'installation",
            "Date d'installation en libéral", "Année de début d'exercice", "Date de début d'exercice libéral",
            "Année installation", "Date installation", "Installé depuis",
        ),
        # What the contract fixed at signature (optional): the initial list and the objective, in patients or in %.
        "patientele_initiale": (
            "Patientèle initiale", "Patientèle MT initiale", "Patientèle de référence", "Patientèle MT de référence",
            "Patientèle à la signature", "Référence patientèle MT",
        ),
        # A bare « Objectif » says neither patients nor % (headers lose their « (%) » when matched): not read, and
        # reported as a column resembling one the file lacks.
        "objectif_patients": (
            "Objectif patientèle", "Objectif patientèle MT", "Objectif de patientèle", "Objectif (patients)",
            "Objectif en patients", "Patientèle cible", "Patientèle MT cible",
        ),
        "objectif_pct": (
            "Objectif en %", "Objectif d'évolution", "Objectif d'évolution (%)", "Taux d'évolution cible",
            "Objectif de progression", "Progression attendue", "Objectif de hausse",
        ),
    },
    required=("medecin_id", "periode"),
    alternatives={"periode": ("annee", "semestre")},
)

# The analyst's own reference lists, dropped into the raw folder beside the extracts and recognised by their headers
# like them; `reference.own` reads them (its own rules: a département by code or name, a count, a source, a year).
OWN_GENERALISTS = DatasetSpec(
    name="own_generalists",
    aliases={
        "departement": ("code departement", "numero departement", "territoire"),
        "generalistes": ("nombre de generalistes", "medecins generalistes", "effectif generalistes", "effectif mg",
                         "nombre mg", "nb mg", "mg", "effectif", "omnipraticiens"),
        "source": ("origine", "reference", "source des effectifs"),
        "annee": ("annee de reference", "millesime", "annee des effectifs", "date"),
    },
    required=("departement", "generalistes", "source", "annee"),
)
OWN_TRAINING_SITES = DatasetSpec(
    name="own_training_sites",
    aliases={
        "organisation": ("organisme", "organisme de formation", "nom de l'organisme", "etablissement", "centre"),
        "commune": ("ville", "localite", "site", "lieu", "commune du site"),
        "departement": ("code departement", "departement du site", "numero departement"),
        "source": ("origine", "reference", "source de l'information"),
        "annee": ("annee de la liste", "millesime", "date"),  # optional
    },
    required=("organisation", "commune", "departement", "source"),
)
OWN_LISTS = (OWN_GENERALISTS.name, OWN_TRAINING_SITES.name)

DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec for spec in (CONTRACTS, TERRITORY_YEAR, SURVEY, ACTIVITY, OWN_GENERALISTS, OWN_TRAINING_SITES)
}

# A file is routed to a dataset only if at least this many of its headers are that dataset's columns:
# one or two shared headers ("Région", "Département") say nothing about what a file holds.
MIN_MATCHED_FOR_DETECTION = 3
# Closest-match suggestions below this rapidfuzz token-set score (0–100) are noise, not help: "Dpt" scores
# 67 against "etp" and 86 against "dept".
SUGGESTION_CUTOFF = 70
# A dropped header this close to a column the file lacks is reported as a column probably misnamed: « Profil
# antérieur » scores 80 against « Profil » (token set), « Commentaire » scores under 50 against every alias.
RESEMBLANCE_CUTOFF = 75


# Exports abbreviate (SAS and SNIIRAM habits: DT_SIGNATURE, NUM_CONTRAT, CD_DEPT, MT_AIDE) and drop or keep the
# small words (« Date de signature », « Date signature »): both are read the same way, in aliases and headers.
_ABBREVIATIONS = {"dt": "date", "num": "numero", "no": "numero", "n": "numero", "cd": "code", "mt": "montant",
                  "lib": "libelle", "lb": "libelle", "dept": "departement", "dep": "departement",
                  "dpt": "departement"}
_SMALL_WORDS = {"de", "du", "des", "d", "l", "la", "le", "les", "a", "au"}


def normalise_label(text: str) -> str:
    """A header reduced to what identifies it: accents stripped, lower case, every run of non-alphanumeric
    characters a word break, the usual abbreviations of exports spelled out and the small words left out
    ("Aide versée (€)" → "aide_versee", "N° contrat" and "NUM_CONTRAT" → "numero_contrat", "DT_SIGNATURE" and
    "Date de signature" → "date_signature")."""
    words = [_ABBREVIATIONS.get(word, word) for word in fold(text, "_").split("_") if word]
    kept = [word for word in words if word not in _SMALL_WORDS]
    return "_".join(kept or words)


def alias_lookup(dataset: str) -> dict[str, str]:
    """Normalised alias → canonical column, for one dataset."""
    spec = _spec(dataset)
    lookup: dict[str, str] = {}
    for canonical, aliases in spec.aliases.items():
        for alias in (canonical, *aliases):
            lookup[normalise_label(alias)] = canonical
    return lookup


def resembling_column(header: str, dataset: str, candidates: list[str] | tuple[str, ...]) -> tuple[str, str] | None:
    """The canonical column (and its closest alias) a header nobody listed resembles, among `candidates` (the
    dataset's columns no header matched), or None. Used to *warn* that a column was not read — « Profil
    antérieur » looks like « Profil d'origine » — never to read it silently under another name."""
    spec = _spec(dataset)
    words = {  # words, not one joined label: token-set scoring compares words
        fold(alias, " "): (canonical, alias)
        for canonical in candidates
        for alias in (canonical.replace("_", " "), *spec.aliases.get(canonical, ()))
    }
    if not words:
        return None
    found = process.extractOne(fold(header, " "), list(words), scorer=fuzz.token_set_ratio,
                               score_cutoff=RESEMBLANCE_CUTOFF)
    return None if found is None else words[found[0]]


def match_columns(
    columns: list[str] | tuple[str, ...],
    dataset: str,
    *,
    file: str | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """Raw header → canonical column for the headers this dataset knows (others are left out).

    `extra` maps headers the user declared (a département column holding caisse codes, say) to their
    canonical column, over what the alias table would say. Raises `DataError` when a required column is
    missing (listing the headers found and the closest ones to each missing column) or when two headers
    mean the same column.
    """
    spec = _spec(dataset)
    lookup = alias_lookup(dataset)
    mapping = {raw: lookup[normalise_label(raw)] for raw in columns if normalise_label(raw) in lookup}
    mapping.update(extra or {})
    columns = [*columns, *(c for c in (extra or {}) if c not in columns)]
    _reject_duplicates(mapping, file)
    _reject_repeated_headers(columns, mapping, file)
    found = set(mapping.values())
    missing = [
        c for c in spec.required if c not in found and not found & set(spec.alternatives.get(c, ()))
    ]
    if missing:
        raise _missing_error(missing, list(columns), mapping, spec, file)
    return mapping


def detect_dataset(columns: list[str] | tuple[str, ...]) -> str | None:
    """The dataset whose columns a file's headers match best (most canonical columns found), or None
    when fewer than three match or two datasets tie (the file cannot be routed safely)."""
    scores = {}
    for name in DATASETS:
        lookup = alias_lookup(name)
        scores[name] = len({lookup[key] for key in map(normalise_label, columns) if key in lookup})
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    best, score = ranked[0]
    if score < MIN_MATCHED_FOR_DETECTION or (len(ranked) > 1 and ranked[1][1] == score):
        return None
    return best


def _spec(dataset: str) -> DatasetSpec:
    try:
        return DATASETS[dataset]
    except KeyError:
        raise ValueError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}") from None


def _reject_duplicates(mapping: dict[str, str], file: str | None) -> None:
    by_canonical: dict[str, list[str]] = {}
    for raw, canonical in mapping.items():
        by_canonical.setdefault(canonical, []).append(raw)
    for canonical, raws in by_canonical.items():
        if len(raws) > 1:
            quoted = " et ".join(f"« {r} »" for r in raws)
            raise DataError(
                f"les colonnes {quoted} désignent toutes deux « {canonical} »",
                where=Location(file=file),
                hint="supprimer ou renommer l'une d'elles dans l'extraction",
            )


# A repeated header as this reader numbers it ("RPPS (2)") or as pandas and the tools built on it do ("RPPS.1").
_REPEATED = re.compile(r"^(?P<name>.+?)(?: \((?P<k>\d+)\)|\.(?P<n>\d+))$")


def _reject_repeated_headers(columns, mapping: dict[str, str], file: str | None) -> None:
    """A known header written twice: the second copy would be ignored silently, so the file is refused."""
    for raw in columns:
        match = _REPEATED.match(raw)
        if raw not in mapping and match and match["name"] in mapping:
            raise DataError(
                f"la colonne « {match['name']} » apparaît deux fois dans l'en-tête",
                where=Location(file=file, column=match["name"]),
                hint="supprimer ou renommer l'une des deux colonnes dans l'extraction",
            )


def _missing_error(
    missing: list[str], columns: list[str], mapping: dict[str, str], spec: DatasetSpec, file: str | None
) -> DataError:
    # Only headers not already matched can be the missing column under another spelling.
    unmatched = {fold(c): c for c in columns if c not in mapping}
    suggestions = []
    for canonical in missing:
        scored: dict[str, float] = {}
        for target in {fold(a) for a in (canonical, *spec.aliases[canonical])}:
            found = process.extract(target, list(unmatched), scorer=fuzz.token_set_ratio, limit=3)
            for key, score, _ in found:
                if score >= SUGGESTION_CUTOFF:
                    scored[unmatched[key]] = max(score, scored.get(unmatched[key], 0))
        close = sorted(scored, key=scored.__getitem__, reverse=True)[:2]
        known = ", ".join(f"« {a} »" for a in spec.aliases[canonical][:3])
        quoted = " ou ".join(f"« {c} »" for c in close)
        near = f"la plus proche est {quoted}" if close else "aucune colonne proche"
        suggestions.append(f"{canonical} (attendu par exemple {known}) : {near}")
    found = ", ".join(f"« {c} »" for c in columns) or "aucune"
    plural = "s" if len(missing) > 1 else ""
    return DataError(
        f"colonne{plural} obligatoire{plural} absente{plural} pour « {spec.name} » : "
        + " ; ".join(suggestions)
        + f". Colonnes trouvées : {found}",
        where=Location(file=file),
        hint="renommer la colonne dans l'extraction avec l'un des intitulés attendus",
    )
