"""Chart functions: indicator frames in, finished figures out (title, axis labels with units, source and
as-of caption, synthetic mention), drawn the same way for the notebooks and the PDF report.

Each function takes the frames the indicators return (and an optional Axes), reads whether its inputs
are synthetic from their source labels, and returns a Figure; saving is `contract.save_figure`'s job.

Every chart draws whatever a date and a scope give it: a scope with no contract yet (« Aucun contrat à
cette date » in the plot, never an exception), a category or a period with none, a single contract, a
missing denominator. A published frame (see `published`) is drawn without its hidden values: no bar, no
number, no colour; the figure says « secret statistique » where it matters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from am_analytics.figures.contract import finish_figure, plot_published
from am_analytics.figures.formatting import (
    format_date,
    format_millions,
    format_number,
    format_percent,
    french_date_axis,
    number_formatter,
    percent_formatter,
    year_label,
)
from am_analytics.figures.published import (
    NO_CONTRACT_TEXT,
    SECRET_NOTE,
    SECRET_TEXT,
    hidden_labels,
    hidden_mask,
    hides_any,
    nothing_to_show,
    shown_values,
    withheld_notes,
)
from am_analytics.figures.style import (
    HIGHLIGHT_TEXT_COLOUR,
    MUTED_COLOUR,
    NO_DATA_COLOUR,
    NO_DATA_HATCH,
    NO_DATA_HATCH_COLOUR,
    OKABE_ITO,
    SECRET_COLOUR,
    SECRET_HATCH,
    SECRET_HATCH_COLOUR,
    SECRET_LABEL,
    SEQUENTIAL_CMAP,
    category_colours,
    new_figure,
    styled,
    text_colour_on,
)
from am_analytics.indicators.common import is_synthetic
from am_analytics.indicators.selection import selectable
from am_analytics.presentation.coarsening import coarsening_notes
from am_analytics.vocabulary import (
    ACTIVE_RATE,
    SATISFACTION,
    SCHEME_START,
    SOURCE_CONTRACTS,
    SOURCE_POPULATION,
    SOURCE_SURVEY,
    SOURCE_TARGETS,
    VARIABLES,
)

SIGNED_COLOUR = OKABE_ITO["bleu"]
ACTIVE_COLOUR = OKABE_ITO["vert"]
HIGHLIGHT_COLOUR = OKABE_ITO["orange"]
WARNING_COLOUR = OKABE_ITO["vermillon"]
TARGET_COLOUR = "#555555"
TEXT_COLOUR_DARK = "#333333"
NO_CONTRACT_LABEL = "Aucun contrat"  # legend of a bar or a cell whose group has no contract yet


def _synthetic(*frames: pd.DataFrame | None) -> bool:
    return any(is_synthetic(frame) for frame in frames if frame is not None)


def _as_of(as_of: object, *frames: pd.DataFrame | None) -> object:
    """The counting date a chart's caption states: the one its caller passes (every output of the package passes
    its scope's `as_of`); for an analyst who draws an indicator frame without it, the date the frame records."""
    if as_of is not None:
        return as_of
    for frame in frames:
        if frame is not None and frame.attrs.get("as_of"):
            return frame.attrs["as_of"]
    return None


def _say_in_plot(ax: Axes, text: str) -> None:
    """A sentence in the middle of an empty plot (no contract, nothing to compare), so it is not read as 0."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color=MUTED_COLOUR,
            fontsize="large", wrap=True, bbox={"facecolor": "white", "edgecolor": "none", "pad": 3})


def _count_axis(axis, values: np.ndarray) -> None:
    """A count axis from 0 with whole-number ticks, tall enough to read even when every value is 0 or 1."""
    highest = float(np.nanmax(values, initial=0.0))
    axis.axes.set_ylim(0, max(axis.axes.get_ylim()[1], highest * 1.05, 5.0))
    axis.set_major_locator(MaxNLocator(integer=True))


def _notes(*notes: str | None) -> str | None:
    """The figure's note: the given sentences, in order, those that apply."""
    kept = [note for note in notes if note]
    return " ".join(kept) if kept else None


def _axes(ax: Axes | None, size: str = "full", height_cm: float | None = None) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    return new_figure(size, height_cm=height_cm)


def _highlight_ticks(labels, names: Sequence[str]) -> None:
    """Set the tick labels naming a highlighted territory in bold and the highlight's text colour."""
    for label in labels:
        if label.get_text() in names:
            label.set_fontweight("bold")
            label.set_color(HIGHLIGHT_TEXT_COLOUR)


def _highlight_names(frame: pd.DataFrame, highlight: str | None) -> list[str]:
    if highlight is None or "code" not in frame.columns:
        return []
    return list(dict.fromkeys(frame.loc[frame["code"] == highlight, "nom"].astype(str)))


DEADLINE_LABEL = "Échéance d'un objectif"


def _deadline_marks(ax: Axes, deadlines: Sequence[pd.Timestamp], value: float) -> None:
    """A triangle on a target's line at each of its deadlines, named once in the legend."""
    named = any(line.get_label() == DEADLINE_LABEL for line in ax.lines)
    ax.plot(deadlines, [value] * len(deadlines), linestyle="none", marker="v", color=TARGET_COLOUR,
            label="_nolegend_" if named else DEADLINE_LABEL)


def _target_label(value: float, deadlines: Sequence[pd.Timestamp]) -> str:
    years = sorted({f"fin {d.year}" if (d.month, d.day) == (12, 31) else format_date(d) for d in deadlines})
    return f"Objectif {format_number(value)} ({', '.join(years)})"


