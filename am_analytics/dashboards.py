"""What the dashboard notebooks call: their parameters resolved into a `Scope`, the published results of that
scope and of France, a header with the synthetic-data banner, tables displayed as HTML, and, in JupyterLab, a
selector that redraws the dashboard for another region or background without editing the parameters cell.

Notebooks receive their parameters as text (papermill, or an analyst editing the `parameters` cell): `region` as
a code or a name, `profil_origine` as a code or a French label, `as_of` as a date, `data_dir` and
`processed_dir` as folders; `None` (or an empty string, as a scheduler may write it) means the default.

Each output of a dashboard is drawn by `board.view(lambda b: …)`: the drawing is displayed at once (papermill
keeps it like any output) and remembered, so that the selector (`board.selector()`, a cell tagged
`notebook-only` that scheduled runs never publish) redraws every view in place when the reader picks another
region. Everything here is a small function a test can call without a kernel.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from typing import Any

import pandas as pd

from am_analytics.errors import UsageError
from am_analytics.figures.formatting import format_date
from am_analytics.opendata_dashboard import OpenDataDashboard, open_open_data_dashboard
from am_analytics.presentation.html import (
    Html,
    enable_figure_display,
    retitled,
    synthetic_banner,
    table_html,
    text_html,
)
from am_analytics.presentation.opendata import open_data_alone
from am_analytics.presentation.publication import audited
from am_analytics.presentation.results import NationalResults, ScopeResults
from am_analytics.presentation.scope import PARAMETER_NAMES, Scope
from am_analytics.presentation.sentences import independence_sentence
from am_analytics.presentation.shared_run import shared_results
from am_analytics.presentation.tables import PublishedTable
from am_analytics.vocabulary import ACTIVE_RATE

__all__ = ["Dashboard", "Html", "OpenDataDashboard", "independence_text", "open_dashboard", "table_html", "text_html"]

SCHEDULED_ENV = "AM_ANALYTICS_SCHEDULED"  # set by the scheduler: no widget in a scheduled run
EMPTY = Html("")
NO_EXTRACT = ("ce dossier ne contient que les données ouvertes annuelles de l'Assurance Maladie, sans extraction "
              "de contrats")


class Dashboard:
    """One notebook's scope and its published results (France's and, for a region or a background, its own). The
    national results are computed once for the dashboard's counting date and kept when the selector changes the
    region or the background; the scope's own results are computed again for the new scope."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self._computed: NationalResults | None = None  # France before the audit: kept across selector changes
        self._published: tuple[NationalResults, ScopeResults, ScopeResults] | None = None
        self._views: list[tuple[Any, Callable[[Dashboard], object]]] = []
        self._display = None  # IPython's display, found on the first view (a test may set its own)

    # --- results -------------------------------------------------------------------------------------------

    def _results(self) -> tuple[NationalResults, ScopeResults, ScopeResults]:
        """France's results, the scope's own and its territory's (over every background), published together: what
        the dashboard shows is one publication, audited as a whole (`presentation.publication.audited`)."""
        if self._published is None:
            self._published = shared_results(self.scope)  # the scheduled run's publication, when it holds the scope
        if self._published is None:
            if self._computed is None:
                self._computed = NationalResults.of(self.scope)
            territory_scope = self.scope.with_profil(None)
            pairs = [(territory_scope, ScopeResults.compute(territory_scope, self._computed))]
            if self.scope.profil is not None:
                pairs.append((self.scope, ScopeResults.compute(self.scope, self._computed)))
            national, scopes = audited(self._computed, pairs, self.scope.all_contracts)
            self._published = (national, scopes[-1], scopes[0])
        return self._published

    @property
    def national(self) -> NationalResults:
        """France at the scope's counting date (computed once for this dashboard, masked with the scope's own)."""
        return self._results()[0]

    @property
    def own(self) -> ScopeResults:
        """The scope's own monthly series, mixes and funding."""
        return self._results()[1]

    @property
    def territory(self) -> ScopeResults:
        """The results of the scope's territory over every background: a background's share needs them all."""
        return self._results()[2]

    # --- what a cell shows -----------------------------------------------------------------------------------

    def header(self) -> Html:
        """The line under the notebook's title: territory (and background), counting date, and the banner."""
        scope = self.scope
        parts = [
            f'<p style="font-size:1.15em"><strong>{html.escape(scope.label)}</strong> — données au '
            f"{html.escape(format_date(scope.as_of))}</p>"
        ]
        banner = synthetic_banner(scope.synthetic)
        if banner is not None:
            parts.append(banner.html)
        return Html("\n".join(parts))

    def heading(self, text: str, level: int = 2) -> Html:
        """A section heading naming the scope: « Financement — Bretagne »."""
        return Html(f"<h{level}>{html.escape(self.scope.title(text))}</h{level}>")

    def note(self, text: str) -> Html:
        """A fixed note under a heading of the contracts' dashboard (a view: an open-data dashboard draws none)."""
        return text_html(text)

    def show(self, table: PublishedTable, *, max_rows: int | None = None) -> Html:
        """A published table as the notebook displays it."""
        return table_html(table, max_rows=max_rows)

    def mix_chart(self, mix: pd.DataFrame, title: str, what: str):
        """A published mix by signing year as a chart, or the sentence that replaces it when none of its shares is
        publishable (Mayotte's): as the report and the site show it."""
        from am_analytics.figures import charts
        from am_analytics.figures.published import nothing_publishable
        from am_analytics.presentation import sentences

        if nothing_publishable(mix, "part"):
            return text_html(sentences.unpublished_chart_sentence(title))
        return charts.mix_by_period_chart(mix, title=title, what=what, as_of=self.scope.as_of)

    def titled(self, fig, text: str):
        """A chart of the scope's own figures titled with its name: « Aide attendue … — Bretagne »."""
        return retitled(fig, self.scope.title(text))

    def in_context(self, fig, text: str):
        """A national chart or map shown on a region's dashboard, titled so that it names the region it situates:
        « …, par région : Bretagne en évidence » (the plain title for France)."""
        if self.scope.region is None:
            return retitled(fig, text)
        return retitled(fig, f"{text} : {self.scope.territory_label} en évidence")

    # --- the scope's rows of national tables, and charts that situate it ------------------------------------------

    @property
    def departements(self) -> pd.DataFrame:
        """The published départements of the scope's region (all of them for France)."""
        frame = self.national.departements
        return frame if self.scope.region is None else frame[frame["region_code"] == self.scope.region]

    @property
    def training(self) -> pd.DataFrame:
        """The published training figures of the scope's region (every region for France)."""
        frame = self.national.training
        return frame if self.scope.region is None else frame[frame["code"] == self.scope.region]

    def territory_title(self, text: str) -> str:
        """A title for the scope's territory over every background: « … — Bretagne »."""
        return self.scope.with_profil(None).title(text)

    def departement_map(self):
        """Active contracts per 100 000 inhabitants by département: a region's départements on a zoomed, labelled
        map for a regional scope, every département for France."""
        from am_analytics.presentation import maps

        title = f"{maps.RATE_TITLE}, par département"
        if self.scope.region is not None:
            title = self.territory_title(title)
        return maps.rate_by_departement_map(self.national.departements, region=self.scope.region, title=title,
                                            as_of=self.scope.as_of)

    def ranked_regions(self):
        """Regions ranked by active contracts per 100 000 inhabitants, the scope's region highlighted."""
        from am_analytics.figures import charts

        if not self.scope.covers_france:
            return self.not_france("classement des régions")
        fig = charts.regions_ranked_chart(self.national.regions, national=self.national.nation,
                                          highlight=self.scope.region, as_of=self.scope.as_of)
        return self.in_context(fig, f"{ACTIVE_RATE.label}, par région")

    def training_chart(self):
        """Assistants without certification past their deadline by region, the scope's region highlighted."""
        from am_analytics.figures import charts

        if not self.scope.covers_france:
            return self.not_france("comparaison des régions")
        fig = charts.training_overdue_chart(self.national.training, highlight=self.scope.region, as_of=self.scope.as_of)
        return self.in_context(fig, "Assistants sans certification après leur échéance, par région")

    def backgrounds_table(self) -> PublishedTable:
        """Backgrounds of the scope's region beside France's (France's alone), one background when chosen."""
        from am_analytics.presentation import catalogue as cat

        table = cat.backgrounds_table(self.national.shares, self.scope.comparison_codes)
        if self.scope.profil is not None:
            table = table.rows(table.frame["profil_origine"] == self.scope.profil)
        return table.retitled(self.scope.title("Profil d'origine des assistants, comparé à la France entière"
                                               if self.scope.region and self.scope.covers_france
                                               else "Profil d'origine des assistants"))

    def not_france(self, what: str) -> Html:
        """What replaces a view of France or of every region when the extracts cover one region or a few."""
        return text_html(f"Pas de {what} : les extractions reçues ne couvrent que {self.scope.coverage.label} ; aucun "
                         "chiffre « France » n'en est tiré.")

    def background_years_table(self) -> PublishedTable:
        """Backgrounds by signing year in the scope's territory, with their intervals (one background when
        chosen): the published mix of every background, then the rows kept (`catalogue.background_years_table`, as
        the site keeps them)."""
        from am_analytics.presentation import catalogue as cat

        return cat.background_years_table(self.territory.backgrounds_by_year,
                                          self.scope.title("Part par année de signature"), profil=self.scope.profil)

    def training_by_background(self) -> PublishedTable:
        """Certification by background (France): published over every background, then the chosen one kept."""
        from am_analytics.presentation import catalogue as cat

        table = cat.training_by_background_table(self.national.training_backgrounds)
        if self.scope.profil is None:
            return table
        return table.rows(table.frame["profil_origine"] == self.scope.profil)

    # --- the monthly follow-up and the training supply (issue 23) --------------------------------------------------

    def signings_bars(self):
        """Contracts signed per period in the scope's territory (its published series, as bars), or the sentence
        that replaces the chart when none of its counts is publishable."""
        from am_analytics.figures.followup import monthly_signings_chart, recent_periods
        from am_analytics.figures.published import nothing_publishable
        from am_analytics.presentation import sentences

        series = recent_periods(self.territory.monthly)
        title = self.territory_title("Contrats signés par période")
        if nothing_publishable(series, "signes_mois"):
            return text_html(sentences.unpublished_chart_sentence(title))
        return monthly_signings_chart(series, title=title, as_of=self.scope.as_of)

    def month_table(self):
        """This month against the previous one and a year before, by département of the region."""
        from am_analytics.presentation import catalogue as cat

        compared = self.territory.month_compared
        if compared is None:
            return text_html("Comparaison du mois par département : choisir une région.")
        return self.show(cat.month_compared_table(compared, self.territory_title(
            "Contrats signés dans le mois, par département")))

    def run_changes(self):
        """Contracts new, ended, updated and removed since the previous scheduled run, by département of the
        scope's region (every département for France); a sentence on the first run."""
        from am_analytics.presentation import catalogue as cat

        changes = self.national.run_changes
        if changes is None:
            return text_html(f"Depuis l'exécution précédente : {cat.FIRST_RUN}.")
        if self.scope.region is not None:
            changes = changes[changes["region_code"] == self.scope.region]
        return self.show(cat.run_changes_table(changes, self.territory_title("Depuis l'exécution précédente")))

    def training_supply(self) -> Html:
        """The training need of the scope's region beside the training sites known there (every region for
        France): a sentence and the table."""
        from am_analytics.presentation import catalogue as cat
        from am_analytics.presentation import sentences

        supply = self.national.training_supply
        if self.scope.region is None:
            return self.show(cat.training_supply_table(supply))
        supply = supply[supply["code"] == self.scope.region]
        table = cat.training_supply_table(supply, self.territory_title("Besoin de formation et sites connus"))
        return Html(text_html(sentences.training_supply_sentence(supply.iloc[0])).html + self.show(table).html)

    def open_data_section(self) -> None:
        """Nothing: a dashboard of contract extracts shows its own figures (the open data alone is drawn by
        `OpenDataDashboard.open_data_section`, from the same notebook cell)."""
        return None

    # --- views and the selector ---------------------------------------------------------------------------------

    def view(self, draw: Callable[[Dashboard], object]) -> None:
        """Display `draw(self)` (a figure, a table, HTML) and remember how to draw it again, so that the selector
        can redraw it in place for another region or background."""
        if self._display is None:
            from IPython.display import display

            self._display = display
        shown = draw(self)
        handle = self._display(EMPTY if shown is None else shown, display_id=True)
        self._views.append((handle, draw))

    def switch(self, *, region: object = ..., profil: object = ...) -> None:
        """Another region and/or background at the same date: the scope's results are computed again (France's
        are kept) and every view is redrawn in place."""
        scope = self.scope
        if region is not ...:
            scope = scope.with_region(region)
        if profil is not ...:
            scope = scope.with_profil(profil)
        if scope == self.scope:
            return
        self.scope, self._published = scope, None
        for handle, draw in self._views:
            shown = draw(self)
            if handle is not None:
                handle.update(EMPTY if shown is None else shown)

    def selector(self, *, region: bool = True, profil: bool = False):
        """Drop-down lists of regions (and backgrounds) that redraw the dashboard, for JupyterLab. `None` in a
        scheduled run (papermill keeps the parameters cell and needs no widget) or outside a kernel."""
        if os.environ.get(SCHEDULED_ENV):
            return None
        try:
            from IPython import get_ipython

            if get_ipython() is None:
                return None
            import ipywidgets as widgets
        except ImportError:
            return text_html("Le sélecteur demande ipywidgets (pip install 'am_analytics[notebooks]') ; sinon, "
                             "modifier la cellule de paramètres.")
        from am_analytics import reference
        from am_analytics.text import fold
        from am_analytics.vocabulary import ALL_PROFILS_LABEL, NATIONAL_LABEL, PROFILS

        controls = []
        if region:
            regions = reference.regions()[["region_code", "region_name"]].itertuples(index=False)
            coverage = self.scope.coverage  # only the regions the extracts cover, and France only when they do
            options = [(NATIONAL_LABEL, None)] * coverage.is_france + sorted(
                ((name, code) for code, name in regions if coverage.covers_region(code)),
                key=lambda option: fold(option[0]))
            choice = widgets.Dropdown(options=options, value=self.scope.region, description="Région")
            choice.observe(lambda change: self.switch(region=change["new"]), names="value")
            controls.append(choice)
        if profil:
            options = [(ALL_PROFILS_LABEL, None)] + [(label, code) for code, label in PROFILS.items()]
            choice = widgets.Dropdown(options=options, value=self.scope.profil, description="Profil")
            choice.observe(lambda change: self.switch(profil=change["new"]), names="value")
            controls.append(choice)
        return widgets.HBox(controls)


