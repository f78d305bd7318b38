"""The one place that sets plotting parameters: palette, sizes, font and deterministic output settings.

Nothing here runs at import time: the parameters apply inside `figure_style()` (a `matplotlib.rc_context`)
or to a figure made by `new_figure()`, so importing the package never changes a notebook's own settings.
No other module of the package calls `plt.rcParams`, `mpl.rc` or `sns.set`.

Choices, and why:

- categories use the Okabe–Ito palette (distinguishable under the common colour-vision deficiencies and in
  greyscale print by lightness), without its black, which is kept for real published figures;
- choropleth classes are sampled from viridis, light (few) to dark (many): perceptually ordered, readable
  in greyscale, and free of greys, so the « no data » grey with hatching can never be read as a class;
- DejaVu Sans, the font shipped inside matplotlib, so output never depends on system fonts (and the PDF
  report can embed the same file);
- SVG text stays text (`svg.fonttype = none`: small, searchable files), element ids come from a fixed
  salt and the date is left out of the metadata, so saving the same figure twice gives the same bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.colors import ListedColormap, to_hex, to_rgb
from matplotlib.figure import Figure

# --- Colours ---------------------------------------------------------------------------------------

# Okabe & Ito (2008), "Color Universal Design", in the order categories are assigned.
OKABE_ITO = {
    "bleu": "#0072B2",
    "orange": "#E69F00",
    "vert": "#009E73",
    "vermillon": "#D55E00",
    "bleu_ciel": "#56B4E9",
    "pourpre": "#CC79A7",
    "jaune": "#F0E442",
}
CATEGORY_COLOURS: tuple[str, ...] = tuple(OKABE_ITO.values())

TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#595959"  # captions, secondary text: still 7:1 contrast on white
GRID_COLOUR = "#D9D9D9"
BACKGROUND = "#FFFFFF"

# Real published figures: black diamonds, never a line, so they cannot be mistaken for the data.
PUBLISHED_STYLE: Mapping[str, Any] = {
    "marker": "D",
    "markersize": 6,
    "color": "#000000",
    "markerfacecolor": "#000000",
    "markeredgecolor": "#FFFFFF",
    "markeredgewidth": 0.8,
    "linestyle": "none",
    "zorder": 5,
}
PUBLISHED_LABEL = "Chiffres publiés"

# The synthetic-data warning must stand out from the grey caption: a dark vermillion, bold. Okabe–Ito's own
# vermillion (#D55E00) is 3,9:1 on white, under the 4,5:1 text needs; this one is 5,5:1 (WCAG 2, measured on the
# site by tests/test_site_browser.py).
SYNTHETIC_COLOUR = "#B34700"

SEQUENTIAL_CMAP = "viridis"
# Ends of viridis used for classes: not its darkest purple (too close to black edges and text) and its
# light yellow for the lowest class.
_SEQUENTIAL_RANGE = (0.98, 0.15)

NO_DATA_COLOUR = "#E6E6E6"
NO_DATA_HATCH = "////"
NO_DATA_HATCH_COLOUR = "#8C8C8C"
NO_DATA_LABEL = "Données non disponibles"

# Statistical secret (a value the disclosure control hides) is not the same as « no data »: its own pale
# rose fill and cross-hatching, outside viridis and away from the no-data grey (the PDF report draws hatches
# as their background colour, so the two fills must differ by colour alone too).
SECRET_COLOUR = "#F2D4D7"
SECRET_HATCH = "xxx"
SECRET_HATCH_COLOUR = "#9C5B63"
SECRET_LABEL = "Secret statistique"

# A regional report's own region, on national charts and maps: Okabe–Ito orange, away from the map classes.
HIGHLIGHT_COLOUR = OKABE_ITO["orange"]
# Its text (the highlighted region's name on an axis): the same hue darkened to 5,9:1 on white, where the orange
# itself is 2,0:1, too pale for text (WCAG 2: 4,5:1).
HIGHLIGHT_TEXT_COLOUR = "#8A5A00"

MAP_EDGE_COLOUR = "#FFFFFF"
REGION_EDGE_COLOUR = "#333333"


def relative_luminance(colour: Any) -> float:
    """WCAG 2 relative luminance of a colour (any matplotlib colour: name, hex, RGB or RGBA tuple)."""
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(first: Any, second: Any) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white); text needs 4,5."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour_on(fill: Any) -> str:
    """Black or white, whichever reads better on `fill`: one of them is always at least 4,58:1."""
    return "#000000" if contrast_ratio(fill, "#000000") >= contrast_ratio(fill, "#FFFFFF") else "#FFFFFF"


def category_colours(n: int) -> list[str]:
    """The first `n` category colours (Okabe–Ito); more than 7 categories should be grouped, not coloured."""
    if n > len(CATEGORY_COLOURS):
        raise ValueError(f"{n} catégories : au-delà de {len(CATEGORY_COLOURS)}, regrouper les plus petites")
    return list(CATEGORY_COLOURS[:n])


def sequential_colours(n: int) -> list[str]:
    """`n` ordered class colours for a choropleth, lightest (lowest class) first."""
    if n < 1:
        raise ValueError("at least one class is needed")
    cmap = mpl.colormaps[SEQUENTIAL_CMAP]
    positions = np.linspace(*_SEQUENTIAL_RANGE, n) if n > 1 else [np.mean(_SEQUENTIAL_RANGE)]
    return [to_hex(cmap(position)) for position in positions]


def sequential_cmap(n: int) -> ListedColormap:
    """The class colours as a colormap (for a colorbar)."""
    return ListedColormap(sequential_colours(n), name=f"am_sequential_{n}")


# --- Sizes -----------------------------------------------------------------------------------------

CM = 1 / 2.54  # inches per centimetre

Medium = Literal["print", "screen"]
Size = Literal["full", "half", "map", "screen", "screen_map"]

# The report's text frame: A4 (21 cm) with 1,8 cm side margins. Print figures are drawn at the width they are
# printed, so a point of text in matplotlib is a point on paper (never shrunk when placed on the page); a
# half-width figure sits in one of two columns with a 0,6 cm gutter.
PRINT_WIDTH_CM = 17.4
SIZES: Mapping[str, tuple[float, float]] = {
    "full": (PRINT_WIDTH_CM * CM, 10 * CM),
    "half": ((PRINT_WIDTH_CM - 0.6) / 2 * CM, 6.5 * CM),
    "map": (PRINT_WIDTH_CM * CM, 13.5 * CM),
    "screen": (10.0, 6.0),
    "screen_map": (10.0, 7.8),
}

# Font sizes in points: print sizes are read at arm's length on paper, screen sizes at 100 dpi.
_FONT_SIZES = {"print": 8.5, "screen": 11.0}
# The smallest text a printed chart may carry, in points at the size it is printed (the report checks it).
MIN_PRINT_TEXT_PT = 7.0
PNG_DPI = 200  # enough for A4 print at full width (≈ 1 340 px)


def figure_size(size: Size = "full", height_cm: float | None = None) -> tuple[float, float]:
    """Figure size in inches for a named size; `height_cm` overrides the height of a print size."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; known: {', '.join(SIZES)}")
    width, height = SIZES[size]
    return (width, height_cm * CM if height_cm is not None else height)


