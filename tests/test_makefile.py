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


# --- The notebooks' kernel and `make lab` ---------------------------------------------------------------------


def _fake_venv(tmp_path, *, kernel: bool = True):
    """A project folder with the Makefile and an installed-looking .venv whose `python` and `jupyter` only print their
    arguments: make runs the recipes as written, and nothing is installed or started."""
    import os
    import time

    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "Makefile").write_bytes((REPO / "Makefile").read_bytes())
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "jupyter"):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\necho "{name}-args: $*"\n', encoding="utf-8")
        script.chmod(0o755)
    later = time.time() + 5  # newer than pyproject.toml: make sees an installed environment
    stamp = tmp_path / ".venv" / ".installed"
    stamp.write_text("", encoding="utf-8")
    os.utime(stamp, (later, later))
    if kernel:
        spec = tmp_path / ".venv" / "share" / "jupyter" / "kernels" / "am_analytics" / "kernel.json"
        spec.parent.mkdir(parents=True)
        spec.write_text("{}", encoding="utf-8")
        os.utime(spec, (later + 1, later + 1))
    return tmp_path


def _make(folder, *arguments) -> str:
    result = subprocess.run(["make", "-s", *arguments], cwd=folder, capture_output=True, text=True, check=True)
    return result.stdout


def test_installing_the_environment_registers_the_kernel_the_notebooks_name(tmp_path):
    import json

    names = {json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"]
             for path in (REPO / "notebooks").glob("*.ipynb")}
    assert names == {"am_analytics"}
    folder = _fake_venv(tmp_path, kernel=False)
    for target in ("report", "venv", "lab"):
        output = _make(folder, "-n", target)
        assert ".venv/bin/python -m ipykernel install --sys-prefix --name am_analytics" in output, target
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: .*\$\(KERNEL\)", text, flags=re.MULTILINE), "make test registers it too"
    registered = _make(_fake_venv(tmp_path / "again"), "-n", "report")
    assert "ipykernel install" not in registered, "registered once, not at every command"


def test_make_lab_listens_on_the_chosen_address_and_port_without_a_browser(tmp_path):
    output = _make(_fake_venv(tmp_path), "lab", "HOST=0.0.0.0", "PORT=8888", "LAB_USER_ID=1000")
    assert "jupyter-args: lab notebooks/ --ip 0.0.0.0 --no-browser --port 8888" in output
    assert "--allow-root" not in output
    passed = _make(tmp_path, "lab", 'LAB_ARGS=--no-browser --ip 127.0.0.1 --port 9999', "LAB_USER_ID=1000")
    assert "jupyter-args: lab notebooks/ --no-browser --ip 127.0.0.1 --port 9999" in passed


def test_make_lab_as_root_adds_allow_root_with_a_note(tmp_path):
    output = _make(_fake_venv(tmp_path), "lab", "LAB_USER_ID=0")
    assert "Note : JupyterLab lancé en root, avec --allow-root" in output
    assert "jupyter-args: lab notebooks/ --allow-root" in output
