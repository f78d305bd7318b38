"""The site from the yearly open data alone: a folder holding the Assurance Maladie's open data by territory and no
contract extract publishes an index (France year by year, the regions of the latest year) and one page per region
(its own line and its départements, year by year), with the site's writer and templates, CSV downloads and the
synthetic banner. A layout of `presentation.opendata`'s editions, drawn with the open-data report's charts, so the
PDF and the site show the same numbers; no notebook is run (they read contract extracts).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from am_analytics import atomic
from am_analytics.figures.formatting import format_number
from am_analytics.loading import Processed
from am_analytics.presentation.opendata import (
    NS_NOTE,
    PRODUCER_COLUMNS,
    WHAT_NEEDS_EXTRACTS,
    OpenDataEdition,
    regions_values,
    series_values,
)
from am_analytics.report.opendata import regions_chart, yearly_chart
from am_analytics.site import render
from am_analytics.site.build import PageOutcome, _failed
from am_analytics.site.model import Page, RunTable, TextItem
from am_analytics.site.render import Navigation, NavLink, SiteInfo
from am_analytics.site.writer import PageWriter

DISCLOSURE = ("Les nombres sont ceux du producteur, tels qu'il les diffuse ; NS : valeur qu'il ne diffuse pas, "
              "laissée manquante.")
INDEX_TITLE = "Les assistants médicaux d'après les données ouvertes annuelles de l'Assurance Maladie"
INDEX_LABEL = "France entière (données ouvertes)"


def _sentence(text: str) -> str:
    """A list of values as a sentence: one full stop, never « n.d.. »."""
    return text if text.endswith(".") else f"{text}."


def _series_section(page: Page, writer: PageWriter, edition: OpenDataEdition) -> None:
    section = page.section(f"{edition.label} : contrats signés au 31 décembre, année par année")
    series = edition.series.frame
    fig = yearly_chart(series, f"Contrats d'assistant médical signés au 31 décembre — {edition.label}",
                       edition.synthetic)
    section.items.append(writer.figure("par-annee", fig, _sentence(series_values(series))))
    section.items.append(writer.table("contrats-signes-par-annee", edition.series))


def index_page(writer: PageWriter, edition: OpenDataEdition) -> Page:
    """France year by year and the regions of the edition's year."""
    page = Page(title=INDEX_TITLE, lead=(
        "Le dossier ne contient aucune extraction de contrats : ces pages montrent les données ouvertes annuelles de "
        "l'Assurance Maladie seules, à la résolution de l'année (contrats signés au 31 décembre), de "
        f"{edition.first_year} à {edition.year}. Choisir une région pour voir ses départements."))
    page.key_figures = list(edition.key_figures)
    _series_section(page, writer, edition)
    section = page.section(f"Les régions au 31 décembre {edition.year}")
    regions = edition.regions.frame
    section.items.append(writer.figure("regions", regions_chart(regions, edition.year, edition.synthetic),
                                       _sentence(regions_values(regions))))
    section.items.append(writer.table("contrats-par-region", edition.regions))
    _methods(page)
    return page


def region_page(writer: PageWriter, edition: OpenDataEdition) -> Page:
    """A region's own line and its départements, year by year."""
    page = Page(title=edition.label, lead=f"{edition.label} d'après les données ouvertes annuelles de l'Assurance "
                "Maladie : la région (sa propre ligne, jamais la somme de ses départements) et ses départements, "
                "année par année.")
    page.key_figures = list(edition.key_figures)
    _series_section(page, writer, edition)
    section = page.section(f"Départements de la région {edition.label}")
    section.items.append(writer.table("contrats-par-departement-et-par-annee", edition.departements))
    section.items.append(writer.table("departements-hausse-et-recours", edition.departements_detail))
    _methods(page)
    return page


def _methods(page: Page) -> None:
    section = page.section("Sources et méthode")
    columns = "; ".join(f"« {name} »" for name in PRODUCER_COLUMNS)
    for text in (f"Colonnes lues, sous les noms du producteur : {columns}.", NS_NOTE + ".",
                 "Une hausse n'est calculée que si les deux années sont publiées ; une région est lue sur sa "
                 "propre ligne, jamais comme la somme de ses départements.", WHAT_NEEDS_EXTRACTS):
        section.items.append(TextItem(text, note=True))


