"""Contract histories: an extract writing one row per act (the initial contract, then each avenant) gives one
contract with its history; the FTE counted at a date is the one of the act in force then."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from am_analytics import indicators as ind
from am_analytics.indicators.common import ACTS_ATTR, ContractHistories, etp_at
from am_analytics.loading import load
from am_analytics.prepare.acts import AVENANT, INITIAL, act_identity, normalise_acts
from am_analytics.prepare.pipeline import prepare

pytestmark = pytest.mark.xdist_group("contract_histories")  # the prepared history is built once, in one worker

KEY = b"histories-key"
HEADER = "N° contrat;RPPS;Date de signature;Date de fin;Département;Quotité;Type d'acte;N° d'avenant;Date d'effet"
# HA: 1/2 from its signature, 1 from an avenant of 1 September 2022, 1 + 1/2 (second assistant) from 1 September
# 2024. HB: 1/3, then 1/2 from 1 January 2022, ended on 30 June 2023. HC: written without a history, 1/2 throughout.
HISTORY = "\n".join([
    HEADER,
    "HA;99100000001;15/03/2021;;35;1/2;Contrat initial;;15/03/2021",
    "HA;99100000001;15/03/2021;;35;1;Avenant n°1;;01/09/2022",
    "HA;99100000001;15/03/2021;;35;1 + 1/2;AVENANT;2;01/09/2024",
    "HB;99100000002;10/05/2021;30/06/2023;29;1/3;initial;;",
    "HB;99100000002;10/05/2021;30/06/2023;29;1/2;avenant;1;01/01/2022",
    "HC;99100000003;10/05/2021;;29;1/2;;;",
]) + "\n"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The history folder prepared and loaded once (as notebooks and the report load it)."""
    root = tmp_path_factory.mktemp("histories")
    raw = root / "raw"
    raw.mkdir()
    (raw / "historique.csv").write_text(HISTORY, encoding="utf-8")
    prepared = prepare(raw, root / "out", key=KEY, cutoff=dt.date(2025, 1, 1))
    return prepared, load(raw, root / "out", cutoff=dt.date(2025, 1, 1))


# --- Reading the acts -----------------------------------------------------------------------------------------


def test_act_types_numbers_and_dates_are_read_in_the_ways_extracts_write_them():
    types = pd.Series(["Contrat initial", "INITIAL", "Avenant n°2", "avenant", "AV3", None, None, "Création"],
                      dtype="string")
    numbers = pd.Series([None, None, None, "n°4", None, "5", "0", None], dtype="string")
    dates = pd.Series(["15/03/2021", None, "01/09/2022", "2023-01-01", "01/02/2024", "01/03/2024", None, None],
                      dtype="string")
    acts = normalise_acts(types, numbers, dates)
    assert acts["type_acte"].tolist() == [INITIAL, INITIAL, AVENANT, AVENANT, AVENANT, AVENANT, INITIAL, INITIAL]
    assert acts["numero_avenant"].tolist() == [0, 0, 2, 4, 3, 5, 0, 0]
    assert acts["reason"].isna().all(), acts


def test_an_unknown_act_an_unreadable_number_or_date_and_an_undated_avenant_are_named():
    types = pd.Series(["Résiliation", "Avenant", "Avenant", "Avenant", None], dtype="string")
    numbers = pd.Series([None, "deux", "1", "2", None], dtype="string")
    dates = pd.Series(["01/01/2023", "01/01/2023", "31/02/2023", None, None], dtype="string")
    acts = normalise_acts(types, numbers, dates)
    assert acts["reason"].tolist()[:4] == [
        "type_acte_inconnu", "numero_avenant_illisible", "date_effet_illisible", "date_effet_manquante"]
    assert acts["column"].tolist()[:4] == ["type_acte", "numero_avenant", "date_effet", "date_effet"]
    assert pd.isna(acts["reason"].iat[4]) and pd.isna(acts["type_acte"].iat[4])  # no act written: a plain row


def test_an_act_is_identified_by_its_number_or_else_by_its_date_of_effect():
    frame = normalise_acts(pd.Series(["Contrat initial", "Avenant n°2", "Avenant", None], dtype="string"),
                           pd.Series([None] * 4, dtype="string"),
                           pd.Series([None, "01/09/2022", "01/03/2024", None], dtype="string"))
    assert act_identity(frame).tolist() == ["initial", "avenant 2", "avenant du 2024-03-01", ""]


# --- One contract with its history -----------------------------------------------------------------------------


def test_a_contract_written_act_by_act_is_one_contract_with_the_latest_option(loaded):
    prepared, _ = loaded
    contracts = prepared.tables["contracts"].set_index("cle_contrat")
    assert sorted(contracts.index) == ["HA", "HB", "HC"]
    assert contracts.at["HA", "etp_option"] == "1+1/2" and contracts.at["HB", "etp_option"] == "1/2"
    assert contracts.at["HA", "date_signature"] == pd.Timestamp("2021-03-15")
    account = prepared.accounts[0]
    # the latest act is the contract's row, the earlier acts are superseded versions: nothing quarantined
    assert (account.rows_read, account.rows_kept, account.rows_updated, account.rows_quarantined) == (6, 3, 3, 0)
    acts = prepared.tables["contract_acts"]
    assert acts[acts["cle_contrat"] == "HA"]["etp"].tolist() == [0.5, 1.0, 1.5]
    assert "HC" not in set(acts["cle_contrat"])  # written without a history: no act


