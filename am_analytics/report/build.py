"""The report's content for one scope (France or a region) at a counting date: the published results laid out as
PDF pages and workbook sheets. Compute (once, passed in) → draw → lay out; no file is written here (see `__main__`).

A national report opens with its key messages (« L'essentiel »); a regional edition is about its region: its
départements on a zoomed map, the region highlighted on every national chart and map, tables of its départements,
its total and France, and its own sections on backgrounds, training and funding with France beside it. No page
of a regional report lists the départements of another region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from am_analytics import __version__, reference
from am_analytics.figures import charts
from am_analytics.figures.charts import FUNDING_CHART_TITLE
from am_analytics.figures.contract import printed_text_pt
from am_analytics.figures.formatting import format_date, format_number, format_percent
from am_analytics.figures.published import nothing_publishable
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import maps, sentences
from am_analytics.presentation.france_reference import (
    PUBLISHED,
    FranceReference,
    france_references_table,
    latest_france_reference,
)
from am_analytics.presentation.keyfigures import KeyFigure, measured, measured_text
from am_analytics.presentation.publication import audited
from am_analytics.presentation.results import NationalResults, ScopeResults
from am_analytics.presentation.scope import Scope
from am_analytics.presentation.sentences import KeyMessage, independence_sentence
from am_analytics.presentation.tables import PublishedTable, published_text
from am_analytics.report.alt import describe_values, series_text
from am_analytics.report.commitments_section import commitments_section
from am_analytics.report.document import ReportDocument
from am_analytics.report.svg import figure_svg
from am_analytics.report.workbook import build_workbook
from am_analytics.vocabulary import (
    NATIONAL_LABEL,
    SURVEY_FIELDWORK,
    SURVEY_GROUPS,
    SYNTHETIC_MENTION,
)

REPORT_TITLE = "Les assistants médicaux"


@dataclass(frozen=True)
class FigureRecord:
    """A figure as the PDF prints it: its title, alternative text, smallest text in points once printed, and the
    drawn figure itself (for the checks of print quality: texts that collide, lines through labels)."""

    title: str
    alt_text: str
    printed_text_pt: float
    figure: Figure | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class BuiltReport:
    """A report's two files (bytes), the figures its cover shows (as published), its key messages, and what the
    PDF laid out (figures, tables) for the checks of print quality."""

    pdf: bytes
    workbook: bytes
    summary: dict[str, float | None]
    messages: list[KeyMessage] = field(default_factory=list)
    figures: list[FigureRecord] = field(default_factory=list)
    tables: list = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)


class _Layout:
    """The PDF being laid out and the tables it publishes (the workbook gets the same tables)."""

    def __init__(self, document: ReportDocument):
        self.document = document
        self.tables: list[PublishedTable] = []
        self.figures: list[FigureRecord] = []

    def table(self, table: PublishedTable, *, in_pdf: bool = True, emphasised: tuple[int, ...] = ()) -> None:
        self.tables.append(table)
        if not in_pdf:
            return
        document = self.document
        dates = [i for i, column in enumerate(table.columns) if column.kind == "date"]
        rows = [[text.replace(" ", "\u00a0") if i in dates else text for i, text in enumerate(row)]
                for row in table.formatted_rows()]
        document.table(
            [column.header for column in table.columns],
            rows,
            right_aligned=table.right_aligned(),
            title=table.title,
            emphasised=emphasised,
        )
        for note in table.notes:
            document.note(note)
        document.note(f"{table.source_line}.")

    def figure(self, fig: Figure, values: str) -> None:
        """Embed a figure with its alternative text: its title and the values it shows."""
        title = " ".join(fig.get_suptitle().split())
        alt = f"{title}. {values}".strip()
        width = self.document.figure(figure_svg(fig), alt_text=alt)
        self.figures.append(FigureRecord(title, alt, printed_text_pt(fig, width), fig))

    def published_figure(self, frame: pd.DataFrame, column: str, title: str, draw: Callable[[], Figure], values: str,
                         coarser: str | None = None) -> None:
        """A chart of `column` of a published frame, or the sentence that replaces it when none of its values is
        publishable (a chart drawn entirely « secret » tells the reader nothing), naming the `coarser` figures when
        there are."""
        if nothing_publishable(frame, column):
            self.document.paragraph(sentences.unpublished_chart_sentence(title, coarser), size=9)
        else:
            self.figure(draw(), values)

    def intro(self, lines: list[str]) -> None:
        """The two or three sentences a section opens with."""
        for line in lines:
            self.document.paragraph(line, size=9.5)


def build(scope: Scope, national: NationalResults | None = None) -> BuiltReport:
    """The PDF and the workbook for a scope (France or a region). `national` is the dataset's national results at
    the scope's counting date, computed by the caller once for many scopes, or here when not given."""
    if national is None:
        national = NationalResults.of(scope)
    if national.as_of != scope.as_of:
        raise ValueError("national results computed at another counting date than the scope's")
    # the report and its workbook are one publication: France's results and the scope's, audited together
    national, (own,) = audited(national, [(scope, ScopeResults.compute(scope, national))], scope.all_contracts)
    region, day, synthetic = scope.region, scope.as_of, scope.synthetic
    row = national.territory_row(scope.territory_code)
    # extracts of one region (or a few) say nothing of France: France is then a published reference
    france = None if scope.covers_france else latest_france_reference(scope.data.territory_year, scope.as_of,
                                                                      synthetic)
    nation = national.territory_row("FR") if scope.covers_france else None
    label = scope.label
    messages = sentences.key_messages(national, own, region, covers_france=scope.covers_france, france=france)

    created = day.to_pydatetime()
    subtitle = f"{label} — données au {format_date(day)}"
    document = ReportDocument(title=REPORT_TITLE, subtitle=subtitle, synthetic=synthetic, creation_date=created)
    layout = _Layout(document)
    context = [
        f"Ce rapport suit le déploiement des assistants médicaux financés par l'Assurance Maladie : contrats signés "
        f"entre chaque médecin et sa CPAM ({label}), au {format_date(day)}.",
        "Les chiffres publiés cités (objectifs, bilans de l'Assurance Maladie) sont réels et sourcés ; "
        "la méthode et les sources sont en fin de rapport.",
        *coverage_lines(scope),
    ]
    main = sentences.message_lines(messages, ["projection"] if region is None else ["rang", "presence"])
    document.cover(_key_figures(row, nation, national, region, france), main[0] if main else "", context)
    document.table_of_contents()

    # 0. Key messages
    document.section("L'essentiel", new_page=True)
    preamble = sentences.synthetic_preamble(synthetic)
    if preamble:
        document.paragraph(preamble, size=8.5, style="B", color=(190, 40, 30))
    document.paragraph(f"{label}, au {format_date(day)} : ce que disent les indicateurs, règle par règle.", size=9)
    document.key_messages([(message.text, _indicator_line(message, synthetic)) for message in messages])
    document.note(f"Règles des messages : voir « {cat.METHODS['messages'].title} » dans Sources et méthode.")

    _rollout(layout, scope, national, own, messages)
    _territories(layout, scope, national, messages)
    _backgrounds(layout, scope, national, own, messages)
    _mixes(layout, scope, own)
    _funding(layout, scope, national, own)
    if scope.covers_france:
        _perspectives(layout, scope, national, messages)
    else:
        _published_france(layout, scope, messages)
    _training(layout, scope, national, messages)
    _survey(layout, scope, national)
    commitments_section(layout, scope, national)
    _quality(layout, scope, national)
    _sources(layout, scope)

    pdf = document.to_bytes()
    workbook, sheet_names = build_workbook(
        layout.tables,
        _sources_lines(scope),
        created,
        title=f"{REPORT_TITLE} — {subtitle}",
        synthetic=synthetic,
        scope_label=label,
    )
    summary = {key: _published_value(row, key) for key in ("signes", "actifs", "etp_actifs")}
    return BuiltReport(
        pdf=pdf,
        workbook=workbook,
        summary=summary,
        messages=messages,
        figures=layout.figures,
        tables=list(document.tables_laid_out),
        sheet_names=sheet_names,
    )


