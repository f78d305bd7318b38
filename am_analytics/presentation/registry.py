"""The registry of published items: one place that names everything the package publishes (a key figure's row, a
table, a series, a map layer, a test result), the indicator that computes it, the inputs it reads, whether it is
national or computed for each scope, its disclosure rule, the catalogue's table that shows it and the variables
it publishes.

`presentation.results` computes every item from here, once per scope and counting date (`compute`), then masks
and audits the whole set; the PDF, the workbook, the site, the CSVs, the dashboards and the notebooks are layouts
that read the items and never call an indicator (`tests/test_layouts_compute_nothing.py` keeps it so).

The counting date is one argument of one type: `Inputs.as_of`, a `pd.Timestamp` normalised to the day (as
`Scope.as_of`), passed explicitly to every indicator.

To publish a new item: add one `Item` to `ITEMS` (its indicator called in `compute`), a field of the same name to
`NationalResults` or `ScopeResults` with the step that publishes it, and its table spec to the catalogue; the
layouts then read `results.<name>`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from am_analytics import indicators as ind
from am_analytics import run_snapshots
from am_analytics.indicators import backgrounds as bg
from am_analytics.indicators import commitment_effect as effect
from am_analytics.indicators import commitments as engagements
from am_analytics.indicators.common import IndicatorArgumentError
from am_analytics.indicators.followup import CHANGE_KINDS, change_counts_by_departement
from am_analytics.indicators.territories import SUPPLIED_COLUMNS
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import regional
from am_analytics.presentation.disclosure import Disclosure
from am_analytics.vocabulary import POURSUIVRE, TEMPS_GAGNE

if TYPE_CHECKING:
    from am_analytics.presentation.scope import Scope

Level = Literal["national", "scope"]
NATIONAL: Level = "national"
SCOPE: Level = "scope"

# what an item reads (the names of `Inputs`' fields, references for the tables shipped with the package)
CONTRACTS = "contracts"
SURVEY = "survey"
SURVEY_TABLES = "survey_tables"
MANIFEST = "manifest"
WARNINGS = "warnings"
CHANGES = "changes"
REFERENCES = "references"
ACTIVITY = "activity"
PREVIOUS_RUN = "previous_run"  # the previous scheduled run's snapshot (`run_snapshots`)


@dataclass(frozen=True)
class Inputs:
    """What the items of one scope are computed from, at one counting date.

    `contracts` is every contract of the dataset (a national item, or a test that compares a region with the rest
    of France, reads them all); `scoped` the scope's own (its region, its background)."""

    contracts: pd.DataFrame
    as_of: pd.Timestamp
    synthetic: bool
    scoped: pd.DataFrame | None = None
    region: str | None = None
    profil: str | None = None
    survey: pd.DataFrame | None = None
    survey_tables: pd.DataFrame | None = None
    manifest: Mapping[str, Any] = field(default_factory=dict)
    warnings: pd.DataFrame | None = None
    changes: pd.DataFrame | None = None
    activity: pd.DataFrame | None = None  # the doctors' activity by period (the commitments' counterpart)
    processed_dir: Path | None = None  # where the previous scheduled runs left their snapshots
    # the analyst's own lists from the raw folder (`prepare.own_lists`), None when absent: GP counts by département
    # used instead of the shipped estimates, training sites added to (or replacing) the shipped list of their regions
    generalists: pd.DataFrame | None = None
    training_sites: pd.DataFrame | None = None

    @cached_property
    def previous_run(self) -> pd.DataFrame | None:
        """The previous scheduled run's snapshot (`run_snapshots`), None on the first run; read once."""
        return run_snapshots.previous_snapshot(self.processed_dir, self.as_of)

    @classmethod
    def of(cls, scope: Scope) -> Inputs:
        """The inputs of a `Scope`: its dataset, its counting date, its territory and background."""
        data = scope.data
        return cls(
            contracts=scope.all_contracts,
            as_of=scope.as_of,
            synthetic=scope.synthetic,
            scoped=scope.contracts,
            region=scope.region,
            profil=scope.profil,
            survey=data.survey,
            survey_tables=data.survey_tables,
            manifest=data.manifest or {},
            warnings=data.warnings,
            changes=data.changes,
            activity=data.activity,
            processed_dir=scope.processed_dir,
            generalists=data.own_generalists,
            training_sites=data.own_training_sites,
        )

    @property
    def has_survey(self) -> bool:
        return self.survey is not None and not self.survey.empty

    @property
    def has_survey_tables(self) -> bool:
        return self.survey_tables is not None and not self.survey_tables.empty

    @property
    def own(self) -> pd.DataFrame:
        """The scope's contracts (every contract for a national item)."""
        return self.contracts if self.scoped is None else self.scoped


