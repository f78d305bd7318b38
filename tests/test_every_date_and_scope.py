"""Every date, every scope (the fast path, without the PDF): on the demo data, the indicators the report and
the dashboards use are computed at every month-end since the scheme began, for France and for each of the 18
regions, and every chart and map is drawn and passes the figure contract.

Design, so that it runs in well under two minutes of CPU inside `make test` (about 80 s of CPU on the project's
2-core machine, 45 to 85 s of wall time with two workers depending on the load):

- the demo data is prepared once per module (per xdist worker) and stamped like `am.load()` stamps it;
- indicators cost milliseconds, so they run at all month-ends: for France every indicator of the report and
  the dashboards; for each region (one test case per region, spread by xdist) the ones the report computes
  on the region's own contracts (monthly series, expected aid by year, and the four category mixes in
  rotation, one a month-end). Every frame is checked for what a chart relies on: an interval contains its
  estimate (the fault behind the report's crash on 23 month-ends was an interval that rounding put past
  its estimate, which this check finds at every date, not only where a chart happens to be drawn), a
  projection band contains its date, no count is negative, the frame is dated at the counting date;
- drawing costs 0.1 to 0.5 s a figure, so charts are drawn where the classes of faults live rather than at
  every (scope, month, chart):
  * France: every chart at the scheme's first month-end (a handful of contracts, no history, no
    projection), at the end of 2020 (first projections, first complete year) and at the latest date;
    at every month-end, one chart in rotation, so every month-end draws and every chart is drawn at
    about six dates spread over the whole period;
  * each region: its own charts (rollout, a category mix in rotation, funding) at the month-end before
    its first contract when there is one (nothing yet: « Aucun contrat à cette date »), at the month of
    its first contract (one or a few contracts) and at the latest date. Overseas regions and Corse are
    among them; Mayotte (no population, first contract in 2021) too.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

import am_analytics as am
from am_analytics import paths, reference
from am_analytics.figures import check_figure
from am_analytics.indicators.common import stamp_data
from am_analytics.parameters import latest_date
from am_analytics.prepare.pipeline import prepare
from am_analytics.vocabulary import PROFILS

ind = am.indicators
F = am.figures
REGIONS = sorted(reference.regions()["region_code"])
MIXES = (ind.background_mix_by_year, ind.specialty_mix, ind.zone_mix, ind.etp_option_mix)


@pytest.fixture(scope="module")
def contracts(tmp_path_factory) -> pd.DataFrame:
    prepared = prepare(paths.raw_dir(), tmp_path_factory.mktemp("processed"), key=b"every-date-and-scope")
    return stamp_data(prepared.tables["contracts"], synthetic=bool(prepared.manifest["synthetic"]))


def month_ends(contracts: pd.DataFrame) -> list[pd.Timestamp]:
    """Every month-end from September 2019 to the data's latest date, and that date itself."""
    latest = latest_date(contracts)
    ends = list(pd.date_range("2019-09-30", latest, freq="ME"))
    return ends if ends and ends[-1] == latest else [*ends, latest]


# --- Indicators ---------------------------------------------------------------------------------------------


