"""Benchmarks against the physical floor: ingest, scaling, indicators, report, scheduled run, DuckDB.

Run: .venv/bin/python benchmarks/bench.py [--quick] [--cases ingest,scaling,indicators,report,audit,schedule,duckdb]

Prints the machine, then one table row per measurement: the median wall time of several runs, the CPU time
of the median run and the peak resident memory. Every run happens in a child process of its own, so the
peak memory (`ru_maxrss` from `os.wait4`) is that run's alone; it includes the interpreter and the imports
(about 150 to 250 MB). Timed sections exclude the interpreter start and imports, except for the report and
the scheduled run, which are timed end to end as a user runs them. `--quick` runs every case at tiny sizes,
once, to check the script itself (CI); its figures mean nothing.

Inputs are generated once into a cache folder (`--cache`, default /tmp/am_analytics_bench): contract
extracts written the way the demo generator writes them (one CSV, UTF-8, `;`, French dates and decimals,
spelling variants and about 1 % of defective rows); the 10 million-row file is the 1 million-row one
repeated ten times under new contract numbers. Not a test: timings depend on the machine and its load.
The « Charge » column is the 1-minute load average when the row was measured (the run itself counts about
1); with the machine shared, wall times stretch while CPU times hardly move: compare those.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2025, 6, 30)
KEY = "benchmark"  # pseudonymisation key of every run: fixed, so outputs are comparable between runs
SEED = 2019
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "am_analytics_bench"
FIXTURE_VERSION = 1  # bump when the way fixtures are written changes
CASES = ("ingest", "scaling", "indicators", "report", "audit", "schedule", "duckdb")

FULL = {
    "ingest": 1_000_000,
    "scaling": (10_000, 100_000, 1_000_000, 10_000_000),
    "indicators": 1_000_000,
    "runs": 3,
    "big_runs": 1,
    "big": 10_000_000,
}
QUICK = {
    "ingest": 10_000,
    "scaling": (2_000, 10_000),
    "indicators": 10_000,
    "runs": 1,
    "big_runs": 1,
    "big": 10_000_000,
}

# The indicators the national report computes, in its order (report/build.py): territories, monthly series
# and the main tables.
INDICATORS = (
    ("monthly_series", {}),
    ("target_progress", {}),
    ("target_projections", {}),
    ("published_cross_check", {}),
    ("by_region", {}),
    ("by_departement", {}),
    ("national_totals", {}),
    ("background_shares_by_region", {}),
    ("background_mix_by_year", {}),
    ("region_background_independence", {}),
    ("specialty_mix", {"period": "annee"}),
    ("zone_mix", {"period": "annee"}),
    ("etp_option_mix", {"period": "annee"}),
    ("expected_aid_by_year", {}),
    ("overdue_by_region", {}),
)


# --- Measuring a child process ------------------------------------------------------------------------


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds
    rss_mb: float  # peak resident set size
    returncode: int
    result: dict = field(default_factory=dict)  # what a child action reported
    stdout: str = ""
    stderr: str = ""


def run_process(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run a command to completion; wall time, CPU time and peak RSS of it and the children it waited for.

    A watchdog kills the process if its resident memory passes `memory_limit_mb()`: a benchmark must never
    push the machine (shared with other work) into the kernel's out-of-memory killer.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd)
        killed, done = threading.Event(), threading.Event()
        handle = os.pidfd_open(process.pid)  # signals through it reach this process only, never a reused pid
        watchdog = threading.Thread(target=_watch_memory, args=(process.pid, handle, killed, done), daemon=True)
        watchdog.start()
        _, status, usage = os.wait4(process.pid, 0)  # reaped here, so its own resource usage is ours to read
        wall = time.perf_counter() - started
        done.set()
        watchdog.join()
        os.close(handle)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if killed.is_set():
        stderr += f"\ntué par le chien de garde : mémoire résidente au-delà de {memory_limit_mb():.0f} Mo"
    return Run(
        wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, stdout=stdout, stderr=stderr
    )


def memory_limit_mb() -> float:
    """Physical memory less 4 GiB for everything else running on the machine."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20 - 4096
    except (ValueError, OSError):
        return float("inf")


