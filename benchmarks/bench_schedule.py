"""Benchmark: wall and CPU time of the full monthly run — the site (national pages, 18 regions, 8 backgrounds) alone,
and with every notebook on warm kernels — and, with `--before REF`, of the scheduled run as it was at a git commit.

Run: .venv/bin/python benchmarks/bench_schedule.py [--workers 2] [--regions all] [--before main]
Not a test: timings depend on the machine and its load (printed). The data is prepared once, before the timings,
into a temporary folder (as the scheduler itself does before starting any worker); outputs go to a temporary
folder, removed afterwards. CPU time counts every process of a run (scheduler, workers, kernels).
`--before REF` extracts the package at REF (`git archive`) into the temporary folder and runs its scheduler there,
with this environment, to compare before and after on the same machine at the same moment.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from am_analytics import paths

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, float, str, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.stdout, result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="2", help="worker counts to time, comma-separated")
    parser.add_argument("--regions", default="all")
    parser.add_argument("--before", default=None, help="a git commit or branch whose scheduled run to time too")
    args = parser.parse_args()
    env = {**os.environ, "AM_ANALYTICS_KEY": os.environ.get("AM_ANALYTICS_KEY", "benchmark")}
    with tempfile.TemporaryDirectory(prefix="bench_schedule_") as scratch:
        scratch = Path(scratch)
        processed = scratch / "processed"
        from am_analytics.loading import load

        os.environ.update(env)
        load(paths.raw_dir(), processed)
        load_average = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{os.cpu_count()} cœurs ; charge moyenne (1, 5, 15 min) : {load_average} ; données préparées")
        common = ["--regions", args.regions, "--processed-dir", str(processed)]
        for workers in (int(w) for w in args.workers.split(",")):
            if args.before:
                old = scratch / "before"
                old.mkdir(exist_ok=True)
                archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before], capture_output=True,
                                         check=True).stdout
                subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
                old_env = {**env, "PYTHONPATH": str(old)}
                wall, cpu, out, code = timed([sys.executable, "-m", "am_analytics.schedule", *common, "--workers",
                                              str(workers), "--data-dir", str(paths.raw_dir()),
                                              "--out", str(scratch / f"before_{workers}")], old_env, cwd=old)
                runs = sum(line.startswith("[") for line in out.splitlines())
                print(f"avant ({args.before}), {workers} worker(s) : {runs} exécutions de notebooks en {wall:.1f} s "
                      f"(CPU {cpu:.1f} s), code de sortie {code}")
            for label, extra in (("le site seul", ["--notebooks", "none"]),
                                 ("le run par défaut (le site et le notebook 02 par région)", []),
                                 ("le site et tous les notebooks", ["--notebooks", "all"])):
                wall, cpu, out, code = timed([sys.executable, "-m", "am_analytics.schedule", *common, "--workers",
                                              str(workers), "--out", str(scratch / f"runs_{workers}_{len(label)}"),
                                              *extra], env)
                pages = sum(line.lstrip().startswith("page ") for line in out.splitlines())
                runs = sum(line.startswith("[") for line in out.splitlines())
                print(f"{label}, {workers} worker(s) : {pages} pages et {runs} exécutions de notebooks en "
                      f"{wall:.1f} s (CPU {cpu:.1f} s), code de sortie {code}")


if __name__ == "__main__":
    main()
