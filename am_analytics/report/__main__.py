"""Command line of the PDF report: `python -m am_analytics.report [options]`.

Prepares the data when needed, computes the indicators as of a date, writes the PDF and its Excel
workbook (atomically), and prints where they are. Exit codes: 0 done, 2 bad usage, 3 invalid data
(nothing written), 1 unexpected failure.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from am_analytics import atomic, paths
from am_analytics.cli import FrenchArgumentParser, iso_date, run
from am_analytics.errors import DataError, Location, UsageError
from am_analytics.parameters import resolve_as_of, resolve_region


def build_parser() -> FrenchArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m am_analytics.report",
        description="Écrit le rapport PDF (et son classeur Excel) sur le déploiement des assistants médicaux.",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="dossier des données brutes (défaut : data/raw)")
    parser.add_argument(
        "--region", default=None, help="code ou nom de région, par exemple 84 ou Bretagne (défaut : France)"
    )
    parser.add_argument(
        "--as-of", type=iso_date, default=None, help="date d'arrêté AAAA-MM-JJ (défaut : dernière date des données)"
    )
    parser.add_argument("--output", type=Path, default=None, help="chemin du PDF (défaut : reports/rapport_….pdf)")
    parser.add_argument("--xlsx", type=Path, default=None, help="chemin du classeur Excel (défaut : à côté du PDF)")
    return parser


def _option(name: str, resolve, *values):
    """Resolve an option with the package's shared rules, naming the option in the message."""
    try:
        return resolve(*values)
    except UsageError as error:
        raise UsageError(f"{name} : {error}") from None


def default_output(region: str | None, as_of: pd.Timestamp) -> Path:
    scope = "france" if region is None else f"region_{region}"
    return paths.reports_dir() / f"rapport_assistants_medicaux_{scope}_{as_of:%Y-%m-%d}.pdf"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    region = _option("--region", resolve_region, args.region)
    data_dir = args.data_dir or paths.raw_dir()
    if not data_dir.is_dir():
        raise UsageError(f"dossier de données introuvable : {data_dir} (indiquer --data-dir)")

    from am_analytics.loading import load
    from am_analytics.report.build import build

    data = load(data_dir, paths.processed_dir_for(data_dir))
    if data.contracts is None or data.contracts.empty:
        raise DataError(
            "aucun contrat exploitable",
            where=Location(file=str(data_dir)),
            hint="déposer au moins une extraction de contrats (voir python -m am_analytics.prepare)",
        )
    as_of = _option("--as-of", resolve_as_of, args.as_of, data.contracts)
    output = args.output or default_output(region, as_of)
    workbook_path = args.xlsx or output.with_suffix(".xlsx")
    pdf, workbook, _ = build(data, as_of=as_of, region=region)
    atomic.write_bytes(output, pdf)
    atomic.write_bytes(workbook_path, workbook)
    print(f"Rapport PDF : {output}")
    print(f"Classeur Excel : {workbook_path}")
    if data.synthetic:
        print("Données de démonstration synthétiques : ne pas diffuser comme des chiffres réels.")
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
