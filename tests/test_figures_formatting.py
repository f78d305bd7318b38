"""Every number, percentage, amount and date a reader sees is written the French way, character for character."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from am_analytics.figures import formatting as f

NNBSP = "\u202f"  # narrow no-break space: thousands separator
NBSP = "\u00a0"  # no-break space: before a unit


def test_thousands_are_grouped_with_a_narrow_no_break_space():
    assert f.format_number(1234) == f"1{NNBSP}234"
    assert f.format_number(1_234_567) == f"1{NNBSP}234{NNBSP}567"
    assert f.format_number(np.int64(38000)) == f"38{NNBSP}000"


def test_decimals_use_a_comma_and_the_requested_precision():
    assert f.format_number(1724.5, 1) == f"1{NNBSP}724,5"
    assert f.format_number(3, 2) == "3,00"
    assert f.format_number(-1234.56, 1) == f"-1{NNBSP}234,6"


def test_rounding_is_half_away_from_zero_on_the_written_value():
    assert f.format_number(12.5) == "13"
    assert f.format_number(2.675, 2) == "2,68", "binary floats must not round 2.675 down"
    assert f.format_number(-2.5) == "-3"
    assert f.format_number(-0.01, 1) == "0,0", "a rounded zero never carries a minus sign"


def test_percent_has_a_no_break_space_before_the_sign():
    assert f.format_percent(0.125) == f"12,5{NBSP}%"
    assert f.format_percent(12.5, ratio=False) == f"12,5{NBSP}%"
    assert f.format_percent(0.5, 0) == f"50{NBSP}%"
    assert f.format_percent(0.12345, 2) == f"12,35{NBSP}%"


def test_euros_are_grouped_and_followed_by_the_sign():
    assert f.format_euros(38000) == f"38{NNBSP}000{NBSP}€"
    assert f.format_euros(Decimal("1234.5"), 2) == f"1{NNBSP}234,50{NBSP}€"


def test_fte_are_written_with_their_unit():
    assert f.format_fte(1724.5) == f"1{NNBSP}724,5{NBSP}ETP"
    assert f.format_unit(12, "contrats") == f"12{NBSP}contrats"


def test_dates_are_written_in_french():
    assert f.format_date(dt.date(2025, 6, 30)) == "30 juin 2025"
    assert f.format_date(pd.Timestamp("2025-12-31")) == "31 décembre 2025"
    assert f.format_date("2022-01-01") == "1er janvier 2022", "the first of a month is an ordinal"
    assert f.format_month(dt.date(2022, 1, 15)) == "janv. 2022"
    assert f.format_month(pd.Timestamp("2022-07-01")) == "juil. 2022"
    assert f.format_year(dt.date(2022, 1, 15)) == "2022"


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT, float("nan")])
def test_a_missing_value_is_written_nd_never_zero(missing):
    assert f.format_number(missing) == "n.d."
    assert f.format_percent(missing) == "n.d."
    assert f.format_euros(missing) == "n.d."
    assert f.format_fte(missing) == "n.d."
    assert f.format_date(missing) == "n.d."


def test_values_that_are_not_numbers_are_refused():
    with pytest.raises(ValueError, match="infinite"):
        f.format_number(float("inf"))
    with pytest.raises(TypeError, match="boolean"):
        f.format_number(True)
    with pytest.raises(ValueError, match="decimals"):
        f.format_number(1, -1)


def test_tick_formatters_write_french_labels():
    assert f.number_formatter()(12500, 0) == f"12{NNBSP}500"
    assert f.percent_formatter()(0.25, 0) == f"25{NBSP}%"
    assert f.euro_formatter()(38000, 0) == f"38{NNBSP}000{NBSP}€"
    from matplotlib import dates as mdates

    january = mdates.date2num(dt.datetime(2022, 1, 1))
    assert f.month_formatter()(january, 0) == "janv. 2022"
    assert f.year_formatter()(january, 0) == "2022"


def test_french_date_axis_puts_french_month_labels_on_an_axis():
    from am_analytics.figures.style import new_figure

    fig, ax = new_figure()
    ax.plot(pd.date_range("2022-01-01", "2022-12-01", freq="MS"), range(12))
    f.french_date_axis(ax.xaxis, "month", 3)
    fig.draw_without_rendering()
    labels = [label.get_text() for label in ax.get_xticklabels() if label.get_text()]
    assert labels[:4] == ["janv. 2022", "avr. 2022", "juil. 2022", "oct. 2022"]