def _indicator_line(message: KeyMessage, synthetic: bool) -> str:
    return message.indicator + (f" — {SYNTHETIC_MENTION.lower()}" if synthetic else "")


# --- sections -------------------------------------------------------------------------------------------------------


def _rollout(layout: _Layout, scope: Scope, national: NationalResults, own: ScopeResults, messages) -> None:
    document, region = layout.document, scope.region
    document.section("Déploiement" if region else "Déploiement national", new_page=True)
    layout.intro(sentences.message_lines(messages, ["objectifs", "projection", "rythme"] if region is None
                                         else ["presence", "rythme"]))
    if region is None:
        layout.figure(
            charts.rollout_chart(own.monthly, national.progress, national.projections, national.cross,
                                 as_of=scope.as_of),
            series_text(own.monthly, {"signes_cumul": "contrats signés (cumul)", "actifs": "contrats actifs"}),
        )
        layout.figure(
            charts.fte_chart(own.monthly, national.progress, national.cross, as_of=scope.as_of),
            series_text(own.monthly, {"etp_signes_cumul": "ETP signés (cumul)", "etp_actifs": "ETP actifs"}, 1),
        )
        layout.table(cat.targets_table(national.progress, national.projections))
        layout.table(cat.cross_check_table(national.cross, synthetic=scope.synthetic))
    else:
        layout.figure(
            charts.rollout_chart(own.monthly, title=scope.title("Déploiement des assistants médicaux"),
                                 as_of=scope.as_of),
            series_text(own.monthly, {"signes_cumul": "contrats signés (cumul)", "actifs": "contrats actifs"}),
        )
        document.note("Les objectifs officiels sont nationaux : ils figurent dans le rapport France entière ; la "
                      "section Perspectives rappelle où en est la France." if scope.covers_france else
                      "Les objectifs officiels sont nationaux ; ces extractions ne couvrent pas la France : la section "
                      "« La France, d'après les chiffres publiés » les rapporte au nombre national publié.")
    # the region's own series: its title and its sheet say whose it is
    layout.table(cat.monthly_table(own.monthly, scope.label if region is not None else None), in_pdf=False)


