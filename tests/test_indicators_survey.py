"""Survey indicators: weighted shares, intervals widened by unequal weights, comparisons, aggregated tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from am_analytics.indicators import is_synthetic
from am_analytics.indicators.survey import (
    aggregated_shares,
    compare_groups,
    effective_size,
    missions_delegated,
    satisfaction_distribution,
    weighted_shares,
)


def survey(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["type_repondant", "poids", "satisfaction", "recommande"])
    frame["satisfaction"] = frame["satisfaction"].astype("Int64")
    frame["recommande"] = frame["recommande"].astype("boolean")
    for column in (
        "mission_accueil",
        "mission_constantes",
        "mission_vaccination_depistage",
        "mission_dossier",
        "mission_coordination",
        "mission_aide_actes",
        "mission_stocks",
        "mission_hygiene",
    ):
        frame[column] = frame["recommande"]
    return frame


def test_kish_effective_size():
    assert effective_size(pd.Series([1.0, 1.0, 1.0, 1.0])) == 4
    # (1 + 3)² / (1 + 9) = 1.6
    assert effective_size(pd.Series([1.0, 3.0])) == pytest.approx(1.6)
    assert effective_size(pd.Series([], dtype=float)) == 0


def test_weighted_share_uses_the_weights():
    data = survey([("medecin", 1.0, 1, True), ("medecin", 3.0, 4, False)])
    shares = weighted_shares(data, "recommande", answers={True: "Oui", False: "Non"}, synthetic=True)
    oui = shares[(shares["groupe"] == "ensemble") & (shares["reponse"] == True)].iloc[0]  # noqa: E712
    assert oui["part"] == pytest.approx(0.25)
    assert oui["repondants"] == 2
    assert oui["effet_plan"] == pytest.approx(2 / 1.6)


def test_unequal_weights_widen_the_interval():
    equal = survey([("medecin", 1.0, 1, i < 50) for i in range(100)])
    unequal = survey([("medecin", 1.0 if i % 2 else 3.0, 1, i < 50) for i in range(100)])
    share_equal = weighted_shares(equal, "recommande", answers={True: "Oui"}, synthetic=True).iloc[0]
    share_unequal = weighted_shares(unequal, "recommande", answers={True: "Oui"}, synthetic=True).iloc[0]
    assert share_equal["part"] == pytest.approx(0.5) and share_unequal["part"] == pytest.approx(0.5)
    width = lambda row: row["ic_haut"] - row["ic_bas"]  # noqa: E731
    assert width(share_unequal) > width(share_equal)


def test_missing_answers_are_left_out_of_the_base():
    data = survey([("medecin", 1.0, 1, True), ("medecin", 1.0, 2, None), ("assistant", 1.0, 2, False)])
    shares = weighted_shares(data, "recommande", answers={True: "Oui"}, by="type_repondant", synthetic=False)
    medecin = shares[shares["groupe"] == "medecin"].iloc[0]
    assert (medecin["repondants"], medecin["part"]) == (1, 1.0)
    assert not is_synthetic(shares)


def test_satisfaction_distribution_lists_every_level_in_scale_order():
    data = survey([("medecin", 1.0, 1, True), ("medecin", 1.0, 2, True), ("assistant", 1.0, 4, True)])
    table = satisfaction_distribution(data, synthetic=True).set_index("groupe")
    assert list(table.columns[:4]) == [
        "Très satisfait",
        "Plutôt satisfait",
        "Plutôt pas satisfait",
        "Pas du tout satisfait",
    ]
    assert table.loc["medecin", "satisfaits"] == pytest.approx(1.0)
    assert table.loc["assistant", "Pas du tout satisfait"] == pytest.approx(1.0)
    assert table.loc["assistant", "Très satisfait"] == 0
    assert table.loc["ensemble", "repondants"] == 3
    assert is_synthetic(table)


def test_missions_are_one_row_per_mission_and_group():
    data = survey([("medecin", 1.0, 1, True), ("assistant", 1.0, 1, False)])
    table = missions_delegated(data, synthetic=True)
    assert len(table) == 8 * 3
    accueil = table[(table["mission"] == "Accueil")].set_index("groupe")["part"]
    assert (accueil["medecin"], accueil["assistant"], accueil["ensemble"]) == (1.0, 0.0, 0.5)


def test_group_comparison_detects_a_clear_difference_and_notes_its_limits():
    rows = [("medecin", 1.0, 1, True)] * 60 + [("assistant", 1.0, 4, False)] * 60
    result = compare_groups(survey(rows), "satisfaction", "type_repondant", synthetic=True).iloc[0]
    assert result["p_valeur"] < 0.001
    assert result["v_de_cramer"] == pytest.approx(1.0)
    small = compare_groups(survey(rows[:3] + rows[-2:]), "satisfaction", "type_repondant", synthetic=True)
    assert not bool(small.iloc[0]["fiable"])
    assert any("Rao-Scott" in note for note in small.attrs["notes"])


def test_aggregated_tables_get_intervals_from_their_published_base():
    tables = pd.DataFrame(
        {
            "question": ["Q", "Q"],
            "reponse": ["Oui", "Oui"],
            "sous_groupe": ["Ensemble", "Vide"],
            "pourcentage": pd.array([50.0, 40.0], dtype="Float64"),
            "base": pd.array([100, 0], dtype="Int64"),
        }
    )
    shares = aggregated_shares(tables, synthetic=True)
    first = shares.iloc[0]
    # Wilson 95 % for 50/100: 0.4038 – 0.5962
    assert first["part"] == 0.5
    assert (round(first["ic_bas"], 4), round(first["ic_haut"], 4)) == (0.4038, 0.5962)
    assert math.isnan(shares.iloc[1]["ic_bas"]), "no base, no interval"
    assert any("bases non pondérées" in note for note in shares.attrs["notes"])
