"""What a presentation shows, computed and published once: the national results of a dataset at a counting date
(built once per build and passed explicitly to every scope, never cached behind the caller's back) and the
results of one scope (a region, a background) beside them.

Every item is named in `registry` (its indicator, inputs, disclosure rule, table): the exact frames come from
there, computed with the counting date passed explicitly; the steps here publish them. Every frame here is a
*published frame* (see `disclosure`): the tables, charts, maps and downloads of every output read these and
nothing else, so a hidden figure is hidden everywhere, and no layout calls an indicator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from am_analytics.indicators.commitment_effect import attributable
from am_analytics.presentation import registry
from am_analytics.presentation.catalogue import (
    AGGREGATED,
    BACKGROUND_KEEP,
    FUNDING_KEEP,
    FUNDING_RULE,
    MIX_KEEP,
    MONTH_KEEP,
    MONTH_RULE,
    MONTHLY_KEEP,
    RUN_CHANGES_KEEP,
    RUN_CHANGES_RULE,
    SERIES_STEP_ATTR,
    SHARE_FOLLOWERS,
    SUPPLY_KEEP,
    SUPPLY_RULE,
    SURVEY_SHARES,
    TERRITORY_COLUMNS,
    TERRITORY_RULE,
    TRAINING_BACKGROUND_KEEP,
    TRAINING_KEEP,
    TRAINING_RULE,
    UNKNOWN_LIST,
    survey_shares_frame,
    with_known_deadline_base,
)
from am_analytics.presentation.coarsening import ALL_YEARS, PERIODS_ATTR, coarsened, publishes_over_all_years
from am_analytics.presentation.disclosure import (
    COMPLEMENTARY,
    PRIMARY,
    THRESHOLD,
    Counted,
    Disclosure,
    publish_frame,
    publish_series,
    publish_territories,
    published_attrs,
    secret_column,
    status_of,
)
from am_analytics.presentation.registry import NATIONAL, SCOPE, SURVEY_QUESTIONS, Inputs
from am_analytics.presentation.scope import NATIONAL_CODE, Scope
from am_analytics.vocabulary import SATISFACTION

TOTAL = "_total"


def with_signed_rate(frame: pd.DataFrame) -> pd.DataFrame:
    """Add contracts signed per 100 000 inhabitants (missing where the population is: Mayotte)."""
    rate = frame["signes"].astype("Float64") / frame["population"].astype("Float64") * 100_000
    result = frame.assign(signes_pour_100k_hab=rate)
    result.attrs = dict(frame.attrs)
    return result


# A small territory's series is published by quarter or by year rather than hidden month after month: the step is
# the finest at which at most 5 % of the periods with signatures have a small count (1 to 4). Coarsening first,
# complementary masking after, as statistical offices do: a quarter of 6 contracts says more than six « < 5 ».
# (At 20 %, Bretagne's monthly series still needed about 120 more hidden cells to be protected.)
SERIES_STEPS = ("mois", "trimestre", "annee")
MAX_SMALL_PERIODS = 0.05


def series_by(monthly: pd.DataFrame, step: str) -> pd.DataFrame:
    """A monthly series (`indicators.monthly_series`) by quarter or year: each row a period (its first month, its
    last counting day), its signatures, and the cumulative counts and stocks at its end."""
    if step == "mois":
        result = monthly.copy()
    else:
        months = pd.DatetimeIndex(monthly["mois"])
        period = months.to_period("Q" if step == "trimestre" else "Y")
        grouped = monthly.groupby(period.to_numpy(), sort=True)
        result = grouped.agg(
            mois=("mois", "first"),
            fin_de_periode=("fin_de_periode", "last"),
            mois_complet=("mois_complet", "last"),
            signes_mois=("signes_mois", "sum"),
            signes_cumul=("signes_cumul", "last"),
            etp_signes_mois=("etp_signes_mois", "sum"),
            etp_signes_cumul=("etp_signes_cumul", "last"),
            actifs=("actifs", "last"),
            etp_actifs=("etp_actifs", "last"),
        ).reset_index(drop=True)
        result["etp_signes_mois"] = result["etp_signes_mois"].round(6)
    result.attrs = {**monthly.attrs, SERIES_STEP_ATTR: step}
    return result


def series_step(monthly: pd.DataFrame, threshold: int = THRESHOLD) -> str:
    """The finest step at which the series shows its signatures (see `MAX_SMALL_PERIODS`)."""
    for step in SERIES_STEPS:
        counts = series_by(monthly, step)["signes_mois"].to_numpy()
        signed = counts[counts > 0]
        if not len(signed) or (signed < threshold).mean() <= MAX_SMALL_PERIODS:
            return step
    return "annee"


def with_attributable_gains(baselines: pd.DataFrame | None, effects: pd.DataFrame | None) -> pd.DataFrame | None:
    """The signatories' baselines by region with what the estimated effect implies (None without either)."""
    if baselines is None or effects is None:
        return None
    return attributable(baselines, effects)


