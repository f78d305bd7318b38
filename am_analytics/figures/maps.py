"""Choropleth maps by département and by region, drawn with matplotlib from the pygal_maps_fr outlines.

Layout, in the SVG's own units: metropolitan France and Corsica in the middle; a column of five boxes on
the left for the overseas départements, each at its own scale; an enlarged Paris and inner suburbs (75,
92, 93, 94) over the Channel; the legend on the right, over Germany and Italy, where the map has room
(below the map when it is one narrow panel of a figure). Values are grouped in classes with
French-formatted bounds; a missing value is drawn light grey with hatching and has its own legend
entry, so it can never be read as a low value. A value hidden by the disclosure control (a published frame's
`<column>_secret`) is drawn in its own rose cross-hatched fill with a « Secret statistique » legend entry:
neither a class colour nor « données non disponibles ».

Maps take what charts take: an indicator (or published) frame and the column to map,
`region_map(regions, "actifs_pour_100k_hab", title=…, legend_title=…)`, reading the date, the synthetic
flag and the sources from the frame's attrs; or, as before, a Series indexed by code with `source`,
`as_of` and `synthetic` given by hand.

Every département's main shape is a patch with `gid="departement-<code>"` (the Paris enlargement uses
`gid="zoom-<code>"`), which becomes its element id in SVG output.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.transforms import Bbox

from am_analytics import reference
from am_analytics.figures.contract import INSET_AXES_GID, finish_figure, mark_map_axes
from am_analytics.figures.formatting import format_euros, format_number, format_percent, rounded
from am_analytics.figures.published import SECRET_TEXT, hidden_mask, shown_values
from am_analytics.figures.shapes import OVERSEAS_CODES, PARIS_CODES, departement_shapes, group_borders
from am_analytics.figures.style import (
    HIGHLIGHT_COLOUR,
    MAP_EDGE_COLOUR,
    NO_DATA_COLOUR,
    NO_DATA_HATCH,
    NO_DATA_HATCH_COLOUR,
    NO_DATA_LABEL,
    REGION_EDGE_COLOUR,
    SECRET_COLOUR,
    SECRET_HATCH,
    SECRET_HATCH_COLOUR,
    SECRET_LABEL,
    TEXT_COLOUR,
    Size,
    figure_medium,
    figure_style,
    medium_of,
    new_figure,
    sequential_colours,
)
from am_analytics.indicators.selection import selectable

NATIONAL_CODE = "FR"  # the national row of an indicator frame: not a territory of the map
PATCH_GID = "departement-{code}"
SECRET = "secret"  # the fill of a hidden value, in the colour-by-territory mappings (None: no data)
ZOOM_GID = "zoom-{code}"
REGION_BORDERS_GID = "frontieres-regions"

OVERSEAS_NAMES = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}
PARIS_ZOOM_TITLE = "Paris et petite couronne"

# --- Layout, in SVG units (the metropole spans about 1 850 × 1 700) --------------------------------
# Shapes are placed in SVG units; text has a size in points. How many points a unit is worth depends on
# the room the map gets (a full A4 page or one panel of two), so the gaps that hold text (inset names)
# and the room for the legend are computed from that scale, not fixed: a narrow panel gets a
# proportionally wider legend room instead of a legend running off the page.
_OVERSEAS_WIDTH = 290.0
_PARIS_BOX = (70.0, 120.0, 420.0, 440.0)  # x0, y0, x1, y1 over the Channel, clear of the Cotentin
_LEGEND_X = 1680.0  # right of Alsace and the Alps
_LAYOUT_SAFETY = 0.95  # the layout engine keeps small paddings around each axes
_TITLE_AND_CAPTION_PT = 70.0  # figure title and a two-line caption
_LEGEND_BESIDE_MIN = 0.5  # legend beside the map unless that would shrink the map by half
_EDGE_WIDTH = 0.25  # points: département edges, thin enough for Paris's small départements
_REGION_EDGE_WIDTH = 0.9


class MapDataError(ValueError):
    """Values that cannot be mapped (unknown or repeated codes); the message names them."""


# --- Classes ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Classes:
    """Value classes of a choropleth: inner breaks, colours and French legend labels."""

    breaks: tuple[float, ...]
    colours: tuple[str, ...]
    labels: tuple[str, ...]

    def colour_of(self, value: float) -> str:
        # Lower bound included, upper excluded: a value equal to a break goes to the class above.
        return self.colours[int(np.searchsorted(self.breaks, value, side="right"))]


ValueKind = Literal["number", "percent", "euros"]


def value_formatter(kind: ValueKind = "number", decimals: int = 0) -> Callable[[float], str]:
    """The French formatter of map values: numbers, ratios shown as percentages, or euros."""
    if kind == "number":
        return lambda number: format_number(number, decimals)
    if kind == "percent":
        return lambda number: format_percent(number, decimals)
    if kind == "euros":
        return lambda number: format_euros(number, decimals)
    raise ValueError(f"kind must be 'number', 'percent' or 'euros', not {kind!r}")


def shown_decimals(kind: ValueKind, decimals: int, formatter: Callable[[float], str] | None) -> int | None:
    """The decimals of the stored value that the map's labels show (a ratio shown as « 12,3 % » is 0.123: three),
    or None when a custom formatter decides what is shown."""
    return None if formatter is not None else decimals + (2 if kind == "percent" else 0)


def as_shown(numbers: pd.Series, finest: int | None) -> pd.Series:
    """Values rounded as their labels print them, before they are classified: a region labelled « 11,0 » is
    coloured in the class « 11,0 ou plus », never in « de 10,0 à moins de 11,0 » for being 10,96."""
    if finest is None:
        return numbers
    # the formatters' own rounding (half away from zero), not numpy's half to even: the class must match the label
    return numbers.map(lambda value: rounded(value, finest), na_action="ignore").astype("Float64")


def _nice(value: float, finest: int | None) -> float:
    # Two significant digits read well in a legend, but never finer than the displayed decimals
    # (`finest` decimals of the stored value; None when a custom formatter decides what is shown).
    if value == 0:
        return 0.0
    digits = int(np.floor(np.log10(abs(value)))) - 1
    if finest is not None:
        digits = max(-finest, digits)
    return float(np.round(value / 10.0**digits) * 10.0**digits)


def make_classes(
    values: pd.Series,
    *,
    breaks: Sequence[float] | None = None,
    n_classes: int = 5,
    decimals: int = 0,
    kind: ValueKind = "number",
    formatter: Callable[[float], str] | None = None,
) -> Classes:
    """Classes for `values`: the given inner `breaks`, or rounded quantiles giving up to `n_classes`.

    Labels read « Moins de 10 », « De 10 à moins de 20 », « 20 ou plus », numbers formatted in French.
    """
    fmt = formatter or value_formatter(kind, decimals)
    # Breaks are rounded to what the legend shows: a ratio shown as « 12 % » is stored as 0.12.
    finest = shown_decimals(kind, decimals, formatter)
    present = values.dropna().astype(float)
    if breaks is None:
        if present.empty:
            inner: list[float] = []
        else:
            quantiles = np.quantile(present, np.linspace(0, 1, n_classes + 1)[1:-1])
            low, high = present.min(), present.max()
            inner = sorted({_nice(q, finest) for q in quantiles if low < _nice(q, finest) <= high})
    else:
        inner = [float(b) for b in breaks]
        if any(high <= low for low, high in zip(inner, inner[1:], strict=False)):
            raise ValueError(f"class breaks must increase strictly: {list(breaks)!r}")
    if present.empty and breaks is None:
        return Classes((), (), ())  # nothing to classify: the legend shows only « no data » (or secret)
    if not inner:
        single = fmt(present.iloc[0]) if present.nunique() == 1 else "Toutes valeurs"
        return Classes((), tuple(sequential_colours(1)), (single,))
    labels = [f"Moins de {fmt(inner[0])}"]
    labels += [f"De {fmt(low)} à moins de {fmt(high)}" for low, high in zip(inner, inner[1:], strict=False)]
    labels.append(f"{fmt(inner[-1])} ou plus")
    return Classes(tuple(inner), tuple(sequential_colours(len(inner) + 1)), tuple(labels))


# --- Values ----------------------------------------------------------------------------------------------


def _checked_values(values: pd.Series, known: Sequence[str], what: str) -> pd.Series:
    if not isinstance(values, pd.Series):
        raise TypeError(f"values must be a pandas Series indexed by {what} code")
    index = values.index.astype("string")
    repeated = sorted(set(index[index.duplicated()]))
    if repeated:
        raise MapDataError(f"codes {what} en double : {', '.join(repeated)}")
    unknown = sorted(set(index) - set(known))
    if unknown:
        raise MapDataError(f"codes {what} inconnus : {', '.join(map(str, unknown))} (codes COG attendus, en texte)")
    numbers = pd.to_numeric(pd.Series(values.to_numpy(), index=index), errors="raise").astype("Float64")
    # Départements or regions absent from the series are missing, not zero.
    return numbers.reindex(pd.Index(known, dtype="string"))


@dataclass(frozen=True)
class _MapInput:
    """What a map draws: values by code (missing where unknown or hidden), the hidden codes, the caption."""

    numbers: pd.Series
    hidden: frozenset[str]
    caption: dict[str, Any]


def _map_input(values: pd.Series | pd.DataFrame, column: str | None, known: Sequence[str], what: str,
               caption: dict[str, Any], *, own_figure: bool, finest: int | None = None) -> _MapInput:
    """Values to map from a Series indexed by code, or from a frame with a `code` column and `column`.

    From a frame, the national row (`FR`) is left out, hidden values (`<column>_secret`) are kept apart
    and, for a figure of its own, the caption's missing parts come from the frame's attrs: date,
    synthetic flag, sources. Values are rounded to the `finest` decimals their labels show (see `as_shown`)."""
    if isinstance(values, pd.DataFrame):
        if column is None or column not in values.columns:
            numeric = [c for c in values.columns if pd.api.types.is_numeric_dtype(values[c])]
            raise ValueError(
                f"indiquer la colonne à cartographier (column=…) ; colonnes possibles : {', '.join(numeric)}"
            )
        if "code" not in values.columns:
            raise MapDataError(f"le tableau n'a pas de colonne « code » (codes {what} COG)")
        frame = values[values["code"].astype("string") != NATIONAL_CODE]
        codes = frame["code"].astype("string").to_numpy()
        series = pd.Series(shown_values(frame, column), index=codes)
        hidden = frozenset(codes[hidden_mask(frame, column)])
        if own_figure:
            caption = _caption_from_attrs(values, caption)
    elif column is not None:
        raise ValueError("column=… sert à choisir une colonne d'un tableau ; une série se cartographie telle quelle")
    else:
        series, hidden = values, frozenset()
    return _MapInput(as_shown(_checked_values(series, known, what), finest), hidden, caption)


def _caption_from_attrs(frame: pd.DataFrame, caption: dict[str, Any]) -> dict[str, Any]:
    """The caption's parts not given by hand, read from an indicator frame's attrs."""
    from am_analytics.indicators.common import REFERENCE, is_synthetic, sources_of
    from am_analytics.vocabulary import SOURCE_CONTRACTS

    filled = dict(caption)
    if filled["as_of"] is None:
        filled["as_of"] = frame.attrs.get("as_of")
    if filled["synthetic"] is None and sources_of(frame):
        filled["synthetic"] = is_synthetic(frame)
    if filled["source"] is None and sources_of(frame):
        references = " ; tables de référence (Insee, Drees)" if REFERENCE in sources_of(frame) else ""
        filled["source"] = SOURCE_CONTRACTS + references
    return filled


def _colour_by_code(data: _MapInput, classes: Classes) -> dict[str, str | None]:
    """Each code's fill: its class colour, `SECRET` when hidden, None when there is no value."""
    return {code: SECRET if code in data.hidden else None if pd.isna(value) else classes.colour_of(float(value))
            for code, value in data.numbers.items()}


