"""Command line: `python -m am_analytics.prepare [--data-dir DIR] [--out DIR] [--cutoff DATE] [--caisse-column HEADER]
[--territoire REGION] [--strict]`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from am_analytics import paths
from am_analytics.cli import FrenchArgumentParser, iso_date, run
from am_analytics.coverage import Coverage, declared_regions
from am_analytics.errors import UsageError
from am_analytics.prepare.pipeline import prepare_locked
from am_analytics.prepare.summary import render_summary

AS_OF_NOTE = (
    "note : --as-of est remplacé par --cutoff (date limite d'acceptation des signatures) ; "
    "--as-of reste accepté pour l'instant. La date de calcul des indicateurs se donne au rapport et aux "
    "tableaux de bord, pas à la préparation."
)


def build_parser() -> FrenchArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m am_analytics.prepare",
        description="Lit, normalise et valide les extractions brutes ; écrit les tables Parquet, la quarantaine, "
        "les avertissements, le journal des mises à jour et le manifeste.",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="dossier des données brutes (défaut : data/raw)")
    parser.add_argument(
        "--out", type=Path, default=None,
        help="dossier de sortie (défaut : data/processed pour data/raw, un dossier de cache pour un autre dossier)",
    )
    parser.add_argument(
        "--cutoff", type=iso_date, default=None,
        help="date limite d'acceptation : une signature postérieure est mise en quarantaine (défaut : aujourd'hui)",
    )
    # The old name of --cutoff, kept so that existing scripts run; hidden from the help.
    parser.add_argument("--as-of", dest="as_of", type=iso_date, default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--caisse-column", dest="caisse_columns", action="append", default=[], metavar="EN-TÊTE",
        help="en-tête d'une colonne à lire comme codes ou noms de caisse (CPAM, CGSS) ; répétable",
    )
    parser.add_argument(
        "--territoire", dest="territory", default=None, metavar="RÉGION",
        help="territoire couvert par les extractions : code ou nom de région (plusieurs séparés par des virgules) "
        "ou France ; vérifié sur les contrats (défaut : déduit des contrats)",
    )
    parser.add_argument("--strict", action="store_true", help="code de sortie 3 si une ligne est mise en quarantaine")
    parser.add_argument("-q", "--quiet", action="store_true", help="pas de résumé")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if args.as_of is not None:
        print(AS_OF_NOTE, file=sys.stderr)
        if args.cutoff is not None and args.cutoff != args.as_of:
            raise UsageError("--as-of et --cutoff donnent deux dates différentes : n'utiliser que --cutoff")
    cutoff = args.cutoff or args.as_of
    data_dir = args.data_dir or paths.raw_dir()
    if not data_dir.is_dir():
        raise UsageError(f"dossier de données introuvable : {data_dir} (indiquer --data-dir)")
    if args.territory is not None:
        declared_regions(args.territory)  # an unknown region stops here, before anything is read
    out_dir = args.out or paths.processed_dir_for(data_dir)
    result = prepare_locked(data_dir, out_dir, cutoff=cutoff, strict=args.strict, caisse_columns=args.caisse_columns,
                            territory=args.territory)
    if not args.quiet and result is not None:
        print(render_summary(result.accounts, str(out_dir)))
        print(Coverage.from_record(result.manifest["territoire"]).sentence())
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
