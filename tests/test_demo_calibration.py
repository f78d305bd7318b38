"""The synthetic truth meets the published national figures it is calibrated on."""

from __future__ import annotations

import pandas as pd
import pytest

from am_analytics.demo import DEFAULT_CONTRACTS, DEFAULT_SEED, build_truth, calibration
from am_analytics.vocabulary import CONVENTION_2024, ONE_THIRD_CLOSED, SECOND_ASSISTANT_OPTIONS


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    return build_truth(DEFAULT_CONTRACTS, DEFAULT_SEED)


def _signed_by(truth, day):
    return truth[truth["date_signature"] <= pd.Timestamp(day)]


def _share(frame, column, values) -> float:
    return 100 * frame[column].isin(values).mean()


def test_cumulative_count_within_3_percent_of_every_exact_national_milestone(truth):
    milestones = calibration.national_milestones()
    assert len(milestones) == 8
    for day, published in zip(milestones["reference_date"], milestones["value"], strict=True):
        count = len(_signed_by(truth, day))
        assert abs(count / published - 1) <= 0.03, f"{day:%d/%m/%Y}: {count} contrats vs {published:.0f} publiés"


def test_all_contracts_signed_between_scheme_start_and_extraction(truth):
    assert truth["date_signature"].min() >= pd.Timestamp(2019, 9, 1)
    assert truth["date_signature"].max() <= pd.Timestamp(calibration.EXTRACTION_DATE)


@pytest.mark.parametrize(
    ("day", "published"), [("2021-01-21", 82.0), ("2022-05-28", 78.4), ("2023-11-11", 75.9), ("2024-10-31", 73.0)]
)
def test_gp_share_drifts_from_82_to_73_percent(truth, day, published):
    # ±2 points: the cumulative share is stratified by signing date, so only a few contracts of noise remain
    share = _share(_signed_by(truth, day), "specialite", ["medecine_generale"])
    assert abs(share - published) <= 2, f"{day}: {share:.1f} % de généralistes vs {published} %"


@pytest.mark.parametrize("day", ["2021-01-21", "2022-05-28", "2023-11-11", "2024-10-31", "2025-06-30"])
def test_zone_sous_dense_share_stays_between_52_and_59_percent(truth, day):
    share = _share(_signed_by(truth, day), "zone", ["zip", "zac"])
    assert 51.5 <= share <= 59.5, f"{day}: {share:.1f} % en zone sous-dense"


def test_fte_one_third_about_a_third_then_never_after_1_may_2023(truth):
    before = truth[truth["date_signature"] < pd.Timestamp(ONE_THIRD_CLOSED)]
    after = truth[truth["date_signature"] >= pd.Timestamp(ONE_THIRD_CLOSED)]
    assert 27 <= _share(before, "etp", ["1/3"]) <= 35
    assert 45 <= _share(before, "etp", ["1/2"]) <= 53
    assert not after["etp"].eq("1/3").any()


def test_published_fte_mix_of_january_2021_is_met(truth):
    signed = _signed_by(truth, "2021-01-21")
    for option, published in (("1/3", 32), ("1/2", 49), ("1", 19)):
        assert abs(_share(signed, "etp", [option]) - published) <= 2


def test_second_assistant_options_only_from_22_june_2024(truth):
    second = truth[truth["etp"].isin(SECOND_ASSISTANT_OPTIONS)]
    assert len(second) > 0
    assert second["date_signature"].min() >= pd.Timestamp(CONVENTION_2024)


def test_second_assistant_contracts_go_to_doctors_with_a_two_year_old_contract(truth):
    second = truth[truth["etp"].isin(SECOND_ASSISTANT_OPTIONS)]
    earlier = truth[~truth["etp"].isin(SECOND_ASSISTANT_OPTIONS)].groupby("medecin_id")["date_signature"].min()
    first_signed = second["medecin_id"].map(earlier)
    assert first_signed.notna().all()
    assert (second["date_signature"] - first_signed >= pd.Timedelta(days=730)).all()


@pytest.mark.parametrize(
    ("profil", "published", "tolerance"),
    [("secretaire_medicale", 54, 3), ("infirmier", 9, 1.5), ("aide_soignant", 4, 1.5)],
)
def test_backgrounds_match_october_2024(truth, profil, published, tolerance):
    share = _share(_signed_by(truth, "2024-10-31"), "profil_origine", [profil])
    assert abs(share - published) <= tolerance, f"{profil}: {share:.1f} % vs {published} %"


@pytest.mark.parametrize(
    ("code", "day", "published"),
    [("93", "2022-05-28", 113), ("31", "2022-05-28", 103), ("30", "2022-05-28", 77), ("75", "2024-04-15", 200)],
)
def test_published_departement_counts_are_roughly_respected(truth, code, day, published):
    count = int(_signed_by(truth, day)["departement"].eq(code).sum())
    assert abs(count / published - 1) <= 0.2, f"{code} au {day}: {count} vs {published}"


def test_some_doctors_hold_several_contracts(truth):
    per_doctor = truth["medecin_id"].value_counts()
    assert (per_doctor > 1).sum() > 100
