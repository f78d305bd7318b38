"""The report from the yearly open data alone: a folder holding the Assurance Maladie's open data by territory and
no contract extract gives a short PDF (and its workbook) at yearly resolution, for France or one region.

Only the producer's own numbers are printed (`indicators.opendata`): an NS count prints « NS », no increase is
computed beside an NS year, a region is its own row. What needs the extracts (months, backgrounds, certification,
funding, targets' projections) is named in the methods, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from am_analytics import __version__, atomic, paths
from am_analytics.errors import DataError, Location, UsageError
from am_analytics.figures.contract import finish_figure
from am_analytics.figures.formatting import format_number
from am_analytics.figures.style import new_figure, styled
from am_analytics.geography import region_name
from am_analytics.indicators import opendata as od
from am_analytics.indicators.common import IndicatorArgumentError
from am_analytics.indicators.followup import OPEN_DATA_COLUMNS
from am_analytics.loading import Processed
from am_analytics.presentation.keyfigures import KeyFigure
from am_analytics.presentation.tables import Column, PublishedTable, TableSpec
from am_analytics.report.build import REPORT_TITLE, _Layout
from am_analytics.report.document import ReportDocument
from am_analytics.report.workbook import build_workbook
from am_analytics.vocabulary import NATIONAL_LABEL, SYNTHETIC_MENTION

SUBTITLE = "d'après les données ouvertes annuelles de l'Assurance Maladie"
# short lines on the cover, never justified across the page (the running header then shows the scope)
TITLE = f"{REPORT_TITLE}\nd'après les données ouvertes\nannuelles de l'Assurance Maladie"
NS = "NS"
NOT_COMPUTED = "non calculée"
BAR = "#0072B2"
MUTED = "#666666"
WHAT_NEEDS_EXTRACTS = (
    "Sans extraction de contrats, ce rapport ne peut pas montrer : les séries mensuelles (signatures par mois, "
    "contrats actifs, ETP), les profils d'origine des assistants, la certification, le financement, ni la date "
    "projetée des objectifs. Il suffit de déposer les extractions dans le même dossier pour obtenir le rapport "
    "complet.")


def alone(data: Processed) -> bool:
    """True when the prepared folder holds the yearly open data and no contract: the report and the site then work
    from the open data alone."""
    no_contract = data.contracts is None or data.contracts.empty
    return no_contract and data.territory_year is not None and not data.territory_year.empty


# --- tables ------------------------------------------------------------------------------------------------------

def _count(key: str, header: str) -> Column:
    return Column(key, header, "count", missing=NS)


INCREASE = Column("hausse", "Hausse sur l'année", "count", missing=NOT_COMPUTED)
# the producer's rate is missing where it wrote NS, and also where it wrote nothing (Mayotte, whose general
# practitioners are not counted): one symbol for both, said in the note, rather than « NS » for a blank cell
RATE = Column("taux_recours_pct", "Part des généralistes éligibles ayant recours (%)", "decimal", decimals=1)
_RATE_NOTE = ("Part des généralistes éligibles ayant recours : colonne du producteur ; n.d. : non diffusée (NS) ou "
              "non renseignée (Mayotte).")
_NOTES = (od.NS_NOTE + ".", f"« {NOT_COMPUTED} » : première année de la série, ou une des deux années est NS.",
          _RATE_NOTE)


def _spec(name: str, title: str, columns: tuple[Column, ...], notes: tuple[str, ...] = _NOTES) -> TableSpec:
    return TableSpec(name=name, title=title, columns=columns, source=od.SOURCE, notes=notes)


YEARS = _spec("Par année", "Contrats signés au 31 décembre, par année", (
    Column("annee", "Année", "text"), _count("contrats", "Contrats signés au 31 décembre"), INCREASE, RATE))
REGIONS = _spec("Régions", "Les régions", (
    Column("rang", "Rang", "count", missing="n.d."), Column("nom", "Région", "text", width=2.5),
    _count("contrats", "Contrats signés au 31 décembre"),
    Column("contrats_pour_100k_hab", "Contrats pour 100 000 hab.", "decimal", decimals=1, missing="n.d."), RATE),
    notes=(od.NS_NOTE + ".", "Pour 100 000 habitants : population légale Insee 2023 ; celle de Mayotte n'est pas "
           "publiée (n.d.). Rang sur le nombre pour 100 000 habitants (1 = le plus élevé).", _RATE_NOTE))
DEPARTEMENTS = _spec("Départements", "Départements, par année", (
    Column("nom", "Département", "text", width=2.0), Column("annee", "Année", "text"),
    _count("contrats", "Contrats signés au 31 décembre"), INCREASE, RATE))


def _published(spec: TableSpec, frame: pd.DataFrame, title: str, synthetic: bool) -> PublishedTable:
    frame = frame.assign(annee=frame["annee"].astype(str)) if "annee" in frame else frame
    return spec.publish(frame, synthetic=synthetic, title=title)


def departements_by_year_table(departements: pd.DataFrame, label: str, synthetic: bool) -> PublishedTable:
    """A region's départements, one line each, one column a year (contracts at 31 December, NS kept)."""
    wide = departements.pivot(index=["code", "nom"], columns="annee", values="contrats").reset_index()
    years = [int(year) for year in wide.columns[2:]]
    wide.columns = ["code", "nom", *[f"a{year}" for year in years]]
    wide.attrs = dict(departements.attrs)
    spec = _spec("Départements par année", "", (Column("nom", "Département", "text"),
                                                 *(_count(f"a{year}", str(year)) for year in years)),
                 notes=(od.NS_NOTE + ".", "Contrats signés au 31 décembre de chaque année."))
    return spec.publish(wide, synthetic=synthetic,
                        title=f"Contrats signés au 31 décembre, départements de la région {label}")


