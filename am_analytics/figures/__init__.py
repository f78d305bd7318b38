"""Presentation layer: the figure contract, French formatting, the plotting style, charts and maps, drawn
once for the notebooks and the PDF report alike.

Charts and maps take the same arguments: indicator (or published) frames, reading the date, the synthetic
flag and the sources from their attrs — `am.figures.rollout_chart(monthly, progress)`,
`am.figures.region_map(regions, "actifs_pour_100k_hab", title=…, legend_title=…)`.
"""

from am_analytics.figures.charts import (
    background_by_region_chart,
    background_heatmap_chart,
    fte_chart,
    funding_chart,
    likert_chart,
    mix_by_period_chart,
    perspectives_chart,
    projected_spending_chart,
    quality_chart,
    regions_ranked_chart,
    rollout_chart,
    training_overdue_chart,
)
from am_analytics.figures.contract import (
    SYNTHETIC_MENTION,
    FigureContractError,
    caption_text,
    check_figure,
    contract_problems,
    finish_figure,
    mark_map_axes,
    plot_published,
    printed_text_pt,
    save_figure,
    smallest_text_pt,
)
from am_analytics.figures.followup import monthly_signings_chart, open_data_gap_chart
from am_analytics.figures.formatting import (
    MISSING,
    format_date,
    format_euros,
    format_fte,
    format_month,
    format_number,
    format_percent,
    format_unit,
)
from am_analytics.figures.maps import (
    MapDataError,
    departement_map,
    make_classes,
    region_departements_map,
    region_map,
)
from am_analytics.figures.style import figure_size, figure_style, new_figure, styled

__all__ = [
    "monthly_signings_chart",
    "open_data_gap_chart",
    "background_by_region_chart",
    "background_heatmap_chart",
    "fte_chart",
    "funding_chart",
    "likert_chart",
    "mix_by_period_chart",
    "perspectives_chart",
    "projected_spending_chart",
    "quality_chart",
    "regions_ranked_chart",
    "rollout_chart",
    "training_overdue_chart",
    "MISSING",
    "SYNTHETIC_MENTION",
    "FigureContractError",
    "MapDataError",
    "caption_text",
    "check_figure",
    "contract_problems",
    "printed_text_pt",
    "smallest_text_pt",
    "departement_map",
    "figure_size",
    "figure_style",
    "finish_figure",
    "format_date",
    "format_euros",
    "format_fte",
    "format_month",
    "format_number",
    "format_percent",
    "format_unit",
    "make_classes",
    "mark_map_axes",
    "new_figure",
    "plot_published",
    "region_departements_map",
    "region_map",
    "save_figure",
    "styled",
]
