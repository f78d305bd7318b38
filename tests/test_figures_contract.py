"""The figure contract: every figure has a title, labelled axes, its source and date, the synthetic mention
exactly when a synthetic input is behind it, and saves to identical bytes, atomically."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import pytest
from matplotlib.figure import Figure

from am_analytics.figures import contract, style
from am_analytics.figures.contract import FigureContractError, check_figure, finish_figure, save_figure

AS_OF = dt.date(2025, 6, 30)
SOURCE = "Assurance Maladie, contrats CPAM"


def drawn(**finish) -> Figure:
    """A small line chart, finished with the given arguments (defaults: a complete real-data figure)."""
    fig, ax = style.new_figure("half")
    with style.figure_style():
        ax.plot([2020, 2021, 2022], [1000, 2500, 4000], label="Contrats signés")
    arguments = {
        "title": "Contrats signés par année",
        "source": SOURCE,
        "as_of": AS_OF,
        "synthetic": False,
        "xlabel": "Année de signature",
        "ylabel": "Contrats (nombre)",
    }
    return finish_figure(fig, **{**arguments, **finish})


def problems_of(fig: Figure, synthetic: bool) -> tuple[str, ...]:
    with pytest.raises(FigureContractError) as error:
        check_figure(fig, synthetic=synthetic)
    return error.value.problems


# --- A finished figure -------------------------------------------------------------------------------


def test_a_finished_figure_has_title_labels_and_caption():
    fig = drawn()
    assert check_figure(fig, synthetic=False) is fig
    assert fig.get_suptitle() == "Contrats signés par année"
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Année de signature" and ax.get_ylabel() == "Contrats (nombre)"
    (source,) = [t for t in fig.texts if t.get_gid() == contract.SOURCE_GID]
    expected = "Source\u00a0: Assurance Maladie, contrats CPAM — Données au 30 juin 2025"
    assert source.get_text().replace("\n", " ") == expected


def test_a_synthetic_figure_carries_the_mention_in_a_warning_colour():
    fig = drawn(synthetic=True)
    check_figure(fig, synthetic=True)
    (mention,) = [t for t in fig.texts if t.get_gid() == contract.SYNTHETIC_GID]
    assert mention.get_text() == "Données de démonstration synthétiques"
    assert mention.get_color() == style.SYNTHETIC_COLOUR
    assert mention.get_fontweight() == "bold"


def test_a_figure_on_real_data_has_no_synthetic_mention():
    fig = drawn(synthetic=False)
    assert not [t for t in fig.findobj() if "synthétiques" in str(getattr(t, "get_text", lambda: "")())]


def test_a_long_source_is_wrapped_inside_the_figure():
    fig = drawn(source="Assurance Maladie ; Insee ; Drees ; " * 6)
    check_figure(fig, synthetic=False)  # also checks that the caption stays within the figure
    (source,) = [t for t in fig.texts if t.get_gid() == contract.SOURCE_GID]
    assert "\n" in source.get_text()


def test_a_note_goes_above_the_source():
    fig = drawn(note="Généralistes : effectifs estimés (densité × population).")
    note = next(t for t in fig.texts if t.get_gid() == contract.NOTE_GID)
    source = next(t for t in fig.texts if t.get_gid() == contract.SOURCE_GID)
    assert note.get_position()[1] > source.get_position()[1]


def test_published_figures_are_black_diamonds_labelled_as_such():
    fig = drawn()
    line = contract.plot_published(fig.axes[0], [2022], [4000])
    assert line.get_label() == "Chiffres publiés"
    assert line.get_marker() == "D" and line.get_linestyle() == "None"
    check_figure(fig, synthetic=False)


# --- What the checker rejects ----------------------------------------------------------------------------


def test_check_rejects_a_figure_without_title():
    fig = drawn()
    fig.suptitle("")
    assert any("titre absent" in p for p in problems_of(fig, False))


def test_check_rejects_axes_without_labels():
    fig = drawn(xlabel=None, ylabel=None)
    fig.axes[0].set_xlabel("")
    found = problems_of(fig, False)
    assert any("axe horizontal absent" in p for p in found)
    assert any("axe vertical absent" in p for p in found)


def test_check_accepts_unlabelled_map_axes_but_not_unlabelled_chart_axes():
    fig, (chart, carte) = style.new_figure("full", ncols=2)
    contract.mark_map_axes(carte)
    chart.set_xlabel("Année")
    finish_figure(fig, title="Deux panneaux", source=SOURCE, as_of=AS_OF, synthetic=False)
    assert problems_of(fig, False) == ("axes n°1 : libellé de l'axe vertical absent (avec son unité)",)
    chart.set_ylabel("Contrats (nombre)")
    check_figure(fig, synthetic=False)


def test_check_rejects_a_figure_without_caption():
    fig, ax = style.new_figure("half")
    ax.set_xlabel("x (u)")
    ax.set_ylabel("y (u)")
    fig.suptitle("Titre")
    assert any("Source" in p for p in problems_of(fig, False))


def test_check_rejects_a_hand_made_caption_without_the_data_date():
    fig = drawn()
    source = next(t for t in fig.texts if t.get_gid() == contract.SOURCE_GID)
    source.set_text("Source : Assurance Maladie")
    assert any("mal formée" in p for p in problems_of(fig, False))


def test_check_rejects_a_synthetic_figure_without_the_mention():
    assert any("absente alors que" in p for p in problems_of(drawn(synthetic=False), True))


def test_check_rejects_the_mention_on_a_figure_of_real_data():
    assert any("présente alors qu'aucune" in p for p in problems_of(drawn(synthetic=True), False))


def test_check_rejects_a_mention_that_is_not_in_the_warning_colour():
    fig = drawn(synthetic=True)
    next(t for t in fig.texts if t.get_gid() == contract.SYNTHETIC_GID).set_color("#DDDDDD")
    assert any("couleur" in p for p in problems_of(fig, True))


def test_check_rejects_published_figures_drawn_as_data():
    fig = drawn()
    fig.axes[0].plot([2022, 2023], [4000, 5000], "o-", label="Chiffres publiés")
    found = problems_of(fig, False)
    assert any("losanges noirs" in p for p in found)
    assert any("reliés par une ligne" in p for p in found)


def test_check_rejects_a_caption_pushed_out_of_the_figure():
    fig = drawn()
    next(t for t in fig.texts if t.get_gid() == contract.SOURCE_GID).set_x(0.9)
    assert any("hors de la figure" in p for p in problems_of(fig, False))


def test_check_lists_every_problem_at_once():
    fig, ax = style.new_figure("half")
    error = pytest.raises(FigureContractError, check_figure, fig, synthetic=True).value
    assert len(error.problems) == 5  # title, two labels, caption, mention
    assert "5 problème(s)" in str(error)


def test_the_caller_must_say_whether_inputs_are_synthetic():
    with pytest.raises(TypeError):
        check_figure(drawn(), synthetic=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        drawn(synthetic="oui")


@pytest.mark.parametrize(
    ("argument", "message"),
    [({"title": " "}, "title"), ({"source": ""}, "source"), ({"as_of": None}, "date"), ({"as_of": pd.NaT}, "date")],
)
def test_finish_refuses_missing_title_source_or_date(argument, message):
    with pytest.raises(ValueError, match=message):
        drawn(**argument)


def test_a_figure_is_finished_once():
    fig = drawn()
    with pytest.raises(ValueError, match="already finished"):
        finish_figure(fig, title="Encore", source=SOURCE, as_of=AS_OF, synthetic=False)


# --- Saving ------------------------------------------------------------------------------------------------


def test_saving_twice_gives_identical_svg_and_png(tmp_path):
    fig = drawn(synthetic=True)
    first = {p.suffix: p.read_bytes() for p in save_figure(fig, tmp_path / "a", formats=("svg", "png"))}
    second = {p.suffix: p.read_bytes() for p in save_figure(fig, tmp_path / "b", formats=("svg", "png"))}
    assert set(first) == {".svg", ".png"}
    assert first == second


def test_the_same_chart_drawn_twice_saves_to_identical_svg(tmp_path):
    (one,) = save_figure(drawn(), tmp_path / "un", formats=("svg",))
    (two,) = save_figure(drawn(), tmp_path / "deux", formats=("svg",))
    assert one.read_bytes() == two.read_bytes()


def test_svg_keeps_text_as_text_without_a_timestamp(tmp_path):
    (path,) = save_figure(drawn(synthetic=True), tmp_path / "f", formats=("svg",))
    svg = path.read_text(encoding="utf-8")
    assert "Données de démonstration synthétiques" in svg, "text must stay searchable"
    assert "DejaVu Sans" in svg
    assert "<dc:date>" not in svg
    assert f'id="{contract.SOURCE_GID}"' in svg


def test_save_appends_the_suffix_to_a_dotted_name(tmp_path):
    paths = save_figure(drawn(), tmp_path / "carte.v2", formats=("svg", "pdf"))
    assert [p.name for p in paths] == ["carte.v2.svg", "carte.v2.pdf"]


@pytest.mark.parametrize("name", ["x.png", "x.svg", "x.pdf", "carte.v2.png"])
def test_save_writes_the_path_it_is_given_in_the_format_its_suffix_names(tmp_path, name):
    (path,) = save_figure(drawn(), tmp_path / name)
    assert path == tmp_path / name
    assert os.listdir(tmp_path) == [name]
    head = path.read_bytes()[:16]
    assert {"png": b"\x89PNG" in head, "svg": b"<?xml" in head, "pdf": head.startswith(b"%PDF")}[name[-3:]]


def test_save_refuses_a_path_whose_suffix_names_no_format(tmp_path):
    for name in ("x", "x.jpeg"):
        with pytest.raises(ValueError, match="extension du fichier"):
            save_figure(drawn(), tmp_path / name)
    assert not list(tmp_path.iterdir())


def test_save_leaves_no_temporary_file_and_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "f"
    save_figure(drawn(), target, formats=("svg",))
    good = (tmp_path / "f.svg").read_bytes()

    fig = drawn(title="Autre titre")

    def broken(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(RuntimeError):
        save_figure(fig, target, formats=("svg",))
    assert (tmp_path / "f.svg").read_bytes() == good
    assert sorted(os.listdir(tmp_path)) == ["f.svg"]


def test_save_refuses_an_unfinished_figure_and_unknown_formats(tmp_path):
    fig, _ = style.new_figure("half")
    with pytest.raises(FigureContractError):
        save_figure(fig, tmp_path / "f")
    with pytest.raises(ValueError, match="formats"):
        save_figure(drawn(), tmp_path / "f", formats=("jpeg",))
    assert not list(tmp_path.iterdir())


def test_a_long_title_wraps_instead_of_running_off_the_figure():
    from am_analytics.figures.contract import check_figure, finish_figure
    from am_analytics.figures.style import new_figure

    fig, ax = new_figure("half")
    ax.plot([0, 1], [0, 1])
    title = "Option de temps de travail par année de signature — Provence-Alpes-Côte d'Azur"
    finish_figure(fig, title=title, source="test", as_of="2025-06-30", synthetic=False, xlabel="x (u)", ylabel="y (u)")
    check_figure(fig, synthetic=False)
    assert "\n" in fig.get_suptitle() and fig.get_suptitle().replace("\n", " ") == title


def test_text_collisions_finds_text_on_text_and_a_line_through_a_label():
    fig, ax = style.new_figure("full")
    ax.plot([0, 1], [0, 1], label="série")
    ax.text(0.5, 0.5, "traversé", ha="center", va="center")  # on the diagonal
    ax.text(0.1, 0.9, "premier", ha="left", va="center")
    ax.text(0.12, 0.9, "second", ha="left", va="center")  # over the first
    found = contract.text_collisions(fig)
    assert any("« traversé » traversé par « série »" in problem for problem in found), found
    assert any("« premier » chevauche « second »" in problem for problem in found), found


def test_a_label_on_a_white_ground_above_a_line_hides_it():
    fig, ax = style.new_figure("full")
    fig.set_layout_engine("none")  # texts placed by hand: no layout to make room for them
    ax.plot([0, 1], [0.5, 0.5])
    ax.text(0.5, 0.5, "lisible", ha="center", va="center", zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none"})
    # two labels turned 35°, side by side as a heatmap's: their upright boxes overlap, the turned texts do not
    turned = [ax.text(x, 0.8, word, rotation=35) for x, word in ((0.2, "penchées"), (0.25, "voisines"))]
    assert contract.text_collisions(fig) == []
    first, second = (text.get_window_extent() for text in turned)
    assert first.overlaps(second), "the test needs upright boxes that overlap"
