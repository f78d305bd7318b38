"""Backgrounds by region with Wilson intervals, the region × background test, mix by year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from am_analytics.indicators.backgrounds import (
    background_counts_by_region,
    background_mix_by_year,
    background_shares_by_region,
    region_background_independence,
)
from am_analytics.indicators.stats import wilson_interval
from am_analytics.vocabulary import PROFILS
from tests.indicator_helpers import make_contracts

AS_OF = "2023-12-31"


def _contracts(cells: dict[tuple[str, str], int], **fields) -> pd.DataFrame:
    """`count` contracts per (département, background)."""
    return make_contracts(
        [{"departement": d, "profil_origine": p, **fields} for (d, p), count in cells.items() for _ in range(count)]
    )


def test_shares_by_region_by_hand_with_wilson_intervals():
    contracts = _contracts({("01", "secretaire_medicale"): 3, ("69", "infirmier"): 1, ("75", "infirmier"): 2})
    shares = background_shares_by_region(contracts, as_of=AS_OF, synthetic=True).set_index(["code", "profil_origine"])
    ara = shares.loc[("84", "secretaire_medicale")]  # Ain and Rhône are both in Auvergne-Rhône-Alpes
    assert (ara["effectif"], ara["total"], ara["part"]) == (3, 4, 0.75)
    low, high = wilson_interval(3, 4)
    assert (ara["ic_bas"], ara["ic_haut"]) == (pytest.approx(float(low)), pytest.approx(float(high)))
    france = shares.loc[("FR", "infirmier")]
    assert (france["effectif"], france["total"], france["part"]) == (3, 6, 0.5)
    assert shares.loc[("11", "aide_soignant"), "effectif"] == 0


def test_a_region_without_contracts_has_every_background_with_missing_shares():
    contracts = _contracts({("01", "secretaire_medicale"): 2})
    shares = background_shares_by_region(contracts, as_of=AS_OF, synthetic=True)
    corsica = shares[shares["code"] == "94"]
    assert list(corsica["profil_origine"]) == list(PROFILS)
    assert (corsica["total"] == 0).all() and corsica["part"].isna().all() and corsica["ic_bas"].isna().all()
    assert shares["code"].nunique() == 19  # 18 regions and France


def test_missing_background_counts_as_unknown_and_later_signatures_are_left_out():
    contracts = make_contracts(
        [{"profil_origine": None}, {"profil_origine": "infirmier", "date_signature": "2024-02-01"}]
    )
    table = background_counts_by_region(contracts, as_of=AS_OF, synthetic=True)
    assert table.loc["84", "inconnu"] == 1 and table.to_numpy().sum() == 1


def test_independence_by_hand_and_without_unknown_background():
    contracts = _contracts(
        {
            ("01", "secretaire_medicale"): 10,
            ("01", "infirmier"): 20,
            ("75", "secretaire_medicale"): 30,
            ("75", "infirmier"): 40,
            ("75", "inconnu"): 50,  # left out by default: missing information, not a profession
        }
    )
    test = region_background_independence(contracts, as_of=AS_OF, synthetic=True).iloc[0]
    chi2 = 4 / 12 + 4 / 18 + 4 / 28 + 4 / 42
    assert test["chi2"] == pytest.approx(chi2) and test["ddl"] == 1 and test["effectif"] == 100
    assert test["v_de_cramer"] == pytest.approx(np.sqrt(chi2 / 100))
    assert test["fiable"]
    with_unknown = region_background_independence(contracts, as_of=AS_OF, synthetic=True, exclude_unknown=False)
    assert with_unknown.iloc[0]["effectif"] == 150


def test_independence_warns_when_expected_counts_are_small():
    contracts = _contracts({("01", "secretaire_medicale"): 3, ("01", "infirmier"): 1, ("75", "infirmier"): 3})
    test = region_background_independence(contracts, as_of=AS_OF, synthetic=True)
    assert not test.iloc[0]["fiable"]
    assert test.attrs["notes"] and "peu fiable" in test.attrs["notes"][0]


def test_independence_of_no_contracts_is_not_computable():
    test = region_background_independence(make_contracts([]), as_of=AS_OF, synthetic=True).iloc[0]
    assert np.isnan(test["chi2"]) and not test["fiable"]


def test_mix_by_signing_year():
    contracts = make_contracts(
        [
            {"date_signature": "2020-05-01", "profil_origine": "infirmier"},
            {"date_signature": "2020-06-01", "profil_origine": "secretaire_medicale"},
            {"date_signature": "2022-01-01", "profil_origine": "infirmier"},
        ]
    )
    mix = background_mix_by_year(contracts, as_of="2022-12-31", synthetic=True).set_index(["periode", "categorie"])
    assert mix.loc[("2020", "infirmier"), "part"] == 0.5
    assert mix.loc[("2022", "infirmier"), "part"] == 1.0
    assert mix.loc[("2021", "infirmier"), "total"] == 0 and pd.isna(mix.loc[("2021", "infirmier"), "part"])
    assert sorted(mix.index.get_level_values("periode").unique()) == ["2019", "2020", "2021", "2022"]
