"""The scope of a presentation: France, a region or a background, at a counting date, over one dataset.

Resolved once (folders, data, counting date, filters, synthetic flag) and used alike by the report, the
notebooks and the scheduled site. Parameters arrive as users and schedulers write them: a region as a code or
a name, a background as a code or a French label, a date as `AAAA-MM-JJ` or `JJ/MM/AAAA`, folders as text;
`None` or an empty string means the default. A bad value raises `UsageError` with a French message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from am_analytics import paths
from am_analytics.coverage import Coverage
from am_analytics.errors import DataError, Location, UsageError
from am_analytics.geography import region_name
from am_analytics.loading import Processed
from am_analytics.parameters import _blank, resolve_as_of, resolve_profil, resolve_region
from am_analytics.vocabulary import ALL_PROFILS_LABEL, NATIONAL_LABEL, PROFILS

NATIONAL_CODE = "FR"
# how a notebook calls each parameter; a command line passes its own (`--region`) so a message names the option
PARAMETER_NAMES = {"region": "region", "profil": "profil_origine", "as_of": "as_of", "data_dir": "data_dir"}


def resolve_folders(data_dir: object = None, processed_dir: object = None) -> tuple[Path, Path]:
    """The raw folder (default `data/raw`) and the processed folder of that raw folder: the project's
    `data/processed` for its own `data/raw`, a cache folder for any other (`paths.processed_dir_for`), so another
    folder's data never overwrites the project's processed tables."""
    raw = paths.raw_dir() if _blank(data_dir) else Path(str(data_dir)).expanduser()
    if not raw.is_dir():
        raise UsageError(f"dossier de données introuvable : {raw}")
    processed = paths.processed_dir_for(raw) if _blank(processed_dir) else Path(str(processed_dir)).expanduser()
    return raw, processed


def _covered(coverage: Coverage) -> str:
    return ", ".join(f"{region_name(code)} ({code})" for code in coverage.regions)


def region_within(region: str | None, coverage: Coverage) -> str | None:
    """The region a scope presents, given what the extracts cover: France's default becomes the covered region
    when the extracts cover one region only (nothing computed from one region is presented as France); a region
    outside extracts that do not cover France is refused. Over several regions, no region stays None: the data of a
    run (the site's pages), which no output may present as France (`Scope.presented`)."""
    if coverage.is_france or region is None or coverage.covers_region(region):
        return coverage.region if region is None and coverage.region is not None else region
    raise UsageError(f"aucun contrat de la région {region_name(region)} ({region}) dans ces extractions, qui "
                     f"couvrent {_covered(coverage)} : choisir une région couverte")


@dataclass(frozen=True)
class Scope:
    """What one output presents: which contracts (France, a region, a background), at which counting date."""

    data: Processed
    as_of: pd.Timestamp  # the counting date: contracts signed and active up to the end of that day
    region: str | None = None
    profil: str | None = None
    raw_dir: Path | None = None
    processed_dir: Path | None = None

    # --- opening -------------------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        data_dir: object = None,
        processed_dir: object = None,
        as_of: object = None,
        region: object = None,
        profil: object = None,
        data: Processed | None = None,
        names: Mapping[str, str] | None = None,
    ) -> Scope:
        """Resolve every parameter, load the data (prepared first when missing or stale) and check the
        counting date against it. `data` skips the loading when the caller already holds the tables; `names`
        says how the caller calls each parameter (`--region` on a command line), so a message names it."""
        names = {**PARAMETER_NAMES, **(names or {})}

        def resolved(parameter: str, resolve, *values):
            try:
                return resolve(*values)
            except UsageError as error:
                raise UsageError(f"{names[parameter]} : {error}") from None

        if isinstance(as_of, datetime):  # a Timestamp is a datetime: the counting date is its day
            as_of = as_of.date()
        region_code = resolved("region", resolve_region, region)
        profil_code = resolved("profil", resolve_profil, profil)
        raw = processed = None
        if data is None:
            from am_analytics.loading import load

            raw, processed = resolved("data_dir", resolve_folders, data_dir, processed_dir)
            data = load(raw, processed)
        if data.contracts is None or data.contracts.empty:
            raise DataError(
                "aucun contrat exploitable",
                where=Location(file=str(raw) if raw is not None else None),
                hint="déposer au moins une extraction de contrats (voir python -m am_analytics.prepare)",
            )
        return cls(
            data=data,
            as_of=resolved("as_of", resolve_as_of, as_of, data.contracts),
            region=resolved("region", region_within, region_code, data.coverage),
            profil=profil_code,
            raw_dir=raw,
            processed_dir=processed,
        )

    def with_region(self, region: object) -> Scope:
        """The same data and date for another region (`None`: France, or the covered region when the extracts
        cover one region only); a region outside extracts that do not cover France is refused (`region_within`)."""
        return replace(self, region=region_within(resolve_region(region), self.coverage))

    def presented(self, option: str = PARAMETER_NAMES["region"]) -> Scope:
        """This scope as an output presents it: refused (`UsageError`, naming the caller's `option`) when it is
        France over extracts of several regions but not France, whose sum is no France."""
        if self.region is None and not self.covers_france:
            raise UsageError(f"{option} : ces extractions ne couvrent pas la France entière mais "
                             f"{len(self.coverage.regions)} régions ({_covered(self.coverage)}) : choisir l'une "
                             "d'elles")
        return self

    def with_profil(self, profil: object) -> Scope:
        """The same data, date and territory for another background (`None`: every background)."""
        return replace(self, profil=resolve_profil(profil))

    def national(self) -> Scope:
        """France entière, every background, at the same date."""
        return replace(self, region=None, profil=None)

    # --- what it is ------------------------------------------------------------------------------------------

    @property
    def synthetic(self) -> bool:
        """True when any input is synthetic demo data: every output must then say so."""
        return self.data.synthetic

    @property
    def coverage(self) -> Coverage:
        """The territory the extracts cover (`am_analytics.coverage`), as the preparation recorded it."""
        return self.data.coverage

    @property
    def covers_france(self) -> bool:
        """False when the extracts cover one region or a few: nothing computed from them is then France."""
        return self.coverage.is_france

    @property
    def day(self) -> date:
        return self.as_of.date()

    @property
    def is_national(self) -> bool:
        return self.region is None

    @property
    def territory_code(self) -> str:
        return NATIONAL_CODE if self.region is None else self.region

    @property
    def territory_label(self) -> str:
        return NATIONAL_LABEL if self.region is None else region_name(self.region)

    @property
    def profil_label(self) -> str:
        return ALL_PROFILS_LABEL if self.profil is None else PROFILS[self.profil]

    @property
    def label(self) -> str:
        """« Bretagne », « France entière — Infirmier·ère »: what a title says of the scope."""
        return self.territory_label if self.profil is None else f"{self.territory_label} — {self.profil_label}"

    def title(self, text: str) -> str:
        """A chart or table title for this scope: « Déploiement — Bretagne »."""
        return f"{text} — {self.label}"

    @property
    def stem(self) -> str:
        """A file name for this scope: `france`, `region_53`, `profil_infirmier`, `region_53_profil_infirmier`."""
        parts = ["france" if self.region is None else f"region_{self.region}"]
        if self.profil is not None:
            parts = ([] if self.region is None else parts) + [f"profil_{self.profil}"]
        return "_".join(parts)

    @property
    def comparison_codes(self) -> list[str]:
        """The territory codes a table compares: the region's and France's, or France's alone."""
        return [NATIONAL_CODE] if self.region is None else [self.region, NATIONAL_CODE]

    # --- its contracts -----------------------------------------------------------------------------------------

    @property
    def all_contracts(self) -> pd.DataFrame:
        """Every contract of the dataset (the national reference every scope is compared with)."""
        return self.data.contracts

    @property
    def contracts(self) -> pd.DataFrame:
        """The contracts of the territory and background asked for."""
        contracts = self.data.contracts
        if self.region is not None:
            contracts = contracts[contracts["region"] == self.region]
        if self.profil is not None:
            contracts = contracts[contracts["profil_origine"] == self.profil]
        return contracts

    @property
    def kw(self) -> dict[str, object]:
        """The keywords every contract indicator takes: the counting date and the synthetic flag."""
        return {"as_of": self.day, "synthetic": self.synthetic}
