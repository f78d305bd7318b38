"""Benchmark: wall time of the full monthly run (every notebook, the 18 regions) with 1 and 2 workers.

Run: .venv/bin/python benchmarks/bench_schedule.py [--workers 1,2] [--regions all]
Not a test: timings depend on the machine. The data is prepared once, before the timings, into a temporary
folder (as the scheduler itself does before starting any worker), so each timing is the notebooks' runs,
their HTML export and the batch's index; outputs go to a temporary folder, removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from am_analytics import paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="worker counts to time, comma-separated")
    parser.add_argument("--regions", default="all")
    args = parser.parse_args()
    env = {**os.environ, "AM_ANALYTICS_KEY": os.environ.get("AM_ANALYTICS_KEY", "benchmark")}
    with tempfile.TemporaryDirectory(prefix="bench_schedule_") as scratch:
        processed = Path(scratch) / "processed"
        from am_analytics.loading import load

        os.environ.update(env)
        load(paths.raw_dir(), processed)
        print(f"{os.cpu_count()} cœurs ; données préparées dans {processed}")
        for workers in (int(w) for w in args.workers.split(",")):
            out = Path(scratch) / f"runs_{workers}"
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "am_analytics.schedule", "--regions", args.regions, "--workers", str(workers),
                 "--processed-dir", str(processed), "--out", str(out)],
                capture_output=True, text=True, env=env,
            )
            elapsed = time.perf_counter() - started
            runs = sum(line.startswith("[") for line in result.stdout.splitlines())
            print(f"{workers} worker(s) : {runs} exécutions en {elapsed:.1f} s "
                  f"({elapsed / max(runs, 1):.1f} s par exécution), code de sortie {result.returncode}")


if __name__ == "__main__":
    main()
