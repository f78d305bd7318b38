"""The site from the yearly open data alone: a folder holding the Assurance Maladie's open data by territory and no
contract extract publishes an index (France year by year, the regions of the latest year) and one page per region
(its own line and its départements, year by year), with the site's writer and templates, CSV downloads and the
synthetic banner. A layout of `presentation.opendata`'s editions, drawn with the open-data report's charts, so the
PDF and the site show the same numbers. The scheduled run also executes, once per region, the notebooks that show the
open data alone (metadata `am_analytics.donnees_ouvertes`: the regional dashboard) and links them from the region's
page; the others read contract extracts and are left out with a line that says so.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping, Sequence
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
from am_analytics.site.build import PageOutcome, _failed, _notebook_links
from am_analytics.site.model import LinkItem, NotebookRun, Page, RunTable, TextItem
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


def _notebooks_section(page: Page, links: Sequence[LinkItem]) -> None:
    """The page's executed notebooks, before its « Sources et méthode » (its last section)."""
    if links:
        page.section("Notebook exécuté").items.extend(links)
        page.sections.insert(len(page.sections) - 2, page.sections.pop())


def technical_page(data: Processed, outcomes: Sequence[PageOutcome], notebooks: Sequence[NotebookRun] = ()) -> Page:
    """The run's technical summary (linked from every page's footer): files received with their SHA-256, pages,
    notebooks run."""
    page = Page(title="Résumé technique de l'exécution", lead="Fichiers reçus et pages produites (données ouvertes "
                "seules).")
    files = sorted(data.manifest.get("inputs", {}).items())
    page.section("Fichiers reçus").items.append(RunTable("Fichiers reçus et empreintes SHA-256",
                                                         ("Fichier", "SHA-256"), tuple(files), (False, False)))
    page.section("Pages de cette exécution").items.append(RunTable(
        "Pages produites : état et durée de construction", ("Page", "État", "Durée (s)"),
        tuple((o.label, "produite" if o.ok else f"échec : {o.exception}", format_number(o.duration_s, 2))
              for o in outcomes), (False, False, True)))
    if notebooks:
        page.section("Notebooks de cette exécution").items.append(RunTable(
            "Notebooks exécutés : état et durée", ("Notebook", "Territoire", "État", "Durée (s)"),
            tuple((run.title, run.territory, "réussie" if run.ok else f"échec : {run.error}", run.duration)
                  for run in notebooks), (False, False, False, True)))
    return page


def published_regions(national: OpenDataEdition, regions: Sequence[str]) -> list[str]:
    """The regions of `regions` the open data holds in the edition's year, in the order of their names."""
    labels = _labels(national)
    return sorted((code for code in national.present_regions if code in set(regions)), key=lambda code: labels[code])


def _labels(national: OpenDataEdition) -> dict[str, str]:
    return dict(zip(national.regions.frame["code"], national.regions.frame["nom"], strict=True))


def open_data_site_info(national: OpenDataEdition, codes: Sequence[str], generated: str = "") -> SiteInfo:
    """What every page (and every executed notebook's page) of the open-data site shares: date, banner, menu."""
    labels = _labels(national)
    nav = Navigation(national=[NavLink("index.html", INDEX_LABEL)],
                     regions=[NavLink(f"region_{code}.html", labels[code]) for code in codes])
    return SiteInfo(as_of=pd.Timestamp(f"{national.year}-12-31"), synthetic=national.synthetic, generated=generated,
                    nav=nav, disclosure=DISCLOSURE)


