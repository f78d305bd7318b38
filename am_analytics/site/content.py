"""What each page of the site shows: the published results of a scope laid out as sections of figures, tables and
sentences. Every number comes from a published item (`presentation.results`, named in `presentation.registry`)
through a catalogue table; nothing here computes an indicator, and nothing writes HTML (see `render`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from am_analytics.figures import charts, commitments, followup, region_map
from am_analytics.figures.formatting import format_date, format_number, format_percent
from am_analytics.figures.published import nothing_publishable
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import maps, sentences
from am_analytics.presentation.html import retitled
from am_analytics.presentation.keyfigures import measured, measured_text
from am_analytics.presentation.publication import audited
from am_analytics.presentation.registry import SURVEY_QUESTIONS
from am_analytics.presentation.results import NationalResults, ScopeResults, background_trend
from am_analytics.presentation.scope import NATIONAL_CODE, Scope
from am_analytics.presentation.tables import published_text
from am_analytics.site import alt
from am_analytics.site.model import KeyFigure, Page, TextItem
from am_analytics.site.writer import PageWriter
from am_analytics.vocabulary import (
    PROFILS,
    SURVEY_FIELDWORK,
    SURVEY_GROUPS,
    TARGET_SETTERS,
    TARGET_STATUS_LABELS,
)


@dataclass(frozen=True)
class SiteContext:
    """What every page of one run shares: the national scope, France's results and every published region's,
    computed once and audited together (the site is one publication: `presentation.publication.audited`), and the
    trend test of each background's page (France)."""

    scope: Scope
    national: NationalResults
    france: ScopeResults | None  # None when the extracts do not cover France (`Scope.covers_france`)
    regional: Mapping[str, ScopeResults] = field(default_factory=dict)
    trends: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def compute(
        cls, scope: Scope, national: NationalResults | None = None, regions: Sequence[str] = (),
        profils: Sequence[str] = (),
    ) -> SiteContext:
        national = national or NationalResults.of(scope)
        # France is published only when the extracts cover it: a region's contracts are never France's
        france = [scope.national()] if scope.covers_france else []
        scopes = [*france, *(scope.with_region(code) for code in regions)]
        pairs = [(each, ScopeResults.compute(each, national)) for each in scopes]
        national, published = audited(national, pairs, scope.all_contracts)
        regional = {each.region: results for each, results in zip(scopes[len(france):], published[len(france):],
                                                                   strict=True)}
        trends = {profil: background_trend(scope.national().with_profil(profil)) for profil in profils}
        return cls(scope=scope.national(), national=national, france=published[0] if france else None,
                   regional=regional, trends=trends)


RATE = "actifs_pour_100k_hab"  # the rate every map and ranking of territories shows


def nation_row(national: NationalResults) -> pd.Series:
    """France's published row, as the rankings name it beside the regions."""
    return national.territory_row(NATIONAL_CODE)


def training_rows(training: pd.DataFrame, region: str) -> list[pd.Series]:
    """A region's and France's rows of the certification table, as the chart highlights them."""
    return [row for _, row in training[training["code"].isin([region, NATIONAL_CODE])].iterrows()]


def series_subject(monthly: pd.DataFrame) -> str:
    """A series' CSV subject by the step it is published at: « contrats-signes-et-actifs-par-mois » (or par
    trimestre, par annee for a small territory, whose months would be hidden)."""
    return f"contrats-signes-et-actifs-par-{monthly.attrs.get(cat.SERIES_STEP_ATTR, 'mois')}"


# --- Key figures ---------------------------------------------------------------------------------------------


def territory_key_figures(national: NationalResults, code: str) -> list[KeyFigure]:
    """A territory's key figures, beside France's when the extracts cover France (`national.nation` empty when
    they do not: then nothing is said of France)."""
    row = national.territory_row(code)
    if national.nation.empty:
        return region_key_figures(row)
    nation = national.territory_row(NATIONAL_CODE)
    figures = [
        *_stock_figures(row),
        measured(row, "actifs_pour_100k_hab",
                 "" if code == NATIONAL_CODE else "France entière : " + measured_text(nation, "actifs_pour_100k_hab")),
    ]
    if code != NATIONAL_CODE:
        figures.append(measured(row, "part_nationale_signes", "de l'ensemble des contrats"))
    return figures