def publish_monthly(
    monthly: pd.DataFrame, *, last_signed_hidden: bool = False, last_active_hidden: bool = False, step: str = "mois"
):
    """A series published so that no small count of a period can be read or recovered (see
    `disclosure.publish_series`), by month or by a coarser `step`; the last point follows the territory tables of
    the same date."""
    return publish_series(
        series_by(monthly, step),
        cumulative="signes_cumul",
        monthly="signes_mois",
        follows_cumulative=("etp_signes_cumul",),
        follows_monthly=("etp_signes_mois",),
        stocks={"actifs": ("etp_actifs",)},
        last_hidden={"signes_cumul": last_signed_hidden, "actifs": last_active_hidden},
        keep=MONTHLY_KEEP,
    )


def publish_breakdown(
    frame: pd.DataFrame,
    *,
    row: str,
    column: str,
    count: str = "effectif",
    total: str = "total",
    total_seeds: pd.Series | None = None,
    keep: Sequence[str],
) -> pd.DataFrame:
    """Publish a two-way table in long form (one line per `row` × `column` cell, with the row's `total`), such
    as territory × background or year × category.

    Each row's cells add up to its total, and each column's cells add up to a published total (France's line,
    or the category's total): both relations are protected, the totals taking part as cells of their own.
    `total_seeds` (the status of each row's total in another published frame, by `row` value) fixes those
    totals: a region's total hidden in the territory tables is hidden here too, and never hidden here alone.
    """
    source = frame.reset_index(drop=True)
    totals = source.drop_duplicates(row)[[row, total]].assign(**{column: TOTAL, count: lambda t: t[total]})
    cells = pd.concat([source, totals], ignore_index=True)
    is_total = (cells[column] == TOTAL).to_numpy()
    seeds = fixed = None
    if total_seeds is not None:
        seeded = cells[row].map(total_seeds).where(is_total)
        seeds = {count: seeded.astype("string")}
        fixed = {count: pd.Series(is_total & cells[row].isin(total_seeds.index).to_numpy())}
    rule = Disclosure(
        counts=(Counted(count, totals_by=((row,), (column,))),),
        follows={name: count for name in SHARE_FOLLOWERS if name in cells.columns},
        bases={name: total for name in SHARE_FOLLOWERS if name in cells.columns and name != "part_parmi_renseignes"},
    )
    wanted = list(dict.fromkeys([*keep, column, row, total]))
    published = publish_frame(cells, rule, wanted, seeds=seeds, fixed=fixed)
    total_status = published.loc[is_total].set_index(published.loc[is_total, row].to_numpy())[f"{count}_secret"]
    published = published.loc[~is_total].reset_index(drop=True)
    reasons = published[row].map(total_status).astype("string")
    published[total] = published[total].mask(reasons.notna().to_numpy())
    published[f"{total}_secret"] = reasons.to_numpy()
    published[f"{total}_secret"] = published[f"{total}_secret"].astype("string")
    published = published[[name for name in published.columns if name.removesuffix("_secret") in keep]]
    published.attrs = published_attrs(frame)
    return published


