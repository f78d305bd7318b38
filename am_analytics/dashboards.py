"""What the dashboard notebooks share: their parameters resolved, a header with the synthetic-data banner,
figures and masked tables displayed as HTML.

Notebooks receive their parameters as text (papermill, or an analyst editing the `parameters` cell):
`region` as a code or a name, `profil_origine` as a code or a French label, `as_of` as a date, `data_dir`
and `processed_dir` as folders; `None` (or an empty string, as a scheduler may write it) means the default.
Everything here is a small function a test can call without a kernel.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from am_analytics import paths
from am_analytics.errors import UsageError
from am_analytics.geography import region_name
from am_analytics.loading import Processed
from am_analytics.report.tables import Column, PublishedTable, published_table
from am_analytics.vocabulary import PROFILS

NATIONAL_LABEL = "France entière"
SYNTHETIC_BANNER = "Données de démonstration synthétiques"
FIGURE_DPI = 110  # sharp enough on screen, small enough for 20 dashboards of a dozen figures each


# --- Parameters -----------------------------------------------------------------------------------------


# The parameters are resolved where the report and the scheduler resolve theirs (one copy of each rule).
from am_analytics.parameters import (  # noqa: E402
    _blank,
    latest_date,
    parse_date,
    resolve_as_of,
    resolve_profil,
    resolve_region,
)

__all__ = ["latest_date", "parse_date", "resolve_as_of", "resolve_profil", "resolve_region"]


def resolve_dirs(data_dir: object = None, processed_dir: object = None) -> tuple[Path, Path]:
    """The raw folder (default `data/raw`) and its processed folder (default `paths.processed_dir_for`)."""
    raw = paths.raw_dir() if _blank(data_dir) else Path(str(data_dir)).expanduser()
    if not raw.is_dir():
        raise UsageError(f"dossier de données introuvable : {raw}")
    processed = paths.processed_dir_for(raw) if _blank(processed_dir) else Path(str(processed_dir)).expanduser()
    return raw, processed


# --- The dashboard --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    """One notebook's data and scope: the processed tables, the as-of date, the region and background."""

    data: Processed
    as_of: pd.Timestamp
    region: str | None = None
    profil: str | None = None

    @property
    def synthetic(self) -> bool:
        return self.data.synthetic

    @property
    def day(self) -> date:
        return self.as_of.date()

    @property
    def kw(self) -> dict[str, object]:
        """The keywords every contract indicator takes."""
        return {"as_of": self.day, "synthetic": self.synthetic}

    @property
    def scope_label(self) -> str:
        return NATIONAL_LABEL if self.region is None else region_name(self.region)

    @property
    def profil_label(self) -> str:
        return "tous les profils" if self.profil is None else PROFILS[self.profil]

    @property
    def contracts(self) -> pd.DataFrame:
        """Every contract (the national reference every region is compared with)."""
        if self.data.contracts is None:
            raise UsageError("aucun contrat dans les données")
        return self.data.contracts

    @property
    def scope_contracts(self) -> pd.DataFrame:
        """The contracts of the region and background asked for."""
        contracts = self.contracts
        if self.region is not None:
            contracts = contracts[contracts["region"] == self.region]
        if self.profil is not None:
            contracts = contracts[contracts["profil_origine"] == self.profil]
        return contracts

    @property
    def comparison_codes(self) -> list[str]:
        """The territory codes a table compares: the region's and France's (`FR`), or France's alone."""
        return ["FR"] if self.region is None else [self.region, "FR"]

    @property
    def survey(self) -> pd.DataFrame:
        """Respondent-level survey answers (a clear error when the data holds none)."""
        if self.data.survey is None or self.data.survey.empty:
            raise UsageError("aucune réponse d'enquête dans les données")
        return self.data.survey

    def region_rows(self, frame: pd.DataFrame, column: str = "code", *, with_france: bool = False) -> pd.DataFrame:
        """The rows of a territory frame that belong to the region (all rows for France); `with_france`
        keeps the national row (code `FR`) beside the region's, for comparison."""
        if self.region is None:
            return frame
        wanted = {self.region, "FR"} if with_france else {self.region}
        return frame[frame[column].isin(wanted)]

    def profil_rows(self, frame: pd.DataFrame, column: str = "profil_origine") -> pd.DataFrame:
        """The rows of the chosen background (all rows when every background is shown)."""
        return frame if self.profil is None else frame[frame[column] == self.profil]

    def scope_targets(self, progress: pd.DataFrame) -> pd.DataFrame:
        """The official targets are national: a region's rollout chart is drawn without them."""
        return progress if self.region is None else progress.iloc[0:0]

    def header(self) -> Html:
        """The line under the notebook's title: territory (and background), as-of date, and the banner."""
        from am_analytics.figures.formatting import format_date

        scope = self.scope_label if self.profil is None else f"{self.scope_label} — {self.profil_label}"
        parts = [f'<p style="font-size:1.15em"><strong>{html.escape(scope)}</strong> — données au '
                 f"{html.escape(format_date(self.day))}</p>"]
        banner = synthetic_banner(self.synthetic)
        if banner is not None:
            parts.append(banner.html)
        return Html("\n".join(parts))


