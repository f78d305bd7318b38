"""The print standard, measured on the final output: no glyph under 7 pt on paper, no text printed over text or
crossed by a line, every mark in a legend, partial years said, « sans objet » and « n.d. » used by rule, French
punctuation, and no code, file name or English in the pages a reader reads.

The reports are the session's (`demo_reports`: France, Guadeloupe, Bretagne); reading a PDF's glyphs takes seconds,
so the PDF measures read the national report and Bretagne's, once each."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pandas as pd
import pytest
from matplotlib.container import ErrorbarContainer
from matplotlib.lines import Line2D
from pypdf import PdfReader

from am_analytics.figures.contract import finish_figure, text_collisions
from am_analytics.figures.formatting import MISSING, NOT_APPLICABLE, year_label
from am_analytics.figures.style import MIN_PRINT_TEXT_PT, PRINT_WIDTH_CM, new_figure
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation.sentences import french_sentence, independence_sentence
from am_analytics.report.document import ReportDocument
from am_analytics.report.svg import figure_svg, svg_width_mm
from tests.pdf_print import glyphs, overlapping_text

# the same worker as test_report_publication, which builds the same session reports
pytestmark = pytest.mark.xdist_group("publication")

MEASURED = ("", "53")  # France and a regional edition: their glyphs are read from the PDF
ALL = ("", "01", "53")


def _name(code: str) -> str:
    return code or "France"


# --- 1. No glyph under 7 pt -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("part", ["pdf", "annex"])
@pytest.mark.parametrize("code", MEASURED, ids=_name)
def test_no_glyph_is_under_7_points_once_printed(demo_reports, code, part):
    printed = glyphs(getattr(demo_reports[code], part))
    assert len(printed) > 5_000, "the report's text could not be read"
    small = sorted({(glyph.page, round(glyph.size_pt, 2), glyph.line) for glyph in printed
                    if glyph.size_pt < MIN_PRINT_TEXT_PT - 0.01})
    assert not small, f"{len(small)} lignes sous {MIN_PRINT_TEXT_PT} pt (page, taille, texte) : {small[:15]}"


def test_charts_print_at_the_size_they_are_drawn(demo_reports):
    """1 pt in matplotlib is 1 pt on paper: the smallest text of every chart, computed from the figure, is what the
    PDF prints (the report no longer shrinks nor, through fpdf2's px, reduces a chart's text)."""
    for record in demo_reports[""].figures:
        assert record.printed_text_pt == pytest.approx(min(t.get_fontsize() for t in record.figure.findobj(
            lambda artist: hasattr(artist, "get_fontsize") and artist.get_visible()
            and bool(getattr(artist, "get_text", lambda: "")().strip()))), abs=1e-3), record.title


def test_a_chart_is_embedded_at_its_drawn_width_with_its_font_sizes_in_points():
    fig, ax = new_figure("full")
    ax.plot([0, 1], [0, 1])
    finish_figure(fig, title="Titre", source="essai", as_of="2025-06-30", synthetic=False, xlabel="x", ylabel="y")
    svg = figure_svg(fig)
    sizes = re.findall(rb"font-size: ?([0-9.]+)(\w+)", svg)
    assert sizes and {unit for _, unit in sizes} == {b"pt"}, "fpdf2 reads a px as 0,75 pt"
    assert min(float(size) for size, _ in sizes) >= MIN_PRINT_TEXT_PT
    assert svg_width_mm(svg) == pytest.approx(PRINT_WIDTH_CM * 10)
    document = ReportDocument(title="t", subtitle="s", synthetic=False, creation_date=datetime(2025, 6, 30))
    assert document.epw == pytest.approx(PRINT_WIDTH_CM * 10, abs=0.01), "charts are drawn for the page's frame"


# --- 2. No text over text, no line through a label -----------------------------------------------------------------


@pytest.mark.parametrize("code", ALL, ids=_name)
def test_no_chart_label_overlaps_another_or_is_crossed_by_a_line(demo_reports, code):
    found = {record.title: collisions for record in demo_reports[code].figures
             if (collisions := text_collisions(record.figure))}
    assert not found, found


@pytest.mark.parametrize("part", ["pdf", "annex"])
@pytest.mark.parametrize("code", MEASURED, ids=_name)
def test_no_text_is_printed_over_other_text(demo_reports, code, part):
    found = overlapping_text(getattr(demo_reports[code], part))
    assert not found, found[:10]


# --- 3. Every mark in a legend; partial years ------------------------------------------------------------------------


def _explained(line: Line2D, handles: list) -> bool:
    """A marked line is explained by a legend entry of its marker and colour, or by the line of its own series (a
    month drawn alone as a dot)."""
    for handle in handles:
        if not isinstance(handle, Line2D) or handle.get_color() != line.get_color():
            continue
        if handle.get_marker() == line.get_marker() or handle.get_linestyle() not in ("None", "none", ""):
            return True
    return False


@pytest.mark.parametrize("code", ALL, ids=_name)
def test_every_marker_of_a_chart_is_in_its_legend(demo_reports, code):
    unexplained = []
    for record in demo_reports[code].figures:
        for ax in record.figure.axes:
            legend = ax.get_legend()
            handles = legend.legend_handles if legend is not None else []
            named = {text.get_text() for text in legend.get_texts()} if legend is not None else set()
            # an error bar's caps are explained by its own entry in the legend
            caps = {id(cap): container.get_label() for container in ax.containers
                    if isinstance(container, ErrorbarContainer) for cap in container.lines[1]}
            for line in ax.lines:
                marked = line.get_marker() not in (None, "None", "none", "") and line.get_visible()
                if id(line) in caps:
                    if caps[id(line)] not in named:
                        unexplained.append((record.title, "barre d'erreur", caps[id(line)]))
                elif marked and not _explained(line, handles):
                    unexplained.append((record.title, line.get_marker(), line.get_color()))
    assert not unexplained, unexplained


def test_the_deadline_markers_are_named_in_the_legend(demo_reports):
    rollout = demo_reports[""].figures[0]
    labels = [text.get_text() for text in rollout.figure.axes[0].get_legend().get_texts()]
    assert "Échéance d'un objectif" in labels


def test_the_year_of_the_counting_date_reads_as_partial():
    assert year_label(2025, "2025-06-30") == "2025 (janv.–juin)"
    assert year_label(2025, "2025-01-31") == "2025 (janv.)"
    assert year_label(2024, "2025-06-30") == "2024"
    assert year_label(2025, "2025-12-31") == "2025"


@pytest.mark.parametrize("code", ALL, ids=_name)
def test_charts_by_year_mark_the_partial_year(demo_reports, code):
    by_year = [record for record in demo_reports[code].figures if "année" in record.title.lower()
               and "projet" not in record.title.lower()]
    assert by_year
    for record in by_year:
        ticks = [label.get_text() for ax in record.figure.axes for label in ax.get_xticklabels()]
        assert any("janv.–juin" in tick for tick in ticks), (record.title, ticks)
        assert "2025" not in ticks, (record.title, "2025 drawn like a full year")


# --- 3. Wording: sans objet / n.d., punctuation, one term -------------------------------------------------------------


def test_an_impossible_test_reads_sans_objet_in_one_french_sentence():
    impossible = pd.DataFrame({"p_valeur": [float("nan")], "v_de_cramer": [float("nan")],
                               "note": ["test impossible : il faut au moins deux lignes et deux colonnes non vides"]})
    text = independence_sentence(impossible, "région × profil")
    assert NOT_APPLICABLE in text and MISSING not in text and ".." not in text
    done = pd.DataFrame({"p_valeur": [0.289], "v_de_cramer": [0.046], "note": ["approximation du khi-deux peu fiable"]})
    assert independence_sentence(done, "région × profil").endswith("= 0,046. Approximation du khi-deux peu fiable.")
    assert french_sentence("n.d.") == "N.d." and french_sentence("texte") == "Texte."


def test_a_target_not_reached_has_no_date_reached_sans_objet(demo_results):
    table = cat.targets_table(demo_results.progress, demo_results.projections)
    column = [c.header for c in table.columns].index("Atteint le")
    open_rows = [row for row, reached in zip(table.formatted_rows(), table.frame["date_atteinte"], strict=True)
                 if pd.isna(reached)]
    assert open_rows and all(row[column] == NOT_APPLICABLE for row in open_rows)


def _texts(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text().replace("\u202f", " ").replace("\u00a0", " "))
            for page in PdfReader(io.BytesIO(pdf)).pages]


def _report_texts(report) -> list[str]:
    """The pages of the report, then those of its annex PDF."""
    return _texts(report.pdf) + _texts(report.annex)


# abbreviations a lower-case word may follow
ABBREVIATIONS = ("n.d.", "n.s.", "janv.", "févr.", "avr.", "juil.", "sept.", "oct.", "nov.", "déc.", "hab.", "est.",
                 "évol.", "Évol.", "env.", "p.", "cf.", "ex.", "etc.", "éd.")


@pytest.mark.parametrize("code", MEASURED, ids=_name)
def test_french_punctuation_and_one_term_for_the_chi_square(demo_reports, code):
    text = " ".join(_report_texts(demo_reports[code]))
    assert not re.search(r"\w\.\.(?!\.)", text), re.search(r".{40}\w\.\.(?!\.).{20}", text)
    lower = [match for match in re.finditer(r"(\S+) (?=[a-zà-ÿ])", text)
             if match[1].endswith(".") and not match[1].endswith(ABBREVIATIONS) and not re.search(r"\d\.$", match[1])]
    assert not lower, [text[max(0, m.start() - 40):m.end() + 20] for m in lower[:5]]
    assert "chi-deux" not in text and "khi-deux" in text


# the names of the files the user sent are theirs: the quality annex names them so they can find them
SNAKE_CASE = re.compile(r"(?<![\w./-])[a-z]+(?:_[a-z0-9]+)+(?![\w-])")
FILE_NAME = re.compile(r"(?<![\w/])[\w-]+\.(?:parquet|toml|json|csv|xlsx?|py|md|txt|ipynb|ya?ml)\b", re.IGNORECASE)
# « file active » (a doctor's active patient list) is the Assurance Maladie's French term, not the English « file »
ENGLISH = re.compile(r"\b(?:the|and|since|unchanged|with|from|of|file(?!\s+actives?\b)|missing|not|version \d{8})\b")
SOFTWARE = "am_analytics"  # the name of the software that wrote the report, a proper name


@pytest.mark.parametrize("code", MEASURED, ids=_name)
def test_no_code_file_name_or_english_in_the_pages(demo_reports, demo_scope, code):
    received = set(demo_scope.data.manifest.get("inputs", {}))
    received |= {name.rsplit(".", 1)[0] for name in received}
    offenders = []
    for number, page in enumerate(_report_texts(demo_reports[code]), start=1):
        for pattern in (SNAKE_CASE, FILE_NAME, ENGLISH):
            for match in pattern.finditer(page):
                word = match[0]
                if word == SOFTWARE or word in received or any(word in name for name in received):
                    continue
                offenders.append((number, word, page[max(0, match.start() - 40):match.end() + 20]))
    assert not offenders, offenders[:15]
