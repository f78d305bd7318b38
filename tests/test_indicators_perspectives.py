"""Perspectives to 2029: projected signatures and the CPAM spending the current rules give them, on small frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from am_analytics import indicators as ind
from tests.indicator_helpers import monthly_signatures

STEADY = {f"2024-{month:02d}": 10 for month in range(1, 13)}  # 10 contracts signed every month of 2024


def test_a_steady_series_projects_the_same_flow_every_month_with_a_collapsed_band():
    contracts = monthly_signatures(STEADY, etp_option="1/2")
    projected = ind.projected_signatures(contracts, as_of="2024-12-31", synthetic=True)
    assert projected["mois"].iloc[0] == pd.Timestamp("2025-01-01")
    assert projected["mois"].iloc[-1] == pd.Timestamp("2029-12-01")
    assert np.allclose(projected["signes_projetes"], 10.0)
    assert np.allclose(projected["cumul_projete"].iloc[-1], 120 + 60 * 10)
    assert np.allclose(projected["cumul_projete_bas"], projected["cumul_projete_haut"])


def test_a_short_series_is_not_projected_and_says_why():
    contracts = monthly_signatures({"2019-09": 3, "2019-10": 4, "2019-11": 5})  # 4 complete months by December
    projected = ind.projected_signatures(contracts, as_of="2019-12-31", synthetic=True)
    assert projected.empty and "non calculable" in projected.attrs["reason"]
    spending = ind.projected_spending(contracts, as_of="2019-12-31", synthetic=True)
    assert "montant_nouveaux_eur" not in spending.columns and spending.attrs["reason"]


def test_signed_contracts_are_priced_by_the_rules_of_each_contract_year():
    # one 1/2-FTE contract signed on 15 January 2025: year 1 (2025) then year 2 (2026), convention 2024 rules
    contracts = monthly_signatures({"2025-01": 1}, etp_option="1/2")
    contracts["date_signature"] = pd.Timestamp("2025-01-15")
    spending = ind.projected_spending(contracts, as_of="2025-01-31", synthetic=True).set_index("annee")
    assert spending.loc["2025", "montant_contrats_signes_eur"] == pytest.approx(19_000)
    assert spending.loc["2026", "montant_contrats_signes_eur"] == pytest.approx(14_000)
    assert spending.loc["2029", "montant_contrats_signes_eur"] == pytest.approx(11_000)


def test_projected_spending_adds_new_contracts_within_their_band():
    contracts = monthly_signatures({**STEADY, "2024-06": 14, "2024-09": 6}, etp_option="1")
    spending = ind.projected_spending(contracts, as_of="2024-12-31", synthetic=True)
    # 2024 is over on 31 December 2024: observed (expected_aid_by_year), never projected a second time
    assert list(spending["annee"]) == ["2025", "2026", "2027", "2028", "2029"]
    assert (spending["montant_total_bas_eur"] <= spending["montant_total_eur"] + 1e-6).all()
    assert (spending["montant_total_eur"] <= spending["montant_total_haut_eur"] + 1e-6).all()
    assert (spending["statut"] == "projection").all()
    # 2025: ten 1-FTE contracts a month in their first year, at 38 000 € each under the 2024 convention
    first = spending.set_index("annee").loc["2025"]
    assert first["montant_nouveaux_eur"] == pytest.approx(first["nouveaux_contrats"] * 38_000, rel=1e-6)


def test_options_without_a_published_amount_are_counted_as_coverage_never_priced():
    contracts = monthly_signatures(STEADY, etp_option="1+1/2")
    spending = ind.projected_spending(contracts, as_of="2024-12-31", synthetic=True)
    assert (spending["montant_nouveaux_eur"] == 0).all()
    assert (spending["couverture"] < 1).all()


def test_a_year_over_at_the_counting_date_is_not_projected():
    contracts = monthly_signatures({**STEADY, "2024-06": 14, "2024-09": 6}, etp_option="1")
    assert ind.projected_spending(contracts, as_of="2024-12-31", synthetic=True)["annee"].iloc[0] == "2025"
    assert ind.projected_spending(contracts, as_of="2024-12-30", synthetic=True)["annee"].iloc[0] == "2024"
