"""Header matching: every documented spelling maps to its canonical column, whatever its case, accents
or punctuation; a missing or duplicated column is a clear error; files are routed to their dataset."""

from __future__ import annotations

import pytest

from am_analytics.errors import DataError
from am_analytics.ingest.headers import DATASETS, alias_lookup, detect_dataset, match_columns, normalise_label
from am_analytics.ingest.read import read_table

# The spellings the brief (and the demo-data generator) requires, per dataset and canonical column.
REQUIRED_SPELLINGS = {
    "contracts": {
        "contrat_id": ["N° contrat", "Numéro de contrat", "numero_contrat", "NUM_CONTRAT"],
        "medecin_id": ["RPPS", "RPPS médecin", "Identifiant RPPS", "rpps_medecin"],
        "date_signature": ["Date de signature", "date_signature", "Date signature contrat"],
        "date_fin": ["Date de fin", "date_fin", "Date fin contrat", "Date de résiliation"],
        "departement": ["Département", "Dépt", "code_departement", "DEPARTEMENT"],
        "specialite": ["Spécialité", "specialite", "Spécialité du médecin"],
        "zone": ["Zone", "Zonage", "zone_sous_dense"],
        "etp": ["Quotité", "Option ETP", "etp", "Temps de travail"],
        "profil_origine": ["Profil d'origine", "Profession antérieure", "profil_origine"],
        "formation": ["Formation", "Formation suivie", "statut_formation"],
        "date_prise_fonction": ["Date de prise de fonction", "date_prise_fonction", "Date d'embauche"],
        "aide_versee_eur": ["Aide versée (€)", "aide_versee", "Montant aide"],
    },
    "territory_year": {
        "annee": ["Année", "annee"],
        "code_region": ["Code région", "code_region"],
        "libelle_region": ["Région", "libelle_region"],
        "code_departement": ["Code département", "code_departement"],
        "libelle_departement": ["Département", "libelle_departement"],
        "nombre_contrats": ["Nombre de contrats", "nombre_contrats"],
        "taux_recours_pct": ["Part des médecins généralistes éligibles ayant recours (%)", "taux_recours"],
    },
    "survey": {
        "repondant_id": ["Identifiant répondant"],
        "type_repondant": ["Type de répondant"],
        "region": ["Région"],
        "profil_origine": ["Profil d'origine"],
        "specialite": ["Spécialité"],
        "poids": ["Poids"],
        "satisfaction": ["Satisfaction globale"],
        "temps_gagne": ["Temps médical gagné"],
        "mission_accueil": ["Mission : accueil"],
        "mission_constantes": ["Mission : constantes"],
        "mission_vaccination_depistage": ["Mission : vaccination et dépistage"],
        "mission_dossier": ["Mission : dossier patient"],
        "mission_coordination": ["Mission : coordination"],
        "mission_aide_actes": ["Mission : aide aux actes techniques"],
        "mission_stocks": ["Mission : gestion des stocks"],
        "mission_hygiene": ["Mission : hygiène"],
        "recommande": ["Recommanderait le dispositif"],
        "poursuivre": ["Souhaite poursuivre"],
    },
}
CASES = [
    (dataset, canonical, spelling)
    for dataset, columns in REQUIRED_SPELLINGS.items()
    for canonical, spellings in columns.items()
    for spelling in spellings
]


def required_columns_except(dataset: str, canonical: str) -> list[str]:
    return [c for c in DATASETS[dataset].required if c != canonical]


@pytest.mark.parametrize(("dataset", "canonical", "spelling"), CASES)
def test_each_documented_spelling_maps_to_its_canonical_column(dataset, canonical, spelling):
    columns = [spelling, *required_columns_except(dataset, canonical)]
    assert match_columns(columns, dataset)[spelling] == canonical


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("  QUOTITE ", "etp"),
        ("quotité", "etp"),
        ("Quotité.", "etp"),
        ("N°contrat", "contrat_id"),
        ("n° CONTRAT", "contrat_id"),
        ("Date  de\nsignature", "date_signature"),
        ("date-signature", "date_signature"),
        ("AIDE VERSEE", "aide_versee_eur"),
        ("departement", "departement"),
    ],
)
def test_matching_ignores_case_accents_spaces_and_punctuation(raw, canonical):
    columns = [raw, *required_columns_except("contracts", canonical)]
    assert match_columns(columns, "contracts")[raw] == canonical


@pytest.mark.parametrize(
    ("label", "normalised"),
    [("Aide versée (€)", "aide_versee"), ("N° contrat", "numero_contrat"), ("Profil d'origine", "profil_origine"),
     ("  Mission : hygiène ", "mission_hygiene"), ("DÉPT.", "departement"), ("NUM_CONTRAT", "numero_contrat"),
     ("DT_SIGNATURE", "date_signature"), ("Date de la signature", "date_signature"), ("MT_AIDE", "montant_aide")],
)
def test_normalise_label(label, normalised):
    assert normalise_label(label) == normalised


