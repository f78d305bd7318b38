"""Selecting by what people write (`am.select` and the `region=`/`departement=`/`background=` keywords of every
indicator, chart and map), the default counting date from the extract date, and the survey's satisfied share."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import warnings

import pandas as pd
import pytest

import am_analytics as am
from am_analytics.errors import UsageError
from am_analytics.indicators.common import stamp_data
from am_analytics.indicators.selection import SelectionError
from am_analytics.presentation.scope import Scope
from tests.conftest import REPO
from tests.indicator_helpers import make_contracts

ROWS = [
    {"date_signature": "2020-03-02", "departement": "34", "region": "76", "profil_origine": "infirmier"},
    {"date_signature": "2022-06-15", "departement": "34", "region": "76", "profil_origine": "secretaire_medicale"},
    {"date_signature": "2023-01-10", "departement": "31", "region": "76", "profil_origine": "infirmier"},
    {"date_signature": "2024-11-20", "departement": "29", "region": "53", "profil_origine": "infirmier"},
    {"date_signature": "2024-12-02", "departement": "2A", "region": "94", "profil_origine": "hors_sante"},
]


@pytest.fixture
def contracts() -> pd.DataFrame:
    return stamp_data(make_contracts(ROWS), synthetic=True)


# --- am.select -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["Occitanie", "occitanie", "OCCITANIE", "76", "Midi-Pyrénées"])
def test_a_region_is_selected_by_its_code_or_any_spelling_of_its_name(contracts, written):
    assert list(am.select(contracts, region=written)["contrat_id"]) == ["C0", "C1", "C2"]


def test_a_close_misspelling_is_read_as_the_one_closest_name_and_says_so(contracts):
    with pytest.warns(UserWarning, match="« Ocitanie » lu comme Occitanie \\(76\\)"):
        assert len(am.select(contracts, region="Ocitanie")) == 3


@pytest.mark.parametrize(("written", "expected"), [("Hérault", ["C0", "C1"]), ("herault", ["C0", "C1"]),
                                                   ("34", ["C0", "C1"]), ("2A", ["C4"]), ("2a", ["C4"])])
def test_a_departement_is_selected_by_its_code_or_name(contracts, written, expected):
    assert list(am.select(contracts, departement=written)["contrat_id"]) == expected


@pytest.mark.parametrize("written", ["Infirmier·ère", "infirmière", "Infirmier", "infirmier", "IDE"])
def test_a_background_is_selected_by_its_french_label_or_code(contracts, written):
    assert list(am.select(contracts, background=written)["contrat_id"]) == ["C0", "C2", "C3"]


def test_selections_combine_with_a_signing_period_written_as_a_month_or_a_day(contracts):
    chosen = am.select(contracts, region="Occitanie", background="Infirmier·ère", since="2022-01")
    assert list(chosen["contrat_id"]) == ["C2"]
    assert list(am.select(contracts, until="2022-06")["contrat_id"]) == ["C0", "C1"], "a month's last day included"
    assert list(am.select(contracts, since="15/06/2022", until="2023-01-10")["contrat_id"]) == ["C1", "C2"]


def test_the_selection_keeps_what_travels_with_the_data(contracts):
    chosen = am.select(contracts, region="Bretagne")
    assert chosen.attrs["synthetic"] is True and chosen.attrs["latest_date"] == "2024-12-02"


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        ({"region": "Atlantide"}, "region='Atlantide' : région inconnue « Atlantide » ; les plus proches : "),
        ({"region": "Bretagen Nord"}, "les plus proches : .*Bretagne \\(53\\)"),
        ({"departement": "Herolt"}, "département inconnu « Herolt » ; les plus proches : .*Hérault \\(34\\)"),
        ({"departement": "99"}, "code absent du COG"),
        ({"departement": "20"}, "ambigu.*Corse-du-Sud \\(2A\\) ou Haute-Corse \\(2B\\)"),
        ({"background": "plombier"}, "background='plombier' : profil d'origine inconnu ; les plus proches : «"),
        ({"region": "Occitanie", "departement": "Finistère"}, "n'est pas dans la région Occitanie"),
        ({"since": "2022-13"}, "since='2022-13' : mois illisible"),
    ],
)
def test_a_value_that_names_nothing_is_refused_in_french_with_the_candidates(contracts, selection, message):
    with pytest.raises(SelectionError, match=message) as caught:
        am.select(contracts, **selection)
    assert isinstance(caught.value, ValueError) and caught.value.exit_code == 2


def test_a_background_without_contracts_in_the_scope_gives_zero_rows_and_a_note(contracts):
    with pytest.warns(UserWarning, match="aucune ligne"):
        chosen = am.select(contracts, region="Bretagne", background="Assistant·e dentaire")
    assert chosen.empty and "Bretagne (53), Assistant·e dentaire" in chosen.attrs["notes"][0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        monthly = am.indicators.monthly_series(contracts, region="Bretagne", background="assistant_dentaire")
    assert monthly["signes_cumul"].max() == 0, "zero, not an error"
    assert any("aucune ligne" in note for note in monthly.attrs["notes"])


# --- The same keywords on indicators, charts and maps -----------------------------------------------------------


def test_a_territory_indicator_counts_everything_and_returns_the_selected_territories(contracts):
    departements = am.indicators.by_departement(contracts, region="Occitanie")
    assert set(departements["region_code"]) == {"76"} and len(departements) == 13
    assert departements.set_index("code").loc["34", "part_nationale_signes"] == pytest.approx(2 / 5)
    shares = am.indicators.background_shares_by_region(contracts, region="occitanie")
    assert set(shares["code"]) == {"76", "FR"}, "France's rows kept beside the region's, for comparison"
    one = am.indicators.background_shares_by_region(contracts, region="76", background="Infirmier·ère")
    assert one.set_index("code").loc["76", "part"] == pytest.approx(2 / 3)


def test_other_indicators_count_the_selected_contracts(contracts):
    monthly = am.indicators.monthly_series(contracts, region="Occitanie", background="Infirmier·ère")
    assert monthly["signes_cumul"].iloc[-1] == 2
    assert am.indicators.monthly_series(contracts, departement="2A")["signes_cumul"].iloc[-1] == 1


def test_functions_with_a_region_or_background_of_their_own_take_its_name(contracts):
    assert am.indicators.region_against_france(contracts, "Occitanie")["code"].iloc[0] == "76"
    trend = am.indicators.background_trend(contracts, "Infirmier·ère", region="Occitanie")
    assert trend["profil_origine"].iloc[0] == "infirmier" and trend["code"].iloc[0] == "76"
    with pytest.raises(SelectionError, match="les plus proches"):
        am.indicators.region_against_france(contracts, "Atlantide")


def test_charts_and_maps_take_the_keywords_and_explain_a_frame_they_cannot_select(contracts):
    regions = am.indicators.by_region(contracts)
    figure = am.figures.regions_ranked_chart(regions, region="Occitanie")
    assert figure is not None
    monthly = am.indicators.monthly_series(contracts)
    with pytest.raises(SelectionError, match="sélectionner les contrats avant de calculer l'indicateur"):
        am.figures.rollout_chart(monthly, region="Occitanie")
    departements = am.indicators.by_departement(contracts)
    assert am.figures.region_departements_map(departements, "signes", "Occitanie", title="t", legend_title="l")


def _public_functions():
    """Every public function defined in an indicator module (the shared plumbing of `common` aside)."""
    package = importlib.import_module("am_analytics.indicators")
    for module_info in pkgutil.iter_modules(package.__path__):
        if module_info.name == "common":
            continue
        module = importlib.import_module(f"am_analytics.indicators.{module_info.name}")
        for name, function in vars(module).items():
            if inspect.isfunction(function) and not name.startswith("_") and \
                    getattr(inspect.unwrap(function), "__module__", "") == module.__name__:
                yield module_info.name, name, function


def test_every_public_indicator_is_exported_and_listed_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for module, name, _ in _public_functions():
        assert name in am.indicators.__all__ and hasattr(am.indicators, name), f"{module}.{name} non exporté"
        assert re.search(rf"\b{name}\b", readme), f"{module}.{name} absent du README"


def test_every_indicator_that_reads_contracts_or_the_survey_takes_the_selection_keywords():
    for module, name, _ in _public_functions():
        exported = getattr(am.indicators, name)
        first = next(iter(inspect.signature(exported).parameters), None)
        if first in {"contracts", "survey"}:
            assert {"region", "departement", "background"} <= set(inspect.signature(exported).parameters), \
                f"{module}.{name}"
    for name in am.figures.__all__:
        function = getattr(am.figures, name)
        if name.endswith(("_chart", "_map")):
            assert {"region", "departement", "background"} <= set(inspect.signature(function).parameters), name


# --- The default counting date ----------------------------------------------------------------------------------


def extracted(rows, extract_date):
    frame = make_contracts(rows)
    frame["date_extraction"] = pd.Timestamp(extract_date)
    return stamp_data(frame, synthetic=False)


@pytest.mark.parametrize(("extract_date", "default"), [("2025-07-15", "2025-06-30"), ("2025-07-01", "2025-06-30"),
                                                       ("2025-06-30", "2025-06-30"), ("2025-02-28", "2025-02-28")])
def test_with_an_extract_date_the_default_is_the_last_month_end_on_or_before_it(extract_date, default):
    contracts = extracted([{"date_signature": "2020-03-02"}, {"date_signature": "2025-02-10"}], extract_date)
    assert am.indicators.by_region(contracts).attrs["as_of"] == default
    bretagne = contracts[contracts["region"] == "53"]  # a subset counts at the whole data's date
    assert am.indicators.monthly_series(bretagne).attrs["as_of"] == default
    assert Scope.open(data=_processed(contracts)).as_of == pd.Timestamp(default)


def test_a_date_up_to_the_extract_date_may_be_asked_not_after(contracts):
    frame = extracted([{"date_signature": "2025-07-10"}], "2025-07-15")
    assert am.indicators.by_region(frame, as_of="2025-07-15").attrs["as_of"] == "2025-07-15"
    with pytest.raises(ValueError, match="après la dernière date des données \\(15/07/2025\\)"):
        am.indicators.by_region(frame, as_of="2025-07-16")
    with pytest.raises(UsageError, match="as_of : date d'arrêté 16/07/2025 : après la dernière date"):
        Scope.open(data=_processed(frame), as_of="2025-07-16")


def test_without_an_extract_date_or_with_a_later_signature_the_latest_date_of_the_data_counts():
    assert am.indicators.by_region(stamp_data(make_contracts(ROWS), synthetic=True)).attrs["as_of"] == "2024-12-02"
    # a signature after the extract date: a later extract of unknown date is in the data
    later = extracted([{"date_signature": "2025-08-03"}], "2025-07-15")
    assert "extract_date" not in later.attrs and am.indicators.by_region(later).attrs["as_of"] == "2025-08-03"


def test_load_takes_the_extract_date_the_preparation_found_in_a_file_name(tmp_path, monkeypatch):
    monkeypatch.setenv("AM_ANALYTICS_KEY", "selection-test")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "contrats_extraction_2025-07-15.csv").write_text(
        "N° contrat;RPPS;Date de signature;Date de fin;Département;Spécialité;Zone;Quotité;Profil d'origine\n"
        "C1;99100000001;01/02/2020;;13;MG;ZIP;1/3;IDE\nC2;99100000002;10/07/2025;;34;MG;;0,5;\n", encoding="utf-8")
    data = am.load(raw, tmp_path / "out")
    assert data.contracts.attrs["extract_date"] == "2025-07-15"
    assert am.indicators.by_region(data.contracts).attrs["as_of"] == "2025-06-30"
    assert Scope.open(data=data).as_of == pd.Timestamp("2025-06-30")


def _processed(contracts):
    from am_analytics.loading import Processed

    return Processed(contracts=contracts, territory_year=None, survey=None, survey_tables=None,
                     quarantine=pd.DataFrame(), manifest={"synthetic": False}, warnings=pd.DataFrame(),
                     changes=pd.DataFrame())


# --- The survey's satisfied share -------------------------------------------------------------------------------


def _survey(groups: dict[str, list[int]]) -> pd.DataFrame:
    rows = [(group, answer) for group, answers in groups.items() for answer in answers]
    survey = pd.DataFrame({"type_repondant": [g for g, _ in rows], "poids": 1.0,
                           "satisfaction": pd.array([a for _, a in rows], dtype="Int64"),
                           "region": ["76"] * len(rows), "profil_origine": pd.array([None] * len(rows),
                                                                                    dtype="string")})
    survey.attrs["synthetic"] = True
    return survey


def test_the_satisfied_share_is_the_top_two_answers_with_a_wilson_interval():
    survey = _survey({"medecin": [1] * 20 + [2] * 10 + [3] * 8 + [4] * 2, "assistant": [1, 2, 2, 3, 4, 1]})
    shares = am.indicators.satisfied_share(survey).set_index("groupe")
    assert shares.loc["medecin", "part"] == pytest.approx(30 / 40)
    assert shares.loc["medecin", "effectif_satisfaits"] == 30 and shares.loc["medecin", "repondants"] == 40
    low, high = am.indicators.wilson_interval(30, 40)
    assert (shares.loc["medecin", "ic_bas"], shares.loc["medecin", "ic_haut"]) == pytest.approx((low, high))
    assert shares.loc["ensemble", "part"] == pytest.approx(34 / 46)
    assert "Wilson" in " ".join(am.indicators.satisfied_share(survey).attrs["notes"])


def test_groups_under_the_minimum_base_are_flagged_and_named_in_a_note():
    survey = _survey({"medecin": [1] * 31, "assistant": [2] * 6})
    shares = am.indicators.satisfied_share(survey)
    flagged = dict(zip(shares["groupe"], shares["base_insuffisante"], strict=True))
    assert flagged == {"ensemble": False, "medecin": False, "assistant": True}
    assert any("moins de 30 répondants" in note and "Assistant médical" in note for note in shares.attrs["notes"])
    assert am.indicators.satisfied_share(survey, minimum_base=40)["base_insuffisante"].all()


def test_a_respondent_who_did_not_answer_is_outside_the_base():
    survey = _survey({"medecin": [1, 3]})
    survey.loc[len(survey)] = ["medecin", 1.0, pd.NA, "76", pd.NA]
    assert am.indicators.satisfied_share(survey, by=None).iloc[0]["repondants"] == 2


def test_the_satisfaction_distribution_gives_its_satisfied_share_an_interval():
    distribution = am.indicators.satisfaction_distribution(_survey({"medecin": [1, 2, 3, 4]}))
    row = distribution.set_index("groupe").loc["medecin"]
    assert row["ic_bas"] <= row["satisfaits"] == 0.5 <= row["ic_haut"]


def test_every_indicator_share_has_its_interval(demo_data):
    """Shares of a sample or of a process (contracts) carry `ic_bas`/`ic_haut`: the audit of every frame."""
    contracts, survey = demo_data.contracts, demo_data.survey
    for frame in (am.indicators.satisfied_share(survey), am.indicators.satisfaction_distribution(survey),
                  am.indicators.weighted_shares(survey, "satisfaction"), am.indicators.specialty_mix(contracts),
                  am.indicators.background_shares_by_region(contracts), am.indicators.overdue_by_region(contracts)):
        assert {"ic_bas", "ic_haut"} <= set(frame.columns)
    mix = am.indicators.zone_mix(contracts)
    assert {"ic_bas_parmi_renseignes", "ic_haut_parmi_renseignes"} <= set(mix.columns)