def publish_open_data_site(data: Processed, root: Path, *, regions: Sequence[str], generated: str = "",
                           national: OpenDataEdition | None = None, as_of: object = None,
                           notebooks: Sequence[NotebookRun] = ()) -> list[PageOutcome]:
    """Write the open-data site under `root`: assets, `index.html`, `region_<code>.html` for each region of
    `regions` the open data holds (with the link to its executed `notebooks`), `technique.html` and `summary.json`.
    A page that fails is reported (its French error page in its place), the others still written."""
    national = national or OpenDataEdition.of(data, as_of=as_of)
    codes = published_regions(national, regions)
    labels = _labels(national)
    info = open_data_site_info(national, codes, generated)
    links = _notebook_links(notebooks)
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
            _notebooks_section(page, links.get(stem.replace("index", "france"), []))
            atomic.write_text(root / f"{stem}.html", render.render_page(page, info, stem=stem))
        except Exception as exc:  # one page's failure never stops the others
            _failed(outcome, writer, exc)
            atomic.write_text(root / f"{stem}.html", render.render_error(
                label, info, stem=stem, what="Cette page n'a pas pu être produite.", step=outcome.step,
                exception=outcome.exception, message=outcome.message))
        outcome.duration_s = round(time.monotonic() - started, 2)
        outcomes.append(outcome)
    atomic.write_text(root / "technique.html", render.render_page(technical_page(data, outcomes, notebooks), info,
                                                                  stem="technique"))
    atomic.write_json(root / "summary.json", {
        "as_of": f"{national.year}-12-31", "synthetic": national.synthetic, "source": "données ouvertes seules",
        "pages": [outcome.to_json() for outcome in outcomes],
        "notebooks": [{"notebook": run.title, "territoire": run.territory, "region": run.region, "ok": run.ok,
                       "html": run.html, "erreur": run.error} for run in notebooks]})
    return outcomes


# Runs a batch of notebook runs into the site's folder and says how each went (the scheduler's pool and kernel).
NotebookRunner = Callable[[list, Path, SiteInfo], list[NotebookRun]]


def open_data_notebooks(specs: Sequence) -> list:
    """The notebooks of `specs` that show the open data alone; a line for each one left out."""
    kept = [spec for spec in specs if spec.shows_open_data]
    for spec in specs:
        if not spec.shows_open_data:
            print(f"notebook {spec.name} non exécuté : il lit les extractions de contrats, absentes de ce dossier "
                  "(données ouvertes seules)", flush=True)
    return kept


def publish(data: Processed, regions: Sequence[str], out: Path | None, notebooks: Sequence,
            as_of: object = None, *, folders: Mapping[str, str] | None = None,
            run_notebooks: NotebookRunner | None = None) -> int:
    """The scheduled run's open-data path: the notebooks that show the open data, once per region of the site
    (`run_notebooks`, with the parameters `folders`: data_dir and processed_dir), then the site under
    `<out>/<31 December of the latest year>/` linking them; exit 0 when every page and run succeeded, 1 otherwise.
    `as_of` picks the latest year whose 31 December it reaches."""
    from datetime import datetime

    from am_analytics import paths
    from am_analytics.schedule.plan import plan_runs
    from am_analytics.vocabulary import SYNTHETIC_MENTION

    national = OpenDataEdition.of(data, as_of=as_of)
    day = f"{national.year}-12-31"
    root = (out or paths.project_root() / "runs").resolve() / day
    print("Données ouvertes seules (aucune extraction de contrats) : site annuel d'après les données ouvertes de "
          "l'Assurance Maladie.", flush=True)
    generated = datetime.now().astimezone().strftime("%d/%m/%Y à %H:%M")
    codes = published_regions(national, regions)
    runs = plan_runs(open_data_notebooks(notebooks), codes, {**(folders or {}), "as_of": day})
    if runs and run_notebooks is None:
        raise ValueError("run_notebooks is needed to execute notebooks")
    executed = run_notebooks(runs, root, open_data_site_info(national, codes, generated)) if runs else []
    outcomes = publish_open_data_site(data, root, regions=regions, national=national, as_of=as_of,
                                      generated=generated, notebooks=executed)
    print(f"Site : {root / 'index.html'}")
    if data.synthetic:
        print(f"{SYNTHETIC_MENTION} : ne pas diffuser comme des chiffres réels.")
    failed = [outcome for outcome in outcomes if not outcome.ok]
    for outcome in failed:
        print(f"  page {outcome.label} : échec — {outcome.exception} : {outcome.message}", file=sys.stderr)
    failed_runs = [run for run in executed if not run.ok]
    for run in failed_runs:
        print(f"  {run.title} — {run.territory} : {run.error}", file=sys.stderr)
    return 1 if failed or failed_runs else 0
