"""Wilson intervals and the chi-square independence test against values computed by hand or published."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from am_analytics.indicators.stats import independence_test, wilson_interval


@pytest.mark.parametrize(
    ("successes", "total", "low", "high"),
    [
        (5, 10, 0.2366, 0.7634),  # textbook value (Newcombe 1998, Agresti–Coull 1998)
        (0, 10, 0.0, 0.2775),  # upper bound z²/(n+z²) = 3.8415/13.8415
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),  # Wikipedia "Binomial proportion confidence interval" example, Wilson
    ],
)
def test_wilson_interval_matches_known_values(successes, total, low, high):
    got_low, got_high = wilson_interval(successes, total)
    assert got_low == pytest.approx(low, abs=1e-4)
    assert got_high == pytest.approx(high, abs=1e-4)


def test_wilson_interval_is_missing_for_an_empty_group():
    low, high = wilson_interval(np.array([0, 3]), np.array([0, 4]))
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert 0 < low[1] < 0.75 < high[1] < 1


def test_wilson_interval_is_vectorised_and_contains_the_share():
    k, n = np.array([1, 20, 99]), np.array([7, 40, 100])
    low, high = wilson_interval(k, n)
    assert np.all(low <= k / n) and np.all(k / n <= high)


def test_independence_test_on_a_hand_computed_two_by_two_table():
    # rows 30/70, columns 40/60, n=100: expected [[12, 18], [28, 42]], chi2 = 4/12 + 4/18 + 4/28 + 4/42
    result = independence_test(np.array([[10, 20], [30, 40]]))
    chi2 = 4 / 12 + 4 / 18 + 4 / 28 + 4 / 42
    assert result.chi2 == pytest.approx(chi2)
    assert result.dof == 1
    assert result.cramers_v == pytest.approx(np.sqrt(chi2 / 100))
    assert result.min_expected == pytest.approx(12)
    assert result.reliable and result.note == ""


def test_independence_test_flags_small_expected_counts():
    result = independence_test(np.array([[3, 1], [1, 3]]))
    assert not result.reliable
    assert "peu fiable" in result.note and "100\xa0%" in result.note
    assert "(minimum 2,0)" in result.note  # printed as is on French pages: decimal comma


def test_independence_test_drops_empty_rows_and_columns():
    with_empty = independence_test(np.array([[10, 20, 0], [0, 0, 0], [30, 40, 0]]))
    assert with_empty.rows == 2 and with_empty.columns == 2
    assert with_empty.chi2 == pytest.approx(independence_test(np.array([[10, 20], [30, 40]])).chi2)


def test_independence_test_needs_two_rows_and_two_columns():
    result = independence_test(np.array([[5, 7]]))
    assert np.isnan(result.chi2) and not result.reliable and "impossible" in result.note
    assert independence_test(np.zeros((0, 0))).n == 0


def test_an_interval_always_contains_its_share_even_at_0_and_100_percent():
    # Before: the lower bound of 0 / n came out as 1e-17 for some n, the upper bound of n / n as 1 − 1e-16,
    # so the share lay outside its own interval and the training chart crashed on negative error bars.
    n = np.arange(1, 5001)
    for k in (np.zeros_like(n), n, n // 3, n - 1):
        low, high = wilson_interval(k, n)
        share = k / n
        assert np.all(low <= share) and np.all(share <= high), k
    low, high = wilson_interval(np.zeros_like(n), n)
    assert np.all(low == 0.0)
    low, high = wilson_interval(n, n)
    assert np.all(high == 1.0)


@given(
    share=st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
    size=st.floats(min_value=1e-3, max_value=1e6, allow_nan=False),
)
def test_a_weighted_share_lies_within_its_interval_on_any_effective_size(share, size):
    from am_analytics.indicators.stats import share_interval

    low, high = share_interval(share, size)
    assert 0.0 <= low <= share <= high <= 1.0


def test_a_share_outside_0_1_or_missing_still_gets_a_consistent_answer():
    from am_analytics.indicators.stats import share_interval

    low, high = share_interval(np.array([1.2, np.nan, 0.5]), np.array([10, 10, 0]))
    assert low[0] <= 1.2 <= high[0]
    assert np.isnan(low[1:]).all() and np.isnan(high[1:]).all()
