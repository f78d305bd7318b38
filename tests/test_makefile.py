"""`make help` documents every target, and the two README commands are the first thing the README shows."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import REPO


def _targets() -> list[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", text, flags=re.MULTILINE)
    assert phony
    return phony.group(1).split()


def test_make_help_lists_every_target_with_one_line():
    result = subprocess.run(["make", "-s", "help"], cwd=REPO, capture_output=True, text=True, check=True)
    lines = result.stdout.strip().splitlines()
    listed = [line.split()[1] for line in lines]
    assert sorted(listed) == sorted(_targets())
    assert all(len(line.split(None, 2)) == 3 for line in lines), "a target has no description"


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make report" in first_block and "make test" in first_block


def test_ci_calls_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_make_clean_removes_outputs_and_never_raw_data(tmp_path):
    (tmp_path / "Makefile").write_bytes((REPO / "Makefile").read_bytes())
    raw = tmp_path / "data" / "raw" / "contrats.csv"
    kept = [raw, tmp_path / "data" / "processed" / ".gitkeep", tmp_path / "data" / "processed" / "README.md"]
    removed = [tmp_path / "data" / "processed" / "contracts.parquet", tmp_path / "reports" / "rapport.pdf"]
    for path in kept + removed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    subprocess.run(["make", "-s", "clean"], cwd=tmp_path, check=True, capture_output=True)
    assert all(path.exists() for path in kept)
    assert not any(path.exists() for path in removed)