@styled
@selectable
def rollout_chart(
    monthly: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    projections: pd.DataFrame | None = None,
    published: pd.DataFrame | None = None,
    *,
    title: str = "Déploiement national des assistants médicaux",
    as_of: object = None,
    ax: Axes | None = None,
) -> Figure:
    """Cumulative contracts signed and active contracts by month, the contract targets as reference lines
    (a marker at each deadline), the projection of the next unmet target with its band, and the real
    published figures as black diamonds. Hidden monthly values (published frames) leave gaps."""
    fig, ax = _axes(ax, height_cm=9.5)
    dates = pd.to_datetime(monthly["fin_de_periode"])
    signed = shown_values(monthly, "signes_cumul")
    _plot_with_gaps(ax, dates, signed, color=SIGNED_COLOUR, linewidth=2, label="Contrats signés (cumul)")
    _plot_with_gaps(ax, dates, shown_values(monthly, "actifs"), color=ACTIVE_COLOUR, linewidth=1.6,
                    label="Contrats actifs")
    posts = _target_rows(targets, "contrats_signes")
    shown_posts, beyond = _targets_in_view(posts, signed)
    left, right = _date_span(dates)
    for value, group in shown_posts.groupby("valeur_cible"):
        deadlines = list(pd.to_datetime(group["echeance"]))
        ax.axhline(value, color=TARGET_COLOUR, linestyle="--", linewidth=0.9)
        in_view = [deadline for deadline in deadlines if deadline <= right]
        if in_view:
            _deadline_marks(ax, in_view, value)
        ax.annotate(
            _target_label(value, deadlines),
            (left, value),
            xytext=(2, 3),
            textcoords="offset points",
            fontsize="small",
            color=TARGET_COLOUR,
        )
    projected_end = _draw_projection(ax, monthly, projections) if projections is not None else None
    projected = projected_end is not None
    if projected:
        right = max(right, projected_end)
    if published is not None and not published.empty:
        chosen = published[published["indicateur"] == "contrats_signes"]
        plot_published(ax, pd.to_datetime(chosen["date_reference"]), chosen["valeur_publiee"])
    if nothing_to_show(monthly, "signes_cumul"):
        _say_in_plot(ax, NO_CONTRACT_TEXT)
    # the axis covers the period shown (and the projection drawn), never empty years up to a distant deadline
    ax.set_xlim(left - pd.Timedelta(days=30), right + pd.Timedelta(days=45))
    _count_axis(ax.yaxis, signed)
    french_date_axis(ax.xaxis, "year", interval=1)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y")
    _legend_below(ax)
    return finish_figure(
        fig,
        title=title,
        # a region's chart has neither targets nor published figures: its source says only what it shows
        source=f"{SOURCE_CONTRACTS} ; {SOURCE_TARGETS}" if len(posts) or published is not None else SOURCE_CONTRACTS,
        as_of=_as_of(as_of, monthly),
        synthetic=_synthetic(monthly, projections),
        xlabel="Date (fin de mois)",
        ylabel="Contrats (nombre)",
        note=_notes(
            "Projection : tendance linéaire des 12 derniers mois, bande à 95 %." if projected else None,
            _beyond_note(beyond),
            SECRET_NOTE if hides_any(monthly, ["signes_cumul", "actifs"]) else None,
        ),
    )


def _plot_with_gaps(ax: Axes, dates: pd.Series, values: np.ndarray, **style) -> None:
    """A monthly line whose hidden months leave gaps; a month shown between two hidden ones gets a marker,
    which a line alone would not draw (a small region's series is often such isolated points)."""
    ax.plot(dates, values, **style)
    shown = ~np.isnan(np.asarray(values, dtype=float))
    before, after = np.r_[False, shown[:-1]], np.r_[shown[1:], False]
    isolated = shown & ~before & ~after
    if isolated.any():
        ax.plot(np.asarray(dates)[isolated], np.asarray(values, dtype=float)[isolated], linestyle="none",
                marker="o", markersize=3, color=style.get("color"))


def _targets_in_view(posts: pd.DataFrame, signed: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets a chart draws (every target reached, and the next one), and those it only names: a
    distant target would stretch the axis and flatten the curve."""
    if posts.empty:
        return posts, posts
    reached = float(np.nanmax(signed, initial=0.0))
    values = sorted(set(posts["valeur_cible"].astype(float)))
    following = [value for value in values if value > reached]
    limit = following[0] if following else values[-1]
    keep = posts["valeur_cible"].astype(float) <= limit
    return posts[keep], posts[~keep]


def _beyond_note(beyond: pd.DataFrame) -> str | None:
    if beyond.empty:
        return None
    names = [
        _target_label(value, list(pd.to_datetime(group["echeance"])))
        for value, group in beyond.groupby("valeur_cible")
    ]
    return "Hors du graphique : " + " ; ".join(name[0].lower() + name[1:] for name in names) + "."


def _legend_below(ax: Axes, ncols: int = 4) -> None:
    """The legend under the plot and its axis label, clear of every line, target and label drawn in it."""
    ax.legend(ncols=ncols, frameon=False, **below_axis(ax))


def below_axis(ax: Axes) -> dict[str, object]:
    """Where a legend goes under a plot: below its tick labels and its axis label whatever the plot's height (a
    fraction of the axes' height put it on the axis label of a short plot and far below a tall one)."""
    rc = mpl.rcParams
    ticks = FontProperties(size=rc["xtick.labelsize"]).get_size_in_points()
    label = FontProperties(size=rc["axes.labelsize"]).get_size_in_points()
    depth = rc["xtick.major.size"] + rc["xtick.major.pad"] + 1.25 * ticks + rc["axes.labelpad"] + 1.25 * label + 2
    return {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0),
            "bbox_transform": offset_copy(ax.transAxes, fig=ax.figure, y=-depth, units="points")}


def _target_rows(targets: pd.DataFrame | None, indicator: str) -> pd.DataFrame:
    """The targets of one indicator (none for a region's chart, whose targets are national)."""
    if targets is None or targets.empty:
        return pd.DataFrame(columns=["valeur_cible", "echeance"])
    return targets[targets["indicateur"] == indicator]


