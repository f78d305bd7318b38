"""The presentation layer: one Scope resolved once, national results computed once and passed explicitly,
published frames that hide a figure everywhere or nowhere, and tables whose every cell is what may be shown."""

from __future__ import annotations

import pandas as pd
import pytest

from am_analytics import paths
from am_analytics.errors import UsageError
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation.disclosure import PRIMARY, is_published, status_of
from am_analytics.presentation.results import NationalResults, ScopeResults
from am_analytics.presentation.scope import Scope, resolve_folders
from am_analytics.vocabulary import SYNTHETIC_MENTION

# dates where the demo data has small regional counts (the scheme's first months) and a recent one
DATES = ["2019-10-31", "2020-03-31", "2021-12-31", "2025-06-30"]


@pytest.fixture(scope="module")
def data(demo_data):
    return demo_data


@pytest.fixture(scope="module")
def scope(data):
    return Scope.open(data=data)


@pytest.fixture(scope="module", params=DATES)
def national(request, data):
    return NationalResults.of(Scope.open(data=data, as_of=request.param))


# --- Scope ---------------------------------------------------------------------------------------------------


def test_scope_resolves_codes_names_and_labels_once(data):
    scope = Scope.open(data=data, region="Bretagne", profil="Infirmier·ère", as_of="31/12/2023")
    assert (scope.region, scope.profil) == ("53", "infirmier")
    assert scope.as_of == pd.Timestamp("2023-12-31")
    assert scope.label == "Bretagne — Infirmier·ère"
    assert scope.stem == "region_53_profil_infirmier"
    assert set(scope.contracts["region"]) == {"53"} and set(scope.contracts["profil_origine"]) == {"infirmier"}
    assert scope.synthetic is True


def test_scope_defaults_to_france_every_background_and_the_latest_date(scope):
    assert scope.region is None and scope.profil is None
    assert scope.label == "France entière" and scope.stem == "france"
    latest = pd.concat([scope.all_contracts["date_signature"], scope.all_contracts["date_fin"]]).max()
    assert scope.as_of == latest.normalize()


@pytest.mark.parametrize(
    ("parameters", "words"),
    [
        ({"region": "Bretange"}, "Bretagne"),
        ({"profil": "astronaute"}, "secretaire_medicale"),
        ({"as_of": "2031-01-01"}, "après"),
        ({"as_of": "2018-12-31"}, "avant"),
    ],
)
def test_a_bad_parameter_is_a_french_usage_error(data, parameters, words):
    with pytest.raises(UsageError, match=words):
        Scope.open(data=data, **parameters)


def test_another_raw_folder_is_never_prepared_into_the_projects_processed_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    other = tmp_path / "extraits"
    other.mkdir()
    raw, processed = resolve_folders(other)
    assert raw == other
    assert processed != paths.processed_dir() and str(processed).startswith(str(tmp_path / "cache"))
    assert resolve_folders(None) == (paths.raw_dir(), paths.processed_dir())


def test_a_missing_raw_folder_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="introuvable"):
        resolve_folders(tmp_path / "absent")


# --- No hidden state -------------------------------------------------------------------------------------------


def test_results_follow_the_data_they_are_given_in_one_process(data):
    """Full data, then a filtered copy, then the full data again: each gets its own figures (no cache keyed on
    anything but the arguments)."""
    full = Scope.open(data=data, as_of="2024-12-31")
    corse_only = data.contracts[data.contracts["region"] == "94"]
    filtered = Scope.open(data=type(data)(**{**data.__dict__, "contracts": corse_only}), as_of="2024-12-31")
    first = NationalResults.of(full).territory_row("FR")["signes"]
    second = NationalResults.of(filtered).territory_row("FR")["signes"]
    third = NationalResults.of(full).territory_row("FR")["signes"]
    assert first == len(data.contracts[data.contracts["date_signature"] <= "2024-12-31"])
    assert second == len(corse_only[corse_only["date_signature"] <= "2024-12-31"])
    assert third == first != second


def test_national_results_are_computed_at_one_date_and_refused_at_another(data):
    from am_analytics.report.build import build

    national = NationalResults.of(Scope.open(data=data, as_of="2024-12-31"))
    with pytest.raises(ValueError, match="date"):
        build(Scope.open(data=data, as_of="2025-06-30"), national)


# --- One figure, one status -------------------------------------------------------------------------------------


def test_every_frame_the_outputs_present_went_through_disclosure_control(national):
    for name in ("monthly", "nation", "regions", "departements", "shares", "training"):
        assert is_published(getattr(national, name)), name


