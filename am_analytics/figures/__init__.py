"""Presentation layer: the figure contract, French formatting, the plotting style and maps, drawn once for
the notebooks and the PDF report alike."""

from am_analytics.figures.contract import (
    SYNTHETIC_MENTION,
    FigureContractError,
    caption_text,
    check_figure,
    contract_problems,
    finish_figure,
    mark_map_axes,
    plot_published,
    save_figure,
)
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
from am_analytics.figures.maps import MapDataError, departement_map, make_classes, region_map
from am_analytics.figures.style import figure_size, figure_style, new_figure, styled

__all__ = [
    "MISSING",
    "SYNTHETIC_MENTION",
    "FigureContractError",
    "MapDataError",
    "caption_text",
    "check_figure",
    "contract_problems",
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
    "region_map",
    "save_figure",
    "styled",
]