def _date_span(dates: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last date of a monthly series; the scheme's first month when the series is empty."""
    known = dates.dropna()
    if known.empty:
        start = pd.Timestamp(SCHEME_START)
        return start, start + pd.offsets.MonthEnd(0)
    return known.min(), known.max()


def _draw_projection(ax: Axes, monthly: pd.DataFrame, projections: pd.DataFrame) -> pd.Timestamp | None:
    """The next unmet target's projected date: a dotted line from the last point, a band between the
    earliest and latest dates of its interval (up to the right edge when the latest is beyond the
    projection's horizon). Returns the band's last date (None when nothing is drawn)."""
    pending = projections[projections["date_projetee"].notna() & (projections["indicateur"] == "contrats_signes")]
    signed = shown_values(monthly, "signes_cumul")
    if pending.empty or not len(monthly) or np.isnan(signed[-1]):
        return None
    target = pending.sort_values("valeur_cible").iloc[0]
    start_date = pd.to_datetime(monthly["fin_de_periode"]).iloc[-1]
    start_value = signed[-1]
    end = pd.Timestamp(target["date_projetee"])
    # Missing bounds: the earliest one only when the point is missing too; the latest one beyond the horizon.
    low = _timestamp_or(target["date_projetee_au_plus_tot"], end)
    high = _timestamp_or(target["date_projetee_au_plus_tard"], end + pd.DateOffset(years=10))
    ax.fill(
        [start_date, low, high],
        [start_value, target["valeur_cible"], target["valeur_cible"]],
        color=SIGNED_COLOUR,
        alpha=0.15,
        linewidth=0,
        label="Projection (bande à 95 %)",
    )
    ax.plot([start_date, end], [start_value, target["valeur_cible"]], color=SIGNED_COLOUR, linestyle=":", linewidth=1.6)
    ax.annotate(
        f"projection : {format_date(end)}",
        (end, target["valeur_cible"]),
        # above the target line and ending at the projected date: the dotted line comes from below, never through it
        xytext=(0, 5),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize="small",
        color=SIGNED_COLOUR,
    )
    # a band running beyond the horizon is cut at the point date: the axis stays on the period that matters
    return high if pd.notna(target["date_projetee_au_plus_tard"]) else end


def _timestamp_or(value: object, default: pd.Timestamp) -> pd.Timestamp:
    return default if pd.isna(value) else pd.Timestamp(value)


@styled
@selectable
def fte_chart(
    monthly: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    published: pd.DataFrame | None = None,
    *,
    as_of: object = None,
    ax: Axes | None = None,
) -> Figure:
    """Active FTE and cumulative FTE signed by month, against the 2 000 FTE target of « Ma santé 2022 »."""
    fig, ax = _axes(ax, height_cm=8)
    dates = pd.to_datetime(monthly["fin_de_periode"])
    signed = shown_values(monthly, "etp_signes_cumul")
    ax.plot(dates, signed, color=SIGNED_COLOUR, linewidth=2, label="ETP signés (cumul)")
    ax.plot(dates, shown_values(monthly, "etp_actifs"), color=ACTIVE_COLOUR, linewidth=1.6, label="ETP actifs")
    left, _ = _date_span(dates)
    for _, target in _target_rows(targets, "etp_assistants").iterrows():
        ax.axhline(target["valeur_cible"], color=TARGET_COLOUR, linestyle="--", linewidth=0.9)
        deadline = pd.Timestamp(target["echeance"])
        _deadline_marks(ax, [deadline], target["valeur_cible"])
        ax.annotate(
            _target_label(target["valeur_cible"], [deadline]) + " ETP",
            (left, target["valeur_cible"]),
            xytext=(2, 3),
            textcoords="offset points",
            fontsize="small",
            color=TARGET_COLOUR,
        )
    if published is not None and not published.empty:
        chosen = published[published["indicateur"] == "etp_assistants"]
        plot_published(ax, pd.to_datetime(chosen["date_reference"]), chosen["valeur_publiee"])
    if nothing_to_show(monthly, "etp_signes_cumul"):
        _say_in_plot(ax, NO_CONTRACT_TEXT)
    ax.set_ylim(0, max(ax.get_ylim()[1], 1.0))
    span_left, span_right = _date_span(dates)
    ax.set_xlim(span_left - pd.Timedelta(days=30), span_right + pd.Timedelta(days=45))
    french_date_axis(ax.xaxis, "year", interval=1)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y")
    _legend_below(ax, ncols=3)
    return finish_figure(
        fig,
        title="Équivalents temps plein d'assistants médicaux financés",
        source=f"{SOURCE_CONTRACTS} ; {SOURCE_TARGETS}"
        if len(_target_rows(targets, "etp_assistants")) or published is not None
        else SOURCE_CONTRACTS,
        as_of=_as_of(as_of, monthly),
        synthetic=_synthetic(monthly),
        xlabel="Date (fin de mois)",
        ylabel="ETP (nombre)",
        note=SECRET_NOTE if hides_any(monthly, ["etp_signes_cumul", "etp_actifs"]) else None,
    )


@styled
@selectable
def regions_ranked_chart(
    regions: pd.DataFrame,
    *,
    measure: str = "actifs_pour_100k_hab",
    label: str = ACTIVE_RATE.label,
    national: pd.DataFrame | None = None,
    highlight: str | None = None,
    as_of: object = None,
    ax: Axes | None = None,
) -> Figure:
    """Regions ranked by a rate; a region without denominator is listed with « n.d. », never drawn as 0, and
    a hidden rate (published frame) with « secret », never drawn at all."""
    fig, ax = _axes(ax, height_cm=11.5)  # 18 regions: one name per line, with room between them
    decimals = VARIABLES[measure].decimals if measure in VARIABLES else 1  # as the tables print the rate
    frame = regions.assign(_value=shown_values(regions, measure), _hidden=hidden_mask(regions, measure),
                           _label=hidden_labels(regions, measure))
    ordered = frame.sort_values("_value", ascending=True, na_position="first", kind="stable")
    positions = np.arange(len(ordered))
    values = ordered["_value"].to_numpy(dtype=float)
    colours = [HIGHLIGHT_COLOUR if code == highlight else SIGNED_COLOUR for code in ordered["code"]]
    ax.barh(positions, np.nan_to_num(values), color=colours)
    for y, value, hidden, withheld in zip(positions, values, ordered["_hidden"], ordered["_label"], strict=True):
        ax.annotate(
            withheld if hidden else format_number(value, decimals) if not np.isnan(value) else "n.d.",
            (0 if np.isnan(value) else value, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize="small",
            # on a white ground drawn above the France line, which would otherwise run through a value near it
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
            zorder=4,
        )
    rate = np.nan if national is None or national.empty else shown_values(national, measure)[0]
    if not np.isnan(rate):
        ax.axvline(rate, color=TARGET_COLOUR, linestyle="--", linewidth=0.9)
        ax.annotate(
            f"France : {format_number(rate, decimals)}",
            (rate, len(ordered) - 0.5),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize="small",
            color=TARGET_COLOUR,
        )
    ax.set_yticks(positions, ordered["nom"])
    _highlight_ticks(ax.get_yticklabels(), _highlight_names(regions, highlight))
    ax.xaxis.set_major_formatter(number_formatter())
    ax.grid(axis="x")
    return finish_figure(
        fig,
        title=f"{label}, par région",
        source=f"{SOURCE_CONTRACTS} ; {SOURCE_POPULATION}",
        as_of=_as_of(as_of, regions),
        synthetic=_synthetic(regions),
        xlabel=f"{label} (nombre)",
        ylabel="Région",
        note=_notes(
            "n.d. : population non disponible (Mayotte est absente des populations légales de l'Insee).",
            *withheld_notes(ordered["_label"][ordered["_hidden"].to_numpy(dtype=bool)]),
        ),
    )


def _colours(n: int) -> list[str]:
    """The palette's colours, then neutral grey: the eighth category is always « non renseigné »."""
    palette = min(n, 7)
    return category_colours(palette) + ["#9E9E9E"] * (n - palette)


def _stacked_shares(ax: Axes, table: pd.DataFrame, labels: Sequence[str], *, horizontal: bool,
                    states: pd.Series, remainder: pd.Series) -> None:
    """Stacked bars of shares: one bar per row of `table` (index = bar label), one segment per column, the
    shown shares only.

    `remainder` (same index) is the share a bar's hidden categories hold together, NaN where nothing is hidden
    or where that remainder is not published: drawn as one hatched « secret » segment after the shown ones.
    `states` says which bars have nothing to stack: `"vide"` (no contract in that group, written « aucun
    contrat ») or `"secret"` (no share of the bar can be shown: a hatched bar written « secret statistique »)."""
    colours = _colours(len(table.columns))
    positions = np.arange(len(table))
    drawn = (states == "").to_numpy()
    left = np.zeros(len(table))
    for column, colour, label in zip(table.columns, colours, labels, strict=True):
        values = np.where(drawn, table[column].fillna(0).to_numpy(dtype=float), 0.0)
        _bars(ax, positions, values, left, horizontal=horizontal, color=colour, label=label, edgecolor="white",
              linewidth=0.4)
        left += values
    hidden = np.where(drawn, np.nan_to_num(remainder.to_numpy(dtype=float)), 0.0)
    if hidden.any():
        _bars(ax, positions, hidden, left, horizontal=horizontal, **_hatch_style("secret"))
    nothing = (states == "vide").all()  # the chart then says so once, in the middle
    for position, state in zip(positions, states, strict=True):
        if state and not nothing:
            _mark_bar(ax, position, state, horizontal=horizontal)
    if horizontal:
        ax.set_yticks(positions, list(table.index))
        ax.xaxis.set_major_formatter(percent_formatter())
        ax.set_xlim(0, 1)
    else:
        ax.set_xticks(positions, list(table.index))
        ax.yaxis.set_major_formatter(percent_formatter())
        ax.set_ylim(0, 1)


def _bars(ax: Axes, positions, values, start, *, horizontal: bool, **style) -> None:
    if horizontal:
        ax.barh(positions, values, left=start, **style)
    else:
        ax.bar(positions, values, bottom=start, **style)


def _hatch_style(state: str) -> dict[str, object]:
    """The fill of what has no colour of its own: hatched rose « secret », or hatched grey « aucun contrat »."""
    secret = state == "secret"
    return {
        "color": SECRET_COLOUR if secret else NO_DATA_COLOUR,
        "hatch": SECRET_HATCH if secret else NO_DATA_HATCH,
        "hatchcolor": SECRET_HATCH_COLOUR if secret else NO_DATA_HATCH_COLOUR,
        "linewidth": 0,
        "label": SECRET_LABEL if secret else NO_CONTRACT_LABEL,
    }


def _mark_bar(ax: Axes, position: float, state: str, *, horizontal: bool) -> None:
    """Fill a bar that has no shares to show: hatched secret, or hatched grey « aucun contrat »."""
    style = _hatch_style(state)
    text = "secret statistique" if state == "secret" else "aucun contrat"
    plain = {"boxstyle": "square,pad=0.15", "facecolor": style["color"], "edgecolor": "none"}  # legible on hatching
    if horizontal:
        ax.barh([position], [1.0], **style)
        ax.text(0.5, position, text, ha="center", va="center", fontsize="small", color=TEXT_COLOUR_DARK, bbox=plain)
    else:
        ax.bar([position], [1.0], **style)
        ax.text(position, 0.5, text, ha="center", va="center", fontsize="small", color=TEXT_COLOUR_DARK,
                rotation=90, bbox=plain)


@dataclass(frozen=True)
class _Shares:
    """A mix ready to stack: the shown shares (one column per category label, in the indicator's order), each
    bar's state (see `_stacked_shares`), the published remainder of its hidden categories, and the bars whose
    hidden part is left out because its remainder is not published."""

    wide: pd.DataFrame
    labels: list[str]
    states: pd.Series
    remainder: pd.Series
    left_out: pd.Series

    def note(self) -> str | None:
        """What the hatching means, said once, and which bars are incomplete."""
        notes = []
        if self.remainder.notna().any():
            notes.append(REMAINDER_NOTE)
        if (self.states == "secret").any():
            notes.append(SECRET_NOTE)
        if self.left_out.any():
            notes.append(LEFT_OUT_NOTE + ", ".join(map(str, self.left_out[self.left_out].index)) + ".")
        return _notes(*notes)


REMAINDER_NOTE = ("Secret statistique : dans une barre, les catégories masquées sont regroupées en un segment "
                  "hachuré, égal au total moins les parts publiées.")
LEFT_OUT_NOTE = "Part masquée non dessinée (son total n'est pas publié) : "
LEFT_OUT_LEVELS_NOTE = "Réponses masquées non dessinées : "


def _wide_shares(frame: pd.DataFrame, index: str, label: str) -> _Shares:
    """The shown shares of a published mix, one bar per `index` value and one segment per `label`; categories
    sharing a label (an unknown background and a missing one are both « Non renseigné ») are one segment.

    A bar with hidden categories keeps its shown ones: the hidden ones are one segment, the remainder, drawn only
    when the bar's total is published (then 100 % minus the published shares is a difference of published figures
    and reveals nothing new); a bar with no share to show is marked « secret statistique »."""
    order = list(dict.fromkeys(frame[label]))
    values = frame.assign(_part=shown_values(frame, "part"), _hidden=hidden_mask(frame, "part"))
    if "total" in frame.columns:
        values["_total_hidden"] = hidden_mask(frame, "total")
        values["_empty"] = shown_values(frame, "total") == 0
    else:  # shares of one bar add up to 100 %: without a total, the remainder is read off the published shares
        values["_total_hidden"] = False
        values["_empty"] = False
    grouped = values.groupby([index, label], sort=False)
    wide = grouped["_part"].sum(min_count=1).unstack(label).reindex(columns=order)
    rows = values.groupby(index, sort=False)
    hidden = (rows["_hidden"].any() | rows["_total_hidden"].any()).reindex(wide.index)
    total_shown = ~rows["_total_hidden"].any().reindex(wide.index)
    empty = (rows["_empty"].all() | (wide.isna().all(axis=1) & ~hidden)).reindex(wide.index)
    shown = wide.fillna(0).sum(axis=1)
    states = pd.Series("", index=wide.index, dtype=object)
    states[(empty & ~hidden).to_numpy()] = "vide"
    states[(hidden & (shown <= 0)).to_numpy()] = "secret"
    drawn = hidden & (states == "")
    remainder = (1 - shown).clip(lower=0).where(drawn & total_shown)
    return _Shares(wide, order, states, remainder, drawn & ~total_shown)


def _unique_legend(ax: Axes, **placement) -> None:
    """The legend with each entry once (every secret or empty bar adds an entry of its own)."""
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), frameon=False, **placement)