def _watch_memory(pid: int, handle: int, killed: threading.Event, done: threading.Event) -> None:
    status = Path(f"/proc/{pid}/status")
    limit_kb = memory_limit_mb() * 1024
    while not done.is_set():
        try:
            text = status.read_text()
        except OSError:
            return  # finished (or no /proc on this system)
        rss = next((int(line.split()[1]) for line in text.splitlines() if line.startswith("VmRSS:")), 0)
        if rss > limit_kb:
            killed.set()
            try:
                signal.pidfd_send_signal(handle, signal.SIGKILL)
            except ProcessLookupError:
                pass
            return
        done.wait(0.25)


def run_action(action: str, **arguments: object) -> Run:
    """Run one timed action of this script in a fresh interpreter (see `child`)."""
    spec = json.dumps({"action": action, **{k: str(v) if isinstance(v, Path) else v for k, v in arguments.items()}})
    run = run_process([sys.executable, str(Path(__file__).resolve()), "--child", spec], env=bench_env())
    if run.returncode != 0:
        raise RuntimeError(f"{action} a échoué (code {run.returncode}) :\n{run.stderr[-3000:]}")
    run.result = json.loads(run.stdout.strip().splitlines()[-1])
    run.wall, run.cpu = run.result.pop("wall"), run.result.pop("cpu")
    return run


def bench_env() -> dict[str, str]:
    return {**os.environ, "AM_ANALYTICS_KEY": KEY, "PYTHONHASHSEED": "0"}


def repeat(times: int, measure) -> list[Run]:
    return [measure() for _ in range(times)]


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time (the lower middle one for an even count), its CPU and the peak RSS of all."""
    ordered = sorted(runs, key=lambda r: r.wall)
    middle = ordered[(len(ordered) - 1) // 2]
    return Run(statistics.median(r.wall for r in runs), middle.cpu, max(r.rss_mb for r in runs), 0, middle.result)


# --- Child actions (run inside `--child`) ---------------------------------------------------------------


def _cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(spec: dict) -> dict:
    action = spec["action"]
    if action == "import_report":
        started, cpu = time.perf_counter(), _cpu()
        import am_analytics.report.build  # noqa: F401

        return {"wall": time.perf_counter() - started, "cpu": _cpu() - cpu}
    if action == "floor":
        import pyarrow.csv as pacsv

        started, cpu = time.perf_counter(), _cpu()
        table = pacsv.read_csv(spec["path"], parse_options=pacsv.ParseOptions(delimiter=";"))
        return {"wall": time.perf_counter() - started, "cpu": _cpu() - cpu, "rows": table.num_rows}
    if action == "prepare":
        from am_analytics.prepare.pipeline import prepare

        out = Path(spec["out"])
        shutil.rmtree(out, ignore_errors=True)
        started, cpu = time.perf_counter(), _cpu()
        prepared = prepare(Path(spec["data"]), out, cutoff=AS_OF, key=KEY.encode())
        wall, used = time.perf_counter() - started, _cpu() - cpu
        account = prepared.accounts[0]
        return {
            "wall": wall,
            "cpu": used,
            "read": account.rows_read,
            "kept": account.rows_kept,
            "quarantined": account.rows_quarantined,
            "merged": account.rows_merged,
        }
    if action == "indicators":
        return _indicators(Path(spec["contracts"]))
    if action == "fixture":
        if "source" in spec:
            _repeat_fixture(Path(spec["source"]), Path(spec["target"]), spec["copies"])
        else:
            _demo_fixture(spec["rows"], Path(spec["target"]))
        return {"wall": 0.0, "cpu": 0.0}
    if action == "duckdb":
        return _duckdb(Path(spec["contracts"]))
    raise ValueError(f"action inconnue : {action}")


def _indicators(path: Path) -> dict:
    import pandas as pd

    from am_analytics import indicators, reference

    contracts = pd.read_parquet(path)
    options = {"as_of": AS_OF.isoformat(), "synthetic": True}
    reference.targets(), reference.published_figures(), reference.funding_rules()  # reference tables cached
    indicators.by_region(contracts.head(10), **options)  # lazily built lookup tables, as a session has them
    timings = {}
    started, cpu = time.perf_counter(), _cpu()
    for name, extra in INDICATORS:
        begun = time.perf_counter()
        getattr(indicators, name)(contracts, **options, **extra)
        timings[name] = time.perf_counter() - begun
    return {"wall": time.perf_counter() - started, "cpu": _cpu() - cpu, "timings": timings, "rows": len(contracts)}


TERRITORY_SQL = """
SELECT {code} AS code,
       count(*) FILTER (WHERE date_signature < $now) AS signes,
       count(*) FILTER (WHERE date_signature < $now AND NOT coalesce(date_fin < $now, false)) AS actifs,
       coalesce(sum(etp) FILTER (WHERE date_signature < $now AND NOT coalesce(date_fin < $now, false)), 0)
           AS etp_actifs