def test_the_change_log_has_one_line_per_avenant_saying_what_changed_from_which_date(loaded):
    prepared, _ = loaded
    changes = prepared.changes
    lines = changes[changes["contract_key"] == "HA"][["column", "old_value", "new_value", "act", "effective_date"]]
    assert lines.values.tolist() == [
        ["etp_option", "1/2", "1", "avenant n°1", "2022-09-01"],
        ["etp_option", "1", "1+1/2", "avenant n°2", "2024-09-01"],
    ]


def test_the_fte_in_force_is_the_one_of_the_act_in_force_before_and_after_each_avenant(loaded):
    _, data = loaded
    contracts = data.contracts.set_index("cle_contrat", drop=False)
    order = list(contracts.index)

    def fte(day: str) -> dict[str, float]:
        return dict(zip(order, np.round(etp_at(contracts, day), 6), strict=True))

    assert fte("2022-08-31") == {"HA": 0.5, "HB": 0.5, "HC": 0.5}
    assert fte("2022-09-01") == {"HA": 1.0, "HB": 0.5, "HC": 0.5}
    assert fte("2021-12-31")["HB"] == pytest.approx(1 / 3)
    assert fte("2024-09-01")["HA"] == 1.5


def test_active_fte_at_any_date_counts_each_contract_at_the_act_then_in_force(loaded):
    _, data = loaded
    days = ["2021-06-01", "2022-01-01", "2022-09-01", "2023-06-30", "2024-09-01"]
    counts = ind.counts_at(data.contracts, days, synthetic=False).set_index(pd.Index(days))
    # 2021-06-01: 1/2 + 1/3 + 1/2 ; 2022-01-01: HB at 1/2 ; 2022-09-01: HA at 1 ; 2023-06-30: HB ended ;
    # 2024-09-01: HA at 1 + 1/2
    assert counts["etp_actifs"].round(6).tolist() == [round(4 / 3, 6), 1.5, 2.0, 1.5, 2.0]
    assert counts["actifs"].tolist() == [3, 3, 3, 2, 2]
    # signed FTE count each contract as signed (its initial act)
    assert counts["etp_signes_cumul"].round(6).tolist() == [round(4 / 3, 6)] * 5


def test_territories_count_the_fte_in_force_at_the_counting_date(loaded):
    _, data = loaded
    before = ind.by_departement(data.contracts, as_of="2022-08-31", synthetic=False).set_index("code")
    after = ind.by_departement(data.contracts, as_of="2022-09-01", synthetic=False).set_index("code")
    assert (before.at["35", "etp_actifs"], after.at["35", "etp_actifs"]) == (0.5, 1.0)
    region = ind.by_region(data.contracts, as_of="2022-09-01", synthetic=False).set_index("code")
    assert region.at["53", "etp_actifs"] == 2.0  # Bretagne (35 and 29): 1 + 1/2 + 1/2


def test_the_history_travels_with_the_contracts_through_filtering_and_concatenation(loaded):
    _, data = loaded
    assert isinstance(data.contracts.attrs[ACTS_ATTR], ContractHistories)
    brittany = data.contracts[data.contracts["departement"] == "35"]
    assert brittany.attrs[ACTS_ATTR] is data.contracts.attrs[ACTS_ATTR]
    assert etp_at(brittany, "2022-08-31").tolist() == [0.5]
    both = pd.concat([brittany, data.contracts[data.contracts["departement"] == "29"]])
    assert both.attrs[ACTS_ATTR] is data.contracts.attrs[ACTS_ATTR]
    assert data.contract_acts is not None and len(data.contract_acts) == 5


def test_without_a_history_the_fte_of_each_contract_is_its_own():
    contracts = pd.DataFrame({"cle_contrat": ["A"], "date_signature": pd.to_datetime(["2021-01-01"]),
                              "date_fin": pd.to_datetime([None]), "etp": pd.array([0.5], dtype="Float64")})
    assert etp_at(contracts, "2024-01-01").tolist() == [0.5]


def test_the_default_counting_date_reaches_the_latest_avenant(loaded):
    from am_analytics.parameters import latest_date

    _, data = loaded
    assert latest_date(data.contracts) == pd.Timestamp("2024-09-01")


# --- What cannot be placed in a history --------------------------------------------------------------------------