@styled
@selectable
def background_by_region_chart(
    shares: pd.DataFrame, *, highlight: str | None = None, as_of: object = None, ax: Axes | None = None
) -> Figure:
    """Assistants' backgrounds: stacked shares per region (and France), from `background_shares_by_region`;
    `highlight` (a region code) sets that region's name in bold and the highlight colour."""
    fig, ax = _axes(ax, height_cm=12)
    mix = _wide_shares(shares, "nom", "libelle")
    _stacked_shares(ax, mix.wide.iloc[::-1], mix.labels, horizontal=True, states=mix.states.iloc[::-1],
                    remainder=mix.remainder.iloc[::-1])
    _highlight_ticks(ax.get_yticklabels(), _highlight_names(shares, highlight))
    _unique_legend(ax, ncols=3, **below_axis(ax))
    return finish_figure(
        fig,
        title="Profil d'origine des assistants médicaux, par région",
        source=SOURCE_CONTRACTS,
        as_of=_as_of(as_of, shares),
        synthetic=_synthetic(shares),
        xlabel="Part des contrats signés (%)",
        ylabel="Région",
        note=mix.note(),
    )


@styled
@selectable
def background_heatmap_chart(
    shares: pd.DataFrame, *, highlight: str | None = None, as_of: object = None, ax: Axes | None = None
) -> Figure:
    """Assistants' backgrounds as a heatmap, one row per region (France last), one column per background,
    each cell the share of the region's contracts (from `background_shares_by_region`), written in it.

    Drawn with seaborn's heatmap on the package's own colours (viridis, French percents). A region without
    contract has grey hatched cells (« Données non disponibles »); a hidden share (published frame) a rose
    cross-hatched cell (« Secret statistique »), without number or colour of the scale. `highlight` (a region
    code) sets that region's name in bold and the highlight colour.
    """
    import seaborn as sns  # imported here: only this chart needs it, and it takes a while to import

    fig, ax = _axes(ax, height_cm=13)
    values = shares.assign(_part=shown_values(shares, "part"), _hidden=hidden_mask(shares, "part"))
    rows, columns = list(dict.fromkeys(values["nom"])), list(dict.fromkeys(values["libelle"]))
    grid = values.pivot_table(index="nom", columns="libelle", values="_part", aggfunc="sum", sort=False,
                              dropna=False).reindex(index=rows, columns=columns)
    hidden = values.pivot_table(index="nom", columns="libelle", values="_hidden", aggfunc="any", sort=False,
                                dropna=False).reindex(index=rows, columns=columns).fillna(False).astype(bool)
    grid = grid.where(~hidden)
    # each cell as the backgrounds table prints its « Part »: one value, one rounding
    text = grid.map(lambda share: "" if pd.isna(share) else format_percent(share, 1))
    highest = float(np.nanmax(grid.to_numpy(dtype=float), initial=0.0))
    sns.heatmap(
        grid.astype(float),
        mask=grid.isna(),
        annot=text.to_numpy(),
        fmt="",
        annot_kws={"fontsize": "small"},
        cmap=SEQUENTIAL_CMAP,
        vmin=0.0,
        vmax=max(highest, 0.01),
        linewidths=0.5,
        linecolor="white",
        cbar_kws={"format": percent_formatter(), "label": "Part des contrats signés (%)", "shrink": 0.8},
        ax=ax,
    )
    _readable_annotations(ax, grid)
    colorbar = ax.collections[0].colorbar if ax.collections else None
    if colorbar is not None and colorbar.solids is not None:
        # a long colour scale is rasterised by default: an embedded image the PDF report cannot place
        colorbar.solids.set_rasterized(False)
    handles = []
    for state, cells in (("secret", hidden.to_numpy()), ("vide", grid.isna().to_numpy() & ~hidden.to_numpy())):
        for row, column in zip(*np.nonzero(cells), strict=True):
            ax.add_patch(_cell_patch((column, row), state))
        if cells.any():
            handles.append(_cell_patch((0, 0), state))
    if handles:
        # above the grid's top right corner: below it, the rotated background names and the axis label need the room
        ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False,
                  fontsize="small", borderaxespad=0.2)
    ax.set_xticks(np.arange(len(columns)) + 0.5, columns, rotation=35, ha="right", rotation_mode="anchor")
    ax.set_yticks(np.arange(len(rows)) + 0.5, rows, rotation=0)
    _highlight_ticks(ax.get_yticklabels(), _highlight_names(shares, highlight))
    ax.tick_params(length=0)
    return finish_figure(
        fig,
        title="Profil d'origine des assistants médicaux, par région (part des contrats signés)",
        source=SOURCE_CONTRACTS,
        as_of=_as_of(as_of, shares),
        synthetic=_synthetic(shares),
        xlabel="Profil d'origine",
        ylabel="Région",
        note=SECRET_NOTE if hidden.to_numpy().any() else None,
    )


