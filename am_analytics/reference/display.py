"""French display labels of the published figures (`published_figures.csv`): the indicator codes, qualifiers,
sources and notes as a reader sees them. The CSV stays as collected (codes, unaccented text, research notes in
English); this mapping has the same provenance (the `published_figures` record) and only rewords it — every
number, date and source name is kept. A value with no French wording here is refused by `published_figures_fr`.
"""

from __future__ import annotations

import pandas as pd

from am_analytics.vocabulary import PUBLISHED_QUALIFIERS

INDICATORS = {
    "contrats_signes_ou_en_cours": "contrats signés ou en cours de signature",
    "contrats_signes": "contrats signés",
    "part_medecins_generalistes_pct": "part des médecins généralistes (%)",
    "part_zone_sous_dense_pct": "part en zone sous-dense (%)",
    "part_option_1_3_etp_pct": "part de l'option 1/3 ETP (%)",
    "part_option_1_2_etp_pct": "part de l'option 1/2 ETP (%)",
    "part_option_1_etp_pct": "part de l'option 1 ETP (%)",
    "etp_assistants": "ETP d'assistants",
    "contrats_signes_medecins_generalistes": "contrats signés par des généralistes",
    "contrats_signes_specialistes": "contrats signés par d'autres spécialistes",
    "contrats_option_1_3_etp": "contrats à 1/3 ETP",
    "contrats_option_1_etp": "contrats à 1 ETP",
    "part_profil_secretaire_medicale_pct": "part d'anciennes secrétaires médicales (%)",
    "contrats_profil_infirmier": "contrats avec un ancien infirmier",
    "contrats_profil_aide_soignant": "contrats avec un ancien aide-soignant",
    "contrats_signes_departement_93": "contrats signés, Seine-Saint-Denis",
    "contrats_signes_departement_31": "contrats signés, Haute-Garonne",
    "contrats_signes_departement_30": "contrats signés, Gard",
    "contrats_zone_sous_dense": "contrats en zone sous-dense",
    "part_profil_infirmier_pct": "part d'anciens infirmiers (%)",
    "part_profil_aide_soignant_pct": "part d'anciens aides-soignants (%)",
    "contrats_signes_departement_75": "contrats signés, Paris",
    "taux_recours_mg_eligibles_pct": "part des généralistes éligibles qui recourent au dispositif (%)",
}

SOURCES = {
    # the sources of the published effects on doctors' activity (`commitment_effects.csv`, written without accents)
    "Cnam, Points de repere « Aide a l'emploi d'un assistant medical : un bilan a 4 ans encourageant », ameli.fr":
        "Cnam, Points de repère « Aide à l'emploi d'un assistant médical : un bilan à 4 ans encourageant », ameli.fr",
    "egora.fr, « Les generalistes ayant embauche un assistant medical ont augmente leur patientele au-dela des "
    "esperances » (decembre 2024)": "egora.fr, « Les généralistes ayant embauché un assistant médical ont augmenté "
    "leur patientèle au-delà des espérances » (décembre 2024)",
    "vivamagazine.fr, « Assistants medicaux : un bilan encourageant » (decembre 2024), citant la Cnam":
        "vivamagazine.fr, « Assistants médicaux : un bilan encourageant » (décembre 2024), citant la Cnam",
    "ameli.fr ; egora.fr ; lesechos-etudes.fr (decembre 2024), d apres la Cnam":
        "ameli.fr ; egora.fr ; lesechos-etudes.fr (décembre 2024), d'après la Cnam",
    "euro.dayfr ; vivamagazine.fr (decembre 2024), citant la Cnam":
        "euro.dayfr ; vivamagazine.fr (décembre 2024), citant la Cnam",
    "egora.fr (Dec 2019)": "egora.fr (déc. 2019)",
    "jim.fr (17 Jun 2022)": "jim.fr (17 juin 2022)",
    "egora.fr (Jan 2021; CPN figures)": "egora.fr (janv. 2021 ; chiffres de la CPN)",
    "egora.fr (Jan 2021)": "egora.fr (janv. 2021)",
    "Quotidien du Medecin via community.doctolib.fr": "Le Quotidien du Médecin, repris par community.doctolib.fr",
    "concourspluripro.fr (Feb 2025)": "concourspluripro.fr (févr. 2025)",
    "lequotidiendumedecin.fr (16 Jun 2022; Cnam bilan to CPN)": "lequotidiendumedecin.fr (16 juin 2022 ; bilan de la "
    "Cnam présenté à la CPN)",
    "cardiologie.lequotidiendumedecin.fr (Jun 2022)": "cardiologie.lequotidiendumedecin.fr (juin 2022)",
    "lequotidiendumedecin.fr (16 Jun 2022)": "lequotidiendumedecin.fr (16 juin 2022)",
    "lequotidiendumedecin.fr; jim.fr (Jun 2022)": "lequotidiendumedecin.fr ; jim.fr (juin 2022)",
    "lesml.org (Jun 2022)": "lesml.org (juin 2022)",
    "lequotidiendumedecin.fr (18 Nov 2022)": "lequotidiendumedecin.fr (18 nov. 2022)",
    "AFP (presidential address 6 Jan 2023)": "AFP (vœux du président de la République, 6 janv. 2023)",
    "concourspluripro.fr (minister quoted)": "concourspluripro.fr (propos de la ministre)",
    "egora.fr (Dec 2023; Cnam meeting of 7 Dec 2023)": "egora.fr (déc. 2023 ; réunion de la Cnam du 7 déc. 2023)",
    "egora.fr (Dec 2023)": "egora.fr (déc. 2023)",
    "communaute.macsf.fr (Dec 2023)": "communaute.macsf.fr (déc. 2023)",
    "Prime Minister speech (nosdeputes.fr 16/487350)": "déclaration du Premier ministre (nosdeputes.fr 16/487350)",
    "concourspluripro.fr (Apr 2024)": "concourspluripro.fr (avr. 2024)",
    "egora.fr (Sep 2025)": "egora.fr (sept. 2025)",
    "ameli.fr (bilan a 4 ans; Dec 2024)": "ameli.fr (bilan à 4 ans ; déc. 2024)",
    "ameli.fr (Dec 2024)": "ameli.fr (déc. 2024)",
    "caducee.net (Dec 2024)": "caducee.net (déc. 2024)",
    "rmc.bfmtv.com (16 Dec 2024)": "rmc.bfmtv.com (16 déc. 2024)",
    "egora.fr (Observatoire de l'acces aux soins; Cnam 25 Sep 2025)": "egora.fr (Observatoire de l'accès aux soins ; "
    "Cnam, 25 sept. 2025)",
}

