"""am_analytics — follows how the French *assistant médical* scheme is rolling out.

Raw extracts (or the shipped synthetic demo data) are read, normalised and validated into
processed tables; indicators are pure functions of those tables; notebooks, the PDF report and
the Excel workbook present them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("am_analytics")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "load"]


def load(*args, **kwargs):
    """Processed tables of a raw folder, prepared first when missing or stale (see `am_analytics.loading.load`).

    Imported lazily so that `import am_analytics` stays cheap for commands that never load data.
    """
    from am_analytics.loading import load as _load

    return _load(*args, **kwargs)
