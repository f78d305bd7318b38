"""The body of the report, as statistical series publish it: the sections of a national report and of a regional
edition, each a function of the layout and the edition, listed in the order they print (`NATIONAL_SECTIONS`,
`REGIONAL_SECTIONS`: one line adds a section). Every figure is numbered, titled by its finding and followed by its
« Lecture », « Champ » and « Source » lines; the detailed tables go to the annex (`annex`) and the workbook.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from am_analytics.figures import charts
from am_analytics.figures import commitments as commitment_charts
from am_analytics.figures import followup as followup_charts
from am_analytics.figures import regional as regional_charts
from am_analytics.figures.charts import FUNDING_CHART_TITLE
from am_analytics.figures.formatting import format_date
from am_analytics.figures.published import nothing_publishable, shown_values
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import findings, sentences
from am_analytics.presentation.france_reference import france_references_table
from am_analytics.presentation.sentences import first_open_year, independence_sentence
from am_analytics.report.alt import describe_values, series_text
from am_analytics.report.build import Edition, _indicator_line, _key_figures, _Layout, coverage_lines
from am_analytics.report.commitments_section import SECTION_TITLE
from am_analytics.vocabulary import (
    NATIONAL_LABEL,
    SOURCE_CONTRACTS,
    SOURCE_POPULATION,
    SOURCE_SURVEY,
    SOURCE_TARGETS,
    SURVEY_FIELDWORK,
    SURVEY_GROUPS,
    SYNTHETIC_MENTION,
)

ANNEX_POINTER = ("Les tableaux détaillés, la qualité des données, la provenance des fichiers et le journal des "
                 "modifications sont dans les annexes (document joint) et dans le classeur ; le site en publie la "
                 "page « Qualité des données ».")


# --- the lines under a figure ---------------------------------------------------------------------------------------


def _source(ed: Edition, *others: str) -> str:
    """A figure's « Source » line: the contracts (the synthetic mention when they are), then the other sources."""
    contracts = f"Assurance Maladie, {SOURCE_CONTRACTS}"
    if ed.scope.synthetic:
        contracts += f" ({SYNTHETIC_MENTION.lower()})"
    return " ; ".join([contracts, *others]) + "."


def _field(ed: Edition, *, with_france: bool = False) -> str:
    """A figure's « Champ » line: which contracts, where."""
    where = ed.scope.label if ed.scope.region is not None else f"{NATIONAL_LABEL}, outre-mer compris"
    if with_france:
        where += f" et {NATIONAL_LABEL}"
    return f"contrats d'aide à l'emploi d'un assistant médical signés depuis septembre 2019 ; {where}."


MIN_POINTS = 3  # a curve of fewer published points than this shows no trend: a sentence says why instead


def _publishable_points(frame: pd.DataFrame, column: str) -> int:
    """How many points of a published series a chart may draw."""
    return int(np.isfinite(shown_values(frame, column)).sum())


def _too_sparse(frame: pd.DataFrame, column: str) -> bool:
    """A series whose published points are too few (under `MIN_POINTS`, or under half its periods) to read as a
    curve: scattered dots between secrets, which a sentence says better."""
    shown = _publishable_points(frame, column)
    return shown < MIN_POINTS or shown < len(frame) / 2


def _last_complete_year(funding: pd.DataFrame, as_of: pd.Timestamp) -> str | None:
    """The last calendar year over at the counting date, as the funding frame writes it."""
    year = first_open_year(as_of) - 1
    return str(year) if str(year) in set(funding["annee"]) else None


# --- sections of both editions ------------------------------------------------------------------------------------


def cover(layout: _Layout, ed: Edition) -> None:
    """The cover: four key figures and the headline figure, the territory's rollout (with the targets for France)."""
    scope, national, own = ed.scope, ed.national, ed.own
    layout.document.cover(_key_figures(ed.row, ed.nation, national, scope.region, ed.france))
    if scope.region is None:
        fig = charts.rollout_chart(own.monthly, national.progress, national.projections, national.cross,
                                   as_of=scope.as_of)
        source = _source(ed, SOURCE_TARGETS)
    elif _too_sparse(own.monthly, "signes_cumul"):
        layout.paragraph(
            f"{scope.label} : la série des contrats signés n'a que {_publishable_points(own.monthly, 'signes_cumul')} "
            "valeur(s) publiable(s), les autres étant sous le secret statistique (effectifs inférieurs à 5, ou "
            "masqués pour qu'un tel effectif ne puisse être retrouvé) : aucune courbe n'est tracée ; les chiffres "
            "clés ci-dessus sont ceux de la région.", size=9.5)
        return
    else:
        fig = charts.rollout_chart(own.monthly, title=scope.title("Déploiement des assistants médicaux"),
                                   as_of=scope.as_of)
        source = _source(ed)
    layout.numbered_figure(
        fig, findings.rollout(ed.row, scope.label, scope.as_of), field=_field(ed), source=source,
        values=series_text(own.monthly, {"signes_cumul": "contrats signés (cumul)", "actifs": "contrats actifs"}),
    )