def _readable_annotations(ax: Axes, grid: pd.DataFrame) -> None:
    """Each cell's number in black or white, whichever contrasts more with the cell's colour: seaborn's choice (by
    a luminance threshold) leaves white on mid-scale cells at about 2:1, where text needs 4,5:1 (WCAG 2)."""
    mesh = ax.collections[0]
    for text in ax.texts:
        column, row = (int(coordinate) for coordinate in text.get_position())
        value = grid.iat[row, column]
        if not pd.isna(value):
            text.set_color(text_colour_on(mesh.cmap(mesh.norm(value))))


def _cell_patch(corner: tuple[float, float], state: str) -> Rectangle:
    """A heatmap cell with no value on the scale: hidden (secret) or with no contract to share out."""
    style = _hatch_style(state)
    return Rectangle(corner, 1, 1, facecolor=style.pop("color"), **style)


@styled
@selectable
def mix_by_period_chart(
    shares: pd.DataFrame, *, title: str, what: str, as_of: object = None, ax: Axes | None = None
) -> Figure:
    """Any category mix by signing year (from `category_shares(..., period="annee")`): stacked shares."""
    fig, ax = _axes(ax, height_cm=9)  # a region's title takes two lines: the axis label needs the plot's height
    mix = _wide_shares(shares, "periode", "libelle")
    _stacked_shares(ax, mix.wide, mix.labels, horizontal=False, states=mix.states, remainder=mix.remainder)
    # the counting date's year is partial: said under its bar, on two lines to stay within the bar's width
    ax.set_xticks(np.arange(len(mix.wide)), [year_label(period, _as_of(as_of, shares), separator="\n")
                                             for period in mix.wide.index])
    _unique_legend(ax, loc="center left", bbox_to_anchor=(1.01, 0.5))
    if (mix.states == "vide").all():
        _say_in_plot(ax, NO_CONTRACT_TEXT)
    return finish_figure(
        fig,
        title=title,
        source=SOURCE_CONTRACTS,
        as_of=_as_of(as_of, shares),
        synthetic=_synthetic(shares),
        xlabel="Année de signature",
        ylabel="Part des contrats signés (%)",
        note=_notes(f"Répartition par {what}.", *coarsening_notes(shares), mix.note()),
    )