# --- charts ------------------------------------------------------------------------------------------------------

def _source(synthetic: bool) -> str:
    return od.SOURCE + (f" — {SYNTHETIC_MENTION.lower()}" if synthetic else "")


@styled
def yearly_chart(series: pd.DataFrame, title: str, synthetic: bool):
    """Contracts signed at 31 December, one bar per year; an NS year has no bar and says « NS »."""
    fig, ax = new_figure("full", height_cm=7)
    years = series["annee"].astype(int).to_numpy()
    values = series["contrats"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    ax.bar(years, np.nan_to_num(values), color=BAR, width=0.6)
    for year, value in zip(years, values, strict=True):
        label = NS if np.isnan(value) else format_number(value)
        ax.annotate(label, (year, 0 if np.isnan(value) else value), xytext=(0, 2), textcoords="offset points",
                    ha="center", va="bottom", color=MUTED if np.isnan(value) else "#333333")
    ax.set_xticks(years, [str(year) for year in years])
    ax.set_ylim(0, max(np.nanmax(values, initial=0.0) * 1.15, 5.0))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: a tick at 2,5 would print as « 3 »
    ax.yaxis.set_major_formatter(lambda value, _: format_number(value))
    return finish_figure(fig, title=title, source=_source(synthetic), as_of=f"{years.max()}-12-31",
                         synthetic=synthetic, ylabel="Contrats signés (nombre)", xlabel="Année (au 31 décembre)",
                         note="NS : valeur non diffusée par le producteur (pas de barre)." if np.isnan(values).any()
                         else None)


@styled
def regions_chart(regions: pd.DataFrame, year: int, synthetic: bool, highlight: str | None = None):
    """Contracts per 100 000 inhabitants by region for one year, highest first; a missing rate says why."""
    fig, ax = new_figure("full", height_cm=11)
    rows = regions.iloc[::-1]
    rates = rows["contrats_pour_100k_hab"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    positions = np.arange(len(rows))
    colours = ["#E69F00" if highlight is not None and code == highlight else BAR for code in rows["code"]]
    ax.barh(positions, np.nan_to_num(rates), color=colours, height=0.7)
    for position, rate, ns in zip(positions, rates, rows["contrats_ns"], strict=True):
        label = (NS if ns else "n.d.") if np.isnan(rate) else format_number(rate, 1)
        ax.annotate(label, (0 if np.isnan(rate) else rate, position), xytext=(2, 0), textcoords="offset points",
                    va="center", color=MUTED if np.isnan(rate) else "#333333")
    ax.set_yticks(positions, list(rows["nom"]))
    ax.set_xlim(0, max(np.nanmax(rates, initial=0.0) * 1.12, 1.0))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    return finish_figure(fig, title=f"Contrats signés pour 100 000 habitants, par région, au 31 décembre {year}",
                         source=_source(synthetic) + " ; Insee, population légale 2023", as_of=f"{year}-12-31",
                         synthetic=synthetic, xlabel="Contrats pour 100 000 habitants", ylabel="Région",
                         note="n.d. : population non publiée (Mayotte) ; NS : nombre non diffusé.")


def series_values(series: pd.DataFrame) -> str:
    return " ; ".join(f"{year} : {NS if pd.isna(value) else format_number(value)}"
                      for year, value in zip(series["annee"], series["contrats"], strict=True))


# --- the report --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenDataReport:
    pdf: bytes
    workbook: bytes
    stem: str
    year: int


def _increase_text(value: object) -> str:
    return NOT_COMPUTED if pd.isna(value) else ("+" if value > 0 else "") + format_number(value)


def cover_figures(series: pd.DataFrame, regions: pd.DataFrame, label: str, rank: str | None) -> list[KeyFigure]:
    last = series.iloc[-1]
    year = int(last["annee"])
    published = int((~regions["contrats_ns"]).sum())
    figures = [
        KeyFigure(f"Contrats signés au 31 décembre {year}, {label}",
                  NS if pd.isna(last["contrats"]) else format_number(last["contrats"]), "depuis septembre 2019"),
        KeyFigure(f"Hausse sur l'année {year}", _increase_text(last["hausse"]),
                  f"contrats signés en {year} (fin {year} moins fin {year - 1})"),
    ]
    if rank is not None:
        figures.append(KeyFigure("Rang pour 100 000 habitants", rank, f"parmi les régions, en {year}"))
    else:
        figures.append(KeyFigure(f"Régions publiées en {year}", f"{published} sur {len(regions)}",
                                 "aucune région NS" if published == len(regions)
                                 else "les autres sont NS (non diffusées)"))
    return figures


def _methods(layout: _Layout, synthetic: bool, files: list[str]) -> None:
    columns = "; ".join(f"« {name} »" for name in OPEN_DATA_COLUMNS)
    layout.section("Sources et méthode", new_page=False)
    layout.paragraph(f"Le fichier lu ({', '.join(files)}) est le jeu de données ouvertes annuelles par territoire de "
                     "l'Assurance Maladie : pour chaque année, le nombre de contrats d'assistant médical signés au "
                     "31 décembre, pour la France, chaque région et chaque département.")
    layout.paragraph(f"Colonnes lues, sous les noms du producteur : {columns}. Une ligne de région porte le code "
                     "département 999 ; la ligne « France » n'a pas de code région.")
    layout.paragraph("NS : le producteur ne diffuse pas certaines valeurs (non significatives). Elles restent "
                     "manquantes, jamais 0 ; aucun chiffre publié ici ne permet de les retrouver : la hausse d'une "
                     "année n'est calculée que si les deux années sont publiées, et une région est lue sur sa propre "
                     "ligne, jamais comme la somme de ses départements.")
    layout.paragraph("Pour 100 000 habitants : population légale Insee 2023 (celle de Mayotte n'est pas publiée, "
                     "son taux reste non disponible).")
    layout.paragraph(WHAT_NEEDS_EXTRACTS)
    if synthetic:
        layout.paragraph(f"{SYNTHETIC_MENTION} : le fichier de données ouvertes de ce dossier est celui de la "
                         "démonstration, généré par le logiciel ; ses chiffres ne sont pas des chiffres réels.")


def _year_in(territory_year: pd.DataFrame, as_of: object) -> int | None:
    """The latest year whose 31 December is on or before `as_of` (None: the latest year of the file)."""
    if as_of is None:
        return None
    years = sorted(int(y) for y in territory_year.loc[territory_year["niveau"] == "france", "annee"])
    eligible = [y for y in years if pd.Timestamp(f"{y}-12-31") <= pd.Timestamp(as_of)]
    if not eligible:
        raise UsageError(f"--as-of : les données ouvertes commencent au 31 décembre {years[0]}")
    return eligible[-1]


def checked(data: Processed) -> pd.DataFrame:
    """The folder's open data, or invalid data (exit 3) with the French message of `check_open_data` and the file."""
    try:
        return od.check_open_data(data.territory_year)
    except IndicatorArgumentError as error:
        frame = data.territory_year if data.territory_year is not None else pd.DataFrame()
        files = ", ".join(sorted(set(frame.get("source_file", pd.Series(dtype="string")).dropna().astype(str))))
        raise DataError(str(error), where=Location(file=files or None),
                        hint="vérifier l'export de données ouvertes de l'Assurance Maladie (complet ?)") from None


def build_open_data_report(data: Processed, region: str | None = None, as_of: object = None) -> OpenDataReport:
    """The PDF and workbook from the open data alone, for France or `region` (a code)."""
    territory_year = checked(data)
    synthetic = bool(data.synthetic)
    year = _year_in(territory_year, as_of) or od.latest_year(territory_year)
    territory_year = territory_year[territory_year["annee"] <= year]
    regions = od.regions_in_year(territory_year, year)
    label = NATIONAL_LABEL if region is None else region_name(region)
    created = datetime(year, 12, 31)
    document = ReportDocument(title=TITLE, subtitle=f"{label} — au 31 décembre {year}",
                              synthetic=synthetic, creation_date=created)
    layout = _Layout(document)
    if region is None:
        series = od.france_by_year(territory_year)
        document.cover(cover_figures(series, regions, "France", None))
    else:
        series = od.region_by_year(territory_year, region)
        if series.empty:
            raise UsageError(f"--region : aucune ligne pour la région {label} ({region}) dans les données ouvertes")
        row = regions[regions["code"] == region]
        rank = row["rang"].iloc[0] if len(row) else pd.NA
        rank_text = "n.d." if pd.isna(rank) else f"{int(rank)}e sur {int(regions['rang'].notna().sum())}"
        document.cover(cover_figures(series, regions, label, rank_text))
    layout.paragraph(f"Ce rapport est établi d'après les données ouvertes annuelles de l'Assurance Maladie seules : "
                     f"le dossier ne contient aucune extraction de contrats. Résolution annuelle (au 31 décembre), "
                     f"de {int(series['annee'].min())} à {year}.")
    layout.section(f"{label} : contrats signés, année par année")
    fig = yearly_chart(series, f"Contrats d'assistant médical signés au 31 décembre — {label}", synthetic)
    layout.figure(fig, series_values(series))
    layout.table(_published(YEARS, series, f"Contrats signés au 31 décembre, par année — {label}", synthetic))
    layout.section(f"Les régions au 31 décembre {year}", new_page=True)
    fig = regions_chart(regions, year, synthetic, highlight=region)
    layout.figure(fig, "; ".join(f"{name} : {format_number(rate, 1)}" for name, rate in
                                 zip(regions["nom"], regions["contrats_pour_100k_hab"], strict=True)))
    layout.table(_published(REGIONS, regions, f"Contrats signés par région au 31 décembre {year}", synthetic),
                 emphasised=tuple(np.flatnonzero(regions["code"].eq(region).fillna(False).to_numpy(dtype=bool))))
    if region is not None:
        departements = od.departements_by_year(territory_year, region)
        layout.section(f"{label} : ses départements, année par année", new_page=True)
        layout.table(departements_by_year_table(departements, label, synthetic))
        # the long form (with each year's increase and rate) is for the workbook: in the PDF, one line a département
        layout.table(_published(DEPARTEMENTS, departements, f"Départements de la région {label}, par année",
                                synthetic), in_pdf=False)
    _methods(layout, synthetic, sorted(set(territory_year["source_file"].dropna().astype(str))))
    sources = [("Données", od.SOURCE), ("Logiciel", f"am_analytics {__version__}")]
    if synthetic:
        sources.insert(0, ("Attention", f"{SYNTHETIC_MENTION} — ne pas utiliser comme données réelles"))
    workbook, _ = build_workbook(layout.tables, sources, created, title=f"{REPORT_TITLE} {SUBTITLE} — {label}",
                                 synthetic=synthetic, scope_label=label)
    stem = "france" if region is None else f"region_{region}"
    return OpenDataReport(layout.to_bytes(), workbook, stem, year)


def write_report(data: Processed, *, region: str | None, as_of: object, output: Path | None,
                 xlsx: Path | None) -> int:
    """The command line's open-data path: write the PDF and the workbook, say where, exit 0."""
    report = build_open_data_report(data, region, as_of)
    output = output or (paths.reports_dir()
                        / f"rapport_assistants_medicaux_donnees_ouvertes_{report.stem}_{report.year}.pdf")
    workbook = xlsx or output.with_suffix(".xlsx")
    atomic.write_bytes(output, report.pdf)
    atomic.write_bytes(workbook, report.workbook)
    print("Données ouvertes seules (aucune extraction de contrats) : rapport annuel d'après les données ouvertes "
          "de l'Assurance Maladie.")
    print(f"Rapport PDF : {output}")
    print(f"Classeur Excel : {workbook}")
    if data.synthetic:
        print(f"{SYNTHETIC_MENTION} : ne pas diffuser comme des chiffres réels.")
    return 0


def open_data_alone(data_dir: object, region: object = None, *,
                    processed_dir: object = None) -> tuple[Processed, str | None] | None:
    """The prepared data and the region's code when the folder holds the open data and no contract; None otherwise
    (the full report then opens the folder as usual: `load` is cached by the manifest, a second call reads the
    prepared tables only)."""
    from am_analytics.loading import load
    from am_analytics.parameters import resolve_region
    from am_analytics.presentation.scope import resolve_folders

    try:
        raw, processed = resolve_folders(data_dir, processed_dir)
        code = resolve_region(region)
    except UsageError as error:
        raise UsageError(f"{'--data-dir' if 'dossier' in str(error) else '--region'} : {error}") from None
    data = load(raw, processed)
    return (data, code) if alone(data) else None
