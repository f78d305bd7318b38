"""The catalogue of published tables: for each, its columns, French headers, formats, disclosure rule, notes
and source line. The PDF, the workbook, the notebooks and the site publish every table from here. A column's
header and decimals are its variable's record (`vocabulary.VARIABLES`, through `measure` and `classification`).

Each `publish_*` function takes indicator frames (or frames already published by `presentation.results`) and
returns a `PublishedTable`; nothing here computes an indicator or draws a chart.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from am_analytics import reference
from am_analytics.figures.formatting import NOT_APPLICABLE, format_date, format_number, year_label
from am_analytics.indicators.commitment_effect import STRATA_ATTR, STRATA_LABELS
from am_analytics.indicators.methods import METHODS
from am_analytics.indicators.mix import NOT_GIVEN
from am_analytics.indicators.territories import GP_RATE, generalists_source_note
from am_analytics.presentation.coarsening import coarsening_notes
from am_analytics.presentation.disclosure import THRESHOLD, Counted, Disclosure
from am_analytics.presentation.tables import Column, Kind, PublishedTable, TableSpec
from am_analytics.vocabulary import (
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
    "generalistes_source",  # which GP count each per-100-GP rate used: the shipped estimate or the analyst's
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

def measure(key: str, kind: Kind, *, variable: str | None = None, short: bool = False, width: float | None = None,
            missing: str | None = None) -> Column:
    """A table column of a published variable: its header and decimals are the variable's record
    (`vocabulary.VARIABLES`, by `variable` or the column's `key`); `short` takes the abbreviated label for a narrow
    column."""
    name = variable or key
    record = VARIABLES[name]
    column = Column(key, record.short if short else record.label, kind, width=width, decimals=record.decimals,
                    variable=name)
    return column if missing is None else replace(column, missing=missing)


def classification(key: str, *, variable: str | None = None, width: float | None = None,
                   missing: str | None = None) -> Column:
    """A text column (a code, a name, a category, a file): its header is its variable's record, as a measure's."""
    return measure(key, "text", variable=variable, width=width, missing=missing)


# Columns several tables share, declared once so that their headers and formats never disagree.
ACTIVE = measure("actifs", "count")
ACTIVE_FTE = measure("etp_actifs", "decimal")
SHARE = measure("part", "percent")
CI_LOW = measure("ic_bas", "percent")
CI_HIGH = measure("ic_haut", "percent")
BACKGROUND_LABEL = classification("libelle", variable="profil_libelle", width=2.4)
# A printed share is the ratio of two printed columns: the overdue share's base (past the deadline, training
# known) is printed beside it, since « Échéance dépassée » also counts assistants whose training is unknown.
OVERDUE_COLUMNS = (
    ACTIVE,
    measure("echeance_depassee", "count"),
    measure("echeance_depassee_formation_connue", "count"),
    measure("en_retard", "count"),
    measure("part_en_retard", "percent"),
    CI_LOW,  # the interval a sentence quotes beside the share is printed too
    CI_HIGH,
)

# --- Territories -----------------------------------------------------------------------------------------------


TERRITORY_MEASURES = (
    measure("signes_pour_100k_hab", "decimal", short=True, width=1.25),
    measure("actifs_pour_100k_hab", "decimal", short=True, width=1.25),
    measure("actifs_mg_pour_100_mg_estimes", "decimal", short=True, width=1.25),
    measure("croissance_actifs_12m", "percent", short=True, width=1.25),
)


def _territory_columns(level: str, with_region: bool = False) -> tuple[Column, ...]:
    """The columns of a territory table; `level` names its code and name variables (`region`, `departement`)."""
    columns = [classification("code", variable=f"code_{level}", width=0.8),
               classification("nom", variable=f"nom_{level}", width=2.0)]
    if with_region:
        columns.append(classification("region_code", variable="code_region", width=0.7))
    return (
        *columns,
        measure("signes", "count", width=1.0),
        measure("actifs", "count", width=1.0),
        measure("etp_actifs", "decimal", width=1.0),
        *TERRITORY_MEASURES,
    )


REGIONS = TableSpec(
    name="Régions",
    title="Contrats par région",
    columns=_territory_columns("region"),
    source=SOURCE_TERRITORIES,
    disclosure=TERRITORY_RULE,
    notes=TERRITORY_NOTES,
    keys=("generalistes_source",),  # names the GP count of each per-100-GP rate (in a note, not a column)
)
DEPARTEMENTS = TableSpec(
    name="Départements",
    title="Contrats par département",
    columns=_territory_columns("departement", with_region=True),
    source=SOURCE_TERRITORIES,
    disclosure=TERRITORY_RULE,
    notes=TERRITORY_NOTES,
    keys=("generalistes_source",),  # names the GP count of each per-100-GP rate (in a note, not a column)
)
KEY_FIGURES = TableSpec(
    name="Chiffres clés",
    title="Chiffres clés",
    columns=(
        classification("nom", variable="nom_territoire", width=2.0),
        measure("signes", "count"),
        ACTIVE,
        ACTIVE_FTE,
        measure("actifs_pour_100k_hab", "decimal"),
        measure("actifs_mg_pour_100_mg_estimes", "decimal"),
        measure("part_nationale_signes", "percent"),
        measure("croissance_actifs_12m", "percent"),
    ),
    source=SOURCE_TERRITORIES,
    disclosure=TERRITORY_RULE,
    keys=("code", "generalistes_source"),
)


ESTIMATED_GP_NOTE = TERRITORY_NOTES[1]
def with_generalists_source(table: PublishedTable) -> PublishedTable:
    """A territory table that names the GP counts its per-100-GP rates used: the shipped estimate's note kept as it
    is, or replaced by the analyst's source (the column header then no longer says « estimation »)."""
    note = generalists_source_note(table.frame)
    if note is None:
        return table
    mixed = "estimation livrée" in note
    columns = [replace(column, header=column.header.replace("(estimation)", "(fournis ou est.)" if mixed
                                                            else "(effectifs fournis)")
                       .replace("(est.)", "(fournis ou est.)" if mixed else "(fournis)"))
               if column.key == GP_RATE else column for column in table.columns]
    notes = [note if text == ESTIMATED_GP_NOTE else text for text in table.notes]
    return replace(table, columns=columns, notes=notes if note in notes else [*notes, note])


def regions_table(regions: pd.DataFrame) -> PublishedTable:
    """Regions, from the published regions frame (`NationalResults.regions`)."""
    return with_generalists_source(REGIONS.from_published(regions))


def departements_table(departements: pd.DataFrame, title: str | None = None) -> PublishedTable:
    """Départements, from the published départements frame (all, or the rows of one region)."""
    return with_generalists_source(DEPARTEMENTS.from_published(departements, title=title))


def key_figures_table(nation: pd.DataFrame, regions: pd.DataFrame, region: str | None) -> PublishedTable:
    """A region's key figures beside France's (or France's alone), from the published territory frames."""
    rows = [nation]
    if region is not None:
        rows.insert(0, regions[regions["code"] == region])
    frame = pd.concat(rows, ignore_index=True)
    frame.attrs = dict(nation.attrs)
    if nation.empty:  # extracts that do not cover France (`publication.covered_only`): nothing said of France
        table = KEY_FIGURES.from_published(frame)
        return with_generalists_source(replace(table, columns=[column for column in table.columns
                                                               if column.key != "part_nationale_signes"]))
    title = KEY_FIGURES.title + ("" if region is None else " — comparaison avec la France entière")
    return with_generalists_source(KEY_FIGURES.from_published(frame, title=title))


# --- Rollout -------------------------------------------------------------------------------------------------

# A series is published by month, or by quarter or year for a small territory (`results.series_step`): its table
# says which, in its title, its headers (the variables of its end date and of its signatures) and a note.
SERIES_WORDING = {
    "mois": ("Série mensuelle", "Mensuel", "fin_de_mois", "signes_mois", None),
    "trimestre": (
        "Série trimestrielle",
        "Trimestriel",
        "fin_de_trimestre",
        "signes_trimestre",
        "Série publiée par trimestre : les signatures mensuelles de ce territoire sont trop peu nombreuses pour être "
        "publiées mois par mois sans être masquées.",
    ),
    "annee": (
        "Série annuelle",
        "Annuel",
        "fin_d_annee",
        "signes_annee",
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
            measure("fin_de_periode", "date", variable=end),
            measure("signes_mois", "count", variable=signed),
            measure("signes_cumul", "count"),
            ACTIVE,
            ACTIVE_FTE,
        ),
        source=SOURCE_CONTRACTS,
        notes=tuple(filter(None, (note, SERIES_NOTE))),
        keys=("mois",),
    )


# the columns each published frame keeps (`presentation.results`)
BACKGROUND_KEEP = ("code", "nom", "profil_origine", "libelle", "effectif", "total", "part", "ic_bas", "ic_haut")
MIX_KEEP = (
    "variable",
    "periode",
    "debut_periode",
    "categorie",
    "libelle",
    "effectif",
    "total",
    "part",
    "ic_bas",
    "ic_haut",
    "part_parmi_renseignes",
)
FUNDING_KEEP = (
    "annee",
    "annees_contrat",
    "couverture",
    "montant_attendu_eur",
    "etp_annees_financees",
    "aide_par_etp_eur",
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
        classification("objectif_libelle", variable="objectif_fixe_par", width=3.0),
        measure("echeance", "date", width=1.7),
        measure("valeur_atteinte", "number", width=1.1),
        measure("part_atteinte", "percent", width=0.9),
        classification("statut_libelle", width=1.9),
        # empty only for a target not reached (no date can exist) and for a reached one (nothing to project)
        measure("date_atteinte", "date", width=1.7, missing=NOT_APPLICABLE),
        measure("date_projetee", "date", width=1.7, missing=NOT_APPLICABLE),
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
        measure("date_reference", "date", width=1.7),
        classification("indicateur_libelle", width=1.3),
        measure("valeur_publiee", "number", width=1.1),
        classification("qualificatif_libelle", width=1.1),
        measure("valeur_donnees", "number", width=1.1),
        measure("ecart_relatif", "percent", width=0.9),
        classification("source", variable="source_chiffre", width=3.0),
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
        classification("nom", variable="nom_territoire", width=2.2),
        BACKGROUND_LABEL,
        measure("effectif", "count"),
        # the base of « Part », printed beside it (a share is the ratio of two printed columns)
        measure("total", "count", variable="total_territoire"),
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
        classification("periode"),
        BACKGROUND_LABEL,
        measure("effectif", "count"),
        measure("total", "count", variable="total_annee"),
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
    """A category's share by signing year, from a published mix (`results.publish_mix`); its notes say how the mix
    was coarsened (over all years, small categories folded into « Autres »)."""
    return MIX_TREND.from_published(mix, title=title, notes=coarsening_notes(mix))


def background_years_table(mix: pd.DataFrame, title: str | None = None, profil: str | None = None) -> PublishedTable:
    """Backgrounds by signing year (`ScopeResults.backgrounds_by_year`), as every output shows them; `profil`
    keeps one background's rows. The mix lists « non renseigné » twice (the background `inconnu`, and the missing
    values the preparation already turned into it): the second line is left out when it is all zeros and none of
    its cells is hidden (leaving out a hidden cell would change what the audit protected)."""
    table = mix_trend_table(mix, title)
    frame = table.frame
    if profil is not None:
        return table.rows(frame["categorie"] == profil)
    extra = (frame["categorie"] == NOT_GIVEN).to_numpy()
    hidden = frame["effectif_secret"].notna().to_numpy() if "effectif_secret" in frame.columns else False
    if extra.any() and not (extra & hidden).any() and (frame.loc[extra, "effectif"] == 0).all():
        return table.rows(~extra)
    return table


# --- Funding and training --------------------------------------------------------------------------------------

FUNDING = TableSpec(
    name="Financement",
    title="Aide attendue par année civile",
    columns=(
        classification("annee"),
        measure("annees_contrat", "count"),
        measure("couverture", "percent"),
        measure("montant_attendu_eur", "millions"),
        measure("etp_annees_financees", "decimal"),
        measure("aide_par_etp_eur", "euros"),
    ),
    source=SOURCE_CONTRACTS + " ; barèmes (avenant 7, convention 2024)",
    disclosure=FUNDING_RULE,
    notes=(METHODS["financement"].text,),
)


def funding_table(funding: pd.DataFrame, title: str | None = None) -> PublishedTable:
    """Expected aid by calendar year, from a published funding frame (`ScopeResults.funding`); the year of the
    counting date, not over, reads as its chart's label does (« 2025 (janv.–juin) »)."""
    as_of = funding.attrs.get("as_of")
    frame = funding if as_of is None else funding.assign(annee=[year_label(year, as_of) for year in funding["annee"]])
    frame.attrs = dict(funding.attrs)
    return FUNDING.from_published(frame, title=title)


TRAINING = TableSpec(
    name="Formation",
    title="Assistants sans certification après l'échéance, par région",
    columns=(
        classification("nom", variable="nom_region", width=2.6),
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
    """Training by background, from the published frame (`NationalResults.training_backgrounds`)."""
    return TRAINING_BY_BACKGROUND.from_published(overdue)


# the columns a published training frame keeps: the table's, and the base of its share
TRAINING_KEEP = (*TRAINING.keys, *(column.key for column in TRAINING.columns), "echeance_depassee_formation_connue")
TRAINING_BACKGROUND_KEEP = (*TRAINING_BY_BACKGROUND.keys, *(column.key for column in TRAINING_BY_BACKGROUND.columns),
                            "echeance_depassee_formation_connue")


# --- The monthly follow-up and the training supply (issue 23) ------------------------------------------------------

# This month, the previous one and the same month a year before, by département of a region: three counts of
# signatures per row, each a period of the département's signatures (linked to its cumulative count and to the
# region's series by the audit, `linked.month_cells`); a difference is hidden with either of its counts.
def counted_alone(*columns: str, follows: dict | None = None) -> Disclosure:
    """The rule of counts that add up to no total printed in their own table (their links to other tables are the
    audit's, `presentation.linked`), and of the values computed from them (`follows`)."""
    return Disclosure(counts=tuple(Counted(column, totals_by=()) for column in columns), follows=follows or {})


MONTH_RULE = counted_alone("signes_mois", "signes_mois_precedent", "signes_meme_mois_an_passe",
                           follows={"ecart_mois_precedent": ("signes_mois", "signes_mois_precedent"),
                                    "ecart_un_an": ("signes_mois", "signes_meme_mois_an_passe")})
MONTH_COMPARED = TableSpec(
    name="Mois par département",
    title="Contrats signés dans le mois, le mois précédent et un an plus tôt, par département",
    columns=(
        classification("nom", variable="nom_departement", width=2.6),
        # each month compared is followed by the difference to it
        *(measure(key, "count") for key in ("signes_mois", "signes_mois_precedent", "ecart_mois_precedent",
                                            "signes_meme_mois_an_passe", "ecart_un_an")),
    ),
    source=SOURCE_CONTRACTS,
    disclosure=MONTH_RULE,
    notes=("Mois de la date d'arrêté : du 1er du mois à la date d'arrêté ; mois précédent et même mois un an plus "
           "tôt : mois entiers. Écart : mois de la date d'arrêté moins le mois comparé.",),
    keys=("code", "region_code"),
)
MONTH_KEEP = (*MONTH_COMPARED.keys, *(column.key for column in MONTH_COMPARED.columns))


def month_compared_table(compared: pd.DataFrame, title: str | None = None) -> PublishedTable:
    """This month against the previous one and a year before, by département (`ScopeResults.month_compared`)."""
    return MONTH_COMPARED.from_published(compared, title=title)


# What changed since the previous scheduled run, by département: counts of contracts (masked as every count; no
# contract id is ever published). No other table prints these counts at this date, so they are protected on their
# own (the difference of two runs' cumulative counts says as much as the new contracts, run after run, by design).
RUN_CHANGE_COLUMNS = ("nouveau", "termine", "modifie", "retire")
RUN_CHANGES_RULE = counted_alone(*RUN_CHANGE_COLUMNS)
RUN_CHANGES_KEEP = ("code", "region_code", "nom", *RUN_CHANGE_COLUMNS)
FIRST_RUN = "première exécution : pas de comparaison"
RUN_CHANGES = TableSpec(
    name="Depuis l'exécution précédente",
    title="Contrats nouveaux, terminés, modifiés et retirés depuis l'exécution précédente, par département",
    columns=(
        classification("nom", variable="nom_departement", width=2.6),
        *(measure(column, "count") for column in RUN_CHANGE_COLUMNS),
    ),
    source=SOURCE_CONTRACTS + " ; exécutions programmées successives",
    disclosure=RUN_CHANGES_RULE,
    notes=("Nouveau : contrat absent de l'exécution précédente ; terminé : date de fin apparue ou changée ; modifié : "
           "une autre valeur a changé ; retiré : présent à l'exécution précédente, absent aujourd'hui.",),
    keys=("code", "region_code"),
)


def run_changes_table(changes: pd.DataFrame, title: str | None = None) -> PublishedTable:
    """What changed since the previous scheduled run, by département (`NationalResults.run_changes`)."""
    previous = changes.attrs.get("execution_precedente")
    notes = [f"Exécution précédente : données au {format_date(pd.Timestamp(previous))}."] if previous else []
    return RUN_CHANGES.from_published(changes, title=title, notes=notes)


# Training supply: the need counts people (hidden as every count; `en_retard` is the training table's own figure and
# takes its status from it), the sites count organisations (public lists: nothing to hide). A region with no known
# list reads « liste non connue », never 0.
UNKNOWN_LIST = "liste non connue"
SUPPLY_RULE = counted_alone("en_retard", "echeance_12_mois",
                            follows={"besoin_formation": ("en_retard", "echeance_12_mois")})
TRAINING_SUPPLY = TableSpec(
    name="Offre de formation",
    title="Besoin de formation et sites de formation connus, par région",
    columns=(
        classification("nom", variable="nom_region", width=2.2),
        *(measure(key, "count") for key in ("en_retard", "echeance_12_mois", "besoin_formation")),  # the need
        measure("sites_formation", "count", missing=UNKNOWN_LIST),
        classification("communes", width=2.6, missing=UNKNOWN_LIST),
    ),
    source=SOURCE_CONTRACTS + " ; listes publiées d'organismes de formation (chaque liste citée en note)",
    disclosure=SUPPLY_RULE,
    notes=(
        "Besoin de formation : contrats actifs sans certification (formation connue) dont l'échéance est dépassée "
        "ou tombe dans les 12 mois qui suivent la date d'arrêté.",
        "Sites de formation : couples organisme × commune distincts connus dans la région ; « liste non connue » : "
        "aucune liste publiée pour la région (jamais zéro).",
    ),
    keys=("code", "connaissance", "source"),
)
SUPPLY_KEEP = (*TRAINING_SUPPLY.keys, *(column.key for column in TRAINING_SUPPLY.columns))


def training_supply_table(supply: pd.DataFrame, title: str | None = None) -> PublishedTable:
    """The training supply by region (`NationalResults.training_supply`), or one region's row of it; the source of
    each list shown is a note under the table."""
    sources = dict.fromkeys(supply["source"].dropna())
    return TRAINING_SUPPLY.from_published(supply, title=title, notes=[f"Liste des sites : {source}."
                                                                      for source in sources])


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
            classification("mission", width=2.5),
            # one weighted share per group of respondents, headed by the group (`part_ponderee` for each)
            *(Column(group, label, "percent", decimals=VARIABLES["part_ponderee"].decimals, variable="part_ponderee")
              for group, label in SURVEY_GROUPS.items() if group in wide.columns),
        ),
        source=SOURCE_SURVEY,
        notes=(METHODS["enquete"].text,),
    )
    return spec.publish(wide)


SURVEY_SHARES = TableSpec(
    name="Enquête",
    title="Enquête",
    columns=(
        classification("groupe_libelle"),
        classification("reponse_libelle", variable="reponse", width=2.0),
        measure("repondants", "count"),
        measure("part", "percent", variable="part_ponderee"),
        CI_LOW,
        CI_HIGH,
    ),
    source=SOURCE_SURVEY,
    disclosure=SURVEY_RULE,
    notes=(SURVEY_NOTE,),
    keys=("groupe", "reponse"),
)


def survey_shares_frame(shares: pd.DataFrame, answers: dict | None = None) -> pd.DataFrame:
    """Weighted shares of one question by group (`weighted_shares`) with their base and their answers in French,
    ready to publish (`results`). Groups nobody in which was asked the question (assistants, for the time the
    doctor saved) are left out rather than shown as rows of « n.d. »."""
    labels = answers or {}
    asked = shares[shares["repondants"] > 0]
    base = asked.groupby("groupe")["repondants"].transform("sum")
    frame = asked.assign(
        groupe_libelle=asked["groupe"].map(SURVEY_GROUPS).fillna(asked["groupe"]),
        reponse_libelle=asked["reponse"].map(lambda value: labels.get(value, labels.get(str(value), str(value)))),
        base=base,
    )
    frame.attrs = dict(shares.attrs)
    return frame


def survey_shares_table(shares: pd.DataFrame, title: str) -> PublishedTable:
    """One question's published shares (`NationalResults.time_saved`, `recommends`, `continues`)."""
    return SURVEY_SHARES.from_published(shares, title=title)


AGGREGATED = TableSpec(
    name="Tableaux de l'institut",
    title="Résultats publiés par l'institut (tableaux agrégés)",
    columns=(
        classification("question", width=2.6),
        classification("reponse", width=1.6),
        classification("sous_groupe", width=1.8),
        measure("base", "count"),
        measure("part", "percent", variable="part_institut"),
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
    """The institute's tables, from the published frame (`NationalResults.institute`)."""
    return AGGREGATED.from_published(aggregated)


# --- Data quality and sources ---------------------------------------------------------------------------------

QUALITY = TableSpec(
    name="Qualité",
    title="Lignes lues, conservées, mises à jour, fusionnées et mises en quarantaine, par fichier",
    columns=(
        classification("fichier", width=3.2),
        measure("lignes_lues", "count"),
        measure("lignes_conservees", "count"),
        measure("lignes_mises_a_jour", "count"),
        measure("doublons_fusionnes", "count"),
        measure("lignes_en_quarantaine", "count"),
        measure("lignes_avec_avertissement", "count"),
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
        classification("fichier", width=2.4),
        classification("feuille", width=0.9, missing=NOT_APPLICABLE),  # a CSV file has no sheet
        classification("libelle", variable="motif", width=3.0),
        classification("colonne", width=1.4),
        measure("lignes", "count", width=0.7),
        classification("exemples", width=2.4),
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
        classification("libelle", variable="colonne", width=2.4),
        measure("changements", "count"),
        measure("contrats", "count"),
        classification("fichiers", variable="fichiers_nouvelle_version", width=3.4),
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
        classification("libelle", variable="motif", width=3.0),
        measure("lignes", "count"),
        classification("fichiers", width=3.0),
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
        measure("reference_date", "date"),
        classification("indicateur_libelle", width=2.4),
        measure("value", "number"),
        classification("precision"),
        classification("source_fr", variable="source_reference", width=3.0),
        classification("note_fr", variable="note_reference", width=2.4),
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
    columns=(classification("fichier", width=2.2), classification("sha256", width=4.2)),
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
        classification("title", variable="table_reference", width=2.4),
        classification("producer", variable="producteur", width=2.0),
        classification("vintage", variable="millesime", width=1.6),
        classification("licence", width=1.8),
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
        classification("code", variable="code_territoire", width=0.8),
        classification("nom", variable="nom_territoire", width=2.0),
        measure("signes", "count"),
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
        classification("annee"),
        measure("nouveaux_contrats", "count"),
        measure("montant_contrats_signes_meur", "decimal"),
        measure("montant_nouveaux_meur", "decimal"),
        measure("montant_total_meur", "decimal"),
        measure("montant_total_bas_meur", "decimal"),
        measure("montant_total_haut_meur", "decimal"),
        measure("couverture", "percent"),
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
        classification("objectif_libelle", variable="objectif", width=3.0),
        classification("echeances", width=3.0),
        measure("part_atteinte", "percent"),
        measure("date_projetee", "date"),
        measure("date_projetee_au_plus_tot", "date"),
        measure("date_projetee_au_plus_tard", "date"),
        classification("raison", width=2.0),
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


# --- a region against France (`presentation.regional`, derived from the published frames after the audit) -----------

DEPARTEMENTS_COMPARED = TableSpec(
    name="Départements comparés",
    title="Départements de la région : taux et intervalle à 95 %",
    columns=(
        *_territory_columns("departement")[:2],  # its code and name, as every table of départements
        measure("actifs", "count"),
        measure("actifs_pour_100k_hab", "decimal", short=True),
        measure("ic_bas", "decimal", variable="ic_bas_taux"),
        measure("ic_haut", "decimal", variable="ic_haut_taux"),
        measure("actifs_mg_pour_100_mg_estimes", "decimal", short=True),
    ),
    source=SOURCE_TERRITORIES,
    notes=("Intervalle de confiance exact (loi de Poisson) du nombre de contrats actifs, rapporté à la population.",
           *TERRITORY_NOTES),
)
INDEX_ON_FRANCE = TableSpec(
    name="Indice France = 100",
    title="La région indexée sur la France entière (France = 100)",
    columns=(
        classification("libelle", variable="indicateur_libelle", width=3.0),
        measure("indice_france_100", "count"),  # an index prints without decimals, as a count
        measure("rang", "count", missing=NOT_APPLICABLE),
    ),
    source=SOURCE_TERRITORIES,
    notes=("Indice : valeur de la région rapportée à celle de la France entière, × 100. Rang : parmi les régions "
           "dont le taux est publié (1 = le plus élevé).",),
)


def departements_compared_table(compared: pd.DataFrame, label: str) -> PublishedTable:
    """A region's départements side by side (`regional.departements_compared`)."""
    return DEPARTEMENTS_COMPARED.from_published(compared, title=f"{DEPARTEMENTS_COMPARED.title} — {label}")


def index_on_france_table(index: pd.DataFrame, rank: pd.DataFrame, label: str) -> PublishedTable:
    """The region's indicators indexed on France, its rank beside the rate it ranks on."""
    ranked = dict(zip(rank["indicateur"], rank["rang"], strict=True))
    frame = index.assign(rang=index["indicateur"].map(ranked).astype("Float64"))
    frame.attrs = dict(index.attrs)
    return INDEX_ON_FRANCE.from_published(frame, title=f"{INDEX_ON_FRANCE.title} — {label}")


# --- Commitments: objectives, reviews, the effect of signing (issue 24) ----------------------------------------
SOURCE_ACTIVITY = f"{SOURCE_CONTRACTS} ; suivi d'activité des médecins (CPAM)"
COMMITMENT_STATUSES = ("atteint", "en_bonne_voie", "trop_tot", "manque", "objectif_non_public")
# Each dimension's categories add up to France's row (its own group), each row's statuses to its contracts.
COMMITMENT_RULE = Disclosure(
    counts=tuple(Counted(column, totals_by=(("dimension",),)) for column in ("contrats_revus", *COMMITMENT_STATUSES)),
    row_total=COMMITMENT_STATUSES,
    follows={"patients_gagnes": "contrats_revus", "aide_conditionnee_eur": "contrats_revus",
             "aide_objectif_manque_eur": ("contrats_revus", "manque")},
)
COMMITMENTS = TableSpec(
    name="Engagements",
    title="Engagements des médecins : statut à la dernière revue semestrielle",
    columns=(
        classification("libelle", variable="categorie_engagement", width=2.2),
        measure("contrats_revus", "count"),
        *(measure(status, "count") for status in COMMITMENT_STATUSES),
        measure("patients_gagnes", "count"),
        measure("aide_conditionnee_eur", "millions"),
        measure("aide_objectif_manque_eur", "millions"),
    ),
    source=f"{SOURCE_ACTIVITY} ; grille et règles de l'avenant 7 ; barèmes",
    disclosure=COMMITMENT_RULE,
    notes=(METHODS["engagements"].text,),
    keys=("dimension", "code"),
)
EFFECT_RULE = Disclosure(
    counts=(Counted("signataires", totals_by=()), Counted("temoins", totals_by=())),
    follows={"effet_pct": "signataires", "ic_bas": "signataires", "ic_haut": "signataires",
             "pretendance_p": "signataires"},
)
MEASURE_LABEL = classification("mesure_libelle", variable="mesure_activite", width=1.8)
# an estimate and its interval, in %
EFFECT_AND_INTERVAL = (measure("effet_pct", "decimal"), measure("ic_bas", "decimal", variable="effet_ic_bas"),
                       measure("ic_haut", "decimal", variable="effet_ic_haut"))
EFFECT = TableSpec(
    name="Effet estimé",
    title="Effet de la signature sur l'activité des médecins (différence de différences)",
    columns=(
        MEASURE_LABEL,
        classification("categorie_libelle", variable="categorie_effet", width=1.8),
        measure("signataires", "count"),
        measure("temoins", "count"),
        *EFFECT_AND_INTERVAL,
        measure("pretendance_p", "percent"),
    ),
    source=SOURCE_ACTIVITY,
    disclosure=EFFECT_RULE,
    notes=(METHODS["effet_engagements"].text,),
    keys=("mesure", "dimension", "categorie", "periode_evenement"),
)
EVENT_STUDY = replace(
    EFFECT,
    name="Étude d'événement",
    title="Effet de la signature période par période (étude d'événement, référence : période précédant la "
          "signature)",
    columns=(MEASURE_LABEL, measure("periode_evenement", "count"), *EFFECT_AND_INTERVAL),
    keys=("mesure", "dimension", "categorie"),
)
GAINS_RULE = Disclosure(
    counts=(Counted("signataires", totals_by=(("niveau",),)),),
    follows={name: "signataires" for name in (
        "patientele_mt_avant", "patients_attribuables", "patients_attribuables_bas", "patients_attribuables_haut",
        "actes_attribuables", "etp_medical", "etp_medical_bas", "etp_medical_haut")},
)
GAINS = TableSpec(
    name="Temps médical",
    title="Patients et temps médical attribuables au dispositif, par région",
    columns=(
        classification("nom", variable="nom_territoire", width=2.0),
        measure("signataires", "count"),
        measure("patientele_mt_avant", "count"),
        *(measure(f"patients_attribuables{bound}", "count") for bound in ("", "_bas", "_haut")),
        measure("actes_attribuables", "count"),
        *(measure(f"etp_medical{bound}", "decimal") for bound in ("", "_bas", "_haut")),
    ),
    source=SOURCE_ACTIVITY,
    disclosure=GAINS_RULE,
    notes=(METHODS["temps_medical"].text,),
    keys=("code", "niveau"),
)
COMMITMENT_CROSS_RULE = Disclosure(counts=(Counted("medecins_donnees", totals_by=()),))
COMMITMENT_CROSS = TableSpec(
    name="Contreparties publiées",
    title="Le plan de l'étude Cnam appliqué aux données, face aux chiffres publiés",
    columns=(
        classification("indicateur_libelle", width=2.6),
        classification("groupe_libelle", variable="groupe_etude", width=1.2),
        measure("valeur_publiee", "decimal", variable="valeur_publiee_activite"),
        measure("valeur_donnees", "decimal", variable="valeur_donnees_activite"),
        measure("ecart", "decimal", variable="ecart_activite"),
        measure("tolerance", "decimal", variable="tolerance_activite"),
        classification("dans_la_tolerance", variable="dans_la_tolerance", width=0.9),
        measure("medecins_donnees", "count"),
        classification("source", variable="source_chiffre", width=3.0),
    ),
    source=f"Cnam, Points de repère (3 décembre 2024) et presse ; {SOURCE_ACTIVITY}",
    disclosure=COMMITMENT_CROSS_RULE,
    notes=("Chiffres publiés : des chiffres réels, cités avec leur source ; « Données » : le même plan d'étude "
           "appliqué aux données du rapport.",),
)
EFFECT_KEEP = tuple(dict.fromkeys([*EFFECT.published_columns, *EVENT_STUDY.published_columns]))


# how a table of the statuses names its dimension, in the order the layouts show them. Not by département: its
# statuses are mostly counts under 5 that add up to their region's and to France's, and protecting them against
# those sums (`publication.audited`) hid 343 more cells on the demo data, France's own statuses among them, in 14 s
# (against 0.1 s without them): the region says it, as coarsening says it rather than hiding.
COMMITMENT_DIMENSIONS = {
    "region": "par région",
    "etp_option": "par option",
    "profil_origine": "par profil d'origine de l'assistant",
    "specialite": "par spécialité",
    "zone": "par zonage",
}


def commitments_table(commitments: pd.DataFrame, dimension: str = "region") -> PublishedTable:
    """The statuses at the latest review for France and each category of one dimension (`COMMITMENT_DIMENSIONS`),
    from the published frame."""
    rows = commitments[commitments["dimension"].isin(["france", dimension]).to_numpy(dtype=bool)]
    title = f"{COMMITMENTS.title} — {COMMITMENT_DIMENSIONS[dimension]}"
    return COMMITMENTS.from_published(_with_attrs(rows, commitments), title=title)


def commitment_effect_table(effect: pd.DataFrame) -> PublishedTable:
    """The average effect after the signature period, overall and by option, zone and background; its note says
    where the controls were drawn."""
    rows = effect[effect["periode_evenement"].isna().to_numpy(dtype=bool)]
    return EFFECT.from_published(_with_attrs(rows, effect), notes=matching_strata_notes(effect))


def matching_strata_notes(effect: pd.DataFrame) -> list[str]:
    """The share of signatories matched within their département, their region or France (`signing_effect`'s
    counts by level), or why it is not given: a level holding 1 to 4 signatories would let a reader rebuild that
    count from the shares and the published number of signatories, so no share is given then."""
    counts = effect.attrs.get(STRATA_ATTR)
    if not counts:
        return []
    if any(0 < count < THRESHOLD for count in counts.values()):
        return [f"Strate d'appariement des signataires non publiée : moins de {THRESHOLD} signataires à l'un des "
                "niveaux (secret statistique)."]
    total = sum(counts.values())
    shares = ", ".join(f"{STRATA_LABELS[level]} {format_number(100 * count / total, 0)} %"
                       for level, count in counts.items())
    return [f"Strate d'appariement des signataires (témoin le plus proche tiré d'abord dans le même département) : "
            f"{shares}."]


def event_study_table(effect: pd.DataFrame) -> PublishedTable:
    """The event-study coefficients of every measure, period by period."""
    rows = effect[(effect["periode_evenement"].notna() & (effect["dimension"] == "ensemble")).to_numpy(dtype=bool)]
    return EVENT_STUDY.from_published(_with_attrs(rows, effect))


def commitment_gains_table(gains: pd.DataFrame) -> PublishedTable:
    """France and each region: patients and medical time the estimated effect implies."""
    return GAINS.from_published(gains)


def commitment_cross_table(cross: pd.DataFrame, *, synthetic: bool | None = None) -> PublishedTable:
    """The Cnam's design run on the data, beside the published figures; on synthetic data the calibration
    caveat comes first."""
    from am_analytics.reference.display import SOURCES

    frame = cross.assign(source=cross["source"].map(lambda value: SOURCES.get(str(value), value)).astype("string"))
    table = COMMITMENT_CROSS.from_published(_with_attrs(frame, cross), synthetic=synthetic)
    if table.synthetic:
        table.notes.insert(0, CALIBRATION_NOTE)
    return table