FUNDING_CHART_TITLE = "Aide attendue de l'Assurance Maladie, par année civile"


@styled
@selectable
def funding_chart(funding: pd.DataFrame, *, as_of: object = None, ax: Axes | None = None) -> Figure:
    """Expected CPAM aid by calendar year (rules of the period), with the coverage of known rules."""
    fig, ax = _axes(ax, height_cm=9)
    years = funding["annee"].astype(int).to_numpy()
    euros = shown_values(funding, "montant_attendu_eur")
    millions = euros / 1e6
    hidden = hidden_mask(funding, "montant_attendu_eur")
    ax.bar(years, np.nan_to_num(millions), color=SIGNED_COLOUR)
    for year, amount, secret, coverage in zip(years, euros, hidden, funding["couverture"], strict=True):
        if secret or np.isnan(amount):
            text = SECRET_TEXT if secret else "n.d."
        else:
            text = format_millions(amount)  # as the funding table and the sentences print it
            if pd.notna(coverage) and coverage < 1:
                # as the table's column; on two lines, so that a label stays within its bar's width
                text += f"\n(barème connu :\n{format_percent(coverage, 1)})"
        ax.annotate(text, (year, np.nan_to_num(amount) / 1e6), xytext=(0, 3), textcoords="offset points", ha="center",
                    fontsize="small")
    ax.set_xticks(years, [year_label(year, _as_of(as_of, funding), separator="\n") for year in years])
    highest = np.nanmax(millions, initial=0)
    # room above the tallest bar for its two-line label (amount and rule coverage)
    ax.set_ylim(0, max(highest * 1.35, 1))
    # a region's yearly aid may stay under a few millions: whole-million ticks would read « 0, 0, 1, 1 »
    ax.yaxis.set_major_formatter(number_formatter(0 if highest >= 10 else 1))
    ax.grid(axis="y")
    if not np.nansum(millions) and not hidden.any():
        _say_in_plot(ax, NO_CONTRACT_TEXT)
    return finish_figure(
        fig,
        title=FUNDING_CHART_TITLE,
        source=f"{SOURCE_CONTRACTS} ; barèmes de l'avenant 7 et de la convention 2024",
        as_of=_as_of(as_of, funding),
        synthetic=_synthetic(funding),
        xlabel="Année civile (début de l'année de contrat)",
        ylabel="Aide attendue (M€)",
        note=_notes(
            "Barème « standard » de patientèle supposé : un plancher. "
            "Options « deuxième assistant » sans montant publié, non chiffrées.",
            SECRET_NOTE if hidden.any() else None,
        ),
    )


@styled
@selectable
def training_overdue_chart(
    overdue: pd.DataFrame, *, highlight: str | None = None, as_of: object = None, ax: Axes | None = None
) -> Figure:
    """Share of active assistants past their certification deadline without the CQP, by region, with 95 % CI.

    A region where nobody has reached the deadline yet reads « sans objet » (no share to compute), a hidden
    share « secret »; neither gets a bar nor an error bar. `highlight` (a region code) draws that region's bar
    in the highlight colour and its name in bold."""
    fig, ax = _axes(ax, height_cm=11.5)  # 18 regions, and the legend of the interval below
    frame = overdue.assign(
        _share=shown_values(overdue, "part_en_retard"),
        _low=shown_values(overdue, "ic_bas"),
        _high=shown_values(overdue, "ic_haut"),
        _hidden=hidden_mask(overdue, "part_en_retard") & ~_nobody_past_deadline(overdue),
        _label=hidden_labels(overdue, "part_en_retard"),
    )
    ordered = frame.sort_values("_share", ascending=True, na_position="first", kind="stable")
    positions = np.arange(len(ordered))
    share, low, high = (ordered[c].to_numpy(dtype=float) for c in ("_share", "_low", "_high"))
    ax.barh(positions, np.nan_to_num(share),
            color=[HIGHLIGHT_COLOUR if code == highlight else ACTIVE_COLOUR for code in ordered["code"]])
    with_interval = ~(np.isnan(share) | np.isnan(low) | np.isnan(high))
    if with_interval.any():
        # The indicators guarantee low <= share <= high; the floor at 0 only keeps a frame made elsewhere
        # from stopping the chart.
        below = np.maximum(share - low, 0.0)[with_interval]
        above = np.maximum(high - share, 0.0)[with_interval]
        ax.errorbar(share[with_interval], positions[with_interval], xerr=[below, above], fmt="none",
                    ecolor=TARGET_COLOUR, elinewidth=0.8, capsize=2, label="Intervalle de confiance à 95 %")
        ax.legend(frameon=False, **below_axis(ax))  # every mark in a legend: the interval's bars too
    nobody = np.isnan(share).all() and not ordered["_hidden"].any()
    for y, value, hidden, withheld in zip(positions, share, ordered["_hidden"], ordered["_label"], strict=True):
        if (hidden or np.isnan(value)) and not nobody:
            ax.annotate(withheld if hidden else "sans objet", (0, y), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize="small", color=MUTED_COLOUR)
    if nobody:
        _say_in_plot(ax, "Aucun assistant n'a encore atteint\nson échéance de certification à cette date")
    ax.set_yticks(positions, ordered["nom"])
    _highlight_ticks(ax.get_yticklabels(), _highlight_names(overdue, highlight))
    reach = np.concatenate([share[~np.isnan(share)], high[with_interval]])
    ax.set_xlim(0, max(float(reach.max()) * 1.1, 0.05) if len(reach) else 1.0)
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.grid(axis="x")
    return finish_figure(
        fig,
        title="Assistants sans certification après leur échéance, par région",
        source=SOURCE_CONTRACTS,
        as_of=_as_of(as_of, overdue),
        synthetic=_synthetic(overdue),
        xlabel="Part des assistants en poste dont l'échéance est dépassée (%)",
        ylabel="Région",
        note=_notes(
            "Échéance : 3 ans après la prise de fonction (2 ans sous la convention de 2024). "
            "Barres : intervalle à 95 %. Sans objet : aucun assistant de la région n'a atteint son échéance.",
            *withheld_notes(ordered["_label"][ordered["_hidden"].to_numpy(dtype=bool)]),
        ),
    )


