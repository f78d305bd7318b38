"""environment.yml (for conda users) lists exactly the dependencies of pyproject.toml, the single source."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import REPO


def _requirement(text: str) -> tuple[str, str]:
    """Split `name>=1,<2` into a normalised name and its version specifier."""
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", text)
    assert match, text
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(2).replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        listed.extend(extra)
    return dict(_requirement(item) for item in listed)


def _environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    listed: list[str] = []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            listed.extend(entry for entry in item["pip"] if not entry.startswith("-e"))
        else:
            listed.append(item)
    requirements = dict(_requirement(item) for item in listed)
    requirements.pop("pip", None)
    return requirements


def test_environment_yml_lists_the_same_packages_as_pyproject():
    in_pyproject = _pyproject_requirements()
    in_environment = _environment_requirements()
    python = in_environment.pop("python")
    assert python == ">=3.11"
    assert set(in_environment) == set(in_pyproject), (
        f"only in pyproject.toml: {sorted(set(in_pyproject) - set(in_environment))}; "
        f"only in environment.yml: {sorted(set(in_environment) - set(in_pyproject))}"
    )


def test_environment_yml_uses_the_same_version_ranges():
    in_pyproject = _pyproject_requirements()
    in_environment = _environment_requirements()
    different = {
        name: (in_pyproject[name], in_environment[name])
        for name in in_pyproject
        if in_pyproject[name] != in_environment.get(name)
    }
    assert not different, f"version ranges differ (pyproject, environment.yml): {different}"


def test_pandas_3_is_required():
    assert _pyproject_requirements()["pandas"].startswith(">=3")