@dataclass(frozen=True)
class Item:
    """One published item: what it is called in the results (`name`), what computes it and from what, how it is
    protected and shown. `compute` returns the exact indicator frame (None where the item does not apply: no
    survey, a test a scope has no use for)."""

    name: str
    level: Level
    indicator: Callable[..., pd.DataFrame]
    inputs: tuple[str, ...]
    compute: Callable[[Inputs], pd.DataFrame | None]
    rule: Disclosure | str | None  # a rule of the catalogue, or how it is published when not one rule
    table: str | None  # the catalogue's table function that shows it
    variables: tuple[str, ...] = ()
    description: str = ""


def _on_contracts(indicator: Callable[..., pd.DataFrame], *, own: bool = False, **options) -> Callable:
    """Call a contract indicator on every contract (`own`: the scope's), at the counting date."""

    def compute(inputs: Inputs) -> pd.DataFrame:
        contracts = inputs.own if own else inputs.contracts
        return indicator(contracts, as_of=inputs.as_of, synthetic=inputs.synthetic, **options)

    return compute


def _on_territories(indicator: Callable[..., pd.DataFrame]) -> Callable:
    """Call a territory indicator on every contract with the analyst's GP counts when supplied: the published
    columns keep one name either way (`actifs_mg_pour_100_mg_estimes`), and `generalistes_source` says, row by row,
    which count each per-100-GP rate used (the shipped estimate where the analyst's list has no count)."""

    def compute(inputs: Inputs) -> pd.DataFrame:
        frame = indicator(inputs.contracts, as_of=inputs.as_of, synthetic=inputs.synthetic,
                          generalists=inputs.generalists)
        if inputs.generalists is None:
            return frame
        renamed = frame.rename(columns={supplied: name for name, supplied in SUPPLIED_COLUMNS.items()})
        renamed.attrs = dict(frame.attrs)
        return renamed

    return compute


def _training_supply(inputs: Inputs) -> pd.DataFrame:
    """The training need beside the known sites, the analyst's own list among them when supplied."""
    return ind.training_supply_by_region(inputs.contracts, as_of=inputs.as_of, synthetic=inputs.synthetic,
                                         own_sites=inputs.training_sites)


def _on_survey(indicator: Callable[..., pd.DataFrame], *args, **options) -> Callable:
    def compute(inputs: Inputs) -> pd.DataFrame | None:
        if not inputs.has_survey:
            return None
        return indicator(inputs.survey, *args, synthetic=inputs.synthetic, **options)

    return compute


def _on_activity(indicator: Callable[..., pd.DataFrame], **options) -> Callable:
    """Call an activity indicator on the activity and every contract at the counting date: None without an activity
    table, or when the activity cannot say it at that date (too few signatories observed around their signature, no
    non-signatory, no review yet: the indicator's French message says which)."""

    def compute(inputs: Inputs) -> pd.DataFrame | None:
        if inputs.activity is None or inputs.activity.empty:
            return None
        try:
            return indicator(inputs.activity, inputs.contracts, synthetic=inputs.synthetic, as_of=inputs.as_of,
                             **options)
        except IndicatorArgumentError:
            return None

    return compute


def _survey_shares(question: str, answers: Mapping | None) -> Callable:
    return _on_survey(ind.weighted_shares, question, answers=answers, by="type_repondant")


def _institute(inputs: Inputs) -> pd.DataFrame | None:
    if not inputs.has_survey_tables:
        return None
    return ind.aggregated_shares(inputs.survey_tables, synthetic=inputs.synthetic)


def _change_over_time(inputs: Inputs) -> pd.DataFrame:
    return bg.background_change_over_time(inputs.contracts, as_of=inputs.as_of, synthetic=inputs.synthetic,
                                          region=inputs.region)


def _against_france(inputs: Inputs) -> pd.DataFrame | None:
    if inputs.region is None:
        return None
    return bg.region_against_france(inputs.contracts, inputs.region, as_of=inputs.as_of, synthetic=inputs.synthetic)


def _trend(inputs: Inputs) -> pd.DataFrame | None:
    if inputs.profil is None:
        return None
    return background_trend(inputs, inputs.profil)