def _nobody_past_deadline(overdue: pd.DataFrame) -> np.ndarray:
    """Rows whose share's base is shown as 0: no share, and no secret either (the published frame's base is the
    assistants past the deadline whose training is known; an indicator's own frame has only those past it)."""
    base = next(c for c in ("echeance_depassee_formation_connue", "echeance_depassee") if c in overdue)
    return shown_values(overdue, base) == 0


@styled
@selectable
def likert_chart(
    distribution: pd.DataFrame, *, as_of: object, labels: dict[str, str] | None = None, ax: Axes | None = None
) -> Figure:
    """Satisfaction as diverging bars: satisfied answers to the right of zero, dissatisfied to the left.

    `as_of` is the survey's fieldwork date (the survey has no as-of date of its own in the data)."""
    fig, ax = _axes(ax, height_cm=6.5)
    levels = list(SATISFACTION.values())
    colours = ["#1A7F5A", "#7FC8A9", "#F4A582", "#CA0020"]
    rows = distribution.set_index("groupe")
    names = [labels.get(g, g) if labels else g for g in rows.index]
    positions = np.arange(len(rows))
    positive_left = np.zeros(len(rows))
    negative_left = np.zeros(len(rows))
    # A group draws its shown levels (published in the table beside it, they reveal nothing more drawn); its hidden
    # levels are left out, said in the note, since a diverging bar has no one place for their remainder. A group
    # with no level shown is written « secret statistique ».
    hidden = np.array([hidden_mask(distribution, level) for level in levels])
    secret, partial = hidden.all(axis=0), hidden.any(axis=0) & ~hidden.all(axis=0)
    for position in positions[secret]:
        ax.text(0, position, "secret statistique", ha="center", va="center", fontsize="small", color=MUTED_COLOUR)
    for level, colour in zip(levels, colours, strict=True):
        values = np.nan_to_num(shown_values(distribution, level))
        if level in levels[:2]:
            ax.barh(positions, values, left=positive_left, color=colour, label=level)
            positive_left += values
        else:
            negative_left -= values
            ax.barh(positions, values, left=negative_left, color=colour, label=level)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(positions, names)
    ax.set_xlim(-1, 1)
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["100 %", "50 %", "0 %", "50 %", "100 %"])
    ax.legend(ncols=4, frameon=False, **below_axis(ax))
    return finish_figure(
        fig,
        title="Satisfaction à l'égard du dispositif",
        source=SOURCE_SURVEY,
        as_of=as_of,
        synthetic=_synthetic(distribution),
        xlabel="Part des répondants, pondérée (%) : insatisfaits à gauche, satisfaits à droite",
        ylabel="Répondants",
        note=_notes(SECRET_NOTE if hidden.any() else None,
                    LEFT_OUT_LEVELS_NOTE + ", ".join(np.asarray(names)[partial]) + "." if partial.any() else None),
    )


