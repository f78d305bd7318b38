"""Every indicator says where its inputs come from, carries its as-of date, and copes with no contracts."""

from __future__ import annotations

import pytest

from am_analytics import indicators
from am_analytics.indicators.methods import METHODS, methods_markdown
from tests.indicator_helpers import make_contracts

USES_REFERENCE = {
    indicators.target_progress,
    indicators.target_projections,
    indicators.published_cross_check,
    indicators.by_region,
    indicators.by_departement,
    indicators.national_totals,
    indicators.contract_years,
    indicators.expected_aid_by_year,
    indicators.expected_aid_by_region,
}
CONTRACT_INDICATORS = [
    indicators.monthly_series,
    indicators.target_progress,
    indicators.target_projections,
    indicators.published_cross_check,
    indicators.by_region,
    indicators.by_departement,
    indicators.national_totals,
    indicators.background_counts_by_region,
    indicators.background_shares_by_region,
    indicators.region_background_independence,
    indicators.background_mix_by_year,
    indicators.specialty_mix,
    indicators.zone_mix,
    indicators.etp_option_mix,
    indicators.contract_years,
    indicators.expected_aid_by_year,
    indicators.expected_aid_by_region,
    indicators.training_status,
    indicators.overdue_by_region,
    indicators.overdue_by_background,
]


@pytest.mark.parametrize("function", CONTRACT_INDICATORS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("synthetic", [True, False])
@pytest.mark.parametrize("rows", [[], [{"date_fin": "2024-01-01"}, {"departement": "976"}]], ids=["empty", "two"])
def test_every_indicator_labels_its_sources_and_as_of(function, synthetic, rows):
    frame = function(make_contracts(rows), as_of="2024-01-01", synthetic=synthetic)
    expected = ("demo" if synthetic else "extract",) + (("reference",) if function in USES_REFERENCE else ())
    assert frame.attrs["sources"] == expected
    assert frame.attrs["as_of"] == "2024-01-01"
    assert indicators.is_synthetic(frame) is synthetic


@pytest.mark.parametrize("function", CONTRACT_INDICATORS, ids=lambda f: f.__name__)
def test_synthetic_is_asked_for_in_french_when_neither_the_call_nor_the_data_says(function):
    with pytest.raises(ValueError, match="synthetic=True ou synthetic=False"):
        function(make_contracts([]), as_of="2024-01-01")


@pytest.mark.parametrize("function", CONTRACT_INDICATORS, ids=lambda f: f.__name__)
def test_synthetic_is_read_from_the_data_when_not_given(function):
    contracts = make_contracts([{"date_signature": "2023-05-02"}])
    contracts.attrs["synthetic"] = True
    assert indicators.is_synthetic(function(contracts, as_of="2024-01-01"))
    assert not indicators.is_synthetic(function(contracts, as_of="2024-01-01", synthetic=False)), "the call wins"


def test_methods_page_is_french_and_covers_every_indicator_family():
    assert {
        "contrats_actifs",
        "objectifs",
        "projection",
        "territoires",
        "profils",
        "repartitions",
        "financement",
        "formation",
        "qualite",
    } <= set(METHODS)
    page = methods_markdown()
    assert page.count("## ") == len(METHODS) and "date d'arrêté" in page
