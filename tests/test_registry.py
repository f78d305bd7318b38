"""The registry of published items and the records of published variables: every item the results hold is named
once in the registry (its indicator, inputs, rule, table), and every column a table prints (so every CSV download)
has one record whose label and decimals the table uses."""

from __future__ import annotations

import dataclasses
import inspect

import pandas as pd
import pytest

import am_analytics.indicators as indicators
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import registry
from am_analytics.presentation.results import NationalResults, ScopeResults
from am_analytics.presentation.tables import KIND_DECIMALS, Column, TableSpec
from am_analytics.vocabulary import ACTIVE_RATE, SURVEY_GROUPS, VARIABLES

NOT_ITEMS = {"as_of", "synthetic", "exact"}
INPUTS = {registry.CONTRACTS, registry.SURVEY, registry.SURVEY_TABLES, registry.MANIFEST, registry.WARNINGS,
          registry.CHANGES, registry.REFERENCES, registry.ACTIVITY, registry.PREVIOUS_RUN}


def _items_of(results: type) -> set[str]:
    return {field.name for field in dataclasses.fields(results)} - NOT_ITEMS


@pytest.mark.parametrize(("results", "level"), [(NationalResults, registry.NATIONAL), (ScopeResults, registry.SCOPE)])
def test_every_item_of_the_results_is_named_once_in_the_registry(results, level):
    named = [item.name for item in registry.items(level)]
    assert len(named) == len(set(named))
    assert set(named) == _items_of(results)


def test_every_item_names_an_indicator_its_inputs_and_a_table_of_the_catalogue():
    functions = [getattr(indicators, name) for name in indicators.__all__]
    for item in registry.ITEMS:
        assert inspect.isfunction(item.indicator), item.name
        assert item.indicator in functions or item.indicator.__module__.startswith("am_analytics.indicators"), item.name
        assert item.inputs and set(item.inputs) <= INPUTS, item.name
        assert item.table is None or inspect.isfunction(getattr(cat, item.table)), item.name
        assert item.description, item.name


def test_an_item_is_computed_at_the_counting_date_it_is_given(demo_scope):
    inputs = registry.Inputs.of(demo_scope.national())
    earlier = dataclasses.replace(inputs, as_of=pd.Timestamp("2022-12-31"))
    now = registry.compute(registry.NATIONAL, "nation", inputs)
    then = registry.compute(registry.NATIONAL, "nation", earlier)
    assert now.attrs["as_of"] == demo_scope.as_of.date().isoformat()
    assert then.attrs["as_of"] == "2022-12-31"
    assert then["signes"].iloc[0] < now["signes"].iloc[0]


def test_an_item_that_does_not_apply_is_none():
    inputs = registry.Inputs(contracts=pd.DataFrame(), as_of=pd.Timestamp("2024-12-31"), synthetic=True)
    assert registry.compute(registry.NATIONAL, "time_saved", inputs) is None
    assert registry.compute(registry.NATIONAL, "institute", inputs) is None
    assert registry.compute(registry.SCOPE, "against_france", inputs) is None
    assert registry.compute(registry.SCOPE, "trend", inputs) is None


def _specs(demo_results) -> list[TableSpec | object]:
    specs = [value for value in vars(cat).values() if isinstance(value, TableSpec)]
    specs += [cat.series_spec(step) for step in cat.SERIES_WORDING]
    # the tables built on the fly: their columns, as a layout publishes them
    specs.append(cat.missions_table(demo_results.missions))
    return specs


def _printed_columns(spec) -> list[tuple[str, Column]]:
    return [(spec.title, column) for column in spec.columns]


def measure_problems(specs) -> list[str]:
    """Every printed column without a record, or whose header or decimals are not its record's."""
    problems = []
    for title, column in (pair for spec in specs for pair in _printed_columns(spec)):
        record = VARIABLES.get(column.variable or "")
        if record is None:
            problems.append(f"{title} : colonne {column.key} sans fiche de variable")
            continue
        pivot = column.variable == "part_ponderee" and column.key in SURVEY_GROUPS
        if column.header not in (record.label, record.short) and not pivot:
            problems.append(f"{title} : {column.key} titré « {column.header} », la fiche dit « {record.label} »")
        if column.decimals != record.decimals:
            problems.append(f"{title} : {column.key} à {column.decimals} décimales, la fiche en dit {record.decimals}")
        if column.kind in KIND_DECIMALS and KIND_DECIMALS[column.kind] != record.decimals:
            problems.append(f"{title} : {column.key} ({column.kind}) : le classeur n'imprime pas "
                            f"{record.decimals} décimales")
    return problems


def test_every_column_a_table_prints_has_a_record_whose_label_and_decimals_it_uses(demo_results):
    problems = measure_problems(_specs(demo_results))
    assert not problems, "\n".join(problems)


def test_every_record_is_complete_and_printed_somewhere(demo_results):
    used = {column.variable for spec in _specs(demo_results) for _, column in _printed_columns(spec)}
    for name, record in VARIABLES.items():
        assert record.label and record.unit and record.definition and record.source, name
    assert set(VARIABLES) - used == set()


def test_the_rate_per_100_000_inhabitants_has_one_label_everywhere(demo_results):
    headers = {column.header for spec in _specs(demo_results) for column in spec.columns
               if column.key == "actifs_pour_100k_hab"}
    assert headers <= {ACTIVE_RATE.label, ACTIVE_RATE.short}
    assert headers  # printed at all


def test_a_column_with_its_own_header_or_decimals_is_found():
    """The check fails where a table prints a measure under another label, with other decimals, or without a
    record."""
    wrong = (Column("actifs", "Actifs", "count", decimals=0, variable="actifs"),
             Column("part", "Part", "percent", decimals=2, variable="part"),
             Column("inconnu", "Inconnu", "count"))
    problems = measure_problems([dataclasses.replace(cat.REGIONS, columns=wrong)])
    assert len(problems) == 3
    assert "actifs titré « Actifs »" in problems[0]
    assert "part à 2 décimales" in problems[1]
    assert "inconnu sans fiche" in problems[2]


def test_training_by_background_is_audited_with_france_its_categories_adding_up(demo_scope, demo_results):
    """The training table by background is linked: its backgrounds add up to France's figures, a relation a reader
    uses (France's « sans certification » minus the backgrounds shown gives the hidden ones' sum)."""
    from am_analytics.presentation.audit import audit
    from am_analytics.presentation.publication import publication_ledger

    ledger, items, _ = publication_ledger(demo_results, [], demo_scope.all_contracts)
    assert "training_backgrounds" in items
    day = demo_scope.as_of.date()
    france = ("en_retard", "FR", day, day, None, None)
    by_background = [terms for terms in ledger.equations
                     if terms.get(france) == 1.0 and any(key[4] == "profil_origine" for key in terms)]
    assert len(by_background) == 1
    categories = {key[5] for key in by_background[0] if key != france}
    assert categories == set(demo_results.training_backgrounds["profil_origine"])
    assert not ledger.skipped
    # the published table holds hidden counts, and the reader's program recovers none of them
    assert demo_results.training_backgrounds["en_retard_secret"].notna().any()
    # (signatures by background, whose categories add up to each territory's total, and the commitments' statuses
    # by background are left to `protect`: the per-table masking alone does not protect them, see test_audit and
    # test_audit_commitments)
    training = ("actifs", "echeance_depassee", "echeance_depassee_formation_connue", "en_retard")
    exposed = [exposure for exposure in audit(ledger)
               if exposure.key[4] == "profil_origine" and exposure.key[0] in training]
    assert not exposed
