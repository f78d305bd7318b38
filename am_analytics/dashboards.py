"""What the dashboard notebooks call: their parameters resolved into a `Scope`, the published results of that
scope and of France, a header with the synthetic-data banner, and tables displayed as HTML.

Notebooks receive their parameters as text (papermill, or an analyst editing the `parameters` cell): `region` as
a code or a name, `profil_origine` as a code or a French label, `as_of` as a date, `data_dir` and
`processed_dir` as folders; `None` (or an empty string, as a scheduler may write it) means the default.
Everything here is a small function a test can call without a kernel.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from am_analytics.figures.formatting import format_date
from am_analytics.presentation.html import Html, enable_figure_display, synthetic_banner, table_html, text_html
from am_analytics.presentation.results import NationalResults, ScopeResults
from am_analytics.presentation.scope import Scope
from am_analytics.presentation.sentences import independence_sentence
from am_analytics.presentation.tables import PublishedTable

__all__ = ["Dashboard", "Html", "independence_text", "open_dashboard", "table_html", "text_html"]


@dataclass(frozen=True)
class Dashboard:
    """One notebook's scope and its published results (France's and, for a region or a background, its own)."""

    scope: Scope

    @cached_property
    def national(self) -> NationalResults:
        """France at the scope's counting date: computed once for this dashboard."""
        return NationalResults.of(self.scope)

    @cached_property
    def own(self) -> ScopeResults:
        """The scope's own monthly series, mixes and funding."""
        return ScopeResults.compute(self.scope, self.national)

    @cached_property
    def territory(self) -> ScopeResults:
        """The results of the scope's territory over every background: a background's share needs them all."""
        if self.scope.profil is None:
            return self.own
        return ScopeResults.compute(self.scope.with_profil(None), self.national)

    def header(self) -> Html:
        """The line under the notebook's title: territory (and background), counting date, and the banner."""
        scope = self.scope
        parts = [
            f'<p style="font-size:1.15em"><strong>{html.escape(scope.label)}</strong> — données au '
            f"{html.escape(format_date(scope.day))}</p>"
        ]
        banner = synthetic_banner(scope.synthetic)
        if banner is not None:
            parts.append(banner.html)
        return Html("\n".join(parts))

    def show(self, table: PublishedTable, *, max_rows: int | None = None) -> Html:
        """A published table as the notebook displays it."""
        return table_html(table, max_rows=max_rows)


def open_dashboard(
    *,
    data_dir: object = None,
    processed_dir: object = None,
    as_of: object = None,
    region: object = None,
    profil_origine: object = None,
) -> Dashboard:
    """Resolve a notebook's parameters into a scope (loading the data, prepared first when missing or stale)
    and make figures display in the notebook. Raises `UsageError` with a French message on a bad parameter."""
    scope = Scope.open(
        data_dir=data_dir, processed_dir=processed_dir, as_of=as_of, region=region, profil=profil_origine
    )
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
    )


def independence_text(result: pd.DataFrame, what: str) -> Html:
    """One sentence on a chi-square test (`independence_test`, `compare_groups` rows), with its caveat."""
    return text_html(independence_sentence(result, what))