def open_dashboard(
    *,
    data_dir: object = None,
    processed_dir: object = None,
    as_of: object = None,
    region: object = None,
    profil_origine: object = None,
    france: bool = False,
    open_data: bool = False,
) -> Dashboard | OpenDataDashboard:
    """Resolve a notebook's parameters into a scope (loading the data, prepared first when missing or stale)
    and make figures display in the notebook. Raises `UsageError` with a French message on a bad parameter.
    `france`: the dashboard presents France as a whole (national notebook), refused for extracts that cover one
    region or a few (its figures would be those regions' presented as France).
    A folder holding the yearly open data and no contract extract gives an `OpenDataDashboard` when the notebook
    can show it (`open_data`: the regional dashboard); any other notebook is refused with a French message naming
    what is missing."""
    alone = open_data_alone(data_dir, region, processed_dir=processed_dir, names=PARAMETER_NAMES)
    if alone is not None:
        data, code = alone
        if not open_data or profil_origine not in (None, ""):
            raise UsageError(f"{NO_EXTRACT} : ce tableau de bord lit les extractions de contrats (absentes). Déposer "
                             "les extractions dans ce dossier, ou ouvrir le tableau de bord régional "
                             "(02_tableau_de_bord_regional), qui montre les données ouvertes annuelles seules")
        enable_figure_display()
        return open_open_data_dashboard(data, code, as_of)
    scope = Scope.open(
        data_dir=data_dir, processed_dir=processed_dir, as_of=as_of, region=region, profil=profil_origine
    ).presented()
    if france and not scope.covers_france:
        raise UsageError(f"les extractions reçues ne couvrent que {scope.coverage.label}, pas la France entière : "
                         "ouvrir le tableau de bord régional (02_tableau_de_bord_regional)")
    enable_figure_display()
    return Dashboard(scope)