def _stock_figures(row: pd.Series) -> list[KeyFigure]:
    """Contracts signed and active, and their FTE: labels and decimals from the variables' records."""
    return [
        measured(row, "signes", "depuis septembre 2019"),
        measured(row, "actifs", "signés et non terminés"),
        measured(row, "etp_actifs", "équivalents temps plein financés"),
    ]


def region_key_figures(row: pd.Series) -> list[KeyFigure]:
    """A region's key figures when the extracts cover it and not France: no share of France, no France beside."""
    return [*_stock_figures(row), measured(row, "actifs_pour_100k_hab", "contrats actifs de la région")]


def target_key_figures(national: NationalResults) -> list[KeyFigure]:
    figures = []
    for _, target in national.progress.iterrows():
        unit = "ETP" if target["unite"] == "etp" else "contrats"
        status = TARGET_STATUS_LABELS.get(target["statut"], target["statut"])
        figures.append(
            KeyFigure(
                f"Objectif {format_number(target['valeur_cible'])} {unit} "
                f"({TARGET_SETTERS.get(target['fixe_par'], target['fixe_par'])})",
                format_percent(target["part_atteinte"], 1),
                f"échéance {format_date(target['echeance'])} ; {status}",
            )
        )
    return figures


# --- National pages ------------------------------------------------------------------------------------------------


def france_page(ctx: SiteContext, w: PageWriter) -> Page:
    national, day = ctx.national, ctx.scope.as_of
    page = Page(
        title="Déploiement national",
        lead=f"Les contrats d'assistants médicaux signés et actifs en France entière au {format_date(day)}, "
        "face aux objectifs officiels, et leur répartition par région et par département.",
    )
    page.key_figures = territory_key_figures(national, NATIONAL_CODE) + target_key_figures(national)
    with w.step("déploiement"):
        section = page.section("Contrats signés et actifs face aux objectifs")
        section.items.append(w.figure("deploiement", charts.rollout_chart(
            national.monthly, national.progress, national.projections, national.cross, as_of=day),
            alt.series_values(national.monthly)))
        section.items.append(w.table("progression-vers-les-objectifs", cat.targets_table(national.progress,
                                                                                          national.projections)))
        section.items.append(w.figure("etp", charts.fte_chart(national.monthly, national.progress, national.cross,
                                                               as_of=day), alt.fte_values(national.monthly)))
    with w.step("chiffres publiés"):
        section = page.section("Les données face aux chiffres publiés")
        section.items.append(TextItem("Les chiffres publiés sont réels et cités avec leur source ; la colonne "
                                      "« Données » vient des données chargées."))
        section.items.append(w.table("donnees-face-aux-chiffres-publies", cat.cross_check_table(national.cross)))
    with w.step("territoires"):
        section = page.section("Par région et par département")
        by_region = alt.extremes(national.regions, RATE, also=[nation_row(national)])
        section.items.append(w.figure("carte-regions", maps.rate_by_region_map(national.regions, as_of=day),
                                      by_region))
        section.items.append(w.figure("regions-classees", charts.regions_ranked_chart(
            national.regions, national=national.nation, as_of=day), by_region))
        section.items.append(w.table("contrats-par-region", cat.regions_table(national.regions)))
        section.items.append(w.figure("carte-departements", maps.rate_by_departement_map(
            national.departements, as_of=day), alt.extremes(national.departements, RATE)))
        section.items.append(w.table("contrats-par-departement", cat.departements_table(national.departements)))
    with w.step("série mensuelle"):
        section = page.section("Série mensuelle")
        section.items.append(w.table(series_subject(national.monthly), cat.monthly_table(national.monthly,
                                                                                           ctx.scope.label)))
    return page


