"""The published site of the shared scheduled run (regions 01 and 84, every background, two notebooks, one failing
on purpose): every page says the data is synthetic, links only to files it ships, lays out published tables whose
CSV holds exactly the cells shown; and, built in this process, every text is escaped and a page that fails becomes
a French error page that the index reports."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest

from am_analytics import load, paths, run_snapshots
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation.results import NationalResults
from am_analytics.presentation.scope import Scope
from am_analytics.site import content, plan_pages, render
from am_analytics.site.build import PageOutcome, SiteBuilder, build_page, init_worker
from am_analytics.site.model import KeyFigure, Page, TextItem
from am_analytics.site.writer import csv_cell
from am_analytics.vocabulary import PROFILS, SYNTHETIC_MENTION

from .conftest import SCHEDULE_KEY
from .site_pages import local_target, read_csv, read_page

REAL_TABLES = ("Chiffres publiés sur le dispositif", "Tables de référence")  # real figures: no synthetic mention

NOTEBOOK_WORDS = ("cellule de paramètres", "JupyterLab", "modifier la cellule")

pytestmark = pytest.mark.xdist_group("batch")  # the shared scheduled run runs once, in one process


@pytest.fixture(scope="module")
def scope(demo_processed):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AM_ANALYTICS_KEY", SCHEDULE_KEY)
        return Scope.open(data=load(paths.raw_dir(), demo_processed))


@pytest.fixture(scope="module")
def national(scope):
    return NationalResults.of(scope)


@pytest.fixture(scope="module")
def site(schedule_batch):
    result, root = schedule_batch
    assert (root / "index.html").is_file(), result.stderr[-3000:]
    return root, json.loads((root / "summary.json").read_text(encoding="utf-8"))


def _pages(root):
    return sorted(root.rglob("*.html"))


def test_every_page_is_built(site):
    root, summary = site
    assert [page["stem"] for page in summary["pages"] if page["status"] != "ok"] == []
    assert {path.stem for path in root.glob("*.html")} == {
        "index", "france", "profils", "enquete", "contreparties", "qualite", "region_01", "region_84", "technique",
        *(f"profil_{code}" for code in PROFILS)}


def test_every_page_is_french_and_says_the_data_is_synthetic(site):
    root, _ = site
    for path in _pages(root):
        text = path.read_text(encoding="utf-8")
        assert read_page(path).lang == "fr", path.name
        assert f"⚠ {SYNTHETIC_MENTION}" in text, f"{path.name} : bandeau manquant"
        assert not [word for word in NOTEBOOK_WORDS if word in text], f"{path.name} : phrase pour les notebooks"


def test_every_link_and_image_is_a_file_the_site_ships(site):
    root, _ = site
    for path in _pages(root):
        page = read_page(path)
        for href in [*page.links, *(src for src, _ in page.images), *page.scripts, *page.styles]:
            if href.startswith("data:"):  # inline: the empty icon, a notebook's images
                continue
            assert not href.startswith(("/", "http:", "https:", "//")), f"{path.name} : lien absolu {href}"
            target = local_target(path, href)
            assert target is None or target.is_file(), f"{path.name} : lien mort {href}"


def test_every_figure_is_an_svg_with_its_title_as_text_alternative(site):
    root, _ = site
    images = read_page(root / "region_01.html").images
    assert images and all(src.endswith(".svg") and alt and len(alt) > 20 for src, alt in images)
    assert any("Guadeloupe" in alt for _, alt in images)


def test_every_table_has_a_caption_a_source_line_with_the_mention_and_a_csv(site):
    root, _ = site
    for path in _pages(root):
        for table in read_page(path).tables:
            if path.stem == "index" or path.parent.name == "notebooks":
                continue
            assert table.caption and table.headers, f"{path.name} : tableau sans titre ni en-têtes"
            assert table.source.startswith("Source :"), table.caption
            real = table.caption.startswith(REAL_TABLES)
            assert (SYNTHETIC_MENTION.lower() in table.source) != real, table.caption
            assert table.csv and table.csv.endswith(".csv"), table.caption


def test_each_csv_holds_exactly_the_cells_its_table_shows(site):
    root, _ = site
    checked = 0
    for path in _pages(root):
        for table in read_page(path).tables:
            if table.csv is None:
                continue
            header, rows, after = read_csv((root / table.csv).read_bytes())
            assert header == [h.strip() for h in table.headers] and rows == table.rows, table.caption
            assert after[-1] == table.source
            checked += 1
    assert checked > 50


def test_the_regions_csv_is_the_published_table_as_shown(site, national):
    root, _ = site
    published = cat.regions_table(national.regions)
    table = next(t for t in read_page(root / "france.html").tables if t.caption == published.title)
    header, rows, _ = read_csv((root / table.csv).read_bytes())
    assert header == [column.header for column in published.columns] == table.headers
    # the CSV is the table the page shows, cell for cell; the site's publication is audited as a whole (its regions'
    # pages beside France's), so a cell may be protected there that France's results alone would show
    assert rows == [[cell.replace("\u202f", " ").replace("\u00a0", " ") for cell in row] for row in table.rows] or \
        rows == table.rows
    shown = published.formatted_rows()
    assert [row[:2] for row in rows] == [row[:2] for row in shown]
    assert all(cell == expected or cell in ("s", "< 5") for row, want in zip(rows, shown, strict=True)
               for cell, expected in zip(row, want, strict=True))


def _text(path) -> str:
    return html.unescape(path.read_text(encoding="utf-8"))


def test_a_region_page_names_the_region_and_tests_its_backgrounds(site):
    root, _ = site
    text = _text(root / "region_01.html")
    assert "<h1>Guadeloupe</h1>" in text and "Financement — Guadeloupe" in text
    assert "Évolution des profils d'une année de signature à l'autre (Guadeloupe" in text
    assert "Guadeloupe face au reste de la France" in text and "Limites :" in text


def test_a_region_page_follows_the_month_and_the_training_supply_and_says_a_first_run(site, demo_processed):
    root, _ = site
    text = _text(root / "region_01.html")
    assert "Suivi du mois — Guadeloupe" in text
    assert "Contrats signés dans le mois, par département — Guadeloupe" in text
    assert f"Depuis l'exécution précédente : {cat.FIRST_RUN}." in text  # the session's first scheduled run
    assert "Besoin de formation et sites de formation connus — Guadeloupe" in text
    # the run left its snapshot for the next one beside the prepared data, never in the site it publishes
    assert run_snapshots.snapshot_path(demo_processed, pd.Timestamp("2025-06-30")).is_file()
    assert not list(root.rglob("*.parquet"))
    assert not any("contrat_id" in path.read_text(encoding="utf-8-sig") for path in root.rglob("*.csv"))


def test_the_index_lists_regions_by_name_every_background_and_what_failed(site):
    root, _ = site
    text = _text(root / "index.html")
    assert text.index('href="region_84.html">Auvergne-Rhône-Alpes</a>') < text.index('href="region_01.html">Guadeloupe')
    assert 'href="profil_inconnu.html">Non renseigné</a>' in text
    assert "16 pages, toutes produites ; 4 notebooks exécutés, dont 1 en échec." in text


def test_regions_are_planned_by_name_after_the_national_pages():
    pages = plan_pages(["84", "11", "53"], ["infirmier"])
    assert [p.stem for p in pages] == ["france", "profils", "enquete", "contreparties", "qualite", "region_84",
                                       "region_53", "region_11", "profil_infirmier", "technique"]


def test_every_text_is_escaped(scope, national):
    from am_analytics.site.build import site_info

    page = Page(title="Côtes-d’Armor & <Mayotte>", lead="<script>alert(1)</script>",
                key_figures=[KeyFigure("a < b", "< 5", "x & y")])
    page.section("« Titre » & <b>").items.append(TextItem('"<img src=x onerror=alert(1)>"'))
    text = render.render_page(page, site_info(scope, plan_pages(["06"]), "maintenant"), stem="essai")
    assert "<script>alert" not in text and "<img src=x" not in text and "<b>" not in text
    assert "Côtes-d’Armor &amp; &lt;Mayotte&gt;" in text and "&lt; 5" in text


@pytest.mark.parametrize(("text", "kind", "written"), [("=SOMME(A1)", "text", "'=SOMME(A1)"), ("@cmd", "text", "'@cmd"),
                                                       ("-1,5 %", "percent", "-1,5 %"), ("-12", "text", "-12"),
                                                       ("< 5", "count", "< 5")])
def test_csv_neutralises_text_a_spreadsheet_would_run(text, kind, written):
    assert csv_cell(text, kind) == written


def test_a_failed_page_gets_a_french_error_page_and_the_index_says_it_failed(scope, national, tmp_path, monkeypatch):
    builder = SiteBuilder(scope, tmp_path, regions=["06"], profils=["inconnu"], national=national, generated="x")
    init_worker(builder.ctx, tmp_path)

    def broken(ctx, writer, region):
        with writer.step("carte des départements"):
            raise ValueError("géométrie illisible pour « Mayotte » & co\n  File \"x.py\", line 1")

    monkeypatch.setattr(content, "region_page", broken)
    for position, spec in enumerate(builder.pages):
        if spec.kind == "region":
            builder.built[position] = build_page(spec)
        else:
            builder.built[position] = (PageOutcome(spec.stem, spec.kind, spec.key, spec.label, "ok", 0.0),
                                       Page(title=spec.label, lead="Essai."))
    outcomes = builder.finish()
    failed = [o for o in outcomes if not o.ok]
    assert [(o.stem, o.step, o.exception) for o in failed] == [("region_06", "carte des départements", "ValueError")]
    raw = (tmp_path / "region_06.html").read_text(encoding="utf-8")
    assert "« Mayotte » &amp; co" in raw, "the message is escaped"
    page = html.unescape(raw)
    assert "Cette page n'a pas pu être produite" in page and "carte des départements" in page
    assert "géométrie illisible pour « Mayotte » & co" in page and f"⚠ {SYNTHETIC_MENTION}" in page
    index = _text(tmp_path / "index.html")
    assert "dont 1 en échec" in index and "Mayotte — <strong>échec</strong>" in index
    assert 'href="region_06.html">Mayotte</a>' not in index, "no plain link to a failed page"


# --- Issue 22: CSV names, chart widths and text alternatives (fast: no site built) -------------------------------


@pytest.mark.parametrize(("territory", "subject", "name"), [
    ("Mayotte", "contrats-signes-et-actifs-par-mois", "mayotte_contrats-signes-et-actifs-par-mois.csv"),
    ("La Réunion", "Contrats par département", "la-reunion_contrats-par-departement.csv"),
    ("profil Infirmier·ère", "part-par-region", "profil-infirmier-ere_part-par-region.csv"),
    ("Provence-Alpes-Côte d'Azur", "aide-attendue-par-annee", "provence-alpes-cote-d-azur_aide-attendue-par-annee.csv"),
])
def test_a_csv_is_named_after_its_territory_and_subject(territory, subject, name):
    from am_analytics.site.writer import csv_name

    assert csv_name(territory, subject) == name


def test_every_page_names_its_csv_files_after_what_it_is_about():
    from am_analytics.site.build import csv_territory
    from am_analytics.site.writer import slug

    heads = {spec.stem: slug(csv_territory(spec)) for spec in plan_pages(["06", "04", "94"], list(PROFILS))}
    assert heads["region_06"] == "mayotte" and heads["region_04"] == "la-reunion" and heads["region_94"] == "corse"
    assert heads["profil_inconnu"] == "profil-non-renseigne" and heads["france"] == heads["profils"] == "france"
    territories = [head for stem, head in heads.items() if stem.startswith(("region_", "profil_"))]
    assert len(set(territories)) == len(territories), "two pages would write the same files"


def test_a_table_is_written_under_its_name_and_its_link_says_its_size(tmp_path, national):
    from am_analytics.site.writer import PageWriter

    writer = PageWriter(tmp_path, "region_06", "Mayotte")
    first = writer.table("contrats-par-departement", cat.regions_table(national.regions))
    second = writer.table("contrats-par-departement", cat.regions_table(national.regions))
    assert first.csv == "donnees/mayotte_contrats-par-departement.csv"
    assert second.csv == "donnees/mayotte_contrats-par-departement-2.csv", "unique within the page"
    size = (tmp_path / first.csv).stat().st_size
    assert first.size == f"{size / 1000:.1f} Ko".replace(".", ",") and size > 1000


@pytest.mark.parametrize(("size", "text"), [(588, "588 octets"), (1749, "1,7 Ko"), (2_450_000, "2,5 Mo")])
def test_a_download_size_is_written_in_french(size, text):
    from am_analytics.site.writer import size_text

    assert size_text(size) == text


def test_a_chart_keeps_the_width_at_which_its_smallest_text_is_12_px():
    from am_analytics.site.writer import legible_width

    svg = (b'<svg width="493.2pt" height="283.5pt" viewBox="0 0 493.2 283.5"><text style="font-size: 8px">a</text>'
           b'<text style="font-size: 7.083px; fill: #222">b</text></svg>')
    assert legible_width(svg) == 836  # 493,2 × 12 / 7,083, rounded up: at 836 px the smallest text is 12 px
    assert legible_width(b"<svg viewBox='0 0 10 10'></svg>") == 0  # no text: any width


def _series(*rows):
    frame = pd.DataFrame(rows, columns=["fin_de_periode", "signes_cumul", "actifs", "signes_cumul_secret",
                                        "actifs_secret"])
    frame["fin_de_periode"] = pd.to_datetime(frame["fin_de_periode"])
    return frame


def test_a_chart_s_text_alternative_gives_the_latest_shown_values_never_a_hidden_one():
    from am_analytics.site import alt

    series = _series(("2025-05-31", 450, 400, None, None), ("2025-06-30", 453, None, None, "primaire"))
    assert alt.series_values(series) == ("453 contrats signés depuis septembre 2019 au 30 juin 2025 ; "
                                         "400 contrats actifs au 31 mai 2025.")
    hidden = _series(("2025-06-30", None, None, "primaire", "complementaire"))
    assert alt.series_values(hidden) == alt.ALL_HIDDEN + "."


def test_a_ranking_s_text_alternative_names_the_extremes_and_the_highlighted_territory():
    from am_analytics.site import alt

    regions = pd.DataFrame({"nom": ["Bretagne", "Mayotte", "Corse", "Guyane"],
                            "actifs_pour_100k_hab": [15.04, None, 13.8, 2.0],
                            "actifs_pour_100k_hab_secret": [None, None, None, "primaire"]})
    said = alt.extremes(regions, "actifs_pour_100k_hab", also=[regions.iloc[1]])
    assert said == f"Bretagne 15,0 (le plus élevé) ; Corse 13,8 (le plus bas) ; Mayotte {alt.NOT_SHOWN}."
    assert "2,0" not in said, "a hidden rate is never said"


def test_every_figure_of_a_page_states_its_values_in_its_caption(site):
    root, _ = site
    text = html.unescape((root / "region_01.html").read_text(encoding="utf-8"))
    captions = re.findall(r'<figcaption id="([^"]+)">([^<]+)</figcaption>', text)
    assert len(captions) >= 4
    for ident, caption in captions:
        assert f'aria-describedby="{ident}"' in text and " : " in caption and re.search(r"\d", caption), caption
