"""Runs one notebook with papermill and writes the executed notebook and its page (outputs without code, or the
French page of its failure) atomically; a batch runs in a pool of processes, each keeping one warm kernel that it
resets between runs."""

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
from am_analytics.dashboards import SCHEDULED_ENV  # set for scheduled runs: the notebooks then show no widget
from am_analytics.schedule.plan import Run

KERNEL_NAME = "python3"
LAB_KERNEL_NAME = "am_analytics"  # the kernel `make lab` registers, which the committed notebooks name
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

    The `am_analytics` kernel that `make lab` registers (the one the notebooks name) when it runs this
    interpreter, else the `python3` kernel that ipykernel installs in the environment, which runs the interpreter
    starting it. If neither does (another `python3` kernel shadows it: one installed with `--user` for another
    Python, say), a private kernel spec pointing at this interpreter is written under `scratch` and put first on
    `JUPYTER_PATH` (inherited by the workers), rather than asking anybody to fix their Jupyter set-up by hand.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    for name in (LAB_KERNEL_NAME, KERNEL_NAME):
        try:
            if _runs_this_interpreter(KernelSpecManager().get_kernel_spec(name).argv):
                return name
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


# --- Locating a failure -------------------------------------------------------------------------------------


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


# --- Warm kernels: one per worker process, reused from one run to the next -------------------------------------

# cells for JupyterLab users (the selector, « edit the parameters »): run, never published
NOTEBOOK_ONLY_TAG = "notebook-only"
RESET_CODE = "get_ipython().reset(new_session=True, aggressive=False); __import__('os').chdir({cwd!r})"


class WarmKernel:
    """A kernel a worker keeps between runs, so that each run does not pay a kernel start and the package's
    imports again (about 3 s a run). Before each run its namespace is reset and its counter set back to 1, so a
    notebook sees what a fresh kernel shows it (`In [1]`…); modules stay imported. After a failed run the kernel
    is shut down and the next run starts a new one, so a broken state never reaches another notebook."""

    def __init__(self, kernel_name: str, cwd: Path, log: Path):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.kernel_name, self.cwd, self.log_path = kernel_name, cwd, log
        self._log = open(log, "ab")  # noqa: SIM115 — kept open for the kernel's life
        self.km = AsyncKernelManager(kernel_name=kernel_name)
        run_sync(self.km.start_kernel)(cwd=str(cwd), stderr=self._log)
        self.kc = None  # nbclient makes the client on the first run; later runs reuse it

    def reset(self) -> None:
        from jupyter_core.utils import run_sync

        if self.kc is None:
            return
        reply = run_sync(self.kc.execute_interactive)(RESET_CODE.format(cwd=str(self.cwd)), silent=True,
                                                        store_history=False, timeout=60)
        if reply["content"].get("status") != "ok":
            raise RuntimeError("réinitialisation du noyau impossible")

    def log_tail(self) -> list[str]:
        self._log.flush()
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        return [line for line in lines if "without encryption" not in line]

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            if self.kc is not None:
                self.kc.stop_channels()
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # a dead kernel is already shut down
            pass
        self._log.close()


_WARM: dict[str, Any] = {}


def _warm_kernel(kernel_name: str, cwd: Path) -> WarmKernel:
    kernel = _WARM.get("kernel")
    if kernel is not None and (kernel.kernel_name, kernel.cwd) == (kernel_name, cwd):
        return kernel
    _drop_warm_kernel()
    scratch = Path(tempfile.mkdtemp(prefix="am_schedule_kernel_log_"))
    kernel = WarmKernel(kernel_name, cwd, scratch / "kernel.log")
    _WARM["kernel"] = kernel
    if not _WARM.get("finaliser"):
        from multiprocessing import util

        # worker processes end with os._exit, which skips atexit: multiprocessing's finalisers still run
        _WARM["finaliser"] = util.Finalize(None, _drop_warm_kernel, exitpriority=10)
    return kernel


def _drop_warm_kernel() -> None:
    kernel = _WARM.pop("kernel", None)
    if kernel is not None:
        kernel.shutdown()


