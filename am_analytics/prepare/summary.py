"""The one-screen terminal summary of a preparation: per file, rows read, kept, updated, merged, quarantined by
reason, and warnings."""

from __future__ import annotations

from am_analytics.prepare.manifest import FileAccount
from am_analytics.vocabulary import NON_DATA_LINES, REASONS, SYNTHETIC_MENTION, WARNING_REASONS


def _number(value: int) -> str:
    # French thousands separator (narrow no-break space), without locale machinery
    return f"{value:,}".replace(",", "\u202f")


def render_summary(accounts: list[FileAccount], out_dir: str) -> str:
    """Text block: one line per file, then its quarantine reasons indented below it."""
    width = max([len(a.file) for a in accounts] + [7])
    kind = max([len(a.dataset or "") for a in accounts] + [14])  # « own_training_sites » is wider than « contracts »
    counted = ("rows_read", "rows_kept", "rows_updated", "rows_merged", "rows_quarantined", "rows_warned")
    lines = [
        f"{'fichier':<{width}}  {'jeu':<{kind}} {'lues':>8} {'gardées':>8} {'màj':>8} {'fusion.':>8} {'quarant.':>8} "
        f"{'avert.':>8}",
    ]
    for account in accounts:
        lines.append(
            f"{account.file:<{width}}  {(account.dataset or '—'):<{kind}} "
            + " ".join(f"{_number(getattr(account, name)):>8}" for name in counted)
        )
        if account.status != "lu":
            lines.append(f"{'':<{width}}    {account.status}")
        for skipped in account.sheets_skipped:
            lines.append(f"{'':<{width}}    feuille « {skipped['sheet']} » non lue : {skipped['reason']}")
        for reason, count in account.quarantine_reasons.items():
            label = REASONS.get(reason, reason)
            lines.append(f"{'':<{width}}    {_number(count):>6} × {label}")
        for kind, count in account.non_data_lines.items():
            lines.append(f"{'':<{width}}    {_number(count):>6} × ligne hors données, non comptée : "
                         f"{NON_DATA_LINES.get(kind, kind)}")
        for reason, count in account.warning_reasons.items():
            label = WARNING_REASONS.get(reason, REASONS.get(reason, reason))
            lines.append(f"{'':<{width}}    {_number(count):>6} × avertissement : {label}")
        identifying = [c["column"] for c in account.dropped_columns if c.get("likely_identifier")]
        if identifying:
            lines.append(
                f"{'':<{width}}    colonnes d'identifiants personnels ignorées : " + ", ".join(identifying)
            )
    totals = [sum(getattr(a, name) for a in accounts) for name in counted]
    lines.append(f"{'total':<{width}}  {'':<{kind}} " + " ".join(f"{_number(t):>8}" for t in totals))
    if any(a.synthetic for a in accounts):
        lines.append(f"{SYNTHETIC_MENTION} (voir les fichiers *.provenance.json).")
    lines.append(
        f"Tables écrites dans {out_dir} (rejets : quarantine.parquet ; avertissements : warnings.parquet ; "
        "mises à jour : changes.parquet)."
    )
    # Last, where a user looks first: a file not read means rows missing from every count.
    not_read = [a for a in accounts if a.unread_reason is not None]
    if not_read:
        lines.append(
            f"Attention : {len(not_read)} fichier(s) du dossier non lu(s), leurs lignes ne sont comptées nulle part : "
            + ", ".join(a.file for a in not_read) + " (raisons ci-dessus, dans warnings.parquet et manifest.json)."
        )
    return "\n".join(lines)
