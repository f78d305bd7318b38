"""The estimator of the effect of signing, on synthetic panels whose effect is known: its 95 % interval covers the
true effect at its stated rate (zero effect included, at several sizes), and its pre-trend test flags a panel
built with a pre-trend. Then the design on the package's tables: clear French errors where nothing can be
estimated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from am_analytics.indicators import commitment_effect as ce
from am_analytics.indicators.common import IndicatorArgumentError

PERIODS = np.arange(2016, 2024)


def simulated_panel(signatories: int, effect: float, seed: int, *, pretrend: float = 0.0,
                    pool: int | None = None) -> pd.DataFrame:
    """A stacked panel as `stacked_panel` builds it: each signatory (log list around 7, own level, noise 5 %)
    signs in 2019–2021 and gains `effect` log points from the period after its signature period (half of it in
    the signature period); `pretrend` log points a period before it (a drift the controls do not share). Its
    control is drawn from a pool smaller than the signatories (reused, as in the demo), observed over the same
    calendar periods; every doctor shares a common trend."""
    rng = np.random.default_rng(seed)
    pool = pool or max(signatories // 2, 10)
    periods = len(PERIODS)
    trend = 0.02 * np.arange(periods)
    shock = rng.normal(0, 0.05, (pool, periods))
    pool_y = rng.normal(7, 0.3, (pool, 1)) + trend + shock
    signed = rng.integers(2019, 2022, signatories)
    k = PERIODS[None, :] - signed[:, None]
    own = rng.normal(7, 0.3, (signatories, 1)) + trend + rng.normal(0, 0.05, (signatories, periods))
    own = own + effect * np.where(k >= 1, 1.0, np.where(k == 0, 0.5, 0.0)) + pretrend * np.minimum(k + 1, 0)
    control = rng.integers(0, pool, signatories)
    frames = [
        pd.DataFrame({"pile": np.repeat(np.arange(signatories), periods), "medecin_id": np.repeat(
            np.arange(signatories), periods), "periode": np.tile(PERIODS, signatories), "periode_evenement": k.ravel(),
            "traite": 1, "y": own.ravel()}),
        pd.DataFrame({"pile": np.repeat(np.arange(signatories), periods), "medecin_id": np.repeat(
            signatories + control, periods), "periode": np.tile(PERIODS, signatories), "periode_evenement": k.ravel(),
            "traite": 0, "y": pool_y[control].ravel()}),
    ]
    return pd.concat(frames, ignore_index=True)


# 3 sizes × 2 effects × 12 replications: 72 intervals. Coverage is binomial (72, 0.95): sd = √(0.95 × 0.05 / 72)
# = 2,6 points; three sd below 95 % (87,3 %) is the floor a correct interval passes with probability 99,9 %.
SIZES = (30, 60, 120)
EFFECTS = (0.0, 0.10)
REPLICATIONS = 12


@pytest.fixture(scope="module")
def intervals():
    rows = []
    for size in SIZES:
        for effect in EFFECTS:
            for replication in range(REPLICATIONS):
                found = ce.estimate(simulated_panel(size, effect, seed=1_000 * size + 10 * replication + int(
                    100 * effect))).after
                rows.append((size, effect, found["ic_bas"], found["coefficient"], found["ic_haut"]))
    return pd.DataFrame(rows, columns=["taille", "effet", "bas", "estimation", "haut"])


def test_the_interval_covers_the_true_effect_at_its_stated_rate(intervals):
    covered = ((intervals["bas"] <= intervals["effet"]) & (intervals["effet"] <= intervals["haut"])).mean()
    n = len(intervals)
    floor = ce.LEVEL - 3 * np.sqrt(ce.LEVEL * (1 - ce.LEVEL) / n)
    assert floor <= covered <= 1.0, f"couverture {covered:.1%} sur {n} intervalles"


def test_a_zero_effect_is_not_found_and_a_real_one_is(intervals):
    mean = intervals.groupby("effet")["estimation"].mean()
    assert abs(mean[0.0]) < 0.01 and abs(mean[0.10] - 0.10) < 0.01
    largest = intervals[(intervals["taille"] == max(SIZES)) & (intervals["effet"] == 0.10)]
    assert (largest["bas"] > 0).all(), "a 10 % effect on 120 signatories is always detected"


def test_intervals_narrow_as_the_panel_grows(intervals):
    width = (intervals["haut"] - intervals["bas"]).groupby(intervals["taille"]).mean()
    assert width[SIZES[0]] > width[SIZES[1]] > width[SIZES[2]]


def test_the_pretrend_check_flags_a_built_in_pretrend_and_passes_a_clean_panel():
    drifting = ce.estimate(simulated_panel(120, 0.10, seed=7, pretrend=0.03))
    clean = ce.estimate(simulated_panel(120, 0.10, seed=7))
    assert drifting.pretrend_p < 0.001 and drifting.pretrend_df >= 2
    assert clean.pretrend_p > 0.01


def test_the_event_study_traces_the_effect_period_by_period():
    found = ce.estimate(simulated_panel(120, 0.10, seed=11)).event_times.set_index("periode_evenement")
    assert found.loc[0, "coefficient"] == pytest.approx(0.05, abs=0.02)
    assert found.loc[[1, 2], "coefficient"].to_numpy() == pytest.approx([0.10, 0.10], abs=0.02)
    assert found.loc[[-3, -2], "coefficient"].abs().max() < 0.02


def test_by_group_each_group_gets_its_own_effect():
    panel = simulated_panel(120, 0.10, seed=5)
    small = simulated_panel(120, 0.02, seed=6).assign(pile=lambda p: p["pile"] + 1_000,
                                                      medecin_id=lambda p: p["medecin_id"] + 1_000)
    both = pd.concat([panel, small], ignore_index=True)
    groups = pd.Series(["fort"] * 120 + ["faible"] * 120, index=[*range(120), *range(1_000, 1_120)])
    found = ce.estimate_by(both, groups)
    assert found["fort"].after["coefficient"] == pytest.approx(0.10, abs=0.02)
    assert found["faible"].after["coefficient"] == pytest.approx(0.02, abs=0.02)


def test_panels_that_cannot_say_anything_are_refused_in_french():
    panel = simulated_panel(30, 0.1, seed=1)
    with pytest.raises(IndicatorArgumentError, match="aucun non-signataire"):
        ce.estimate(panel[panel["traite"] == 1])
    with pytest.raises(IndicatorArgumentError, match="une période"):
        ce.estimate(panel.drop_duplicates(["medecin_id"]))
    with pytest.raises(IndicatorArgumentError, match="signataires seulement"):
        ce.estimate(simulated_panel(10, 0.1, seed=1))
    with pytest.raises(IndicatorArgumentError, match="aucune table d'activité"):
        ce.signing_effect(None, pd.DataFrame())


# --- Matching: within specialty and département when the pool allows, then region, then France ----------------
def _doctors(rows: list[tuple[str, bool, float, str, str, str, int]]) -> pd.DataFrame:
    """A matching frame as `effect_panel` builds it, one period (2019): (id, signatory, MT-list percentile,
    specialty, département, region, year of installation); signatories at event time −1."""
    frame = pd.DataFrame(rows, columns=["medecin_id", "signataire", "percentile", "specialite", "departement",
                                        "region", "annee_installation"])
    return frame.assign(periode="2019", periode_evenement=pd.array(
        [-1 if signed else pd.NA for signed in frame["signataire"]], dtype="Int64"))


def _pool(prefix: str, count: int, percentile: float, departement: str, region: str, *,
          specialty: str = "medecine_generale", installed: int = 2005) -> list[tuple]:
    return [(f"{prefix}{i}", False, percentile + i, specialty, departement, region, installed) for i in range(count)]


# Bretagne: ten GPs in Ille-et-Vilaine far on the percentile, ten in Finistère and ten cardiologists in
# Ille-et-Vilaine exactly at it, two GPs in Côtes-d'Armor; nobody in Guadeloupe.
POOL_53 = [*_pool("ille", 10, 70, "35", "53"), *_pool("fini", 10, 50, "29", "53"),
           *_pool("card", 10, 50, "35", "53", specialty="cardiologie"), *_pool("cote", 2, 90, "22", "53")]


def test_a_control_is_drawn_in_the_signatory_s_specialty_and_departement_when_the_pool_allows():
    pairs = ce.match_controls(_doctors([("s35", True, 50, "medecine_generale", "35", "53", 2005), *POOL_53]))
    pair = pairs.set_index("medecin_id").loc["s35"]
    # the nearest on the percentile alone would be a Finistère GP or an Ille-et-Vilaine cardiologist (distance 0)
    assert (pair["temoin_id"], pair["strate"]) == ("ille0", "departement")
    assert pair["distance"] == 20


def test_too_few_candidates_in_the_departement_fall_back_to_the_region_then_to_france():
    pairs = ce.match_controls(_doctors([("s22", True, 50, "medecine_generale", "22", "53", 2005),
                                        ("s971", True, 50, "medecine_generale", "971", "01", 2005), *POOL_53]))
    found = pairs.set_index("medecin_id")
    assert found.loc["s22", "strate"] == "region" and found.loc["s22", "temoin_id"] == "fini0"
    assert found.loc["s971", "strate"] == "france" and found.loc["s971", "temoin_id"] == "fini0"
    assert ce._strata_summary(pairs) == "même région 50 %, France entière 50 %"


def test_the_years_installed_count_in_the_distance():
    pool = [("early", False, 61, "medecine_generale", "35", "53", 2005),
            ("alike", False, 64, "medecine_generale", "35", "53", 1990),
            *_pool("far", 8, 90, "35", "53")]
    doctors = _doctors([("s", True, 62, "medecine_generale", "35", "53", 1990), *pool])
    assert ce.match_controls(doctors)["temoin_id"].item() == "alike"  # 2 points away, against 1 + 2 × 15
    without = doctors.drop(columns="annee_installation")
    assert ce.match_controls(without)["temoin_id"].item() == "early"


def test_without_the_pool_s_departement_every_signatory_is_matched_in_france():
    doctors = _doctors([("s35", True, 50, "medecine_generale", "35", "53", 2005), *POOL_53])
    doctors.loc[~doctors["signataire"], ["departement", "region"]] = None
    pairs = ce.match_controls(doctors)
    assert pairs["strate"].tolist() == ["france"] and pairs["temoin_id"].item() == "fini0"
