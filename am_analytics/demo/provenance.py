"""Provenance sidecars (`<file>.provenance.json`) and the README of the demo folder."""

from __future__ import annotations

from pathlib import Path

from am_analytics import __version__, atomic, reference
from am_analytics.checksum import sha256_of
from am_analytics.demo import calibration as cal
from am_analytics.demo import truth

WARNING = "Données de démonstration synthétiques — ne pas utiliser comme données réelles"
GENERATOR = "am_analytics.demo"


def calibration_sources() -> list[dict]:
    """Published figures and reference tables the generator is calibrated on, with their sources."""
    figures = reference.published_figures()
    used = figures["indicator"].isin(
        [
            "contrats_signes",
            "part_medecins_generalistes_pct",
            "contrats_signes_medecins_generalistes",
            "part_zone_sous_dense_pct",
            "contrats_zone_sous_dense",
            "part_option_1_3_etp_pct",
            "part_option_1_2_etp_pct",
            "part_option_1_etp_pct",
            "contrats_option_1_3_etp",
            "contrats_option_1_etp",
            "part_profil_secretaire_medicale_pct",
            "part_profil_infirmier_pct",
            "part_profil_aide_soignant_pct",
            "taux_recours_mg_eligibles_pct",
        ]
    ) | figures["indicator"].str.startswith("contrats_signes_departement_")
    sources = [
        {
            "table": "published_figures",
            "reference_date": row.reference_date.date().isoformat(),
            "indicator": row.indicator,
            "value": float(row.value),
            "qualifier": row.qualifier,
            "source": row.source,
        }
        for row in figures[used].itertuples(index=False)
    ]
    for table in ("departements", "population_departements", "doctors_departements", "funding_rules"):
        record = reference.provenance(table)
        sources.append(
            {
                "table": table,
                "title": record.title,
                "source": record.source,
                "source_url": record.source_url,
                "vintage": record.vintage,
            }
        )
    return sources


def contract_assumptions() -> list[str]:
    """Every assumption behind the contracts, in French, as the sidecars state them."""
    etp = "; ".join(
        f"jusqu'au {p.last_day:%d/%m/%Y} : " + ", ".join(f"{o} {s:.0%}" for o, s in p.mix.items()) + f" ({p.basis})"
        for p in cal.etp_periods()
    )
    return [
        "Dates de signature : courbe cumulée linéaire par morceaux passant par 0 au 01/09/2019, environ 130 début "
        "décembre 2019 et chaque effectif national publié qualifié « exact » ; tirage stratifié puis report des "
        "week-ends au jour ouvré le plus proche.",
        "Spécialité : part des généralistes par période déduite des parts cumulées publiées (82 % en janvier 2021 "
        "jusqu'à 73 % en octobre 2024) ; spécialistes répartis comme les 673 contrats de mai 2022 (cardiologie 180, "
        "ophtalmologie 110, pédiatrie 65, psychiatrie 38, dermatologie 33, autres).",
        "Zone : part sous-dense (ZIP + ZAC) par période déduite des parts publiées (54 %, 52 %, 58,6 %), puis "
        f"{cal.ZONE_SHARE_AFTER_2023:.0%} après novembre 2023 (hypothèse) ; {cal.ZIP_SHARE_OF_SOUS_DENSE:.0%} des "
        f"contrats sous-denses en ZIP (hypothèse) ; {cal.ZONE_EMPTY_SHARE:.1%} de zones non renseignées (hypothèse).",
        f"Quotité : {etp}. Avant le 01/05/2023, l'option 1 ETP n'est ouverte qu'en zone sous-dense ; aucune option "
        "1/3 après le 01/05/2023 ; options deuxième assistant seulement à partir du 22/06/2024.",
        "Profil d'origine : secrétaires médicales 54 %, infirmiers 8,5 %, aides-soignants 3,5 % (publiés) ; "
        "hypothèses pour les autres : auxiliaires de puériculture 1,5 %, assistants dentaires 3 %, autres "
        "paramédicaux 4 %, hors santé 24,5 %, non renseigné 1 %.",
        "Départements : contrats répartis au prorata des généralistes ESTIMÉS (densité × population, "
        f"estimated_generalists) avec un bruit log-normal (sigma {cal.DEPARTEMENT_NOISE_SIGMA}) ; parts de la "
        "Seine-Saint-Denis, de la Haute-Garonne et du Gard fixées sur leurs effectifs publiés au 28/05/2022 "
        "(113, 103, 77) et de Paris sur 200 au 15/04/2024.",
        "Mayotte : pas de population légale, donc pas d'estimation de généralistes ; son poids est sa part dans "
        "l'effectif publié de médecins (251, TCRD_068) appliquée au total estimé des généralistes (hypothèse). "
        "Aucune population n'est inventée.",
        f"Résiliations : {truth.TERMINATION_RATE_PER_YEAR:.0%} par an à compter de la prise de fonction "
        f"(hypothèse) ; contrats de {truth.CONTRACT_YEARS} ans, renouvelés par {truth.RENEWAL_SHARE:.0%} des "
        "médecins arrivés au terme (nouveau contrat du même médecin, hypothèse).",
        "Deuxième assistant : le contrat 1 ETP + 1/2 ou 1 ETP + 1 remplace un contrat 1 ETP du même médecin en "
        "cours depuis au moins deux ans, qui prend fin la veille (hypothèse).",
        f"Prise de fonction : {truth.ALREADY_IN_POST_SHARE:.0%} le jour de la signature (secrétaire déjà en poste), "
        "sinon une semaine plus un délai gamma d'environ trois semaines en moyenne (hypothèse) ; vide si postérieure "
        "au 30/06/2025.",
        "Formation au 30/06/2025 : titulaires d'un diplôme d'État (infirmiers, aides-soignants, auxiliaires de "
        f"puériculture) en formation d'adaptation pour {truth.FAE_SHARE_OF_DIPLOMA_HOLDERS:.0%} ; sinon CQP obtenu "
        "de plus en plus souvent avec l'ancienneté (jusqu'à 90 %), environ 10 % en retard sur le délai de 3 ans "
        "(2 ans pour les contrats de la convention 2024) ; 2 % non renseignée (hypothèses).",
        "Aide versée : montants annuels de funding_rules (tranche de patientèle standard), au prorata du temps "
        "écoulé depuis la prise de fonction, au régime en vigueur au début de chaque année de contrat ; vide pour "
        "les options deuxième assistant (montants non publiés).",
        "Identifiants RPPS synthétiques : 11 chiffres commençant par 99 (aucun RPPS réel ne commence par 9), "
        "avec une clé de Luhn ; ils ne peuvent désigner personne.",
    ]


