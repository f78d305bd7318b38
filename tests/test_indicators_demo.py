"""On the prepared demo data, the indicators agree with the real published figures the demo is calibrated on."""

from __future__ import annotations

import pandas as pd
import pytest

from am_analytics import paths
from am_analytics.indicators import by_region, national_totals, published_cross_check
from am_analytics.prepare.pipeline import prepare

CALIBRATION_TOLERANCE = 0.03  # the demo generator's promise for every exact national milestone


@pytest.fixture(scope="module")
def contracts(tmp_path_factory) -> pd.DataFrame:
    prepared = prepare(paths.raw_dir(), tmp_path_factory.mktemp("processed"), key=b"demo-test")
    assert prepared.manifest["synthetic"], "the shipped data is synthetic and says so"
    return prepared.tables["contracts"]


@pytest.mark.parametrize(("as_of", "published"), [("2022-05-28", 3112), ("2024-10-31", 7240)])
def test_cross_check_shows_the_synthetic_counts_within_calibration_tolerance(contracts, as_of, published):
    check = published_cross_check(contracts, as_of=as_of, synthetic=True)
    row = check[(check["date_reference"] == pd.Timestamp(as_of)) & (check["indicateur"] == "contrats_signes")]
    assert len(row) == 1
    row = row.iloc[0]
    assert row["valeur_publiee"] == published and row["qualificatif"] == "exact"
    assert abs(row["ecart_relatif"]) <= CALIBRATION_TOLERANCE, row
    assert "demo" in check.attrs["sources"]


def test_national_total_is_the_sum_of_the_regions_on_the_demo_data(contracts):
    regions = by_region(contracts, as_of="2025-06-30", synthetic=True)
    nation = national_totals(contracts, as_of="2025-06-30", synthetic=True)
    assert regions["signes"].sum() == nation["signes"].iloc[0] == len(contracts)
    assert regions["actifs"].sum() == nation["actifs"].iloc[0]
