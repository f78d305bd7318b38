"""The effect of signing on doctors' activity: matched signatories and non-signatories, an event study around the
signature and a difference-in-differences with intervals clustered by doctor (statsmodels).

Design (stacked, one « stack » per signatory):
1. Each signatory's baseline is the last period before the one in which the contract was signed (event time −1).
2. Its control is the non-signatory nearest to it (`CONTROLS`) on the percentile of the adult « médecin traitant »
   list in that same period (and on the years installed when the activity table holds `annee_installation`),
   drawn exactly within its specialty and département when the activity table holds them for non-signatories,
   within its region when the département has fewer than `MIN_CANDIDATES` candidates, in the whole pool otherwise
   (`strate` says which). A signatory's specialty and département are its contract's, a non-signatory's the
   activity table's (`activity_with_contracts`). Matching is with replacement: a control may serve several
   signatories.
3. The control takes its signatory's signature date, so both doctors of a stack have an event time (periods from
   the signature period) over the same calendar periods. The outcome is the logarithm of the measure.
4. For each pair and event time k ≠ −1: d = (signatory's y_k − y_−1) − (control's y_k − y_−1), which removes both
   doctors' levels and the stack's calendar periods, as doctor-in-stack and stack-period fixed effects would.
   Event study: statsmodels OLS of d on one indicator per k (each coefficient the mean difference at k), the
   covariance clustered two ways, by signatory and by control (`cov_type="cluster"` with two groups).
   Difference-in-differences: the pair-weighted mean of the coefficients after the signature period (k ≥ 1; the
   signature period, partly treated, apart), a linear contrast with its clustered interval.
5. Pre-trend check: joint Wald test that every coefficient before −1 is zero (needs at least two periods before
   the signature period).

What matching cannot remove: anything that made a doctor sign and also moves the list (a planned expansion of the
practice, a new partner, a move to a health centre) and is not in the table; the matching only balances what is
observed. The pre-trend check only sees what already differed before the signature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from am_analytics import reference
from am_analytics.indicators.cnam_design import COHORT, HORIZON_YEARS, published_design
from am_analytics.indicators.commitments import activity_with_contracts, baseline_percentiles, category_labels
from am_analytics.indicators.common import (
    REFERENCE,
    IndicatorArgumentError,
    data_source,
    labelled,
    synthetic_flag,
)

CONTROLS = 1  # non-signatories matched to each signatory (nearest neighbour, with replacement): more would
# narrow the intervals little (the pool is reused anyway) and multiply the rows of the stacked panel
MIN_CANDIDATES = 10  # fewer candidates in the département: matched within the region, then nationally
MIN_CLUSTERS = 20  # fewer signatories: refused (cluster-robust variances need many clusters)
LEVEL = 0.95
WINDOW = (-4, 5)  # event times kept (periods from the signature period)
MEASURES = {
    "patients_mt": "patientèle médecin traitant adulte",
    "file_active": "file active",
    "actes_par_jour": "actes par jour travaillé",
}


# --- the panel -------------------------------------------------------------------------------------------------
def event_periods(joined: pd.DataFrame) -> pd.Series:
    """Periods from the signature period (0) for each row of `activity_with_contracts`: years for yearly tables,
    half-years for half-yearly ones (missing for a non-signatory)."""
    step = _period_step(joined)
    signed = joined["date_signature"]
    start = joined["debut_periode"]
    if step == "annee":
        return (start.dt.year - signed.dt.year).astype("Int64")
    half = (start.dt.year * 2 + (start.dt.month > 6)) - (signed.dt.year * 2 + (signed.dt.month > 6))
    return half.astype("Int64")


def _period_step(joined: pd.DataFrame) -> str:
    kinds = set(joined["type_periode"].dropna().unique()) if "type_periode" in joined else {"annee"}
    if len(kinds) > 1:
        raise IndicatorArgumentError("table d'activité mêlant années et semestres : choisir un seul pas de temps")
    return kinds.pop() if kinds else "annee"


def _strata_known(joined: pd.DataFrame, column: str) -> bool:
    """True when the column is known for non-signatories too (an exact stratum needs it on both sides)."""
    return column in joined and joined.loc[~joined["signataire"], column].notna().any()


def match_controls(joined: pd.DataFrame, *, controls: int = CONTROLS) -> pd.DataFrame:
    """One row per (signatory, control) pair: `medecin_id` of the signatory, `temoin_id`, the distance and the
    stratum the control was drawn in (`departement`, `region` or `france`).

    `joined` is `activity_with_contracts` with `percentile` (`baseline_percentiles`) and `periode_evenement`."""
    signatories = joined[joined["signataire"] & joined["periode_evenement"].eq(-1).fillna(False)]
    # candidates in an order of their own figures, not of their pseudonyms: a tie in distance then goes the same
    # way whatever the pseudonymisation key (the results must not depend on it)
    pool = _in_content_order(joined[~joined["signataire"]])
    if pool.empty:
        raise IndicatorArgumentError("aucun médecin non signataire dans la table d'activité : pas de témoins "
                                     "auxquels comparer les signataires")
    if signatories.empty:
        raise IndicatorArgumentError("aucun signataire observé dans la période précédant sa signature : "
                                     "la table d'activité doit commencer avant les signatures")
    exact = ["periode", *(c for c in ("specialite",) if _strata_known(joined, c))]
    levels = [c for c in ("departement", "region") if _strata_known(joined, c)]
    # the finest level with enough candidates, for each signatory
    chosen = pd.Series("france", index=signatories.index, dtype=object)
    for level in reversed(levels):
        enough = _key(signatories, [*exact, level]).map(_key(pool, [*exact, level]).value_counts()).fillna(0)
        chosen = chosen.mask((enough >= MIN_CANDIDATES).to_numpy(), level)
    pairs = []
    distance_columns = [c for c in ("medecin_id", "percentile", "annee_installation") if c in joined]
    for level in ("france", *levels):
        columns = exact if level == "france" else [*exact, level]
        members = signatories[(chosen == level).to_numpy()]
        # each stratum's candidates found once, in the pool's order (its ties break the same way); the groups carry
        # only what the distance reads (slicing every column of hundreds of strata was most of the time)
        in_stratum = pd.Series(np.arange(len(pool))).groupby(_key(pool, columns).to_numpy()).indices
        candidates = pool[distance_columns]
        for key, group in members[distance_columns].groupby(_key(members, columns).to_numpy(), sort=True):
            if key in in_stratum:
                pairs.append(_nearest(group, candidates.iloc[in_stratum[key]], controls).assign(strate=level))
    if not pairs:
        raise IndicatorArgumentError("aucun non-signataire observé aux mêmes périodes que les signataires")
    return pd.concat(pairs, ignore_index=True)


_CONTENT = ("periode", "percentile", *MEASURES, "actes", "jours_travailles")


def _in_content_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows sorted by their figures (never by the pseudonymised identifier)."""
    return frame.sort_values([c for c in _CONTENT if c in frame], kind="stable")


