"""The batch's own outputs: `summary.json` (for machines) and `index.html` (for people, in French)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from am_analytics.schedule.execute import Outcome, describe_failure

STATUS_LABELS = {"ok": "réussi", "failed": "échec"}


def summary(outcomes: Sequence[Outcome], *, as_of: str, meta: Mapping[str, Any]) -> dict[str, Any]:
    """Everything about a batch: its parameters, counts, and each run with its status, duration and error."""
    failed = [o for o in outcomes if not o.ok]
    return {
        "as_of": as_of,
        **meta,
        "runs_total": len(outcomes),
        "runs_ok": len(outcomes) - len(failed),
        "runs_failed": len(failed),
        "runs": [o.to_json() for o in outcomes],
    }


def _duration(seconds: float) -> str:
    from am_analytics.figures.formatting import format_number

    return f"{format_number(seconds, 1)} s"


def index_html(outcomes: Sequence[Outcome], *, as_of: str, synthetic: bool, generated: str) -> str:
    """A page linking every executed dashboard (HTML and notebook), with its status, grouped by notebook."""
    from am_analytics.figures.formatting import format_date

    failed = sum(not o.ok for o in outcomes)
    rows = []
    for outcome in outcomes:
        links = " · ".join(
            f'<a href="{html.escape(path)}">{label}</a>'
            for path, label in ((outcome.html, "tableau de bord"), (outcome.ipynb, "notebook")) if path
        ) or "—"
        status = STATUS_LABELS.get(outcome.status, outcome.status)
        detail = "" if outcome.ok else html.escape(describe_failure(outcome))
        rows.append(
            f'<tr class="{html.escape(outcome.status)}"><td>{html.escape(outcome.notebook)}</td>'
            f"<td>{html.escape(outcome.territory)}</td><td>{links}</td><td>{status}</td>"
            f'<td style="text-align:right">{_duration(outcome.duration_s)}</td><td>{detail}</td></tr>'
        )
    banner = (
        '<p class="synthetique">⚠ Données de démonstration synthétiques — ces tableaux de bord ne montrent pas '
        "de données réelles.</p>" if synthetic else ""
    )
    verdict = (f"{len(outcomes)} exécutions, toutes réussies." if not failed
               else f"{len(outcomes)} exécutions, dont {failed} en échec.")
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Tableaux de bord des assistants médicaux — données au {html.escape(format_date(as_of))}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; }}
th, td {{ padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }}
tr.failed td {{ background: #FDECEA; }}
.synthetique {{ border: 2px solid #D55E00; background: #FFF3E8; color: #8A3B00; padding: 0.6em 1em;
  font-weight: bold; }}
</style>
</head>
<body>
<h1>Tableaux de bord des assistants médicaux</h1>
<p>Données au {html.escape(format_date(as_of))} — exécution du {html.escape(generated)}. {verdict}</p>
{banner}
<table>
<thead><tr><th>Notebook</th><th>Territoire</th><th>Liens</th><th>Statut</th><th>Durée</th><th>Erreur</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<p><small>Détail de chaque exécution : <a href="summary.json">summary.json</a>.</small></p>
</body>
</html>
"""
