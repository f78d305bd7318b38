"""Every chart of the notebooks and the report honours the figure contract, on real-looking and real data."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
import pytest

import am_analytics.indicators as ind
from am_analytics.figures import charts
from am_analytics.figures.contract import SYNTHETIC_MENTION, check_figure, text_collisions
from am_analytics.indicators.survey import satisfaction_distribution
from tests.indicator_helpers import make_contracts

AS_OF = "2025-06-30"


def contracts():
    rows = []
    for year in range(2019, 2026):
        for month in (1, 4, 7, 10):
            if (year, month) < (2019, 10) or (year, month) > (2025, 4):
                continue
            for departement, background in (("01", "infirmier"), ("13", "secretaire_medicale"), ("976", "inconnu")):
                rows.append(
                    {"date_signature": f"{year}-{month:02d}-10", "departement": departement,
                     "profil_origine": background, "etp_option": "1/2"}
                )
    return make_contracts(rows)


def all_charts(synthetic: bool):
    frame = contracts()
    kw = {"as_of": AS_OF, "synthetic": synthetic}
    monthly = ind.monthly_series(frame, **kw)
    progress = ind.target_progress(frame, **kw)
    cross = ind.published_cross_check(frame, **kw)
    survey_rows = make_survey()
    return {
        "rollout": charts.rollout_chart(monthly, progress, ind.target_projections(frame, **kw), cross),
        "fte": charts.fte_chart(monthly, progress, cross),
        "regions": charts.regions_ranked_chart(ind.by_region(frame, **kw), national=ind.national_totals(frame, **kw)),
        "backgrounds": charts.background_by_region_chart(ind.background_shares_by_region(frame, **kw)),
        "mix": charts.mix_by_period_chart(ind.zone_mix(frame, period="annee", **kw), title="Zonage", what="zone"),
        "funding": charts.funding_chart(ind.expected_aid_by_year(frame, **kw)),
        "training": charts.training_overdue_chart(ind.overdue_by_region(frame, **kw)),
        "likert": charts.likert_chart(satisfaction_distribution(survey_rows, synthetic=synthetic), as_of="2021-02-01"),
        "quality": charts.quality_chart(ind.file_quality(manifest(synthetic)), as_of=AS_OF),
    }


def make_survey():
    import pandas as pd

    return pd.DataFrame(
        {
            "type_repondant": ["medecin", "medecin", "assistant"],
            "poids": [1.0, 1.2, 0.8],
            "satisfaction": pd.array([1, 3, 2], dtype="Int64"),
        }
    )


def manifest(synthetic: bool) -> dict:
    return {
        "synthetic": synthetic,
        "files": [
            {"file": "a.csv", "dataset": "contracts", "rows_read": 10, "rows_kept": 8, "rows_merged": 1,
             "rows_quarantined": 1, "quarantine_reasons": {"departement_inconnu": 1}, "synthetic": synthetic}
        ],
    }


@pytest.mark.parametrize("synthetic", [True, False])
def test_every_chart_meets_the_contract(synthetic):
    for name, fig in all_charts(synthetic).items():
        try:
            check_figure(fig, synthetic=synthetic)
        except Exception as error:  # name the chart that broke the contract
            raise AssertionError(f"{name}: {error}") from error


def _texts(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


def test_the_synthetic_mention_appears_exactly_when_the_data_is_synthetic():
    for name, fig in all_charts(True).items():
        assert SYNTHETIC_MENTION in _texts(fig), name
    for name, fig in all_charts(False).items():
        assert SYNTHETIC_MENTION not in _texts(fig), name


def test_rollout_draws_published_figures_and_targets_distinctly():
    fig = all_charts(True)["rollout"]
    labels = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert "Chiffres publiés" in labels
    text = _texts(fig)
    assert "Objectif 4\u202f000 (fin 2022)" in text
    # a distant target is named, not drawn: it would stretch the axis to its deadline
    assert "objectif 15\u202f000 (fin 2029)" in text.lower()


def test_rollout_axis_covers_the_period_shown_and_its_legend_sits_below_the_plot():
    fig = all_charts(True)["rollout"]
    ax = fig.axes[0]
    right = pd.Timestamp(mdates.num2date(ax.get_xlim()[1])).tz_localize(None)
    assert right < pd.Timestamp("2027-01-01"), "the axis runs on to a distant deadline"
    legend = ax.get_legend()
    assert legend.get_bbox_to_anchor().y0 < ax.bbox.y0, "the legend sits inside the plot, over the data"


def test_a_region_without_population_reads_not_available_not_zero():
    text = _texts(all_charts(True)["regions"])
    assert "n.d." in text


def test_funding_is_labelled_in_french_units():
    fig = all_charts(True)["funding"]
    assert fig.axes[0].get_ylabel() == "Aide attendue (M€)"
    assert "M€" in _texts(fig)


def test_a_month_shown_between_hidden_months_is_drawn_as_a_point():
    """A small region's published series is often isolated months between hidden ones: a line alone would draw
    nothing there, so each such month gets a marker; hidden months get nothing."""
    frame = contracts()
    monthly = ind.monthly_series(frame, as_of=AS_OF, synthetic=True).reset_index(drop=True)
    hidden = pd.Series("secret", index=monthly.index).where(monthly.index != 10)  # only month 10 shown
    monthly = monthly.assign(signes_cumul_secret=hidden.astype("string"), actifs_secret=hidden.astype("string"))
    fig = charts.rollout_chart(monthly)
    points = [line for line in fig.axes[0].get_lines() if line.get_marker() == "o"]
    drawn = {(pd.Timestamp(x).date(), float(y)) for line in points for x, y in zip(*line.get_data(), strict=True)}
    day = pd.Timestamp(monthly.loc[10, "fin_de_periode"]).date()
    assert drawn == {(day, float(monthly.loc[10, "signes_cumul"])), (day, float(monthly.loc[10, "actifs"]))}


def test_a_scope_whose_counts_are_hidden_is_not_said_to_have_no_contract():
    """Mayotte's few contracts are hidden, not absent: « Aucun contrat » is written only when no count is hidden
    and every shown one is zero (rollout, FTE and projection charts alike)."""
    from am_analytics.figures.published import NO_CONTRACT_TEXT

    frame = contracts()
    monthly = ind.monthly_series(frame, as_of=AS_OF, synthetic=True).reset_index(drop=True)
    columns = ["signes_cumul", "actifs", "etp_signes_cumul", "etp_actifs"]
    hidden = monthly.assign(**{c: pd.NA for c in columns}, **{f"{c}_secret": "primaire" for c in columns})
    hidden = hidden.astype({f"{c}_secret": "string" for c in columns})
    empty = monthly.assign(**{c: 0 for c in columns})

    def says_no_contract(fig) -> bool:
        return any(NO_CONTRACT_TEXT in text.get_text() for ax in fig.axes for text in ax.texts)

    for draw in (charts.rollout_chart, lambda m: charts.fte_chart(m)):
        assert not says_no_contract(draw(hidden))
        assert says_no_contract(draw(empty))


def test_no_chart_label_overlaps_another_or_is_crossed_by_a_line():
    found = {name: collisions for name, fig in all_charts(True).items() if (collisions := text_collisions(fig))}
    assert not found, found
