"""Doctor identifiers are replaced by a keyed hash: stable under one key, unlinkable without it."""

from __future__ import annotations

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
