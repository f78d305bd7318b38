"""The one-screen terminal summary of a preparation: per file, rows read, kept, merged, quarantined by reason."""

from __future__ import annotations

from am_analytics.prepare.manifest import FileAccount
from am_analytics.vocabulary import REASONS


def _number(value: int) -> str:
    # French thousands separator (narrow no-break space), without locale machinery
    return f"{value:,}".replace(",", "\u202f")


def render_summary(accounts: list[FileAccount], out_dir: str) -> str:
    """Text block: one line per file, then its quarantine reasons indented below it."""
    width = max([len(a.file) for a in accounts] + [7])
    lines = [
        f"{'fichier':<{width}}  {'jeu':<14} {'lues':>8} {'gardées':>8} {'fusion.':>8} {'quarant.':>8}",
    ]
    for account in accounts:
        lines.append(
            f"{account.file:<{width}}  {(account.dataset or '—'):<14} {_number(account.rows_read):>8} "
            f"{_number(account.rows_kept):>8} {_number(account.rows_merged):>8} {_number(account.rows_quarantined):>8}"
        )
        if account.status != "lu":
            lines.append(f"{'':<{width}}    {account.status}")
        for reason, count in account.quarantine_reasons.items():
            label = REASONS.get(reason, reason)
            lines.append(f"{'':<{width}}    {_number(count):>6} × {label}")
    totals = [
        sum(getattr(a, name) for a in accounts)
        for name in ("rows_read", "rows_kept", "rows_merged", "rows_quarantined")
    ]
    lines.append(f"{'total':<{width}}  {'':<14} " + " ".join(f"{_number(t):>8}" for t in totals))
    if any(a.synthetic for a in accounts):
        lines.append("Données de démonstration synthétiques (voir les fichiers *.provenance.json).")
    lines.append(f"Tables écrites dans {out_dir} (détail des rejets : quarantine.parquet).")
    return "\n".join(lines)
