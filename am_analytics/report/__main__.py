"""Command line of the PDF report: `python -m am_analytics.report [options]`.

The options are wired and checked now; the report itself is built by a later piece of work
(the PDF layout, issue 7). Until then the command says plainly what is missing and exits non-zero:
it never writes a placeholder report that could be mistaken for a real one.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from am_analytics import paths
from am_analytics.cli import FrenchArgumentParser, iso_date, run
from am_analytics.errors import NotBuiltYet, UsageError


def build_parser() -> FrenchArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m am_analytics.report",
        description="Écrit le rapport PDF (et son classeur Excel) sur le déploiement des assistants médicaux.",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="dossier des données brutes (défaut : data/raw)")
    parser.add_argument("--region", default=None, help="code ou nom de région (défaut : France entière)")
    parser.add_argument(
        "--as-of", type=iso_date, default=None, help="date d'arrêté AAAA-MM-JJ (défaut : dernière date des données)"
    )
    parser.add_argument("--output", type=Path, default=None, help="chemin du PDF (défaut : reports/)")
    parser.add_argument("--xlsx", type=Path, default=None, help="chemin du classeur Excel (défaut : à côté du PDF)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.region is not None:
        from am_analytics.geography import normalise_region_code

        try:
            normalise_region_code(args.region)
        except ValueError as exc:
            raise UsageError(f"--region : {exc}") from None
    data_dir = args.data_dir or paths.raw_dir()
    if not data_dir.is_dir():
        raise UsageError(f"dossier de données introuvable : {data_dir} (indiquer --data-dir)")
    raise NotBuiltYet(
        "le rapport PDF n'est pas encore construit : la mise en page (rapport national et régional, "
        "classeur Excel) reste à écrire. Aucun fichier n'a été écrit."
    )


if __name__ == "__main__":
    sys.exit(run(main))
