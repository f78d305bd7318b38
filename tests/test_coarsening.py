"""Protection by coarsening (`presentation.coarsening`): a small territory's mixes over all years, small categories
folded into « Autres » with the fold stated, and headline figures never hidden to protect another cell."""

from __future__ import annotations

import pandas as pd

from am_analytics.indicators.backgrounds import background_mix_by_year
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation.audit import Ledger, audit, protect
from am_analytics.presentation.coarsening import (
    ALL_YEARS,
    FOLD_ATTR,
    OTHERS,
    PERIODS_ATTR,
    categories_to_fold,
    coarsened,
    fold,
    publishes_over_all_years,
)
from am_analytics.presentation.disclosure import PRIMARY, cumulative_windows, publish_series
from am_analytics.presentation.linked import BEGINNING, SIGNED, SignatureCounts, breakdown_cells
from am_analytics.presentation.results import publish_mix
from tests.indicator_helpers import make_contracts

AS_OF = pd.Timestamp("2022-12-31")


def _mix(by_year: dict[int, dict[str, int]]) -> pd.DataFrame:
    """The background mix by year of contracts signed on 1 October of each year, `{year: {background: count}}`."""
    rows = [{"date_signature": f"{year}-10-01", "profil_origine": profil, "departement": "2A"}
            for year, counts in by_year.items() for profil, count in counts.items() for _ in range(count)]
    return background_mix_by_year(make_contracts(rows), as_of=AS_OF, synthetic=True)


# Corse-like: secretaries every year, a few nurses and care assistants, one dental assistant
SMALL = {2019: {"secretaire_medicale": 6, "infirmier": 1}, 2020: {"secretaire_medicale": 8, "aide_soignant": 2},
         2021: {"secretaire_medicale": 7, "infirmier": 2, "assistant_dentaire": 1},
         2022: {"secretaire_medicale": 9, "hors_sante": 6, "aide_soignant": 1}}
LARGE = {year: {"secretaire_medicale": 60, "infirmier": 12, "aide_soignant": 9, "hors_sante": 25}
         for year in (2019, 2020, 2021, 2022)}


def test_a_small_scope_s_mix_is_published_over_all_years_with_its_fold_stated():
    mix = _mix(SMALL)
    assert publishes_over_all_years([mix])
    published = coarsened(mix, all_years=True)
    assert published.attrs[PERIODS_ATTR] == ALL_YEARS
    assert set(published["periode"]) == {"2019–2022"}
    counts = published.set_index("categorie")["effectif"]
    assert counts["secretaire_medicale"] == 30 and counts["hors_sante"] == 6
    # nurses (3), care assistants (3) and the dental assistant (1) are folded: 7 contracts, « Autres »
    assert counts[OTHERS] == 7 and "infirmier" not in counts.index and "assistant_dentaire" not in counts.index
    assert (published["total"] == 43).all() and published["effectif"].sum() == 43
    table = cat.background_years_table(publish_mix(published))
    notes = " ".join(table.notes)
    assert "publiée sur l'ensemble des années (2019–2022)" in notes
    assert "« Autres » regroupe : Infirmier·ère, Aide-soignant·e, Assistant·e dentaire" in notes


def test_a_large_scope_s_mix_stays_by_year_and_unfolded():
    mix = _mix(LARGE)
    assert not publishes_over_all_years([mix])
    published = coarsened(mix, all_years=False)
    assert list(dict.fromkeys(published["periode"])) == ["2019", "2020", "2021", "2022"]
    assert OTHERS not in set(published["categorie"]) and not published.attrs.get(FOLD_ATTR)
    assert not any("Autres" in note for note in cat.background_years_table(publish_mix(published)).notes)


def test_autres_names_the_categories_it_holds_and_is_never_one_category_or_everything():
    mix = _mix(SMALL)
    folded = fold(mix, ["infirmier", "aide_soignant"])
    assert folded.attrs[FOLD_ATTR] == {"infirmier": "Infirmier·ère", "aide_soignant": "Aide-soignant·e"}
    yearly = folded[folded["categorie"] == OTHERS].set_index("periode")["effectif"]
    assert yearly.to_dict() == {"2019": 1, "2020": 2, "2021": 2, "2022": 1}
    # one small category alone is not folded (« Autres » would only rename it)
    assert categories_to_fold(_mix({2019: {"secretaire_medicale": 20, "infirmier": 2}})) == []
    # nor every category with contracts (« Autres » would be the total)
    assert categories_to_fold(_mix({2019: {"infirmier": 2, "aide_soignant": 3}})) == []


def test_a_mix_over_all_years_is_linked_to_the_territory_s_headline_and_autres_to_its_members():
    published = coarsened(_mix(SMALL), all_years=True)
    cells = {cell.key for cell in breakdown_cells(published, AS_OF, dimension="profil_origine", territory="R94")}
    now = AS_OF.date()
    assert (SIGNED, "R94", BEGINNING, now, None, None) in cells  # the same cell as the territory table's signed
    [others] = [key for key in cells if str(key[5]).startswith(OTHERS)]
    assert others[5] == "autres:infirmier|aide_soignant|assistant_dentaire"
    contracts = make_contracts([{"date_signature": "2021-10-01", "profil_origine": profil, "departement": "2A"}
                                for profil in ("infirmier", "aide_soignant", "secretaire_medicale")])
    assert SignatureCounts(contracts, AS_OF).count("R94", BEGINNING, now, "profil_origine", others[5]) == 2


def test_a_series_keeps_its_last_point_and_hides_an_earlier_one_instead():
    # PACA at the end of 2019: 18 signed, 17 active: one contract ended, which the first stock gives away anyway
    # (signed − active, both headline figures); the stock is kept, never hidden to protect that count
    frame = pd.DataFrame({"mois": [0, 1, 2], "signes_mois": [6, 9, 3]})
    frame["signes_cumul"] = frame["signes_mois"].cumsum()
    frame["actifs"] = [6, 15, 17]
    published = publish_series(frame, cumulative="signes_cumul", monthly="signes_mois", stocks={"actifs": ()},
                               keep=["mois", "signes_mois", "signes_cumul", "actifs"])
    assert published["signes_cumul"].tolist()[-1] == 18 and published["actifs"].tolist()[-1] == 17
    assert pd.isna(published["signes_cumul"].iloc[1])  # 15 → 18 is a small increase: the earlier point goes
    # without the anchor, the old rule hid the last point (the headline) instead
    shown, _ = cumulative_windows(frame["signes_cumul"])
    assert shown.tolist() == [True, True, False]


def test_a_headline_cell_is_never_chosen_while_another_neighbour_can_be_hidden():
    ledger = Ledger()
    ledger.publish(("a",), 2, hidden=PRIMARY, place="t")
    ledger.publish(("b",), 3, hidden=None, place="t")
    ledger.publish(("headline",), 40, hidden=None, place="t", fixed=True)
    ledger.publish(("c",), 35, hidden=None, place="t")
    ledger.relate({("headline",): 1.0, ("a",): -1.0, ("b",): -1.0, ("c",): -1.0})
    ledger.primary.discard(("a",))  # said « s »: relabelling cannot help, a neighbour must be hidden
    assert audit(ledger)
    added = protect(ledger)
    assert added and ("headline",) not in added and ledger.shown[("headline",)]
    assert audit(ledger) == []
