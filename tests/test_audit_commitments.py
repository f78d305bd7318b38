"""The doctors' commitments in the publication's ledger (issue 24): their tables are linked to each other and to the
signed contracts, so that a reader adding them up (the regions against France's row, a region's départements, a
row's statuses against its contracts reviewed) recovers no hidden count once the publication is audited."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from am_analytics.presentation.audit import MIN_VALUES_SMALL, audit, protect
from am_analytics.presentation.catalogue import COMMITMENT_RULE, COMMITMENT_STATUSES, EFFECT_RULE
from am_analytics.presentation.disclosure import COMPLEMENTARY, PRIMARY, secret_column
from am_analytics.presentation.linked import (
    LedgerBuilder,
    LinkedItem,
    children_in,
    commitment_cells,
    dependants_of,
    effect_cells,
    masked_item,
    reviewed_measure,
)

AS_OF = pd.Timestamp("2025-06-30")
NO_CONTRACTS = pd.DataFrame({"date_signature": pd.Series(dtype="datetime64[ns]"), "region": pd.Series(dtype="string"),
                             "departement": pd.Series(dtype="string")})
# Bretagne's four départements and two other regions (one overseas, one of Corse)
DEPARTEMENTS = pd.DataFrame({"code": ["22", "29", "35", "56", "971", "2A", "2B"],
                             "region_code": ["53", "53", "53", "53", "01", "94", "94"]})
CHILDREN = children_in(DEPARTEMENTS, ["53", "01", "94"])


def _row(dimension: str, code: str, atteint: int, en_bonne_voie: int, trop_tot: int, manque: int,
         non_public: int) -> dict:
    statuses = dict(zip(COMMITMENT_STATUSES, (atteint, en_bonne_voie, trop_tot, manque, non_public), strict=True))
    return {"dimension": dimension, "code": code, "contrats_revus": sum(statuses.values()), **statuses}


def _item(rows: list[dict], hidden: dict[tuple[str, str], str]) -> LinkedItem:
    """A commitments frame and its published form, `hidden` the cells ((code, column): reason) masked."""
    exact = pd.DataFrame(rows)
    published = exact.copy().astype({name: "Float64" for name in ("contrats_revus", *COMMITMENT_STATUSES)})
    for column in ("contrats_revus", *COMMITMENT_STATUSES):
        published[secret_column(column)] = pd.Series([pd.NA] * len(exact), dtype="string")
    for (code, column), reason in hidden.items():
        row = exact.index[exact["code"] == code][0]
        published.loc[row, column] = pd.NA
        published.loc[row, secret_column(column)] = reason
    cells = commitment_cells(published, AS_OF, COMMITMENT_STATUSES)
    return LinkedItem("Engagements", published, exact, cells, dependants_of(COMMITMENT_RULE))


def _ledger(*items: LinkedItem):
    return LedgerBuilder(list(items), NO_CONTRACTS, AS_OF, CHILDREN).build()


REGIONS = [
    _row("france", "FR", 60, 12, 20, 15, 90),
    _row("region", "53", 30, 6, 10, 2, 50),  # two objectives missed in Bretagne: « < 5 »
    _row("region", "01", 12, 0, 5, 6, 20),
    _row("region", "94", 18, 6, 5, 7, 20),
]
# the table's own masking: the « < 5 » and one complementary cell in its row (the row adds up to its contracts)
BRETAGNE_MISSED = {("53", "manque"): PRIMARY, ("53", "trop_tot"): COMPLEMENTARY}
MISSED = (reviewed_measure("manque"), "FR", AS_OF.date(), AS_OF.date(), "region", "53")


def test_the_regions_added_up_against_france_s_row_give_back_a_small_count_masked_in_its_table_alone():
    # France's missed objectives minus the other regions' leave Bretagne's two: the reader finds them exactly.
    # (Without the relation « regions = France » in the ledger the audit would not see it, nor protect it.)
    exposures = audit(_ledger(_item(REGIONS, BRETAGNE_MISSED)))
    found = {exposure.key: exposure for exposure in exposures}
    assert MISSED in found, exposures
    assert found[MISSED].low == found[MISSED].high == 2


def test_after_protection_no_commitment_count_is_narrowed_below_the_rule():
    ledger = _ledger(_item(REGIONS, BRETAGNE_MISSED))
    added = protect(ledger)
    assert added and audit(ledger) == []
    # the frame as masked says it: another region's missed objectives (or France's) are hidden too
    item = _item(REGIONS, BRETAGNE_MISSED)
    masked = masked_item(item, ledger)
    assert masked["manque_secret"].notna().sum() >= 2
    assert pd.isna(masked.loc[1, "manque"])


def test_france_s_statuses_are_hidden_to_protect_a_region_only_when_nothing_else_can_be(demo_scope, demo_results):
    from am_analytics.presentation.publication import audited, publication_ledger

    national, _ = audited(demo_results, [], demo_scope.all_contracts)
    france = national.commitments[national.commitments["dimension"] == "france"].iloc[0]
    for column in ("contrats_revus", *COMMITMENT_STATUSES):
        assert pd.isna(france[secret_column(column)]), column
    # the frames as masked, read again with every relation: nothing narrowed below the rule
    ledger, items, _ = publication_ledger(replace(national, exact=demo_results.exact), [], demo_scope.all_contracts)
    assert {"commitments", "commitment_effect", "commitment_gains", "commitment_cross"} <= set(items)
    assert ledger.skipped == []
    assert audit(ledger) == []
    regions = national.commitments[national.commitments["dimension"] == "region"]
    assert regions[[secret_column(name) for name in COMMITMENT_STATUSES]].notna().any().any()


DEPARTEMENT_ROWS = [
    _row("france", "FR", 90, 20, 30, 40, 120),
    _row("region", "53", 40, 10, 12, 14, 60),
    _row("departement", "22", 10, 5, 3, 3, 15),  # three missed in Côtes-d'Armor
    _row("departement", "29", 10, 0, 3, 5, 15),
    _row("departement", "35", 10, 5, 3, 6, 15),
    _row("departement", "56", 10, 0, 3, 0, 15),
]


def test_a_region_s_departements_add_up_to_the_region_for_every_status():
    # France's row is larger than Bretagne's: only the region's own row gives the département's missed objectives
    hidden = {("22", "manque"): PRIMARY, ("22", "trop_tot"): PRIMARY}
    exposures = audit(_ledger(_item(DEPARTEMENT_ROWS, hidden)))
    keys = {exposure.key for exposure in exposures}
    assert (reviewed_measure("manque"), "FR", AS_OF.date(), AS_OF.date(), "departement", "22") in keys, exposures
    ledger = _ledger(_item(DEPARTEMENT_ROWS, hidden))
    protect(ledger)
    assert audit(ledger) == []


def test_a_small_count_keeps_three_values_once_protected():
    ledger = _ledger(_item(REGIONS, BRETAGNE_MISSED))
    protect(ledger)
    # hide nothing more and ask the reader's program for Bretagne's missed objectives directly
    from am_analytics.presentation.audit import _components, _Program

    for cells, equations, inequalities in _components(ledger):
        if MISSED in cells:
            program = _Program(ledger, cells, equations, inequalities)
            low, high = program.interval(program.column[MISSED])
            assert high - low >= MIN_VALUES_SMALL - 1
            break
    else:
        pytest.fail("la cellule masquée n'est dans aucun programme du lecteur")


def test_controls_of_the_categories_are_bounded_by_all_controls_never_summed():
    # a control serves several signatories, of several options: the categories' controls add up to more than all
    rows = pd.DataFrame({
        "mesure": ["patients_mt"] * 3, "dimension": ["ensemble", "etp_option", "etp_option"],
        "categorie": ["ensemble", "1/2", "1/3"], "signataires": [60, 35, 25], "temoins": [30, 25, 20],
    })
    published = rows.assign(signataires_secret=pd.Series([pd.NA] * 3, dtype="string"),
                            temoins_secret=pd.Series([pd.NA] * 3, dtype="string"))
    item = LinkedItem("Effet", published, rows, effect_cells(published, AS_OF), dependants_of(EFFECT_RULE))
    ledger = _ledger(item)
    assert ledger.skipped == []  # the signatories add up (60 = 35 + 25), the controls only bound each other
    controls = [terms for terms in ledger.equations if any(str(key[0]).startswith("temoins") for key in terms)]
    assert controls == []
    assert len([terms for terms in ledger.inequalities if any(str(key[0]).startswith("temoins") for key in terms)
                ]) == 2


# --- Where the controls were drawn: a share of signatories per level, never one that rebuilds a small count -------


@pytest.mark.parametrize(("counts", "expected"), [
    ({"departement": 4796, "region": 897, "france": 107},
     "même département 83 %, même région 15 %, France entière 2 %"),
    ({"departement": 95, "region": 5}, "même département 95 %, même région 5 %"),
    ({"departement": 40}, "même département 100 %"),
])
def test_the_matching_levels_are_given_as_shares_of_the_signatories(counts, expected):
    from am_analytics.presentation.catalogue import commitment_effect_table

    effect = _effect_frame(counts)
    assert any(note.endswith(f"{expected}.") for note in commitment_effect_table(effect).notes)


@pytest.mark.parametrize("counts", [
    {"departement": 96, "region": 4},  # 4 % of the 100 signatories published beside it is 4 doctors
    {"departement": 60, "region": 30, "france": 1},
])
def test_a_level_of_one_to_four_signatories_gives_no_share(counts):
    from am_analytics.presentation.catalogue import commitment_effect_table

    notes = commitment_effect_table(_effect_frame(counts)).notes
    strata = [note for note in notes if note.startswith("Strate d'appariement")]
    assert len(strata) == 1 and "non publiée" in strata[0] and "%" not in strata[0]


def _effect_frame(counts: dict[str, int]) -> pd.DataFrame:
    from am_analytics.indicators.commitment_effect import STRATA_ATTR

    frame = pd.DataFrame({"mesure": ["patients_mt"], "mesure_libelle": ["Patientèle"], "dimension": ["ensemble"],
                          "categorie": ["ensemble"], "categorie_libelle": ["Ensemble"],
                          "periode_evenement": pd.array([pd.NA], dtype="Int64"),
                          "signataires": [sum(counts.values())], "temoins": [50], "effet_pct": [10.0],
                          "ic_bas": [9.0], "ic_haut": [11.0], "pretendance_p": [0.5]})
    frame.attrs[STRATA_ATTR] = counts
    return frame