def medium_of(size: Size) -> Medium:
    return "screen" if size.startswith("screen") else "print"


# --- Parameters ----------------------------------------------------------------------------------------


def rc_params(medium: Medium = "print") -> dict[str, Any]:
    """Every matplotlib parameter the package sets, for print (A4 PDF) or screen (notebooks)."""
    base = _FONT_SIZES[medium]
    return {
        # Font: DejaVu Sans ships with matplotlib, so no system font is ever looked up.
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": base,
        "axes.titlesize": base + 1,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": base,
        "xtick.labelsize": base - 0.5,
        "ytick.labelsize": base - 0.5,
        "legend.fontsize": base - 0.5,
        "legend.title_fontsize": base,
        "figure.titlesize": base + 3,
        "figure.titleweight": "bold",
        # Colours and lines.
        "axes.prop_cycle": cycler(color=list(CATEGORY_COLOURS)),
        "image.cmap": SEQUENTIAL_CMAP,
        "text.color": TEXT_COLOUR,
        "axes.labelcolor": TEXT_COLOUR,
        "axes.edgecolor": MUTED_COLOUR,
        "xtick.color": MUTED_COLOUR,
        "ytick.color": MUTED_COLOUR,
        "xtick.labelcolor": TEXT_COLOUR,
        "ytick.labelcolor": TEXT_COLOUR,
        "axes.facecolor": BACKGROUND,
        "figure.facecolor": BACKGROUND,
        "savefig.facecolor": BACKGROUND,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": GRID_COLOUR,
        "grid.linewidth": 0.6,
        "axes.axisbelow": True,
        "lines.linewidth": 1.6,
        "legend.frameon": False,
        "hatch.color": NO_DATA_HATCH_COLOUR,
        "hatch.linewidth": 0.6,
        # Numbers are formatted by `formatting` (Babel), never by the C locale.
        "axes.formatter.use_locale": False,
        "axes.unicode_minus": False,
        # Output.
        "figure.dpi": 100,
        "savefig.dpi": PNG_DPI,
        "savefig.bbox": None,  # the layout engine decides margins; "tight" would move the caption
        "svg.fonttype": "none",
        "svg.hashsalt": "am_analytics",
        "svg.image_inline": True,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "path.simplify": True,
    }


