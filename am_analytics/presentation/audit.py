"""The intruder's audit of a whole publication: for every hidden count, the interval a reader can derive from every
published relation, and the complementary masking that widens every interval until the protection rule holds.

A publication is seen as a *ledger*: cells (one per quantity, whatever the number of tables that print it), each
shown or hidden, and the linear relations a reader knows between them (a total is the sum of its parts, a cumulative
count the sum of its months, France the sum of its regions, active contracts at a month-end are those of the
previous month-end plus the month's signatures minus the contracts that ended). Cells nobody publishes but that
relations need (the contracts that ended in a month, the signatures of a period no table shows) are *latent*.

What the reader knows of a hidden cell: « < 5 » (primary) means 1 to 4; any other hidden cell (complementary) is at
least 0. The reader's linear program (HiGHS, through `scipy.optimize.linprog`) minimises and maximises each cell
under all relations (HiGHS, the solver `scipy.optimize.linprog` wraps, driven through `highspy` to re-solve a model
with a new objective from its last basis). The protection rule, stated on the methods page:

- no hidden count can be found exactly (its interval holds at least two integers);
- no count from 1 to 4, hidden or latent, can be narrowed to fewer than three values.

Intervals only widen when a shown cell is hidden, so the protection is greedy: each exposed cell gets a shown
neighbour hidden (the smallest, the least information lost) until it is protected, and cells protected earlier
stay protected.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import highspy
import numpy as np
from scipy.sparse import csc_matrix

from am_analytics.errors import AmAnalyticsError
from am_analytics.presentation.disclosure import THRESHOLD

Key = Hashable
Index = Mapping[Key, list[tuple[dict[Key, float], bool]]]  # each cell's relations, and whether each is an equation
TOLERANCE = 1e-6
# the width of the interval a cell must keep: two integers for any hidden count, three for a small one
MIN_VALUES_HIDDEN = 2
MIN_VALUES_SMALL = 3


class DisclosureRisk(AmAnalyticsError):
    """A publication from which a hidden count can be recovered: nothing is written (exit code 3)."""

    exit_code = 3

    def __init__(self, exposures: list[Exposure]):
        self.exposures = exposures
        super().__init__(
            f"publication refusée (secret statistique) : {len(exposures)} effectif(s) masqué(s) retrouvable(s) "
            f"par un lecteur ; par exemple {exposures[0].describe()}\n"
            "  → signaler ce cas aux mainteneurs d'am_analytics avec la commande lancée : rien n'a été écrit"
        )


def cell_label(key: Key) -> str:
    """A cell's key as a reader would say it: « signes R06 du 01/07/2023 au 30/06/2024 »."""
    if not isinstance(key, tuple):
        return str(key)
    words, days = [], [part for part in key if isinstance(part, date)]
    for part in key:
        if part is not None and not isinstance(part, date):
            words.append(str(part))
    if len(days) == 2:
        first, last = days
        if first == last:
            words.append(f"au {last:%d/%m/%Y}")
        elif first.year <= 1900:
            words.append(f"jusqu'au {last:%d/%m/%Y}")
        else:
            words.append(f"du {first:%d/%m/%Y} au {last:%d/%m/%Y}")
    return " ".join(words)


@dataclass(frozen=True)
class Exposure:
    """A cell whose interval, for a reader of the whole publication, is narrower than the rule allows."""

    key: Key
    value: float
    low: float
    high: float
    places: tuple[str, ...]
    pinned: bool = False  # the reader's program itself (not only its integer rounding) fixes the value

    def describe(self) -> str:
        where = ", ".join(self.places) or "cellule non publiée (déduite des autres)"
        return f"{where} — {cell_label(self.key)} : entre {self.low:g} et {self.high:g}"


