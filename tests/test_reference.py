"""The reference tables shipped with the package are complete, consistent, typed and sourced."""

from __future__ import annotations

import pandas as pd
import pytest

from am_analytics import reference


def test_there_are_101_departements_with_unique_text_codes():
    deps = reference.departements()
    assert len(deps) == 101
    assert deps["code"].is_unique
    assert deps["code"].dtype == "string"
    assert {"01", "2A", "2B", "971", "976"} <= set(deps["code"])
    assert not deps["code"].str.fullmatch(r"\d").any(), "a code lost its leading zero"


def test_there_are_18_regions_and_each_departement_belongs_to_one():
    regions = reference.regions()
    assert len(regions) == 18
    assert regions["overseas"].sum() == 5
    deps = reference.departements()
    assert set(deps["region_code"]) == set(regions["region_code"])
    counted = deps.groupby("region_code").size()
    declared = regions.set_index("region_code")["n_departements"]
    pd.testing.assert_series_equal(counted.sort_index(), declared.sort_index(), check_names=False, check_dtype=False)


def test_pre_2016_regions_cover_every_departement_but_mayotte():
    old = reference.old_regions()
    assert len(old) == 26
    listed = [code for codes in old["departements"] for code in codes]
    assert len(listed) == len(set(listed)) == 100
    assert set(reference.departements()["code"]) - set(listed) == {"976"}
    # every old region's departements now sit in the region the table says
    deps = reference.departements().set_index("code")["region_code"]
    for region_code, codes in zip(old["region_code"], old["departements"], strict=True):
        assert set(deps[codes]) == {region_code}


def test_mayotte_population_is_missing_not_zero():
    for level, code in (("departement", "976"), ("region", "06")):
        pop = reference.population(level).set_index("code")
        assert pd.isna(pop.loc[code, "population_municipale"])
        assert pd.isna(pop.loc[code, "population_totale"])
        assert pop.loc[code, "status"].startswith("missing")
        assert pop["population_municipale"].dtype == "Int64"


def test_region_populations_equal_the_sum_of_their_departements():
    deps = reference.population("departement")
    regions = reference.population("region").set_index("code")
    summed = deps.groupby("region_code")[["population_municipale", "population_totale"]].sum(min_count=1)
    for code, row in regions.iterrows():
        for column in ("population_municipale", "population_totale"):
            if pd.isna(row[column]):
                # missing stays missing: no département figure either
                assert pd.isna(summed.loc[code, column])
            else:
                assert summed.loc[code, column] == row[column], (code, column)


def test_estimated_generalists_are_labelled_and_missing_where_population_is():
    est = reference.estimated_generalists("departement").set_index("code")
    assert est["is_estimate"].all()
    assert pd.isna(est.loc["976", "generalistes_estimes"])
    assert est.drop(index="976")["generalistes_estimes"].notna().all()
    # Paris: density × population / 100 000, rounded
    pop = reference.population("departement").set_index("code").loc["75", "population_municipale"]
    dens = reference.doctors("departement").set_index("code").loc["75", "generalistes_densite_100k"]
    assert est.loc["75", "generalistes_estimes"] == round(dens * pop / 100_000)


def test_doctor_tables_publish_densities_not_gp_counts():
    deps = reference.doctors("departement")
    assert deps["generalistes_effectif"].isna().all()
    assert deps["generalistes_densite_100k"].notna().all()
    assert len(reference.doctors("region")) == 18


def test_dates_are_dates_and_values_are_numbers():
    targets = reference.targets()
    assert pd.api.types.is_datetime64_any_dtype(targets["deadline"])
    assert targets.loc[targets["target_id"] == "ma_sante_2022_postes", "value"].item() == 4000
    figures = reference.published_figures()
    assert pd.api.types.is_datetime64_any_dtype(figures["reference_date"])
    assert figures["value"].dtype == "Float64"
    assert figures["source"].notna().all(), "every published figure keeps its source"


def test_unknown_funding_amounts_stay_missing():
    rules = reference.funding_rules()
    second = rules[rules["etp_option"].str.contains("second", na=False)]
    assert len(second) == 1 and second["amount_eur"].isna().all()
    assert pd.api.types.is_datetime64_any_dtype(rules["valid_from"])
    assert rules["valid_to"].isna().sum() > 0  # rules still in force have no end


@pytest.mark.parametrize("name", reference.TABLES)
def test_every_table_has_a_complete_provenance_record(name):
    record = reference.provenance(name)
    for field in ("source", "source_url", "vintage", "licence", "caveats", "producer"):
        assert getattr(record, field).strip(), f"{name}: empty {field}"
    assert len(record.sha256) == 64
    assert not reference.table(name).empty


def test_callers_cannot_corrupt_the_cached_tables():
    first = reference.departements()
    first.loc[0, "name"] = "changed"
    assert reference.departements().loc[0, "name"] == "Ain"


def test_provenance_table_lists_every_table():
    assert list(reference.provenance_table()["table"]) == list(reference.TABLES)
