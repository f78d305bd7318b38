"""The open data alone, as published: a folder holding the Assurance Maladie's yearly open data by territory and no
contract extract gives one edition (France or a region) of published tables and key figures, which the report
(`report.opendata`) and the site (`site.opendata`) lay out — they compute nothing.

Only the producer's own numbers are published (`indicators.opendata`): an NS count reads « NS », no increase is
computed beside an NS year, a region is its own row. The producer's numbers are public: the package does not mask
them further (its 1-to-4 rule is for extracts); the producer's NS is its own rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from am_analytics.errors import DataError, Location, UsageError
from am_analytics.figures.formatting import format_number
from am_analytics.geography import region_name
from am_analytics.indicators import opendata as od
from am_analytics.indicators.common import IndicatorArgumentError
from am_analytics.indicators.followup import OPEN_DATA_COLUMNS
from am_analytics.loading import Processed
from am_analytics.presentation.keyfigures import KeyFigure
from am_analytics.presentation.tables import Column, PublishedTable, TableSpec
from am_analytics.vocabulary import NATIONAL_LABEL, VARIABLES

NS = "NS"
# contracts signed (at 31 December) per 100 000 inhabitants: the package's one label for that rate
PER_100K = VARIABLES["signes_pour_100k_hab"]
NOT_COMPUTED = "non calculée"
SOURCE = od.SOURCE
NS_NOTE = od.NS_NOTE
PRODUCER_COLUMNS = tuple(OPEN_DATA_COLUMNS)
_NEEDS_EXTRACTS = (
    "Sans extraction de contrats, {output} ne peut pas montrer : les séries mensuelles (signatures par mois, "
    "contrats actifs, ETP), les profils d'origine des assistants, la certification, le financement, ni la date "
    "projetée des objectifs. Il suffit de déposer les extractions dans le même dossier pour obtenir {whole}.")
WHAT_NEEDS_EXTRACTS = _NEEDS_EXTRACTS.format(output="ce rapport", whole="le rapport complet")
DASHBOARD_NEEDS_EXTRACTS = _NEEDS_EXTRACTS.format(output="ce tableau de bord", whole="le tableau de bord complet")


def alone(data: Processed) -> bool:
    """True when the prepared folder holds the yearly open data and no contract: the report and the site then work
    from the open data alone."""
    no_contract = data.contracts is None or data.contracts.empty
    return no_contract and data.territory_year is not None and not data.territory_year.empty


COMMAND_LINE_NAMES = {"data_dir": "--data-dir", "region": "--region"}


def open_data_alone(data_dir: object, region: object = None, *, processed_dir: object = None,
                    names: dict[str, str] = COMMAND_LINE_NAMES) -> tuple[Processed, str | None] | None:
    """The prepared data and the region's code when the folder holds the open data and no contract; None otherwise
    (the full report then opens the folder as usual: `load` keeps the prepared tables of this process, a second
    call costs nothing). `names` says how the caller calls its parameters (a notebook's `region`), for messages."""
    from am_analytics.loading import load
    from am_analytics.parameters import resolve_region
    from am_analytics.presentation.scope import resolve_folders

    try:
        raw, processed = resolve_folders(data_dir, processed_dir)
    except UsageError as error:
        raise UsageError(f"{names['data_dir']} : {error}") from None
    try:
        code = resolve_region(region)
    except UsageError as error:
        raise UsageError(f"{names['region']} : {error}") from None
    data = load(raw, processed)
    return (data, code) if alone(data) else None


def checked(data: Processed) -> pd.DataFrame:
    """The folder's open data, or invalid data (exit 3) with the French message of `check_open_data` and the file."""
    try:
        return od.check_open_data(data.territory_year)
    except IndicatorArgumentError as error:
        frame = data.territory_year if data.territory_year is not None else pd.DataFrame()
        files = ", ".join(sorted(set(frame.get("source_file", pd.Series(dtype="string")).dropna().astype(str))))
        raise DataError(str(error), where=Location(file=files or None),
                        hint="vérifier l'export de données ouvertes de l'Assurance Maladie (complet ?)") from None


# --- tables ------------------------------------------------------------------------------------------------------

def _count(key: str, header: str) -> Column:
    return Column(key, header, "count", missing=NS)


INCREASE = Column("hausse", "Hausse sur l'année", "count", missing=NOT_COMPUTED)
# the producer's rate is missing where it wrote NS, and also where it wrote nothing (Mayotte, whose general
# practitioners are not counted): one symbol for both, said in the note, rather than « NS » for a blank cell
RATE = Column("taux_recours_pct", "Part des généralistes éligibles ayant recours (%)", "decimal", decimals=1)
_RATE_NOTE = ("Part des généralistes éligibles ayant recours : colonne du producteur ; n.d. : non diffusée (NS) ou "
              "non renseignée (Mayotte).")
_NOTES = (NS_NOTE + ".", f"« {NOT_COMPUTED} » : première année de la série, ou une des deux années est NS.",
          _RATE_NOTE)


def _spec(name: str, title: str, columns: tuple[Column, ...], notes: tuple[str, ...] = _NOTES,
          keys: tuple[str, ...] = ()) -> TableSpec:
    return TableSpec(name=name, title=title, columns=columns, source=SOURCE, notes=notes, keys=keys)


YEARS = _spec("Par année", "Contrats signés au 31 décembre, par année", (
    Column("annee", "Année", "text"), _count("contrats", "Contrats signés au 31 décembre"), INCREASE, RATE))
REGIONS = _spec("Régions", "Les régions", (
    Column("rang", "Rang", "count", missing="n.d."), Column("nom", "Région", "text", width=2.5),
    _count("contrats", "Contrats signés au 31 décembre"),
    Column("signes_pour_100k_hab", PER_100K.short, "decimal", decimals=PER_100K.decimals, missing="n.d."), RATE),
    notes=(NS_NOTE + ".", f"{PER_100K.label} : population légale Insee 2023 ; celle de Mayotte n'est pas publiée "
           f"(n.d.). Rang sur les {PER_100K.in_sentence} (1 = le plus élevé).", _RATE_NOTE),
    keys=("code", "contrats_ns"))
DEPARTEMENTS = _spec("Départements", "Départements, par année", (
    Column("nom", "Département", "text", width=2.0), Column("annee", "Année", "text"),
    _count("contrats", "Contrats signés au 31 décembre"), INCREASE, RATE))


def _published(spec: TableSpec, frame: pd.DataFrame, title: str, synthetic: bool) -> PublishedTable:
    frame = frame.assign(annee=frame["annee"].astype(str)) if "annee" in frame else frame
    return spec.publish(frame, synthetic=synthetic, title=title)


def departements_by_year_table(departements: pd.DataFrame, label: str, synthetic: bool) -> PublishedTable:
    """A region's départements, one line each, one column a year (contracts at 31 December, NS kept)."""
    wide = departements.pivot(index=["code", "nom"], columns="annee", values="contrats").reset_index()
    years = [int(year) for year in wide.columns[2:]]
    wide.columns = ["code", "nom", *[f"a{year}" for year in years]]
    wide.attrs = dict(departements.attrs)
    spec = _spec("Départements par année", "", (Column("nom", "Département", "text"),
                                                 *(_count(f"a{year}", str(year)) for year in years)),
                 notes=(NS_NOTE + ".", "Contrats signés au 31 décembre de chaque année."))
    return spec.publish(wide, synthetic=synthetic,
                        title=f"Contrats signés au 31 décembre, départements de la région {label}")


# --- values as sentences ------------------------------------------------------------------------------------------

def series_values(series: pd.DataFrame) -> str:
    """« 2019 : 222 ; 2020 : NS ; … »: a yearly series' published values, for a chart's text alternative."""
    return " ; ".join(f"{year} : {NS if pd.isna(value) else format_number(value)}"
                      for year, value in zip(series["annee"], series["contrats"], strict=True))


def regions_values(regions: pd.DataFrame) -> str:
    """« La Réunion : 17,6 ; … ; Mayotte : n.d. »: the regions' rates per 100 000 inhabitants."""
    return " ; ".join(f"{name} : {format_number(rate, 1)}"
                      for name, rate in zip(regions["nom"], regions["signes_pour_100k_hab"], strict=True))


def _increase_text(value: object) -> str:
    return NOT_COMPUTED if pd.isna(value) else ("+" if value > 0 else "") + format_number(value)


def key_figures(series: pd.DataFrame, regions: pd.DataFrame, label: str, rank: str | None) -> list[KeyFigure]:
    """The territory's contracts at 31 December of the latest year, that year's increase, and for France the number
    of regions published (for a region, its rank per 100 000 inhabitants)."""
    last = series.iloc[-1]
    year = int(last["annee"])
    published = int((~regions["contrats_ns"]).sum())
    figures = [
        KeyFigure(f"Contrats signés au 31 décembre {year}, {label}",
                  NS if pd.isna(last["contrats"]) else format_number(last["contrats"]), "depuis septembre 2019"),
        KeyFigure(f"Hausse sur l'année {year}", _increase_text(last["hausse"]),
                  f"contrats signés en {year} (fin {year} moins fin {year - 1})"),
    ]
    if rank is not None:
        figures.append(KeyFigure("Rang parmi les régions", rank, f"{PER_100K.in_sentence}, en {year}"))
    else:
        figures.append(KeyFigure(f"Régions publiées en {year}", f"{published} sur {len(regions)}",
                                 "aucune région NS" if published == len(regions)
                                 else "les autres sont NS (non diffusées)"))
    return figures


def year_in(territory_year: pd.DataFrame, as_of: object) -> int:
    """The latest year whose 31 December is on or before `as_of` (None: the latest year of the file)."""
    if as_of is None:
        return od.latest_year(territory_year)
    years = sorted(int(y) for y in territory_year.loc[territory_year["niveau"] == "france", "annee"])
    eligible = [y for y in years if pd.Timestamp(f"{y}-12-31") <= pd.Timestamp(as_of)]
    if not eligible:
        raise UsageError(f"--as-of : les données ouvertes commencent au 31 décembre {years[0]}")
    return eligible[-1]


# --- one edition --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenDataEdition:
    """France's or a region's published open data up to a year: its own yearly series, the regions of that year,
    its départements by year (a region), its key figures, the files read."""

    region: str | None
    label: str
    year: int
    first_year: int
    synthetic: bool
    files: tuple[str, ...]
    series: PublishedTable
    regions: PublishedTable
    key_figures: tuple[KeyFigure, ...]
    departements: PublishedTable | None = None
    departements_detail: PublishedTable | None = None

    @classmethod
    def of(cls, data: Processed, region: str | None = None, as_of: object = None) -> OpenDataEdition:
        territory_year = checked(data)
        synthetic = bool(data.synthetic)
        year = year_in(territory_year, as_of)
        territory_year = territory_year[territory_year["annee"] <= year]
        regions = od.regions_in_year(territory_year, year)
        label = NATIONAL_LABEL if region is None else region_name(region)
        departements = detail = None
        if region is None:
            series, rank = od.france_by_year(territory_year), None
        else:
            series = od.region_by_year(territory_year, region)
            if series.empty:
                raise UsageError(f"--region : aucune ligne pour la région {label} ({region}) dans les données "
                                 "ouvertes")
            rank = _rank_text(regions, region)
            rows = od.departements_by_year(territory_year, region)
            departements = departements_by_year_table(rows, label, synthetic)
            detail = _published(DEPARTEMENTS, rows, f"Départements de la région {label}, par année : hausse et part "
                                "des généralistes ayant recours", synthetic)
        return cls(
            region=region, label=label, year=year, first_year=int(series["annee"].min()), synthetic=synthetic,
            files=tuple(sorted(set(territory_year["source_file"].dropna().astype(str)))),
            series=_published(YEARS, series, f"Contrats signés au 31 décembre, par année — {label}", synthetic),
            regions=_published(REGIONS, regions, f"Contrats signés par région au 31 décembre {year}", synthetic),
            key_figures=tuple(key_figures(series, regions, "France" if region is None else label, rank)),
            departements=departements, departements_detail=detail)

    @property
    def present_regions(self) -> list[str]:
        """The regions the open data has a row for in the edition's year."""
        return list(self.regions.frame["code"].astype(str))


def _rank_text(regions: pd.DataFrame, region: str) -> str:
    row = regions[regions["code"] == region]
    rank = row["rang"].iloc[0] if len(row) else pd.NA
    return "n.d." if pd.isna(rank) else f"{int(rank)}e sur {int(regions['rang'].notna().sum())}"
