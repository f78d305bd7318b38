"""Synthetic satisfaction survey (February 2021, BVA-style): respondent microdata and institute-style tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.demo import xlsx
from am_analytics.demo.randomness import stream
from am_analytics.vocabulary import PROFILS, SPECIALITES

MICRODATA_FILE = "enquete_satisfaction_2021_microdonnees.csv"
TABLES_FILE = "enquete_satisfaction_2021_tableaux.xlsx"
FIELDWORK_START = pd.Timestamp(2021, 2, 1)  # respondents: contracts signed and assistants in post by then
RESPONDENTS = {"Médecin": 720, "Assistant médical": 480}  # about 1 200, 60 % doctors

# Answer distributions are ASSUMPTIONS: the real survey's numbers are not public, only that doctors
# were satisfied and reported time saved.
SATISFACTION = ("Très satisfait", "Plutôt satisfait", "Plutôt pas satisfait", "Pas du tout satisfait")
SATISFACTION_SHARES = {"Médecin": (0.45, 0.43, 0.09, 0.03), "Assistant médical": (0.50, 0.40, 0.07, 0.03)}
TIME_SAVED = ("Aucun", "Moins d'1 h par jour", "1 à 2 h par jour", "Plus de 2 h par jour")
TIME_SAVED_SHARES = (0.08, 0.37, 0.40, 0.15)
MISSIONS = {
    "accueil": 0.90,
    "constantes": 0.75,
    "vaccination et dépistage": 0.35,
    "dossier patient": 0.85,
    "coordination": 0.45,
    "aide aux actes techniques": 0.40,
    "gestion des stocks": 0.60,
    "hygiène": 0.65,
}
RECOMMEND_BY_SATISFACTION = (0.97, 0.88, 0.40, 0.10)
CONTINUE_BY_SATISFACTION = ((0.92, 0.02), (0.80, 0.05), (0.40, 0.30), (0.15, 0.60))  # (Oui, Non), rest: Ne sait pas
ITEM_NONRESPONSE = 0.01
RESPONSE_PROPENSITY_SIGMA = 0.35  # regions answer unevenly: what the weights correct


def draw_respondents(truth: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Sample doctors and assistants of the contracts running at fieldwork, with regional non-response."""
    rng = stream(seed, "survey-sample")
    running = truth[
        (truth["date_signature"] < FIELDWORK_START)
        & truth["date_prise_fonction"].lt(FIELDWORK_START)
        & (truth["date_fin"].isna() | truth["date_fin"].ge(FIELDWORK_START))
    ]
    running = running.drop_duplicates("medecin_id").reset_index(drop=True)
    regions = sorted(running["region"].unique())
    propensity = dict(zip(regions, rng.lognormal(0, RESPONSE_PROPENSITY_SIGMA, len(regions)), strict=True))
    p = running["region"].map(propensity).to_numpy(dtype=float)
    parts = []
    for respondent_type, size in RESPONDENTS.items():  # two groups
        chosen = rng.choice(len(running), size=min(size, len(running)), replace=False, p=p / p.sum())
        part = running.iloc[np.sort(chosen)][["region", "specialite", "profil_origine"]].copy()
        part["type"] = respondent_type
        parts.append(part)
    sample = pd.concat(parts, ignore_index=True)
    sample["poids"] = poststratification_weights(sample, running)
    return sample


def poststratification_weights(sample: pd.DataFrame, population: pd.DataFrame) -> np.ndarray:
    """Weights = population share / sample share of each (type, region) cell, scaled to average 1.

    Each contract has one doctor and one assistant, so both types weigh half of the population.
    """
    population_share = population["region"].value_counts(normalize=True) / 2
    cell_share = sample.groupby(["type", "region"]).size() / len(sample)
    keys = list(zip(sample["type"], sample["region"], strict=True))
    weights = np.asarray([population_share[r] / cell_share[(t, r)] for t, r in keys])
    return np.round(weights / weights.mean(), 4)


def _choice(rng: np.random.Generator, labels, shares, size: int) -> np.ndarray:
    return np.asarray(labels, dtype=object)[rng.choice(len(labels), size=size, p=np.asarray(shares) / np.sum(shares))]


