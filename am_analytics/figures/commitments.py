"""The chart of the effect of signing, period by period (an event study), drawn from the published effect frame
(`NationalResults.commitment_effect`): one line per measure with its 95 % interval, the reference period at zero."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from am_analytics.figures.contract import finish_figure
from am_analytics.figures.style import CATEGORY_COLOURS, GRID_COLOUR, new_figure
from am_analytics.indicators.common import is_synthetic

EVENT_STUDY_TITLE = "Effet de la signature, période par période (étude d'événement)"


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
