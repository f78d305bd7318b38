"""The maps of active contracts per 100 000 inhabitants, drawn from published frames with one title, legend,
source and note for the report, the site, the dashboards and the notebooks: by region (a region highlighted), by
département, or a region's départements zoomed."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from am_analytics.figures import departement_map, region_departements_map, region_map
from am_analytics.vocabulary import ACTIVE_RATE, SOURCE_CONTRACTS

RATE_COLUMN = "actifs_pour_100k_hab"
RATE_TITLE = ACTIVE_RATE.label
RATE_LEGEND = ACTIVE_RATE.legend()
RATE_SOURCE = SOURCE_CONTRACTS + " ; Insee"
# Mayotte is absent from INSEE's legal populations: its rate is not computed, never estimated.
MAYOTTE_NOTE = "Mayotte : population non disponible (absente des populations légales de l'Insee)."
_OPTIONS = {"legend_title": RATE_LEGEND, "source": RATE_SOURCE, "decimals": ACTIVE_RATE.decimals}


def rate_by_region_map(
    regions: pd.DataFrame, *, as_of: pd.Timestamp, highlight: str | None = None, title: str | None = None
) -> Figure:
    """Every region (published `regions` frame) at the counting date `as_of`, `highlight` (a region code)
    outlined."""
    return region_map(regions, RATE_COLUMN, title=title or f"{RATE_TITLE}, par région", note=MAYOTTE_NOTE,
                      highlight=highlight, as_of=as_of, **_OPTIONS)


def rate_by_departement_map(
    departements: pd.DataFrame, *, as_of: pd.Timestamp, region: str | None = None, title: str | None = None
) -> Figure:
    """Every département (published `departements` frame) at the counting date `as_of`, or only `region`'s,
    zoomed and labelled."""
    title = title or f"{RATE_TITLE}, par département"
    if region is None:
        return departement_map(departements, RATE_COLUMN, title=title, as_of=as_of, **_OPTIONS)
    return region_departements_map(departements, RATE_COLUMN, region, title=title, as_of=as_of, **_OPTIONS)
