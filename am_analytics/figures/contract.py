"""The figure contract: how every chart is finished (title, caption, synthetic mention), checked and saved.

Drawing and saving are separate. A chart function draws on axes and returns its figure after
`finish_figure`; whoever needs files (report, notebooks' exports) calls `save_figure`. Tests of every
chart call `check_figure`, which lists everything a figure lacks rather than stopping at the first fault.

A finished figure carries:

- a French title (`fig.suptitle`);
- axis labels with their units on every axes that has axes (maps, colorbars and insets excepted);
- a caption at the bottom: « Source : … — Données au 30 juin 2025 »;
- « Données de démonstration synthétiques » in bold vermillion whenever a synthetic input is behind it,
  and never otherwise;
- real published figures drawn as black diamonds labelled « Chiffres publiés » (`plot_published`).

The caption and the synthetic mention are figure texts with fixed `gid`s, which both the checker and the
SVG output (as element ids) can find.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import same_color
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, PlaceHolderLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from am_analytics.atomic import write_with
from am_analytics.figures.formatting import NBSP, format_date, is_missing
from am_analytics.figures.style import (
    MUTED_COLOUR,
    PUBLISHED_LABEL,
    PUBLISHED_STYLE,
    SYNTHETIC_COLOUR,
    figure_medium,
    figure_style,
    save_params,
)
from am_analytics.vocabulary import SYNTHETIC_MENTION

TITLE_GID = "am-titre"
SOURCE_GID = "am-source"
NOTE_GID = "am-note"
SYNTHETIC_GID = "am-donnees-synthetiques"

# Axes that carry no axis labels by nature; chart code marks them with one of these gids.
MAP_AXES_GID = "am-carte"
INSET_AXES_GID = "am-encart"
LEGEND_AXES_GID = "am-legende"
UNLABELLED_AXES_GIDS = frozenset({MAP_AXES_GID, INSET_AXES_GID, LEGEND_AXES_GID})

SAVE_FORMATS = ("svg", "png", "pdf")
# Metadata that would differ between two saves (dates) or between machines is left out.
_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None},
}

_CAPTION_MARGIN_PT = 4.0
_LINE_SPACING = 1.35


class FigureContractError(ValueError):
    """A figure breaks the contract; `problems` lists every fault, the message shows them all."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"figure non conforme ({len(self.problems)} problème(s)) :\n{lines}")


def caption_text(source: str, as_of: object) -> str:
    """`Source : {source} — Données au 30 juin 2025` (a no-break space before the colon)."""
    if not source or not str(source).strip():
        raise ValueError("a figure needs its source (« Source : … »)")
    if is_missing(as_of):
        raise ValueError("a figure needs the date of its data (« Données au … »)")
    return f"Source{NBSP}: {source.strip()} — Données au {format_date(as_of)}"


def _is_unlabelled_axes(ax: Axes) -> bool:
    # Colorbars are axes too; matplotlib marks them with a private attribute and a label of its own.
    return (
        ax.get_gid() in UNLABELLED_AXES_GIDS
        or getattr(ax, "_colorbar", None) is not None
        or ax.get_label() == "<colorbar>"
        or not ax.get_visible()
        or not ax.axison
    )


def data_axes(fig: Figure) -> list[Axes]:
    """The axes of a figure that must carry axis labels (everything but maps, insets, legends, colorbars)."""
    return [ax for ax in fig.axes if not _is_unlabelled_axes(ax)]


def mark_map_axes(ax: Axes) -> Axes:
    """Mark axes as a map (no axis labels expected) and hide its frame and ticks."""
    ax.set_gid(MAP_AXES_GID)
    ax.set_axis_off()
    return ax


def plot_published(ax: Axes, x: Iterable[Any], y: Iterable[Any], *, label: str = PUBLISHED_LABEL, **kwargs: Any):
    """Draw real published figures as black diamonds (never joined by a line), labelled « Chiffres publiés »."""
    style = {**PUBLISHED_STYLE, **kwargs}
    with figure_style(figure_medium(ax.figure)):
        (line,) = ax.plot(list(x), list(y), label=label, **style)
    return line


