"""The design of the Cnam's published before/after comparison (*Points de repère*, 3 December 2024), run on any
yearly activity table: the national figures the package sets beside the published ones (`commitment_cross_check`),
and the demo's calibration target (`demo.activity`).

General practitioners whose first contract was signed from 1 September 2019 to 31 August 2020 (`COHORT`), against
doctors without a contract, from the year before the signature (2018 for the others) to four years later
(`HORIZON_YEARS`): evolution in % of the mean adult « médecin traitant » list, active list and acts per working day.
A plain comparison of means, as published: no matching, no interval (`commitment_effect` estimates the effect).
"""

from __future__ import annotations

import pandas as pd

COHORT = (pd.Timestamp("2019-09-01"), pd.Timestamp("2020-08-31"))  # the published study's signatories
HORIZON_YEARS = 4  # 48 months


def published_design(activity: pd.DataFrame, contracts: pd.DataFrame) -> dict[str, dict[str, float]]:
    """The published design on a yearly activity table: GPs whose first contract was signed from 1 September 2019
    to 31 August 2020 against doctors without a contract, from the year before the signature (2018 for the others)
    to four years later; evolution in % of the mean MT list (at 31 December), active list and acts per working day.

    `activity` has `medecin_id`, `annee`, the counts (and `actes_par_jour`); `contracts` `medecin_id`,
    `date_signature` (and `specialite`: only GPs' contracts count)."""
    gps = contracts if "specialite" not in contracts else contracts[contracts["specialite"] == "medecine_generale"]
    first = contracts.groupby("medecin_id")["date_signature"].min()
    first = first[first.index.isin(gps["medecin_id"])]
    if first.empty:  # no GP signed in these contracts (a small folder, an early date): neither group to follow
        return {"signataires": {"medecins": 0.0}, "non_signataires": {"medecins": 0.0}}
    frame = activity.assign(actes_par_jour=activity["actes"] / activity["jours_travailles"])
    signature = frame["medecin_id"].map(first)
    start = signature.dt.year - 1
    groups = {
        "signataires": signature.between(*COHORT).to_numpy(),
        "non_signataires": ~frame["medecin_id"].isin(contracts["medecin_id"]).to_numpy(),
    }
    start = start.where(groups["signataires"], 2018)
    results = {}
    for group, members in groups.items():
        before = frame[members & (frame["annee"] == start).to_numpy()].set_index("medecin_id")
        after = frame[members & (frame["annee"] == start + HORIZON_YEARS).to_numpy()].set_index("medecin_id")
        both = before.index.intersection(after.index)
        if both.empty:  # a folder without this group (one region's extracts, an early date): nothing to measure
            results[group] = {"medecins": 0.0}
            continue
        results[group] = {
            "medecins": float(len(both)),
            **{f"{m}_avant": float(before.loc[both, m].mean()) for m in ("patients_mt", "actes_par_jour")},
            **{f"{m}_evolution_pct": float(100 * (after.loc[both, m].mean() / before.loc[both, m].mean() - 1))
               for m in ("patients_mt", "file_active", "actes_par_jour")},
        }
    return results
