"""The report's section « Contreparties et accès aux soins »: the doctors' commitments (objectives and statuses at
the latest review), the estimated effect of signing, the patients and medical time it implies, and the Cnam's
design beside the published figures. A layout: it lays out published items (`NationalResults.commitments`,
`commitment_effect`, `commitment_gains`, `commitment_cross`) and computes nothing.

Its tables go to the annex PDF (`annex.ANNEX_SECTIONS`): they would take the body past its ten pages; the body
shows the main finding in one figure (`body.access_to_care`) and says where the tables are."""

from __future__ import annotations

import pandas as pd

from am_analytics.figures.formatting import format_number
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation.results import NationalResults
from am_analytics.vocabulary import NATIONAL_LABEL

SECTION_TITLE = "Contreparties et accès aux soins"
# The tables of the statuses the PDF prints; every dimension goes to the workbook.
IN_PDF = ("region", "etp_option", "profil_origine")


def commitments_section(layout, ed) -> None:
    """Lay out the section on `layout` (the report's `_Layout`) for an edition `ed` (`build.Edition`). National
    results in every edition: a regional edition titles it « France entière » (the estimate needs every signatory)."""
    scope, national = ed.scope, ed.national
    title = SECTION_TITLE if scope.region is None else f"{SECTION_TITLE} — {NATIONAL_LABEL}"
    if not scope.covers_france:  # the estimate needs every signatory of France: one region's extracts cannot give it
        layout.section(title, ["Les extractions reçues ne couvrent pas la France entière : l'effet de la signature, "
                               "estimé sur tous les signataires, n'est pas publié dans cette édition."], new_page=True)
        return
    if national.commitments is None and national.commitment_effect is None:
        layout.section(title, ["Aucune table d'activité des médecins dans les fichiers reçus, ou pas encore assez de "
                               "recul à la date d'arrêté : rien n'est publié sur les contreparties."], new_page=True)
        return
    regional = ["Résultats nationaux : l'estimation demande les signataires de toute la France."] if scope.region \
        else []
    layout.section(title, [*_intro_lines(national), *regional], new_page=True)
    if national.commitments is not None:
        layout.section("Objectifs à la dernière revue semestrielle")
        for dimension in cat.COMMITMENT_DIMENSIONS:
            layout.table(cat.commitments_table(national.commitments, dimension), in_pdf=dimension in IN_PDF,
                         emphasised=(0,))
    if national.commitment_effect is not None:
        layout.section("Effet de la signature")
        layout.table(cat.commitment_effect_table(national.commitment_effect))
        layout.table(cat.event_study_table(national.commitment_effect))
    if national.commitment_gains is not None:
        layout.section("Patients et temps médical attribuables")
        layout.table(cat.commitment_gains_table(national.commitment_gains), emphasised=(0,))
    if national.commitment_cross is not None:
        layout.section("Le plan de l'étude Cnam face aux chiffres publiés")
        layout.table(cat.commitment_cross_table(national.commitment_cross, synthetic=scope.synthetic))
    layout.note(f"Méthode et limites : voir « {cat.METHODS['effet_engagements'].title} » dans ces annexes.")


def _intro_lines(national: NationalResults) -> list[str]:
    """What the section says first, read from the published items (a hidden figure is never quoted)."""
    lines = ["L'aide est versée en échange d'un engagement du médecin à suivre plus de patients : un objectif de "
             "patientèle revu tous les six mois avec la CPAM, dont dépend l'aide à partir de la troisième année."]
    effect = national.commitment_effect
    if effect is not None:
        overall = effect[(effect["dimension"] == "ensemble").to_numpy(dtype=bool)
                         & effect["periode_evenement"].isna().to_numpy(dtype=bool)].set_index("mesure")
        if "patients_mt" in overall.index and pd.notna(overall.loc["patients_mt", "effet_pct"]):
            row = overall.loc["patients_mt"]
            lines.append(
                f"Après la période de signature, la patientèle médecin traitant des signataires a progressé de "
                f"{format_number(row['effet_pct'], 1)} % de plus que celle de non-signataires comparables "
                f"(intervalle à 95 % : {format_number(row['ic_bas'], 1)} à {format_number(row['ic_haut'], 1)} %), "
                f"sur {format_number(row['signataires'], 0)} signataires appariés.")
    gains = national.commitment_gains
    if gains is not None and (gains["code"] == "FR").any():
        france = gains[gains["code"] == "FR"].iloc[0]
        if pd.notna(france["patients_attribuables"]) and pd.notna(france["etp_medical"]):
            lines.append(
                f"Soit {format_number(france['patients_attribuables'], 0)} patients médecin traitant et "
                f"{format_number(france['etp_medical'], 1)} ETP de temps médical attribuables au dispositif, "
                "France entière (hypothèses dans la méthode ; valeurs du tableau par région).")
    return lines
