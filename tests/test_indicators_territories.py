"""Territories: every region and département, rates with missing denominators, totals that add up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from am_analytics import reference
from am_analytics.indicators.territories import COUNT_COLUMNS, by_departement, by_region, national_totals
from tests.indicator_helpers import make_contracts

AS_OF = "2022-06-30"


@pytest.fixture
def contracts():
    return make_contracts(
        [
            {"departement": "01", "date_signature": "2020-03-01", "etp_option": "1"},  # active a year ago and now
            {"departement": "01", "date_signature": "2022-01-10", "specialite": "cardiologie"},
            {"departement": "69", "date_signature": "2021-09-01", "etp_option": "1/3"},
            {"departement": "75", "date_signature": "2021-02-01", "date_fin": AS_OF},  # ends on as_of
            {"departement": "976", "date_signature": "2021-12-01"},  # Mayotte: no population
        ]
    )


def test_every_territory_appears_even_without_contracts(contracts):
    departements = by_departement(contracts, as_of=AS_OF, synthetic=True)
    regions = by_region(contracts, as_of=AS_OF, synthetic=True)
    assert list(departements["code"]) == list(reference.departements()["code"])
    assert list(regions["code"]) == list(reference.regions()["region_code"])
    corsica = regions.set_index("code").loc["94"]
    assert (corsica["signes"], corsica["actifs"], corsica["etp_actifs"]) == (0, 0, 0.0)
    assert corsica["actifs_pour_100k_hab"] == 0  # a real zero: the population is known


def test_departement_counts_and_rates_by_hand(contracts):
    table = by_departement(contracts, as_of=AS_OF, synthetic=True).set_index("code")
    ain = table.loc["01"]
    assert (ain["signes"], ain["actifs"], ain["etp_actifs"], ain["actifs_mg"]) == (2, 2, 1.5, 1)
    population = 679_344  # INSEE PL2023, Ain
    assert ain["population"] == population
    assert ain["actifs_pour_100k_hab"] == pytest.approx(2 / population * 100_000)
    assert ain["etp_actifs_pour_100k_hab"] == pytest.approx(1.5 / population * 100_000)
    gps = reference.estimated_generalists().set_index("code").loc["01", "generalistes_estimes"]
    assert ain["actifs_mg_pour_100_mg_estimes"] == pytest.approx(1 / gps * 100)
    assert ain["part_nationale_actifs"] == pytest.approx(2 / 4)  # 4 active nationally (Paris ended)
    assert ain["part_nationale_signes"] == pytest.approx(2 / 5)
    paris = table.loc["75"]
    assert (paris["signes"], paris["actifs"]) == (1, 0)


def test_mayotte_rates_stay_missing_never_zero(contracts):
    for table in (
        by_departement(contracts, as_of=AS_OF, synthetic=True).set_index("code").loc["976"],
        by_region(contracts, as_of=AS_OF, synthetic=True).set_index("code").loc["06"],
    ):
        assert table["actifs"] == 1
        assert pd.isna(table["population"]) and pd.isna(table["generalistes_estimes"])
        assert pd.isna(table["actifs_pour_100k_hab"]) and pd.isna(table["actifs_mg_pour_100_mg_estimes"])


def test_growth_over_twelve_months_by_hand(contracts):
    ain = by_departement(contracts, as_of=AS_OF, synthetic=True).set_index("code").loc["01"]
    # active on 30 June 2021: the 2020 contract only; now 2 → +100 %
    assert ain["actifs_il_y_a_12_mois"] == 1 and ain["croissance_actifs_12m"] == pytest.approx(1.0)
    # signed 1 Jul 2021 – 30 Jun 2022: 1; 1 Jul 2020 – 30 Jun 2021: 0 → growth undefined, not infinite
    assert ain["signes_12_derniers_mois"] == 1 and ain["signes_12_mois_precedents"] == 0
    assert pd.isna(ain["croissance_signatures_12m"])
    paris = by_departement(contracts, as_of=AS_OF, synthetic=True).set_index("code").loc["75"]
    assert paris["croissance_actifs_12m"] == pytest.approx(-1.0)


def _random_contracts(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = reference.departements()["code"].to_numpy()[rng.integers(0, 101, n)]
    signature = pd.Timestamp("2019-09-01") + pd.to_timedelta(rng.integers(0, 1800, n), unit="D")
    ends = signature + pd.to_timedelta(rng.integers(30, 2000, n), unit="D")
    ends = ends.where(rng.random(n) < 0.3)
    return make_contracts(
        {
            "departement": codes[i],
            "date_signature": signature[i],
            "date_fin": ends[i],
            "etp_option": ["1/3", "1/2", "1", "1+1"][rng.integers(0, 4)],
            "specialite": ["medecine_generale", "cardiologie", None][rng.integers(0, 3)],
        }
        for i in range(n)
    )


def test_regions_are_the_sums_of_their_departements_and_france_of_its_regions():
    contracts = _random_contracts(600)
    departements = by_departement(contracts, as_of="2023-12-31", synthetic=True)
    regions = by_region(contracts, as_of="2023-12-31", synthetic=True).set_index("code")
    national = national_totals(contracts, as_of="2023-12-31", synthetic=True).iloc[0]
    summed = departements.groupby("region_code")[COUNT_COLUMNS].sum()
    for column in COUNT_COLUMNS:
        assert np.allclose(summed[column].to_numpy(float), regions.loc[summed.index, column].to_numpy(float)), column
        assert national[column] == pytest.approx(float(regions[column].sum())), column
    assert national["signes"] == (contracts["date_signature"] <= "2023-12-31").sum()
    assert regions["part_nationale_actifs"].sum() == pytest.approx(1.0)


def test_national_rates_leave_out_territories_without_a_denominator(contracts):
    national = national_totals(contracts, as_of=AS_OF, synthetic=True).iloc[0]
    population = reference.population("region")["population_municipale"].sum()  # without Mayotte
    assert national["code"] == "FR" and national["actifs"] == 4
    assert national["population"] == population
    assert national["actifs_pour_100k_hab"] == pytest.approx(3 / population * 100_000)  # Mayotte's one left out


def test_no_contracts_gives_zero_counts_and_missing_shares():
    table = by_region(make_contracts([]), as_of=AS_OF, synthetic=False)
    assert len(table) == 18
    assert (table["signes"] == 0).all() and table["part_nationale_actifs"].isna().all()
    assert table.attrs["sources"] == ("extract", "reference")


def test_gp_rates_are_labelled_as_estimates(contracts):
    table = by_region(contracts, as_of=AS_OF, synthetic=True)
    assert any("estimation" in note for note in table.attrs["notes"])
    assert "generalistes_estimes" in table and "actifs_mg_pour_100_mg_estimes" in table