def _wrap(text: str, fig: Figure, fontsize: float) -> str:
    # DejaVu Sans averages about 0.55 em per character: wrap so the caption never runs off the page.
    width_pt = fig.get_figwidth() * 72 * 0.98
    characters = max(int(width_pt / (0.55 * fontsize)), 20)
    return "\n".join(textwrap.wrap(text, characters, break_on_hyphens=False))


def _contract_texts(fig: Figure, gid: str) -> list[Text]:
    return [text for text in fig.texts if text.get_gid() == gid]


def finish_figure(
    fig: Figure,
    *,
    title: str,
    source: str,
    as_of: object,
    synthetic: bool,
    xlabel: str | None = None,
    ylabel: str | None = None,
    note: str | None = None,
) -> Figure:
    """Give a drawn figure its title, optional axis labels, caption and (if synthetic) the mention.

    `xlabel`/`ylabel` label the figure's single data axes (with units: « Contrats signés (nombre) »);
    figures with several axes label each one while drawing. `note` is an optional line above the source
    (a definition, an estimate warning). Returns the same figure, so a chart function can end with
    `return finish_figure(fig, …)`.
    """
    if not isinstance(synthetic, bool):
        raise TypeError("synthetic must be True or False: the caller knows whether its inputs are synthetic")
    if not title or not title.strip():
        raise ValueError("a figure needs a French title")
    if any(_contract_texts(fig, gid) for gid in (SOURCE_GID, SYNTHETIC_GID, NOTE_GID)):
        raise ValueError("this figure is already finished (its caption is there): finish a figure once")
    caption = caption_text(source, as_of)
    with figure_style(figure_medium(fig)):
        if xlabel is not None or ylabel is not None:
            axes = data_axes(fig)
            if len(axes) != 1:
                raise ValueError(f"xlabel/ylabel label a single data axes; this figure has {len(axes)}: label each")
            if xlabel is not None:
                axes[0].set_xlabel(xlabel)
            if ylabel is not None:
                axes[0].set_ylabel(ylabel)
        # a long title (a region's name appended, say) wraps rather than running off the figure; bold text is
        # wider than the caption's, hence the narrower budget
        title_size = float(mpl.rcParams["figure.titlesize"])
        fig.suptitle(_wrap(title.strip(), fig, title_size * 1.1), x=0.01, ha="left", gid=TITLE_GID)

        fontsize = mpl.rcParams["font.size"] - 0.5
        lines: list[tuple[str, str, dict[str, Any]]] = []  # bottom line first
        if synthetic:
            lines.append((SYNTHETIC_GID, SYNTHETIC_MENTION, {"color": SYNTHETIC_COLOUR, "fontweight": "bold"}))
        lines.append((SOURCE_GID, _wrap(caption, fig, fontsize), {"color": MUTED_COLOUR}))
        if note:
            lines.append((NOTE_GID, _wrap(note.strip(), fig, fontsize), {"color": MUTED_COLOUR}))

        height_pt = fig.get_figheight() * 72
        offset_pt = _CAPTION_MARGIN_PT
        for gid, text, style in lines:
            fig.text(0.01, offset_pt / height_pt, text, ha="left", va="bottom", fontsize=fontsize, gid=gid,
                     linespacing=1.2, **style)
            offset_pt += (text.count("\n") + 1) * fontsize * _LINE_SPACING
    _reserve_bottom(fig, (offset_pt + _CAPTION_MARGIN_PT) / height_pt)
    return fig


def _reserve_bottom(fig: Figure, fraction: float) -> None:
    # The caption lives below the axes: the layout engine must keep that band free.
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0, fraction, 1, 1 - fraction))
    elif engine is None:
        fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, fraction + 0.08))
    else:  # tight layout, or an engine we do not know: tight_layout takes a rect too
        fig.tight_layout(rect=(0, fraction, 1, 1))