def essential(layout: _Layout, ed: Edition) -> None:
    """« L'essentiel »: the key messages with their indicators, what the extracts cover, and the definitions."""
    document, scope = layout.document, ed.scope
    document.section("L'essentiel", new_page=True)
    preamble = sentences.synthetic_preamble(scope.synthetic)
    if preamble:
        document.paragraph(preamble, size=8.5, style="B", color=(190, 40, 30))
    document.paragraph(f"{scope.label}, au {format_date(scope.as_of)} : ce que disent les indicateurs, règle par "
                       "règle.", size=9)
    document.key_messages([(message.text, _indicator_line(message, scope.synthetic)) for message in ed.messages])
    for line in coverage_lines(scope):
        document.paragraph(line, size=8.5)
    document.boxed("Définitions", [cat.METHODS["definitions"].text, cat.METHODS["contrats_actifs"].text])


def methods(layout: _Layout, ed: Edition) -> None:
    """The short methods box, and where the annexes are."""
    scope = ed.scope
    layout.boxed(f"Méthode — {scope.label}", [
        f"Champ de cette édition : {scope.label}, contrats connus au {format_date(scope.as_of)}. "
        + ("" if scope.region is None else "Les blocs nationaux sont titrés « France entière ». "),
        cat.METHODS["messages"].text,
        cat.METHODS["secret_statistique"].text.split(" Toute la publication")[0],
        ANNEX_POINTER,
    ])


def _survey_figure(layout: _Layout, ed: Edition) -> None:
    national = ed.national
    if national.satisfaction is None:
        layout.paragraph(f"Enquête de satisfaction ({NATIONAL_LABEL}) : aucune donnée d'enquête dans les "
                                  "fichiers reçus.")
        return
    distribution = national.satisfaction
    layout.numbered_figure(
        charts.likert_chart(distribution, as_of=SURVEY_FIELDWORK, labels=SURVEY_GROUPS),
        findings.satisfaction(distribution, SURVEY_FIELDWORK),
        field=f"médecins employeurs et assistants médicaux interrogés, {NATIONAL_LABEL} ; résultats pondérés.",
        source=f"{SOURCE_SURVEY[:1].upper()}{SOURCE_SURVEY[1:]} ({NATIONAL_LABEL})"
               + (f" ({SYNTHETIC_MENTION.lower()})." if ed.scope.synthetic else "."),
        values=describe_values(distribution.assign(nom=distribution["groupe"].map(SURVEY_GROUPS)),
                               "Très satisfait", 0, kind="percent", prefix="part de « très satisfait » : "),
    )


def survey(layout: _Layout, ed: Edition) -> None:
    """The national survey, titled as national in every edition (a region's sample is too small to publish)."""
    layout.section(f"Enquête nationale de satisfaction — {NATIONAL_LABEL}", [
        f"Résultats nationaux ({NATIONAL_LABEL}) : l'échantillon d'une région est trop petit pour être publié."
    ] if ed.scope.region is not None else [])
    _survey_figure(layout, ed)


def funding(layout: _Layout, ed: Edition) -> None:
    """Expected aid by calendar year for the territory, or the sentence saying why no chart is drawn."""
    scope, own = ed.scope, ed.own
    layout.section("Financement" if scope.region is None else f"Financement — {scope.label}")
    layout.intro(sentences.funding_sentences(own.funding, scope.label, scope.as_of))
    if nothing_publishable(own.funding, "montant_attendu_eur"):
        layout.paragraph(sentences.unpublished_chart_sentence(scope.title(FUNDING_CHART_TITLE)), size=9)
        return
    if _too_sparse(own.funding, "montant_attendu_eur"):  # bars mostly « secret »: the sentences above say it all
        layout.paragraph(f"{scope.label} : l'aide attendue n'est publiable que pour "
                         f"{_publishable_points(own.funding, 'montant_attendu_eur')} année(s) sur {len(own.funding)} "
                         "(secret statistique) : aucun graphique n'est tracé ; le tableau des annexes la donne par "
                         "année.", size=9)
        return
    layout.numbered_figure(
        charts.funding_chart(own.funding, as_of=scope.as_of),
        findings.funding(own.funding, scope.label, _last_complete_year(own.funding, scope.as_of)),
        field=_field(ed).replace("signés depuis septembre 2019", "actifs dans l'année"),
        source=_source(ed, "barèmes de l'avenant 7 et de la convention de 2024"),
        values=describe_values(own.funding, "montant_attendu_eur", kind="millions", name="annee"),
    )