NOTES = {
    "'pres de 300' signed or in progress; 130 signed + 160 in progress early Dec 2019": "« près de 300 » signés ou "
    "en cours ; 130 signés et 160 en cours début décembre 2019",
    "'environ 300 en janvier 2020'": "« environ 300 en janvier 2020 »",
    "mid-February 2021": "mi-février 2021",
    "105 more being signed": "105 autres en cours de signature",
    "'1 724' in another edition": "« 1 724 » dans une autre édition",
    "78 pct": "78 %",
    "cardiologues 180, ophtalmologues 110, pediatres 65, psychiatres 38, dermatologues 33": "cardiologues 180, "
    "ophtalmologues 110, pédiatres 65, psychiatres 38, dermatologues 33",
    "SML gives 1 686 secretaries": "le SML compte 1 686 secrétaires",
    "top departement": "premier département",
    "'pres de 4 000'": "« près de 4 000 »",
    "date inferred (~June 2023)": "date déduite (vers juin 2023)",
    "'de 6 000 a 10 000'": "« de 6 000 à 10 000 »",
    "171 liberaux + 29 centres de sante": "171 libéraux et 29 centres de santé",
    "'un peu plus de 7500 un an auparavant'; conflicts with 7 240 at 31 Oct 2024": "« un peu plus de 7 500 un an "
    "auparavant » ; contredit les 7 240 du 31 octobre 2024",
    "press says 77 pct but 5283/7240 = 73 pct": "la presse écrit 77 %, mais 5 283 / 7 240 = 73 %",
    "share of eligible GPs using the scheme": "part des généralistes éligibles qui recourent au dispositif",
}


def _french(values: pd.Series, mapping: dict[str, str], what: str) -> pd.Series:
    missing = sorted(set(values.dropna().astype(str)) - set(mapping))
    if missing:
        raise KeyError(f"{what} sans libellé français : {', '.join(missing)}")
    return values.map(lambda value: mapping.get(str(value)) if pd.notna(value) else pd.NA).astype("string")


def published_figures_fr(figures: pd.DataFrame) -> pd.DataFrame:
    """The published figures with their French display columns: `indicateur_libelle`, `precision`
    (qualifier), `source_fr` and `note_fr`. Raises `KeyError` naming any value without a French wording."""
    result = figures.assign(
        indicateur_libelle=_french(figures["indicator"], INDICATORS, "indicateur"),
        precision=_french(figures["qualifier"], PUBLISHED_QUALIFIERS, "précision"),
        source_fr=_french(figures["source"], SOURCES, "source"),
        note_fr=_french(figures["note"], NOTES, "note").fillna(""),
    )
    result.attrs = dict(figures.attrs)
    return result
