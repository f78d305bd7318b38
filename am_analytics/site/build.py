"""Build the site: plan its pages, draw the figures several pages share, build every page (in parallel worker
processes that receive the run's data and national results once), each failure isolated on a French error page at
the page's own address, then the index with every page's status."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

from am_analytics import atomic
from am_analytics.figures.formatting import format_number
from am_analytics.geography import region_name
from am_analytics.presentation.results import NationalResults
from am_analytics.presentation.scope import NATIONAL_CODE, Scope
from am_analytics.site import content, render
from am_analytics.site.model import LinkItem, NotebookRun, Page, RunTable
from am_analytics.site.render import Navigation, NavLink, SiteInfo
from am_analytics.site.writer import PageWriter
from am_analytics.vocabulary import PROFILS

NATIONAL_PAGES = (
    ("france", "France entière"),
    ("profils", "Profils d'origine"),
    ("enquete", "Enquête de satisfaction"),
    ("contreparties", "Contreparties et accès aux soins"),
    ("qualite", "Qualité des données"),
)
BUILDERS: dict[str, Callable] = {
    "france": content.france_page,
    "profils": content.backgrounds_page,
    "enquete": content.survey_page,
    "contreparties": content.commitments_page,
    "qualite": content.quality_page,
    "technique": content.technical_page,
}
# the run's technical summary: linked from every page's footer, never among the readers' pages
TECHNICAL = ("technique", "Résumé technique de l'exécution")
# what a page's CSV files are named after (`writer.csv_name`), when it is not a region or a background
CSV_TERRITORY = {"france": "france", "profils": "france", "enquete": "enquete", "contreparties": "contreparties",
                 "qualite": "qualite", "technique": "technique"}


@dataclass(frozen=True)
class PageSpec:
    """One page of the site: its kind (`france`, `profils`, `enquete`, `qualite`, `region`, `profil`), the region
    or background it shows, its file name (`<stem>.html`) and its label in the navigation and the index."""

    kind: str
    key: str | None
    stem: str
    label: str

    @property
    def href(self) -> str:
        return f"{self.stem}.html"


@dataclass
class PageOutcome:
    """What became of one page (as `summary.json` records it)."""

    stem: str
    kind: str
    key: str | None
    label: str
    status: str  # "ok" or "failed"
    duration_s: float
    step: str | None = None
    exception: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def href(self) -> str:
        return f"{self.stem}.html"

    def to_json(self) -> dict:
        return asdict(self)


def _sorted_by_name(specs: list[PageSpec]) -> list[PageSpec]:
    from am_analytics.text import fold

    return sorted(specs, key=lambda spec: fold(spec.label))


# the pages about France as a whole: built only when the extracts cover France (`Scope.covers_france`)
# the commitments page estimates over every signatory of France: extracts of a few regions cannot give it
FRANCE_PAGES = ("france", "profils", "profil", "contreparties")


def plan_pages(regions: Sequence[str], profils: Sequence[str] | None = None, *,
               covers_france: bool = True) -> list[PageSpec]:
    """The national pages, one page per region (by name) and one per background (every one of `PROFILS` by
    default), in the order the index lists them. Extracts that do not cover France get no page about France (its
    figures, its backgrounds by region, a background across France): their regions' pages, the survey and the
    data quality."""
    pages = [PageSpec(kind, None, kind, label) for kind, label in NATIONAL_PAGES]
    pages += _sorted_by_name([PageSpec("region", code, f"region_{code}", region_name(code)) for code in regions])
    pages += [PageSpec("profil", code, f"profil_{code}", PROFILS[code]) for code in (profils or list(PROFILS))]
    pages.append(PageSpec(TECHNICAL[0], None, *TECHNICAL))
    return [page for page in pages if covers_france or page.kind not in FRANCE_PAGES]


def csv_territory(spec: PageSpec) -> str:
    """What a page's CSV files are named after: the region's name, « profil » and the background's name, or the
    page's topic (`france`, `enquete`, `qualite`, `technique`)."""
    if spec.kind == "region":
        return spec.label
    if spec.kind == "profil":
        return f"profil {spec.label}"
    return CSV_TERRITORY[spec.kind]


