"""The package imports where `fcntl` does not exist (Windows): no module needs it at import time."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
sys.modules["fcntl"] = None  # as on Windows: `import fcntl` raises ImportError
import am_analytics
failed = []
for module in pkgutil.walk_packages(am_analytics.__path__, "am_analytics."):
    try:
        importlib.import_module(module.name)
    except Exception as error:
        failed.append(f"{module.name}: {type(error).__name__}: {error}")
print("\\n".join(failed) or "ok")
"""


def test_every_module_imports_without_fcntl():
    result = subprocess.run([sys.executable, "-c", IMPORT_EVERY_MODULE], cwd=REPO, capture_output=True, text=True,
                            timeout=300, env={"MPLBACKEND": "Agg", "PATH": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok", result.stdout


ATOMIC_WRITE_WITHOUT_FCNTL = """
import sys
sys.modules["fcntl"] = None
from pathlib import Path
from am_analytics import atomic
target = Path(sys.argv[1]) / "sortie.json"
atomic.write_json(target, {"a": 1})
atomic.write_json(target, {"a": 2})
print(sorted(p.name for p in target.parent.iterdir()))
"""


def test_atomic_writes_work_without_fcntl(tmp_path):
    result = subprocess.run([sys.executable, "-c", ATOMIC_WRITE_WITHOUT_FCNTL, str(tmp_path)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['sortie.json']", "no temporary file or marker is left behind"
    assert (tmp_path / "sortie.json").read_text(encoding="utf-8") == '{\n  "a": 2\n}\n'


# How each runtime dependency is used when the package does not import it by its own name.
USED_BY_NAME = {
    "pygal_maps_fr": "pygal_maps_fr",  # its SVG map is read as package data (figures/shapes.py)
    "ipykernel": "ipykernel_launcher",  # the kernel papermill runs the notebooks in (schedule/execute.py)
}
IMPORT_NAMES = {"python-calamine": "python_calamine", "fpdf2": "fpdf", "charset-normalizer": "charset_normalizer"}


def test_every_declared_dependency_is_used_by_the_package():
    import re
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].lower() for requirement in project["dependencies"]]
    sources = "\n".join(path.read_text(encoding="utf-8") for path in (REPO / "am_analytics").rglob("*.py"))
    unused = []
    for name in names:
        if name in USED_BY_NAME:
            found = USED_BY_NAME[name] in sources
        else:
            module = IMPORT_NAMES.get(name, name.replace("-", "_"))
            found = re.search(rf"^\s*(?:import|from) {module}\b", sources, flags=re.MULTILINE) is not None
        if not found:
            unused.append(name)
    assert not unused, f"declared in pyproject.toml but never used by the package: {unused}"