def background_map(shares: pd.DataFrame, scope: Scope):
    """Map of one background's share of contracts by region (from the published shares); `None` when every
    background is shown (one map per background would say less than the stacked chart)."""
    if scope.profil is None:
        return None
    from am_analytics.figures import region_map

    rows = shares[shares["profil_origine"] == scope.profil]
    return region_map(
        rows,
        "part",
        title=f"Part des contrats signés avec un profil « {scope.profil_label} », par région",
        legend_title="Part des contrats\nsignés",
        kind="percent",
        decimals=2,
        as_of=scope.as_of,
    )


def independence_text(result: pd.DataFrame, what: str) -> Html:
    """One sentence on a chi-square test (`independence_test`, `compare_groups` rows), with its caveat."""
    return text_html(independence_sentence(result, what))


def background_tests(board: Dashboard) -> Html:
    """The tests of change over time (the scope's territory; the background's trend when one is chosen) and of the
    region against France, each one sentence, then their limits: the published test results of the scope."""
    from am_analytics.presentation import sentences

    scope, territory = board.scope, board.territory
    lines = [sentences.change_over_time_sentence(territory.change_over_time)]
    if board.own.trend is not None:
        lines.append(sentences.trend_sentence(board.own.trend, scope.profil_label))
    if territory.against_france is not None and scope.covers_france:  # one region's extracts hold no France
        lines.append(sentences.region_against_france_sentence(territory.against_france))
    parts = [f"<p>{html.escape(line)}</p>" for line in lines]
    parts.append(f"<p><small>{html.escape(sentences.limits_of_tests(scope.synthetic))}</small></p>")
    return Html("\n".join(parts))
