"""Sentences computed from the results, in French: what a test found, said once for the report, the notebooks
and the site."""

from __future__ import annotations

import pandas as pd

from am_analytics.figures.formatting import format_number


def independence_sentence(result: pd.DataFrame, what: str) -> str:
    """One sentence on a chi-square test (a row of `independence_test`, `compare_groups`), with its caveat."""
    row = result.iloc[0]
    text = (
        f"Test d'indépendance {what} (khi-deux) : p = {format_number(row['p_valeur'], 3)}, "
        f"V de Cramér = {format_number(row['v_de_cramer'], 3)}."
    )
    note = row.get("note")
    if isinstance(note, str) and note:
        text += f" {note}"
    return text