def national_indicators(contracts: pd.DataFrame, day: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """Every indicator the national report and the dashboards compute on all contracts."""
    kw = {"as_of": day}
    return {
        "monthly_series": ind.monthly_series(contracts, **kw),
        "target_progress": ind.target_progress(contracts, **kw),
        "target_projections": ind.target_projections(contracts, **kw),
        "published_cross_check": ind.published_cross_check(contracts, **kw),
        "by_region": ind.by_region(contracts, **kw),
        "by_departement": ind.by_departement(contracts, **kw),
        "national_totals": ind.national_totals(contracts, **kw),
        "background_shares_by_region": ind.background_shares_by_region(contracts, **kw),
        "region_background_independence": ind.region_background_independence(contracts, **kw),
        "overdue_by_region": ind.overdue_by_region(contracts, **kw),
        "overdue_by_background": ind.overdue_by_background(contracts, **kw),
        "expected_aid_by_region": ind.expected_aid_by_region(contracts, **kw),
        "expected_aid_by_year": ind.expected_aid_by_year(contracts, **kw),
        **{mix.__name__: mix(contracts, period="annee", **kw) for mix in MIXES},
    }


COUNT_COLUMNS = ("effectif", "total", "signes", "actifs", "signes_cumul", "en_retard", "annees_contrat")


def soundness_problems(name: str, frame: pd.DataFrame, day: pd.Timestamp) -> list[str]:
    """What a chart could not draw: an interval excluding its estimate, a disordered projection band, a
    negative count, a frame not dated at the counting date."""
    problems = []
    if frame.attrs.get("as_of") != day.date().isoformat():
        problems.append(f"{name}: as_of {frame.attrs.get('as_of')!r}")
    estimate = next((c for c in ("part", "part_en_retard") if c in frame), None)
    if estimate and "ic_bas" in frame:
        values = frame[[estimate, "ic_bas", "ic_haut"]].astype("Float64")
        known = values.notna().all(axis=1)
        low, share, high = (values.loc[known, c].to_numpy(dtype=float) for c in ("ic_bas", estimate, "ic_haut"))
        if not (np.all(low <= share) and np.all(share <= high) and np.all(low >= 0) and np.all(high <= 1)):
            problems.append(f"{name}: an interval excludes its estimate")
        if (values[estimate].notna() & ~known).any():
            problems.append(f"{name}: an estimate without its interval")
    if "date_projetee" in frame:
        point = frame["date_projetee"]
        for bound, wrong in (("date_projetee_au_plus_tot", lambda b: b > point),
                             ("date_projetee_au_plus_tard", lambda b: b < point)):
            if (point.notna() & frame[bound].notna() & wrong(frame[bound])).any():
                problems.append(f"{name}: {bound} on the wrong side of the projected date")
    for column in COUNT_COLUMNS:
        if column in frame and (frame[column].astype("Float64") < 0).any():
            problems.append(f"{name}: negative {column}")
    return problems


def regional_indicators(contracts: pd.DataFrame, day: pd.Timestamp, number: int) -> dict[str, pd.DataFrame]:
    """What a region's report computes on its own contracts; one of the four mixes, in rotation."""
    mix = MIXES[number % len(MIXES)]
    return {
        "monthly_series": ind.monthly_series(contracts, as_of=day),
        "expected_aid_by_year": ind.expected_aid_by_year(contracts, as_of=day),
        mix.__name__: mix(contracts, period="annee", as_of=day),
    }


@pytest.mark.parametrize("year", range(2019, 2026))
def test_every_indicator_is_sound_for_france_at_every_month_end(contracts, year):
    problems = []
    for day in [day for day in month_ends(contracts) if day.year == year]:
        for name, frame in national_indicators(contracts, day).items():
            problems += [f"{day.date()} {problem}" for problem in soundness_problems(name, frame, day)]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("region", REGIONS)
def test_every_indicator_is_sound_for_every_region_at_every_month_end(contracts, region):
    scoped = contracts[contracts["region"] == region]
    problems = []
    for number, day in enumerate(month_ends(contracts)):
        for name, frame in regional_indicators(scoped, day, number).items():
            problems += [f"{day.date()} {problem}" for problem in soundness_problems(name, frame, day)]
    assert not problems, "\n".join(problems[:20])


# --- Charts -------------------------------------------------------------------------------------------------


def national_charts(contracts: pd.DataFrame, day: pd.Timestamp) -> dict[str, Callable[[], object]]:
    """Every chart and map the national report and the dashboards draw at a date, not yet drawn."""
    kw = {"as_of": day}

    def regions():
        return ind.by_region(contracts, **kw)

    def shares():
        return ind.background_shares_by_region(contracts, **kw)

    def rollout():
        return F.rollout_chart(ind.monthly_series(contracts, **kw), ind.target_progress(contracts, **kw),
                               ind.target_projections(contracts, **kw), ind.published_cross_check(contracts, **kw))

    def one_background_map():
        chosen = list(PROFILS)[day.month % len(PROFILS)]
        rows = shares()
        return F.region_map(rows[rows["profil_origine"] == chosen], "part", title=f"Part du profil {chosen}",
                            legend_title="Part des contrats", kind="percent")

    return {
        "rollout": rollout,
        "fte": lambda: F.fte_chart(ind.monthly_series(contracts, **kw), ind.target_progress(contracts, **kw),
                                   ind.published_cross_check(contracts, **kw)),
        "region_map": lambda: F.region_map(regions(), "actifs_pour_100k_hab", title="Actifs pour 100 000 habitants",
                                           legend_title="Actifs pour\n100 000 hab.", decimals=1),
        "departement_map": lambda: F.departement_map(ind.by_departement(contracts, **kw), "actifs_pour_100k_hab",
                                                     title="Actifs pour 100 000 habitants",
                                                     legend_title="Actifs pour\n100 000 hab.", decimals=1),
        "regions_ranked": lambda: F.regions_ranked_chart(regions(), national=ind.national_totals(contracts, **kw)),
        "backgrounds": lambda: F.background_by_region_chart(shares()),
        "background_heatmap": lambda: F.background_heatmap_chart(shares()),
        "background_map": one_background_map,
        "mix": lambda: F.mix_by_period_chart(MIXES[day.month % len(MIXES)](contracts, period="annee", **kw),
                                             title="Répartition par année de signature", what="catégorie"),
        "funding": lambda: F.funding_chart(ind.expected_aid_by_year(contracts, **kw)),
        "training": lambda: F.training_overdue_chart(ind.overdue_by_region(contracts, **kw)),
    }


def scoped_charts(contracts: pd.DataFrame, day: pd.Timestamp, name: str) -> dict[str, Callable[[], object]]:
    """The charts a region's report and dashboards draw on the region's own contracts."""
    kw = {"as_of": day}
    mix = MIXES[day.month % len(MIXES)]
    return {
        "rollout": lambda: F.rollout_chart(ind.monthly_series(contracts, **kw), title=f"Déploiement — {name}"),
        "mix": lambda: F.mix_by_period_chart(mix(contracts, period="annee", **kw), title=f"Répartition — {name}",
                                             what="catégorie"),
        "funding": lambda: F.funding_chart(ind.expected_aid_by_year(contracts, **kw)),
    }


def drawn(name: str, make: Callable[[], object], day: pd.Timestamp) -> list[str]:
    """Draw one chart and check its contract; the failure, named, instead of an exception."""
    try:
        check_figure(make(), synthetic=True)
    except Exception as error:  # noqa: BLE001 - every failing chart is reported, not only the first
        return [f"{day.date()} {name}: {type(error).__name__}: {error}"]
    return []


def class_dates(ends: list[pd.Timestamp]) -> list[pd.Timestamp]:
    """The scheme's first month-end, the end of 2020 and the latest date."""
    return sorted({ends[0], pd.Timestamp("2020-12-31"), ends[-1]})


def france_chart_dates(ends: list[pd.Timestamp], chart: str) -> list[pd.Timestamp]:
    """The dates a national chart is drawn at: the class dates, and its turn in the monthly rotation."""
    return [day for number, day in enumerate(ends)
            if day in class_dates(ends) or CHART_NAMES[number % len(CHART_NAMES)] == chart]


CHART_NAMES = ["rollout", "fte", "region_map", "departement_map", "regions_ranked", "backgrounds",
               "background_heatmap", "background_map", "mix", "funding", "training"]


@pytest.mark.parametrize("chart", CHART_NAMES)
def test_every_chart_draws_for_france(contracts, chart):
    problems = []
    for day in france_chart_dates(month_ends(contracts), chart):
        problems += drawn(chart, national_charts(contracts, day)[chart], day)
    assert not problems, "\n".join(problems[:20])


def region_dates(contracts: pd.DataFrame, scoped: pd.DataFrame) -> list[pd.Timestamp]:
    """A region's class dates: the month-end before its first contract, that of its first, the latest."""
    ends = month_ends(contracts)
    first = next(day for day in ends if day >= scoped["date_signature"].min())
    position = ends.index(first)
    return sorted({first, ends[-1]} | ({ends[position - 1]} if position else set()))


@pytest.mark.parametrize("region", REGIONS)
def test_every_scoped_chart_draws_for_every_region(contracts, region):
    scoped = contracts[contracts["region"] == region]
    name = reference.regions().set_index("region_code").loc[region, "region_name"]
    problems = []
    for day in region_dates(contracts, scoped):
        for chart, make in scoped_charts(scoped, day, name).items():
            problems += drawn(f"{region} {chart}", make, day)
    assert not problems, "\n".join(problems[:20])


def test_the_sweep_covers_what_it_promises(contracts):
    ends = month_ends(contracts)
    assert ends[0] == pd.Timestamp("2019-09-30") and ends[-1] == latest_date(contracts)
    assert len(ends) >= 67, "every month-end since the scheme began"
    assert list(national_charts(contracts, ends[0])) == CHART_NAMES
    drawn_at = {chart: france_chart_dates(ends, chart) for chart in CHART_NAMES}
    assert set().union(*drawn_at.values()) == set(ends), "every month-end draws at least one chart"
    assert all(len(days) >= 6 for days in drawn_at.values()), "every chart is drawn at several dates"
    mayotte = contracts[contracts["region"] == "06"]
    assert len(region_dates(contracts, mayotte)) == 3, "a region with no contract yet is drawn empty"