def reader_page(kind: str) -> bool:
    """A national page the navigation and the index list (the technical summary is reached from the footer)."""
    return kind in BUILDERS and kind != TECHNICAL[0]


def site_info(scope: Scope, pages: Sequence[PageSpec], generated: str) -> SiteInfo:
    """What every page of a run says of it: counting date, synthetic flag, when it was produced, navigation."""
    return SiteInfo(as_of=scope.as_of, synthetic=scope.synthetic, generated=generated, nav=navigation(pages))


def navigation(pages: Sequence[PageSpec]) -> Navigation:
    return Navigation(
        national=[NavLink(p.href, p.label) for p in pages if reader_page(p.kind)],
        regions=[NavLink(p.href, p.label) for p in pages if p.kind == "region"],
        backgrounds=[NavLink(p.href, p.label) for p in pages if p.kind == "profil"],
    )


# --- One page, in a worker or in this process -------------------------------------------------------------------

_STATE: dict = {}


def init_worker(ctx: content.SiteContext, root: Path) -> None:
    """What a worker process keeps for every page it builds: the run's context (data, national results), once."""
    _STATE.update(ctx=ctx, root=root)


def _failed(outcome: PageOutcome, writer: PageWriter, exc: BaseException) -> None:
    outcome.status, outcome.step = "failed", writer.current_step
    outcome.exception, outcome.message = type(exc).__name__, (str(exc) or type(exc).__name__)[:2000]


def build_page(spec: PageSpec) -> tuple[PageOutcome, Page | None]:
    """Build one page's content, writing its figures and CSV files; the HTML is laid out by the caller (once the
    run's notebooks are known, which a region's page links). A failure returns no page and never raises."""
    ctx: content.SiteContext = _STATE["ctx"]
    started = time.monotonic()
    writer = PageWriter(_STATE["root"], spec.stem, csv_territory(spec))
    outcome = PageOutcome(spec.stem, spec.kind, spec.key, spec.label, "ok", 0.0)
    page = None
    try:
        if spec.kind == "region":
            page = content.region_page(ctx, writer, spec.key)
        elif spec.kind == "profil":
            page = content.background_page(ctx, writer, spec.key)
        else:
            page = BUILDERS[spec.kind](ctx, writer)
    except Exception as exc:  # one page's failure never stops the site
        _failed(outcome, writer, exc)
        page = None
    outcome.duration_s = round(time.monotonic() - started, 2)
    return outcome, page


# --- The whole site ------------------------------------------------------------------------------------------


def _notebook_links(notebooks: Sequence[NotebookRun]) -> dict[str, list[LinkItem]]:
    links: dict[str, list[LinkItem]] = {}
    for run in notebooks:
        stem = "france" if run.region is None else f"region_{run.region}"
        if run.ok:
            item = LinkItem(run.html, run.title, "notebook exécuté (sorties, sans le code)")
        else:
            item = LinkItem(run.html, f"{run.title} : exécution en échec", run.error)
        links.setdefault(stem, []).append(item)
    return links