@contextmanager
def figure_style(medium: Medium = "print") -> Iterator[None]:
    """Apply the package's parameters inside a `with` block only, then restore the caller's."""
    # The backend is left alone (Agg in tests and the report, inline in notebooks): never switched here.
    with mpl.rc_context(rc_params(medium)):
        yield


def styled(function: Callable[..., Figure]) -> Callable[..., Figure]:
    """Decorate a chart function so everything it draws uses the package's parameters.

    Artists read parameters when they are created (a label's font size, a line's width), so the whole
    drawing must happen inside the style, not only the figure's creation. The medium is taken from the
    `ax` argument's figure when one is given, else print.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        ax = kwargs.get("ax")
        medium = figure_medium(ax.figure) if ax is not None else "print"
        with figure_style(medium):
            return function(*args, **kwargs)

    return wrapper


def save_params() -> dict[str, Any]:
    """The parameters that decide the bytes of a saved file (applied by `contract.save_figure`)."""
    keep = ("svg.fonttype", "svg.hashsalt", "svg.image_inline", "pdf.fonttype", "savefig.dpi", "savefig.bbox",
            "savefig.facecolor")
    params = rc_params()
    return {key: params[key] for key in keep}


def new_figure(
    size: Size = "full",
    *,
    height_cm: float | None = None,
    nrows: int = 1,
    ncols: int = 1,
    **subplot_kw: Any,
) -> tuple[Figure, Any]:
    """A figure in the package's style with its axes (`fig, ax` or `fig, axes`), with constrained layout.

    The figure is built from `matplotlib.figure.Figure` (not `pyplot`), so no window or global figure
    manager is involved: safe on a server with the Agg backend, and never leaked by a loop in a notebook.
    Notebooks display it by returning it as a cell's last value.
    """
    medium = medium_of(size)
    with figure_style(medium):
        fig = Figure(figsize=figure_size(size, height_cm), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    # Remember the medium so later drawing (contract, maps) uses the same font sizes.
    fig._am_medium = medium  # type: ignore[attr-defined]
    return fig, axes


def figure_medium(fig: Figure) -> Medium:
    """The medium a figure was made for (print unless `new_figure` said otherwise)."""
    return getattr(fig, "_am_medium", "print")