FROM read_parquet($path)
GROUP BY {code}
"""


def territory_counts_duckdb(path: Path, as_of: date) -> dict[str, object]:
    """Contracts signed, active and active FTE by département and by region as of a date, in DuckDB SQL over
    the processed Parquet file (the definitions of `indicators.by_departement`: signed on or before the
    date, active when not ended on or before it)."""
    import duckdb

    connection = duckdb.connect()
    parameters = {"now": (as_of + timedelta(days=1)).isoformat(), "path": str(path)}  # just after the as-of day
    return {
        level: connection.execute(
            TERRITORY_SQL.format(code=level).replace("$now", "CAST($now AS TIMESTAMP)"), parameters
        ).df()
        for level in ("departement", "region")
    }


def _duckdb(path: Path) -> dict:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return {"wall": 0.0, "cpu": 0.0, "missing": True}
    import numpy as np
    import pandas as pd

    from am_analytics import indicators

    started_pandas = time.perf_counter()
    contracts = pd.read_parquet(path)
    options = {"as_of": AS_OF.isoformat(), "synthetic": True}
    expected = {
        "departement": indicators.by_departement(contracts, **options),
        "region": indicators.by_region(contracts, **options),
    }
    pandas_wall = time.perf_counter() - started_pandas
    started, cpu = time.perf_counter(), _cpu()
    found = territory_counts_duckdb(path, AS_OF)
    wall, used = time.perf_counter() - started, _cpu() - cpu
    equal = True
    for level, frame in expected.items():
        got = found[level].set_index("code").reindex(frame["code"]).fillna(0)
        for column in ("signes", "actifs"):
            equal &= bool((got[column].to_numpy(dtype=np.int64) == frame[column].to_numpy(dtype=np.int64)).all())
        equal &= bool(
            np.allclose(got["etp_actifs"].to_numpy(dtype=float), frame["etp_actifs"].to_numpy(dtype=float), atol=1e-6)
        )
    return {
        "wall": wall,
        "cpu": used,
        "pandas_wall": pandas_wall,
        "equal": equal,
        "version": __import__("duckdb").__version__,
    }


# --- Fixtures -------------------------------------------------------------------------------------------


def contracts_fixture(rows: int, cache: Path) -> Path:
    """A raw folder holding one contracts CSV of exactly `rows` data rows (built once, then reused)."""
    folder = cache / f"raw_{rows}_v{FIXTURE_VERSION}"
    target = folder / "contrats.csv"
    if target.is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    # Written by a child process: this one stays small, since a child's peak memory counts its parent's at fork.
    if rows > 1_000_000 and rows % 1_000_000 == 0:
        source = contracts_fixture(1_000_000, cache) / "contrats.csv"
        run_action("fixture", rows=rows, target=target, source=source, copies=rows // 1_000_000)
    else:
        run_action("fixture", rows=rows, target=target)
    elapsed = time.perf_counter() - started
    print(f"  (entrée de {fmt_rows(rows)} lignes écrite en {elapsed:.0f} s : {target})", flush=True)
    return folder


def _demo_fixture(rows: int, target: Path) -> None:
    """Rows drawn as the demo generator draws them, all rendered in the 2023 extract's conventions."""
    import numpy as np

    from am_analytics.demo import contracts as demo
    from am_analytics.demo.truth import build_truth

    plan = demo.extract_plan()
    extract = next(e for e in plan if e.name == "contrats_2023.csv")
    truth = build_truth(rows, SEED)
    everything = demo.assemble_rows(truth, plan, SEED)  # truth + exact and conflicting copies + broken rows
    keep = np.sort(np.random.default_rng(SEED).choice(len(everything), size=rows, replace=False))
    chosen = demo.order_in_file(everything.iloc[keep].reset_index(drop=True))
    rendered = demo.render_file(chosen, extract, SEED)
    temporary = target.with_suffix(".tmp")
    demo.write_csv(temporary, rendered, extract, lambda _n: None)
    temporary.replace(target)


