"""Synthetic activity of the demo's doctors: a CPAM follow-up table by year, for the general practitioners who
signed a contract (the demo's truth) and a pool of GPs who did not, in the same départements.

Calibrated so that the published design (Cnam, *Points de repère*, 3 December 2024) run on it reproduces the
published 48-month figures within `TOLERANCE_POINTS`: GPs who signed from 1 September 2019 to 31 August 2020,
compared with non-signatories, from the year before their signature to four years later
(`indicators.cnam_design.published_design`):
adult « médecin traitant » list +19,5 % (1 318 → 1 576) against +6,6 %, active list +4,5 % against −5,3 %, acts per
working day +7,2 % (27,5 → 29,5) against +0,5 %. Every doctor shares a secular trend (the non-signatories'
evolution); a signatory's own effect ramps up over `RAMP_YEARS` after the signature and varies by option, zone and
the assistant's background (assumptions, stated in the sidecar). SYNTHETIC: no doctor's activity is real.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.demo.randomness import stream
from am_analytics.demo.truth import synthetic_rpps
from am_analytics.indicators.cnam_design import COHORT, HORIZON_YEARS

FILE_NAME = "suivi_activite_medecins_2018_2024.csv"
HEADERS = {
    "medecin_id": "RPPS",
    "annee": "Année",
    "departement": "Département",
    "specialite": "Spécialité",
    "annee_installation": "Année d'installation",
    "patients_mt": "Patientèle MT adultes",
    "file_active": "File active",
    "actes": "Nombre d'actes",
    "jours_travailles": "Jours travaillés",
}
YEARS = tuple(range(2018, 2025))  # the MT list is counted at 31 December; the other measures over the year
POOL_SIZE = 1_500  # non-signatory GPs (the study compared 402 signatories with about 18 600)
RAMP_YEARS = 2.0  # a signatory's effect grows linearly over two years after the signature, then holds
TOLERANCE_POINTS = 1.0  # the published evolutions are reproduced within one percentage point

# The published 48-month evolutions (reference.commitment_effects), as factors over four years.
_STUDY = "cnam_points_de_repere_2024"
# Baseline levels (hypotheses but for the signatories' MT list, published: 1 318): the active list about twice
# the MT list, 27,5 and 25 acts per working day (29,5 − 2 and 25 − 0,1 published), about 215 working days a year.
NON_SIGNATORY_MT = 1_150
ACTIVE_LIST_RATIO = 2.0
WORKING_DAYS = 215
# Heterogeneity of the effect (hypotheses): larger with more assistant time, in under-served zones, with an
# assistant who was a nurse or care assistant; normalised so the study's cohort keeps the published mean.
OPTION_EFFECT = {"1/3": 0.75, "1/2": 1.0, "1": 1.4}
ZONE_EFFECT = {"zip": 1.15, "zac": 1.05, "hors_zone": 0.9}
BACKGROUND_EFFECT = {"infirmier": 1.15, "aide_soignant": 1.1, "secretaire_medicale": 1.0}
EFFECT_SPREAD = 0.35  # coefficient of variation of a signatory's own effect
NOISE = 0.015  # year-to-year noise of each measure
# Years installed at the first year observed (hypotheses): about 6 years for the smallest lists to 30 for the
# largest (a list builds up over a career), 6 years either way, within 0–40 years. Every doctor is installed by the
# first year of the table, which holds every year for every doctor.
SENIORITY_YEARS = (6.0, 30.0)
SENIORITY_SPREAD = 6.0
MAX_SENIORITY = 40
SPECIALTY_LABEL = "Médecine générale"  # the demo's doctors are all GPs (the published study's field)


def published_effects() -> dict[str, float]:
    """The published 48-month figures the demo is calibrated on (with their sources in the reference table)."""
    effects = reference.commitment_effects()
    study = effects[effects["study"] == _STUDY]
    return {f"{g}:{i}": float(v) for g, i, v in zip(study["group"], study["indicator"], study["value"], strict=True)}


def _factors() -> dict[str, tuple[float, float]]:
    """(secular trend over four years, signatories' own effect) per measure, from the published evolutions."""
    published = published_effects()
    factors = {}
    for measure, indicator in (("patients_mt", "patientele_mt_evolution_pct"),
                               ("file_active", "file_active_evolution_pct"),
                               ("actes_par_jour", "actes_par_jour_evolution_pct")):
        trend = 1 + published[f"non_signataires:{indicator}"] / 100
        total = 1 + published[f"signataires:{indicator}"] / 100
        factors[measure] = (trend, total / trend)
    return factors


def doctors(truth: pd.DataFrame, seed: int) -> pd.DataFrame:
    """One row per GP: the signatories' first contract (signature, option, zone, background, département) and a
    pool of non-signatories drawn in the signatories' départements."""
    first = truth.sort_values(["medecin_id", "date_signature"], kind="stable").drop_duplicates("medecin_id")
    signatories = first[first["specialite"] == "medecine_generale"]
    signatories = signatories.assign(etp_option=signatories["etp"])[
        ["medecin_id", "date_signature", "etp_option", "zone", "profil_origine", "departement"]]
    rng = stream(seed, "activity-pool")
    known = truth["medecin_id"].nunique()
    # one non-signatory in every signatory's département (a real pool has some everywhere), the others drawn in
    # proportion to the signatories: a small département may still hold too few to match within it
    everywhere = np.sort(signatories["departement"].dropna().unique().astype(object))
    drawn = rng.choice(signatories["departement"].to_numpy(dtype=object), POOL_SIZE - len(everywhere))
    pool = pd.DataFrame({
        # indices after every doctor of the truth: the same permutation keeps all identifiers distinct
        "medecin_id": synthetic_rpps(np.arange(known, known + POOL_SIZE), seed),
        "date_signature": pd.NaT,
        "departement": rng.permutation(np.concatenate([everywhere, drawn])),
    })
    return pd.concat([signatories, pool], ignore_index=True).sort_values("medecin_id", kind="stable")


def _effect_scale(frame: pd.DataFrame, seed: int) -> np.ndarray:
    """Each signatory's share of the effect: option × zone × background × individual spread, normalised to a mean
    of one over the published study's cohort (0 for a non-signatory)."""
    rng = stream(seed, "activity-effect")
    scale = (
        frame["etp_option"].map(OPTION_EFFECT).astype("float64").fillna(1.0).to_numpy()
        * frame["zone"].map(ZONE_EFFECT).astype("float64").fillna(1.0).to_numpy()
        * frame["profil_origine"].map(BACKGROUND_EFFECT).astype("float64").fillna(0.95).to_numpy()
    )
    shape = 1 / EFFECT_SPREAD**2
    scale = scale * rng.gamma(shape, 1 / shape, len(frame))
    signed = frame["date_signature"].notna().to_numpy()
    cohort = signed & frame["date_signature"].between(*COHORT).to_numpy()
    return np.where(signed, scale / scale[cohort].mean(), 0.0)


def activity_table(truth: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The follow-up table in canonical columns: one row per GP and year of `YEARS`."""
    frame = doctors(truth, seed).reset_index(drop=True)
    rng = stream(seed, "activity-levels")
    n = len(frame)
    signed = frame["date_signature"].notna().to_numpy()
    # Levels in the year before the signature (2018 for a non-signatory): lognormal around the published means.
    mt = np.where(signed, 1318, NON_SIGNATORY_MT) * rng.lognormal(-0.045, 0.3, n)
    active = mt * ACTIVE_LIST_RATIO * rng.lognormal(-0.005, 0.1, n)
    per_day = np.where(signed, 27.5, 25.0) * rng.lognormal(-0.005, 0.1, n)
    days = np.clip(rng.normal(WORKING_DAYS, 15, n), 150, 260)
    installed = installation_years(mt, seed)
    reference_year = np.where(signed, frame["date_signature"].dt.year.fillna(2019).to_numpy() - 1, 2018)
    signature = (frame["date_signature"].dt.year + (frame["date_signature"].dt.day_of_year - 1) / 365.25).to_numpy()
    scale = _effect_scale(frame, seed)
    factors = _factors()
    noise = stream(seed, "activity-noise")
    rows = []
    for year in YEARS:
        span = year - reference_year
        # the MT list is a stock at 31 December; flows (active list, acts) are counted at mid-year
        ramp_stock = np.clip((year + 1 - signature) / RAMP_YEARS, 0, 1)
        ramp_flow = np.clip((year + 0.5 - signature) / RAMP_YEARS, 0, 1)

        def level(base, measure, ramp, span=span):
            trend, effect = factors[measure]
            own = 1 + (effect - 1) * scale * np.where(signed, ramp, 0.0)
            return base * trend ** (span / HORIZON_YEARS) * own * noise.lognormal(0, NOISE, n)

        worked = np.round(days * noise.lognormal(0, NOISE / 2, n))
        rows.append(pd.DataFrame({
            "medecin_id": frame["medecin_id"].to_numpy(),
            "annee": year,
            "departement": frame["departement"].to_numpy(dtype=object),
            "specialite": SPECIALTY_LABEL,
            "annee_installation": installed,
            "patients_mt": np.round(level(mt, "patients_mt", ramp_stock)).astype(np.int64),
            "file_active": np.round(level(active, "file_active", ramp_flow)).astype(np.int64),
            "actes": np.round(level(per_day, "actes_par_jour", ramp_flow) * worked).astype(np.int64),
            "jours_travailles": worked.astype(np.int64),
        }))
    return pd.concat(rows, ignore_index=True).sort_values(["medecin_id", "annee"], kind="stable").reset_index(
        drop=True)


def installation_years(patients_mt: np.ndarray, seed: int) -> np.ndarray:
    """Each doctor's year of installation, from a seniority at the first year observed that grows with the rank of
    the doctor's MT list (`SENIORITY_YEARS`, `SENIORITY_SPREAD`): drawn from its own random stream, so the levels and
    the calibration do not move."""
    rank = (np.argsort(np.argsort(patients_mt, kind="stable"), kind="stable") + 0.5) / len(patients_mt)
    low, high = SENIORITY_YEARS
    seniority = stream(seed, "activity-installation").normal(low + (high - low) * rank, SENIORITY_SPREAD)
    return YEARS[0] - np.round(np.clip(seniority, 0, MAX_SENIORITY)).astype(np.int64)


def to_csv_text(table: pd.DataFrame) -> str:
    """The table as a CPAM follow-up export writes it: `;`-separated, French headers."""
    return table.rename(columns=HEADERS)[list(HEADERS.values())].to_csv(sep=";", index=False, lineterminator="\n")


def assumptions() -> list[str]:
    factors = _factors()
    return [
        "Médecins : les généralistes signataires de la vérité synthétique (premier contrat) et "
        f"{POOL_SIZE} généralistes non signataires tirés dans les mêmes départements : un dans chaque département "
        "d'un signataire, les autres au prorata des signataires (identifiants RPPS synthétiques commençant par 99).",
        f"Années {YEARS[0]}–{YEARS[-1]} ; patientèle médecin traitant adulte au 31 décembre, file active, actes et "
        "jours travaillés sur l'année.",
        "Niveaux de l'année précédant la signature (2018 pour les non-signataires) : patientèle MT de 1 318 en "
        f"moyenne pour les signataires (publié), {NON_SIGNATORY_MT} pour les autres (hypothèse) ; file active "
        f"environ {ACTIVE_LIST_RATIO:g} fois la patientèle MT, {WORKING_DAYS} jours travaillés, 27,5 et 25 actes "
        "par jour (déduits des 29,5 et 25 publiés) (hypothèses).",
        "Tendance commune sur quatre ans égale à l'évolution publiée des non-signataires (patientèle MT "
        f"×{factors['patients_mt'][0]:.3f}, file active ×{factors['file_active'][0]:.3f}, actes par jour "
        f"×{factors['actes_par_jour'][0]:.3f}) ; effet propre des signataires (×{factors['patients_mt'][1]:.3f}, "
        f"×{factors['file_active'][1]:.3f}, ×{factors['actes_par_jour'][1]:.3f}) atteint linéairement en "
        f"{RAMP_YEARS:g} ans après la signature, pour reproduire les évolutions publiées à 48 mois (Cnam, Points de "
        f"repère, 3 décembre 2024) à {TOLERANCE_POINTS:g} point près.",
        "Hétérogénéité de l'effet (hypothèses) : option 1/3 ×0,75, 1/2 ×1, 1 ETP ×1,4 ; zone ZIP ×1,15, ZAC ×1,05, "
        "hors zonage ×0,9 ; assistant ancien infirmier ×1,15, aide-soignant ×1,1, secrétaire ×1, autre ×0,95 ; "
        f"dispersion individuelle (coefficient de variation {EFFECT_SPREAD:g}) ; moyenne ramenée à l'effet publié "
        "sur la cohorte signataire du 01/09/2019 au 31/08/2020.",
        "Département d'exercice : celui du premier contrat pour un signataire, celui du tirage pour un "
        f"non-signataire (constant sur la période) ; spécialité « {SPECIALTY_LABEL} » pour tous. Année "
        f"d'installation (hypothèse) : ancienneté en {YEARS[0]} croissant avec le rang de la patientèle MT, de "
        f"{SENIORITY_YEARS[0]:g} ans en moyenne pour les plus petites à {SENIORITY_YEARS[1]:g} ans pour les plus "
        f"grandes (écart type {SENIORITY_SPREAD:g} ans, bornée à 0–{MAX_SENIORITY} ans) : installations de "
        f"{YEARS[0] - MAX_SENIORITY} à {YEARS[0]}.",
        f"Bruit annuel de {NOISE:.1%} sur chaque mesure ; aucune patientèle initiale ni objectif écrits (la grille "
        "des options 1/2 et 1 ETP n'est pas publique).",
    ]
