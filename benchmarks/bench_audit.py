"""The intruder's audit of a run's publication on the shipped data: how many cells and relations the reader has, how
many hidden counts (or small unpublished ones) the reader's linear program recovers or narrows below the protection
rule, in which tables, and how long the audit takes.

Run: .venv/bin/python benchmarks/bench_audit.py [--regions 06 94 53] [--as-of 2023-12-31] [--protect]
     [--profils infirmier aide_soignant]
Not a test: the figures describe the publication as the package builds it today. `--protect` also runs the greedy
complementary masking (`audit.protect`) and prints what it hides and how long it takes.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from am_analytics.presentation.audit import audit, protect
from am_analytics.presentation.publication import audited, publication_ledger
from am_analytics.presentation.results import NationalResults, ScopeResults
from am_analytics.presentation.scope import Scope


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", nargs="*", default=["06", "94", "01", "53"])
    parser.add_argument("--as-of", default=None)
    parser.add_argument("--protect", action="store_true")
    parser.add_argument("--profils", nargs="*", default=[],
                        help="backgrounds published with each region, as a dashboard publishes them")
    args = parser.parse_args()

    scope = Scope.open(as_of=args.as_of)
    national = NationalResults.of(scope)
    scopes = [scope.with_region(code) for code in args.regions]
    scopes += [regional.with_profil(profil) for regional in scopes for profil in args.profils]
    pairs = [(published, ScopeResults.compute(published, national)) for published in scopes]
    started = time.perf_counter()
    ledger, _, _ = publication_ledger(national, pairs, scope.all_contracts)
    built = time.perf_counter() - started
    hidden = ledger.hidden_cells()
    print(f"publication : France + régions {', '.join(args.regions)} au {scope.as_of:%Y-%m-%d}")
    print(
        f"cellules : {len(ledger.value)} ({len(hidden)} masquées, {len(ledger.latent)} latentes) ; "
        f"relations : {len(ledger.equations)} égalités, {len(ledger.inequalities)} inégalités ; "
        f"relations fausses écartées : {len(ledger.skipped)} ; construit en {built:.2f} s"
    )
    started = time.perf_counter()
    exposures = audit(ledger)
    elapsed = time.perf_counter() - started
    exact = [exposure for exposure in exposures if exposure.low == exposure.high]
    recovered = [exposure for exposure in exact if exposure.key in set(hidden)]
    print(
        f"audit : {len(exposures)} cellules exposées, dont {len(exact)} retrouvées exactement "
        f"({len(recovered)} des {len(hidden)} cellules masquées) ; {elapsed:.2f} s"
    )
    places = Counter(place for exposure in exposures for place in (exposure.places or ("(non publiée)",)))
    for place, count in places.most_common(12):
        print(f"  {count:5d}  {place}")
    if args.protect:
        started, cpu = time.perf_counter(), time.process_time()
        added = protect(ledger)
        elapsed = time.perf_counter() - started
        print(f"  (protection : {time.process_time() - cpu:.1f} s de calcul)")
        print(
            f"protection : {len(added)} cellules masquées en plus, {len(ledger.relabelled)} « < 5 » dits « s » ; "
            f"{elapsed:.1f} s ; exposées ensuite : {len(audit(ledger))}"
        )
        # what a run does: the whole publication protected, then the frames as masked checked once more
        started, cpu = time.perf_counter(), time.process_time()
        audited(national, pairs, scope.all_contracts)
        print(f"publication.audited (protection, puis la vérification des tableaux masqués) : "
              f"{time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} s de calcul)")


if __name__ == "__main__":
    main()