def _prepare_history(tmp_path, *rows: str, name: str = "historique.csv", files: dict[str, str] | None = None):
    """A raw folder holding the history `name` (HEADER, then `rows`) and any other `files`, prepared."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / name).write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    for name, text in (files or {}).items():
        (raw / name).write_text(text, encoding="utf-8")
    return prepare(raw, tmp_path / "out", key=KEY, cutoff=dt.date(2025, 1, 1))


def test_a_row_without_act_beside_a_history_is_merged_when_it_repeats_an_act_else_quarantined(tmp_path):
    prepared = _prepare_history(
        tmp_path,
        "HL;99100000001;15/03/2021;;35;1/2;Contrat initial;;",
        "HL;99100000001;15/03/2021;;35;1;Avenant;1;01/09/2022",
        "HL;99100000001;15/03/2021;;35;1;;;",
        "HL;99100000001;15/03/2021;;35;1/3;;;",
    )
    account = prepared.accounts[0]
    assert (account.rows_kept, account.rows_updated, account.rows_merged, account.rows_quarantined) == (1, 1, 1, 1)
    (line,) = prepared.quarantine["line"].tolist()
    assert line == 5 and prepared.quarantine["reason"].iat[0] == "ligne_hors_historique"


def test_an_avenant_changing_nothing_still_has_its_line_in_the_change_log(tmp_path):
    changes = _prepare_history(
        tmp_path,
        "HN;99100000001;15/03/2021;;35;1/2;Contrat initial;;",
        "HN;99100000001;15/03/2021;;35;1/2;Avenant;1;01/09/2022",
    ).changes
    assert len(changes) == 1
    assert pd.isna(changes["column"].iat[0]) and changes["act"].iat[0] == "avenant n°1"
    assert changes["effective_date"].iat[0] == "2022-09-01"


def test_the_quality_table_of_changed_columns_leaves_avenants_out(loaded):
    prepared, _ = loaded
    assert ind.changes_by_column(prepared.changes).empty


def test_loaded_contracts_carrying_their_history_can_still_be_written_to_parquet(loaded, tmp_path):
    _, data = loaded
    data.contracts.to_parquet(tmp_path / "mes_contrats.parquet")  # an analyst's copy: no error, no warning
    assert len(pd.read_parquet(tmp_path / "mes_contrats.parquet")) == 3


def test_the_option_mix_counts_each_contract_at_the_option_in_force_on_the_counting_date(loaded):
    _, data = loaded

    def counts(day: str) -> dict[str, int]:
        mix = ind.etp_option_mix(data.contracts, as_of=day, synthetic=False)
        return {code: int(n) for code, n in zip(mix["categorie"], mix["effectif"], strict=True) if n}

    # before the second-assistant option opened, no contract can hold it
    assert counts("2022-12-31") == {"1": 1, "1/2": 2}
    assert counts("2024-09-01") == {"1+1/2": 1, "1/2": 2}


def test_each_contract_year_is_funded_at_the_option_in_force_when_it_starts(loaded):
    _, data = loaded
    years = ind.contract_years(data.contracts, as_of="2024-09-01", synthetic=False)
    ha = years[years["contrat_id"] == "HA"].set_index("annee_contrat")
    # years from 15 March: 2021 and 2022 at 1/2 (the avenant of 1 September 2022 is in force from 2023's year),
    # 2023 at 1, 2024 at 1 (the second assistant's option takes effect in September, within that year)
    assert ha["etp_option"].tolist() == ["1/2", "1/2", "1", "1"]
    assert ha["etp"].tolist() == [0.5, 0.5, 1.0, 1.0]
    hc = years[years["contrat_id"] == "HC"]
    assert set(hc["etp_option"]) == {"1/2"}  # written without a history: its own option


def test_the_value_in_force_on_any_day_for_any_row(loaded):
    from am_analytics.indicators.common import in_force_on

    _, data = loaded
    contracts = data.contracts.reset_index(drop=True)
    ha = int(np.flatnonzero(contracts["cle_contrat"] == "HA")[0])
    days = np.array(["2020-01-01", "2021-03-15", "2022-08-31", "2022-09-01", "2030-01-01", "NaT"],
                    dtype="datetime64[D]")
    options = in_force_on(contracts, np.full(len(days), ha), days, "etp_option")
    # before the first act: the first act; a missing day: the contract's own (latest) option
    assert options.tolist() == ["1/2", "1/2", "1/2", "1", "1+1/2", "1+1/2"]


def test_an_older_snapshot_without_acts_is_superseded_by_a_later_history(tmp_path):
    snapshot = ("N° contrat;RPPS;Date de signature;Département;Quotité;Aide versée (€)\n"
                "HS;99100000001;15/03/2021;35;1/2;1000\n")
    prepared = _prepare_history(
        tmp_path,
        "HS;99100000001;15/03/2021;;35;1/2;Contrat initial;;",
        "HS;99100000001;15/03/2021;;35;1;Avenant;1;01/09/2022",
        name="historique_2024-12-31.csv", files={"contrats_2022-01-31.csv": snapshot},
    )
    snapshot = next(a for a in prepared.accounts if a.file == "contrats_2022-01-31.csv")
    assert (snapshot.rows_updated, snapshot.rows_quarantined) == (1, 0)
    assert prepared.quarantine.empty
    assert prepared.tables["contracts"]["etp_option"].tolist() == ["1"]
