"""The charts of the effect of signing, drawn from the published effect frame (`NationalResults.commitment_effect`)
and the Cnam's design run on the data (`commitment_cross`): the event study, period by period (one line per measure
with its 95 % interval, the reference period at zero), and the report's body figure of access to care (the average
effect beside the published 48-month evolutions)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from am_analytics.figures.charts import below_axis
from am_analytics.figures.contract import finish_figure, plot_published
from am_analytics.figures.formatting import format_number, percent_formatter
from am_analytics.figures.published import SECRET_TEXT, shown_values
from am_analytics.figures.style import CATEGORY_COLOURS, GRID_COLOUR, MUTED_COLOUR, OKABE_ITO, new_figure, styled
from am_analytics.indicators.commitment_effect import CROSS_INDICATORS, GROUPS, MEASURES
from am_analytics.indicators.common import is_synthetic

EVENT_STUDY_TITLE = "Effet de la signature, période par période (étude d'événement)"


@styled
def event_study_chart(effect: pd.DataFrame, *, as_of: object) -> Figure:
    """Each measure's event-study coefficients (in %) against the periods since the signature period, with their
    95 % intervals; the period before the signature is the reference (0)."""
    fig, ax = new_figure("full", height_cm=8.0)
    rows = effect[(effect["dimension"] == "ensemble").to_numpy(dtype=bool)
                  & effect["periode_evenement"].notna().to_numpy(dtype=bool)]
    for (label, group), colour in zip(rows.groupby("mesure_libelle", sort=False), CATEGORY_COLOURS, strict=False):
        times = group["periode_evenement"].astype(float).to_numpy()
        ax.fill_between(times, group["ic_bas"].astype(float), group["ic_haut"].astype(float), color=colour,
                        alpha=0.2, linewidth=0)
        ax.plot(times, group["effet_pct"].astype(float), marker="o", color=colour, label=label)
    ax.axhline(0, color=GRID_COLOUR, linewidth=1)
    ax.axvline(-0.5, color=GRID_COLOUR, linewidth=1, linestyle="--")
    ax.legend(frameon=False, loc="upper left")
    return finish_figure(
        fig,
        title=EVENT_STUDY_TITLE,
        source="contrats et suivi d'activité des médecins (CPAM), signataires face à des non-signataires appariés",
        as_of=as_of,
        synthetic=is_synthetic(effect),
        xlabel="Périodes depuis la période de signature (0)",
        ylabel="Écart aux non-signataires (%)",
        note="Référence : période précédant la signature ; bandes : intervalles à 95 % robustes par médecin.",
    )


ACCESS_TITLE = "Contreparties : l'activité des médecins signataires face aux non-signataires"
# each measure of the effect and the published 48-month evolution of the same measure (Cnam, December 2024)
EVOLUTION_OF = {"patients_mt": "patientele_mt_evolution_pct", "file_active": "file_active_evolution_pct",
                "actes_par_jour": "actes_par_jour_evolution_pct"}
GROUP_COLOURS = {"signataires": OKABE_ITO["bleu"], "non_signataires": OKABE_ITO["bleu_ciel"]}
CNAM_LABEL = "Publié (Cnam)"


def average_effects(effect: pd.DataFrame) -> pd.DataFrame:
    """The average effect after the signature period of each measure, over every matched signatory, in the order
    of `MEASURES` (the rows of the published effect frame, unchanged)."""
    rows = effect[(effect["dimension"] == "ensemble").to_numpy(dtype=bool)
                  & effect["periode_evenement"].isna().to_numpy(dtype=bool)]
    return rows.set_index("mesure").reindex([name for name in MEASURES if name in set(rows["mesure"])])


def evolution_rows(cross: pd.DataFrame, measure: str, group: str) -> pd.DataFrame:
    """The row of the Cnam's design on the data for one measure and group (`commitment_cross`, as published)."""
    label, group_label = CROSS_INDICATORS[EVOLUTION_OF[measure]], GROUPS[group]
    return cross[(cross["indicateur_libelle"] == label).to_numpy(dtype=bool)
                 & (cross["groupe_libelle"] == group_label).to_numpy(dtype=bool)]


