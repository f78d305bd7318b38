"""The territory a folder of extracts covers: France, several regions, or one region.

A CPAM or a regional service may send the extracts of its own region only. Nothing computed from them may then be
presented as France: no « France entière » total, no share of the national total, no rank among regions, no
progress towards the national targets. The preparation records the coverage in the manifest (`territoire`) and
every output reads it from there (`loading.Processed.coverage`, `presentation.Scope.coverage`).

**The rule, from the data.** Only the kept contracts count (the yearly open data by territory, `territory_year`,
is a published reference that covers France whatever the folder holds, and the survey is a sample, not a census).
- the contracts lie in **one region** → that region;
- they lie in **at least `MOST_REGIONS` of the 18 regions** (a majority) → France: a national extract, some of whose
  regions may have no contract yet at an early date;
- otherwise → **the regions present**, named as such, never summed as France.

**Declared.** `python -m am_analytics.prepare --territoire 53` (a code or a name, several separated by commas, or
`France`) states what the extracts cover. The declaration is checked against the data: a kept contract outside a
declared region, or a declared region without any contract, stops the preparation (exit 3) with a French message;
France declared over the contracts of a single region too. France may be declared over fewer regions than the
rule asks (a national extract at an early date).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from am_analytics.errors import DataError, Location, UsageError
from am_analytics.text import fold

FRANCE, REGIONS, REGION = "france", "regions", "region"
MOST_REGIONS = 10  # a majority of the 18 regions (2016): fewer is a set of regions, not France
FRANCE_NAMES = {"france", "fr", "france entiere", "national", "nationale"}  # as `text.fold` writes them


@dataclass(frozen=True)
class Coverage:
    """What the contracts of a folder cover: `kind` (`france`, `regions`, `region`), the regions and départements
    present in the kept contracts, and the declaration it was checked against (`None`: found from the data)."""

    kind: str
    regions: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()
    declared: str | None = None

    @property
    def is_france(self) -> bool:
        return self.kind == FRANCE

    @property
    def region(self) -> str | None:
        """The region's code when the extracts cover one region, else None."""
        return self.regions[0] if self.kind == REGION else None

    @property
    def label(self) -> str:
        """« France entière », « Bretagne », « Bretagne, Normandie »."""
        from am_analytics.geography import region_name
        from am_analytics.vocabulary import NATIONAL_LABEL

        return NATIONAL_LABEL if self.is_france else ", ".join(region_name(code) for code in self.regions)

    def sentence(self) -> str:
        """The summary's line: « Territoire couvert par les contrats : Bretagne (53), déduit des contrats. »"""
        how = f"déclaré (--territoire {self.declared}) et vérifié" if self.declared else "déduit des contrats"
        codes = "" if self.is_france else f" ({', '.join(self.regions)})"
        return f"Territoire couvert par les contrats : {self.label}{codes}, {how}."

    def covers_region(self, code: str) -> bool:
        return self.is_france or code in self.regions

    def record(self) -> dict[str, Any]:
        """The manifest's `territoire` entry."""
        return {
            "couverture": self.kind,
            "regions": list(self.regions),
            "departements": list(self.departements),
            "declaree": self.declared,
            "regle": f"France à partir de {MOST_REGIONS} régions sur 18 ; sinon les régions présentes",
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Coverage:
        return cls(record["couverture"], tuple(record.get("regions", ())), tuple(record.get("departements", ())),
                   record.get("declaree"))


def _codes(contracts: pd.DataFrame | None, column: str) -> tuple[str, ...]:
    if contracts is None or contracts.empty or column not in contracts.columns:
        return ()
    return tuple(sorted(str(code) for code in contracts[column].dropna().unique()))


def found_coverage(contracts: pd.DataFrame | None) -> Coverage:
    """The coverage of the kept contracts by the rule above (no contract: France, the default of every output)."""
    regions, departements = _codes(contracts, "region"), _codes(contracts, "departement")
    if len(regions) == 1:
        kind = REGION
    elif not regions or len(regions) >= MOST_REGIONS:
        kind = FRANCE
    else:
        kind = REGIONS
    return Coverage(kind, regions, departements)


def declared_regions(value: str) -> tuple[str, ...] | None:
    """`--territoire` as a user writes it → the region codes, or None for France. An unknown name is a usage
    error naming the value (exit 2)."""
    from am_analytics.parameters import resolve_region

    if fold(value) in FRANCE_NAMES:  # « France entière », « FRANCE », « France-entière »
        return None
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts:
        raise UsageError("--territoire vide : indiquer une région (code ou nom), plusieurs séparées par des virgules, "
                         "ou France")
    try:
        return tuple(sorted({resolve_region(part) for part in parts}))
    except UsageError as error:
        raise UsageError(f"--territoire : {error}") from None


def _outside(contracts: pd.DataFrame, regions: tuple[str, ...]) -> DataError:
    """The contradiction between declared regions and a contract outside them: its region, file and line."""
    from am_analytics.geography import region_name

    stray = contracts[~contracts["region"].isin(regions)]
    first = stray.iloc[0]
    names = ", ".join(f"{region_name(code)} ({code})" for code in regions)
    counts = stray["region"].value_counts()
    listed = ", ".join(f"{region_name(str(code))} ({code}) : {count}" for code, count in counts.items())
    line = first.get("source_line")
    return DataError(
        f"territoire déclaré {names}, mais {len(stray)} contrat(s) conservé(s) sont d'une autre région ({listed})",
        where=Location(file=str(first.get("source_file")) if first.get("source_file") is not None else None,
                       line=int(line) if line is not None and pd.notna(line) else None),
        hint="retirer ces extractions du dossier, ou déclarer le territoire qu'elles couvrent "
             "(--territoire avec toutes les régions, ou France), ou relancer sans --territoire",
    )


def declared_coverage(value: str, contracts: pd.DataFrame | None) -> Coverage:
    """The coverage a user declares, checked against the kept contracts (see the module's rule)."""
    from am_analytics.geography import region_name

    found = found_coverage(contracts)
    regions = declared_regions(value)
    if regions is None:
        if found.kind == REGION:
            raise DataError(
                f"territoire déclaré France, mais tous les contrats conservés sont de la région "
                f"{region_name(found.regions[0])} ({found.regions[0]})",
                hint="déclarer --territoire " + found.regions[0] + ", ou ajouter les extractions des autres régions",
            )
        return Coverage(FRANCE, found.regions, found.departements, value)
    if contracts is not None and not contracts.empty and not set(found.regions) <= set(regions):
        raise _outside(contracts, regions)
    if missing := [code for code in regions if code not in found.regions]:
        raise DataError(
            "territoire déclaré sans aucun contrat conservé pour "
            + ", ".join(f"{region_name(code)} ({code})" for code in missing),
            hint="vérifier les extractions reçues, ou déclarer seulement les régions présentes"
                 + (f" ({', '.join(found.regions)})" if found.regions else ""),
        )
    return Coverage(REGION if len(regions) == 1 else REGIONS, regions, found.departements, value)


def coverage_of(contracts: pd.DataFrame | None, declared: str | None = None) -> Coverage:
    """The coverage the manifest records: declared and checked, or found from the data."""
    return found_coverage(contracts) if declared is None else declared_coverage(declared, contracts)