def _territories(layout: _Layout, scope: Scope, national: NationalResults, messages) -> None:
    document, region = layout.document, scope.region
    document.section("Territoires", new_page=True)
    layout.intro(sentences.message_lines(messages, ["territoires"] if region is None else ["rang"]))
    rates = describe_values(national.regions, maps.RATE_COLUMN, 1)
    if region is not None:
        layout.figure(
            maps.rate_by_departement_map(national.departements, region=region,
                                         title=scope.title(f"{maps.RATE_TITLE}, par département"), as_of=scope.as_of),
            describe_values(national.departements[national.departements["region_code"] == region],
                            maps.RATE_COLUMN, 1),
        )
    if not scope.covers_france:  # one region or a few: no map or rank among regions the extracts do not hold
        table = cat.territory_comparison_table(national.departements, national.regions, national.nation, region)
        layout.table(table.retitled(f"Contrats par département — {scope.label} et total régional"),
                     emphasised=(len(table.frame) - 1,))
        return
    layout.figure(maps.rate_by_region_map(national.regions, highlight=region, as_of=scope.as_of), rates)
    layout.figure(charts.regions_ranked_chart(national.regions, national=national.nation, highlight=region,
                                              as_of=scope.as_of), rates)
    if region is None:
        layout.table(cat.regions_table(national.regions))
        layout.figure(maps.rate_by_departement_map(national.departements, as_of=scope.as_of),
                      describe_values(national.departements, maps.RATE_COLUMN, 1))
        layout.table(cat.departements_table(national.departements, scope.title("Contrats par département")))
    else:
        table = cat.territory_comparison_table(national.departements, national.regions, national.nation, region)
        count = len(table.frame)
        layout.table(table, emphasised=(count - 2, count - 1))