def _register_engine() -> str:
    """The papermill engine that runs a notebook in this worker's warm kernel (registered once per process)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import remove_args

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            kernel: WarmKernel = _WARM["kernel"]
            kwargs = remove_args(["input_path", "timeout", "startup_timeout", "cwd"], **kwargs)
            client = PapermillNotebookClient(
                nb_man, km=kernel.km, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
                **kwargs)
            client.kc = kernel.kc
            try:
                return client.execute()
            finally:
                kernel.kc = client.kc

    papermill_engines.register(WARM_ENGINE, WarmEngine)
    return WARM_ENGINE


WARM_ENGINE = "am_analytics_warm"


# --- Publishing one run -----------------------------------------------------------------------------------------

NOTEBOOKS_DIR = "notebooks"


def _site_info(info):
    if info is not None:
        return info
    from am_analytics.site.render import Navigation, SiteInfo

    return SiteInfo(as_of=None, synthetic=False, generated="", nav=Navigation())


def notebook_title(name: str) -> str:
    """« 02 tableau de bord régional » from `02_tableau_de_bord_regional`: the notebook's title in the index."""
    from am_analytics.schedule.plan import NOTEBOOK_TITLES

    return NOTEBOOK_TITLES.get(name, name.replace("_", " "))


def failure_page(run: Run, outcome: Outcome, info) -> str:
    """The French page of a failed run: which notebook and territory, which cell, the exception and its message
    (no traceback); the executed notebook, with the error in place, is linked for the technical detail."""
    from am_analytics.site.render import render_error

    error = outcome.error or {}
    details = [("Notebook", notebook_title(run.notebook.name)), ("Territoire", run.territory)]
    if error.get("cell_index") is not None:
        cell = f"cellule d'index {error['cell_index']}"
        if error.get("execution_count") is not None:
            cell += f" (In [{error['execution_count']}])"
        if error.get("cell_source"):
            cell += f" : {error['cell_source']}"
        details.append(("Cellule", cell))
    if outcome.ipynb:
        details.append(("Notebook exécuté", f"{run.stem}.ipynb (l'erreur y figure à sa cellule)"))
    return render_error(f"{notebook_title(run.notebook.name)} — {run.territory}", _site_info(info),
                        stem=f"{NOTEBOOKS_DIR}-{run.stem}", what="L'exécution de ce notebook a échoué.",
                        step=None, exception=error.get("exception", "erreur"), message=error.get("message", ""),
                        details=details, root="../")


def notebook_page(notebook, title: str, info, *, stem: str = "notebook", ipynb: str | None = None) -> str:
    """An executed notebook's outputs (no code, no cell meant for JupyterLab users only) as a page of the site."""
    from am_analytics.site.render import render_notebook

    body, _ = _exporter().from_notebook_node(notebook)
    return render_notebook(title, body, _site_info(info), stem=f"{NOTEBOOKS_DIR}-{stem}", ipynb=ipynb)


def _exporter():
    exporter = _WARM.get("exporter")
    if exporter is None:
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        # the basic template: the outputs alone, no external script, font or style sheet (the site has its own)
        exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                                exclude_output_prompt=True)
        exporter.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags={NOTEBOOK_ONLY_TAG, INJECTED_TAG}), enabled=True)
        _WARM["exporter"] = exporter
    return exporter


def html_without_code(notebook, title: str) -> str:
    """The executed notebook as a standalone French HTML page showing outputs and text, no code (the site's
    page without navigation)."""
    return notebook_page(notebook, title, None)


# --- One run --------------------------------------------------------------------------------------------


