"""Maps: the SVG outlines are parsed faithfully, every département is drawn exactly once, missing values
never look like a value, legends are French, and nothing covers France."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import same_color
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from am_analytics import reference
from am_analytics.figures import check_figure, departement_map, region_map, save_figure, style
from am_analytics.figures.contract import finish_figure
from am_analytics.figures.maps import MapDataError, make_classes
from am_analytics.figures.shapes import SvgMapError, departement_shapes, group_borders, parse_path_data

NNBSP = "\u202f"
AS_OF = dt.date(2025, 6, 30)
CODES = reference.departements()["code"].tolist()
REGIONS = reference.regions()["region_code"].tolist()


def demo_values() -> pd.Series:
    values = pd.Series(np.random.default_rng(6).gamma(3.0, 25.0, len(CODES)), index=CODES)
    values["976"] = np.nan  # Mayotte: no data
    return values


@pytest.fixture(scope="module")
def dep_fig():
    return departement_map(
        demo_values(),
        title="Contrats pour 100 000 habitants",
        legend_title="Contrats pour 100 000 habitants",
        source="Assurance Maladie ; Insee",
        as_of=AS_OF,
        synthetic=True,
    )


@pytest.fixture(scope="module")
def region_fig():
    values = pd.Series(np.linspace(1000, 9000, len(REGIONS)), index=REGIONS)
    values["06"] = pd.NA
    return region_map(
        values,
        title="Contrats par région",
        legend_title="Contrats (nombre)",
        source="Assurance Maladie",
        as_of=AS_OF,
        synthetic=False,
        show_values=True,
        decimals=1,
    )


def patches_by_gid(fig) -> dict[str, list[PathPatch]]:
    found: dict[str, list[PathPatch]] = {}
    for patch in fig.findobj(PathPatch):
        if patch.get_gid():
            found.setdefault(patch.get_gid(), []).append(patch)
    return found


# --- The SVG file and its parser -------------------------------------------------------------------------


def test_the_svg_holds_the_101_departements_once_each_and_not_saint_pierre():
    shapes = departement_shapes()
    primary = list(shapes.metropole) + list(shapes.overseas)
    assert sorted(primary) == sorted(CODES)
    assert len(primary) == len(set(primary)) == 101
    assert {"2A", "2B"} <= set(shapes.metropole)
    assert "975" not in primary
    assert sorted(shapes.paris) == ["75", "92", "93", "94"]


def test_parser_follows_relative_moves_implicit_lines_and_closing():
    path = parse_path_data("m 10,10 5,0 0,5 z m 1e1,-1E1 l -2.5.5 Z")
    assert path.vertices.tolist() == [[10, 10], [15, 10], [15, 15], [10, 10], [20, 0], [17.5, 0.5], [20, 0]]
    assert list(path.codes) == [Path.MOVETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY,
                                Path.MOVETO, Path.LINETO, Path.CLOSEPOLY]


def test_parser_reads_absolute_and_relative_curves():
    path = parse_path_data("M 0,0 c 1,1 2,1 3,0 C 4,-1 5,-1 6,0 h 1 v 2 H 0 V 0")
    assert path.vertices[1:7].tolist() == [[1, 1], [2, 1], [3, 0], [4, -1], [5, -1], [6, 0]]
    assert path.vertices[7:].tolist() == [[7, 0], [7, 2], [0, 2], [0, 0]]


@pytest.mark.parametrize("data", ["M 0,0 A 1 1 0 0 1 2 2", "M 0,0 q 1,1 2,2", "M 0,0 L 1", "10,10"])
def test_parser_refuses_what_it_cannot_draw_faithfully(data):
    with pytest.raises(SvgMapError):
        parse_path_data(data)


def test_region_borders_keep_borders_between_groups_and_drop_those_inside():
    def square(x0):  # 100 SVG units wide, like a small département
        return Path([(x0, 0), (x0 + 100, 0), (x0 + 100, 100), (x0, 100), (x0, 0)], closed=True)

    borders = group_borders({"a": square(0), "b": square(100), "c": square(200)}, {"a": "1", "b": "1", "c": "2"})
    middles = {tuple(np.round(borders.vertices[i : i + 2].mean(axis=0), 2)) for i in range(0, len(borders.vertices), 2)}
    assert (100.0, 50.0) not in middles, "the border inside group 1 must not be drawn"
    assert (200.0, 50.0) in middles, "the border between groups must be drawn"
    assert (0.0, 50.0) in middles and (300.0, 50.0) in middles, "outer edges are borders too"
    assert len(middles) == len(borders.vertices) // 2, "a shared border is drawn once"


# --- The département map ---------------------------------------------------------------------------------


def test_every_departement_is_drawn_exactly_once(dep_fig):
    gids = Counter(patch.get_gid() for patch in dep_fig.findobj(PathPatch) if patch.get_gid())
    drawn = {gid.removeprefix("departement-"): n for gid, n in gids.items() if gid.startswith("departement-")}
    assert sorted(drawn) == sorted(CODES)
    assert set(drawn.values()) == {1}
    zoom = sorted(gid.removeprefix("zoom-") for gid in gids if gid.startswith("zoom-"))
    assert zoom == ["75", "92", "93", "94"], "the Paris enlargement repeats only Paris and its inner suburbs"


def test_a_missing_value_is_drawn_as_no_data_never_as_a_class(dep_fig):
    (mayotte,) = patches_by_gid(dep_fig)["departement-976"]
    assert same_color(mayotte.get_facecolor(), style.NO_DATA_COLOUR)
    assert mayotte.get_hatch() == style.NO_DATA_HATCH
    patches = patches_by_gid(dep_fig)
    others = [p[0] for gid, p in patches.items() if gid.startswith("departement-") and gid != "departement-976"]
    assert not any(same_color(p.get_facecolor(), style.NO_DATA_COLOUR) or p.get_hatch() for p in others)
    legend = dep_fig.axes[0].get_legend()
    assert "Données non disponibles" in [text.get_text() for text in legend.get_texts()]


def test_departements_absent_from_the_values_are_no_data_not_zero():
    values = pd.Series({"01": 5.0, "2A": 10.0, "971": 20.0})
    fig = departement_map(values, title="t", legend_title="l", source="s", as_of=AS_OF, synthetic=False)
    patches = patches_by_gid(fig)
    assert same_color(patches["departement-75"][0].get_facecolor(), style.NO_DATA_COLOUR)
    assert not same_color(patches["departement-2A"][0].get_facecolor(), style.NO_DATA_COLOUR)


def test_the_map_passes_the_figure_contract(dep_fig):
    check_figure(dep_fig, synthetic=True)


def test_legend_classes_have_french_bounds_and_go_from_high_to_low():
    classes = make_classes(pd.Series([500.0, 1500.0, 2500.0]), breaks=[1000, 2000])
    assert classes.labels == (f"Moins de 1{NNBSP}000", f"De 1{NNBSP}000 à moins de 2{NNBSP}000", f"2{NNBSP}000 ou plus")
    assert classes.colour_of(999) == classes.colours[0]
    assert classes.colour_of(1000) == classes.colours[1], "a value on a break belongs to the class above"
    assert classes.colour_of(5000) == classes.colours[2]
    with pytest.raises(ValueError, match="increase"):
        make_classes(pd.Series([1.0]), breaks=[2, 1])


def test_default_classes_are_rounded_quantiles_shown_with_the_requested_decimals():
    classes = make_classes(pd.Series(np.linspace(0.12, 4.87, 50)), n_classes=4, decimals=1)
    assert len(classes.labels) == 4
    assert all(round(b, 1) == b for b in classes.breaks)
    assert make_classes(pd.Series([3.0, 3.0])).labels == ("3",)


def test_ratios_shown_as_percentages_get_breaks_rounded_to_whole_percents():
    classes = make_classes(pd.Series(np.linspace(0.02, 0.31, 40)), n_classes=4, kind="percent")
    assert all(round(b, 2) == b for b in classes.breaks)
    assert classes.labels[-1].endswith("\u00a0% ou plus")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (pd.Series({"20": 1.0}), "inconnus : 20"),
        (pd.Series([1.0, 2.0], index=["01", "01"]), "en double : 01"),
        (pd.Series({1: 1.0}), "inconnus : 1"),
    ],
)
def test_values_with_unknown_or_repeated_codes_are_refused(values, message):
    with pytest.raises(MapDataError, match=message):
        departement_map(values, title="t", legend_title="l", source="s", as_of=AS_OF, synthetic=False)


def test_nothing_covers_metropolitan_france(dep_fig):
    # Insets and legend sit in the sea or abroad: no outline point of a metropolitan département under them.
    dep_fig.draw_without_rendering()
    ax = dep_fig.axes[0]
    shapes = departement_shapes()
    points = ax.transData.transform(np.concatenate([p.vertices for p in shapes.metropole.values()]))
    boxes = [inset.get_window_extent() for inset in ax.child_axes] + [ax.get_legend().get_window_extent()]
    assert len(boxes) == 7  # five overseas départements, Paris, the legend
    for box in boxes:
        inside = (points[:, 0] > box.x0) & (points[:, 0] < box.x1) & (points[:, 1] > box.y0) & (points[:, 1] < box.y1)
        assert not inside.any(), f"an inset or the legend covers France at {box}"
    assert dep_fig.bbox.contains(*boxes[-1].p0) and dep_fig.bbox.contains(*boxes[-1].p1), "legend off the page"
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            assert not first.overlaps(second), "insets and legend must not overlap each other"


def test_the_map_keeps_its_proportions(dep_fig):
    dep_fig.draw_without_rendering()
    ax = dep_fig.axes[0]
    box = ax.get_window_extent()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert box.width / box.height == pytest.approx(abs(x1 - x0) / abs(y1 - y0), rel=1e-3), "France must not be squashed"


def test_map_svg_is_identical_across_saves_and_names_each_departement_once(dep_fig, tmp_path):
    (first,) = save_figure(dep_fig, tmp_path / "a", formats=("svg",))
    (second,) = save_figure(dep_fig, tmp_path / "b", formats=("svg",))
    assert first.read_bytes() == second.read_bytes()
    svg = first.read_text(encoding="utf-8")
    for code in CODES:
        assert svg.count(f'id="departement-{code}"') == 1, code


def test_a_map_can_be_one_panel_of_a_figure_finished_by_the_caller():
    fig, (left, right) = style.new_figure("full", ncols=2)
    with style.figure_style():
        left.bar(["2023", "2024"], [10, 20])
        left.set_xlabel("Année")
        left.set_ylabel("Contrats (nombre)")
    departement_map(demo_values(), title="Par département", legend_title="Contrats", ax=right)
    assert right.get_title(loc="left") == "Par département"
    finish_figure(fig, title="Deux vues", source="s", as_of=AS_OF, synthetic=False)
    check_figure(fig, synthetic=False)
    fig.draw_without_rendering()
    legend = right.get_legend().get_window_extent()
    assert fig.bbox.x0 <= legend.x0 and legend.x1 <= fig.bbox.x1, "the legend of a narrow panel stays on the page"
    assert legend.y1 <= right.get_window_extent().y0 + 1, "a narrow panel puts its legend below the map"
    with pytest.raises(ValueError, match="caller finishes"):
        departement_map(demo_values(), title="t", legend_title="l", ax=left, source="s")


# --- The region map --------------------------------------------------------------------------------------


def test_region_map_colours_each_departement_with_its_region(region_fig):
    patches = patches_by_gid(region_fig)
    region_of = reference.departements().set_index("code")["region_code"]
    assert sorted(g.removeprefix("departement-") for g in patches if g.startswith("departement-")) == sorted(CODES)
    colours = {}
    for code, region in region_of.items():
        (patch,) = patches[f"departement-{code}"]
        colours.setdefault(region, set()).add(tuple(np.round(patch.get_facecolor(), 6)))
    assert all(len(found) == 1 for found in colours.values()), "a region has one colour"
    assert same_color(patches["departement-976"][0].get_facecolor(), style.NO_DATA_COLOUR)
    assert "frontieres-regions" in patches


def test_region_map_writes_french_values_and_passes_the_contract(region_fig):
    check_figure(region_fig, synthetic=False)
    texts = {text.get_text() for text in region_fig.findobj(lambda a: hasattr(a, "get_text") and a.get_gid() is None)
             if hasattr(text, "get_text")}
    assert f"1{NNBSP}000,0" in texts  # Guadeloupe, region 01, first value
    assert "n.d." in texts  # Mayotte


# --- Classes are cut on the values the labels show (issue 20) ----------------------------------------------


@pytest.mark.parametrize(("value", "decimals", "kind", "shown"), [
    (10.96, 1, "number", 11.0),  # Auvergne-Rhône-Alpes: labelled « 11,0 », stored 10,96
    (10.95, 1, "number", 11.0),  # half away from zero, as the label prints it (numpy would say 10,9 or 11,0)
    (0.1096, 1, "percent", 0.11),  # a ratio shown as « 11,0 % »
])
def test_a_value_is_classified_as_its_label_prints_it(value, decimals, kind, shown):
    from am_analytics.figures.formatting import rounded
    from am_analytics.figures.maps import as_shown, shown_decimals

    finest = shown_decimals(kind, decimals, None)
    assert as_shown(pd.Series([value], dtype="Float64"), finest).iloc[0] == pytest.approx(shown)
    assert rounded(value, finest) == pytest.approx(shown)


def test_the_region_map_colours_a_region_in_the_class_its_label_names():
    values = pd.Series(np.linspace(5, 15, len(REGIONS)), index=REGIONS)
    values["84"] = 10.96  # Auvergne-Rhône-Alpes: « 11,0 » on the map
    fig = region_map(values, title="t", legend_title="l", source="s", as_of=AS_OF, synthetic=False,
                     show_values=True, decimals=1, breaks=[8.0, 11.0, 13.0])
    classes = make_classes(pd.Series([11.0]), breaks=[8.0, 11.0, 13.0], decimals=1)
    above = classes.colours[classes.labels.index("De 11,0 à moins de 13,0")]
    lyon = next(code for code, region in reference.departements().set_index("code")["region_code"].items()
                if region == "84")
    (patch,) = patches_by_gid(fig)[f"departement-{lyon}"]
    assert same_color(patch.get_facecolor(), above), "labelled 11,0, coloured in the class from 11,0"
    texts = {text.get_text() for text in fig.findobj(lambda a: hasattr(a, "get_text"))}
    assert "11,0" in texts
