"""The style module is the only place that sets plotting parameters, and it leaves global state alone."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib.colors import to_rgb

from am_analytics.figures import style

FIGURES = Path(style.__file__).parent


def test_importing_and_using_the_style_does_not_change_global_parameters():
    before = dict(mpl.rcParams)
    with style.figure_style():
        assert mpl.rcParams["svg.hashsalt"] == "am_analytics"
        assert mpl.rcParams["svg.fonttype"] == "none"
        assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
    style.new_figure()
    assert dict(mpl.rcParams) == before


def test_every_parameter_set_is_a_known_matplotlib_parameter():
    unknown = set(style.rc_params()) - set(mpl.rcParams)
    assert not unknown, f"unknown rcParams: {unknown}"


def test_no_other_figures_module_sets_global_parameters():
    pattern = re.compile(r"rcParams\s*\[.*\]\s*=|rcParams\.update|mpl\.rc\(|plt\.rc\(|sns\.set|set_theme|setlocale\(")
    offenders = [
        path.name for path in FIGURES.glob("*.py") if path.name != "style.py" and pattern.search(path.read_text())
    ]
    assert not offenders, f"only style.py may set plotting parameters: {offenders}"


def test_the_font_is_dejavu_sans_shipped_with_matplotlib():
    from matplotlib import font_manager

    with style.figure_style():
        found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False)
    assert Path(found).name == "DejaVuSans.ttf"
    assert Path(mpl.get_data_path()) in Path(found).parents, "the font must come from matplotlib, not the system"


def test_sizes_fit_an_a4_page():
    full_width, _ = style.figure_size("full")
    half_width, _ = style.figure_size("half")
    assert full_width == pytest.approx(style.PRINT_WIDTH_CM / 2.54)
    assert style.PRINT_WIDTH_CM <= 21 - 2 * 1.5, "the frame leaves A4 margins of at least 1,5 cm"
    assert 2 * half_width < full_width
    assert style.figure_size("full", height_cm=5)[1] == pytest.approx(5 / 2.54)
    with pytest.raises(ValueError, match="unknown size"):
        style.figure_size("poster")


def test_category_palette_is_okabe_ito_without_black():
    colours = style.category_colours(7)
    assert colours[0] == "#0072B2"
    assert "#000000" not in colours, "black is kept for published figures"
    with pytest.raises(ValueError, match="regrouper"):
        style.category_colours(8)


def test_sequential_classes_go_from_light_to_dark_and_never_look_like_no_data():
    colours = style.sequential_colours(5)
    lightness = [sum(to_rgb(c)) for c in colours]
    assert lightness == sorted(lightness, reverse=True)
    no_data = to_rgb(style.NO_DATA_COLOUR)
    for colour in colours:
        red, green, blue = to_rgb(colour)
        assert max(red, green, blue) - min(red, green, blue) > 0.15, f"{colour} is too grey: it could pass for no data"
        assert to_rgb(colour) != no_data


def test_new_figure_uses_constrained_layout_without_pyplot():
    fig, ax = style.new_figure("half")
    assert fig.get_layout_engine() is not None
    assert ax.figure is fig
    import matplotlib.pyplot as plt

    assert fig not in map(plt.figure, plt.get_fignums()), "figures must not be registered with pyplot"