class SiteBuilder:
    """One site being built: its pages planned, the run's context computed once (national results, France's own
    results), then pages built in workers, and at last every page laid out with the notebooks'
    links and the index. `build_site` runs it alone; the scheduler shares its pool with the notebook runs."""

    def __init__(self, scope: Scope, root: Path, *, regions: Sequence[str], profils: Sequence[str] | None = None,
                 national: NationalResults | None = None, generated: str = "", info: SiteInfo | None = None):
        self.root = root
        self.pages = plan_pages(regions, profils, covers_france=scope.covers_france)
        self.info = info or site_info(scope, self.pages, generated)
        self.ctx = content.SiteContext.compute(scope, national, regions,
                                               [spec.key for spec in self.pages if spec.kind == "profil"])
        self.built: dict[int, tuple[PageOutcome, Page | None]] = {}
        root.mkdir(parents=True, exist_ok=True)
        for name, data in render.static_files().items():
            atomic.write_bytes(root / render.ASSETS_DIR / name, data)

    def pool(self, workers: int) -> ProcessPoolExecutor:
        """Worker processes (spawned: no thread or state copied from this one) that hold the run's context."""
        return ProcessPoolExecutor(max_workers=max(1, workers), mp_context=get_context("spawn"),
                                   initializer=init_worker, initargs=(self.ctx, self.root))

    def submit_pages(self, pool: ProcessPoolExecutor) -> dict:
        return {pool.submit(build_page, spec): position for position, spec in enumerate(self.pages)}

    def collect(self, futures: dict, on_done: Callable[[int, int, PageOutcome], None] | None = None) -> None:
        for done, future in enumerate(as_completed(futures), start=1):
            position = futures[future]
            spec = self.pages[position]
            try:
                self.built[position] = future.result()
            except Exception as exc:  # a worker that died (killed, out of memory): a failed page, not a lost one
                self.built[position] = (PageOutcome(spec.stem, spec.kind, spec.key, spec.label, "failed", 0.0, None,
                                                    type(exc).__name__, str(exc) or type(exc).__name__), None)
            if on_done:
                on_done(done, len(self.pages), self.built[position][0])

    def build_here(self, on_done: Callable[[int, int, PageOutcome], None] | None = None) -> None:
        """Build every page in this process (one worker: no process to start)."""
        init_worker(self.ctx, self.root)
        for position, spec in enumerate(self.pages):
            self.built[position] = build_page(spec)
            if on_done:
                on_done(position + 1, len(self.pages), self.built[position][0])

    def finish(self, notebooks: Sequence[NotebookRun] = ()) -> list[PageOutcome]:
        """Lay out every page (a failed one as its French error page, at the same address) and the index."""
        links = _notebook_links(notebooks)
        outcomes = []
        for position, spec in enumerate(self.pages):
            outcome, page = self.built[position]
            if page is not None:
                try:
                    if links.get(spec.stem):
                        page.section("Notebooks exécutés").items.extend(links[spec.stem])
                    if spec.kind == TECHNICAL[0]:
                        add_run_tables(page, self.built.values(), notebooks)
                    atomic.write_text(self.root / spec.href, render.render_page(page, self.info, stem=spec.stem))
                except Exception as exc:
                    outcome.status, outcome.step = "failed", "mise en page"
                    outcome.exception, outcome.message = type(exc).__name__, str(exc)[:2000]
            if not outcome.ok:
                atomic.write_text(self.root / spec.href, render.render_error(
                    spec.label, self.info, stem=spec.stem, what="Cette page n'a pas pu être produite pour cette "
                    "exécution.", step=outcome.step, exception=outcome.exception or "erreur",
                    message=outcome.message or ""))
            outcomes.append(outcome)
        atomic.write_text(self.root / "index.html", index_page(outcomes, self.pages, self.ctx, self.info, notebooks))
        return outcomes


def build_site(
    scope: Scope,
    root: Path,
    *,
    regions: Sequence[str],
    profils: Sequence[str] | None = None,
    national: NationalResults | None = None,
    notebooks: Sequence[NotebookRun] = (),
    workers: int = 1,
    generated: str = "",
    on_done: Callable[[int, int, PageOutcome], None] | None = None,
    info: SiteInfo | None = None,
) -> list[PageOutcome]:
    """Write the site for `scope`'s data and counting date under `root`: assets, every page of
    `plan_pages(regions, profils)` and `index.html`. Returns every page's outcome.
    `info` (see `site_info`) when the caller already made it for other pages of the run (executed notebooks)."""
    builder = SiteBuilder(scope, root, regions=regions, profils=profils, national=national, generated=generated,
                          info=info)
    if workers <= 1:
        builder.build_here(on_done)
    else:
        with builder.pool(min(workers, len(builder.pages))) as pool:
            builder.collect(builder.submit_pages(pool), on_done)
    outcomes = builder.finish(notebooks)
    # the index links the run's record; the scheduler writes a fuller one (with the notebooks) over it
    atomic.write_json(root / "summary.json", {"as_of": scope.as_of.date().isoformat(), "synthetic": scope.synthetic,
                                              "pages": [outcome.to_json() for outcome in outcomes]})
    return outcomes