def open_dashboard(
    *,
    data_dir: object = None,
    processed_dir: object = None,
    as_of: object = None,
    region: object = None,
    profil_origine: object = None,
) -> Dashboard:
    """Resolve a notebook's parameters, load the data (prepared first when missing or stale) and make
    figures display in the notebook. Raises `UsageError` with a French message on a bad parameter."""
    from am_analytics.loading import load

    region_code = resolve_region(region)
    profil = resolve_profil(profil_origine)
    raw, processed = resolve_dirs(data_dir, processed_dir)
    data = load(raw, processed)
    enable_figure_display()
    return Dashboard(data=data, as_of=resolve_as_of(as_of, data.contracts), region=region_code, profil=profil)


# --- Display ---------------------------------------------------------------------------------------------


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
        f"⚠ {SYNTHETIC_BANNER} — ces chiffres sont générés par le logiciel pour la démonstration ; "
        "ne pas les utiliser ni les diffuser comme des données réelles.</div>"
    )


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


def table_html(table: PublishedTable, *, max_rows: int | None = None) -> Html:
    """A published table as HTML: title, the masked French cells (numbers right-aligned), notes, source."""
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
        parts.append(f"<p><small>… et {hidden} autres lignes.</small></p>")
    notes = [*table.notes, f"Source : {table.source}."]
    parts.extend(f'<p style="margin:0.2em 0"><small>{html.escape(note)}</small></p>' for note in notes)
    return Html("\n".join(parts))


def text_html(text: str) -> Html:
    """A paragraph of French text computed from the data (a test result, a note)."""
    return Html(f"<p>{html.escape(text)}</p>")


# --- Tables the report does not have ---------------------------------------------------------------------


def key_figures_table(regions: pd.DataFrame, nation: pd.DataFrame, region: str | None) -> PublishedTable:
    """Key figures of a region beside France (or France alone), from `by_region` and `national_totals`."""
    from am_analytics.figures.charts import SOURCE_CONTRACTS

    rows = [nation.iloc[0]]
    if region is not None:
        rows.insert(0, regions.set_index("code", drop=False).loc[region])
    frame = pd.DataFrame(rows).reset_index(drop=True)
    return published_table(
        "Chiffres clés",
        "Chiffres clés" + ("" if region is None else " — comparaison avec la France entière"),
        frame,
        [
            Column("nom", "Territoire", width=2.0),
            Column("signes", "Contrats signés (cumul)", "count"),
            Column("actifs", "Contrats actifs", "count"),
            Column("etp_actifs", "ETP actifs", "decimal", base="actifs"),
            Column("actifs_pour_100k_hab", "Actifs pour 100 000 habitants", "decimal", base="actifs"),
            Column("actifs_mg_pour_100_mg_estimes", "Actifs MG pour 100 MG (estimation)", "decimal", base="actifs"),
            Column("part_nationale_signes", "Part des contrats signés en France", "percent", base="signes"),
            Column("croissance_actifs_12m", "Évolution des actifs sur 12 mois", "percent", base="actifs"),
        ],
        source=f"{SOURCE_CONTRACTS} ; Insee ; Drees",
        # Each row is its own total (a region is not the complement of France here): a small regional count
        # is hidden without hiding the national one, which the regions table protects by its own masking.
        groups=frame["code"],
    )


def background_trend_table(mix: pd.DataFrame, title: str) -> PublishedTable:
    """A category's share by signing year (rows of `background_mix_by_year`), with 95 % intervals."""
    from am_analytics.figures.charts import SOURCE_CONTRACTS

    return published_table(
        "Tendance",
        title,
        mix,
        [
            Column("periode", "Année de signature"),
            Column("libelle", "Profil d'origine", width=2.4),
            Column("effectif", "Contrats", "count"),
            Column("total", "Contrats de l'année", "count"),
            Column("part", "Part", "percent", base="effectif"),
            Column("ic_bas", "IC 95 % bas", "percent", base="effectif"),
            Column("ic_haut", "IC 95 % haut", "percent", base="effectif"),
        ],
        source=SOURCE_CONTRACTS,
        notes=["Intervalles de confiance de Wilson à 95 %."],
        groups=mix["periode"],
    )


