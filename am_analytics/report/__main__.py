"""Command line of the PDF report: `python -m am_analytics.report [options]`.

Prepares the data when needed, computes the indicators as of a date, writes the PDF report, its annex PDF
(`…_annexes.pdf`, beside it) and its Excel workbook (atomically), and prints where they are. Exit codes: 0 done,
2 bad usage, 3 invalid data (nothing written), 1 unexpected failure.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from am_analytics import atomic, paths
from am_analytics.cli import FrenchArgumentParser, iso_date, run
from am_analytics.vocabulary import SYNTHETIC_MENTION


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


OPTION_NAMES = {"region": "--region", "as_of": "--as-of", "data_dir": "--data-dir"}


def annex_path(report: Path) -> Path:
    """The annex PDF beside the report: « rapport_….pdf » → « rapport_…_annexes.pdf »."""
    return report.with_name(f"{report.stem}_annexes.pdf")


def default_output(scope) -> Path:
    return paths.reports_dir() / f"rapport_assistants_medicaux_{scope.stem}_{scope.as_of:%Y-%m-%d}.pdf"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from am_analytics.presentation.opendata import open_data_alone
    from am_analytics.presentation.scope import Scope
    from am_analytics.report.build import build
    from am_analytics.report.opendata import write_report

    alone = open_data_alone(args.data_dir, args.region)  # a folder of the yearly open data and no contract
    if alone is not None:
        return write_report(alone[0], region=alone[1], as_of=args.as_of, output=args.output, xlsx=args.xlsx)
    scope = Scope.open(data_dir=args.data_dir, as_of=args.as_of, region=args.region, names=OPTION_NAMES).presented(
        OPTION_NAMES["region"])
    if args.region is None and scope.region is not None:  # extracts of one region: its edition, never « France »
        print(f"Édition régionale {scope.territory_label} ({scope.region}) : les extractions ne couvrent que cette "
              "région (voir « territoire » dans le manifeste) ; la France n'est citée que d'après les chiffres "
              "publiés.")
    output = args.output or default_output(scope)
    workbook_path = args.xlsx or output.with_suffix(".xlsx")
    report = build(scope)
    annexes = annex_path(output)
    atomic.write_bytes(output, report.pdf)
    atomic.write_bytes(annexes, report.annex)
    atomic.write_bytes(workbook_path, report.workbook)
    print(f"Rapport PDF : {output}")
    print(f"Annexes PDF : {annexes}")
    print(f"Classeur Excel : {workbook_path}")
    if scope.synthetic:
        print(f"{SYNTHETIC_MENTION} : ne pas diffuser comme des chiffres réels.")
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
