"""Survey indicators: weighted shares with intervals that account for the weights, Likert distributions,
group comparisons and missions delegated, from microdata or from an institute's aggregated tables."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from am_analytics.indicators.common import data_source, labelled, synthetic_flag
from am_analytics.indicators.selection import selectable
from am_analytics.indicators.stats import independence_test, share_interval
from am_analytics.vocabulary import MISSIONS, PROFILS, SATISFACTION, TYPES_REPONDANT

ALL = "ensemble"
# Below this many respondents a group's share is flagged (`base_insuffisante`): the package's one rule for survey
# subgroups (see NOTE_COMPARISON), where a 95 % interval is wider than ±18 points at a share of one half.
MINIMUM_BASE = 30
SATISFIED = (1, 2)  # the top two answers of the 4-point scale: « Très satisfait », « Plutôt satisfait »

NOTE_DESIGN_EFFECT = (
    "Intervalles de confiance à 95 % (Wilson) calculés sur la taille d'échantillon effective de Kish "
    "(Σw)²/Σw², qui tient compte de la dispersion des poids de redressement (effet de plan)."
)
NOTE_AGGREGATED = (
    "Intervalles calculés sur les bases non pondérées publiées : l'effet des poids n'est pas connu, "
    "ils sont donc probablement trop étroits."
)
NOTE_COMPARISON = (
    "Test du khi-deux sur les effectifs ramenés à la taille effective (correction de Rao-Scott du premier "
    "ordre, par l'effet de plan moyen) : une indication, pas une preuve ; les sous-groupes de moins de "
    "30 répondants ne sont pas interprétables."
)


def effective_size(weights: pd.Series) -> float:
    """Kish's effective sample size (Σw)² / Σw²: equal to n when all weights are equal, smaller otherwise."""
    w = weights.to_numpy(dtype=float)
    if len(w) == 0 or np.sum(w**2) == 0:
        return 0.0
    return float(np.sum(w) ** 2 / np.sum(w**2))


def _groups(survey: pd.DataFrame, by: str | None) -> list[tuple[str, pd.DataFrame]]:
    groups = [(ALL, survey)]
    if by is not None:
        groups += [(str(key), part) for key, part in survey.groupby(by, sort=True, observed=True)]
    return groups


