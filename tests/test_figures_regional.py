"""Figures of a regional edition: the zoomed map of a region's départements and the region highlighted on national
charts and maps. Scope-independent: they take indicator (or published) frames and a region code."""

from __future__ import annotations

import pytest

import am_analytics.indicators as ind
from am_analytics import reference
from am_analytics.figures import charts, check_figure, printed_text_pt, region_departements_map, region_map
from am_analytics.figures.style import HIGHLIGHT_COLOUR, MIN_PRINT_TEXT_PT
from tests.indicator_helpers import make_contracts

AS_OF = "2024-12-31"


@pytest.fixture(scope="module")
def contracts():
    rows = [{"departement": code, "date_signature": "2022-03-01"} for code in ("01", "69", "75", "93", "971", "2A")
            for _ in range(6)]
    return make_contracts(rows)


@pytest.fixture(scope="module")
def departements(contracts):
    return ind.by_departement(contracts, as_of=AS_OF, synthetic=True)


@pytest.mark.parametrize("region", ["84", "01", "94"])
def test_the_zoomed_map_draws_and_names_the_regions_departements_only(departements, region):
    fig = region_departements_map(departements, "actifs", region, title="Contrats actifs", legend_title="Contrats")
    check_figure(fig, synthetic=True)
    own = reference.departements().query("region_code == @region")
    drawn = {patch.get_gid().removeprefix("departement-") for patch in fig.axes[0].patches
             if (patch.get_gid() or "").startswith("departement-")}
    assert drawn == set(own["code"])
    texts = " ".join(text.get_text() for text in fig.axes[0].texts)
    others = reference.departements().query("region_code != @region")["name"]
    assert not [name for name in others if name in texts and name not in own["name"].tolist()]
    assert printed_text_pt(fig, 174) >= MIN_PRINT_TEXT_PT


def test_the_zoomed_map_refuses_an_unknown_region(departements):
    with pytest.raises(ValueError, match="région inconnue"):
        region_departements_map(departements, "actifs", "99", title="t", legend_title="l")


def test_the_national_map_outlines_and_names_the_highlighted_region(contracts):
    regions = ind.by_region(contracts, as_of=AS_OF, synthetic=True)
    fig = region_map(regions, "actifs", title="Contrats actifs", legend_title="Contrats", highlight="53")
    outlined = [patch for patch in fig.axes[0].patches if (patch.get_gid() or "").startswith("surligne-")]
    assert {patch.get_gid() for patch in outlined} == {f"surligne-{code}" for code in ("22", "29", "35", "56")}
    labels = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert "Région du rapport : Bretagne" in labels


def test_national_charts_set_the_highlighted_region_in_bold(contracts):
    regions = ind.by_region(contracts, as_of=AS_OF, synthetic=True)
    training = ind.overdue_by_region(contracts, as_of=AS_OF, synthetic=True)
    for fig in (
        charts.regions_ranked_chart(regions, highlight="84"),
        charts.training_overdue_chart(training, highlight="84"),
    ):
        bold = [label.get_text() for label in fig.axes[0].get_yticklabels() if label.get_fontweight() == "bold"]
        assert bold == ["Auvergne-Rhône-Alpes"]
    fig = charts.training_overdue_chart(training, highlight="84")
    assert any(bar.get_facecolor()[:3] == pytest.approx(_rgb(HIGHLIGHT_COLOUR)) for bar in fig.axes[0].patches)


def _rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def test_the_index_on_france_writes_a_withheld_value_as_the_tables_print_it():
    import pandas as pd

    from am_analytics.figures.regional import index_on_france_chart

    index = pd.DataFrame({
        "indicateur": ["a", "b", "c"], "libelle": ["Taux", "Part des anciennes secrétaires", "Part en retard"],
        "region": [2.5, float("nan"), float("nan")], "france": [2.1, 0.5, float("nan")],
        "indice_france_100": [119.0, float("nan"), float("nan")],
        "region_secret": pd.array([None, "complementaire", "base_insuffisante"], dtype="string"),
    })
    fig = index_on_france_chart(index, title="Indicateurs", as_of="2020-12-31", synthetic=True)
    written = [text.get_text() for text in fig.axes[0].texts]
    assert written.count("secret") == 1 and written.count("n.s.") == 1, written
    notes = " ".join(text.get_text() for text in fig.texts)
    assert "base trop faible" in notes and "masquée" in notes
