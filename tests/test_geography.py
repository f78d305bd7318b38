"""The geography normaliser maps every real-world spelling to its COG code, and never guesses."""

from __future__ import annotations

import pandas as pd
import pytest

from am_analytics.geography import (
    GeographyError,
    departement_name,
    normalise_departement_code,
    normalise_departements,
    normalise_region_code,
    normalise_regions,
    region_name,
    region_of_departements,
    simplify,
)

DEPARTEMENT_VARIANTS = [
    # codes that lost or gained leading zeros
    ("1", "01"),
    ("01", "01"),
    ("001", "01"),
    (" 5 ", "05"),
    ("75", "75"),
    ("971", "971"),
    ("976", "976"),
    # Corsica in every case
    ("2A", "2A"),
    ("2a", "2A"),
    ("2b", "2B"),
    ("02A", "2A"),
    ("02b", "2B"),
    # upper-case unaccented COG names
    ("COTE D OR", "21"),
    ("LA REUNION", "974"),
    ("COTES D ARMOR", "22"),
    # hand-typed, unaccented or abbreviated names
    ("Corse du Sud", "2A"),
    ("Haute Corse", "2B"),
    ("Bouches du Rhone", "13"),
    ("Cotes d'Armor", "22"),
    ("Côtes-d'Armor", "22"),
    ("Réunion", "974"),
    ("Seine St Denis", "93"),
    ("paris", "75"),
    ("Val-d'Oise", "95"),
    # HTML entities
    ("Bouches du Rh&ocirc;ne", "13"),
    ("Ard&egrave;che", "07"),
    # code followed by its name
    ("13 - Bouches-du-Rhône", "13"),
]


@pytest.mark.parametrize(("raw", "expected"), DEPARTEMENT_VARIANTS)
def test_departement_variant_maps_to_cog_code(raw, expected):
    assert normalise_departement_code(raw) == expected
    result = normalise_departements([raw])
    assert result.loc[0, "code"] == expected
    assert pd.isna(result.loc[0, "reason"])


REGION_VARIANTS = [
    ("84", "84"),
    ("1", "01"),
    ("Île-de-France", "11"),
    ("Ile-de-France", "11"),
    ("ILE DE FRANCE", "11"),
    ("Provence-Alpes-Cote d'Azur", "93"),
    ("PACA", "93"),
    ("La Réunion", "04"),
    ("Reunion", "04"),
    # pre-2016 regions, by name and by code
    ("Midi-Pyrénées", "76"),
    ("Midi Pyrenees", "76"),
    ("73", "76"),
    ("Alsace", "44"),
    ("42", "44"),
    ("Limousin", "75"),
    ("Basse-Normandie", "28"),
    ("Centre", "24"),
    ("Nord-Pas-de-Calais-Picardie", "32"),
]


@pytest.mark.parametrize(("raw", "expected"), REGION_VARIANTS)
def test_region_variant_maps_to_2016_code(raw, expected):
    assert normalise_region_code(raw) == expected
    assert normalise_regions([raw]).loc[0, "code"] == expected


@pytest.mark.parametrize(
    ("raw", "departement", "region"),
    [
        ("84", "Vaucluse", "Auvergne-Rhône-Alpes"),
        ("11", "Aude", "Île-de-France"),
        ("75", "Paris", "Nouvelle-Aquitaine"),
    ],
)
def test_colliding_codes_follow_the_level_the_caller_names(raw, departement, region):
    # The same text means a département or a region: only the caller knows which level it holds.
    assert departement_name(normalise_departement_code(raw)) == departement
    assert region_name(normalise_region_code(raw)) == region


def test_a_departement_name_is_not_a_region():
    with pytest.raises(GeographyError):
        normalise_region_code("Vaucluse")
    assert normalise_departement_code("Vaucluse") == "84"


@pytest.mark.parametrize("raw", ["20", "020", " 20 "])
def test_twenty_alone_is_ambiguous_and_reported(raw):
    result = normalise_departements([raw])
    assert pd.isna(result.loc[0, "code"])
    assert result.loc[0, "reason"] == "departement_ambigu"
    assert "2A" in result.loc[0, "message"] and "2B" in result.loc[0, "message"]
    with pytest.raises(GeographyError) as caught:
        normalise_departement_code(raw)
    assert caught.value.reason == "departement_ambigu"


def test_unknown_name_names_the_value_and_its_closest_names():
    with pytest.raises(GeographyError) as caught:
        normalise_departement_code("Bouches du Rhonne")
    message = str(caught.value)
    assert "Bouches du Rhonne" in message
    assert "Bouches-du-Rhône (13)" in message
    assert caught.value.reason == "departement_inconnu"


@pytest.mark.parametrize("raw", ["99", "100", "975", "0", "2C"])
def test_unknown_codes_are_rejected(raw):
    result = normalise_departements([raw])
    assert pd.isna(result.loc[0, "code"])
    assert result.loc[0, "reason"] == "departement_inconnu"
    assert raw in result.loc[0, "message"]


def test_unknown_region_is_rejected_with_suggestions():
    result = normalise_regions(["Bretange", "FRANCE", "99"])
    assert result["code"].isna().all()
    assert (result["reason"] == "region_inconnue").all()
    assert "Bretagne (53)" in result.loc[0, "message"]


@pytest.mark.parametrize("raw", ["", "   ", None, pd.NA, float("nan")])
def test_missing_values_are_reported_as_missing(raw):
    result = normalise_departements(pd.Series([raw], dtype="object"))
    assert pd.isna(result.loc[0, "code"])
    assert result.loc[0, "reason"] == "valeur_manquante"


def test_result_is_aligned_on_the_input_index():
    values = pd.Series(["13", "20", "Ain"], index=[10, 20, 30], dtype="string")
    result = normalise_departements(values)
    assert list(result.index) == [10, 20, 30]
    assert result["code"].tolist()[0] == "13" and result["code"].tolist()[2] == "01"
    assert result["code"].dtype == "string"


def test_every_official_name_and_code_round_trips():
    from am_analytics import reference

    deps = reference.departements()
    for column in ("code", "name", "name_uppercase"):
        result = normalise_departements(deps[column])
        assert (result["code"] == deps["code"]).all(), column
    regions = reference.regions()
    assert (normalise_regions(regions["region_name"])["code"] == regions["region_code"]).all()


def test_region_of_departements():
    codes = pd.Series(["13", "2A", "976", "99"], dtype="string")
    assert region_of_departements(codes).tolist()[:3] == ["93", "94", "06"]
    assert pd.isna(region_of_departements(codes).iloc[3])


def test_simplify_removes_accents_punctuation_and_case():
    assert simplify("Côtes-d'Armor") == "COTES D ARMOR"
    assert simplify("Bouches du Rh&ocirc;ne") == "BOUCHES DU RHONE"


def test_every_caisse_code_the_reference_confirms_follows_the_structure_used_for_the_others():
    # the département of an unlisted code is read from its structure: the confirmed codes must all follow it
    from am_analytics import reference
    from am_analytics.geography import structural_departement

    coded = reference.caisses().dropna(subset=["organisme_code"])
    assert len(coded) >= 20
    for code, departement in zip(coded["organisme_code"], coded["departement"], strict=True):
        assert structural_departement(code) == departement, code


@pytest.mark.parametrize(("code", "departement"), [("591", "59"), ("011", "01"), ("974", "974"), ("201", None),
                                                   ("961", None), ("12", None), ("5911", None)])
def test_an_unlisted_caisse_code_is_read_by_its_structure_or_not_at_all(code, departement):
    from am_analytics.geography import structural_departement

    assert structural_departement(code) == departement
