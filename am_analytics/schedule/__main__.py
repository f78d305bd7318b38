"""Command line of the scheduled runs: `python -m am_analytics.schedule [options]`.

Checks every option first (exit 2 before anything runs), prepares the data once in this process (exit 3 on
invalid data), then runs each notebook with papermill — regional notebooks once per region, national ones
once — in parallel, and writes `<out>/<as_of>/` with the executed notebooks, their HTML without code,
`index.html` and `summary.json`. Exit codes: 0 every run succeeded; 1 at least one run failed (each failure
is named with its cell; the other runs still complete); 2 bad usage; 3 invalid input data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from am_analytics import atomic, paths
from am_analytics.cli import FrenchArgumentParser, iso_date, run
from am_analytics.errors import UsageError
from am_analytics.vocabulary import SYNTHETIC_MENTION

DEFAULT_TIMEOUT = 600.0  # seconds per cell: a dashboard cell takes about a second; ten minutes means stuck


def build_parser() -> FrenchArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m am_analytics.schedule",
        description="Exécute les notebooks de tableaux de bord avec papermill (un tableau de bord régional par "
        "région, les notebooks nationaux une fois) et publie les notebooks exécutés et leur HTML.",
    )
    parser.add_argument("--regions", default="all",
                        help="« all » (défaut : les 18 régions) ou des codes ou noms, séparés par des virgules : 84,93")
    parser.add_argument("--notebooks", default=None,
                        help="notebooks par nom ou numéro, séparés par des virgules : 01,02 (défaut : tous)")
    parser.add_argument("--as-of", type=iso_date, default=None,
                        help="date d'arrêté AAAA-MM-JJ (défaut : dernière date des données)")
    parser.add_argument("--data-dir", type=Path, default=None, help="dossier des données brutes (défaut : data/raw)")
    parser.add_argument("--processed-dir", type=Path, default=None,
                        help="dossier des données préparées (défaut : data/processed pour data/raw, sinon un cache)")
    parser.add_argument("--out", type=Path, default=None, help="dossier des exécutions (défaut : runs/ du projet)")
    parser.add_argument("--notebooks-dir", type=Path, default=None,
                        help="dossier des notebooks (défaut : notebooks/ du projet)")
    parser.add_argument("--workers", type=int, default=None,
                        help="exécutions en parallèle (défaut : une par cœur)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"durée maximale d'une cellule, en secondes (défaut : {DEFAULT_TIMEOUT:.0f})")
    return parser


def resolve_regions(text: str) -> list[str]:
    """`all` → the 18 region codes; else each code or name → its code, in the order given, without repeats."""
    from am_analytics import reference
    from am_analytics.parameters import resolve_region

    if text.strip().lower() in {"all", "toutes", "tout"}:
        return list(reference.regions()["region_code"].astype(str))
    codes: list[str] = []
    for part in text.split(","):
        if not part.strip():
            continue
        try:
            code = resolve_region(part)
        except UsageError as exc:
            raise UsageError(f"--regions : {exc}") from None
        if code not in codes:
            codes.append(code)
    if not codes:
        raise UsageError("--regions : aucune région indiquée (écrire « all » ou des codes, ex. 84,93)")
    return codes


def _progress(done: int, total: int, outcome) -> None:
    from am_analytics.figures.formatting import format_number
    from am_analytics.schedule.execute import describe_failure

    status = "ok" if outcome.ok else describe_failure(outcome)
    print(f"[{done}/{total}] {outcome.notebook} — {outcome.territory} : {status} "
          f"({format_number(outcome.duration_s, 1)} s)", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from am_analytics.schedule.plan import discover_notebooks, plan_runs, select_notebooks

    # 1. Every option checked before anything runs (exit 2).
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers : au moins 1")
    if args.timeout <= 0:
        raise UsageError("--timeout : une durée positive en secondes")
    regions = resolve_regions(args.regions)
    notebooks_dir = (args.notebooks_dir or paths.project_root() / "notebooks").resolve()
    wanted = args.notebooks.split(",") if args.notebooks is not None else None
    specs = select_notebooks(discover_notebooks(notebooks_dir), wanted)
    # 2. The scope resolved (folders, data prepared once here before any worker, counting date): the runs
    # then only read the processed tables.
    from am_analytics.presentation.scope import Scope

    scope = Scope.open(data_dir=args.data_dir, processed_dir=args.processed_dir, as_of=args.as_of,
                       names={"as_of": "--as-of", "data_dir": "--data-dir"})
    data_dir, processed_dir = scope.raw_dir.resolve(), scope.processed_dir.resolve()
    as_of = scope.day.isoformat()
    data = scope.data

    # 3. The runs, in parallel; one failure never stops the others.
    common = {"data_dir": str(data_dir), "processed_dir": str(processed_dir), "as_of": as_of}
    runs = plan_runs(specs, regions, common)
    out_dir = (args.out or paths.project_root() / "runs").resolve() / as_of
    workers = args.workers or os.cpu_count() or 1
    print(f"{len(runs)} exécutions ({min(workers, len(runs))} en parallèle), données au {as_of} → {out_dir}",
          flush=True)
    from am_analytics.schedule.execute import describe_failure, execute_runs, kernel_for_runs
    from am_analytics.schedule.publish import index_html, summary

    started = datetime.now().astimezone()
    with tempfile.TemporaryDirectory(prefix="am_schedule_kernel_") as scratch:
        kernel = kernel_for_runs(Path(scratch))
        outcomes = execute_runs(runs, out_dir, workers=workers, kernel_name=kernel, timeout=args.timeout,
                                on_done=_progress)

    # 4. The batch's index and summary.
    meta = {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now().astimezone().isoformat(timespec="seconds"),
        "data_dir": str(data_dir),
        "processed_dir": str(processed_dir),
        "synthetic": data.synthetic,
        "regions": regions,
        "notebooks": [spec.name for spec in specs],
        "workers": workers,
        "timeout_s": args.timeout,
        "kernel": kernel,
    }
    atomic.write_json(out_dir / "summary.json", summary(outcomes, as_of=as_of, meta=meta))
    generated = started.strftime("%d/%m/%Y à %H:%M")
    atomic.write_text(out_dir / "index.html", index_html(outcomes, as_of=as_of, synthetic=data.synthetic,
                                                          generated=generated))
    failures = [o for o in outcomes if not o.ok]
    print(f"Index : {out_dir / 'index.html'}")
    if data.synthetic:
        print(f"{SYNTHETIC_MENTION} : ne pas diffuser comme des chiffres réels.")
    if failures:
        print(f"{len(failures)} exécution(s) en échec sur {len(outcomes)} :", file=sys.stderr)
        for outcome in failures:
            print(f"  {outcome.notebook} — {outcome.territory} : {describe_failure(outcome)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
