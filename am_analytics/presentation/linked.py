"""Published items seen as linked tables: each count cell named by what it counts, so that the same quantity in two
tables is one cell, and the relations a reader can use between them (see `audit`).

A cell's key says what it counts: `("signes", territory, first day, last day, dimension, category)` for contracts
signed in a period (a month, a year, the last 12 months, everything up to a date), `("actifs", territory, day,
day, …)` for contracts active on a day, and keys of the same shape for the other counts. Territories are `FR`,
`R<code>` for a region and `D<code>` for a département (region and département codes overlap).

Relations, each checked on the true values before it is used:
- a period's signatures are the sum of the signatures of the pieces it is cut into by the other periods published
  for the same territory and category (months and their cumulative counts, years, the last 12 months…);
- active contracts on a day are those of the previous published day plus the signatures in between minus the
  contracts that ended (a latent count, at least 0);
- France is the sum of its regions and a region the sum of its départements, for every count they share;
- counts within one row of a table are ordered (active ≥ past the deadline ≥ … ; GP ≤ all);
- the categories of a training table (by background) add up to France's training figures.

Where a relation needs a quantity no table prints (the signatures before the first published day, say), its true
value comes from the contracts themselves (`SignatureCounts`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from am_analytics.presentation.audit import TOLERANCE, Ledger
from am_analytics.presentation.coarsening import fold_members, period_bounds
from am_analytics.presentation.disclosure import COMPLEMENTARY, PRIMARY, Disclosure, secret_column
from am_analytics.vocabulary import SCHEME_START

BEGINNING = date(1900, 1, 1)  # « since the beginning »: a cumulative count's first day
NATIONAL = "FR"

# what each count column of a published frame counts, per kind of frame
SIGNED = "signes"
ACTIVE = "actifs"


def region_territory(code: str) -> str:
    return NATIONAL if code == NATIONAL else f"R{code}"


def departement_territory(code: str) -> str:
    return f"D{code}"


def day(value: object) -> date:
    return pd.Timestamp(value).date()


@dataclass(frozen=True)
class Cell:
    """One count cell of a published frame: its row, its column and what it counts."""

    row: int
    column: str
    key: tuple
    shown_as: str | None = None  # the printed column whose status the cell has (a rate it is rebuilt from)


@dataclass
class LinkedItem:
    """A published frame, the exact frame behind it (same rows), its count cells and the columns computed from
    each count (hidden with it)."""

    place: str
    published: pd.DataFrame
    exact: pd.DataFrame
    cells: list[Cell]
    dependants: Mapping[str, Sequence[str]]
    # headline counts (France's; a region's signed and active contracts) hidden to protect another cell only when
    # no other cell can be: on the demo data, never
    fixed: bool = False
    fixed_columns: tuple[str, ...] = ()
    fixed_rows: tuple[int, ...] = ()  # France's row of a table of France and its categories (the commitments)


FOLD_SEPARATOR = "|"  # option codes hold « + » (« 1+1/2 »)


def folded_category(frame: pd.DataFrame, category: str) -> str:
    """A category's key: its code, or for « Autres » the codes it holds (`autres:aide_soignant|assistant_dentaire`),
    so that two folds of different categories are two quantities."""
    members = fold_members(frame, category)
    return category if members is None else f"{category}:{FOLD_SEPARATOR.join(members)}"


def categories_of(category: str) -> list[str]:
    """The categories a category key counts (one, or the members of a fold)."""
    _, _, members = category.partition(":")
    return members.split(FOLD_SEPARATOR) if members else [category]


def dependants_of(rule: Disclosure) -> dict[str, list[str]]:
    """For each count of a rule, the columns hidden with it (values computed from it, shares on it as a base)."""
    found: dict[str, list[str]] = defaultdict(list)
    for derived, counts in rule.follows.items():
        for count in (counts,) if isinstance(counts, str) else counts:
            found[count].append(derived)
    for share, base in rule.bases.items():
        found[base].append(share)
    return dict(found)


class SignatureCounts:
    """True signature counts of any territory, period and category, from the contracts (for latent cells)."""

    def __init__(self, contracts: pd.DataFrame, as_of: pd.Timestamp):
        signature = contracts["date_signature"].to_numpy(dtype="datetime64[D]")
        keep = ~np.isnat(signature) & (signature <= np.datetime64(as_of.date(), "D"))
        self.frame = contracts.loc[keep]
        self.days = signature[keep]
        self._sorted: dict[tuple, np.ndarray] = {}

    def _days(self, territory: str, dimension: str | None, category: str | None) -> np.ndarray:
        key = (territory, dimension, category)
        if key not in self._sorted:
            mask = np.ones(len(self.frame), dtype=bool)
            if territory.startswith("R"):
                mask &= self.frame["region"].eq(territory[1:]).fillna(False).to_numpy(bool)
            elif territory.startswith("D"):
                mask &= self.frame["departement"].eq(territory[1:]).fillna(False).to_numpy(bool)
            if dimension is not None:
                values = self.frame[dimension].astype("string")
                mask &= values.isin(categories_of(category)).fillna(False).to_numpy(bool)
            self._sorted[key] = np.sort(self.days[mask])
        return self._sorted[key]

    def count(self, territory: str, first: date, last: date, dimension: str | None, category: str | None) -> int:
        days = self._days(territory, dimension, category)
        low = np.searchsorted(days, np.datetime64(first, "D"), side="left")
        high = np.searchsorted(days, np.datetime64(last, "D"), side="right")
        return int(high - low)


# --- Cells of each kind of published frame ------------------------------------------------------------------------


def series_cells(
    frame: pd.DataFrame, territory: str, dimension: str | None = None, category: str | None = None
) -> list[Cell]:
    """A monthly series (`results.publish_monthly`): the month's signatures, the cumulative count, the stock; of one
    category (a background's series: `dimension` « profil_origine ») or of every contract."""
    cells = []
    for row, (start, stop) in enumerate(zip(frame["mois"], frame["fin_de_periode"], strict=True)):
        first, last = day(start), day(stop)
        cells.append(Cell(row, "signes_mois", (SIGNED, territory, first, last, dimension, category)))
        cells.append(Cell(row, "signes_cumul", (SIGNED, territory, BEGINNING, last, dimension, category)))
        cells.append(Cell(row, "actifs", (ACTIVE, territory, last, last, dimension, category)))
    return cells


def territory_cells(
    frame: pd.DataFrame, as_of: pd.Timestamp, territory_of, *, windows: Collection[str] = ()
) -> list[Cell]:
    """A territory frame (France, regions or départements at the counting date): the counts a reader reads or
    rebuilds from a rate printed beside them. `windows`: the codes whose signatures of the last 12 months and of
    the 12 before are published (a key message quotes them for the territory a report or a page is about)."""
    now, year_ago, two_years_ago = (day(as_of - pd.DateOffset(months=months)) for months in (0, 12, 24))
    after = timedelta(days=1)
    measures = {
        "signes": (SIGNED, BEGINNING, now),
        "actifs": (ACTIVE, now, now),
        "actifs_mg": ("actifs_mg", now, now),
        "actifs_il_y_a_12_mois": (ACTIVE, year_ago, year_ago),
        "signes_12_derniers_mois": (SIGNED, year_ago + after, now),
        "signes_12_mois_precedents": (SIGNED, two_years_ago + after, year_ago),
    }
    quoted_only = ("signes_12_derniers_mois", "signes_12_mois_precedents")
    cells = []
    for row, code in enumerate(frame["code"]):
        territory = territory_of(str(code))
        for column, (measure, first, last) in measures.items():
            if column in quoted_only and str(code) not in windows:
                continue
            if column in frame.columns:
                cells.append(Cell(row, column, (measure, territory, first, last, None, None), READ_THROUGH.get(column)))
    return cells


# counts no table prints, that a reader rebuilds from a rate printed beside a printed count: their status is the rate's
READ_THROUGH = {"actifs_mg": "actifs_mg_pour_100_mg_estimes", "actifs_il_y_a_12_mois": "croissance_actifs_12m"}


def breakdown_cells(frame: pd.DataFrame, as_of: pd.Timestamp, *, dimension: str, territory=None) -> list[Cell]:
    """A two-way table of signatures: territory × category (`territory` None: one row per territory code) or
    period × category for one territory (`periode` a year, or « 2019–2025 » for a mix over all years: its total is
    the territory's signed contracts). « Autres » is keyed by the categories it holds (`coarsening.fold`)."""
    now, cells = day(as_of), []
    for row, record in enumerate(frame.itertuples(index=False)):
        record = record._asdict()
        if territory is None:
            where, first, last = region_territory(str(record["code"])), BEGINNING, now
            category = str(record["profil_origine"])
        else:
            first_year, last_year = period_bounds(record["periode"])
            first = BEGINNING if first_year != last_year else date(first_year, 1, 1)
            where, last = territory, min(date(last_year, 12, 31), now)
            category = folded_category(frame, str(record["categorie"]))
        cells.append(Cell(row, "effectif", (SIGNED, where, first, last, dimension, category)))
        cells.append(Cell(row, "total", (SIGNED, where, first, last, None, None)))
    return cells


TRAINING_COUNTS = ("actifs", "echeance_depassee", "echeance_depassee_formation_connue", "en_retard")


def training_cells(frame: pd.DataFrame, as_of: pd.Timestamp, *, dimension: str | None = None) -> list[Cell]:
    """Training counts by territory (one row per `code`), or for France by the categories of `dimension` (training
    by background: its categories add up to France's figures, see `LedgerBuilder._categories`)."""
    now, cells = day(as_of), []
    rows = frame["code"] if dimension is None else frame[dimension]
    for row, value in enumerate(rows):
        territory = region_territory(str(value)) if dimension is None else NATIONAL
        category = None if dimension is None else str(value)
        for column in TRAINING_COUNTS:
            measure = ACTIVE if column == "actifs" else column
            cells.append(Cell(row, column, (measure, territory, now, now, dimension, category)))
    return cells


def month_cells(frame: pd.DataFrame, as_of: pd.Timestamp) -> list[Cell]:
    """This month (to the counting date), the previous month and the same month a year before, one row per
    département (`results.publish_month_compared`): periods of the département's signatures, so the audit links
    them to its cumulative count and, where the region's series is monthly, to the region's months."""
    month = pd.Timestamp(as_of).to_period("M")
    periods = {
        "signes_mois": (month.start_time, as_of),
        "signes_mois_precedent": ((month - 1).start_time, (month - 1).end_time),
        "signes_meme_mois_an_passe": ((month - 12).start_time, (month - 12).end_time),
    }
    return [Cell(row, column, (SIGNED, departement_territory(str(code)), day(first), day(last), None, None))
            for row, code in enumerate(frame["code"]) for column, (first, last) in periods.items()]


def training_need_cells(frame: pd.DataFrame, as_of: pd.Timestamp) -> list[Cell]:
    """The training supply by region: its overdue count is the training table's cell; the deadlines within 12
    months a count of its own."""
    now = day(as_of)
    return [Cell(row, column, (column, region_territory(str(code)), now, now, None, None))
            for row, code in enumerate(frame["code"]) for column in ("en_retard", "echeance_12_mois")]


def funding_cells(frame: pd.DataFrame, territory: str) -> list[Cell]:
    return [
        Cell(
            row,
            "annees_contrat",
            ("annees_contrat", territory, date(int(year), 1, 1), date(int(year), 12, 31), None, None),
        )
        for row, year in enumerate(frame["annee"])
    ]


# --- The doctors' commitments (issue 24) ---------------------------------------------------------------------------
# Their counts are of quantities no other table prints (contracts reviewed, doctors matched…), all of France at the
# counting date: each is keyed for France, by the category of a dimension (`("revus", "FR", day, day, "region",
# "53")`), so that `LedgerBuilder._categories` adds each dimension up to France's row and `_commitments` declares
# the rest (a row's statuses, a region's départements, the signed contracts above them).
REVIEWED = "revus"  # contracts at their latest six-monthly review
MATCHED = "apparies"  # signatories of the effect's estimate (per measure: a measure may miss a period)
CONTROLS = "temoins"  # their matched non-signatories: one may serve several signatories of several categories
BEFORE_SIGNING = "signataires_avant"  # signatories observed in the period before their signature (gains by region)
COHORT = "cohorte_cnam"  # doctors of the Cnam's published design run on the data


def reviewed_measure(status: str | None = None) -> str:
    """The key's measure of the contracts reviewed (`status` None) or of those of one status at the review."""
    return REVIEWED if status is None else f"{REVIEWED}_{status}"


def _france_category(dimension: str, category: str) -> tuple[str | None, str | None]:
    """France's row (`france`, `ensemble`) has no category; any other row is one category of its dimension."""
    return (None, None) if dimension in ("france", "ensemble") else (dimension, category)


def commitment_cells(frame: pd.DataFrame, as_of: pd.Timestamp, statuses: Sequence[str]) -> list[Cell]:
    """The statuses at the latest review (`results` item `commitments`): France's row and one row per category
    of each dimension (region, département, option, specialty, background, zone), contracts reviewed and each
    status."""
    now, cells = day(as_of), []
    columns = {"contrats_revus": reviewed_measure(), **{status: reviewed_measure(status) for status in statuses}}
    for row, (dimension, code) in enumerate(zip(frame["dimension"], frame["code"], strict=True)):
        where = _france_category(str(dimension), str(code))
        cells += [Cell(row, column, (measure, NATIONAL, now, now, *where)) for column, measure in columns.items()]
    return cells


def effect_cells(frame: pd.DataFrame, as_of: pd.Timestamp) -> list[Cell]:
    """The effect of signing (`commitment_effect`): for each measure, its matched signatories and their controls,
    overall and by category (every event time of a measure repeats its overall counts: one cell)."""
    now, cells = day(as_of), []
    for row, (measure, dimension, category) in enumerate(
        zip(frame["mesure"], frame["dimension"], frame["categorie"], strict=True)
    ):
        where = _france_category(str(dimension), str(category))
        cells.append(Cell(row, "signataires", (f"{MATCHED}_{measure}", NATIONAL, now, now, *where)))
        cells.append(Cell(row, "temoins", (f"{CONTROLS}_{measure}", NATIONAL, now, now, *where)))
    return cells


def gains_cells(frame: pd.DataFrame, as_of: pd.Timestamp) -> list[Cell]:
    """Patients and medical time by region (`commitment_gains`): the signatories behind each row."""
    now = day(as_of)
    return [Cell(row, "signataires", (BEFORE_SIGNING, NATIONAL, now, now,
                                      *((None, None) if level == "france" else ("region", str(code)))))
            for row, (code, level) in enumerate(zip(frame["code"], frame["niveau"], strict=True))]


def cohort_cells(frame: pd.DataFrame, as_of: pd.Timestamp) -> list[Cell]:
    """The Cnam's design on the data (`commitment_cross`): the doctors of each group (one count per group, printed
    on each of its indicators)."""
    now = day(as_of)
    return [Cell(row, "medecins_donnees", (f"{COHORT}_{group}", NATIONAL, now, now, None, None))
            for row, group in enumerate(frame["groupe_libelle"])]


# --- The ledger -------------------------------------------------------------------------------------------------


def _values(frame: pd.DataFrame, column: str) -> list[float | None]:
    """A count column as plain floats (None where missing), read once per item rather than cell by cell."""
    return [None if pd.isna(value) else float(value) for value in frame[column].tolist()]


def _statuses(frame: pd.DataFrame, column: str) -> list[str | None]:
    """The reasons a published column's cells are hidden (None where shown or never hidden)."""
    secret = secret_column(column)
    if secret not in frame.columns:
        return [None] * len(frame)
    return [None if pd.isna(status) else str(status) for status in frame[secret].tolist()]


class LedgerBuilder:
    """The ledger of a set of linked items, with every relation between their cells."""

    def __init__(self, items: Sequence[LinkedItem], contracts: pd.DataFrame, as_of: pd.Timestamp, children):
        self.items, self.as_of, self.children = items, as_of, children
        self.signatures = SignatureCounts(contracts, as_of)
        self.ledger = Ledger()

    def build(self) -> Ledger:
        for item in self.items:
            values: dict[str, list] = {}
            statuses: dict[str, list] = {}
            for cell in item.cells:
                if cell.column not in values:
                    values[cell.column] = _values(item.exact, cell.column)
                value = values[cell.column][cell.row]
                if value is None:  # a cell with no value (a rate without a population) counts nothing
                    continue
                if cell.shown_as is not None and cell.shown_as not in item.published.columns:
                    continue
                printed = cell.shown_as or cell.column
                if printed not in statuses:
                    statuses[printed] = _statuses(item.published, printed)
                status = statuses[printed][cell.row]
                if cell.shown_as is not None and status is not None:
                    continue  # the rate is hidden: the count cannot be rebuilt, the reader has nothing
                fixed = item.fixed or cell.column in item.fixed_columns or cell.row in item.fixed_rows
                self.ledger.publish(cell.key, value, hidden=status, place=item.place, fixed=fixed)
        self._stocks()
        self._periods()
        self._hierarchy()
        self._row_orders()
        self._categories()
        self._commitments()
        return self.ledger

    # signatures: every period = the sum of its pieces
    def _periods(self) -> None:
        groups: dict[tuple, set[tuple[date, date]]] = defaultdict(set)
        for key in list(self.ledger.value):
            if key[0] == SIGNED:
                groups[(key[1], key[4], key[5])].add((key[2], key[3]))
        for (territory, dimension, category), periods in groups.items():
            cuts = sorted({first for first, _ in periods} | {last + timedelta(days=1) for _, last in periods})
            pieces = list(zip(cuts[:-1], [cut - timedelta(days=1) for cut in cuts[1:]], strict=True))
            ends_by_start: dict[date, list[date]] = defaultdict(list)
            for first, last in periods:
                ends_by_start[first].append(last)
            for first, last in periods:
                # chained where it can be (a cumulative count = the previous one + the month): each relation stays
                # local, so hiding a cell shows which relation gives it back
                shorter = [end for end in ends_by_start[first] if end < last]
                start = max(shorter) + timedelta(days=1) if shorter else first
                inside = [piece for piece in pieces if start <= piece[0] and piece[1] <= last]
                if not shorter and inside == [(first, last)]:
                    continue
                terms = {(SIGNED, territory, first, last, dimension, category): 1.0}
                if shorter:
                    terms[(SIGNED, territory, first, max(shorter), dimension, category)] = -1.0
                for piece in inside:
                    count = self.signatures.count(territory, *piece, dimension, category)
                    if piece[1] < SCHEME_START and not count:
                        continue  # before the scheme began nothing was signed, as every reader knows
                    key = (SIGNED, territory, piece[0], piece[1], dimension, category)
                    self.ledger.add_latent(key, count)
                    terms[key] = terms.get(key, 0.0) - 1.0
                self.ledger.relate(terms, name=f"période {territory} {first}–{last} {category or ''}")

    # stocks: active(t) = active(previous t) + signatures between − ended (latent, ≥ 0)
    def _stocks(self) -> None:
        days: dict[tuple, set[date]] = defaultdict(set)
        for key in list(self.ledger.value):
            if key[0] == ACTIVE and (key[4] is None or self._is_series_category(key)):
                days[(key[1], key[4], key[5])].add(key[2])
        for (territory, dimension, category), stock_days in days.items():
            previous = None
            for today in sorted(stock_days):
                first = BEGINNING if previous is None else previous + timedelta(days=1)
                signed = (SIGNED, territory, first, today, dimension, category)
                self.ledger.add_latent(signed, self.signatures.count(territory, first, today, dimension, category))
                stock = (ACTIVE, territory, today, today, dimension, category)
                before = 0.0 if previous is None else self.ledger.value[(ACTIVE, territory, previous, previous,
                                                                         dimension, category)]
                ended = ("fins", territory, first, today, dimension, category)
                self.ledger.add_latent(ended, before + self.ledger.value[signed] - self.ledger.value[stock])
                # not protected: contracts ended in France (thousands of doctors, nobody singled out), and contracts
                # ended before a territory's first published stock, the difference of the two headline counts of a
                # territory table (signed, active): published by design, as offices publish stocks and cumulative
                # flows side by side. Contracts ended between two published days are protected.
                # nothing signed before `first` (a series starting with zeros): the same count as since the beginning
                if (territory == NATIONAL and category is None) or previous is None or not self.signatures.count(
                    territory, BEGINNING, previous, dimension, category
                ):
                    self.ledger.exempt.add(ended)
                terms = {stock: 1.0, signed: -1.0, ended: 1.0}
                if previous is not None:
                    terms[(ACTIVE, territory, previous, previous, dimension, category)] = -1.0
                self.ledger.relate(terms, name=f"stock {territory} {today} {category or ''}")
                previous = today

    def _is_series_category(self, key: tuple) -> bool:
        """An active count of one background (a background's series, the training table by background): a stock of
        its own, linked from one published day to the next like a territory's."""
        return key[4] == "profil_origine" and key[5] is not None

    # France = Σ regions, region = Σ départements, for every key they share
    def _hierarchy(self) -> None:
        keys = set(self.ledger.value)
        for key in sorted(keys, key=str):
            if key[0] == "fins":
                continue
            children = self.children(key[1])
            if not children:
                continue
            parts = [(key[0], child, *key[2:]) for child in children]
            if all(part in keys for part in parts):
                self.ledger.relate({key: 1.0, **{part: -1.0 for part in parts}}, name=f"hiérarchie {key}")

    # within a row: all ≥ general practitioners; active ≥ past the deadline ≥ with known training ≥ late
    def _row_orders(self) -> None:
        chains = (
            (ACTIVE, "actifs_mg"),
            (ACTIVE, "echeance_depassee", "echeance_depassee_formation_connue", "en_retard"),
        )
        for key in list(self.ledger.value):
            if key[0] != ACTIVE:  # a territory's row, or a category's (training by background)
                continue
            for chain in chains:
                linked = [(measure, *key[1:]) for measure in chain]
                for larger, smaller in zip(linked[:-1], linked[1:], strict=True):
                    if larger in self.ledger.value and smaller in self.ledger.value:
                        self.ledger.relate({larger: 1.0, smaller: -1.0}, inequality=True, name=f"ordre {smaller}")
        for key in list(self.ledger.value):
            if key[0] != "annees_contrat":
                continue
            territory, first, last = key[1], key[2], min(key[3], day(self.as_of))
            during = (SIGNED, territory, first, last, None, None)
            until = (SIGNED, territory, BEGINNING, last, None, None)
            for period in (during, until):
                self.ledger.add_latent(period, self.signatures.count(territory, period[2], period[3], None, None))
            # contract-years started in a year: at least the year's signatures, at most every contract signed by then
            self.ledger.relate({key: 1.0, during: -1.0}, inequality=True, name=f"années de contrat ≥ {key}")
            self.ledger.relate({until: 1.0, key: -1.0}, inequality=True, name=f"années de contrat ≤ {key}")


    # the categories of a training table add up to the territory's figure (training by background and France's): only
    # for the training counts, published for every category (signatures by category are protected by their tables'
    # own totals, see `results.publish_breakdown`)
    def _categories(self) -> None:
        groups: dict[tuple, list[tuple]] = defaultdict(list)
        for key in self.ledger.value:
            if key[4] is not None and not str(key[0]).startswith(CONTROLS):  # controls: see `_commitments`
                groups[(key[0], key[1], key[2], key[3], key[4])].append(key)
        value = self.ledger.value
        for (measure, territory, first, last, _dimension), parts in groups.items():
            parts = self._folds(parts)
            total = (measure, territory, first, last, None, None)
            if total not in value:
                continue
            terms = {total: 1.0, **{part: -1.0 for part in parts}}
            # a table that lists every category adds up to its total, and a reader adds it up (Bretagne at the end
            # of 2019: ten contracts, seven secretaries, three « < 5 » and one « s »: each « < 5 » is 1); one that
            # lists some categories still cannot exceed it
            exhaustive = abs(sum(coef * value[key] for key, coef in terms.items())) <= TOLERANCE
            self.ledger.relate(terms, inequality=not exhaustive, name=f"catégories {measure} {territory}")

    # the commitments' counts (their dimensions add up to France's row in `_categories`): a row's statuses add up to
    # its contracts reviewed; a region's départements to the region; the contracts reviewed and the signatories of a
    # territory or category are among its signed contracts (a reader holds the territory tables and the mixes
    # beside them); a category's controls are among all the controls (not their sum: one serves several)
    def _commitments(self) -> None:
        value, now = self.ledger.value, day(self.as_of)
        statuses = {}
        for key in list(value):
            measure = str(key[0])
            if measure.startswith(f"{REVIEWED}_"):
                statuses.setdefault((REVIEWED, *key[1:]), []).append(key)
        for total, parts in statuses.items():
            if total in value:
                self.ledger.relate({total: 1.0, **{part: -1.0 for part in parts}}, name=f"statuts {total}")
        for key in list(value):
            measure, dimension, category = str(key[0]), key[4], key[5]
            if dimension == "region" and not measure.startswith(CONTROLS):
                codes = [child[1:] for child in self.children(region_territory(str(category)))]
                parts = [part for part in ((*key[:4], "departement", code) for code in codes) if part in value]
                if parts:
                    terms = {key: 1.0, **{part: -1.0 for part in parts}}
                    exhaustive = abs(sum(coef * value[cell] for cell, coef in terms.items())) <= TOLERANCE
                    self.ledger.relate(terms, inequality=not exhaustive, name=f"départements {key}")
            if measure.startswith(CONTROLS) and dimension is not None:
                overall = (*key[:4], None, None)
                if overall in value:
                    self.ledger.relate({overall: 1.0, key: -1.0}, inequality=True, name=f"témoins {key}")
            if measure in (REVIEWED, BEFORE_SIGNING) or measure.startswith(f"{MATCHED}_"):
                signed = self._signed_above(dimension, category, now)
                if signed in value:
                    self.ledger.relate({signed: 1.0, key: -1.0}, inequality=True, name=f"signés ≥ {key}")

    @staticmethod
    def _signed_above(dimension: str | None, category: str | None, now: date) -> tuple:
        """The published count of contracts signed up to `now` of a commitments' row: its territory's or, for a
        category of the contracts (option, background…), France's in that category."""
        if dimension == "region":
            return (SIGNED, region_territory(str(category)), BEGINNING, now, None, None)
        if dimension == "departement":
            return (SIGNED, departement_territory(str(category)), BEGINNING, now, None, None)
        return (SIGNED, NATIONAL, BEGINNING, now, dimension, category)

    def _folds(self, parts: list[tuple]) -> list[tuple]:
        """The parts of a breakdown once its folds are accounted for: « Autres » is the sum of its categories where
        another table prints them all (then it leaves the sum, which its categories make), else it stands for
        them (those of its categories printed elsewhere leave the sum)."""
        present = {key[5]: key for key in parts}
        kept = list(parts)
        for key in parts:
            members = categories_of(key[5])
            if ":" not in key[5]:
                continue
            found = [present[member] for member in members if member in present]
            if len(found) == len(members):
                self.ledger.relate({key: 1.0, **{part: -1.0 for part in found}}, name=f"regroupement {key}")
                kept.remove(key)
            else:
                kept = [part for part in kept if part not in found]
        return kept


# --- Back to the frames -------------------------------------------------------------------------------------------


def _reasons(published: pd.DataFrame, column: str) -> pd.Series:
    secret = secret_column(column)
    if secret in published.columns:
        return published[secret].astype("string").reset_index(drop=True)
    return pd.Series([None] * len(published), dtype="string")


def masked_item(item: LinkedItem, ledger: Ledger) -> pd.DataFrame:
    """The item's published frame as the audit leaves it: the cells it hid (and every column computed from them)
    hidden as complementary cells; the « < 5 » it relabelled said as complementary cells (with the columns computed
    from them); the hidden cells it revealed (the reader finds them exactly anyway) shown with their exact value —
    the columns computed from them stay hidden."""
    published = item.published.reset_index(drop=True).copy()
    changed: dict[str, pd.Series] = {}

    def reasons(column: str) -> pd.Series:
        if column not in changed:
            changed[column] = _reasons(published, column)
        return changed[column]

    for cell in item.cells:
        if cell.key not in ledger.shown or cell.column not in published.columns:
            continue
        status = reasons(cell.column).iloc[cell.row]
        columns = [name for name in (cell.column, *item.dependants.get(cell.column, ())) if name in published.columns]
        if not ledger.shown[cell.key] and pd.isna(status):
            for name in columns:
                if pd.isna(reasons(name).iloc[cell.row]):
                    reasons(name).iloc[cell.row] = COMPLEMENTARY
        elif cell.key in ledger.relabelled and status == PRIMARY:
            for name in columns:
                if reasons(name).iloc[cell.row] == PRIMARY:
                    reasons(name).iloc[cell.row] = COMPLEMENTARY
        elif cell.key in ledger.revealed and ledger.shown[cell.key] and pd.notna(status):
            reasons(cell.column).iloc[cell.row] = pd.NA
            published.loc[cell.row, cell.column] = item.exact[cell.column].iloc[cell.row]
    for column, column_reasons in changed.items():
        hidden = column_reasons.notna().to_numpy()
        if hidden.any():
            published[column] = published[column].mask(hidden)
        if hidden.any() or secret_column(column) in published.columns:
            published[secret_column(column)] = column_reasons.to_numpy()
            published[secret_column(column)] = published[secret_column(column)].astype("string")
    published.attrs = dict(item.published.attrs)
    return published


def children_in(departements: pd.DataFrame, regions: Iterable[str]):
    """The children of a territory: France's regions, a region's départements."""
    by_region: dict[str, list[str]] = defaultdict(list)
    for code, region in zip(departements["code"], departements["region_code"], strict=True):
        by_region[region_territory(str(region))].append(departement_territory(str(code)))
    regions = [region_territory(str(code)) for code in regions]

    def children(territory: str) -> list[str]:
        if territory == NATIONAL:
            return regions
        return by_region.get(territory, [])

    return children
