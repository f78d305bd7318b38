"""Disclosure control: small counts hidden, complementary cells wherever a published total would reveal them,
values computed from a hidden count hidden with it, shares on too small a base not shown — decided once, on the
published frame every output reads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from am_analytics.presentation.disclosure import (
    COMPLEMENTARY,
    PRIMARY,
    SMALL_BASE,
    WHOLE,
    Counted,
    Disclosure,
    cumulative_windows,
    publish_frame,
    publish_series,
    publish_territories,
    suppress,
)
from am_analytics.presentation.results import publish_breakdown


def _status(frame: pd.DataFrame, column: str) -> list:
    return [None if pd.isna(value) else value for value in frame[f"{column}_secret"]]


def test_counts_from_1_to_4_are_hidden_and_zero_is_shown():
    frame = pd.DataFrame({"n": [0, 1, 4, 5, 120]})
    published = publish_frame(frame, Disclosure(counts=(Counted("n", totals_by=()),)), ["n"])
    assert _status(published, "n") == [None, PRIMARY, PRIMARY, None, None]
    assert published["n"].isna().tolist() == [False, True, True, False, False], "a hidden value is never kept"


def test_threshold_is_configurable():
    frame = pd.DataFrame({"n": [2, 9, 10]})
    published = publish_frame(frame, Disclosure(counts=(Counted("n", totals_by=()),), threshold=10), ["n"])
    assert _status(published, "n") == [PRIMARY, PRIMARY, None]


def test_a_lone_hidden_cell_in_a_row_with_a_total_gets_the_smallest_other_cell_as_complement():
    frame = pd.DataFrame({"a": [40], "b": [3], "c": [12]})
    rule = Disclosure(counts=tuple(Counted(c, totals_by=()) for c in "abc"), row_total=("a", "b", "c"))
    published = publish_frame(frame, rule, ["a", "b", "c"])
    # b alone would be recovered as total − a − c: the smallest other cell (c) is hidden too
    assert [_status(published, c)[0] for c in "abc"] == [None, PRIMARY, COMPLEMENTARY]


def test_a_lone_hidden_departement_in_a_region_gets_a_complement_inside_that_region():
    frame = pd.DataFrame(
        {"code": ["2A", "2B", "13", "83", "84"], "region_code": ["94", "94", "93", "93", "93"], "n": [2, 30, 18, 7, 9]}
    )
    rule = Disclosure(counts=(Counted("n", totals_by=(("region_code",),)),))
    assert _status(publish_frame(frame, rule, ["code", "n"]), "n") == [PRIMARY, COMPLEMENTARY, None, None, None]


def test_values_computed_from_a_hidden_count_are_hidden_with_it():
    frame = pd.DataFrame({"n": [3, 50], "etp": [1.5, 30.0], "euros": [40_000.0, 9e5], "rate": [0.2, 3.1]})
    rule = Disclosure(counts=(Counted("n", totals_by=()),), follows={"etp": "n", "euros": "n", "rate": "n"})
    published = publish_frame(frame, rule, ["n", "etp", "euros", "rate"])
    for column in ("etp", "euros", "rate"):
        assert _status(published, column) == [PRIMARY, None], column
        assert pd.isna(published[column].iloc[0]) and published[column].iloc[1] == frame[column].iloc[1]


def test_a_share_on_a_small_base_is_not_shown_even_when_its_count_is():
    frame = pd.DataFrame({"n": [6, 30], "total": [12, 60], "part": [0.5, 0.5]})
    rule = Disclosure(counts=(Counted("n", totals_by=()),), follows={"part": "n"}, bases={"part": "total"})
    published = publish_frame(frame, rule, ["n", "total", "part"])
    assert _status(published, "n") == [None, None]
    assert _status(published, "part") == [SMALL_BASE, None]


def test_a_share_follows_every_count_it_is_computed_from():
    # growth over 12 months with a shown current count would reveal a hidden count of a year ago
    frame = pd.DataFrame({"now": [30, 40], "before": [25, 3], "growth": [0.2, 12.3]})
    rule = Disclosure(
        counts=(Counted("now", totals_by=()), Counted("before", totals_by=())), follows={"growth": ("now", "before")}
    )
    assert _status(publish_frame(frame, rule, ["now", "growth"]), "growth") == [None, PRIMARY]


def test_published_frame_keeps_only_the_columns_asked_for_and_the_attrs():
    frame = pd.DataFrame({"code": ["01"], "n": [9], "secret_column_nobody_asked_for": ["x"]})
    frame.attrs = {"sources": ("demo",), "as_of": "2024-12-31"}
    published = publish_frame(frame, Disclosure(counts=(Counted("n", totals_by=()),)), ["code", "n"])
    assert list(published.columns) == ["code", "n", "n_secret"]
    assert published.attrs["sources"] == ("demo",)


def test_asking_for_a_missing_column_is_an_error():
    with pytest.raises(KeyError, match="absentes"):
        publish_frame(pd.DataFrame({"n": [1]}), None, ["n", "m"])


def test_seeded_and_fixed_cells_keep_the_status_decided_elsewhere():
    values = np.array([3.0, 10.0, 12.0, 20.0])
    seeds = np.array([None, None, COMPLEMENTARY, None], dtype=object)
    fixed = np.array([False, False, True, True])
    status = suppress(values, [np.zeros(4, dtype=int)], seeds=seeds, fixed=fixed)
    assert list(status) == [PRIMARY, None, COMPLEMENTARY, None]
    # with the seed gone, the relation needs a complement, which may not be a fixed cell
    status = suppress(values, [np.zeros(4, dtype=int)], fixed=fixed)
    assert list(status) == [PRIMARY, COMPLEMENTARY, None, None]


# --- Hierarchy of territories ------------------------------------------------------------------------------


def _territories(values: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    departements = pd.DataFrame(
        {"code": list(values), "region_code": ["94", "94", "93", "93", "01"], "signes": list(values.values())}
    )
    regions = (
        departements.groupby("region_code", as_index=False)["signes"].sum().rename(columns={"region_code": "code"})
    )
    nation = pd.DataFrame({"code": ["FR"], "signes": [departements["signes"].sum()]})
    return nation, regions, departements


def test_territories_are_masked_as_one_hierarchy():
    nation, regions, departements = _territories({"2A": 3, "2B": 40, "13": 30, "83": 25, "971": 8})
    rule = Disclosure(counts=(Counted("signes"),))
    _, regions_p, departements_p = publish_territories(nation, regions, departements, rule, ["code", "signes"])
    # 2A is small; inside Corse its complement is 2B; Corse itself (43) stays shown
    assert dict(zip(departements_p["code"], _status(departements_p, "signes"), strict=True)) == {
        "2A": PRIMARY,
        "2B": COMPLEMENTARY,
        "13": None,
        "83": None,
        "971": None,
    }
    assert _status(regions_p, "signes") == [None, None, None]


def test_a_region_hidden_to_protect_another_hides_its_only_departement_too():
    # Guadeloupe (one département) is the smallest region beside a hidden one: hiding the region alone would
    # leave 971 showing the same figure
    nation, regions, departements = _territories({"2A": 2, "2B": 2, "13": 30, "83": 25, "971": 8})
    rule = Disclosure(counts=(Counted("signes"),))
    _, regions_p, departements_p = publish_territories(nation, regions, departements, rule, ["code", "signes"])
    region_status = dict(zip(regions_p["code"], _status(regions_p, "signes"), strict=True))
    assert region_status["94"] == PRIMARY and region_status["01"] == COMPLEMENTARY
    assert departements_p.set_index("code").loc["971", "signes_secret"] == COMPLEMENTARY


# --- Two-way tables with totals --------------------------------------------------------------------------------


def _breakdown(cells: dict[tuple[str, str], int]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [{"code": code, "profil_origine": profil, "effectif": n} for (code, profil), n in cells.items()]
    )
    frame["total"] = frame.groupby("code")["effectif"].transform("sum")
    frame["part"] = frame["effectif"] / frame["total"]
    return frame


def test_a_region_total_hidden_elsewhere_is_hidden_in_the_background_table_and_protected_there():
    frame = _breakdown({("01", "a"): 6, ("01", "b"): 6, ("02", "a"): 30, ("02", "b"): 40})
    seeds = pd.Series({"01": COMPLEMENTARY, "02": None})
    published = publish_breakdown(
        frame,
        row="code",
        column="profil_origine",
        total_seeds=seeds,
        keep=("code", "profil_origine", "effectif", "total", "part"),
    )
    first = published[published["code"] == "01"]
    assert first["total"].isna().all() and (first["total_secret"] == COMPLEMENTARY).all()
    # with the total hidden, both cells 6 and 6 may not be shown: 6 + 6 would give it back
    assert first["effectif"].isna().sum() >= 1
    assert first["part"].isna().sum() >= 1


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=0, max_value=25), min_size=4, max_size=4), min_size=2, max_size=6))
def test_no_relation_of_a_two_way_table_ever_holds_exactly_one_hidden_cell(rows):
    cells = {(f"r{i}", f"c{j}"): n for i, row in enumerate(rows) for j, n in enumerate(row)}
    frame = _breakdown(cells)
    published = publish_breakdown(
        frame, row="code", column="profil_origine", keep=("code", "profil_origine", "effectif", "total", "part")
    )
    hidden = published["effectif_secret"].notna()
    values = frame["effectif"]
    for code, group in published.groupby("code"):
        members = int(hidden[group.index].sum()) + int(pd.notna(group["total_secret"].iloc[0]))
        assert members != 1, f"row {code}: one hidden cell could be recovered from the row total"
    for profil, group in published.groupby("profil_origine"):
        lone = int(hidden[group.index].sum()) == 1
        # a lone hidden cell is only acceptable beside zeros: the column's total is then that small count,
        # hidden wherever it is published
        assert not lone or (values[group.index][~hidden[group.index]] == 0).all(), f"column {profil}"
    shown = published.loc[~hidden, "effectif"]
    assert not ((shown >= 1) & (shown <= 4)).any()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=30))
def test_no_monthly_count_from_1_to_4_can_be_read_or_recovered_from_the_series(months):
    frame = pd.DataFrame({"mois": range(len(months)), "signes_mois": months})
    frame["signes_cumul"] = frame["signes_mois"].cumsum()
    frame["actifs"] = frame["signes_cumul"]
    published = publish_series(
        frame,
        cumulative="signes_cumul",
        monthly="signes_mois",
        stocks={"actifs": ()},
        keep=["mois", "signes_mois", "signes_cumul", "actifs"],
    )
    monthly_shown = published["signes_mois"].notna()
    assert not published.loc[monthly_shown, "signes_mois"].between(1, 4).any()
    # what a reader can subtract: consecutive published cumulative points
    points = published.loc[published["signes_cumul"].notna(), "signes_cumul"].tolist()
    assert not any(1 <= b - a <= 4 for a, b in zip([0, *points], points, strict=False))
    # within each stretch closed by a published point, a lone hidden month would be that difference minus the rest
    previous = -1
    for position in published.index[published["signes_cumul"].notna()]:
        window = published.loc[previous + 1 : position]
        assert int((~window["signes_mois"].notna()).sum()) != 1
        previous = position
    shown_actifs = published.loc[published["actifs"].notna(), "actifs"]
    assert not shown_actifs.between(1, 4).any()


def test_cumulative_points_are_shown_only_after_an_increase_of_zero_or_at_least_five():
    shown, windows = cumulative_windows(pd.Series([0, 2, 3, 8, 8, 9]))
    assert shown.tolist() == [True, False, False, True, True, False]
    assert windows.tolist() == [0, 1, 1, 1, 2, 3]


def test_whole_is_one_group():
    frame = pd.DataFrame({"n": [3, 50, 60]})
    published = publish_frame(frame, Disclosure(counts=(Counted("n", totals_by=(WHOLE,)),)), ["n"])
    assert _status(published, "n") == [PRIMARY, COMPLEMENTARY, None]
