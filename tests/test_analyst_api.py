"""The analyst's API: one import, the synthetic flag and the latest date travel with the data, French refusals."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest

import am_analytics as am
from am_analytics.errors import UsageError
from am_analytics.indicators.common import stamp_data
from tests.conftest import REPO
from tests.indicator_helpers import make_contracts


def loaded(rows, *, synthetic: bool = True) -> pd.DataFrame:
    """A contracts frame stamped as `am.load()` stamps it."""
    return stamp_data(make_contracts(rows), synthetic=synthetic)


ROWS = [
    {"date_signature": "2020-03-02", "departement": "01"},
    {"date_signature": "2022-06-15", "departement": "13", "date_fin": "2024-02-01"},
    {"date_signature": "2024-11-20", "departement": "69"},
]


def test_one_import_gives_the_indicators_and_the_figures_and_stays_cheap():
    code = (
        "import sys, am_analytics as am\n"
        "assert 'am_analytics.indicators' not in sys.modules and 'matplotlib' not in sys.modules\n"
        "assert callable(am.indicators.by_region) and callable(am.figures.rollout_chart)\n"
        "assert callable(am.figures.region_map) and callable(am.figures.background_heatmap_chart)\n"
        "assert {'indicators', 'figures', 'load'} <= set(dir(am))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_an_unknown_attribute_of_the_package_is_an_attribute_error():
    with pytest.raises(AttributeError):
        am.no_such_thing  # noqa: B018


def test_the_synthetic_flag_and_the_latest_date_survive_an_analysts_filtering():
    contracts = loaded(ROWS)
    region = contracts[contracts["region"] == "84"]
    assert region.attrs == {"synthetic": True, "latest_date": "2024-11-20"}
    regions = am.indicators.by_region(region)
    assert am.indicators.is_synthetic(regions)
    assert regions.attrs["as_of"] == "2024-11-20", "the whole data's latest date, not the region's own"
    assert regions.set_index("code").loc["84", "signes"] == 2


def test_no_date_means_the_latest_date_of_the_data():
    contracts = loaded(ROWS, synthetic=False)
    assert am.indicators.monthly_series(contracts).attrs["as_of"] == "2024-11-20"
    unstamped = make_contracts(ROWS)  # built by hand: the latest date is read from the rows themselves
    assert am.indicators.by_departement(unstamped, synthetic=False).attrs["as_of"] == "2024-11-20"


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("2024-11-21", "après la dernière date des données \\(20/11/2024\\)"),
        ("2019-08-31", "avant le début du dispositif"),
        ("31/02/2024", "date invalide"),
        ("hier", "illisible"),
    ],
)
def test_a_date_outside_the_data_or_unreadable_is_refused_in_french(as_of, message):
    with pytest.raises(ValueError, match=message) as caught:
        am.indicators.by_region(loaded(ROWS), as_of=as_of)
    assert isinstance(caught.value, UsageError) and caught.value.exit_code == 2


def test_a_french_date_is_read_as_french_users_write_it():
    assert am.indicators.by_region(loaded(ROWS), as_of="31/12/2022").attrs["as_of"] == "2022-12-31"


def test_without_any_contract_a_date_must_be_given():
    with pytest.raises(ValueError, match="indiquer la date d'arrêté"):
        am.indicators.monthly_series(make_contracts([]), synthetic=True)


def test_an_unknown_period_is_refused_with_the_accepted_ones():
    with pytest.raises(ValueError, match="période « mois » inconnue.*« annee ».*« trimestre »"):
        am.indicators.zone_mix(loaded(ROWS), period="mois")


def test_the_survey_reads_its_synthetic_flag_too():
    survey = pd.DataFrame({"type_repondant": ["medecin", "assistant"], "poids": [1.0, 1.0],
                           "satisfaction": pd.array([1, 2], dtype="Int64")})
    with pytest.raises(ValueError, match="synthetic="):
        am.indicators.satisfaction_distribution(survey)
    survey.attrs["synthetic"] = True
    assert am.indicators.is_synthetic(am.indicators.satisfaction_distribution(survey))


def _readme_python_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_the_readme_shows_the_ten_line_analysis():
    analyses = [block for block in _readme_python_blocks() if block.startswith("import am_analytics as am")]
    assert analyses, "the README shows how to analyse in Python"
    code_lines = [line for line in analyses[0].splitlines() if line.strip()]
    assert len(code_lines) <= 11


@pytest.mark.slow
def test_every_python_block_of_the_readme_runs(tmp_path):
    """The README's examples run as they are written, one after the other in one interpreter, from a folder
    of the test (the figure they save lands there). They prepare the project's data/processed under the key the
    report tests use, so no test prepares it twice."""
    code = "\n".join(_readme_python_blocks())
    env = {"MPLBACKEND": "Agg", "AM_ANALYTICS_KEY": "report-test", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env=env)
    assert result.returncode == 0, result.stderr
    assert "actifs_pour_100k_hab" in result.stdout and "Ille-et-Vilaine" in result.stdout
    # the regional analyst's questions: Occitanie's départements ranked, its backgrounds against France with their
    # intervals, the Hérault's signings per month, the satisfied share with its interval and flagged small groups
    assert "Hérault" in result.stdout and "actifs_mg_pour_100_mg_estimes" in result.stdout
    assert "France entière" in result.stdout and "ic_haut" in result.stdout and "v_de_cramer" in result.stdout
    assert "signes_mois" in result.stdout and "base_insuffisante" in result.stdout and "Corse" in result.stdout
    assert (tmp_path / "bretagne.png").read_bytes()[:4] == b"\x89PNG"
