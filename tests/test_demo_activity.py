"""The demo's synthetic activity of doctors: read like any follow-up table, joined to the demo's contracts, and
calibrated so that the published design reproduces the published 48-month figures within the stated tolerance."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from am_analytics import paths
from am_analytics.demo import activity as demo_activity
from am_analytics.demo.truth import build_truth
from am_analytics.indicators.cnam_design import published_design
from am_analytics.indicators.commitments import activity_with_contracts
from am_analytics.prepare.pipeline import prepare

# (design result, published figure) pairs: evolutions in % over 48 months
_COMPARED = [
    ("signataires", "patients_mt_evolution_pct", "patientele_mt_evolution_pct"),
    ("non_signataires", "patients_mt_evolution_pct", "patientele_mt_evolution_pct"),
    ("signataires", "file_active_evolution_pct", "file_active_evolution_pct"),
    ("non_signataires", "file_active_evolution_pct", "file_active_evolution_pct"),
    ("signataires", "actes_par_jour_evolution_pct", "actes_par_jour_evolution_pct"),
    ("non_signataires", "actes_par_jour_evolution_pct", "actes_par_jour_evolution_pct"),
]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    return prepare(paths.raw_dir(), tmp_path_factory.mktemp("processed"), key=b"demo-activity-test")


@pytest.fixture(scope="module")
def design(prepared):
    """The published design run on the prepared (pseudonymised) demo tables, as an analyst would."""
    return published_design(prepared.tables["activity"], prepared.tables["contracts"])


@pytest.mark.parametrize(("group", "measure", "indicator"), _COMPARED)
def test_the_published_48_month_figures_are_reproduced_within_the_tolerance(design, group, measure, indicator):
    published = demo_activity.published_effects()[f"{group}:{indicator}"]
    assert design[group][measure] == pytest.approx(published, abs=demo_activity.TOLERANCE_POINTS)


def test_the_signatories_start_from_the_published_mean_list(design):
    assert design["signataires"]["patients_mt_avant"] == pytest.approx(1318, rel=0.05)
    assert design["signataires"]["actes_par_jour_avant"] == pytest.approx(27.5, rel=0.05)
    assert design["signataires"]["medecins"] >= 300
    assert design["non_signataires"]["medecins"] >= demo_activity.POOL_SIZE


def test_the_file_is_read_whole_and_every_doctor_joins_the_contracts_or_the_pool(prepared):
    account = next(a for a in prepared.accounts if a.dataset == "activity")
    assert account.rows_read == account.rows_kept > 0 and account.rows_quarantined == account.rows_warned == 0
    assert account.synthetic
    joined = activity_with_contracts(prepared.tables["activity"], prepared.tables["contracts"], synthetic=True)
    assert joined.attrs["sources"] == ("demo",)
    doctors = joined.drop_duplicates("medecin_id")
    # the pool, and the few signatories whose every contract row the demo injected a defect into (quarantined)
    rejected = prepared.quarantine.query("dataset == 'contracts'")[["file", "line"]].drop_duplicates()
    assert demo_activity.POOL_SIZE <= (~doctors["signataire"]).sum() <= demo_activity.POOL_SIZE + len(rejected)
    signatories = doctors[doctors["signataire"]]
    assert (signatories["specialite"] == "medecine_generale").all()
    assert set(joined["periode"]) == {str(year) for year in demo_activity.YEARS}


def test_the_effect_grows_with_assistant_time():
    truth = build_truth(2_000, 7)
    table = demo_activity.activity_table(truth, 7)
    first = truth.sort_values("date_signature").drop_duplicates("medecin_id").set_index("medecin_id")
    change = table.pivot(index="medecin_id", columns="annee", values="patients_mt")
    signed_2020 = first[(first["date_signature"].dt.year == 2020) & (first["specialite"] == "medecine_generale")]
    growth = (change.loc[signed_2020.index, 2024] / change.loc[signed_2020.index, 2019]).groupby(
        signed_2020["etp"]).mean()
    assert growth["1/3"] < growth["1/2"] < growth["1"]


def test_same_seed_same_table_and_a_pool_in_the_signatories_departements():
    truth = build_truth(1_000, 3)
    first, again = demo_activity.activity_table(truth, 3), demo_activity.activity_table(truth, 3)
    pd.testing.assert_frame_equal(first, again)
    doctors = demo_activity.doctors(truth, 3)
    pool = doctors[doctors["date_signature"].isna()]
    assert set(pool["departement"]) <= set(truth["departement"])
    assert not set(pool["medecin_id"]) & set(truth["medecin_id"]), "a non-signatory shares a signatory's RPPS"
    assert doctors["medecin_id"].str.fullmatch(r"99\d{9}").all()


def test_the_sidecar_states_the_calibration_beside_the_published_figures():
    path = paths.raw_dir() / (demo_activity.FILE_NAME + ".provenance.json")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["synthetic"] is True and record["assumptions"]
    calibration = record["calibration"]
    assert calibration["tolerance_points"] == demo_activity.TOLERANCE_POINTS
    for group, measure, indicator in _COMPARED:
        assert abs(calibration["reproduced"][group][measure] - calibration["published"][f"{group}:{indicator}"]) \
            <= demo_activity.TOLERANCE_POINTS


def test_every_doctor_has_a_departement_a_specialty_and_a_year_of_installation(prepared):
    activity = prepared.tables["activity"]
    for column in ("departement", "region", "specialite", "annee_installation"):
        assert activity[column].notna().all(), column
    assert (activity["specialite"] == "medecine_generale").all()  # the pool is GPs, like the signatories
    years = activity["annee_installation"]
    assert years.between(1950, demo_activity.YEARS[0]).all()  # installed by the first year the table observes
    assert (activity.groupby("medecin_id")["annee_installation"].nunique() == 1).all()
    first_year = activity[activity["annee"] == demo_activity.YEARS[0]]
    # longer installed, larger list (the stated assumption)
    assert first_year["annee_installation"].corr(first_year["patients_mt"].astype(float), method="spearman") < -0.4


def test_each_signatory_s_departement_holds_non_signatories(prepared):
    joined = activity_with_contracts(prepared.tables["activity"], prepared.tables["contracts"], synthetic=True)
    doctors = joined.drop_duplicates("medecin_id")
    pool = set(doctors.loc[~doctors["signataire"], "departement"])
    signed = set(doctors.loc[doctors["signataire"], "departement"])
    assert signed <= pool, sorted(signed - pool)
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= pool  # Corse and overseas too
    # the activity table's département of a signatory is its contract's: the join has nothing to warn
    assert not [note for note in joined.attrs["notes"] if "autre département" in note]
