"""Extracts written the way real CPAM and Cnam exports arrive (`tests/data/realistic/`): nothing lost silently,
nothing mapped wrongly, every row accounted for, and the values, warnings, quarantine and change log each case
expects (written by hand in `generate.py`, never computed by the package)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from am_analytics.errors import DataError
from am_analytics.prepare.pipeline import prepare

HERE = Path(__file__).resolve().parent / "data" / "realistic"
CASES = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
KEY = b"realistic-test-key"


def _case_id(case: dict) -> str:
    return case["name"]


_RESULTS: dict[str, object] = {}


def _run(case: dict, tmp_path: Path):
    """The preparation of one case's folder, run once per case and worker (each test reads the same result)."""
    if case["name"] not in _RESULTS:
        raw = tmp_path / "raw"
        shutil.copytree(HERE / "cases" / case["name"], raw)
        _RESULTS[case["name"]] = (prepare(raw, tmp_path / "out", key=KEY, **case["options"]), tmp_path / "out")
    return _RESULTS[case["name"]][0]


def _out_dir(case: dict) -> Path:
    return _RESULTS[case["name"]][1]


def _matches(frame: pd.DataFrame, expected: dict) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in expected.items():
        if column == "message_words":
            continue
        mask &= frame[column].astype(object).eq(value).fillna(False).astype(bool)
    return frame[mask]


def _same(actual: object, expected: object) -> bool:
    if expected is None:
        return actual is None or pd.isna(actual)
    if isinstance(actual, pd.Timestamp):
        return actual.date().isoformat() == expected
    if isinstance(expected, float):
        return actual is not None and not pd.isna(actual) and abs(float(actual) - expected) < 1e-9
    return actual == expected


def test_the_corpus_has_at_least_25_cases_including_a_monthly_series():
    assert len(CASES) >= 25
    series = next(c for c in CASES if c["name"] == "monthly_cumulative_series")
    assert len(series["accounts"]) >= 3


