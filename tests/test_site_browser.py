"""The published site in a real browser: headless Chromium (Debian's package, driven by Playwright) opens the
site of a scheduled run for two regions (one overseas) served on 127.0.0.1 and from disk: no console error, every
link and image resolves, the synthetic banner is on every page, choosing a region opens its page, clicking a
header sorts a table (French numbers as numbers, hidden cells last), and the downloaded CSV is the table shown.
Screenshots of the index, two regions and a background, at 1 280 and 390 px wide, are left in the run's folder
(`captures/`).

Issue 22's standard, measured in the same browser: chart text at least 12 px on a 390 px phone, the regions table
within 1 280 px, CSV names and links that say what they hold, text contrast at least 4,5:1 (pages and charts),
each chart's finding and values in its caption, the run's technical summary on its own page."""

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
        block.get_by_role("link", name=re.compile(r"^Télécharger « Contrats par département .* » \(CSV, ")).click()
    header, data, after = read_csv(Path(info.value.path()).read_bytes())
    assert header == headers and data == rows
    assert after[-1] == source and SYNTHETIC_MENTION.lower() in source
    assert info.value.suggested_filename.endswith(".csv")


def test_screenshots_of_the_index_a_region_and_a_background(page, server, site):
    folder = site / "captures"
    folder.mkdir(exist_ok=True)
    for viewport in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):  # a desktop, a phone
        page.set_viewport_size(viewport)
        for name in ("index", "region_84", "region_01", "profil_infirmier"):
            path = folder / f"{name}_{viewport['width']}.png"
            page.goto(urljoin(server, f"{name}.html"))
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 20_000
    assert page.errors == []


# --- Issue 22: the site's reading standard, measured on the rendered pages ------------------------------------

PHONE = {"width": 390, "height": 844}
READER_PAGES = ("index", "region_01", "profil_infirmier")  # the index, an overseas region, a background
LEGIBLE_PX = 12.0
MIN_CONTRAST = 4.5

# Each chart's SVG drawn inline at the size its <img> is shown, then each text's font size on screen: its computed
# size in the drawing's units times the scale of its screen transform (the drawing's and the text's own).
CHART_TEXT_JS = """async () => {
  const charts = [];
  for (const img of document.querySelectorAll("figure.graphique img")) {
    const source = await (await fetch(img.src)).text();
    const svg = new DOMParser().parseFromString(source, "image/svg+xml").documentElement;
    const box = img.getBoundingClientRect();
    const holder = document.createElement("div");
    holder.style.cssText = `position:absolute;left:0;top:0;width:${box.width}px;visibility:hidden`;
    svg.setAttribute("width", box.width); svg.removeAttribute("height");
    holder.appendChild(document.importNode(svg, true)); document.body.appendChild(holder);
    const sizes = [...holder.querySelectorAll("text")].filter(t => t.textContent.trim()).map(t => {
      const m = t.getScreenCTM();
      return parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    });
    holder.remove();
    charts.push({src: img.getAttribute("src"), width: box.width, texts: sizes.length, smallest: Math.min(...sizes)});
  }
  return charts;
}"""

# WCAG 2 contrast of each element's own text on the first opaque background behind it; and of each chart text on
# the shape drawn under its centre (a heat map's cell, a bar, the figure's white), the SVG drawn inline on screen.
CONTRAST_JS = """async () => {
  const parse = s => { const m = (s.match(/[\\d.]+/g) || []).map(Number);
    return m.length >= 3 ? {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1} : null; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const white = {r: 255, g: 255, b: 255, a: 1};
  const behind = el => { for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) { return c; } } return white; };
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length || getComputedStyle(el).visibility === "hidden") { continue; }
    found.push({what: el.textContent.trim().slice(0, 60), ratio: ratio(parse(getComputedStyle(el).color), behind(el))});
  }
  for (const img of document.querySelectorAll("figure.graphique img")) {
    const svg = new DOMParser().parseFromString(await (await fetch(img.src)).text(), "image/svg+xml").documentElement;
    const [, , w, h] = svg.getAttribute("viewBox").split(" ").map(Number);
    const width = Math.min(innerWidth, innerHeight * w / h) - 2;
    const holder = document.createElement("div");
    holder.style.cssText = `position:fixed;left:0;top:0;width:${width}px;z-index:2147483647;background:#fff`;
    svg.setAttribute("width", width); svg.removeAttribute("height");
    holder.appendChild(document.importNode(svg, true)); document.body.appendChild(holder);
    for (const t of holder.querySelectorAll("text")) {
      if (!t.textContent.trim()) { continue; }
      const box = t.getBoundingClientRect();
      const under = document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)
        .filter(e => holder.contains(e) && !["text", "tspan", "svg", "g"].includes(e.tagName))
        .map(e => parse(getComputedStyle(e).fill)).find(c => c && c.a > 0) || white;
      found.push({what: img.getAttribute("src") + " : " + t.textContent.trim(),
                  ratio: ratio(parse(getComputedStyle(t).fill) || {r: 0, g: 0, b: 0}, under)});
    }
    holder.remove();
  }
  return found;
}"""