def _backgrounds(layout: _Layout, scope: Scope, national: NationalResults, own: ScopeResults, messages) -> None:
    document, region = layout.document, scope.region
    document.section("Profils d'origine des assistants", new_page=True)
    layout.intro(sentences.message_lines(messages, ["profils"]))
    shares_text = describe_values(
        national.shares[national.shares["profil_origine"] == "secretaire_medicale"], "part", 1, kind="percent",
        prefix="part des anciennes secrétaires médicales : ",
    )
    if scope.covers_france:  # the regions side by side, France among them: only when the extracts cover France
        layout.figure(charts.background_by_region_chart(national.shares, highlight=region, as_of=scope.as_of),
                      shares_text)
        layout.figure(charts.background_heatmap_chart(national.shares, highlight=region, as_of=scope.as_of),
                      shares_text)
    trend = own.backgrounds_by_year[own.backgrounds_by_year["categorie"] == "secretaire_medicale"]
    title = scope.title("Profil d'origine par année de signature")
    table = cat.backgrounds_table(national.shares, scope.comparison_codes)
    layout.published_figure(
        own.backgrounds_by_year,
        "part",
        title,
        lambda: charts.mix_by_period_chart(own.backgrounds_by_year, title=title, what="profil d'origine",
                                           as_of=scope.as_of),
        describe_values(trend, "part", 1, kind="percent", name="periode",
                        prefix="part des anciennes secrétaires médicales par année : "),
        coarser=f"le tableau « {table.title} »" if scope.profil is None else None,
    )
    if scope.covers_france:
        document.paragraph(independence_sentence(national.independence, "région × profil"))
    layout.table(table)


def _mixes(layout: _Layout, scope: Scope, own: ScopeResults) -> None:
    layout.document.section("Spécialité, zone et temps de travail", new_page=True)
    layout.intro([line for line in (
        sentences.mix_sentence(own.specialties, "Spécialité des médecins"),
        sentences.mix_sentence(own.zones, "Zonage"),
        sentences.mix_sentence(own.etp_options, "Temps de travail"),
    ) if line])
    for mix, heading, what in (
        (own.specialties, "Spécialité des médecins par année de signature", "spécialité"),
        (own.zones, "Zonage par année de signature", "zone"),
        (own.etp_options, "Option de temps de travail par année de signature", "option de temps de travail"),
    ):
        latest = mix[mix["periode"] == mix["periode"].max()] if len(mix) else mix
        title = scope.title(heading)
        layout.published_figure(
            mix,
            "part",
            title,
            lambda mix=mix, title=title, what=what: charts.mix_by_period_chart(mix, title=title, what=what,
                                                                               as_of=scope.as_of),
            describe_values(latest, "part", 1, kind="percent", name="libelle",
                            prefix=f"parts en {latest['periode'].iloc[0] if len(latest) else ''} : "),
        )


def _funding(layout: _Layout, scope: Scope, national: NationalResults, own: ScopeResults) -> None:
    document, region = layout.document, scope.region
    document.section("Financement", new_page=True)
    layout.intro(sentences.funding_sentences(own.funding, scope.label, scope.as_of))
    if region is not None and national.funding is not None and scope.covers_france:
        layout.intro(sentences.funding_sentences(national.funding, NATIONAL_LABEL, scope.as_of)[:1])
    layout.published_figure(own.funding, "montant_attendu_eur", FUNDING_CHART_TITLE,
                            lambda: charts.funding_chart(own.funding, as_of=scope.as_of),
                            describe_values(own.funding, "montant_attendu_eur", kind="millions", name="annee"))
    layout.table(cat.funding_table(own.funding, title=scope.title("Aide attendue par année civile")))
    if region is not None and national.funding is not None and scope.covers_france:
        layout.table(cat.funding_table(national.funding, title=f"Aide attendue par année civile — {NATIONAL_LABEL}"))


def _perspectives(layout: _Layout, scope: Scope, national: NationalResults, messages) -> None:
    document, region = layout.document, scope.region
    document.section("Perspectives à 2029 (projection)", new_page=True)
    spending = national.projected_spending
    lines = sentences.message_lines(messages, ["projection"]) if region is None else []
    spending_message = sentences.spending_message(spending)
    if spending_message is not None:
        lines.append(spending_message.text)
    if region is not None:
        lines.insert(0, "Perspectives nationales : les objectifs et leur financement se décident pour la France "
                        "entière ; une projection région par région serait trop fragile.")
        lines += sentences.message_lines(messages, ["objectifs"])
    layout.intro(lines)
    projected = national.projected_signatures
    projected_values = "Projection non calculable."
    if len(projected):
        projected_values = series_text(
            projected.rename(columns={"mois": "fin_de_periode"}),
            {"cumul_projete": "cumul projeté", "cumul_projete_bas": "bas de la fourchette",
             "cumul_projete_haut": "haut de la fourchette"},
        )
    layout.figure(
        charts.perspectives_chart(national.monthly, projected, national.progress,
                                  title=f"Contrats signés : observés et projetés jusqu'en 2029 — {NATIONAL_LABEL}",
                                  as_of=scope.as_of),
        projected_values,
    )
    layout.table(cat.projected_dates_table(national.progress, national.projections))
    if spending is not None:
        layout.figure(
            charts.projected_spending_chart(spending, national.funding, as_of=scope.as_of),
            describe_values(spending, "montant_total_eur", kind="millions", name="annee",
                            prefix="total projeté : ") if "montant_total_eur" in spending.columns else "",
        )
        layout.table(cat.projected_spending_table(spending))


