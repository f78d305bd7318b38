"""The intruder's audit (`presentation.audit`): a reader's linear program over every published relation finds the
hidden counts it can recover, and the greedy complementary masking leaves none."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from am_analytics.presentation.audit import DisclosureRisk, Ledger, audit, protect
from am_analytics.presentation.disclosure import PRIMARY, THRESHOLD, primary_cells


def _series(values: list[int], *, hide_zeros: bool = False) -> Ledger:
    """Monthly counts (« < 5 » where small) and their published total."""
    ledger = Ledger()
    for month, value in enumerate(values):
        small = 1 <= value < THRESHOLD
        hidden = PRIMARY if small else ("complementaire" if hide_zeros and value == 0 else None)
        ledger.publish(("mois", month), value, hidden=hidden, place="série")
    ledger.publish(("total",), sum(values), hidden=None, place="couverture")
    ledger.relate({("total",): 1.0, **{("mois", month): -1.0 for month in range(len(values))}}, name="total")
    return ledger


def test_masked_months_that_add_up_to_the_published_total_are_recovered_exactly():
    # Mayotte's series in issue 20: five « < 5 » months, every other month 0, the total 5: each hidden month is 1
    exposures = audit(_series([0, 1, 0, 1, 1, 0, 1, 1, 0, 0]))
    assert sorted(exposure.key for exposure in exposures) == [("mois", m) for m in (1, 3, 4, 6, 7)]
    assert all(exposure.low == exposure.high == 1 for exposure in exposures)
    assert exposures[0].places == ("série",)


def test_two_small_hidden_cells_that_can_trade_values_are_protected():
    # 2 + 3 = 5 with 10 shown: each hidden cell can be 1 to 4, the reader learns nothing beyond « < 5 »
    assert audit(_series([2, 3, 10])) == []


def test_a_small_count_narrowed_to_two_values_is_exposed():
    # 3 + 4 = 7: each is 3 or 4, fewer than three values
    exposures = audit(_series([3, 4, 10]))
    assert {exposure.key for exposure in exposures} == {("mois", 0), ("mois", 1)}
    assert {(exposure.low, exposure.high) for exposure in exposures} == {(3, 4)}


def test_protection_says_less_of_a_small_cell_whose_own_bounds_close_it():
    # 3 + 4 = 7: « < 5 » tells each is at least 1, which closes both intervals; as a plain secret it tells nothing
    ledger = _series([3, 4, 10, 0])
    assert protect(ledger) == []
    assert ledger.relabelled and audit(ledger) == []


def test_protection_hides_a_neighbour_until_nothing_is_exposed():
    # the contracts that ended (2) are pinned by signed and active: one of them is hidden
    ledger = Ledger()
    ledger.publish(("signes",), 10, hidden=None, place="t")
    ledger.publish(("actifs",), 8, hidden=None, place="t")
    ledger.publish(("actifs_avant",), 8, hidden=None, place="t")
    ledger.add_latent(("fins",), 2)
    ledger.relate({("actifs",): 1.0, ("signes",): -1.0, ("fins",): 1.0})
    hidden = protect(ledger)
    assert hidden and all(not ledger.shown[key] for key in hidden)
    assert audit(ledger) == []


def test_a_headline_figure_is_hidden_only_when_nothing_else_can_be():
    ledger = Ledger()
    ledger.publish(("a",), 6, hidden="complementaire", place="t")
    ledger.publish(("b",), 2, hidden=PRIMARY, place="t")
    ledger.publish(("c",), 9, hidden=None, place="t")
    ledger.publish(("total",), 17, hidden=None, place="t", fixed=True)
    ledger.relate({("total",): 1.0, ("a",): -1.0, ("b",): -1.0, ("c",): -1.0})
    ledger.publish(("autre",), 30, hidden=None, place="t", fixed=True)
    protect(ledger)
    assert audit(ledger) == [] and ledger.shown[("total",)]


def test_protection_refuses_past_its_limit_and_names_the_cell():
    ledger = _series([3, 4, 10])
    ledger.primary.clear()  # said « s »: nothing left to relabel, so a neighbour must be hidden
    ledger.publish(("fin",), 2, hidden=None, place="t")
    ledger.add_latent(("fins",), 2)
    ledger.relate({("fin",): 1.0, ("fins",): -1.0})
    with pytest.raises(DisclosureRisk, match="publication refusée") as refused:
        protect(ledger, limit=0)
    assert refused.value.exit_code == 3 and "fins" in str(refused.value)


def test_a_relation_false_on_the_true_values_is_skipped_and_recorded():
    ledger = Ledger()
    ledger.publish(("a",), 2, hidden=None, place="t")
    ledger.publish(("b",), 3, hidden=None, place="t")
    assert not ledger.relate({("a",): 1.0, ("b",): -1.0}, name="a = b")
    assert ledger.skipped == ["a = b: -1"]
    assert ledger.equations == []


def test_one_quantity_printed_twice_is_one_cell_hidden_if_hidden_anywhere():
    ledger = Ledger()
    ledger.publish(("signes", "R06"), 8, hidden=None, place="Profils")
    ledger.publish(("signes", "R06"), 8, hidden="complementaire", place="Territoires")
    assert not ledger.shown[("signes", "R06")]
    assert ledger.places[("signes", "R06")] == {"Profils", "Territoires"}
    with pytest.raises(ValueError, match="vaut 8 et 9"):
        ledger.publish(("signes", "R06"), 9, hidden=None, place="Série")


def test_a_latent_count_pinned_by_published_cells_is_exposed():
    # signed 10, active 8: the contracts that ended (a count nobody prints) are exactly 2
    ledger = Ledger()
    ledger.publish(("signes",), 10, hidden=None, place="t")
    ledger.publish(("actifs",), 8, hidden=None, place="t")
    ledger.add_latent(("fins",), 2)
    ledger.relate({("actifs",): 1.0, ("signes",): -1.0, ("fins",): 1.0})
    [exposure] = audit(ledger)
    assert exposure.key == ("fins",) and exposure.places == ()
    assert "déduite des autres" in exposure.describe()


def test_relabelling_a_primary_cell_removes_what_it_told():
    # three « < 5 » months inside a « < 5 » window: the window is at least 3, so 3 or 4; said as a plain secret, the
    # months no longer tell « at least 1 »
    ledger = Ledger()
    for month in range(3):
        ledger.publish(("mois", month), 1, hidden=PRIMARY, place="série")
    ledger.publish(("fenetre",), 3, hidden=PRIMARY, place="territoires")
    ledger.relate({("fenetre",): 1.0, **{("mois", month): -1.0 for month in range(3)}})
    assert audit(ledger)
    protect(ledger)
    assert ledger.relabelled and audit(ledger) == []


@st.composite
def _tables(draw):
    """A small two-way table of counts with its row totals, column totals and grand total, all published."""
    rows, columns = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    cells = draw(
        st.lists(st.lists(st.integers(0, 12), min_size=columns, max_size=columns), min_size=rows, max_size=rows)
    )
    return cells


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables())
def test_any_small_table_with_its_margins_is_protected_after_protection(cells):
    ledger = Ledger()
    rows, columns = len(cells), len(cells[0])
    for r in range(rows):
        for c in range(columns):
            value = cells[r][c]
            ledger.publish(("cell", r, c), value, hidden=PRIMARY if primary_cells(value) else None, place="tableau")
    for r in range(rows):
        ledger.publish(("row", r), sum(cells[r]), hidden=PRIMARY if primary_cells(sum(cells[r])) else None, place="t")
        ledger.relate({("row", r): 1.0, **{("cell", r, c): -1.0 for c in range(columns)}})
    for c in range(columns):
        total = sum(cells[r][c] for r in range(rows))
        ledger.publish(("col", c), total, hidden=PRIMARY if primary_cells(total) else None, place="t")
        ledger.relate({("col", c): 1.0, **{("cell", r, c): -1.0 for r in range(rows)}})
    grand = sum(map(sum, cells))
    ledger.publish(("all",), grand, hidden=PRIMARY if primary_cells(grand) else None, place="t", fixed=grand >= 20)
    ledger.relate({("all",): 1.0, **{("row", r): -1.0 for r in range(rows)}})
    try:
        protect(ledger)
    except DisclosureRisk:
        # only a fixed grand total was left to hide: the refusal must name a cell the audit still finds
        assert audit(ledger)
        return
    assert audit(ledger) == []
    for key in ledger.primary:  # a primary cell is never shown
        assert not ledger.shown[key]


# --- The demo publication --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_ledger(demo_scope, demo_results):
    from am_analytics.presentation.publication import publication_ledger
    from am_analytics.presentation.results import ScopeResults

    scopes = [demo_scope.with_region(code) for code in ("06", "94", "53")]
    pairs = [(scope, ScopeResults.compute(scope, demo_results)) for scope in scopes]
    ledger, _, _ = publication_ledger(demo_results, pairs, demo_scope.all_contracts)
    return ledger


def test_every_relation_of_the_demo_publication_holds_on_its_true_values(demo_ledger):
    # a skipped relation is a cell keyed wrongly (a period, a territory, a category): the audit would be blind there
    assert demo_ledger.skipped == []
    assert len(demo_ledger.equations) > 500


def test_the_audit_finds_the_leaks_issue_20_describes(demo_ledger):
    # Bretagne's backgrounds in 2019 as the per-table masking leaves them: ten contracts, seven secretaries, three
    # « < 5 »: the year's categories add up to its printed total, so each « < 5 » is 1
    exposures = audit(demo_ledger)
    bretagne = [exposure for exposure in exposures
                if exposure.key[:2] == ("signes", "R53") and exposure.key[2].year == 2019 and exposure.key[4]]
    assert len(bretagne) == 3, bretagne
    assert all(exposure.low == exposure.high == exposure.value == 1 for exposure in bretagne)
    assert all("Profils d'origine par année — Bretagne" in exposure.places for exposure in bretagne)


def test_the_report_writes_nothing_and_exits_3_when_a_hidden_count_could_be_recovered(
    demo_scope, tmp_path, monkeypatch, capsys
):
    # with the protection switched off, the check of the frames as masked finds Mayotte's leaks: nothing is written
    from am_analytics.cli import run
    from am_analytics.presentation import publication
    from am_analytics.presentation.scope import Scope
    from am_analytics.report.__main__ import main

    monkeypatch.setattr(publication, "protect", lambda ledger: [])
    monkeypatch.setattr(Scope, "open", classmethod(lambda cls, **kw: demo_scope.with_region("06")))
    pdf = tmp_path / "rapport.pdf"
    assert run(main, ["--region", "06", "--output", str(pdf)]) == 3
    assert not pdf.exists() and not pdf.with_suffix(".xlsx").exists()
    error = capsys.readouterr().err
    assert "publication refusée (secret statistique)" in error and "Traceback" not in error
    assert " : entre " in error and "rien n'a été écrit" in error  # the cell named, with what a reader finds


def test_every_region_s_report_publication_passes_its_own_audit(demo_scope, demo_results):
    # the national results with each region's, as a regional report publishes them: protection always succeeds, and
    # the frames as masked keep nothing a reader can recover (`audited` raises otherwise)
    from am_analytics import reference
    from am_analytics.presentation.publication import audited
    from am_analytics.presentation.results import ScopeResults

    for code in reference.regions().iloc[:, 0]:
        scope = demo_scope.with_region(code)
        national, (own,) = audited(demo_results, [(scope, ScopeResults.compute(scope, demo_results))],
                                   demo_scope.all_contracts)
        assert not national.exact and not own.exact
        # a region's headline figures are never hidden to protect another cell
        before = demo_results.regions.set_index("code").loc[code]
        after = national.regions.set_index("code").loc[code]
        for column in ("signes", "actifs"):
            if pd.notna(before[column]):
                assert after[column] == before[column], (code, column)
