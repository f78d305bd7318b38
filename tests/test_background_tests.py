"""Tests of change over time and of a region against France: the Cochran–Armitage trend test on hand-computed
cases, and the chi-square tests on the tables they say they test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from am_analytics import load, paths
from am_analytics.indicators import backgrounds as bg
from am_analytics.indicators.common import IndicatorArgumentError
from am_analytics.indicators.stats import independence_test, trend_test
from am_analytics.presentation import sentences

from .conftest import SCHEDULE_KEY

pytestmark = pytest.mark.xdist_group("batch")  # shares the demo data prepared for the scheduled run

def test_trend_test_matches_the_formula_by_hand():
    k, n = np.array([2, 5, 9]), np.array([20, 20, 20])
    p, t = k.sum() / n.sum(), np.arange(3)
    t_bar = (n * t).sum() / n.sum()
    z = (t * (k - n * p)).sum() / math.sqrt(p * (1 - p) * (n * (t - t_bar) ** 2).sum())
    result = trend_test(k, n)
    assert result.z == pytest.approx(z) and result.z > 0
    assert result.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    assert (result.first_share, result.last_share) == (0.1, 0.45) and result.slope == pytest.approx(0.175)


def test_a_flat_proportion_shows_no_trend_and_empty_years_are_dropped():
    result = trend_test([5, 0, 10, 15], [50, 0, 100, 150], scores=[2019, 2020, 2021, 2022])
    assert result.groups == 3 and result.z == pytest.approx(0) and result.p_value == pytest.approx(1)


@pytest.mark.parametrize(("successes", "totals", "words"),
                         [([3], [10], "deux années"), ([0, 0], [10, 10], "ne varie pas")])
def test_nothing_to_test_is_said_not_computed(successes, totals, words):
    result = trend_test(successes, totals)
    assert math.isnan(result.p_value) and not result.reliable and words in result.note


def test_small_expected_counts_make_the_trend_test_unreliable():
    result = trend_test([1, 0, 2], [6, 5, 7])
    assert not result.reliable and "peu fiable" in result.note


@pytest.fixture(scope="module")
def contracts(demo_processed):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AM_ANALYTICS_KEY", SCHEDULE_KEY)
        return load(paths.raw_dir(), demo_processed).contracts


def test_change_over_time_tests_the_region_s_years_by_backgrounds(contracts):
    table = bg.background_counts_by_year(contracts, region="53").drop(columns=["inconnu"])
    result = bg.background_change_over_time(contracts, region="53")
    expected = independence_test(table.to_numpy())
    assert result.loc[0, "p_valeur"] == pytest.approx(expected.p_value) and result.loc[0, "nom"] == "Bretagne"
    assert int(table.to_numpy().sum()) == result.loc[0, "effectif"]
    assert list(table.index) == list(range(2019, 2026))


def test_a_region_is_compared_with_the_rest_of_france_not_with_a_total_it_belongs_to(contracts):
    counts = bg.background_counts_by_region(contracts).drop(columns=["inconnu"])
    result = bg.region_against_france(contracts, "84")
    expected = independence_test(np.vstack([counts.loc["84"], counts.drop(index="84").sum()]))
    assert result.loc[0, "chi2"] == pytest.approx(expected.chi2)
    assert result.loc[0, "effectif"] == counts.to_numpy().sum()


def test_the_trend_of_a_background_counts_it_among_every_contract_of_the_year(contracts):
    table = bg.background_counts_by_year(contracts)
    result = bg.background_trend(contracts, "infirmier")
    used = table[table.sum(axis=1) > 0]
    assert result.loc[0, "part_premiere"] == pytest.approx(used["infirmier"].iloc[0] / used.iloc[0].sum())
    assert (result.loc[0, "premiere_annee"], result.loc[0, "derniere_annee"]) == (2019, 2025)


@pytest.mark.parametrize("call", [lambda c: bg.region_against_france(c, "99"),
                                  lambda c: bg.background_trend(c, "astronaute"),
                                  lambda c: bg.background_change_over_time(c, region="99")])
def test_unknown_regions_and_backgrounds_are_refused_in_french(contracts, call):
    with pytest.raises(IndicatorArgumentError, match="inconnu"):
        call(contracts)


def test_sentences_say_the_result_its_caveat_and_the_limits():
    row = pd.DataFrame({"code": ["06"], "nom": ["Mayotte"], "chi2": [8.9], "p_valeur": [0.0004], "v_de_cramer": [0.03],
                        "note": ["approximation du khi-deux peu fiable"], "premiere_annee": [2021],
                        "derniere_annee": [2025]})
    text = sentences.change_over_time_sentence(row)
    assert "Mayotte, 2021–2025" in text and "p < 0,001" in text and "décelable au seuil de 5 %" in text
    assert "peu fiable" in text
    assert "synthétiques" in sentences.limits_of_tests(True) and "synthétiques" not in sentences.limits_of_tests(False)
    assert "fausse alerte" in sentences.limits_of_tests(False)
