"""The batch's record for machines: `summary.json` (parameters, counts, each notebook run and each page of the
site with its status, duration and error). The index for people is the site's (`am_analytics.site`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from am_analytics.schedule.execute import Outcome


def summary(
    outcomes: Sequence[Outcome], pages: Sequence = (), *, as_of: str, meta: Mapping[str, Any]
) -> dict[str, Any]:
    """Everything about a batch: its parameters, counts, each run with its status, duration and error, and each
    page of the site with its status, duration and, for a failure, its step and error."""
    failed = [o for o in outcomes if not o.ok]
    failed_pages = [p for p in pages if not p.ok]
    return {
        "as_of": as_of,
        **meta,
        "runs_total": len(outcomes),
        "runs_ok": len(outcomes) - len(failed),
        "runs_failed": len(failed),
        "runs": [o.to_json() for o in outcomes],
        "pages_total": len(pages),
        "pages_ok": len(pages) - len(failed_pages),
        "pages_failed": len(failed_pages),
        "pages": [p.to_json() for p in pages],
    }