@dataclass
class Ledger:
    """The cells of a publication, their status and the relations a reader knows between them."""

    threshold: int = THRESHOLD
    value: dict[Key, float] = field(default_factory=dict)
    shown: dict[Key, bool] = field(default_factory=dict)
    primary: set[Key] = field(default_factory=set)
    latent: set[Key] = field(default_factory=set)
    fixed: set[Key] = field(default_factory=set)
    # « < 5 » cells said as a plain secret, so the reader loses « at least 1 »
    relabelled: set[Key] = field(default_factory=set)
    # hidden cells the reader finds exactly anyway, shown again: showing them tells nothing new
    revealed: set[Key] = field(default_factory=set)
    # latent cells of national totals (contracts ended in France in a month): they single out nobody
    exempt: set[Key] = field(default_factory=set)
    places: dict[Key, set[str]] = field(default_factory=dict)
    equations: list[dict[Key, float]] = field(default_factory=list)
    inequalities: list[dict[Key, float]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    # --- building -------------------------------------------------------------------------------------------

    def publish(self, key: Key, value: float, *, hidden: str | None, place: str, fixed: bool = False) -> None:
        """A published cell. The same quantity printed in two places is one cell: hidden if hidden anywhere (a
        figure is hidden everywhere or nowhere), « < 5 » if primary anywhere."""
        value = float(value)
        if key in self.value and abs(self.value[key] - value) > TOLERANCE:
            raise ValueError(f"la cellule {key} vaut {self.value[key]:g} et {value:g} selon la table ({place})")
        self.value[key] = value
        self.latent.discard(key)
        self.shown[key] = self.shown.get(key, True) and hidden is None
        if hidden == "primaire":
            self.primary.add(key)
        if fixed:
            self.fixed.add(key)
        self.places.setdefault(key, set()).add(place)

    def add_latent(self, key: Key, value: float) -> None:
        """A quantity no table prints, which relations need (its true value is known to the publisher)."""
        if key in self.value:
            return
        self.value[key] = float(value)
        self.shown[key] = False
        self.latent.add(key)

    def relate(self, terms: Mapping[Key, float], *, inequality: bool = False, name: str = "") -> bool:
        """Σ coefficient × cell = 0 (or ≥ 0). A relation that does not hold on the true values is a modelling
        error, not knowledge a reader has: it is skipped and recorded in `skipped` (tests require none)."""
        terms = {key: coef for key, coef in terms.items() if coef}
        missing = [key for key in terms if key not in self.value]
        if missing:
            raise KeyError(f"relation {name} : cellules inconnues {missing[:3]}")
        total = sum(coef * self.value[key] for key, coef in terms.items())
        holds = total >= -TOLERANCE if inequality else abs(total) <= TOLERANCE
        if not holds:
            self.skipped.append(f"{name}: {total:g}")
            return False
        (self.inequalities if inequality else self.equations).append(dict(terms))
        return True

    def hide(self, key: Key) -> None:
        self.shown[key] = False
        self.revealed.discard(key)  # a cell shown again, then hidden to protect another, stays hidden

    def reveal(self, key: Key) -> None:
        """Show a hidden cell that every solution of the reader's program already fixes to its value: the set of
        solutions does not change, so no other cell's interval does."""
        self.shown[key] = True
        self.revealed.add(key)

    def revealable(self, exposure: Exposure) -> bool:
        """A published, not small cell that the reader's program fixes exactly: hiding it protects nothing, and
        showing it leaves every solution, so every other interval, as it was (a cell fixed only once rounded to
        integers is not: showing it would narrow others)."""
        value = self.value[exposure.key]
        return (
            exposure.key not in self.latent
            and exposure.pinned
            and not 1 <= value <= self.threshold - 1
        )

    def relabel(self, key: Key) -> None:
        """Show a primary cell with the complementary symbol: the reader no longer knows it is at least 1."""
        self.primary.discard(key)
        self.relabelled.add(key)

    # --- what a reader knows ------------------------------------------------------------------------------------

    def bounds(self, key: Key) -> tuple[float, float | None]:
        if self.shown[key]:
            return self.value[key], self.value[key]
        if key in self.primary:
            return 1.0, float(self.threshold - 1)
        return 0.0, None

    def needed(self, key: Key) -> int:
        """How many values the cell's interval must hold (0: nothing to protect)."""
        if self.shown[key] or key in self.exempt:
            return 0
        small = 1 <= self.value[key] <= self.threshold - 1
        if key in self.latent:
            return MIN_VALUES_SMALL if small else 0
        return MIN_VALUES_SMALL if small else MIN_VALUES_HIDDEN

    def hidden_cells(self) -> list[Key]:
        return [key for key, shown in self.shown.items() if not shown and key not in self.latent]


# --- The reader's linear program ----------------------------------------------------------------------------------


def _components(ledger: Ledger) -> list[tuple[list[Key], list[int], list[int]]]:
    """Groups of unknown cells linked by relations, with the relations (equations, inequalities) of each."""
    parent: dict[Key, Key] = {}

    def find(key: Key) -> Key:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    unknown = [key for key, shown in ledger.shown.items() if not shown]
    for key in unknown:
        find(key)
    relations = [*ledger.equations, *ledger.inequalities]
    for terms in relations:
        free = [key for key in terms if not ledger.shown[key]]
        for other in free[1:]:
            parent[find(other)] = find(free[0])
    members: dict[Key, list[Key]] = {}
    for key in unknown:
        members.setdefault(find(key), []).append(key)
    equations: dict[Key, list[int]] = {}
    inequalities: dict[Key, list[int]] = {}
    for index, terms in enumerate(ledger.equations):
        free = [key for key in terms if not ledger.shown[key]]
        if free:
            equations.setdefault(find(free[0]), []).append(index)
    for index, terms in enumerate(ledger.inequalities):
        free = [key for key in terms if not ledger.shown[key]]
        if free:
            inequalities.setdefault(find(free[0]), []).append(index)
    return [(cells, equations.get(root, []), inequalities.get(root, [])) for root, cells in members.items()]


_BANNER_SHOWN = False


def _silent_highs() -> highspy.Highs:
    """A HiGHS instance that prints nothing. HiGHS writes a copyright banner to the process's standard output
    (file descriptor 1, below Python) when its first instance is built, before any option can be set: that first
    construction happens with the descriptor pointed at /dev/null, so a report's or a notebook's output stays clean."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        highs = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SHOWN = True
    highs.setOptionValue("output_flag", False)
    # each program differs from the last by its objective only: the last basis stays primal feasible, so the primal
    # simplex goes on from it where the dual simplex would start over
    highs.setOptionValue("simplex_strategy", 4)
    return highs


class _Program:
    """The reader's linear program over one component (HiGHS through `highspy`: the model is passed once, each
    objective re-solved from the previous basis): bounds of any cell, every solution remembered (each solution is a
    point the cells can take, so it widens the known range of every cell at once)."""

    def __init__(self, ledger: Ledger, cells: list[Key], equations: list[int], inequalities: list[int]):
        self.ledger, self.cells = ledger, cells
        self.column = {key: position for position, key in enumerate(cells)}
        relations = [ledger.equations[i] for i in equations] + [ledger.inequalities[i] for i in inequalities]
        matrix, constants = self._matrix(relations)
        lower = -constants  # Σ a·x + constant = 0, or ≥ 0
        upper = np.where(np.arange(len(relations)) < len(equations), lower, highspy.kHighsInf)
        box = [ledger.bounds(key) for key in cells]
        model = highspy.HighsLp()
        model.num_col_, model.num_row_ = len(cells), len(relations)
        model.col_cost_ = np.zeros(len(cells))
        model.col_lower_ = np.array([low for low, _ in box], dtype=float)
        model.col_upper_ = np.array([highspy.kHighsInf if high is None else high for _, high in box], dtype=float)
        model.row_lower_, model.row_upper_ = lower, upper
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_ = matrix.indptr
        model.a_matrix_.index_ = matrix.indices
        model.a_matrix_.value_ = matrix.data
        self.highs = _silent_highs()
        self.highs.passModel(model)
        self.everything = np.arange(len(cells), dtype=np.int32)
        truth = np.array([ledger.value[key] for key in cells])
        self.seen_low, self.seen_high = truth.copy(), truth.copy()

    def _matrix(self, relations: list[dict[Key, float]]) -> tuple[csc_matrix, np.ndarray]:
        rows, cols, data, constants = [], [], [], np.zeros(len(relations))
        for row, terms in enumerate(relations):
            for key, coef in terms.items():
                if key in self.column:
                    rows.append(row)
                    cols.append(self.column[key])
                    data.append(coef)
                else:
                    constants[row] += coef * self.ledger.value[key]
        return csc_matrix((data, (rows, cols)), shape=(len(relations), len(self.cells))), constants

    def solve(self, objective: np.ndarray) -> float | None:
        """Minimise objective · x; None when unbounded. Widens the seen ranges with the solution."""
        self.highs.changeColsCost(len(self.cells), self.everything, objective.astype(float))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kUnknown:
            # a re-solve from the last basis can stop on an unbounded direction without a verdict: solved afresh
            self.highs.clearSolver()
            self.highs.run()
            status = self.highs.getModelStatus()
        # never infeasible (the true values satisfy every relation): what is not optimal is unbounded
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"programme linéaire de l'audit : {self.highs.modelStatusToString(status)}")
        solution = np.array(self.highs.getSolution().col_value)
        self.seen_low = np.minimum(self.seen_low, solution)
        self.seen_high = np.maximum(self.seen_high, solution)
        return float(self.highs.getInfo().objective_function_value)

    def interval(self, position: int) -> tuple[float, float]:
        objective = np.zeros(len(self.cells))
        objective[position] = 1.0
        low = self.solve(objective)
        objective[position] = -1.0
        high = self.solve(objective)
        return (low if low is not None else -np.inf), (-high if high is not None else np.inf)

    def wide_enough(self, position: int, needed: int) -> bool:
        return self.seen_high[position] - self.seen_low[position] >= needed - 1 - TOLERANCE


def _integer_interval(low: float, high: float) -> tuple[float, float]:
    return float(np.ceil(low - TOLERANCE)), float(np.floor(high + TOLERANCE)) if np.isfinite(high) else np.inf


def _exposures_in(program: _Program, targets: Iterable[Key]) -> list[Exposure]:
    ledger, found = program.ledger, []
    targets = [key for key in targets if ledger.needed(key)]
    if not targets:
        return found
    # two solutions that push every target together usually settle most of them at once
    weights = np.zeros(len(program.cells))
    weights[[program.column[key] for key in targets]] = 1.0
    program.solve(weights)
    program.solve(-weights)
    for key in targets:
        position, needed = program.column[key], ledger.needed(key)
        if program.wide_enough(position, needed):
            continue
        raw_low, raw_high = program.interval(position)
        low, high = _integer_interval(raw_low, raw_high)
        if high - low < needed - 1:
            places = tuple(sorted(ledger.places.get(key, ())))
            pinned = raw_high - raw_low <= TOLERANCE
            found.append(Exposure(key, ledger.value[key], low, high, places, pinned))
    return found


def audit(ledger: Ledger) -> list[Exposure]:
    """Every cell a reader of the whole publication can narrow more than the protection rule allows."""
    found: list[Exposure] = []
    for cells, equations, inequalities in _components(ledger):
        if not any(ledger.needed(key) for key in cells):
            continue
        found += _exposures_in(_Program(ledger, cells, equations, inequalities), cells)
    return found


def _neighbours(ledger: Ledger, key: Key, index: Index) -> tuple[list[Key], list[Key]]:
    """The nearest shown cells that share a relation with `key` or with the unknown cells linked to it, and the
    primary cells linked to it (nearest first, `key` itself first)."""
    seen, frontier, found, primaries = {key}, [key], [], [key] if key in ledger.primary else []
    while frontier:
        next_frontier = []
        for cell in frontier:
            for terms, _ in index.get(cell, ()):
                for other in terms:
                    if other in seen:
                        continue
                    seen.add(other)
                    if ledger.shown[other]:
                        found.append(other)
                    else:
                        next_frontier.append(other)
                        if other in ledger.primary:
                            primaries.append(other)
        if found:
            break
        frontier = next_frontier
    return found, primaries


def _cost(ledger: Ledger, key: Key, index: Index) -> tuple:
    """What hiding a shown cell costs: a headline figure (France's, a region's signed and active contracts) only
    when nothing else is left; then the relations that would give it straight back (every other cell of the
    relation shown: another cell would have to be hidden after it); then its value (the information lost)."""
    pinned = sum(
        1
        for terms, equation in index.get(key, ())
        if equation and all(ledger.shown[other] for other in terms if other != key)
    )
    return key in ledger.fixed, pinned, ledger.value[key], str(key)


def protect(ledger: Ledger, *, limit: int = 10_000) -> list[Key]:
    """Protect every exposed cell; returns the cells newly hidden. A hidden cell the reader finds exactly and that is
    not small is shown again (`reveal`: hiding it protected nothing); a small one said « < 5 » whose own bounds close
    its interval is said as a plain secret (`relabel`); any other exposed cell gets a shown neighbour hidden. Raises
    `DisclosureRisk` when a cell cannot be protected (only fixed cells are left to hide)."""
    index: Index = {}
    for relations, equation in ((ledger.equations, True), (ledger.inequalities, False)):
        for terms in relations:
            for key in terms:
                index.setdefault(key, []).append((terms, equation))
    added: list[Key] = []
    queue = [exposure.key for exposure in audit(ledger)]
    while queue:
        key = queue.pop(0)
        remaining = _still_exposed(ledger, key, index)
        if remaining is not None and ledger.revealable(remaining):
            ledger.reveal(key)
            continue
        while remaining is not None:
            candidates, primaries = _neighbours(ledger, key, index)
            if len(added) >= limit or not (candidates or primaries):
                raise DisclosureRisk([remaining])
            if key in ledger.primary:  # closed by what its own « < 5 » tells: saying less costs no number
                ledger.relabel(key)
                remaining = _still_exposed(ledger, key, index)
            elif candidates and not (primaries and all(cell in ledger.fixed for cell in candidates)):
                chosen, remaining = _helpful_hide(ledger, key, remaining, candidates, index)
                added.append(chosen)
                queue.append(chosen)  # a newly hidden cell must not be recoverable itself
            else:  # closed by what « < 5 » tells (at least 1), or only headline figures left to hide: say less of the
                # nearest « < 5 » rather than hide a headline figure
                ledger.relabel(primaries[0])
                remaining = _still_exposed(ledger, key, index)
    return added


TRIALS = 3  # candidates tried, cheapest first, before hiding the cheapest whatever it does


def _helpful_hide(
    ledger: Ledger, key: Key, exposure: Exposure, candidates: list[Key], index: Index
) -> tuple[Key, Exposure | None]:
    """Hide the cheapest candidate that widens the exposed cell's interval (a cell linked to it only through
    relations that pin it anyway helps nothing), or the cheapest when none of the first few does."""
    ranked = sorted(candidates, key=lambda cell: _cost(ledger, cell, index))
    # a headline figure is never tried while another cell is left: hiding it would help, and cost most
    ranked = [cell for cell in ranked if cell not in ledger.fixed] or ranked
    width = exposure.high - exposure.low
    for cell in ranked[:TRIALS]:
        was_revealed = cell in ledger.revealed
        ledger.hide(cell)
        remaining = _still_exposed(ledger, key, index)
        if remaining is None or remaining.high - remaining.low > width:
            return cell, remaining
        ledger.shown[cell] = True  # the trial undone
        if was_revealed:
            ledger.revealed.add(cell)
    ledger.hide(ranked[0])
    return ranked[0], _still_exposed(ledger, key, index)


def _still_exposed(ledger: Ledger, key: Key, index: Index) -> Exposure | None:
    """The cell's exposure, if any, from the program of the unknown cells linked to it (found by a walk through the
    relations, not by recomputing every component)."""
    cells, seen, frontier, relations = [key], {key}, [key], {}
    while frontier:
        next_frontier = []
        for cell in frontier:
            for terms, _ in index.get(cell, ()):
                relations[id(terms)] = terms
                for other in terms:
                    if other not in seen and not ledger.shown[other]:
                        seen.add(other)
                        cells.append(other)
                        next_frontier.append(other)
        frontier = next_frontier
    equations = [i for i, terms in enumerate(ledger.equations) if id(terms) in relations]
    inequalities = [i for i, terms in enumerate(ledger.inequalities) if id(terms) in relations]
    found = _exposures_in(_Program(ledger, cells, equations, inequalities), [key])
    return found[0] if found else None