def test_unknown_headers_are_left_out_of_the_mapping():
    columns = ["N° contrat", "RPPS", "Date de signature", "Département", "Quotité", "Commentaire CPAM"]
    assert "Commentaire CPAM" not in match_columns(columns, "contracts")


def test_no_alias_is_claimed_by_two_columns_of_one_dataset():
    for name, spec in DATASETS.items():
        lookup = alias_lookup(name)
        for canonical, aliases in spec.aliases.items():
            for alias in aliases:
                assert lookup[normalise_label(alias)] == canonical, f"{name}: « {alias} » is ambiguous"


def test_missing_required_column_lists_found_columns_and_closest_match():
    columns = ["N° contrat", "RPPS", "Date de signature", "Département", "Quotité ETP (option)"]
    with pytest.raises(DataError) as error:
        match_columns(columns, "contracts", file="contrats.csv")
    message = str(error.value)
    assert message.startswith("contrats.csv : colonne obligatoire absente pour « contracts » : etp")
    assert "la plus proche est « Quotité ETP (option) »" in message
    assert "Colonnes trouvées : « N° contrat », « RPPS »" in message
    assert "→" in message


def test_each_missing_column_is_named_with_its_own_suggestion():
    with pytest.raises(DataError) as error:
        match_columns(["N° contrat", "RPPS", "Date signée", "Dptmt"], "contracts", file="c.csv")
    message = str(error.value)
    assert "colonnes obligatoires absentes" in message
    for canonical in ("date_signature", "departement", "etp"):
        assert f"{canonical} (attendu" in message
    assert "la plus proche est « Date signée »" in message
    assert "etp (attendu par exemple « Quotité », « Option ETP », « etp ») : aucune colonne proche" in message


def test_two_headers_meaning_the_same_column_are_rejected_naming_both():
    columns = ["N° contrat", "RPPS", "Date de signature", "Département", "Dépt", "Quotité"]
    with pytest.raises(DataError) as error:
        match_columns(columns, "contracts", file="contrats.csv")
    assert "« Département » et « Dépt » désignent toutes deux « departement »" in str(error.value)
    assert str(error.value).startswith("contrats.csv")


@pytest.mark.parametrize(
    ("columns", "dataset"),
    [
        (["N° contrat", "RPPS", "Date de signature", "Département", "Quotité", "Profil d'origine"], "contracts"),
        (["numero_contrat", "rpps_medecin", "date_signature", "code_departement", "etp"], "contracts"),
        (["Année", "Code région", "Région", "Code département", "Département", "Nombre de contrats"],
         "territory_year"),
        (["annee", "code_region", "libelle_region", "nombre_contrats", "taux_recours"], "territory_year"),
        (["Identifiant répondant", "Type de répondant", "Région", "Profil d'origine", "Poids",
          "Satisfaction globale"], "survey"),
    ],
)
def test_detect_dataset_uses_the_whole_header_set(columns, dataset):
    assert detect_dataset(columns) == dataset


@pytest.mark.parametrize("columns", [["Nom", "Prénom", "Ville"], ["Région", "Département"], []])
def test_detect_dataset_returns_none_when_nothing_says_which_dataset(columns):
    assert detect_dataset(columns) is None


def test_unknown_dataset_name_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown dataset"):
        match_columns(["RPPS"], "contrats")


def test_cp1252_file_with_accented_headers_is_read_and_matched(tmp_path):
    path = tmp_path / "contrats.csv"
    path.write_bytes(
        "NUM_CONTRAT;RPPS médecin;Date signature contrat;Dépt;Option ETP;Spécialité du médecin\r\n"
        "C1;10001234567;04/03/2021;01;1/3;MG\r\n".encode("cp1252")
    )
    raw = read_table(path)
    mapping = match_columns(list(raw.frame.columns), "contracts", file=path.name)
    assert sorted(mapping.values()) == sorted(
        ["contrat_id", "medecin_id", "date_signature", "departement", "etp", "specialite"]
    )


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("DT_SIGNATURE", "date_signature"), ("DT_FIN", "date_fin"), ("NUM_CONTRAT", "contrat_id"),
     ("Numéro du contrat", "contrat_id"), ("CD_DEPT", "departement"), ("MT_AIDE", "aide_versee_eur"),
     ("Date de la signature", "date_signature"), ("N° du RPPS", "medecin_id")],
)
def test_headers_abbreviated_as_exports_write_them_are_read(raw, canonical):
    columns = [raw, *required_columns_except("contracts", canonical)]
    assert match_columns(columns, "contracts")[raw] == canonical