def _repeat_fixture(source: Path, target: Path, copies: int) -> None:
    """`copies` times the source's rows, copy k under contract numbers `A<k>…` instead of `AM…` (unique again)."""
    data = source.read_bytes()
    header_end = data.index(b"\n") + 1
    header, body = data[:header_end], b"\n" + data[header_end:]
    assert body.count(b"\nAM") == body.count(b"\n") - 1, "every data row must start with its contract number"
    temporary = target.with_suffix(".tmp")
    with open(temporary, "wb") as stream:
        stream.write(header)
        for k in range(copies):  # the body ends with its last row's newline
            stream.write((body if k == 0 else body.replace(b"\nAM", b"\nA%d" % k))[1:])
    temporary.replace(target)


def processed_contracts(rows: int, cache: Path) -> Path:
    """The processed contracts table of the `rows` fixture (prepared once if no ingest run left it)."""
    out = cache / f"processed_{rows}"
    path = out / "contracts.parquet"
    if not path.is_file():
        run_action("prepare", data=contracts_fixture(rows, cache), out=out)
    return path


# --- Cases ----------------------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    size: str
    runs: int
    wall: float | None
    cpu: float | None
    rss_mb: float | None
    note: str = ""
    load: float | None = None  # 1-minute load average when the row was measured


