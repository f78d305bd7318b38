"""The report from the yearly open data alone: a folder holding the Assurance Maladie's open data by territory and
no contract extract gives a short PDF (and its workbook) at yearly resolution, for France or one region.

A layout: it draws and lays out the published edition of `presentation.opendata` (an NS count prints « NS », no
increase beside an NS year, a region is its own row). What needs the extracts (months, backgrounds, certification,
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
from am_analytics.figures.contract import finish_figure
from am_analytics.figures.formatting import format_number
from am_analytics.figures.style import new_figure, styled
from am_analytics.loading import Processed
from am_analytics.presentation.opendata import (
    NS,
    PER_100K,
    PRODUCER_COLUMNS,
    SOURCE,
    WHAT_NEEDS_EXTRACTS,
    OpenDataEdition,
    regions_values,
    series_values,
)
from am_analytics.report.build import REPORT_TITLE, _Layout
from am_analytics.report.document import ReportDocument
from am_analytics.report.workbook import build_workbook
from am_analytics.vocabulary import SYNTHETIC_MENTION

SUBTITLE = "d'après les données ouvertes annuelles de l'Assurance Maladie"
# short lines on the cover, never justified across the page (the running header then shows the scope)
TITLE = f"{REPORT_TITLE}\nd'après les données ouvertes\nannuelles de l'Assurance Maladie"
BAR = "#0072B2"
MUTED = "#666666"


# --- charts ------------------------------------------------------------------------------------------------------

def _source(synthetic: bool) -> str:
    return SOURCE + (f" — {SYNTHETIC_MENTION.lower()}" if synthetic else "")


@styled
def yearly_chart(series: pd.DataFrame, title: str, synthetic: bool):
    """Contracts signed at 31 December, one bar per year; an NS year has no bar and says « NS »."""
    fig, ax = new_figure("full", height_cm=7)
    years = series["annee"].astype(int).to_numpy()  # the published series writes its years as text
    values = series["contrats"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    ax.bar(years, np.nan_to_num(values), color=BAR, width=0.6)
    for year, value in zip(years, values, strict=True):
        label = NS if np.isnan(value) else format_number(value)
        ax.annotate(label, (year, 0 if np.isnan(value) else value), xytext=(0, 2), textcoords="offset points",
                    ha="center", va="bottom", color=MUTED if np.isnan(value) else "#333333")
    ax.set_xticks(years, [str(year) for year in years])
    ax.set_ylim(0, max(np.nanmax(values, initial=0.0) * 1.15, 5.0))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))  # counts: a tick at 2,5 would print « 3 »
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
    rates = rows["signes_pour_100k_hab"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
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
    return finish_figure(fig, title=f"{PER_100K.label}, par région, au 31 décembre {year}",
                         source=_source(synthetic) + " ; Insee, population légale 2023", as_of=f"{year}-12-31",
                         synthetic=synthetic, xlabel=PER_100K.label, ylabel="Région",
                         note="n.d. : population non publiée (Mayotte) ; NS : nombre non diffusé.")


# --- the report --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenDataReport:
    pdf: bytes
    workbook: bytes
    stem: str
    year: int


def _methods(layout: _Layout, edition: OpenDataEdition) -> None:
    columns = "; ".join(f"« {name} »" for name in PRODUCER_COLUMNS)
    layout.section("Sources et méthode", new_page=False)
    layout.paragraph(f"Le fichier lu ({', '.join(edition.files)}) est le jeu de données ouvertes annuelles par "
                     "territoire de l'Assurance Maladie : pour chaque année, le nombre de contrats d'assistant médical "
                     "signés au 31 décembre, pour la France, chaque région et chaque département.")
    layout.paragraph(f"Colonnes lues, sous les noms du producteur : {columns}. Une ligne de région porte le code "
                     "département 999 ; la ligne « France » n'a pas de code région.")
    layout.paragraph("NS : le producteur ne diffuse pas certaines valeurs (non significatives). Elles restent "
                     "manquantes, jamais 0 ; aucun chiffre publié ici ne permet de les retrouver : la hausse d'une "
                     "année n'est calculée que si les deux années sont publiées, et une région est lue sur sa propre "
                     "ligne, jamais comme la somme de ses départements.")
    layout.paragraph(f"{PER_100K.label} : population légale Insee 2023 (celle de Mayotte n'est pas publiée, "
                     "son taux reste non disponible).")
    layout.paragraph(WHAT_NEEDS_EXTRACTS)
    if edition.synthetic:
        layout.paragraph(f"{SYNTHETIC_MENTION} : le fichier de données ouvertes de ce dossier est celui de la "
                         "démonstration, généré par le logiciel ; ses chiffres ne sont pas des chiffres réels.")


def build_open_data_report(data: Processed, region: str | None = None, as_of: object = None) -> OpenDataReport:
    """The PDF and workbook from the open data alone, for France or `region` (a code)."""
    edition = OpenDataEdition.of(data, region, as_of)
    label, year, synthetic = edition.label, edition.year, edition.synthetic
    created = datetime(year, 12, 31)
    document = ReportDocument(title=TITLE, subtitle=f"{label} — au 31 décembre {year}",
                              synthetic=synthetic, creation_date=created)
    document.set_title(f"{REPORT_TITLE} {SUBTITLE}")  # the document's properties: one line, not the cover's three
    layout = _Layout(document)
    document.cover(edition.key_figures)
    layout.paragraph(f"Ce rapport est établi d'après les données ouvertes annuelles de l'Assurance Maladie seules : "
                     f"le dossier ne contient aucune extraction de contrats. Résolution annuelle (au 31 décembre), "
                     f"de {edition.first_year} à {year}.")
    layout.section(f"{label} : contrats signés, année par année")
    series = edition.series.frame
    layout.figure(yearly_chart(series, f"Contrats d'assistant médical signés au 31 décembre — {label}", synthetic),
                  series_values(series))
    layout.table(edition.series)
    layout.section(f"Les régions au 31 décembre {year}", new_page=True)
    regions = edition.regions.frame
    layout.figure(regions_chart(regions, year, synthetic, highlight=region), regions_values(regions))
    layout.table(edition.regions,
                 emphasised=tuple(np.flatnonzero(regions["code"].eq(region).fillna(False).to_numpy(dtype=bool))))
    if edition.departements is not None:
        layout.section(f"{label} : ses départements, année par année", new_page=True)
        layout.table(edition.departements)
        # the long form (with each year's increase and rate) is for the workbook: in the PDF, one line a département
        layout.table(edition.departements_detail, in_pdf=False)
    _methods(layout, edition)
    sources = [("Données", SOURCE), ("Logiciel", f"am_analytics {__version__}")]
    sources += [(f"Fichier d'entrée : {name}", f"SHA-256 {digest}")
                for name, digest in sorted(data.manifest.get("inputs", {}).items())]
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