# --- Checking ---------------------------------------------------------------------------------------------


def _label_problems(fig: Figure) -> list[str]:
    problems = []
    # A figure-level label (`fig.supxlabel`) labels every axes of a grid at once.
    has_supxlabel = bool(fig.get_supxlabel().strip())
    has_supylabel = bool(fig.get_supylabel().strip())
    for number, ax in enumerate(data_axes(fig), start=1):
        name = f"axes n°{number}" + (f" « {ax.get_title()} »" if ax.get_title() else "")
        if not ax.get_xlabel().strip() and not has_supxlabel and ax.xaxis.get_visible():
            problems.append(f"{name} : libellé de l'axe horizontal absent (avec son unité)")
        if not ax.get_ylabel().strip() and not has_supylabel and ax.yaxis.get_visible():
            problems.append(f"{name} : libellé de l'axe vertical absent (avec son unité)")
    return problems


def _all_texts(fig: Figure) -> list[Text]:
    return [text for text in fig.findobj(Text) if text.get_visible() and text.get_text().strip()]


def _synthetic_problems(fig: Figure, synthetic: bool) -> list[str]:
    mentions = [text for text in _all_texts(fig) if SYNTHETIC_MENTION.lower() in text.get_text().lower()]
    if synthetic and not mentions:
        return [f"mention « {SYNTHETIC_MENTION} » absente alors que des données synthétiques sont en entrée"]
    if not synthetic and mentions:
        return [f"mention « {SYNTHETIC_MENTION} » présente alors qu'aucune donnée synthétique n'est en entrée"]
    problems = []
    for text in mentions:
        if text.get_alpha() is not None and text.get_alpha() < 0.9:
            problems.append("mention des données synthétiques trop transparente")
        if not same_color(text.get_color(), SYNTHETIC_COLOUR):
            problems.append("mention des données synthétiques pas dans sa couleur de mise en garde")
    return problems


def _published_problems(fig: Figure) -> list[str]:
    problems = []
    for line in fig.findobj(Line2D):
        if line.get_label() != PUBLISHED_LABEL:
            continue
        if line.get_marker() != PUBLISHED_STYLE["marker"] or not same_color(line.get_markerfacecolor(), "black"):
            problems.append(f"« {PUBLISHED_LABEL} » doivent être des losanges noirs (plot_published)")
        if line.get_linestyle() not in ("None", "none", "", " "):
            problems.append(f"« {PUBLISHED_LABEL} » ne doivent pas être reliés par une ligne")
    return problems


def _bounds_problems(fig: Figure, *, drawn: bool = False) -> list[str]:
    # A title or caption pushed out of the figure is as good as missing.
    if not drawn:  # positions come from a draw; a caller that has just drawn the figure saves one
        fig.draw_without_rendering()
    renderer = fig._get_renderer()  # noqa: SLF001
    box = fig.bbox
    problems = []
    for gid, name in ((TITLE_GID, "titre"), (SOURCE_GID, "ligne de source"), (SYNTHETIC_GID, "mention synthétique")):
        for text in [t for t in _all_texts(fig) if t.get_gid() == gid]:
            extent = text.get_window_extent(renderer)
            tolerance = 1.0
            if (extent.x0 < box.x0 - tolerance or extent.x1 > box.x1 + tolerance
                    or extent.y0 < box.y0 - tolerance or extent.y1 > box.y1 + tolerance):
                problems.append(f"{name} en partie hors de la figure (trop long ou mal placé)")
    return problems


