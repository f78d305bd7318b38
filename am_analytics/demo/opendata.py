"""The yearly open-data table by territory (Opendatasoft export layout), aggregated from the same truth."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.demo import calibration as cal

FILE_NAME = "acces_soins_assistants_medicaux_territoire.csv"
YEARS = tuple(range(2019, 2025))  # at 31 December of each year
SMALL_CELL = 5  # Opendatasoft/Cnam disclosure rule: counts below 5 are written NS
# Published "about 15 %" of eligible GPs using the scheme at 30 June 2025 (egora, Sep 2025): the number
# of eligible GPs is set so that the national rate on that day is 15 % — an ASSUMPTION on the
# denominator (eligible = estimated GPs × a constant fraction), since eligible counts are not public.
PUBLISHED_RATE_2025 = 0.15
HEADERS = {  # French labels, as an Opendatasoft export "with labels" writes them
    "annee": "Année",
    "code_region": "Code région",
    "libelle_region": "Région",
    "code_departement": "Code département",
    "libelle_departement": "Département",
    "nombre_contrats": "Nombre de contrats",
    "taux_recours": "Part des médecins généralistes éligibles ayant recours (%)",
}


def active_gp_doctors(truth: pd.DataFrame, day: date) -> pd.Series:
    """Distinct GP doctors with a contract running on `day`, by département."""
    day = pd.Timestamp(day)
    running = (truth["date_signature"] <= day) & (truth["date_fin"].isna() | (truth["date_fin"] > day))
    gp = truth[running & truth["specialite"].eq("medecine_generale")]
    return gp.groupby("departement")["medecin_id"].nunique()


def eligible_gp_fraction(truth: pd.DataFrame, estimated: pd.Series) -> float:
    """Fraction of estimated GPs deemed eligible, so that the national rate is 15 % on 30 June 2025."""
    active = active_gp_doctors(truth, cal.EXTRACTION_DATE)
    known = estimated.dropna()
    return float(active.reindex(known.index).fillna(0).sum() / PUBLISHED_RATE_2025 / known.sum())


def territory_table(truth: pd.DataFrame) -> pd.DataFrame:
    """Year × (France, regions, départements): cumulative contracts signed and the GP usage rate.

    Mayotte has no GP estimate (no population), so its rate, and its region's, are left empty and it is
    left out of the national rate's numerator and denominator alike.
    """
    geo = reference.departements()[["code", "name", "region_code", "region_name"]].sort_values("code")
    estimated = (
        reference.estimated_generalists("departement").set_index("code")["generalistes_estimes"].astype("Float64")
    )
    fraction = eligible_gp_fraction(truth, estimated)
    eligible = (estimated * fraction).to_numpy(dtype=float, na_value=np.nan)
    eligible = pd.Series(eligible, index=estimated.index)
    rows = []
    for year in YEARS:  # six years: the loop is over years, not contracts
        day = pd.Timestamp(year, 12, 31)
        signed = truth[truth["date_signature"] <= day].groupby("departement").size()
        active = active_gp_doctors(truth, day)
        per_dept = geo.assign(
            contracts=geo["code"].map(signed).fillna(0).astype(int),
            active=geo["code"].map(active).fillna(0).astype(int),
            eligible=geo["code"].map(eligible).astype(float),
        )
        known = per_dept["eligible"].notna()
        rows.append(
            _row(
                year,
                "",
                "FRANCE",
                "999",
                "Tout département",
                per_dept["contracts"].sum(),
                per_dept.loc[known, "active"].sum(),
                per_dept.loc[known, "eligible"].sum(),
            )
        )
        for region_code, region in per_dept.groupby("region_code", sort=True):
            region_known = region["eligible"].notna().all()
            rows.append(
                _row(
                    year,
                    region_code,
                    region["region_name"].iloc[0],
                    "999",
                    "Tout département",
                    region["contracts"].sum(),
                    region["active"].sum(),
                    region["eligible"].sum() if region_known else np.nan,
                )
            )
            for item in region.itertuples(index=False):
                rows.append(
                    _row(
                        year,
                        region_code,
                        item.region_name,
                        item.code,
                        item.name,
                        item.contracts,
                        item.active,
                        item.eligible,
                    )
                )
    return pd.DataFrame(rows)


def _row(year, region_code, region_name, code, name, contracts, active, eligible) -> dict:
    rate = 100 * active / float(eligible) if pd.notna(eligible) and eligible > 0 else np.nan
    return {
        "annee": year,
        "code_region": region_code,
        "libelle_region": region_name,
        "code_departement": code,
        "libelle_departement": name,
        "nombre_contrats": int(contracts),
        "taux_recours": rate,
    }


def render(table: pd.DataFrame) -> pd.DataFrame:
    """Cells as the export writes them: decimal comma, `NS` for small counts and their rates."""
    small = table["nombre_contrats"] < SMALL_CELL
    rate = table["taux_recours"].map(lambda v: "" if v != v else f"{v:.1f}".replace(".", ","))
    out = table.astype({"annee": str, "nombre_contrats": str}).copy()
    out["taux_recours"] = rate
    out.loc[small, ["nombre_contrats", "taux_recours"]] = "NS"
    return out.rename(columns=HEADERS)


def to_csv_text(table: pd.DataFrame) -> str:
    return render(table).to_csv(sep=";", index=False, lineterminator="\n")
