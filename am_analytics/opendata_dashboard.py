"""The regional dashboard from the yearly open data alone: when the data folder holds the Assurance Maladie's open data
by territory and no contract extract, `dashboards.open_dashboard(..., open_data=True)` returns an `OpenDataDashboard`
that shows the published edition of `presentation.opendata` (the same tables and charts as the open-data report and
site: « NS » stays NS, the producer named under every table and chart) at yearly resolution.

The notebook's cells stay the same for both kinds of data: `open_data_section()` draws the open data here (and
nothing on a dashboard of extracts), and every later view that reaches for the extracts' results (`b.national`,
`b.own`, a month's table…) draws nothing: the open-data section says once what needs the extracts. A notebook that
cannot show the open data (national, backgrounds, survey, quality, commitments) is refused with a French message.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from am_analytics.presentation.html import Html, synthetic_banner, table_html, text_html
from am_analytics.presentation.keyfigures import KeyFigure
from am_analytics.presentation.opendata import DASHBOARD_NEEDS_EXTRACTS, NS_NOTE, SOURCE, OpenDataEdition

EMPTY = Html("")


class ExtractsNeeded(AttributeError):
    """A view asked an open-data dashboard for what only contract extracts give (an `AttributeError`, so that
    `hasattr` and IPython's introspection read it as an absent attribute)."""


class OpenDataDashboard:
    """A region's (or France's) published open data for the notebook: its edition and France's (for the regions
    of the year), the synthetic banner of the demo's file."""

    open_data_only = True

    def __init__(self, edition: OpenDataEdition, national: OpenDataEdition):
        self.edition = edition
        self.national_edition = national
        self.skipped: list[str] = []  # the extract results the notebook's views asked for, in order
        self._display = None  # IPython's display, found on the first view (a test may set its own)

    def __getattr__(self, name: str) -> Any:
        # only reached for a name the class does not define: a view of the extracts' results
        if name.startswith("_"):
            raise AttributeError(name)
        raise ExtractsNeeded(f"« {name} » demande les extractions de contrats (données ouvertes seules)")

    # --- what the cells show ---------------------------------------------------------------------------------

    def header(self) -> Html:
        """The territory, the yearly resolution and the source, then the synthetic banner of the demo's file."""
        edition = self.edition
        parts = [f'<p style="font-size:1.15em"><strong>{html.escape(edition.label)}</strong> — données ouvertes '
                 f"annuelles, au 31 décembre {edition.year}</p>",
                 f"<p>Le dossier ne contient aucune extraction de contrats : ce tableau de bord montre les données "
                 f"ouvertes annuelles de l'Assurance Maladie seules, à la résolution de l'année (contrats signés au 31 "
                 f"décembre), de {edition.first_year} à {edition.year}. Source : {html.escape(SOURCE)}.</p>"]
        banner = synthetic_banner(edition.synthetic)
        if banner is not None:
            parts.append(banner.html)
        return Html("\n".join(parts))

    def key_figures(self) -> Html:
        """The edition's key figures as a short list: value, label and what it counts."""
        return key_figures_html(self.edition.key_figures)

    def yearly_chart(self):
        """Contracts signed at 31 December, year by year, in the territory (an NS year has no bar)."""
        from am_analytics.report.opendata import yearly_chart

        edition = self.edition
        return yearly_chart(edition.series.frame, f"Contrats d'assistant médical signés au 31 décembre — "
                            f"{edition.label}", edition.synthetic)

    def regions_chart(self):
        """The regions of the year per 100 000 inhabitants, the dashboard's region highlighted."""
        from am_analytics.report.opendata import regions_chart

        edition = self.edition
        return regions_chart(edition.regions.frame, edition.year, edition.synthetic, highlight=edition.region)

    def drawings(self) -> list[Callable[[OpenDataDashboard], object]]:
        """The open-data section, view by view: key figures, the yearly series (chart and table), the region's
        départements by year, the regions of the year, and what needs the extracts."""
        views: list[Callable[[OpenDataDashboard], object]] = [
            lambda b: heading("Chiffres clés (données ouvertes)"),
            lambda b: b.key_figures(),
            lambda b: heading(f"{b.edition.label} : contrats signés au 31 décembre, année par année"),
            lambda b: b.yearly_chart(),
            lambda b: table_html(b.edition.series),
        ]
        if self.edition.departements is not None:
            views += [lambda b: heading(f"Départements de la région {b.edition.label}, année par année"),
                      lambda b: table_html(b.edition.departements),
                      lambda b: table_html(b.edition.departements_detail)]
        views += [lambda b: heading(f"Les régions au 31 décembre {b.edition.year}"),
                  lambda b: b.regions_chart(),
                  lambda b: table_html(b.edition.regions),
                  lambda b: text_html(f"{NS_NOTE}. {DASHBOARD_NEEDS_EXTRACTS}")]
        return views

    def open_data_section(self) -> None:
        """Display every view of the open-data section (`drawings`)."""
        for draw in self.drawings():
            self.view(draw)

    # --- views ------------------------------------------------------------------------------------------------

    def view(self, draw: Callable[[OpenDataDashboard], object]) -> None:
        """Display `draw(self)`, or nothing when the view reaches for the extracts' results (noted in `skipped`)."""
        if self._display is None:
            from IPython.display import display

            self._display = display
        try:
            shown = draw(self)
        except ExtractsNeeded as needed:
            self.skipped.append(str(needed))
            return
        self._display(EMPTY if shown is None else shown)

    def selector(self, **_: object) -> None:
        """No selector: the parameters cell chooses the region (an open-data dashboard is one edition)."""
        return None


def heading(text: str, level: int = 2) -> Html:
    return Html(f"<h{level}>{html.escape(text)}</h{level}>")


def key_figures_html(figures: tuple[KeyFigure, ...]) -> Html:
    """Key figures as a list: « 1 234 — Contrats signés au 31 décembre 2024 (depuis septembre 2019) »."""
    items = "".join(f"<li><strong>{html.escape(figure.value)}</strong> — {html.escape(figure.label)}"
                    + (f" <small>({html.escape(figure.detail)})</small>" if figure.detail else "") + "</li>"
                    for figure in figures)
    return Html(f"<ul>{items}</ul>")


def open_open_data_dashboard(data, region: str | None, as_of: object) -> OpenDataDashboard:
    """The dashboard of `region` (a code; None: France) from prepared data holding the open data alone."""
    national = OpenDataEdition.of(data, as_of=as_of)
    edition = national if region is None else OpenDataEdition.of(data, region, f"{national.year}-12-31")
    return OpenDataDashboard(edition, national)
