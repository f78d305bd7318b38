"""An intruder's audit, kept aside from the package: what a reader recovers from the files a run wrote.

It reads only what was published — the workbooks (`.xlsx`) and CSV downloads of one run, one counting date — and
public facts (Insee populations, the list of départements and regions, the list of backgrounds), never the package's
own disclosure ledger (`presentation/linked.py`): it is a second, independent reader, written from the outputs.

Its model of the truth is the finest a reader can posit: contracts signed and contracts ended per region, background
and month (unknown, at least 0), the active stock of each month (never below 0), départements as separate unknowns
that add up to their region, and the training counts (past the deadline ≥ training known ≥ not certified). Every
published cell then says something about a sum of those unknowns:
- a number is that sum; « < 5 » puts it between 1 and 4; « s » says nothing (at least 0);
- a series row (by month, quarter or year) gives the period's signatures, the cumulative count and the stock;
- a rate per 100 000 inhabitants gives the count within its rounding (Insee municipal population); the two rates of
  one row give the ratio of its two counts; a 12-month change gives the stock of a year before;
- a share gives the part within its rounding, once the base is known;
- contract-years of a calendar year lie between the contracts signed that year and the cumulative count.
For every hidden count it asks a linear program (HiGHS) for the least and the greatest value, and reports the cells
recovered exactly and the small ones narrowed to fewer than three values (the rule stated on the methods page).

    python benchmarks/intruder.py OUTPUT_FOLDER_OR_FILE [...] [--as-of AAAA-MM-JJ]

Exit status 1 when a hidden count is recovered exactly or a small one is narrowed below the rule, 0 otherwise. A
hidden zero a reader finds is listed apart: it discloses no one, it was only hidden for nothing.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import highspy
import numpy as np
import pandas as pd
from scipy.sparse import csc_matrix

from am_analytics import reference  # public facts only: Insee geography and populations
from am_analytics.vocabulary import PROFILS  # the published list of backgrounds

FRANCE = "FR"
SMALL = (1, 4)
RANDOM_DIRECTIONS = 16
# Every unknown is below a ceiling no count can reach (France has about 10 000 contracts): the programs stay bounded,
# so each is re-solved from the last basis instead of afresh, and a count the reader cannot bound reads as that high.
CEILING = 1e6
RULE_VALUES = 3  # no small hidden count narrowed to fewer than three values
FIRST_MONTH = pd.Period("2019-01", "M")  # safely before the first contract (September 2019)
FRENCH_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}


def fold(text: object) -> str:
    """Accents and spacing folded, punctuation kept (« < 5 », « Fin d'année »): `text.fold` would drop them. The
    intruder keeps its own small helpers (this one, its HiGHS set-up) so that it shares no code with the ledger."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain.replace("\u202f", " ").replace("\xa0", " ")).strip().lower()


# --- what a cell says ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A published count: its value, or hidden (« < 5 »: between 1 and 4; « s »: anything)."""

    value: float | None
    small: bool = False

    @property
    def hidden(self) -> bool:
        return self.value is None


def read_cell(raw: object) -> Cell | None:
    """A count cell as printed; None when it says nothing about a count (blank, « n.d. », « n.s. »)."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return Cell(float(raw))
    text = fold(raw)
    if text == "< 5":
        return Cell(None, small=True)
    if text == "s":
        return Cell(None)
    number = read_number(raw)
    return None if number is None else Cell(number)


def read_number(raw: object) -> float | None:
    """A number as a workbook holds it or as a French CSV prints it (« 8 537 », « 3,8 », « 15,2 % »)."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    text = str(raw).replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    percent = text.endswith("%")
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        return None
    return value / 100 if percent else value


def decimals_of(raw: object) -> float:
    """Half the last printed unit (the rounding a reader must allow). A workbook's number is read at the precision
    it is stored with (the package writes six decimals at most): half its last decimal."""
    if isinstance(raw, int):
        return 1e-9
    if isinstance(raw, float):
        digits = repr(raw).split(".")[1] if "." in repr(raw) and "e" not in repr(raw) else ""
        return max(0.5 * 10 ** (-len(digits)), 1e-9)
    text = str(raw).replace("%", "").strip()
    places = len(text.split(",")[1]) if "," in text else 0
    half = 0.5 * 10 ** (-places)
    return half / 100 if str(raw).strip().endswith("%") else half


def read_date(raw: object) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    match = re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", fold(raw))
    if match and match.group(2) in FRENCH_MONTHS:
        return date(int(match.group(3)), FRENCH_MONTHS[match.group(2)], int(match.group(1)))
    return None


# --- the reader's model --------------------------------------------------------------------------------------------


@dataclass
class Model:
    """Unknowns, relations and the hidden cells of one run, as a reader builds them.

    Two grains keep the program small without losing what a reader can use: every count by region and month
    (signed, ended, cumulative, stock), and every count by region, background and calendar year, the two tied by
    their sums. No output publishes a background's count at a finer date than a year or the counting date."""

    as_of: date
    regions: list[str]
    profils: list[str]
    columns: dict[tuple, int] = field(default_factory=dict)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    hidden: list[tuple[str, dict[int, float], bool]] = field(default_factory=list)
    largest: float = 0.0  # the largest published count: no unknown exceeds it (France's total is published)

    def __post_init__(self):
        self.months = list(pd.period_range(FIRST_MONTH, pd.Period(self.as_of, "M"), freq="M"))
        self.years = list(range(FIRST_MONTH.year, self.as_of.year + 1))
        for region in self.regions:
            for m in range(len(self.months)):
                self._flows(("m", region), m)
            for profil in self.profils:
                for y in range(len(self.years)):
                    self._flows(("y", region, profil), y)
                for measure in ("depassee", "connue", "sans"):
                    self.column(("training", measure, region, profil))
                self._training(region, profil)
            for y, year in enumerate(self.years):
                months = [m for m, month in enumerate(self.months) if month.year == year]
                for kind in ("signed", "ended"):
                    terms = {self.columns[(kind, ("m", region), m)]: 1.0 for m in months}
                    for profil in self.profils:
                        terms[self.columns[(kind, ("y", region, profil), y)]] = -1.0
                    self.relation(terms, 0, 0)

    def column(self, key: tuple, low: float = 0.0, high: float = CEILING) -> int:
        if key not in self.columns:
            self.columns[key] = len(self.lower)
            self.lower.append(low)
            self.upper.append(high)
        return self.columns[key]

    def relation(self, terms: dict[int, float], low: float, high: float) -> None:
        self.rows.append((terms, low, high))

    def _flows(self, series: tuple, t: int) -> None:
        """cumul(t) = cumul(t − 1) + signed(t); stock(t) = stock(t − 1) + signed(t) − ended(t); all at least 0."""
        cumul, stock, signed, ended = (self.column((kind, series, t)) for kind in ("cumul", "stock", "signed", "ended"))
        cumul_terms = {cumul: 1.0, signed: -1.0}
        stock_terms = {stock: 1.0, signed: -1.0, ended: 1.0}
        if t:
            cumul_terms[self.columns[("cumul", series, t - 1)]] = -1.0
            stock_terms[self.columns[("stock", series, t - 1)]] = -1.0
        self.relation(cumul_terms, 0, 0)
        self.relation(stock_terms, 0, 0)

    def _training(self, region: str, profil: str) -> None:
        c, last = self.columns, len(self.years) - 1
        chain = [("stock", ("y", region, profil), last), ("training", "depassee", region, profil),
                 ("training", "connue", region, profil), ("training", "sans", region, profil)]
        for bigger, smaller in zip(chain, chain[1:], strict=False):
            self.relation({c[bigger]: 1.0, c[smaller]: -1.0}, 0, math.inf)

    # --- expressions: a published quantity as a sum of unknowns

    def territory(self, code: str) -> list[str]:
        return self.regions if code == FRANCE else [code]

    def _index(self, day: date, profil: str | None, starts: bool = False) -> int:
        """The month (every background) or the year (one background) that holds `day` (that ends on it, unless it
        `starts` on it); -1 before the first."""
        if profil is None:
            return min(max(pd.Period(day, "M").ordinal - FIRST_MONTH.ordinal, -1), len(self.months) - 1)
        if not starts and (day.month, day.day) != (12, 31) and day != self.as_of:
            raise ValueError(f"un profil n'est publié qu'à une fin d'année ou à la date d'arrêté, pas au {day}")
        return min(max(day.year - self.years[0], -1), len(self.years) - 1)

    def _sum(self, kind: str, code: str, profil: str | None, day: date | None, before: bool = False) -> dict:
        if day is None:
            return {}
        t = self._index(day, profil, starts=before) - (1 if before else 0)
        if t < 0:
            return {}
        series = [("m", r) for r in self.territory(code)] if profil is None else [
            ("y", r, profil) for r in self.territory(code)]
        return {self.columns[(kind, s, t)]: 1.0 for s in series}

    def signed(self, code: str, profil: str | None, first: date | None, last: date) -> dict[int, float]:
        """Contracts signed from the period that starts on `first` (None: the start) to the one that ends on `last`."""
        terms = dict(self._sum("cumul", code, profil, last))
        for column, coef in self._sum("cumul", code, profil, first, before=True).items():
            terms[column] = terms.get(column, 0.0) - coef
        return terms

    def active(self, code: str, profil: str | None, day: date) -> dict[int, float]:
        return self._sum("stock", code, profil, day)

    def training(self, measure: str, code: str, profil: str | None) -> dict[int, float]:
        profils = self.profils if profil is None else [profil]
        return {self.columns[("training", measure, r, p)]: 1.0 for r in self.territory(code) for p in profils}

    def departement(self, measure: str, code: str) -> dict[int, float]:
        return {self.column(("departement", measure, code)): 1.0}

    # --- what a cell says about an expression

    def published(self, where: str, terms: dict[int, float], cell: Cell | None) -> None:
        if cell is None or not terms:
            return
        if not cell.hidden:
            self.largest = max(self.largest, abs(cell.value))
        if cell.hidden:
            low, high = SMALL if cell.small else (0, math.inf)
            self.relation(terms, low, high)
            self.hidden.append((where, terms, cell.small))
        else:
            self.relation(terms, cell.value, cell.value)

    def proportional(self, part: dict[int, float], whole: dict[int, float], ratio: float, half: float) -> None:
        """part ≈ ratio × whole, within the printed rounding: (ratio − half)·whole ≤ part ≤ (ratio + half)·whole."""
        if not part or not whole:
            return
        for bound, sign in ((ratio - half, 1.0), (ratio + half, -1.0)):
            terms = {k: sign * v for k, v in part.items()}
            for k, v in whole.items():
                terms[k] = terms.get(k, 0.0) - sign * bound * v
            self.relation(terms, 0, math.inf)


# --- the tables a run publishes ---------------------------------------------------------------------------------


@dataclass
class Table:
    where: str  # file (and sheet)
    title: str
    header: list[str]
    rows: list[list[object]]
    territory: str = FRANCE  # the scope of the file or sheet
    profil: str | None = None

    def column(self, *names: str) -> int | None:
        folded = [fold(h) for h in self.header]
        for name in names:
            for position, header in enumerate(folded):
                if header.startswith(fold(name)):
                    return position
        return None


def tables_in(paths: Iterable[Path]) -> Iterator[Table]:
    for path in paths:
        if path.is_dir():
            yield from tables_in(sorted(p for p in path.rglob("*") if p.suffix in (".csv", ".xlsx")))
        elif path.suffix == ".csv":
            yield from _csv_tables(path)
        elif path.suffix == ".xlsx":
            yield from _workbook_tables(path)


def name_slug(text: str) -> str:
    """A name as the site writes it at the head of a CSV file name (« La Réunion » → `la-reunion`, « Infirmier·ère »
    → `infirmier-ere`): the reader's way from a file name back to the territory or background it names."""
    return re.sub(r"[^a-z0-9]+", "-", fold(str(text).replace("·", " "))).strip("-")


_FILE_REGIONS = {name_slug(n): c for c, n in zip(reference.regions()["region_code"], reference.regions()["region_name"],
                                                  strict=True)}
_FILE_PROFILS = {"profil-" + name_slug(label): label for label in PROFILS.values()}


def _scope_of_file(name: str) -> tuple[str, str | None] | None:
    """The scope a CSV download is about, from its name `<territory>_<subject>.csv` (`mayotte_…`,
    `profil-infirmier-ere_…`, `france_…`); the survey's, the data quality's and the run's own files hold none."""
    head = name.split("_", 1)[0]
    if head in ("qualite", "enquete", "technique"):
        return None
    if head in _FILE_REGIONS:
        return _FILE_REGIONS[head], None
    if head in _FILE_PROFILS:
        return FRANCE, _FILE_PROFILS[head]
    return FRANCE, None


def _csv_tables(path: Path) -> Iterator[Table]:
    scope = _scope_of_file(path.name)
    if scope is None:
        return
    with open(path, encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    if not lines:
        return
    body = []
    for line in lines[1:]:
        if not any(cell.strip() for cell in line):
            break  # the notes follow a blank line
        body.append(line)
    yield Table(str(path), path.stem, lines[0], body, *scope)


def _workbook_tables(path: Path) -> Iterator[Table]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        if len(rows) < 2:
            continue
        title, header, body = str(rows[0][0] or ""), [str(h or "") for h in rows[1]], []
        for row in rows[2:]:
            if all(v is None for v in row):
                break
            body.append(row)
        parts = [part.strip() for part in title.split("—")]
        territory = FRANCE
        for part in parts[1:]:
            code = region_code(part)
            if code:
                territory = code
        yield Table(f"{path.name}:{sheet.title}", title, header, body, territory)


_REGIONS = reference.regions()
_REGION_NAMES = {fold(n): c for c, n in zip(_REGIONS["region_code"], _REGIONS["region_name"], strict=True)}


def region_code(name: object) -> str | None:
    text = fold(name)
    if text in ("france entiere", "france"):
        return FRANCE
    text = re.sub(r"^total ", "", text)
    return _REGION_NAMES.get(text)


_PROFIL_LABELS = {fold(label): label for label in PROFILS.values()}


# --- reading each kind of table into the model -------------------------------------------------------------------


def add_table(model: Model, table: Table) -> None:
    first = fold(table.header[0]) if table.header else ""
    if first.startswith(("fin de", "fin d'")):
        add_series(model, table)
    elif first in ("code", "code region", "code departement"):
        add_territories(model, table)
    elif first == "territoire" and table.column("Contrats du territoire") is not None:
        add_backgrounds(model, table)
    elif first == "annee de signature":
        add_backgrounds_by_year(model, table)
    elif table.column("Échéance dépassée") is not None:
        add_training(model, table)
    elif first == "territoire" and table.column("Contrats signés (cumul)") is not None:
        add_key_figures(model, table)
    elif first == "annee" and table.column("Années de contrat") is not None:
        add_contract_years(model, table)


def add_series(model: Model, table: Table) -> None:
    step = fold(table.header[0])
    headers = ("Contrats signés dans", "Contrats signés (cumul)", "Contrats actifs")
    flow, cumul, active = (table.column(n) for n in headers)
    code, profil = table.territory, table.profil
    for row in table.rows:
        day = read_date(row[0])
        if day is None:
            continue
        start = _period_start(day, step)
        where = f"{table.where} · {row[0]}"
        period = model.signed(code, profil, start, day)
        model.published(f"{where} · signés dans la période", period, read_cell(row[flow]))
        model.published(f"{where} · cumul", model.signed(code, profil, None, day), read_cell(row[cumul]))
        model.published(f"{where} · actifs", model.active(code, profil, day), read_cell(row[active]))


def _period_start(day: date, step: str) -> date:
    if "trimestre" in step:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if "annee" in step:
        return date(day.year, 1, 1)
    return date(day.year, day.month, 1)


_DEPARTEMENTS = reference.departements().set_index("code")["region_code"].to_dict()
_POPULATION = {
    **reference.population("departement").set_index("code")["population_municipale"].to_dict(),
    **{f"R{c}": p for c, p in reference.population("region").set_index("code")["population_municipale"].items()},
}


def add_territories(model: Model, table: Table) -> None:
    """Territory tables: rows of départements (their own unknowns, adding up to the region), regions, France."""
    signed, active = table.column("Contrats signés"), table.column("Contrats actifs")
    rates = table.column("Contrats signés pour 100"), table.column("Contrats actifs pour 100")
    change = table.column("Évol")
    year_before = date(model.as_of.year - 1, model.as_of.month, min(model.as_of.day, 28))
    for row in table.rows:
        code = str(row[0]).strip()
        where = f"{table.where} · {row[1]}"
        if code in _DEPARTEMENTS and not fold(row[1]).startswith("total") and fold(table.header[0]) != "code region":
            terms = {"signes": model.departement("signes", code), "actifs": model.departement("actifs", code),
                     "avant": model.departement("actifs_12", code)}
            population = _POPULATION.get(code)
        else:
            region = FRANCE if code == FRANCE else region_code(row[1]) or code
            if region != FRANCE and region not in model.regions:
                continue
            terms = {"signes": model.signed(region, None, None, model.as_of),
                     "actifs": model.active(region, None, model.as_of),
                     "avant": model.active(region, None, year_before)}
            population = _POPULATION.get(f"R{region}")
        # a table of départements compared (rates and their intervals) prints the active count alone
        if signed is not None:
            model.published(f"{where} · signés", terms["signes"], read_cell(row[signed]))
        if active is not None:
            model.published(f"{where} · actifs", terms["actifs"], read_cell(row[active]))
        if code != FRANCE:  # France's rates leave out Mayotte (no population): not one base for both counts
            _rates(model, row, rates, terms, population)
        if change is not None and (ratio := read_number(row[change])) is not None:
            model.proportional(terms["actifs"], terms["avant"], 1 + ratio, decimals_of(row[change]))


def _rates(model: Model, row: list, rates: tuple, terms: dict, population: float | None) -> None:
    values = [read_number(row[c]) if c is not None else None for c in rates]
    for value, column, measure in zip(values, rates, ("signes", "actifs"), strict=False):
        if value is not None and population:
            count = value * population / 100_000
            half = decimals_of(row[column]) * population / 100_000
            model.relation(terms[measure], count - half, count + half)
    if all(v is not None and v > 0 for v in values):  # the two rates of a row give the ratio of its counts
        model.proportional(terms["signes"], terms["actifs"], values[0] / values[1],
                           (decimals_of(row[rates[0]]) + decimals_of(row[rates[1]])) * 2 / values[1])


def link_departements(model: Model) -> None:
    """A region is the sum of its départements, for every count published by département."""
    year_before = date(model.as_of.year - 1, model.as_of.month, min(model.as_of.day, 28))
    by_region = defaultdict(list)
    for key in list(model.columns):
        if key[0] == "departement":
            by_region[(_DEPARTEMENTS[key[2]], key[1])].append(model.columns[key])
    for (region, measure), columns in by_region.items():
        if region not in model.regions:
            continue
        every = [d for d, r in _DEPARTEMENTS.items() if r == region]
        for d in every:
            columns.append(model.column(("departement", measure, d)))
        columns = sorted(set(columns))
        total = {"signes": model.signed(region, None, None, model.as_of),
                 "actifs": model.active(region, None, model.as_of),
                 "actifs_12": model.active(region, None, year_before)}[measure]
        terms = {c: 1.0 for c in columns}
        for k, v in total.items():
            terms[k] = terms.get(k, 0.0) - v
        model.relation(terms, 0, 0)


def add_backgrounds(model: Model, table: Table) -> None:
    count, base, share = table.column("Contrats"), table.column("Contrats du territoire"), table.column("Part")
    for row in table.rows:
        code = region_code(row[0])
        profil = _PROFIL_LABELS.get(fold(row[1]))
        if code is None or profil is None or (code != FRANCE and code not in model.regions):
            continue
        where = f"{table.where} · {row[0]} · {row[1]}"
        part_terms = model.signed(code, profil, None, model.as_of)
        whole_terms = model.signed(code, None, None, model.as_of)
        model.published(where, part_terms, read_cell(row[count]))
        model.published(f"{where} · total", whole_terms, read_cell(row[base]))
        if (ratio := read_number(row[share])) is not None:
            model.proportional(part_terms, whole_terms, ratio, decimals_of(row[share]))


def add_backgrounds_by_year(model: Model, table: Table) -> None:
    """Backgrounds by signing year, or over all years (« 2019–2025 »); a row « Autres » counts every background its
    period does not list by name (the categories folded together, the note names them)."""
    count, base, share = table.column("Contrats"), table.column("Contrats de l'année"), table.column("Part")
    code = table.territory
    listed: dict[str, set[str]] = defaultdict(set)
    for row in table.rows:
        if (profil := _PROFIL_LABELS.get(fold(row[1]))) is not None:
            listed[str(row[0])].add(profil)
    for row in table.rows:
        years = _years(row[0])
        if years is None:
            continue
        profils = _backgrounds_of(fold(row[1]), listed[str(row[0])])
        first = date(years[0], 1, 1) if years[0] == years[1] else None
        last = min(date(years[1], 12, 31), model.as_of)
        where = f"{table.where} · {row[0]} · {row[1]}"
        part_terms: dict[int, float] = defaultdict(float)
        for profil in profils:
            for column, coef in model.signed(code, profil, first, last).items():
                part_terms[column] += coef
        whole_terms = model.signed(code, None, first, last)
        model.published(where, dict(part_terms), read_cell(row[count]))
        model.published(f"{where} · total", whole_terms, read_cell(row[base]))
        if (ratio := read_number(row[share])) is not None and part_terms:
            model.proportional(dict(part_terms), whole_terms, ratio, decimals_of(row[share]))


def _years(raw: object) -> tuple[int, int] | None:
    """The first and last year of a period as printed: « 2021 », or « 2019–2025 » for all years."""
    match = re.fullmatch(r"(\d{4})(?:\.0)?(?:\s*[–-]\s*(\d{4}))?", str(raw).strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2) or match.group(1))


def _backgrounds_of(label: str, listed: set[str]) -> list[str]:
    """The backgrounds a row counts: its own, or for « Autres » those its period does not list."""
    if (profil := _PROFIL_LABELS.get(label)) is not None:
        return [profil]
    if label.startswith("autres"):
        return [profil for profil in _PROFIL_LABELS.values() if profil not in listed]
    return []


def add_training(model: Model, table: Table) -> None:
    columns = {"actifs": table.column("Contrats actifs"), "depassee": table.column("Échéance dépassée"),
               "connue": table.column("Dont formation connue"), "sans": table.column("Sans certification")}
    share = table.column("Part")
    by_profil = fold(table.header[0]).startswith("profil")
    for row in table.rows:
        code, profil = (FRANCE, _PROFIL_LABELS.get(fold(row[0]))) if by_profil else (region_code(row[0]), table.profil)
        if code is None or (by_profil and profil is None) or (code != FRANCE and code not in model.regions):
            continue
        where = f"{table.where} · {row[0]}"
        terms = {"actifs": model.active(code, profil, model.as_of)}
        terms.update({m: model.training(m, code, profil) for m in ("depassee", "connue", "sans")})
        for measure, column in columns.items():
            if column is not None:
                model.published(f"{where} · {table.header[column]}", terms[measure], read_cell(row[column]))
        if share is not None and (ratio := read_number(row[share])) is not None:
            model.proportional(terms["sans"], terms["connue"], ratio, decimals_of(row[share]))


def add_key_figures(model: Model, table: Table) -> None:
    signed, active = table.column("Contrats signés (cumul)"), table.column("Contrats actifs")
    share = table.column("Part des contrats signés en France")
    for row in table.rows:
        code = region_code(row[0])
        if code is None or (code != FRANCE and code not in model.regions):
            continue
        where = f"{table.where} · {row[0]}"
        terms = model.signed(code, None, None, model.as_of)
        model.published(f"{where} · signés", terms, read_cell(row[signed]))
        model.published(f"{where} · actifs", model.active(code, None, model.as_of), read_cell(row[active]))
        if share is not None and (ratio := read_number(row[share])) is not None:
            model.proportional(terms, model.signed(FRANCE, None, None, model.as_of), ratio, decimals_of(row[share]))


def add_contract_years(model: Model, table: Table) -> None:
    """A contract-year starts at most once a year for each contract signed by then, and once in its signature year."""
    years = table.column("Années de contrat")
    for row in table.rows:
        year = int(read_number(row[0]) or 0)
        cell = read_cell(row[years])
        if not year or cell is None:
            continue
        last = min(date(year, 12, 31), model.as_of)
        column = model.column(("contract_years", table.where, year))
        model.published(f"{table.where} · {year} · années de contrat", {column: 1.0}, cell)
        for terms, low, high in ((model.signed(table.territory, None, date(year, 1, 1), last), 0, math.inf),
                                 (model.signed(table.territory, None, None, last), -math.inf, 0)):
            relation = {column: 1.0}
            for k, v in terms.items():
                relation[k] = relation.get(k, 0.0) - v
            model.relation(relation, low, high)


# --- the reader's linear program ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """What a reader can say of one hidden count: the least and the greatest value it can take (a count is whole)."""

    where: str
    low: float
    high: float
    small: bool

    @property
    def least(self) -> float:
        return float(math.ceil(self.low - 1e-6))

    @property
    def most(self) -> float:
        return float(math.floor(self.high + 1e-6)) if math.isfinite(self.high) else math.inf

    @property
    def values(self) -> float:
        return self.most - self.least + 1

    @property
    def exact(self) -> bool:
        return self.values <= 1


def quiet_highs() -> highspy.Highs:
    """A HiGHS instance without its banner (printed by the C++ library on the process's own output when built)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    highs.setOptionValue("output_flag", False)
    # each program differs from the last by its objective only: the last basis stays feasible, so the primal simplex
    # goes on from it where the dual simplex would start over
    highs.setOptionValue("simplex_strategy", 4)
    return highs


def solve(model: Model, progress: bool = False) -> list[Finding]:
    n = len(model.lower)
    rows, cols, data = [], [], []
    for r, (terms, _, _) in enumerate(model.rows):
        for c, v in terms.items():
            rows.append(r)
            cols.append(c)
            data.append(v)
    matrix = csc_matrix((data, (rows, cols)), shape=(len(model.rows), n))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(model.rows)
    lp.col_cost_ = np.zeros(n)
    inf = highspy.kHighsInf
    lp.col_lower_ = np.array(model.lower, dtype=float)
    ceiling = 2 * model.largest + 10  # bounded programs re-solve from the last basis, with small numbers
    lp.col_upper_ = np.minimum(np.array(model.upper, dtype=float), ceiling)
    lp.row_lower_ = np.array([-inf if math.isinf(low) else low for _, low, _ in model.rows], dtype=float)
    lp.row_upper_ = np.array([inf if math.isinf(high) else high for _, _, high in model.rows], dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
    highs = quiet_highs()
    highs.passModel(lp)
    everything = np.arange(n, dtype=np.int32)
    objectives = np.zeros((len(model.hidden), n))
    for i, (_, terms, _) in enumerate(model.hidden):
        for c, v in terms.items():
            objectives[i, c] = v
    seen_low = np.full(len(model.hidden), np.inf)
    seen_high = np.full(len(model.hidden), -np.inf)

    def optimum(objective: np.ndarray) -> float | None:
        highs.changeColsCost(n, everything, objective)
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kUnknown:
            highs.clearSolver()
            highs.run()
            status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            raise SystemExit("le modèle du lecteur est infaisable : une relation supposée ne tient pas (à corriger)")
        if status != highspy.HighsModelStatus.kOptimal:
            return None
        values = objectives @ np.array(highs.getSolution().col_value)
        np.minimum(seen_low, values, out=seen_low)
        np.maximum(seen_high, values, out=seen_high)
        return float(highs.getInfo().objective_function_value)

    # a few random directions first: every solution is a point the cells can take, so most cells are seen to range
    # widely before any is solved for on its own
    generator = np.random.default_rng(0)
    for _ in range(RANDOM_DIRECTIONS):
        optimum(generator.standard_normal(len(model.hidden)) @ objectives)
    findings = []
    for i, (where, _, small) in enumerate(model.hidden):
        if progress and i % 50 == 0:
            print(f"  … {i}/{len(model.hidden)} cellules", file=sys.stderr, flush=True)
        if seen_high[i] - seen_low[i] >= RULE_VALUES - 1 + 1e-6:
            findings.append(Finding(where, seen_low[i], seen_high[i], small))  # already wide: no need to solve
            continue
        low = optimum(objectives[i])
        high = optimum(-objectives[i])
        findings.append(Finding(where, -math.inf if low is None else low, math.inf if high is None else -high, small))
    return findings


def audit(paths: Iterable[Path], as_of: date | None = None, progress: bool = False) -> list[Finding]:
    tables = list(tables_in(paths))
    if as_of is None:
        series = [t for t in tables if fold(t.header[0]).startswith(("fin de", "fin d'"))]
        dates = [read_date(row[0]) for t in series for row in t.rows]
        as_of = max(d for d in dates if d is not None)
    regions = sorted(reference.regions()["region_code"])
    model = Model(as_of, regions, list(PROFILS.values()))
    for table in tables:
        add_table(model, table)
    link_departements(model)
    if progress:
        print(f"{len(model.lower)} inconnues, {len(model.rows)} relations, {len(model.hidden)} cellules masquées",
              file=sys.stderr, flush=True)
    return solve(model, progress)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
    parser.add_argument("--progress", action="store_true", help="dire l'avancement sur la sortie d'erreur")
    args = parser.parse_args(argv)
    findings = audit(args.paths, args.as_of, args.progress)
    exact = [f for f in findings if f.exact and f.least > 0]
    zeros = [f for f in findings if f.exact and f.least == 0]
    narrow = [f for f in findings if f.small and not f.exact and f.values < RULE_VALUES]
    print(f"effectifs masqués lus : {len(findings)}")
    print(f"retrouvés exactement : {len(exact)}")
    print(f"petits effectifs cernés à moins de {RULE_VALUES} valeurs : {len(narrow)}")
    # a hidden zero a reader finds is no one's count: masked for nothing (a loss for the reader, not a disclosure)
    print(f"zéros masqués qu'un lecteur retrouve (masqués pour rien) : {len(zeros)}")
    for finding in exact + narrow + zeros:
        print(f"  {finding.where} : entre {finding.least:.0f} et {finding.most:.0f}")
    return 1 if exact or narrow else 0


if __name__ == "__main__":
    sys.exit(main())
