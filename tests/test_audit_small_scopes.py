"""Small scopes generated at random (a few dozen contracts over overseas, Corse and mainland départements, at the
data's last date): the publication of France with one region is always protected, and the frames as masked give a
reader nothing back (`publication.audited` audits them once more and raises otherwise)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from am_analytics.presentation.audit import audit
from am_analytics.presentation.publication import audited, publication_ledger
from am_analytics.presentation.results import NationalResults, ScopeResults
from am_analytics.presentation.scope import Scope
from am_analytics.vocabulary import PROFILS
from tests.indicator_helpers import make_contracts

DEPARTEMENTS = ("976", "2A", "971", "01", "75")
MONTHS = list(pd.period_range("2019-09", "2025-06", freq="M"))


@st.composite
def small_scopes(draw):
    size = draw(st.integers(1, 40))
    rows = []
    for _ in range(size):
        signed = draw(st.sampled_from(MONTHS))
        row = {
            "departement": draw(st.sampled_from(DEPARTEMENTS)),
            "date_signature": str(signed.to_timestamp() + pd.Timedelta(days=draw(st.integers(0, 27))))[:10],
            "profil_origine": draw(st.sampled_from([code for code in PROFILS if code != "inconnu"])),
            "specialite": draw(st.sampled_from(["medecine_generale", "pediatrie", "cardiologie"])),
            "zone": draw(st.sampled_from(["zip", "zac", "hors_zone"])),
            "etp_option": draw(st.sampled_from(["1/3", "1/2", "1"])),
        }
        if draw(st.booleans()):
            ended = signed + draw(st.integers(1, 40))
            if ended <= MONTHS[-1]:
                row["date_fin"] = str(ended.to_timestamp())[:10]
        rows.append(row)
    region = draw(st.sampled_from(["06", "94", "01", "84", "11"]))
    return make_contracts(rows), region


# a few examples per run keep the suite fast; `--hypothesis-seed` and a larger `max_examples` explore more
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(small_scopes())
def test_a_small_scope_s_publication_is_protected_and_gives_nothing_back(demo_data, generated):
    contracts, region = generated
    data = replace(demo_data, contracts=contracts, survey=None, survey_tables=None, territory_year=None)
    scope = Scope.open(data=data, region=region)  # at the data's last date, a month-end or not
    national = NationalResults.of(scope)
    pairs = [(scope, ScopeResults.compute(scope, national))]
    published, (own,) = audited(national, pairs, contracts)
    # the same check, spelled out: a reader of the frames as published recovers nothing
    reread = [(scope, replace(own, exact={**pairs[0][1].exact}))]
    ledger, _, _ = publication_ledger(replace(published, exact=national.exact), reread, contracts)
    assert ledger.skipped == []
    assert audit(ledger) == []
