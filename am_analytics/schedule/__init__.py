"""Scheduled runs of the dashboard notebooks with papermill: `python -m am_analytics.schedule`.

`plan` decides which notebook runs for which region, `execute` runs one notebook in a kernel and writes it
with its HTML, `publish` writes the run's index and summary; `__main__` ties them together.
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
from am_analytics.schedule.publish import index_html, summary

__all__ = [
    "NotebookSpec",
    "Outcome",
    "Run",
    "discover_notebooks",
    "execute_run",
    "execute_runs",
    "index_html",
    "kernel_for_runs",
    "notebook_parameters",
    "plan_runs",
    "select_notebooks",
    "summary",
]
