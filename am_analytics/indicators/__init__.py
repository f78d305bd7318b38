"""Indicators: pure functions from processed frames to indicator frames, each computed at a counting date.

Every function that reads contracts takes the keywords `as_of` (the counting date; default: the latest
date of the data) and `synthetic` (default: the flag `am.load()` records in the frame's attrs), so
`am.indicators.by_region(data.contracts)` is a complete call; a date outside the data, an unknown period
or an unknown flag is refused in French (`IndicatorArgumentError`, a `ValueError`). Every frame returned
carries `attrs["sources"]` (labels among `demo`, `extract`, `reference`), `attrs["as_of"]` and
`attrs["notes"]` (French caveats). Every interval (`ic_bas`, `ic_haut`) contains its estimate. See
`common` for the mechanism and `methods.METHODS` for the French definitions the report reuses.

Every function that reads contracts or the survey also takes `region=`, `departement=` and `background=`, written as
people write them (« Occitanie », « 34 », « Infirmier·ère »), and `select(frame, …, since=…, until=…)` keeps the rows
of a selection: see `selection`. An unknown value is refused in French with its closest candidates.
"""

from am_analytics.indicators import commitments as _commitments
from am_analytics.indicators.backgrounds import (
    background_change_over_time,
    background_counts_by_region,
    background_counts_by_year,
    background_mix_by_year,
    background_shares_by_region,
    background_trend,
    region_against_france,
    region_background_independence,
)
from am_analytics.indicators.cnam_design import published_design
from am_analytics.indicators.commitment_effect import (
    as_percent,
    attributable,
    commitment_cross_check,
    effect_panel,
    estimate,
    estimate_by,
    event_periods,
    gains_by_region,
    match_controls,
    pair_differences,
    signatory_baselines,
    signing_effect,
    stacked_panel,
)
from am_analytics.indicators.commitments import (
    baseline_percentiles,
    category_labels,
    commitment_calendar,
    commitment_reviews,
    commitment_summary,
    contract_objectives,
    months_after,
    review_status,
)
from am_analytics.indicators.common import (
    DEMO,
    EXTRACT,
    REFERENCE,
    SOURCE_LABELS,
    IndicatorArgumentError,
    is_synthetic,
    sources_of,
    stamp_data,
)
from am_analytics.indicators.followup import (
    change_counts,
    change_counts_by_departement,
    changes_between_runs,
    month_against_previous,
    open_data_comparison,
    signings_by_month,
)
from am_analytics.indicators.funding import contract_years, expected_aid_by_region, expected_aid_by_year
from am_analytics.indicators.methods import METHODS, methods_markdown
from am_analytics.indicators.mix import PERIODS, category_shares, check_period, etp_option_mix, specialty_mix, zone_mix
from am_analytics.indicators.opendata import (
    check_open_data,
    departements_by_year,
    france_by_year,
    latest_year,
    region_by_year,
    regions_in_year,
)
from am_analytics.indicators.perspectives import (
    first_open_year,
    projected_signatures,
    projected_spending,
    recent_option_mix,
)
from am_analytics.indicators.quality import (
    change_log,
    changes_by_column,
    file_quality,
    quarantine_reasons,
    warning_details,
    warning_reasons,
)
from am_analytics.indicators.rollout import (
    counts_at,
    monthly_series,
    project_reach_date,
    published_cross_check,
    target_progress,
    target_projections,
    trend_band,
)
from am_analytics.indicators.selection import (
    SelectionError,
    background_code,
    departement_code,
    period_bound,
    region_code,
    select,
    selectable,
    selection_label,
)
from am_analytics.indicators.stats import independence_test, share_interval, trend_test, wilson_interval
from am_analytics.indicators.survey import (
    aggregated_shares,
    compare_groups,
    effective_size,
    group_labels,
    missions_delegated,
    satisfaction_distribution,
    satisfied_share,
    weighted_shares,
)
from am_analytics.indicators.territories import by_departement, by_region, generalists_source_note, national_totals
from am_analytics.indicators.training import (
    overdue_by_background,
    overdue_by_region,
    overdue_national,
    training_sites_in_use,
    training_status,
    training_supply_by_region,
)

# commitments.py reads the activity beside the contracts; its first-contract helper takes the selection keywords here
activity_with_contracts = _commitments.activity_with_contracts
first_contracts = selectable(_commitments.first_contracts)

__all__ = [
    "as_percent",
    "attributable",
    "commitment_cross_check",
    "published_design",
    "signing_effect",
    "effect_panel",
    "estimate",
    "estimate_by",
    "event_periods",
    "gains_by_region",
    "match_controls",
    "pair_differences",
    "signatory_baselines",
    "stacked_panel",
    "baseline_percentiles",
    "category_labels",
    "commitment_calendar",
    "commitment_reviews",
    "commitment_summary",
    "contract_objectives",
    "months_after",
    "review_status",
    "check_open_data",
    "departements_by_year",
    "france_by_year",
    "latest_year",
    "region_by_year",
    "regions_in_year",
    "change_counts",
    "change_counts_by_departement",
    "changes_between_runs",
    "month_against_previous",
    "open_data_comparison",
    "signings_by_month",
    "activity_with_contracts",
    "background_change_over_time",
    "background_code",
    "background_counts_by_year",
    "background_trend",
    "check_period",
    "departement_code",
    "effective_size",
    "first_contracts",
    "first_open_year",
    "group_labels",
    "recent_option_mix",
    "region_against_france",
    "region_code",
    "period_bound",
    "select",
    "selectable",
    "SelectionError",
    "selection_label",
    "trend_band",
    "trend_test",
    "overdue_national",
    "projected_signatures",
    "projected_spending",
    "aggregated_shares",
    "compare_groups",
    "missions_delegated",
    "satisfaction_distribution",
    "satisfied_share",
    "weighted_shares",
    "DEMO",
    "EXTRACT",
    "REFERENCE",
    "SOURCE_LABELS",
    "IndicatorArgumentError",
    "PERIODS",
    "METHODS",
    "background_counts_by_region",
    "background_mix_by_year",
    "background_shares_by_region",
    "by_departement",
    "by_region",
    "category_shares",
    "contract_years",
    "counts_at",
    "etp_option_mix",
    "expected_aid_by_region",
    "expected_aid_by_year",
    "change_log",
    "changes_by_column",
    "file_quality",
    "warning_details",
    "warning_reasons",
    "independence_test",
    "is_synthetic",
    "methods_markdown",
    "monthly_series",
    "generalists_source_note",
    "national_totals",
    "overdue_by_background",
    "overdue_by_region",
    "project_reach_date",
    "published_cross_check",
    "quarantine_reasons",
    "region_background_independence",
    "share_interval",
    "sources_of",
    "specialty_mix",
    "stamp_data",
    "target_progress",
    "target_projections",
    "training_sites_in_use",
    "training_status",
    "training_supply_by_region",
    "wilson_interval",
    "zone_mix",
]
