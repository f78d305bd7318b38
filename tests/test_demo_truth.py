"""Synthetic identifiers can never be real people; Mayotte is weighted without inventing a population."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from am_analytics import reference
from am_analytics.demo import build_truth, calibration
from am_analytics.demo import truth as truth_module


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    return build_truth(3000, 11)


def test_rpps_are_11_digits_with_the_unused_99_prefix(truth):
    ids = truth["medecin_id"]
    assert ids.str.fullmatch(r"99\d{9}").all(), "un identifiant n'a pas la forme 99 + 9 chiffres"


def test_rpps_carry_a_valid_luhn_check_digit(truth):
    numbers = truth["medecin_id"].astype("int64").to_numpy()
    bodies, check = numbers // 10, numbers % 10
    assert np.array_equal(truth_module.luhn_check_digit(bodies, 10), check)


def test_luhn_check_digit_of_a_known_number():
    assert truth_module.luhn_check_digit(np.asarray([7992739871]), 10)[0] == 3  # textbook example


def test_distinct_doctors_get_distinct_rpps():
    ids = truth_module.synthetic_rpps(np.arange(200_000), seed=1)
    assert len(set(ids)) == 200_000


def test_mayotte_weight_comes_from_its_doctor_count_not_an_invented_population():
    assert pd.isna(reference.population("departement").set_index("code").loc["976", "population_municipale"])
    weights = calibration.departement_weights(seed=1).set_index("code")
    mayotte = weights.loc["976"]
    doctors = reference.doctors("departement").set_index("code")["medecins_effectif"].astype(float)
    estimated = reference.estimated_generalists("departement").set_index("code")["generalistes_estimes"].astype(float)
    expected = estimated.drop("976").sum() * doctors["976"] / doctors.drop("976").sum()
    assert mayotte["basis"] == pytest.approx(expected)
    assert "Mayotte" in mayotte["basis_method"]
    assert 0 < mayotte["share"] < 0.005


def test_mayotte_receives_a_few_contracts(truth):
    assert 0 < truth["departement"].eq("976").sum() < 30


def test_every_departement_share_is_positive_and_they_sum_to_one():
    weights = calibration.departement_weights(seed=3)
    assert len(weights) == 101
    assert (weights["share"] > 0).all()
    assert weights["share"].sum() == pytest.approx(1.0)


def test_contract_ends_never_precede_signature_in_the_truth(truth):
    ended = truth[truth["date_fin"].notna()]
    assert (ended["date_fin"] >= ended["date_signature"]).all()


def test_taking_up_the_post_follows_signature_within_weeks(truth):
    delay = (truth["date_prise_fonction"] - truth["date_signature"]).dt.days.dropna()
    assert delay.min() >= 0
    assert 10 <= delay.mean() <= 45


def test_some_assistants_are_past_their_training_deadline(truth):
    years = (pd.Timestamp(calibration.EXTRACTION_DATE) - truth["date_prise_fonction"]).dt.days / 365.25
    overdue = (years > 3) & truth["formation"].isin(["cqp_en_cours", "aucune"])
    assert overdue.sum() > 0


def test_canonical_categories_only(truth):
    from am_analytics.vocabulary import ETP_OPTIONS, FORMATIONS, PROFILS, SPECIALITES, ZONES

    assert set(truth["etp"]) <= set(ETP_OPTIONS)
    assert set(truth["specialite"]) <= set(SPECIALITES)
    assert set(truth["zone"].dropna()) <= set(ZONES)
    assert set(truth["profil_origine"]) <= set(PROFILS)
    assert set(truth["formation"].dropna()) <= set(FORMATIONS)
    assert set(truth["departement"]) <= set(reference.departements()["code"])
