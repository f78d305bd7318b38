"""One run's publication audited as a whole: the national results and the results of every scope the run publishes
(a regional report: its region; the site: France and every region) are linked tables, so the complementary masking
that protects a hidden count is decided over all of them together (`audit.protect`), then the exact frames are
dropped and the published frames frozen.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

import numpy as np
import pandas as pd

from am_analytics.coverage import Coverage
from am_analytics.presentation.audit import DisclosureRisk, Ledger, audit, protect
from am_analytics.presentation.catalogue import (
    COMMITMENT_CROSS_RULE,
    COMMITMENT_RULE,
    COMMITMENT_STATUSES,
    EFFECT_RULE,
    FUNDING_RULE,
    GAINS_RULE,
    MONTH_RULE,
    SHARE_FOLLOWERS,
    SUPPLY_RULE,
    TERRITORY_RULE,
    TRAINING_RULE,
)
from am_analytics.presentation.linked import (
    LedgerBuilder,
    LinkedItem,
    breakdown_cells,
    children_in,
    cohort_cells,
    commitment_cells,
    departement_territory,
    dependants_of,
    effect_cells,
    funding_cells,
    gains_cells,
    masked_item,
    month_cells,
    region_territory,
    series_cells,
    territory_cells,
    training_cells,
    training_need_cells,
)
from am_analytics.presentation.results import NationalResults, ScopeResults
from am_analytics.presentation.scope import NATIONAL_CODE, Scope

MONTHLY_DEPENDANTS = {
    "signes_mois": ["etp_signes_mois"],
    "signes_cumul": ["etp_signes_cumul"],
    "actifs": ["etp_actifs"],
}
BREAKDOWN_DEPENDANTS = {
    "effectif": list(SHARE_FOLLOWERS),
    "total": [name for name in SHARE_FOLLOWERS if name != "part_parmi_renseignes"],
}
MIXES = {
    "backgrounds_by_year": "Profils d'origine par année",
    "specialties": "Spécialités par année",
    "zones": "Zones par année",
    "etp_options": "Options de quotité par année",
}

# What the national results say of France as a whole, and the frames by territory: when the extracts do not cover
# France (`coverage`), the first are not published at all and the second keep the covered regions only.
FRANCE_ITEMS = ("monthly", "nation", "training_france", "funding", "progress", "projections", "cross",
                "projected_signatures", "projected_spending", "independence")
TERRITORY_ITEMS = {"regions": "code", "departements": "region_code", "shares": "code", "training": "code",
                   "training_supply": "code", "run_changes": "region_code"}

HEADLINE = ("signes", "actifs")  # a region's signed and active contracts: the figures everything else is read against

Results = TypeVar("Results", NationalResults, ScopeResults)


def _kept(frame: pd.DataFrame | None, name: str, regions: Collection[str]) -> pd.DataFrame | None:
    if frame is None:
        return None
    kept = frame.iloc[0:0] if name in FRANCE_ITEMS else frame[frame[TERRITORY_ITEMS[name]].isin(regions)]
    kept = kept.reset_index(drop=True)
    kept.attrs = dict(frame.attrs)
    return kept


def covered_only(national: NationalResults, coverage: Coverage) -> NationalResults:
    """The national results as extracts that do not cover France may publish them: no France figure (series,
    totals, targets, projections, funding, the test over regions: computed from one region or a few, they would
    present those as France), and only the covered regions and their départements (a region outside the extracts
    has no contract in them, which says nothing of it). Published and exact frames alike, so the audit links no
    France cell (France = Σ regions would hold for the covered regions only)."""
    if coverage.is_france:
        return national
    names = [*FRANCE_ITEMS, *TERRITORY_ITEMS]
    exact = {name: _kept(frame, name, coverage.regions) if name in names else frame
             for name, frame in national.exact.items()}
    return replace(national, **{name: _kept(getattr(national, name), name, coverage.regions) for name in names},
                   exact=exact)


def _item(results: NationalResults | ScopeResults, name: str, place: str, cells, dependants, **kw) -> LinkedItem:
    """The linked item of one published frame of `results` (its attribute `name`) and its exact frame."""
    return LinkedItem(place, getattr(results, name), results.exact[name], cells, dependants, **kw)


def _national_items(national: NationalResults, quoted: Collection[str]) -> dict[str, LinkedItem]:
    """`quoted`: the territories whose 12-month signatures a key message quotes (France, the scopes' regions)."""
    as_of, territory, training = national.as_of, dependants_of(TERRITORY_RULE), dependants_of(TRAINING_RULE)
    specs = {
        "monthly": ("Série mensuelle — France entière", series_cells(national.monthly, NATIONAL_CODE),
                    MONTHLY_DEPENDANTS, {"fixed": True}),
        "nation": ("Territoires — France entière",
                   territory_cells(national.nation, as_of, region_territory, windows=quoted), territory,
                   {"fixed": True}),
        "regions": ("Territoires — régions",
                    territory_cells(national.regions, as_of, region_territory, windows=quoted), territory,
                    {"fixed_columns": HEADLINE}),
        "departements": ("Territoires — départements",
                         territory_cells(national.departements, as_of, departement_territory), territory, {}),
        "shares": ("Profils d'origine par région",
                   breakdown_cells(national.shares, as_of, dimension="profil_origine"), BREAKDOWN_DEPENDANTS, {}),
        "training": ("Formation par région", training_cells(national.training, as_of), training, {}),
        "training_france": ("Formation — France entière", training_cells(national.training_france, as_of),
                            training, {"fixed": True}),
        "training_backgrounds": ("Formation par profil — France entière",
                                 training_cells(national.training_backgrounds, as_of, dimension="profil_origine"),
                                 training, {}),
        "funding": ("Aide attendue — France entière", funding_cells(national.funding, NATIONAL_CODE),
                    dependants_of(FUNDING_RULE), {"fixed": True}),
        "training_supply": ("Besoin de formation par région", training_need_cells(national.training_supply, as_of),
                            dependants_of(SUPPLY_RULE), {}),
    }
    france = not national.nation.empty  # empty when the extracts do not cover France (`covered_only`)
    items = {
        name: _item(national, name, place, cells, dependants, **kw)
        for name, (place, cells, dependants, kw) in specs.items()
        if france or name not in FRANCE_ITEMS
    }
    if france:  # estimated over every signatory of France: published only when the extracts cover it
        items.update(_commitment_items(national))
    return items


def _commitment_items(national: NationalResults) -> dict[str, LinkedItem]:
    """The doctors' commitments and the effect of signing (issue 24), those published (None without an activity
    table): counts of contracts and doctors, linked to each other and to the signed contracts (`linked`)."""
    as_of = national.as_of
    specs = {
        "commitments": ("Engagements — statut à la dernière revue", commitment_cells, COMMITMENT_RULE,
                        {"statuses": COMMITMENT_STATUSES}),
        "commitment_effect": ("Effet de la signature", effect_cells, EFFECT_RULE, {}),
        "commitment_gains": ("Patients et temps médical attribuables", gains_cells, GAINS_RULE, {}),
        "commitment_cross": ("Plan Cnam face aux chiffres publiés", cohort_cells, COMMITMENT_CROSS_RULE, {}),
    }
    items = {
        name: _item(national, name, place, cells(getattr(national, name), as_of, **kw), dependants_of(rule))
        for name, (place, cells, rule, kw) in specs.items()
        if getattr(national, name) is not None and name in national.exact
    }
    if "commitments" in items:  # France's statuses: hidden to protect a category only when nothing else can be
        france = national.commitments["dimension"].eq("france").to_numpy(dtype=bool)
        items["commitments"] = replace(items["commitments"], fixed_rows=tuple(np.flatnonzero(france).tolist()))
    return items


def _scope_items(scope: Scope, results: ScopeResults, as_of: pd.Timestamp) -> dict[str, LinkedItem]:
    territory = region_territory(scope.territory_code)
    label, fixed = scope.label, scope.is_national
    items = {
        name: _item(
            results,
            name,
            f"{title} — {label}",
            breakdown_cells(getattr(results, name), as_of, dimension=str(results.exact[name]["variable"].iloc[0]),
                            territory=territory),
            BREAKDOWN_DEPENDANTS,
            fixed=fixed,
        )
        for name, title in MIXES.items()
        if not results.exact[name].empty
    }
    items["funding"] = _item(results, "funding", f"Aide attendue — {label}",
                             funding_cells(results.funding, territory), dependants_of(FUNDING_RULE), fixed=fixed)
    if not scope.is_national:  # France's series is the national results' own
        items["monthly"] = _item(results, "monthly", f"Série mensuelle — {label}",
                                 series_cells(results.monthly, territory), MONTHLY_DEPENDANTS)
    if results.month_compared is not None:
        items["month_compared"] = _item(results, "month_compared", f"Mois par département — {label}",
                                        month_cells(results.month_compared, as_of), dependants_of(MONTH_RULE))
    return items


def _background_items(scope: Scope, results: ScopeResults) -> dict[str, LinkedItem]:
    """A background's own series (a dashboard publishes it beside its territory's): its signatures and stocks are
    counts of one category of the territory's, linked to the territory's backgrounds by year and to its training
    by background. Its mixes (specialties of one background: counts by two categories) and funding are not cells of
    the ledger: the dashboards publish them as their table rule masks them."""
    territory = region_territory(scope.territory_code)
    cells = series_cells(results.monthly, territory, "profil_origine", scope.profil)
    return {"monthly": _item(results, "monthly", f"Série mensuelle — {scope.label}", cells, MONTHLY_DEPENDANTS)}


def publication_ledger(
    national: NationalResults, scopes: Sequence[tuple[Scope, ScopeResults]], contracts: pd.DataFrame
) -> tuple[Ledger, dict[str, LinkedItem], list[dict[str, LinkedItem]]]:
    """The ledger of a run's publication, with the linked items of the national results and of each scope (in
    the order given; of a background's own results, its series is linked: see `_background_items`)."""
    national_items = _national_items(national, {NATIONAL_CODE, *(scope.territory_code for scope, _ in scopes)})
    scope_items = [
        _scope_items(scope, results, national.as_of) if scope.profil is None else _background_items(scope, results)
        for scope, results in scopes
    ]
    items = [*national_items.values(), *(item for found in scope_items for item in found.values())]
    children = children_in(national.departements, national.regions["code"])
    ledger = LedgerBuilder(items, contracts, national.as_of, children).build()
    return ledger, national_items, scope_items


def _masked(results: Results, items: Mapping[str, LinkedItem], ledger: Ledger) -> Results:
    """The results with every linked item masked as the audit decided (the exact frames kept for the check)."""
    return replace(results, **{name: masked_item(item, ledger) for name, item in items.items()})


def audited(
    national: NationalResults, scopes: Sequence[tuple[Scope, ScopeResults]], contracts: pd.DataFrame
) -> tuple[NationalResults, list[ScopeResults]]:
    """The national results and every scope's results of one run, protected together: after the audit no hidden
    count can be recovered, or narrowed below the protection rule, from everything the run publishes. The frames as
    masked are audited once more before they are returned, and their exact frames dropped. Raises
    `audit.DisclosureRisk` when a cell cannot be protected (nothing may be written then)."""
    if not national.exact:
        raise ValueError("résultats nationaux déjà publiés : l'audit part des résultats calculés (NationalResults.of)")
    if scopes:  # every scope of a run reads the same extracts
        national = covered_only(national, scopes[0][0].coverage)
    ledger, national_items, scope_items = publication_ledger(national, scopes, contracts)
    protect(ledger)
    masked_national = _masked(national, national_items, ledger)
    masked_scopes = []
    for (scope, results), found in zip(scopes, scope_items, strict=True):
        if scope.is_national and scope.profil is None:
            results = replace(results, monthly=masked_national.monthly)
        masked_scopes.append(_masked(results, found, ledger))
    # the check: what the layouts will read, read again as a reader would
    as_published = [(scope, results) for (scope, _), results in zip(scopes, masked_scopes, strict=True)]
    check, _, _ = publication_ledger(masked_national, as_published, contracts)
    exposures = audit(check)
    if exposures:
        raise DisclosureRisk(exposures)
    return replace(masked_national, exact={}), [replace(results, exact={}) for results in masked_scopes]
