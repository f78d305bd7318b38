"""The doctors' commitments: each contract's objective from the published grid (never invented where it is not
public), its status at each six-monthly review with the May 2023 rule, the counts by territory and option; and,
on the demo data, the Cnam's design and the estimated effect beside the published figures."""

from __future__ import annotations

import dataclasses
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from am_analytics.demo import activity as demo_activity
from am_analytics.indicators import commitment_effect as ce
from am_analytics.indicators import commitments as cm
from am_analytics.indicators.common import IndicatorArgumentError
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import registry


def _activity(rows: list[tuple[str, int, int, int]]) -> pd.DataFrame:
    """A yearly follow-up table: (doctor, year, MT list, active list)."""
    frame = pd.DataFrame(rows, columns=["medecin_id", "annee", "patients_mt", "file_active"])
    return frame.assign(
        periode=frame["annee"].astype(str), type_periode="annee",
        debut_periode=pd.to_datetime(frame["annee"].astype(str) + "-01-01"),
        fin_periode=pd.to_datetime(frame["annee"].astype(str) + "-12-31"),
        actes=5_000, jours_travailles=200.0,
    )


def _contracts(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Contracts: (doctor, signature date, option), in one region."""
    frame = pd.DataFrame(rows, columns=["medecin_id", "date_signature", "etp_option"])
    return frame.assign(contrat_id=[f"C{i}" for i in range(len(frame))], date_signature=pd.to_datetime(
        frame["date_signature"]), etp=frame["etp_option"], departement="35", region="53",
        specialite="medecine_generale", zone="zip", profil_origine="infirmier", date_fin=pd.NaT)


# A pool that puts the signatories' 2019 lists in known bands: 100 non-signatories spread from 500 to 2 480.
POOL = [(f"p{i}", year, 500 + 20 * i, 2 * (500 + 20 * i)) for i in range(100) for year in range(2019, 2025)]


@pytest.fixture
def objectives():
    # 1 300 patients rank 41st of 103 doctors: the P30–P50 band
    activity = _activity([*POOL, ("a", 2019, 1_300, 2_600), ("b", 2019, 1_300, 2_600), ("c", 2019, 1_300, 2_600)])
    contracts = _contracts([("a", "2020-03-01", "1/3"), ("b", "2020-03-01", "1/2"), ("c", "2020-03-01", "1")])
    return cm.contract_objectives(activity, contracts, as_of="2024-12-31", synthetic=True).set_index("medecin_id")


def _described(activity: pd.DataFrame, departements: list[str], specialties: list[str]) -> pd.DataFrame:
    """The follow-up table with each row's département and specialty as the table writes them."""
    return activity.assign(departement=departements, specialite=specialties, annee_installation=2005)


def test_a_signatory_is_placed_by_its_contract_and_a_non_signatory_by_the_activity_table():
    activity = _described(_activity([("a", 2019, 1_300, 2_600), ("a", 2020, 1_350, 2_650), ("p", 2019, 900, 1_800),
                                      ("q", 2019, 900, 1_800)]),
                          ["35", "35", "22", "2A"], ["medecine_generale", "cardiologie", "medecine_generale", None])
    contracts = _contracts([("a", "2020-03-01", "1/3")])  # Ille-et-Vilaine (35, Bretagne), general practice
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same département on both sides: nothing to warn
        joined = cm.activity_with_contracts(activity, contracts, synthetic=True).set_index(["medecin_id", "periode"])
    assert joined.loc[("a", "2020"), "specialite"] == "medecine_generale"  # the contract's, not the table's
    assert tuple(joined.loc[("p", "2019"), ["departement", "region", "specialite"]]) == ("22", "53",
                                                                                          "medecine_generale")
    assert tuple(joined.loc[("q", "2019"), ["departement", "region"]]) == ("2A", "94")  # region from the département
    assert pd.isna(joined.loc[("q", "2019"), "specialite"])  # missing stays missing
    assert (joined["annee_installation"] == 2005).all()
    assert not [c for c in joined if c.endswith("_activite")]


def test_a_signatory_the_activity_table_places_elsewhere_keeps_its_contract_s_departement_and_is_counted():
    activity = _described(_activity([("a", 2019, 1_300, 2_600), ("a", 2020, 1_350, 2_650), ("b", 2019, 1_300, 2_600),
                                      ("c", 2019, 1_300, 2_600), ("p", 2019, 900, 1_800)]),
                          ["29", "35", "971", "35", "29"], ["medecine_generale"] * 5)
    contracts = _contracts([("a", "2020-03-01", "1/3"), ("b", "2020-03-01", "1/2"), ("c", "2020-03-01", "1")])
    with pytest.warns(UserWarning, match="2 signataires placés par le suivi d'activité dans un autre département"):
        joined = cm.activity_with_contracts(activity, contracts, synthetic=True)
    signatories = joined[joined["signataire"]]
    assert (signatories["departement"] == "35").all() and (signatories["region"] == "53").all()
    assert joined.loc[joined["medecin_id"] == "p", "departement"].item() == "29"
    assert any("2 signataires" in note and "département du contrat" in note for note in joined.attrs["notes"])


def test_a_contract_s_unrecognised_specialty_gives_way_to_the_activity_table_s():
    activity = _described(_activity([("a", 2019, 1_300, 2_600)]), ["35"], ["cardiologie"])
    contracts = _contracts([("a", "2020-03-01", "1/3")]).assign(specialite="inconnue")
    joined = cm.activity_with_contracts(activity, contracts, synthetic=True)
    assert joined["specialite"].item() == "cardiologie"
    unknown_too = cm.activity_with_contracts(activity.assign(specialite=pd.NA), contracts, synthetic=True)
    assert unknown_too["specialite"].item() == "inconnue"


def test_the_one_third_option_takes_the_grid_and_the_others_stay_not_public(objectives):
    one_third = objectives.loc["a"]
    assert one_third["tranche"] == "P30-P50" and one_third["objectif_pct"] == 20
    assert one_third["source_objectif"] == "grille"
    assert one_third["objectif_patients"] == 1_560 and one_third["objectif_file_active"] == 3_120
    for doctor in ("b", "c"):
        assert objectives.loc[doctor, "source_objectif"] == "non_public"
        assert pd.isna(objectives.loc[doctor, "objectif_pct"]) and pd.isna(objectives.loc[doctor, "objectif_patients"])


def test_an_objective_the_follow_up_table_gives_is_the_contract_s_own():
    activity = _activity([*POOL, ("b", 2019, 1_000, 2_000)]).assign(objectif_pct=pd.NA)
    activity.loc[activity["medecin_id"] == "b", "objectif_pct"] = 12.0
    found = cm.contract_objectives(activity, _contracts([("b", "2020-03-01", "1/2")]), synthetic=True)
    assert found["source_objectif"].tolist() == ["contrat"] and found["objectif_patients"].tolist() == [1_120]


CALENDAR = {"revue_mois": 6, "duree_mois": 60, "echeance_mois": 24, "un_sur_deux_depuis": pd.Timestamp("2023-05-01")}


@pytest.mark.parametrize(
    ("mt", "active", "months", "review", "expected"),
    [
        (1_100, 2_000, 12, "2021-03-01", "atteint"),  # MT list at the objective
        (1_000, 2_300, 30, "2022-09-01", "manque"),  # only the active list, before May 2023: both counted
        (1_000, 2_300, 30, "2023-09-01", "atteint"),  # since May 2023 one objective of two is enough
        (1_060, 2_000, 12, "2021-03-01", "en_bonne_voie"),  # above the straight path (1 050 at 12 months)
        (1_040, 2_000, 12, "2021-03-01", "trop_tot"),  # below it, before the due date
        (1_090, 2_000, 24, "2022-03-01", "manque"),  # due date reached, short of the objective
        (None, None, 6, "2020-09-01", "trop_tot"),  # no period closed since the signature
    ],
)
def test_review_status(mt, active, months, review, expected):
    objectives = pd.DataFrame({"objectif_patients": [1_100.0], "objectif_file_active": [2_200.0],
                               "patientele_reference": [1_000.0]}).astype("Float64")
    status = cm.review_status(pd.Series([mt], dtype="Float64"), pd.Series([active], dtype="Float64"), objectives,
                              pd.Series([months]), pd.Series([pd.Timestamp(review)]), CALENDAR)
    assert status.tolist() == [expected]


def test_an_unknown_objective_is_never_given_a_status_but_its_own():
    objectives = pd.DataFrame({"objectif_patients": [pd.NA], "objectif_file_active": [pd.NA],
                               "patientele_reference": [1_000.0]}).astype("Float64")
    status = cm.review_status(pd.Series([5_000.0]), pd.Series([9_000.0]), objectives, pd.Series([36]),
                              pd.Series([pd.Timestamp("2024-01-01")]), CALENDAR)
    assert status.tolist() == ["objectif_non_public"]


def test_the_calendar_is_read_from_the_reference_rules():
    assert cm.commitment_calendar() == CALENDAR


def test_reviews_stop_at_the_counting_date_and_at_the_contract_s_end():
    activity = _activity([*POOL, ("a", 2019, 1_000, 2_000), ("a", 2020, 1_100, 2_000), ("a", 2021, 1_300, 2_000)])
    contracts = _contracts([("a", "2020-03-01", "1/3")])
    reviews = cm.commitment_reviews(activity, contracts, as_of="2021-12-31", synthetic=True)
    assert reviews["mois_contrat"].tolist() == [6, 12, 18]
    ended = cm.commitment_reviews(activity, contracts.assign(date_fin=pd.Timestamp("2020-12-31")),
                                  as_of="2021-12-31", synthetic=True)
    assert ended["mois_contrat"].tolist() == [6]
    # the list at 31 December 2020 is the first one closed after the signature: seen at the 12-month review
    assert reviews.set_index("mois_contrat").loc[12, "patients_mt_observes"] == 1_100


def test_no_activity_and_one_period_doctors_are_said_in_french():
    with pytest.raises(IndicatorArgumentError, match="aucune table d'activité"):
        cm.contract_objectives(None, _contracts([("a", "2020-03-01", "1/3")]))
    # a signatory observed only after signing has no reference period: no objective (a documented empty result)
    found = cm.contract_objectives(_activity([*POOL, ("a", 2021, 1_000, 2_000)]),
                                   _contracts([("a", "2020-03-01", "1/3")]), synthetic=True)
    assert found.empty


# --- on the demo data ------------------------------------------------------------------------------------------
def test_the_demo_summary_adds_up_and_is_published_masked(demo_scope, demo_results):
    exact = registry.compute(registry.NATIONAL, "commitments", registry.Inputs.of(demo_scope.national()))
    assert exact.attrs["sources"][0] == "demo"
    france = exact[exact["dimension"] == "france"].iloc[0]
    statuses = list(cm.STATUSES)
    assert france[statuses].sum() == france["contrats_revus"] > 1_000
    # published by region, option, background, specialty and zone; not by département (`cat.COMMITMENT_DIMENSIONS`)
    assert set(exact["dimension"]) == {"france", *cat.COMMITMENT_DIMENSIONS}
    for dimension in cat.COMMITMENT_DIMENSIONS:
        assert exact.loc[exact["dimension"] == dimension, "contrats_revus"].sum() == france["contrats_revus"]
    # small regions are masked, « < 5 » and complementary cells, never shown
    summary = demo_results.commitments
    regions = summary[summary["dimension"] == "region"]
    hidden = regions[[f"{s}_secret" for s in statuses]]
    assert hidden.notna().any().any()
    assert not ((regions[statuses] > 0) & (regions[statuses] < 5)).any().any()


def test_on_the_demo_the_cnam_design_reproduces_the_published_figures_within_the_tolerance(demo_results):
    cross = demo_results.commitment_cross
    assert len(cross) == 7 and (cross["dans_la_tolerance"] == "oui").all(), cross.to_string()
    assert ce.TOLERANCE_POINTS == demo_activity.TOLERANCE_POINTS  # the tolerance the demo is calibrated to
    assert (cross["ecart"].abs() <= cross["tolerance"]).all()


def test_on_the_demo_most_signatories_are_matched_within_their_departement(demo_results):
    """The demo's activity table gives every non-signatory a département: the notes say how many signatories were
    matched in it (the others, in Corse and overseas, in their region or in France)."""
    note = next(n for n in demo_results.commitment_effect.attrs["notes"] if n.startswith("Strate d'appariement"))
    shares = {level: int(share) for level, share in re.findall(r"(même département|même région|France entière) "
                                                                 r"(\d+) %", note)}
    assert shares["même département"] >= 75 and sum(shares.values()) in (99, 100, 101), note


def test_on_the_demo_the_event_study_recovers_the_calibrated_48_month_gap(demo_results):
    """The published 48-month evolutions (+19,5 % against +6,6 %…) make a relative gap of 12,1 % for the MT list;
    the demo built it into the signatories' lists, and the estimate at 48 months (event time 4) finds it."""
    effect = demo_results.commitment_effect
    published = demo_activity.published_effects()
    at_48 = effect[(effect["dimension"] == "ensemble") & (effect["periode_evenement"] == 4)].set_index("mesure")
    for measure, indicator in (("patients_mt", "patientele_mt_evolution_pct"),
                               ("file_active", "file_active_evolution_pct"),
                               ("actes_par_jour", "actes_par_jour_evolution_pct")):
        gap = 100 * ((1 + published[f"signataires:{indicator}"] / 100)
                     / (1 + published[f"non_signataires:{indicator}"] / 100) - 1)
        assert at_48.loc[measure, "effet_pct"] == pytest.approx(gap, abs=2 * ce.TOLERANCE_POINTS)
        assert at_48.loc[measure, "ic_bas"] < at_48.loc[measure, "effet_pct"] < at_48.loc[measure, "ic_haut"]
    average = effect[(effect["dimension"] == "ensemble") & effect["periode_evenement"].isna()]
    assert (average["pretendance_p"] > 0.01).all(), "the demo has no pre-trend built in"
    options = effect[effect["dimension"] == "etp_option"].set_index("categorie")["effet_pct"]
    assert options["1/3"] < options["1/2"] < options["1"]  # the demo's stated heterogeneity, recovered


def test_the_attributable_gains_add_up_over_the_regions(demo_results):
    gains = demo_results.commitment_gains
    france = gains[gains["code"] == "FR"].iloc[0]
    regions = gains[gains["niveau"] == "region"]
    assert regions["signataires"].sum() == france["signataires"]
    assert np.isclose(regions["patients_attribuables"].sum(), france["patients_attribuables"])
    assert france["patients_attribuables_bas"] < france["patients_attribuables"] < france["patients_attribuables_haut"]


def test_without_activity_or_before_there_is_anything_to_say_the_items_do_not_apply(demo_scope):
    inputs = registry.Inputs.of(demo_scope.national())
    without = dataclasses.replace(inputs, activity=None)
    early = dataclasses.replace(inputs, as_of=pd.Timestamp("2019-10-31"))
    for name in ("commitments", "commitment_effect", "commitment_gains", "commitment_cross"):
        assert registry.compute(registry.NATIONAL, name, without) is None, name
    assert registry.compute(registry.NATIONAL, "commitments", early) is None  # no review held yet
    assert registry.compute(registry.NATIONAL, "commitment_cross", early) is None  # no 48 months observed yet


def test_the_estimate_does_not_depend_on_the_pseudonymisation_key(demo_data):
    """Another key names the same doctors otherwise (and sorts them otherwise): ties in matching distance and the
    order of the regression's sums must not follow the names, or a report rebuilt elsewhere would differ."""
    activity, contracts = demo_data.activity, demo_data.contracts
    renamed = {name: f"x{name[::-1]}" for name in pd.unique(pd.concat([activity["medecin_id"],
                                                                       contracts["medecin_id"]]).dropna())}

    def rekeyed(frame: pd.DataFrame) -> pd.DataFrame:
        result = frame.assign(medecin_id=frame["medecin_id"].map(renamed)).sort_values("medecin_id")
        result.attrs = dict(frame.attrs)
        return result

    # to the last bit: the workbook stores the exact values
    pd.testing.assert_frame_equal(ce.signing_effect(activity, contracts),
                                  ce.signing_effect(rekeyed(activity), rekeyed(contracts)), check_exact=True)
