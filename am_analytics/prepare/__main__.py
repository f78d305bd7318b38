"""Command line: `python -m am_analytics.prepare [--data-dir DIR] [--out DIR] [--as-of DATE] [--strict]`."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from am_analytics import paths
from am_analytics.cli import FrenchArgumentParser, iso_date, run
from am_analytics.errors import UsageError
from am_analytics.prepare.pipeline import prepare_locked
from am_analytics.prepare.summary import render_summary


def build_parser() -> FrenchArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m am_analytics.prepare",
        description="Lit, normalise et valide les extractions brutes ; écrit les tables Parquet, la quarantaine "
        "et le manifeste.",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="dossier des données brutes (défaut : data/raw)")
    parser.add_argument("--out", type=Path, default=None, help="dossier de sortie (défaut : data/processed)")
    parser.add_argument("--as-of", type=iso_date, default=None, help="rejeter les signatures après cette date")
    parser.add_argument("--strict", action="store_true", help="code de sortie 3 si une ligne est mise en quarantaine")
    parser.add_argument("-q", "--quiet", action="store_true", help="pas de résumé")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    data_dir = args.data_dir or paths.raw_dir()
    out_dir = args.out or paths.processed_dir()
    if not data_dir.is_dir():
        raise UsageError(f"dossier de données introuvable : {data_dir} (indiquer --data-dir)")
    result = prepare_locked(data_dir, out_dir, as_of=args.as_of, strict=args.strict)
    if not args.quiet and result is not None:
        print(render_summary(result.accounts, str(out_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