def contract_problems(fig: Figure, *, synthetic: bool | None, drawn: bool = False) -> list[str]:
    """Every way `fig` breaks the contract (empty when it is fine); `synthetic=None` skips that check.

    `drawn=True` says the figure has just been drawn with its final layout (no need to draw it again)."""
    problems = []
    title = fig.get_suptitle().strip()
    if not title:
        problems.append("titre absent (finish_figure(title=…))")
    problems += _label_problems(fig)
    sources = [text for text in _all_texts(fig) if text.get_gid() == SOURCE_GID]
    if not sources:
        problems.append("ligne « Source : … — Données au … » absente (finish_figure(source=…, as_of=…))")
    else:
        for text in sources:
            content = text.get_text().replace("\n", " ")
            if not content.startswith(f"Source{NBSP}:") or " — Données au " not in content:
                problems.append(f"ligne de source mal formée : {content!r}")
    if synthetic is not None:
        problems += _synthetic_problems(fig, synthetic)
    problems += _published_problems(fig)
    if not problems:
        problems += _bounds_problems(fig, drawn=drawn)
    return problems


def check_figure(fig: Figure, *, synthetic: bool) -> Figure:
    """Raise `FigureContractError` listing every fault of `fig`; `synthetic` says whether its inputs were."""
    if not isinstance(synthetic, bool):
        raise TypeError("synthetic must be True or False")
    problems = contract_problems(fig, synthetic=synthetic)
    if problems:
        raise FigureContractError(problems)
    return fig


def smallest_text_pt(fig: Figure) -> float:
    """The size in points of the smallest visible text of a figure (titles, ticks, legends, labels, notes),
    at the figure's own size; `inf` when it has no text."""
    sizes = [text.get_fontsize() for text in _all_texts(fig)]
    return float(min(sizes)) if sizes else float("inf")


def printed_text_pt(fig: Figure, printed_width_mm: float) -> float:
    """The smallest text of `fig` in points once the figure is printed `printed_width_mm` wide: a figure
    scaled down on the page has smaller text than it was drawn with."""
    # to the thousandth of a point: a chart printed at its drawn width keeps its 7 pt exactly, not 6.9999999
    return round(smallest_text_pt(fig) * printed_width_mm / (fig.get_figwidth() * 25.4), 3)


def _label(text: Text) -> str:
    return " ".join(text.get_text().split())[:60]


def _shrunk(box: Bbox, by_px: float) -> Bbox:
    return Bbox.from_extents(box.x0 + by_px, box.y0 + by_px, box.x1 - by_px, box.y1 - by_px)


def _outline(text: Text, box: Bbox) -> np.ndarray:
    """The four corners of a text's own rectangle (turned with the text), from its upright box: two labels turned
    35° side by side have overlapping upright boxes but do not touch."""
    angle = np.deg2rad(text.get_rotation() % 180)
    cos, sin = abs(np.cos(angle)), abs(np.sin(angle))
    if abs(cos - sin) < 1e-3 or min(cos, sin) < 1e-6:  # upright, a quarter turn, or 45° (not solvable): the box
        return np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]])
    # the upright box of a w × h rectangle turned by `angle` is (w cos + h sin) × (w sin + h cos)
    width, height = np.linalg.solve([[cos, sin], [sin, cos]], [box.width, box.height])
    along, across = np.array([np.cos(angle), np.sin(angle)]), np.array([-np.sin(angle), np.cos(angle)])
    centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
    return np.array([centre + sx * width / 2 * along + sy * height / 2 * across
                     for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))])


def _outlines_overlap(first: np.ndarray, second: np.ndarray) -> bool:
    """Whether two convex outlines overlap (separating axis test on their edges' normals)."""
    for outline in (first, second):
        for start, end in zip(outline, np.roll(outline, -1, axis=0), strict=True):
            normal = np.array([start[1] - end[1], end[0] - start[0]])
            a, b = first @ normal, second @ normal
            if a.max() <= b.min() or b.max() <= a.min():
                return False
    return True


def _undrawn_tick_labels(fig: Figure) -> set[int]:
    """The tick labels an axis keeps but does not draw (ticks beyond its limits): still « visible » texts."""
    undrawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            shown = ax.axison and ax.get_visible() and axis.get_visible()  # a map's axes draw no tick at all
            drawn = {id(tick) for tick in axis._update_ticks()} if shown else set()  # noqa: SLF001
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if id(tick) not in drawn:
                    undrawn.update({id(tick.label1), id(tick.label2)})
    return undrawn


