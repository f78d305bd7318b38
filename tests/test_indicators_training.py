"""Training: certification deadlines (3 years, 2 under the 2024 convention) and overdue assistants."""

from __future__ import annotations

import pandas as pd
import pytest

from am_analytics.indicators.stats import wilson_interval
from am_analytics.indicators.training import overdue_by_background, overdue_by_region, training_status
from am_analytics.vocabulary import PROFILS
from tests.indicator_helpers import make_contracts

AS_OF = "2024-09-01"


def test_deadlines_by_hand():
    contracts = make_contracts(
        [
            {"date_signature": "2021-01-01", "date_prise_fonction": "2021-03-01"},
            {"date_signature": "2021-01-01"},  # no start date: from the signature
            {"date_signature": "2024-07-01", "date_prise_fonction": "2024-08-01"},  # 2024 convention: 2 years
            {"date_signature": "2024-06-21", "date_prise_fonction": "2024-06-21"},  # the day before: 3 years
        ]
    )
    status = training_status(contracts, as_of=AS_OF, synthetic=True)
    assert list(status["echeance"].dt.strftime("%Y-%m-%d")) == ["2024-03-01", "2024-01-01", "2026-08-01", "2027-06-21"]
    assert status["echeance_depuis_signature"].tolist() == [False, True, False, False]


def test_overdue_means_known_not_certified_and_past_the_deadline():
    contracts = make_contracts(
        [
            {"date_signature": "2021-01-01", "formation": "aucune"},  # overdue
            {"date_signature": "2021-01-01", "formation": "cqp_en_cours"},  # overdue
            {"date_signature": "2021-01-01", "formation": "cqp_obtenu"},  # certified
            {"date_signature": "2021-01-01", "formation": None},  # unknown: counted apart
            {"date_signature": "2021-09-01", "formation": "aucune"},  # deadline is as_of: not past yet
            {"date_signature": "2020-01-01", "formation": "aucune", "date_fin": "2024-01-01"},  # ended
            {"date_signature": "2021-01-01", "formation": "diplome_etat_fae", "departement": "75"},
        ]
    )
    regions = overdue_by_region(contracts, as_of=AS_OF, synthetic=True).set_index("code")
    ara = regions.loc["84"]
    assert ara[
        ["actifs", "certifies", "echeance_depassee", "en_retard", "formation_inconnue_echeance_depassee"]
    ].tolist() == [
        5,
        1,
        4,
        2,
        1,
    ]
    assert ara["part_en_retard"] == pytest.approx(2 / 3)
    low, high = wilson_interval(2, 3)
    assert ara["ic_bas"] == pytest.approx(float(low)) and ara["ic_haut"] == pytest.approx(float(high))
    paris = regions.loc["11"]
    assert (paris["en_retard"], paris["part_en_retard"]) == (0, 0)
    assert regions.loc["94", "actifs"] == 0 and pd.isna(regions.loc["94", "part_en_retard"])
    assert len(regions) == 18


def test_overdue_by_background_lists_every_background():
    contracts = make_contracts(
        [
            {"date_signature": "2020-01-01", "formation": "aucune", "profil_origine": "infirmier"},
            {"date_signature": "2020-01-01", "formation": "aucune", "profil_origine": None},
        ]
    )
    table = overdue_by_background(contracts, as_of=AS_OF, synthetic=False).set_index("profil_origine")
    assert list(table.index) == list(PROFILS)
    assert table.loc["infirmier", "en_retard"] == 1 and table.loc["inconnu", "en_retard"] == 1
    assert table.attrs["sources"] == ("extract",)


def test_no_contracts():
    table = overdue_by_region(make_contracts([]), as_of=AS_OF, synthetic=True)
    assert (table["actifs"] == 0).all() and table["part_en_retard"].isna().all()
