"""Chart functions: indicator frames in, finished figures out (title, axis labels with units, source and
as-of caption, synthetic mention), drawn the same way for the notebooks and the PDF report.

Each function takes the frames the indicators return (and an optional Axes), reads whether its inputs
are synthetic from their source labels, and returns a Figure; saving is `contract.save_figure`'s job.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from am_analytics.figures.contract import finish_figure, plot_published
from am_analytics.figures.formatting import (
    format_date,
    format_number,
    format_percent,
    french_date_axis,
    number_formatter,
    percent_formatter,
)
from am_analytics.figures.style import OKABE_ITO, category_colours, new_figure, styled
from am_analytics.indicators.common import is_synthetic
from am_analytics.vocabulary import SATISFACTION

SOURCE_CONTRACTS = "contrats d'aide à l'emploi d'un assistant médical (CPAM)"
SOURCE_TARGETS = "objectifs officiels et chiffres publiés (Assurance Maladie, presse)"
SOURCE_POPULATION = "Insee, populations légales 2023"
SOURCE_SURVEY = "enquête de satisfaction auprès des médecins et des assistants"

SIGNED_COLOUR = OKABE_ITO["bleu"]
ACTIVE_COLOUR = OKABE_ITO["vert"]
HIGHLIGHT_COLOUR = OKABE_ITO["orange"]
WARNING_COLOUR = OKABE_ITO["vermillon"]
TARGET_COLOUR = "#555555"


def _synthetic(*frames: pd.DataFrame | None) -> bool:
    return any(is_synthetic(frame) for frame in frames if frame is not None)


def _as_of(*frames: pd.DataFrame | None) -> str | None:
    for frame in frames:
        if frame is not None and frame.attrs.get("as_of"):
            return frame.attrs["as_of"]
    return None


def _axes(ax: Axes | None, size: str = "full", height_cm: float | None = None) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    return new_figure(size, height_cm=height_cm)


def _target_label(value: float, deadlines: Sequence[pd.Timestamp]) -> str:
    years = sorted({f"fin {d.year}" if (d.month, d.day) == (12, 31) else format_date(d) for d in deadlines})
    return f"Objectif {format_number(value)} ({', '.join(years)})"


@styled
def rollout_chart(
    monthly: pd.DataFrame,
    targets: pd.DataFrame,
    projections: pd.DataFrame | None = None,
    published: pd.DataFrame | None = None,
    *,
    title: str = "Déploiement national des assistants médicaux",
    ax: Axes | None = None,
) -> Figure:
    """Cumulative contracts signed and active contracts by month, the contract targets as reference lines
    (a marker at each deadline), the projection of the next unmet target with its band, and the real
    published figures as black diamonds."""
    fig, ax = _axes(ax, height_cm=9.5)
    dates = pd.to_datetime(monthly["date_arrete"])
    ax.plot(dates, monthly["signes_cumul"], color=SIGNED_COLOUR, linewidth=2, label="Contrats signés (cumul)")
    ax.plot(dates, monthly["actifs"], color=ACTIVE_COLOUR, linewidth=1.6, label="Contrats actifs")
    posts = targets[targets["indicateur"] == "contrats_signes"]
    right = dates.max()
    for value, group in posts.groupby("valeur_cible"):
        deadlines = list(pd.to_datetime(group["echeance"]))
        ax.axhline(value, color=TARGET_COLOUR, linestyle="--", linewidth=0.9)
        ax.plot(deadlines, [value] * len(deadlines), linestyle="none", marker="v", color=TARGET_COLOUR)
        right = max(right, *deadlines)
        ax.annotate(
            _target_label(value, deadlines),
            (dates.min(), value),
            xytext=(2, 3),
            textcoords="offset points",
            fontsize="small",
            color=TARGET_COLOUR,
        )
    projected = projections is not None and _draw_projection(ax, monthly, projections)
    if published is not None and not published.empty:
        chosen = published[published["indicateur"] == "contrats_signes"]
        plot_published(ax, pd.to_datetime(chosen["date_reference"]), chosen["valeur_publiee"])
    ax.set_xlim(dates.min() - pd.Timedelta(days=30), right + pd.Timedelta(days=60))
    ax.set_ylim(0, None)
    french_date_axis(ax.xaxis, "year", interval=1)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y")
    ax.legend(loc="lower right", frameon=False)
    return finish_figure(
        fig,
        title=title,
        # a region's chart has neither targets nor published figures: its source says only what it shows
        source=f"{SOURCE_CONTRACTS} ; {SOURCE_TARGETS}" if len(posts) or published is not None else SOURCE_CONTRACTS,
        as_of=_as_of(monthly),
        synthetic=_synthetic(monthly, projections),
        xlabel="Date (fin de mois)",
        ylabel="Contrats (nombre)",
        note="Projection : tendance linéaire des 12 derniers mois, bande à 95 %." if projected else None,
    )


def _draw_projection(ax: Axes, monthly: pd.DataFrame, projections: pd.DataFrame) -> bool:
    """The next unmet target's projected date: a dashed line from the last point, a band between the
    earliest and latest dates of its interval."""
    pending = projections[projections["date_projetee"].notna() & (projections["indicateur"] == "contrats_signes")]
    if pending.empty:
        return False
    target = pending.sort_values("valeur_cible").iloc[0]
    start_date = pd.to_datetime(monthly["date_arrete"]).iloc[-1]
    start_value = monthly["signes_cumul"].iloc[-1]
    end, low, high = (
        pd.Timestamp(target[c]) for c in ("date_projetee", "date_projetee_au_plus_tot", "date_projetee_au_plus_tard")
    )
    ax.fill(
        [start_date, low, high],
        [start_value, target["valeur_cible"], target["valeur_cible"]],
        color=SIGNED_COLOUR,
        alpha=0.15,
        linewidth=0,
        label="Projection (bande à 95 %)",
    )
    ax.plot([start_date, end], [start_value, target["valeur_cible"]], color=SIGNED_COLOUR, linestyle=":", linewidth=1.6)
    ax.annotate(
        f"projection : {format_date(end)}",
        (end, target["valeur_cible"]),
        xytext=(-4, -12),
        textcoords="offset points",
        ha="right",
        fontsize="small",
        color=SIGNED_COLOUR,
    )
    return True


@styled
def fte_chart(
    monthly: pd.DataFrame,
    targets: pd.DataFrame,
    published: pd.DataFrame | None = None,
    *,
    ax: Axes | None = None,
) -> Figure:
    """Active FTE and cumulative FTE signed by month, against the 2 000 FTE target of « Ma santé 2022 »."""
    fig, ax = _axes(ax, height_cm=8)
    dates = pd.to_datetime(monthly["date_arrete"])
    ax.plot(dates, monthly["etp_signes_cumul"], color=SIGNED_COLOUR, linewidth=2, label="ETP signés (cumul)")
    ax.plot(dates, monthly["etp_actifs"], color=ACTIVE_COLOUR, linewidth=1.6, label="ETP actifs")
    for _, target in targets[targets["indicateur"] == "etp_assistants"].iterrows():
        ax.axhline(target["valeur_cible"], color=TARGET_COLOUR, linestyle="--", linewidth=0.9)
        deadline = pd.Timestamp(target["echeance"])
        ax.plot([deadline], [target["valeur_cible"]], marker="v", linestyle="none", color=TARGET_COLOUR)
        ax.annotate(
            _target_label(target["valeur_cible"], [deadline]) + " ETP",
            (dates.min(), target["valeur_cible"]),
            xytext=(2, 3),
            textcoords="offset points",
            fontsize="small",
            color=TARGET_COLOUR,
        )
    if published is not None and not published.empty:
        chosen = published[published["indicateur"] == "etp_assistants"]
        plot_published(ax, pd.to_datetime(chosen["date_reference"]), chosen["valeur_publiee"])
    ax.set_ylim(0, None)
    french_date_axis(ax.xaxis, "year", interval=1)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y")
    ax.legend(loc="upper left", frameon=False)
    return finish_figure(
        fig,
        title="Équivalents temps plein d'assistants médicaux financés",
        source=f"{SOURCE_CONTRACTS} ; {SOURCE_TARGETS}",
        as_of=_as_of(monthly),
        synthetic=_synthetic(monthly),
        xlabel="Date (fin de mois)",
        ylabel="Équivalents temps plein (ETP)",
    )


@styled
def regions_ranked_chart(
    regions: pd.DataFrame,
    *,
    measure: str = "actifs_pour_100k_hab",
    label: str = "Contrats actifs pour 100 000 habitants",
    national: pd.DataFrame | None = None,
    highlight: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Regions ranked by a rate; a region without denominator is listed with « n.d. », never drawn as 0."""
    fig, ax = _axes(ax, height_cm=10)
    ordered = regions.assign(_value=regions[measure].astype("Float64")).sort_values(
        "_value", ascending=True, na_position="first"
    )
    positions = np.arange(len(ordered))
    values = ordered["_value"].astype(float).to_numpy()
    colours = [HIGHLIGHT_COLOUR if code == highlight else SIGNED_COLOUR for code in ordered["code"]]
    ax.barh(positions, np.nan_to_num(values), color=colours)
    for y, value in zip(positions, values, strict=True):
        ax.annotate(
            format_number(value, 1) if not np.isnan(value) else "n.d.",
            (0 if np.isnan(value) else value, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize="small",
        )
    if national is not None and not national.empty:
        rate = float(national[measure].iloc[0])
        ax.axvline(rate, color=TARGET_COLOUR, linestyle="--", linewidth=0.9)
        ax.annotate(
            f"France : {format_number(rate, 1)}",
            (rate, len(ordered) - 0.5),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize="small",
            color=TARGET_COLOUR,
        )
    ax.set_yticks(positions, ordered["nom"])
    ax.xaxis.set_major_formatter(number_formatter())
    ax.grid(axis="x")
    return finish_figure(
        fig,
        title=f"{label}, par région",
        source=f"{SOURCE_CONTRACTS} ; {SOURCE_POPULATION}",
        as_of=_as_of(regions),
        synthetic=_synthetic(regions),
        xlabel=f"{label} (nombre)",
        ylabel="Région",
        note="n.d. : population non disponible (Mayotte est absente des populations légales de l'Insee).",
    )


def _colours(n: int) -> list[str]:
    """The palette's colours, then neutral grey: the eighth category is always « non renseigné »."""
    palette = min(n, 7)
    return category_colours(palette) + ["#9E9E9E"] * (n - palette)


def _stacked_shares(ax: Axes, table: pd.DataFrame, labels: Sequence[str], *, horizontal: bool) -> None:
    """Stacked bars of shares: one bar per row of `table` (index = bar label), one segment per column."""
    colours = _colours(len(table.columns))
    positions = np.arange(len(table))
    left = np.zeros(len(table))
    for column, colour, label in zip(table.columns, colours, labels, strict=True):
        values = table[column].fillna(0).to_numpy(dtype=float)
        if horizontal:
            ax.barh(positions, values, left=left, color=colour, label=label, edgecolor="white", linewidth=0.4)
        else:
            ax.bar(positions, values, bottom=left, color=colour, label=label, edgecolor="white", linewidth=0.4)
        left += values
    if horizontal:
        ax.set_yticks(positions, list(table.index))
        ax.xaxis.set_major_formatter(percent_formatter())
        ax.set_xlim(0, 1)
    else:
        ax.set_xticks(positions, list(table.index))
        ax.yaxis.set_major_formatter(percent_formatter())
        ax.set_ylim(0, 1)


def _wide_shares(frame: pd.DataFrame, index: str, label: str) -> tuple[pd.DataFrame, list[str]]:
    """One column per category label, in the indicator's order; categories sharing a label (an unknown
    background and a missing one are both « Non renseigné ») are one segment."""
    order = list(dict.fromkeys(frame[label]))
    wide = frame.pivot_table(index=index, columns=label, values="part", aggfunc="sum", sort=False)
    return wide.reindex(columns=order), order


@styled
def background_by_region_chart(shares: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """Assistants' backgrounds: stacked shares per region (and France), from `background_shares_by_region`."""
    fig, ax = _axes(ax, height_cm=12)
    wide, labels = _wide_shares(shares, "nom", "libelle")
    _stacked_shares(ax, wide.iloc[::-1], labels, horizontal=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncols=3, frameon=False, fontsize="small")
    return finish_figure(
        fig,
        title="Profil d'origine des assistants médicaux, par région",
        source=SOURCE_CONTRACTS,
        as_of=_as_of(shares),
        synthetic=_synthetic(shares),
        xlabel="Part des contrats signés (%)",
        ylabel="Région",
    )


@styled
def mix_by_period_chart(shares: pd.DataFrame, *, title: str, what: str, ax: Axes | None = None) -> Figure:
    """Any category mix by signing year (from `category_shares(..., period="annee")`): stacked shares."""
    fig, ax = _axes(ax, height_cm=8)
    wide, labels = _wide_shares(shares, "periode", "libelle")
    _stacked_shares(ax, wide, labels, horizontal=False)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize="small")
    return finish_figure(
        fig,
        title=title,
        source=SOURCE_CONTRACTS,
        as_of=_as_of(shares),
        synthetic=_synthetic(shares),
        xlabel="Année de signature",
        ylabel="Part des contrats signés (%)",
        note=f"Répartition par {what}.",
    )


@styled
def funding_chart(funding: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """Expected CPAM aid by calendar year (rules of the period), with the coverage of known rules."""
    fig, ax = _axes(ax, height_cm=8)
    years = funding["annee"].astype(int).to_numpy()
    millions = funding["montant_attendu_eur"].astype(float).to_numpy() / 1e6
    ax.bar(years, millions, color=SIGNED_COLOUR)
    for year, amount, coverage in zip(years, millions, funding["couverture"], strict=True):
        text = format_number(amount, 1) + "\u00a0M€"
        if pd.notna(coverage) and coverage < 1:
            text += f"\n(barème connu : {format_percent(coverage, 0)})"
        ax.annotate(text, (year, amount), xytext=(0, 3), textcoords="offset points", ha="center", fontsize="small")
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylim(0, max(millions.max(initial=0) * 1.2, 1))
    # a region's yearly aid may stay under a few millions: whole-million ticks would read « 0, 0, 1, 1 »
    ax.yaxis.set_major_formatter(number_formatter(0 if millions.max(initial=0) >= 10 else 1))
    ax.grid(axis="y")
    return finish_figure(
        fig,
        title="Aide attendue de l'Assurance Maladie, par année civile",
        source=f"{SOURCE_CONTRACTS} ; barèmes de l'avenant 7 et de la convention 2024",
        as_of=_as_of(funding),
        synthetic=_synthetic(funding),
        xlabel="Année civile (début de l'année de contrat)",
        ylabel="Aide attendue (millions d'euros)",
        note="Barème « standard » de patientèle supposé : un plancher. "
        "Options « deuxième assistant » sans montant publié, "
        "non chiffrées.",
    )


@styled
def training_overdue_chart(overdue: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """Share of active assistants past their certification deadline without the CQP, by region, with 95 % CI."""
    fig, ax = _axes(ax, height_cm=10)
    ordered = overdue.sort_values("part_en_retard", ascending=True, na_position="first")
    positions = np.arange(len(ordered))
    share = ordered["part_en_retard"].astype(float).to_numpy()
    low = ordered["ic_bas"].astype(float).to_numpy()
    high = ordered["ic_haut"].astype(float).to_numpy()
    ax.barh(positions, np.nan_to_num(share), color=ACTIVE_COLOUR)
    ax.errorbar(
        np.nan_to_num(share),
        positions,
        xerr=[np.nan_to_num(share - low), np.nan_to_num(high - share)],
        fmt="none",
        ecolor=TARGET_COLOUR,
        elinewidth=0.8,
        capsize=2,
    )
    ax.set_yticks(positions, ordered["nom"])
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.grid(axis="x")
    return finish_figure(
        fig,
        title="Assistants sans certification après leur échéance, par région",
        source=SOURCE_CONTRACTS,
        as_of=_as_of(overdue),
        synthetic=_synthetic(overdue),
        xlabel="Part des assistants en poste dont l'échéance est dépassée (%)",
        ylabel="Région",
        note="Échéance : 3 ans après la prise de fonction (2 ans sous la convention de 2024). "
        "Barres : intervalle à 95 %.",
    )


@styled
def likert_chart(
    distribution: pd.DataFrame, *, as_of: object, labels: dict[str, str] | None = None, ax: Axes | None = None
) -> Figure:
    """Satisfaction as diverging bars: satisfied answers to the right of zero, dissatisfied to the left.

    `as_of` is the survey's fieldwork date (the survey has no as-of date of its own in the data)."""
    fig, ax = _axes(ax, height_cm=6.5)
    levels = list(SATISFACTION.values())
    colours = ["#1A7F5A", "#7FC8A9", "#F4A582", "#CA0020"]
    rows = distribution.set_index("groupe")
    names = [labels.get(g, g) if labels else g for g in rows.index]
    positions = np.arange(len(rows))
    positive_left = np.zeros(len(rows))
    negative_left = np.zeros(len(rows))
    for level, colour in zip(levels, colours, strict=True):
        values = rows[level].fillna(0).to_numpy(dtype=float)
        if level in levels[:2]:
            ax.barh(positions, values, left=positive_left, color=colour, label=level)
            positive_left += values
        else:
            negative_left -= values
            ax.barh(positions, values, left=negative_left, color=colour, label=level)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(positions, names)
    ax.set_xlim(-1, 1)
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["100 %", "50 %", "0 %", "50 %", "100 %"])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=4, frameon=False, fontsize="small")
    return finish_figure(
        fig,
        title="Satisfaction à l'égard du dispositif",
        source=SOURCE_SURVEY,
        as_of=as_of,
        synthetic=_synthetic(distribution),
        xlabel="Part des répondants, pondérée (%) : insatisfaits à gauche, satisfaits à droite",
        ylabel="Répondants",
    )


@styled
def quality_chart(quality: pd.DataFrame, *, as_of: object, ax: Axes | None = None) -> Figure:
    """Rows read per input file, split into kept, merged duplicates and quarantined (`as_of`: the date of
    the data the files hold)."""
    files = quality[quality["fichier"] != "Total"]
    fig, ax = _axes(ax, height_cm=7.5)
    positions = np.arange(len(files))
    parts = [
        ("lignes_conservees", "Conservées"),
        ("doublons_fusionnes", "Doublons fusionnés"),
        ("lignes_en_quarantaine", "En quarantaine"),
    ]
    colours = [SIGNED_COLOUR, "#999999", WARNING_COLOUR]
    left = np.zeros(len(files))
    for (column, label), colour in zip(parts, colours, strict=True):
        values = files[column].astype(float).to_numpy()
        ax.barh(positions, values, left=left, color=colour, label=label)
        left += values
    for y, read, quarantined in zip(positions, files["lignes_lues"], files["lignes_en_quarantaine"], strict=True):
        ax.annotate(
            f"{format_number(quarantined)} en quarantaine sur {format_number(read)}",
            (read, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize="small",
        )
    ax.set_yticks(positions, files["fichier"])
    ax.xaxis.set_major_formatter(number_formatter())
    ax.set_xlim(0, float(files["lignes_lues"].max()) * 1.75)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3, frameon=False, fontsize="small")
    return finish_figure(
        fig,
        title="Qualité des données : lignes lues, conservées et mises en quarantaine",
        source="fichiers reçus, manifeste de préparation",
        as_of=as_of,
        synthetic=_synthetic(quality),
        xlabel="Lignes (nombre)",
        ylabel="Fichier",
    )


__all__ = [
    "background_by_region_chart",
    "fte_chart",
    "funding_chart",
    "likert_chart",
    "mix_by_period_chart",
    "quality_chart",
    "regions_ranked_chart",
    "rollout_chart",
    "training_overdue_chart",
]