def _key(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    key = frame[columns[0]].astype(str)
    for column in columns[1:]:
        key = key + "|" + frame[column].astype(str)
    return key


def _nearest(signatories: pd.DataFrame, candidates: pd.DataFrame, controls: int) -> pd.DataFrame:
    """The `controls` candidates nearest to each signatory: on the MT-list percentile, and on the years installed
    (a year weighing like two percentile points, at most 20 years) when both sides hold it."""
    distance = np.abs(signatories["percentile"].to_numpy()[:, None] - candidates["percentile"].to_numpy()[None, :])
    if "annee_installation" in signatories and signatories["annee_installation"].notna().any():
        years = np.abs(signatories["annee_installation"].to_numpy(dtype=float)[:, None]
                       - candidates["annee_installation"].to_numpy(dtype=float)[None, :])
        distance = distance + 2 * np.nan_to_num(years, nan=20).clip(0, 20)
    take = min(controls, distance.shape[1])
    # the `take` smallest of each row (a partial sort: the whole sort of thousands of candidates is the cost), in
    # order of distance
    nearest = np.argpartition(distance, take - 1, axis=1)[:, :take]
    order = np.argsort(np.take_along_axis(distance, nearest, axis=1), axis=1, kind="stable")
    nearest = np.take_along_axis(nearest, order, axis=1)
    return pd.DataFrame({
        "medecin_id": np.repeat(signatories["medecin_id"].to_numpy(), take),
        "temoin_id": candidates["medecin_id"].to_numpy()[nearest].ravel(),
        "distance": np.take_along_axis(distance, nearest, axis=1).ravel(),
    })


def stacked_panel(joined: pd.DataFrame, pairs: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The estimation panel: each signatory's periods and its controls' periods, the controls given the
    signatory's event time; `y` the log of the measure (rows without a positive measure dropped)."""
    signatories = joined[joined["signataire"] & joined["medecin_id"].isin(pairs["medecin_id"])]
    signatories = signatories.dropna(subset=["periode_evenement"])
    treated = signatories.assign(pile=signatories["medecin_id"], traite=1)
    calendar = signatories.drop_duplicates("medecin_id").set_index("medecin_id")["date_signature"]
    pool = joined[~joined["signataire"]].drop(columns=["date_signature", "periode_evenement"])
    controls = pool.merge(pairs[["medecin_id", "temoin_id"]].rename(
        columns={"medecin_id": "pile", "temoin_id": "medecin_id"}), on="medecin_id")
    controls["date_signature"] = controls["pile"].map(calendar)
    controls["periode_evenement"] = event_periods(controls)
    panel = pd.concat([treated, controls.assign(traite=0)], ignore_index=True)
    value = panel[measure].astype("Float64").astype("float64")
    panel = panel.assign(y=np.log(value.where(value > 0)))
    low, high = WINDOW
    keep = panel["y"].notna() & panel["periode_evenement"].between(low, high).fillna(False)
    panel = panel.loc[keep, ["pile", "medecin_id", "periode", "periode_evenement", "traite", "y"]]
    return panel.reset_index(drop=True)


# --- the estimator ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Estimate:
    """One event study and what is read from it: the coefficient of each event time (log points,
    `event_times`), the average effect after the signature period (`after`) and the joint pre-trend test
    (`pretrend_*`; NaN with fewer than two periods before the signature period)."""

    event_times: pd.DataFrame  # periode_evenement, coefficient, erreur_type, ic_bas, ic_haut, p_valeur
    after: pd.Series  # coefficient, erreur_type, ic_bas, ic_haut, p_valeur
    doctors: int  # signatories and distinct controls
    signatories: int
    pretrend_stat: float
    pretrend_p: float
    pretrend_df: int


def _check_panel(panel: pd.DataFrame) -> None:
    if panel.empty or not (panel["traite"] == 1).any():
        raise IndicatorArgumentError("panel vide : aucun signataire observé autour de sa signature")
    if not (panel["traite"] == 0).any():
        raise IndicatorArgumentError("aucun non-signataire apparié : pas de témoins auxquels comparer les "
                                     "signataires")
    if not (panel.groupby("medecin_id")["periode_evenement"].nunique() > 1).any():
        raise IndicatorArgumentError("chaque médecin n'est observé qu'une période : pas d'évolution à comparer")
    signatories = panel.loc[panel["traite"] == 1, "medecin_id"].nunique()
    if signatories < MIN_CLUSTERS:
        raise IndicatorArgumentError(f"{signatories} signataires seulement : il en faut au moins {MIN_CLUSTERS} "
                                     "pour des intervalles robustes par médecin")


def pair_differences(panel: pd.DataFrame) -> pd.DataFrame:
    """One row per (signatory, control, event time k ≠ −1) observed on both sides and at −1: the signatory's change
    of y from −1 to k minus its control's over the same calendar periods (`d`). Differencing within the pair
    removes both doctors' own levels and the calendar period of the stack, as the doctor-in-stack and
    stack-period effects of a stacked regression would."""
    keys = ["pile", "periode_evenement"]
    treated = panel[panel["traite"] == 1].drop_duplicates(keys)
    change_t = _change_from_reference(treated, ["pile"])
    controls = panel[panel["traite"] == 0]
    change_c = _change_from_reference(controls, ["pile", "medecin_id"]).rename(columns={"medecin_id": "temoin"})
    pairs = change_c.merge(change_t, on=keys, suffixes=("_c", "_t"))
    pairs["d"] = pairs["change_t"] - pairs["change_c"]
    kept = pairs["periode_evenement"] != -1
    # in the doctors' order (`effect_panel` numbers them by their figures): the regression's sums do not depend on
    # the pseudonymisation key
    pairs = pairs.loc[kept, ["pile", "temoin", "periode_evenement", "d"]]
    return pairs.sort_values(["periode_evenement", "pile", "temoin"], kind="stable").reset_index(drop=True)


def _change_from_reference(rows: pd.DataFrame, unit: list[str]) -> pd.DataFrame:
    reference = rows[rows["periode_evenement"] == -1].set_index(unit)["y"]
    own = rows.set_index(unit)
    found = own.index.isin(reference.index)
    own = own[found]
    change = own["y"].to_numpy() - reference.reindex(own.index).to_numpy()
    return own.reset_index()[[*unit, "periode_evenement"]].assign(change=change)


def _fit(differences: pd.DataFrame, groups: pd.Series | None = None):
    """OLS of the pair differences on one indicator per event time (per group and event time with `groups`),
    no constant: each coefficient is the mean difference at that event time. The covariance is clustered two
    ways, by signatory and by control (a control matched to several signatories is one cluster), as
    statsmodels does it (Cameron, Gelbach and Miller)."""
    k = differences["periode_evenement"].to_numpy()
    times = sorted(int(t) for t in np.unique(k))
    if groups is None:
        design = pd.DataFrame({f"k{t}": (k == t).astype(float) for t in times})
    else:  # by group, event times pooled (before −1, the signature period, after it): a small regression
        values = groups.to_numpy(dtype=object)
        pooled = {"k-2": k <= -2, "k0": k == 0, "k1": k >= 1}
        design = pd.DataFrame({f"{g}|{name}": (period & (values == g)).astype(float)
                               for g in sorted(pd.unique(values)) for name, period in pooled.items()})
        design = design.loc[:, design.sum() > 0]
    clusters = np.column_stack([pd.factorize(differences["pile"])[0], pd.factorize(differences["temoin"])[0]])
    return sm.OLS(differences["d"].to_numpy(dtype=float), design, hasconst=False).fit(
        cov_type="cluster", cov_kwds={"groups": clusters})


def _read(fit, differences: pd.DataFrame, prefix: str = "") -> tuple[pd.DataFrame, pd.Series,
                                                                        tuple[float, float, int]]:
    """Event-time coefficients, average effect after the signature period and pre-trend test of one group."""
    terms = [t for t in fit.params.index if t.startswith(f"{prefix}k")]
    times = np.array([int(t.removeprefix(prefix)[1:]) for t in terms])
    ci = fit.conf_int(alpha=1 - LEVEL)
    table = pd.DataFrame({
        "periode_evenement": times,
        "coefficient": fit.params[terms].to_numpy(),
        "erreur_type": fit.bse[terms].to_numpy(),
        "ic_bas": ci.loc[terms, 0].to_numpy(),
        "ic_haut": ci.loc[terms, 1].to_numpy(),
        "p_valeur": fit.pvalues[terms].to_numpy(),
    })
    counts = differences["periode_evenement"].value_counts()
    pre = [t for t, k in zip(terms, times, strict=True) if k < -1]
    return table, _average_after(fit, terms, times, counts), _joint_zero(fit, pre)


def _average_after(fit, terms: list[str], times: np.ndarray, counts: pd.Series) -> pd.Series:
    """The difference-in-differences after the signature period: the mean of the event-time coefficients k ≥ 1,
    each weighted by its number of pairs (the mean difference over every pair and period after the signature
    period), with its clustered interval (a linear contrast, `t_test`)."""
    weights = np.where(times >= 1, pd.Series(times).map(counts).fillna(0).to_numpy(dtype=float), 0.0)
    if not weights.sum():
        return pd.Series({"coefficient": np.nan, "erreur_type": np.nan, "ic_bas": np.nan, "ic_haut": np.nan,
                          "p_valeur": np.nan})
    contrast = np.zeros(len(fit.params))
    names = list(fit.params.index)
    for term, weight in zip(terms, weights / weights.sum(), strict=True):
        contrast[names.index(term)] = weight
    test = fit.t_test(contrast)
    low, high = np.asarray(test.conf_int(alpha=1 - LEVEL))[0]
    return pd.Series({"coefficient": float(np.squeeze(test.effect)), "erreur_type": float(np.squeeze(test.sd)),
                      "ic_bas": float(low), "ic_haut": float(high), "p_valeur": float(np.squeeze(test.pvalue))})


def _joint_zero(fit, terms: list[str]) -> tuple[float, float, int]:
    """Wald test (chi-square, clustered covariance) that every term is zero; NaN without any term."""
    if not terms:
        return float("nan"), float("nan"), 0
    names = list(fit.params.index)
    restriction = np.zeros((len(terms), len(names)))
    for i, term in enumerate(terms):
        restriction[i, names.index(term)] = 1.0
    test = fit.wald_test(restriction, use_f=False, scalar=True)
    return float(test.statistic), float(test.pvalue), len(terms)


def estimate(panel: pd.DataFrame, differences: pd.DataFrame | None = None) -> Estimate:
    """The event study of one stacked panel (see the module): coefficients, average effect after the signature
    period and pre-trend test. A clear French error when the panel cannot say anything. `differences`: the
    panel's `pair_differences`, when the caller already holds them."""
    differences = _differences(panel, differences)
    table, after, (stat, p, df) = _read(_fit(differences), differences)
    doctors = differences["pile"].nunique() + differences["temoin"].nunique()
    return Estimate(table, after, doctors, differences["pile"].nunique(), stat, p, df)


def _differences(panel: pd.DataFrame, differences: pd.DataFrame | None) -> pd.DataFrame:
    _check_panel(panel)
    differences = pair_differences(panel) if differences is None else differences
    if differences.empty:
        raise IndicatorArgumentError("aucune paire signataire–témoin observée avant et après la signature")
    return differences


def estimate_by(panel: pd.DataFrame, groups: pd.Series, differences: pd.DataFrame | None = None
                ) -> dict[str, Estimate]:
    """One regression with each group's own effects: the estimate of each group (`groups`: the group of each
    stack, indexed by signatory) with at least `MIN_CLUSTERS` signatories. The event times are pooled by group
    (before −1, the signature period, after it: `_fit`), so `after` is the pooled difference-in-differences and the
    pre-trend test has one degree of freedom."""
    differences = _differences(panel, differences)
    of_pair = differences["pile"].map(groups).astype("string").fillna("inconnu")
    counts = differences.groupby(of_pair.to_numpy())["pile"].nunique()
    kept = counts[counts >= MIN_CLUSTERS].index
    if not len(kept):
        return {}
    members = of_pair.isin(kept).to_numpy()
    differences, of_pair = differences[members].reset_index(drop=True), of_pair[members].reset_index(drop=True)
    fit = _fit(differences, of_pair)
    results = {}
    for group in kept:
        own = differences[(of_pair == group).to_numpy()]
        table, after, (stat, p, df) = _read(fit, own, f"{group}|")
        doctors = own["pile"].nunique() + own["temoin"].nunique()
        results[str(group)] = Estimate(table, after, doctors, own["pile"].nunique(), stat, p, df)
    return results


def as_percent(log_points: float | np.ndarray) -> float | np.ndarray:
    """A change in log points as a change in % (exp − 1): the outcome is the log of the measure."""
    return 100 * np.expm1(log_points)


# --- on the package's tables -----------------------------------------------------------------------------------
def effect_panel(
    activity: pd.DataFrame | None, contracts: pd.DataFrame, *, as_of: pd.Timestamp | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """`activity_with_contracts` with each row's event time (`periode_evenement`) and MT-list percentile among the
    doctors of its period (`percentile`), on the periods closed and contracts signed by `as_of`. A clear French
    error without activity."""
    if activity is None or activity.empty:
        raise IndicatorArgumentError("aucune table d'activité des médecins : l'effet ne peut pas être estimé "
                                     "(déposer un suivi d'activité CPAM dans le dossier des données)")
    if as_of is not None:
        activity = _kept_attrs(activity, activity["fin_periode"] <= as_of)
        contracts = _kept_attrs(contracts, contracts["date_signature"] <= as_of)
    joined = activity_with_contracts(activity, contracts, synthetic=synthetic)
    attrs = dict(joined.attrs)
    # only what the design reads, the doctor as an integer code: the panels copy and compare these many times
    kept = [c for c in (*_PANEL_COLUMNS, *MEASURES, "actes", "jours_travailles", *_STRATA_COLUMNS, *BY)
            if c in joined]
    # numbered in an order of their figures, not of their pseudonyms: every later order and sum is then the same
    # whatever the pseudonymisation key (a report rebuilt with another key is byte-identical)
    codes = pd.factorize(_in_content_order(joined)["medecin_id"])
    joined = joined[kept].assign(medecin_id=joined["medecin_id"].map(pd.Series(range(len(codes[1])),
                                                                                 index=codes[1])))
    joined = joined.assign(periode_evenement=event_periods(joined))
    joined["percentile"] = baseline_percentiles(joined)
    joined.attrs = attrs
    return joined


def _kept_attrs(frame: pd.DataFrame, kept: pd.Series) -> pd.DataFrame:
    result = frame[kept.fillna(False).to_numpy(dtype=bool)]
    result.attrs = dict(frame.attrs)
    return result


_PANEL_COLUMNS = ("medecin_id", "periode", "type_periode", "debut_periode", "fin_periode", "date_signature",
                  "signataire")
_STRATA_COLUMNS = ("specialite", "departement", "region", "annee_installation")
BY = {"etp_option": "option", "zone": "zone", "profil_origine": "profil d'origine de l'assistant"}
_COLUMNS = ["mesure", "dimension", "categorie", "periode_evenement", "signataires", "temoins", "effet_pct", "ic_bas",
            "ic_haut", "p_valeur", "pretendance_chi2", "pretendance_ddl", "pretendance_p"]


def _rows(found: Estimate, measure: str, dimension: str, category: str, *,
          event_times: bool) -> list[dict[str, object]]:
    """The average effect after the signature period (`periode_evenement` missing) and, with `event_times`, each
    event time's coefficient (−1, the reference, at 0), in %."""
    common = {"mesure": measure, "dimension": dimension, "categorie": category, "signataires": found.signatories,
              "temoins": found.doctors - found.signatories}
    rows = [{**common, "periode_evenement": pd.NA, **_in_percent(found.after), "p_valeur": found.after["p_valeur"],
             "pretendance_chi2": found.pretrend_stat, "pretendance_ddl": found.pretrend_df,
             "pretendance_p": found.pretrend_p}]
    if event_times:
        rows.append({**common, "periode_evenement": -1, "effet_pct": 0.0, "ic_bas": 0.0, "ic_haut": 0.0})
        rows += [{**common, "periode_evenement": int(row["periode_evenement"]), **_in_percent(row),
                  "p_valeur": row["p_valeur"]} for _, row in found.event_times.iterrows()]
    return rows


def _in_percent(row: pd.Series) -> dict[str, float]:
    return {"effet_pct": float(as_percent(row["coefficient"])), "ic_bas": float(as_percent(row["ic_bas"])),
            "ic_haut": float(as_percent(row["ic_haut"]))}


def signing_effect(
    activity: pd.DataFrame | None, contracts: pd.DataFrame, *, as_of: pd.Timestamp | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """The effect of signing, in %, one row per estimate: for each measure of `MEASURES` on every matched
    signatory (`dimension` « ensemble »), the average after the signature period (`periode_evenement` missing,
    with the pre-trend test) and each event time's coefficient; for the MT list, the average by option, zone and
    the assistant's background (`BY`; a category under `MIN_CLUSTERS` signatories is left out: its interval would
    not hold). Intervals at 95 %, clustered by doctor."""
    joined = effect_panel(activity, contracts, as_of=as_of, synthetic=synthetic)
    pairs = match_controls(joined)
    rows = []
    for measure in MEASURES:
        panel = stacked_panel(joined, pairs, measure)
        rows += _rows(estimate(panel), measure, "ensemble", "ensemble", event_times=True)
    panel = stacked_panel(joined, pairs, "patients_mt")
    differences = pair_differences(panel)
    firsts = joined[joined["signataire"]].drop_duplicates("medecin_id").set_index("medecin_id")
    for column in (c for c in BY if c in firsts):
        for category, found in estimate_by(panel, firsts[column], differences).items():
            rows += _rows(found, "patients_mt", column, category, event_times=False)
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    frame["periode_evenement"] = frame["periode_evenement"].astype("Int64")
    for column in ("mesure", "dimension", "categorie"):
        frame[column] = frame[column].astype("string")
    frame = frame.sort_values(["dimension", "mesure", "periode_evenement"], key=_ensemble_first, kind="stable",
                              na_position="first").reset_index(drop=True)
    frame.insert(1, "mesure_libelle", frame["mesure"].map(MEASURES).str.capitalize().astype("string"))
    frame.insert(4, "categorie_libelle", category_labels(frame["dimension"], frame["categorie"]))
    notes = [*NOTES, f"Strate d'appariement des signataires : {_strata_summary(pairs)}."]
    frame = labelled(frame, as_of=as_of, sources=joined.attrs["sources"], notes=notes)
    frame.attrs[STRATA_ATTR] = _strata_counts(pairs)  # counts of doctors: an output masks them before quoting
    return frame


def _ensemble_first(column: pd.Series) -> pd.Series:
    """Sort keys: the overall rows first, the measures in `MEASURES`' order, event times in order."""
    if column.name == "dimension":
        return column.map({"ensemble": 0, **{name: i + 1 for i, name in enumerate(BY)}})
    if column.name == "mesure":
        return column.map({name: i for i, name in enumerate(MEASURES)})
    return column


STRATA_LABELS = {"departement": "même département", "region": "même région", "france": "France entière"}


STRATA_ATTR = "strates_appariement"  # signatories matched at each level, finest first (`_strata_counts`)


def _strata_counts(pairs: pd.DataFrame) -> dict[str, int]:
    """How many signatories were matched at each level, finest first (levels without any left out)."""
    counts = pairs.drop_duplicates("medecin_id")["strate"].value_counts()
    return {level: int(counts[level]) for level in STRATA_LABELS if level in counts}


def _strata_summary(pairs: pd.DataFrame) -> str:
    """The share of signatories matched at each level, finest first (« même département 83 %, même région 15 %,
    France entière 2 % »)."""
    shares = pairs.drop_duplicates("medecin_id")["strate"].value_counts(normalize=True)
    return ", ".join(f"{label} {100 * shares[level]:.0f} %" for level, label in STRATA_LABELS.items()
                     if level in shares)


# Conversion into medical time (assumptions stated in `GAINS_ASSUMPTIONS`).
GAINS_ASSUMPTIONS = (
    "Patients gagnés : effet moyen estimé après la signature (France entière) appliqué à la patientèle médecin "
    "traitant de chaque signataire dans la période précédant sa signature ; même effet dans toutes les régions "
    "(les effectifs régionaux ne permettent pas d'estimations propres).",
    "Temps médical : actes supplémentaires par an = effet estimé sur les actes par jour travaillé × actes du "
    "signataire l'année précédant la signature ; un ETP de temps médical = l'activité annuelle moyenne (actes) "
    "d'un médecin non signataire de la table à la même période.",
)


def signatory_baselines(
    activity: pd.DataFrame | None, contracts: pd.DataFrame, *, as_of: pd.Timestamp | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """France (`FR`) and each region: the signatories observed in the period before their signature, their MT
    list, their acts and those acts in FTE of a non-signatory's year then (`GAINS_ASSUMPTIONS`): what
    `attributable` multiplies by the estimated effect."""
    joined = effect_panel(activity, contracts, as_of=as_of, synthetic=synthetic)
    before = joined[joined["signataire"] & joined["periode_evenement"].eq(-1).fillna(False)]
    if before.empty:
        raise IndicatorArgumentError("aucun signataire observé dans la période précédant sa signature")
    acts_per_fte = joined[~joined["signataire"]].groupby("periode")["actes"].mean().astype("float64")
    acts = before["actes"].astype("Float64").astype("float64").fillna(0.0)
    base = pd.DataFrame({
        "region": before["region"].astype("string") if "region" in before else pd.NA,
        "patients": before["patients_mt"].astype("Float64").astype("float64").fillna(0.0),
        "acts": acts,
        "fte": (acts / before["periode"].map(acts_per_fte).astype("float64")).fillna(0.0),
    })
    base = base.sort_values(["region", "patients", "acts", "fte"], kind="stable")  # sums in an order of the figures
    rows = [{"code": code, "niveau": "france" if code == "FR" else "region", "signataires": len(group),
             "patientele_mt_avant": float(group["patients"].sum()), "actes_avant": float(group["acts"].sum()),
             "etp_avant": float(group["fte"].sum())}
            for code, group in [("FR", base), *base.groupby("region", sort=True)]]
    frame = pd.DataFrame(rows).astype({"code": "string", "niveau": "string"})
    frame.insert(1, "nom", category_labels(frame["niveau"], frame["code"]))
    return labelled(frame, as_of=as_of, sources=joined.attrs["sources"], notes=[*NOTES, *GAINS_ASSUMPTIONS])


def attributable(baselines: pd.DataFrame, effects: pd.DataFrame) -> pd.DataFrame:
    """The MT patients and the acts a year the national average effect (`commitment_effect`, with the bounds of
    its 95 % interval) implies on each row of `signatory_baselines`, and those acts in FTE of medical time."""
    average = effects[(effects["dimension"] == "ensemble").to_numpy(dtype=bool)
                      & effects["periode_evenement"].isna().to_numpy(dtype=bool)].set_index("mesure")
    frame = baselines.copy()
    for suffix, bound in (("", "effet_pct"), ("_bas", "ic_bas"), ("_haut", "ic_haut")):
        patients = float(average.loc["patients_mt", bound]) / 100
        acts = float(average.loc["actes_par_jour", bound]) / 100
        frame[f"patients_attribuables{suffix}"] = frame["patientele_mt_avant"] * patients
        frame[f"actes_attribuables{suffix}"] = frame["actes_avant"] * acts
        frame[f"etp_medical{suffix}"] = frame["etp_avant"] * acts
    frame.attrs = dict(baselines.attrs)
    return frame


def gains_by_region(
    activity: pd.DataFrame | None, contracts: pd.DataFrame, *, as_of: pd.Timestamp | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """France (`FR`) and each region: the signatories' baselines and what the national effect implies
    (`signatory_baselines`, `attributable`), for an analyst (the registry combines the two items it publishes)."""
    return attributable(signatory_baselines(activity, contracts, as_of=as_of, synthetic=synthetic),
                        signing_effect(activity, contracts, as_of=as_of, synthetic=synthetic))


NOTES = [
    "Signataires comparés à des non-signataires appariés : même spécialité et même département (ou même région, "
    "ou France entière, faute de dix candidats), au plus proche sur le percentile de patientèle médecin traitant "
    "de la période précédant la signature et sur l'année d'installation, quand le suivi d'activité les donne ; "
    "département et spécialité d'un signataire : ceux de son contrat. Étude d'événement et différence de "
    "différences par moindres carrés (statsmodels), intervalles à 95 % robustes par médecin.",
    "Limites : les médecins qui signent ne sont pas tirés au hasard ; l'appariement n'équilibre que ce que la table "
    "observe (spécialité, territoire, patientèle, ancienneté d'installation) : l'âge, le mode d'exercice, un projet "
    "d'agrandissement du cabinet ou un nouvel associé restent possibles ; le test de pré-tendance ne voit que ce "
    "qui différait déjà avant la signature.",
]


# --- The published figures beside the data's -------------------------------------------------------------------
TOLERANCE_POINTS = 1.0  # an evolution in % is reproduced within one percentage point (the demo's calibration)
TOLERANCE_SHARE = 0.05  # a level (the mean list before signing) within 5 %
_CROSS = (  # (group, published indicator, design result, tolerance kind)
    ("signataires", "patientele_mt_initiale", "patients_mt_avant", "niveau"),
    ("signataires", "patientele_mt_evolution_pct", "patients_mt_evolution_pct", "points"),
    ("non_signataires", "patientele_mt_evolution_pct", "patients_mt_evolution_pct", "points"),
    ("signataires", "file_active_evolution_pct", "file_active_evolution_pct", "points"),
    ("non_signataires", "file_active_evolution_pct", "file_active_evolution_pct", "points"),
    ("signataires", "actes_par_jour_evolution_pct", "actes_par_jour_evolution_pct", "points"),
    ("non_signataires", "actes_par_jour_evolution_pct", "actes_par_jour_evolution_pct", "points"),
)
CROSS_INDICATORS = {
    "patientele_mt_initiale": "Patientèle médecin traitant avant la signature (moyenne)",
    "patientele_mt_evolution_pct": "Patientèle médecin traitant à 48 mois (évolution en %)",
    "file_active_evolution_pct": "File active à 48 mois (évolution en %)",
    "actes_par_jour_evolution_pct": "Actes par jour travaillé à 48 mois (évolution en %)",
}
GROUPS = {"signataires": "signataires", "non_signataires": "non-signataires"}
PUBLISHED_STUDY = "cnam_points_de_repere_2024"


def commitment_cross_check(
    activity: pd.DataFrame | None, contracts: pd.DataFrame, *, as_of: pd.Timestamp | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """The published design of the Cnam (*Points de repère*, 3 December 2024: GPs who signed from 1 September 2019
    to 31 August 2020 against GPs who did not, from the year before signing to 48 months later) run on the data,
    beside the published figures: the gap and whether it is within the tolerance (`TOLERANCE_POINTS` for an
    evolution, `TOLERANCE_SHARE` for a level). On the demo data, calibrated on these figures, agreement proves
    nothing but the calibration."""
    # the design itself (cohort, horizon), applied to any activity table

    if activity is None or activity.empty:
        raise IndicatorArgumentError("aucune table d'activité des médecins : rien à comparer aux chiffres publiés")
    if as_of is not None:  # only the periods closed and the contracts signed by the counting date
        activity = _kept_attrs(activity, activity["fin_periode"] <= as_of)
        contracts = _kept_attrs(contracts, contracts["date_signature"] <= as_of)
    last_needed = COHORT[0].year - 1 + HORIZON_YEARS  # the first signatories' year before signing, 4 years on
    if activity.empty or activity["annee"].max() < last_needed:
        raise IndicatorArgumentError("pas encore 48 mois d'activité observés après les signatures de 2019–2020 : le "
                                     "plan de l'étude Cnam ne peut pas être appliqué à cette date")
    # rows in an order of their figures: the means' float sums then do not depend on the pseudonymisation key
    content = [c for c in ("annee", *MEASURES, "actes", "jours_travailles") if c in activity]
    design = published_design(activity.sort_values(content, kind="stable"), contracts)
    missing = [group.replace("_", "-") for group, figures in design.items() if not figures["medecins"]]
    if missing:
        raise IndicatorArgumentError(f"aucun médecin suivi du début à la fin de l'étude parmi les {', '.join(missing)} "
                                     "(cohorte de septembre 2019 à août 2020) : le plan de l'étude Cnam ne s'applique "
                                     "pas à ces données")
    published = reference.commitment_effects()
    published = published[published["study"] == PUBLISHED_STUDY].set_index(["group", "indicator"])
    rows = []
    for group, indicator, result, kind in _CROSS:
        value, data = float(published.loc[(group, indicator), "value"]), design[group][result]
        gap = data - value
        tolerance = TOLERANCE_POINTS if kind == "points" else TOLERANCE_SHARE * value
        rows.append({"groupe": group, "indicateur": indicator, "valeur_publiee": value, "valeur_donnees": data,
                     "ecart": gap, "tolerance": tolerance,
                     "dans_la_tolerance": "oui" if abs(gap) <= tolerance else "non",
                     "medecins_donnees": int(design[group]["medecins"]),
                     "source": str(published.loc[(group, indicator), "source"])})
    frame = pd.DataFrame(rows).astype({"groupe": "string", "indicateur": "string", "source": "string",
                                       "dans_la_tolerance": "string"})
    frame.insert(1, "groupe_libelle", frame["groupe"].map(GROUPS).astype("string"))
    frame.insert(3, "indicateur_libelle", frame["indicateur"].map(CROSS_INDICATORS).astype("string"))
    synthetic = synthetic_flag(activity, synthetic)
    notes = ["Plan de l'étude publiée : généralistes signataires du 1er septembre 2019 au 31 août 2020 face aux "
             "généralistes sans contrat, de l'année précédant la signature (2018 pour les autres) à 48 mois après ; "
             "évolution des moyennes.",
             f"Tolérance : {TOLERANCE_POINTS:g} point pour une évolution, {100 * TOLERANCE_SHARE:g} % pour un niveau."]
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic), REFERENCE], notes=notes)