def coverage_lines(scope: Scope) -> list[str]:
    """What the cover says when the extracts do not cover France: what they cover, and where France comes from."""
    if scope.covers_france:
        return []
    return [f"Les extractions reçues ne couvrent que {scope.coverage.label} : aucun chiffre « France » n'en est tiré ; "
            "la France n'est citée que d'après les chiffres publiés, avec leur source."]


def _published_france(layout: _Layout, scope: Scope, messages) -> None:
    """In place of the national perspectives, for extracts that do not cover France: the published national counts
    and the targets read against them (a projection of France from one region's contracts would mean nothing)."""
    layout.document.section("La France, d'après les chiffres publiés", new_page=True)
    layout.intro([
        f"Les extractions reçues couvrent {scope.coverage.label}, pas la France entière : le total national, la part "
        "de la région, son rang parmi les régions et la progression vers les objectifs nationaux ne peuvent pas en "
        "être calculés. Les chiffres nationaux ci-dessous sont publiés, chacun avec sa source.",
        *sentences.message_lines(messages, ["objectifs"]),
    ])
    layout.table(france_references_table(scope.data.territory_year, scope.as_of, scope.synthetic))


def _training(layout: _Layout, scope: Scope, national: NationalResults, messages) -> None:
    document, region = layout.document, scope.region
    document.section("Formation et certification", new_page=True)
    layout.intro(sentences.message_lines(messages, ["formation"]))
    if not scope.covers_france:
        table = cat.training_comparison_table(national.training, national.training_france, region)
        layout.table(table.retitled(f"Assistants sans certification après l'échéance — {scope.label}"))
        return
    layout.figure(charts.training_overdue_chart(national.training, highlight=region, as_of=scope.as_of),
                  describe_values(national.training, "part_en_retard", 1, kind="percent"))
    if region is None:
        layout.table(cat.training_comparison_table(national.training, national.training_france, None),
                     emphasised=(len(national.training),))
    else:
        layout.table(cat.training_comparison_table(national.training, national.training_france, region),
                     emphasised=(1,))


def _survey(layout: _Layout, scope: Scope, national: NationalResults) -> None:
    document = layout.document
    document.section("Enquête de satisfaction", new_page=True)
    if national.satisfaction is not None:
        distribution = national.satisfaction
        layout.figure(
            charts.likert_chart(distribution, as_of=SURVEY_FIELDWORK, labels=SURVEY_GROUPS),
            describe_values(distribution.assign(nom=distribution["groupe"].map(SURVEY_GROUPS)),
                            "Très satisfait", 0, kind="percent", prefix="part de « très satisfait » : "),
        )
        layout.table(cat.missions_table(national.missions))
        if scope.region is not None:
            document.note("Résultats nationaux : l'échantillon d'une région est trop petit pour être publié.")
    else:
        document.paragraph("Aucune donnée d'enquête dans les fichiers reçus.")


def _quality(layout: _Layout, scope: Scope, national: NationalResults) -> None:
    document = layout.document
    document.section("Qualité des données", new_page=True)
    quality = national.quality
    layout.intro(sentences.quality_sentences(quality, None if scope.covers_france else scope.coverage.label))
    layout.figure(charts.quality_chart(quality, as_of=scope.as_of),
                  describe_values(quality[quality["fichier"] != "Total"].assign(nom=quality["fichier"]),
                                  "lignes_en_quarantaine", 0, prefix="lignes en quarantaine : "))
    layout.table(cat.quality_table(quality))
    layout.table(cat.reasons_table(national.quarantine))
    layout.table(cat.warnings_table(national.warnings))
    layout.table(cat.changes_table(national.changes))


