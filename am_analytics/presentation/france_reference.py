"""France, for extracts that do not cover France: a published reference, never a sum of the regions received.

When the contracts of a folder cover one region or a few (`am_analytics.coverage`), the national figures an edition
compares its region with come from what is published about France as a whole, and say so: the yearly open data by
territory when the folder holds it (`territory_year`: contracts signed at 31 December of each year, France's line),
and the national figures published by the Assurance Maladie and the press (`reference.published_figures()`, the
milestones of contracts signed). The targets are read against the latest of these, not against the extracts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from am_analytics import reference
from am_analytics.figures.formatting import format_date, format_number, format_percent
from am_analytics.presentation.tables import Column, PublishedTable, TableSpec
from am_analytics.vocabulary import SYNTHETIC_MENTION

SIGNED = "contrats_signes"
OPEN_DATA = "données annuelles par territoire de l'Assurance Maladie"
PUBLISHED = "chiffres publiés"


@dataclass(frozen=True)
class FranceReference:
    """Contracts signed in France since 2019, as published at `day`, with where it comes from."""

    value: float
    day: pd.Timestamp
    source: str  # « données annuelles par territoire… (fichier …) » or the publication's source
    kind: str  # OPEN_DATA or PUBLISHED

    @property
    def label(self) -> str:
        """« France (chiffres publiés, source : …) »: how every comparison with France names it."""
        return f"France ({PUBLISHED}, source : {self.source})"

    def sentence(self) -> str:
        return (f"{self.label} : {format_number(self.value)} contrats signés depuis 2019, au "
                f"{format_date(self.day)}.")


def _open_data_rows(territory_year: pd.DataFrame | None, synthetic: bool) -> pd.DataFrame:
    """France's line of the yearly open data, one row per year (at 31 December), NS cells left out."""
    columns = ["date", "valeur", "source", "origine"]
    if territory_year is None or territory_year.empty:
        return pd.DataFrame(columns=columns)
    france = territory_year[(territory_year["niveau"] == "france") & territory_year["nombre_contrats"].notna()]
    files = france["source_file"].astype("string").fillna("")
    mention = f" ; {SYNTHETIC_MENTION.lower()}" if synthetic else ""
    return pd.DataFrame({
        "date": pd.to_datetime(france["annee"].astype(int).astype(str) + "-12-31").to_numpy(),
        "valeur": france["nombre_contrats"].astype(float).to_numpy(),
        "source": (f"{OPEN_DATA}, fichier " + files + mention).to_numpy(),
        "origine": OPEN_DATA,
    }, columns=columns)


def _published_rows() -> pd.DataFrame:
    """The national milestones of contracts signed in the package's reference data (real, sourced)."""
    figures = reference.published_figures()
    signed = figures[(figures["indicator"] == SIGNED) & (figures["scope"] == "France entiere")]
    return pd.DataFrame({
        "date": pd.to_datetime(signed["reference_date"]).to_numpy(),
        "valeur": signed["value"].astype(float).to_numpy(),
        "source": signed["source"].astype(str).to_numpy(),
        "origine": PUBLISHED,
    })


def france_references(territory_year: pd.DataFrame | None, as_of: pd.Timestamp, synthetic: bool) -> pd.DataFrame:
    """Every published national count of contracts signed up to `as_of`, by date: the open data's years and the
    published milestones (`date`, `valeur`, `source`, `origine`)."""
    rows = pd.concat([frame for frame in (_open_data_rows(territory_year, synthetic), _published_rows())
                      if not frame.empty] or [_published_rows()], ignore_index=True)
    rows = rows[rows["date"] <= pd.Timestamp(as_of)]
    return rows.sort_values(["date", "origine"], kind="stable").reset_index(drop=True)


def latest_france_reference(territory_year: pd.DataFrame | None, as_of: pd.Timestamp,
                            synthetic: bool) -> FranceReference | None:
    """The national count an edition compares with: the open data's latest year when the folder holds it (the
    yearly open data is what a reader can check), else the latest published milestone; None before any."""
    rows = france_references(territory_year, as_of, synthetic)
    if rows.empty:
        return None
    preferred = rows[rows["origine"] == OPEN_DATA]
    row = (preferred if len(preferred) else rows).iloc[-1]
    return FranceReference(float(row["valeur"]), pd.Timestamp(row["date"]), str(row["source"]), str(row["origine"]))


def target_sentence(france: FranceReference | None, as_of: pd.Timestamp) -> str | None:
    """The national targets, read against the published national count (never against the extracts)."""
    if france is None:
        return None
    targets = reference.targets()
    open_targets = targets[(targets["indicator"] == SIGNED) & (targets["value"] > france.value)]
    if open_targets.empty:
        return None
    target = open_targets.sort_values(["value", "deadline"], kind="stable").iloc[0]
    return (f"Les objectifs sont nationaux. {france.label} : {format_number(france.value)} contrats signés au "
            f"{format_date(france.day)}, soit {format_percent(france.value / float(target['value']), 1)} de "
            f"l'objectif de {format_number(target['value'])} ; ces extractions ne couvrent pas la France : aucun "
            "chiffre national n'en est tiré.")


FRANCE_REFERENCES = TableSpec(
    name="France chiffres publiés",
    title="Contrats signés en France : chiffres publiés (les extractions ne couvrent pas la France)",
    columns=(
        Column("date", "Date", "date"),
        Column("valeur", "Contrats signés depuis 2019", "number"),
        Column("source", "Source", width=3.4),
    ),
    source="Assurance Maladie (données annuelles par territoire), presse médicale ; voir chaque ligne",
    notes=("Chiffres nationaux tels que publiés, non recalculés depuis les extractions reçues, qui ne couvrent "
           "pas la France entière.",),
)


def france_references_table(territory_year: pd.DataFrame | None, as_of: pd.Timestamp,
                            synthetic: bool) -> PublishedTable:
    """The national counts an edition without France's contracts compares with, each with its source."""
    rows = france_references(territory_year, as_of, synthetic)
    open_data = bool((rows["origine"] == OPEN_DATA).any())
    return FRANCE_REFERENCES.publish(rows, synthetic=synthetic and open_data)