def technical_page(data: Processed, outcomes: Sequence[PageOutcome]) -> Page:
    """The run's technical summary (linked from every page's footer): files received with their SHA-256, pages."""
    page = Page(title="Résumé technique de l'exécution", lead="Fichiers reçus et pages produites (données ouvertes "
                "seules).")
    files = sorted(data.manifest.get("inputs", {}).items())
    page.section("Fichiers reçus").items.append(RunTable("Fichiers reçus et empreintes SHA-256",
                                                         ("Fichier", "SHA-256"), tuple(files), (False, False)))
    page.section("Pages de cette exécution").items.append(RunTable(
        "Pages produites : état et durée de construction", ("Page", "État", "Durée (s)"),
        tuple((o.label, "produite" if o.ok else f"échec : {o.exception}", format_number(o.duration_s, 2))
              for o in outcomes), (False, False, True)))
    return page


def publish_open_data_site(data: Processed, root: Path, *, regions: Sequence[str], generated: str = "",
                           national: OpenDataEdition | None = None, as_of: object = None) -> list[PageOutcome]:
    """Write the open-data site under `root`: assets, `index.html`, `region_<code>.html` for each region of
    `regions` the open data holds, `technique.html` and `summary.json`. A page that fails is reported (its French
    error page in its place), the others still written."""
    national = national or OpenDataEdition.of(data, as_of=as_of)
    codes = [code for code in national.present_regions if code in set(regions)]
    labels = dict(zip(national.regions.frame["code"], national.regions.frame["nom"], strict=True))
    codes.sort(key=lambda code: labels[code])
    nav = Navigation(national=[NavLink("index.html", INDEX_LABEL)],
                     regions=[NavLink(f"region_{code}.html", labels[code]) for code in codes])
    info = SiteInfo(as_of=pd.Timestamp(f"{national.year}-12-31"), synthetic=national.synthetic, generated=generated,
                    nav=nav, disclosure=DISCLOSURE)
    for name, content in render.static_files().items():
        atomic.write_bytes(root / render.ASSETS_DIR / name, content)
    outcomes = []
    for stem, label, code in [("index", INDEX_LABEL, None), *((f"region_{c}", labels[c], c) for c in codes)]:
        started = time.monotonic()
        writer = PageWriter(root, stem, "france" if code is None else label)
        outcome = PageOutcome(stem, "index" if code is None else "region", code, label, "ok", 0.0)
        try:
            page = index_page(writer, national) if code is None else region_page(
                writer, OpenDataEdition.of(data, code, f"{national.year}-12-31"))
            atomic.write_text(root / f"{stem}.html", render.render_page(page, info, stem=stem))
        except Exception as exc:  # one page's failure never stops the others
            _failed(outcome, writer, exc)
            atomic.write_text(root / f"{stem}.html", render.render_error(
                label, info, stem=stem, what="Cette page n'a pas pu être produite.", step=outcome.step,
                exception=outcome.exception, message=outcome.message))
        outcome.duration_s = round(time.monotonic() - started, 2)
        outcomes.append(outcome)
    atomic.write_text(root / "technique.html", render.render_page(technical_page(data, outcomes), info,
                                                                  stem="technique"))
    atomic.write_json(root / "summary.json", {"as_of": f"{national.year}-12-31", "synthetic": national.synthetic,
                                              "source": "données ouvertes seules",
                                              "pages": [outcome.to_json() for outcome in outcomes]})
    return outcomes


def publish(data: Processed, regions: Sequence[str], out: Path | None, notebooks: Sequence,
            as_of: object = None) -> int:
    """The scheduled run's open-data path: the site under `<out>/<31 December of the latest year>/`, no notebook
    (they read contract extracts: a line says so), exit 0 when every page was written, 1 otherwise. `as_of` picks
    the latest year whose 31 December it reaches."""
    from datetime import datetime

    from am_analytics import paths
    from am_analytics.vocabulary import SYNTHETIC_MENTION

    national = OpenDataEdition.of(data, as_of=as_of)
    root = (out or paths.project_root() / "runs").resolve() / f"{national.year}-12-31"
    print("Données ouvertes seules (aucune extraction de contrats) : site annuel d'après les données ouvertes de "
          "l'Assurance Maladie.", flush=True)
    if notebooks:
        print(f"notebooks non exécutés ({', '.join(spec.name for spec in notebooks)}) : ils lisent les extractions "
              "de contrats, absentes de ce dossier (données ouvertes seules)", flush=True)
    outcomes = publish_open_data_site(data, root, regions=regions, national=national, as_of=as_of,
                                      generated=datetime.now().astimezone().strftime("%d/%m/%Y à %H:%M"))
    print(f"Site : {root / 'index.html'}")
    if data.synthetic:
        print(f"{SYNTHETIC_MENTION} : ne pas diffuser comme des chiffres réels.")
    failed = [outcome for outcome in outcomes if not outcome.ok]
    for outcome in failed:
        print(f"  page {outcome.label} : échec — {outcome.exception} : {outcome.message}", file=sys.stderr)
    return 1 if failed else 0
