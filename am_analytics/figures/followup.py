"""Charts of the monthly follow-up: contracts signed per month (bars on a French date axis), and one's own extracts
against the yearly open data (the gap by territory). They take the frames of `indicators.followup`."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from am_analytics.figures.charts import (
    SIGNED_COLOUR,
    TARGET_COLOUR,
    WARNING_COLOUR,
    _as_of,
    _axes,
    _count_axis,
    _legend_below,
    _notes,
    _say_in_plot,
    _synthetic,
)
from am_analytics.figures.contract import finish_figure
from am_analytics.figures.formatting import format_number, french_date_axis, number_formatter
from am_analytics.figures.style import MUTED_COLOUR, styled
from am_analytics.geography import simplify
from am_analytics.indicators.selection import selectable
from am_analytics.vocabulary import SOURCE_CONTRACTS

OPEN_DATA_SOURCE = "Assurance Maladie, données annuelles par territoire (assistants médicaux)"


@styled
@selectable
def monthly_signings_chart(
    signings: pd.DataFrame, *, title: str = "Contrats signés chaque mois", as_of: object = None, ax: Axes | None = None
) -> Figure:
    """Contracts signed each month (`indicators.followup.signings_by_month`), one bar a month on a French date
    axis; a month not yet ended (as_of before its last day) is drawn hatched and says so."""
    fig, ax = _axes(ax, height_cm=8)
    months = pd.to_datetime(signings["mois"])
    counts = signings["signes_mois"].astype(float).to_numpy()
    complete = signings["mois_complet"].astype(bool).to_numpy()
    centres = months + pd.Timedelta(days=14)  # a bar in the middle of its month, under its month's tick
    ax.bar(centres[complete], counts[complete], width=24, color=SIGNED_COLOUR, label="Mois complet")
    if (~complete).any():
        ax.bar(centres[~complete], counts[~complete], width=24, color="white", edgecolor=SIGNED_COLOUR,
               hatch="////", label="Mois en cours (jusqu'à la date d'arrêté)")
        _legend_below(ax, ncols=2)
    if not len(signings) or not np.nansum(counts):
        _say_in_plot(ax, "Aucun contrat signé sur la période")
    span = len(signings)
    french_date_axis(ax.xaxis, "month", interval=1 if span <= 8 else 3 if span <= 18 else 6 if span <= 48 else 12)
    _count_axis(ax.yaxis, counts)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y")
    return finish_figure(
        fig,
        title=title,
        source=SOURCE_CONTRACTS,
        as_of=_as_of(as_of, signings),
        synthetic=_synthetic(signings),
        xlabel="Mois de signature",
        ylabel="Contrats signés (nombre)",
    )


@styled
@selectable
def open_data_gap_chart(
    comparison: pd.DataFrame, *, year: int | None = None, as_of: object = None, ax: Axes | None = None
) -> Figure:
    """One's own extracts against the yearly open data for one year (default: the latest complete one), one bar
    per territory: the gap (extractions − open data), to the right when the extracts count more. A territory the
    producer wrote NS has no bar and says « NS »."""
    complete = comparison[comparison["annee_complete"].astype(bool)]
    fig, ax = _axes(ax, height_cm=max(6.0, 2.5 + 0.55 * max(complete["code"].nunique(), 1)))
    if complete.empty:
        _say_in_plot(ax, "Aucune année complète dans les extractions :\nrien à comparer aux données ouvertes")
        chosen = complete
    else:
        year = int(complete["annee"].max()) if year is None else int(year)
        chosen = complete[complete["annee"] == year].sort_values("nom", key=lambda names: names.map(simplify),
                                                                   kind="stable")
    positions = np.arange(len(chosen))
    gaps = chosen["ecart"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    colours = [SIGNED_COLOUR if gap >= 0 else WARNING_COLOUR for gap in np.nan_to_num(gaps)]
    ax.barh(positions, np.nan_to_num(gaps), color=colours)
    ax.axvline(0, color=TARGET_COLOUR, linewidth=0.8)
    for y, gap, own, published in zip(positions, gaps, chosen["extractions"], chosen["donnees_ouvertes"],
                                      strict=True):
        text = "NS" if np.isnan(gap) else f"{format_number(own)} contre {format_number(published)}"
        ax.annotate(text, (0 if np.isnan(gap) else gap, y), xytext=(3 if np.isnan(gap) or gap >= 0 else -3, 0),
                    textcoords="offset points", va="center", ha="left" if np.isnan(gap) or gap >= 0 else "right",
                    fontsize="small", color=MUTED_COLOUR if np.isnan(gap) else "black")
    ax.set_yticks(positions, chosen["nom"])
    ax.invert_yaxis()
    reach = np.nanmax(np.abs(gaps), initial=0) if len(gaps) else 0
    ax.set_xlim(-max(reach * 1.6, 2), max(reach * 1.6, 2))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # a gap is a whole number of contracts
    ax.xaxis.set_major_formatter(number_formatter())
    ax.grid(axis="x")
    return finish_figure(
        fig,
        title=f"Contrats signés fin {year} : extractions et données ouvertes" if year else
        "Extractions et données ouvertes",
        source=f"{SOURCE_CONTRACTS} ; {OPEN_DATA_SOURCE}",
        as_of=_as_of(as_of, comparison),
        synthetic=_synthetic(comparison),
        xlabel="Écart (extractions − données ouvertes, contrats)",
        ylabel="Territoire",
        note=_notes(
            "Étiquette : contrats signés au 31 décembre selon les extractions, contre les données ouvertes.",
            "NS : valeur non diffusée par l'Assurance Maladie." if np.isnan(gaps).any() else None,
        ),
    )
