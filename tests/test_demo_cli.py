"""The generator's command line: defaults, options, and short messages on bad usage."""

from __future__ import annotations

import subprocess
import sys

import pytest

from am_analytics.cli import run
from am_analytics.demo.__main__ import main


@pytest.mark.parametrize("value", ["abc", "-5", "0", "10", "99999999999", "1.5"])
def test_bad_contract_count_exits_2_with_a_short_message(capsys, value):
    assert run(main, ["--contracts", value]) == 2
    err = capsys.readouterr().err
    assert "--contracts" in err and "Traceback" not in err
    assert len(err.splitlines()) <= 3


def test_bad_contract_count_from_the_shell_shows_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "am_analytics.demo", "--contracts", "beaucoup", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "nombre de contrats invalide" in result.stderr
    assert not any(tmp_path.iterdir()), "nothing is written on a usage error"


def test_out_that_is_a_file_is_a_usage_error(tmp_path, capsys):
    target = tmp_path / "fichier"
    target.write_text("x")
    assert run(main, ["--out", str(target)]) == 2


def test_cli_writes_into_out_with_seed_and_size(tmp_path, capsys):
    assert run(main, ["--seed", "3", "--contracts", "800", "--out", str(tmp_path / "demo")]) == 0
    assert (tmp_path / "demo" / "contrats_2021.csv.provenance.json").is_file()
    assert "synthétiques" in capsys.readouterr().out
