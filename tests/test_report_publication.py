"""The report as a publication: key messages computed by explicit rules and printed as computed, French published
figures, a regional edition about its region alone, print-grade pages, an accessible PDF and a labelled workbook.

One national and two regional reports (Guadeloupe overseas, Bretagne) are built once for the module."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from am_analytics import indicators as ind
from am_analytics import reference
from am_analytics.figures.formatting import format_number
from am_analytics.figures.style import MIN_PRINT_TEXT_PT
from am_analytics.presentation import sentences
from am_analytics.presentation.results import NationalResults
from am_analytics.presentation.scope import Scope
from am_analytics.reference.display import INDICATORS, NOTES, SOURCES, published_figures_fr
from am_analytics.vocabulary import SYNTHETIC_MENTION

# one worker builds this module's reports once, for all its tests (module fixtures are per worker)
pytestmark = pytest.mark.xdist_group("publication")

AS_OF = pd.Timestamp("2025-06-30")
REGIONS = ("01", "53")  # the regional editions `demo_reports` builds


@pytest.fixture(scope="module")
def reports(demo_reports):
    return demo_reports


def flat(text: str) -> str:
    """PDF text with every kind of space and line break as one plain space."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def pages(pdf: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def everything(report) -> str:
    """The text of the report and of its annex PDF."""
    return " ".join(pages(report.pdf) + pages(report.annex))


# --- Key messages -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["", *REGIONS])
def test_every_key_message_is_printed_as_computed_with_its_indicator(reports, code):
    report = reports[code]
    text = " ".join(pages(report.pdf))
    assert 4 <= len(report.messages) <= 6
    for message in report.messages:
        assert flat(message.text) in text, message.rule
        assert flat(message.indicator) in text, message.rule


def test_the_national_messages_state_what_the_indicators_compute(reports, demo_scope):
    messages = {message.rule: message for message in reports[""].messages}
    contracts = demo_scope.all_contracts
    kw = {"as_of": demo_scope.as_of, "synthetic": demo_scope.synthetic}  # the counting date, passed explicitly
    progress = ind.target_progress(contracts, **kw).set_index("objectif")
    key = f"{format_number(10_000)} contrats"
    assert messages["objectifs"].values[key] == pytest.approx(progress.loc["cnam_2024_10000", "part_atteinte"])
    projection = ind.target_projections(contracts, **kw).set_index("objectif").loc["cnam_2024_10000"]
    assert messages["projection"].values["date"] == projection["date_projetee"]
    nation = ind.national_totals(contracts, **kw).iloc[0]
    assert messages["rythme"].values["recent"] == nation["signes_12_derniers_mois"]
    assert messages["rythme"].values["avant"] == nation["signes_12_mois_precedents"]
    training = ind.overdue_national(contracts, **kw).iloc[0]
    assert messages["formation"].values["en_retard"] == training["en_retard"]


def test_the_messages_say_they_describe_synthetic_data(reports):
    text = " ".join(pages(reports[""].pdf)[:4])
    assert "ces messages décrivent les données de démonstration" in text


def test_a_change_in_rhythm_is_claimed_only_beyond_both_thresholds():
    assert sentences._poisson_change(2081, 1971)[0] == "stable", "5,3 % but within chance"
    assert sentences._poisson_change(1300, 1000)[0] == "hausse"
    assert sentences._poisson_change(10_400, 10_000)[0] == "stable", "significant but under 5 %"
    assert sentences._poisson_change(700, 1000)[0] == "baisse"


def test_a_projection_on_too_short_a_series_is_said_not_computable(demo_data):
    early = NationalResults.of(Scope.open(data=demo_data, as_of="2020-01-31"))
    message = sentences.projection_message(early.progress, early.projections)
    assert "non calculable" in message.text and message.values["date"] is None


def test_a_regional_message_never_states_a_hidden_figure(reports, demo_results):
    regions = demo_results.regions.set_index("code")
    for code in REGIONS:
        text = " ".join(message.text for message in reports[code].messages)
        for column in ("signes_12_derniers_mois", "en_retard"):
            hidden = pd.notna(regions.loc[code].get(f"{column}_secret"))
            if hidden:
                assert "secret statistique" in text


# --- Published figures and the cross-check ------------------------------------------------------------------------


def test_every_published_figure_has_a_french_wording():
    figures = published_figures_fr(reference.published_figures())
    assert figures[["indicateur_libelle", "precision", "source_fr"]].notna().all().all()


def test_no_raw_code_or_english_note_reaches_the_report(reports):
    text = everything(reports[""])
    raw = [*INDICATORS, *SOURCES, *(note for note in NOTES if note not in NOTES.values()),
           "approx", "slightly_more_than", "bilan a 4 ans", "presidential address"]
    found = [value for value in raw if re.search(rf"(?<![\w-]){re.escape(flat(value))}(?![\w-])", text)]
    assert not found, found