@selectable
def weighted_shares(
    survey: pd.DataFrame,
    question: str,
    *,
    answers: Mapping | None = None,
    by: str | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """Weighted share of each answer of `question`, overall and by `by`, among respondents who answered.

    Columns: groupe, reponse, repondants (unweighted), part (weighted, 0–1), ic_bas, ic_haut, n_effectif,
    effet_plan. Answers listed in `answers` appear even when nobody chose them (share 0). `synthetic`
    defaults to `survey.attrs["synthetic"]` (set by `am.load()`).
    """
    synthetic = synthetic_flag(survey, synthetic)
    rows = []
    for group, part in _groups(survey, by):
        answered = part[part[question].notna()]
        weights = answered["poids"].astype(float)
        total_weight = weights.sum()
        n = len(answered)
        n_eff = effective_size(weights)
        codes = list(answers) if answers is not None else sorted(answered[question].dropna().unique())
        for code in codes:
            chosen = answered[question] == code
            share = float(weights[chosen.to_numpy()].sum() / total_weight) if total_weight > 0 else np.nan
            low, high = share_interval(share, n_eff)
            rows.append(
                {
                    "groupe": group,
                    "reponse": code,
                    "repondants": n,
                    "part": share,
                    "ic_bas": float(low),
                    "ic_haut": float(high),
                    "n_effectif": n_eff,
                    "effet_plan": n / n_eff if n_eff else np.nan,
                }
            )
    frame = pd.DataFrame(
        rows, columns=["groupe", "reponse", "repondants", "part", "ic_bas", "ic_haut", "n_effectif", "effet_plan"]
    )
    return labelled(frame, as_of=None, sources=[data_source(synthetic)], notes=[NOTE_DESIGN_EFFECT])


@selectable
def satisfaction_distribution(
    survey: pd.DataFrame, *, by: str = "type_repondant", synthetic: bool | None = None
) -> pd.DataFrame:
    """The 4-point satisfaction scale by group, in scale order, with the satisfied share (1 + 2) per group.

    Wide layout (one column per level, labels in French) ready for diverging bars.
    """
    synthetic = synthetic_flag(survey, synthetic)
    shares = weighted_shares(survey, "satisfaction", answers=SATISFACTION, by=by, synthetic=synthetic)
    wide = shares.pivot(index="groupe", columns="reponse", values="part").reindex(columns=list(SATISFACTION))
    wide.columns = [SATISFACTION[code] for code in wide.columns]
    wide["satisfaits"] = wide[SATISFACTION[1]] + wide[SATISFACTION[2]]
    bases = shares.groupby("groupe")["repondants"].first()
    wide["repondants"] = bases
    # the satisfied share's interval (Wilson on the effective size, as `satisfied_share`); each level's own
    # interval is in `weighted_shares(survey, "satisfaction", by=...)`
    sizes = shares.groupby("groupe")["n_effectif"].first().reindex(wide.index).to_numpy(dtype=float)
    low, high = share_interval(wide["satisfaits"].to_numpy(dtype=float), sizes)
    wide["ic_bas"], wide["ic_haut"] = low, high
    wide = wide.reset_index()
    return labelled(wide, as_of=None, sources=[data_source(synthetic)], notes=[NOTE_DESIGN_EFFECT])


@selectable
def satisfied_share(
    survey: pd.DataFrame,
    *,
    by: str | None = "type_repondant",
    minimum_base: int = MINIMUM_BASE,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """The satisfied share — the top two answers of the satisfaction scale, « Très satisfait » and « Plutôt
    satisfait » — overall and by group (`by`: `type_repondant` doctors/assistants, `profil_origine`, `region`,
    `specialite`, or None for the whole sample), among respondents who answered.

    Columns: groupe (the code), libelle (French), repondants (unweighted base), effectif_satisfaits (unweighted
    count), part (weighted, 0–1), ic_bas, ic_haut (95 % Wilson interval on Kish's effective size, which accounts
    for the weights), n_effectif, base_insuffisante (True under `minimum_base` respondents, default 30: such a
    group's share is shown but not interpretable; the note says so and names the groups).
    """
    synthetic = synthetic_flag(survey, synthetic)
    answered = survey["satisfaction"].astype("Int64")
    satisfied = answered.isin(SATISFIED).astype("boolean").mask(answered.isna())
    shares = weighted_shares(survey.assign(satisfait=satisfied), "satisfait", answers={True: "Satisfait"}, by=by,
                             synthetic=synthetic)
    labels = group_labels(by) if by is not None else group_labels("")
    counted = [(ALL, satisfied)] + ([] if by is None else [
        (str(key), part) for key, part in satisfied.groupby(survey[by], sort=True, observed=True)])
    frame = shares.drop(columns=["reponse", "effet_plan"]).assign(
        libelle=lambda f: f["groupe"].map(lambda code: labels.get(code, code)).astype("string"),
        effectif_satisfaits=[int(part.fillna(False).sum()) for _, part in counted],
    )
    frame["base_insuffisante"] = frame["repondants"] < minimum_base
    frame = frame[["groupe", "libelle", "repondants", "effectif_satisfaits", "part", "ic_bas", "ic_haut", "n_effectif",
                   "base_insuffisante"]]
    notes = [NOTE_DESIGN_EFFECT, f"satisfaits : « {SATISFACTION[1]} » ou « {SATISFACTION[2]} » (les deux premières "
             "réponses de l'échelle), parmi les répondants à la question"]
    small = frame.loc[frame["base_insuffisante"], "libelle"].tolist()
    if small:
        notes.append(f"moins de {minimum_base} répondants, part non interprétable : {', '.join(small)}")
    return labelled(frame.reset_index(drop=True), as_of=None, sources=[data_source(synthetic)], notes=notes)


@selectable
def missions_delegated(
    survey: pd.DataFrame, *, by: str | None = "type_repondant", synthetic: bool | None = None
) -> pd.DataFrame:
    """Weighted share of respondents who say each mission is delegated to the assistant, with intervals."""
    synthetic = synthetic_flag(survey, synthetic)
    parts = []
    for column, label in MISSIONS.items():
        shares = weighted_shares(survey, column, answers={True: "Oui"}, by=by, synthetic=synthetic)
        parts.append(shares.drop(columns="reponse").assign(mission=label))
    frame = pd.concat(parts, ignore_index=True)[
        ["mission", "groupe", "repondants", "part", "ic_bas", "ic_haut", "n_effectif", "effet_plan"]
    ]
    return labelled(frame, as_of=None, sources=[data_source(synthetic)], notes=[NOTE_DESIGN_EFFECT])


@selectable
def compare_groups(
    survey: pd.DataFrame, question: str, group: str, *, synthetic: bool | None = None
) -> pd.DataFrame:
    """Does the answer to `question` differ between the groups of `group`? Chi-square on weighted counts
    rescaled to the effective sample size, with Cramér's V and a note on its limits."""
    synthetic = synthetic_flag(survey, synthetic)
    answered = survey[survey[question].notna() & survey[group].notna()]
    weighted = answered.pivot_table(index=group, columns=question, values="poids", aggfunc="sum", fill_value=0.0)
    n = len(answered)
    n_eff = effective_size(answered["poids"].astype(float))
    scaled = weighted / weighted.to_numpy().sum() * n_eff if n else weighted
    test = independence_test(scaled)
    frame = test.as_frame().assign(question=question, groupes=group, repondants=n, n_effectif=n_eff)
    notes = [NOTE_COMPARISON] + ([test.note] if test.note else [])
    return labelled(frame, as_of=None, sources=[data_source(synthetic)], notes=notes)


def group_labels(group: str) -> dict[str, str]:
    """French labels of the groups a survey indicator may be split by (a region by its name)."""
    from am_analytics.indicators.common import region_table

    regions = dict(zip(region_table()["code"], region_table()["name"], strict=True))
    return {"type_repondant": dict(TYPES_REPONDANT), "profil_origine": dict(PROFILS), "region": regions}.get(
        group, {}) | {ALL: "Ensemble"}


def aggregated_shares(tables: pd.DataFrame, *, synthetic: bool | None = None) -> pd.DataFrame:
    """Shares read from an institute's aggregated tables, with Wilson intervals from the published bases.

    The weights behind published percentages are unknown, so the interval uses the unweighted base and is
    labelled as such (probably too narrow).
    """
    synthetic = synthetic_flag(tables, synthetic)
    share = tables["pourcentage"].astype(float) / 100
    base = tables["base"].astype("Float64").fillna(0).to_numpy(dtype=float)
    low, high = share_interval(share.to_numpy(), base)
    frame = tables[["question", "reponse", "sous_groupe", "base"]].assign(
        part=share.to_numpy(), ic_bas=low, ic_haut=high
    )
    return labelled(frame.reset_index(drop=True), as_of=None, sources=[data_source(synthetic)], notes=[NOTE_AGGREGATED])