def training_by_background_table(overdue: pd.DataFrame) -> PublishedTable:
    """Assistants past their certification deadline without it, by background (`overdue_by_background`)."""
    from am_analytics.figures.charts import SOURCE_CONTRACTS
    from am_analytics.indicators.methods import METHODS

    return published_table(
        "Formation par profil",
        "Assistants sans certification après l'échéance, par profil d'origine",
        overdue,
        [
            Column("libelle", "Profil d'origine", width=2.4),
            Column("actifs", "Contrats actifs", "count"),
            Column("certifies", "Certifiés", "count"),
            Column("echeance_depassee", "Échéance dépassée", "count"),
            Column("en_retard", "Sans certification", "count"),
            Column("part_en_retard", "Part", "percent", base="en_retard"),
        ],
        source=SOURCE_CONTRACTS,
        notes=[METHODS["formation"].text],
    )


def survey_shares_table(shares: pd.DataFrame, title: str, answers: dict | None = None) -> PublishedTable:
    """Weighted shares of one question by group (`weighted_shares`), answers in French.

    Groups nobody in which was asked the question (assistants, for the time the doctor saved) are left out
    rather than shown as rows of « n.d. ». The survey's method note is shown once, under the missions table.
    """
    from am_analytics.figures.charts import SOURCE_SURVEY
    from am_analytics.report.build import GROUP_LABELS

    labels = answers or {}
    asked = shares[shares["repondants"] > 0]
    frame = asked.assign(
        groupe_libelle=asked["groupe"].map(GROUP_LABELS).fillna(asked["groupe"]),
        reponse_libelle=asked["reponse"].map(lambda value: labels.get(value, labels.get(str(value), str(value)))),
    )
    return published_table(
        "Enquête",
        title,
        frame,
        [
            Column("groupe_libelle", "Répondants"),
            Column("reponse_libelle", "Réponse", width=2.0),
            Column("repondants", "Répondants (nombre)", "count"),
            Column("part", "Part pondérée", "percent", base="repondants"),
            Column("ic_bas", "IC 95 % bas", "percent", base="repondants"),
            Column("ic_haut", "IC 95 % haut", "percent", base="repondants"),
        ],
        source=SOURCE_SURVEY,
        notes=["Parts pondérées parmi les répondants à la question ; intervalles de confiance à 95 % (voir la "
               "méthode sous le tableau des missions)."],
    )


def aggregated_table(aggregated: pd.DataFrame) -> PublishedTable:
    """The institute's published tables (`aggregated_shares`), as read from its workbook."""
    from am_analytics.figures.charts import SOURCE_SURVEY

    return published_table(
        "Tableaux de l'institut",
        "Résultats publiés par l'institut (tableaux agrégés)",
        aggregated,
        [
            Column("question", "Question", width=2.6),
            Column("reponse", "Réponse", width=1.6),
            Column("sous_groupe", "Sous-groupe", width=1.8),
            Column("base", "Base", "count"),
            Column("part", "Part", "percent", base="base"),
            Column("ic_bas", "IC 95 % bas", "percent", base="base"),
            Column("ic_haut", "IC 95 % haut", "percent", base="base"),
        ],
        source=SOURCE_SURVEY + " (tableaux de l'institut)",
        notes=["Intervalles calculés sur la base non pondérée publiée : probablement trop étroits."],
    )


def independence_text(result: pd.DataFrame, what: str) -> Html:
    """One sentence on a chi-square test (`independence_test`, `compare_groups` rows), with its caveat."""
    from am_analytics.figures.formatting import format_number

    row = result.iloc[0]
    text = (f"Test d'indépendance {what} (khi-deux) : p = {format_number(row['p_valeur'], 3)}, "
            f"V de Cramér = {format_number(row['v_de_cramer'], 3)}.")
    note = row.get("note")
    if isinstance(note, str) and note:
        text += f" {note}"
    return text_html(text)


def background_map(shares: pd.DataFrame, profil: str | None, *, as_of: object, synthetic: bool):
    """Map of one background's share of contracts by region (from `background_shares_by_region`);
    `None` when every background is shown (one map per background would say less than the stacked chart)."""
    if profil is None:
        return None
    from am_analytics.figures import region_map
    from am_analytics.figures.charts import SOURCE_CONTRACTS
    from am_analytics.figures.formatting import format_percent

    rows = shares[(shares["profil_origine"] == profil) & (shares["code"] != "FR")]
    return region_map(
        rows.set_index("code")["part"],
        title=f"Part des contrats signés avec un profil « {PROFILS[profil]} », par région",
        legend_title="Part des contrats\nsignés",
        source=SOURCE_CONTRACTS,
        as_of=as_of,
        synthetic=synthetic,
        formatter=lambda value: format_percent(value, 0),
        decimals=2,
    )
