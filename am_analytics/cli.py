"""Shared command-line plumbing: argument types and the wrapper that turns known errors into exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date

from am_analytics.errors import AmAnalyticsError, UsageError


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors already; this keeps its message short and in one place."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(f"{self.prog} : {message}")


def iso_date(text: str) -> date:
    """Parse an `--as-of` style date written YYYY-MM-DD (or DD/MM/YYYY, as French users type it)."""
    for parse in (date.fromisoformat, _french_date):
        try:
            return parse(text)
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"date invalide « {text} » : écrire AAAA-MM-JJ, par exemple 2025-06-30")


def _french_date(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


def run(main: Callable[[Sequence[str] | None], int], argv: Sequence[str] | None = None) -> int:
    """Run a command's main function; user errors become a short message and their exit code."""
    try:
        return main(argv)
    except AmAnalyticsError as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrompu", file=sys.stderr)
        return 130
