"""The full report at every year-end since the scheme began and at the latest date, for France and for a region at
each date (Corse, Guadeloupe, Mayotte, Bretagne in turn), and what every chart in it is drawn from: published
frames only, in which no hidden count can be read or recovered.

The fast path (every indicator and chart at every month-end, every region) is `test_every_date_and_scope.py`;
this file builds the PDFs themselves, one national and one regional build per date, the national results
computed once per date and passed to both (as the command line and the scheduler do)."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest
from pypdf import PdfReader

from am_analytics.figures import charts
from am_analytics.figures import followup as followup_charts
from am_analytics.figures import regional as regional_charts
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import maps
from am_analytics.presentation.disclosure import is_published, status_of
from am_analytics.presentation.results import NationalResults
from am_analytics.presentation.scope import Scope
from am_analytics.report import build as report_build
from am_analytics.vocabulary import SYNTHETIC_MENTION
from tests.conftest import REPO

# one worker builds this module's reports once, for all its tests (module fixtures are per worker)
pytestmark = pytest.mark.xdist_group("every_date")

# France at each year-end, and at four of them a region beside it: Corse before its first contract, Guadeloupe
# with a handful, Mayotte (no population, hidden counts) and Bretagne at the README's example date. Every region
# at every month-end is drawn by the fast path; a PDF costs several seconds, so these are the ones built whole.
DATES_AND_REGIONS = [
    ("2019-09-30", "94"),  # the scheme's first month-end: a few dozen contracts, no history, no projection
    ("2019-12-31", None),
    ("2020-12-31", None),
    ("2021-12-31", "01"),
    ("2022-12-31", None),
    ("2023-12-31", None),
    ("2024-10-31", "53"),
    ("2024-12-31", None),
    (None, "06"),  # the latest date in the data
]
COUNT_COLUMNS = {counted.column for rule in (cat.TERRITORY_RULE, cat.TRAINING_RULE, cat.FUNDING_RULE)
                 for counted in rule.counts} | {"effectif", "total", "signes_mois", "signes_cumul", "actifs"}


@pytest.fixture(scope="module")
def data(demo_data):
    return demo_data


class ChartInputs:
    """Records every frame handed to a chart or map while a report is built."""

    def __init__(self):
        self.frames: list[tuple[str, pd.DataFrame]] = []

    def wrap(self, name, function):
        def recorded(*args, **kwargs):
            for value in (*args, *kwargs.values()):
                if isinstance(value, pd.DataFrame):
                    self.frames.append((name, value))
            return function(*args, **kwargs)

        return recorded


@pytest.fixture(scope="module", params=DATES_AND_REGIONS, ids=lambda p: f"{p[0] or 'derniere'}-{p[1]}")
def built(request, data):
    as_of, region = request.param
    scope = Scope.open(data=data, as_of=as_of)
    national = NationalResults.of(scope)
    inputs = ChartInputs()
    with pytest.MonkeyPatch.context() as patch:
        for module in (charts, regional_charts, followup_charts):  # the body and the annex draw through these
            for name in [n for n in dir(module) if n.endswith("_chart") and n in vars(module)]:
                patch.setattr(module, name, inputs.wrap(name, getattr(module, name)))
        for name in ("region_map", "departement_map", "region_departements_map"):
            patch.setattr(maps, name, inputs.wrap(name, getattr(maps, name)))
        codes = dict.fromkeys((None, region))
        reports = {code: report_build.build(scope.with_region(code), national) for code in codes}
    return scope, national, reports, inputs


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.slow
def test_the_report_builds_at_every_year_end_for_france_and_a_region(built):
    scope, _, reports, _ = built
    for code, report in reports.items():
        pages = _pages(report.pdf)
        assert len(pages) >= 4 and len(_pages(report.annex)) > 10, code  # Mayotte's body: 4 pages
        assert all(SYNTHETIC_MENTION in page for page in pages), f"{code}: a page lacks the synthetic mention"
        label = scope.with_region(code).territory_label
        assert label in pages[0], f"cover of {code} does not name {label}"


@pytest.mark.slow
def test_every_chart_and_map_is_drawn_from_published_frames_only(built):
    _, _, _, inputs = built
    assert inputs.frames, "the report draws charts"
    unpublished = sorted({name for name, frame in inputs.frames if not is_published(frame)})
    assert not unpublished, f"drawn from frames that skipped disclosure control: {unpublished}"


@pytest.mark.slow
def test_no_chart_input_shows_a_small_count_or_keeps_a_hidden_value(built):
    _, _, _, inputs = built
    for name, frame in inputs.frames:
        for column in COUNT_COLUMNS & set(frame.columns):
            hidden = status_of(frame, column).notna()
            values = pd.to_numeric(frame[column], errors="coerce")
            assert values[hidden].isna().all(), f"{name}: a hidden {column} kept its value"
            assert not values[~hidden].between(1, 4).any(), f"{name}: a count from 1 to 4 in {column}"


@pytest.mark.slow
def test_no_hidden_regional_count_is_recoverable_from_what_the_charts_show(built):
    """Regions add up to France, départements to their region, backgrounds to their region's total: in every
    such relation among the frames the charts read, zero or at least two cells are hidden."""
    _, national, _, _ = built
    regions = national.regions
    for column in ("signes", "actifs"):
        hidden_regions = int(status_of(regions, column).notna().sum())
        france_hidden = int(status_of(national.nation, column).notna().sum())
        shown_nonzero = (pd.to_numeric(regions[column], errors="coerce") > 0).sum()
        assert hidden_regions + france_hidden != 1 or shown_nonzero == 0, column
    shares = national.shares
    hidden = status_of(shares, "effectif").notna()
    for code, group in shares.groupby("code"):
        lone = int(hidden[group.index].sum()) + int(pd.notna(status_of(group, "total").iloc[0])) == 1
        others = pd.to_numeric(group["effectif"], errors="coerce")[~hidden[group.index]]
        assert not lone or (others.fillna(0) == 0).all(), f"backgrounds of {code}"


def quarter_ends_and_first_months(latest: pd.Timestamp) -> list[pd.Timestamp]:
    """The first six month-ends (tiny counts, no history) and every quarter-end since, and the latest date."""
    first = list(pd.date_range("2019-09-30", periods=6, freq="ME"))
    quarters = [day for day in pd.date_range("2020-03-31", latest, freq="QE") if day > first[-1]]
    return [*first, *quarters, *([latest] if latest not in quarters else [])]


@pytest.mark.slow
def test_every_published_table_and_key_message_at_every_quarter_for_france_and_a_region(data):
    """The presentation layer without the PDF (a fraction of a second a date): national results, the key
    messages, a region's own results (the 18 in rotation) and every table of the catalogue the report
    publishes, at the scheme's first six month-ends and every quarter-end since."""
    from am_analytics.presentation import sentences
    from am_analytics.presentation.results import ScopeResults

    regions = sorted(data.contracts["region"].dropna().unique())
    latest = Scope.open(data=data).as_of
    for number, day in enumerate(quarter_ends_and_first_months(latest)):
        scope = Scope.open(data=data, as_of=day)
        national = NationalResults.of(scope)
        region = regions[number % len(regions)]
        regional = scope.with_region(region)
        own = ScopeResults.compute(regional, national)
        messages = [*sentences.key_messages(national), *sentences.key_messages(national, own, region)]
        assert messages and all(message.text for message in messages), day
        tables = [
            cat.regions_table(national.regions),
            cat.departements_table(national.departements),
            cat.backgrounds_table(national.shares, regional.comparison_codes),
            cat.targets_table(national.progress, national.projections),
            cat.cross_check_table(national.cross),
            cat.monthly_table(own.monthly),
            cat.mix_trend_table(own.backgrounds_by_year),
            cat.funding_table(own.funding),
            cat.territory_comparison_table(national.departements, national.regions, national.nation, region),
            cat.training_comparison_table(national.training, national.training_france, region),
            cat.projected_dates_table(national.progress, national.projections),
            cat.projected_spending_table(national.projected_spending),
        ]
        for table in tables:
            rows = table.formatted_rows()
            assert all(len(row) == len(table.columns) for row in rows), f"{day:%Y-%m-%d} {table.title}"


@pytest.mark.slow
def test_the_command_line_exits_0_at_a_year_end_for_a_small_region(tmp_path, as_of="2019-12-31", region="Corse"):
    result = subprocess.run(
        [sys.executable, "-m", "am_analytics.report", "--as-of", as_of, "--region", region,
         "--output", str(tmp_path / "r.pdf")],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={"AM_ANALYTICS_KEY": "report-test", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
             "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "r.pdf").stat().st_size > 10_000 and (tmp_path / "r.xlsx").is_file()
