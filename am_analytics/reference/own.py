"""Reference lists an analyst supplies instead of the shipped ones (today: the training sites of their region).

A list comes in any format the extracts come in (CSV in any encoding and separator, XLSX, XLS, ODS: read by
`ingest.read_table`), with headers written as people write them (« Ville », « Dépt », « Organisme de
formation »). Each row is kept or rejected with its reason, file and line: a bad row never disappears, and a
file with no usable row, or without a required column, is refused with a French message that says what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from am_analytics.errors import DataError, Location
from am_analytics.geography import normalise_departements, region_of_departements
from am_analytics.ingest.headers import normalise_label
from am_analytics.ingest.read import RawTable, read_table

# Canonical column → the headers read as it (compared after `normalise_label`: accents, case, « Dépt »).
TRAINING_SITE_COLUMNS: dict[str, tuple[str, ...]] = {
    "organisation": ("organisme", "organisme de formation", "nom de l'organisme", "etablissement", "centre"),
    "commune": ("ville", "localite", "site", "lieu", "commune du site"),
    "departement": ("code departement", "departement du site", "numero departement"),
    "source": ("origine", "reference", "source de l'information"),
}
# Optional columns kept when present; any other column is ignored (and named in `ignored_columns`).
TRAINING_SITE_OPTIONAL: dict[str, tuple[str, ...]] = {"annee": ("annee de la liste", "millesime", "date")}
ANALYST_LIST = "liste_analyste"


@dataclass(frozen=True)
class OwnList:
    """An analyst's list as read: the rows kept (canonical columns, plus `region`, `ligne` and `fichier`), the
    rows rejected with `motif`, and the columns of the file that were not read."""

    rows: pd.DataFrame
    rejected: pd.DataFrame
    ignored_columns: tuple[str, ...]


def read_training_sites(path: str | Path, *, sheet: str | None = None) -> OwnList:
    """Read an analyst's list of training sites (organisation, commune, département, source; optional year).

    The département may be a code or a name (« 34 », « Hérault », « 2A »); its region is derived, never read.
    A list supplied for a region is taken as that region's whole supply: it replaces the shipped rows of every
    region it names (see `training_supply_by_region`)."""
    raw = read_table(path, sheet=sheet)
    mapping = _match_headers(raw, TRAINING_SITE_COLUMNS, TRAINING_SITE_OPTIONAL)
    frame = raw.frame.rename(columns=mapping)[list(mapping.values())]
    frame = frame.apply(lambda column: column.astype("string").str.strip())
    reasons = pd.Series(pd.NA, index=frame.index, dtype="string")
    for column in TRAINING_SITE_COLUMNS:
        if column != "departement":
            blank = frame[column].isna() | (frame[column] == "")
            reasons = reasons.mask(reasons.isna() & blank, f"colonne « {column} » vide")
    resolved = normalise_departements(frame["departement"])
    resolved.index = frame.index
    reasons = reasons.mask(reasons.isna() & resolved["code"].isna(), resolved["message"])
    frame["departement"] = resolved["code"].astype("string")
    frame["ligne"] = raw.line_numbers.loc[frame.index].astype("Int64")
    frame["fichier"] = raw.path.name
    kept = reasons.isna()
    rows = frame[kept].copy()
    rows["region"] = region_of_departements(rows["departement"]).astype("string").to_numpy()
    rows["liste"] = ANALYST_LIST
    rejected = raw.frame.loc[~kept].copy()
    rejected["ligne"] = frame.loc[~kept, "ligne"]
    rejected["motif"] = reasons[~kept]
    if rows.empty:
        first = rejected.iloc[0] if len(rejected) else None
        raise DataError(
            "aucune ligne utilisable dans la liste des sites de formation"
            + (f" (ligne {first['ligne']} : {first['motif']})" if first is not None else ""),
            where=Location(file=raw.path.name),
            hint="chaque ligne doit donner l'organisme, la commune, le département (code ou nom) et la source",
        )
    ignored = tuple(str(c) for c in raw.frame.columns if c not in mapping)
    return OwnList(rows=rows.reset_index(drop=True), rejected=rejected.reset_index(drop=True), ignored_columns=ignored)


def _match_headers(
    raw: RawTable, required: dict[str, tuple[str, ...]], optional: dict[str, tuple[str, ...]]
) -> dict[str, str]:
    """Header of the file → canonical column, for the columns named in `required` and `optional`; a required
    column absent, or two headers read as one column, is refused naming the file and the headers found."""
    lookup = {
        normalise_label(alias): canonical
        for canonical, aliases in {**required, **optional}.items()
        for alias in (canonical, *aliases)
    }
    mapping: dict[str, str] = {}
    for header in raw.frame.columns:
        canonical = lookup.get(normalise_label(str(header)))
        if canonical is None:
            continue
        if canonical in mapping.values():
            first = next(h for h, c in mapping.items() if c == canonical)
            raise DataError(
                f"deux colonnes se lisent « {canonical} » : « {first} » et « {header} »",
                where=Location(file=raw.path.name, line=raw.header_line),
                hint="garder une seule de ces colonnes, ou renommer l'autre",
            )
        mapping[header] = canonical
    missing = [column for column in required if column not in mapping.values()]
    if missing:
        found = ", ".join(f"« {header} »" for header in raw.frame.columns)
        raise DataError(
            f"colonne(s) manquante(s) : {', '.join(missing)} (en-têtes trouvés : {found})",
            where=Location(file=raw.path.name, line=raw.header_line),
            hint="nommer les colonnes organisation, commune, departement et source (ou Organisme, Ville, Dépt, "
            "Source)",
        )
    return mapping