@styled
@selectable
def quality_chart(quality: pd.DataFrame, *, as_of: object, ax: Axes | None = None) -> Figure:
    """Rows read per input file, split into kept, merged duplicates and quarantined (`as_of`: the date of
    the data the files hold)."""
    files = quality[quality["fichier"] != "Total"]
    fig, ax = _axes(ax, height_cm=7.5)
    positions = np.arange(len(files))
    parts = [
        ("lignes_conservees", "Conservées"),
        ("doublons_fusionnes", "Doublons fusionnés"),
        ("lignes_en_quarantaine", "En quarantaine"),
    ]
    colours = [SIGNED_COLOUR, "#999999", WARNING_COLOUR]
    left = np.zeros(len(files))
    for (column, label), colour in zip(parts, colours, strict=True):
        values = files[column].astype(float).to_numpy()
        ax.barh(positions, values, left=left, color=colour, label=label)
        left += values
    for y, read, quarantined in zip(positions, files["lignes_lues"], files["lignes_en_quarantaine"], strict=True):
        ax.annotate(
            f"{format_number(quarantined)} en quarantaine sur {format_number(read)}",
            (read, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize="small",
        )
    ax.set_yticks(positions, files["fichier"])
    ax.xaxis.set_major_formatter(number_formatter())
    ax.set_xlim(0, max(float(files["lignes_lues"].max()) if len(files) else 0.0, 1.0) * 1.75)
    if files.empty:
        _say_in_plot(ax, "Aucun fichier reçu")
    ax.legend(ncols=3, frameon=False, **below_axis(ax))
    return finish_figure(
        fig,
        title="Qualité des données : lignes lues, conservées et mises en quarantaine",
        source="fichiers reçus, manifeste de préparation",
        as_of=as_of,
        synthetic=_synthetic(quality),
        xlabel="Lignes (nombre)",
        ylabel="Fichier",
    )


@styled
@selectable
def perspectives_chart(
    monthly: pd.DataFrame,
    projected: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    *,
    title: str = "Contrats signés : observés et projetés jusqu'en 2029",
    as_of: object = None,
    ax: Axes | None = None,
) -> Figure:
    """Cumulative contracts signed (observed, a published monthly series), then the projection to December 2029
    (`indicators.projected_signatures`: dotted trend and its 95 % band), with every contract target as a
    reference line and a marker at its deadlines. The axis spans the data and the projection, nothing more."""
    fig, ax = _axes(ax, height_cm=10.5)
    dates = pd.to_datetime(monthly["fin_de_periode"])
    signed = shown_values(monthly, "signes_cumul")
    ax.plot(dates, signed, color=SIGNED_COLOUR, linewidth=2, label="Contrats signés (cumul observé)")
    left, right = _date_span(dates)
    if not projected.empty:
        months = pd.to_datetime(projected["mois"]) + pd.offsets.MonthEnd(0)
        ax.fill_between(months, projected["cumul_projete_bas"], projected["cumul_projete_haut"], color=SIGNED_COLOUR,
                        alpha=0.15, linewidth=0, label="Projection : bande à 95 %")
        ax.plot(months, projected["cumul_projete"], color=SIGNED_COLOUR, linestyle=":", linewidth=1.8,
                label="Projection : tendance")
        right = max(right, months.max())
    for value, group in _target_rows(targets, "contrats_signes").groupby("valeur_cible"):
        deadlines = [d for d in pd.to_datetime(group["echeance"]) if left <= d <= right]
        ax.axhline(value, color=TARGET_COLOUR, linestyle="--", linewidth=0.9)
        if deadlines:
            _deadline_marks(ax, deadlines, value)
        ax.annotate(_target_label(value, list(pd.to_datetime(group["echeance"]))), (left, value), xytext=(2, 3),
                    textcoords="offset points", fontsize="small", color=TARGET_COLOUR)
    if nothing_to_show(monthly, "signes_cumul"):
        _say_in_plot(ax, NO_CONTRACT_TEXT)
    ax.set_xlim(left - pd.Timedelta(days=30), right + pd.Timedelta(days=45))
    _count_axis(ax.yaxis, np.concatenate([signed, projected["cumul_projete_haut"].to_numpy(dtype=float)])
                if not projected.empty else signed)
    french_date_axis(ax.xaxis, "year", interval=1)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y")
    _legend_below(ax, ncols=3)
    reason = projected.attrs.get("reason")
    return finish_figure(
        fig,
        title=title,
        source=f"{SOURCE_CONTRACTS} ; {SOURCE_TARGETS} ; projection",
        as_of=_as_of(as_of, monthly, projected),
        synthetic=_synthetic(monthly, projected),
        xlabel="Date (fin de mois)",
        ylabel="Contrats (nombre)",  # the title says which: a longer label ran past the plot into the title
        note=_notes(
            "Projection : tendance linéaire des 12 derniers mois complets, sans fin de série ; pas une prévision.",
            f"Projection non calculable : {reason}." if reason else None,
        ),
    )


@styled
@selectable
def projected_spending_chart(
    spending: pd.DataFrame,
    funding: pd.DataFrame | None = None,
    *,
    title: str = "Aide attendue de l'Assurance Maladie : observée et projetée jusqu'en 2029",
    as_of: object = None,
    ax: Axes | None = None,
) -> Figure:
    """Expected CPAM aid by calendar year: the years before the counting date's from `funding` (a published
    `expected_aid_by_year`), then the projection (`indicators.projected_spending`) stacked as contracts already
    signed and projected new contracts, with the 95 % band of the total as an error bar."""
    fig, ax = _axes(ax, height_cm=11)
    first_year = int(spending["annee"].iloc[0]) if len(spending) else None
    if funding is not None and len(funding):
        past = funding[funding["annee"].astype(int) < (first_year or 10_000)]
        years = past["annee"].astype(int).to_numpy()
        values = shown_values(past, "montant_attendu_eur") / 1e6
        ax.bar(years, np.nan_to_num(values), color="#999999", label="Années passées (contrats signés)")
    if len(spending):
        years = spending["annee"].astype(int).to_numpy()
        signed = spending["montant_contrats_signes_eur"].to_numpy(dtype=float) / 1e6
        ax.bar(years, signed, color=SIGNED_COLOUR, label="Projection : contrats déjà signés")
        if "montant_nouveaux_eur" in spending.columns:
            new = spending["montant_nouveaux_eur"].to_numpy(dtype=float) / 1e6
            ax.bar(years, new, bottom=signed, color=OKABE_ITO["bleu_ciel"], label="Projection : nouveaux contrats")
            total = spending["montant_total_eur"].to_numpy(dtype=float) / 1e6
            low = spending["montant_total_bas_eur"].to_numpy(dtype=float) / 1e6
            high = spending["montant_total_haut_eur"].to_numpy(dtype=float) / 1e6
            ax.errorbar(years, total, yerr=[total - low, high - total], fmt="none", ecolor=TEXT_COLOUR_DARK,
                        elinewidth=0.9, capsize=3, label="Bande à 95 % du total")
            for year, value, top in zip(years, spending["montant_total_eur"], high, strict=True):
                ax.annotate(format_millions(value), (year, top), xytext=(0, 5),
                            textcoords="offset points", fontsize="small", ha="center")
            ax.set_ylim(0, float(high.max()) * 1.12)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y")
    _legend_below(ax, ncols=2)
    return finish_figure(
        fig,
        title=title,
        source=f"{SOURCE_CONTRACTS} ; barèmes de l'avenant 7 et de la convention 2024 ; projection",
        as_of=_as_of(as_of, spending, funding),
        synthetic=_synthetic(spending, funding),
        xlabel="Année civile (début de l'année de contrat)",
        ylabel="Aide attendue (M€)",
        note="Projection aux règles actuelles : barème « standard » (un plancher), aucune fin de contrat supposée, "
        "options « deuxième assistant » non chiffrées.",
    )


__all__ = [
    "background_by_region_chart",
    "perspectives_chart",
    "projected_spending_chart",
    "background_heatmap_chart",
    "fte_chart",
    "funding_chart",
    "likert_chart",
    "mix_by_period_chart",
    "quality_chart",
    "regions_ranked_chart",
    "rollout_chart",
    "training_overdue_chart",
]
