"""Published tables, banners and figures as HTML, for notebooks (IPython displays `_repr_html_`) and the site."""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

from am_analytics.figures.formatting import format_number
from am_analytics.presentation.tables import PublishedTable
from am_analytics.vocabulary import SYNTHETIC_WARNING

FIGURE_DPI = 110  # sharp enough on screen, small enough for 20 dashboards of a dozen figures each


@dataclass(frozen=True)
class Html:
    """A piece of HTML a notebook displays (IPython calls `_repr_html_`); `str()` gives the HTML too."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def synthetic_banner(synthetic: bool) -> Html | None:
    """The visible « Données de démonstration synthétiques » banner, or `None` (nothing shown) for real data."""
    if not synthetic:
        return None
    return Html(
        '<div class="am-synthetique" style="border:2px solid #D55E00;background:#FFF3E8;color:#8A3B00;'
        'padding:0.6em 1em;margin:0.5em 0;font-weight:bold;border-radius:4px">'
        f"⚠ {html.escape(SYNTHETIC_WARNING)}</div>"
    )


def table_html(table: PublishedTable, *, max_rows: int | None = None) -> Html:
    """A published table as HTML: title, the masked French cells (numbers right-aligned), notes, source line."""
    rows = table.formatted_rows()
    right = set(table.right_aligned())
    hidden = 0
    if max_rows is not None and len(rows) > max_rows:
        hidden = len(rows) - max_rows
        rows = rows[:max_rows]
    cell_style = "padding:2px 8px;border-bottom:1px solid #ddd"

    def cell(tag: str, position: int, text: str) -> str:
        align = "right" if position in right else "left"
        return f'<{tag} style="{cell_style};text-align:{align}">{html.escape(text)}</{tag}>'

    head = "".join(cell("th", i, column.header) for i, column in enumerate(table.columns))
    body = "".join("<tr>" + "".join(cell("td", i, text) for i, text in enumerate(row)) + "</tr>" for row in rows)
    parts = [
        f"<h4>{html.escape(table.title)}</h4>",
        f'<table class="am-table" style="border-collapse:collapse;font-size:0.9em"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>",
    ]
    if hidden:
        parts.append(f"<p><small>… et {format_number(hidden)} autres lignes.</small></p>")
    notes = [*table.notes, f"{table.source_line}."]
    parts.extend(f'<p style="margin:0.2em 0"><small>{html.escape(note)}</small></p>' for note in notes)
    return Html("\n".join(parts))


def text_html(text: str) -> Html:
    """A paragraph of French text computed from the data (a test result, a note)."""
    return Html(f"<p>{html.escape(text)}</p>")


def figure_png(fig) -> bytes:
    """A finished figure as PNG bytes, saved with the figure contract's own settings (tight box, white)."""
    import matplotlib as mpl

    from am_analytics.figures.style import save_params

    buffer = io.BytesIO()
    params = save_params()
    params["savefig.dpi"] = FIGURE_DPI
    with mpl.rc_context(params):
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def enable_figure_display() -> bool:
    """Let a matplotlib Figure returned by a cell display as an image.

    The charts are built without pyplot, so IPython's inline backend never registers them; this registers
    the PNG formatter once. Returns False outside IPython (a script or a test), where there is nothing to do.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    from matplotlib.figure import Figure

    shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)
    return True


def retitled(fig, title: str):
    """A finished chart with another title (the region's name added), wrapped as the figure contract wraps
    titles; returns the same figure. For the charts that take no `title=` yet (`funding_chart`,
    `regions_ranked_chart`, `training_overdue_chart`): once they do, pass the title there instead."""
    import textwrap

    from am_analytics.figures.contract import TITLE_GID

    old = fig._suptitle  # the title `finish_figure` wrote (matplotlib keeps no public handle on it)
    if old is None:
        raise ValueError("retitled() takes a finished figure (with its title)")
    size, weight = old.get_fontsize(), old.get_fontweight()
    characters = max(int(fig.get_figwidth() * 72 * 0.98 / (0.55 * size * 1.1)), 20)
    text = "\n".join(textwrap.wrap(title.strip(), characters, break_on_hyphens=False))
    fig.suptitle(text, x=0.01, ha="left", gid=TITLE_GID, fontsize=size, fontweight=weight)
    return fig