def backgrounds_page(ctx: SiteContext, w: PageWriter) -> Page:
    national, scope = ctx.national, ctx.scope
    page = Page(
        title="Profils d'origine des assistants",
        lead="D'où viennent les assistants médicaux (secrétaires médicales, infirmiers, aides-soignants…) : la part "
        "de chaque profil par région, son évolution d'une année de signature à l'autre et la certification.",
    )
    with w.step("profils par région"):
        section = page.section("Les profils par région")
        in_france = "en France entière, " + alt.shares_values(national.shares[national.shares["code"]
                                                                              == NATIONAL_CODE])
        section.items.append(w.figure("profils-regions", charts.background_by_region_chart(
            national.shares, as_of=scope.as_of), in_france))
        section.items.append(w.figure("profils-carte-chaleur", charts.background_heatmap_chart(
            national.shares, as_of=scope.as_of), in_france))
        section.items.append(TextItem(sentences.independence_sentence(national.independence, "région × profil")))
        section.items.append(w.table("profils-d-origine-par-region", cat.backgrounds_table(national.shares)))
    with w.step("évolution des profils"):
        section = page.section("Évolution par année de signature")
        mix = ctx.france.backgrounds_by_year
        section.items.append(mix_figure(w, "profils-annees", mix,
                                        scope.title("Profil d'origine par année de signature"), "profil d'origine",
                                        as_of=scope.as_of))
        section.items.append(w.table("profils-d-origine-par-annee-de-signature", cat.background_years_table(
            mix, scope.title("Profil d'origine par année de signature"))))
        _tests(section, scope, ctx.france)
    with w.step("certification par profil"):
        section = page.section("Formation et certification")
        section.items.append(w.table("certification-par-profil-d-origine", cat.training_by_background_table(
            national.training_backgrounds)))
    return page


def mix_figure(w: PageWriter, name: str, mix: pd.DataFrame, title: str, what: str, *, as_of: pd.Timestamp,
               coarser: str | None = None):
    """A mix's chart by signing year at the counting date `as_of`, or the sentence that replaces it (see
    `published_figure`)."""
    return published_figure(w, name, mix, "part", title,
                            lambda: charts.mix_by_period_chart(mix, title=title, what=what, as_of=as_of),
                            alt.last_period_shares(mix), coarser)


def published_figure(w: PageWriter, name: str, frame: pd.DataFrame, column: str, title: str, draw, values: str,
                     coarser: str | None = None):
    """A chart of `column` of a published frame (its text alternative: its title and `values`), or the sentence
    that replaces it when none of its values is publishable (as in the report: a chart drawn entirely « secret »
    tells the reader nothing), naming the `coarser` figures when there are."""
    if nothing_publishable(frame, column):
        return TextItem(sentences.unpublished_chart_sentence(title, coarser))
    return w.figure(name, draw(), values)


def _tests(section, scope: Scope, results: ScopeResults) -> None:
    """The territory's tests (`ScopeResults.change_over_time`, `against_france`), one sentence each, then their
    limits."""
    section.items.append(TextItem(sentences.change_over_time_sentence(results.change_over_time)))
    if results.against_france is not None and scope.covers_france:  # one region's extracts hold no France
        section.items.append(TextItem(sentences.region_against_france_sentence(results.against_france)))
    section.items.append(TextItem(sentences.limits_of_tests(scope.synthetic), note=True))


