"""The catalogue of published tables: for each, its columns, French headers, formats, disclosure rule, notes
and source line. The PDF, the workbook, the notebooks and the site publish every table from here.

Each `publish_*` function takes indicator frames (or frames already published by `presentation.results`) and
returns a `PublishedTable`; nothing here computes an indicator or draws a chart.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from am_analytics import reference
from am_analytics.figures.formatting import NOT_APPLICABLE, format_number
from am_analytics.indicators.methods import METHODS
from am_analytics.presentation.disclosure import Counted, Disclosure
from am_analytics.presentation.tables import Column, PublishedTable, TableSpec
from am_analytics.vocabulary import (
    ACTIVE_RATE,
    CALIBRATION_NOTE,
    CHANGED_COLUMN_LABELS,
    PUBLISHED_INDICATORS,
    SOURCE_CONTRACTS,
    SOURCE_SURVEY,
    SURVEY_GROUPS,
    TARGET_SETTERS,
    TARGET_STATUS_LABELS,
    VARIABLES,
)

# --- Sources ------------------------------------------------------------------------------------------------
SOURCE_TERRITORIES = f"{SOURCE_CONTRACTS} ; Insee ; Drees"
SOURCE_MANIFEST = "manifeste de préparation"
SOURCE_PUBLISHED = "chiffres publiés (Assurance Maladie, presse)"

TERRITORY_NOTES = (
    "Populations : Insee, populations légales 2023 ; Mayotte n'y figure pas : ses taux restent non disponibles (n.d.).",
    "MG : médecins généralistes, nombre estimé (densité au 1er janvier 2025 × population), une estimation.",
    "Abréviations : hab. = habitants ; ETP = équivalents temps plein ; évol. = évolution ; est. = estimation.",
)
WILSON_NOTE = "Intervalles de confiance de Wilson à 95 %."

# --- Disclosure rules ------------------------------------------------------------------------------------------

# Territories: every count, and what is computed from it. France, regions and départements are masked together
# as one hierarchy (`disclosure.publish_territories`), so the groupings here are replaced by that hierarchy.
TERRITORY_RULE = Disclosure(
    counts=tuple(
        Counted(column)
        for column in (
            "signes",
            "actifs",
            "actifs_mg",
            "signes_12_derniers_mois",
            "signes_12_mois_precedents",
            "actifs_il_y_a_12_mois",
        )
    ),
    follows={
        "etp_actifs": "actifs",
        "actifs_pour_100k_hab": "actifs",
        "etp_actifs_pour_100k_hab": "actifs",
        "signes_pour_100k_hab": "signes",
        "actifs_mg_pour_100_mg_estimes": "actifs_mg",
        "part_nationale_signes": "signes",
        "part_nationale_actifs": "actifs",
        "croissance_actifs_12m": ("actifs", "actifs_il_y_a_12_mois"),
        "croissance_signatures_12m": ("signes_12_derniers_mois", "signes_12_mois_precedents"),
    },
    bases={"croissance_actifs_12m": "actifs_il_y_a_12_mois", "croissance_signatures_12m": "signes_12_mois_precedents"},
)
TERRITORY_COLUMNS = [
    "code",
    "nom",
    "region_code",
    "population",
    *TERRITORY_RULE.columns,
]

# A two-way table (territory × background, year × category) with its totals: see `results.publish_breakdown`.
SHARE_FOLLOWERS = ("part", "ic_bas", "ic_haut", "part_parmi_renseignes")

TRAINING_RULE = Disclosure(
    counts=(
        Counted("actifs"),
        Counted("echeance_depassee"),
        Counted("en_retard"),
        Counted("echeance_depassee_formation_connue"),
    ),
    follows={"part_en_retard": "en_retard", "ic_bas": "en_retard", "ic_haut": "en_retard"},
    bases={
        "part_en_retard": "echeance_depassee_formation_connue",
        "ic_bas": "echeance_depassee_formation_connue",
        "ic_haut": "echeance_depassee_formation_connue",
    },
)

FUNDING_RULE = Disclosure(
    counts=(Counted("annees_contrat"),),
    follows={
        "montant_attendu_eur": "annees_contrat",
        "etp_annees_financees": "annees_contrat",
        "aide_par_etp_eur": "annees_contrat",
    },
    bases={"couverture": "annees_contrat"},
)

SURVEY_RULE = Disclosure(
    counts=(Counted("repondants", totals_by=(("groupe",),)),),
    follows={"part": "repondants", "ic_bas": "repondants", "ic_haut": "repondants"},
    bases={"part": "base", "ic_bas": "base", "ic_haut": "base"},
)

# Columns several tables share, declared once so that their headers and formats never disagree.
ACTIVE = Column("actifs", "Contrats actifs", "count")
ACTIVE_FTE = Column("etp_actifs", "ETP actifs", "decimal")
SHARE = Column("part", "Part", "percent")
CI_LOW = Column("ic_bas", "IC 95 % bas", "percent")
CI_HIGH = Column("ic_haut", "IC 95 % haut", "percent")
BACKGROUND_LABEL = Column("libelle", "Profil d'origine", width=2.4)
# A printed share is the ratio of two printed columns: the overdue share's base (past the deadline, training
# known) is printed beside it, since « Échéance dépassée » also counts assistants whose training is unknown.
OVERDUE_COLUMNS = (
    ACTIVE,
    Column("echeance_depassee", "Échéance dépassée", "count"),
    Column("echeance_depassee_formation_connue", "Dont formation connue (base de la part)", "count"),
    Column("en_retard", "Sans certification", "count"),
    Column("part_en_retard", "Part", "percent"),
    CI_LOW,  # the interval a sentence quotes beside the share is printed too
    CI_HIGH,
)

# --- Territories -----------------------------------------------------------------------------------------------


TERRITORY_MEASURES = (
    Column("signes_pour_100k_hab", VARIABLES["signes_pour_100k_hab"].short, "decimal", width=1.25),
    Column("actifs_pour_100k_hab", ACTIVE_RATE.short, "decimal", width=1.25),
    Column("actifs_mg_pour_100_mg_estimes", "Actifs MG pour 100 MG (est.)", "decimal", width=1.25),
    Column("croissance_actifs_12m", "Évol. des actifs sur 12 mois", "percent", width=1.25),
)


def _territory_columns(code_header: str, name_header: str, with_region: bool = False) -> tuple[Column, ...]:
    columns = [Column("code", code_header, width=0.8), Column("nom", name_header, width=2.0)]
    if with_region:
        columns.append(Column("region_code", "Code région", width=0.7))
    return (
        *columns,
        Column("signes", "Contrats signés", "count", width=1.0),
        Column("actifs", "Contrats actifs", "count", width=1.0),
        Column("etp_actifs", "ETP actifs", "decimal", width=1.0),
        *TERRITORY_MEASURES,
    )


REGIONS = TableSpec(
    name="Régions",
    title="Contrats par région",
    columns=_territory_columns("Code région", "Région"),
    source=SOURCE_TERRITORIES,
    disclosure=TERRITORY_RULE,
    notes=TERRITORY_NOTES,
)
DEPARTEMENTS = TableSpec(
    name="Départements",
    title="Contrats par département",
    columns=_territory_columns("Code département", "Département", with_region=True),
    source=SOURCE_TERRITORIES,
    disclosure=TERRITORY_RULE,
    notes=TERRITORY_NOTES,
)
KEY_FIGURES = TableSpec(
    name="Chiffres clés",
    title="Chiffres clés",
    columns=(
        Column("nom", "Territoire", width=2.0),
        Column("signes", "Contrats signés (cumul)", "count"),
        ACTIVE,
        ACTIVE_FTE,
        Column("actifs_pour_100k_hab", ACTIVE_RATE.label, "decimal"),
        Column("actifs_mg_pour_100_mg_estimes", "Actifs MG pour 100 MG (estimation)", "decimal"),
        Column("part_nationale_signes", "Part des contrats signés en France", "percent"),
        Column("croissance_actifs_12m", "Évolution des actifs sur 12 mois", "percent"),
    ),
    source=SOURCE_TERRITORIES,
    disclosure=TERRITORY_RULE,
    keys=("code",),
)


def regions_table(regions: pd.DataFrame) -> PublishedTable:
    """Regions, from the published regions frame (`NationalResults.regions`)."""
    return REGIONS.from_published(regions)


def departements_table(departements: pd.DataFrame, title: str | None = None) -> PublishedTable:
    """Départements, from the published départements frame (all, or the rows of one region)."""
    return DEPARTEMENTS.from_published(departements, title=title)


def key_figures_table(nation: pd.DataFrame, regions: pd.DataFrame, region: str | None) -> PublishedTable:
    """A region's key figures beside France's (or France's alone), from the published territory frames."""
    rows = [nation]
    if region is not None:
        rows.insert(0, regions[regions["code"] == region])
    frame = pd.concat(rows, ignore_index=True)
    frame.attrs = dict(nation.attrs)
    if nation.empty:  # extracts that do not cover France (`publication.covered_only`): nothing said of France
        table = KEY_FIGURES.from_published(frame)
        return replace(table, columns=[column for column in table.columns if column.key != "part_nationale_signes"])
    title = KEY_FIGURES.title + ("" if region is None else " — comparaison avec la France entière")
    return KEY_FIGURES.from_published(frame, title=title)


# --- Rollout -------------------------------------------------------------------------------------------------

# A series is published by month, or by quarter or year for a small territory (`results.series_step`): its table
# says which, in its title, its headers and a note.
SERIES_WORDING = {
    "mois": ("Série mensuelle", "Mensuel", "Fin de mois", "Contrats signés dans le mois", None),
    "trimestre": (
        "Série trimestrielle",
        "Trimestriel",
        "Fin de trimestre",
        "Contrats signés dans le trimestre",
        "Série publiée par trimestre : les signatures mensuelles de ce territoire sont trop peu nombreuses pour être "
        "publiées mois par mois sans être masquées.",
    ),
    "annee": (
        "Série annuelle",
        "Annuel",
        "Fin d'année (ou date d'arrêté)",
        "Contrats signés dans l'année",
        "Série publiée par année : les signatures mensuelles et trimestrielles de ce territoire sont trop peu "
        "nombreuses pour être publiées sans être masquées.",
    ),
}
SERIES_STEP_ATTR = "pas"  # the attrs key of a published series that says its step (`results.series_by`)
SERIES_NOTE = "Un cumul n'est publié que si les signatures depuis le dernier cumul publié sont nulles ou au moins 5."


def series_spec(step: str = "mois") -> TableSpec:
    title, _, end, signed, note = SERIES_WORDING[step]
    return TableSpec(
        name=title,
        title=title,
        columns=(
            Column("fin_de_periode", end, "date"),
            Column("signes_mois", signed, "count"),
            Column("signes_cumul", "Contrats signés (cumul)", "count"),
            ACTIVE,
            ACTIVE_FTE,
        ),
        source=SOURCE_CONTRACTS,
        notes=tuple(filter(None, (note, SERIES_NOTE))),
        keys=("mois",),
    )

# what a monthly series publishes besides its table: the charts draw the same frame
MONTHLY_KEEP = (
    "mois",
    "fin_de_periode",
    "mois_complet",
    "signes_mois",
    "signes_cumul",
    "etp_signes_mois",
    "etp_signes_cumul",
    "actifs",
    "etp_actifs",
)


def monthly_table(monthly: pd.DataFrame, label: str | None = None) -> PublishedTable:
    """The series of a territory, from a published series (`results.publish_monthly`), by month or by the coarser
    step it was published at; `label` (« Bretagne ») names the territory in its title and its sheet."""
    step = monthly.attrs.get(SERIES_STEP_ATTR, "mois")
    title, sheet = SERIES_WORDING[step][:2]
    table = series_spec(step).from_published(monthly, title=f"{title} — {label}" if label else title)
    return replace(table, name=f"{sheet} {label}") if label else table


TARGETS = TableSpec(
    name="Objectifs",
    title="Progression vers les objectifs officiels",
    columns=(
        Column("objectif_libelle", "Objectif (fixé par)", width=3.0),
        Column("echeance", "Échéance", "date", width=1.7),
        Column("valeur_atteinte", "Atteint", "number", width=1.1),
        Column("part_atteinte", "Part", "percent", width=0.9),
        Column("statut_libelle", "Statut", width=1.9),
        # empty only for a target not reached (no date can exist) and for a reached one (nothing to project)
        Column("date_atteinte", "Atteint le", "date", width=1.7, missing=NOT_APPLICABLE),
        Column("date_projetee", "Date projetée", "date", width=1.7, missing=NOT_APPLICABLE),
    ),
    source="objectifs officiels (voir Sources) ; " + SOURCE_CONTRACTS,
    notes=("Un objectif en postes est suivi par le nombre de contrats signés : un contrat signé finance un poste "
           f"(voir « {METHODS['definitions'].title} » dans Sources et méthode).", METHODS["projection"].text),
    keys=("objectif", "valeur_cible", "unite"),
)


def target_label(value: float, unit: str, set_by: str) -> str:
    """« 4 000 contrats — plan « Ma santé 2022 » »: a target as a reader names it."""
    return f"{format_number(value)} {'ETP' if unit == 'etp' else unit} — {TARGET_SETTERS.get(set_by, set_by)}"


def targets_table(progress: pd.DataFrame, projections: pd.DataFrame) -> PublishedTable:
    frame = progress.merge(
        projections[["objectif", "date_projetee", "date_projetee_au_plus_tot", "date_projetee_au_plus_tard"]],
        on="objectif",
        how="left",
    )
    frame = frame.assign(
        statut_libelle=frame["statut"].map(TARGET_STATUS_LABELS).fillna(frame["statut"]),
        objectif_libelle=[
            target_label(value, unit, who)
            for value, unit, who in zip(
                frame["valeur_cible"], frame["unite"].astype(str), frame["fixe_par"], strict=True
            )
        ],
    )
    frame.attrs = dict(progress.attrs)
    return TARGETS.publish(frame)


CROSS_CHECK = TableSpec(
    name="Comparaison publiée",
    title="Les données face aux chiffres publiés",
    columns=(
        Column("date_reference", "Date", "date", width=1.7),
        Column("indicateur_libelle", "Indicateur", width=1.3),
        Column("valeur_publiee", "Chiffre publié", "number", width=1.1),
        Column("qualificatif_libelle", "Précision", width=1.1),
        Column("valeur_donnees", "Données", "number", width=1.1),
        Column("ecart_relatif", "Écart", "percent", width=0.9),
        Column("source", "Source du chiffre publié", width=3.0),
    ),
    source=f"{SOURCE_PUBLISHED} ; {SOURCE_CONTRACTS}",
    notes=("Chiffres publiés : des chiffres réels, cités avec leur source ; « Données » : les données du rapport.",),
)


def cross_check_table(cross: pd.DataFrame, *, synthetic: bool | None = None) -> PublishedTable:
    """The data against the published figures, sources in French; on synthetic data, a note says the demo data
    was calibrated on these very figures, so its near-zero gaps prove nothing."""
    from am_analytics.reference.display import SOURCES

    frame = cross.assign(
        indicateur_libelle=cross["indicateur"].map(PUBLISHED_INDICATORS).fillna(cross["indicateur"]),
        source=cross["source"].map(lambda value: SOURCES.get(str(value), value)).astype("string"),
    )
    frame.attrs = dict(cross.attrs)
    table = CROSS_CHECK.publish(frame, synthetic=synthetic)
    if table.synthetic:
        table.notes.insert(0, CALIBRATION_NOTE)
    return table


# --- Backgrounds and mixes -----------------------------------------------------------------------------------

BACKGROUNDS = TableSpec(
    name="Profils",
    title="Profil d'origine des assistants",
    columns=(
        Column("nom", "Territoire", width=2.2),
        BACKGROUND_LABEL,
        Column("effectif", "Contrats", "count"),
        # the base of « Part », printed beside it (a share is the ratio of two printed columns)
        Column("total", "Contrats du territoire", "count"),
        SHARE,
        CI_LOW,
        CI_HIGH,
    ),
    source=SOURCE_CONTRACTS,
    notes=(WILSON_NOTE,),
    keys=("code", "profil_origine"),
)
MIX_TREND = TableSpec(
    name="Tendance",
    title="Profil d'origine par année de signature",
    columns=(
        Column("periode", "Année de signature"),
        BACKGROUND_LABEL,
        Column("effectif", "Contrats", "count"),
        Column("total", "Contrats de l'année", "count"),
        SHARE,
        CI_LOW,
        CI_HIGH,
    ),
    source=SOURCE_CONTRACTS,
    notes=(WILSON_NOTE,),
    keys=("variable", "debut_periode", "categorie", "part_parmi_renseignes"),
)


def backgrounds_table(shares: pd.DataFrame, codes: list[str] | None = None) -> PublishedTable:
    """Backgrounds by territory, from the published shares (`NationalResults.shares`); `codes` keeps some
    territories (the region and France, say)."""
    table = BACKGROUNDS.from_published(shares)
    return table if codes is None else table.rows(table.frame["code"].isin(codes))


def mix_trend_table(mix: pd.DataFrame, title: str | None = None) -> PublishedTable:
    """A category's share by signing year, from a published mix (`results.publish_mix`)."""
    return MIX_TREND.from_published(mix, title=title)


# --- Funding and training --------------------------------------------------------------------------------------

FUNDING = TableSpec(
    name="Financement",
    title="Aide attendue par année civile",
    columns=(
        Column("annee", "Année"),
        Column("annees_contrat", "Années de contrat", "count"),
        Column("couverture", "Barème connu", "percent"),
        Column("montant_attendu_eur", "Aide attendue", "millions"),
        Column("etp_annees_financees", "ETP-années", "decimal"),
        Column("aide_par_etp_eur", "Aide par ETP", "euros"),
    ),
    source=SOURCE_CONTRACTS + " ; barèmes (avenant 7, convention 2024)",
    disclosure=FUNDING_RULE,
    notes=(METHODS["financement"].text,),
)


def funding_table(funding: pd.DataFrame, title: str | None = None) -> PublishedTable:
    """Expected aid by calendar year, from a published funding frame (`ScopeResults.funding`)."""
    return FUNDING.from_published(funding, title=title)


TRAINING = TableSpec(
    name="Formation",
    title="Assistants sans certification après l'échéance, par région",
    columns=(
        Column("nom", "Région", width=2.6),
        *OVERDUE_COLUMNS,
    ),
    source=SOURCE_CONTRACTS,
    disclosure=TRAINING_RULE,
    notes=(METHODS["formation"].text,),
    keys=("code",),
)
TRAINING_BY_BACKGROUND = TableSpec(
    name="Formation par profil",
    title="Assistants sans certification après l'échéance, par profil d'origine",
    columns=(
        BACKGROUND_LABEL,
        *OVERDUE_COLUMNS,
    ),
    source=SOURCE_CONTRACTS,
    disclosure=TRAINING_RULE,
    notes=(METHODS["formation"].text,),
    keys=("profil_origine",),
)


def with_known_deadline_base(overdue: pd.DataFrame) -> pd.DataFrame:
    """Add the base of the overdue share: contracts past their deadline whose training is known."""
    frame = overdue.assign(
        echeance_depassee_formation_connue=overdue["echeance_depassee"]
        - overdue["formation_inconnue_echeance_depassee"]
    )
    frame.attrs = dict(overdue.attrs)
    return frame


def training_table(overdue: pd.DataFrame, title: str | None = None) -> PublishedTable:
    """Training by region, from the published training frame (`NationalResults.training`)."""
    return TRAINING.from_published(overdue, title=title)


def training_by_background_table(overdue: pd.DataFrame) -> PublishedTable:
    return TRAINING_BY_BACKGROUND.publish(with_known_deadline_base(overdue))


# --- Survey ------------------------------------------------------------------------------------------------------

SURVEY_NOTE = (
    "Parts pondérées parmi les répondants à la question ; intervalles de confiance à 95 % (voir la méthode sous "
    "le tableau des missions)."
)


def missions_table(missions: pd.DataFrame) -> PublishedTable:
    wide = missions.pivot_table(index="mission", columns="groupe", values="part", sort=False).reset_index()
    wide.attrs = dict(missions.attrs)
    spec = TableSpec(
        name="Enquête",
        title="Missions confiées à l'assistant (part pondérée des répondants)",
        columns=(
            Column("mission", "Mission", width=2.5),
            *(Column(group, label, "percent") for group, label in SURVEY_GROUPS.items() if group in wide.columns),
        ),
        source=SOURCE_SURVEY,
        notes=(METHODS["enquete"].text,),
    )
    return spec.publish(wide)


SURVEY_SHARES = TableSpec(
    name="Enquête",
    title="Enquête",
    columns=(
        Column("groupe_libelle", "Répondants"),
        Column("reponse_libelle", "Réponse", width=2.0),
        Column("repondants", "Répondants (nombre)", "count"),
        Column("part", "Part pondérée", "percent"),
        CI_LOW,
        CI_HIGH,
    ),
    source=SOURCE_SURVEY,
    disclosure=SURVEY_RULE,
    notes=(SURVEY_NOTE,),
    keys=("groupe", "reponse"),
)


def survey_shares_table(shares: pd.DataFrame, title: str, answers: dict | None = None) -> PublishedTable:
    """Weighted shares of one question by group (`weighted_shares`), answers in French. Groups nobody in which
    was asked the question (assistants, for the time the doctor saved) are left out rather than shown as rows
    of « n.d. »."""
    labels = answers or {}
    asked = shares[shares["repondants"] > 0]
    base = asked.groupby("groupe")["repondants"].transform("sum")
    frame = asked.assign(
        groupe_libelle=asked["groupe"].map(SURVEY_GROUPS).fillna(asked["groupe"]),
        reponse_libelle=asked["reponse"].map(lambda value: labels.get(value, labels.get(str(value), str(value)))),
        base=base,
    )
    frame.attrs = dict(shares.attrs)
    return SURVEY_SHARES.publish(frame, title=title)


AGGREGATED = TableSpec(
    name="Tableaux de l'institut",
    title="Résultats publiés par l'institut (tableaux agrégés)",
    columns=(
        Column("question", "Question", width=2.6),
        Column("reponse", "Réponse", width=1.6),
        Column("sous_groupe", "Sous-groupe", width=1.8),
        Column("base", "Base", "count"),
        SHARE,
        CI_LOW,
        CI_HIGH,
    ),
    source=SOURCE_SURVEY + " (tableaux de l'institut)",
    # the institute's tables are already published: only the rule on small bases applies
    disclosure=Disclosure(
        counts=(Counted("base", totals_by=()),),
        follows={"part": "base", "ic_bas": "base", "ic_haut": "base"},
        bases={"part": "base", "ic_bas": "base", "ic_haut": "base"},
    ),
    notes=("Intervalles calculés sur la base non pondérée publiée : probablement trop étroits.",),
)


def aggregated_table(aggregated: pd.DataFrame) -> PublishedTable:
    return AGGREGATED.publish(aggregated)


# --- Data quality and sources ---------------------------------------------------------------------------------

QUALITY = TableSpec(
    name="Qualité",
    title="Lignes lues, conservées, mises à jour, fusionnées et mises en quarantaine, par fichier",
    columns=(
        Column("fichier", "Fichier", width=3.2),
        Column("lignes_lues", "Lues", "count"),
        Column("lignes_conservees", "Conservées", "count"),
        Column("lignes_mises_a_jour", "Remplacées par une version plus récente", "count"),
        Column("doublons_fusionnes", "Doublons fusionnés", "count"),
        Column("lignes_en_quarantaine", "En quarantaine", "count"),
        Column("lignes_avec_avertissement", "Avec avertissement", "count"),
    ),
    source=SOURCE_MANIFEST,
    notes=(
        "Chaque ligne lue est conservée, remplacée par la version d'une extraction plus récente, fusionnée "
        "(copie exacte) ou mise en quarantaine ; une ligne conservée peut porter un avertissement.",
        "Les lignes de fichiers ne sont pas des personnes : elles ne sont pas masquées.",
    ),
)
WARNINGS = TableSpec(
    name="Avertissements",
    title="Avertissements : valeurs descriptives non reconnues, contrats conservés",
    columns=(
        Column("fichier", "Fichier", width=2.4),
        Column("feuille", "Feuille", width=0.9, missing=NOT_APPLICABLE),  # a CSV file has no sheet
        Column("libelle", "Motif", width=3.0),
        Column("colonne", "Colonne", width=1.4),
        Column("lignes", "Lignes", "count", width=0.7),
        Column("exemples", "Exemples de valeurs", width=2.4),
    ),
    source=SOURCE_MANIFEST,
    notes=(
        "Une valeur descriptive non reconnue (spécialité, zone, profil, formation, date de prise de fonction, "
        "montant) ne fait pas rejeter le contrat : il est conservé avec une catégorie « inconnue » et signalé ici. "
        "Le détail, ligne par ligne, figure parmi les avertissements enregistrés avec les données préparées.",
    ),
)
CHANGES = TableSpec(
    name="Mises à jour",
    title="Journal des modifications : colonnes changées par une extraction plus récente",
    columns=(
        Column("libelle", "Colonne", width=2.4),
        Column("changements", "Changements", "count"),
        Column("contrats", "Contrats", "count"),
        Column("fichiers", "Fichiers de la nouvelle version", width=3.4),
    ),
    source=SOURCE_MANIFEST,
    notes=(
        "Les extractions sont cumulatives et renvoyées : la version la plus récente d'un contrat l'emporte et "
        "chaque changement est consigné dans le journal des modifications des données préparées.",
    ),
)
REASONS = TableSpec(
    name="Quarantaine",
    title="Motifs de mise en quarantaine",
    columns=(
        Column("libelle", "Motif", width=3.0),
        Column("lignes", "Lignes", "count"),
        Column("fichiers", "Fichiers", width=3.0),
    ),
    source=SOURCE_MANIFEST,
)


def quality_table(quality: pd.DataFrame) -> PublishedTable:
    """Rows read, kept, updated, merged, quarantined and warned, per file (`indicators.quality.file_quality`)."""
    return QUALITY.publish(quality)


def reasons_table(reasons: pd.DataFrame) -> PublishedTable:
    """Quarantine reasons (`indicators.quality.quarantine_reasons`)."""
    return REASONS.publish(reasons)


def warnings_table(warnings: pd.DataFrame) -> PublishedTable:
    """Warnings by file and reason (`indicators.quality.warning_reasons`); a column the file names by the package's
    own code (`profil_origine`) reads as its French name, as in the change log."""
    named = warnings.assign(colonne=warnings["colonne"].map(
        lambda column: CHANGED_COLUMN_LABELS.get(column, column) if isinstance(column, str) else column))
    named.attrs = dict(warnings.attrs)
    return WARNINGS.publish(named)


def changes_table(changes: pd.DataFrame) -> PublishedTable:
    """The change log summed up by column (`indicators.quality.changes_by_column`)."""
    return CHANGES.publish(changes)


PUBLISHED_FIGURES = TableSpec(
    name="Chiffres publiés",
    title="Chiffres publiés sur le dispositif (réels, avec leur source)",
    columns=(
        Column("reference_date", "Date", "date"),
        Column("indicateur_libelle", "Indicateur", width=2.4),
        Column("value", "Valeur", "number"),
        Column("precision", "Précision"),
        Column("source_fr", "Source", width=3.0),
        Column("note_fr", "Remarque", width=2.4),
    ),
    source="Assurance Maladie (Cnam), ameli.fr, presse médicale ; voir chaque ligne",
    notes=(
        "Chiffres réels tels que publiés, avec leur date, leur précision (« environ », « un peu plus de »…) et "
        "leur source ; les sources se contredisent parfois : chaque chiffre est cité tel quel.",
    ),
)


def published_figures_table(region: str | None = None) -> PublishedTable:
    """The real published figures, in French (`reference.display`), each with its source; for a region, the
    national figures and those of its own départements only (a regional edition names no other département)."""
    from am_analytics.reference.display import published_figures_fr

    figures = reference.published_figures()
    if region is not None:
        codes = reference.departements().query("region_code == @region")["code"].tolist()
        departement = figures["indicator"].str.extract(r"_departement_(\w+)$", expand=False)
        figures = figures[departement.isna() | departement.isin(codes)]
    return PUBLISHED_FIGURES.publish(published_figures_fr(figures), synthetic=False)


INPUTS = TableSpec(
    name="Fichiers d'entrée",
    title="Fichiers d'entrée et leurs empreintes SHA-256",
    columns=(Column("fichier", "Fichier", width=2.2), Column("sha256", "SHA-256", width=4.2)),
    source=SOURCE_MANIFEST,
)


def inputs_table(manifest: dict) -> PublishedTable:
    """The input files and their checksums (synthetic when the manifest says any input is)."""
    files = pd.DataFrame(
        [{"fichier": name, "sha256": digest} for name, digest in sorted(manifest.get("inputs", {}).items())],
        columns=["fichier", "sha256"],
    )
    return INPUTS.publish(files, synthetic=bool(manifest.get("synthetic")))


REFERENCES = TableSpec(
    name="Références",
    title="Tables de référence : producteur, millésime, licence",
    columns=(
        Column("title", "Table", width=2.4),
        Column("producer", "Producteur", width=2.0),
        Column("vintage", "Millésime", width=1.6),
        Column("licence", "Licence", width=1.8),
    ),
    source="tables de référence livrées avec le logiciel, avec leur producteur, leur millésime et leur licence",
)


def reference_table() -> PublishedTable:
    return REFERENCES.publish(reference.provenance_table(), synthetic=False)


# --- The report as a publication (issue 15): a region beside France, perspectives to 2029 -----------------------

TERRITORY_COMPARISON = TableSpec(
    name="Territoires",
    title="Contrats par département, total régional et France entière",
    columns=(
        Column("code", "Code", width=0.8),
        Column("nom", "Territoire", width=2.0),
        Column("signes", "Contrats signés", "count"),
        ACTIVE,
        ACTIVE_FTE,
        *TERRITORY_MEASURES,
    ),
    source=SOURCE_TERRITORIES,
    disclosure=TERRITORY_RULE,
    notes=TERRITORY_NOTES,
    keys=("niveau",),
)
REGION_TOTAL_PREFIX = "Total "


def territory_comparison_table(
    departements: pd.DataFrame, regions: pd.DataFrame, nation: pd.DataFrame, region: str
) -> PublishedTable:
    """A region's départements, the region's total and France, from the published territory frames (masked as
    one hierarchy, so a hidden figure stays hidden in every row)."""
    own = departements[departements["region_code"] == region].assign(niveau="departement")
    total = regions[regions["code"] == region].assign(niveau="region")
    total = total.assign(nom=REGION_TOTAL_PREFIX + total["nom"].astype(str))
    france = nation.assign(niveau="france")
    frame = pd.concat([own, total, france], ignore_index=True)
    frame.attrs = dict(regions.attrs)
    name = str(regions.loc[regions["code"] == region, "nom"].iloc[0])
    return TERRITORY_COMPARISON.from_published(frame, title=f"Contrats par département — {name}, total régional et "
                                               "France entière")


def training_comparison_table(training: pd.DataFrame, france: pd.DataFrame, region: str | None) -> PublishedTable:
    """A region's training row (every region's when `region` is None) and France's last (both published)."""
    rows = training if region is None else training[training["code"] == region]
    frame = pd.concat([rows, france], ignore_index=True)
    frame.attrs = dict(training.attrs)
    title = "Assistants sans certification après l'échéance, " + (
        "par région et France entière" if region is None else "la région et la France entière")
    return TRAINING.from_published(frame, title=title)


PROJECTED_SPENDING = TableSpec(
    name="Perspectives 2029",
    title="Aide attendue projetée jusqu'en 2029 (projection)",
    columns=(
        Column("annee", "Année"),
        Column("nouveaux_contrats", "Nouveaux contrats projetés", "count"),
        Column("montant_contrats_signes_meur", "Aide, contrats déjà signés (M€)", "decimal"),
        Column("montant_nouveaux_meur", "Aide, nouveaux contrats (M€)", "decimal"),
        Column("montant_total_meur", "Aide totale projetée (M€)", "decimal"),
        Column("montant_total_bas_meur", "Bas de la fourchette (M€)", "decimal"),
        Column("montant_total_haut_meur", "Haut de la fourchette (M€)", "decimal"),
        Column("couverture", "Barème connu", "percent"),
    ),
    source=SOURCE_CONTRACTS + " ; barèmes de la convention 2024 ; projection",
    keys=("statut",),
)


def projected_spending_table(spending: pd.DataFrame) -> PublishedTable:
    """Projected CPAM aid per year to 2029 (`indicators.projected_spending`), labelled as a projection. National
    totals only: no count small enough to hide."""
    notes = [METHODS["perspectives"].text, "M€ : millions d'euros ; une projection, arrondie au dixième de million."]
    millions = {f"{name[:-4]}_meur": spending[name] / 1e6 for name in spending.columns if name.endswith("_eur")}
    spending = spending.assign(**millions).pipe(lambda frame: _with_attrs(frame, spending))
    reason = spending.attrs.get("reason")
    if reason:
        notes.insert(0, f"Nouveaux contrats : {reason}.")
    columns = [c for c in PROJECTED_SPENDING.columns if c.key in spending.columns]
    spec = TableSpec(**{**PROJECTED_SPENDING.__dict__, "columns": tuple(columns)})
    return spec.publish(spending, notes=notes)


def _with_attrs(frame: pd.DataFrame, original: pd.DataFrame) -> pd.DataFrame:
    frame.attrs = dict(original.attrs)
    return frame


PROJECTED_DATES = TableSpec(
    name="Dates projetées",
    title="Date projetée de chaque objectif non atteint (projection)",
    columns=(
        Column("objectif_libelle", "Objectif", width=3.0),
        Column("echeances", "Échéances (fixées par)", width=3.0),
        Column("part_atteinte", "Atteint", "percent"),
        Column("date_projetee", "Date projetée", "date"),
        Column("date_projetee_au_plus_tot", "Au plus tôt", "date"),
        Column("date_projetee_au_plus_tard", "Au plus tard", "date"),
        Column("raison", "Remarque", width=2.0),
    ),
    source="objectifs officiels (voir Sources) ; " + SOURCE_CONTRACTS + " ; projection",
    notes=(METHODS["projection"].text,),
)


def projected_dates_table(progress: pd.DataFrame, projections: pd.DataFrame) -> PublishedTable:
    """Each open target once (the 10 000 set three times is one line, with its successive deadlines and who set
    them), with its projected date and band, or why none is given."""
    from am_analytics.presentation.sentences import _setters, target_groups

    rows = []
    for group in target_groups(progress):
        if group["date_atteinte"].notna().any():
            continue
        first = group.iloc[0]
        projection = projections[projections["objectif"] == first["objectif"]].iloc[0]
        unit = "ETP" if first["unite"] == "etp" else "contrats"
        rows.append({
            "objectif_libelle": f"{format_number(first['valeur_cible'])} {unit}",
            "echeances": _setters(group),
            "part_atteinte": first["part_atteinte"],
            "date_projetee": projection["date_projetee"],
            "date_projetee_au_plus_tot": projection["date_projetee_au_plus_tot"],
            "date_projetee_au_plus_tard": projection["date_projetee_au_plus_tard"],
            "raison": "" if pd.isna(projection["raison"]) else str(projection["raison"]),
        })
    frame = pd.DataFrame(rows, columns=[column.key for column in PROJECTED_DATES.columns])
    frame.attrs = dict(progress.attrs)
    return PROJECTED_DATES.publish(frame)
