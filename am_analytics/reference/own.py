"""Reference lists an analyst supplies instead of the shipped ones: the training sites of their region, and their
own counts of general practitioners by département.

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
from am_analytics.ingest.headers import OWN_GENERALISTS, OWN_TRAINING_SITES, normalise_label
from am_analytics.ingest.read import RawTable, read_table
from am_analytics.ingest.values import normalise_numbers

# Canonical column → the headers read as it (compared after `normalise_label`: accents, case, « Dépt »): the
# datasets `ingest.headers` recognises in a raw folder, so a list is read the same there and here.
TRAINING_SITE_COLUMNS: dict[str, tuple[str, ...]] = {
    column: OWN_TRAINING_SITES.aliases[column] for column in OWN_TRAINING_SITES.required}
# Optional columns kept when present; any other column is ignored (and named in `ignored_columns`).
TRAINING_SITE_OPTIONAL: dict[str, tuple[str, ...]] = {
    column: aliases for column, aliases in OWN_TRAINING_SITES.aliases.items() if column not in TRAINING_SITE_COLUMNS}
ANALYST_LIST = "liste_analyste"
_TRAINING_HINT = ("nommer les colonnes organisation, commune, departement et source (ou Organisme, Ville, Dépt, "
                  "Source)")

GENERALIST_COLUMNS: dict[str, tuple[str, ...]] = dict(OWN_GENERALISTS.aliases)
_GENERALIST_HINT = ("nommer les colonnes departement, generalistes, source et annee (ou Dépt, Nombre de "
                    "généralistes, Source, Année)")
# a year of reference counts: the RPPS exists since 2011; a year after the current one is a typing error
_FIRST_YEAR = 2000


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
    mapping = _match_headers(raw, TRAINING_SITE_COLUMNS, TRAINING_SITE_OPTIONAL, _TRAINING_HINT)
    frame, reasons = _located_cells(raw, mapping, TRAINING_SITE_COLUMNS)
    rows = frame[reasons.isna()].copy()
    rows["liste"] = ANALYST_LIST
    return _finished(raw, mapping, rows, reasons, "la liste des sites de formation",
                     "chaque ligne doit donner l'organisme, la commune, le département (code ou nom) et la source")


def read_generalist_counts(path: str | Path, *, sheet: str | None = None) -> OwnList:
    """Read an analyst's counts of general practitioners by département (département, count, source, year), to
    use instead of the shipped estimates (`indicators.by_departement(..., generalists=own.rows)`).

    Counts are whole numbers written the French way or not (« 1 234 », « 1234 », Excel's « 1234.0 »); a
    département given twice with two different counts is rejected on both lines (which one is right cannot be
    told), the same count twice is kept once. `rows` has `departement`, `region`, `generalistes` (Int64), `source`,
    `annee` (Int64), `ligne` and `fichier`."""
    raw = read_table(path, sheet=sheet)
    mapping = _match_headers(raw, GENERALIST_COLUMNS, {}, _GENERALIST_HINT)
    frame, reasons = _located_cells(raw, mapping, GENERALIST_COLUMNS)
    counts = normalise_numbers(frame["generalistes"])["value"]
    counts.index = frame.index
    whole = counts.notna() & (counts >= 0) & (counts == counts.round(0))
    reasons = reasons.mask(
        reasons.isna() & ~whole,
        "effectif de généralistes « " + frame["generalistes"].fillna("") + " » : un nombre entier positif attendu",
    )
    years = normalise_numbers(frame["annee"].str.extract(r"((?:19|20)\d{2})", expand=False))["value"]
    years.index = frame.index
    last_year = pd.Timestamp.today().year + 1
    valid_year = years.notna() & years.between(_FIRST_YEAR, last_year)
    reasons = reasons.mask(
        reasons.isna() & ~valid_year,
        "année « " + frame["annee"].fillna("") + f" » : une année de {_FIRST_YEAR} à {last_year} attendue",
    )
    frame["generalistes"] = counts.round(0).astype("Int64")
    frame["annee"] = years.round(0).astype("Int64")
    reasons = _reject_conflicting_duplicates(frame, reasons)
    return _finished(raw, mapping, frame[reasons.isna()].copy(), reasons, "les effectifs de généralistes",
                     "chaque ligne doit donner le département (code ou nom), le nombre de généralistes, la source "
                     "et l'année")


def _reject_conflicting_duplicates(frame: pd.DataFrame, reasons: pd.Series) -> pd.Series:
    """A département counted twice: both lines rejected when the counts differ, the later ones when they agree."""
    valid = reasons.isna()
    values = frame.loc[valid, ["departement", "generalistes"]]
    conflicting = values.groupby("departement")["generalistes"].transform("nunique") > 1
    reasons = reasons.copy()
    reasons[conflicting[conflicting].index] = "département en double avec des effectifs différents : garder une ligne"
    repeated = values[~conflicting].duplicated("departement", keep="first")
    reasons[repeated[repeated].index] = "ligne en double (même département, même effectif) : lue une fois"
    return reasons


def _located_cells(
    raw: RawTable, mapping: dict[str, str], required: dict[str, tuple[str, ...]]
) -> tuple[pd.DataFrame, pd.Series]:
    """The file's columns under their canonical names, stripped, with the département resolved (and its region
    derived), each row's line and file; beside it each row's reason for rejection (`<NA>` for a row kept): a
    blank required cell or a département the resolver does not know."""
    frame = raw.frame.rename(columns=mapping)[list(mapping.values())]
    frame = frame.apply(lambda column: column.astype("string").str.strip())
    reasons = pd.Series(pd.NA, index=frame.index, dtype="string")
    for column in required:
        if column != "departement":
            blank = frame[column].isna() | (frame[column] == "")
            reasons = reasons.mask(reasons.isna() & blank, f"colonne « {column} » vide")
    resolved = normalise_departements(frame["departement"])
    resolved.index = frame.index
    reasons = reasons.mask(reasons.isna() & resolved["code"].isna(), resolved["message"])
    frame["departement"] = resolved["code"].astype("string")
    frame["region"] = region_of_departements(frame["departement"]).astype("string").to_numpy()
    frame["ligne"] = raw.line_numbers.loc[frame.index].astype("Int64")
    frame["fichier"] = raw.path.name
    return frame, reasons


def _finished(raw: RawTable, mapping: dict[str, str], rows: pd.DataFrame, reasons: pd.Series, what: str,
              hint: str) -> OwnList:
    """The list as read: its kept rows, its rejected rows (the file's own cells, line and reason), the columns
    not read; refused when no row is usable, naming the first rejected line."""
    rejected = raw.frame.loc[reasons.notna()].copy()
    rejected["ligne"] = raw.line_numbers.loc[rejected.index].astype("Int64")
    rejected["motif"] = reasons[reasons.notna()]
    if rows.empty:
        first = rejected.iloc[0] if len(rejected) else None
        raise DataError(
            f"aucune ligne utilisable dans {what}"
            + (f" (ligne {first['ligne']} : {first['motif']})" if first is not None else ""),
            where=Location(file=raw.path.name),
            hint=hint,
        )
    ignored = tuple(str(c) for c in raw.frame.columns if c not in mapping)
    return OwnList(rows=rows.reset_index(drop=True), rejected=rejected.reset_index(drop=True), ignored_columns=ignored)


def _match_headers(
    raw: RawTable, required: dict[str, tuple[str, ...]], optional: dict[str, tuple[str, ...]], hint: str
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
            hint=hint,
        )
    return mapping
