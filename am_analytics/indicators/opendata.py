"""Indicators from the Assurance Maladie's yearly open data by territory alone (`territory_year`), for a folder
that holds no contract extract: France's yearly series, the regions of a year, a region's départements by year.

Every count is the producer's own (contracts signed at 31 December of each year). A count the producer wrote « NS »
(non significatif, not published) stays missing, never 0, and no number here recovers it: a yearly increase is
computed only where both years are published, and a region's count is its own row, never the sum of its
départements (a sum over published départements would be a region with its NS départements counted as 0, and
the region's row minus the others would give the NS one back).
"""

from __future__ import annotations

import pandas as pd

from am_analytics import reference
from am_analytics.indicators.common import REFERENCE, IndicatorArgumentError, data_source, labelled
from am_analytics.indicators.selection import region_code

NS_NOTE = ("NS : valeur non diffusée par le producteur (non significative), laissée manquante ; aucune hausse n'est "
           "calculée à côté d'une année NS")
SOURCE = "Assurance Maladie, données ouvertes annuelles par territoire (contrats signés au 31 décembre)"


def check_open_data(territory_year: pd.DataFrame | None) -> pd.DataFrame:
    """The open data as the indicators read it, or a French message saying what is missing: no file, no France
    row, a year column that is not years."""
    if territory_year is None or territory_year.empty:
        raise IndicatorArgumentError(
            "pas de données ouvertes annuelles par territoire : déposer le fichier de l'Assurance Maladie dans le "
            "dossier des données brutes et relancer la préparation")
    years = pd.to_numeric(territory_year["annee"], errors="coerce")
    if years.isna().any() or not years.between(2019, 2100).all():
        raise IndicatorArgumentError(
            "colonne « Année » des données ouvertes illisible : des lignes n'ont pas une année entre 2019 et 2100")
    if not (territory_year["niveau"] == "france").any():
        raise IndicatorArgumentError(
            "les données ouvertes n'ont pas de ligne « France » (Code département 999 sans code région) : le "
            "fichier est-il complet ?")
    return territory_year


def _synthetic(territory_year: pd.DataFrame) -> bool:
    return bool(territory_year.attrs.get("synthetic", False))


def _yearly_increase(frame: pd.DataFrame, by: str | None = None) -> pd.Series:
    """Each year's count minus the previous year's, only where both are published and the years follow each other
    (an increase beside an NS year would give the NS count back from the other published numbers)."""
    ordered = frame.sort_values([*([by] if by else []), "annee"], kind="stable")
    grouped = ordered.groupby(by, sort=False) if by else ordered
    previous = grouped["contrats"].shift(1)
    previous_year = grouped["annee"].shift(1)
    follows = previous_year.astype("Float64") == ordered["annee"].astype("Float64") - 1
    increase = (ordered["contrats"] - previous).where(follows.fillna(False))
    return increase.astype("Int64").reindex(frame.index)


def _rows(territory_year: pd.DataFrame, level: str) -> pd.DataFrame:
    rows = territory_year[territory_year["niveau"] == level]
    # the nullable dtypes are kept (`.array`, not `.to_numpy()`): an NS count stays <NA>, never a float NaN
    return pd.DataFrame({
        "annee": rows["annee"].astype("Int64").array,
        "code": rows["code"].astype("string").array,
        "nom": rows["libelle"].astype("string").array,
        "contrats": rows["nombre_contrats"].astype("Int64").array,
        "contrats_ns": rows["nombre_contrats_ns"].astype(bool).to_numpy(),
        "taux_recours_pct": rows["taux_recours_pct"].astype("Float64").array,
        "taux_recours_ns": rows["taux_recours_ns"].astype(bool).to_numpy(),
        "source_ligne": rows["source_line"].astype("Int64").array,
    })


def _labelled(frame: pd.DataFrame, territory_year: pd.DataFrame) -> pd.DataFrame:
    frame = labelled(frame.reset_index(drop=True), as_of=None,
                     sources=[data_source(_synthetic(territory_year)), REFERENCE], notes=[NS_NOTE, SOURCE])
    frame.attrs["synthetic"] = _synthetic(territory_year)
    return frame


def latest_year(territory_year: pd.DataFrame) -> int:
    """The latest year the open data holds (France's row)."""
    check_open_data(territory_year)
    return int(territory_year.loc[territory_year["niveau"] == "france", "annee"].max())


def france_by_year(territory_year: pd.DataFrame) -> pd.DataFrame:
    """France's line, one row per year: `annee`, `contrats` (signed at 31 December, `<NA>` where NS, flagged in
    `contrats_ns`), `hausse` (against the previous year, only where both are published), `taux_recours_pct` (the
    producer's « Part des médecins généralistes éligibles ayant recours (%) »), `taux_recours_ns`."""
    frame = _rows(check_open_data(territory_year), "france").sort_values("annee", kind="stable")
    frame["hausse"] = _yearly_increase(frame)
    return _labelled(frame, territory_year)


def regions_in_year(territory_year: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """The regions' own rows of one year (default: the latest): `contrats`, `signes_pour_100k_hab` (Insee legal
    population 2023; Mayotte's, absent at the source, stays missing), the producer's `taux_recours_pct`, and `rang`
    on contracts per 100 000 inhabitants (1 = highest; none where the rate is missing), ordered by rank."""
    year = latest_year(territory_year) if year is None else int(year)
    rows = _rows(territory_year, "region")
    rows = rows[rows["annee"] == year]
    if rows.empty:
        raise IndicatorArgumentError(f"pas de ligne régionale pour l'année {year} dans les données ouvertes")
    population = reference.population("region")[["code", "population_municipale"]]
    rows = rows.merge(population.rename(columns={"population_municipale": "population"}), on="code", how="left")
    rows["population"] = rows["population"].astype("Int64")
    rate = rows["contrats"].astype("Float64") * 100_000 / rows["population"].astype("Float64")
    rows["signes_pour_100k_hab"] = rate.round(1)
    rows["rang"] = rows["signes_pour_100k_hab"].rank(ascending=False, method="min").astype("Int64")
    rows = rows.sort_values(["rang", "nom"], kind="stable", na_position="last")
    return _labelled(rows, territory_year)


def region_by_year(territory_year: pd.DataFrame, region: str) -> pd.DataFrame:
    """A region's own row, year by year (`region` as a code or a name), with its yearly increase where both years
    are published."""
    code = region_code(region)
    rows = _rows(check_open_data(territory_year), "region")
    rows = rows[rows["code"] == code].sort_values("annee", kind="stable")
    rows["hausse"] = _yearly_increase(rows)
    return _labelled(rows, territory_year)


def departements_by_year(territory_year: pd.DataFrame, region: str) -> pd.DataFrame:
    """A region's départements, year by year (`region` as a code or a name): `contrats` (NS missing),
    `hausse` where both years are published, the producer's `taux_recours_pct`."""
    code = region_code(region)
    places = reference.population("departement")[["code", "region_code"]]
    inside = set(places.loc[places["region_code"] == code, "code"])
    rows = _rows(check_open_data(territory_year), "departement")
    rows = rows[rows["code"].isin(inside)].sort_values(["code", "annee"], kind="stable").reset_index(drop=True)
    rows["hausse"] = _yearly_increase(rows, by="code")
    return _labelled(rows, territory_year)
