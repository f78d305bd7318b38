"""Scheduled runs of the dashboard notebooks with papermill: `python -m am_analytics.schedule`.

`plan` decides which notebook runs for which region, `execute` runs one notebook in a (warm) kernel and writes it
with its page, `publish` writes the run's summary; the site itself (index and pages) is `am_analytics.site`;
`__main__` ties them together.
"""

from am_analytics.schedule.execute import Outcome, execute_run, execute_runs, kernel_for_runs
from am_analytics.schedule.plan import (
    NotebookSpec,
    Run,
    discover_notebooks,
    notebook_parameters,
    plan_runs,
    select_notebooks,
)
from am_analytics.schedule.publish import summary

__all__ = [
    "NotebookSpec",
    "Outcome",
    "Run",
    "discover_notebooks",
    "execute_run",
    "execute_runs",
    "kernel_for_runs",
    "notebook_parameters",
    "plan_runs",
    "select_notebooks",
    "summary",
]
