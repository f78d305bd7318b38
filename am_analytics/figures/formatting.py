"""French formatting of every number, percentage, amount and date a reader sees, from Babel's locale data.

Never `locale.setlocale`: the result would depend on the locales installed on the machine and would change
the whole process. Babel ships the CLDR data, so the output is the same everywhere.

Characters, pinned by the tests and kept exactly as Babel's `fr_FR` data gives them:

- thousands are grouped with a NARROW NO-BREAK SPACE, U+202F (`1 234`);
- a unit after a number (`%`, `€`, `ETP`) follows a NO-BREAK SPACE, U+00A0 (`12,5 %`, `38 000 €`), so a
  line never breaks between a number and its unit;
- the decimal separator is a comma, the minus sign Babel's hyphen-minus (`-1,5`);
- a missing value is written `n.d.` (« non disponible »), never 0 and never an empty cell.

Rounding is half away from zero on the decimal value written in the data (`2,675` → `2,68`, `12,5` →
`13`), as a reader rounds by hand; Babel alone would round half to even on the binary float.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from matplotlib import dates as mdates
from matplotlib.axis import Axis
from matplotlib.ticker import FuncFormatter

LOCALE = "fr_FR"
NARROW_NBSP = "\u202f"  # thousands separator (Babel, fr)
NBSP = "\u00a0"  # before a unit: %, €, ETP
MISSING = "n.d."  # non disponible: the figure exists but is not known (a population the Insee does not publish)
MISSING_LONG = "non disponible"
# « sans objet »: the figure cannot exist (the date a target was reached while it is not, a test that cannot be run,
# the sheet of a CSV file, a rate with no base) — never « n.d. », which says it exists but is unknown
NOT_APPLICABLE = "sans objet"

_LOCALE = Locale.parse(LOCALE)
_DIGITS = re.compile(r"#,##0(?:\.[0#]+)?")


def is_missing(value: object) -> bool:
    """True for None, NaN, `pd.NA` and `NaT`: values that must be written `n.d.`."""
    if value is None:
        return True
    try:
        missing = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return bool(missing) if np.ndim(missing) == 0 else False


def _pattern(base: str, decimals: int) -> str:
    # The locale's own pattern (grouping, unit placement, spaces) with the requested fixed decimals.
    digits = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _DIGITS.sub(digits, base, count=1)


def _decimal(value: float | int | Decimal) -> Decimal:
    # repr() is the shortest text that reads back as the same float: 2.675 stays 2.675, not 2.67499….
    return value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)


def _rounded(value: float | int | Decimal, decimals: int) -> Decimal:
    rounded = _decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    # -0,0 would print with a minus sign: a reader sees zero.
    return rounded if rounded != 0 else abs(rounded)


# Amounts of aid (millions of euros) are printed with one decimal wherever they appear — table, sentence, chart
# label — so that « 118,5 M€ » is never also « 118 M€ » or « 119 M€ ».
MILLIONS_DECIMALS = 1


def format_millions(value: object) -> str:
    """An amount in euros as millions of euros: `118_470_877` → `118,5 M€`; missing → `n.d.`."""
    if is_missing(value):
        return MISSING
    return f"{format_number(float(value) / 1e6, MILLIONS_DECIMALS)}{NBSP}M€"


def rounded(value: object, decimals: int) -> float:
    """A number rounded exactly as the formatters print it (half away from zero on its decimal text), as a float:
    what a class, a sum or a comparison must use when the reader sees the printed value; missing stays NaN."""
    _check_decimals(decimals)
    if is_missing(value):
        return float("nan")
    return float(_rounded(_finite(value), decimals))


def _check_decimals(decimals: int) -> None:
    if not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, not {decimals!r}")


def _finite(value: object) -> float | int | Decimal:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"a boolean is not a number to format: {value!r}")
    if isinstance(value, Decimal):
        return value
    number = float(value) if not isinstance(value, (int, np.integer)) else int(value)
    if isinstance(number, float) and math.isinf(number):
        raise ValueError(f"cannot format an infinite value: {value!r}")
    return number


def format_number(value: object, decimals: int = 0) -> str:
    """`1234` → `1 234`; `1724.5, decimals=1` → `1 724,5`; missing → `n.d.`."""
    _check_decimals(decimals)
    if is_missing(value):
        return MISSING
    number = _rounded(_finite(value), decimals)
    pattern = _pattern(_LOCALE.decimal_formats[None].pattern, decimals)
    return babel_numbers.format_decimal(number, format=pattern, locale=LOCALE)


def format_percent(value: object, decimals: int = 1, *, ratio: bool = True) -> str:
    """`0.125` → `12,5 %` (or `12.5, ratio=False` → `12,5 %`); missing → `n.d.`."""
    _check_decimals(decimals)
    if is_missing(value):
        return MISSING
    number = _finite(value)
    # Round the percentage itself (what is printed), not the ratio.
    percentage = _rounded(_decimal(number) * (100 if ratio else 1), decimals)
    pattern = _pattern(_LOCALE.percent_formats[None].pattern, decimals)
    # Babel multiplies by 100 for a percent pattern; give it the ratio back, exactly.
    return babel_numbers.format_percent(percentage / 100, format=pattern, locale=LOCALE)


def format_euros(value: object, decimals: int = 0) -> str:
    """`38000` → `38 000 €`; `1234.5, decimals=2` → `1 234,50 €`; missing → `n.d.`."""
    _check_decimals(decimals)
    if is_missing(value):
        return MISSING
    number = _rounded(_finite(value), decimals)
    pattern = _pattern(_LOCALE.currency_formats["standard"].pattern, decimals)
    return babel_numbers.format_currency(number, "EUR", format=pattern, locale=LOCALE, currency_digits=False)


def format_unit(value: object, unit: str, decimals: int = 0) -> str:
    """A number followed by a unit after a no-break space: `(12, "contrats")` → `12 contrats`."""
    text = format_number(value, decimals)
    return text if text == MISSING else f"{text}{NBSP}{unit}"


def format_fte(value: object, decimals: int = 1) -> str:
    """Full-time equivalents: `1724.5` → `1 724,5 ETP`; missing → `n.d.`."""
    return format_unit(value, "ETP", decimals)


def _as_date(value: object) -> dt.date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (str, np.datetime64)):
        return pd.Timestamp(value).date()
    raise TypeError(f"not a date: {value!r}")


def format_date(value: object) -> str:
    """`2025-06-30` → `30 juin 2025`; the first of a month is `1er juin 2025`; missing → `n.d.`."""
    if is_missing(value):
        return MISSING
    day = _as_date(value)
    text = babel_dates.format_date(day, "d MMMM y", locale=LOCALE)
    # French writes the first day of a month as an ordinal (« le 1er juin »).
    return "1er" + text[1:] if day.day == 1 else text


def format_month(value: object) -> str:
    """`2022-01-15` → `janv. 2022` (CLDR abbreviated month and year); missing → `n.d.`."""
    if is_missing(value):
        return MISSING
    return babel_dates.format_date(_as_date(value), "MMM y", locale=LOCALE)


def year_label(year: object, as_of: object, *, separator: str = " ") -> str:
    """A calendar year as a reader must read it: `2025` when the year is over at `as_of`, `2025 (janv.–juin)` for
    the year of the counting date when it is not (a half-year drawn like a full year reads as a fall)."""
    if is_missing(year):
        return MISSING
    first, dash, last_year = str(year).partition("\u2013")
    if dash and first.strip().isdigit() and last_year.strip().isdigit():
        # a period of several years (« 2019–2025 », a small territory's mix over all years): its last year is
        # marked as one year would be
        return f"{first.strip()}{dash}{year_label(last_year.strip(), as_of, separator=separator)}"
    try:
        text = str(int(float(str(year))))
    except ValueError:  # not a year (a period named otherwise): as it is
        return str(year)
    if is_missing(as_of):
        return text
    day = _as_date(as_of)
    if day.year != int(text) or (day.month, day.day) == (12, 31):
        return text
    last = babel_dates.format_date(day, "MMM", locale=LOCALE)
    months = "janv." if day.month == 1 else f"janv.–{last}"
    return f"{text}{separator}({months})"


def format_year(value: object) -> str:
    """`2022-01-15` → `2022`; missing → `n.d.`."""
    if is_missing(value):
        return MISSING
    return str(_as_date(value).year)


# --- matplotlib tick formatters ------------------------------------------------------------------------
# Ticks are never missing, but matplotlib may ask for positions outside the data; all are plain floats.


def number_formatter(decimals: int = 0) -> FuncFormatter:
    """Tick labels `1 234` (thousands grouped, French decimals)."""
    _check_decimals(decimals)
    return FuncFormatter(lambda value, _position: format_number(value, decimals))


def percent_formatter(decimals: int = 0, *, ratio: bool = True) -> FuncFormatter:
    """Tick labels `12 %` for data stored as ratios (or as percentages with `ratio=False`)."""
    _check_decimals(decimals)
    return FuncFormatter(lambda value, _position: format_percent(value, decimals, ratio=ratio))


def euro_formatter(decimals: int = 0) -> FuncFormatter:
    """Tick labels `38 000 €`."""
    _check_decimals(decimals)
    return FuncFormatter(lambda value, _position: format_euros(value, decimals))


def month_formatter() -> FuncFormatter:
    """Tick labels `janv. 2022` for a matplotlib date axis."""
    return FuncFormatter(lambda value, _position: format_month(mdates.num2date(value)))


def year_formatter() -> FuncFormatter:
    """Tick labels `2022` for a matplotlib date axis."""
    return FuncFormatter(lambda value, _position: format_year(mdates.num2date(value)))


def french_date_axis(axis: Axis, unit: str = "month", interval: int = 3) -> Axis:
    """Put French date ticks on `axis` (e.g. `ax.xaxis`): every `interval` months, or every year.

    Month ticks are `janv. 2022`, `avr. 2022`, …; year ticks are `2022`, `2023`, ….
    """
    if unit == "month":
        axis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, interval)))
        axis.set_major_formatter(month_formatter())
    elif unit == "year":
        axis.set_major_locator(mdates.YearLocator(base=interval if interval > 1 else 1))
        axis.set_major_formatter(year_formatter())
    else:
        raise ValueError(f"unit must be 'month' or 'year', not {unit!r}")
    return axis


# --- Typography of running text --------------------------------------------------------------------------
NNBSP = "\u202f"  # narrow no-break space: thousands (Babel's), before « ; : ! ? »
_THOUSANDS_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_UNIT_SPACE = re.compile(
    r"(?<=[\d»]) (?=(?:%|€|M€|k€|ETP\b|hab\.|habitants\b|MG\b|mois\b|ans\b|contrats\b|pt\b|h\b))"
)
_QUOTE_SPACE = re.compile(r"(?<=«) | (?=»)| (?=[;:!?](?:\s|$))")


def french_spaces(text: str) -> str:
    """Text whose numbers and units never break across lines: a space between digit groups becomes a
    narrow no-break space (« 100 000 »), the space before %, €, ETP, « hab. » and other units, inside
    French quotes and before « ; : ! ? », a no-break space: a line never starts with « ; » or « % ».
    Babel's own output already has them; hand-written headers get them here."""
    text = _THOUSANDS_SPACE.sub(NNBSP, text)
    text = _UNIT_SPACE.sub(NBSP, text)
    return _QUOTE_SPACE.sub(NBSP, text)