def survey_page(ctx: SiteContext, w: PageWriter) -> Page:
    national = ctx.national
    page = Page(
        title="Enquête de satisfaction",
        lead="Ce que disent les médecins employeurs et les assistants médicaux du dispositif : satisfaction, "
        "missions confiées, temps gagné, recommandation et intention de poursuivre (parts pondérées, intervalles "
        "de confiance à 95 %).",
    )
    if national.satisfaction is None:
        page.section("Enquête").items.append(TextItem("Aucune donnée d'enquête dans les fichiers reçus."))
        return page
    with w.step("satisfaction"):
        section = page.section("Satisfaction")
        section.items.append(w.figure("satisfaction", charts.likert_chart(
            national.satisfaction, as_of=SURVEY_FIELDWORK, labels=SURVEY_GROUPS),
            alt.groups_values(national.satisfaction, SURVEY_GROUPS)))
        section.items.append(TextItem(sentences.independence_sentence(
            national.satisfaction_test, "satisfaction × type de répondant")))
    with w.step("missions"):
        section = page.section("Missions confiées à l'assistant")
        section.items.append(w.table("missions-confiees", cat.missions_table(national.missions)))
    with w.step("temps gagné, recommandation, intention de poursuivre"):
        section = page.section("Temps gagné, recommandation, intention de poursuivre")
        for item, name in (("time_saved", "temps-gagne"), ("recommends", "recommanderait-le-dispositif"),
                           ("continues", "intention-de-poursuivre")):
            section.items.append(w.table(name, cat.survey_shares_table(getattr(national, item),
                                                                       SURVEY_QUESTIONS[item].title)))
    with w.step("tableaux de l'institut"):
        if national.institute is not None:
            section = page.section("Résultats publiés par l'institut")
            section.items.append(w.table("resultats-publies-par-l-institut", cat.aggregated_table(
                national.institute)))
    return page


def quality_page(ctx: SiteContext, w: PageWriter) -> Page:
    scope, national = ctx.scope, ctx.national
    page = Page(
        title="Qualité des données",
        lead="Ce qui a été lu, conservé, mis à jour et mis en quarantaine, fichier par fichier, et pourquoi. Les "
        "lignes en quarantaine elles-mêmes ne sont pas publiées : elles contiennent des identifiants.",
    )
    with w.step("bilan par fichier"):
        section = page.section("Lignes lues, conservées et mises en quarantaine")
        section.items.append(w.figure("qualite", charts.quality_chart(national.quality, as_of=scope.as_of),
                                      alt.quality_values(national.quality)))
        section.items.append(w.table("lignes-lues-conservees-et-en-quarantaine", cat.quality_table(
            national.quality)))
    with w.step("quarantaine et avertissements"):
        section = page.section("Quarantaine, avertissements et mises à jour")
        section.items.append(w.table("motifs-de-quarantaine", cat.reasons_table(national.quarantine)))
        section.items.append(w.table("avertissements", cat.warnings_table(national.warnings)))
        section.items.append(w.table("mises-a-jour-par-colonne", cat.changes_table(national.changes)))
    with w.step("sources"):
        section = page.section("Sources et méthode")
        for method in cat.METHODS.values():
            section.items.append(TextItem(f"{method.title} : {method.text}"))
        section.items.append(w.table("chiffres-publies", cat.published_figures_table()))
        section.items.append(TextItem("Les fichiers reçus, leurs empreintes et les tables de référence avec leur "
                                      "provenance sont sur la page « Résumé technique de l'exécution ».", note=True))
    return page


def technical_page(ctx: SiteContext, w: PageWriter) -> Page:
    """The run's technical summary, apart from the readers' pages: the files received with their fingerprints,
    the reference tables with their provenance, the warnings by file; the pages' and notebooks' timings are added
    when the run is laid out (`build.SiteBuilder.finish`)."""
    page = Page(title="Résumé technique de l'exécution",
                lead="Pour l'équipe qui produit ces tableaux de bord : ce que l'exécution a lu, avec quelles tables "
                "de référence, combien de temps chaque page a pris, et l'état de chaque page et de chaque notebook.")
    # (step, section, [(subject, table)]): each table made inside its step, so a failure names it
    parts = (
        ("fichiers reçus", "Fichiers reçus et empreintes", (
            ("fichiers-recus-et-empreintes", lambda: cat.inputs_table(ctx.scope.data.manifest)),
            ("avertissements-par-fichier", lambda: cat.warnings_table(ctx.national.warnings)))),
        ("références", "Tables de référence", (("tables-de-reference", cat.reference_table),)),
    )
    for step, title, tables in parts:
        with w.step(step):
            page.section(title).items.extend(w.table(subject, make()) for subject, make in tables)
    return page


