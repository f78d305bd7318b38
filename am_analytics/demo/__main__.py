"""Command line of the demo-data generator: `python -m am_analytics.demo [--seed N] [--contracts N] [--out DIR]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tqdm import tqdm

from am_analytics import paths
from am_analytics.cli import FrenchArgumentParser, run
from am_analytics.demo.build import DEFAULT_CONTRACTS, DEFAULT_SEED, generate
from am_analytics.errors import UsageError

# Below a few hundred contracts the defects and the survey have nothing to draw from; above five million
# the 2019–2020 workbook would pass Excel's limit of 1 048 576 rows per sheet.
MIN_CONTRACTS, MAX_CONTRACTS = 500, 5_000_000


def contract_count(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre de contrats invalide « {text} » : écrire un entier") from None
    if not MIN_CONTRACTS <= value <= MAX_CONTRACTS:
        raise argparse.ArgumentTypeError(
            f"nombre de contrats hors limites ({value}) : entre {MIN_CONTRACTS} et {MAX_CONTRACTS:_}".replace("_", " ")
        )
    return value


def seed_value(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"graine invalide « {text} » : écrire un entier positif") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"graine invalide « {text} » : écrire un entier positif")
    return value


def build_parser() -> FrenchArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m am_analytics.demo",
        description="Génère les données de démonstration synthétiques (déterministes) dans data/raw.",
    )
    parser.add_argument("--seed", type=seed_value, default=DEFAULT_SEED, help=f"graine (défaut : {DEFAULT_SEED})")
    parser.add_argument(
        "--contracts",
        type=contract_count,
        default=DEFAULT_CONTRACTS,
        help=f"nombre de contrats de la vérité synthétique (défaut : {DEFAULT_CONTRACTS})",
    )
    parser.add_argument("--out", type=Path, default=None, help="dossier de sortie (défaut : data/raw)")
    return parser


def progress_bar(total: int) -> Callable[[int], None]:
    bar = tqdm(total=total, unit=" lignes", desc="écriture", disable=None, leave=False)
    return bar.update


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = args.out or paths.raw_dir()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out : {out} existe et n'est pas un dossier")
    written = generate(out, seed=args.seed, n_contracts=args.contracts, progress=progress_bar)
    print(
        f"{len(written)} fichiers de démonstration synthétiques écrits dans {out} (graine {args.seed}, "
        f"{args.contracts} contrats), chacun avec son .provenance.json"
    )
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
