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
from am_analytics.figures.formatting import format_number, french_date_axis, number_formatter, year_label
from am_analytics.figures.published import hidden_mask, shown_values
from am_analytics.figures.style import MUTED_COLOUR, styled
from am_analytics.geography import simplify
from am_analytics.indicators.selection import selectable
from am_analytics.presentation.disclosure import PRIMARY, secret_column
from am_analytics.vocabulary import SOURCE_CONTRACTS

OPEN_DATA_SOURCE = "Assurance Maladie, données annuelles par territoire (assistants médicaux)"


# A published series may be coarsened to quarters or years (`results.series_step`): each bar spans its period.
_PERIOD_DAYS = {"mois": (14, 24), "trimestre": (45, 80), "annee": (182, 320)}  # centre offset, bar width (days)
_PERIOD_WORDS = {"mois": "Mois", "trimestre": "Trimestre", "annee": "Année"}


_PERIOD_ENDS = {"mois": pd.offsets.MonthEnd(0), "trimestre": pd.offsets.QuarterEnd(0), "annee": pd.offsets.YearEnd(0)}


def _complete_periods(signings: pd.DataFrame, months: pd.Series, step: str) -> np.ndarray:
    """Whether each period had ended by its row's end (`fin_de_periode`, the counting date for the last one): a
    published series by quarter or year says so only through that date."""
    if "fin_de_periode" not in signings:
        return signings["mois_complet"].astype(bool).to_numpy()
    ends = pd.to_datetime(signings["fin_de_periode"]).dt.normalize()
    return (ends >= (months + _PERIOD_ENDS[step]).dt.normalize()).to_numpy()


def _period_step(months: pd.Series) -> str:
    """The step of a series read from its rows (a published series says it in its attrs, but a chart reads the
    frame it draws): periods 1 month apart, 3 (quarters) or 12 (years)."""
    if len(months) < 2:
        return "mois"
    index = months.dt.year * 12 + months.dt.month
    gap = float(np.median(np.diff(index.to_numpy())))  # the median: a first period may start mid-quarter
    return "annee" if gap >= 12 else "trimestre" if gap >= 3 else "mois"


SMALL_SYMBOL = "< 5"  # as the tables print a primary cell; « s » for a complementary one


def _hidden_symbols(series: pd.DataFrame) -> np.ndarray:
    """What a hidden bar says, as its table cell does: « < 5 » for a small count, « s » for a count hidden so that
    a small one cannot be recovered."""
    reasons = series.get(secret_column("signes_mois"), pd.Series([pd.NA] * len(series)))
    return np.where(reasons.astype("string").fillna("").to_numpy() == PRIMARY, SMALL_SYMBOL, "s")


RECENT_MONTHS = 24  # a monthly series as bars: the last two years read better than seventy thin bars


def recent_periods(series: pd.DataFrame) -> pd.DataFrame:
    """The periods a bar chart of a series shows: its last `RECENT_MONTHS` months, or every quarter or year of a
    series published at a coarser step (a few dozen bars at most)."""
    return series.tail(RECENT_MONTHS) if _period_step(pd.to_datetime(series["mois"])) == "mois" else series


@styled
@selectable
def monthly_signings_chart(
    signings: pd.DataFrame, *, title: str = "Contrats signés chaque mois", as_of: object = None, ax: Axes | None = None
) -> Figure:
    """Contracts signed each month (`indicators.followup.signings_by_month`, or a published series of
    `presentation.results`, by month or by the coarser step it was published at), one bar a period on a French date
    axis; a period not yet ended (as_of before its last day) is drawn hatched and says so; a hidden count (published
    series) draws no bar and says « s » where the bar would stand."""
    fig, ax = _axes(ax, height_cm=8)
    months = pd.to_datetime(signings["mois"])
    step = _period_step(months)
    offset, width = _PERIOD_DAYS[step]
    word = _PERIOD_WORDS[step]
    counts = shown_values(signings, "signes_mois")
    hidden = hidden_mask(signings, "signes_mois")
    complete = _complete_periods(signings, months, step)
    # a bar in the middle of its calendar period, under its period's tick (the first period starts with the scheme,
    # in September 2019: its bar stands where its year's would)
    starts = months.dt.to_period({"mois": "M", "trimestre": "Q", "annee": "Y"}[step]).dt.to_timestamp()
    centres = starts + pd.Timedelta(days=offset)
    ax.bar(centres[complete], np.nan_to_num(counts[complete]), width=width, color=SIGNED_COLOUR,
           label="Année complète" if step == "annee" else f"{word} complet")
    if (~complete).any():
        ax.bar(centres[~complete], np.nan_to_num(counts[~complete]), width=width, color="white",
               edgecolor=SIGNED_COLOUR, hatch="////", label=f"{word} en cours (jusqu'à la date d'arrêté)")
        _legend_below(ax, ncols=2)
    symbols = _hidden_symbols(signings)
    for rank, (centre, symbol) in enumerate(zip(centres[hidden], symbols[hidden], strict=True)):
        # neighbouring hidden bars say their symbol one line apart: narrow bars would print them over each other
        ax.annotate(symbol, (centre, 0), xytext=(0, 2 + 9 * (rank % 2)), textcoords="offset points", ha="center",
                    va="bottom",
                    fontsize="small", color=MUTED_COLOUR)
    if not len(signings) or (not np.nansum(counts) and not hidden.any()):
        _say_in_plot(ax, "Aucun contrat signé sur la période")
    months_shown = len(signings) * {"mois": 1, "trimestre": 3, "annee": 12}[step]
    interval = 1 if months_shown <= 8 else 3 if months_shown <= 18 else 6 if months_shown <= 48 else 12
    if step == "annee":
        # one label under each bar, the partial year marked as such (« 2025 (janv.–juin) »), never a bare « 2025 »
        day = _as_of(as_of, signings)
        ax.set_xticks(centres, [year_label(month.year, day, separator="\n") for month in months])
    else:  # quarters start in January, April, July, October: a tick every 3 months at least
        french_date_axis(ax.xaxis, "month", interval=interval if step == "mois" else max(interval, 3))
    _count_axis(ax.yaxis, counts)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y")
    return finish_figure(
        fig,
        title=title,
        source=SOURCE_CONTRACTS,
        as_of=_as_of(as_of, signings),
        synthetic=_synthetic(signings),
        xlabel=f"{word} de signature",
        note=_notes(f"« {SMALL_SYMBOL} » : effectif de 1 à 4, masqué (secret statistique)."
                    if (symbols[hidden] == SMALL_SYMBOL).any() else None,
                    "« s » : valeur masquée pour qu'aucun effectif « < 5 » ne puisse être retrouvé."
                    if (symbols[hidden] == "s").any() else None),
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
