"""The report's content: indicators as of a date, for France or one region, laid out as PDF pages and
workbook sheets. Load → compute → draw → lay out; no file is written here (see `__main__`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from matplotlib.figure import Figure

from am_analytics import __version__, reference
from am_analytics import indicators as ind
from am_analytics.figures import charts, departement_map, region_map
from am_analytics.figures.contract import figure_bytes
from am_analytics.figures.formatting import format_date, format_number, format_percent
from am_analytics.geography import region_name
from am_analytics.indicators.methods import METHODS
from am_analytics.indicators.survey import missions_delegated, satisfaction_distribution
from am_analytics.loading import Processed
from am_analytics.parameters import latest_date  # noqa: F401  (the report's default as-of date)
from am_analytics.report.document import KeyFigure, ReportDocument
from am_analytics.report.tables import Column, PublishedTable, published_table
from am_analytics.report.workbook import build_workbook

SOURCE_CONTRACTS = charts.SOURCE_CONTRACTS
SURVEY_FIELDWORK = "2021-02-01"  # the satisfaction survey's fieldwork month (February 2021)
GROUP_LABELS = {"ensemble": "Ensemble", "medecin": "Médecins", "assistant": "Assistants"}
# How the reference table (unaccented, as collected) names who set each target, written for a reader
SET_BY_LABELS = {
    "Plan Ma sante 2022": "plan « Ma santé 2022 »",
    "Ministre de la Sante (CNR sante)": "ministre de la Santé (CNR santé)",
    "President de la Republique": "président de la République",
    "Cnam": "Cnam",
    "Convention medicale 2024-2029": "convention médicale 2024-2029",
}
STATUS_LABELS = {
    "atteint_a_temps": "atteint à temps",
    "atteint_en_retard": "atteint en retard",
    "en_cours": "en cours",
    "non_atteint_echeance_depassee": "non atteint, échéance dépassée",
}


@dataclass
class Report:
    """What the report shows, built once and rendered twice (PDF and workbook)."""

    title: str
    subtitle: str
    as_of: pd.Timestamp
    synthetic: bool
    key_figures: list[KeyFigure]
    tables: list[PublishedTable] = field(default_factory=list)
    summary: dict[str, float] = field(default_factory=dict)


def figure_svg(fig: Figure) -> bytes:
    """A finished figure as SVG bytes, with the same deterministic settings as saved figures."""
    # the RDF metadata block means nothing inside a PDF (and fpdf2 warns about it): leave it out
    svg = re.sub(r"<metadata>.*?</metadata>", "", figure_bytes(fig, "svg").decode("utf-8"), flags=re.DOTALL)
    return explicit_defaults(inline_markers(solid_hatches(svg))).encode("utf-8")


_MARKER_DEF = re.compile(r'<path id="(m[0-9a-f]+)" d="([^"]*)"(?: style="([^"]*)")?\s*/>')
_MARKER_USE = re.compile(r'<use xlink:href="#(m[0-9a-f]+)" x="([^"]*)" y="([^"]*)"(?: style="([^"]*)")?\s*/>')


_PATTERN = re.compile(r'<pattern id="(h[0-9a-f]+)".*?<rect [^>]*fill="(#[0-9a-fA-F]{6})"', re.DOTALL)


def solid_hatches(svg: str) -> str:
    """Fill hatched areas with their background colour: fpdf2 ignores SVG patterns, which left the
    « no data » areas of the maps blank. The grey stays distinct from every colour of the scale."""
    for pattern_id, colour in _PATTERN.findall(svg):
        svg = svg.replace(f"fill: url(#{pattern_id})", f"fill: {colour}")
    return re.sub(r"<pattern .*?</pattern>", "", svg, flags=re.DOTALL)


_PATH_STYLE = re.compile(r'(<path [^>]*?style=")([^"]*)(")')


def explicit_defaults(svg: str) -> str:
    """Write out the SVG defaults matplotlib leaves implicit, which fpdf2 does not apply: a black fill
    (matplotlib omits `fill: #000000`) and a solid line (fpdf2 otherwise keeps the previous path's dashes)."""

    def complete(match: re.Match) -> str:
        style = match[2]
        if "fill:" not in style:
            style = "fill: #000000; " + style
        if "stroke-dasharray" not in style:
            style += "; stroke-dasharray: none"
        return match[1] + style + match[3]

    return _PATH_STYLE.sub(complete, svg)


def inline_markers(svg: str) -> str:
    """Replace matplotlib's marker `<use>` references by the paths themselves.

    fpdf2 draws a `<use>` without the fill its own style gives (the published figures' black diamonds
    came out white): a plain path with the combined style is drawn right.
    """
    markers = {match[1]: (match[2], match[3] or "") for match in _MARKER_DEF.finditer(svg)}

    def inline(match: re.Match) -> str:
        path, own_style = markers.get(match[1], (None, ""))
        if path is None:
            return match[0]
        style = "; ".join(part for part in (own_style, match[4] or "") if part)
        return f'<path d="{path}" transform="translate({match[2]} {match[3]})" style="{style}"/>'

    return _MARKER_USE.sub(inline, svg)


# --- Tables ---------------------------------------------------------------------------------------------


def _territory_columns(code_header: str, name_header: str, with_region: bool = False) -> list[Column]:
    columns = [Column("code", code_header, width=0.8), Column("nom", name_header, width=2.0)]
    if with_region:
        columns.append(Column("region_code", "Code région", width=0.7))
    return columns + [
        Column("signes", "Contrats signés", "count", width=1.0),
        Column("actifs", "Contrats actifs", "count", width=1.0),
        Column("etp_actifs", "ETP actifs", "decimal", base="actifs", width=1.0),
        Column("signes_pour_100k_hab", "Contrats pour 100 000 habitants", "decimal", base="signes", width=1.25),
        Column("actifs_pour_100k_hab", "Actifs pour 100 000 habitants", "decimal", base="actifs", width=1.25),
        Column(
            "actifs_mg_pour_100_mg_estimes", "Actifs MG pour 100 MG (estimation)", "decimal", base="actifs", width=1.25
        ),
        Column("croissance_actifs_12m", "Évolution des actifs sur 12 mois", "percent", base="actifs", width=1.25),
    ]


def _with_signed_rate(frame: pd.DataFrame) -> pd.DataFrame:
    rate = frame["signes"].astype("Float64") / frame["population"].astype("Float64") * 100_000
    return frame.assign(signes_pour_100k_hab=rate)


TERRITORY_NOTES = [
    "Populations : Insee, populations légales 2023 ; Mayotte n'y figure pas : ses taux restent non disponibles (n.d.).",
    "MG : médecins généralistes, nombre estimé (densité au 1er janvier 2025 × population), une estimation.",
]


def regions_table(regions: pd.DataFrame) -> PublishedTable:
    return published_table(
        "Régions",
        "Contrats par région",
        _with_signed_rate(regions),
        _territory_columns("Code région", "Région"),
        source=f"{SOURCE_CONTRACTS} ; Insee ; Drees",
        notes=TERRITORY_NOTES,
    )


def departements_table(departements: pd.DataFrame, title: str = "Contrats par département") -> PublishedTable:
    frame = _with_signed_rate(departements)
    return published_table(
        "Départements",
        title,
        frame,
        _territory_columns("Code département", "Département", with_region=True),
        source=f"{SOURCE_CONTRACTS} ; Insee ; Drees",
        notes=TERRITORY_NOTES,
        groups=frame["region_code"],
    )


def national_series_table(monthly: pd.DataFrame) -> PublishedTable:
    return published_table(
        "National",
        "Série mensuelle",
        monthly,
        [
            Column("date_arrete", "Fin de mois", "date"),
            Column("signes_mois", "Contrats signés dans le mois", "count"),
            Column("signes_cumul", "Contrats signés (cumul)", "count"),
            Column("actifs", "Contrats actifs", "count"),
            Column("etp_actifs", "ETP actifs", "decimal", base="actifs"),
        ],
        source=SOURCE_CONTRACTS,
    )


def targets_table(progress: pd.DataFrame, projections: pd.DataFrame) -> PublishedTable:
    frame = progress.merge(
        projections[["objectif", "date_projetee", "date_projetee_au_plus_tot", "date_projetee_au_plus_tard"]],
        on="objectif",
        how="left",
    )
    frame = frame.assign(
        statut_libelle=frame["statut"].map(STATUS_LABELS).fillna(frame["statut"]),
        objectif_libelle=frame["valeur_cible"].map(lambda v: format_number(v))
        + " "
        + frame["unite"].astype(str).replace({"etp": "ETP"})
        + " — "
        + frame["fixe_par"].map(lambda who: SET_BY_LABELS.get(who, who)),
    )
    return published_table(
        "Objectifs",
        "Progression vers les objectifs officiels",
        frame,
        [
            Column("objectif_libelle", "Objectif (fixé par)", width=3.0),
            Column("echeance", "Échéance", "date", width=1.7),
            Column("valeur_atteinte", "Atteint", "number", width=1.1),
            Column("part_atteinte", "Part", "percent", width=0.9),
            Column("statut_libelle", "Statut", width=1.9),
            Column("date_atteinte", "Atteint le", "date", width=1.7),
            Column("date_projetee", "Date projetée", "date", width=1.7),
        ],
        source="objectifs officiels (voir Sources) ; " + SOURCE_CONTRACTS,
        notes=[METHODS["projection"].text],
    )


INDICATOR_LABELS = {"contrats_signes": "contrats signés", "etp_assistants": "ETP"}


def cross_check_table(cross: pd.DataFrame) -> PublishedTable:
    frame = cross.assign(indicateur_libelle=cross["indicateur"].map(INDICATOR_LABELS).fillna(cross["indicateur"]))
    return published_table(
        "Comparaison publiée",
        "Les données face aux chiffres publiés",
        frame,
        [
            Column("date_reference", "Date", "date", width=1.7),
            Column("indicateur_libelle", "Indicateur", width=1.3),
            Column("valeur_publiee", "Chiffre publié", "number", width=1.1),
            Column("qualificatif_libelle", "Précision", width=1.1),
            Column("valeur_donnees", "Données", "number", width=1.1),
            Column("ecart_relatif", "Écart", "percent", width=0.9),
            Column("source", "Source du chiffre publié", width=3.0),
        ],
        source="chiffres publiés (Assurance Maladie, presse) ; " + SOURCE_CONTRACTS,
        notes=["Chiffres publiés : des chiffres réels, cités avec leur source ; « Données » : les données du rapport."],
    )


def backgrounds_table(shares: pd.DataFrame, scope_codes: list[str]) -> PublishedTable:
    frame = shares[shares["code"].isin(scope_codes)]
    return published_table(
        "Profils",
        "Profil d'origine des assistants",
        frame,
        [
            Column("nom", "Territoire", width=2.2),
            Column("libelle", "Profil d'origine", width=2.4),
            Column("effectif", "Contrats", "count"),
            Column("part", "Part", "percent", base="effectif"),
            Column("ic_bas", "IC 95 % bas", "percent", base="effectif"),
            Column("ic_haut", "IC 95 % haut", "percent", base="effectif"),
        ],
        source=SOURCE_CONTRACTS,
        notes=["Intervalles de confiance de Wilson à 95 %."],
        groups=frame["code"],
    )


def funding_table(funding: pd.DataFrame) -> PublishedTable:
    return published_table(
        "Financement",
        "Aide attendue par année civile",
        funding.assign(annee=funding["annee"].astype(int).astype(str)),
        [
            Column("annee", "Année"),
            Column("annees_contrat", "Années de contrat", "count"),
            Column("couverture", "Barème connu", "percent"),
            Column("montant_attendu_eur", "Aide attendue", "euros"),
            Column("etp_annees_financees", "ETP-années", "decimal"),
            Column("aide_par_etp_eur", "Aide par ETP", "euros"),
        ],
        source=SOURCE_CONTRACTS + " ; barèmes (avenant 7, convention 2024)",
        notes=[METHODS["financement"].text],
    )


def training_table(overdue: pd.DataFrame) -> PublishedTable:
    return published_table(
        "Formation",
        "Assistants sans certification après l'échéance, par région",
        overdue,
        [
            Column("nom", "Région", width=2.6),
            Column("actifs", "Contrats actifs", "count"),
            Column("echeance_depassee", "Échéance dépassée", "count"),
            Column("en_retard", "Sans certification", "count"),
            Column("part_en_retard", "Part", "percent", base="en_retard"),
        ],
        source=SOURCE_CONTRACTS,
        notes=[METHODS["formation"].text],
    )


def missions_table(missions: pd.DataFrame) -> PublishedTable:
    wide = missions.pivot_table(index="mission", columns="groupe", values="part", sort=False).reset_index()
    return published_table(
        "Enquête",
        "Missions confiées à l'assistant (part pondérée des répondants)",
        wide,
        [Column("mission", "Mission", width=2.5)]
        + [Column(group, label, "percent") for group, label in GROUP_LABELS.items() if group in wide.columns],
        source=charts.SOURCE_SURVEY,
        notes=[METHODS["enquete"].text],
    )


def quality_table(quality: pd.DataFrame) -> PublishedTable:
    return published_table(
        "Qualité",
        "Lignes lues, conservées et mises en quarantaine, par fichier",
        quality,
        [
            Column("fichier", "Fichier", width=3.6),
            Column("lignes_lues", "Lues", "count", disclosive=False),
            Column("lignes_conservees", "Conservées", "count", disclosive=False),
            Column("doublons_fusionnes", "Doublons fusionnés", "count", disclosive=False),
            Column("lignes_en_quarantaine", "En quarantaine", "count", disclosive=False),
        ],
        source="manifeste de préparation",
        notes=["Les lignes de fichiers ne sont pas des personnes : elles ne sont pas masquées."],
    )


def reasons_table(reasons: pd.DataFrame) -> PublishedTable:
    return published_table(
        "Quarantaine",
        "Motifs de mise en quarantaine",
        reasons,
        [
            Column("libelle", "Motif", width=3.0),
            Column("lignes", "Lignes", "count", disclosive=False),
            Column("fichiers", "Fichiers", width=3.0),
        ],
        source="manifeste de préparation",
    )


def published_figures_table() -> PublishedTable:
    figures = reference.published_figures()
    return published_table(
        "Chiffres publiés",
        "Chiffres publiés sur le dispositif (réels, avec leur source)",
        figures,
        [
            Column("reference_date", "Date", "date"),
            Column("indicator", "Indicateur", width=2.4),
            Column("value", "Valeur", "number"),
            Column("qualifier", "Précision"),
            Column("source", "Source", width=3.0),
        ],
        source="Assurance Maladie (Cnam), ameli.fr, presse médicale ; voir chaque ligne",
    )


def inputs_table(manifest: dict) -> PublishedTable:
    files = pd.DataFrame(
        [{"fichier": name, "sha256": digest} for name, digest in sorted(manifest.get("inputs", {}).items())]
    )
    return published_table(
        "Fichiers d'entrée",
        "Fichiers d'entrée et leurs empreintes SHA-256",
        files,
        [Column("fichier", "Fichier", width=2.2), Column("sha256", "SHA-256", width=4.2)],
        source="manifeste de préparation",
    )


def reference_table() -> PublishedTable:
    table = reference.provenance_table()
    return published_table(
        "Références",
        "Tables de référence : producteur, millésime, licence",
        table,
        [
            Column("title", "Table", width=2.4),
            Column("producer", "Producteur", width=2.0),
            Column("vintage", "Millésime", width=1.6),
            Column("licence", "Licence", width=1.8),
        ],
        source="am_analytics/reference/provenance.toml",
    )


# --- The report -----------------------------------------------------------------------------------------


@dataclass
class Scope:
    """France, or one region: which contracts, which codes, which words."""

    region: str | None

    @property
    def label(self) -> str:
        return "France entière" if self.region is None else region_name(self.region)

    def contracts(self, contracts: pd.DataFrame) -> pd.DataFrame:
        return contracts if self.region is None else contracts[contracts["region"] == self.region]


# National indicators and charts are the same in every regional report of one dataset and date: building the
# 18 regional reports in one process (tests, batch runs) computes them once. Keyed by the input checksums, so
# other data never meets a stale entry; only the latest dataset is kept.
_SHARED: dict[tuple, object] = {}


def _shared(data: Processed, day, name: str, compute):
    dataset = (tuple(sorted(data.manifest.get("inputs", {}).items())), day, data.synthetic)
    if any(key[0] != dataset for key in _SHARED):
        _SHARED.clear()
    key = (dataset, name)
    if key not in _SHARED:
        _SHARED[key] = compute()
    return _SHARED[key]


def build(data: Processed, *, as_of: pd.Timestamp, region: str | None = None) -> tuple[bytes, bytes, dict]:
    """The PDF and the workbook (bytes) and the key figures, for France or one region, as of a date."""
    if data.contracts is None:
        raise ValueError("no contracts table")
    synthetic = data.synthetic
    scope = Scope(region)
    everything = data.contracts
    contracts = scope.contracts(everything)
    day = as_of.date()
    kw = {"as_of": day, "synthetic": synthetic}

    def national(name: str, compute):
        return _shared(data, day, name, compute)

    national_monthly = national("monthly", lambda: ind.monthly_series(everything, **kw))
    monthly = ind.monthly_series(contracts, **kw) if region else national_monthly
    progress = national("progress", lambda: ind.target_progress(everything, **kw))
    projections = national("projections", lambda: ind.target_projections(everything, **kw))
    cross = national("cross", lambda: ind.published_cross_check(everything, **kw))
    regions = national("regions", lambda: ind.by_region(everything, **kw))
    departements = national("departements", lambda: ind.by_departement(everything, **kw))
    nation = national("nation", lambda: ind.national_totals(everything, **kw))

    created = datetime.combine(day, datetime.min.time())
    title = "Les assistants médicaux"
    subtitle = f"{scope.label} — données au {format_date(day)}"
    document = ReportDocument(title=title, subtitle=subtitle, synthetic=synthetic, creation_date=created)

    scope_row = nation.iloc[0] if region is None else regions.set_index("code").loc[region]
    key = _key_figures(scope_row, nation.iloc[0], progress, projections, region)
    context = [
        f"Ce rapport suit le déploiement des assistants médicaux financés par l'Assurance Maladie : contrats signés "
        f"entre chaque médecin et sa CPAM ({scope.label}), au {format_date(day)}.",
        "Les chiffres publiés cités (objectifs, bilans de l'Assurance Maladie) sont réels et sourcés ; "
        "la méthode et les sources sont en fin de rapport.",
    ]
    document.cover(key, context)
    document.table_of_contents()

    tables: list[PublishedTable] = []

    def add_table(table: PublishedTable, *, in_pdf: bool = True) -> None:
        tables.append(table)
        if in_pdf:
            document.section(table.title, level=1)
            document.table(
                [c.header for c in table.columns],
                table.formatted_rows(),
                right_aligned=table.right_aligned(),
                widths=table.widths(),
            )
            for note in table.notes:
                document.note(note)
            document.note(f"Source : {table.source}.")

    def add_figure(fig: Figure) -> None:
        document.figure(figure_svg(fig))

    def add_national_figure(name: str, draw) -> None:
        """A chart that does not depend on the report's region: drawn once per dataset and date."""
        document.figure(national(f"svg:{name}", lambda: figure_svg(draw())))

    # 1. Rollout
    document.section("Déploiement" if region else "Déploiement national", new_page=True)
    if region is None:
        add_figure(charts.rollout_chart(monthly, progress, projections, cross))
        add_figure(charts.fte_chart(monthly, progress, cross))
        add_table(targets_table(progress, projections))
        add_table(cross_check_table(cross))
    else:
        add_figure(
            charts.rollout_chart(
                monthly, progress.iloc[0:0], None, None, title=f"Déploiement des assistants médicaux — {scope.label}"
            )
        )
        document.note("Les objectifs officiels sont nationaux : ils figurent dans le rapport France entière.")
    tables.append(national_series_table(monthly))

    # 2. Territories
    document.section("Territoires", new_page=True)
    rates = regions.set_index("code")["actifs_pour_100k_hab"]
    add_national_figure(
        "region_map",
        lambda: region_map(
            rates,
            title="Contrats actifs pour 100 000 habitants, par région",
            legend_title="Contrats actifs\npour 100 000 hab.",
            source=SOURCE_CONTRACTS + " ; Insee",
            as_of=day,
            synthetic=synthetic,
            decimals=1,
            note="Mayotte : population non disponible (absente des populations légales de l'Insee).",
        ),
    )
    add_figure(charts.regions_ranked_chart(regions, national=nation, highlight=region))
    add_table(regions_table(regions))
    scope_departements = departements if region is None else departements[departements["region_code"] == region]
    if region is None:
        dep_rates = departements.set_index("code")["actifs_pour_100k_hab"]
        add_figure(
            departement_map(
                dep_rates,
                title="Contrats actifs pour 100 000 habitants, par département",
                legend_title="Contrats actifs\npour 100 000 hab.",
                source=SOURCE_CONTRACTS + " ; Insee",
                as_of=day,
                synthetic=synthetic,
                decimals=1,
            )
        )
    add_table(departements_table(scope_departements, f"Contrats par département — {scope.label}"))

    # 3. Backgrounds
    document.section("Profils d'origine des assistants", new_page=True)
    shares = national("shares", lambda: ind.background_shares_by_region(everything, **kw))
    add_national_figure("backgrounds", lambda: charts.background_by_region_chart(shares))
    add_figure(
        charts.mix_by_period_chart(
            ind.background_mix_by_year(contracts, **kw),
            title=f"Profil d'origine par année de signature — {scope.label}",
            what="profil d'origine",
        )
    )
    independence = national("independence", lambda: ind.region_background_independence(everything, **kw)).iloc[0]
    document.paragraph(
        f"Test d'indépendance région × profil (khi-deux) : p = {format_number(independence['p_valeur'], 3)}, "
        f"V de Cramér = {format_number(independence['v_de_cramer'], 3)}."
        + (f" {independence['note']}" if independence["note"] else "")
    )
    add_table(backgrounds_table(shares, [region] if region else ["FR"]))

    # 4. Specialty, zone, FTE option
    document.section("Spécialité, zone et temps de travail", new_page=True)
    for mix, heading, what in (
        (ind.specialty_mix, "Spécialité des médecins par année de signature", "spécialité"),
        (ind.zone_mix, "Zonage par année de signature", "zone"),
        (ind.etp_option_mix, "Option de temps de travail par année de signature", "option de temps de travail"),
    ):
        add_figure(
            charts.mix_by_period_chart(
                mix(contracts, period="annee", **kw), title=f"{heading} — {scope.label}", what=what
            )
        )

    # 5. Funding
    document.section("Financement", new_page=True)
    funding = ind.expected_aid_by_year(contracts, **kw)
    add_figure(charts.funding_chart(funding))
    add_table(funding_table(funding))

    # 6. Training
    document.section("Formation et certification", new_page=True)
    overdue = national("overdue", lambda: ind.overdue_by_region(everything, **kw))
    add_national_figure("training", lambda: charts.training_overdue_chart(overdue))
    add_table(training_table(overdue if region is None else overdue[overdue["code"] == region]))

    # 7. Survey
    document.section("Enquête de satisfaction", new_page=True)
    if data.survey is not None and not data.survey.empty:
        survey_synthetic = synthetic
        distribution = satisfaction_distribution(data.survey, synthetic=survey_synthetic)
        add_national_figure(
            "likert", lambda: charts.likert_chart(distribution, as_of=SURVEY_FIELDWORK, labels=GROUP_LABELS)
        )
        add_table(missions_table(missions_delegated(data.survey, synthetic=survey_synthetic)))
        if region is not None:
            document.note("Résultats nationaux : l'échantillon d'une région est trop petit pour être publié.")
    else:
        document.paragraph("Aucune donnée d'enquête dans les fichiers reçus.")

    # 8. Data quality
    document.section("Qualité des données", new_page=True)
    quality = ind.file_quality(data.manifest)
    add_national_figure("quality", lambda: charts.quality_chart(quality, as_of=day))
    add_table(quality_table(quality))
    add_table(reasons_table(ind.quarantine_reasons(data.manifest)))

    # 9. Sources and method
    document.section("Sources et méthode", new_page=True)
    for method in METHODS.values():
        document.section(method.title, level=1)
        document.paragraph(method.text, size=8.5)
    add_table(published_figures_table())
    add_table(reference_table())
    add_table(inputs_table(data.manifest))
    document.paragraph(f"Rapport produit par am_analytics {__version__} (pandas, matplotlib, fpdf2).", size=8)

    pdf = document.to_bytes()
    sources = _sources_lines(data, day, synthetic)
    workbook = build_workbook(tables, sources, created)
    summary = {
        "contrats_signes": float(scope_row["signes"]),
        "contrats_actifs": float(scope_row["actifs"]),
        "etp_actifs": float(scope_row["etp_actifs"]),
    }
    return pdf, workbook, summary


def _key_figures(
    row: pd.Series, nation: pd.Series, progress: pd.DataFrame, projections: pd.DataFrame, region: str | None
) -> list[KeyFigure]:
    figures = [
        KeyFigure("Contrats signés (cumul)", format_number(row["signes"]), "depuis septembre 2019"),
        KeyFigure("Contrats actifs", format_number(row["actifs"]), "signés et non terminés"),
        KeyFigure("ETP actifs", format_number(row["etp_actifs"], 1), "équivalents temps plein financés"),
        KeyFigure(
            "Contrats actifs pour 100 000 habitants",
            format_number(row["actifs_pour_100k_hab"], 1),
            "France entière : " + format_number(nation["actifs_pour_100k_hab"], 1),
        ),
    ]
    if region is not None:
        figures.append(
            KeyFigure(
                "Part des contrats signés en France",
                format_percent(row["part_nationale_signes"], 1),
                "de l'ensemble des contrats",
            )
        )
        return figures
    for _, target in progress.iterrows():
        unit = "ETP" if target["unite"] == "etp" else "contrats"
        note = f"échéance {format_date(target['echeance'])} ; {STATUS_LABELS.get(target['statut'], target['statut'])}"
        figures.append(
            KeyFigure(
                f"Objectif {format_number(target['valeur_cible'])} {unit} "
                f"({SET_BY_LABELS.get(target['fixe_par'], target['fixe_par'])})",
                format_percent(target["part_atteinte"], 1),
                note,
            )
        )
    pending = projections[projections["date_projetee"].notna()].sort_values("valeur_cible")
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


def _sources_lines(data: Processed, day, synthetic: bool) -> list[tuple[str, str]]:
    lines = [
        ("Date d'arrêté", format_date(day)),
        (
            "Données",
            "Données de démonstration synthétiques — ne pas utiliser comme données réelles"
            if synthetic
            else "Extractions réelles des contrats",
        ),
        ("Logiciel", f"am_analytics {__version__}"),
    ]
    for name, digest in sorted(data.manifest.get("inputs", {}).items()):
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
