"""Measures of a PDF as it prints, for the tests of the print standard: glyph sizes on paper and text boxes.

Read with pdfplumber, after the layout: the size of a glyph is the font size times the scale at which its text is
drawn (a chart embedded smaller than it was drawn prints smaller text), whatever the rotation."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import pdfplumber


@dataclass(frozen=True)
class Glyph:
    page: int
    size_pt: float
    text: str
    line: str  # the text of the line it sits on, to name an offender


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


def glyphs(pdf: bytes) -> list[Glyph]:
    """Every visible glyph of a PDF with its printed size and the words around it."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            lines = page.extract_text_lines(return_chars=True)
            for line in lines:
                for char in line["chars"]:
                    if char["text"].strip():
                        found.append(Glyph(page.page_number, printed_size_pt(char), char["text"], line["text"]))
    return found