# --- The counterpart: the doctors' commitments and the effect of signing (issue 24) --------------------------------

def commitments_page(ctx: SiteContext, w: PageWriter) -> Page:
    """The doctors' commitments (objectives, reviews, aid at stake), the estimated effect of signing, the patients
    and medical time it implies, and the Cnam's design beside the published figures: published items only."""
    national = ctx.national
    page = Page(
        title="Contreparties et accès aux soins",
        lead="L'aide est versée en échange d'un engagement du médecin à suivre plus de patients. Cette page suit "
        "les objectifs des contrats à chaque revue semestrielle, estime l'effet de la signature en comparant les "
        "signataires à des non-signataires appariés, et le traduit en patients et en temps médical.",
    )
    if national.commitments is None and national.commitment_effect is None:
        page.section("Données d'activité").items.append(TextItem(
            "Aucune table d'activité des médecins n'accompagne les contrats, ou elle ne permet pas encore "
            "d'estimation à la date d'arrêté : rien n'est publié sur les contreparties.", note=True))
        return page
    if national.commitments is not None:
        with w.step("engagements"):
            section = page.section("Objectifs des contrats à la dernière revue")
            for dimension in cat.COMMITMENT_DIMENSIONS:
                section.items.append(w.table(f"engagements-{dimension}",
                                             cat.commitments_table(national.commitments, dimension)))
    if national.commitment_effect is not None:
        with w.step("effet"):
            section = page.section("Effet de la signature sur l'activité")
            section.items.append(w.figure("etude-evenement", commitments.event_study_chart(
                national.commitment_effect, as_of=ctx.scope.as_of), alt.effect_values(national.commitment_effect)))
            section.items.append(w.table("effet", cat.commitment_effect_table(national.commitment_effect)))
            section.items.append(w.table("coefficients", cat.event_study_table(national.commitment_effect)))
    if national.commitment_gains is not None:
        with w.step("temps médical"):
            section = page.section("Patients et temps médical attribuables, par région")
            section.items.append(w.table("temps-medical", cat.commitment_gains_table(national.commitment_gains)))
    if national.commitment_cross is not None:
        with w.step("chiffres publiés"):
            section = page.section("Les données face aux chiffres publiés (Cnam, 3 décembre 2024)")
            section.items.append(w.table("contreparties-publiees", cat.commitment_cross_table(
                national.commitment_cross, synthetic=ctx.scope.synthetic)))
    section = page.section("Méthode et limites")
    for key in ("engagements", "effet_engagements", "temps_medical"):
        section.items.append(TextItem(f"{cat.METHODS[key].title} : {cat.METHODS[key].text}", note=True))
    return page


# --- A region ----------------------------------------------------------------------------------------------------