def sidecar(
    path: Path,
    *,
    seed: int,
    n_contracts: int,
    description: str,
    rows: int,
    file_format: dict,
    assumptions: list[str],
    defects: list[dict] | None = None,
    extra: dict | None = None,
) -> dict:
    """The provenance record of one generated file."""
    record = {
        "file": path.name,
        "synthetic": True,
        "warning": WARNING,
        "description": description,
        "generator": {
            "name": GENERATOR,
            "package_version": __version__,
            "command": f"python -m {GENERATOR} --seed {seed} --contracts {n_contracts}",
        },
        "seed": seed,
        "contracts_requested": n_contracts,
        "format": file_format,
        "calibration_sources": calibration_sources(),
        "assumptions": assumptions,
        "injected_defects": defects or [],
        "sha256": sha256_of(path),
        "rows": rows,
    }
    record.update(extra or {})
    return record


def write_sidecar(path: Path, record: dict) -> Path:
    return atomic.write_json(path.with_name(path.name + ".provenance.json"), record)


def readme_text(files: list[tuple[str, str]], seed: int, n_contracts: int) -> str:
    listing = "\n".join(f"- `{name}` : {description}" for name, description in files)
    return f"""# Données de démonstration synthétiques

**{WARNING}.**

Ce dossier contient des données **synthétiques**, produites de façon déterministe par le paquet
`am_analytics` (module `{GENERATOR}`). Aucune donnée au contrat, aucune série régionale mensuelle et
aucune microdonnée d'enquête n'est publique : ces fichiers en tiennent lieu pour la démonstration. Ils
sont calés sur les effectifs nationaux publiés (`published_figures.csv` des tables de référence), mais
aucun contrat, médecin ni répondant n'est réel. Les identifiants RPPS commencent par 99, préfixe
qu'aucun RPPS réel n'utilise.

Chaque fichier a, à côté de lui, un fichier `<fichier>.provenance.json` : indicateur `synthetic: true`,
graine, sources de calage, hypothèses, défauts injectés (fichier, ligne, colonne, valeur et traitement
attendu), empreinte SHA-256 et nombre de lignes.

## Fichiers

{listing}

## Régénérer

```bash
make demo
# ou
python -m {GENERATOR} --seed {seed} --contracts {n_contracts}
```

La même graine donne exactement les mêmes octets. Ne pas modifier ces fichiers à la main : les
régénérer.
"""