def _open(page, server, name: str) -> None:
    page.goto(urljoin(server, f"{name}.html"))
    assert page.errors == [], f"{name} : {page.errors}"


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_chart_text_is_at_least_12_px_on_a_phone_and_the_page_never_scrolls_sideways(page, server):
    page.set_viewport_size(PHONE)
    measured = {}
    for name in READER_PAGES:
        _open(page, server, name)
        charts = page.evaluate(CHART_TEXT_JS)
        measured[name] = charts
        assert _page_width(page) <= PHONE["width"], f"{name} : la page défile horizontalement"
        small = [(c["src"], round(c["smallest"], 2)) for c in charts if c["smallest"] < LEGIBLE_PX - 0.01]
        assert small == [], f"{name} : texte de graphique sous 12 px sur 390 px : {small}"
        for chart in charts:  # a chart wider than the screen scrolls inside its own frame
            frame = page.locator(f"figure.graphique:has(img[src='{chart['src']}']) .cadre")
            assert frame.evaluate("f => getComputedStyle(f).overflowX") == "auto"
    assert measured["region_01"] and measured["profil_infirmier"], "a region and a background page show charts"
    assert all(c["texts"] > 3 for charts in measured.values() for c in charts), "the charts' text is text, not paths"


def test_the_regions_table_fits_at_1280_px_and_scrolls_only_in_its_frame_on_a_phone(page, server):
    widths = {}
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(viewport)
        _open(page, server, "france")
        block = page.locator("div.tableau", has=page.locator("caption", has_text="Contrats par région"))
        table, frame = block.locator("table"), block.locator(".defilement")
        widths[viewport["width"]] = (table.evaluate("t => t.scrollWidth"), frame.evaluate("f => f.clientWidth"))
        assert _page_width(page) <= viewport["width"], f"{viewport['width']} px : la page défile horizontalement"
    table_width, frame_width = widths[1280]
    assert table_width <= frame_width, f"tableau des régions : {table_width} px pour {frame_width} px à 1 280 px"
    assert widths[390][1] <= PHONE["width"], "on a phone the table's frame stays within the screen"


def test_csv_links_say_what_they_hold_its_format_and_size_under_a_name_of_the_territory(page, server):
    seen: dict[str, str] = {}
    for name, territory in (("region_01", "guadeloupe"), ("profil_infirmier", "profil-infirmier-ere"),
                            ("france", "france")):
        _open(page, server, name)
        for block in page.locator("div.tableau:has(a[download])").all():
            caption = block.locator("caption").text_content().strip()  # a long table's is folded, not rendered
            link = block.locator("p.telecharger a")
            href, text = link.get_attribute("href"), link.inner_text().strip()
            assert re.fullmatch(rf"donnees/{territory}_[a-z0-9-]+\.csv", href), href
            assert href not in seen or seen[href] == caption, f"{href} : deux tableaux sous un même nom"
            seen[href] = caption
            size = len(page.request.get(urljoin(server, href)).body())
            said = re.fullmatch(rf"Télécharger « {re.escape(caption)} » \(CSV, ([\d\u202f\xa0 ,]+) (octets|Ko|Mo)\)",
                                text)
            assert said, text
            unit = {"octets": 1, "Ko": 1000, "Mo": 1_000_000}[said.group(2)]
            assert abs(_number(said.group(1)) * unit - size) <= unit / 20, f"{text} : {size} octets"
    assert "donnees/guadeloupe_contrats-par-departement.csv" in seen


def test_every_text_and_chart_label_contrasts_at_least_4_5_to_1(page, server):
    for viewport in (PHONE, {"width": 1280, "height": 900}):
        page.set_viewport_size(viewport)
        for name in (*READER_PAGES, "profils"):  # « profils » holds the heat map: numbers on coloured cells
            _open(page, server, name)
            found = page.evaluate(CONTRAST_JS)
            low = [(f["what"], round(f["ratio"], 2)) for f in found if f["ratio"] < MIN_CONTRAST]
            assert low == [], f"{name} ({viewport['width']} px) : contraste sous 4,5:1 : {low[:10]}"
            assert len(found) > 20


def test_each_chart_states_its_finding_and_values_in_words(page, server):
    for name in READER_PAGES[1:]:
        _open(page, server, name)
        for figure in page.locator("figure.graphique").all():
            image = figure.locator("img")
            caption = page.locator(f"#{image.get_attribute('aria-describedby')}").inner_text()
            assert image.get_attribute("alt") and caption.startswith(image.get_attribute("alt")), caption
            values = caption.split(" : ", 1)[1]
            assert re.search(r"\d", values) or "aucune valeur publiable" in values, caption
            assert not re.search(r"(^|[\s(])(< 5|s|n\.s\.|n\.d\.)([\s;.)]|$)", values), f"valeur masquée : {caption}"


def test_the_run_s_technical_summary_is_its_own_page_linked_from_every_footer(page, server):
    for name in READER_PAGES:
        _open(page, server, name)
        assert page.locator("footer a[href$='technique.html']").count() == 1, name
        text = page.locator("main").inner_text()
        assert not re.search(r"\b[0-9a-f]{64}\b", text) and "summary.json" not in text, f"{name} : détail technique"
    page.locator("footer a[href$='technique.html']").click()
    page.wait_for_url("**/technique.html")
    assert page.locator("h1").inner_text() == "Résumé technique de l'exécution"
    text = page.locator("main").inner_text()
    assert re.search(r"\b[0-9a-f]{64}\b", text), "the input files' fingerprints"
    assert "Durée (s)" in text and "Guadeloupe" in text and "Notebooks exécutés : état et durée" in text
    assert page.locator("main a[href='summary.json']").count() == 1