def _run_changes(inputs: Inputs) -> pd.DataFrame | None:
    """Contracts new, ended, updated and removed since the previous scheduled run, counted by département (None
    on the first run: nothing to compare with)."""
    previous = inputs.previous_run
    if previous is None:
        return None
    changes = ind.changes_between_runs(previous, run_snapshots.snapshot(inputs.contracts))
    counts = change_counts_by_departement(changes)
    counts.attrs.update(as_of=inputs.as_of.date().isoformat(), execution_precedente=previous.attrs.get("as_of"))
    return counts


def _month_compared(inputs: Inputs) -> pd.DataFrame | None:
    """A region's départements this month, the previous one and a year before (a region's own page and edition:
    France and a background have no such table)."""
    if inputs.region is None or inputs.profil is not None:
        return None
    months = ind.month_against_previous(inputs.contracts, as_of=inputs.as_of, synthetic=inputs.synthetic)
    kept = months[months["region_code"] == inputs.region].reset_index(drop=True)
    kept.attrs = dict(months.attrs)
    return kept


def background_trend(inputs: Inputs, profil: str) -> pd.DataFrame:
    """The trend test of one background's share in the inputs' territory (France or its region)."""
    return bg.background_trend(inputs.contracts, profil, as_of=inputs.as_of, synthetic=inputs.synthetic,
                               region=inputs.region)


@dataclass(frozen=True)
class SurveyQuestion:
    """A survey question published as a table of weighted shares by type of respondent."""

    question: str
    answers: Mapping | None  # the answers the indicator lists even when nobody chose them
    labels: Mapping  # each answer in French, as the table prints it
    title: str


SURVEY_QUESTIONS = {
    "time_saved": SurveyQuestion("temps_gagne", TEMPS_GAGNE, TEMPS_GAGNE, "Temps gagné par le médecin"),
    "recommends": SurveyQuestion("recommande", None, {"True": "Oui", "False": "Non"}, "Recommanderait le dispositif"),
    "continues": SurveyQuestion("poursuivre", POURSUIVRE, POURSUIVRE, "Intention de poursuivre"),
}

