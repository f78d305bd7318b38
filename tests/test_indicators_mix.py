"""Specialty, zone and FTE-option shares, overall and by signing year or quarter."""

from __future__ import annotations

import pandas as pd
import pytest

from am_analytics.indicators.mix import category_shares, etp_option_mix, specialty_mix, zone_mix
from am_analytics.vocabulary import ETP_OPTIONS, SPECIALITES, ZONES
from tests.indicator_helpers import make_contracts


def test_specialty_shares_with_a_missing_value():
    contracts = make_contracts(
        [{"specialite": "medecine_generale"}] * 3 + [{"specialite": "cardiologie"}, {"specialite": None}]
    )
    mix = specialty_mix(contracts, as_of="2021-12-31", synthetic=True).set_index("categorie")
    assert list(mix.index) == list(SPECIALITES) + ["non_renseigne"]
    assert (mix.loc["medecine_generale", "part"], mix.loc["medecine_generale", "part_parmi_renseignes"]) == (0.6, 0.75)
    assert mix.loc["non_renseigne", "effectif"] == 1 and pd.isna(mix.loc["non_renseigne", "part_parmi_renseignes"])
    assert mix.loc["pediatrie", "effectif"] == 0 and mix.loc["pediatrie", "part"] == 0
    assert mix["part"].sum() == pytest.approx(1.0)


def test_zone_shares_by_quarter_include_empty_quarters():
    contracts = make_contracts(
        [
            {"date_signature": "2019-10-01", "zone": "zip"},
            {"date_signature": "2019-11-15", "zone": "hors_zone"},
            {"date_signature": "2020-04-01", "zone": "zac"},
        ]
    )
    mix = zone_mix(contracts, as_of="2020-06-30", synthetic=False, period="trimestre")
    assert list(mix["periode"].unique()) == ["2019-T3", "2019-T4", "2020-T1", "2020-T2"]
    q4 = mix[mix["periode"] == "2019-T4"].set_index("categorie")
    assert (q4.loc["zip", "part"], q4.loc["hors_zone", "part"], q4.loc["zac", "part"]) == (0.5, 0.5, 0.0)
    assert mix[mix["periode"] == "2020-T1"]["part"].isna().all()
    assert mix.loc[mix["periode"] == "2020-T2", "debut_periode"].iloc[0] == pd.Timestamp("2020-04-01")
    assert set(mix["categorie"]) == set(ZONES) | {"non_renseigne"}


def test_etp_option_shares_by_year_and_wilson_bounds():
    contracts = make_contracts(
        [{"date_signature": "2021-03-01", "etp_option": "1/3"}, {"date_signature": "2021-03-01", "etp_option": "1"}]
    )
    mix = etp_option_mix(contracts, as_of="2021-12-31", synthetic=True, period="annee")
    year = mix[mix["periode"] == "2021"].set_index("categorie")
    assert set(year.index) == set(ETP_OPTIONS) | {"non_renseigne"}
    assert year.loc["1/3", "part"] == 0.5
    assert year.loc["1/3", "ic_bas"] < 0.5 < year.loc["1/3", "ic_haut"]


def test_active_only_counts_contracts_active_on_as_of():
    contracts = make_contracts([{"zone": "zip", "date_fin": "2021-06-30"}, {"zone": "zac"}])
    mix = category_shares(contracts, "zone", ZONES, as_of="2021-06-30", synthetic=True, active_only=True)
    assert mix.set_index("categorie").loc["zac", "part"] == 1.0


def test_no_contracts_gives_zero_counts_and_missing_shares():
    mix = specialty_mix(make_contracts([]), as_of="2021-12-31", synthetic=True)
    assert (mix["effectif"] == 0).all() and mix["part"].isna().all()