def load_now() -> float | None:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def fmt_rows(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def ingest_case(sizes: dict, cache: Path, rows_out: list[Row], memo: dict) -> None:
    rows = sizes["ingest"]
    folder = contracts_fixture(rows, cache)
    floor = median_run(repeat(sizes["runs"], lambda: run_action("floor", path=folder / "contrats.csv")))
    ours = measure_prepare(rows, sizes["runs"], cache, memo)
    mb = (folder / "contrats.csv").stat().st_size / 1e6
    rows_out.append(
        Row(
            "ingest : plancher pyarrow.csv.read_csv",
            f"{fmt_rows(rows)} lignes",
            sizes["runs"],
            floor.wall,
            floor.cpu,
            floor.rss_mb,
            f"{mb:.0f} Mo de CSV",
        )
    )
    account = ours.result
    rows_out.append(
        Row(
            "ingest : prepare (lire, normaliser, valider, Parquet)",
            f"{fmt_rows(rows)} lignes",
            sizes["runs"],
            ours.wall,
            ours.cpu,
            ours.rss_mb,
            f"{ours.wall / floor.wall:.1f}× le plancher ; {fmt_rows(account['kept'])} gardées, "
            f"{fmt_rows(account['quarantined'])} en quarantaine, {fmt_rows(account['merged'])} fusionnées",
        )
    )


def measure_prepare(rows: int, runs: int, cache: Path, memo: dict) -> Run:
    if rows not in memo:
        folder = contracts_fixture(rows, cache)
        out = cache / f"processed_{rows}"
        memo[rows] = (median_run(repeat(runs, lambda: run_action("prepare", data=folder, out=out))), runs)
    return memo[rows][0]


def scaling_case(sizes: dict, cache: Path, rows_out: list[Row], memo: dict) -> None:
    base = None
    for rows in sizes["scaling"]:
        runs = sizes["big_runs"] if rows >= sizes["big"] else sizes["runs"]
        try:
            result = measure_prepare(rows, runs, cache, memo)
        except RuntimeError as failure:  # the largest size may not fit: say so and go on with the other cases
            rows_out.append(
                Row(
                    "scaling : prepare",
                    f"{fmt_rows(rows)} lignes",
                    runs,
                    None,
                    None,
                    None,
                    f"échec : {str(failure).splitlines()[-1][:150]}",
                )
            )
            continue
        runs = memo[rows][1]
        per_million = result.wall / rows * 1e6
        base = base or per_million
        rows_out.append(
            Row(
                "scaling : prepare",
                f"{fmt_rows(rows)} lignes",
                runs,
                result.wall,
                result.cpu,
                result.rss_mb,
                f"{per_million:.1f} s par million de lignes",
            )
        )
        if rows >= sizes["big"]:
            shutil.rmtree(cache / f"processed_{rows}", ignore_errors=True)  # 10 M processed rows: not kept


def indicators_case(sizes: dict, cache: Path, rows_out: list[Row], details: list[str]) -> None:
    rows = sizes["indicators"]
    path = processed_contracts(rows, cache)
    result = median_run(repeat(sizes["runs"], lambda: run_action("indicators", contracts=path)))
    rows_out.append(
        Row(
            "indicators : les 15 du rapport national",
            f"{fmt_rows(result.result['rows'])} contrats",
            sizes["runs"],
            result.wall,
            result.cpu,
            result.rss_mb,
            "18 régions, 101 départements ; lecture du Parquet non comptée",
        )
    )
    slowest = sorted(result.result["timings"].items(), key=lambda item: -item[1])
    details.append(
        "indicators (exécution médiane), du plus lent au plus rapide : "
        + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in slowest)
    )


def report_case(sizes: dict, rows_out: list[Row], quick: bool) -> None:
    imports = median_run(repeat(sizes["runs"], lambda: run_action("import_report")))
    rows_out.append(
        Row(
            "report : import am_analytics.report.build",
            "",
            sizes["runs"],
            imports.wall,
            imports.cpu,
            imports.rss_mb,
            "une fois par processus",
        )
    )
    with tempfile.TemporaryDirectory(prefix="am_bench_report_") as scratch:
        scratch = Path(scratch)
        raw = scratch / "raw"
        shutil.copytree(ROOT / "data" / "raw", raw)  # a copy: its processed tables go to the scratch cache
        env = {**bench_env(), "XDG_CACHE_HOME": str(scratch / "cache")}
        command = [
            sys.executable,
            "-m",
            "am_analytics.report",
            "--data-dir",
            str(raw),
            "--output",
            str(scratch / "rapport.pdf"),
        ]

        def once() -> Run:
            run = run_process(command, env=env, cwd=scratch)
            if run.returncode != 0:
                raise RuntimeError(f"le rapport a échoué (code {run.returncode}) :\n{run.stderr[-3000:]}")
            return run

        first = once()  # prepares the raw folder's tables, as a first `make report` does
        rows_out.append(
            Row(
                "report : première exécution (avec préparation)",
                "données livrées",
                1,
                first.wall,
                first.cpu,
                first.rss_mb,
                "PDF + classeur",
            )
        )
        if not quick:
            again = median_run(repeat(sizes["runs"], once))
            rows_out.append(
                Row(
                    "report : de bout en bout",
                    "données livrées",
                    sizes["runs"],
                    again.wall,
                    again.cpu,
                    again.rss_mb,
                    "tables préparées à jour ; PDF + classeur",
                )
            )


