"""Value normalisers: every spelling seen in real extracts maps to its canonical value, and every failure
carries the reason code the quarantine will record."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from am_analytics.ingest import values as v
from am_analytics.vocabulary import ETP_OPTIONS, FORMATIONS, PROFILS, REASONS, SPECIALITES, ZONES


def one(normalise, raw, **options) -> tuple[object, object]:
    """(value, reason) for a single raw cell, NA written as None."""
    result = normalise(pd.Series([raw], dtype="string"), **options).iloc[0]
    value = None if pd.isna(result["value"]) else result["value"]
    reason = None if pd.isna(result["reason"]) else result["reason"]
    return value, reason


def known_reason(code: str) -> bool:
    return code in REASONS


# --- FTE ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("1/3", "1/3"), ("0,33", "1/3"), ("0.33", "1/3"), ("0,333", "1/3"), ("33 %", "1/3"), ("33%", "1/3"),
        ("tiers temps", "1/3"), ("tiers-temps", "1/3"), ("Tiers-Temps", "1/3"), ("option 1", "1/3"),
        ("1/2", "1/2"), ("0,5", "1/2"), ("0.5", "1/2"), ("50 %", "1/2"), ("mi-temps", "1/2"), ("mi temps", "1/2"),
        ("Mi-temps", "1/2"), ("option 2", "1/2"),
        ("1", "1"), ("1,0", "1"), ("100 %", "1"), ("temps plein", "1"), ("Temps plein", "1"), ("option 3", "1"),
        ("Option 3", "1"),
        ("1 + 1/2", "1+1/2"), ("1+1/2", "1+1/2"), ("1,5", "1+1/2"), ("1.5", "1+1/2"), ("150 %", "1+1/2"),
        ("2", "1+1"), ("1 + 1", "1+1"), ("1+1", "1+1"),
        (" 0,5 ", "1/2"),
    ],
)
def test_fte_spellings_map_to_their_option(raw, label):
    assert one(v.normalise_etp, raw) == (label, None)
    assert label in ETP_OPTIONS


@pytest.mark.parametrize(
    "raw", ["-1", "-0,5", "0", "0 %", "3", "2,5", "250 %", "0,8", "0,3", "abc", "1/0", "option 4", "1+", "½"]
)
def test_fte_negative_zero_too_large_or_garbage_is_invalid(raw):
    assert one(v.normalise_etp, raw) == (None, "etp_invalide")


def test_empty_fte_is_missing_when_required_and_plain_na_otherwise():
    assert one(v.normalise_etp, "") == (None, "valeur_manquante")
    assert one(v.normalise_etp, None, required=False) == (None, None)


# --- Backgrounds -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "profil"),
    [
        ("Secrétaire médicale", "secretaire_medicale"), ("secretaire medicale", "secretaire_medicale"),
        ("SECRÉTAIRE MÉDICALE", "secretaire_medicale"), ("Secrétaire", "secretaire_medicale"),
        ("IDE", "infirmier"), ("Infirmière", "infirmier"), ("Infirmier", "infirmier"), ("Infirmier·ère", "infirmier"),
        ("Aide-soignante", "aide_soignant"), ("Aide soignant", "aide_soignant"), ("AS", "aide_soignant"),
        ("DEAP", "auxiliaire_puericulture"), ("Auxiliaire de puériculture", "auxiliaire_puericulture"),
        ("AP", "auxiliaire_puericulture"),
        ("Assistante dentaire", "assistant_dentaire"),
        ("Autre paramédical", "autre_sante"), ("Autre profession de santé", "autre_sante"),
        ("Reconversion", "hors_sante"), ("Sans expérience santé", "hors_sante"), ("Hors santé", "hors_sante"),
        ("Sans expérience", "hors_sante"), ("Aucune expérience en santé", "hors_sante"),
        ("secretaire_medicale", "secretaire_medicale"),
    ],
)
def test_background_spellings_map_to_their_profil(raw, profil):
    assert one(v.normalise_profils, raw) == (profil, None)
    assert profil in PROFILS


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_background_is_a_known_unknown_not_an_error(raw):
    assert one(v.normalise_profils, raw) == ("inconnu", None)


@pytest.mark.parametrize("raw", ["Boulanger", "Autre", "infirm"])
def test_unrecognised_background_is_quarantined(raw):
    assert one(v.normalise_profils, raw) == (None, "profil_inconnu")


# --- Specialties, zones, training ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "specialite"),
    [
        ("Médecine générale", "medecine_generale"), ("MG", "medecine_generale"), ("Généraliste", "medecine_generale"),
        ("Cardiologie", "cardiologie"), ("Cardiologue", "cardiologie"), ("Ophtalmologie", "ophtalmologie"),
        ("Pédiatrie", "pediatrie"), ("Dermatologie", "dermatologie"), ("Psychiatrie", "psychiatrie"),
        ("Autre", "autre"), ("Neurologie", "autre"), ("Chirurgie", "autre"), ("Chirurgie orthopédique", "autre"),
        ("Gynécologie médicale", "autre"), ("Rhumatologue", "autre"), ("ORL", "autre"),
    ],
)
def test_specialty_spellings_map_to_their_category(raw, specialite):
    assert one(v.normalise_specialites, raw) == (specialite, None)
    assert specialite in SPECIALITES


def test_unknown_specialty_is_quarantined_and_empty_is_na():
    assert one(v.normalise_specialites, "Astrologie") == (None, "specialite_inconnue")
    assert one(v.normalise_specialites, "") == (None, None)


@pytest.mark.parametrize(
    ("raw", "zone"),
    [
        ("ZIP", "zip"), ("zip", "zip"), ("Zone d'intervention prioritaire", "zip"), ("ZAC", "zac"),
        ("Zone d'action complémentaire", "zac"), ("Hors zone", "hors_zone"), ("Hors ZIP/ZAC", "hors_zone"),
        (None, None), ("", None),
    ],
)
def test_zone_spellings(raw, zone):
    assert one(v.normalise_zones, raw) == (zone, None)
    assert zone is None or zone in ZONES


def test_unknown_zone_is_quarantined():
    assert one(v.normalise_zones, "Zone franche") == (None, "zone_inconnue")


@pytest.mark.parametrize(
    ("raw", "formation"),
    [
        ("CQP obtenu", "cqp_obtenu"), ("CQP en cours", "cqp_en_cours"), ("Diplôme d'État + FAE", "diplome_etat_fae"),
        ("DE + FAE", "diplome_etat_fae"), ("Aucune", "aucune"), ("aucune formation", "aucune"),
        ("Non commencée", "aucune"), (None, None), ("", None),
    ],
)
def test_training_spellings(raw, formation):
    assert one(v.normalise_formations, raw) == (formation, None)
    assert formation is None or formation in FORMATIONS


def test_unknown_training_is_quarantined():
    assert one(v.normalise_formations, "BTS") == (None, "formation_inconnue")


# --- Dates ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["2021-03-04", "04/03/2021", "04/03/21", "4/3/2021", "04-03-2021", "44259", "44259.0", "44259,0",
     "2021-03-04 00:00:00", "2021-03-04T10:30:00", " 04/03/2021 "],
)
def test_date_spellings_all_give_4_march_2021(raw):
    value, reason = one(v.normalise_dates, raw)
    assert (value, reason) == (pd.Timestamp("2021-03-04"), None), raw


@pytest.mark.parametrize(
    "raw", ["31/02/2021", "2021", "13/13/2021", "hier", "31 fevrier 2021", "99999", "12345", "mars 2021", "31FEB2021"]
)
def test_unreadable_dates_are_invalid(raw):
    assert one(v.normalise_dates, raw) == (None, "date_invalide")


def test_empty_date_is_na_or_missing_when_required():
    assert one(v.normalise_dates, "") == (None, None)
    assert one(v.normalise_dates, None, required=True) == (None, "valeur_manquante")


def test_dates_are_day_first():
    assert one(v.normalise_dates, "03/04/2021")[0] == pd.Timestamp("2021-04-03")


# --- Numbers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("1\u202f234,5", 1234.5), ("1.234,5", 1234.5),
        ("1234.5", 1234.5), ("1,234.5", 1234.5), ("1 234 567", 1234567.0), ("1.234.567", 1234567.0),
        ("12,5 %", 12.5), ("7 000,00 €", 7000.0), ("-3", -3.0), ("\u22123,5", -3.5), ("0", 0.0), (",5", 0.5),
    ],
)
def test_number_spellings(raw, number):
    assert one(v.normalise_numbers, raw) == (number, None)


@pytest.mark.parametrize("raw", ["NS", "ns", "N.S.", "secret"])
def test_not_significant_is_na_with_a_flag_not_an_error(raw):
    result = v.normalise_numbers(pd.Series([raw, "12"], dtype="string"))
    assert pd.isna(result["value"].iloc[0]) and pd.isna(result["reason"].iloc[0])
    assert result["non_significatif"].tolist() == [True, False]


@pytest.mark.parametrize("raw", ["abc", "1,2,3,4x", "12-3", "--1"])
def test_unreadable_numbers_are_invalid(raw):
    assert one(v.normalise_numbers, raw) == (None, "nombre_invalide")


def test_empty_number_is_na_or_missing_when_required():
    assert one(v.normalise_numbers, "") == (None, None)
    assert one(v.normalise_numbers, "", required=True) == (None, "valeur_manquante")


# --- Identifiers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "rpps"), [("10001234567", "10001234567"), (" 100 0123 4567 ", "10001234567")])
def test_rpps_is_eleven_digits_kept_as_text(raw, rpps):
    assert one(v.normalise_rpps, raw) == (rpps, None)


@pytest.mark.parametrize("raw", ["1000123456", "100012345678", "RPPS10001234", "0012345678A"])
def test_rpps_of_another_shape_is_invalid(raw):
    assert one(v.normalise_rpps, raw) == (None, "rpps_invalide")


def test_empty_rpps_is_missing():
    assert one(v.normalise_rpps, "") == (None, "valeur_manquante")


def test_contract_ids_are_kept_and_empty_ones_flagged():
    result = v.normalise_contrat_ids(pd.Series([" C-001 ", None], dtype="string"))
    assert result["value"].tolist()[0] == "C-001"
    assert result["reason"].tolist()[1] == "contrat_id_manquant"


# --- Shape of the results -------------------------------------------------------------------------------------


NORMALISERS = [
    v.normalise_etp, v.normalise_profils, v.normalise_specialites, v.normalise_zones, v.normalise_formations,
    v.normalise_dates, v.normalise_numbers, v.normalise_rpps, v.normalise_contrat_ids,
]


@pytest.mark.parametrize("normalise", NORMALISERS)
def test_results_keep_the_input_index_and_use_known_reason_codes(normalise):
    raw = pd.Series(["garbage ???", "", None, "garbage ???"], index=[10, 20, 30, 40], dtype="string")
    result = normalise(raw)
    assert list(result.index) == [10, 20, 30, 40]
    assert {"value", "reason"} <= set(result.columns)
    assert result["reason"].dtype == "string"
    assert all(known_reason(code) for code in result["reason"].dropna())


@pytest.mark.parametrize("normalise", NORMALISERS)
def test_object_and_text_series_give_the_same_result(normalise):
    cells = ["0,5", "IDE", "04/03/2021", "10001234567", None]
    as_text = normalise(pd.Series(cells, dtype="string"))
    as_object = normalise(pd.Series(cells, dtype=object))
    pd.testing.assert_frame_equal(as_text, as_object)


def test_a_million_rows_are_normalised_once_per_distinct_value():
    spellings = np.array(["1/3", "0,5", "mi-temps", "Temps plein", "1 + 1/2", "abc"])
    raw = pd.Series(spellings[np.arange(1_000_000) % 6], dtype="string")
    result = v.normalise_etp(raw)
    assert result["value"].value_counts().to_dict() == {"1/3": 166_667, "1/2": 333_334, "1": 166_667,
                                                         "1+1/2": 166_666}
    assert result["reason"].eq("etp_invalide").sum() == 166_666


def test_error_cells_of_every_spreadsheet_are_told_from_text_that_starts_alike():
    from am_analytics.ingest.values import error_cells

    cells = pd.Series(["#N/A", "#REF! ", "#VALEUR!", "#div/0!", "Err:502", "#1 rue", "N/A", None, "12"], dtype="string")
    assert error_cells(cells).tolist() == [True, True, True, True, True, False, False, False, False]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("810001234567", ("10001234567", None)),  # the national identifier: type 8, then the RPPS
        ("8 10001234567", ("10001234567", None)),
        ("351234567", (None, "identifiant_adeli_ou_am")),  # ADELI or Assurance Maladie practitioner number
        ("0351234567", (None, "identifiant_adeli_national")),  # "0" + ADELI
        ("35123456", (None, "identifiant_am_sans_cle")),
        ("910001234567", (None, "rpps_invalide")),
    ],
)
def test_identifiers_as_information_systems_write_them(raw, expected):
    assert one(v.normalise_rpps, raw) == expected
    if expected[1] is not None:
        assert "RPPS" in REASONS[expected[1]] and "11 chiffres" in REASONS[expected[1]]
