"""Command line of the scheduled runs: `python -m am_analytics.schedule [options]`.

Checks every option first (exit 2 before anything runs), opens the data once in this process (prepared first when
missing or stale; exit 3 on invalid data) and computes the national results once, then builds the site — national
pages, one page per region and per background — in a pool of worker processes that receive that context once; the
same workers also run the notebooks of `--notebooks` with papermill on warm kernels (regional notebooks once per
region, national ones once; by default the regional dashboard, once per region, `--notebooks none` for the site
alone). Writes `<out>/<as_of>/`: `index.html`, the pages, their figures and CSV files, the
executed notebooks and their pages under `notebooks/`, and `summary.json`. Exit codes: 0 every page and run
succeeded; 1 at least one failed (each failure is named with its step or cell; the others still complete); 2 bad
usage; 3 invalid input data.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from am_analytics import atomic, paths
from am_analytics.cli import FrenchArgumentParser, iso_date, run
from am_analytics.errors import UsageError
from am_analytics.vocabulary import SYNTHETIC_MENTION

DEFAULT_TIMEOUT = 600.0  # seconds per cell: a dashboard cell takes about a second; ten minutes means stuck
NO_NOTEBOOKS = {"none", "aucun", "aucune", ""}
# What a scheduled run executes unless told otherwise: the regional dashboard, once per region, as the package's users
# schedule it with papermill (`--notebooks none`: the site alone).
DEFAULT_NOTEBOOKS = "02_tableau_de_bord_regional"
ALL_NOTEBOOKS = {"all", "tous"}


def build_parser() -> FrenchArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m am_analytics.schedule",
        description="Publie le site des tableaux de bord (pages nationales, une page par région et par profil "
        "d'origine) et exécute les notebooks avec papermill (un tableau de bord régional par région, les notebooks "
        "nationaux une fois).",
    )
    parser.add_argument("--regions", default="all",
                        help="« all » (défaut : les 18 régions) ou des codes ou noms, séparés par des virgules : 84,93")
    parser.add_argument("--notebooks", default=DEFAULT_NOTEBOOKS,
                        help="notebooks à exécuter aussi avec papermill, par nom ou numéro, séparés par des "
                        "virgules : 01,02, « all » pour tous, « none » pour le site seul (défaut : le tableau de bord "
                        "régional 02, une exécution par région)")
    parser.add_argument("--as-of", type=iso_date, default=None,
                        help="date d'arrêté AAAA-MM-JJ (défaut : dernière fin de mois à la date d'extraction, sinon "
                        "dernière date des données)")
    parser.add_argument("--data-dir", type=Path, default=None, help="dossier des données brutes (défaut : data/raw)")
    parser.add_argument("--processed-dir", type=Path, default=None,
                        help="dossier des données préparées (défaut : data/processed pour data/raw, sinon un cache)")
    parser.add_argument("--out", type=Path, default=None, help="dossier des exécutions (défaut : runs/ du projet)")
    parser.add_argument("--notebooks-dir", type=Path, default=None,
                        help="dossier des notebooks (défaut : notebooks/ du projet)")
    parser.add_argument("--workers", type=int, default=None,
                        help="processus en parallèle (défaut : un par cœur)")
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


def chosen_notebooks(text: str, folder: Path | None = None) -> list:
    """The notebooks `--notebooks` names (`none`: none; `all`: every one; else names or numbers) in `folder` (default:
    the project's notebooks/); the default, `DEFAULT_NOTEBOOKS`, is the regional dashboard."""
    from am_analytics.schedule.plan import discover_notebooks, select_notebooks

    choice = text.strip().lower()
    if choice in NO_NOTEBOOKS:
        return []
    notebooks_dir = (folder or paths.project_root() / "notebooks").resolve()
    return select_notebooks(discover_notebooks(notebooks_dir), None if choice in ALL_NOTEBOOKS else text.split(","))


def covered_regions(regions: list[str], coverage, *, every: bool) -> list[str]:
    """The regions a run publishes, within what the extracts cover (`am_analytics.coverage`): `all` is every covered
    region; a region asked for outside the extracts is a usage error (it has no contract in them)."""
    from am_analytics.presentation.scope import region_within

    if every:
        return [code for code in regions if coverage.covers_region(code)]
    for code in regions:
        try:
            region_within(code, coverage)
        except UsageError as error:
            raise UsageError(f"--regions : {error}") from None
    return regions


def covered_notebooks(specs: list, coverage) -> list:
    """The notebooks a run executes: those that present France as a whole are left out (with a line saying so)
    when the extracts do not cover France."""
    if coverage.is_france:
        return specs
    for spec in specs:
        if spec.presents_france:
            print(f"notebook {spec.name} non exécuté : il présente la France entière, et les extractions ne couvrent "
                  f"que {coverage.label}", flush=True)
    return [spec for spec in specs if not spec.presents_france]


def _seconds(value: float) -> str:
    from am_analytics.figures.formatting import format_number

    return f"{format_number(value, 1)} s"


def _run_progress(done: int, total: int, outcome) -> None:
    from am_analytics.schedule.execute import describe_failure

    status = "ok" if outcome.ok else describe_failure(outcome)
    print(f"[{done}/{total}] {outcome.notebook} — {outcome.territory} : {status} ({_seconds(outcome.duration_s)})",
          flush=True)


def _page_progress(done: int, total: int, outcome) -> None:
    from am_analytics.site.build import describe

    status = "ok" if outcome.ok else describe(outcome)
    print(f"  page {done}/{total} {outcome.label} : {status} ({_seconds(outcome.duration_s)})", flush=True)


def _collect_runs(runs, futures, started: float, out_dir: Path, info) -> list:
    """The notebooks' outcomes in the runs' order, a progress line each; a worker that died is a failed run."""
    from concurrent.futures import as_completed

    from am_analytics.schedule.execute import _crashed

    outcomes = {}
    for done, future in enumerate(as_completed(futures), start=1):
        position = futures[future]
        try:
            outcomes[position] = future.result()
        except Exception as exc:
            outcomes[position] = _crashed(runs[position], exc, started, out_dir, info)
        _run_progress(done, len(runs), outcomes[position])
    return [outcomes[position] for position in range(len(runs))]


def _notebook_runs(outcomes) -> list:
    from am_analytics.schedule.execute import describe_failure, notebook_title
    from am_analytics.site.model import NotebookRun

    return [NotebookRun(title=notebook_title(o.notebook), territory=o.territory, region=o.region, ok=o.ok,
                        html=o.html, ipynb=o.ipynb, error="" if o.ok else describe_failure(o),
                        duration=_seconds(o.duration_s).removesuffix(" s")) for o in outcomes]


def _open_data_runs(runs: list, out_dir: Path, info, args) -> list:
    """The open-data path's notebook runs, in a pool of their own (no site page is built in workers there)."""
    from am_analytics.schedule.execute import execute_runs, kernel_for_runs

    print(f"{len(runs)} exécutions de notebooks sur les données ouvertes seules", flush=True)
    with tempfile.TemporaryDirectory(prefix="am_schedule_kernel_") as scratch:
        outcomes = execute_runs(runs, out_dir, workers=args.workers or os.cpu_count() or 1,
                                kernel_name=kernel_for_runs(Path(scratch)), timeout=args.timeout,
                                on_done=_run_progress, info=info)
    return _notebook_runs(outcomes)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from am_analytics.schedule.plan import plan_runs

    # 1. Every option checked before anything runs (exit 2).
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers : au moins 1")
    if args.timeout <= 0:
        raise UsageError("--timeout : une durée positive en secondes")
    regions = resolve_regions(args.regions)
    specs = chosen_notebooks(args.notebooks, args.notebooks_dir)
    # 2. The scope resolved once (folders, data prepared here before any worker, counting date): the notebooks
    # then only read the processed tables, and the site's pages are built from this process's data.
    from am_analytics.presentation.opendata import open_data_alone
    from am_analytics.presentation.results import NationalResults
    from am_analytics.presentation.scope import Scope
    from am_analytics.run_snapshots import write_snapshot

    alone = open_data_alone(args.data_dir, processed_dir=args.processed_dir)  # the open data and no contract
    if alone is not None:
        from am_analytics.presentation.scope import resolve_folders
        from am_analytics.site.opendata import publish

        raw, processed = (str(folder.resolve()) for folder in resolve_folders(args.data_dir, args.processed_dir))
        return publish(alone[0], regions, args.out, specs, args.as_of,
                       folders={"data_dir": raw, "processed_dir": processed},
                       run_notebooks=lambda runs, out_dir, info: _open_data_runs(runs, out_dir, info, args))
    scope = Scope.open(data_dir=args.data_dir, processed_dir=args.processed_dir, as_of=args.as_of,
                       names={"as_of": "--as-of", "data_dir": "--data-dir"})
    regions = covered_regions(regions, scope.coverage, every=args.regions.strip().lower() == "all")
    specs = covered_notebooks(specs, scope.coverage)
    data_dir, processed_dir = scope.raw_dir.resolve(), scope.processed_dir.resolve()
    as_of = scope.as_of.date().isoformat()
    out_dir = (args.out or paths.project_root() / "runs").resolve() / as_of
    workers = args.workers or os.cpu_count() or 1
    started = datetime.now().astimezone()
    generated = started.strftime("%d/%m/%Y à %H:%M")
    from am_analytics.site.build import plan_pages, site_info

    info = site_info(scope, plan_pages(regions, covers_france=scope.covers_france), generated)

    # 3. The notebooks and the site's pages, in one pool of worker processes that each hold the run's context
    # (data, national results: computed once here) and keep one warm kernel; one failure never stops the others.
    from am_analytics.presentation.shared_run import shared
    from am_analytics.schedule.execute import execute_run, kernel_for_runs
    from am_analytics.site.build import SiteBuilder

    common = {"data_dir": str(data_dir), "processed_dir": str(processed_dir), "as_of": as_of}
    runs = plan_runs(specs, regions, common)
    builder = SiteBuilder(scope, out_dir, regions=regions, national=NationalResults.of(scope), info=info)
    print(f"{len(builder.pages)} pages et {len(runs)} exécutions de notebooks, {workers} processus en parallèle, "
          f"données au {as_of} → {out_dir}", flush=True)
    outcomes: list = []
    with tempfile.TemporaryDirectory(prefix="am_schedule_kernel_") as scratch:
        kernel = kernel_for_runs(Path(scratch)) if runs else None
        ctx = builder.ctx  # the notebooks show the site's audited publication rather than computing France again
        with shared(Path(scratch), ctx.scope, ctx.national, ctx.france, ctx.regional), builder.pool(workers) as pool:
            started_runs = time.monotonic()
            run_futures = {pool.submit(execute_run, one, out_dir, kernel_name=kernel, timeout=args.timeout,
                                       warm=True, info=info): position for position, one in enumerate(runs)}
            page_futures = builder.submit_pages(pool)
            outcomes = _collect_runs(runs, run_futures, started_runs, out_dir, info)
            builder.collect(page_futures, _page_progress)
    pages = builder.finish(_notebook_runs(outcomes))

    # 5. The batch's summary.
    from am_analytics.schedule.publish import summary

    meta = {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now().astimezone().isoformat(timespec="seconds"),
        "data_dir": str(data_dir),
        "processed_dir": str(processed_dir),
        "synthetic": scope.synthetic,
        "regions": regions,
        "notebooks": [spec.name for spec in specs],
        "workers": workers,
        "timeout_s": args.timeout,
        "kernel": kernel,
    }
    atomic.write_json(out_dir / "summary.json", summary(outcomes, pages, as_of=as_of, meta=meta))
    # what the next run compares with (beside the prepared data, never in the site: contract ids are not published)
    write_snapshot(scope.all_contracts, processed_dir, scope.as_of)
    failed_runs = [o for o in outcomes if not o.ok]
    failed_pages = [p for p in pages if not p.ok]
    print(f"Site : {out_dir / 'index.html'}")
    if scope.synthetic:
        print(f"{SYNTHETIC_MENTION} : ne pas diffuser comme des chiffres réels.")
    if failed_runs or failed_pages:
        from am_analytics.schedule.execute import describe_failure
        from am_analytics.site.build import describe

        print(f"{len(failed_runs)} exécution(s) en échec sur {len(outcomes)}, {len(failed_pages)} page(s) en échec "
              f"sur {len(pages)} :", file=sys.stderr)
        for outcome in failed_runs:
            print(f"  {outcome.notebook} — {outcome.territory} : {describe_failure(outcome)}", file=sys.stderr)
        for page in failed_pages:
            print(f"  page {page.label} : {describe(page)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
