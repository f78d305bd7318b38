"""The scheduled run's publication shared with its notebooks (`presentation.shared_run`): a dashboard on the same
prepared data and date reads it; any other scope, or no scheduler, computes its own."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from am_analytics.presentation.shared_run import SHARED_ENV, RunPublication, shared, shared_results

AS_OF = pd.Timestamp("2025-06-30")


def _scope(folder: Path, *, region=None, profil=None, as_of=AS_OF):
    return SimpleNamespace(processed_dir=folder, region=region, profil=profil, as_of=as_of)


@pytest.fixture
def publication(tmp_path):
    # stand-ins: the lookup never opens the results, it hands them over
    return RunPublication(str(tmp_path.resolve()), AS_OF, "national", "france", {"01": "guadeloupe", "94": "corse"})


def test_a_region_the_run_published_gets_france_and_its_own_results(publication, tmp_path):
    assert publication.results_for(_scope(tmp_path, region="01")) == ("national", "guadeloupe", "guadeloupe")
    assert publication.results_for(_scope(tmp_path)) == ("national", "france", "france")


@pytest.mark.parametrize("change", [
    {"region": "84"},  # a region the run did not publish
    {"region": "94", "profil": "infirmier"},  # the site publishes no region × background
    {"region": "94", "as_of": pd.Timestamp("2024-12-31")},  # another counting date
])
def test_another_scope_of_the_same_data_computes_its_own(publication, tmp_path, change):
    assert publication.results_for(_scope(tmp_path, **change)) is None


def test_other_prepared_data_never_read_the_run_s_results(publication, tmp_path):
    assert publication.results_for(_scope(tmp_path / "autre", region="01")) is None
    without_france = RunPublication(publication.processed_dir, AS_OF, "national", None, {"01": "guadeloupe"})
    assert without_france.results_for(_scope(tmp_path)) is None  # one region's extracts: no France to show


def test_the_block_names_the_file_for_the_processes_it_starts_and_restores_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(SHARED_ENV, raising=False)
    scope = _scope(tmp_path, region="01")
    with shared(tmp_path / "run", scope, "national", None, {"01": "guadeloupe"}) as written:
        assert os.environ[SHARED_ENV] == str(written) and written.is_file()
        assert shared_results(scope) == ("national", "guadeloupe", "guadeloupe")
        assert shared_results(_scope(tmp_path, region="02")) is None
    assert SHARED_ENV not in os.environ
    assert shared_results(scope) is None  # no scheduler: every dashboard computes its results


def test_a_file_gone_or_unreadable_means_computing_as_usual(tmp_path, monkeypatch):
    monkeypatch.setenv(SHARED_ENV, str(tmp_path / "disparu.pickle"))
    assert shared_results(_scope(tmp_path, region="01")) is None
    broken = tmp_path / "casse.pickle"
    broken.write_bytes(b"pas un pickle")
    monkeypatch.setenv(SHARED_ENV, str(broken))
    assert shared_results(_scope(tmp_path, region="01")) is None


def test_a_dashboard_under_a_scheduled_run_shows_the_run_s_publication_without_computing(tmp_path, monkeypatch):
    from am_analytics.dashboards import Dashboard
    from am_analytics.presentation.results import NationalResults

    def never(*_):
        raise AssertionError("France computed again in a scheduled run")

    monkeypatch.setattr(NationalResults, "of", classmethod(never))
    scope = _scope(tmp_path, region="94")
    with shared(tmp_path, scope, "national", None, {"94": "corse"}):
        board = Dashboard(scope)
        assert (board.national, board.own, board.territory) == ("national", "corse", "corse")
    with pytest.raises(AssertionError, match="computed again"):  # outside the run, the dashboard computes
        _ = Dashboard(scope).national
