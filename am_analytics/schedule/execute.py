"""Runs one notebook in a fresh kernel with papermill and writes the executed notebook and its HTML
(without code) atomically; a batch runs in a pool of processes, one kernel per worker at a time."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from am_analytics import atomic
from am_analytics.schedule.plan import Run

KERNEL_NAME = "python3"
PRIVATE_KERNEL_NAME = "am_analytics_schedule"
INJECTED_TAG = "injected-parameters"


@dataclass
class Outcome:
    """What became of one run, as `summary.json` records it (paths relative to the run folder)."""

    notebook: str
    region: str | None
    territory: str
    parameters: dict[str, str]
    status: str  # "ok" or "failed"
    duration_s: float
    ipynb: str | None = None
    html: str | None = None
    error: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# --- Kernel -------------------------------------------------------------------------------------------


def _runs_this_interpreter(argv: Sequence[str]) -> bool:
    if not argv:
        return False
    # jupyter_client replaces a bare "python"/"python3"/"python3.X" by the interpreter that starts the kernel
    bare = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
    if argv[0] in bare:
        return True
    try:
        return Path(argv[0]).resolve() == Path(sys.executable).resolve()
    except OSError:
        return False


def kernel_for_runs(scratch: Path) -> str:
    """The kernel name to run notebooks with, so that they use this interpreter (and this package).

    Normally the `python3` kernel that ipykernel installs in the environment, which runs the interpreter
    starting it. If another `python3` kernel shadows it (one installed with `--user` for another Python,
    say), a private kernel spec pointing at this interpreter is written under `scratch` and put first on
    `JUPYTER_PATH` (inherited by the workers), rather than asking anybody to fix their Jupyter set-up by hand.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        if _runs_this_interpreter(spec.argv):
            return KERNEL_NAME
    except NoSuchKernel:
        pass
    folder = scratch / "kernels" / PRIVATE_KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec_json = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (am_analytics, exécutions planifiées)",
        "language": "python",
    }
    atomic.write_json(folder / "kernel.json", spec_json)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(scratch), os.environ.get("JUPYTER_PATH")]))
    return PRIVATE_KERNEL_NAME


# --- One run --------------------------------------------------------------------------------------------


def _source_index(run: Run, executed_index: int) -> int:
    """The failing cell's index in the committed notebook: papermill inserts its injected-parameters cell
    right after the parameters cell, which shifts every later cell by one in the executed copy."""
    import nbformat

    from am_analytics.schedule.plan import parameters_cells

    if not run.parameters:  # papermill injects a cell only when it is given parameters
        return executed_index
    parameters = parameters_cells(nbformat.read(run.notebook.path, as_version=4))
    return executed_index - 1 if parameters and executed_index > parameters[0] else executed_index


def _first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip()]
    return lines[0][:120] if lines else ""


def _failed_cell(notebook) -> int | None:
    """The cell the run stopped in when papermill raised no cell error (a timeout, a dead kernel): one it
    left running or failed, else the last one it started (execution stops at the cell that timed out)."""
    if notebook is None:
        return None
    started = None
    for index, cell in enumerate(notebook.cells):
        record = cell.get("metadata", {}).get("papermill", {})
        if record.get("status") in ("running", "failed"):
            return index
        if record.get("start_time"):
            started = index
    return started


def _error(run: Run | None, executed_index: int | None, execution_count: int | None, source: str | None,
           exception: str, message: str) -> dict[str, Any]:
    """The failure as `summary.json` records it: the cell (index in the committed notebook, 0-based, and
    its `In [n]` number), the exception's name and message."""
    located = run is not None and executed_index is not None
    return {
        "cell_index": _source_index(run, executed_index) if located else None,
        "execution_count": execution_count,
        "cell_source": _first_line(source) if source else None,
        "exception": exception,
        "message": (message or "").strip()[:2000],
    }


