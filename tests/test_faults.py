"""Faults: a preparation or a report killed (SIGKILL) at any moment leaves every output either as it was
(byte-identical) or complete and equal to a reference run; leftovers of a killed writer never stand where an
output stood and are cleaned by the next successful run; concurrent runs do not corrupt each other.

Kill moments are drawn with a fixed seed over the duration of a first full run, half of them anywhere in the
run and half in its last part, where the outputs are written.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from am_analytics import atomic
from tests.conftest import REPO

# one worker builds this module's reports once, for all its tests (module fixtures are per worker)
pytestmark = pytest.mark.xdist_group("faults")

RAW = REPO / "data" / "raw"
SEED = 20250630
PREPARE_KILLS = 20
REPORT_KILLS = 2
PREPARED = (
    "contracts.parquet", "territory_year.parquet", "survey.parquet", "quarantine.parquet", "warnings.parquet",
    "changes.parquet", "manifest.json",
)
BEFORE = (
    "contrats_2021.csv",
    "acces_soins_assistants_medicaux_territoire.csv",
    "enquete_satisfaction_2021_microdonnees.csv",
)
ADDED = "contrats_2022.csv"  # the new input that makes the killed run's outputs differ from the previous ones


def _copy_inputs(folder: Path, names) -> Path:
    folder.mkdir(parents=True)
    for name in names:
        shutil.copyfile(RAW / name, folder / name)
        shutil.copyfile(RAW / f"{name}.provenance.json", folder / f"{name}.provenance.json")
    return folder


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    cache = tmp_path_factory.mktemp("cache")
    return os.environ | {"AM_ANALYTICS_KEY": "fault-test-key", "XDG_CACHE_HOME": str(cache), "MPLBACKEND": "Agg"}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("inputs")
    return {"before": _copy_inputs(root / "before", BEFORE), "after": _copy_inputs(root / "after", (*BEFORE, ADDED))}


def _prepare(data_dir: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "am_analytics.prepare", "--data-dir", str(data_dir), "--out", str(out), "-q"]


def _report(data_dir: Path, pdf: Path) -> list[str]:
    return [sys.executable, "-m", "am_analytics.report", "--data-dir", str(data_dir), "--output", str(pdf),
            "--as-of", "2021-12-31"]


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    result = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started


def _files(folder: Path, names) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in names if (folder / name).exists()}


def _kill_after(command: list[str], env: dict[str, str], delay: float) -> int | None:
    """Start the command, SIGKILL it after `delay` seconds; its exit code if it finished first."""
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    return process.wait()


def _delays(duration: float, count: int, rng: random.Random) -> list[float]:
    """Half spread over the whole run, half over its last 35 % (where outputs are written)."""
    spread = [rng.uniform(0, duration) for _ in range(count - count // 2)]
    late = [rng.uniform(0.65 * duration, 1.05 * duration) for _ in range(count // 2)]
    return sorted(spread + late)


def _strays(folder: Path, outputs) -> set[str]:
    """Files in the folder that are neither outputs, nor the lock, nor our own temporaries."""
    patterns = [atomic.leftover_pattern(folder / name) for name in outputs]
    return {
        p.name for p in folder.iterdir()
        if p.name not in outputs and p.name != ".prepare.lock" and not any(x.fullmatch(p.name) for x in patterns)
    }


def _leftovers(folder: Path, outputs) -> set[str]:
    patterns = [atomic.leftover_pattern(folder / name) for name in outputs]
    return {p.name for p in folder.iterdir() if any(x.fullmatch(p.name) for x in patterns)}


def test_a_killed_preparation_leaves_each_output_old_or_new_never_broken(tmp_path, inputs, env):
    previous_dir, reference_dir, out = tmp_path / "previous", tmp_path / "reference", tmp_path / "out"
    _run(_prepare(inputs["before"], previous_dir), env)
    duration = _run(_prepare(inputs["after"], reference_dir), env)
    previous, reference = _files(previous_dir, PREPARED), _files(reference_dir, PREPARED)
    assert all(previous[name] != reference[name] for name in ("contracts.parquet", "manifest.json"))

    outcomes = []
    for number, delay in enumerate(_delays(duration, PREPARE_KILLS, random.Random(SEED))):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(previous_dir, out)
        code = _kill_after(_prepare(inputs["after"], out), env, delay)
        now = _files(out, PREPARED)
        for name in PREPARED:
            state = "old" if now.get(name) == previous[name] else "new" if now.get(name) == reference[name] else None
            assert state, f"kill {number} at {delay:.2f} s: {name} is neither the previous nor the new output"
        assert not _strays(out, PREPARED), f"kill {number}: unexpected files {_strays(out, PREPARED)}"
        if _files(out, ["manifest.json"]) == {"manifest.json": reference["manifest.json"]}:
            # the manifest is written last: once it is new, every table it lists is new too
            assert now == reference, f"kill {number}: a new manifest beside old tables"
        outcomes.append((code, sum(now[n] == reference[n] for n in PREPARED)))
    assert any(code == -signal.SIGKILL for code, _ in outcomes), "no run was actually killed"


def test_the_next_successful_preparation_removes_the_leftovers_of_a_killed_one(tmp_path, inputs, env):
    out = tmp_path / "out"
    _run(_prepare(inputs["before"], out), env)
    leftover = out / ".contracts.parquet.abc123xy.tmp"
    leftover.write_bytes(b"half a parquet file")
    foreign = out / ".contracts.parquet.notours.tmp.bak"  # not the package's pattern: left alone
    foreign.write_bytes(b"someone else's")
    past = time.time() - 60
    os.utime(leftover, (past, past))
    _run(_prepare(inputs["after"], out), env)
    assert not leftover.exists(), "the killed writer's temporary file survived a successful run"
    assert foreign.exists(), "a file that is not the package's temporary was removed"


def test_leftover_cleaning_spares_temporaries_of_a_live_writer(tmp_path):
    target = tmp_path / "rapport.pdf"
    with atomic.atomic_path(target) as temporary:
        temporary.write_bytes(b"being written")
        removed = atomic.remove_leftovers(target, older_than=time.time() + 60)
        assert temporary.exists() and not removed, "a live writer's temporary file was removed"
    assert target.read_bytes() == b"being written"


def test_leftover_cleaning_spares_recent_files(tmp_path):
    target = tmp_path / "manifest.json"
    recent = tmp_path / ".manifest.json.zz99zz99.tmp"
    recent.write_bytes(b"")
    assert atomic.remove_leftovers(target, older_than=recent.stat().st_mtime) == []
    assert recent.exists(), "a temporary file newer than the run was removed"



@pytest.fixture(scope="module")
def reports(tmp_path_factory, inputs, env) -> dict[str, object]:
    """Reference reports: the previous good one (before the new input) and the new one, with its duration."""
    root = tmp_path_factory.mktemp("reports")
    _run(_report(inputs["before"], root / "previous" / "rapport.pdf"), env)
    duration = _run(_report(inputs["after"], root / "reference" / "rapport.pdf"), env)
    outputs = ("rapport.pdf", "rapport_annexes.pdf", "rapport.xlsx")
    previous, reference = _files(root / "previous", outputs), _files(root / "reference", outputs)
    # the new input changes the publication (its body, or its workbook of detailed tables)
    assert previous != reference
    return {"previous_dir": root / "previous", "previous": previous, "reference": reference, "duration": duration}


def _pdf_difference(got: bytes, expected: bytes) -> str:
    """The first page whose text differs, to tell a non-deterministic build from a broken file."""
    import difflib
    import io

    try:
        pages = [[p.extract_text() for p in PdfReader(io.BytesIO(data)).pages] for data in (got, expected)]
    except Exception as exc:  # noqa: BLE001 - an unreadable PDF is the answer itself
        return f"unreadable PDF ({exc})"
    for number, (a, b) in enumerate(zip(*pages, strict=False)):
        if a != b:
            return f"page {number + 1}: " + " | ".join(list(difflib.unified_diff(b.splitlines(), a.splitlines()))[:12])
    return f"{len(pages[0])} pages against {len(pages[1])}, same text"


def test_a_killed_report_leaves_the_pdf_and_workbook_old_or_new_never_broken(tmp_path, inputs, env, reports):
    pdf = tmp_path / "out" / "rapport.pdf"
    outputs = (pdf.name, "rapport_annexes.pdf", "rapport.xlsx")
    rng = random.Random(SEED + 1)
    delays = sorted(rng.uniform(0.8 * reports["duration"], 1.05 * reports["duration"]) for _ in range(REPORT_KILLS))
    for number, delay in enumerate(delays):
        shutil.rmtree(pdf.parent, ignore_errors=True)
        shutil.copytree(reports["previous_dir"], pdf.parent)
        _kill_after(_report(inputs["after"], pdf), env, delay)
        now = _files(pdf.parent, outputs)
        for name in outputs:
            assert now.get(name) in (reports["previous"][name], reports["reference"][name]), (
                f"report kill {number} at {delay:.2f} s: {name} is neither the previous nor the new output"
                + (f"; {_pdf_difference(now[name], reports['reference'][name])}" if name == pdf.name else "")
            )
        assert not _strays(pdf.parent, outputs)


def test_two_concurrent_preparations_both_succeed_with_valid_outputs(tmp_path, inputs, env):
    out = tmp_path / "out"
    reference = tmp_path / "reference"
    _run(_prepare(inputs["after"], reference), env)
    runs = [
        subprocess.Popen(_prepare(inputs["after"], out), env=env, cwd=REPO, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert _files(out, PREPARED) == _files(reference, PREPARED)
    assert not _leftovers(out, PREPARED)
    assert len(pd.read_parquet(out / "contracts.parquet")) > 0


def test_two_concurrent_reports_on_one_output_path_give_a_valid_pdf(tmp_path, inputs, env, reports):
    pdf = tmp_path / "out" / "rapport.pdf"
    command = _report(inputs["after"], pdf)  # data already prepared by the reference run: they race on the outputs
    runs = [subprocess.Popen(command, env=env, cwd=REPO, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert len(PdfReader(pdf).pages) > 1
    assert pdf.read_bytes() == reports["reference"]["rapport.pdf"], _pdf_difference(
        pdf.read_bytes(), reports["reference"]["rapport.pdf"]
    )
    assert not _leftovers(pdf.parent, (pdf.name, "rapport.xlsx"))
