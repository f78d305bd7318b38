"""The report's content for one scope (France or a region) at a counting date: the published results laid out as
PDF pages and workbook sheets. Compute (once, passed in) → draw → lay out; no file is written here (see `__main__`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from matplotlib.figure import Figure

from am_analytics import __version__, reference
from am_analytics.figures import charts, departement_map, region_map
from am_analytics.figures.formatting import format_date, format_number, format_percent
from am_analytics.indicators import quality as quality_indicators
from am_analytics.indicators.methods import METHODS
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation.results import NationalResults, ScopeResults
from am_analytics.presentation.scope import Scope
from am_analytics.presentation.sentences import independence_sentence
from am_analytics.presentation.tables import PublishedTable
from am_analytics.report.document import KeyFigure, ReportDocument
from am_analytics.report.svg import figure_svg
from am_analytics.report.workbook import build_workbook
from am_analytics.vocabulary import SURVEY_GROUPS, SYNTHETIC_MENTION, TARGET_SETTERS, TARGET_STATUS_LABELS

SURVEY_FIELDWORK = "2021-02-01"  # the satisfaction survey's fieldwork month (February 2021)
REPORT_TITLE = "Les assistants médicaux"


@dataclass(frozen=True)
class BuiltReport:
    """A report's two files (bytes) and the figures its cover shows, as published."""

    pdf: bytes
    workbook: bytes
    summary: dict[str, float | None]


class _Layout:
    """The PDF being laid out and the tables it publishes (the workbook gets the same tables)."""

    def __init__(self, document: ReportDocument):
        self.document = document
        self.tables: list[PublishedTable] = []

    def table(self, table: PublishedTable, *, in_pdf: bool = True) -> None:
        self.tables.append(table)
        if not in_pdf:
            return
        document = self.document
        document.section(table.title, level=1)
        document.table(
            [column.header for column in table.columns],
            table.formatted_rows(),
            right_aligned=table.right_aligned(),
            widths=table.widths(),
        )
        for note in table.notes:
            document.note(note)
        document.note(f"{table.source_line}.")

    def figure(self, fig: Figure) -> None:
        self.document.figure(figure_svg(fig))


def build(scope: Scope, national: NationalResults | None = None) -> BuiltReport:
    """The PDF and the workbook for a scope (France or a region). `national` is the dataset's national results at
    the scope's counting date, computed by the caller once for many scopes, or here when not given."""
    if national is None:
        national = NationalResults.of(scope)
    if national.as_of != scope.as_of:
        raise ValueError("national results computed at another counting date than the scope's")
    own = ScopeResults.compute(scope, national)
    region, day, synthetic = scope.region, scope.day, scope.synthetic
    row = national.territory_row(scope.territory_code)
    nation = national.territory_row("FR")

    created = datetime.combine(day, datetime.min.time())
    subtitle = f"{scope.label} — données au {format_date(day)}"
    document = ReportDocument(title=REPORT_TITLE, subtitle=subtitle, synthetic=synthetic, creation_date=created)
    layout = _Layout(document)
    context = [
        f"Ce rapport suit le déploiement des assistants médicaux financés par l'Assurance Maladie : contrats signés "
        f"entre chaque médecin et sa CPAM ({scope.label}), au {format_date(day)}.",
        "Les chiffres publiés cités (objectifs, bilans de l'Assurance Maladie) sont réels et sourcés ; "
        "la méthode et les sources sont en fin de rapport.",
    ]
    document.cover(_key_figures(row, nation, national, region), context)
    document.table_of_contents()

    # 1. Rollout
    document.section("Déploiement" if region else "Déploiement national", new_page=True)
    if region is None:
        layout.figure(charts.rollout_chart(own.monthly, national.progress, national.projections, national.cross))
        layout.figure(charts.fte_chart(own.monthly, national.progress, national.cross))
        layout.table(cat.targets_table(national.progress, national.projections))
        layout.table(cat.cross_check_table(national.cross))
    else:
        layout.figure(charts.rollout_chart(own.monthly, title=scope.title("Déploiement des assistants médicaux")))
        document.note("Les objectifs officiels sont nationaux : ils figurent dans le rapport France entière.")
    layout.table(cat.monthly_table(own.monthly), in_pdf=False)

    # 2. Territories
    document.section("Territoires", new_page=True)
    layout.figure(
        region_map(
            national.regions,
            "actifs_pour_100k_hab",
            title="Contrats actifs pour 100 000 habitants, par région",
            legend_title="Contrats actifs\npour 100 000 hab.",
            source=cat.SOURCE_CONTRACTS + " ; Insee",
            decimals=1,
            note="Mayotte : population non disponible (absente des populations légales de l'Insee).",
        )
    )
    layout.figure(charts.regions_ranked_chart(national.regions, national=national.nation, highlight=region))
    layout.table(cat.regions_table(national.regions))
    departements = national.departements
    if region is None:
        layout.figure(
            departement_map(
                departements,
                "actifs_pour_100k_hab",
                title="Contrats actifs pour 100 000 habitants, par département",
                legend_title="Contrats actifs\npour 100 000 hab.",
                source=cat.SOURCE_CONTRACTS + " ; Insee",
                decimals=1,
            )
        )
    else:
        departements = departements[departements["region_code"] == region]
    layout.table(cat.departements_table(departements, scope.title("Contrats par département")))

    # 3. Backgrounds
    document.section("Profils d'origine des assistants", new_page=True)
    layout.figure(charts.background_by_region_chart(national.shares))
    layout.figure(charts.background_heatmap_chart(national.shares))
    layout.figure(
        charts.mix_by_period_chart(
            own.backgrounds_by_year,
            title=scope.title("Profil d'origine par année de signature"),
            what="profil d'origine",
        )
    )
    document.paragraph(independence_sentence(national.independence, "région × profil"))
    layout.table(cat.backgrounds_table(national.shares, scope.comparison_codes))

    # 4. Specialty, zone, FTE option
    document.section("Spécialité, zone et temps de travail", new_page=True)
    for mix, heading, what in (
        (own.specialties, "Spécialité des médecins par année de signature", "spécialité"),
        (own.zones, "Zonage par année de signature", "zone"),
        (own.etp_options, "Option de temps de travail par année de signature", "option de temps de travail"),
    ):
        layout.figure(charts.mix_by_period_chart(mix, title=scope.title(heading), what=what))

    # 5. Funding
    document.section("Financement", new_page=True)
    layout.figure(charts.funding_chart(own.funding))
    layout.table(cat.funding_table(own.funding))

    # 6. Training
    document.section("Formation et certification", new_page=True)
    layout.figure(charts.training_overdue_chart(national.training))
    training = national.training if region is None else national.training[national.training["code"] == region]
    layout.table(cat.training_table(training))

    # 7. Survey
    document.section("Enquête de satisfaction", new_page=True)
    if national.satisfaction is not None:
        layout.figure(charts.likert_chart(national.satisfaction, as_of=SURVEY_FIELDWORK, labels=SURVEY_GROUPS))
        layout.table(cat.missions_table(national.missions))
        if region is not None:
            document.note("Résultats nationaux : l'échantillon d'une région est trop petit pour être publié.")
    else:
        document.paragraph("Aucune donnée d'enquête dans les fichiers reçus.")

    # 8. Data quality
    document.section("Qualité des données", new_page=True)
    manifest = scope.data.manifest
    layout.figure(charts.quality_chart(national.quality, as_of=day))
    layout.table(cat.quality_table(national.quality))
    layout.table(cat.reasons_table(quality_indicators.quarantine_reasons(manifest)))
    layout.table(cat.warnings_table(quality_indicators.warning_reasons(scope.data.warnings)))
    layout.table(cat.changes_table(quality_indicators.changes_by_column(scope.data.changes)))

    # 9. Sources and method
    document.section("Sources et méthode", new_page=True)
    for method in METHODS.values():
        document.section(method.title, level=1)
        document.paragraph(method.text, size=8.5)
    layout.table(cat.published_figures_table())
    layout.table(cat.reference_table())
    layout.table(cat.inputs_table(manifest))
    document.paragraph(f"Rapport produit par am_analytics {__version__} (pandas, matplotlib, fpdf2).", size=8)

    pdf = document.to_bytes()
    workbook = build_workbook(layout.tables, _sources_lines(scope), created)
    summary = {key: _published_value(row, key) for key in ("signes", "actifs", "etp_actifs")}
    return BuiltReport(pdf=pdf, workbook=workbook, summary=summary)