def _value_text(data: _MapInput, code: str, fmt: Callable[[float], str]) -> str:
    if code in data.hidden:
        return SECRET_TEXT
    value = data.numbers[code]
    return "n.d." if pd.isna(value) else fmt(value)


def _luminance(colour: str) -> float:
    red, green, blue = to_rgb(colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


# --- Drawing -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    xlim: tuple[float, float]
    ylim: tuple[float, float]  # bottom, top (SVG y grows downwards)
    overseas: dict[str, tuple[float, float, float, float]]
    paris: tuple[float, float, float, float] | None
    legend_anchor: tuple[float, float]

    def fraction(self, box: tuple[float, float, float, float]) -> list[float]:
        """An (x0, y0, x1, y1) SVG box as inset bounds in axes fraction."""
        x0, y0, x1, y1 = box
        width = self.xlim[1] - self.xlim[0]
        height = self.ylim[0] - self.ylim[1]
        return [(x0 - self.xlim[0]) / width, (self.ylim[0] - y1) / height, (x1 - x0) / width, (y1 - y0) / height]

    def point(self, x: float, y: float) -> tuple[float, float]:
        left, bottom, _, _ = self.fraction((x, y, x, y))
        return left, bottom


@cache
def _layout(with_paris: bool, points_per_unit: float, legend_width_pt: float, inset_title_pt: float) -> _Layout:
    shapes = departement_shapes()
    box = _extents(list(shapes.metropole.values()))
    title_room = 1.9 * inset_title_pt / points_per_unit  # an inset's name and its padding, in SVG units
    top = min(box.y0, _PARIS_BOX[1]) - title_room
    left = box.x0 - _OVERSEAS_WIDTH - 40.0
    column_top = top
    if with_paris:
        # When the map is small, the names of the Paris box and of the first overseas box would run into
        # each other: the overseas column then starts below the Paris box.
        def half_width(name: str) -> float:
            return 0.27 * len(name) * inset_title_pt / points_per_unit

        centres = (_PARIS_BOX[0] + _PARIS_BOX[2]) / 2 - (left + _OVERSEAS_WIDTH / 2)
        if half_width(PARIS_ZOOM_TITLE) + half_width(OVERSEAS_NAMES[OVERSEAS_CODES[0]]) > centres:
            column_top = _PARIS_BOX[3] + 10.0
    step = (box.y1 - column_top) / len(OVERSEAS_CODES)
    overseas = {}
    for rank, code in enumerate(OVERSEAS_CODES):
        overseas[code] = (left, column_top + rank * step + title_room, left + _OVERSEAS_WIDTH,
                          column_top + (rank + 1) * step)
    right = max(box.x1 + 20.0, _LEGEND_X + (legend_width_pt + 6.0) / points_per_unit)
    return _Layout(
        xlim=(left - 10.0, right),
        ylim=(box.y1 + 10.0, top - 5.0),
        overseas=overseas,
        paris=_PARIS_BOX if with_paris else None,
        legend_anchor=(_LEGEND_X, top + title_room),
    )


def _points_per_unit(ax: Axes, legend_width_pt: float) -> float:
    """How many points one SVG unit will be worth, from the axes' slot before layout (rounded, so the
    same slot always gives the same layout)."""
    box = _extents(list(departement_shapes().metropole.values()))
    width_pt, height_pt = _slot_pt(ax)
    # Map height (plus about 80 units of names) fills the height, or map width plus legend fills the width.
    by_height = height_pt / (box.height + 80.0)
    by_width = (width_pt - legend_width_pt) / (box.x1 - box.x0 + _OVERSEAS_WIDTH + 60.0)
    scale = max(min(by_height, by_width), 0.01)
    return float(f"{scale:.3g}")


def _slot_pt(ax: Axes) -> tuple[float, float]:
    """Width and height (points) the layout engine will roughly give the axes: its share of the grid, less
    the figure's title and caption bands. Before layout, `ax.get_position()` still holds matplotlib's
    default margins and would underestimate it by a third."""
    fig = ax.figure
    spec = ax.get_subplotspec()
    if spec is None:
        slot = ax.get_position()
        width_share, height_share = slot.width, slot.height
    else:
        grid = spec.get_gridspec()
        nrows, ncols = grid.get_geometry()
        widths = grid.get_width_ratios() or [1] * ncols
        heights = grid.get_height_ratios() or [1] * nrows
        width_share = sum(widths[spec.colspan.start : spec.colspan.stop]) / sum(widths)
        height_share = sum(heights[spec.rowspan.start : spec.rowspan.stop]) / sum(heights)
    width_pt = width_share * fig.get_figwidth() * 72 * _LAYOUT_SAFETY
    height_pt = height_share * (fig.get_figheight() * 72 - _TITLE_AND_CAPTION_PT) * _LAYOUT_SAFETY
    return width_pt, height_pt


def _legend_width_pt(labels: Sequence[str], title: str, fontsize: float) -> float:
    # DejaVu Sans averages about 0.6 em per character; the handle and its padding take about 2.6 em.
    longest = max([len(label) for label in labels] + [len(line) for line in title.split("\n")])
    return fontsize * (0.6 * longest + 2.6)


def _extents(paths: Sequence[Path]) -> Bbox:
    # The box of the vertices (Bézier control points included) contains the shapes and costs nothing;
    # matplotlib's exact curve extents take seconds on these outlines.
    vertices = np.concatenate([path.vertices for path in paths])
    return Bbox([vertices.min(axis=0), vertices.max(axis=0)])


def _add(ax: Axes, patch: PathPatch) -> PathPatch:
    # `add_artist`, not `add_patch`: the limits are set by the layout, so no data-limit update is needed
    # (it would compute exact Bézier extents for every outline).
    ax.add_artist(patch)
    # Nor do the outlines take part in the layout: the map's axes hold them (clipped to its limits), and the
    # exact extents constrained layout would compute for each of them cost seconds a map on some pages.
    patch.set_in_layout(False)
    return patch


def _patch(path: Path, colour: str | None, gid: str, *, edge: str = MAP_EDGE_COLOUR, width: float = _EDGE_WIDTH):
    if colour == SECRET:
        secret_edge = SECRET_HATCH_COLOUR if edge == MAP_EDGE_COLOUR else edge
        return PathPatch(path, facecolor=SECRET_COLOUR, hatch=SECRET_HATCH, hatchcolor=SECRET_HATCH_COLOUR,
                         edgecolor=secret_edge, linewidth=width, gid=gid)
    if colour is None:
        # A grey outline, so a missing territory keeps its shape even against the white background.
        no_data_edge = NO_DATA_HATCH_COLOUR if edge == MAP_EDGE_COLOUR else edge
        return PathPatch(path, facecolor=NO_DATA_COLOUR, hatch=NO_DATA_HATCH, hatchcolor=NO_DATA_HATCH_COLOUR,
                         edgecolor=no_data_edge, linewidth=width, gid=gid)
    return PathPatch(path, facecolor=colour, edgecolor=edge, linewidth=width, gid=gid)


def _inset(ax: Axes, layout: _Layout, box: tuple[float, float, float, float], shapes: dict[str, Path],
           title: str) -> Axes:
    inset = ax.inset_axes(layout.fraction(box))
    inset.set_gid(INSET_AXES_GID)
    # Limits with the box's own proportions, so the shape is centred at its own scale and the equal
    # aspect needs no adjustment (the box keeps the place the layout gave it).
    extents = _extents(list(shapes.values()))
    box_ratio = (box[2] - box[0]) / (box[3] - box[1])
    width, height = extents.width * 1.12, extents.height * 1.12
    width, height = max(width, height * box_ratio), max(height, width / box_ratio)
    centre_x, centre_y = (extents.x0 + extents.x1) / 2, (extents.y0 + extents.y1) / 2
    inset.set_xlim(centre_x - width / 2, centre_x + width / 2)
    inset.set_ylim(centre_y + height / 2, centre_y - height / 2)
    inset.set_aspect("equal", adjustable="box")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.grid(False)
    for spine in inset.spines.values():
        spine.set_visible(True)
        spine.set_edgecolor("#BFBFBF")
        spine.set_linewidth(0.5)
    inset.set_title(title, loc="center", fontsize=_inset_title_pt(), fontweight="normal", pad=2)
    return inset


def _inset_title_pt() -> float:
    return mpl.rcParams["font.size"] - 1.5


def _legend_pt() -> float:
    return mpl.rcParams["legend.fontsize"] if not isinstance(mpl.rcParams["legend.fontsize"], str) else 7.5


def _label(ax: Axes, path: Path, text: str, fill: str | None, fontsize: float) -> None:
    # Largest ring's area-weighted centre: inside for the compact shapes of départements and regions.
    rings = path.to_polygons()
    ring = max(rings, key=lambda r: abs(_area(r)))
    x, y = _centroid(ring)
    plain = fill not in (None, SECRET)
    colour = "#FFFFFF" if plain and _luminance(fill) < 0.45 else TEXT_COLOUR
    # On hatching (no data, secret) the text needs a plain background to stay legible.
    background = None
    if not plain:
        background = {"boxstyle": "square,pad=0.15", "facecolor": SECRET_COLOUR if fill == SECRET else NO_DATA_COLOUR,
                      "edgecolor": "none"}
    # A thin halo in the fill colour keeps the text clear of the white département edges it crosses.
    halo = [patheffects.withStroke(linewidth=1.5, foreground=fill)] if plain else None
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color=colour, clip_on=True, bbox=background,
            path_effects=halo)


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _centroid(ring: np.ndarray) -> tuple[float, float]:
    x, y = ring[:, 0], ring[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area = cross.sum() / 2
    if area == 0:
        return float(x.mean()), float(y.mean())
    centre_x = ((x + np.roll(x, -1)) * cross).sum() / (6 * area)
    centre_y = ((y + np.roll(y, -1)) * cross).sum() / (6 * area)
    return float(centre_x), float(centre_y)


def _legend_title(legend_title: str) -> str:
    return "\n".join(textwrap.wrap(legend_title, 26))


def _legend_handles(classes: Classes, with_missing: bool, with_secret: bool) -> list[Patch]:
    """The classes, highest first, then « Secret statistique » and « Données non disponibles » when present."""
    handles = [Patch(facecolor=colour, edgecolor="#FFFFFF", label=label)
               for colour, label in zip(reversed(classes.colours), reversed(classes.labels), strict=True)]
    if with_secret:
        handles.append(Patch(facecolor=SECRET_COLOUR, hatch=SECRET_HATCH, hatchcolor=SECRET_HATCH_COLOUR,
                             edgecolor="#FFFFFF", label=SECRET_LABEL))
    if with_missing:
        handles.append(Patch(facecolor=NO_DATA_COLOUR, hatch=NO_DATA_HATCH, hatchcolor=NO_DATA_HATCH_COLOUR,
                             edgecolor="#FFFFFF", label=NO_DATA_LABEL))
    return handles


def _legend(ax: Axes, layout: _Layout, classes: Classes, legend_title: str, with_missing: bool, below: bool,
            with_secret: bool = False) -> None:
    handles = _legend_handles(classes, with_missing, with_secret)
    legend = ax.legend(
        handles=handles,
        title=_legend_title(legend_title),
        loc="upper left",
        bbox_to_anchor=(0.0, 0.0) if below else layout.point(*layout.legend_anchor),
        alignment="left",
        frameon=False,
        handlelength=1.6,
        handleheight=1.1,
    )
    legend.set_gid("legende-carte")


def _prepare_axes(ax: Axes | None, size: Size) -> tuple[Figure, Axes]:
    if ax is None:
        fig, ax = new_figure(size)
    mark_map_axes(ax)
    return ax.figure, ax


def _draw(
    ax: Axes,
    colour_by_departement: dict[str, str | None],
    classes: Classes,
    legend_title: str,
    *,
    with_paris: bool,
    borders: Path | None,
    labels: dict[str, tuple[Path, str, str | None]] | None,
) -> None:
    shapes = departement_shapes()
    with_missing = any(colour is None for colour in colour_by_departement.values())
    with_secret = any(colour == SECRET for colour in colour_by_departement.values())
    legend_labels = list(classes.labels) + ([NO_DATA_LABEL] if with_missing else [])
    legend_labels += [SECRET_LABEL] if with_secret else []
    legend_width = _legend_width_pt(legend_labels, _legend_title(legend_title), _legend_pt())
    # Beside the map when that costs it less than a third of its size (a full page); below it otherwise
    # (a narrow panel), where the layout engine makes room for it.
    legend_below = _points_per_unit(ax, legend_width) < _LEGEND_BESIDE_MIN * _points_per_unit(ax, 0.0)
    if legend_below:
        legend_width = 0.0
    layout = _layout(with_paris, _points_per_unit(ax, legend_width), round(legend_width, 1), _inset_title_pt())
    ax.set_xlim(*layout.xlim)
    ax.set_ylim(*layout.ylim)
    # Equal aspect with an adjustable box: insets placed in axes fraction stay where the layout put them.
    ax.set_aspect("equal", adjustable="box")

    for code, path in shapes.metropole.items():
        _add(ax, _patch(path, colour_by_departement[code], PATCH_GID.format(code=code)))
    if borders is not None:
        _add(ax, PathPatch(borders, facecolor="none", edgecolor=REGION_EDGE_COLOUR,
                               linewidth=_REGION_EDGE_WIDTH, capstyle="round", joinstyle="round",
                               gid=REGION_BORDERS_GID))
    for code in OVERSEAS_CODES:
        inset = _inset(ax, layout, layout.overseas[code], {code: shapes.overseas[code]}, OVERSEAS_NAMES[code])
        # An overseas département is a region on its own: its coast is a region border.
        edge = (REGION_EDGE_COLOUR, _REGION_EDGE_WIDTH) if borders is not None else (MAP_EDGE_COLOUR, _EDGE_WIDTH)
        _add(inset, _patch(shapes.overseas[code], colour_by_departement[code], PATCH_GID.format(code=code),
                               edge=edge[0], width=edge[1]))
    if layout.paris is not None:
        paris = _inset(ax, layout, layout.paris, shapes.paris, PARIS_ZOOM_TITLE)
        for code, path in shapes.paris.items():
            _add(paris, _patch(path, colour_by_departement[code], ZOOM_GID.format(code=code), width=0.6))
        # Where the enlargement comes from, on the main map.
        zone = _extents([shapes.metropole[code] for code in PARIS_CODES])
        _add(ax, Rectangle((zone.x0 - 4, zone.y0 - 4), zone.width + 8, zone.height + 8, fill=False,
                               edgecolor=REGION_EDGE_COLOUR, linewidth=0.5, gid="cadre-paris"))
    if labels:
        fontsize = 7.0 if figure_medium(ax.figure) == "print" else 7.5
        for _code, (path, text, fill) in labels.items():
            _label(ax, path, text, fill, fontsize)
    _legend(ax, layout, classes, legend_title, with_missing=with_missing, below=legend_below, with_secret=with_secret)


def _finish(fig: Figure, ax: Axes, own_figure: bool, title: str, caption: dict[str, Any]) -> Figure:
    if own_figure:
        return finish_figure(fig, title=title, **caption)
    if any(value is not None for value in caption.values()):
        raise ValueError("with ax=…, the caller finishes the whole figure: leave source/as_of/synthetic/note out")
    ax.set_title(title)
    return fig


@selectable
def departement_map(
    values: pd.Series | pd.DataFrame,
    column: str | None = None,
    *,
    title: str,
    legend_title: str,
    source: str | None = None,
    as_of: object = None,
    synthetic: bool | None = None,
    note: str | None = None,
    breaks: Sequence[float] | None = None,
    n_classes: int = 5,
    decimals: int = 0,
    kind: ValueKind = "number",
    formatter: Callable[[float], str] | None = None,
    show_values: bool = False,
    ax: Axes | None = None,
    size: Size = "map",
) -> Figure:
    """A choropleth by département with overseas and Paris insets, of `column` of an indicator (or
    published) frame with a `code` column — `departement_map(by_departement(...), "actifs_pour_100k_hab",
    title=…, legend_title=…)`, date, synthetic flag and sources read from the frame like a chart — or of a
    Series indexed by COG département code (text), with `source`, `as_of`, `synthetic` given by hand.

    Without `ax`, a new finished figure (title, caption, optional `note`). With `ax`, the map is drawn as
    one panel titled `title` and the caller finishes the figure. Départements absent or with a missing
    value are drawn as « Données non disponibles », hidden values as « Secret statistique ». Values are
    shown as numbers, percentages of ratios or euros (`kind`) with `decimals` decimals, or with any
    `formatter`; classes are the given inner `breaks` or up to `n_classes` rounded quantiles.
    `show_values` writes each value on its département (the Paris ones in the enlargement).
    """
    known = reference.departements()["code"].tolist()
    own_figure = ax is None
    data = _map_input(values, column, known, "département",
                      {"source": source, "as_of": as_of, "synthetic": synthetic, "note": note}, own_figure=own_figure,
                      finest=shown_decimals(kind, decimals, formatter))
    numbers = data.numbers
    fmt = formatter or value_formatter(kind, decimals)
    with figure_style(figure_medium(ax.figure) if ax is not None else medium_of(size)):
        fig, ax = _prepare_axes(ax, size)
        classes = make_classes(numbers, breaks=breaks, n_classes=n_classes, decimals=decimals, kind=kind,
                               formatter=formatter)
        colours = _colour_by_code(data, classes)
        labels = None
        if show_values:
            shapes = departement_shapes()
            labels = {code: (shapes.metropole[code], _value_text(data, code, fmt), colours[code])
                      for code in shapes.metropole if code not in PARIS_CODES}
        _draw(ax, colours, classes, legend_title, with_paris=True, borders=None, labels=labels)
        if show_values:
            _label_zoom_and_overseas(ax, data, colours, fmt)
        return _finish(fig, ax, own_figure, title, data.caption)


def _label_zoom_and_overseas(ax: Axes, data: _MapInput, colours: dict[str, str | None],
                             fmt: Callable[[float], str]) -> None:
    shapes = departement_shapes()
    fontsize = 7.0 if figure_medium(ax.figure) == "print" else 7.5
    for inset in ax.child_axes:
        for patch in inset.patches:
            gid = patch.get_gid() or ""
            code = gid.rsplit("-", 1)[-1]
            if gid.startswith("zoom-") or code in OVERSEAS_CODES:
                text = _value_text(data, code, fmt)
                path = shapes.paris[code] if gid.startswith("zoom-") else shapes.overseas[code]
                _label(inset, path, text, colours[code], fontsize)


@cache
def _region_of_departement() -> dict[str, str]:
    frame = reference.departements()
    return dict(zip(frame["code"], frame["region_code"], strict=True))


@cache
def _region_borders() -> Path:
    return group_borders(departement_shapes().metropole, _region_of_departement())


@selectable
def region_map(
    values: pd.Series | pd.DataFrame,
    column: str | None = None,
    *,
    title: str,
    legend_title: str,
    source: str | None = None,
    as_of: object = None,
    synthetic: bool | None = None,
    note: str | None = None,
    breaks: Sequence[float] | None = None,
    n_classes: int = 5,
    decimals: int = 0,
    kind: ValueKind = "number",
    formatter: Callable[[float], str] | None = None,
    show_values: bool = False,
    highlight: str | None = None,
    ax: Axes | None = None,
    size: Size = "map",
) -> Figure:
    """A choropleth by 2016 region of `column` of an indicator (or published) frame with a `code` column
    (the national row `FR` is left out), or of a Series indexed by region code: départements take their
    region's colour, region borders are drawn thick. Same conventions as `departement_map` (no Paris
    enlargement: the four départements belong to one region). `highlight` (a region code) outlines that
    region in the highlight colour and names it in the legend, as a regional report shows its region."""
    region_of = _region_of_departement()
    known = reference.regions()["region_code"].tolist()
    own_figure = ax is None
    data = _map_input(values, column, known, "région",
                      {"source": source, "as_of": as_of, "synthetic": synthetic, "note": note}, own_figure=own_figure,
                      finest=shown_decimals(kind, decimals, formatter))
    fmt = formatter or value_formatter(kind, decimals)
    with figure_style(figure_medium(ax.figure) if ax is not None else medium_of(size)):
        fig, ax = _prepare_axes(ax, size)
        classes = make_classes(data.numbers, breaks=breaks, n_classes=n_classes, decimals=decimals, kind=kind,
                               formatter=formatter)
        region_colours = _colour_by_code(data, classes)
        colours = {departement: region_colours[region] for departement, region in region_of.items()}
        labels = None
        if show_values:
            shapes = departement_shapes()
            labels = {}
            for region in known:
                members = [shapes.metropole[d] for d, r in region_of.items() if r == region and d in shapes.metropole]
                if members:
                    labels[region] = (_region_label_path(region), _value_text(data, region, fmt),
                                      region_colours[region])
        _draw(ax, colours, classes, legend_title, with_paris=False, borders=_region_borders(), labels=labels)
        if show_values:
            by_departement = _MapInput(
                pd.Series({d: data.numbers[r] for d, r in region_of.items()}, dtype="Float64"),
                frozenset(d for d, r in region_of.items() if r in data.hidden),
                data.caption,
            )
            _label_zoom_and_overseas(ax, by_departement, colours, fmt)
        if highlight is not None:
            _outline_region(ax, highlight)
        return _finish(fig, ax, own_figure, title, data.caption)


def _outline_region(ax: Axes, region: str) -> None:
    """Outline a region's départements (on the main map or in its overseas box) and add it to the legend."""
    shapes = departement_shapes()
    members = [code for code, owner in _region_of_departement().items() if owner == region]
    for code in members:
        if code in shapes.metropole:
            _add(ax, PathPatch(shapes.metropole[code], facecolor="none", edgecolor=HIGHLIGHT_COLOUR, linewidth=1.6,
                               joinstyle="round", gid=f"surligne-{code}", zorder=4))
    for inset in ax.child_axes:
        for patch in list(inset.patches) + list(inset.artists):
            code = (patch.get_gid() or "").rsplit("-", 1)[-1]
            if code in members and code in OVERSEAS_CODES:
                _add(inset, PathPatch(shapes.overseas[code], facecolor="none", edgecolor=HIGHLIGHT_COLOUR,
                                      linewidth=1.6, gid=f"surligne-{code}", zorder=4))
    legend = ax.get_legend()
    name = reference.regions().set_index("region_code").loc[region, "region_name"]
    if legend is not None:
        handles = list(legend.legend_handles) + [Patch(facecolor="none", edgecolor=HIGHLIGHT_COLOUR, linewidth=1.6,
                                                       label=f"Région du rapport : {name}")]
        labels = [text.get_text() for text in legend.get_texts()] + [f"Région du rapport : {name}"]
        anchor = legend.get_bbox_to_anchor().transformed(ax.transAxes.inverted())
        new = ax.legend(handles=handles, labels=labels, title=legend.get_title().get_text(), loc="upper left",
                        bbox_to_anchor=(anchor.x0, anchor.y0), alignment="left", frameon=False, handlelength=1.6,
                        handleheight=1.1)
        new.set_gid("legende-carte")


@selectable
def region_departements_map(
    values: pd.DataFrame,
    column: str,
    region: str,
    *,
    title: str,
    legend_title: str,
    source: str | None = None,
    as_of: object = None,
    synthetic: bool | None = None,
    note: str | None = None,
    n_classes: int = 4,
    decimals: int = 0,
    kind: ValueKind = "number",
    formatter: Callable[[float], str] | None = None,
    size: Size = "map",
) -> Figure:
    """One region's départements, zoomed to fill the figure and labelled with their names and values: the map a
    regional edition opens its territories with. `values` is a frame by département (a `code` column, `column`
    to map, hidden values in `<column>_secret`), of every département or only the region's; the other regions'
    départements are neither drawn nor named. Classes come from the region's own values (up to `n_classes`);
    date, synthetic flag and sources are read from the frame's attrs like `departement_map`."""
    departements = reference.departements()
    members = departements.loc[departements["region_code"] == region, "code"].tolist()
    if not members:
        raise MapDataError(f"région inconnue : {region!r} (code COG de région attendu, en texte)")
    frame = values[values["code"].astype("string").isin(members)]
    data = _map_input(frame, column, members, "département",
                      {"source": source, "as_of": as_of, "synthetic": synthetic, "note": note}, own_figure=True,
                      finest=shown_decimals(kind, decimals, formatter))
    names = dict(zip(departements["code"], departements["name"], strict=True))
    fmt = formatter or value_formatter(kind, decimals)
    shapes = departement_shapes()
    paths = {code: shapes.metropole.get(code, shapes.overseas.get(code)) for code in members}
    with figure_style(medium_of(size)):
        fig, ax = new_figure(size)
        mark_map_axes(ax)
        classes = make_classes(data.numbers, n_classes=min(n_classes, len(members)), decimals=decimals,
                               kind=kind, formatter=formatter)
        colours = _colour_by_code(data, classes)
        box = _extents(list(paths.values()))
        pad_x, pad_y = box.width * 0.06 + 1, box.height * 0.06 + 1
        ax.set_xlim(box.x0 - pad_x, box.x1 + pad_x)
        ax.set_ylim(box.y1 + pad_y, box.y0 - pad_y)
        ax.set_aspect("equal", adjustable="box")
        for code, path in paths.items():
            # unclipped: the limits hold every shape, and fpdf2 (the PDF report) scaled clipped large shapes
            _add(ax, _patch(path, colours[code], PATCH_GID.format(code=code), width=0.8)).set_clip_on(False)
        fontsize = 7.5 if figure_medium(fig) == "print" else 9.0
        area = box.width * box.height
        for code, path in paths.items():
            small = abs(sum(_area(ring) for ring in path.to_polygons())) < area * 0.01
            text = (code if small else f"{names[code]}") + "\n" + _value_text(data, code, fmt)
            _label(ax, path, text, colours[code], fontsize)
        with_missing = any(colour is None for colour in colours.values())
        with_secret = any(colour == SECRET for colour in colours.values())
        legend = ax.legend(handles=_legend_handles(classes, with_missing, with_secret),
                           title=_legend_title(legend_title), loc="upper left", bbox_to_anchor=(1.01, 1.0),
                           alignment="left", frameon=False, handlelength=1.6, handleheight=1.1)
        legend.set_gid("legende-carte")
        small_codes = [code for code in members
                       if abs(sum(_area(ring) for ring in paths[code].to_polygons())) < area * 0.01]
        extra = "; ".join(f"{code} : {names[code]}" for code in small_codes)
        caption = dict(data.caption)
        if extra:
            caption["note"] = " ".join(part for part in (caption.get("note"), f"Codes : {extra}.") if part)
        return finish_figure(fig, title=title, **caption)


@cache
def _region_label_path(region: str) -> Path:
    # A region's label goes at the centre of its départements, weighted by area: a square made of it.
    shapes = departement_shapes().metropole
    total, x_sum, y_sum = 0.0, 0.0, 0.0
    for departement, owner in _region_of_departement().items():
        if owner != region or departement not in shapes:
            continue
        for ring in shapes[departement].to_polygons():
            area = abs(_area(ring))
            x, y = _centroid(ring)
            total, x_sum, y_sum = total + area, x_sum + area * x, y_sum + area * y
    x, y = x_sum / total, y_sum / total
    return Path([(x - 1, y - 1), (x + 1, y - 1), (x + 1, y + 1), (x - 1, y + 1), (x - 1, y - 1)], closed=True)


__all__ = [
    "Classes",
    "MapDataError",
    "departement_map",
    "make_classes",
    "region_departements_map",
    "region_map",
    "value_formatter",
]
