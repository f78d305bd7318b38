"""The published site: `index.html` and one static page per national theme, region and background, built in this
process from the presentation layer (one `Scope`, one `NationalResults` per run), with figures as SVG, tables
that sort and download as CSV, and the synthetic banner on every page. No network: every asset ships here.

`content` says what each page shows, `writer` turns figures and published tables into files, `render` lays pages
out as HTML (Jinja templates with autoescaping, in `templates/`), `build` builds every page (in parallel, each
failure isolated on a French error page) and the index.
"""

from am_analytics.site.build import PageOutcome, PageSpec, build_site, plan_pages

__all__ = ["PageOutcome", "PageSpec", "build_site", "plan_pages"]