def region_page(ctx: SiteContext, w: PageWriter, region: str) -> Page:
    national = ctx.national
    scope = ctx.scope.with_region(region)
    name = scope.label
    france = scope.covers_france  # extracts of one region or a few: nothing is compared with France here
    page = Page(
        title=name,
        lead=f"Le déploiement des assistants médicaux en {name} au {format_date(scope.as_of)}"
        + (", comparé à la France entière" if france else "")
        + " : chiffres clés, départements, profils d'origine, aide attendue et certification."
        + ("" if france else f" Les extractions reçues ne couvrent que {scope.coverage.label} : aucun chiffre "
           "« France » n'en est tiré."),
    )
    with w.step("résultats de la région"):
        own = ctx.regional[scope.region]
        page.key_figures = territory_key_figures(national, region)
    with w.step("chiffres clés"):
        section = page.section(f"Chiffres clés — {name}" + (" et France entière" if france else ""))
        section.items.append(w.table("chiffres-cles-et-france-entiere" if france else "chiffres-cles",
                                     cat.key_figures_table(national.nation, national.regions, region)))
    with w.step("déploiement"):
        section = page.section(f"Déploiement — {name}")
        section.items.append(TextItem("Les objectifs officiels sont nationaux : ils figurent sur la page France "
                                      "entière." if france else "Les objectifs officiels sont nationaux ; ces "
                                      "extractions ne couvrent pas la France : aucune progression n'en est tirée.",
                                      note=True))
        section.items.append(w.figure("deploiement", charts.rollout_chart(
            own.monthly, title=scope.title("Déploiement des assistants médicaux"), as_of=scope.as_of),
            alt.series_values(own.monthly)))
        section.items.append(w.table(series_subject(own.monthly), cat.monthly_table(own.monthly, scope.label)))
    with w.step("suivi du mois"):
        _month_section(page.section(f"Suivi du mois — {name}"), w, scope, own, national.run_changes)
    with w.step("départements"):
        section = page.section(f"Départements — {name}")
        departements = national.departements[national.departements["region_code"] == region]
        section.items.append(w.table("contrats-par-departement", cat.departements_table(
            departements, scope.title("Contrats par département"))))
        section.items.append(w.figure("carte-departements", maps.rate_by_departement_map(
            national.departements, region=region, title=f"{maps.RATE_TITLE}, par département — {name}",
            as_of=scope.as_of), alt.extremes(departements, RATE)))
        if france:  # a rank among regions the extracts do not hold would mean nothing
            section.items.append(w.figure("regions-classees", retitled(charts.regions_ranked_chart(
                national.regions, national=national.nation, highlight=region, as_of=scope.as_of),
                f"{maps.RATE_TITLE}, par région : {name} en évidence"), alt.extremes(
                national.regions, RATE, also=[national.territory_row(region), nation_row(national)])))
    with w.step("profils d'origine"):
        section = page.section(f"Profils d'origine des assistants — {name}")
        shares = cat.backgrounds_table(national.shares, scope.comparison_codes).retitled(
            scope.title("Profil d'origine des assistants" + (", comparé à la France entière" if france else "")))
        section.items.append(w.table("profils-d-origine" + ("-et-france-entiere" if france else ""), shares))
        section.items.append(mix_figure(w, "profils-annees", own.backgrounds_by_year,
                                        scope.title("Profil d'origine par année de signature"), "profil d'origine",
                                        as_of=scope.as_of, coarser=f"le tableau « {shares.title} »"))
        section.items.append(w.table("profils-d-origine-par-annee-de-signature", cat.background_years_table(
            own.backgrounds_by_year, scope.title("Profil d'origine par année de signature"))))
        _tests(section, scope, own)
    with w.step("financement"):
        section = page.section(f"Financement — {name}")
        section.items.append(TextItem("Aide attendue d'après les barèmes publiés (barème de patientèle « standard » "
                                      "supposé : un plancher).", note=True))
        title = scope.title(charts.FUNDING_CHART_TITLE)
        section.items.append(published_figure(w, "financement", own.funding, "montant_attendu_eur", title,
                                              lambda: retitled(charts.funding_chart(own.funding, as_of=scope.as_of),
                                                               title), alt.yearly_amounts(own.funding)))
        section.items.append(w.table("aide-attendue-par-annee", cat.funding_table(
            own.funding, scope.title("Aide attendue par année civile"))))
    with w.step("formation"):
        section = page.section(f"Formation et certification — {name}")
        training = national.training[national.training["code"] == region]
        section.items.append(w.table("sans-certification-apres-l-echeance", cat.training_table(
            training, scope.title("Assistants sans certification après l'échéance"))))
        if france:
            section.items.append(w.figure("formation-regions", retitled(
                charts.training_overdue_chart(national.training, highlight=region, as_of=scope.as_of),
                f"Assistants sans certification après l'échéance, par région : {name} en évidence"),
                alt.extremes(national.training, "part_en_retard", also=list(training_rows(national.training,
                                                                                           region)))))
        supply = national.training_supply[national.training_supply["code"] == region]
        section.items.append(TextItem(sentences.training_supply_sentence(supply.iloc[0])))
        section.items.append(w.table("besoin-et-sites-de-formation", cat.training_supply_table(
            supply, scope.title("Besoin de formation et sites de formation connus"))))
    return page


