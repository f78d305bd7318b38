"""A scheduled run's publication, shared with the notebooks it executes.

The scheduler computes France's results and every region's once, and audits them together as one publication (the
site's, `site.content.SiteContext`). Each regional notebook it runs would otherwise compute and audit France again in
its own kernel (about 3 s of an 18-region run's 4 s per notebook), and could mask a cell differently from the site.
The scheduler writes that audited publication to a file of its temporary folder and names it in `SHARED_ENV`, which
its workers and their kernels inherit; a dashboard opened there on the same prepared data and counting date shows
those very results (`Dashboard._results`), so a notebook and the site's page of a region print the same figures.
Outside a scheduled run the variable is unset and nothing changes.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from am_analytics import atomic
from am_analytics.presentation.results import NationalResults, ScopeResults
from am_analytics.presentation.scope import Scope

SHARED_ENV = "AM_ANALYTICS_RUN_PUBLICATION"


@dataclass(frozen=True)
class RunPublication:
    """One audited publication: France's results, France's own (None when the extracts do not cover France) and
    each published region's, for the prepared data of `processed_dir` at `as_of`."""

    processed_dir: str
    as_of: pd.Timestamp
    national: NationalResults
    france: ScopeResults | None
    regional: Mapping[str, ScopeResults] = field(default_factory=dict)

    def results_for(self, scope: Scope) -> tuple[NationalResults, ScopeResults, ScopeResults] | None:
        """(France, the scope's own, its territory's) when this publication holds the scope, else None: another
        folder or date, a background (the site publishes no region × background), a region it did not publish."""
        if scope.profil is not None or scope.as_of != self.as_of or _folder(scope.processed_dir) != self.processed_dir:
            return None
        own = self.france if scope.region is None else self.regional.get(scope.region)
        return None if own is None else (self.national, own, own)


def _folder(path: Path | None) -> str:
    return "" if path is None else str(Path(path).resolve())


@contextmanager
def shared(folder: Path, scope: Scope, national: NationalResults, france: ScopeResults | None,
           regional: Mapping[str, ScopeResults]) -> Iterator[Path]:
    """Within the block, the publication is written under `folder` (atomically) and named in this process's
    environment, which the processes started in the block inherit; the variable is restored after it."""
    publication = RunPublication(_folder(scope.processed_dir), scope.as_of, national, france, dict(regional))
    target = atomic.write_bytes(Path(folder) / "publication.pickle",
                                pickle.dumps(publication, protocol=pickle.HIGHEST_PROTOCOL))
    before = os.environ.get(SHARED_ENV)
    os.environ[SHARED_ENV] = str(target)
    try:
        yield target
    finally:
        if before is None:
            os.environ.pop(SHARED_ENV, None)
        else:
            os.environ[SHARED_ENV] = before


@lru_cache(maxsize=2)
def _load(path: str, modified_ns: int) -> RunPublication:  # keyed on the file's time: a rewritten file is re-read
    with open(path, "rb") as handle:
        return pickle.load(handle)  # written by this run's scheduler in its own temporary folder


def shared_results(scope: Scope) -> tuple[NationalResults, ScopeResults, ScopeResults] | None:
    """The scheduled run's results for `scope`, when this process runs under a scheduler that shared them and they
    cover the scope; None otherwise (the caller then computes its own)."""
    path = os.environ.get(SHARED_ENV)
    if not path:
        return None
    try:
        publication = _load(path, os.stat(path).st_mtime_ns)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):  # the run is over, or another version wrote it
        return None
    return publication.results_for(scope)
