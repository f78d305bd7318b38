"""What a presentation shows, computed and published once: the national results of a dataset at a counting date
(built once per build and passed explicitly to every scope, never cached behind the caller's back) and the
results of one scope (a region, a background) beside them.

Every frame here is a *published frame* (see `disclosure`): the tables, charts, maps and downloads of every
output read these and nothing else, so a hidden figure is hidden everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from am_analytics import indicators as ind
from am_analytics.indicators.quality import file_quality
from am_analytics.presentation.catalogue import (
    MONTHLY_KEEP,
    SERIES_STEP_ATTR,
    SHARE_FOLLOWERS,
    TERRITORY_COLUMNS,
    TERRITORY_RULE,
    TRAINING,
    TRAINING_RULE,
    with_known_deadline_base,
)
from am_analytics.presentation.disclosure import (
    THRESHOLD,
    Counted,
    Disclosure,
    publish_frame,
    publish_series,
    publish_territories,
    published_attrs,
    status_of,
)
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


BACKGROUND_KEEP = ("code", "nom", "profil_origine", "libelle", "effectif", "total", "part", "ic_bas", "ic_haut")
MIX_KEEP = (
    "variable",
    "periode",
    "debut_periode",
    "categorie",
    "libelle",
    "effectif",
    "total",
    "part",
    "ic_bas",
    "ic_haut",
    "part_parmi_renseignes",
)


def publish_mix(mix: pd.DataFrame) -> pd.DataFrame:
    """A category mix by period (`specialty_mix`, `background_mix_by_year`…), published: each period's
    categories add up to its total, each category's periods to the category's total."""
    if mix.empty:
        return mix.reindex(columns=list(MIX_KEEP))
    return publish_breakdown(mix, row="periode", column="categorie", keep=MIX_KEEP)


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


FUNDING_KEEP = (
    "annee",
    "annees_contrat",
    "couverture",
    "montant_attendu_eur",
    "etp_annees_financees",
    "aide_par_etp_eur",
)


def publish_funding(funding: pd.DataFrame) -> pd.DataFrame:
    """Expected aid by calendar year (`expected_aid_by_year`), years as text, published."""
    from am_analytics.presentation.catalogue import FUNDING_RULE

    funding = funding.assign(annee=funding["annee"].astype(int).astype(str)).pipe(_same_attrs, funding)
    return publish_frame(funding, FUNDING_RULE, list(FUNDING_KEEP))


def territory_status(published: pd.DataFrame, column: str) -> pd.Series:
    """The status of one count in a published territory frame, by territory code."""
    return pd.Series(status_of(published, column).to_numpy(), index=published["code"].to_numpy())


@dataclass(frozen=True)
class NationalResults:
    """Every national indicator at a counting date, published: computed once per build and passed to each
    scope's build (a regional report compares its region with these)."""

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
    # the exact frames behind the published ones, kept only until the publication is audited (`audited`)
    exact: Mapping[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def compute(
        cls,
        contracts: pd.DataFrame,
        *,
        as_of: pd.Timestamp,
        synthetic: bool,
        survey: pd.DataFrame | None = None,
        manifest: dict | None = None,
    ) -> NationalResults:
        kw = {"as_of": as_of.date(), "synthetic": synthetic}
        has_survey = survey is not None and not survey.empty
        keep = TERRITORY_COLUMNS
        exact_nation = with_signed_rate(ind.national_totals(contracts, **kw))
        exact_regions = with_signed_rate(ind.by_region(contracts, **kw))
        exact_departements = with_signed_rate(ind.by_departement(contracts, **kw))
        nation, regions, departements = publish_territories(
            exact_nation, exact_regions, exact_departements, TERRITORY_RULE, keep
        )
        signed = pd.concat([territory_status(nation, "signes"), territory_status(regions, "signes")])
        active = territory_status(regions, "actifs")
        shares = ind.background_shares_by_region(contracts, **kw)
        overdue = with_known_deadline_base(ind.overdue_by_region(contracts, **kw))
        training = publish_frame(
            overdue,
            TRAINING_RULE,
            [*TRAINING.keys, *(column.key for column in TRAINING.columns), "echeance_depassee_formation_connue"],
            seeds={"actifs": overdue["code"].map(active)},
            fixed={"actifs": overdue["code"].isin(active.index)},
        )
        training_france = with_known_deadline_base(ind.overdue_national(contracts, **kw))
        monthly = ind.monthly_series(contracts, **kw)
        funding = ind.expected_aid_by_year(contracts, **kw)
        exact = {
            "monthly": monthly,
            "nation": exact_nation,
            "regions": exact_regions,
            "departements": exact_departements,
            "shares": shares,
            "training": overdue,
            "training_france": training_france,
            "funding": funding,
        }
        return cls(
            as_of=as_of,
            synthetic=synthetic,
            monthly=publish_monthly(monthly),
            progress=national_figures(ind.target_progress(contracts, **kw)),
            projections=national_figures(ind.target_projections(contracts, **kw)),
            cross=national_figures(ind.published_cross_check(contracts, **kw)),
            nation=nation,
            regions=regions,
            departements=departements,
            shares=publish_breakdown(
                shares, row="code", column="profil_origine", total_seeds=signed, keep=BACKGROUND_KEEP
            ),
            independence=ind.region_background_independence(contracts, **kw),
            training=training,
            satisfaction=survey_published(
                ind.satisfaction_distribution(survey, synthetic=synthetic), [*SATISFACTION.values(), "satisfaits"]
            )
            if has_survey
            else None,
            missions=survey_published(
                ind.missions_delegated(survey, synthetic=synthetic), ["part", "ic_bas", "ic_haut"]
            )
            if has_survey
            else None,
            quality=national_figures(file_quality(manifest or {})),
            training_france=publish_frame(
                training_france,
                TRAINING_RULE,
                [*TRAINING.keys, *(column.key for column in TRAINING.columns), "echeance_depassee_formation_connue"],
            ),
            funding=publish_funding(funding),
            projected_signatures=national_figures(ind.projected_signatures(contracts, **kw)),
            projected_spending=national_figures(ind.projected_spending(contracts, **kw)),
            exact=exact,
        )

    @classmethod
    def of(cls, scope: Scope) -> NationalResults:
        """The national results of a scope's dataset at the scope's counting date."""
        data = scope.data
        return cls.compute(
            scope.all_contracts,
            as_of=scope.as_of,
            synthetic=scope.synthetic,
            survey=data.survey,
            manifest=data.manifest,
        )

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
    series itself)."""

    monthly: pd.DataFrame
    backgrounds_by_year: pd.DataFrame
    specialties: pd.DataFrame
    zones: pd.DataFrame
    etp_options: pd.DataFrame
    funding: pd.DataFrame
    exact: Mapping[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def compute(cls, scope: Scope, national: NationalResults) -> ScopeResults:
        contracts, kw = scope.contracts, scope.kw
        exact = {
            "backgrounds_by_year": ind.background_mix_by_year(contracts, **kw),
            "specialties": ind.specialty_mix(contracts, period="annee", **kw),
            "zones": ind.zone_mix(contracts, period="annee", **kw),
            "etp_options": ind.etp_option_mix(contracts, period="annee", **kw),
            "funding": ind.expected_aid_by_year(contracts, **kw),
        }
        if scope.is_national and scope.profil is None:
            monthly = national.monthly
            exact["monthly"] = national.exact.get("monthly")
        else:
            code = scope.territory_code
            series = ind.monthly_series(contracts, **kw)
            step = series_step(series)
            exact["monthly"] = series_by(series, step)
            monthly = publish_monthly(
                series,
                last_signed_hidden=scope.profil is None and national.is_hidden(code, "signes"),
                last_active_hidden=scope.profil is None and national.is_hidden(code, "actifs"),
                step=step,
            )
        return cls(
            monthly=monthly,
            backgrounds_by_year=publish_mix(exact["backgrounds_by_year"]),
            specialties=publish_mix(exact["specialties"]),
            zones=publish_mix(exact["zones"]),
            etp_options=publish_mix(exact["etp_options"]),
            funding=publish_funding(exact["funding"]),
            exact=exact,
        )
