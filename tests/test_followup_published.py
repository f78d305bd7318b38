"""The monthly follow-up and the training supply as published items (issue 23, items 3 and 8): a region's months by
département, the training supply by region and the changes since the previous scheduled run are computed once,
masked like every count (« < 5 » in their tables and CSV), and a region without a training list never reads 0."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from am_analytics import run_snapshots
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import registry, sentences
from am_analytics.presentation.disclosure import PRIMARY, secret_column
from am_analytics.presentation.results import ScopeResults, published_by
from am_analytics.site.writer import csv_cell

SMALL = "< 5"


def _cells(table, key: str, column: str) -> dict[str, str]:
    """A table's cells of `column` as printed, by the frame's `key` (« < 5 » for a small count)."""
    keys = [str(value) for value in table.frame[key]]
    position = [c.key for c in table.columns].index(column)
    return {k: row[position] for k, row in zip(keys, table.formatted_rows(), strict=True)}


def test_a_region_s_months_by_departement_hide_small_counts_and_their_differences(demo_scope, demo_results):
    bretagne = demo_scope.with_region("53")
    exact = registry.compute(registry.SCOPE, "month_compared", registry.Inputs.of(bretagne))
    published = ScopeResults.compute(bretagne, demo_results).month_compared
    assert list(published["code"]) == ["22", "29", "35", "56"]  # the region's départements only
    small = exact["signes_mois"].between(1, 4).to_numpy()
    assert small.any()  # the demo data has a small count to hide this month
    assert (published.loc[small, secret_column("signes_mois")] == PRIMARY).all()
    # a difference would give the hidden count back: hidden with it
    assert published.loc[small, "ecart_mois_precedent"].isna().all()
    assert (published.loc[small, secret_column("ecart_mois_precedent")] == "complementaire").all()  # « s »
    shown = published[secret_column("signes_mois")].isna() & published[secret_column("signes_mois_precedent")].isna()
    assert published.loc[shown, secret_column("ecart_mois_precedent")].isna().all()
    mayotte = ScopeResults.compute(demo_scope.with_region("06"), demo_results).month_compared
    assert mayotte.filter(like="_secret").isna().all().all()  # nothing to hide: zeros are shown, differences too
    table = cat.month_compared_table(published)
    printed = _cells(table, "code", "signes_mois")
    for code in published.loc[small, "code"]:
        assert printed[code] == SMALL
    # France and a background have no such table
    assert registry.compute(registry.SCOPE, "month_compared", registry.Inputs.of(demo_scope)) is None


def test_the_training_supply_hides_small_needs_and_never_reads_zero_for_a_region_without_a_list(demo_results):
    supply = demo_results.training_supply.set_index("code")
    # one number, one value: the overdue count has the status of the training table's
    training = demo_results.training.set_index("code")
    assert supply[secret_column("en_retard")].fillna("").equals(training[secret_column("en_retard")].fillna(""))
    table = cat.training_supply_table(demo_results.training_supply)
    sites = _cells(table, "code", "sites_formation")
    assert sites["53"] == cat.UNKNOWN_LIST and pd.isna(supply.loc["53", "sites_formation"])
    assert supply.loc["53", "connaissance"] == cat.UNKNOWN_LIST
    assert sites["76"] == "5"  # Occitanie's list of 2021: five sites in four towns
    assert "0" not in {sites[code] for code in supply.index if pd.isna(supply.loc[code, "sites_formation"])}
    need = _cells(table, "code", "en_retard")
    hidden = supply.index[supply[secret_column("en_retard")] == PRIMARY]
    assert len(hidden) and all(need[code] == SMALL for code in hidden)
    assert all(csv_cell(need[code], "count") == SMALL for code in hidden)
    assert any("Liste des sites" in note and "Occitanie" in note for note in table.notes)


def test_the_supply_sentence_says_a_list_is_unknown_and_quotes_a_shown_need():
    row = pd.Series({"besoin_formation": 27, "sites_formation": pd.NA, "connaissance": cat.UNKNOWN_LIST})
    text = sentences.training_supply_sentence(row)
    assert text.startswith("27 assistants") and "non connue" in text and " 0 site" not in text
    hidden = pd.Series({"besoin_formation": pd.NA, "besoin_formation_secret": PRIMARY, "sites_formation": 2,
                        "connaissance": "sites_partiels", "communes": "Rodez, Toulouse"})
    assert "secret statistique" in (said := sentences.training_supply_sentence(hidden))
    assert "au moins 2 sites de formation connus dans la région (Rodez, Toulouse)" in said


@pytest.fixture
def previous_run(demo_scope, tmp_path):
    """A hand-made previous run at 31 May 2025: six contracts of Finistère not yet there (new), five of Morbihan
    without their end date (ended since), two of Ille-et-Vilaine in another zone (updated), one of Côtes-d'Armor
    gone since (removed)."""
    contracts = demo_scope.all_contracts
    by = {code: contracts.index[contracts["departement"] == code] for code in ("29", "56", "35", "22")}
    ended = contracts.index[(contracts["departement"] == "56") & contracts["date_fin"].notna()][:5]
    previous = contracts.drop(by["29"][:6]).copy()
    previous.loc[ended, "date_fin"] = pd.NaT
    previous.loc[by["35"][:2], "zone"] = "autre"
    gone = previous.loc[[by["22"][0]]].assign(contrat_id="ANCIEN-1")
    previous = pd.concat([previous, gone])
    run_snapshots.write_snapshot(previous, tmp_path, pd.Timestamp("2025-05-31"))
    return tmp_path


def test_changes_since_the_previous_run_are_counted_by_departement_and_masked(demo_scope, previous_run):
    inputs = dataclasses.replace(registry.Inputs.of(demo_scope), processed_dir=previous_run)
    exact = registry.compute(registry.NATIONAL, "run_changes", inputs).set_index("code")
    assert exact.loc["29", "nouveau"] == 6 and exact.loc["56", "termine"] == 5
    assert exact.loc["35", "modifie"] == 2 and exact.loc["22", "retire"] == 1
    assert exact[["nouveau", "termine", "modifie", "retire"]].to_numpy().sum() == 14
    published = published_by(exact.reset_index(), cat.RUN_CHANGES_RULE, cat.RUN_CHANGES_KEEP)
    table = cat.run_changes_table(published)
    assert _cells(table, "code", "nouveau")["29"] == "6"
    assert _cells(table, "code", "modifie")["35"] == SMALL and _cells(table, "code", "retire")["22"] == SMALL
    assert "contrat_id" not in published.columns
    assert any("31 mai 2025" in note for note in table.notes)


def test_the_first_run_and_a_later_snapshot_give_no_comparison(demo_scope, tmp_path):
    inputs = dataclasses.replace(registry.Inputs.of(demo_scope), processed_dir=tmp_path)
    assert registry.compute(registry.NATIONAL, "run_changes", inputs) is None
    run_snapshots.write_snapshot(demo_scope.all_contracts, tmp_path, demo_scope.as_of)  # the same date: not previous
    again = dataclasses.replace(registry.Inputs.of(demo_scope), processed_dir=tmp_path)
    assert registry.compute(registry.NATIONAL, "run_changes", again) is None
    snapshot = pd.read_parquet(run_snapshots.snapshot_path(tmp_path, demo_scope.as_of))
    assert set(snapshot.columns) <= {"contrat_id", *run_snapshots.COMPARED_COLUMNS}