def _sources(layout: _Layout, scope: Scope) -> None:
    document = layout.document
    document.section("Sources et méthode", new_page=True)
    for method in cat.METHODS.values():
        document.section(method.title, level=1)
        document.paragraph(method.text, size=8.5)
    layout.table(cat.published_figures_table(scope.region))
    layout.table(cat.reference_table())
    layout.table(cat.inputs_table(scope.data.manifest))
    document.paragraph(f"Rapport produit par am_analytics {__version__} (pandas, matplotlib, fpdf2).", size=8)


# --- cover --------------------------------------------------------------------------------------------------------


def _published_value(row: pd.Series, key: str) -> float | None:
    """A published figure, or None where it is hidden (`<key>_secret`) or missing."""
    value = row.get(key)
    return None if value is None or pd.isna(value) else float(value)


def _key_figures(row: pd.Series, nation: pd.Series | None, national: NationalResults, region: str | None,
                 france: FranceReference | None = None) -> list[KeyFigure]:
    """Four figures: contracts signed and active, then for France the next open target and its projected date,
    for a region its rate per 100 000 inhabitants (beside France's) and its share of the national total; when the
    extracts do not cover France (`nation` None), its rate alone and the published national count (`france`)."""
    figures = [
        measured(row, "signes", "depuis septembre 2019"),
        measured(row, "actifs", f"signés et non terminés ; {measured_text(row, 'etp_actifs')} ETP actifs"),
    ]
    if region is not None and nation is None:
        figures.append(measured(row, "actifs_pour_100k_hab", "contrats actifs de la région"))
        if france is not None:
            figures.append(KeyFigure(f"Contrats signés, France ({PUBLISHED})", format_number(france.value),
                                     f"au {format_date(france.day)} ; source : {france.source}"))
        return figures
    if region is not None:
        figures += [
            measured(row, "actifs_pour_100k_hab", "France entière : " + measured_text(nation, "actifs_pour_100k_hab")),
            measured(row, "part_nationale_signes", "de l'ensemble des contrats signés"),
        ]
        return figures
    open_groups = [g for g in sentences.target_groups(national.progress) if g["date_atteinte"].isna().all()]
    if open_groups:
        group = open_groups[0]
        first = group.iloc[0]
        figures.append(KeyFigure(
            f"Objectif {format_number(first['valeur_cible'])} contrats : part atteinte",
            format_percent(first["part_atteinte"], 1),
            "échéances : " + sentences._setters(group),
        ))
        projection = national.projections[national.projections["objectif"] == first["objectif"]].iloc[0]
        if pd.notna(projection["date_projetee"]):
            high = projection["date_projetee_au_plus_tard"]
            figures.append(KeyFigure(
                f"Date projetée pour {format_number(first['valeur_cible'])} contrats",
                format_date(projection["date_projetee"]),
                f"fourchette à 95 % : {format_date(projection['date_projetee_au_plus_tot'])} – "
                + (format_date(high) if pd.notna(high) else "au-delà de 10 ans"),
            ))
        else:
            figures.append(KeyFigure(f"Date projetée pour {format_number(first['valeur_cible'])} contrats",
                                     "non calculable", str(projection["raison"])))
    else:
        figures.append(KeyFigure("ETP actifs", published_text(row, "etp_actifs", "decimal", 1),
                                 "équivalents temps plein"))
    return figures


def _sources_lines(scope: Scope) -> list[tuple[str, str]]:
    manifest = scope.data.manifest
    lines = [
        ("Date d'arrêté", format_date(scope.as_of)),
        (
            "Données",
            f"{SYNTHETIC_MENTION} — ne pas utiliser comme données réelles"
            if scope.synthetic
            else "Extractions réelles des contrats",
        ),
        ("Logiciel", f"am_analytics {__version__}"),
    ]
    for name, digest in sorted(manifest.get("inputs", {}).items()):
        lines.append((f"Fichier d'entrée : {name}", f"SHA-256 {digest}"))
    for name in reference.TABLES:
        record = reference.provenance(name)
        lines.append(
            (
                f"Référence : {record.title}",
                f"{record.source} ({record.vintage}) — {record.licence} — {record.source_url}",
            )
        )
    for method in cat.METHODS.values():
        lines.append((f"Méthode : {method.title}", method.text))
    return lines