def html_without_code(notebook, title: str) -> str:
    """The executed notebook as a standalone French HTML page showing outputs and text, no code."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.language_code = "fr"
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body


def execute_run(run: Run, out_dir: Path, *, kernel_name: str = KERNEL_NAME, timeout: float | None = 600) -> Outcome:
    """Run one notebook; write `<stem>.ipynb` and `<stem>.html` into `out_dir` atomically, even when a cell
    fails (the executed copy then shows the error); never raises for a failure of the notebook itself."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    start = time.monotonic()
    error: dict[str, Any] | None = None
    notebook = None
    with tempfile.TemporaryDirectory(prefix="am_schedule_") as scratch:
        executed = Path(scratch) / f"{run.stem}.ipynb"
        kernel_log = Path(scratch) / "kernel.log"
        # The kernel inherits this worker's stderr: its start-up chatter goes to a scratch log, not the
        # scheduler's terminal (or cron's mail); the tail is kept when the run fails.
        saved_stderr = os.dup(2)
        try:
            with open(kernel_log, "wb") as log:
                os.dup2(log.fileno(), 2)
                try:
                    pm.execute_notebook(
                        str(run.notebook.path), str(executed), parameters=dict(run.parameters),
                        kernel_name=kernel_name, execution_timeout=timeout, progress_bar=False,
                        log_output=False, cwd=str(run.notebook.path.parent),
                    )
                except PapermillExecutionError as exc:
                    # exc.cell_index counts the cells before papermill adds its error banner to the copy
                    error = _error(run, exc.cell_index, exc.exec_count, exc.source, exc.ename, exc.evalue)
                except Exception as exc:  # a timeout, a dead kernel: still a failed run, not a failed batch
                    notebook = nbformat.read(executed, as_version=4) if executed.exists() else None
                    index = _failed_cell(notebook)
                    cell = notebook.cells[index] if index is not None else {}
                    error = _error(run, index, cell.get("execution_count"), cell.get("source"), type(exc).__name__,
                                   str(exc) or type(exc).__name__)
        finally:
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
        if error is not None:
            tail = kernel_log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
            error["kernel_log"] = [line for line in tail if "without encryption" not in line]
        if notebook is None and executed.exists():
            notebook = nbformat.read(executed, as_version=4)
    outcome = Outcome(
        notebook=run.notebook.name, region=run.region, territory=run.territory, parameters=dict(run.parameters),
        status="ok" if error is None else "failed", duration_s=0.0, error=error,
    )
    if notebook is not None:
        atomic.write_text(out_dir / f"{run.stem}.ipynb", nbformat.writes(notebook) + "\n")
        outcome.ipynb = f"{run.stem}.ipynb"
        try:
            title = f"{run.notebook.name} — {run.territory}"
            atomic.write_text(out_dir / f"{run.stem}.html", html_without_code(notebook, title))
            outcome.html = f"{run.stem}.html"
        except Exception as exc:  # the notebook ran; only its HTML is missing, and the summary says so
            outcome.status = "failed"
            outcome.error = outcome.error or _error(None, None, None, None, type(exc).__name__,
                                                   f"export HTML : {exc}")
    outcome.duration_s = round(time.monotonic() - start, 2)
    return outcome


def _crashed(run: Run, exc: BaseException, started: float) -> Outcome:
    """A worker that died (killed, out of memory) still gives a failed outcome, not a lost run."""
    message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return Outcome(
        notebook=run.notebook.name, region=run.region, territory=run.territory, parameters=dict(run.parameters),
        status="failed", duration_s=round(time.monotonic() - started, 2),
        error=_error(None, None, None, None, type(exc).__name__, message),
    )


def execute_runs(
    runs: Sequence[Run],
    out_dir: Path,
    *,
    workers: int,
    kernel_name: str = KERNEL_NAME,
    timeout: float | None = 600,
    on_done: Callable[[int, int, Outcome], None] | None = None,
) -> list[Outcome]:
    """Run every run, `workers` at a time, in separate processes; outcomes come back in the runs' order.

    Processes (started with `spawn`, which does not copy the parent's threads or loaded data) rather than
    threads: nbclient drives each kernel through an asyncio loop and ZeroMQ sockets that are safest one per
    process, and the HTML export is CPU work that threads would serialise.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    outcomes: dict[int, Outcome] = {}
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(runs))), mp_context=get_context("spawn")) as pool:
        futures = {
            pool.submit(execute_run, run, out_dir, kernel_name=kernel_name, timeout=timeout): position
            for position, run in enumerate(runs)
        }
        for done, future in enumerate(as_completed(futures), start=1):
            position = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:
                outcome = _crashed(runs[position], exc, started)
            outcomes[position] = outcome
            if on_done is not None:
                on_done(done, len(runs), outcome)
    return [outcomes[position] for position in range(len(runs))]


def describe_failure(outcome: Outcome) -> str:
    """« échec à la cellule d'index 2 (In [2]) : ZeroDivisionError — division by zero », in French."""
    error = outcome.error or {}
    where = ""
    if error.get("cell_index") is not None:
        where = f" à la cellule d'index {error['cell_index']}"
        if error.get("execution_count") is not None:
            where += f" (In [{error['execution_count']}])"
    message = (error.get("message") or "").splitlines()
    first = message[0] if message else ""
    return f"échec{where} : {error.get('exception', 'erreur')}" + (f" — {first[:200]}" if first else "")


__all__ = ["Outcome", "describe_failure", "execute_run", "execute_runs", "html_without_code", "kernel_for_runs"]
