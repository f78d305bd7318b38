"""The published site in a real browser: headless Chromium (Debian's package, driven by Playwright) opens the
site of a scheduled run for two regions (one overseas) served on 127.0.0.1 and from disk: no console error, every
link and image resolves, the synthetic banner is on every page, choosing a region opens its page, clicking a
header sorts a table (French numbers as numbers, hidden cells last), and the downloaded CSV is the table shown.
Screenshots of the index, a region and a background are left in the run's folder (`captures/`)."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from am_analytics.vocabulary import SYNTHETIC_MENTION

from .site_pages import read_csv

CHROMIUM = Path(os.environ.get("AM_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HIDDEN = {"s", "n.s.", "n.d."}

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("batch")]


def _require_browser() -> None:
    missing = [what for what, ok in (("chromium", CHROMIUM.is_file()),
                                     ("playwright", shutil.which("true") and _has_playwright())) if not ok]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"manque en CI : {', '.join(missing)} (make browser installe chromium)")
        pytest.skip(f"{', '.join(missing)} absent : make browser")


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def site(schedule_batch):
    result, folder = schedule_batch
    assert (folder / "index.html").is_file(), result.stderr[-3000:]
    return folder


@pytest.fixture(scope="module")
def server(site):
    """The run's folder served by Python's http.server on 127.0.0.1 (any free port), for this module."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no request log in the test output
        pass


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []  # console errors and uncaught exceptions, per page
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def _links(page) -> list[str]:
    return page.eval_on_selector_all(
        "a[href], img[src], script[src], link[href]",
        "elements => elements.map(e => e.getAttribute('href') || e.getAttribute('src'))")


def test_every_page_opens_without_console_error_with_the_banner_and_no_dead_link(page, server):
    to_visit, seen_pages, seen_links, dead = [urljoin(server, "index.html")], set(), set(), []
    while to_visit:
        url = to_visit.pop()
        if url in seen_pages:
            continue
        seen_pages.add(url)
        response = page.goto(url)
        assert response.ok, url
        assert page.errors == [], f"{url} : {page.errors}"
        assert page.locator(".synthetique").first.is_visible(), f"{url} : bandeau absent"
        assert SYNTHETIC_MENTION in page.locator(".synthetique").first.inner_text()
        broken = page.eval_on_selector_all("img", "images => images.filter(i => !i.complete || "
                                           "i.naturalWidth === 0).map(i => i.getAttribute('src'))")
        assert broken == [], f"{url} : images non chargées {broken}"
        for href in _links(page):
            if href.startswith("data:"):  # inline (the empty icon that spares a request for /favicon.ico)
                continue
            assert not urlparse(href).scheme and not href.startswith("/"), f"{url} : lien non relatif {href}"
            target = urljoin(url, href).split("#")[0]
            if target in seen_links:
                continue
            seen_links.add(target)
            if not page.request.get(target).ok:
                dead.append((url, href))
            elif target.endswith(".html") and target not in seen_pages:
                to_visit.append(target)
    assert dead == []
    visited = {urlparse(url).path.rsplit("/", 1)[-1] for url in seen_pages}
    assert {"region_01.html", "region_84.html", "profil_infirmier.html", "profil_inconnu.html", "france.html",
            "02_tableau_de_bord_regional_84.html", "99_essai_84.html"} <= visited


def test_choosing_a_region_opens_its_page(page, server):
    page.goto(urljoin(server, "index.html"))
    page.select_option("#choix-region-index", label="Guadeloupe")
    page.wait_for_url("**/region_01.html")
    assert page.locator("h1").inner_text() == "Guadeloupe"
    page.select_option("#choix-profil-region_01", label="Infirmier·ère")
    page.wait_for_url("**/profil_infirmier.html")
    assert page.errors == []


def test_the_site_also_works_from_disk(page, site):
    page.goto((site / "index.html").as_uri())
    page.select_option("#choix-region-index", label="Auvergne-Rhône-Alpes")
    page.wait_for_url("**/region_84.html")
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert page.errors == []


def _number(text: str) -> float:
    return float(re.sub(r"[\s\u00a0\u202f%€]", "", text).replace(",", "."))


def _column(table, index: int) -> list[str]:
    return table.locator("tbody tr").evaluate_all(
        f"rows => rows.map(r => r.cells[{index}].textContent.trim())")


def test_clicking_a_header_sorts_french_numbers_as_numbers_both_ways(page, server):
    page.goto(urljoin(server, "region_84.html"))
    table = page.locator("table", has=page.locator("caption", has_text="Contrats par département"))
    headers = table.locator("thead th").all_inner_texts()
    index = next(i for i, text in enumerate(headers) if text.startswith("Contrats signés"))
    before = _column(table, index)
    table.locator("thead th").nth(index).locator("button").click()
    ascending = _column(table, index)
    assert [_number(v) for v in ascending] == sorted(_number(v) for v in before) and ascending != before
    assert table.locator("thead th").nth(index).get_attribute("aria-sort") == "ascending"
    table.locator("thead th").nth(index).locator("button").click()
    assert [_number(v) for v in _column(table, index)] == sorted((_number(v) for v in before), reverse=True)


def test_hidden_cells_sort_after_every_number_in_both_directions(page, server):
    page.goto(urljoin(server, "region_01.html"))  # Guadeloupe: small counts, hidden cells
    for summary in page.locator("details > summary").all():
        summary.click()
    # the first column of the page that holds both kinds of hidden cells (which table depends on the masking)
    table, index = next(
        (table, index)
        for table in page.locator("table").all()
        for index in range(table.locator("thead th").count())
        if {"s", "< 5"} <= set(_column(table, index))
    )
    for _ in ("ascending", "descending"):
        table.locator("thead th").nth(index).locator("button").click()
        cells = _column(table, index)
        shown = [v for v in cells if v not in HIDDEN]
        assert cells[len(shown):] == sorted((v for v in cells if v in HIDDEN), key=["s", "n.s.", "n.d."].index)
        numbers = [2.5 if v == "< 5" else _number(v) for v in shown]
        assert numbers in (sorted(numbers), sorted(numbers, reverse=True))


def test_the_downloaded_csv_is_the_table_as_shown(page, server, tmp_path):
    page.goto(urljoin(server, "region_84.html"))
    block = page.locator("div.tableau", has=page.locator("caption", has_text="Contrats par département"))
    headers = [text.strip() for text in block.locator("thead th").all_inner_texts()]
    rows = block.locator("tbody tr").evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))")
    source = block.locator("p.source").inner_text()
    with page.expect_download() as info:
        block.get_by_role("link", name="Télécharger le tableau (CSV)").click()
    header, data, after = read_csv(Path(info.value.path()).read_bytes())
    assert header == headers and data == rows
    assert after[-1] == source and SYNTHETIC_MENTION.lower() in source
    assert info.value.suggested_filename.endswith(".csv")


def test_screenshots_of_the_index_a_region_and_a_background(page, server, site):
    folder = site / "captures"
    folder.mkdir(exist_ok=True)
    for name in ("index", "region_84", "profil_infirmier"):
        page.goto(urljoin(server, f"{name}.html"))
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        assert (folder / f"{name}.png").stat().st_size > 20_000
    assert page.errors == []
