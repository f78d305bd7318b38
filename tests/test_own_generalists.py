"""An analyst's own counts of general practitioners by département: read in any format with their source and
year, used instead of the shipped estimates, and every per-100-GP rate says which count it used."""

from __future__ import annotations

import pandas as pd
import pytest

from am_analytics.errors import DataError
from am_analytics.indicators.territories import (
    ESTIMATE_SOURCE,
    by_departement,
    by_region,
    national_totals,
)
from am_analytics.reference.own import read_generalist_counts
from tests.indicator_helpers import make_contracts

AS_OF = pd.Timestamp("2024-06-30")
BRETAGNE = "Dépt;Nombre de généralistes;Source;Année\n35;1 250;RPPS via ARS Bretagne;2025\n22;700;RPPS;2025\n" \
           "Finistère;1000;RPPS;2025\n56;800.0;RPPS;2025\n"


def _contracts() -> pd.DataFrame:
    rows = [{"departement": d, "specialite": "medecine_generale"} for d in ("35", "35", "22", "29", "56", "34")]
    return make_contracts(rows)


def _read(tmp_path, text: str, name: str = "mg.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return read_generalist_counts(path)


def test_supplied_counts_replace_the_estimate_and_the_columns_say_so(tmp_path):
    own = _read(tmp_path, BRETAGNE, encoding="cp1252")
    assert own.rows.set_index("departement")["generalistes"].to_dict() == {"35": 1250, "22": 700, "29": 1000,
                                                                        "56": 800}
    frame = by_departement(_contracts(), as_of=AS_OF, synthetic=False, generalists=own.rows).set_index("code")
    assert "generalistes_estimes" not in frame and "actifs_mg_pour_100_mg_estimes" not in frame
    assert frame.loc["35", "actifs_mg_pour_100_mg"] == pytest.approx(2 / 1250 * 100)
    assert frame.loc["35", "generalistes_source"] == "RPPS via ARS Bretagne (2025), fourni par l'analyste"
    # a département the analyst did not count keeps the estimate, and says so
    assert frame.loc["34", "generalistes_source"] == ESTIMATE_SOURCE
    assert pd.isna(frame.loc["976", "generalistes_source"])  # Mayotte: no count at all, no source invented
    assert "fourni" in frame.attrs["notes"][0]


def test_a_region_uses_supplied_counts_only_when_all_its_departements_have_one(tmp_path):
    whole = _read(tmp_path, BRETAGNE)
    regions = by_region(_contracts(), as_of=AS_OF, synthetic=False, generalists=whole.rows).set_index("code")
    assert regions.loc["53", "generalistes"] == 3750
    assert regions.loc["53", "actifs_mg_pour_100_mg"] == pytest.approx(5 / 3750 * 100)
    partial = _read(tmp_path, "\n".join(BRETAGNE.splitlines()[:3]) + "\n", name="partiel.csv")
    estimated = by_region(_contracts(), as_of=AS_OF, synthetic=False).set_index("code")
    regions = by_region(_contracts(), as_of=AS_OF, synthetic=False, generalists=partial.rows).set_index("code")
    assert regions.loc["53", "generalistes"] == estimated.loc["53", "generalistes_estimes"]
    assert regions.loc["53", "generalistes_source"] == ESTIMATE_SOURCE
    nation = national_totals(_contracts(), as_of=AS_OF, synthetic=False, generalists=whole.rows).iloc[0]
    assert nation["generalistes_source"].startswith("mixte")


def test_without_supplied_counts_every_rate_names_the_estimate():
    frame = by_departement(_contracts(), as_of=AS_OF, synthetic=False)
    has_count = frame["generalistes_estimes"].notna()
    assert (frame.loc[has_count, "generalistes_source"] == ESTIMATE_SOURCE).all()
    assert national_totals(_contracts(), as_of=AS_OF, synthetic=False).iloc[0]["generalistes_source"] == \
        ESTIMATE_SOURCE


def test_bad_rows_are_kept_with_their_line_and_reason(tmp_path):
    own = _read(tmp_path, "departement;generalistes;source;annee\n"
                          "35;1250;RPPS;2025\n"
                          "29;1.234,5;RPPS;2025\n"     # not a whole number
                          "56;-3;RPPS;2025\n"          # negative
                          "22;700;RPPS;vingt\n"        # no year
                          "Atlantide;10;RPPS;2025\n"   # unknown département
                          "44;900;RPPS;2025\n"
                          "44;950;RPPS;2025\n"         # the same département with two counts: neither kept
                          "35;1250;RPPS;2025\n")       # an exact repeat: read once
    assert own.rows["departement"].tolist() == ["35"]
    reasons = own.rejected.set_index("ligne")["motif"]
    assert sorted(reasons.index) == [3, 4, 5, 6, 7, 8, 9]
    assert "entier" in reasons[3] and "entier" in reasons[4] and "année" in reasons[5]
    assert "Atlantide" in reasons[6] and "différents" in reasons[7] and "différents" in reasons[8]
    assert "une fois" in reasons[9]


def test_a_file_without_a_source_column_is_refused(tmp_path):
    with pytest.raises(DataError) as caught:
        _read(tmp_path, "departement;generalistes;annee\n35;1250;2025\n", name="sans_source.csv")
    assert "sans_source.csv" in caught.value.message and "source" in caught.value.message
