"""Benchmark: every indicator on 1 000 000 random contracts (all regions and départements).

Run: .venv/bin/python benchmarks/bench_indicators.py [--rows N]
Not a test: timings depend on the machine. The contracts are drawn with numpy, typed like processed data.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from am_analytics import indicators, reference
from am_analytics.vocabulary import ETP_OPTIONS, FORMATIONS, PROFILS, SPECIALITES, ZONES

AS_OF = "2025-06-30"


def random_contracts(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def pick(values, missing: float = 0.0) -> pd.Series:
        chosen = np.array(list(values), dtype=object)[rng.integers(0, len(values), rows)]
        chosen[rng.random(rows) < missing] = None
        return pd.Series(chosen, dtype="string")

    signature = np.datetime64("2019-09-01", "ns") + rng.integers(0, 2130, rows).astype("timedelta64[D]")
    end = signature + rng.integers(30, 2500, rows).astype("timedelta64[D]")
    end[rng.random(rows) < 0.7] = np.datetime64("NaT")
    start = signature + rng.integers(0, 90, rows).astype("timedelta64[D]")
    start[rng.random(rows) < 0.1] = np.datetime64("NaT")
    departements = reference.departements()
    departement = pick(departements["code"])
    options = pick(ETP_OPTIONS)
    return pd.DataFrame(
        {
            "contrat_id": pd.Series(np.char.add("C", np.arange(rows).astype(str)), dtype="string"),
            "medecin_id": pd.Series(np.char.add("M", rng.integers(0, rows, rows).astype(str)), dtype="string"),
            "date_signature": signature,
            "date_fin": end,
            "departement": departement,
            "region": departement.map(dict(zip(departements["code"], departements["region_code"], strict=True))),
            "specialite": pick(SPECIALITES, 0.02),
            "zone": pick(ZONES, 0.05),
            "etp_option": options,
            "etp": options.map({k: float(v) for k, v in ETP_OPTIONS.items()}).astype("Float64"),
            "profil_origine": pick(PROFILS),
            "formation": pick(FORMATIONS, 0.1),
            "date_prise_fonction": start,
            "aide_versee_eur": pd.array([None] * rows, dtype="Float64"),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    contracts = random_contracts(args.rows)
    options = {"as_of": AS_OF, "synthetic": True}
    reference.targets(), reference.published_figures(), reference.funding_rules()  # warm the reference cache
    indicators.by_region(contracts.head(10), **options)
    steps = {
        "monthly_series": lambda: indicators.monthly_series(contracts, **options),
        "target_progress": lambda: indicators.target_progress(contracts, **options),
        "target_projections": lambda: indicators.target_projections(contracts, **options),
        "published_cross_check": lambda: indicators.published_cross_check(contracts, **options),
        "by_region": lambda: indicators.by_region(contracts, **options),
        "by_departement": lambda: indicators.by_departement(contracts, **options),
        "national_totals": lambda: indicators.national_totals(contracts, **options),
        "background_shares_by_region": lambda: indicators.background_shares_by_region(contracts, **options),
        "region_background_independence": lambda: indicators.region_background_independence(contracts, **options),
        "background_mix_by_year": lambda: indicators.background_mix_by_year(contracts, **options),
        "specialty_mix (quarter)": lambda: indicators.specialty_mix(contracts, period="trimestre", **options),
        "zone_mix": lambda: indicators.zone_mix(contracts, **options),
        "etp_option_mix (year)": lambda: indicators.etp_option_mix(contracts, period="annee", **options),
        "expected_aid_by_year": lambda: indicators.expected_aid_by_year(contracts, **options),
        "expected_aid_by_region": lambda: indicators.expected_aid_by_region(contracts, **options),
        "overdue_by_region": lambda: indicators.overdue_by_region(contracts, **options),
        "overdue_by_background": lambda: indicators.overdue_by_background(contracts, **options),
    }
    print(f"{args.rows:,} contracts".replace(",", "\u202f") + f", as of {AS_OF}")
    # The first run also pays for the operating system handing over fresh memory pages; the best of
    # three is the steady cost a notebook or the report pays when it computes several indicators.
    print(f"  {'indicator':<34} {'first':>8}    {'best of 3':>9}")
    totals = [0.0, 0.0]
    for name, step in steps.items():
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            step()
            timings.append(time.perf_counter() - started)
        totals[0] += timings[0]
        totals[1] += min(timings)
        print(f"  {name:<34} {timings[0] * 1000:5.0f} ms    {min(timings) * 1000:6.0f} ms")
    print(f"  {'total':<34} {totals[0] * 1000:5.0f} ms    {totals[1] * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
