"""Where data and outputs live, derived from the package location, never from the working directory."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The repository holding the package when installed in development mode, else the working directory.

    An editable install (what `make` does) keeps the package inside the repository, so `data/raw`
    is found wherever the command is run from. A regular install has no repository beside it: the
    user's working directory is then the only sensible default, and every command takes
    `--data-dir` to say otherwise.
    """
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").is_file() and (candidate / "data").is_dir():
        return candidate
    return Path.cwd()


def raw_dir() -> Path:
    """Default folder of raw inputs (immutable extracts or demo data, with their provenance sidecars)."""
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    """Default folder of processed tables (Parquet, manifest, quarantine)."""
    return project_root() / "data" / "processed"


def reports_dir() -> Path:
    """Default folder of published outputs (PDF report, Excel workbook)."""
    return project_root() / "reports"


def processed_dir_for(data_dir: Path) -> Path:
    """Where the processed tables of a raw folder live: `data/processed` for the project's own raw folder,
    else a cache folder named after the raw folder's location (a user's extracts are never written beside)."""
    import hashlib
    import os

    data_dir = Path(data_dir).resolve()
    if data_dir == raw_dir().resolve():
        return processed_dir()
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "am_analytics"
    digest = hashlib.sha256(str(data_dir).encode("utf-8")).hexdigest()[:16]
    return cache / f"{data_dir.name}-{digest}"
