"""Small counts are masked for publication, with a complementary cell wherever a total would reveal them."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from am_analytics.disclosure import mask_table, mask_values, primary_mask


def test_counts_from_1_to_4_are_masked_and_zero_is_shown():
    shown = mask_values(pd.Series([0, 1, 4, 5, 120]))
    assert shown.tolist() == [0, "< 5", "< 5", 5, 120]


def test_threshold_is_configurable():
    assert primary_mask(pd.Series([2, 9, 10]), threshold=10).tolist() == [True, True, False]
    assert mask_values(pd.Series([9]), threshold=10).tolist() == ["< 10"]


def test_a_single_masked_cell_in_a_row_gets_a_complementary_cell():
    frame = pd.DataFrame({"a": [40], "b": [3], "c": [12]})
    mask, shown = mask_table(frame, ["a", "b", "c"], row_totals=True)
    # b alone would be recovered as total − a − c: the smallest other cell (c) is hidden too
    assert mask.loc[0].tolist() == [False, True, True]
    assert shown.loc[0].tolist() == [40, "< 5", "< 5"]


def test_a_single_masked_departement_in_a_region_gets_a_complement():
    frame = pd.DataFrame({"contrats": [2, 30, 18, 7, 9]}, index=["2A", "2B", "13", "83", "84"])
    region = pd.Series(["94", "94", "93", "93", "93"], index=frame.index)
    mask, _ = mask_table(frame, ["contrats"], row_totals=False, column_groups=region)
    assert mask["contrats"].tolist() == [True, True, False, False, False]


def test_no_masking_when_nothing_is_small():
    frame = pd.DataFrame({"a": [10, 0], "b": [5, 7]})
    mask, shown = mask_table(frame, ["a", "b"])
    assert not mask.to_numpy().any()
    assert shown.equals(frame.astype("object"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=0, max_value=30), min_size=3, max_size=3), min_size=1, max_size=8))
def test_no_row_ever_has_exactly_one_hidden_cell(rows):
    frame = pd.DataFrame(rows, columns=["a", "b", "c"])
    mask, _ = mask_table(frame, ["a", "b", "c"], row_totals=True)
    for index in frame.index:
        hidden = int(mask.loc[index].sum())
        nonzero_others = int(((frame.loc[index] > 0) & ~mask.loc[index]).sum())
        # a lone hidden cell is only acceptable when there is nothing left to hide beside it
        assert hidden != 1 or nonzero_others == 0
    assert (mask | ~primary_mask(frame.stack()).unstack()).all().all()