@pytest.mark.parametrize("case", [c for c in CASES if c["exit"]], ids=_case_id)
def test_a_refused_folder_says_where_and_how_to_declare_it(case, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(HERE / "cases" / case["name"], raw)
    with pytest.raises(DataError) as error:
        prepare(raw, tmp_path / "out", key=KEY, **case["options"])
    assert error.value.exit_code == case["exit"]
    message = str(error.value)
    for word in case["words"]:
        assert word in message, message
    assert not (tmp_path / "out" / "manifest.json").exists(), "a refused folder wrote outputs"


@pytest.mark.parametrize("case", [c for c in CASES if not c["exit"]], ids=_case_id)
def test_each_file_accounts_for_every_row(case, tmp_path):
    result = _run(case, tmp_path)
    accounts = {a.file: a for a in result.accounts}
    for file, expected in case.get("accounts", {}).items():
        account = accounts[file]
        actual = {name: getattr(account, name) for name in expected}
        assert actual == expected, f"{case['name']} / {file}: {actual} != {expected}"
        assert account.balanced()


@pytest.mark.parametrize("case", [c for c in CASES if "kept" in c], ids=_case_id)
def test_kept_contracts_hold_the_expected_values(case, tmp_path):
    result = _run(case, tmp_path)
    contracts = result.tables["contracts"]
    by_key = contracts.set_index("cle_contrat")
    for key, values in case["kept"].items():
        assert key in by_key.index, f"{case['name']}: contract {key} not kept; kept: {sorted(by_key.index)}"
        for column, expected in values.items():
            actual = by_key.at[key, column]
            assert _same(actual, expected), f"{case['name']} / {key} / {column}: {actual!r} != {expected!r}"
    if "kept_count" in case.get("extra", {}):
        assert len(contracts) == case["extra"]["kept_count"]


@pytest.mark.parametrize("case", [c for c in CASES if "quarantine" in c], ids=_case_id)
def test_quarantined_rows_carry_the_expected_reason_and_message(case, tmp_path):
    result = _run(case, tmp_path)
    quarantine = result.quarantine
    if not case["quarantine"]:
        assert quarantine.empty, quarantine[["file", "line", "column", "value", "reason"]].to_string()
    for expected in case["quarantine"]:
        found = _matches(quarantine, expected)
        assert not found.empty, (
            f"{case['name']}: no quarantine row {expected}; quarantine holds:\n"
            + quarantine[["file", "line", "column", "value", "reason"]].to_string()
        )
        for word in expected.get("message_words", []):
            assert any(word in message for message in found["message"]), found["message"].tolist()


@pytest.mark.parametrize("case", [c for c in CASES if "warnings" in c], ids=_case_id)
def test_unrecognised_descriptive_values_are_warned_where_they_sit(case, tmp_path):
    result = _run(case, tmp_path)
    warnings = result.warnings
    for expected in case["warnings"]:
        found = _matches(warnings, expected)
        assert not found.empty, f"{case['name']}: no warning {expected}; warnings:\n{warnings.to_string()}"
    located = warnings[warnings["line"].notna()]
    assert located["message"].notna().all() and located["column"].notna().all()


@pytest.mark.parametrize("case", [c for c in CASES if "changes" in c], ids=_case_id)
def test_updates_are_in_the_change_log_with_both_files(case, tmp_path):
    result = _run(case, tmp_path)
    changes = result.changes
    for expected in case["changes"]:
        found = _matches(changes, {k: v for k, v in expected.items() if v is not None})
        for column, value in expected.items():
            if value is None:
                found = found[found[column].isna()]
        assert not found.empty, f"{case['name']}: no change {expected}; change log:\n{changes.to_string()}"
    if "change_count" in case.get("extra", {}):
        assert len(changes) == case["extra"]["change_count"], changes.to_string()


@pytest.mark.parametrize("case", [c for c in CASES if "extra" in c], ids=_case_id)
def test_the_manifest_says_how_sheets_keys_and_extract_dates_were_decided(case, tmp_path):
    result = _run(case, tmp_path)
    extra = case["extra"]
    files = result.manifest["files"]
    if "sheets_read" in extra:
        assert files[0]["sheets_read"] == extra["sheets_read"]
    if "sheets_skipped" in extra:
        skipped = {item["sheet"]: item["reason"] for item in files[0]["sheets_skipped"]}
        assert set(skipped) == set(extra["sheets_skipped"])
        for sheet, word in extra["sheets_skipped"].items():
            assert word in skipped[sheet], skipped
    if "key_columns" in extra:
        assert all(item["contract_key"]["columns"] == extra["key_columns"] for item in files), files
    if "extract_date_source" in extra:
        assert {item["extract_date_source"] for item in files} == {extra["extract_date_source"]}
    if "file_format" in extra:
        assert extra["file_format"] in {item["file_format"] for item in files}, files
    if "extract_dates" in extra:
        dates = {item["file"]: item["extract_date"] for item in files}
        assert {f: dates.get(f) for f in extra["extract_dates"]} == extra["extract_dates"]
    if "unread" in extra:
        reasons = {item["file"]: item["unread_reason"] for item in files if item["unread_reason"]}
        assert set(reasons) == set(extra["unread"]), reasons
        for file, word in extra["unread"].items():
            assert word in reasons[file], reasons[file]
    if "non_data_lines" in extra:
        by_file = {item["file"]: item for item in files}
        for file, kinds in extra["non_data_lines"].items():
            assert by_file[file]["non_data_lines"] == kinds, by_file[file]
            assert by_file[file]["lines_read"] == by_file[file]["rows_read"] + sum(kinds.values())
    if "encoding" in extra:
        assert {item["encoding"] for item in files} == {extra["encoding"]}
    if "survey" in extra:
        survey = result.tables["survey"].set_index("repondant_id")
        assert {k: int(survey.at[k, "satisfaction"]) for k in extra["survey"]} == extra["survey"]
    if "dropped" in extra:
        dropped = {item["column"]: item["likely_identifier"] for item in files[0]["dropped_columns"]}
        assert dropped == extra["dropped"]


@pytest.mark.parametrize("case", [c for c in CASES if "planted" in c.get("extra", {})], ids=_case_id)
def test_no_planted_personal_value_reaches_any_output_or_message(case, tmp_path, caplog):
    _RESULTS.pop(case["name"], None)  # run afresh, so that the log of this very run is captured
    result = _run(case, tmp_path)
    texts = [path.read_bytes().decode("utf-8", errors="replace") for path in _out_dir(case).iterdir()
             if path.is_file()]
    texts.append(caplog.text)
    texts += [str(v) for v in result.quarantine["message"]] + [str(v) for v in result.warnings["message"]]
    for frame in (result.quarantine, result.warnings, result.changes, *result.tables.values()):
        texts.append(frame.astype(str).to_string())
    for planted in case["extra"]["planted"]:
        assert not any(planted in text for text in texts), f"« {planted} » leaked"


@pytest.mark.parametrize("case", [c for c in CASES if "unread" in c.get("extra", {})], ids=_case_id)
def test_a_file_not_read_is_named_in_the_summary_and_its_last_line(case, tmp_path):
    from am_analytics.prepare.summary import render_summary

    result = _run(case, tmp_path)
    summary = render_summary(result.accounts, "sortie")
    last = summary.splitlines()[-1]
    assert last.startswith("Attention") and "non lu" in last, last
    for file, word in case["extra"]["unread"].items():
        assert file in last
        assert any(file in line for line in summary.splitlines()[:-1]) and word in summary


@pytest.mark.parametrize("case", [c for c in CASES if "acts" in c.get("extra", {})], ids=_case_id)
def test_a_contract_written_act_by_act_keeps_its_history_in_order(case, tmp_path):
    result = _run(case, tmp_path)
    acts = result.tables["contract_acts"]
    for key, expected in case["extra"]["acts"].items():
        mine = acts[acts["cle_contrat"] == key]
        actual = [[day.date().isoformat(), round(float(fte), 6)] for day, fte in zip(mine["date_effet"], mine["etp"],
                                                                                     strict=True)]
        assert actual == [[day, round(fte, 6)] for day, fte in expected], f"{case['name']} / {key}: {actual}"
    assert set(acts["cle_contrat"]) <= set(result.tables["contracts"]["cle_contrat"]), "an act without its contract"


@pytest.mark.parametrize("case", [c for c in CASES if "activity" in c.get("extra", {})], ids=_case_id)
def test_doctors_activity_holds_the_expected_values_under_the_contracts_pseudonym(case, tmp_path):
    from am_analytics import privacy
    from am_analytics.indicators.commitments import activity_with_contracts

    result = _run(case, tmp_path)
    activity = result.tables["activity"].set_index(["medecin_id", "periode"])

    def pseudonym(rpps: str) -> str:
        return privacy.pseudonymise(pd.Series([rpps]), KEY).iloc[0]

    for rpps, periods in case["extra"]["activity"].items():
        for period, values in periods.items():
            assert (pseudonym(rpps), period) in activity.index, f"{case['name']}: {period} of a doctor not kept"
            for column, expected in values.items():
                actual = activity.at[(pseudonym(rpps), period), column]
                assert _same(actual, expected), f"{case['name']} / {period} / {column}: {actual!r} != {expected!r}"
    joined = activity_with_contracts(result.tables["activity"], result.tables["contracts"], synthetic=False)
    first = joined.drop_duplicates("medecin_id").set_index("medecin_id")["contrat_id"]
    for rpps, contract in case["extra"]["signatories"].items():
        assert _same(first[pseudonym(rpps)], contract), f"{case['name']}: doctor of contract {contract} not joined"