_C, _R = (CONTRACTS,), (CONTRACTS, REFERENCES)
ITEMS: tuple[Item, ...] = (
    # --- national: contracts
    Item("monthly", NATIONAL, ind.monthly_series, _C, _on_contracts(ind.monthly_series),
         "results.publish_monthly", "monthly_table", cat.MONTHLY_KEEP, "Série mensuelle, France entière"),
    Item("nation", NATIONAL, ind.national_totals, _R, _on_territories(ind.national_totals), cat.TERRITORY_RULE,
         "key_figures_table", tuple(cat.TERRITORY_COLUMNS), "France entière : contrats, taux, évolutions"),
    Item("regions", NATIONAL, ind.by_region, _R, _on_territories(ind.by_region), cat.TERRITORY_RULE, "regions_table",
         tuple(cat.TERRITORY_COLUMNS), "Chaque région"),
    Item("departements", NATIONAL, ind.by_departement, _R, _on_territories(ind.by_departement), cat.TERRITORY_RULE,
         "departements_table", tuple(cat.TERRITORY_COLUMNS), "Chaque département"),
    Item("progress", NATIONAL, ind.target_progress, _C, _on_contracts(ind.target_progress), None, "targets_table",
         description="Avancement des objectifs nationaux"),
    Item("projections", NATIONAL, ind.target_projections, _C, _on_contracts(ind.target_projections), None,
         "projected_dates_table", description="Dates projetées des objectifs"),
    Item("cross", NATIONAL, ind.published_cross_check, _R, _on_contracts(ind.published_cross_check), None,
         "cross_check_table", description="Données face aux chiffres publiés"),
    Item("shares", NATIONAL, ind.background_shares_by_region, _R, _on_contracts(ind.background_shares_by_region),
         "results.publish_breakdown", "backgrounds_table", cat.BACKGROUND_KEEP, "Profils d'origine par région"),
    Item("independence", NATIONAL, ind.region_background_independence, _R,
         _on_contracts(ind.region_background_independence), None, None, description="Test région × profil"),
    Item("training", NATIONAL, ind.overdue_by_region, _R, _on_contracts(ind.overdue_by_region), cat.TRAINING_RULE,
         "training_table", cat.TRAINING_KEEP, "Certification par région"),
    Item("training_france", NATIONAL, ind.overdue_national, _C, _on_contracts(ind.overdue_national),
         cat.TRAINING_RULE, "training_comparison_table", cat.TRAINING_KEEP, "Certification, France entière"),
    Item("training_backgrounds", NATIONAL, ind.overdue_by_background, _C, _on_contracts(ind.overdue_by_background),
         cat.TRAINING_RULE, "training_by_background_table", cat.TRAINING_BACKGROUND_KEEP,
         "Certification par profil d'origine"),
    Item("funding", NATIONAL, ind.expected_aid_by_year, _C, _on_contracts(ind.expected_aid_by_year),
         cat.FUNDING_RULE, "funding_table", cat.FUNDING_KEEP, "Aide attendue, France entière"),
    Item("training_supply", NATIONAL, ind.training_supply_by_region, _R,
         _training_supply, "results.publish_supply", "training_supply_table",
         ("en_retard", "echeance_12_mois", "besoin_formation", "sites_formation", "communes"),
         "Besoin de formation et sites de formation par région"),
    Item("run_changes", NATIONAL, change_counts_by_departement, (CONTRACTS, PREVIOUS_RUN), _run_changes,
         cat.RUN_CHANGES_RULE, "run_changes_table", tuple(CHANGE_KINDS),
         "Contrats nouveaux, terminés, modifiés, retirés depuis l'exécution précédente, par département"),
    Item("projected_signatures", NATIONAL, ind.projected_signatures, _C, _on_contracts(ind.projected_signatures),
         None, None, description="Signatures projetées à 2029"),
    Item("projected_spending", NATIONAL, ind.projected_spending, _C, _on_contracts(ind.projected_spending), None,
         "projected_spending_table", description="Dépense projetée à 2029"),
    # --- national: survey
    Item("satisfaction", NATIONAL, ind.satisfaction_distribution, (SURVEY,),
         _on_survey(ind.satisfaction_distribution), "results.survey_published", None,
         description="Satisfaction par type de répondant"),
    Item("satisfaction_test", NATIONAL, ind.compare_groups, (SURVEY,),
         _on_survey(ind.compare_groups, "satisfaction", "type_repondant"), None, None,
         description="Test satisfaction × type de répondant"),
    Item("missions", NATIONAL, ind.missions_delegated, (SURVEY,), _on_survey(ind.missions_delegated),
         "results.survey_published", "missions_table", description="Missions confiées"),
    *(Item(name, NATIONAL, ind.weighted_shares, (SURVEY,), _survey_shares(asked.question, asked.answers),
           cat.SURVEY_RULE, "survey_shares_table", description=asked.title)
      for name, asked in SURVEY_QUESTIONS.items()),
    Item("institute", NATIONAL, ind.aggregated_shares, (SURVEY_TABLES,), _institute, cat.AGGREGATED.disclosure,
         "aggregated_table", description="Tableaux publiés par l'institut"),
    # --- national: the doctors' commitments and the effect of signing (issue 24)
    # published by the dimensions of `cat.COMMITMENT_DIMENSIONS` (not by département: see there)
    Item("commitments", NATIONAL, engagements.commitment_summary, (ACTIVITY, *_R),
         _on_activity(engagements.commitment_summary, dimensions=tuple(cat.COMMITMENT_DIMENSIONS)),
         cat.COMMITMENT_RULE, "commitments_table",
         cat.COMMITMENTS.published_columns, "Engagements : statut à la dernière revue"),
    Item("commitment_effect", NATIONAL, effect.signing_effect, (ACTIVITY, CONTRACTS),
         _on_activity(effect.signing_effect), cat.EFFECT_RULE, "commitment_effect_table", cat.EFFECT_KEEP,
         "Effet de la signature (étude d'événement, différence de différences)"),
    # the signatories' baselines; `results` applies the effect item's estimate (`effect.attributable`), so the
    # effect is estimated once
    Item("commitment_gains", NATIONAL, effect.signatory_baselines, (ACTIVITY, CONTRACTS),
         _on_activity(effect.signatory_baselines), cat.GAINS_RULE, "commitment_gains_table",
         cat.GAINS.published_columns, "Patients et temps médical attribuables, par région"),
    Item("commitment_cross", NATIONAL, effect.commitment_cross_check, (ACTIVITY, *_R),
         _on_activity(effect.commitment_cross_check), cat.COMMITMENT_CROSS_RULE,
         "commitment_cross_table", cat.COMMITMENT_CROSS.published_columns, "Plan Cnam face aux chiffres publiés"),
    # --- national: the preparation's manifest, warnings and change log (file lines, not people: nothing to mask)
    Item("quality", NATIONAL, ind.file_quality, (MANIFEST,), lambda inputs: ind.file_quality(inputs.manifest),
         None, "quality_table", description="Lignes lues, conservées, en quarantaine"),
    Item("quarantine", NATIONAL, ind.quarantine_reasons, (MANIFEST,),
         lambda inputs: ind.quarantine_reasons(inputs.manifest), None, "reasons_table",
         description="Motifs de quarantaine"),
    Item("warnings", NATIONAL, ind.warning_reasons, (WARNINGS,), lambda inputs: ind.warning_reasons(inputs.warnings),
         None, "warnings_table", description="Avertissements"),
    Item("changes", NATIONAL, ind.changes_by_column, (CHANGES,), lambda inputs: ind.changes_by_column(inputs.changes),
         None, "changes_table", description="Mises à jour par colonne"),
    # --- per scope (France, a region, a background)
    Item("backgrounds_by_year", SCOPE, ind.background_mix_by_year, _C, _on_contracts(ind.background_mix_by_year,
         own=True), "results.publish_mix", "background_years_table", cat.MIX_KEEP, "Profils par année"),
    Item("specialties", SCOPE, ind.specialty_mix, _C, _on_contracts(ind.specialty_mix, own=True, period="annee"),
         "results.publish_mix", None, cat.MIX_KEEP, "Spécialités par année"),
    Item("zones", SCOPE, ind.zone_mix, _C, _on_contracts(ind.zone_mix, own=True, period="annee"),
         "results.publish_mix", None, cat.MIX_KEEP, "Zonage par année"),
    Item("etp_options", SCOPE, ind.etp_option_mix, _C, _on_contracts(ind.etp_option_mix, own=True, period="annee"),
         "results.publish_mix", None, cat.MIX_KEEP, "Temps de travail par année"),
    Item("funding", SCOPE, ind.expected_aid_by_year, _C, _on_contracts(ind.expected_aid_by_year, own=True),
         cat.FUNDING_RULE, "funding_table", cat.FUNDING_KEEP, "Aide attendue du périmètre"),
    Item("monthly", SCOPE, ind.monthly_series, _C, _on_contracts(ind.monthly_series, own=True),
         "results.publish_monthly", "monthly_table", cat.MONTHLY_KEEP, "Série du périmètre (pas choisi)"),
    Item("month_compared", SCOPE, ind.month_against_previous, _C, _month_compared, cat.MONTH_RULE,
         "month_compared_table", ("signes_mois", "signes_mois_precedent", "signes_meme_mois_an_passe",
                                  "ecart_mois_precedent", "ecart_un_an"),
         "Mois de la date d'arrêté face au mois précédent et à l'an passé, par département de la région"),
    Item("change_over_time", SCOPE, bg.background_change_over_time, _C, _change_over_time, None, None,
         description="Test année × profil du territoire"),
    Item("against_france", SCOPE, bg.region_against_france, _C, _against_france, None, None,
         description="Test région face au reste de la France"),
    Item("trend", SCOPE, bg.background_trend, _C, _trend, None, None,
         description="Test de tendance de la part d'un profil"),
)
# a name is unique within its level (France's series is the national item `monthly`; a scope's, the scope item)
REGISTRY: Mapping[tuple[Level, str], Item] = {(item.level, item.name): item for item in ITEMS}


