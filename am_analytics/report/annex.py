"""The annex PDF written beside the report: the detailed tables the body's figures summarise, the maps, the mixes
by year, the data quality, the provenance of every file and the change log, and the full method. Its sections are
listed in `ANNEX_SECTIONS` (one line adds one); every table also goes to the workbook.
"""

from __future__ import annotations

from am_analytics import __version__
from am_analytics.figures import charts
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import maps, sentences
from am_analytics.report.alt import describe_values, series_text
from am_analytics.report.build import Edition, _Layout
from am_analytics.report.commitments_section import commitments_section
from am_analytics.vocabulary import NATIONAL_LABEL


def contents(layout: _Layout, ed: Edition) -> None:
    """The annex's table of contents."""
    layout.document.table_of_contents()


def detailed_tables(layout: _Layout, ed: Edition) -> None:
    """Every table behind the body's figures (France's, or the region's with France beside it)."""
    scope, national, own = ed.scope, ed.national, ed.own
    region = scope.region
    layout.document.section("Tableaux détaillés", new_page=True)
    if region is None:
        layout.table(cat.targets_table(national.progress, national.projections))
        layout.table(cat.cross_check_table(national.cross, synthetic=scope.synthetic))
        layout.table(cat.projected_dates_table(national.progress, national.projections))
        if national.projected_spending is not None:
            layout.table(cat.projected_spending_table(national.projected_spending))
        layout.table(cat.regions_table(national.regions))
        layout.table(cat.departements_table(national.departements, scope.title("Contrats par département")))
    else:
        table = cat.territory_comparison_table(national.departements, national.regions, national.nation, region)
        count = len(table.frame)
        if scope.covers_france:
            layout.table(table, emphasised=(count - 2, count - 1))
        else:
            layout.table(table.retitled(f"Contrats par département — {scope.label} et total régional"),
                         emphasised=(count - 1,))
        layout.table(cat.departements_compared_table(ed.against.departements_compared, scope.label))
        if scope.covers_france:
            layout.table(cat.index_on_france_table(ed.against.index_on_france, ed.against.rank, scope.label))
    layout.table(cat.backgrounds_table(national.shares, scope.comparison_codes))
    if region is None:
        layout.table(cat.training_comparison_table(national.training, national.training_france, None),
                     emphasised=(len(national.training),))
    layout.table(cat.funding_table(own.funding, title=scope.title("Aide attendue par année civile")))
    if region is not None and national.funding is not None and scope.covers_france:
        layout.table(cat.funding_table(national.funding, title=f"Aide attendue par année civile — {NATIONAL_LABEL}"))
    if national.missions is not None:
        layout.table(cat.missions_table(national.missions).retitled(
            f"{cat.missions_table(national.missions).title} — {NATIONAL_LABEL}"))
    # the series, month by month (or by quarter, year for a small territory): in the workbook only
    layout.table(cat.monthly_table(own.monthly, scope.label if region is not None else None), in_pdf=False)


def maps_and_charts(layout: _Layout, ed: Edition) -> None:
    """The maps and the charts the body leaves out: rates by territory, FTE, specialty, zone and working time."""
    scope, national, own = ed.scope, ed.national, ed.own
    region = scope.region
    layout.document.section("Cartes et graphiques complémentaires", new_page=True)
    if region is not None:
        layout.figure(
            maps.rate_by_departement_map(national.departements, region=region,
                                         title=scope.title(f"{maps.RATE_TITLE}, par département"), as_of=scope.as_of),
            describe_values(national.departements[national.departements["region_code"] == region],
                            maps.RATE_COLUMN, 1),
        )
    elif scope.covers_france:
        layout.figure(maps.rate_by_region_map(national.regions, as_of=scope.as_of),
                      describe_values(national.regions, maps.RATE_COLUMN, 1))
        layout.figure(maps.rate_by_departement_map(national.departements, as_of=scope.as_of),
                      describe_values(national.departements, maps.RATE_COLUMN, 1))
        layout.figure(charts.fte_chart(own.monthly, national.progress, national.cross, as_of=scope.as_of),
                      series_text(own.monthly, {"etp_signes_cumul": "ETP signés (cumul)", "etp_actifs": "ETP actifs"},
                                  1))
    _mixes(layout, ed)


def _mixes(layout: _Layout, ed: Edition) -> None:
    scope, own = ed.scope, ed.own
    layout.document.section("Spécialité, zone et temps de travail", level=1)
    layout.intro([line for line in (
        sentences.mix_sentence(own.specialties, "Spécialité des médecins"),
        sentences.mix_sentence(own.zones, "Zonage"),
        sentences.mix_sentence(own.etp_options, "Temps de travail"),
    ) if line])
    if scope.region is not None:  # the body compares the region with France; its years are here
        table = cat.backgrounds_table(ed.national.shares, scope.comparison_codes)
        title = scope.title("Profil d'origine par année de signature")
        layout.published_figure(
            own.backgrounds_by_year, "part", title,
            lambda: charts.mix_by_period_chart(own.backgrounds_by_year, title=title, what="profil d'origine",
                                               as_of=scope.as_of),
            describe_values(own.backgrounds_by_year, "part", 1, kind="percent", name="periode"),
            coarser=f"le tableau « {table.title} »" if scope.profil is None else None,
        )
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


def quality(layout: _Layout, ed: Edition) -> None:
    """Rows read, kept and quarantined per file, the reasons, the warnings and the change log."""
    scope, national = ed.scope, ed.national
    document = layout.document
    document.section("Qualité des données", new_page=True)
    data = national.quality
    layout.intro(sentences.quality_sentences(data, None if scope.covers_france else scope.coverage.label))
    layout.figure(charts.quality_chart(data, as_of=scope.as_of),
                  describe_values(data[data["fichier"] != "Total"].assign(nom=data["fichier"]),
                                  "lignes_en_quarantaine", 0, prefix="lignes en quarantaine : "))
    layout.table(cat.quality_table(data))
    layout.table(cat.reasons_table(national.quarantine))
    layout.table(cat.warnings_table(national.warnings))
    document.section("Journal des modifications", level=1)
    layout.table(cat.changes_table(national.changes))


def sources(layout: _Layout, ed: Edition) -> None:
    """The full method, the published figures, the reference tables and the provenance of every input file."""
    scope = ed.scope
    document = layout.document
    document.section("Sources et méthode", new_page=True)
    for method in cat.METHODS.values():
        document.section(method.title, level=1)
        document.paragraph(method.text, size=8.5)
    layout.table(cat.published_figures_table(scope.region))
    layout.table(cat.reference_table())
    document.section("Provenance des fichiers", level=1)
    layout.table(cat.inputs_table(scope.data.manifest))
    document.paragraph(f"Rapport produit par am_analytics {__version__} (pandas, matplotlib, fpdf2).", size=8)


ANNEX_SECTIONS = (contents, detailed_tables, maps_and_charts, commitments_section, quality, sources)
