"""Shapes of the 101 départements, read from the SVG map shipped in the `pygal_maps_fr` package.

The SVG file is used in place as an installed dependency (read with `importlib.resources`, never copied
into this repository). Its layout, checked against pygal_maps_fr 1.1:

- `<g id="departements" transform="translate(…)">`: metropolitan France and Corsica, 96 groups;
- `<g id="paris-petite-couronne">`: an enlarged copy of 75, 92, 93 and 94, already drawn by pygal;
- `<g id="dom-com">`: the five overseas départements (971, 972, 973, 974, 976) and Saint-Pierre-et-Miquelon
  (975), a collectivity that is not a département and is therefore left out.

Each département is a `<g class="zCODE departement map-element">` holding one `<path>`; the class
carries the COG code as written by INSEE (`z01`, `z2A`, `z2B`, `z971`), so the id → code mapping is the
class name without its `z`. The path data uses only the commands `M m L l C c Z z` with numbers that may be
written in exponent form (`-1e-4`); the small parser below handles those plus `H h V v` (cheap to
support) and refuses any other command rather than drawing a wrong shape.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np
from matplotlib.path import Path

SVG_PACKAGE = "pygal_maps_fr"
SVG_FILE = "fr.departments.svg"

METROPOLE_GROUP = "departements"
PARIS_GROUP = "paris-petite-couronne"
OVERSEAS_GROUP = "dom-com"

OVERSEAS_CODES = ("971", "972", "973", "974", "976")
PARIS_CODES = ("75", "92", "93", "94")
# Saint-Pierre-et-Miquelon is a collectivité d'outre-mer, not one of the 101 départements.
NOT_DEPARTEMENTS = frozenset({"975"})

_SVG_NS = "{http://www.w3.org/2000/svg}"
_TOKEN = re.compile(r"[MmLlHhVvCcZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "Z": 0}
_TRANSLATE = re.compile(r"^\s*translate\(\s*([-+\d.eE]+)[\s,]+([-+\d.eE]+)\s*\)\s*$")


class SvgMapError(ValueError):
    """The SVG map is not shaped as this module expects (new pygal_maps_fr version, say)."""


@dataclass(frozen=True)
class DepartementShapes:
    """Département outlines in SVG user units (y grows downwards), by layer."""

    metropole: dict[str, Path]  # the 96 metropolitan départements, Corsica included
    paris: dict[str, Path]  # enlarged Paris and inner suburbs (75, 92, 93, 94)
    overseas: dict[str, Path]  # 971, 972, 973, 974, 976, each at its own scale

    def primary(self) -> dict[str, Path]:
        """Every département once (metropole and overseas): the 101 shapes a map must draw."""
        return {**self.metropole, **self.overseas}


def parse_path_data(data: str) -> Path:
    """A matplotlib `Path` from an SVG `d` attribute (commands M m L l H h V v C c Z z)."""
    tokens = _TOKEN.findall(data)
    if "".join(tokens).replace(" ", "") != re.sub(r"[\s,]+", "", data):
        unknown = sorted(set(re.sub(r"[\s,]", "", _TOKEN.sub("", data))))
        raise SvgMapError(f"commandes de tracé SVG non prises en charge : {''.join(unknown)}")
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    current = np.zeros(2)
    start = np.zeros(2)
    command = ""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.isalpha():
            command = token
            index += 1
            if command in "Zz":
                # The pen goes back to the subpath start, which later relative moves start from.
                vertices.append(tuple(start))
                codes.append(Path.CLOSEPOLY)
                current = start.copy()
                continue
        elif not command or command in "Zz":
            raise SvgMapError(f"nombre sans commande dans le tracé SVG, position {index}")
        arity = _ARITY[command.upper()]
        operands = tokens[index : index + arity]
        if len(operands) != arity or any(value.isalpha() for value in operands):
            raise SvgMapError(f"commande SVG {command!r} incomplète, position {index}")
        numbers = [float(value) for value in operands]
        index += arity
        relative = command.islower()
        upper = command.upper()
        if upper == "H":
            point = np.array([numbers[0] + (current[0] if relative else 0.0), current[1]])
        elif upper == "V":
            point = np.array([current[0], numbers[0] + (current[1] if relative else 0.0)])
        else:
            offset = current if relative else np.zeros(2)
            points = [np.array(numbers[i : i + 2]) + offset for i in range(0, arity, 2)]
            point = points[-1]
        if upper == "M":
            vertices.append(tuple(point))
            codes.append(Path.MOVETO)
            start = point.copy()
            # Further coordinate pairs after a move are implicit line-tos (SVG 1.1, 8.3.2).
            command = "l" if relative else "L"
        elif upper == "C":
            vertices.extend(tuple(p) for p in points)
            codes.extend([Path.CURVE4] * 3)
        else:
            vertices.append(tuple(point))
            codes.append(Path.LINETO)
        current = point
    return Path(np.array(vertices, dtype=float), codes)


def _translation(element: ET.Element) -> tuple[float, float]:
    transform = element.get("transform")
    if not transform:
        return 0.0, 0.0
    match = _TRANSLATE.match(transform)
    if not match:
        raise SvgMapError(f"transformation SVG non prise en charge : {transform!r}")
    return float(match.group(1)), float(match.group(2))


def _layer(root: ET.Element, group_id: str) -> dict[str, Path]:
    group = root.find(f"{_SVG_NS}g[@id='{group_id}']")
    if group is None:
        raise SvgMapError(f"groupe {group_id!r} absent de la carte SVG")
    dx, dy = _translation(group)
    shapes: dict[str, Path] = {}
    for element in group.iter(f"{_SVG_NS}g"):
        classes = element.get("class", "").split()
        if "departement" not in classes:
            continue
        code = next(name[1:] for name in classes if name.startswith("z"))
        if code in NOT_DEPARTEMENTS:
            continue
        if code in shapes:
            raise SvgMapError(f"département {code} présent deux fois dans le groupe {group_id!r}")
        parts = [parse_path_data(path.get("d", "")) for path in element.iter(f"{_SVG_NS}path")]
        path = Path.make_compound_path(*parts)
        shapes[code] = Path(path.vertices + np.array([dx, dy]), path.codes)
    return shapes


@cache
def departement_shapes() -> DepartementShapes:
    """The département outlines of the pygal_maps_fr SVG, checked to cover the 101 départements."""
    root = ET.fromstring((files(SVG_PACKAGE) / SVG_FILE).read_bytes())
    shapes = DepartementShapes(
        metropole=_layer(root, METROPOLE_GROUP),
        paris=_layer(root, PARIS_GROUP),
        overseas=_layer(root, OVERSEAS_GROUP),
    )
    if sorted(shapes.overseas) != sorted(OVERSEAS_CODES):
        raise SvgMapError(f"départements d'outre-mer inattendus : {sorted(shapes.overseas)}")
    if sorted(shapes.paris) != sorted(PARIS_CODES):
        raise SvgMapError(f"zoom sur Paris inattendu : {sorted(shapes.paris)}")
    if len(shapes.metropole) != 96:
        raise SvgMapError(f"{len(shapes.metropole)} départements métropolitains au lieu de 96")
    return shapes


# --- Borders between groups of départements (region outlines) ----------------------------------------
# The SVG has no region layer that matches the département layer exactly, so region borders are derived
# from the départements themselves: a piece of a département's outline is a region border when the shape
# on its other side belongs to another region, or when nothing is there (coast, national border).
# Adjacent départements in this file share their Bézier segments end to end (checked: about 3 500 shared
# segments), so most pieces are matched by their end points; the few split differently on each side are
# settled by measuring how close their middle lies to each neighbour's outline.

_MATCH_GRID = 0.5  # SVG units (the map is 2 000 units wide): end points closer than this are one point
_NEAR = 1.5  # SVG units: a segment middle this close to a neighbour's outline lies on their shared border


def _segments(path: Path) -> list[np.ndarray]:
    """The outline as segments: arrays of 2 (line) or 4 (cubic Bézier) points, closing lines included."""
    segments = []
    vertices, codes = path.vertices, path.codes
    start = current = vertices[0]
    index = 0
    while index < len(codes):
        code = codes[index]
        if code == Path.MOVETO:
            start = current = vertices[index]
            index += 1
        elif code == Path.LINETO:
            segments.append(np.array([current, vertices[index]]))
            current = vertices[index]
            index += 1
        elif code == Path.CURVE4:
            segments.append(np.array([current, *vertices[index : index + 3]]))
            current = vertices[index + 2]
            index += 3
        elif code == Path.CLOSEPOLY:
            if not np.allclose(current, start):
                segments.append(np.array([current, start]))
            current = start
            index += 1
        else:
            raise SvgMapError(f"code de tracé inattendu : {code}")
    return segments


def _middle(segment: np.ndarray) -> np.ndarray:
    if len(segment) == 2:
        return segment.mean(axis=0)
    # Point of a cubic Bézier at t = 1/2.
    return (segment[0] + 3 * segment[1] + 3 * segment[2] + segment[3]) / 8


class _Outlines:
    """Flattened outlines of every shape, for distance queries from a point."""

    def __init__(self, shapes: dict[str, Path]):
        self.codes = list(shapes)
        # Vertex boxes (control points included) contain the outlines and avoid exact Bézier extents.
        self.boxes = np.array(
            [[*shapes[code].vertices.min(axis=0), *shapes[code].vertices.max(axis=0)] for code in self.codes]
        )
        self._shapes = shapes
        self._edges: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def _edges_of(self, code: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if code not in self._edges:
            polygons = self._shapes[code].to_polygons(closed_only=False)
            starts = np.concatenate([polygon[:-1] for polygon in polygons])
            vectors = np.concatenate([polygon[1:] - polygon[:-1] for polygon in polygons])
            lengths2 = np.einsum("ij,ij->i", vectors, vectors)
            self._edges[code] = (starts, vectors, np.where(lengths2 == 0, 1.0, lengths2))
        return self._edges[code]

    def near(self, point: np.ndarray, distance: float, exclude: str) -> set[str]:
        """Codes of the shapes whose outline passes within `distance` of `point`."""
        x, y = point
        inside = (
            (self.boxes[:, 0] - distance <= x) & (x <= self.boxes[:, 2] + distance)
            & (self.boxes[:, 1] - distance <= y) & (y <= self.boxes[:, 3] + distance)
        )
        found = set()
        for index in np.flatnonzero(inside):
            code = self.codes[index]
            if code == exclude:
                continue
            starts, vectors, lengths2 = self._edges_of(code)
            t = np.clip(np.einsum("ij,ij->i", point - starts, vectors) / lengths2, 0.0, 1.0)
            gaps = starts + t[:, None] * vectors - point
            if np.einsum("ij,ij->i", gaps, gaps).min() <= distance**2:
                found.add(code)
        return found


def group_borders(shapes: dict[str, Path], group_of: dict[str, str]) -> Path:
    """The outlines of groups of shapes (regions of départements) as one path of open segments.

    Pieces shared by two shapes of the same group are left out; everything else (borders between groups,
    coasts, national borders) is kept, so drawing the path thick over thin département edges shows regions.
    """
    def key(point: np.ndarray) -> tuple[int, int]:
        return tuple(np.round(point / _MATCH_GRID).astype(int))

    pieces: list[tuple[str, np.ndarray, frozenset]] = []
    owners: dict[frozenset, set[str]] = {}
    for code, path in shapes.items():
        for segment in _segments(path):
            ends = frozenset({key(segment[0]), key(segment[-1])})
            pieces.append((code, segment, ends))
            owners.setdefault(ends, set()).add(code)

    outlines = _Outlines(shapes)
    vertices: list[np.ndarray] = []
    codes: list[int] = []
    for code, segment, ends in pieces:
        neighbours = owners[ends] - {code}
        if not neighbours:
            # Not matched end to end: whoever lies along its middle is its neighbour (none on a coast).
            neighbours = outlines.near(_middle(segment), _NEAR, exclude=code)
        if neighbours and all(group_of[other] == group_of[code] for other in neighbours):
            continue
        # A border matched end to end is met once from each side: only its first owner draws it.
        if len(owners[ends]) > 1 and min(owners[ends]) != code:
            continue
        vertices.extend(segment)
        codes.extend([Path.MOVETO] + [Path.CURVE4 if len(segment) == 4 else Path.LINETO] * (len(segment) - 1))
    return Path(np.array(vertices, dtype=float), codes)