def publish_mix(mix: pd.DataFrame, *, total_status: str | None = None) -> pd.DataFrame:
    """A category mix by period (`specialty_mix`, `background_mix_by_year`…, coarsened or not), published: each
    period's categories add up to its total, each category's periods to the category's total. `total_status`: the
    status of a mix over all years' total (the territory's signed contracts, published in the territory tables),
    which the mix follows and never hides on its own."""
    if mix.empty:
        return mix.reindex(columns=list(MIX_KEEP))
    seeds = None
    if mix.attrs.get(PERIODS_ATTR) == ALL_YEARS:
        seeds = pd.Series([total_status], index=[mix["periode"].iloc[0]], dtype="string")
    return publish_breakdown(mix, row="periode", column="categorie", keep=MIX_KEEP, total_seeds=seeds)


MIXES = ("backgrounds_by_year", "specialties", "zones", "etp_options")


def coarsened_mixes(exact: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A scope's mixes as it publishes them: by year or, for a small territory, over all years (all four alike),
    their small categories folded into « Autres » (see `coarsening`)."""
    all_years = publishes_over_all_years(exact[name] for name in MIXES)
    # over all years, the backgrounds are a row of the table of backgrounds by region, which prints each one
    return {name: coarsened(exact[name], all_years=all_years, foldable=not (all_years and name == BY_REGION_TOO))
            for name in MIXES}


BY_REGION_TOO = "backgrounds_by_year"


def _same_attrs(frame: pd.DataFrame, original: pd.DataFrame) -> pd.DataFrame:
    frame.attrs = dict(original.attrs)
    return frame


def national_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of national totals (progress against the targets, projections, the cross-check with published
    figures): thousands of contracts, so no count is small enough to mask; published as it is."""
    return publish_frame(frame, None, list(frame.columns))


def survey_published(frame: pd.DataFrame, shares: Sequence[str], base: str = "repondants") -> pd.DataFrame:
    """Weighted survey shares, published: a share is not shown on fewer than `MIN_BASE` respondents (weighted
    shares give no exact count, so only the base matters)."""
    rule = Disclosure(bases={share: base for share in shares})
    return publish_frame(frame, rule, list(frame.columns))


def publish_funding(funding: pd.DataFrame) -> pd.DataFrame:
    """Expected aid by calendar year (`expected_aid_by_year`), years as text, published."""
    funding = funding.assign(annee=funding["annee"].astype(int).astype(str)).pipe(_same_attrs, funding)
    return publish_frame(funding, FUNDING_RULE, list(FUNDING_KEEP))


def publish_supply(supply: pd.DataFrame, training: pd.DataFrame) -> pd.DataFrame:
    """The training supply by region, published: its overdue count is the training table's own figure (same status,
    never hidden here alone); a region with no known list says so in `connaissance` and keeps no site count."""
    status = territory_status(training, "en_retard")
    published = publish_frame(supply, SUPPLY_RULE, list(SUPPLY_KEEP),
                              seeds={"en_retard": supply["code"].map(status)},
                              fixed={"en_retard": supply["code"].isin(status.index)})
    published["connaissance"] = published["connaissance"].astype("string").fillna(UNKNOWN_LIST)
    return published


def publish_month_compared(compared: pd.DataFrame | None) -> pd.DataFrame | None:
    """A region's départements this month, the previous one and a year before, published (None for France). A
    difference hidden with a small count reads « s » (a value computed on a hidden count), not « < 5 »: the
    difference itself may be anything."""
    published = published_by(compared, MONTH_RULE, MONTH_KEEP)
    if published is None:
        return None
    for column in MONTH_RULE.follows:
        reasons = published[secret_column(column)]
        primary = reasons.eq(PRIMARY).fillna(False).to_numpy(dtype=bool)  # a shown cell has no reason (<NA>)
        published[secret_column(column)] = reasons.mask(primary, COMPLEMENTARY)
    return published


def published_by(frame: pd.DataFrame | None, rule: Disclosure | None, columns: Sequence[str]) -> pd.DataFrame | None:
    """A frame published by its table's rule, keeping `columns` (None stays None: an item that does not apply)."""
    if frame is None:
        return None
    return publish_frame(frame, rule, [name for name in columns if name in frame.columns])


def survey_question_published(shares: pd.DataFrame | None, labels: Mapping) -> pd.DataFrame | None:
    """One survey question's weighted shares by group, published as its table shows them."""
    if shares is None:
        return None
    return published_by(survey_shares_frame(shares, dict(labels)), SURVEY_SHARES.disclosure,
                        SURVEY_SHARES.published_columns)


def territory_status(published: pd.DataFrame, column: str) -> pd.Series:
    """The status of one count in a published territory frame, by territory code."""
    return pd.Series(status_of(published, column).to_numpy(), index=published["code"].to_numpy())


@dataclass(frozen=True)
class NationalResults:
    """Every national item of the registry at a counting date, published: computed once per build and passed to
    each scope's build (a regional report compares its region with these)."""

    as_of: pd.Timestamp
    synthetic: bool
    monthly: pd.DataFrame  # published monthly series, France
    progress: pd.DataFrame  # national counts against the targets (no small count)
    projections: pd.DataFrame
    cross: pd.DataFrame
    nation: pd.DataFrame  # published territory frames
    regions: pd.DataFrame
    departements: pd.DataFrame
    shares: pd.DataFrame  # published backgrounds × territories (regions and France)
    independence: pd.DataFrame
    training: pd.DataFrame  # published training by region
    satisfaction: pd.DataFrame | None  # published survey results (national), None without a survey
    missions: pd.DataFrame | None
    quality: pd.DataFrame  # rows read, kept… per file (file lines, not people: nothing to mask)
    # --- added for the report as a publication (issue 15): France beside a region, perspectives to 2029
    training_france: pd.DataFrame | None = None  # published training, France as one row
    funding: pd.DataFrame | None = None  # published expected aid by year, France
    projected_signatures: pd.DataFrame | None = None  # projection (national figures: no small count)
    projected_spending: pd.DataFrame | None = None
    # --- what the site, the dashboards and the notebooks used to compute themselves (issue 20)
    training_backgrounds: pd.DataFrame | None = None  # published training by background, France
    satisfaction_test: pd.DataFrame | None = None  # satisfaction × type of respondent (a test: nothing to mask)
    time_saved: pd.DataFrame | None = None  # published weighted shares of three questions (`registry.SURVEY_QUESTIONS`)
    recommends: pd.DataFrame | None = None
    continues: pd.DataFrame | None = None
    institute: pd.DataFrame | None = None  # the institute's own tables, published (small bases hidden)
    quarantine: pd.DataFrame | None = None  # quarantine reasons, warnings, changes by column (file lines)
    warnings: pd.DataFrame | None = None
    changes: pd.DataFrame | None = None
    # --- the doctors' commitments and the effect of signing (issue 24); None without an activity table
    commitments: pd.DataFrame | None = None  # statuses at the latest review by dimension, masked
    commitment_effect: pd.DataFrame | None = None  # estimates (doctor counts ≥ 20 by construction), masked
    commitment_gains: pd.DataFrame | None = None  # patients and medical time by region, masked
    commitment_cross: pd.DataFrame | None = None  # the Cnam's design on the data beside the published figures
    # --- the training supply by region (issue 23): need beside the known training sites
    training_supply: pd.DataFrame | None = None
    # --- what changed since the previous scheduled run, by département (None on the first run)
    run_changes: pd.DataFrame | None = None
    # the exact frames behind the published ones, kept only until the publication is audited (`audited`)
    exact: Mapping[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def compute(cls, inputs: Inputs) -> NationalResults:
        """Compute every national item of the registry from `inputs` (at `inputs.as_of`), then publish each."""
        exact = {item.name: item.compute(inputs) for item in registry.items(NATIONAL)}
        exact["nation"] = with_signed_rate(exact["nation"])
        exact["regions"] = with_signed_rate(exact["regions"])
        exact["departements"] = with_signed_rate(exact["departements"])
        for name in ("training", "training_france", "training_backgrounds"):
            exact[name] = with_known_deadline_base(exact[name])
        exact["commitment_gains"] = with_attributable_gains(exact["commitment_gains"], exact["commitment_effect"])
        nation, regions, departements = publish_territories(
            exact["nation"], exact["regions"], exact["departements"], TERRITORY_RULE, TERRITORY_COLUMNS
        )
        signed = pd.concat([territory_status(nation, "signes"), territory_status(regions, "signes")])
        active = territory_status(regions, "actifs")
        overdue = exact["training"]
        training = publish_frame(
            overdue,
            TRAINING_RULE,
            list(TRAINING_KEEP),
            seeds={"actifs": overdue["code"].map(active)},
            fixed={"actifs": overdue["code"].isin(active.index)},
        )
        survey = {
            name: survey_question_published(exact[name], asked.labels) for name, asked in SURVEY_QUESTIONS.items()
        }
        linked = ("monthly", "nation", "regions", "departements", "shares", "training", "training_france",
                  "training_backgrounds", "funding", "training_supply")
        return cls(
            as_of=inputs.as_of,
            synthetic=inputs.synthetic,
            monthly=publish_monthly(exact["monthly"]),
            progress=national_figures(exact["progress"]),
            projections=national_figures(exact["projections"]),
            cross=national_figures(exact["cross"]),
            nation=nation,
            regions=regions,
            departements=departements,
            shares=publish_breakdown(
                exact["shares"], row="code", column="profil_origine", total_seeds=signed, keep=BACKGROUND_KEEP
            ),
            independence=exact["independence"],
            training=training,
            satisfaction=survey_published(exact["satisfaction"],
                                          [*SATISFACTION.values(), "satisfaits", "ic_bas", "ic_haut"])
            if exact["satisfaction"] is not None
            else None,
            missions=survey_published(exact["missions"], ["part", "ic_bas", "ic_haut"])
            if exact["missions"] is not None
            else None,
            quality=national_figures(exact["quality"]),
            training_france=publish_frame(exact["training_france"], TRAINING_RULE, list(TRAINING_KEEP)),
            funding=publish_funding(exact["funding"]),
            projected_signatures=national_figures(exact["projected_signatures"]),
            projected_spending=national_figures(exact["projected_spending"]),
            training_backgrounds=publish_frame(exact["training_backgrounds"], TRAINING_RULE,
                                               list(TRAINING_BACKGROUND_KEEP)),
            satisfaction_test=exact["satisfaction_test"],
            **survey,
            institute=published_by(exact["institute"], AGGREGATED.disclosure, AGGREGATED.published_columns),
            quarantine=national_figures(exact["quarantine"]),
            warnings=national_figures(exact["warnings"]),
            changes=national_figures(exact["changes"]),
            **{name: published_by(exact[name], registry.REGISTRY[NATIONAL, name].rule,
                                  registry.REGISTRY[NATIONAL, name].variables) for name in COMMITMENT_ITEMS},
            training_supply=publish_supply(exact["training_supply"], training),
            run_changes=published_by(exact["run_changes"], RUN_CHANGES_RULE, RUN_CHANGES_KEEP),
            exact={**{name: exact[name] for name in linked},
                   **{name: exact[name] for name in COMMITMENT_ITEMS if exact[name] is not None}},
        )

    @classmethod
    def of(cls, scope: Scope) -> NationalResults:
        """The national results of a scope's dataset at the scope's counting date."""
        return cls.compute(Inputs.of(scope.national()))

    def territory_row(self, code: str) -> pd.Series:
        """The published figures of France (`FR`) or one region."""
        frame = self.nation if code == NATIONAL_CODE else self.regions
        return frame.set_index("code").loc[code]

    def is_hidden(self, code: str, column: str) -> bool:
        """True when a territory's figure is hidden in the published territory frames."""
        frame = self.nation if code == NATIONAL_CODE else self.regions
        status = territory_status(frame, column)
        return bool(code in status.index and pd.notna(status.loc[code]))


@dataclass(frozen=True)
class ScopeResults:
    """A scope's own published results: its monthly series, mixes by year and funding (for France, the national
    series itself), and the tests on its backgrounds."""

    monthly: pd.DataFrame
    backgrounds_by_year: pd.DataFrame
    specialties: pd.DataFrame
    zones: pd.DataFrame
    etp_options: pd.DataFrame
    funding: pd.DataFrame
    # tests (nothing to mask): the territory's mix over the years, a region against the rest of France, and the
    # trend of the scope's background (None where the scope has no region, no background)
    change_over_time: pd.DataFrame | None = None
    against_france: pd.DataFrame | None = None
    trend: pd.DataFrame | None = None
    # a region's départements this month, the previous one and a year before (None for France, a background)
    month_compared: pd.DataFrame | None = None
    exact: Mapping[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def compute(cls, scope: Scope, national: NationalResults) -> ScopeResults:
        inputs = Inputs.of(scope)
        if inputs.as_of != national.as_of:
            raise ValueError("résultats nationaux calculés à une autre date d'arrêté que celle du périmètre")
        own_series = not (scope.is_national and scope.profil is None)  # France's series is the national one
        exact = {
            item.name: item.compute(inputs)
            for item in registry.items(SCOPE)
            if own_series or item.name != "monthly"
        }
        exact.update(coarsened_mixes(exact))
        code = scope.territory_code
        # a territory's total over all years is its headline figure; a background's is not printed elsewhere
        total_status = None
        if scope.profil is None and national.is_hidden(code, "signes"):
            total_status = territory_status(national.nation if scope.is_national else national.regions,
                                            "signes").loc[code]
        if own_series:
            series = exact["monthly"]
            step = series_step(series)
            exact["monthly"] = series_by(series, step)
            monthly = publish_monthly(
                series,
                last_signed_hidden=scope.profil is None and national.is_hidden(code, "signes"),
                last_active_hidden=scope.profil is None and national.is_hidden(code, "actifs"),
                step=step,
            )
        else:
            monthly = national.monthly
            exact["monthly"] = national.exact.get("monthly")
        return cls(
            monthly=monthly,
            **{name: publish_mix(exact[name], total_status=total_status) for name in MIXES},
            funding=publish_funding(exact["funding"]),
            change_over_time=exact["change_over_time"],
            against_france=exact["against_france"],
            trend=exact["trend"],
            month_compared=publish_month_compared(exact["month_compared"]),
            exact={name: exact[name] for name in ("monthly", "month_compared", *MIXES_AND_FUNDING)},
        )


COMMITMENT_ITEMS = ("commitments", "commitment_effect", "commitment_gains", "commitment_cross")
MIXES_AND_FUNDING = (*MIXES, "funding")


def background_trend(scope: Scope) -> pd.DataFrame:
    """The trend test of the scope's background in its territory (`registry` item `trend`), for a layout that shows
    it without the rest of the background's results (the site's page of one background)."""
    return registry.compute(SCOPE, "trend", Inputs.of(scope))


@dataclass(frozen=True)
class RegionAgainstFrance:
    """A region read against France, derived after the audit from the published national items
    (`registry.DERIVED`): its départements side by side, the region indexed on France, its rank among regions."""

    departements_compared: pd.DataFrame
    index_on_france: pd.DataFrame
    rank: pd.DataFrame

    @classmethod
    def of(cls, national: NationalResults, region: str) -> RegionAgainstFrance:
        derived = {item.name: item.derive(*(getattr(national, name) for name in item.reads), region)
                   for item in registry.DERIVED}
        return cls(**derived)