def execute_run(run: Run, out_dir: Path, *, kernel_name: str = KERNEL_NAME, timeout: float | None = 600,
                warm: bool = False, info=None) -> Outcome:
    """Run one notebook; write `notebooks/<stem>.ipynb` and `notebooks/<stem>.html` under `out_dir` atomically,
    even when a cell fails (the executed copy then shows the error, the page is the French failure page); never
    raises for a failure of the notebook itself. `warm` runs it in this process's warm kernel (see
    `WarmKernel`); `info` (the site's `SiteInfo`) gives the page the site's navigation and banner."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    start = time.monotonic()
    os.environ[SCHEDULED_ENV] = "1"  # the kernels inherit it: a notebook shows no widget in a scheduled run
    error: dict[str, Any] | None = None
    notebook = None
    folder = out_dir / NOTEBOOKS_DIR
    cwd = run.notebook.path.parent
    with tempfile.TemporaryDirectory(prefix="am_schedule_") as scratch:
        executed = Path(scratch) / f"{run.stem}.ipynb"
        kernel_log = Path(scratch) / "kernel.log"
        kernel = None
        # A fresh kernel inherits this worker's stderr: its start-up chatter goes to a scratch log, not the
        # scheduler's terminal (or cron's mail); the tail is kept when the run fails.
        saved_stderr = os.dup(2)
        try:
            with open(kernel_log, "wb") as log:
                os.dup2(log.fileno(), 2)
                try:
                    options: dict[str, Any] = {}
                    if warm:
                        kernel = _warm_kernel(kernel_name, cwd)
                        kernel.reset()
                        options["engine_name"] = _register_engine()
                    pm.execute_notebook(
                        str(run.notebook.path), str(executed), parameters=dict(run.parameters),
                        kernel_name=kernel_name, execution_timeout=timeout, progress_bar=False,
                        log_output=False, cwd=str(cwd), **options,
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
            if kernel is not None:
                error["kernel_log"] = kernel.log_tail()
                _drop_warm_kernel()  # never reuse a kernel a notebook failed in
            else:
                tail = kernel_log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
                error["kernel_log"] = [line for line in tail if "without encryption" not in line]
        if notebook is None and executed.exists():
            notebook = nbformat.read(executed, as_version=4)
    outcome = Outcome(
        notebook=run.notebook.name, region=run.region, territory=run.territory, parameters=dict(run.parameters),
        status="ok" if error is None else "failed", duration_s=0.0, error=error,
    )
    if notebook is not None:
        atomic.write_text(folder / f"{run.stem}.ipynb", nbformat.writes(notebook) + "\n")
        outcome.ipynb = f"{NOTEBOOKS_DIR}/{run.stem}.ipynb"
    if outcome.ok:
        try:
            atomic.write_text(folder / f"{run.stem}.html", notebook_page(
                notebook, f"{notebook_title(run.notebook.name)} — {run.territory}", info, stem=run.stem,
                ipynb=f"{run.stem}.ipynb"))
        except Exception as exc:  # the notebook ran; only its page is missing: a failed run, said on its page
            outcome.status = "failed"
            outcome.error = _error(None, None, None, None, type(exc).__name__, f"export HTML : {exc}")
    if not outcome.ok:
        atomic.write_text(folder / f"{run.stem}.html", failure_page(run, outcome, info))
    outcome.html = f"{NOTEBOOKS_DIR}/{run.stem}.html"
    outcome.duration_s = round(time.monotonic() - start, 2)
    return outcome


def _crashed(run: Run, exc: BaseException, started: float, out_dir: Path, info=None) -> Outcome:
    """A worker that died (killed, out of memory) still gives a failed outcome, not a lost run, and its page."""
    message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    outcome = Outcome(
        notebook=run.notebook.name, region=run.region, territory=run.territory, parameters=dict(run.parameters),
        status="failed", duration_s=round(time.monotonic() - started, 2),
        error=_error(None, None, None, None, type(exc).__name__, message),
    )
    atomic.write_text(out_dir / NOTEBOOKS_DIR / f"{run.stem}.html", failure_page(run, outcome, info))
    outcome.html = f"{NOTEBOOKS_DIR}/{run.stem}.html"
    return outcome


def execute_runs(
    runs: Sequence[Run],
    out_dir: Path,
    *,
    workers: int,
    kernel_name: str = KERNEL_NAME,
    timeout: float | None = 600,
    on_done: Callable[[int, int, Outcome], None] | None = None,
    warm: bool = True,
    info=None,
) -> list[Outcome]:
    """Run every run, `workers` at a time, in separate processes; outcomes come back in the runs' order.

    Processes (started with `spawn`, which does not copy the parent's threads or loaded data) rather than
    threads: nbclient drives each kernel through an asyncio loop and ZeroMQ sockets that are safest one per
    process, and the HTML export is CPU work that threads would serialise. With `warm` (the default) each
    worker keeps its kernel from one run to the next (`WarmKernel`).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    outcomes: dict[int, Outcome] = {}
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(runs))), mp_context=get_context("spawn")) as pool:
        futures = {
            pool.submit(execute_run, run, out_dir, kernel_name=kernel_name, timeout=timeout, warm=warm,
                        info=info): position
            for position, run in enumerate(runs)
        }
        for done, future in enumerate(as_completed(futures), start=1):
            position = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:
                outcome = _crashed(runs[position], exc, started, out_dir, info)
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


__all__ = ["Outcome", "WarmKernel", "describe_failure", "execute_run", "execute_runs", "failure_page",
           "html_without_code", "kernel_for_runs", "notebook_page"]