def index_page(outcomes: Sequence[PageOutcome], pages: Sequence[PageSpec], ctx: content.SiteContext,
               info: SiteInfo, notebooks: Sequence[NotebookRun]) -> str:
    """The index: what failed first, then the national pages, the regions by name, the backgrounds, and the
    executed notebooks with their status (a failed one links to its French error page, never to « results »)."""
    by_stem = {outcome.stem: outcome for outcome in outcomes}

    def entries(kind_test) -> list[dict]:
        return [{"label": spec.label, "href": spec.href, "ok": by_stem[spec.stem].ok,
                 "status": by_stem[spec.stem].status} for spec in pages if kind_test(spec.kind)]

    failed_pages = [o for o in outcomes if not o.ok]
    failed_runs = [run for run in notebooks if not run.ok]
    verdict = f"{len(pages)} pages"
    verdict += f", dont {len(failed_pages)} en échec" if failed_pages else ", toutes produites"
    if notebooks:
        verdict += f" ; {len(notebooks)} notebooks exécutés"
        verdict += f", dont {len(failed_runs)} en échec" if failed_runs else ", tous réussis"
    failures = [{"label": o.label, "href": o.href,
                 "detail": describe(o)} for o in failed_pages]
    failures += [{"label": f"{run.title} — {run.territory}", "href": run.html, "detail": run.error}
                 for run in failed_runs]
    key_figures = []
    try:
        if ctx.scope.covers_france:  # no « France » figure from extracts of one region or a few
            key_figures = content.territory_key_figures(ctx.national, NATIONAL_CODE)
    except Exception:  # the index stays readable; the France page says what failed
        key_figures = []
    runs = [{**asdict(run)} for run in notebooks]
    return render.render_index(
        info, verdict=verdict + ".", failed=bool(failed_pages or failed_runs), key_figures=key_figures,
        covered=None if ctx.scope.covers_france else f"{ctx.scope.coverage.label} (les extractions reçues ne couvrent "
        "pas la France entière : aucun chiffre « France » n'en est tiré)",
        national=entries(reader_page), regions=entries(lambda kind: kind == "region"),
        backgrounds=entries(lambda kind: kind == "profil"), notebooks=runs, failures=failures)


def add_run_tables(page: Page, built, notebooks: Sequence[NotebookRun]) -> None:
    """The technical page's account of the run: every page and every notebook with its status and duration, and
    the machine-readable record (`summary.json`)."""
    section = page.section("Pages et notebooks de cette exécution")
    outcomes = [outcome for outcome, _ in built]
    section.items.append(RunTable(
        "Pages produites : état et durée de construction", ("Page", "État", "Durée (s)"),
        tuple((o.label, "produite" if o.ok else describe(o), format_number(o.duration_s, 2)) for o in outcomes),
        (False, False, True)))
    if notebooks:
        section.items.append(RunTable(
            "Notebooks exécutés : état et durée", ("Notebook", "Territoire", "État", "Durée (s)"),
            tuple((run.title, run.territory, "réussie" if run.ok else f"échec : {run.error}", run.duration)
                  for run in notebooks), (False, False, False, True)))
    section.items.append(LinkItem("summary.json", "Relevé complet de l'exécution (JSON)",
                                  "chaque page et chaque exécution : état, durée, étape ou cellule en échec"))


def describe(outcome: PageOutcome) -> str:
    """« échec à l'étape « carte des départements » : ValueError — message », in French."""
    where = f" à l'étape « {outcome.step} »" if outcome.step else ""
    first = (outcome.message or "").splitlines()[0][:200] if outcome.message else ""
    return f"échec{where} : {outcome.exception or 'erreur'}" + (f" — {first}" if first else "")
