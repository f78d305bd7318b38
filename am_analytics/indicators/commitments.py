"""The doctors' commitments: their activity by period joined to their contracts.

The activity table (`activity.parquet`, `Processed.activity`) and the contracts name a doctor by the same keyed
pseudonym of the RPPS, so they join by `medecin_id` without any clear identifier. A doctor may have several
contracts (a renewal, a second assistant): the first signature dates the commitment, and each period is placed
before, across or after it, which is what a before/after comparison of signatories and non-signatories needs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from am_analytics.indicators.common import (
    SYNTHETIC_ATTR,
    IndicatorArgumentError,
    data_source,
    labelled,
    synthetic_flag,
)

# Where a period lies relative to the doctor's first signature.
POSITIONS = {
    "non_signataire": "médecin sans contrat d'assistant médical",
    "avant": "période close avant la signature",
    "signature": "période pendant laquelle le contrat a été signé",
    "apres": "période commencée après la signature",
}
_ACTIVITY_COLUMNS = ("medecin_id", "periode", "debut_periode", "fin_periode")
_CONTRACT_COLUMNS = ("medecin_id", "contrat_id", "date_signature")
# What the first contract says of the doctor, carried beside each period when the contracts hold it.
_DESCRIPTIVE = ("etp_option", "departement", "region", "specialite", "zone", "profil_origine")
_DAYS_PER_MONTH = 365.25 / 12


def first_contracts(contracts: pd.DataFrame) -> pd.DataFrame:
    """One row per doctor: the first contract signed (ties broken by contract number), with the number of
    contracts the doctor signed."""
    _require(contracts, _CONTRACT_COLUMNS, "contrats")
    ordered = contracts.sort_values(["medecin_id", "date_signature", "contrat_id"], kind="stable")
    ordered = ordered[ordered["medecin_id"].notna()]
    first = ordered.drop_duplicates("medecin_id", keep="first")
    counts = ordered.groupby("medecin_id", sort=False).size().rename("nombre_contrats")
    kept = [c for c in (*_CONTRACT_COLUMNS, *_DESCRIPTIVE) if c in first.columns]
    return first[kept].merge(counts, left_on="medecin_id", right_index=True, how="left").reset_index(drop=True)


def activity_with_contracts(
    activity: pd.DataFrame, contracts: pd.DataFrame, *, synthetic: bool | None = None
) -> pd.DataFrame:
    """Each activity row with whether its doctor signed (`signataire`), the first contract (`contrat_id`,
    `date_signature`, option and territory when known, `nombre_contrats`), where the period lies relative to the
    signature (`position`: non_signataire, avant, signature, apres) and `mois_depuis_signature`, the months from
    the signature to the end of the period (negative before it; missing for a non-signatory).

    Both tables come from `am.load()` (same pseudonymisation key); the result is labelled with its source (the
    demo's synthetic data says so)."""
    _require(activity, _ACTIVITY_COLUMNS, "activité")
    # synthetic if either table is: a real activity joined to demo contracts is no real figure
    synthetic = synthetic_flag(activity, synthetic) or bool(contracts.attrs.get(SYNTHETIC_ATTR, False))
    first = first_contracts(contracts)
    joined = activity.merge(first, on="medecin_id", how="left", validate="many_to_one")
    signed = joined["date_signature"]
    joined["nombre_contrats"] = joined["nombre_contrats"].fillna(0).astype("Int64")
    joined["signataire"] = signed.notna()
    start, end = joined["debut_periode"], joined["fin_periode"]
    position = np.select(
        [signed.isna().to_numpy(), (end < signed).to_numpy(dtype=bool), (start > signed).to_numpy(dtype=bool)],
        ["non_signataire", "avant", "apres"],
        default="signature",
    )
    joined["position"] = pd.array(position, dtype="string")
    months = (end - signed).dt.days / _DAYS_PER_MONTH
    joined["mois_depuis_signature"] = months.round(1).astype("Float64")
    notes = [
        "Les médecins sont reliés à leurs contrats par le pseudonyme de leur RPPS ; la première signature date "
        "l'engagement d'un médecin qui a signé plusieurs contrats."
    ]
    return labelled(joined, as_of=None, sources=[data_source(synthetic)], notes=notes)


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise IndicatorArgumentError(
            f"table {name} sans les colonnes {', '.join(missing)} : la charger avec am.load() (tables préparées)"
        )