# --- national sections --------------------------------------------------------------------------------------------


def outlook(layout: _Layout, ed: Edition) -> None:
    """Where France stands against the targets, and where the recent rhythm leads."""
    scope, national = ed.scope, ed.national
    layout.section("Objectifs et perspectives", new_page=True)
    layout.intro(sentences.message_lines(ed.messages, ["objectifs", "rythme"]))
    projected = national.projected_signatures
    projection = next((m for m in ed.messages if m.rule == "projection"), None)
    layout.numbered_figure(
        charts.perspectives_chart(national.monthly, projected, national.progress,
                                  title=f"Contrats signés : observés et projetés jusqu'en 2029 — {NATIONAL_LABEL}",
                                  as_of=scope.as_of),
        findings.projection(projected, projection.values.get("date") if projection else None),
        field=_field(ed), source=_source(ed, SOURCE_TARGETS),
        values=series_text(projected.rename(columns={"mois": "fin_de_periode"}),
                           {"cumul_projete": "cumul projeté"}) if len(projected) else "Projection non calculable.",
    )


def territories(layout: _Layout, ed: Edition) -> None:
    """The regions ranked by active contracts per 100 000 inhabitants."""
    scope, national = ed.scope, ed.national
    layout.section("Territoires")
    layout.intro(sentences.message_lines(ed.messages, ["territoires"]))
    layout.numbered_figure(
        charts.regions_ranked_chart(national.regions, national=national.nation, as_of=scope.as_of),
        findings.regions_ranked(national.regions, national.nation, scope.as_of),
        field=_field(ed), source=_source(ed, SOURCE_POPULATION),
        values=describe_values(national.regions, "actifs_pour_100k_hab", 1),
    )


def backgrounds(layout: _Layout, ed: Edition) -> None:
    """The assistants' backgrounds by region, and France's over the signing years."""
    scope, national, own = ed.scope, ed.national, ed.own
    layout.section("Profils d'origine des assistants")
    layout.intro(sentences.message_lines(ed.messages, ["profils"]))
    layout.numbered_figure(
        charts.background_by_region_chart(national.shares, as_of=scope.as_of),
        findings.first_background(national.shares, "FR", NATIONAL_LABEL),
        field=_field(ed), source=_source(ed),
        values=describe_values(national.shares[national.shares["profil_origine"] == "secretaire_medicale"], "part",
                               1, kind="percent", prefix="part des anciennes secrétaires médicales : "),
    )
    layout.paragraph(independence_sentence(national.independence, "région × profil"), size=8.5)
    title = scope.title("Profil d'origine par année de signature")
    if not nothing_publishable(own.backgrounds_by_year, "part"):
        layout.numbered_figure(
            charts.mix_by_period_chart(own.backgrounds_by_year, title=title, what="profil d'origine",
                                       as_of=scope.as_of),
            findings.background_years(own.backgrounds_by_year, scope.label),
            field=_field(ed), source=_source(ed),
            values=describe_values(own.backgrounds_by_year[own.backgrounds_by_year["categorie"]
                                                           == "secretaire_medicale"],
                                   "part", 1, kind="percent", name="periode"),
        )


def training(layout: _Layout, ed: Edition) -> None:
    """Assistants past their certification deadline, by region."""
    scope, national = ed.scope, ed.national
    layout.section("Formation et certification")
    layout.intro(sentences.message_lines(ed.messages, ["formation"]))
    layout.numbered_figure(
        charts.training_overdue_chart(national.training, as_of=scope.as_of),
        findings.training(national.training_france.iloc[0], NATIONAL_LABEL, scope.as_of),
        field="assistants médicaux en poste dont l'échéance de certification est passée et la formation connue ; "
              f"{NATIONAL_LABEL}.",
        source=_source(ed), values=describe_values(national.training, "part_en_retard", 1, kind="percent"),
    )


