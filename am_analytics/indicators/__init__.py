"""Indicators: pure functions from processed frames to indicator frames, each computed as of a date.

Every function that reads contracts takes `as_of` and a required keyword `synthetic`; every frame it
returns carries `attrs["sources"]` (labels among `demo`, `extract`, `reference`), `attrs["as_of"]`
and `attrs["notes"]` (French caveats). See `common` for the mechanism and `methods.METHODS` for the
French definitions the report reuses.
"""

from am_analytics.indicators.backgrounds import (
    background_counts_by_region,
    background_mix_by_year,
    background_shares_by_region,
    region_background_independence,
)
from am_analytics.indicators.common import DEMO, EXTRACT, REFERENCE, SOURCE_LABELS, is_synthetic, sources_of
from am_analytics.indicators.funding import contract_years, expected_aid_by_region, expected_aid_by_year
from am_analytics.indicators.methods import METHODS, methods_markdown
from am_analytics.indicators.mix import category_shares, etp_option_mix, specialty_mix, zone_mix
from am_analytics.indicators.quality import file_quality, quarantine_reasons
from am_analytics.indicators.rollout import (
    counts_at,
    monthly_series,
    project_reach_date,
    published_cross_check,
    target_progress,
    target_projections,
)
from am_analytics.indicators.stats import independence_test, wilson_interval
from am_analytics.indicators.survey import (
    aggregated_shares,
    compare_groups,
    missions_delegated,
    satisfaction_distribution,
    weighted_shares,
)
from am_analytics.indicators.territories import by_departement, by_region, national_totals
from am_analytics.indicators.training import overdue_by_background, overdue_by_region, training_status

__all__ = [
    "aggregated_shares",
    "compare_groups",
    "missions_delegated",
    "satisfaction_distribution",
    "weighted_shares",
    "DEMO",
    "EXTRACT",
    "REFERENCE",
    "SOURCE_LABELS",
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
    "file_quality",
    "independence_test",
    "is_synthetic",
    "methods_markdown",
    "monthly_series",
    "national_totals",
    "overdue_by_background",
    "overdue_by_region",
    "project_reach_date",
    "published_cross_check",
    "quarantine_reasons",
    "region_background_independence",
    "sources_of",
    "specialty_mix",
    "target_progress",
    "target_projections",
    "training_status",
    "wilson_interval",
    "zone_mix",
]