ALL_REGIONS = tuple("01 02 03 04 06 11 24 27 28 32 44 52 53 75 76 84 93 94".split())


def audit_case(sizes: dict, rows_out: list[Row], quick: bool) -> None:
    """The disclosure audit and its protection on the shipped data: a regional report's publication (France and
    Mayotte) and, unless quick, the site's (France and every region), each in a fresh interpreter
    (`bench_audit.py`)."""
    script = str(ROOT / "benchmarks" / "bench_audit.py")
    publications = [("France et Mayotte (un rapport régional)", ("06",))]
    if not quick:
        publications.append(("France et 18 régions (le site)", ALL_REGIONS))
    for label, regions in publications:
        command = [sys.executable, script, "--protect", "--regions", *regions]
        runs = repeat(sizes["runs"], lambda command=command: run_process(command, env=bench_env()))
        if any(each.returncode != 0 for each in runs):
            raise RuntimeError(f"l'audit a échoué :\n{runs[-1].stderr[-3000:]}")
        run, printed = median_run(runs), runs[-1].stdout.strip().splitlines()
        summary = printed[-1].removeprefix("protection : ") if printed else ""
        rows_out.append(
            Row(f"audit : {label}", "données livrées", sizes["runs"], run.wall, run.cpu, run.rss_mb, summary[:90])
        )