def access_to_care(layout: _Layout, ed: Edition) -> None:
    """« Contreparties et accès aux soins »: the effect of signing on the doctors' activity beside the Cnam's
    published figures (the tables of the commitments go to the annex); one sentence when the items are absent."""
    scope, national = ed.scope, ed.national
    effect = national.commitment_effect
    layout.section(SECTION_TITLE)
    if not scope.covers_france or effect is None:
        why = ("les extractions reçues ne couvrent pas la France entière, et l'effet de la signature s'estime sur "
               "tous les signataires" if not scope.covers_france else
               "aucune table d'activité des médecins dans les fichiers reçus, ou pas encore assez de recul à la date "
               "d'arrêté")
        layout.paragraph(f"Contreparties des médecins signataires : {why} ; rien n'en est publié.", size=9)
        return
    average = commitment_charts.average_effects(effect)
    if "patients_mt" not in average.index:
        layout.paragraph("Contreparties des médecins signataires : l'effet sur la patientèle médecin traitant n'est "
                         "pas estimable à cette date ; les tableaux sont dans les annexes.", size=9)
        return
    layout.intro(["L'aide est versée en échange d'un engagement du médecin à suivre plus de patients ; les objectifs "
                  "et leur statut à la dernière revue, par région, option et profil, sont dans les annexes."])
    cross = national.commitment_cross
    mt_cross = None
    if cross is not None:
        mt_cross = pd.concat([commitment_charts.evolution_rows(cross, "patients_mt", group)
                              for group in ("signataires", "non_signataires")])
    layout.numbered_figure(
        commitment_charts.access_chart(effect, cross, as_of=scope.as_of),
        findings.effect_of_signing(average, mt_cross, scope.synthetic),
        field="médecins signataires d'un contrat d'assistant médical suivis avant et après la signature, face à des "
              f"non-signataires appariés (même spécialité, même territoire, patientèle comparable) ; {NATIONAL_LABEL}.",
        source=_source(ed, "suivi d'activité des médecins (CPAM)",
                       "Cnam, Points de repère « Aide à l'emploi d'un assistant médical : un bilan à 4 ans "
                       "encourageant » (3 décembre 2024)"),
        values=describe_values(average.reset_index(), "effet_pct", 1, kind="decimal", name="mesure_libelle",
                               prefix="écart aux non-signataires, en % : "),
    )


# --- regional sections --------------------------------------------------------------------------------------------


def region_departements(layout: _Layout, ed: Edition) -> None:
    """The region's départements side by side with the interval of their rate, and per 100 general practitioners;
    a region of one département says so in a sentence (a chart of one bar compares nothing)."""
    scope, compared = ed.scope, ed.against.departements_compared
    layout.section(f"Les départements — {scope.label}", new_page=True)
    if len(compared) < 2:
        only = compared.iloc[0] if len(compared) else None
        layout.paragraph(
            f"{scope.label} ne compte qu'un département"
            + (f" ({only['nom']})" if only is not None else "")
            + " : ses chiffres sont ceux de la région, donnés en première page ; aucune comparaison entre "
              "départements n'est possible.", size=9.5)
        return
    if compared["actifs_pour_100k_hab"].isna().all():
        layout.paragraph(f"Départements de {scope.label} : aucun taux publiable (effectifs sous le secret "
                                  "statistique ou population inconnue) ; voir le tableau des annexes.", size=9.5)
        return
    france = ed.nation
    layout.numbered_figure(
        regional_charts.departements_side_by_side_chart(
            compared, france=france if france is not None else pd.Series(dtype=float),
            title=scope.title("Contrats actifs par département"), as_of=scope.as_of, synthetic=scope.synthetic),
        findings.departements_side_by_side(compared, france, scope.as_of),
        field=_field(ed, with_france=france is not None), source=_source(ed, SOURCE_POPULATION,
                                                                          "Drees, démographie des médecins"),
        values=describe_values(compared, "actifs_pour_100k_hab", 1),
    )


def region_against_france(layout: _Layout, ed: Edition) -> None:
    """The region indexed on France (France = 100) and its rank; from the published national figures when the
    extracts do not cover France."""
    scope, against = ed.scope, ed.against
    layout.section(f"{scope.label} face à la France entière" if scope.covers_france else
                   "La France, d'après les chiffres publiés")
    layout.intro(sentences.message_lines(ed.messages, ["presence", "rang"]))
    if not scope.covers_france:
        layout.paragraph(
            f"Les extractions reçues couvrent {scope.coverage.label}, pas la France entière : ni indice ni rang parmi "
            "les régions ne peuvent en être calculés. Les chiffres nationaux ci-dessous (France entière) sont "
            "publiés, chacun avec sa source.", size=9.5)
        layout.intro(sentences.message_lines(ed.messages, ["objectifs"]))
        layout.table(france_references_table(scope.data.territory_year, scope.as_of, scope.synthetic))
        return
    index = against.index_on_france
    if index["indice_france_100"].isna().all():
        layout.paragraph(
            f"{scope.label} : aucun indice sur la France entière n'est calculable, ses taux n'étant pas publiés "
            "(population inconnue ou effectifs sous le secret statistique).", size=9.5)
        return
    layout.numbered_figure(
        regional_charts.index_on_france_chart(index, title=scope.title("Indicateurs indexés sur la France entière"),
                                              as_of=scope.as_of, synthetic=scope.synthetic),
        findings.index_on_france(index, against.rank, scope.label),
        field=_field(ed, with_france=True), source=_source(ed, SOURCE_POPULATION),
        values=describe_values(index, "indice_france_100", 0, name="libelle"),
    )