def _hides_lines_beneath(text: Text, line: Line2D) -> bool:
    """A label on an opaque background drawn above a line hides the line: the reader sees no crossing."""
    patch = text.get_bbox_patch()
    if patch is None or text.get_zorder() <= line.get_zorder():
        return False
    face = patch.get_facecolor()
    return patch.get_fill() and face[3] >= 0.99


def text_collisions(fig: Figure, *, tolerance_pt: float = 0.5) -> list[str]:
    """Where a reader sees text on text or a line through text, in French: every pair of visible texts whose boxes
    overlap, and every text crossed by a plotted line or covered by a marker of its own axes (the chart's lines,
    target lines and markers; not the grid). Empty when the figure is clean. Measured on the figure as drawn, so
    on what the PDF prints: the report embeds charts at the size they are drawn (`style.PRINT_WIDTH_CM`).

    Boxes are shrunk by `tolerance_pt` so that texts which only touch are not counted."""
    fig.draw_without_rendering()
    renderer = fig._get_renderer()  # noqa: SLF001
    by_px = tolerance_pt * fig.dpi / 72
    hidden = _undrawn_tick_labels(fig)
    boxes = [(text, _shrunk(text.get_window_extent(renderer), by_px)) for text in _all_texts(fig)
             if id(text) not in hidden]
    boxes = [(text, box) for text, box in boxes if box.width > 0 and box.height > 0]
    found = []
    outlines = [_outline(text, box) for text, box in boxes]
    for index, (text, box) in enumerate(boxes):
        for (other, other_box), outline in zip(boxes[index + 1:], outlines[index + 1:], strict=True):
            if box.overlaps(other_box) and _outlines_overlap(outlines[index], outline):
                found.append(f"« {_label(text)} » chevauche « {_label(other)} »")
    for ax in fig.axes:
        area = ax.get_window_extent(renderer)
        inside = [(text, box) for text, box in boxes if box.overlaps(area)]
        for line in ax.lines:
            if not line.get_visible():
                continue
            path = line.get_transform().transform_path(line.get_path())
            drawn = line.get_linestyle() not in ("None", "none", "", " ")
            marked = line.get_marker() not in (None, "None", "none", "")
            radius = line.get_markersize() * fig.dpi / 72 / 2 if marked else 0
            for text, box in inside:
                if _hides_lines_beneath(text, line):
                    continue
                crossed = drawn and path.intersects_bbox(box, filled=False)
                covered = radius and any(box.overlaps(Bbox.from_extents(x - radius, y - radius, x + radius, y + radius))
                                         for x, y in path.vertices)
                if crossed or covered:
                    what = line.get_label() if not line.get_label().startswith("_") else "une ligne du graphique"
                    found.append(f"« {_label(text)} » {'traversé' if crossed else 'couvert'} par « {what} »")
    return found


# --- Saving -----------------------------------------------------------------------------------------------


# Constrained layout is not idempotent: each draw starts from the previous positions and moves them by
# ever smaller amounts (1e-4 of an inch on the second draw, 1e-13 by the fourth), and SVG clip-path ids
# hash the positions at full precision. Saving therefore lets the layout settle for a fixed number of
# passes, rounds every axes position to 1e-7 of the figure (far below a pixel), and holds the layout still
# while every format is written: the formats agree with each other and two saves give the same bytes.
_LAYOUT_PASSES = 4
_POSITION_DIGITS = 7


@contextmanager
def _settled_layout(fig: Figure, passes: int = _LAYOUT_PASSES) -> Iterator[None]:
    engine = fig.get_layout_engine()
    if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
        for _ in range(passes):
            fig.draw_without_rendering()
    for ax in fig.axes:
        bounds = np.round(ax.get_position(original=True).bounds, _POSITION_DIGITS)
        # The private setter keeps the axes in the layout (the public one would take them out of it).
        ax._set_position(Bbox.from_bounds(*bounds), which="both")  # noqa: SLF001
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine):
        yield
        return
    fig.set_layout_engine("none")
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