def schedule_case(sizes: dict, rows_out: list[Row], quick: bool) -> None:
    if not (ROOT / "am_analytics" / "schedule" / "__main__.py").is_file():
        rows_out.append(
            Row(
                "schedule : le site, toutes les régions",
                "",
                0,
                None,
                None,
                None,
                "non disponible (am_analytics.schedule absent)",
            )
        )
        return
    if quick:
        rows_out.append(
            Row("schedule : le site, toutes les régions", "", 0, None, None, None, "ignoré en mode --quick")
        )
        return
    with tempfile.TemporaryDirectory(prefix="am_bench_schedule_") as scratch:
        scratch = Path(scratch)
        env = bench_env()
        processed = scratch / "processed"
        prepared = run_process(
            [
                sys.executable,
                "-c",
                "import sys; from am_analytics.loading import load; load(None, sys.argv[1])",
                str(processed),
            ],
            env=env,
        )
        if prepared.returncode != 0:
            raise RuntimeError(f"préparation pour le scheduler en échec :\n{prepared.stderr[-3000:]}")
        # The full monthly run: the site alone (national pages, 18 regions, 8 backgrounds), the default run (the site
        # and the regional dashboard 02 once per region, on warm kernels), then the site with every notebook (02 and
        # 03 once per region). CPU counts every process of the run (the workers and their kernels), not only the
        # scheduler's.
        for label, extra in (("le site seul (--notebooks none)", ["--notebooks", "none"]),
                             ("le run par défaut (le site et le notebook 02 par région)", []),
                             ("le site et tous les notebooks", ["--notebooks", "all"])):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            run = run_process(
                [sys.executable, "-m", "am_analytics.schedule", "--regions", "all", "--workers", "2",
                 "--processed-dir", str(processed), "--out", str(scratch / f"runs_{len(extra)}_{len(label)}"), *extra],
                env=env,
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            pages = sum(line.lstrip().startswith("page ") for line in run.stdout.splitlines())
            executions = sum(line.startswith("[") for line in run.stdout.splitlines())
            rows_out.append(
                Row(
                    f"schedule : {label}, 2 workers",
                    "données livrées",
                    1,
                    run.wall,
                    cpu,
                    run.rss_mb,
                    f"{pages} pages, {executions} exécutions de notebooks, code de sortie {run.returncode} ; "
                    "CPU de tous les processus",
                )
            )


def duckdb_case(sizes: dict, cache: Path, rows_out: list[Row]) -> None:
    rows = sizes["indicators"]
    label = "duckdb : contrats par région et département à une date"
    if importlib.util.find_spec("duckdb") is None:
        rows_out.append(Row(label, f"{fmt_rows(rows)} contrats", 0, None, None, None, "duckdb non installé"))
        return
    path = processed_contracts(rows, cache)
    result = median_run(repeat(sizes["runs"], lambda: run_action("duckdb", contracts=path)))
    info = result.result
    rows_out.append(
        Row(
            label,
            f"{fmt_rows(rows)} contrats",
            sizes["runs"],
            result.wall,
            result.cpu,
            result.rss_mb,
            f"DuckDB {info['version']} SQL sur le Parquet ; pandas (lecture + by_departement + by_region) "
            f"{info['pandas_wall']:.2f} s ; résultats {'identiques' if info['equal'] else 'DIFFÉRENTS'}",
        )
    )
    if not info["equal"]:
        raise RuntimeError("DuckDB et pandas ne donnent pas les mêmes comptes par territoire")


# --- Output ---------------------------------------------------------------------------------------------


def machine() -> list[str]:
    from importlib.metadata import version  # not the packages themselves: this process stays small (see above)

    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        ram = float("nan")
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return [
        f"Machine : {cpu}, {os.cpu_count()} cœurs, {ram:.1f} Gio de RAM, {platform.system()} {platform.release()}",
        f"Python {platform.python_version()}, pandas {version('pandas')}, pyarrow {version('pyarrow')}, "
        f"numpy {version('numpy')}, pandera {version('pandera')}",
        f"Charge moyenne au départ (1, 5, 15 min) : {load}",
    ]


HEADER = ("Cas", "Taille", "Exécutions", "Médiane (s)", "CPU (s)", "RSS max (Mo)", "Charge", "Remarque")


def table(rows: list[Row]) -> str:
    def number(value: float | None, digits: int) -> str:
        return "—" if value is None else f"{value:.{digits}f}"

    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] * 2 + ["---:"] * 5 + ["---"]) + "|"]
    for row in rows:
        cells = (
            row.case,
            row.size,
            str(row.runs),
            number(row.wall, 2),
            number(row.cpu, 2),
            number(row.rss_mb, 0),
            number(row.load, 1),
            row.note,
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run: checks the script itself")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated among {', '.join(CASES)}")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="folder of generated inputs (reused)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = sorted(set(cases) - set(CASES))
    if unknown:
        parser.error(f"cas inconnus : {', '.join(unknown)} (choisir parmi {', '.join(CASES)})")
    sizes = QUICK if args.quick else FULL
    cache = args.cache / ("quick" if args.quick else "full")
    cache.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print("\n".join(machine()))
    print(f"Commande : {' '.join([Path(sys.executable).name, *sys.argv])}", flush=True)
    rows: list[Row] = []
    details: list[str] = []
    memo: dict = {}
    for case in cases:
        print(f"… {case}", flush=True)
        before = len(rows)
        if case == "ingest":
            ingest_case(sizes, cache, rows, memo)
        elif case == "scaling":
            scaling_case(sizes, cache, rows, memo)
        elif case == "indicators":
            indicators_case(sizes, cache, rows, details)
        elif case == "report":
            report_case(sizes, rows, args.quick)
        elif case == "audit":
            audit_case(sizes, rows, args.quick)
        elif case == "schedule":
            schedule_case(sizes, rows, args.quick)
        elif case == "duckdb":
            duckdb_case(sizes, cache, rows)
        for row in rows[before:]:
            row.load = row.load if row.load is not None else load_now()
    print()
    print(table(rows))
    for line in details:
        print(f"\n{line}")
    print(f"\nDurée totale : {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