def region_rhythm(layout: _Layout, ed: Edition) -> None:
    """Contracts signed per period in the region: its published series as bars (by month, quarter or year, as it
    is published), or a sentence when none of its counts is publishable."""
    scope, series = ed.scope, followup_charts.recent_periods(ed.own.monthly)  # the whole series is in the annex table
    step = ed.own.monthly.attrs.get(cat.SERIES_STEP_ATTR, "mois")
    title = scope.title("Contrats signés par période")
    layout.section(f"Le rythme des signatures — {scope.label}")
    if nothing_publishable(series, "signes_mois"):
        layout.paragraph(sentences.unpublished_chart_sentence(title), size=9)
        return
    layout.numbered_figure(
        followup_charts.monthly_signings_chart(series, title=title, as_of=scope.as_of),
        findings.signings_by_period(series, scope.label, step), field=_field(ed), source=_source(ed),
        values=describe_values(series.assign(periode=series["mois"].dt.strftime("%m/%Y")), "signes_mois", 0,
                               name="periode"),
    )


def region_backgrounds(layout: _Layout, ed: Edition) -> None:
    """The region's backgrounds beside France's (or over the years when the extracts do not cover France)."""
    scope, national, own = ed.scope, ed.national, ed.own
    layout.section(f"Profils d'origine — {scope.label}")
    layout.intro(sentences.message_lines(ed.messages, ["profils"]))
    shares = national.shares
    own_shares = shares[shares["code"] == scope.region]
    if scope.covers_france and not nothing_publishable(own_shares, "part") and len(own_shares):
        layout.numbered_figure(
            regional_charts.backgrounds_against_france_chart(
                shares, scope.region, scope.label, title=f"Profil d'origine des assistants — {scope.label} et "
                f"{NATIONAL_LABEL}", as_of=scope.as_of),
            findings.backgrounds_against_france(shares, scope.region, scope.label),
            field=_field(ed, with_france=True), source=_source(ed),
            values=describe_values(own_shares, "part", 1, kind="percent", name="libelle"),
        )
        return
    title = scope.title("Profil d'origine par année de signature")
    if nothing_publishable(own.backgrounds_by_year, "part") or own.backgrounds_by_year.empty:
        layout.paragraph(sentences.unpublished_chart_sentence(title, "le tableau des annexes"), size=9)
        return
    layout.numbered_figure(
        charts.mix_by_period_chart(own.backgrounds_by_year, title=title, what="profil d'origine", as_of=scope.as_of),
        findings.background_years(own.backgrounds_by_year, scope.label), field=_field(ed), source=_source(ed),
        values=describe_values(own.backgrounds_by_year, "part", 1, kind="percent", name="periode"),
    )


def region_training(layout: _Layout, ed: Edition) -> None:
    """The region's certification beside France's: two lines of a table say it better than a chart."""
    scope, national = ed.scope, ed.national
    layout.section(f"Formation et certification — {scope.label} et {NATIONAL_LABEL}"
                            if scope.covers_france else f"Formation et certification — {scope.label}")
    layout.intro(sentences.message_lines(ed.messages, ["formation"]))
    table = cat.training_comparison_table(national.training, national.training_france, scope.region)
    layout.table(table.retitled(f"Assistants sans certification après l'échéance — {scope.label}"
                                + (f" et {NATIONAL_LABEL}" if scope.covers_france else "")),
                 emphasised=(1,) if scope.covers_france else ())
    supply = national.training_supply[national.training_supply["code"] == scope.region]
    if len(supply):
        layout.paragraph(sentences.training_supply_sentence(supply.iloc[0]), size=9.5)
        layout.table(cat.training_supply_table(supply, f"Besoin de formation et sites connus — {scope.label}"))


NATIONAL_SECTIONS = (cover, essential, outlook, territories, backgrounds, training, funding, access_to_care, survey,
                     methods)
REGIONAL_SECTIONS = (cover, essential, region_departements, region_rhythm, region_against_france, region_backgrounds,
                     region_training, funding, survey, methods)