def _month_section(section, w: PageWriter, scope: Scope, own: ScopeResults, changes: pd.DataFrame | None) -> None:
    """Signings per period (the region's published series, as bars), this month against the previous one and a
    year before by département, then what changed since the previous scheduled run (counts only)."""
    series = followup.recent_periods(own.monthly)
    title = scope.title("Contrats signés par période")
    section.items.append(published_figure(w, "signatures-par-periode", series, "signes_mois", title,
                                          lambda: followup.monthly_signings_chart(series, title=title,
                                                                                as_of=scope.as_of),
                                          alt.latest_signings(series)))
    section.items.append(w.table("mois-par-departement", cat.month_compared_table(
        own.month_compared, scope.title("Contrats signés dans le mois, par département"))))
    if changes is None:
        section.items.append(TextItem(f"Depuis l'exécution précédente : {cat.FIRST_RUN}.", note=True))
        return
    section.items.append(w.table("depuis-l-execution-precedente", cat.run_changes_table(
        changes[changes["region_code"] == scope.region], scope.title("Depuis l'exécution précédente"))))


# --- A background --------------------------------------------------------------------------------------------------


def background_page(ctx: SiteContext, w: PageWriter, profil: str) -> Page:
    national = ctx.national
    scope = ctx.scope.with_profil(profil)
    label = PROFILS[profil]
    page = Page(
        title=f"Profil d'origine : {label}",
        lead=f"Les assistants médicaux venus du profil « {label} » au {format_date(scope.as_of)} : où ils sont, "
        "comment leur part évolue d'une année de signature à l'autre et où en est leur certification.",
    )
    shares = national.shares[national.shares["profil_origine"] == profil]
    with w.step("chiffres clés"):
        france = shares[shares["code"] == NATIONAL_CODE].iloc[0]
        page.key_figures = [
            KeyFigure("Contrats signés avec ce profil", published_text(france, "effectif", "count"), "France entière"),
            KeyFigure("Part des contrats signés", published_text(france, "part", "percent", 1),
                      f"IC 95 % : {published_text(france, 'ic_bas', 'percent', 1)} – "
                      f"{published_text(france, 'ic_haut', 'percent', 1)}"),
        ]
    with w.step("carte et régions"):
        section = page.section(f"Où sont les assistants « {label} »")
        section.items.append(w.figure("carte", region_map(
            shares, "part", title=f"Part des contrats signés avec un profil « {label} », par région",
            legend_title="Part des contrats\nsignés", kind="percent", decimals=1, as_of=scope.as_of),
            alt.extremes(shares[shares["code"] != NATIONAL_CODE], "part", kind="percent", decimals=1,
                         also=[france])))
        table = cat.backgrounds_table(national.shares)
        section.items.append(w.table("part-par-region", table.rows(table.frame["profil_origine"] == profil).retitled(
            f"Part du profil « {label} » par région (contrats signés)")))
    with w.step("évolution"):
        section = page.section(f"Évolution de la part « {label} »")
        mix = ctx.france.backgrounds_by_year
        section.items.append(w.table("part-par-annee-de-signature", cat.background_years_table(
            mix, f"Part du profil « {label} » par année de signature — France entière", profil=profil)))
        section.items.append(TextItem(sentences.trend_sentence(ctx.trends[profil], label)))
        section.items.append(TextItem(sentences.limits_of_tests(scope.synthetic), note=True))
    with w.step("certification"):
        section = page.section("Formation et certification")
        # published on every background at once, then one row kept: the masking is the full table's
        table = cat.training_by_background_table(national.training_backgrounds)
        section.items.append(w.table("sans-certification-apres-l-echeance", table.rows(
            table.frame["profil_origine"] == profil)))
    return page
