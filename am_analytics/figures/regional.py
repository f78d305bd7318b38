"""Charts of a region against France (the regional edition): its départements side by side with the interval of
their rate, the region indexed on France (France = 100), its backgrounds beside France's with their intervals.

They draw the frames of `presentation.regional` and the published shares; a value missing there (hidden or not
applicable) is written, never drawn as 0. The layout replaces a chart with nothing to draw by a sentence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from am_analytics.figures.charts import (
    ACTIVE_COLOUR,
    HIGHLIGHT_COLOUR,
    SIGNED_COLOUR,
    TARGET_COLOUR,
    _synthetic,
    below_axis,
)
from am_analytics.figures.contract import finish_figure
from am_analytics.figures.formatting import format_number, number_formatter, percent_formatter
from am_analytics.figures.published import SECRET_TEXT, hidden_labels, shown_values, withheld_label, withheld_notes
from am_analytics.figures.style import MUTED_COLOUR, new_figure, styled
from am_analytics.indicators.territories import generalists_source_note
from am_analytics.vocabulary import SOURCE_CONTRACTS, SOURCE_POPULATION, VARIABLES

MISSING_TEXT = "non disponible"
FRANCE_CODE = "FR"
INTERVAL_LABEL = "Intervalle de confiance à 95 %"


def _row_height_cm(rows: int, legend_lines: int = 1) -> float:
    """A chart's height for `rows` lines of labels: room for the axis, the caption and the legend below, and at
    least 0,75 cm per line (two names of a small region otherwise print over each other)."""
    return 4.2 + 0.45 * legend_lines + 0.75 * max(rows, 3)


def _write_missing(ax, positions, values, labels=None, *, at_right: bool = False) -> None:
    """Where a value is not drawn, what the tables print: its `labels` entry (« secret », « n.s. ») when withheld,
    « non disponible » when missing — written, never drawn as 0 (at the right end of the row when the row's other
    marks start at 0)."""
    labels = np.full(len(values), None, dtype=object) if labels is None else np.asarray(labels, dtype=object)
    for y, value, label in zip(positions, values, labels, strict=True):
        if np.isnan(value):
            where = (1, y) if at_right else (0, y)
            ax.annotate(label or MISSING_TEXT, where, xytext=(-3 if at_right else 3, 0),
                        textcoords="offset points", va="center", ha="right" if at_right else "left",
                        fontsize="small", color=MUTED_COLOUR,
                        xycoords=ax.get_yaxis_transform() if at_right else "data")


def _france_line(ax, value: float, decimals: int, *, percent: bool = False) -> None:
    if np.isnan(value):
        return
    text = f"{format_number(value * 100, decimals)} %" if percent else format_number(value, decimals)
    ax.axvline(value, color=TARGET_COLOUR, linestyle="--", linewidth=0.9, label=f"France entière : {text}")


@styled
def departements_side_by_side_chart(compared: pd.DataFrame, *, france: pd.Series, title: str, as_of: object,
                                    synthetic: bool) -> Figure:
    """Two panels, one line per département: its active contracts per 100 000 inhabitants with the 95 % interval,
    and its active contracts of general practice per 100 general practitioners; France as a dashed line."""
    ordered = compared.iloc[::-1].reset_index(drop=True)
    fig, (rate_ax, gp_ax) = new_figure("full", height_cm=_row_height_cm(len(ordered), legend_lines=3), ncols=2,
                                       sharey=True)
    positions = np.arange(len(ordered))
    rate = ordered["actifs_pour_100k_hab"].to_numpy(dtype=float)
    low, high = ordered["ic_bas"].to_numpy(dtype=float), ordered["ic_haut"].to_numpy(dtype=float)
    known = ~(np.isnan(rate) | np.isnan(low) | np.isnan(high))
    # the point and its interval as two legend entries: every mark of the chart is named
    rate_ax.errorbar(rate[known], positions[known], xerr=[rate[known] - low[known], high[known] - rate[known]],
                     fmt="none", ecolor=SIGNED_COLOUR, elinewidth=1, capsize=3, label=INTERVAL_LABEL)
    rate_ax.plot(rate[known], positions[known], "o", color=SIGNED_COLOUR, label="Taux du département")
    _write_missing(rate_ax, positions, rate,
                   np.where(np.isnan(ordered["actifs"].to_numpy(dtype=float)), SECRET_TEXT, None))
    _france_line(rate_ax, float(france.get("actifs_pour_100k_hab", np.nan)), 1)
    rate_ax.set_xlim(0, max(np.nanmax(np.append(high, 1.0)), float(france.get("actifs_pour_100k_hab", 0))) * 1.1)
    rate_ax.set_xlabel(VARIABLES["actifs_pour_100k_hab"].short)
    gp = ordered["actifs_mg_pour_100_mg_estimes"].to_numpy(dtype=float)
    gp_ax.barh(positions, np.nan_to_num(gp), color=ACTIVE_COLOUR, height=0.55, label="Département")
    _write_missing(gp_ax, positions, gp)
    _france_line(gp_ax, float(france.get("actifs_mg_pour_100_mg_estimes", np.nan)), 1)
    supplied = generalists_source_note(compared)
    gp_ax.set_xlabel("Contrats actifs (MG) pour 100 MG" + (" (est.)" if supplied is None else ""))
    for ax in (rate_ax, gp_ax):
        ax.xaxis.set_major_formatter(number_formatter())
        ax.grid(axis="x")
        ax.legend(frameon=False, ncols=1, **below_axis(ax))
    rate_ax.set_yticks(positions, ordered["nom"])
    fig.supylabel("Département", fontsize=rate_ax.yaxis.label.get_fontsize())
    return finish_figure(fig, title=title, source=f"{SOURCE_CONTRACTS} ; {SOURCE_POPULATION}", as_of=as_of,
                         synthetic=synthetic,
                         note=f"{supplied or 'MG : médecins généralistes, nombre estimé.'} Intervalle exact de la loi "
                         "de Poisson.")


@styled
def index_on_france_chart(index: pd.DataFrame, *, title: str, as_of: object, synthetic: bool) -> Figure:
    """The region's indicators indexed on France (France = 100): one bar per indicator, the value printed."""
    ordered = index.iloc[::-1].reset_index(drop=True)
    fig, ax = new_figure("full", height_cm=_row_height_cm(len(ordered)))
    positions = np.arange(len(ordered))
    values = ordered["indice_france_100"].to_numpy(dtype=float)
    colours = [HIGHLIGHT_COLOUR if value >= 100 else SIGNED_COLOUR for value in np.nan_to_num(values)]
    ax.barh(positions, np.nan_to_num(values), color=colours, height=0.55)
    for y, value in zip(positions, values, strict=True):
        if not np.isnan(value):
            ax.annotate(format_number(value, 0), (value, y), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize="small", bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
    labels = ([withheld_label(reason) for reason in ordered["region_secret"]] if "region_secret" in ordered.columns
              else None)
    _write_missing(ax, positions, values, labels)
    ax.axvline(100, color=TARGET_COLOUR, linestyle="--", linewidth=0.9, label="France entière = 100")
    ax.set_xlim(0, max(np.nanmax(np.append(values, 100.0)) * 1.18, 130))
    ax.set_yticks(positions, ordered["libelle"])
    ax.xaxis.set_major_formatter(number_formatter())
    ax.grid(axis="x")
    ax.legend(frameon=False, **below_axis(ax))
    return finish_figure(fig, title=title, source=f"{SOURCE_CONTRACTS} ; {SOURCE_POPULATION}", as_of=as_of,
                         synthetic=synthetic, xlabel="Indice (France entière = 100)", ylabel="Indicateur",
                         note=" ".join(withheld_notes(labels or [])) or None)


@styled
def backgrounds_against_france_chart(shares: pd.DataFrame, region: str, region_name: str, *, title: str,
                                     as_of: object) -> Figure:
    """The share of each background in the region and in France, with their 95 % intervals; a withheld share is
    written as the tables print it (« secret », « n.s. »), never drawn."""
    own = shares[shares["code"] == region].set_index("profil_origine")
    france = shares[shares["code"] == FRANCE_CODE].set_index("profil_origine")
    order = [name for name in france.index if name in own.index][::-1]
    fig, ax = new_figure("full", height_cm=_row_height_cm(len(order)))
    positions = np.arange(len(order))
    for offset, frame, colour, label in ((0.17, own, HIGHLIGHT_COLOUR, region_name),
                                         (-0.17, france, SIGNED_COLOUR, "France entière")):
        value, low, high = (shown_values(frame.loc[order], column) for column in ("part", "ic_bas", "ic_haut"))
        known = ~(np.isnan(value) | np.isnan(low) | np.isnan(high))
        errors = [value[known] - low[known], high[known] - value[known]]
        ax.errorbar(value[known], positions[known] + offset, xerr=errors, fmt="none", ecolor=colour, elinewidth=1,
                    capsize=2.5, label=f"{label} : intervalle à 95 %")
        ax.plot(value[known], positions[known] + offset, "o", color=colour, label=f"{label} : part")
        if frame is own:
            withheld = hidden_labels(frame.loc[order], "part")
            _write_missing(ax, positions + offset, value, withheld, at_right=True)
    ax.set_yticks(positions, own.loc[order, "libelle"])
    ax.set_xlim(0, 1.0)
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.grid(axis="x")
    ax.legend(frameon=False, ncols=2, **below_axis(ax))
    return finish_figure(fig, title=title, source=SOURCE_CONTRACTS, as_of=as_of, synthetic=_synthetic(shares),
                         xlabel="Part des contrats signés (%)", ylabel="Profil d'origine",
                         note=" ".join(["Points : part ; barres : intervalle de confiance de Wilson à 95 %.",
                                        *withheld_notes(withheld)]))

