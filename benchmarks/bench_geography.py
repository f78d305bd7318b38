"""Benchmark: normalising one million département values as real files write them (prints figures)."""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.geography import normalise_departements


def sample(size: int, seed: int = 0) -> pd.Series:
    """Codes and names in the variants real extracts carry (lost zeros, upper case, typos, `20`)."""
    deps = reference.departements()
    spellings = list(deps["code"]) + list(deps["code"].str.lstrip("0")) + list(deps["name_uppercase"])
    spellings += list(deps["name"]) + ["20", "2a", "Bouches du Rhone", "Seine St Denis", "99", ""]
    rng = np.random.default_rng(seed)
    return pd.Series(rng.choice(spellings, size=size), dtype="string")


def main(size: int = 1_000_000, repeats: int = 5) -> None:
    values = sample(size)
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = normalise_departements(values)
        timings.append(time.perf_counter() - start)
    resolved = result["code"].notna().mean()
    count = f"{size:,}".replace(",", " ")
    print(
        f"normalise_departements : {count} valeurs, médiane {statistics.median(timings):.3f} s "
        f"(min {min(timings):.3f} s, {repeats} essais), {resolved:.1%} résolues"
    )


if __name__ == "__main__":
    main()
