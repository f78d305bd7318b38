"""am_analytics — follows how the French *assistant médical* scheme is rolling out.

Raw extracts (or the shipped synthetic demo data) are read, normalised and validated into
processed tables; indicators are pure functions of those tables; notebooks, the PDF report and
the Excel workbook present them. An analyst needs one import:

    import am_analytics as am
    data = am.load()
    regions = am.indicators.by_region(data.contracts)   # latest date, synthetic flag read from the data
    am.figures.regions_ranked_chart(regions)
    occitanie = am.select(data.contracts, region="Occitanie", background="Infirmier·ère", since="2022-01")

`am.indicators` and `am.figures` are imported on first use, so `import am_analytics` stays cheap for
commands that never compute or draw.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("am_analytics")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "export_internal", "figures", "indicators", "load", "select"]

_LAZY_MODULES = ("figures", "indicators")


def __getattr__(name: str):
    # PEP 562: `am.indicators` and `am.figures` are imported the first time they are asked for
    if name in _LAZY_MODULES:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_MODULES))


def load(*args, **kwargs):
    """Processed tables of a raw folder, prepared first when missing or stale (see `am_analytics.loading.load`).

    Every table returned carries `attrs["synthetic"]` and the contracts `attrs["latest_date"]`, so the
    indicators need neither `synthetic=` nor `as_of=` (pandas keeps both through filtering). Imported
    lazily so that `import am_analytics` stays cheap for commands that never load data.
    """
    from am_analytics.loading import load as _load

    return _load(*args, **kwargs)


def export_internal(*args, **kwargs):
    """Indicator frames to an Excel workbook for colleagues, unmasked and marked « usage interne — ne pas
    diffuser » on every sheet (see `am_analytics.internal_export`)."""
    from am_analytics.internal_export import export_internal as _export

    return _export(*args, **kwargs)


def select(frame, *, region=None, departement=None, background=None, since=None, until=None):
    """The rows of `frame` in a region, a département, a background and a signing period, as people write them:
    `am.select(data.contracts, region="Occitanie", departement="Hérault", background="Infirmier·ère",
    since="2022-01", until="2024-12-31")` (see `am_analytics.indicators.selection.select`). An unknown value raises
    a French `SelectionError` naming the closest candidates, never an empty result. Imported lazily."""
    from am_analytics.indicators.selection import select as _select

    return _select(frame, region=region, departement=departement, background=background, since=since, until=until)