def _targets(path: Path, formats: Sequence[str] | None) -> list[tuple[Path, str]]:
    """The files to write and their formats: the path given, in the format its suffix names; or, with
    `formats`, one file per format named after the path (its suffix replaced when it is one of ours,
    appended otherwise, so a dotted name such as « carte.v2 » keeps its dot)."""
    suffix = path.suffix.lower().lstrip(".")
    if formats is None:
        if suffix not in SAVE_FORMATS:
            raise ValueError(
                f"« {path.name} » : l'extension du fichier dit son format ; écrire {path.name}.svg, .png ou .pdf "
                "(ou donner formats=(\"svg\", \"png\") pour plusieurs fichiers)"
            )
        return [(path, suffix)]
    unknown = [fmt for fmt in formats if fmt not in SAVE_FORMATS]
    if unknown or not formats:
        raise ValueError(f"formats must be among {', '.join(SAVE_FORMATS)}; got {list(formats)!r}")
    stem = path.with_suffix("") if suffix in SAVE_FORMATS else path
    return [(stem.with_name(f"{stem.name}.{fmt}"), fmt) for fmt in formats]


def save_figure(
    fig: Figure,
    path: Path | str,
    formats: Sequence[str] | None = None,
    *,
    dpi: float | None = None,
) -> list[Path]:
    """Write `fig` to `path`, in the format its suffix names (`carte.png` → a PNG at `carte.png`); a path
    without a known suffix (.svg, .png, .pdf) is refused rather than guessed. With `formats`, one file per
    format beside `path` (`carte` → `carte.svg`, `carte.png`). Returns the paths written.

    Each file is written atomically (temporary file in the same folder, then renamed over the target) and
    deterministically: saving the same figure twice gives the same bytes. A figure without its title or
    caption is refused: nothing unsourced leaves the package.
    """
    problems = contract_problems(fig, synthetic=None)
    if problems:
        raise FigureContractError(problems)
    targets = _targets(Path(path), formats)
    written = []
    with mpl.rc_context(save_params()), _settled_layout(fig):
        for target, fmt in targets:
            def writer(temporary: Path, fmt: str = fmt) -> None:
                fig.savefig(temporary, format=fmt, metadata=_METADATA[fmt], dpi=dpi or mpl.rcParams["savefig.dpi"])

            written.append(write_with(target, writer))
    return written


def figure_bytes(fig: Figure, fmt: str = "svg", *, dpi: float | None = None) -> bytes:
    """The bytes `save_figure` would write for one format, for embedding (the PDF report) rather than saving.

    Same checks and same deterministic settings: the layout is settled before drawing, so the bytes depend
    on the figure alone, not on how many times it was drawn before or in which process.
    """
    if fmt not in SAVE_FORMATS:
        raise ValueError(f"format must be among {', '.join(SAVE_FORMATS)}; got {fmt!r}")
    buffer = io.BytesIO()
    # One pass is enough for a figure exported once: its layout starts from the same state in every process.
    # (`save_figure` settles more because the same figure may be saved again after being drawn.)
    with mpl.rc_context(save_params()), _settled_layout(fig, passes=1):
        problems = contract_problems(fig, synthetic=None, drawn=True)
        if problems:
            raise FigureContractError(problems)
        fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt], dpi=dpi or mpl.rcParams["savefig.dpi"])
    return buffer.getvalue()


__all__ = [
    "FigureContractError",
    "figure_bytes",
    "SYNTHETIC_MENTION",
    "caption_text",
    "check_figure",
    "contract_problems",
    "data_axes",
    "finish_figure",
    "mark_map_axes",
    "plot_published",
    "printed_text_pt",
    "save_figure",
    "smallest_text_pt",
    "text_collisions",
]