def _published_value(row: pd.Series, key: str) -> float | None:
    """A published figure, or None where it is hidden (`<key>_secret`) or missing."""
    value = row.get(key)
    return None if value is None or pd.isna(value) else float(value)


def _shown(row: pd.Series, key: str, kind: str, decimals: int = 0) -> str:
    """A published figure as the cover writes it: hidden ones as their symbol."""
    from am_analytics.vocabulary import secret_symbol

    reason = row.get(f"{key}_secret")
    if reason is not None and not pd.isna(reason):
        return secret_symbol(str(reason), kind)
    if kind == "percent":
        return format_percent(row[key], decimals)
    return format_number(row[key], decimals)


def _key_figures(row: pd.Series, nation: pd.Series, national: NationalResults, region: str | None) -> list[KeyFigure]:
    figures = [
        KeyFigure("Contrats signés (cumul)", _shown(row, "signes", "count"), "depuis septembre 2019"),
        KeyFigure("Contrats actifs", _shown(row, "actifs", "count"), "signés et non terminés"),
        KeyFigure("ETP actifs", _shown(row, "etp_actifs", "decimal", 1), "équivalents temps plein financés"),
        KeyFigure(
            "Contrats actifs pour 100 000 habitants",
            _shown(row, "actifs_pour_100k_hab", "decimal", 1),
            "France entière : " + _shown(nation, "actifs_pour_100k_hab", "decimal", 1),
        ),
    ]
    if region is not None:
        figures.append(
            KeyFigure(
                "Part des contrats signés en France",
                _shown(row, "part_nationale_signes", "percent", 1),
                "de l'ensemble des contrats",
            )
        )
        return figures
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
    pending = national.projections[national.projections["date_projetee"].notna()].sort_values("valeur_cible")
    if not pending.empty:
        first = pending.iloc[0]
        figures.append(
            KeyFigure(
                f"Date projetée pour {format_number(first['valeur_cible'])} contrats",
                format_date(first["date_projetee"]),
                f"entre le {format_date(first['date_projetee_au_plus_tot'])} et le "
                f"{format_date(first['date_projetee_au_plus_tard'])} (95 %)",
            )
        )
    return figures


def _sources_lines(scope: Scope) -> list[tuple[str, str]]:
    manifest = scope.data.manifest
    lines = [
        ("Date d'arrêté", format_date(scope.day)),
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
    for method in METHODS.values():
        lines.append((f"Méthode : {method.title}", method.text))
    return lines