def test_small_counts_are_never_shown_in_any_published_territory_frame(national):
    for frame in (national.nation, national.regions, national.departements, national.training):
        for column in ("signes", "actifs", "echeance_depassee", "en_retard"):
            if column in frame.columns:
                shown = pd.to_numeric(frame[column], errors="coerce")
                assert not shown.between(1, 4).any(), column


def test_a_region_hidden_in_the_territory_tables_is_hidden_in_every_other_frame(data, national):
    regions = national.regions.set_index("code")
    hidden_signed = regions.index[regions["signes_secret"].notna()]
    hidden_active = regions.index[regions["actifs_secret"].notna()]
    shares = national.shares
    for code in hidden_signed:
        assert shares.loc[shares["code"] == code, "total"].isna().all(), code
        scope = Scope.open(data=data, as_of=national.as_of, region=code)
        own = ScopeResults.compute(scope, national)
        assert pd.isna(own.monthly["signes_cumul"].iloc[-1]), f"{code}: last cumulative point shown"
        key = cat.key_figures_table(national.nation, national.regions, code)
        assert key.formatted_rows()[0][1] in {"< 5", "s"}
    training = national.training.set_index("code")
    for code in hidden_active:
        assert pd.isna(training.loc[code, "actifs"]), code


def test_no_departement_can_be_recovered_from_its_regions_total(national):
    departements = national.departements
    regions = national.regions.set_index("code")
    for code, group in departements.groupby("region_code"):
        hidden = int(status_of(group, "signes").notna().sum()) + int(pd.notna(regions.loc[code, "signes_secret"]))
        shown_nonzero = (pd.to_numeric(group["signes"], errors="coerce") > 0).sum()
        assert hidden != 1 or shown_nonzero == 0, f"région {code}: one hidden figure could be recovered"


# --- Tables ------------------------------------------------------------------------------------------------------


def test_tables_keep_only_their_declared_columns(national):
    table = cat.regions_table(national.regions)
    declared = {column.key for column in table.columns} | set(cat.REGIONS.keys)
    assert {name.removesuffix("_secret") for name in table.frame.columns} <= declared


def test_a_hidden_share_reads_s_never_less_than_5_percent(national):
    for table in (
        cat.backgrounds_table(national.shares),
        cat.regions_table(national.regions),
        cat.training_table(national.training),
    ):
        for column_position, column in enumerate(table.columns):
            if column.kind == "percent":
                assert all(row[column_position] != "< 5" for row in table.formatted_rows()), column.key


def test_every_kind_of_hidden_cell_is_explained_in_the_table_notes(data):
    national = NationalResults.of(Scope.open(data=data, as_of="2020-03-31"))
    table = cat.backgrounds_table(national.shares)
    symbols = {text for row in table.formatted_rows() for text in row} & {"< 5", "s", "n.s."}
    assert symbols, "early in the scheme, some regional backgrounds are small"
    notes = " ".join(table.notes)
    for symbol in symbols:
        assert f"« {symbol} »" in notes


def test_source_lines_carry_the_synthetic_mention_when_the_data_is_synthetic(national):
    assert SYNTHETIC_MENTION.lower() in cat.regions_table(national.regions).source_line
    assert SYNTHETIC_MENTION.lower() not in cat.published_figures_table().source_line, "real figures stay real"


def test_primary_hidden_counts_read_less_than_5_and_complements_s(data):
    national = NationalResults.of(Scope.open(data=data, as_of="2019-10-31"))
    table = cat.regions_table(national.regions)
    signed = [column.key for column in table.columns].index("signes")
    for position, row in enumerate(table.formatted_rows()):
        reason = table.secret(position, "signes")
        expected = {None: row[signed], PRIMARY: "< 5"}.get(reason, "s")
        assert row[signed] == expected


def test_a_published_cell_prints_the_symbol_of_why_it_is_hidden():
    """Key figures and sentences print a hidden cell by its reason: « < 5 » only for a count hidden for being small;
    a count hidden to protect another (it may be 7) and a share hidden with its count read « s »."""
    from am_analytics.presentation.sentences import presence_message
    from am_analytics.presentation.tables import published_text

    row = pd.Series({"signes": 12.0, "signes_secret": None, "actifs": 7.0, "actifs_secret": "complementaire",
                     "etp": 3.0, "etp_secret": "primaire", "part_nationale_signes": 0.5,
                     "part_nationale_signes_secret": "primaire"})
    assert published_text(row, "signes") == "12"
    assert published_text(row, "actifs") == "s"
    assert published_text(row, "etp") == "< 5"
    assert published_text(row, "part_nationale_signes", "percent", 1) == "s"
    text = presence_message(row, "Corse", pd.Timestamp("2021-12-31")).text
    assert "dont s actifs" in text and "< 5" not in text and "7" not in text.replace("2021", "")