def draw_answers(sample: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Microdata in the institute's layout (French headers and answers)."""
    rng = stream(seed, "survey-answers")
    n = len(sample)
    is_doctor = sample["type"].eq("Médecin").to_numpy()
    satisfaction_index = np.where(
        is_doctor,
        rng.choice(4, size=n, p=SATISFACTION_SHARES["Médecin"]),
        rng.choice(4, size=n, p=SATISFACTION_SHARES["Assistant médical"]),
    )
    region_names = reference.regions().set_index("region_code")["region_name"]
    out = pd.DataFrame(
        {
            "Identifiant répondant": [f"R{k:04d}" for k in range(1, n + 1)],
            "Type de répondant": sample["type"].to_numpy(),
            "Région": sample["region"].map(region_names).to_numpy(),
            "Profil d'origine": np.where(is_doctor, "", sample["profil_origine"].map(PROFILS).to_numpy()),
            "Spécialité": np.where(is_doctor, sample["specialite"].map(SPECIALITES).to_numpy(), ""),
            "Poids": [f"{w:.4f}".replace(".", ",") for w in sample["poids"]],
            "Satisfaction globale": np.asarray(SATISFACTION, dtype=object)[satisfaction_index],
            "Temps médical gagné": np.where(is_doctor, _choice(rng, TIME_SAVED, TIME_SAVED_SHARES, n), ""),
        }
    )
    # Satisfied respondents report more missions: a mild link, so the tables are not flat.
    lift = np.asarray([0.05, 0.0, -0.08, -0.15])[satisfaction_index]
    for mission, share in MISSIONS.items():
        out[f"Mission : {mission}"] = np.where(rng.random(n) < np.clip(share + lift, 0, 1), "Oui", "Non")
    recommend = rng.random(n) < np.asarray(RECOMMEND_BY_SATISFACTION)[satisfaction_index]
    out["Recommanderait le dispositif"] = np.where(recommend, "Oui", "Non")
    u = rng.random(n)
    yes, no = np.asarray(CONTINUE_BY_SATISFACTION)[satisfaction_index].T
    out["Souhaite poursuivre"] = np.where(u < yes, "Oui", np.where(u < yes + no, "Non", "Ne sait pas"))
    for column in ("Temps médical gagné", "Souhaite poursuivre"):  # a few unanswered questions
        blank = rng.random(n) < ITEM_NONRESPONSE
        out.loc[blank, column] = ""
    return out


def build_microdata(truth: pd.DataFrame, seed: int) -> pd.DataFrame:
    return draw_answers(draw_respondents(truth, seed), seed)


def to_csv_text(microdata: pd.DataFrame) -> str:
    return microdata.to_csv(sep=";", index=False, lineterminator="\n")


# --- Institute-style tables --------------------------------------------------------------------------------


def subgroups(microdata: pd.DataFrame) -> list[tuple[str, np.ndarray]]:
    """Columns of the tables: Ensemble, Médecins, Assistants, then each assistant background."""
    kind = microdata["Type de répondant"]
    groups = [
        ("Ensemble", np.ones(len(microdata), dtype=bool)),
        ("Médecins", kind.eq("Médecin").to_numpy()),
        ("Assistants", kind.eq("Assistant médical").to_numpy()),
    ]
    present = set(microdata["Profil d'origine"])
    for label in PROFILS.values():
        if label in present:
            groups.append((label, microdata["Profil d'origine"].eq(label).to_numpy()))
    return groups


def weighted_shares(answers: pd.Series, weights: np.ndarray, mask: np.ndarray, labels) -> tuple[list, int]:
    """Weighted % of each label among those who answered in the subgroup, and the unweighted base."""
    answered = mask & answers.ne("").to_numpy()
    base = int(answered.sum())
    if base == 0:
        return [None] * len(labels), 0
    total = weights[answered].sum()
    return [round(100 * weights[answered & answers.eq(label).to_numpy()].sum() / total, 1) for label in labels], base


def table_blocks(microdata: pd.DataFrame) -> list[tuple[str, list[str], list[list], list[int]]]:
    """(title, row labels, rows of percentages per subgroup, bases) for every question."""
    weights = microdata["Poids"].str.replace(",", ".").astype(float).to_numpy()
    groups = subgroups(microdata)
    questions = [
        ("Satisfaction globale à l'égard du dispositif", "Satisfaction globale", SATISFACTION),
        ("Temps médical gagné (médecins)", "Temps médical gagné", TIME_SAVED),
        ("Recommanderait le dispositif à un confrère ou une consœur", "Recommanderait le dispositif", ("Oui", "Non")),
        ("Souhaite poursuivre", "Souhaite poursuivre", ("Oui", "Non", "Ne sait pas")),
    ]
    blocks = []
    for title, column, labels in questions:
        per_group = [weighted_shares(microdata[column], weights, mask, labels) for _, mask in groups]
        rows = [[shares[k] for shares, _ in per_group] for k in range(len(labels))]
        blocks.append((title, list(labels), rows, [base for _, base in per_group]))
    mission_columns = [c for c in microdata.columns if c.startswith("Mission : ")]
    per_mission = [
        [weighted_shares(microdata[c], weights, mask, ("Oui",)) for _, mask in groups] for c in mission_columns
    ]
    blocks.insert(
        2,
        (
            "Missions confiées à l'assistant (% de « Oui »)",
            [c.removeprefix("Mission : ").capitalize() for c in mission_columns],
            [[shares[0] for shares, _ in row] for row in per_mission],
            [base for _, base in per_mission[0]],
        ),
    )
    return blocks


def tables_sheet(microdata: pd.DataFrame, title: str) -> xlsx.Sheet:
    groups = [name for name, _ in subgroups(microdata)]
    width = len(groups) + 1
    rows: list[list] = [
        [(title, xlsx.BOLD)],
        ["Pourcentages pondérés ; base : effectifs non pondérés des répondants à la question."],
        [],
    ]
    merged = []
    for block_title, labels, values, bases in table_blocks(microdata):
        rows.append([(block_title, xlsx.TITLE)] + [None] * (width - 1))
        merged.append(f"A{len(rows)}:{xlsx.column_letter(width - 1)}{len(rows)}")
        rows.append([("", xlsx.BOLD)] + [(g, xlsx.BOLD) for g in groups])
        for label, line in zip(labels, values, strict=True):
            rows.append([label] + [None if v is None else (v, xlsx.ONE_DECIMAL) for v in line])
        rows.append([("Base", xlsx.BOLD)] + bases)
        rows.append([])
    return xlsx.Sheet(
        "Tableaux", rows, widths=[34] + [14] * len(groups), merged=merged, n_rows=len(rows), n_columns=width
    )
