"""A region read against France: items derived from the audited published frames (its départements with the
interval of their rate, the region indexed on France = 100, its rank among the regions).

Each derivation is a pure function of *published* frames, run after the audit (`registry.DERIVED`): a value hidden
there is missing here, and nothing is derived from a hidden cell, so these items reveal nothing the published
frames do not (an interval or an index is a function of a published count or rate).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2

from am_analytics.indicators.territories import GP_RATE, generalists_source_note
from am_analytics.presentation.scope import NATIONAL_CODE
from am_analytics.vocabulary import VARIABLES

CONFIDENCE = 0.95
PER_INHABITANTS = 100_000
SECRETARIES = "secretaire_medicale"  # the first background: the one a region is compared on


def _shown(frame: pd.DataFrame, column: str) -> pd.Series:
    """A published column with its hidden cells missing (never read behind a `<column>_secret`)."""
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    status = f"{column}_secret"
    if status in frame.columns:
        values = values.mask(frame[status].notna().to_numpy())
    return values


def poisson_rate_interval(count: pd.Series, population: pd.Series, per: float = PER_INHABITANTS) -> pd.DataFrame:
    """The exact (Garwood) 95 % interval of a rate whose count follows a Poisson law: a département of a few dozen
    contracts moves by chance from one year to the next, and the interval says by how much."""
    k = count.to_numpy(dtype=float)
    people = population.to_numpy(dtype=float)
    alpha = 1 - CONFIDENCE
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(k > 0, chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
        high = chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
        scale = per / people
    known = ~(np.isnan(k) | np.isnan(people) | (people <= 0))
    return pd.DataFrame({"ic_bas": np.where(known, low * scale, np.nan),
                         "ic_haut": np.where(known, high * scale, np.nan)}, index=count.index)


DEPARTEMENT_COLUMNS = ("code", "nom", "actifs", "population", "actifs_pour_100k_hab", "ic_bas", "ic_haut",
                       "actifs_mg_pour_100_mg_estimes")


def departements_compared(departements: pd.DataFrame, region: str) -> pd.DataFrame:
    """A region's départements side by side (published frame `departements`): active contracts, their rate per
    100 000 inhabitants with its 95 % interval, active contracts of general practice per 100 general practitioners.
    A hidden count gives no rate and no interval."""
    own = departements[departements["region_code"] == region].reset_index(drop=True)
    actifs = _shown(own, "actifs")
    interval = poisson_rate_interval(actifs, own["population"].astype(float))
    return _with_attrs(departements, pd.DataFrame({
        "code": own["code"].astype(str),
        "nom": own["nom"].astype(str),
        "actifs": actifs,
        "population": own["population"].astype(float),
        "actifs_pour_100k_hab": _shown(own, "actifs_pour_100k_hab"),
        "ic_bas": interval["ic_bas"],
        "ic_haut": interval["ic_haut"],
        "actifs_mg_pour_100_mg_estimes": _shown(own, "actifs_mg_pour_100_mg_estimes"),
        # which GP count each rate used (the shipped estimate, or the analyst's): the chart's note names it
        "generalistes_source": own.get("generalistes_source", pd.Series(pd.NA, index=own.index, dtype="string")),
    }))


def _with_attrs(published: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """A derived frame keeps the attributes of the published frame it comes from (its date, its sources)."""
    derived.attrs = dict(published.attrs)
    return derived


# what a region is indexed on France by: (variable, the item that holds it, its French label)
INDEXED = (
    ("actifs_pour_100k_hab", "regions", VARIABLES["actifs_pour_100k_hab"].label),
    (GP_RATE, "regions", "Contrats actifs pour 100 médecins généralistes (est.)"),
    ("part", "shares", "Part des anciennes secrétaires médicales"),
    ("part_en_retard", "training", "Part des assistants sans certification à l'échéance"),
)


def _rows_of(frame: pd.DataFrame | None, code: str, column: str) -> pd.DataFrame:
    if frame is None or frame.empty or column not in frame.columns:
        return pd.DataFrame(columns=[column])
    rows = frame[frame["code"].astype(str) == code]
    if "profil_origine" in rows.columns:
        rows = rows[rows["profil_origine"] == SECRETARIES]
    return rows


def _value_of(frame: pd.DataFrame | None, code: str, column: str) -> float:
    rows = _rows_of(frame, code, column)
    return float(_shown(rows, column).iloc[0]) if len(rows) else np.nan


def _secret_of(frame: pd.DataFrame | None, code: str, column: str) -> object:
    """The reason a value is hidden in a published frame (None when it is shown or missing)."""
    rows = _rows_of(frame, code, column)
    status = f"{column}_secret"
    if not len(rows) or status not in rows.columns or pd.isna(rows[status].iloc[0]):
        return None
    return str(rows[status].iloc[0])


def index_on_france(regions: pd.DataFrame, nation: pd.DataFrame, shares: pd.DataFrame, training: pd.DataFrame,
                    training_france: pd.DataFrame | None, region: str) -> pd.DataFrame:
    """The region's indicators beside France's and indexed on France (France = 100), one row per indicator
    (`INDEXED`); the index is missing where either value is (hidden, not applicable, France not covered), and
    `region_secret` says why when the region's value is hidden."""
    sources = {"regions": regions, "shares": shares, "training": training}
    france_sources = {"regions": nation, "shares": shares, "training": training_france}
    rows = []
    gp_rows = pd.concat([regions[regions["code"].astype(str) == region], nation], ignore_index=True)
    for variable, item, label in INDEXED:
        if variable == GP_RATE and generalists_source_note(gp_rows) is not None:
            label = label.replace("(est.)", "(fournis ou est.)")  # the analyst's counts in the region or in France
        own = _value_of(sources[item], region, variable)
        france = _value_of(france_sources[item], NATIONAL_CODE, variable)
        index = np.nan if np.isnan(own) or np.isnan(france) or france == 0 else own / france * 100
        rows.append({"indicateur": variable, "libelle": label, "region": own, "france": france,
                     "indice_france_100": index, "region_secret": _secret_of(sources[item], region, variable)})
    return _with_attrs(regions, pd.DataFrame(rows).astype({"region_secret": "string"}))


def rank_among_regions(regions: pd.DataFrame, region: str, column: str = "actifs_pour_100k_hab") -> pd.DataFrame:
    """The region's rank among the regions whose published `column` is known (1 = the highest), and how many are
    ranked; missing when its own value is not published."""
    values = pd.Series(_shown(regions, column).to_numpy(), index=regions["code"].astype(str).to_numpy()).dropna()
    rank = int((values > values[region]).sum() + 1) if region in values.index else np.nan
    return _with_attrs(regions, pd.DataFrame({"code": [region], "indicateur": [column], "rang": [rank],
                                              "regions_classees": [len(values)]}))