@styled
def access_chart(effect: pd.DataFrame, cross: pd.DataFrame | None, *, as_of: object) -> Figure:
    """Left: the average effect of signing on each measure (difference in differences, in %, with its 95 %
    interval). Right, when the Cnam's design applies to the data: the 48-month evolution of signatories and
    non-signatories on the data (bars) beside the published figures (black diamonds). Hidden values are not drawn."""
    average = average_effects(effect)
    panels = 2 if cross is not None and len(cross) else 1
    fig, axes = new_figure("full", height_cm=9.5, ncols=panels, sharey=True)
    left = axes[0] if panels == 2 else axes
    positions = np.arange(len(average))[::-1].astype(float)
    value, low, high = (shown_values(average, column) for column in ("effet_pct", "ic_bas", "ic_haut"))
    drawn = ~np.isnan(value)
    left.errorbar(value[drawn], positions[drawn],
                  xerr=[np.nan_to_num(value - low)[drawn], np.nan_to_num(high - value)[drawn]],
                  fmt="none", ecolor=OKABE_ITO["vermillon"], capsize=3, label="Intervalle à 95 %")
    left.plot(value[drawn], positions[drawn], "o", color=OKABE_ITO["vermillon"], label="Effet estimé")
    for y, shown, estimate, top in zip(positions, drawn, value, high, strict=True):
        text = f"+{format_number(estimate, 1)} %" if shown else SECRET_TEXT
        left.annotate(text, (top if shown else 0, y), xytext=(6, 0), textcoords="offset points", ha="left",
                      va="center", fontsize="small", color=MUTED_COLOUR)
    left.axvline(0, color=GRID_COLOUR, linewidth=1)
    left.set_yticks(positions, [LABELS.get(name, MEASURES[name].capitalize()) for name in average.index])
    left.set_ylim(positions.min() - 0.6, positions.max() + 0.6)
    left.set_xlabel("Écart aux non-signataires (%)")
    left.set_ylabel("Activité du médecin")
    left.set_title("Effet de la signature", loc="left", fontsize="medium")
    left.xaxis.set_major_formatter(percent_formatter(0, ratio=False))
    left.set_xlim(0, max(float(np.nanmax(high)) if drawn.any() else 1.0, 1.0) * 1.35)
    left.legend(frameon=False, ncols=2, **below_axis(left))
    if panels == 2:
        _evolutions(axes[1], cross, average.index, positions)
    return finish_figure(
        fig, title=ACCESS_TITLE,
        source="contrats et suivi d'activité des médecins (CPAM) ; Cnam, Points de repère (3 décembre 2024)",
        as_of=as_of, synthetic=is_synthetic(effect),
        note="Intervalles à 95 % robustes par médecin. Étude Cnam : généralistes signataires de septembre 2019 à "
             "août 2020 et non-signataires, de l'année avant la signature à 48 mois.",
    )


# the measures' names as the chart's rows print them (two lines: the plot keeps its width)
LABELS = {"patients_mt": "Patientèle médecin\ntraitant adulte", "actes_par_jour": "Actes par jour\ntravaillé"}


def _evolutions(ax, cross: pd.DataFrame, measures, positions: np.ndarray) -> None:
    """The 48-month evolutions of both groups, on the data (bars) and as published (diamonds)."""
    height = 0.36
    for offset, group in ((height / 2, "signataires"), (-height / 2, "non_signataires")):
        rows = pd.concat([evolution_rows(cross, measure, group) for measure in measures])
        data = shown_values(rows, "valeur_donnees")
        ax.barh(positions + offset, np.nan_to_num(data), height=height, color=GROUP_COLOURS[group],
                label=f"{GROUPS[group].capitalize()} (données)")
        plot_published(ax, shown_values(rows, "valeur_publiee"), positions + offset,
                       label=CNAM_LABEL if group == "signataires" else "_")
    ax.axvline(0, color=GRID_COLOUR, linewidth=1)
    ax.yaxis.set_visible(False)  # the same rows as the left panel, which names them
    ax.set_xlabel("Évolution à 48 mois (%)")
    ax.set_title("Évolution à 48 mois (étude Cnam)", loc="left", fontsize="medium")
    ax.xaxis.set_major_formatter(percent_formatter(0, ratio=False))
    ax.legend(frameon=False, handlelength=1.2, **below_axis(ax))
