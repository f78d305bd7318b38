"""Measures of a PDF as it prints, for the tests of the print standard: glyph sizes on paper and text printed over
text, read with pdfplumber from the final bytes (after fpdf2 has placed the charts).

The size of a glyph is its font size times the scale at which its text is drawn (a chart embedded smaller than it
was drawn prints smaller text), whatever the rotation. Reading a report's glyphs takes seconds: `printed_pages`
reads each PDF once per test session."""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass

import pdfplumber


@dataclass(frozen=True)
class Glyph:
    page: int
    size_pt: float
    text: str
    line: str  # the printed line it belongs to, to name an offender


@dataclass(frozen=True)
class Collision:
    page: int
    first: str
    second: str


def printed_size_pt(char: dict) -> float:
    """A glyph's font size on paper, in points: its text-space size times the scale of its matrix.

    pdfminer's own `size` is the height of the glyph's upright box, which for a rotated label (a vertical axis
    title) is the advance of the letter, not its size: recover the font size from the box and the advance."""
    a, b, c, d, _, _ = char["matrix"]
    advance = char["adv"]
    if abs(d) >= abs(c):  # upright or nearly: the box's height is the font size plus the slant of the advance
        font_size = (char["height"] - advance * abs(b)) / abs(d)
    else:  # turned a quarter: the box's width holds the font size
        font_size = (char["width"] - advance * abs(a)) / abs(c)
    return font_size * math.hypot(c, d)


def _line_key(char: dict) -> tuple:
    """Which printed line a glyph belongs to: its direction and its baseline, to the tenth of a point."""
    a, b, _, _, e, f = char["matrix"]
    norm = math.hypot(a, b) or 1.0
    return (round(a / norm, 2), round(b / norm, 2)), round((f * a - e * b) / norm, 1)


@dataclass(frozen=True)
class _Page:
    number: int
    chars: tuple[dict, ...]  # visible glyphs
    lines: dict  # line key → its text


@functools.lru_cache(maxsize=8)
def printed_pages(pdf: bytes) -> tuple[_Page, ...]:
    """Every page's visible glyphs and the printed lines they make (read once per PDF)."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            chars = tuple(char for char in page.chars if char["text"].strip())
            lines: dict[tuple, str] = {}
            for char in chars:
                key = _line_key(char)
                lines[key] = lines.get(key, "") + char["text"]
            pages.append(_Page(page.page_number, chars, lines))
    return tuple(pages)


def glyphs(pdf: bytes) -> list[Glyph]:
    """Every visible glyph of a PDF with its printed size and the line it sits on."""
    return [Glyph(page.number, printed_size_pt(char), char["text"], page.lines[_line_key(char)][:60])
            for page in printed_pages(pdf) for char in page.chars]


def _area(char: dict) -> float:
    return (char["x1"] - char["x0"]) * (char["bottom"] - char["top"])


def _overlap(first: dict, second: dict) -> float:
    width = min(first["x1"], second["x1"]) - max(first["x0"], second["x0"])
    height = min(first["bottom"], second["bottom"]) - max(first["top"], second["top"])
    return width * height if width > 0 and height > 0 else 0.0


def overlapping_text(pdf: bytes, *, share: float = 0.3) -> list[Collision]:
    """Glyphs of two different printed lines that overlap on a page (by more than `share` of the smaller glyph's
    box): text printed over text, as a reader sees it, whatever drew it (a chart, a table, a heading)."""
    found = []
    for page in printed_pages(pdf):
        ordered = sorted(page.chars, key=lambda char: char["x0"])
        keys = [_line_key(char) for char in ordered]
        reported: set[frozenset] = set()
        for index, char in enumerate(ordered):
            for other, other_key in zip(ordered[index + 1:], keys[index + 1:], strict=False):
                if other["x0"] >= char["x1"]:
                    break
                pair = frozenset((keys[index], other_key))
                if len(pair) == 1 or pair in reported:
                    continue
                smaller = min(_area(char), _area(other))
                if smaller > 0 and _overlap(char, other) > share * smaller:
                    reported.add(pair)
                    found.append(Collision(page.number, page.lines[keys[index]][:60], page.lines[other_key][:60]))
    return found
