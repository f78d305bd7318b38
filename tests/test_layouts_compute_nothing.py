"""The import contract of the layouts: the PDF and workbook (`report`), the site, the dashboards and the notebooks
render published items (`presentation.results`, named in `presentation.registry`) and never compute one. Parsed,
not run: every module and every notebook code cell is read with `ast`, and a failure names the file and the line.

Also the counting date's contract (issue 20, item 6): every chart or map a layout draws is given its scope's
`as_of` explicitly, and no layout reads the date from a frame's attributes."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path

import pytest

import am_analytics.indicators as indicators

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "am_analytics"
INDICATORS = "am_analytics.indicators"
# every function the indicators package offers: a layout calling one by name computes an indicator
INDICATOR_FUNCTIONS = frozenset(
    name for name in indicators.__all__ if inspect.isfunction(getattr(indicators, name))
)
CHART_MODULES = ("charts", "maps")


def layout_sources() -> list[tuple[str, str]]:
    """(name, source) of every layout: modules of `report` and `site`, `dashboards.py`, each notebook's code
    cells (one source per cell, named `notebook.ipynb[cell N]`; IPython magics left out)."""
    files = [*sorted((PACKAGE / "report").glob("*.py")), *sorted((PACKAGE / "site").glob("*.py")),
             PACKAGE / "dashboards.py"]
    sources = [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")) for path in files]
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            if cell["cell_type"] != "code":
                continue
            lines = "".join(cell["source"]).splitlines()
            code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)
            sources.append((f"{notebook.relative_to(ROOT)}[cellule {index}]", code))
    return sources


def _dotted(node: ast.AST) -> str:
    """`a.b.c` of an attribute chain (empty when it is not one)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def computations(source: str, name: str) -> list[str]:
    """Where a layout imports the indicators or calls an indicator function: « file:line: what »."""
    found = []
    tree = ast.parse(source, filename=name)
    # a name imported from elsewhere (the presentation layer's `results.background_trend` reads a published item) is
    # not the indicator of the same name
    elsewhere = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.module and not node.module.startswith(INDICATORS) for alias in node.names}
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            found += [f"{where}: importe {alias.name}" for alias in node.names
                      if alias.name == INDICATORS or alias.name.startswith(INDICATORS + ".")]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == INDICATORS or node.module.startswith(INDICATORS + "."):
                found.append(f"{where}: importe {', '.join(alias.name for alias in node.names)} depuis {node.module}")
            elif node.module == "am_analytics" and any(alias.name == "indicators" for alias in node.names):
                found.append(f"{where}: importe am_analytics.indicators")
        elif isinstance(node, ast.Attribute) and _dotted(node).endswith(".indicators"):
            found.append(f"{where}: lit {_dotted(node)}")
        elif isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called in INDICATOR_FUNCTIONS and not (isinstance(node.func, ast.Name) and called in elsewhere):
                found.append(f"{where}: appelle l'indicateur {called}")
    return found


def undated_drawings(source: str, name: str) -> list[str]:
    """Where a layout draws a chart or map without passing its counting date, or reads the date from a frame."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call):
            called = _dotted(node.func)
            module, _, function = called.rpartition(".")
            draws = (module in CHART_MODULES and function.endswith(("_chart", "_map"))) or called == "region_map"
            if draws and not any(keyword.arg == "as_of" for keyword in node.keywords):
                found.append(f"{where}: {called} sans as_of")
        if isinstance(node, ast.Subscript) and _dotted(node.value).endswith(".attrs"):
            key = node.slice
            if isinstance(key, ast.Constant) and key.value == "as_of":
                found.append(f"{where}: lit attrs[\"as_of\"]")
        if isinstance(node, ast.Call) and _dotted(node.func).endswith(".attrs.get"):
            if node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "as_of":
                found.append(f"{where}: lit attrs.get(\"as_of\")")
    return found


@pytest.fixture(scope="module")
def sources() -> list[tuple[str, str]]:
    return layout_sources()


def test_the_layouts_are_all_read(sources):
    names = {name.split("[")[0] for name, _ in sources}
    assert "am_analytics/report/build.py" in names
    assert "am_analytics/site/content.py" in names
    assert "am_analytics/dashboards.py" in names
    assert sum(name.endswith(".ipynb") for name in names) >= 5


def test_no_layout_imports_or_calls_an_indicator(sources):
    found = [line for name, source in sources for line in computations(source, name)]
    assert not found, "une mise en page calcule un indicateur (lire l'élément publié de presentation.results) :\n" + \
        "\n".join(found)


def test_every_chart_and_map_of_a_layout_is_given_its_counting_date(sources):
    found = [line for name, source in sources for line in undated_drawings(source, name)]
    assert not found, "date d'arrêté non passée explicitement :\n" + "\n".join(found)


@pytest.mark.parametrize(
    "planted",
    [
        "from am_analytics.indicators.training import overdue_by_background",
        "from am_analytics import indicators as ind",
        "import am_analytics.indicators.survey",
        "import am_analytics as am\nam.indicators.by_region(contracts)",
        "table = cat.training_by_background_table(overdue_by_background(contracts, as_of=day))",
        "shares = survey_indicators.weighted_shares(survey, 'recommande')",
    ],
)
def test_a_planted_computation_is_found_with_its_file_and_line(planted):
    source = "from am_analytics.presentation import catalogue as cat\n\n" + planted + "\n"
    found = computations(source, "am_analytics/site/content.py")
    planted_lines = {f"am_analytics/site/content.py:{3 + n}:" for n in range(planted.count("\n") + 1)}
    assert found and all(line.split(" ")[0] in planted_lines for line in found), found


def test_a_chart_without_its_date_or_a_date_read_from_attrs_is_found():
    source = (
        "fig = charts.funding_chart(own.funding)\n"
        "day = frame.attrs['as_of']\n"
        "other = frame.attrs.get('as_of')\n"
        "ok = charts.funding_chart(own.funding, as_of=scope.as_of)\n"
    )
    found = undated_drawings(source, "notebooks/x.ipynb[cellule 2]")
    assert [line.split(": ")[0] for line in found] == [f"notebooks/x.ipynb[cellule 2]:{n}" for n in (1, 2, 3)]


def test_a_layout_with_one_planted_import_fails_where_the_original_passes():
    """The site's content as it is passes; the same text with one planted import fails, naming that import."""
    original = (PACKAGE / "site" / "content.py").read_text(encoding="utf-8")
    assert computations(original, "content.py") == []
    planted = original.replace("from am_analytics.presentation import catalogue as cat",
                               "from am_analytics.presentation import catalogue as cat\n"
                               "from am_analytics.indicators import survey as survey_indicators", 1)
    assert planted != original
    found = computations(planted, "content.py")
    assert found == ["content.py:16: importe survey depuis am_analytics.indicators"]


def test_a_chart_states_the_date_its_caller_passes_not_the_one_its_frame_records(demo_results):
    """What the AST contract keeps: a chart's caption says the counting date it is given, whatever a frame's
    attributes say (they stay provenance for analysts)."""
    import pandas as pd

    from am_analytics.figures import charts
    from am_analytics.figures.formatting import format_date

    funding = demo_results.funding.copy()
    funding.attrs = {**funding.attrs, "as_of": "2019-12-31"}
    texts = " ".join(text.get_text() for text in charts.funding_chart(funding, as_of=demo_results.as_of).texts)
    assert format_date(demo_results.as_of) in texts
    assert format_date(pd.Timestamp("2019-12-31")) not in texts
