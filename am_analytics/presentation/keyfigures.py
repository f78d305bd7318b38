"""A key figure: one concept for every output that shows key figures (the report's cover, a site page's header)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyFigure:
    """One key figure as an output shows it: its label, the published value as text (or its secret symbol), and a
    short detail under it (what it counts, France's value beside a region's, a target's deadline)."""

    label: str
    value: str
    detail: str = ""
