"""Doctor identifiers are replaced by a keyed hash: stable under one key, unlinkable without it."""

from __future__ import annotations

import json

import pandas as pd

from am_analytics import privacy


def test_same_identifier_same_key_gives_the_same_pseudonym():
    ids = pd.Series(["99100000001", "99100000002", "99100000001"], dtype="string")
    result = privacy.pseudonymise(ids, b"secret")
    assert result[0] == result[2] != result[1]


def test_pseudonyms_depend_on_the_key_and_never_look_like_an_rpps():
    ids = pd.Series(["99100000001"], dtype="string")
    one, other = privacy.pseudonymise(ids, b"a")[0], privacy.pseudonymise(ids, b"b")[0]
    assert one != other
    assert one.startswith("m_") and "99100000001" not in one
    assert not any(char.isdigit() for char in one[:2])


def test_missing_identifiers_stay_missing():
    result = privacy.pseudonymise(pd.Series(["99100000001", None], dtype="string"), b"k")
    assert pd.isna(result[1])


def test_key_comes_from_the_environment_first(monkeypatch, tmp_path):
    monkeypatch.setenv(privacy.KEY_ENVIRONMENT_VARIABLE, "from-env")
    assert privacy.load_key(tmp_path / "key") == b"from-env"
    assert not (tmp_path / "key").exists()


def test_key_file_is_created_once_private_and_reused(monkeypatch, tmp_path):
    monkeypatch.delenv(privacy.KEY_ENVIRONMENT_VARIABLE, raising=False)
    key_file = tmp_path / "key"
    first = privacy.load_key(key_file)
    assert len(first) == 64
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert privacy.load_key(key_file) == first


def test_key_file_is_ignored_by_git(repo):
    assert privacy.KEY_FILE_NAME in (repo / ".gitignore").read_text(encoding="utf-8")


def test_two_processes_creating_the_key_together_share_one_key(tmp_path, monkeypatch):
    import subprocess
    import sys

    monkeypatch.delenv(privacy.KEY_ENVIRONMENT_VARIABLE, raising=False)
    key_file = tmp_path / "key"
    code = (
        "from pathlib import Path; from am_analytics import privacy; "
        f"print(privacy.load_key(Path({str(key_file)!r})).decode())"
    )
    runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(4)]
    keys = {run.communicate()[0].strip() for run in runs}
    assert keys == {key_file.read_text(encoding="utf-8").strip()}
    assert list(tmp_path.iterdir()) == [key_file], "no temporary file is left behind"


def test_pseudonyms_are_exactly_those_of_earlier_versions():
    # Computed by the RFC 2104 construction the package wrote out by hand before it used `hmac`: the same key
    # must keep giving the same pseudonyms, or a doctor's contracts would stop being linked across runs.
    ids = pd.Series(["99100000001", "99100000002", "10003456789", "é-ü"], dtype="string")
    assert list(privacy.pseudonymise(ids, b"secret")) == [
        "m_04dbe2bf5730e725", "m_3b56abc55ff83657", "m_22d33ac6760e1dad", "m_42d68d7ac84113ab",
    ]
    long_key = b"k" * 100  # longer than SHA-256's block: hashed first, as RFC 2104 says
    assert privacy.pseudonymise(pd.Series(["99100000001"], dtype="string"), long_key)[0] == "m_2138ccf4d205dc9f"
    many = pd.Series([f"991{i:08d}" for i in range(40)], dtype="string")  # past the small-input shortcut
    assert privacy.pseudonymise(many, b"secret")[1] == privacy.pseudonymise(many[1:2], b"secret").iloc[0]


# --- Personal data in columns nobody asked for -------------------------------------------------------------


def test_identifiers_planted_in_extra_columns_and_sheets_reach_no_output_log_or_message(tmp_path, capsys, caplog):
    """Names, NIR, e-mails, telephones, addresses and comments in extra columns of a workbook (and in a sheet
    that matches no dataset) are dropped at the read step: searched in every output file, the terminal summary
    and the log."""
    import openpyxl

    from am_analytics.cli import run
    from am_analytics.prepare.__main__ import main as prepare_main

    planted = {
        "name": "ZORGLUB", "first": "Philomène", "nir": "2 84 05 75 123 456 78", "mail": "philo@exemple.fr",
        "phone": "06 11 22 33 44", "address": "7 impasse des Tilleuls", "comment": "rappeler après 18 h",
    }
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Contrats"
    sheet.append(["Nom", "Prénom", "N° contrat", "RPPS", "Date de signature", "Département", "Quotité", "NIR",
                  "Courriel", "Tél.", "Adresse", "Observations"])
    sheet.append([planted["name"], planted["first"], "C1", "99100000001", "01/02/2021", "35", "1/2", planted["nir"],
                  planted["mail"], planted["phone"], planted["address"], planted["comment"]])
    sheet.append([planted["name"], planted["first"], "C2", "99100000002", "01/02/2021", "ZZ", "1/2", planted["nir"],
                  planted["mail"], planted["phone"], planted["address"], planted["comment"]])
    other = book.create_sheet("Suivi")
    other.append(["Assistant", "Contact", "Remarque"])
    for _ in range(3):
        other.append([planted["name"], planted["mail"], planted["comment"]])
    raw = tmp_path / "raw"
    raw.mkdir()
    book.save(raw / "extraction.xlsx")
    out = tmp_path / "out"
    with caplog.at_level("DEBUG"):
        assert run(prepare_main, ["--data-dir", str(raw), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    texts = [printed.out, printed.err, caplog.text]
    texts += [p.read_bytes().decode("utf-8", errors="replace") for p in out.iterdir() if p.is_file()]
    texts += [pd.read_parquet(p).astype(str).to_string() for p in out.glob("*.parquet")]
    for value in planted.values():
        assert not any(value in text for text in texts), f"« {value} » leaked"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    dropped = {c["column"]: c["likely_identifier"] for c in manifest["files"][0]["dropped_columns"]}
    assert dropped == {"Nom": True, "Prénom": True, "NIR": True, "Courriel": True, "Tél.": True, "Adresse": True,
                       "Observations": True}
    assert "colonnes d'identifiants personnels ignorées" in printed.out