def test_the_cross_check_says_the_demo_data_was_calibrated_on_the_published_figures(reports):
    text = everything(reports[""])
    assert "calibrées sur ces mêmes chiffres publiés" in text and "ne prouvent rien" in text


# --- Regional edition -----------------------------------------------------------------------------------------------


def _other_names(region: str) -> list[str]:
    """Names of other regions' départements that cannot be mistaken for a region's name or a common word."""
    departements = reference.departements()
    region_names = " ".join(reference.regions()["region_name"])
    others = departements[departements["region_code"] != region]["name"]
    return [name for name in others if name not in region_names and len(name) > 5]


@pytest.mark.parametrize("code", REGIONS)
def test_a_regional_report_names_its_departements_and_none_of_another_region(reports, code):
    text = everything(reports[code])
    own = reference.departements().query("region_code == @code")
    for name in own["name"]:
        assert name in text, name
    named = [name for name in _other_names(code) if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
    assert not named, named


@pytest.mark.parametrize("code", REGIONS)
def test_a_regional_report_highlights_its_region_and_compares_it_with_france(reports, code):
    report = reports[code]
    alts = " ".join(figure.alt_text for figure in report.figures)
    name = reference.regions().set_index("region_code").loc[code, "region_name"]
    body, annex = " ".join(pages(report.pdf)), " ".join(pages(report.annex))
    assert f"{name} face à la France entière" in body, "the body compares the region with France"
    assert f"Total {name}" in annex and "France entière" in annex, "the annex's table: its total and France"
    assert "par département" in alts


# --- Print grade, accessibility ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["", *REGIONS])
def test_chart_text_is_at_least_7_points_at_print_size(reports, code):
    small = [(figure.title, round(figure.printed_text_pt, 2)) for figure in reports[code].figures
             if figure.printed_text_pt < MIN_PRINT_TEXT_PT]
    assert not small, small


@pytest.mark.parametrize("code", ["", *REGIONS])
def test_no_table_header_or_name_is_broken_mid_word(reports, code):
    broken = [table.title for table in reports[code].tables if table.breaks_words]
    assert not broken, broken
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(reports[code].annex)).pages[1:9])
    for whole in ("213,4 %", "100 000 hab."):
        assert not re.search(r"\d\n%|100\n000", text), whole


def test_wide_tables_take_a_landscape_page(reports):
    assert any(table.landscape for table in reports[""].tables)


@pytest.mark.parametrize("code", ["", *REGIONS])
def test_every_figure_has_alternative_text_with_its_title_and_values(reports, code):
    report = reports[code]
    raw = (report.pdf + report.annex).decode("latin-1")
    assert raw.count("/Alt") >= len(report.figures) > 3  # a small region: fewer charts, sentences instead
    for figure in report.figures:
        assert figure.alt_text.startswith(figure.title) and ":" in figure.alt_text[len(figure.title):], figure.title


# --- Workbook ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["", *REGIONS])
def test_every_workbook_sheet_carries_the_synthetic_mention_in_its_title_row(reports, code):
    workbook = load_workbook(io.BytesIO(reports[code].workbook))
    for sheet in workbook.worksheets:
        assert SYNTHETIC_MENTION in str(sheet["A1"].value), sheet.title


def test_workbook_numbers_have_no_trailing_separator_and_properties_are_set(reports):
    workbook = load_workbook(io.BytesIO(reports[""].workbook))
    formats = {cell.number_format for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row}
    assert "#,##0.##" not in formats
    properties = workbook.properties
    assert properties.language == "fr-FR" and properties.title and properties.subject and properties.keywords


def test_a_regional_workbook_names_its_monthly_sheet_after_its_region(reports):
    # by month, or by quarter or year for a small territory (its series is coarsened rather than masked)
    names = load_workbook(io.BytesIO(reports["53"].workbook)).sheetnames
    assert {"Mensuel Bretagne", "Trimestriel Bretagne", "Annuel Bretagne"} & set(names)
    assert not any("National" in name for name in names)


def test_a_funding_sentence_gives_no_total_when_a_year_is_hidden(demo_scope, demo_results):
    from am_analytics.presentation.results import ScopeResults

    funding = ScopeResults.compute(demo_scope.with_region("06"), demo_results).funding
    assert funding["montant_attendu_eur_secret"].notna().any(), "Mayotte has hidden years in the demo data"
    text = " ".join(sentences.funding_sentences(funding, "Mayotte"))
    assert "aucun total" in text and "depuis 2019" not in text
