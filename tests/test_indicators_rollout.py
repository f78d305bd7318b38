"""Rollout: counts as of a date, monthly series, target progress, projection and the published cross-check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from am_analytics.indicators import rollout
from am_analytics.indicators.rollout import (
    counts_at,
    monthly_series,
    project_reach_date,
    published_cross_check,
    target_progress,
    target_projections,
)
from am_analytics.vocabulary import TARGET_STATUS_LABELS
from tests.indicator_helpers import make_contracts, monthly_signatures


def _targets(*rows):
    frame = pd.DataFrame(rows, columns=["target_id", "indicator", "value", "unit", "deadline", "set_by", "source"])
    frame["deadline"] = pd.to_datetime(frame["deadline"])
    return frame


# --- Active convention -----------------------------------------------------------------------------


def test_a_contract_ending_on_the_as_of_date_is_not_active_that_day():
    contracts = make_contracts(
        [
            {"date_signature": "2021-01-01", "date_fin": "2021-06-30"},  # ends on as_of: not active
            {"date_signature": "2021-01-01", "date_fin": "2021-07-01"},  # ends the day after: active
            {"date_signature": "2021-06-30"},  # signed on as_of: signed and active
        ]
    )
    on_day = counts_at(contracts, ["2021-06-30"], synthetic=True).iloc[0]
    assert (on_day["signes_cumul"], on_day["actifs"], on_day["etp_actifs"]) == (3, 2, 1.0)
    day_before = counts_at(contracts, ["2021-06-29"], synthetic=True).iloc[0]
    assert (day_before["signes_cumul"], day_before["actifs"]) == (2, 2)


def test_monthly_series_counts_by_hand():
    contracts = make_contracts(
        [
            {"date_signature": "2019-09-10", "etp_option": "1/2"},
            {"date_signature": "2019-10-05", "etp_option": "1"},
            {"date_signature": "2019-10-20", "etp_option": "1/3", "date_fin": "2019-11-30"},
        ]
    )
    series = monthly_series(contracts, as_of="2019-11-30", synthetic=True)
    assert list(series["mois"].dt.strftime("%Y-%m")) == ["2019-09", "2019-10", "2019-11"]
    assert list(series["signes_mois"]) == [1, 2, 0]
    assert list(series["signes_cumul"]) == [1, 3, 3]
    assert list(series["actifs"]) == [1, 3, 2]  # the 1/3 contract ended on 30 November
    assert series["etp_actifs"].tolist() == pytest.approx([0.5, 1.5 + 1 / 3, 1.5])
    assert series["etp_signes_cumul"].tolist() == pytest.approx([0.5, 1.5 + 1 / 3, 1.5 + 1 / 3])
    assert series["mois_complet"].all()


def test_monthly_series_current_month_stops_at_as_of():
    contracts = make_contracts([{"date_signature": "2019-11-20"}])
    series = monthly_series(contracts, as_of="2019-11-15", synthetic=False)
    last = series.iloc[-1]
    assert last["fin_de_periode"] == pd.Timestamp("2019-11-15")
    assert not last["mois_complet"]
    assert last["signes_cumul"] == 0


def test_monthly_series_of_no_contracts_is_all_zero_from_the_scheme_start():
    series = monthly_series(make_contracts([]), as_of="2020-02-10", synthetic=True)
    assert len(series) == 6  # September 2019 to February 2020
    assert series[["signes_mois", "signes_cumul", "actifs"]].to_numpy().sum() == 0


# --- Targets ---------------------------------------------------------------------------------------

THREE_CONTRACTS = [
    {"date_signature": "2020-01-10"},
    {"date_signature": "2020-03-05"},
    {"date_signature": "2020-06-01"},
]


def test_target_progress_by_hand():
    contracts = make_contracts(THREE_CONTRACTS)
    targets = _targets(
        ("late", "contrats_signes", 2, "postes", "2020-02-29", "x", "s"),
        ("ahead", "contrats_signes", 3, "postes", "2020-12-31", "x", "s"),
        ("missed", "contrats_signes", 10, "postes", "2020-12-31", "x", "s"),
        ("future", "contrats_signes", 10, "postes", "2022-12-31", "x", "s"),
        ("fte", "etp_assistants", 1, "etp", "2020-12-31", "x", "s"),
    )
    progress = target_progress(contracts, as_of="2021-03-31", synthetic=True, targets=targets).set_index("objectif")
    assert progress.loc["late", "date_atteinte"] == pd.Timestamp("2020-03-05")
    assert progress.loc["late", "statut"] == "atteint_en_retard"
    assert progress.loc["late", "mois_retard"] == pytest.approx(round(5 / 30.4375, 1))
    assert progress.loc["ahead", "statut"] == "atteint_a_temps"
    assert progress.loc["ahead", "mois_retard"] == pytest.approx(-round(213 / 30.4375, 1))  # 1 Jun → 31 Dec
    missed = progress.loc["missed"]
    assert (missed["valeur_atteinte"], missed["part_atteinte"], missed["ecart"]) == (3, 0.3, -7)
    assert missed["statut"] == "non_atteint_echeance_depassee"
    assert missed["mois_retard"] == pytest.approx(round(90 / 30.4375, 1))  # late so far: 31 Dec → 31 Mar
    assert progress.loc["future", "statut"] == "en_cours" and pd.isna(progress.loc["future", "mois_retard"])
    # due on the counting date itself: neither « à venir » nor « dépassée »
    due = target_progress(contracts, as_of="2022-12-31", synthetic=True, targets=targets).set_index("objectif")
    assert due.loc["future", "statut"] == "echeance_ce_jour" and due.loc["future", "mois_retard"] == 0
    assert TARGET_STATUS_LABELS["echeance_ce_jour"] == "non atteint, échéance ce jour"
    # two 1/2-FTE contracts make the first FTE
    assert progress.loc["fte", "date_atteinte"] == pd.Timestamp("2020-03-05")
    assert progress.loc["fte", "valeur_atteinte"] == 1.5


def test_a_target_reached_after_as_of_is_not_reached_yet():
    contracts = make_contracts(THREE_CONTRACTS)
    targets = _targets(("t", "contrats_signes", 2, "postes", "2020-12-31", "x", "s"))
    progress = target_progress(contracts, as_of="2020-02-01", synthetic=True, targets=targets).iloc[0]
    assert pd.isna(progress["date_atteinte"]) and progress["statut"] == "en_cours"
    assert (progress["valeur_atteinte"], progress["part_atteinte"], progress["ecart"]) == (1, 0.5, -1)


def test_target_progress_covers_every_reference_target_and_says_its_sources():
    progress = target_progress(make_contracts([]), as_of="2025-01-01", synthetic=True)
    assert len(progress) == 6
    assert progress.attrs["sources"] == ("demo", "reference")
    assert (progress["valeur_atteinte"] == 0).all()


# --- Projection ------------------------------------------------------------------------------------


def _months(values, start="2023-01-01"):
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="MS"), dtype=float)


def test_projection_of_a_constant_flow_is_exact():
    projection = project_reach_date(_months([100] * 12), reached=1200, target=1800)
    assert projection.date == pd.Timestamp("2024-06-30")  # six more months of 100
    assert projection.earliest == projection.latest == projection.date  # no residuals: no band


def test_projection_of_a_linear_trend_is_exact_including_within_a_month():
    flows = [10 + 10 * i for i in range(12)]  # 10, 20, …, 120; the line continues 130, 140, 150…
    reached = sum(flows)
    assert project_reach_date(_months(flows), reached, reached + 130 + 140 + 150).date == pd.Timestamp("2024-03-31")
    # half of March's 150 is reached at day 15.5 of 31, i.e. during the 16th
    assert project_reach_date(_months(flows), reached, reached + 130 + 140 + 75).date == pd.Timestamp("2024-03-16")
    # half of February's 140 at day 14.5 of 29 (2024 is a leap year): the 15th
    assert project_reach_date(_months(flows), reached, reached + 130 + 70).date == pd.Timestamp("2024-02-15")


def test_projection_needs_six_months():
    projection = project_reach_date(_months([100] * 5), reached=500, target=1000)
    assert projection.date is None and "trop courte" in projection.reason


def test_projection_stops_at_the_horizon():
    projection = project_reach_date(_months([1] * 12), reached=12, target=1_000)  # 82 years at this pace
    assert projection.date is None and "horizon" in projection.reason
    reachable = project_reach_date(_months([1] * 12), reached=12, target=12 + 119)
    assert reachable.date is not None  # 119 months: inside the 10-year horizon


def test_projection_of_a_falling_trend_that_stops_is_none():
    projection = project_reach_date(_months(list(range(120, 0, -10))), reached=780, target=10_000)
    assert projection.date is None


def test_projection_band_contains_the_estimate_and_is_deterministic():
    rng = np.random.default_rng(3)
    flows = 200 + 5 * np.arange(12) + rng.normal(0, 30, 12)
    first = project_reach_date(_months(flows), reached=5000, target=9000)
    again = project_reach_date(_months(flows), reached=5000, target=9000)
    assert first == again
    assert first.earliest < first.date < first.latest


def test_projection_uses_only_the_last_twelve_months():
    old_then_steady = [1000] * 6 + [100] * 12
    assert project_reach_date(_months(old_then_steady), 0, 600).date == pd.Timestamp("2024-12-31")


def test_target_projections_end_to_end_from_contracts():
    contracts = monthly_signatures({f"2023-{m:02d}": 10 for m in range(1, 13)})
    targets = _targets(
        ("next", "contrats_signes", 180, "postes", "2024-12-31", "x", "s"),
        ("done", "contrats_signes", 50, "postes", "2023-12-31", "x", "s"),
    )
    result = target_projections(contracts, as_of="2023-12-31", synthetic=True, targets=targets).set_index("objectif")
    assert result.loc["next", "date_projetee"] == pd.Timestamp("2024-06-30")  # 60 more at 10 a month
    assert result.loc["next", "mois_utilises"] == 12
    assert pd.isna(result.loc["done", "date_projetee"]) and "atteint le 01/05/2023" in result.loc["done", "raison"]
    assert result.attrs["sources"] == ("demo", "reference")


def test_target_projections_leave_out_the_current_incomplete_month():
    contracts = monthly_signatures({f"2023-{m:02d}": 10 for m in range(1, 13)} | {"2024-01": 50})
    targets = _targets(("next", "contrats_signes", 180, "postes", "2024-12-31", "x", "s"))
    result = target_projections(contracts, as_of="2024-01-15", synthetic=True, targets=targets).iloc[0]
    assert result["date_projetee"] == pd.Timestamp("2024-06-30")


# --- Published figures -----------------------------------------------------------------------------


def _figures(*rows):
    frame = pd.DataFrame(
        rows,
        columns=[
            "reference_date",
            "date_precision",
            "indicator",
            "value",
            "unit",
            "qualifier",
            "scope",
            "confidence",
            "source",
            "note",
        ],
    )
    frame["reference_date"] = pd.to_datetime(frame["reference_date"])
    return frame


def test_cross_check_by_hand():
    contracts = make_contracts(THREE_CONTRACTS)
    figures = _figures(
        ("2020-04-01", "day", "contrats_signes", 4, "contrats", "approx", "France entiere", "S", "press", None),
        ("2020-04-01", "day", "etp_assistants", 1, "etp", "exact", "France entiere", "S", "press", None),
        ("2020-04-01", "day", "contrats_signes", 4, "contrats", "exact", "Paris", "S", "press", None),
        ("2020-04-01", "day", "part_zone_sous_dense_pct", 50, "pct", "exact", "France entiere", "S", "press", None),
        ("2021-01-01", "day", "contrats_signes", 9, "contrats", "exact", "France entiere", "S", "press", None),
    )
    check = published_cross_check(contracts, as_of="2020-12-31", synthetic=False, figures=figures)
    assert len(check) == 2  # national contracts and FTE only, up to as_of
    contracts_row = check[check["indicateur"] == "contrats_signes"].iloc[0]
    assert (contracts_row["valeur_donnees"], contracts_row["valeur_publiee"]) == (2, 4)
    assert (contracts_row["ecart"], contracts_row["ecart_relatif"]) == (-2, -0.5)
    assert contracts_row["qualificatif_libelle"] == "environ" and contracts_row["source"] == "press"
    assert check[check["indicateur"] == "etp_assistants"].iloc[0]["ecart"] == 0
    assert check.attrs["sources"] == ("extract", "reference")


def test_cross_check_against_the_shipped_published_figures():
    check = published_cross_check(make_contracts([]), as_of="2022-05-28", synthetic=True)
    assert list(check["date_reference"].dt.strftime("%Y-%m-%d")) == [
        "2020-01-31",
        "2021-01-21",
        "2021-02-15",
        "2022-01-31",
        "2022-05-28",
        "2022-05-28",
    ]
    assert (check["ecart"] == -check["valeur_publiee"]).all()


def test_target_measures_are_cumulative_signed_totals():
    assert rollout.TARGET_MEASURES == {"contrats_signes": "signes_cumul", "etp_assistants": "etp_signes_cumul"}
