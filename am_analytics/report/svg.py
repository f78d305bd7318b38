"""Charts as the PDF embeds them: deterministic SVG with the defaults fpdf2 does not apply written out."""

from __future__ import annotations

import re

from matplotlib.figure import Figure

from am_analytics.figures.contract import figure_bytes


def figure_svg(fig: Figure) -> bytes:
    """A finished figure as SVG bytes, with the same deterministic settings as saved figures."""
    # the RDF metadata block means nothing inside a PDF (and fpdf2 warns about it): leave it out
    svg = re.sub(r"<metadata>.*?</metadata>", "", figure_bytes(fig, "svg").decode("utf-8"), flags=re.DOTALL)
    return explicit_defaults(inline_markers(solid_hatches(font_sizes_in_points(svg)))).encode("utf-8")


_FONT_SIZE_PX = re.compile(r"font-size: ?([0-9.]+)px")
_SVG_WIDTH = re.compile(r'<svg [^>]*?width="([0-9.]+)pt"')
_SVG_HEIGHT = re.compile(r'<svg [^>]*?height="([0-9.]+)pt"')


def font_sizes_in_points(svg: str) -> str:
    """Write matplotlib's font sizes in points, the unit they are in.

    matplotlib's SVG is drawn in points (its viewBox is its size in pt) but writes font sizes as « px », meaning
    user units; fpdf2 reads a px as a CSS pixel, 0,75 pt, so every chart text came out three quarters of the size
    it was drawn at (8 pt tick labels printed at 6 pt)."""
    return _FONT_SIZE_PX.sub(r"font-size: \1pt", svg)


def svg_width_mm(svg: bytes) -> float:
    """The width a figure was drawn at, in mm: the width at which it prints at its own font sizes."""
    match = _SVG_WIDTH.search(svg[:2000].decode("utf-8", errors="replace"))
    if match is None:
        raise ValueError("SVG without a width in points: not a figure drawn by matplotlib")
    return float(match[1]) * 25.4 / 72


def svg_height_mm(svg: bytes) -> float:
    """The height a figure was drawn at, in mm (at its drawn width): to keep a figure with its title and notes."""
    match = _SVG_HEIGHT.search(svg[:2000].decode("utf-8", errors="replace"))
    if match is None:
        raise ValueError("SVG without a height in points: not a figure drawn by matplotlib")
    return float(match[1]) * 25.4 / 72


_MARKER_DEF = re.compile(r'<path id="(m[0-9a-f]+)" d="([^"]*)"(?: style="([^"]*)")?\s*/>')
_MARKER_USE = re.compile(r'<use xlink:href="#(m[0-9a-f]+)" x="([^"]*)" y="([^"]*)"(?: style="([^"]*)")?\s*/>')


_PATTERN = re.compile(r'<pattern id="(h[0-9a-f]+)".*?<rect [^>]*fill="(#[0-9a-fA-F]{6})"', re.DOTALL)


def solid_hatches(svg: str) -> str:
    """Fill hatched areas with their background colour: fpdf2 ignores SVG patterns, which left the
    « no data » areas of the maps blank. The grey stays distinct from every colour of the scale."""
    for pattern_id, colour in _PATTERN.findall(svg):
        svg = svg.replace(f"fill: url(#{pattern_id})", f"fill: {colour}")
    return re.sub(r"<pattern .*?</pattern>", "", svg, flags=re.DOTALL)


_PATH_STYLE = re.compile(r'(<path [^>]*?style=")([^"]*)(")')


def explicit_defaults(svg: str) -> str:
    """Write out the SVG defaults matplotlib leaves implicit, which fpdf2 does not apply: a black fill
    (matplotlib omits `fill: #000000`) and a solid line (fpdf2 otherwise keeps the previous path's dashes)."""

    def complete(match: re.Match) -> str:
        style = match[2]
        if "fill:" not in style:
            style = "fill: #000000; " + style
        if "stroke-dasharray" not in style:
            style += "; stroke-dasharray: none"
        return match[1] + style + match[3]

    return _PATH_STYLE.sub(complete, svg)


def inline_markers(svg: str) -> str:
    """Replace matplotlib's marker `<use>` references by the paths themselves.

    fpdf2 draws a `<use>` without the fill its own style gives (the published figures' black diamonds
    came out white): a plain path with the combined style is drawn right.
    """
    markers = {match[1]: (match[2], match[3] or "") for match in _MARKER_DEF.finditer(svg)}

    def inline(match: re.Match) -> str:
        path, own_style = markers.get(match[1], (None, ""))
        if path is None:
            return match[0]
        style = "; ".join(part for part in (own_style, match[4] or "") if part)
        return f'<path d="{path}" transform="translate({match[2]} {match[3]})" style="{style}"/>'

    return _MARKER_USE.sub(inline, svg)
