"""The reference tables of the doctors' commitments (objective grid, rules, published effects) are typed, sourced,
faithful to the published figures, and leave what is not public missing."""

from __future__ import annotations

import pandas as pd
import pytest

from am_analytics import reference

COMMITMENT_TABLES = ("commitment_objectives", "commitment_rules", "commitment_effects")


@pytest.mark.parametrize("name", COMMITMENT_TABLES)
def test_every_row_has_a_source_and_a_known_confidence(name):
    frame = reference.table(name)
    assert not frame.empty
    assert frame["source"].str.strip().str.len().gt(0).all(), f"{name}: a row without its source"
    assert frame["confidence"].isin(["Q", "S", "C", "I", "L"]).all()
    urls = frame["source_url"].dropna()
    assert urls.str.startswith("https://").all(), f"{name}: a source URL that is no address"


def test_the_one_third_grid_is_the_published_one():
    grid = reference.commitment_objectives()
    third = grid[grid["etp_option"] == "1/3"].set_index("band")["growth_pct"]
    assert third.to_dict() == {"P30-P50": 20.0, "P50-P70": 15.0, "P70-P90": 7.5, "P90-P95": 4.0, "P95+": 0.0}
    assert grid.set_index(["etp_option", "band"]).loc[("1/3", "P95+"), "rule"] == "maintien"


@pytest.mark.parametrize(("option", "low", "high"), [("1/2", 6.0, 25.0), ("1", 12.5, 35.0)])
def test_band_values_not_published_stay_missing_with_the_option_range(option, low, high):
    rows = reference.commitment_objectives().query("etp_option == @option")
    assert len(rows) == 5
    assert rows["growth_pct"].isna().all(), "a band figure that is not public was filled in"
    assert rows["option_growth_min_pct"].eq(low).all() and rows["option_growth_max_pct"].eq(high).all()
    assert rows["note"].str.contains("non public").all()


@pytest.mark.parametrize("option", ["1/3", "1/2", "1"])
def test_bands_are_contiguous_and_ordered_from_p30_to_p100(option):
    rows = reference.commitment_objectives().query("etp_option == @option")
    starts, ends = rows["percentile_from"].tolist(), rows["percentile_to"].tolist()
    assert starts[0] == 30 and ends[-1] == 100
    assert starts == sorted(starts) and all(a < b for a, b in zip(starts, ends, strict=True))
    assert starts[1:] == ends[:-1], "a gap or an overlap between two bands"


def test_a_higher_band_never_asks_for_more_growth():
    third = reference.commitment_objectives().query("etp_option == '1/3'")["growth_pct"]
    assert third.is_monotonic_decreasing


def test_thresholds_and_calendar_match_the_rules():
    rules = reference.commitment_rules().set_index("rule_id")
    expected = {
        "seuil_patientele_mt_mg": (640, "patients"),
        "nouvel_installe_delai_p50": (3, "annees"),
        "duree_contrat": (5, "annees"),
        "revue_cpam": (6, "mois"),
        "aide_conditionnee_objectif": (3, "annee_de_contrat"),
    }
    for rule_id, (value, unit) in expected.items():
        assert rules.loc[rule_id, "value"] == value and rules.loc[rule_id, "unit"] == unit, rule_id
    one_of_two = rules.loc["un_objectif_sur_deux"]
    assert one_of_two["valid_from"] == pd.Timestamp("2023-05-01")
    assert pd.isna(rules.loc["patientele_mt_p50_mg", "value"]), "the P50 in patients is not public"
    assert pd.api.types.is_datetime64_any_dtype(rules["valid_from"])


def _effect(study: str, group: str, indicator: str) -> float:
    effects = reference.commitment_effects()
    found = effects[(effects["study"] == study) & (effects["group"] == group) & (effects["indicator"] == indicator)]
    assert len(found) == 1, (study, group, indicator)
    return float(found["value"].iloc[0])


@pytest.mark.parametrize(
    ("group", "indicator", "value"),
    [
        ("signataires", "medecins_observes", 402),
        ("non_signataires", "medecins_observes", 18_600),
        ("signataires", "patientele_mt_initiale", 1_318),
        ("signataires", "patientele_mt", 1_576),
        ("signataires", "patientele_mt_evolution_pct", 19.5),
        ("signataires", "objectif_patientele_mt_pct", 8.5),
        ("signataires", "objectif_patientele_mt", 1_430),
        ("non_signataires", "patientele_mt_evolution_pct", 6.6),
        ("signataires", "file_active_evolution_pct", 4.5),
        ("non_signataires", "file_active_evolution_pct", -5.3),
        ("signataires", "actes_par_jour_evolution_pct", 7.2),
        ("signataires", "actes_par_jour_evolution", 2),
        ("non_signataires", "actes_par_jour_evolution_pct", 0.5),
        ("non_signataires", "actes_par_jour_evolution", 0.1),
        ("signataires", "part_nouveaux_patients_sans_mt_pct", 75),
    ],
)
def test_the_48_month_figures_are_the_published_ones(group, indicator, value):
    assert _effect("cnam_points_de_repere_2024", group, indicator) == pytest.approx(value)


@pytest.mark.parametrize(
    ("group", "indicator", "value"),
    [
        ("signataires_installes_avant_2016", "patientele_mt_evolution_pct", 9.9),
        ("signataires_installes_avant_2016", "file_active_evolution_pct", 5.3),
        ("signataires_installes_avant_2016", "actes_evolution_pct", 7.4),
        ("tous_contrats", "patients_ajoutes_file_active", 1_200_000),
        ("tous_contrats", "patients_ayant_declare_mt", 511_930),
        ("tous_contrats", "part_option_1_2_pct", 47),
        ("tous_contrats", "part_option_1_pct", 22),
        ("tous_contrats", "part_option_1_3_pct", 31),
        ("tous_contrats", "contrats_signes", 3_112),
        ("tous_contrats", "etp_finances", 1_724.5),
    ],
)
def test_the_2022_review_figures_are_the_published_ones(group, indicator, value):
    assert _effect("cnam_bilan_cpn_2022", group, indicator) == pytest.approx(value)


def test_published_figures_agree_with_each_other():
    """1 318 patients raised by 19,5 % give the published 1 576; the +8,5 % objective gives the published 1 430."""
    start = _effect("cnam_points_de_repere_2024", "signataires", "patientele_mt_initiale")
    growth = _effect("cnam_points_de_repere_2024", "signataires", "patientele_mt_evolution_pct")
    objective = _effect("cnam_points_de_repere_2024", "signataires", "objectif_patientele_mt_pct")
    assert start * (1 + growth / 100) == pytest.approx(_effect("cnam_points_de_repere_2024", "signataires",
                                                               "patientele_mt"), abs=1)
    assert start * (1 + objective / 100) == pytest.approx(_effect("cnam_points_de_repere_2024", "signataires",
                                                                  "objectif_patientele_mt"), abs=1)
    shares = [_effect("cnam_bilan_cpn_2022", "tous_contrats", f"part_option_{o}_pct") for o in ("1_3", "1_2", "1")]
    assert sum(shares) == 100


def test_horizons_and_dates_are_typed():
    effects = reference.commitment_effects()
    assert effects["horizon_months"].dtype == "Int64"
    assert set(effects["horizon_months"].dropna()) == {0, 30, 48}
    assert pd.api.types.is_datetime64_any_dtype(effects["published_on"])
    assert effects["value"].dtype == "Float64"
