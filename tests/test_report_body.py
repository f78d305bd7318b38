"""The report as statistical series publish it, measured on the PDFs: a national body of 6 to 10 pages, numbered
figures each followed by its « Lecture », « Champ » and « Source » lines (the Lecture quoting the figure's published
values), regional editions whose every page is about the region or titled « France entière », a region of one
département without a chart of one bar, and an annex PDF holding the working files (quality, provenance, change log).

The reports are the session's (`demo_reports`: France, Guadeloupe, Bretagne, Mayotte)."""

from __future__ import annotations

import io
import re

import pandas as pd
import pdfplumber
import pytest
from pypdf import PdfReader

from am_analytics import reference
from am_analytics.figures.formatting import format_number
from am_analytics.report.build import REPORT_TITLE

# the same worker as test_report_publication, which builds the same session reports
pytestmark = pytest.mark.xdist_group("publication")

REGIONS = ("01", "53", "06")
HEADING = re.compile(r"Figure (\d+) – ")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def pages(pdf: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def region_name(code: str) -> str:
    return str(reference.regions().set_index("region_code").loc[code, "region_name"])


def test_the_national_body_is_6_to_10_pages(demo_reports):
    count = len(pages(demo_reports[""].pdf))
    assert 6 <= count <= 10, f"{count} pages"


@pytest.mark.parametrize("code", ["", *REGIONS])
def test_every_numbered_figure_is_followed_by_its_lecture_champ_and_source(demo_reports, code):
    report = demo_reports[code]
    text = " ".join(pages(report.pdf))
    numbered = [figure for figure in report.figures if figure.heading]
    assert numbered, "the body has numbered figures"
    assert [int(number) for number in HEADING.findall(text)] == list(range(1, len(numbered) + 1))
    chunks = HEADING.split(text)[2::2]  # the text after each « Figure N – »
    for figure, chunk in zip(numbered, chunks, strict=True):
        assert chunk.startswith(flat(figure.heading).split(" – ", 1)[1][:40]), figure.heading
        lecture = chunk.find("Lecture :")
        champ = chunk.find("Champ :", lecture)
        source = chunk.find("Source :", champ)  # the chart prints its own source line above its Lecture
        assert -1 not in (lecture, champ, source), (figure.heading, lecture, champ, source)


@pytest.mark.parametrize("code", ["", "53"])
def test_the_headline_lecture_quotes_the_published_key_figures(demo_reports, code):
    report = demo_reports[code]
    lecture = flat(report.figures[0].lines[0])
    assert lecture.startswith("Lecture : Au ")
    for key in ("signes", "actifs"):
        assert flat(format_number(report.summary[key])) in lecture, key
    assert flat(format_number(report.summary["etp_actifs"], 1)) in lecture


def _body_texts(pdf: bytes) -> list[str]:
    """Each page's text between the running header and the footer (both name the scope on every page)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [flat(page.crop((0, 42, page.width, page.height - 40)).extract_text() or "")
                for page in document.pages]


@pytest.mark.parametrize("code", REGIONS)
def test_every_page_of_a_regional_edition_is_about_the_region_or_titled_france_entiere(demo_reports, code):
    name = region_name(code)
    texts = _body_texts(demo_reports[code].pdf)
    strays = [number for number, text in enumerate(texts, start=1) if name not in text and "France entière" not in text]
    assert not strays, f"pages sans « {name} » ni « France entière » : {strays}"


@pytest.mark.parametrize("code", REGIONS)
def test_the_national_survey_says_it_is_national(demo_reports, code):
    survey = [figure for figure in demo_reports[code].figures if "Satisfaction" in figure.title]
    assert survey and all("France entière" in figure.heading for figure in survey)


def test_a_region_of_one_departement_has_no_chart_of_its_departements_and_says_why(demo_reports):
    mayotte = demo_reports["06"]
    assert not [figure for figure in mayotte.figures if figure.heading and "par département" in figure.title]
    assert "Mayotte ne compte qu'un département" in " ".join(pages(mayotte.pdf))
    bretagne = [figure for figure in demo_reports["53"].figures if figure.heading]
    assert any("par département" in figure.title for figure in bretagne), "Bretagne's départements side by side"


def test_a_region_is_indexed_on_france_and_ranked(demo_reports):
    text = " ".join(pages(demo_reports["53"].pdf))
    assert re.search(r"Bretagne : indice \d+ \(contrats actifs pour 100 000 habitants, France entière = 100\)", text)
    assert re.search(r"Bretagne est la \d+e région sur \d+", text)


def test_a_chart_mostly_secret_is_replaced_by_a_sentence(demo_reports):
    mayotte = demo_reports["06"]
    numbered = [figure.title for figure in mayotte.figures if figure.heading]
    assert not any(title.startswith(("Déploiement", "Aide attendue")) for title in numbered), numbered
    text = " ".join(pages(mayotte.pdf))
    assert "aucune courbe n'est tracée" in text and "aucun graphique n'est tracé" in text
    assert any(title.startswith("Aide attendue") for title in (f.title for f in demo_reports["53"].figures
                                                                 if f.heading)), "Bretagne's funding is drawn"


@pytest.mark.parametrize("code", ["", "53"])
def test_the_annex_holds_the_working_files_and_the_body_does_not(demo_reports, code):
    report = demo_reports[code]
    annex = " ".join(pages(report.annex))
    body = " ".join(pages(report.pdf))
    for heading in ("Tableaux détaillés", "Qualité des données", "Journal des modifications",
                    "Provenance des fichiers", "Sources et méthode", f"{REPORT_TITLE} — annexes"):
        assert heading in annex, heading
        assert heading not in body or heading == "Qualité des données", heading
    assert "SHA-256" not in body and "quarantaine" not in body


# --- « Contreparties et accès aux soins » (issue 24) -------------------------------------------------------------


def test_the_national_body_shows_the_effect_of_signing_beside_the_cnam_figures(demo_reports, demo_results):
    from am_analytics.figures.commitments import ACCESS_TITLE, average_effects

    report = demo_reports[""]
    [figure] = [figure for figure in report.figures if figure.heading and figure.title == ACCESS_TITLE]
    mt = average_effects(demo_results.commitment_effect).loc["patients_mt"]
    lecture = flat(figure.lines[0])
    for column in ("effet_pct", "ic_bas", "ic_haut"):  # the published estimate and its interval, as printed
        assert flat(format_number(mt[column], 1)) in lecture, column
    assert "19,5 %" in lecture and "6,6 %" in lecture  # the Cnam's published figures beside the data's
    assert "ne prouve que le calibrage" in lecture  # the demo is calibrated on them: it says so
    assert "Cnam, Points de repère" in figure.lines[2] and "données de démonstration synthétiques" in figure.lines[2]
    assert "Contreparties et accès aux soins" in " ".join(pages(report.pdf))
    # the regional editions keep their pages: the section is national
    assert not [f for f in demo_reports["53"].figures if f.title == ACCESS_TITLE]


class _Recorder:
    """A layout that records what a section asks for."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.calls.append((name, args, kwargs))


@pytest.mark.parametrize("case", ["sans activité", "hors France"])
def test_without_the_commitment_items_the_body_says_so_in_one_sentence(demo_scope, demo_results, case):
    from dataclasses import replace
    from types import SimpleNamespace

    from am_analytics.report.body import access_to_care

    national = replace(demo_results, commitment_effect=None, commitment_cross=None, commitments=None,
                       commitment_gains=None) if case == "sans activité" else demo_results
    scope = SimpleNamespace(covers_france=case != "hors France", synthetic=True, as_of=demo_scope.as_of)
    layout = _Recorder()
    access_to_care(layout, SimpleNamespace(scope=scope, national=national))
    names = [name for name, _, _ in layout.calls]
    assert names == ["section", "paragraph"], names
    sentence = layout.calls[1][1][0]
    assert "rien n'en est publié" in sentence
    assert ("France entière" in sentence) == (case == "hors France")


def test_a_hidden_effect_is_said_by_its_symbol_never_as_a_number(demo_results):
    from am_analytics.figures.commitments import average_effects
    from am_analytics.presentation import findings

    average = average_effects(demo_results.commitment_effect).copy()
    for column in ("effet_pct", "ic_bas", "ic_haut"):
        average.loc["patients_mt", f"{column}_secret"] = "complementaire"
    finding = findings.effect_of_signing(average, None, synthetic=True)
    hidden = format_number(average.loc["patients_mt", "effet_pct"], 1)
    assert hidden not in finding.title and hidden not in finding.reading
    assert finding.title.endswith("sous le secret statistique")


# --- Before any deadline: no share, and no secret ---------------------------------------------------------------


def _training_row(base: int, why: str = "base_insuffisante") -> pd.Series:
    """A published row of the certification table whose share is withheld for `why`, over a base shown as `base`."""
    return pd.Series({"code": "FR", "nom": "France entière", "en_retard": 0, "echeance_depassee_formation_connue": base,
                      "part_en_retard": pd.NA, "ic_bas": pd.NA, "ic_haut": pd.NA,
                      "part_en_retard_secret": why, "ic_bas_secret": why, "ic_haut_secret": why})


def test_nobody_past_the_deadline_is_said_so_never_secret():
    from am_analytics.presentation import findings, sentences

    row = _training_row(0)
    finding = findings.training(row, "France entière", pd.Timestamp("2019-12-31"))
    message = sentences.training_message(row, "France entière")
    for text in (finding.title, finding.reading, message.text):
        assert "secret" not in text and ("n'avait atteint" in text or "n'a encore atteint" in text), text
    hidden_count = pd.concat([_training_row(12, "complementaire").drop("en_retard"),
                              pd.Series({"en_retard": pd.NA, "en_retard_secret": "primaire"})])
    hidden = findings.training(hidden_count, "France entière", pd.Timestamp("2023-12-31"))
    assert "secret" in hidden.title, "a hidden count is said hidden"
    small_base = _training_row(12)
    small_base["en_retard"] = 3
    small = findings.training(small_base, "France entière", pd.Timestamp("2023-12-31"))
    assert "secret" not in small.reading and "3 assistants en poste sur 12" in small.reading
    assert "base trop faible" in small.reading, "a share on too few is « n.s. » in its table: said so, no secret"