def compute(level: Level, name: str, inputs: Inputs) -> pd.DataFrame | None:
    """The exact frame of one item for these inputs (before any masking)."""
    return REGISTRY[level, name].compute(inputs)


def items(level: Level) -> tuple[Item, ...]:
    """The items computed once per run (`national`) or once per scope (`scope`)."""
    return tuple(item for item in ITEMS if item.level == level)


@dataclass(frozen=True)
class DerivedItem:
    """An item derived, after the audit, from published items only (`reads`: their names in `NationalResults`):
    a region against France. Nothing hidden there can be read here (see `presentation.regional`)."""

    name: str
    reads: tuple[str, ...]
    derive: Callable[..., pd.DataFrame]
    variables: tuple[str, ...]
    description: str


DERIVED: tuple[DerivedItem, ...] = (
    DerivedItem("departements_compared", ("departements",), regional.departements_compared,
                ("actifs", "actifs_pour_100k_hab", "ic_bas_taux", "ic_haut_taux", "actifs_mg_pour_100_mg_estimes"),
                "Départements de la région : taux et intervalle, contrats pour 100 médecins généralistes"),
    DerivedItem("index_on_france", ("regions", "nation", "shares", "training", "training_france"),
                regional.index_on_france, ("indice_france_100",), "La région indexée sur la France (France = 100)"),
    DerivedItem("rank", ("regions",), regional.rank_among_regions, ("rang",), "Rang de la région parmi les régions"),
)
