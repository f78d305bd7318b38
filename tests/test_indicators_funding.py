"""Funding: contract-years priced from the shipped rules, coverage of unknown rules, totals by year and region."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from am_analytics.indicators.funding import contract_years, expected_aid_by_region, expected_aid_by_year
from tests.indicator_helpers import make_contracts

AS_OF = "2025-06-30"


@pytest.fixture
def contracts():
    return make_contracts(
        [
            # 1/2 FTE: years start 1 Mar 2023 (avenant 7, 18 000), 1 Mar 2024 (still avenant 7: the 2024 raise
            # waits for the anniversary, 13 500), 1 Mar 2025 (convention 2024, year 3+: 11 000)
            {"contrat_id": "half", "date_signature": "2023-03-01", "etp_option": "1/2", "departement": "01"},
            # 1 FTE: 1 Sep 2023 (avenant 7, 36 000), 1 Sep 2024 (convention 2024, year 2: 28 000)
            {"contrat_id": "full", "date_signature": "2023-09-01", "etp_option": "1", "departement": "69"},
            # 1/3 FTE ended mid year 2: 12 000, then 9 000 × 181/365 days
            {
                "contrat_id": "third",
                "date_signature": "2022-01-01",
                "etp_option": "1/3",
                "departement": "13",
                "date_fin": "2023-07-01",
            },
            # second assistant: the amounts were not found, so unknown
            {"contrat_id": "second", "date_signature": "2024-08-01", "etp_option": "1+1/2", "departement": "75"},
        ]
    )


def test_contract_years_are_priced_by_hand(contracts):
    years = contract_years(contracts, as_of=AS_OF, synthetic=True).set_index(["contrat_id", "annee_contrat"])
    assert years.loc[("half", 1), "montant_attendu_eur"] == 18_000
    assert years.loc[("half", 2), "regime"] == "avenant_7"
    assert years.loc[("half", 2), "montant_attendu_eur"] == 13_500
    assert years.loc[("half", 3), ["regime", "tranche"]].tolist() == ["convention_2024", "3+"]
    assert years.loc[("half", 3), "montant_attendu_eur"] == 11_000
    assert years.loc[("full", 2), "montant_attendu_eur"] == 28_000
    assert years.loc[("third", 2), "fraction_annee"] == pytest.approx(181 / 365)
    assert years.loc[("third", 2), "montant_attendu_eur"] == pytest.approx(9_000 * 181 / 365)
    assert not years.loc[("second", 1), "regle_connue"]
    assert pd.isna(years.loc[("second", 1), "montant_attendu_eur"])
    assert len(years) == 3 + 2 + 2 + 1


def test_totals_by_calendar_year_of_the_contract_year_start(contracts):
    by_year = expected_aid_by_year(contracts, as_of=AS_OF, synthetic=True).set_index("annee")
    assert list(by_year.index) == list(range(2019, 2026))
    assert by_year.loc[2023, "montant_attendu_eur"] == pytest.approx(18_000 + 36_000 + 9_000 * 181 / 365, abs=0.01)
    assert by_year.loc[2024, "montant_attendu_eur"] == 13_500 + 28_000
    assert by_year.loc[2024, ["annees_contrat", "annees_contrat_regle_inconnue"]].tolist() == [3, 1]
    assert by_year.loc[2024, "couverture"] == pytest.approx(2 / 3)
    assert by_year.loc[2024, "aide_par_etp_eur"] == pytest.approx((13_500 + 28_000) / 1.5, abs=0.01)
    assert by_year.loc[2020, "annees_contrat"] == 0 and pd.isna(by_year.loc[2020, "couverture"])


def test_region_totals_add_up_to_the_year_totals(contracts):
    by_year = expected_aid_by_year(contracts, as_of=AS_OF, synthetic=True)
    by_region = expected_aid_by_region(contracts, as_of=AS_OF, synthetic=True).set_index("code")
    assert len(by_region) == 18
    assert by_region["montant_attendu_eur"].sum() == pytest.approx(by_year["montant_attendu_eur"].sum())
    assert by_region.loc["84", "montant_attendu_eur"] == 18_000 + 13_500 + 11_000 + 36_000 + 28_000
    assert by_region.loc["11", "couverture"] == 0  # only the second-assistant contract
    assert by_region.loc["94", "annees_contrat"] == 0 and pd.isna(by_region.loc["94", "aide_par_etp_eur"])
    in_2024 = expected_aid_by_region(contracts, as_of=AS_OF, synthetic=True, year=2024).set_index("code")
    assert in_2024.loc["84", "montant_attendu_eur"] == 13_500 + 28_000


def test_only_years_started_by_as_of_and_before_the_end_count():
    contracts = make_contracts(
        [
            {"contrat_id": "anniv", "date_signature": "2021-01-01", "etp_option": "1"},
            {"contrat_id": "ends_on_anniversary", "date_signature": "2021-01-01", "date_fin": "2022-01-01"},
        ]
    )
    on_anniversary = contract_years(contracts, as_of="2022-01-01", synthetic=True)
    assert on_anniversary.groupby("contrat_id").size().to_dict() == {"anniv": 2, "ends_on_anniversary": 1}
    day_before = contract_years(contracts, as_of="2021-12-31", synthetic=True)
    assert len(day_before) == 2


def test_a_leap_day_signature_has_its_anniversaries_on_28_february():
    years = contract_years(make_contracts([{"date_signature": "2020-02-29"}]), as_of="2024-03-01", synthetic=True)
    assert list(years["debut"].dt.strftime("%Y-%m-%d")) == [
        "2020-02-29",
        "2021-02-28",
        "2022-02-28",
        "2023-02-28",
        "2024-02-29",
    ]


def test_no_contracts_gives_empty_years_and_zero_totals():
    empty = make_contracts([])
    assert contract_years(empty, as_of=AS_OF, synthetic=True).empty
    totals = expected_aid_by_year(empty, as_of=AS_OF, synthetic=True)
    assert (totals["montant_attendu_eur"] == 0).all() and totals["couverture"].isna().all()
    assert totals.attrs["sources"] == ("demo", "reference")


def test_a_rule_missing_from_the_table_is_unknown_not_guessed():
    from am_analytics import reference

    rules = reference.funding_rules()
    rules = rules[~((rules["regime"] == "avenant_7") & (rules["etp_option"] == "1"))]
    years = contract_years(make_contracts([{"etp_option": "1"}]), as_of="2021-06-30", synthetic=True, rules=rules)
    assert (
        not years["regle_connue"].any()
        and np.isnan(years["montant_attendu_eur"].to_numpy(float, na_value=np.nan)).all()
    )
